/*
 * config.h: the settings the web server passes in the environment
 * (SetEnv and friends), read once at start.
 */
#ifndef UC_CONFIG_H
#define UC_CONFIG_H

#include "cgi.h"
#include "err.h"
#include "register.h"

/* The Makefile passes STORE_DEFAULT; outside any web root. */
#ifndef USER_STORE_DEFAULT
#define USER_STORE_DEFAULT "/var/lib/user.cgi/users"
#endif

struct app_config {
	struct register_config	reg;
	struct body_limits	limits;
};

/* Fill c from the environment; UC_ERR_CONFIG names the bad variable. */
int	config_from_env(struct app_config *c, struct diag *d);

#endif
