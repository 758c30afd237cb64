/*
 * err.h: the program's one error enum and a small diagnostic buffer.
 *
 * Every function returns an enum uc_err; a caller that cannot handle an
 * error adds context with diag_wrap() and passes the code up.  Only main()
 * decides what the code means for the HTTP answer or the exit status.
 */
#ifndef UC_ERR_H
#define UC_ERR_H

#include <stddef.h>

enum uc_err {
	UC_OK = 0,
	UC_ERR_NOMEM,		/* out of memory */
	UC_ERR_IO,		/* a read or write failed */
	UC_ERR_TIMEOUT,		/* the body did not arrive in time */
	UC_ERR_SHORT_BODY,	/* fewer bytes than CONTENT_LENGTH announced */
	UC_ERR_TOO_LARGE,	/* the body is over the cap */
	UC_ERR_BAD_REQUEST,	/* malformed CGI input (CONTENT_LENGTH, ...) */
	UC_ERR_DECODE,		/* the body bytes cannot be decoded as text */
	UC_ERR_JSON,		/* JSON syntax error */
	UC_ERR_INVALID,		/* validation failed: an error list was filled */
	UC_ERR_UNENCODABLE,	/* NaN, Infinity or a lone surrogate would be echoed */
	UC_ERR_DUPLICATE,	/* the username is taken */
	UC_ERR_BUSY,		/* the store lock was not had in time */
	UC_ERR_CONFIG,		/* a setting is wrong (hash method, store path) */
	UC_ERR_STORE,		/* the store cannot be read or written */
	UC_ERR_HASH,		/* crypt() failed */
	UC_ERR_NOT_FOUND,	/* no such user */
	UC_ERR_CORRUPT,		/* the store's format is broken */
	UC_ERR_USAGE,		/* bad command line (userctl) */
	UC_ERR_UNHASHABLE,	/* a password crypt() cannot take (a NUL in it) */
	UC_ERR_UNSYNCED,	/* a file was replaced, but its folder's fsync failed */
	UC_ERR__COUNT
};

/* A short, fixed description of a code ("out of memory"). */
const char *uc_strerror(int code);

/* Human-readable context for the last error, built from the inside out. */
struct diag {
	char msg[512];
};

/* Set the message (printf-style) and return code, for "return diag_set(...)". */
int diag_set(struct diag *d, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefix the message with "context: " and return code. */
int diag_wrap(struct diag *d, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
