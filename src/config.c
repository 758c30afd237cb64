/*
 * config.c: environment variables and their defaults, in one table.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "err.h"

/* The body cap of CONTRACT.md: 64 KiB, answered with 413 beyond. */
#define BODY_MAX_BYTES		(64 * 1024)

static int
env_ms(const char *name, int fallback, int *out, struct diag *d)
{
	const char	*v = getenv(name);
	char		*end;
	long		 n;

	if (v == NULL || *v == '\0') {
		*out = fallback;
		return UC_OK;
	}
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || n < 1 || n > 600000)
		return diag_set(d, UC_ERR_CONFIG,
		    "%s=\"%.40s\" is not a number of milliseconds from 1 to 600000", name, v);
	*out = (int)n;
	return UC_OK;
}

static const char *
env_str(const char *name)
{
	const char	*v = getenv(name);

	return (v != NULL && *v != '\0') ? v : NULL;
}

int
config_from_env(struct app_config *c, struct diag *d)
{
	int	 rc;

	memset(c, 0, sizeof(*c));
	c->reg.store_path = env_str("USER_STORE");
	if (c->reg.store_path == NULL)
		c->reg.store_path = USER_STORE_DEFAULT;
	c->reg.hash_method = env_str("USER_HASH_METHOD");
	c->reg.hash_cost = env_str("USER_HASH_COST");
	c->reg.htpasswd_path = env_str("USER_HTPASSWD");
	/* The limits hold even when a setting is refused: the body is still read. */
	c->limits.max_bytes = BODY_MAX_BYTES;
	c->limits.timeout_ms = 10000;
	c->reg.lock_timeout_ms = 5000;
	if ((rc = env_ms("USER_LOCK_TIMEOUT_MS", 5000, &c->reg.lock_timeout_ms, d)) != UC_OK)
		return rc;
	return env_ms("USER_BODY_TIMEOUT_MS", 10000, &c->limits.timeout_ms, d);
}
