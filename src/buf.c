/*
 * buf.c: the growable byte buffer.  Freed memory is wiped first, since
 * buffers may have held a request body with a password in it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"

static int
buf_reserve(struct buf *b, size_t n)
{
	size_t	 cap;
	char	*p;

	if (n <= b->cap - b->len && b->data != NULL)
		return UC_OK;
	if (n > ((size_t)-1) / 2 - b->len)
		return UC_ERR_NOMEM;
	cap = b->cap ? b->cap : 256;
	while (cap - b->len <= n)
		cap *= 2;
	if ((p = malloc(cap)) == NULL)
		return UC_ERR_NOMEM;
	if (b->data != NULL) {
		memcpy(p, b->data, b->len);
		explicit_bzero(b->data, b->cap);
		free(b->data);
	}
	b->data = p;
	b->cap = cap;
	return UC_OK;
}

int
buf_add(struct buf *b, const void *p, size_t n)
{
	int	 rc;

	if ((rc = buf_reserve(b, n + 1)) != UC_OK)
		return rc;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return UC_OK;
}

int
buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

int
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n, rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return UC_ERR_IO;
	if ((rc = buf_reserve(b, (size_t)n + 1)) != UC_OK)
		return rc;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return UC_OK;
}

void
buf_free(struct buf *b)
{
	if (b->data != NULL) {
		explicit_bzero(b->data, b->cap);
		free(b->data);
	}
	b->data = NULL;
	b->len = b->cap = 0;
}
