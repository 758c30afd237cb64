/*
 * main.c: user.cgi's entry point.  Process hygiene, the settings, then one
 * request through app_handle() and one response to stdout.  Outside a CGI
 * environment it only answers --help and --version: it never acts on argv
 * as CGI, since Apache and python's server pass a query string without '='
 * as arguments.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "cgi.h"
#include "config.h"
#include "err.h"
#include "response.h"

#define USER_CGI_VERSION	"1.0"

static const char usage_text[] =
"usage: user.cgi [--help | --version]\n"
"\n"
"A CGI/1.1 program: run it from a web server, mounted at /user, and\n"
"POST a JSON UserIn to /user/.  See user.cgi(8) and the README.\n"
"\n"
"Environment (set with SetEnv, setenv.add-environment, fastcgi_param):\n"
"  USER_STORE            the store file (default " USER_STORE_DEFAULT ")\n"
"  USER_HASH_METHOD      crypt method prefix, e.g. $y$ (default: libxcrypt's choice)\n"
"  USER_HASH_COST        the method's cost (default: the method's own)\n"
"  USER_HTPASSWD         also keep a plain user:hash file here (lighttpd)\n"
"  USER_LOCK_TIMEOUT_MS  wait for the store lock before a 503 (default 5000)\n"
"  USER_BODY_TIMEOUT_MS  wait for the request body before a 400 (default 10000)\n";

static int
command_line(int argc, char *argv[])
{
	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("user.cgi %s\n", USER_CGI_VERSION);
		return 0;
	}
	fputs("user.cgi: GATEWAY_INTERFACE is not set, so this is not a CGI request;\n"
	    "run it from a web server (see --help)\n", stderr);
	return 2;
}

int
main(int argc, char *argv[])
{
	struct app_config	 cfg;
	struct request		 req;
	struct response		 resp;
	struct diag		 d = { "" };
	int			 rc;

	if (getenv("GATEWAY_INTERFACE") == NULL)
		return command_line(argc, argv);
	signal(SIGPIPE, SIG_IGN);
	umask(027);
	memset(&resp, 0, sizeof(resp));
	cgi_read_env(&req);
	if ((rc = config_from_env(&cfg, &d)) == UC_OK)
		rc = app_handle(&req, &cfg, STDIN_FILENO, &resp, &d);
	else
		app_refuse(&req, &cfg, STDIN_FILENO, &resp);
	if (rc != UC_OK)
		fprintf(stderr, "user.cgi: %s\n", d.msg);
	if (response_write(STDOUT_FILENO, &resp, strcmp(req.method, "HEAD") == 0) != UC_OK)
		rc = UC_ERR_IO;
	response_free(&resp);
	return 0;
}
