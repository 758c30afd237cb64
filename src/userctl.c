/*
 * userctl.c: the store's admin tool (bin/userctl, never in cgi-bin):
 * list, show, verify, delete, check, htpasswd.  Owns the command table,
 * the exit codes and the JSON-lines output.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "err.h"
#include "hash.h"
#include "htview.h"
#include "store.h"

#ifndef USER_STORE_DEFAULT
#define USER_STORE_DEFAULT	"/var/lib/user.cgi/users"
#endif

/* Exit codes, as --help and userctl(1) document them. */
enum {
	EXIT_OK = 0,		/* done; verify: match; check: clean */
	EXIT_NO = 1,		/* verify: mismatch; check: problems found */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_NOUSER = 3,	/* no such user */
	EXIT_STORE = 4,		/* the store cannot be read or written */
	EXIT_BUSY = 5,		/* the write lock was not had in time */
	EXIT_UNSYNCED = 6	/* changed, but its durability is not confirmed */
};

#define PASSWORD_MAX	1024

struct ctl {
	struct store	*st;
	const char	*htpasswd;	/* --htpasswd or $USER_HTPASSWD */
	int		 lock_timeout_ms;
	struct diag	 d;
};

static const char usage_text[] =
"usage: userctl [--store PATH] [--htpasswd FILE] COMMAND [ARG]\n"
"\n"
"  list            every user as a JSON line {username,email,full_name}\n"
"  show USER       one user as a JSON line\n"
"  verify USER     read a password from stdin (a terminal: no echo) and\n"
"                  check it against USER's hash\n"
"  delete USER     remove USER (rewrites the store under its lock)\n"
"  check           check format, duplicates, torn tail, legacy hashes,\n"
"                  and the htpasswd view when one is named\n"
"  htpasswd [FILE] write the user:hash view for lighttpd to FILE\n"
"                  (default: --htpasswd, then $USER_HTPASSWD)\n"
"\n"
"  --store PATH    the store (default: $USER_STORE, then " USER_STORE_DEFAULT ")\n"
"  --htpasswd FILE the htpasswd view kept beside it ($USER_HTPASSWD)\n"
"  --help          this text\n"
"\n"
"exit status: 0 done (verify: match; check: clean), 1 verify: mismatch or\n"
"check: problems found, 2 usage error, 3 no such user, 4 store error,\n"
"5 store busy (lock wait of $USER_LOCK_TIMEOUT_MS, default 5000 ms, ran out),\n"
"6 done (delete: the user is gone), but the folder's fsync failed, so a\n"
"crash may undo it\n";

static int
exit_code(int rc)
{
	switch (rc) {
	case UC_OK:
		return EXIT_OK;
	case UC_ERR_NOT_FOUND:
		return EXIT_NOUSER;
	case UC_ERR_BUSY:
		return EXIT_BUSY;
	case UC_ERR_USAGE:
		return EXIT_USAGE;
	case UC_ERR_UNSYNCED:
		return EXIT_UNSYNCED;
	default:
		return EXIT_STORE;
	}
}

/* A JSON string as Python's json.dumps(ensure_ascii=False) writes it. */
static void
json_string(FILE *f, const char *s, size_t len)
{
	static const char shortesc[] = "\"\"\\\\\bb\ff\nn\rr\tt";
	const char *e;
	unsigned char c;
	size_t i;

	putc('"', f);
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c != '\0' && (e = strchr(shortesc, c)) != NULL &&
		    (e - shortesc) % 2 == 0) {
			putc('\\', f);
			putc(e[1], f);
		} else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			putc(c, f);
	}
	putc('"', f);
}

static int
print_user(const struct store_user *u, void *arg)
{
	(void)arg;
	fputs("{\"username\":", stdout);
	json_string(stdout, u->username, u->username_len);
	fputs(",\"email\":", stdout);
	json_string(stdout, u->email, u->email_len);
	fputs(",\"full_name\":", stdout);
	if (u->full_name == NULL)
		fputs("null", stdout);
	else
		json_string(stdout, u->full_name, u->full_name_len);
	fputs("}\n", stdout);
	return ferror(stdout) ? UC_ERR_IO : UC_OK;
}

static int
cmd_list(struct ctl *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return UC_ERR_USAGE;
	return store_iterate(c->st, print_user, NULL, &c->d);
}

static int
cmd_show(struct ctl *c, int argc, char **argv)
{
	if (argc != 2)
		return UC_ERR_USAGE;
	return store_lookup(c->st, argv[1], strlen(argv[1]), print_user, NULL,
	    &c->d);
}

/*
 * Read fd into buf with read(2), up to EOF or (line) a "\n": stdio would
 * keep a copy of the password in its own buffer, which nobody wipes.
 */
static int
read_secret(int fd, char *buf, size_t bufsz, int line, size_t *len)
{
	size_t n = 0;
	ssize_t r;

	while (n < bufsz) {
		if ((r = read(fd, buf + n, bufsz - n)) == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return UC_ERR_IO;
		if (r == 0)
			break;
		n += (size_t)r;
		if (line && buf[n - 1] == '\n')
			break;
	}
	*len = n;
	return n == bufsz ? UC_ERR_TOO_LARGE : UC_OK;
}

/* The password: a terminal line with echo off, or all of stdin. */
static int
read_password(char *buf, size_t bufsz, size_t *len)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO), rc;
	size_t n = 0;

	if (tty) {
		fputs("Password: ", stderr);
		if (tcgetattr(STDIN_FILENO, &old) == -1)
			return UC_ERR_IO;
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == -1)
			return UC_ERR_IO;
		rc = read_secret(STDIN_FILENO, buf, bufsz, 1, &n);
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputs("\n", stderr);
	} else
		rc = read_secret(STDIN_FILENO, buf, bufsz, 0, &n);
	if (rc != UC_OK) {
		explicit_bzero(buf, bufsz);
		return rc;
	}
	/* One final newline ends the input line; it is not the password's. */
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	*len = n;
	return UC_OK;
}

struct verify_ctx {
	const char	*pw;
	size_t		 len;
	struct diag	*d;
};

static int
verify_user(const struct store_user *u, void *arg)
{
	struct verify_ctx *vc = arg;
	int rc;

	/* A mismatch is -1, apart from "no such user". */
	rc = hash_verify(vc->pw, vc->len, u->hash, vc->d);
	return rc == UC_ERR_NOT_FOUND ? -1 : rc;
}

static int
cmd_verify(struct ctl *c, int argc, char **argv)
{
	char *pw;
	struct verify_ctx vc;
	size_t len;
	int rc;

	if (argc != 2)
		return UC_ERR_USAGE;
	if ((pw = calloc(1, PASSWORD_MAX)) == NULL)
		return UC_ERR_NOMEM;
	if ((rc = read_password(pw, PASSWORD_MAX, &len)) == UC_OK) {
		vc.pw = pw;
		vc.len = len;
		vc.d = &c->d;
		rc = store_lookup(c->st, argv[1], strlen(argv[1]), verify_user,
		    &vc, &c->d);
	} else
		diag_set(&c->d, rc, "cannot read the password");
	explicit_bzero(pw, PASSWORD_MAX);
	free(pw);
	return rc;
}

static int
rewrite_view(struct ctl *c)
{
	if (c->htpasswd == NULL || c->htpasswd[0] == '\0')
		return UC_OK;
	return htview_write(c->htpasswd, c->st, &c->d);
}

static int
cmd_delete(struct ctl *c, int argc, char **argv)
{
	int rc, view;

	if (argc != 2)
		return UC_ERR_USAGE;
	if ((rc = store_lock(c->st, c->lock_timeout_ms, &c->d)) != UC_OK)
		return rc;
	rc = store_remove(c->st, argv[1], strlen(argv[1]), &c->d);
	/* Unsynced: the user is gone all the same; the view follows. */
	if (rc == UC_OK || rc == UC_ERR_UNSYNCED) {
		if ((view = rewrite_view(c)) != UC_OK)
			rc = view;
	}
	store_unlock(c->st);
	return rc;
}

static const char *const problem_name[] = {
	[STORE_PROBLEM_FORMAT] = "format",
	[STORE_PROBLEM_DUPLICATE] = "duplicate",
	[STORE_PROBLEM_TORN] = "torn",
	[STORE_PROBLEM_LEGACY_HASH] = "legacy-hash",
	[STORE_PROBLEM_HEADER] = "header",
	[STORE_PROBLEM_ENCODING] = "encoding",
};

static void
print_problem(enum store_problem p, unsigned long line, const char *text,
    void *arg)
{
	const struct ctl *c = arg;
	const char *path = store_path(c->st);

	if (line > 0)
		printf("%s:%lu: %s: %s\n", path, line, problem_name[p], text);
	else
		printf("%s: %s: %s\n", path, problem_name[p], text);
}

static int
cmd_check(struct ctl *c, int argc, char **argv)
{
	unsigned long problems;
	int rc;

	(void)argv;
	if (argc != 1)
		return UC_ERR_USAGE;
	rc = store_check(c->st, print_problem, c, &problems, &c->d);
	if (rc != UC_OK)
		return rc;
	if (c->htpasswd != NULL && c->htpasswd[0] != '\0') {
		rc = htview_compare(c->htpasswd, c->st, &c->d);
		if (rc == UC_ERR_CORRUPT || rc == UC_ERR_NOT_FOUND) {
			printf("%s: view: %s; run userctl htpasswd\n",
			    c->htpasswd, rc == UC_ERR_NOT_FOUND ?
			    "missing" : c->d.msg);
			c->d.msg[0] = '\0';
			problems++;
		} else if (rc != UC_OK)
			return rc;
	}
	return problems == 0 ? UC_OK : -1;
}

static int
cmd_htpasswd(struct ctl *c, int argc, char **argv)
{
	int rc;

	if (argc > 2)
		return UC_ERR_USAGE;
	if (argc == 2)
		c->htpasswd = argv[1];
	if (c->htpasswd == NULL || c->htpasswd[0] == '\0') {
		diag_set(&c->d, UC_ERR_USAGE, "htpasswd: name a FILE, or set "
		    "--htpasswd or USER_HTPASSWD");
		return UC_ERR_USAGE;
	}
	/* Under the lock, so no registration's view append is lost. */
	if ((rc = store_lock(c->st, c->lock_timeout_ms, &c->d)) != UC_OK)
		return rc;
	rc = rewrite_view(c);
	store_unlock(c->st);
	return rc;
}

static const struct {
	const char	*name;
	int		(*run)(struct ctl *, int, char **);
} commands[] = {
	{ "list", cmd_list },
	{ "show", cmd_show },
	{ "verify", cmd_verify },
	{ "delete", cmd_delete },
	{ "check", cmd_check },
	{ "htpasswd", cmd_htpasswd },
};

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "htpasswd", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctl c;
	const char *store = getenv("USER_STORE"), *t;
	size_t i;
	int ch, rc;

	memset(&c, 0, sizeof(c));
	c.htpasswd = getenv("USER_HTPASSWD");
	t = getenv("USER_LOCK_TIMEOUT_MS");
	c.lock_timeout_ms = t != NULL && *t != '\0' ? atoi(t) : 5000;
	while ((ch = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			store = optarg;
			break;
		case 'p':
			c.htpasswd = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		default:
			fputs(usage_text, stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (store == NULL || store[0] == '\0')
		store = USER_STORE_DEFAULT;
	for (i = 0; argc > 0 && i < sizeof(commands) / sizeof(commands[0]);
	    i++)
		if (strcmp(argv[0], commands[i].name) == 0)
			break;
	if (argc == 0 || i == sizeof(commands) / sizeof(commands[0])) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	if ((rc = store_open(store, &c.st, &c.d)) == UC_OK) {
		rc = commands[i].run(&c, argc, argv);
		store_close(c.st);
	}
	if (fflush(stdout) == EOF && rc == UC_OK)
		rc = UC_ERR_IO;
	if (rc == -1)
		return EXIT_NO;
	if (rc == UC_ERR_USAGE && c.d.msg[0] == '\0') {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	if (rc != UC_OK)
		fprintf(stderr, "userctl: %s: %s\n", commands[i].name,
		    c.d.msg[0] != '\0' ? c.d.msg : rc == UC_ERR_NOT_FOUND ?
		    "no such user" : uc_strerror(rc));
	return exit_code(rc);
}
