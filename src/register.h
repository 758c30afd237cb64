/*
 * register.h: creating a user in the store, the protocol of the store
 * issue: look up without the lock, hash outside any lock, append under a
 * bounded lock wait, fsync, and only then report success.
 */
#ifndef UC_REGISTER_H
#define UC_REGISTER_H

#include <stddef.h>

#include "err.h"

/*
 * The strings may hold U+0000 (JSON allows "\u0000"): then set the
 * matching _len.  A _len of 0 means strlen() of the string.
 */
struct user_record {
	const char	*username;	/* UTF-8, validated */
	const char	*email;		/* the normalized address */
	const char	*full_name;	/* NULL when full_name is null */
	size_t		 username_len;
	size_t		 email_len;
	size_t		 full_name_len;
};

/* Settings the web server passes in the environment; main fills this. */
struct register_config {
	const char	*store_path;	/* $USER_STORE, or the built-in default */
	const char	*hash_method;	/* $USER_HASH_METHOD, NULL: libxcrypt's choice */
	const char	*hash_cost;	/* $USER_HASH_COST, NULL: the method's default */
	const char	*htpasswd_path;	/* $USER_HTPASSWD, NULL: none kept */
	int		 lock_timeout_ms;	/* bounded wait for the write lock */
};

/*
 * Store u with a hash of password (password_len bytes, UTF-8).  The
 * password buffer is wiped before returning, whatever the outcome.
 * Returns UC_OK once the record is durable; UC_ERR_DUPLICATE when the
 * name is taken; UC_ERR_BUSY when the lock wait ran out; UC_ERR_CONFIG,
 * UC_ERR_STORE, UC_ERR_HASH or UC_ERR_NOMEM with the reason in d (never
 * the password).  No record is left behind on any error.
 */
int	user_register(const struct user_record *u, char *password,
	    size_t password_len, const struct register_config *cfg,
	    struct diag *d);

#endif
