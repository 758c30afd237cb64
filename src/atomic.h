/*
 * atomic.h: replacing a file as a whole: write a temporary file in the
 * same folder, fsync it, rename it over the old one, fsync the folder.
 * Readers see the old file or the new one, never a mix; a crash leaves
 * at most a stray temporary file.  The old file's mode and owner stay.
 */
#ifndef UC_ATOMIC_H
#define UC_ATOMIC_H

#include <sys/types.h>

#include <stddef.h>

#include "err.h"

struct atomic_file {
	char	*path;
	char	*tmp;
	char	*dir;
	char	*buf;
	size_t	 used;
	int	 fd;
};

/* Start replacing path; a new file gets mode (whatever the umask). */
int	atomic_begin(struct atomic_file *, const char *path, mode_t mode,
	    struct diag *d);
int	atomic_write(struct atomic_file *, const void *, size_t,
	    struct diag *d);
/*
 * Make it durable and put it in place; on error nothing changed, except
 * UC_ERR_UNSYNCED: the new file is in place, but the folder's fsync
 * failed, so a crash may bring the old one back.
 */
int	atomic_commit(struct atomic_file *, struct diag *d);
/* Give up: remove the temporary file (safe after a failed commit). */
void	atomic_abort(struct atomic_file *);

#endif
