/*
 * store_file.c: the flat-file store of STORE.md: lookups by one pass
 * over the file, the write lock on "$USER_STORE.lock", and appends that
 * cut a torn tail, write the line in one write() and fsync.
 * Walks are in store_file_walk.c, rewrites and checks in
 * store_file_rewrite.c, the index in store_file_index.c.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store_file.h"
#include "store_impl.h"
#include "store_line.h"

/* Longest pause between two tries for the lock. */
#define LOCK_POLL_MAX_MS	10

static int
sf_open(const char *path, void **impl, struct diag *d)
{
	struct store_file *sf;
	char *copy;

	if ((sf = calloc(1, sizeof(*sf))) == NULL)
		return diag_set(d, UC_ERR_NOMEM, "store: out of memory");
	sf->lock_fd = -1;
	copy = strdup(path);
	sf->path = strdup(path);
	if (copy != NULL && sf->path != NULL) {
		sf->dir = strdup(dirname(copy));
		if (asprintf(&sf->lock_path, "%s.lock", path) == -1)
			sf->lock_path = NULL;
		if (asprintf(&sf->idx_path, "%s.idx", path) == -1)
			sf->idx_path = NULL;
	}
	free(copy);
	if (sf->path == NULL || sf->dir == NULL || sf->lock_path == NULL ||
	    sf->idx_path == NULL) {
		free(sf->path);
		free(sf->dir);
		free(sf->lock_path);
		free(sf->idx_path);
		free(sf);
		return diag_set(d, UC_ERR_NOMEM, "store: out of memory");
	}
	*impl = sf;
	return UC_OK;
}

static void
sf_unlock(void *impl)
{
	struct store_file *sf = impl;

	if (sf->lock_fd != -1) {
		/* Closing the last descriptor drops the flock. */
		close(sf->lock_fd);
		sf->lock_fd = -1;
	}
}

static void
sf_close(void *impl)
{
	struct store_file *sf = impl;

	sf_unlock(sf);
	free(sf->path);
	free(sf->dir);
	free(sf->lock_path);
	free(sf->idx_path);
	free(sf);
}

struct lookup_ctx {
	store_user_fn	 fn;
	void		*arg;
	int		 rc;
};

static int
lookup_hit(const char *line, size_t len, unsigned long lineno, void *arg)
{
	struct lookup_ctx *lc = arg;
	struct store_user u;
	char buf[STORE_LINE_MAX + 4];

	(void)lineno;
	if (lc->fn == NULL)
		lc->rc = UC_OK;
	else if (len > STORE_LINE_MAX ||
	    sf_decode_line(line, len, buf, &u) < 0)
		lc->rc = UC_ERR_CORRUPT;
	else
		lc->rc = lc->fn(&u, lc->arg);
	/* Stop at the first hit: a name is in the store at most once. */
	return SCAN_STOP;
}

/* The index first, then a scan of the lines it does not cover. */
static int
lookup_fd(struct store_file *sf, int fd, const char *needle, size_t nlen,
    struct lookup_ctx *lc, struct diag *d)
{
	char line[STORE_LINE_MAX + 1], *nl;
	struct stat st;
	off_t from, hit;
	ssize_t n;
	size_t torn;
	int found = 0, rc;

	if (fstat(fd, &st) == -1)
		return sf_error(d, UC_ERR_STORE, "cannot stat", sf->path,
		    errno);
	if (sfi_lookup(sf, fd, &st, needle + 1, nlen - 1, &from, &hit) == 1) {
		/* The hit was checked against the store's line: it is taken. */
		if (lc->fn == NULL)
			return lookup_hit(NULL, 0, 0, lc);
		if ((n = pread(fd, line, sizeof(line), hit)) > 0 &&
		    (nl = memchr(line, '\n', (size_t)n)) != NULL)
			return lookup_hit(line, (size_t)(nl - line), 0, lc);
		/* Not readable there: look for it in the whole file. */
		found = 1;
		from = 0;
	}
	if (lseek(fd, from, SEEK_SET) == -1)
		return sf_error(d, UC_ERR_STORE, "cannot seek", sf->path,
		    errno);
	rc = sf_scan(fd, needle, nlen, lookup_hit, lc, &torn, sf->path, d);
	/* Never "no such user" for a name the index saw on its line. */
	if (found && lc->rc == UC_ERR_NOT_FOUND)
		lc->rc = UC_ERR_CORRUPT;
	return rc;
}

static int
sf_lookup(void *impl, const char *username, size_t len, store_user_fn fn,
    void *arg, struct diag *d)
{
	struct store_file *sf = impl;
	struct lookup_ctx lc = { fn, arg, UC_ERR_NOT_FOUND };
	char *needle;
	size_t nlen;
	int fd, rc;

	if (len == 0)
		return UC_ERR_NOT_FOUND;
	if ((rc = sf_open_read(sf, &fd, d)) != UC_OK)
		return rc;
	if ((needle = malloc(3 * len + 2)) == NULL) {
		close(fd);
		return diag_set(d, UC_ERR_NOMEM, "lookup: out of memory");
	}
	/* The escaped name between a line start and the first ":". */
	needle[0] = '\n';
	nlen = 1 + line_escape(needle + 1, username, len);
	needle[nlen++] = ':';
	rc = lookup_fd(sf, fd, needle, nlen, &lc, d);
	free(needle);
	close(fd);
	if (rc == SCAN_STOP || rc == UC_OK)
		rc = lc.rc;
	if (rc == UC_ERR_CORRUPT)
		diag_set(d, rc, "%s: the record of this user cannot be read",
		    sf->path);
	return rc;
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
sf_lock(void *impl, int timeout_ms, struct diag *d)
{
	struct store_file *sf = impl;
	struct timespec ts;
	long deadline, left, pause = 1;
	int fd;

	if (sf->lock_fd != -1)
		return UC_OK;
	fd = open(sf->lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0640);
	if (fd == -1)
		return sf_error(d, UC_ERR_STORE, "cannot open lock file",
		    sf->lock_path, errno);
	/* flock has no timeout: poll with growing pauses up to the deadline. */
	deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	while (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			close(fd);
			return sf_error(d, UC_ERR_STORE, "cannot lock",
			    sf->lock_path, errno);
		}
		if ((left = deadline - now_ms()) <= 0) {
			close(fd);
			return diag_set(d, UC_ERR_BUSY, "%s: still locked by "
			    "another writer after %d ms", sf->lock_path,
			    timeout_ms);
		}
		if (pause > left)
			pause = left;
		ts.tv_sec = pause / 1000;
		ts.tv_nsec = (pause % 1000) * 1000000;
		nanosleep(&ts, NULL);
		if (pause < LOCK_POLL_MAX_MS)
			pause *= 2;
	}
	sf->lock_fd = fd;
	return UC_OK;
}

/* Open (creating with the header's room) the store for appending. */
static int
append_open(struct store_file *sf, int *fd, int *created, struct diag *d)
{
	*created = 0;
	*fd = open(sf->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOFOLLOW, 0640);
	if (*fd != -1) {
		*created = 1;
		/* 0640 whatever the umask: the web server's group reads it. */
		if (fchmod(*fd, 0640) == -1) {
			close(*fd);
			unlink(sf->path);
			return sf_error(d, UC_ERR_STORE, "cannot chmod",
			    sf->path, errno);
		}
		return UC_OK;
	}
	if (errno == EEXIST &&
	    (*fd = open(sf->path, O_RDWR | O_CLOEXEC | O_NOFOLLOW)) != -1)
		return UC_OK;
	return sf_error(d, UC_ERR_STORE, "cannot open", sf->path, errno);
}

static int
sf_append(void *impl, const struct store_user *u, struct diag *d)
{
	struct store_file *sf = impl;
	char line[sizeof(STORE_HEADER) + STORE_LINE_MAX];
	struct stat st;
	off_t end;
	size_t len, hl = 0;
	ssize_t n;
	int fd, created, rc, err;

	if (sf->lock_fd == -1)
		return diag_set(d, UC_ERR_STORE, "append without the lock");
	if ((rc = append_open(sf, &fd, &created, d)) != UC_OK)
		return rc;
	if (fstat(fd, &st) == -1) {
		rc = sf_error(d, UC_ERR_STORE, "cannot stat", sf->path, errno);
		goto out;
	}
	/* A last line without "\n" is a torn write: cut it off. */
	if ((rc = sf_complete_size(fd, st.st_size, &end, sf->path, d)) !=
	    UC_OK)
		goto out;
	if (end == 0) {
		hl = sizeof(STORE_HEADER) - 1;
		memcpy(line, STORE_HEADER, hl);
	}
	if ((len = line_build(line + hl, sizeof(line) - hl, u)) == 0) {
		rc = diag_set(d, UC_ERR_STORE, "record too long for %s",
		    sf->path);
		goto out;
	}
	if (end != st.st_size && ftruncate(fd, end) == -1) {
		rc = sf_error(d, UC_ERR_STORE, "cannot cut torn tail of",
		    sf->path, errno);
		goto out;
	}
	/* One write of the whole line, so readers see all of it or none. */
	do
		n = pwrite(fd, line, hl + len, end);
	while (n == -1 && errno == EINTR);
	err = n == -1 ? errno : ENOSPC;
	if (n != (ssize_t)(hl + len) || fsync(fd) == -1) {
		if (n == (ssize_t)(hl + len))
			err = errno;
		rc = sf_error(d, UC_ERR_STORE, "cannot write", sf->path, err);
		goto undo;
	}
	/*
	 * A new file's name is durable only once its folder is fsynced.  An
	 * empty store (end 0) may be one whose creator failed at that step,
	 * so whoever writes the first record fsyncs the folder.
	 */
	if ((created || end == 0) &&
	    (rc = sf_fsync_dir(sf->dir, d)) != UC_OK)
		goto undo;
	/* The record is durable; a failed index update only costs speed. */
	(void)sfi_update(sf, fd, end + (off_t)(hl + len), NULL);
	close(fd);
	return UC_OK;
undo:
	/*
	 * No record on an error path: take back whatever reached the file,
	 * and a file we created, so no later writer takes it for durable.
	 */
	if (created)
		(void)unlink(sf->path);
	else if (ftruncate(fd, end) == 0)
		(void)fsync(fd);
out:
	close(fd);
	return rc;
}

const struct store_ops store_file_ops = {
	.name = "file",
	.open = sf_open,
	.close = sf_close,
	.lookup = sf_lookup,
	.last = sf_last,
	.iterate = sf_iterate,
	.lock = sf_lock,
	.unlock = sf_unlock,
	.append = sf_append,
	.remove = sf_remove,
	.check = sf_check,
};
