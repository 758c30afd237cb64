/*
 * store_impl.h: what a store backend provides to store.c.  Only store.c
 * and the backends include this.
 */
#ifndef UC_STORE_IMPL_H
#define UC_STORE_IMPL_H

#include "store.h"

struct store_ops {
	const char	*name;
	int	(*open)(const char *path, void **impl, struct diag *);
	void	(*close)(void *impl);
	int	(*lookup)(void *impl, const char *, size_t, store_user_fn,
		    void *, struct diag *);
	int	(*last)(void *impl, store_user_fn, void *, struct diag *);
	int	(*iterate)(void *impl, store_user_fn, void *, struct diag *);
	int	(*lock)(void *impl, int timeout_ms, struct diag *);
	void	(*unlock)(void *impl);
	int	(*append)(void *impl, const struct store_user *,
		    struct diag *);
	int	(*remove)(void *impl, const char *, size_t, struct diag *);
	int	(*check)(void *impl, store_problem_fn, void *,
		    unsigned long *, struct diag *);
};

extern const struct store_ops store_file_ops;

#endif
