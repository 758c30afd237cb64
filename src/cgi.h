/*
 * cgi.h: the request as RFC 3875 hands it over: the environment, and a
 * body read from stdin with a cap and a deadline, never past its end.
 */
#ifndef UC_CGI_H
#define UC_CGI_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

struct request {
	const char	*method;	/* REQUEST_METHOD */
	const char	*script_name;	/* SCRIPT_NAME, "" when unset */
	const char	*path_info;	/* PATH_INFO, NULL when unset or empty */
	const char	*query;		/* QUERY_STRING, "" when unset */
	const char	*host;		/* HTTP_HOST, else SERVER_NAME[:PORT] */
	const char	*server_name;
	const char	*server_port;
	int		 https;		/* HTTPS is "on" or "1" */
	const char	*content_type;	/* CONTENT_TYPE, NULL when unset */
	const char	*content_length;	/* CONTENT_LENGTH, NULL when unset */
	int		 chunked;	/* no length, HTTP_TRANSFER_ENCODING chunked */
};

struct body_limits {
	size_t	max_bytes;	/* over this: UC_ERR_TOO_LARGE, unread */
	int	timeout_ms;	/* the whole body must arrive within this */
};

/* Fill r from the environment; the strings are the environment's. */
void	cgi_read_env(struct request *r);

/*
 * Read the body from fd into out: exactly CONTENT_LENGTH bytes; none when
 * it is unset or empty, unless the body came chunked (Apache passes no
 * length and closes stdin at its end), then up to EOF.  UC_ERR_TOO_LARGE
 * (before reading, when the length is announced), UC_ERR_BAD_REQUEST (a
 * length that is not a number), UC_ERR_SHORT_BODY, UC_ERR_TIMEOUT,
 * UC_ERR_IO, UC_ERR_NOMEM.
 */
int	cgi_read_body(int fd, const struct request *r,
	    const struct body_limits *lim, struct buf *out, struct diag *d);

#endif
