/*
 * store_line.c: escaping, splitting and building the lines of the
 * flat-file store, as STORE.md fixes them.
 */
#include <stdint.h>
#include <string.h>

#include "store_line.h"

static const char hexdigit[] = "0123456789ABCDEF";

/* Bytes that the text fields carry as %XX: they would break a line. */
static int
needs_escape(unsigned char c)
{
	return c <= 0x20 || c == 0x7f || c == '%' || c == ':' ||
	    c == '\\' || c == '#';
}

static int
hexval(unsigned char c, int *upper)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f') {
		*upper = 0;
		return c - 'a' + 10;
	}
	return -1;
}

size_t
line_escaped_len(const char *src, size_t len)
{
	size_t i, n = len;

	for (i = 0; i < len; i++)
		if (needs_escape((unsigned char)src[i]))
			n += 2;
	return n;
}

size_t
line_escape(char *dst, const char *src, size_t len)
{
	size_t i, o = 0;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)src[i];
		if (needs_escape(c)) {
			dst[o++] = '%';
			dst[o++] = hexdigit[c >> 4];
			dst[o++] = hexdigit[c & 0xf];
		} else
			dst[o++] = (char)c;
	}
	return o;
}

int
line_unescape(char *dst, const char *src, size_t len, size_t *outlen)
{
	size_t i, o = 0;
	int hi, lo, canonical = 1;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)src[i];
		if (c != '%') {
			if (needs_escape(c))
				canonical = 0;
			dst[o++] = (char)c;
			continue;
		}
		if (len - i < 3)
			return -1;
		hi = hexval((unsigned char)src[i + 1], &canonical);
		lo = hexval((unsigned char)src[i + 2], &canonical);
		if (hi < 0 || lo < 0)
			return -1;
		c = (unsigned char)(hi << 4 | lo);
		if (!needs_escape(c))
			canonical = 0;
		dst[o++] = (char)c;
		i += 2;
	}
	*outlen = o;
	return canonical ? 0 : 1;
}

int
line_split(const char *line, size_t len, struct line_fields *out)
{
	const char *p = line, *end = line + len, *colon;
	int n = 0;

	memset(out, 0, sizeof(*out));
	for (;;) {
		colon = memchr(p, ':', (size_t)(end - p));
		if (n == 3 && colon != NULL)
			return -1;
		out->f[n] = p;
		out->len[n] = (size_t)((colon != NULL ? colon : end) - p);
		n++;
		if (colon == NULL)
			break;
		p = colon + 1;
	}
	if (n < 3 || out->len[0] == 0 || out->len[1] == 0 ||
	    out->len[2] == 0)
		return -1;
	out->nfields = n;
	return 0;
}

size_t
line_credentials(char *dst, const struct store_user *u)
{
	size_t o, hl = strlen(u->hash);

	o = line_escape(dst, u->username, u->username_len);
	dst[o++] = ':';
	memcpy(dst + o, u->hash, hl);
	return o + hl;
}

size_t
line_build(char *dst, size_t dstsz, const struct store_user *u)
{
	size_t need, hl, o;

	hl = strlen(u->hash);
	/* Exactly: only the bytes STORE.md escapes take 3 bytes. */
	need = line_escaped_len(u->username, u->username_len) + 1 + hl + 1 +
	    line_escaped_len(u->email, u->email_len) + 1;
	if (u->full_name != NULL)
		need += 1 + line_escaped_len(u->full_name, u->full_name_len);
	if (need > dstsz)
		return 0;
	o = line_credentials(dst, u);
	dst[o++] = ':';
	o += line_escape(dst + o, u->email, u->email_len);
	if (u->full_name != NULL) {
		dst[o++] = ':';
		o += line_escape(dst + o, u->full_name, u->full_name_len);
	}
	dst[o++] = '\n';
	return o;
}

uint64_t
line_name_hash(const char *s, size_t len)
{
	uint64_t h = UINT64_C(14695981039346656037);
	size_t i;

	/* FNV-1a, its high bits folded down for tables indexed by low bits. */
	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * UINT64_C(1099511628211);
	return h ^ (h >> 29);
}

int
line_decode(const struct line_fields *lf, char *buf, struct store_user *u)
{
	size_t n;
	int r, worst = 0;
	char *p = buf;

	memset(u, 0, sizeof(*u));
	if ((r = line_unescape(p, lf->f[0], lf->len[0], &n)) < 0)
		return -1;
	worst |= r;
	u->username = p;
	u->username_len = n;
	p += n;
	*p++ = '\0';
	memcpy(p, lf->f[1], lf->len[1]);
	u->hash = p;
	p += lf->len[1];
	*p++ = '\0';
	if ((r = line_unescape(p, lf->f[2], lf->len[2], &n)) < 0)
		return -1;
	worst |= r;
	u->email = p;
	u->email_len = n;
	p += n;
	*p++ = '\0';
	if (lf->nfields == 4) {
		if ((r = line_unescape(p, lf->f[3], lf->len[3], &n)) < 0)
			return -1;
		worst |= r;
		u->full_name = p;
		u->full_name_len = n;
		p[n] = '\0';
	}
	return worst;
}
