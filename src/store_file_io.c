/*
 * store_file_io.c: the flat-file backend's low-level reading: the
 * one-pass block scanner, finding a torn tail, folder fsync, and error
 * messages that say what to do.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_file.h"
#include "store_line.h"

/* Big enough that a scan is a few hundred reads for a million users. */
#define SCAN_BLOCK	(1024 * 1024)

/* What an operator can do about an errno, for the server log. */
static const struct {
	int		 errnum;
	const char	*advice;
} advice[] = {
	{ ENOENT, "create the store's folder and let the web server's "
	    "user write to it" },
	{ ENOTDIR, "USER_STORE must name a file in an existing folder" },
	{ EACCES, "let the web server's user write to the store's folder" },
	{ EPERM, "let the web server's user write to the store's folder" },
	{ EROFS, "the file system is read-only: put USER_STORE on a "
	    "writable one" },
	{ ENOSPC, "the disk is full: free space on the store's file "
	    "system" },
	{ EDQUOT, "the disk quota is used up: raise it or free space" },
	{ EIO, "the disk failed: check the system log" },
};

int
sf_error(struct diag *d, int code, const char *what, const char *path,
    int errnum)
{
	size_t i;

	for (i = 0; i < sizeof(advice) / sizeof(advice[0]); i++)
		if (advice[i].errnum == errnum)
			return diag_set(d, code, "%s %s: %s; %s", what, path,
			    strerror(errnum), advice[i].advice);
	return diag_set(d, code, "%s %s: %s", what, path, strerror(errnum));
}

static ssize_t
read_retry(int fd, char *buf, size_t len)
{
	ssize_t n;

	do
		n = read(fd, buf, len);
	while (n == -1 && errno == EINTR);
	return n;
}

/* Pass the complete lines of buf[0..last], buf[0] being a "\n". */
static int
scan_lines(const char *buf, size_t last, sf_line_fn fn, void *arg,
    unsigned long *lineno)
{
	const char *p = buf + 1, *end = buf + last, *nl;
	int rc;

	while (p <= end) {
		nl = memchr(p, '\n', (size_t)(end - p) + 1);
		if ((rc = fn(p, (size_t)(nl - p), ++*lineno, arg)) != 0)
			return rc;
		p = nl + 1;
	}
	return 0;
}

/* Pass the lines of buf[0..last] that start with needle + 1. */
static int
scan_needle(const char *buf, size_t last, const char *needle, size_t nlen,
    sf_line_fn fn, void *arg)
{
	const char *p = buf, *end = buf + last + 1, *hit, *nl;
	int rc;

	while ((hit = memmem(p, (size_t)(end - p), needle, nlen)) != NULL) {
		nl = memchr(hit + 1, '\n', (size_t)(end - hit - 1));
		if ((rc = fn(hit + 1, (size_t)(nl - hit - 1), 0, arg)) != 0)
			return rc;
		p = nl;
	}
	return 0;
}

int
sf_scan(int fd, const char *needle, size_t nlen, sf_line_fn fn, void *arg,
    size_t *torn, const char *path, struct diag *d)
{
	char *buf, *nl;
	size_t have = 1, last, skipped = 0;
	unsigned long lineno = 0;
	ssize_t n;
	int rc = UC_OK, skipping = 0;

	*torn = 0;
	if ((buf = malloc(SCAN_BLOCK + 1)) == NULL)
		return diag_set(d, UC_ERR_NOMEM, "store scan: %s",
		    strerror(errno));
	/* A "\n" before the first line makes every line start after one. */
	buf[0] = '\n';
	for (;;) {
		n = read_retry(fd, buf + have, SCAN_BLOCK + 1 - have);
		if (n == -1) {
			rc = sf_error(d, UC_ERR_STORE, "cannot read", path,
			    errno);
			break;
		}
		if (n == 0)
			break;
		if (skipping) {
			/* Drop the rest of an overlong line. */
			nl = memchr(buf + have, '\n', (size_t)n);
			if (nl == NULL) {
				skipped += (size_t)n;
				continue;
			}
			skipping = 0;
			skipped += (size_t)(nl - (buf + have));
			memmove(buf, nl, (size_t)(buf + have + n - nl));
			have = (size_t)(buf + have + n - nl);
			/* Its real length: callers count offsets with it. */
			if (needle == NULL && (rc = fn(NULL, skipped, ++lineno,
			    arg)) != 0)
				break;
		} else
			have += (size_t)n;
		last = (size_t)((char *)memrchr(buf, '\n', have) - buf);
		if (needle != NULL)
			rc = scan_needle(buf, last, needle, nlen, fn, arg);
		else
			rc = scan_lines(buf, last, fn, arg, &lineno);
		if (rc != 0)
			break;
		memmove(buf, buf + last, have - last);
		have -= last;
		if (have == SCAN_BLOCK + 1) {
			skipping = 1;
			skipped = SCAN_BLOCK;
			have = 1;
		}
	}
	if (rc == UC_OK)
		*torn = skipping ? skipped : have - 1;
	free(buf);
	return rc;
}

int
sf_open_read(const struct store_file *sf, int *fd, struct diag *d)
{
	if ((*fd = open(sf->path, O_RDONLY | O_CLOEXEC)) != -1)
		return UC_OK;
	if (errno == ENOENT)
		return UC_ERR_NOT_FOUND;
	return sf_error(d, UC_ERR_STORE, "cannot open", sf->path, errno);
}

int
sf_complete_size(int fd, off_t size, off_t *out, const char *path,
    struct diag *d)
{
	char buf[8192];
	off_t end = size, start;
	ssize_t n;
	char *nl;

	while (end > 0) {
		start = end > (off_t)sizeof(buf) ? end - (off_t)sizeof(buf) : 0;
		n = pread(fd, buf, (size_t)(end - start), start);
		if (n == -1 && errno == EINTR)
			continue;
		if (n != end - start)
			return sf_error(d, UC_ERR_STORE, "cannot read", path,
			    n == -1 ? errno : EIO);
		if ((nl = memrchr(buf, '\n', (size_t)n)) != NULL) {
			*out = start + (nl - buf) + 1;
			return UC_OK;
		}
		end = start;
	}
	*out = 0;
	return UC_OK;
}

int
sf_fsync_dir(const char *dir, struct diag *d)
{
	int fd, rc = UC_OK;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return sf_error(d, UC_ERR_STORE, "cannot open folder", dir,
		    errno);
	if (fsync(fd) == -1 && errno != EINVAL)
		rc = sf_error(d, UC_ERR_STORE, "cannot fsync folder", dir,
		    errno);
	close(fd);
	return rc;
}

int
sf_decode_line(const char *line, size_t len, char *buf,
    struct store_user *u)
{
	struct line_fields lf;

	if (len == 0 || line[0] == '#' || line_split(line, len, &lf) == -1)
		return -1;
	return line_decode(&lf, buf, u);
}
