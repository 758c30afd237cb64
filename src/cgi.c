/*
 * cgi.c: reading the CGI request.  Under python's http.server stdin is the
 * client's socket and never reaches EOF, so the reader stops at the
 * announced length; a body that never comes ends at a deadline instead of
 * hanging the process.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cgi.h"
#include "err.h"

static const char *
env_or(const char *name, const char *fallback)
{
	const char	*v = getenv(name);

	return v != NULL ? v : fallback;
}

void
cgi_read_env(struct request *r)
{
	const char	*te, *https, *cl;

	memset(r, 0, sizeof(*r));
	r->method = env_or("REQUEST_METHOD", "GET");
	r->script_name = env_or("SCRIPT_NAME", "");
	r->path_info = getenv("PATH_INFO");
	if (r->path_info != NULL && r->path_info[0] == '\0')
		r->path_info = NULL;
	r->query = env_or("QUERY_STRING", "");
	r->server_name = env_or("SERVER_NAME", "localhost");
	r->server_port = getenv("SERVER_PORT");
	r->host = getenv("HTTP_HOST");
	https = env_or("HTTPS", "");
	r->https = strcasecmp(https, "on") == 0 || strcmp(https, "1") == 0;
	r->content_type = getenv("CONTENT_TYPE");
	cl = getenv("CONTENT_LENGTH");
	r->content_length = (cl != NULL && cl[0] != '\0') ? cl : NULL;
	te = getenv("HTTP_TRANSFER_ENCODING");
	r->chunked = r->content_length == NULL && te != NULL && strcasestr(te, "chunked") != NULL;
}

static long
ms_since(const struct timespec *t0)
{
	struct timespec	 now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - t0->tv_sec) * 1000 +
	    (long)(now.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Read up to want bytes (or to EOF when to_eof) before the deadline. */
static int
read_chunks(int fd, size_t want, int to_eof, const struct body_limits *lim,
    char *chunk, size_t chunk_size, struct buf *out, struct diag *d)
{
	struct timespec	 t0;
	struct pollfd	 pfd = { .fd = fd, .events = POLLIN };
	size_t		 got = 0, ask;
	ssize_t		 n;
	long		 left;
	int		 rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (got < want) {
		left = lim->timeout_ms - ms_since(&t0);
		if (left <= 0)
			return diag_set(d, UC_ERR_TIMEOUT,
			    "request body: %zu of %zu bytes after %d ms", got, want, lim->timeout_ms);
		rc = poll(&pfd, 1, (int)left);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return diag_set(d, UC_ERR_IO, "poll stdin: %s", strerror(errno));
		if (rc == 0)
			continue;
		ask = want - got < chunk_size ? want - got : chunk_size;
		/* One byte past the cap tells a chunked body that is too large. */
		n = read(fd, chunk, ask);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return diag_set(d, UC_ERR_IO, "read stdin: %s", strerror(errno));
		if (n == 0) {
			if (to_eof)
				break;
			return diag_set(d, UC_ERR_SHORT_BODY,
			    "request body: %zu of %zu bytes, then end of input", got, want);
		}
		if ((rc = buf_add(out, chunk, (size_t)n)) != UC_OK)
			return rc;
		got += (size_t)n;
	}
	return UC_OK;
}

/* The body holds the password: the stack copy is wiped on every return. */
static int
read_bounded(int fd, size_t want, int to_eof, const struct body_limits *lim,
    struct buf *out, struct diag *d)
{
	char	 chunk[16384];
	int	 rc;

	rc = read_chunks(fd, want, to_eof, lim, chunk, sizeof(chunk), out, d);
	explicit_bzero(chunk, sizeof(chunk));
	return rc;
}

int
cgi_read_body(int fd, const struct request *r, const struct body_limits *lim,
    struct buf *out, struct diag *d)
{
	const char		*p;
	unsigned long long	 len = 0;
	int			 rc;

	if (r->content_length == NULL) {
		if (!r->chunked)
			return UC_OK;
		if ((rc = read_bounded(fd, lim->max_bytes + 1, 1, lim, out, d)) != UC_OK)
			return rc;
		if (out->len > lim->max_bytes)
			return diag_set(d, UC_ERR_TOO_LARGE,
			    "chunked request body over %zu bytes", lim->max_bytes);
		return UC_OK;
	}
	for (p = r->content_length; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || len > ULLONG_MAX / 10 - 1)
			return diag_set(d, UC_ERR_BAD_REQUEST,
			    "CONTENT_LENGTH is not a length: \"%.40s\"", r->content_length);
		len = len * 10 + (unsigned long long)(*p - '0');
	}
	if (len > lim->max_bytes)
		return diag_set(d, UC_ERR_TOO_LARGE,
		    "CONTENT_LENGTH %llu is over %zu bytes", len, lim->max_bytes);
	return read_bounded(fd, (size_t)len, 0, lim, out, d);
}
