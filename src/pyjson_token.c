/*
 * pyjson_token.c: the tokens of CPython's JSON scanner (Modules/_json.c,
 * strict=True): strings with their escapes and surrogate pairs, and
 * numbers, with CPython's error positions and messages.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "pyjson.h"
#include "pyjson_impl.h"

int
pyjson_fail(struct scan *sc, size_t pos, const char *msg)
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

size_t
pyjson_skip_ws(const struct scan *sc, size_t i)
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
int
pyjson_scan_chars(struct scan *sc, size_t i, size_t *end, int as_key, struct buf *b)
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
				return pyjson_fail(sc, i, "Invalid control character at");
			if ((rc = buf_add_utf8(b, c)) != UC_OK)
				return rc;
		}
		if (i >= sc->n)
			return pyjson_fail(sc, begin, "Unterminated string starting at");
		c = sc->s[i++];
		if (c == '"')
			break;
		if (i == sc->n)
			return pyjson_fail(sc, begin, "Unterminated string starting at");
		c = sc->s[i];
		if (c != 'u') {
			for (k = 0; k < sizeof(simple_escapes) / sizeof(simple_escapes[0]); k++)
				if (simple_escapes[k].esc == c)
					break;
			if (k == sizeof(simple_escapes) / sizeof(simple_escapes[0]))
				return pyjson_fail(sc, i - 1, "Invalid \\escape");
			if ((rc = buf_add_utf8(b, simple_escapes[k].value)) != UC_OK)
				return rc;
			i++;
			continue;
		}
		/* \uXXXX, and a following \uXXXX if this is a high surrogate. */
		i++;
		if (i + 4 >= sc->n)
			return pyjson_fail(sc, i - 1, "Invalid \\uXXXX escape");
		if (hex4(sc, i, &c) != 0)
			return pyjson_fail(sc, i - 1, "Invalid \\uXXXX escape");
		i += 4;
		if (c >= 0xD800 && c <= 0xDBFF && i + 6 < sc->n &&
		    sc->s[i] == '\\' && sc->s[i + 1] == 'u') {
			if (hex4(sc, i + 2, &c2) != 0)
				return pyjson_fail(sc, i + 1, "Invalid \\uXXXX escape");
			if (c2 >= 0xDC00 && c2 <= 0xDFFF) {
				c = 0x10000 + ((c - 0xD800) << 10) + (c2 - 0xDC00);
				i += 6;
			}
		}
		if (c == 0 && as_key)
			rc = buf_add(b, "\xC0\x80", 2);
		else
			rc = buf_add_utf8(b, c);
		if (rc != UC_OK)
			return rc;
	}
	*end = i;
	return UC_OK;
}

int
pyjson_scan_string(struct scan *sc, size_t i, size_t *end, struct json_object **out)
{
	struct buf	 b = { 0 };
	int		 rc;

	if ((rc = pyjson_scan_chars(sc, i, end, 0, &b)) == UC_OK) {
		*out = json_object_new_string_len(b.len ? b.data : "", (int)b.len);
		if (*out == NULL)
			rc = UC_ERR_NOMEM;
	}
	buf_free(&b);
	return rc;
}

/* _match_number_unicode: StopIteration becomes "Expecting value" at start. */
int
pyjson_scan_number(struct scan *sc, size_t start, size_t *end, struct json_object **out)
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
			return pyjson_fail(sc, start, "Expecting value");
	}
	if (sc->s[i] >= '1' && sc->s[i] <= '9') {
		while (i < sc->n && is_digit(sc->s[i]))
			i++;
	} else if (sc->s[i] == '0')
		i++;
	else
		return pyjson_fail(sc, start, "Expecting value");
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
