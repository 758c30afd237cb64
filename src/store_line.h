/*
 * store_line.h: one line of the flat-file store (STORE.md): the %XX
 * escaping of the text fields, and splitting and building a record line.
 * Pure functions over caller buffers; no I/O, no allocation.
 */
#ifndef UC_STORE_LINE_H
#define UC_STORE_LINE_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/*
 * Longest line we build or accept.  The contract's limits keep a record
 * at most 6001 bytes: a username of 256 four-byte characters (1024), a
 * sha512crypt hash at its highest rounds (123), an e-mail of 254 bytes
 * whose local part is 250 escaped "%" (754), a full_name of 1024
 * four-byte characters (4096), three ":" and the "\n".
 */
#define STORE_LINE_MAX	(8 * 1024)

/* The header written as the first line of a new store. */
#define STORE_HEADER	"# user.cgi store 1\n"

/* A record split into its fields, still escaped; no NUL terminators. */
struct line_fields {
	const char	*f[4];
	size_t		 len[4];
	int		 nfields;	/* 3: full_name is null; 4: a string */
};

/* The length of src once escaped (at most 3 * len). */
size_t	line_escaped_len(const char *src, size_t len);

/* Escape src into dst (room for 3 * len bytes); returns the bytes written. */
size_t	line_escape(char *dst, const char *src, size_t len);

/*
 * Unescape src into dst (room for len bytes); *outlen gets the length.
 * Returns -1 for a broken escape, 1 when the text is valid but not as
 * line_escape writes it (lower-case hex, a byte escaped needlessly, a
 * byte that needed escaping left bare), 0 otherwise.
 */
int	line_unescape(char *dst, const char *src, size_t len, size_t *outlen);

/*
 * Split a record line (without its "\n") into fields.  Returns -1 when
 * it has not 3 or 4 fields, or a field that must not be empty is.
 */
int	line_split(const char *line, size_t len, struct line_fields *out);

/*
 * Build the line for u (with its "\n") into dst of size dstsz; returns
 * its length, or 0 when it does not fit.
 */
size_t	line_build(char *dst, size_t dstsz, const struct store_user *u);
/*
 * The "USERNAME:HASH" a record and an htpasswd line both start with, name
 * escaped; dst must hold it.  Returns its length.
 */
size_t	line_credentials(char *dst, const struct store_user *u);

/*
 * Decode split fields into u, with the text in buf (room for the line's
 * length + 4 bytes).  Returns as line_unescape does, over all fields.
 */
int	line_decode(const struct line_fields *, char *buf,
	    struct store_user *u);

/*
 * The hash of a name as the store writes it (escaped): the lookup
 * index's slots and tags, and userctl check's duplicate set.  The index
 * file depends on it: changing it needs a new IDX_MAGIC.
 */
uint64_t	line_name_hash(const char *s, size_t len);

#endif
