/*
 * response.h: the CGI response: Status line, headers in CRLF, body, all in
 * one write at the end.  Only this module writes to stdout.
 */
#ifndef UC_RESPONSE_H
#define UC_RESPONSE_H

#include "buf.h"

struct response {
	int		 status;
	const char	*content_type;	/* NULL: none (a redirect) */
	const char	*allow;		/* Allow: */
	const char	*retry_after;	/* Retry-After: */
	struct buf	 location;	/* Location:, when len > 0 */
	struct buf	 body;
};

/* Set a JSON {"detail": "<text>"} answer; text is plain ASCII. */
int	response_detail(struct response *r, int status, const char *text);
/* The plain-text 500 of Starlette's ServerErrorMiddleware. */
void	response_internal_error(struct response *r);
/* Write r to fd; with head_only the body is left out. */
int	response_write(int fd, const struct response *r, int head_only);
void	response_free(struct response *r);

#endif
