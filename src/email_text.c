/*
 * email_text.c: the code point strings of the e-mail module (struct ustr)
 * and their conversion from WTF-8, so lone surrogates survive; the way
 * back is buf_add_utf8s() of buf.h.
 */
#include <stdlib.h>
#include <string.h>

#include "email_impl.h"

int
ustr_push(struct ustr *u, uint32_t c)
{
	return ustr_append(u, &c, 1);
}

int
ustr_append(struct ustr *u, const uint32_t *s, size_t n)
{
	if (u->n + n + 1 > u->cap) {
		size_t cap = (u->n + n + 1) * 2;
		uint32_t *p = realloc(u->s, cap * sizeof(*p));

		if (p == NULL)
			return UC_ERR_NOMEM;
		u->s = p;
		u->cap = cap;
	}
	if (n > 0)
		memcpy(u->s + u->n, s, n * sizeof(*s));
	u->n += n;
	u->s[u->n] = 0;
	return UC_OK;
}

int
ustr_set(struct ustr *u, const uint32_t *s, size_t n)
{
	u->n = 0;
	return ustr_append(u, s, n);
}

void
ustr_free(struct ustr *u)
{
	free(u->s);
	u->s = NULL;
	u->n = u->cap = 0;
}

/*
 * Decode UTF-8 in which lone surrogates may appear (WTF-8); they become
 * the code points D800..DFFF, as in a Python str.  Malformed bytes, which
 * the JSON layer should never pass, become U+FFFD.
 */
int
ustr_from_wtf8(struct ustr *u, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	int rc;

	u->n = 0;
	if ((rc = ustr_append(u, NULL, 0)) != UC_OK)
		return rc;
	while (i < len) {
		uint32_t c = s[i], min;
		size_t k, need;

		if (c < 0x80) {
			need = 0;
			min = 0;
		} else if (c >= 0xc2 && c < 0xe0) {
			need = 1;
			c &= 0x1f;
			min = 0x80;
		} else if (c >= 0xe0 && c < 0xf0) {
			need = 2;
			c &= 0x0f;
			min = 0x800;
		} else if (c >= 0xf0 && c < 0xf5) {
			need = 3;
			c &= 0x07;
			min = 0x10000;
		} else {
			need = 0;
			c = 0xfffd;
			min = 0;
		}
		for (k = 1; k <= need; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				break;
			c = (c << 6) | (s[i + k] & 0x3fu);
		}
		if (k <= need || c < min || c > 0x10ffff) {
			c = 0xfffd;
			k = 1;
		}
		i += k;
		if ((rc = ustr_push(u, c)) != UC_OK)
			return rc;
	}
	return UC_OK;
}

size_t
utf8_len(const uint32_t *s, size_t n)
{
	size_t i, len = 0;

	for (i = 0; i < n; i++)
		len += s[i] < 0x80 ? 1 : s[i] < 0x800 ? 2 : s[i] < 0x10000 ? 3 : 4;
	return len;
}
