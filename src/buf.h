/*
 * buf.h: a growable byte buffer, the one way the program builds output.
 */
#ifndef UC_BUF_H
#define UC_BUF_H

#include <stddef.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

int	buf_add(struct buf *b, const void *p, size_t n);
int	buf_addc(struct buf *b, char c);
int	buf_adds(struct buf *b, const char *s);
int	buf_printf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Wipe and free; the buffer is empty and reusable afterwards. */
void	buf_free(struct buf *b);

#endif
