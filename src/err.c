/*
 * err.c: descriptions of the error codes and the diag helpers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

static const char *const err_text[UC_ERR__COUNT] = {
	[UC_OK] = "success",
	[UC_ERR_NOMEM] = "out of memory",
	[UC_ERR_IO] = "input/output error",
	[UC_ERR_TIMEOUT] = "timed out",
	[UC_ERR_SHORT_BODY] = "request body shorter than CONTENT_LENGTH",
	[UC_ERR_TOO_LARGE] = "request body too large",
	[UC_ERR_BAD_REQUEST] = "malformed request",
	[UC_ERR_DECODE] = "request body cannot be decoded",
	[UC_ERR_JSON] = "JSON syntax error",
	[UC_ERR_INVALID] = "validation failed",
	[UC_ERR_UNENCODABLE] = "value cannot be written as JSON",
	[UC_ERR_DUPLICATE] = "username already registered",
	[UC_ERR_BUSY] = "store busy",
	[UC_ERR_CONFIG] = "configuration error",
	[UC_ERR_STORE] = "store error",
	[UC_ERR_HASH] = "password hashing failed",
	[UC_ERR_NOT_FOUND] = "not found",
	[UC_ERR_CORRUPT] = "store is corrupt",
	[UC_ERR_USAGE] = "usage error",
	[UC_ERR_UNHASHABLE] = "password cannot be hashed",
	[UC_ERR_UNSYNCED] = "done, but not known to be durable",
};

const char *
uc_strerror(int code)
{
	if (code < 0 || code >= UC_ERR__COUNT || err_text[code] == NULL)
		return "unknown error";
	return err_text[code];
}

int
diag_set(struct diag *d, int code, const char *fmt, ...)
{
	va_list ap;

	if (d == NULL)
		return code;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return code;
}

int
diag_wrap(struct diag *d, int code, const char *fmt, ...)
{
	char	 old[sizeof(d->msg)];
	size_t	 n;
	va_list	 ap;

	if (d == NULL)
		return code;
	memcpy(old, d->msg, sizeof(old));
	if (old[0] == '\0')
		snprintf(old, sizeof(old), "%s", uc_strerror(code));
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	n = strlen(d->msg);
	if (n + 2 < sizeof(d->msg)) {
		memcpy(d->msg + n, ": ", 2);
		n += 2;
		/* Cut what does not fit: the innermost detail goes last. */
		memcpy(d->msg + n, old, sizeof(d->msg) - n - 1);
		d->msg[sizeof(d->msg) - 1] = '\0';
	}
	return code;
}
