/*
 * htview.c: the htpasswd view ("user:hash" lines) kept beside the store
 * for lighttpd.  Appended under the store's lock after each record, and
 * rewritten whole from the store when it is found behind.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"
#include "htview.h"
#include "store_file.h"
#include "store_line.h"

/* The view's line for u: the escaped name, ":", the hash, "\n". */
static size_t
view_line(char *dst, size_t dstsz, const struct store_user *u)
{
	size_t o, hl = strlen(u->hash);

	if (line_escaped_len(u->username, u->username_len) + hl + 2 > dstsz)
		return 0;
	o = line_credentials(dst, u);
	dst[o++] = '\n';
	return o;
}

static int
keep_line(const struct store_user *u, void *arg)
{
	char *dst = arg;
	size_t n;

	n = view_line(dst, STORE_LINE_MAX, u);
	dst[n] = '\0';
	return UC_OK;
}

/* The view's last complete line (without "\n") into buf; "" if none. */
static int
view_last(int fd, char *buf, size_t bufsz, off_t *end, const char *path,
    struct diag *d)
{
	struct stat st;
	off_t start;
	ssize_t n;
	char *nl;
	int rc;

	buf[0] = '\0';
	if (fstat(fd, &st) == -1)
		return sf_error(d, UC_ERR_STORE, "cannot stat", path, errno);
	if ((rc = sf_complete_size(fd, st.st_size, end, path, d)) != UC_OK)
		return rc;
	if (*end == 0)
		return UC_OK;
	start = *end > (off_t)bufsz ? *end - (off_t)bufsz : 0;
	if ((n = pread(fd, buf, (size_t)(*end - start), start)) !=
	    *end - start)
		return sf_error(d, UC_ERR_STORE, "cannot read", path,
		    n == -1 ? errno : EIO);
	buf[n - 1] = '\0';
	if ((nl = memrchr(buf, '\n', (size_t)n - 1)) != NULL)
		memmove(buf, nl + 1, strlen(nl + 1) + 1);
	return UC_OK;
}

int
htview_prepare(struct htview *hv, const char *path, struct store *st,
    struct diag *d)
{
	char want[STORE_LINE_MAX + 1], have[STORE_LINE_MAX + 1];
	int fd, rc;

	hv->path = path;
	hv->end = 0;
	want[0] = '\0';
	rc = store_last(st, keep_line, want, d);
	if (rc != UC_OK && rc != UC_ERR_NOT_FOUND)
		return rc;
	if (want[0] != '\0')
		want[strlen(want) - 1] = '\0';
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) != -1) {
		rc = view_last(fd, have, sizeof(have), &hv->end, path, d);
		close(fd);
		if (rc != UC_OK)
			return rc;
		/* Names are unique: equal last lines mean the same list. */
		if (strcmp(want, have) == 0)
			return UC_OK;
	} else if (errno != ENOENT)
		return sf_error(d, UC_ERR_STORE, "cannot open", path, errno);
	/* Unsynced is in place; if a crash undoes it, a writer redoes it. */
	if ((rc = htview_write(path, st, d)) != UC_OK &&
	    rc != UC_ERR_UNSYNCED)
		return rc;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return sf_error(d, UC_ERR_STORE, "cannot open", path, errno);
	rc = view_last(fd, have, sizeof(have), &hv->end, path, d);
	close(fd);
	return rc;
}

int
htview_append(struct htview *hv, const struct store_user *u,
    struct diag *d)
{
	char line[STORE_LINE_MAX];
	size_t len;
	ssize_t n;
	int fd, rc = UC_OK;

	if ((len = view_line(line, sizeof(line), u)) == 0)
		return diag_set(d, UC_ERR_STORE, "view line too long");
	fd = open(hv->path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (fd == -1)
		return sf_error(d, UC_ERR_STORE, "cannot open", hv->path,
		    errno);
	/* Cut a torn tail, then one write of the line, as for the store. */
	if (ftruncate(fd, hv->end) == -1 ||
	    (n = pwrite(fd, line, len, hv->end)) != (ssize_t)len ||
	    fdatasync(fd) == -1) {
		rc = sf_error(d, UC_ERR_STORE, "cannot append to", hv->path,
		    errno);
		if (ftruncate(fd, hv->end) == -1) {
			/* The next writer's prepare step rewrites it. */
		}
	}
	close(fd);
	return rc;
}

static int
write_line(const struct store_user *u, void *arg)
{
	struct atomic_file *af = arg;
	char line[STORE_LINE_MAX];
	size_t len;

	if ((len = view_line(line, sizeof(line), u)) == 0)
		return UC_ERR_STORE;
	return atomic_write(af, line, len, NULL);
}

int
htview_write(const char *path, struct store *st, struct diag *d)
{
	struct atomic_file af;
	int rc;

	if ((rc = atomic_begin(&af, path, 0640, d)) != UC_OK)
		return rc;
	if ((rc = store_iterate(st, write_line, &af, d)) != UC_OK) {
		if (d != NULL && d->msg[0] == '\0')
			diag_set(d, rc, "cannot write %s", path);
		atomic_abort(&af);
		return rc;
	}
	if ((rc = atomic_commit(&af, d)) != UC_OK)
		atomic_abort(&af);
	return rc;
}

struct compare_ctx {
	const char	*view;
	size_t		 len;
	size_t		 off;
	unsigned long	 line;
	struct diag	*d;
};

static int
compare_line(const struct store_user *u, void *arg)
{
	struct compare_ctx *cc = arg;
	char line[STORE_LINE_MAX];
	size_t len;

	len = view_line(line, sizeof(line), u);
	cc->line++;
	if (cc->len - cc->off < len ||
	    memcmp(cc->view + cc->off, line, len) != 0)
		return diag_set(cc->d, UC_ERR_CORRUPT, "line %lu differs from "
		    "the store's user %.*s", cc->line,
		    (int)(len > 64 ? 64 : len), line);
	cc->off += len;
	return UC_OK;
}

int
htview_compare(const char *path, struct store *st, struct diag *d)
{
	struct compare_ctx cc;
	struct stat sb;
	char *buf;
	ssize_t n;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return errno == ENOENT ? UC_ERR_NOT_FOUND :
		    sf_error(d, UC_ERR_STORE, "cannot open", path, errno);
	if (fstat(fd, &sb) == -1 ||
	    (buf = malloc((size_t)sb.st_size + 1)) == NULL) {
		close(fd);
		return diag_set(d, UC_ERR_NOMEM, "%s: cannot read", path);
	}
	n = pread(fd, buf, (size_t)sb.st_size, 0);
	close(fd);
	if (n != sb.st_size) {
		free(buf);
		return diag_set(d, UC_ERR_STORE, "%s: short read", path);
	}
	memset(&cc, 0, sizeof(cc));
	cc.view = buf;
	cc.len = (size_t)n;
	cc.d = d;
	rc = store_iterate(st, compare_line, &cc, d);
	if (rc == UC_OK && cc.off != cc.len)
		rc = diag_set(d, UC_ERR_CORRUPT, "%zu bytes after the last "
		    "user of the store", cc.len - cc.off);
	free(buf);
	return rc;
}
