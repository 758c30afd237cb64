/*
 * store_file_walk.c: the flat-file store's walks over every record:
 * iterating in file order, and finding the last record (from the file's
 * tail, for the htpasswd view's check).
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_file.h"
#include "store_line.h"

struct iterate_ctx {
	store_user_fn	 fn;
	void		*arg;
	int		 keep_last;	/* remember instead of calling fn */
	char		 last[STORE_LINE_MAX];
	size_t		 last_len;
};

static int
iterate_line(const char *line, size_t len, unsigned long lineno, void *arg)
{
	struct iterate_ctx *ic = arg;
	struct store_user u;
	char buf[STORE_LINE_MAX + 4];

	(void)lineno;
	/* Comments, blank and broken lines are not users: check reports them. */
	if (line == NULL || len > STORE_LINE_MAX ||
	    sf_decode_line(line, len, buf, &u) < 0)
		return 0;
	if (ic->keep_last) {
		memcpy(ic->last, line, len);
		ic->last_len = len;
		return 0;
	}
	return ic->fn(&u, ic->arg);
}

int
sf_iterate(void *impl, store_user_fn fn, void *arg, struct diag *d)
{
	struct store_file *sf = impl;
	struct iterate_ctx *ic;
	size_t torn;
	int fd, rc;

	if ((rc = sf_open_read(sf, &fd, d)) != UC_OK)
		return rc == UC_ERR_NOT_FOUND ? UC_OK : rc;
	if ((ic = calloc(1, sizeof(*ic))) == NULL) {
		close(fd);
		return diag_set(d, UC_ERR_NOMEM, "iterate: out of memory");
	}
	ic->fn = fn;
	ic->arg = arg;
	rc = sf_scan(fd, NULL, 0, iterate_line, ic, &torn, sf->path, d);
	close(fd);
	free(ic);
	return rc;
}

/*
 * The last record from the file's last complete lines, read backwards
 * from its end; SCAN_STOP when there is none there.
 */
static int
last_from_tail(struct store_file *sf, int fd, store_user_fn fn, void *arg,
    struct diag *d)
{
	char tail[2 * STORE_LINE_MAX + 1], buf[STORE_LINE_MAX + 4];
	struct store_user u;
	struct stat st;
	off_t end, start;
	char *line, *nl;
	ssize_t n;
	int rc;

	if (fstat(fd, &st) == -1)
		return sf_error(d, UC_ERR_STORE, "cannot stat", sf->path,
		    errno);
	if ((rc = sf_complete_size(fd, st.st_size, &end, sf->path, d)) !=
	    UC_OK)
		return rc;
	if (end == 0)
		return UC_ERR_NOT_FOUND;
	start = end > (off_t)sizeof(tail) - 1 ? end - (off_t)sizeof(tail) + 1 :
	    0;
	if ((n = pread(fd, tail + 1, (size_t)(end - start), start)) !=
	    end - start)
		return sf_error(d, UC_ERR_STORE, "cannot read", sf->path,
		    n == -1 ? errno : EIO);
	/* A "\n" before the window: a whole line starts after each "\n". */
	tail[0] = '\n';
	nl = tail + n;		/* the last line's "\n" */
	while (nl > tail) {
		line = memrchr(tail, '\n', (size_t)(nl - tail));
		if (line == NULL)
			break;
		line++;
		/* The window's first line may be cut, unless at the file start. */
		if (line == tail + 1 && start > 0)
			break;
		if ((size_t)(nl - line) <= STORE_LINE_MAX &&
		    sf_decode_line(line, (size_t)(nl - line), buf, &u) >= 0)
			return fn(&u, arg);
		nl = line - 1;
	}
	return start == 0 ? UC_ERR_NOT_FOUND : SCAN_STOP;
}

int
sf_last(void *impl, store_user_fn fn, void *arg, struct diag *d)
{
	struct store_file *sf = impl;
	struct iterate_ctx *ic;
	struct store_user u;
	char buf[STORE_LINE_MAX + 4];
	size_t torn;
	int fd, rc;

	if ((rc = sf_open_read(sf, &fd, d)) != UC_OK)
		return rc;
	if ((rc = last_from_tail(sf, fd, fn, arg, d)) != SCAN_STOP) {
		close(fd);
		return rc;
	}
	/* No record in the last lines: a full pass. */
	if ((ic = calloc(1, sizeof(*ic))) == NULL) {
		close(fd);
		return diag_set(d, UC_ERR_NOMEM, "last: out of memory");
	}
	ic->keep_last = 1;
	rc = sf_scan(fd, NULL, 0, iterate_line, ic, &torn, sf->path, d);
	close(fd);
	if (rc == UC_OK && ic->last_len == 0)
		rc = UC_ERR_NOT_FOUND;
	else if (rc == UC_OK && sf_decode_line(ic->last, ic->last_len, buf,
	    &u) >= 0)
		rc = fn(&u, arg);
	free(ic);
	return rc;
}
