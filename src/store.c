/*
 * store.c: the store interface, handing each call to the backend that
 * store_open picked.  Today every path names a flat file (store_file.c);
 * a database backend would add a row to the table below.
 */
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"

struct store {
	const struct store_ops	*ops;
	void			*impl;
	char			*path;
};

/* Backends by path prefix; the last row (no prefix) takes the rest. */
static const struct {
	const char		*prefix;
	const struct store_ops	*ops;
} backends[] = {
	{ "", &store_file_ops },
};

int
store_open(const char *path, struct store **out, struct diag *d)
{
	struct store *s;
	size_t i;
	int rc;

	*out = NULL;
	if (path == NULL || path[0] == '\0')
		return diag_set(d, UC_ERR_CONFIG, "no store path: set "
		    "USER_STORE");
	for (i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (strncmp(path, backends[i].prefix,
		    strlen(backends[i].prefix)) == 0)
			break;
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->path = strdup(path)) == NULL) {
		free(s);
		return diag_set(d, UC_ERR_NOMEM, "store: out of memory");
	}
	s->ops = backends[i].ops;
	if ((rc = s->ops->open(path + strlen(backends[i].prefix), &s->impl,
	    d)) != UC_OK) {
		free(s->path);
		free(s);
		return rc;
	}
	*out = s;
	return UC_OK;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	s->ops->close(s->impl);
	free(s->path);
	free(s);
}

const char *
store_path(const struct store *s)
{
	return s->path;
}

int
store_lookup(struct store *s, const char *username, size_t len,
    store_user_fn fn, void *arg, struct diag *d)
{
	return s->ops->lookup(s->impl, username, len, fn, arg, d);
}

int
store_last(struct store *s, store_user_fn fn, void *arg, struct diag *d)
{
	return s->ops->last(s->impl, fn, arg, d);
}

int
store_iterate(struct store *s, store_user_fn fn, void *arg, struct diag *d)
{
	return s->ops->iterate(s->impl, fn, arg, d);
}

int
store_lock(struct store *s, int timeout_ms, struct diag *d)
{
	return s->ops->lock(s->impl, timeout_ms, d);
}

void
store_unlock(struct store *s)
{
	s->ops->unlock(s->impl);
}

int
store_append(struct store *s, const struct store_user *u, struct diag *d)
{
	return s->ops->append(s->impl, u, d);
}

int
store_remove(struct store *s, const char *username, size_t len,
    struct diag *d)
{
	return s->ops->remove(s->impl, username, len, d);
}

int
store_check(struct store *s, store_problem_fn fn, void *arg,
    unsigned long *problems, struct diag *d)
{
	return s->ops->check(s->impl, fn, arg, problems, d);
}
