/*
 * pyjson_scan.c: a JSON scanner that accepts, refuses and positions errors
 * exactly as CPython's json.loads (the C scanner of Modules/_json.c with
 * strict=True) does, building a json-c tree.  json-c's own tokener differs
 * from CPython on control characters, NaN/Infinity, duplicate keys, \u0000
 * in keys, lone surrogates and error positions, so the scanning is ours and
 * only the tree is json-c's.  Messages follow CPython 3.13 and later, which
 * name a trailing comma ("Illegal trailing comma before end of object").
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "pyjson.h"

/* CPython's int() refuses decimal strings longer than this. */
#define PY_INT_MAX_DIGITS	4300
/* Deeper nesting makes CPython raise RecursionError, not a decode error. */
#define PY_MAX_DEPTH		1000

struct scan {
	const uint32_t		*s;
	size_t			 n;
	int			 depth;
	struct pyjson_error	*err;
};

static int scan_value(struct scan *, size_t, size_t *, struct json_object **);

static int
fail(struct scan *sc, size_t pos, const char *msg)
{
	sc->err->pos = pos;
	sc->err->msg = msg;
	return UC_ERR_JSON;
}

static int
is_ws(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t
skip_ws(const struct scan *sc, size_t i)
{
	while (i < sc->n && is_ws(sc->s[i]))
		i++;
	return i;
}

static int
is_digit(uint32_t c)
{
	return c >= '0' && c <= '9';
}

/* Append code point c as UTF-8; surrogates become their 3-byte form. */
static int
put_utf8(struct buf *b, uint32_t c)
{
	char	 u[4];
	size_t	 n;

	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xC0 | (c >> 6));
		u[1] = (char)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xE0 | (c >> 12));
		u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		u[2] = (char)(0x80 | (c & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (c >> 18));
		u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		u[3] = (char)(0x80 | (c & 0x3F));
		n = 4;
	}
	return buf_add(b, u, n);
}

static int
hex4(const struct scan *sc, size_t i, uint32_t *out)
{
	uint32_t	 v = 0, c;
	size_t		 k;

	for (k = 0; k < 4; k++) {
		c = sc->s[i + k];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* The simple escapes after a backslash, and what they stand for. */
static const struct {
	uint32_t	 esc;
	uint32_t	 value;
} simple_escapes[] = {
	{ '"', '"' }, { '\\', '\\' }, { '/', '/' }, { 'b', '\b' },
	{ 'f', '\f' }, { 'n', '\n' }, { 'r', '\r' }, { 't', '\t' },
};

/*
 * scanstring: i is just past the opening quote.  NUL in a key is kept as
 * C0 80 (as_key), see pyjson.h.
 */
static int
scan_string(struct scan *sc, size_t i, size_t *end, int as_key, struct buf *b)
{
	size_t		 begin = i - 1, k;
	uint32_t	 c, c2;
	int		 rc;

	for (;;) {
		for (; i < sc->n; i++) {
			c = sc->s[i];
			if (c == '"' || c == '\\')
				break;
			if (c <= 0x1F)
				return fail(sc, i, "Invalid control character at");
			if ((rc = put_utf8(b, c)) != UC_OK)
				return rc;
		}
		if (i >= sc->n)
			return fail(sc, begin, "Unterminated string starting at");
		c = sc->s[i++];
		if (c == '"')
			break;
		if (i == sc->n)
			return fail(sc, begin, "Unterminated string starting at");
		c = sc->s[i];
		if (c != 'u') {
			for (k = 0; k < sizeof(simple_escapes) / sizeof(simple_escapes[0]); k++)
				if (simple_escapes[k].esc == c)
					break;
			if (k == sizeof(simple_escapes) / sizeof(simple_escapes[0]))
				return fail(sc, i - 1, "Invalid \\escape");
			if ((rc = put_utf8(b, simple_escapes[k].value)) != UC_OK)
				return rc;
			i++;
			continue;
		}
		/* \uXXXX, and a following \uXXXX if this is a high surrogate. */
		i++;
		if (i + 4 >= sc->n)
			return fail(sc, i - 1, "Invalid \\uXXXX escape");
		if (hex4(sc, i, &c) != 0)
			return fail(sc, i - 1, "Invalid \\uXXXX escape");
		i += 4;
		if (c >= 0xD800 && c <= 0xDBFF && i + 6 < sc->n &&
		    sc->s[i] == '\\' && sc->s[i + 1] == 'u') {
			if (hex4(sc, i + 2, &c2) != 0)
				return fail(sc, i + 1, "Invalid \\uXXXX escape");
			if (c2 >= 0xDC00 && c2 <= 0xDFFF) {
				c = 0x10000 + ((c - 0xD800) << 10) + (c2 - 0xDC00);
				i += 6;
			}
		}
		if (c == 0 && as_key)
			rc = buf_add(b, "\xC0\x80", 2);
		else
			rc = put_utf8(b, c);
		if (rc != UC_OK)
			return rc;
	}
	*end = i;
	return UC_OK;
}

static int
new_string(struct scan *sc, size_t i, size_t *end, struct json_object **out)
{
	struct buf	 b = { 0 };
	int		 rc;

	if ((rc = scan_string(sc, i, end, 0, &b)) == UC_OK) {
		*out = json_object_new_string_len(b.len ? b.data : "", (int)b.len);
		if (*out == NULL)
			rc = UC_ERR_NOMEM;
	}
	buf_free(&b);
	return rc;
}

/* _match_number_unicode: StopIteration becomes "Expecting value" at start. */
static int
scan_number(struct scan *sc, size_t start, size_t *end, struct json_object **out)
{
	size_t		 i = start, e_start, len, k;
	int		 is_float = 0;
	char		 small[64], *text, repr[32];
	const char	*digits;
	double		 d;
	long long	 ll;

	if (sc->s[i] == '-') {
		i++;
		if (i >= sc->n)
			return fail(sc, start, "Expecting value");
	}
	if (sc->s[i] >= '1' && sc->s[i] <= '9') {
		while (i < sc->n && is_digit(sc->s[i]))
			i++;
	} else if (sc->s[i] == '0')
		i++;
	else
		return fail(sc, start, "Expecting value");
	if (i + 1 < sc->n && sc->s[i] == '.' && is_digit(sc->s[i + 1])) {
		is_float = 1;
		i += 2;
		while (i < sc->n && is_digit(sc->s[i]))
			i++;
	}
	if (i + 1 < sc->n && (sc->s[i] == 'e' || sc->s[i] == 'E')) {
		e_start = i++;
		if (i + 1 < sc->n && (sc->s[i] == '-' || sc->s[i] == '+'))
			i++;
		while (i < sc->n && is_digit(sc->s[i]))
			i++;
		if (is_digit(sc->s[i - 1]))
			is_float = 1;
		else
			i = e_start;
	}
	len = i - start;
	text = len < sizeof(small) ? small : malloc(len + 1);
	if (text == NULL)
		return UC_ERR_NOMEM;
	for (k = 0; k < len; k++)
		text[k] = (char)sc->s[start + k];
	text[len] = '\0';
	*end = i;

	if (is_float) {
		d = strtod(text, NULL);
		pyjson_float_repr(d, repr, sizeof(repr));
		*out = json_object_new_double_s(d, repr);
	} else {
		digits = text[0] == '-' ? text + 1 : text;
		if (strlen(digits) > PY_INT_MAX_DIGITS) {
			if (text != small)
				free(text);
			return UC_ERR_DECODE;
		}
		errno = 0;
		ll = strtoll(text, NULL, 10);
		if (errno == 0)
			*out = json_object_new_int64(ll);
		else
			*out = json_object_new_double_s(0.0, text);
	}
	if (text != small)
		free(text);
	return *out == NULL ? UC_ERR_NOMEM : UC_OK;
}

/* Does the text at i spell word (ASCII)?  CPython needs all of it present. */
static int
spells(const struct scan *sc, size_t i, const char *word)
{
	size_t	 k, len = strlen(word);

	if (len > sc->n - i)
		return 0;
	for (k = 0; k < len; k++)
		if (sc->s[i + k] != (uint32_t)(unsigned char)word[k])
			return 0;
	return 1;
}

static int
scan_object(struct scan *sc, size_t i, size_t *end, struct json_object **out)
{
	struct json_object	*obj, *val;
	struct buf		 key = { 0 };
	size_t			 comma;
	int			 rc = UC_OK;

	if ((obj = json_object_new_object()) == NULL)
		return UC_ERR_NOMEM;
	i = skip_ws(sc, i);
	if (i < sc->n && sc->s[i] == '}') {
		*end = i + 1;
		*out = obj;
		return UC_OK;
	}
	for (;;) {
		if (i >= sc->n || sc->s[i] != '"') {
			rc = fail(sc, i, "Expecting property name enclosed in double quotes");
			break;
		}
		key.len = 0;
		if ((rc = scan_string(sc, i + 1, &i, 1, &key)) != UC_OK)
			break;
		i = skip_ws(sc, i);
		if (i >= sc->n || sc->s[i] != ':') {
			rc = fail(sc, i, "Expecting ':' delimiter");
			break;
		}
		i = skip_ws(sc, i + 1);
		if ((rc = scan_value(sc, i, &i, &val)) != UC_OK)
			break;
		/* A repeated key keeps its first place and takes the last value. */
		if (json_object_object_add(obj, key.len ? key.data : "", val) != 0) {
			json_object_put(val);
			rc = UC_ERR_NOMEM;
			break;
		}
		i = skip_ws(sc, i);
		if (i < sc->n && sc->s[i] == '}') {
			i++;
			break;
		}
		if (i >= sc->n || sc->s[i] != ',') {
			rc = fail(sc, i, "Expecting ',' delimiter");
			break;
		}
		comma = i;
		i = skip_ws(sc, i + 1);
		if (i < sc->n && sc->s[i] == '}') {
			rc = fail(sc, comma, "Illegal trailing comma before end of object");
			break;
		}
	}
	buf_free(&key);
	if (rc != UC_OK) {
		json_object_put(obj);
		return rc;
	}
	*end = i;
	*out = obj;
	return UC_OK;
}

static int
scan_array(struct scan *sc, size_t i, size_t *end, struct json_object **out)
{
	struct json_object	*arr, *val;
	size_t			 comma;
	int			 rc = UC_OK;

	if ((arr = json_object_new_array()) == NULL)
		return UC_ERR_NOMEM;
	i = skip_ws(sc, i);
	if (i < sc->n && sc->s[i] == ']') {
		*end = i + 1;
		*out = arr;
		return UC_OK;
	}
	for (;;) {
		if ((rc = scan_value(sc, i, &i, &val)) != UC_OK)
			break;
		if (json_object_array_add(arr, val) != 0) {
			json_object_put(val);
			rc = UC_ERR_NOMEM;
			break;
		}
		i = skip_ws(sc, i);
		if (i < sc->n && sc->s[i] == ']') {
			i++;
			break;
		}
		if (i >= sc->n || sc->s[i] != ',') {
			rc = fail(sc, i, "Expecting ',' delimiter");
			break;
		}
		comma = i;
		i = skip_ws(sc, i + 1);
		if (i < sc->n && sc->s[i] == ']') {
			rc = fail(sc, comma, "Illegal trailing comma before end of array");
			break;
		}
	}
	if (rc != UC_OK) {
		json_object_put(arr);
		return rc;
	}
	*end = i;
	*out = arr;
	return UC_OK;
}

/* The named constants json.loads knows, and the values they stand for. */
static const struct {
	const char	*word;
	int		 kind;		/* 0 null, 1 true, 2 false, 3 double */
	double		 value;
	const char	*repr;
} constants[] = {
	{ "null", 0, 0, NULL },
	{ "true", 1, 0, NULL },
	{ "false", 2, 0, NULL },
	{ "NaN", 3, NAN, "NaN" },
	{ "Infinity", 3, INFINITY, "Infinity" },
	{ "-Infinity", 3, -INFINITY, "-Infinity" },
};

static int
scan_value(struct scan *sc, size_t i, size_t *end, struct json_object **out)
{
	size_t	 k;
	int	 rc;

	if (i >= sc->n)
		return fail(sc, i, "Expecting value");
	switch (sc->s[i]) {
	case '"':
		return new_string(sc, i + 1, end, out);
	case '{':
	case '[':
		if (++sc->depth > PY_MAX_DEPTH)
			return UC_ERR_DECODE;
		rc = sc->s[i] == '{' ? scan_object(sc, i + 1, end, out) :
		    scan_array(sc, i + 1, end, out);
		sc->depth--;
		return rc;
	default:
		break;
	}
	for (k = 0; k < sizeof(constants) / sizeof(constants[0]); k++) {
		if (!spells(sc, i, constants[k].word))
			continue;
		*end = i + strlen(constants[k].word);
		switch (constants[k].kind) {
		case 0:
			*out = NULL;
			return UC_OK;
		case 1:
		case 2:
			*out = json_object_new_boolean(constants[k].kind == 1);
			break;
		default:
			*out = json_object_new_double_s(constants[k].value, constants[k].repr);
			break;
		}
		return *out == NULL ? UC_ERR_NOMEM : UC_OK;
	}
	return scan_number(sc, i, end, out);
}

int
pyjson_parse(const uint32_t *text, size_t n, struct json_object **out,
    struct pyjson_error *err)
{
	struct scan	 sc = { text, n, 0, err };
	size_t		 i, end;
	int		 rc;

	*out = NULL;
	i = skip_ws(&sc, 0);
	if ((rc = scan_value(&sc, i, &end, out)) != UC_OK)
		return rc;
	end = skip_ws(&sc, end);
	if (end != n) {
		json_object_put(*out);
		*out = NULL;
		return fail(&sc, end, "Extra data");
	}
	return UC_OK;
}
