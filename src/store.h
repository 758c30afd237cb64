/*
 * store.h: the user store, one interface over its backends (today the
 * flat file of STORE.md, store_file.c).  Request handling and userctl
 * call only this.
 *
 * Reads take no lock.  Writes (store_append, store_remove) need the
 * write lock, taken with store_lock and given back with store_unlock.
 */
#ifndef UC_STORE_H
#define UC_STORE_H

#include <stddef.h>

#include "err.h"

struct store;

/* One user.  Strings may hold any byte, NUL included: use the lengths. */
struct store_user {
	const char	*username;
	size_t		 username_len;
	const char	*hash;		/* crypt() output, NUL-terminated */
	const char	*email;
	size_t		 email_len;
	const char	*full_name;	/* NULL when null */
	size_t		 full_name_len;
};

/* Called once per user; a non-zero return stops the walk and is passed up. */
typedef int	(*store_user_fn)(const struct store_user *, void *arg);

/* Kinds of trouble store_check reports. */
enum store_problem {
	STORE_PROBLEM_FORMAT,		/* a line that is not a record */
	STORE_PROBLEM_DUPLICATE,	/* a username seen before */
	STORE_PROBLEM_TORN,		/* a last line without its newline */
	STORE_PROBLEM_LEGACY_HASH,	/* a hash of a refused method */
	STORE_PROBLEM_HEADER,		/* the first line is not the header */
	STORE_PROBLEM_ENCODING		/* an escape that is not canonical */
};

/* Called per problem with the 1-based line number and a short text. */
typedef void	(*store_problem_fn)(enum store_problem, unsigned long line,
		    const char *text, void *arg);

/*
 * Open the store at path (nothing is created yet).  A missing file is an
 * empty store.
 */
int	store_open(const char *path, struct store **out, struct diag *d);
void	store_close(struct store *);
const char *store_path(const struct store *);

/*
 * Find username.  UC_OK and fn called with the record (when fn is not
 * NULL) if it is there; UC_ERR_NOT_FOUND if not; UC_ERR_STORE on a
 * read error.
 */
int	store_lookup(struct store *, const char *username, size_t len,
	    store_user_fn fn, void *arg, struct diag *d);

/*
 * The user added last (fn is called with it), or UC_ERR_NOT_FOUND for an
 * empty store.  The htpasswd view uses it to see whether it is behind.
 */
int	store_last(struct store *, store_user_fn fn, void *arg,
	    struct diag *d);

/* Every user, in file order. */
int	store_iterate(struct store *, store_user_fn fn, void *arg,
	    struct diag *d);

/*
 * Take the write lock, waiting at most timeout_ms: UC_ERR_BUSY when the
 * wait runs out, UC_ERR_STORE when the lock cannot be had at all.
 */
int	store_lock(struct store *, int timeout_ms, struct diag *d);
void	store_unlock(struct store *);

/*
 * With the lock held: cut a torn tail, append u, make it durable.  On
 * any error nothing of u stays in the store.
 */
int	store_append(struct store *, const struct store_user *u,
	    struct diag *d);

/* With the lock held: rewrite the store without username. */
int	store_remove(struct store *, const char *username, size_t len,
	    struct diag *d);

/*
 * Check the whole store; fn hears of each problem.  *problems gets
 * their count.  UC_OK even when there are problems.
 */
int	store_check(struct store *, store_problem_fn fn, void *arg,
	    unsigned long *problems, struct diag *d);

#endif
