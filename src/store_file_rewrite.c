/*
 * store_file_rewrite.c: the flat-file store's whole-file work: removing
 * a user by rewrite (temporary file, fsync, rename, folder fsync) and
 * checking a store line by line.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"
#include "hash.h"
#include "store_file.h"
#include "store_line.h"

struct remove_ctx {
	struct atomic_file	 af;
	char			*field;	/* the escaped name */
	size_t			 flen;
	int			 found;
	struct diag		*d;
};

static int
remove_line(const char *line, size_t len, unsigned long lineno, void *arg)
{
	struct remove_ctx *rc = arg;
	int r;

	(void)lineno;
	if (line == NULL)
		return diag_set(rc->d, UC_ERR_CORRUPT, "line %lu is too long "
		    "to keep; fix the store by hand", lineno);
	if (len > rc->flen && line[rc->flen] == ':' &&
	    memcmp(line, rc->field, rc->flen) == 0) {
		rc->found = 1;
		return 0;
	}
	if ((r = atomic_write(&rc->af, line, len, rc->d)) != UC_OK ||
	    (r = atomic_write(&rc->af, "\n", 1, rc->d)) != UC_OK)
		return r;
	return 0;
}

/* After a rewrite the index names the old file: build it for the new. */
static void
reindex(const struct store_file *sf)
{
	struct stat st;
	int fd;

	if ((fd = open(sf->path, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	if (fstat(fd, &st) == 0)
		(void)sfi_update(sf, fd, st.st_size, NULL);
	close(fd);
}

int
sf_remove(void *impl, const char *username, size_t len, struct diag *d)
{
	struct store_file *sf = impl;
	struct remove_ctx *rc;
	size_t torn;
	int fd, r;

	if (sf->lock_fd == -1)
		return diag_set(d, UC_ERR_STORE, "remove without the lock");
	if ((r = sf_open_read(sf, &fd, d)) != UC_OK)
		return r;
	if ((rc = calloc(1, sizeof(*rc))) == NULL ||
	    (rc->field = malloc(3 * len + 1)) == NULL) {
		free(rc);
		close(fd);
		return diag_set(d, UC_ERR_NOMEM, "remove: out of memory");
	}
	rc->flen = line_escape(rc->field, username, len);
	rc->d = d;
	if ((r = atomic_begin(&rc->af, sf->path, 0640, d)) == UC_OK) {
		/* The torn tail, if any, is not carried over. */
		r = sf_scan(fd, NULL, 0, remove_line, rc, &torn, sf->path, d);
		if (r == UC_OK && !rc->found)
			r = UC_ERR_NOT_FOUND;
		if (r == UC_OK)
			r = atomic_commit(&rc->af, d);
		if (r != UC_OK)
			atomic_abort(&rc->af);
	}
	close(fd);
	/* Unsynced is still removed: the new file is in place. */
	if (r == UC_OK || r == UC_ERR_UNSYNCED)
		reindex(sf);
	free(rc->field);
	free(rc);
	return r;
}

/* A set of escaped names for the duplicate check (open addressing). */
struct nameset {
	char		**slot;
	size_t		  cap;
	size_t		  used;
};

/* 1: added; 0: was there; -1: out of memory.  Names are stored NUL-ended. */
static int
nameset_add(struct nameset *ns, const char *s, size_t len)
{
	char **old = ns->slot, *copy;
	size_t i, j, oldcap = ns->cap;

	if (2 * (ns->used + 1) > ns->cap) {
		ns->cap = oldcap ? 2 * oldcap : 1024;
		if ((ns->slot = calloc(ns->cap, sizeof(char *))) == NULL) {
			ns->slot = old;
			ns->cap = oldcap;
			return -1;
		}
		for (i = 0; i < oldcap; i++) {
			if (old[i] == NULL)
				continue;
			j = line_name_hash(old[i], strlen(old[i])) & (ns->cap - 1);
			while (ns->slot[j] != NULL)
				j = (j + 1) & (ns->cap - 1);
			ns->slot[j] = old[i];
		}
		free(old);
	}
	j = line_name_hash(s, len) & (ns->cap - 1);
	for (; ns->slot[j] != NULL; j = (j + 1) & (ns->cap - 1))
		if (strlen(ns->slot[j]) == len &&
		    memcmp(ns->slot[j], s, len) == 0)
			return 0;
	if ((copy = strndup(s, len)) == NULL)
		return -1;
	ns->slot[j] = copy;
	ns->used++;
	return 1;
}

static void
nameset_free(struct nameset *ns)
{
	size_t i;

	for (i = 0; i < ns->cap; i++)
		free(ns->slot[i]);
	free(ns->slot);
}

struct check_ctx {
	store_problem_fn	 fn;
	void			*arg;
	unsigned long		 problems;
	struct nameset		 names;
};

static void
problem(struct check_ctx *cc, enum store_problem p, unsigned long line,
    const char *text)
{
	cc->problems++;
	if (cc->fn != NULL)
		cc->fn(p, line, text, cc->arg);
}

static int
check_line(const char *line, size_t len, unsigned long lineno, void *arg)
{
	struct check_ctx *cc = arg;
	struct line_fields lf;
	struct store_user u;
	char buf[STORE_LINE_MAX + 4];
	int r;

	if (lineno == 1 && (line == NULL || len != sizeof(STORE_HEADER) - 2 ||
	    memcmp(line, STORE_HEADER, len) != 0))
		problem(cc, STORE_PROBLEM_HEADER, lineno, "the first line is "
		    "not \"# user.cgi store 1\"");
	if (line == NULL || len > STORE_LINE_MAX) {
		problem(cc, STORE_PROBLEM_FORMAT, lineno, "line too long");
		return 0;
	}
	if (len == 0 || line[0] == '#')
		return 0;
	if (line_split(line, len, &lf) == -1 ||
	    (r = line_decode(&lf, buf, &u)) < 0) {
		problem(cc, STORE_PROBLEM_FORMAT, lineno, "not a record");
		return 0;
	}
	if (r == 1)
		problem(cc, STORE_PROBLEM_ENCODING, lineno, "escaping is not "
		    "as STORE.md writes it");
	if (strpbrk(u.hash, " \t\r\v\f") != NULL ||
	    hash_is_accepted(u.hash, NULL) != UC_OK)
		problem(cc, STORE_PROBLEM_LEGACY_HASH, lineno, "hash of a "
		    "legacy, weak or unknown method");
	if ((r = nameset_add(&cc->names, lf.f[0], lf.len[0])) == -1)
		return UC_ERR_NOMEM;
	if (r == 0)
		problem(cc, STORE_PROBLEM_DUPLICATE, lineno, "username seen "
		    "on an earlier line");
	return 0;
}

int
sf_check(void *impl, store_problem_fn fn, void *arg,
    unsigned long *problems, struct diag *d)
{
	struct store_file *sf = impl;
	struct check_ctx cc;
	size_t torn;
	int fd, rc;

	*problems = 0;
	if ((rc = sf_open_read(sf, &fd, d)) != UC_OK)
		return rc == UC_ERR_NOT_FOUND ? UC_OK : rc;
	memset(&cc, 0, sizeof(cc));
	cc.fn = fn;
	cc.arg = arg;
	rc = sf_scan(fd, NULL, 0, check_line, &cc, &torn, sf->path, d);
	close(fd);
	if (rc == UC_ERR_NOMEM)
		diag_set(d, rc, "check: out of memory");
	if (rc == UC_OK && torn > 0)
		problem(&cc, STORE_PROBLEM_TORN, 0, "last line has no newline "
		    "(a torn write; the next writer cuts it)");
	nameset_free(&cc.names);
	*problems = cc.problems;
	return rc;
}
