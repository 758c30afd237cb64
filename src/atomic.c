/*
 * atomic.c: whole-file replacement by temporary file and rename, for
 * store rewrites and the htpasswd view.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"
#include "store_file.h"

#define ATOMIC_BUF	(256 * 1024)

static void
atomic_free(struct atomic_file *af)
{
	free(af->path);
	free(af->tmp);
	free(af->dir);
	free(af->buf);
	memset(af, 0, sizeof(*af));
	af->fd = -1;
}

int
atomic_begin(struct atomic_file *af, const char *path, mode_t mode,
    struct diag *d)
{
	struct stat st;
	char *copy;
	int rc;

	memset(af, 0, sizeof(*af));
	af->fd = -1;
	af->path = strdup(path);
	af->buf = malloc(ATOMIC_BUF);
	if ((copy = strdup(path)) != NULL)
		af->dir = strdup(dirname(copy));
	free(copy);
	if (asprintf(&af->tmp, "%s.tmpXXXXXX", path) == -1)
		af->tmp = NULL;
	if (af->path == NULL || af->buf == NULL || af->dir == NULL ||
	    af->tmp == NULL) {
		atomic_free(af);
		return diag_set(d, UC_ERR_NOMEM, "%s: out of memory", path);
	}
	if ((af->fd = mkostemp(af->tmp, O_CLOEXEC)) == -1) {
		rc = sf_error(d, UC_ERR_STORE, "cannot create a temporary "
		    "file beside", path, errno);
		atomic_free(af);
		return rc;
	}
	/* Keep the old file's mode and owner; a new one gets mode. */
	if (stat(path, &st) == 0) {
		if (fchown(af->fd, st.st_uid, st.st_gid) == -1 ||
		    fchmod(af->fd, st.st_mode & 07777) == -1) {
			rc = sf_error(d, UC_ERR_STORE, "cannot keep owner and "
			    "mode of", path, errno);
			atomic_abort(af);
			return rc;
		}
	} else if (fchmod(af->fd, mode) == -1) {
		rc = sf_error(d, UC_ERR_STORE, "cannot chmod", af->tmp, errno);
		atomic_abort(af);
		return rc;
	}
	return UC_OK;
}

static int
atomic_flush(struct atomic_file *af, struct diag *d)
{
	size_t off = 0;
	ssize_t n;

	while (off < af->used) {
		n = write(af->fd, af->buf + off, af->used - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return sf_error(d, UC_ERR_STORE, "cannot write",
			    af->tmp, errno);
		off += (size_t)n;
	}
	af->used = 0;
	return UC_OK;
}

int
atomic_write(struct atomic_file *af, const void *p, size_t len,
    struct diag *d)
{
	const char *s = p;
	size_t take;
	int rc;

	while (len > 0) {
		if (af->used == ATOMIC_BUF &&
		    (rc = atomic_flush(af, d)) != UC_OK)
			return rc;
		take = ATOMIC_BUF - af->used;
		if (take > len)
			take = len;
		memcpy(af->buf + af->used, s, take);
		af->used += take;
		s += take;
		len -= take;
	}
	return UC_OK;
}

int
atomic_commit(struct atomic_file *af, struct diag *d)
{
	int rc;

	if ((rc = atomic_flush(af, d)) != UC_OK)
		return rc;
	if (fsync(af->fd) == -1)
		return sf_error(d, UC_ERR_STORE, "cannot fsync", af->tmp,
		    errno);
	if (rename(af->tmp, af->path) == -1)
		return sf_error(d, UC_ERR_STORE, "cannot rename over",
		    af->path, errno);
	/* Renamed: the temporary name is gone, nothing left to abort. */
	free(af->tmp);
	af->tmp = NULL;
	if ((rc = sf_fsync_dir(af->dir, d)) != UC_OK)
		rc = diag_wrap(d, UC_ERR_UNSYNCED, "%s is replaced, but a crash "
		    "may still undo it", af->path);
	close(af->fd);
	atomic_free(af);
	return rc;
}

void
atomic_abort(struct atomic_file *af)
{
	if (af->fd != -1)
		close(af->fd);
	if (af->tmp != NULL)
		unlink(af->tmp);
	atomic_free(af);
}
