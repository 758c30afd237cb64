/*
 * pyjson_write.c: writing a json-c tree as CPython's json.dumps writes it
 * with ensure_ascii=False and compact separators, which is how FastAPI's
 * responses look on the wire; and repr(float).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "pyjson.h"

/* Escapes json.dumps uses with ensure_ascii=False; other C0 are \u00XX. */
static const char *const short_escapes[0x20] = {
	['\b'] = "\\b", ['\t'] = "\\t", ['\n'] = "\\n", ['\f'] = "\\f",
	['\r'] = "\\r",
};

int
pyjson_has_surrogate(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i + 1 < len; i++)
		if ((unsigned char)s[i] == 0xED && ((unsigned char)s[i + 1] & 0xE0) == 0xA0)
			return 1;
	return 0;
}

int
pyjson_write_string(const char *s, size_t len, struct buf *out)
{
	size_t		 i, run = 0;
	unsigned char	 c;
	int		 rc;
	char		 esc[8];

	if (pyjson_has_surrogate(s, len))
		return UC_ERR_UNENCODABLE;
	if ((rc = buf_addc(out, '"')) != UC_OK)
		return rc;
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\' &&
		    !(c == 0xC0 && i + 1 < len && (unsigned char)s[i + 1] == 0x80))
			continue;
		if ((rc = buf_add(out, s + run, i - run)) != UC_OK)
			return rc;
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			esc[2] = '\0';
		} else if (c == 0xC0) {
			/* A NUL kept inside an object key, see pyjson.h. */
			snprintf(esc, sizeof(esc), "\\u0000");
			i++;
		} else if (short_escapes[c] != NULL)
			snprintf(esc, sizeof(esc), "%s", short_escapes[c]);
		else
			snprintf(esc, sizeof(esc), "\\u%04x", c);
		if ((rc = buf_adds(out, esc)) != UC_OK)
			return rc;
		run = i + 1;
	}
	if ((rc = buf_add(out, s + run, len - run)) != UC_OK)
		return rc;
	return buf_addc(out, '"');
}

static int
write_number(struct json_object *v, struct buf *out)
{
	const char	*text;

	if (json_object_get_type(v) == json_type_int)
		return buf_printf(out, "%lld", (long long)json_object_get_int64(v));
	if (!isfinite(json_object_get_double(v)))
		return UC_ERR_UNENCODABLE;
	/* The scanner attached Python's spelling of every other number. */
	text = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
	return buf_adds(out, text);
}

int
pyjson_write(struct json_object *v, struct buf *out)
{
	struct json_object_iterator	 it, end;
	size_t				 i, n;
	const char			*key;
	int				 rc, first = 1;

	switch (json_object_get_type(v)) {
	case json_type_null:
		return buf_adds(out, "null");
	case json_type_boolean:
		return buf_adds(out, json_object_get_boolean(v) ? "true" : "false");
	case json_type_int:
	case json_type_double:
		return write_number(v, out);
	case json_type_string:
		return pyjson_write_string(json_object_get_string(v),
		    (size_t)json_object_get_string_len(v), out);
	case json_type_array:
		if ((rc = buf_addc(out, '[')) != UC_OK)
			return rc;
		n = json_object_array_length(v);
		for (i = 0; i < n; i++) {
			if (i > 0 && (rc = buf_addc(out, ',')) != UC_OK)
				return rc;
			if ((rc = pyjson_write(json_object_array_get_idx(v, i), out)) != UC_OK)
				return rc;
		}
		return buf_addc(out, ']');
	case json_type_object:
		if ((rc = buf_addc(out, '{')) != UC_OK)
			return rc;
		it = json_object_iter_begin(v);
		end = json_object_iter_end(v);
		while (!json_object_iter_equal(&it, &end)) {
			if (!first && (rc = buf_addc(out, ',')) != UC_OK)
				return rc;
			first = 0;
			key = json_object_iter_peek_name(&it);
			if ((rc = pyjson_write_string(key, strlen(key), out)) != UC_OK ||
			    (rc = buf_addc(out, ':')) != UC_OK ||
			    (rc = pyjson_write(json_object_iter_peek_value(&it), out)) != UC_OK)
				return rc;
			json_object_iter_next(&it);
		}
		return buf_addc(out, '}');
	}
	return UC_ERR_UNENCODABLE;
}

/*
 * repr(float): the shortest digits that read back to the same double, laid
 * out as Python's float_repr_style 'short' does: positional notation when
 * the decimal point falls within -4 < exponent <= 16, with ".0" added to
 * whole numbers; scientific otherwise, with a sign and two or more exponent
 * digits ("1e+16", "1.5e-07").
 */
void
pyjson_float_repr(double d, char *out, size_t outlen)
{
	char	 tmp[64], digits[24];
	int	 prec, exp10, decpt, nd, k, pos = 0;
	char	*e;

	if (isnan(d)) {
		snprintf(out, outlen, "NaN");
		return;
	}
	if (isinf(d)) {
		snprintf(out, outlen, d < 0 ? "-Infinity" : "Infinity");
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	/* tmp is [-]D[.DDD]e[+-]XX */
	e = strchr(tmp, 'e');
	exp10 = atoi(e + 1);
	nd = 0;
	for (k = tmp[0] == '-' ? 1 : 0; tmp + k < e; k++)
		if (tmp[k] != '.')
			digits[nd++] = tmp[k];
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	digits[nd] = '\0';
	decpt = exp10 + 1;
	if (signbit(d))
		tmp[pos++] = '-';
	if (decpt <= -4 || decpt > 16) {
		tmp[pos++] = digits[0];
		if (nd > 1) {
			tmp[pos++] = '.';
			memcpy(tmp + pos, digits + 1, (size_t)nd - 1);
			pos += nd - 1;
		}
		snprintf(tmp + pos, sizeof(tmp) - (size_t)pos, "e%c%02d",
		    exp10 < 0 ? '-' : '+', abs(exp10));
	} else if (decpt <= 0) {
		pos += snprintf(tmp + pos, sizeof(tmp) - (size_t)pos, "0.%.*s%s",
		    -decpt, "0000", digits);
	} else if (decpt >= nd) {
		snprintf(tmp + pos, sizeof(tmp) - (size_t)pos, "%s%.*s.0",
		    digits, decpt - nd, "0000000000000000");
	} else {
		snprintf(tmp + pos, sizeof(tmp) - (size_t)pos, "%.*s.%s",
		    decpt, digits, digits + decpt);
	}
	snprintf(out, outlen, "%s", tmp);
}
