/*
 * body.c: from the body's bytes to a value, as FastAPI's request handling
 * does: the content type decides JSON or raw bytes; JSON bytes are decoded
 * as json.loads(bytes) decodes them (json.detect_encoding, then the codec
 * with errors='surrogatepass'), and then scanned.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "body.h"
#include "err.h"
#include "pyjson.h"

/*
 * str.isspace() of a header byte: Starlette decodes headers as latin-1,
 * so 0x1C..0x1F, 0x85 and 0xA0 are white space too.
 */
static int
is_py_space(unsigned char c)
{
	return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) ||
	    c == 0x85 || c == 0xA0;
}

/*
 * email.message.Message's reading of the header: the part before ';',
 * lower-cased and stripped, must hold exactly one '/'.
 */
int
body_is_json_type(const char *ct)
{
	const char	*end, *slash, *p;
	size_t		 len, sublen;

	if (ct == NULL || *ct == '\0')
		return 0;
	end = strchr(ct, ';');
	len = end ? (size_t)(end - ct) : strlen(ct);
	while (len > 0 && is_py_space((unsigned char)*ct)) {
		ct++;
		len--;
	}
	while (len > 0 && is_py_space((unsigned char)ct[len - 1]))
		len--;
	slash = memchr(ct, '/', len);
	if (slash == NULL || memchr(slash + 1, '/', len - (size_t)(slash + 1 - ct)))
		return 0;
	if ((size_t)(slash - ct) != strlen("application") ||
	    strncasecmp(ct, "application", strlen("application")) != 0)
		return 0;
	p = slash + 1;
	sublen = len - (size_t)(p - ct);
	if (sublen == 4 && strncasecmp(p, "json", 4) == 0)
		return 1;
	return sublen >= 5 && strncasecmp(p + sublen - 5, "+json", 5) == 0;
}

enum codec { UTF8, UTF8_SIG, UTF16, UTF16_BE, UTF16_LE, UTF32, UTF32_BE, UTF32_LE };

/* json.detect_encoding */
static enum codec
detect_codec(const unsigned char *b, size_t n)
{
	if (n >= 4 && ((b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF) ||
	    (b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0)))
		return UTF32;
	if (n >= 2 && ((b[0] == 0xFE && b[1] == 0xFF) || (b[0] == 0xFF && b[1] == 0xFE)))
		return UTF16;
	if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
		return UTF8_SIG;
	if (n >= 4) {
		if (b[0] == 0)
			return b[1] ? UTF16_BE : UTF32_BE;
		if (b[1] == 0)
			return (b[2] || b[3]) ? UTF16_LE : UTF32_LE;
	} else if (n == 2) {
		if (b[0] == 0)
			return UTF16_BE;
		if (b[1] == 0)
			return UTF16_LE;
	}
	return UTF8;
}

/* Strict UTF-8, except that encoded surrogates pass (surrogatepass). */
static int
decode_utf8(const unsigned char *b, size_t n, uint32_t *out, size_t *outn)
{
	size_t		 i = 0, k = 0, len, j;
	uint32_t	 c, min;

	while (i < n) {
		c = b[i];
		if (c < 0x80) {
			out[k++] = c;
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			len = 2; c &= 0x1F; min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3; c &= 0x0F; min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4; c &= 0x07; min = 0x10000;
		} else
			return UC_ERR_DECODE;
		if (len > n - i)
			return UC_ERR_DECODE;
		for (j = 1; j < len; j++) {
			if ((b[i + j] & 0xC0) != 0x80)
				return UC_ERR_DECODE;
			c = (c << 6) | (b[i + j] & 0x3F);
		}
		if (c < min || c > 0x10FFFF)
			return UC_ERR_DECODE;
		out[k++] = c;
		i += len;
	}
	*outn = k;
	return UC_OK;
}

static uint32_t
unit16(const unsigned char *p, int big)
{
	return big ? (uint32_t)(p[0] << 8 | p[1]) : (uint32_t)(p[1] << 8 | p[0]);
}

static int
decode_utf16(const unsigned char *b, size_t n, int big, uint32_t *out, size_t *outn)
{
	size_t		 i, k = 0;
	uint32_t	 c, c2;

	if (n % 2 != 0)
		return UC_ERR_DECODE;
	for (i = 0; i < n; i += 2) {
		c = unit16(b + i, big);
		if (c >= 0xD800 && c <= 0xDBFF && i + 3 < n) {
			c2 = unit16(b + i + 2, big);
			if (c2 >= 0xDC00 && c2 <= 0xDFFF) {
				c = 0x10000 + ((c - 0xD800) << 10) + (c2 - 0xDC00);
				i += 2;
			}
		}
		out[k++] = c;
	}
	*outn = k;
	return UC_OK;
}

static int
decode_utf32(const unsigned char *b, size_t n, int big, uint32_t *out, size_t *outn)
{
	size_t		 i, k = 0;
	uint32_t	 c;

	if (n % 4 != 0)
		return UC_ERR_DECODE;
	for (i = 0; i < n; i += 4) {
		c = big ? (uint32_t)b[i] << 24 | (uint32_t)b[i + 1] << 16 | (uint32_t)b[i + 2] << 8 | b[i + 3] :
		    (uint32_t)b[i + 3] << 24 | (uint32_t)b[i + 2] << 16 | (uint32_t)b[i + 1] << 8 | b[i];
		if (c > 0x10FFFF)
			return UC_ERR_DECODE;
		out[k++] = c;
	}
	*outn = k;
	return UC_OK;
}

typedef int (*unit_decoder)(const unsigned char *, size_t, int, uint32_t *, size_t *);

static int
decode_utf8_units(const unsigned char *b, size_t n, int big, uint32_t *out,
    size_t *outn)
{
	(void)big;
	return decode_utf8(b, n, out, outn);
}

/*
 * What each codec json.detect_encoding names reads: the BOM it skips, and
 * the byte order (BYTE_ORDER_FROM_BOM: big-endian when the BOM says so).
 */
#define BYTE_ORDER_FROM_BOM	(-1)

static const struct {
	size_t		 bom;
	int		 big;
	unit_decoder	 decode;
} codecs[] = {
	[UTF8] = { 0, 0, decode_utf8_units },
	[UTF8_SIG] = { 3, 0, decode_utf8_units },
	[UTF16] = { 2, BYTE_ORDER_FROM_BOM, decode_utf16 },
	[UTF16_BE] = { 0, 1, decode_utf16 },
	[UTF16_LE] = { 0, 0, decode_utf16 },
	[UTF32] = { 4, BYTE_ORDER_FROM_BOM, decode_utf32 },
	[UTF32_BE] = { 0, 1, decode_utf32 },
	[UTF32_LE] = { 0, 0, decode_utf32 },
};

/* The bytes as the text json.loads scans. */
static int
decode_text(const unsigned char *b, size_t n, uint32_t *out, size_t *outn)
{
	enum codec	 c = detect_codec(b, n);
	int		 big = codecs[c].big;

	/* FE FF and 00 00 FE FF are big-endian byte order marks. */
	if (big == BYTE_ORDER_FROM_BOM)
		big = b[0] == 0xFE || b[0] == 0;
	return codecs[c].decode(b + codecs[c].bom, n - codecs[c].bom, big, out, outn);
}

int
body_parse(const char *content_type, const unsigned char *bytes, size_t len,
    struct body *out, struct pyjson_error *jerr)
{
	uint32_t	*text;
	size_t		 n, i;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (len == 0) {
		out->kind = BODY_EMPTY;
		return UC_OK;
	}
	if ((text = calloc(len, sizeof(*text))) == NULL)
		return UC_ERR_NOMEM;
	if (!body_is_json_type(content_type)) {
		/*
		 * Raw bytes: FastAPI echoes them as bytes.decode(), strict
		 * UTF-8, so encoded surrogates fail here too.
		 */
		rc = decode_utf8(bytes, len, text, &n);
		for (i = 0; rc == UC_OK && i < n; i++)
			if (text[i] >= 0xD800 && text[i] <= 0xDFFF)
				rc = UC_ERR_DECODE;
		if (rc == UC_OK) {
			out->kind = BODY_TEXT;
			out->json = json_object_new_string_len((const char *)bytes, (int)len);
			if (out->json == NULL)
				rc = UC_ERR_NOMEM;
		}
	} else if ((rc = decode_text(bytes, len, text, &n)) == UC_OK) {
		out->kind = BODY_JSON;
		rc = pyjson_parse(text, n, &out->json, jerr);
	}
	explicit_bzero(text, len * sizeof(*text));
	free(text);
	return rc;
}

/*
 * json-c frees strings without clearing them, and one of them is the
 * password: clear every string of the tree first.
 */
static void
wipe_strings(struct json_object *v)
{
	struct json_object_iterator	 it, end;
	const char			*s;
	char				*w;
	size_t				 i, n;

	switch (json_object_get_type(v)) {
	case json_type_string:
		s = json_object_get_string(v);
		/* The tree is ours to clear; json-c only hands out const. */
		memcpy(&w, &s, sizeof(w));
		explicit_bzero(w, (size_t)json_object_get_string_len(v));
		break;
	case json_type_array:
		n = json_object_array_length(v);
		for (i = 0; i < n; i++)
			wipe_strings(json_object_array_get_idx(v, i));
		break;
	case json_type_object:
		it = json_object_iter_begin(v);
		end = json_object_iter_end(v);
		for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it))
			wipe_strings(json_object_iter_peek_value(&it));
		break;
	default:
		break;
	}
}

void
body_free(struct body *b)
{
	wipe_strings(b->json);
	json_object_put(b->json);
	b->json = NULL;
}
