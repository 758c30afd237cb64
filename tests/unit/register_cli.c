/*
 * register_cli.c: user_register from the command line, for testing the
 * store without the CGI front end.
 *   register_cli USERNAME EMAIL [FULL_NAME] < password
 * Settings come from the environment as the CGI reads them.  Prints the
 * HTTP status the CGI would answer; the diag goes to stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "register.h"

int
main(int argc, char *argv[])
{
	struct user_record u;
	struct register_config cfg;
	struct diag d;
	char pw[1024];
	const char *t;
	size_t n;
	int rc;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: register_cli USERNAME EMAIL "
		    "[FULL_NAME] < password\n");
		return 2;
	}
	memset(&u, 0, sizeof(u));
	u.username = argv[1];
	u.email = argv[2];
	u.full_name = argc == 4 ? argv[3] : NULL;
	memset(&cfg, 0, sizeof(cfg));
	cfg.store_path = getenv("USER_STORE");
	cfg.hash_method = getenv("USER_HASH_METHOD");
	cfg.hash_cost = getenv("USER_HASH_COST");
	cfg.htpasswd_path = getenv("USER_HTPASSWD");
	t = getenv("USER_LOCK_TIMEOUT_MS");
	cfg.lock_timeout_ms = t != NULL ? atoi(t) : 5000;
	n = fread(pw, 1, sizeof(pw), stdin);
	d.msg[0] = '\0';
	rc = user_register(&u, pw, n, &cfg, &d);
	switch (rc) {
	case UC_OK:
		puts("200");
		return 0;
	case UC_ERR_DUPLICATE:
		puts("409");
		return 0;
	case UC_ERR_BUSY:
		puts("503");
		break;
	default:
		puts("500");
		break;
	}
	fprintf(stderr, "register_cli: %s\n", d.msg);
	return 0;
}
