/*
 * pyjson.h: JSON as CPython's json module reads and writes it, on top of
 * json-c's value tree.
 *
 * The scanner works on the decoded text (code points), so error positions
 * are character positions and messages are CPython's words.  Numbers keep
 * Python's spelling: an integer that fits int64 is a json-c int; any other
 * number is a json-c double carrying Python's repr as its text (a huge
 * integer keeps its digits, with the value 0.0).  NaN and Infinity are
 * doubles with non-finite values.  Strings are UTF-8; a lone surrogate
 * (from a \uD800 escape or surrogatepass decoding) is kept as its 3-byte
 * encoding, and a NUL inside an object key as C0 80, since json-c keys are
 * C strings.
 */
#ifndef UC_PYJSON_H
#define UC_PYJSON_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "buf.h"

struct pyjson_error {
	size_t		 pos;	/* character position, as JSONDecodeError.pos */
	const char	*msg;	/* JSONDecodeError.msg */
};

/*
 * Parse text[0..n) as json.loads(str) would.  UC_OK with *out set;
 * UC_ERR_JSON with err filled for a JSONDecodeError; UC_ERR_DECODE for
 * what makes json.loads raise another error (an integer of more than 4300
 * digits, nesting too deep); UC_ERR_NOMEM.
 */
int	pyjson_parse(const uint32_t *text, size_t n, struct json_object **out,
	    struct pyjson_error *err);

/*
 * Append v as json.dumps(v, ensure_ascii=False, separators=(",", ":"),
 * allow_nan=False) writes it.  UC_ERR_UNENCODABLE for NaN, Infinity or a
 * lone surrogate, which FastAPI cannot write either.
 */
int	pyjson_write(struct json_object *v, struct buf *out);
int	pyjson_write_string(const char *s, size_t len, struct buf *out);

/* repr(float) into out (at least 32 bytes). */
void	pyjson_float_repr(double d, char *out, size_t outlen);

/* Does s hold a lone surrogate (ED A0..BF xx)? */
int	pyjson_has_surrogate(const char *s, size_t len);

#endif
