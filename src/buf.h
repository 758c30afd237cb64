/*
 * buf.h: a growable byte buffer, the one way the program builds output.
 */
#ifndef UC_BUF_H
#define UC_BUF_H

#include <stddef.h>
#include <stdint.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

int	buf_add(struct buf *b, const void *p, size_t n);
int	buf_addc(struct buf *b, char c);
int	buf_adds(struct buf *b, const char *s);
/* Code points as UTF-8; surrogates D800..DFFF get their 3-byte form. */
int	buf_add_utf8(struct buf *b, uint32_t c);
/* The same for n code points; data is "" rather than NULL when n is 0. */
int	buf_add_utf8s(struct buf *b, const uint32_t *s, size_t n);
int	buf_printf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Wipe and free; the buffer is empty and reusable afterwards. */
void	buf_free(struct buf *b);

#endif
