/*
 * response.c: building and writing the CGI response.  Header lines end in
 * CRLF; the status goes in a Status: header with its reason phrase, which
 * servers copy to the status line.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "response.h"

static const struct {
	int		 code;
	const char	*reason;
} reasons[] = {
	{ 200, "OK" },
	{ 307, "Temporary Redirect" },
	{ 400, "Bad Request" },
	{ 404, "Not Found" },
	{ 405, "Method Not Allowed" },
	{ 409, "Conflict" },
	{ 413, "Content Too Large" },
	{ 422, "Unprocessable Entity" },
	{ 500, "Internal Server Error" },
	{ 503, "Service Unavailable" },
};

static const char *
reason_phrase(int code)
{
	size_t	 i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].code == code)
			return reasons[i].reason;
	return "Unknown";
}

int
response_detail(struct response *r, int status, const char *text)
{
	r->status = status;
	r->content_type = "application/json";
	r->body.len = 0;
	return buf_printf(&r->body, "{\"detail\":\"%s\"}", text);
}

void
response_internal_error(struct response *r)
{
	r->status = 500;
	r->content_type = "text/plain; charset=utf-8";
	r->allow = r->retry_after = NULL;
	r->body.len = 0;
	if (buf_adds(&r->body, "Internal Server Error") != UC_OK)
		r->body.len = 0;
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t	 w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return UC_ERR_IO;
		p += w;
		n -= (size_t)w;
	}
	return UC_OK;
}

int
response_write(int fd, const struct response *r, int head_only)
{
	struct buf	 out = { 0 };
	int		 rc;

	rc = buf_printf(&out, "Status: %d %s\r\n", r->status, reason_phrase(r->status));
	if (rc == UC_OK && r->content_type != NULL)
		rc = buf_printf(&out, "Content-Type: %s\r\n", r->content_type);
	if (rc == UC_OK)
		rc = buf_printf(&out, "Content-Length: %zu\r\n", r->body.len);
	if (rc == UC_OK && r->allow != NULL)
		rc = buf_printf(&out, "Allow: %s\r\n", r->allow);
	if (rc == UC_OK && r->retry_after != NULL)
		rc = buf_printf(&out, "Retry-After: %s\r\n", r->retry_after);
	if (rc == UC_OK && r->location.len > 0)
		rc = buf_printf(&out, "Location: %s\r\n", r->location.data);
	if (rc == UC_OK)
		rc = buf_adds(&out, "\r\n");
	if (rc == UC_OK && !head_only && r->body.len > 0)
		rc = buf_add(&out, r->body.data, r->body.len);
	if (rc == UC_OK)
		rc = write_all(fd, out.data, out.len);
	buf_free(&out);
	return rc;
}

void
response_free(struct response *r)
{
	buf_free(&r->location);
	buf_free(&r->body);
}
