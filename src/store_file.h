/*
 * store_file.h: the flat-file backend's shared parts (store_file.c,
 * store_file_io.c, store_file_rewrite.c).  Nothing outside the backend
 * includes this.
 */
#ifndef UC_STORE_FILE_H
#define UC_STORE_FILE_H

#include <sys/types.h>

#include <stddef.h>

#include "err.h"
#include "store.h"

struct store_file {
	char	*path;		/* the store */
	char	*lock_path;	/* path + ".lock" */
	char	*idx_path;	/* path + ".idx", the lookup index */
	char	*dir;		/* its folder, fsynced after create/rename */
	int	 lock_fd;	/* -1 unless we hold the write lock */
};

/*
 * Called per complete line (without "\n"), numbered from 1.  line is
 * NULL for a line longer than the scan buffer, and len is still its
 * length (offsets are counted with it).  Non-zero stops the scan.
 */
#define SCAN_STOP	(-1)	/* a callback's "found it, stop" */
typedef int	(*sf_line_fn)(const char *line, size_t len,
		    unsigned long lineno, void *arg);

/*
 * One pass over fd from its current offset, in big blocks, with no
 * per-line allocation.  With needle (which must start with "\n"), only
 * lines starting with needle + 1 are passed, and lineno is 0.  *torn gets
 * the length of a last line without "\n" (not passed).  Returns the
 * callback's non-zero value, or UC_OK, or UC_ERR_STORE.
 */
int	sf_scan(int fd, const char *needle, size_t nlen, sf_line_fn fn,
	    void *arg, size_t *torn, const char *path, struct diag *d);

/* Open the store for reading; UC_ERR_NOT_FOUND when it does not exist. */
int	sf_open_read(const struct store_file *, int *fd, struct diag *d);

/*
 * The end of the last complete line of fd (of size size): where the next
 * record goes after cutting a torn tail.
 */
int	sf_complete_size(int fd, off_t size, off_t *out, const char *path,
	    struct diag *d);

int	sf_fsync_dir(const char *dir, struct diag *d);

/* d gets "what path: strerror", plus what to do about it. */
int	sf_error(struct diag *d, int code, const char *what,
	    const char *path, int errnum);

/* Split and decode one line into u; buf as line_decode wants it. */
int	sf_decode_line(const char *line, size_t len, char *buf,
	    struct store_user *u);

/*
 * The index (store_file_index.c).  sfi_lookup: 1 and *hit when the name
 * (needle without its leading "\n") is at *hit; 0 when it is not among
 * the indexed lines, which end at *scan_from; -1 when there is no usable
 * index (missing, stale, or a table with no free slot; *scan_from is 0).  sfi_update, with the lock held: index the
 * store fd up to size (its complete part), rebuilding if needed.
 */
struct stat;
int	sfi_lookup(const struct store_file *, int fd, const struct stat *,
	    const char *needle, size_t nlen, off_t *scan_from, off_t *hit);
int	sfi_update(const struct store_file *, int fd, off_t size,
	    struct diag *d);

int	sf_iterate(void *impl, store_user_fn, void *, struct diag *);
int	sf_last(void *impl, store_user_fn, void *, struct diag *);
int	sf_remove(void *impl, const char *, size_t, struct diag *);
int	sf_check(void *impl, store_problem_fn, void *, unsigned long *,
	    struct diag *);

#endif
