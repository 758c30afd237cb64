/*
 * htview.h: the htpasswd view of the store, a plain "user:hash" file for
 * web servers (lighttpd) whose reader takes everything after the first
 * ":" as the hash.  Kept under the store's write lock.
 *
 * The view is always the store's records, in order, cut to their first
 * two fields.  A crash can leave it one user behind the store (the view
 * line is written after the store's); the next writer sees that by
 * comparing the last users and rewrites it, as userctl htpasswd does.
 */
#ifndef UC_HTVIEW_H
#define UC_HTVIEW_H

#include <sys/types.h>

#include "err.h"
#include "store.h"

struct htview {
	const char	*path;
	off_t		 end;		/* where the next line goes */
};

/* With the lock held: make the view match the store before an append. */
int	htview_prepare(struct htview *, const char *path, struct store *,
	    struct diag *d);

/* With the lock held, after store_append(u): add u's line, fsync. */
int	htview_append(struct htview *, const struct store_user *u,
	    struct diag *d);

/* Write the whole view from the store: temporary file, fsync, rename. */
int	htview_write(const char *path, struct store *, struct diag *d);

/*
 * Compare the view with the store: UC_OK when it matches,
 * UC_ERR_CORRUPT (with the first difference in d) when not,
 * UC_ERR_NOT_FOUND when there is no view file.
 */
int	htview_compare(const char *path, struct store *, struct diag *d);

#endif
