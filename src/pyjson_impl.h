/*
 * pyjson_impl.h: what the two halves of the scanner share: the scan state,
 * and the token readers (strings, numbers) pyjson_scan.c calls.
 */
#ifndef UC_PYJSON_IMPL_H
#define UC_PYJSON_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "buf.h"
#include "pyjson.h"

/* CPython's int() refuses decimal strings longer than this. */
#define PY_INT_MAX_DIGITS	4300
/*
 * Deeper nesting makes CPython 3.13 raise RecursionError (its C recursion
 * limit, Py_C_RECURSION_LIMIT), not a decode error.
 */
#define PY_MAX_DEPTH		10000

struct scan {
	const uint32_t		*s;
	size_t			 n;
	int			 depth;
	struct pyjson_error	*err;
};

/* Record a JSONDecodeError at pos; returns UC_ERR_JSON. */
int	pyjson_fail(struct scan *sc, size_t pos, const char *msg);
/* CPython's JSON whitespace: space, tab, newline, carriage return. */
size_t	pyjson_skip_ws(const struct scan *sc, size_t i);
/* scanstring: i is just past the opening quote; UTF-8 into b. */
int	pyjson_scan_chars(struct scan *sc, size_t i, size_t *end, int as_key,
	    struct buf *b);
/* A string value, i just past the opening quote. */
int	pyjson_scan_string(struct scan *sc, size_t i, size_t *end,
	    struct json_object **out);
/* _match_number_unicode at start. */
int	pyjson_scan_number(struct scan *sc, size_t start, size_t *end,
	    struct json_object **out);

#endif
