/*
 * spawn.c: the benchmarks' timer.  Starts a program again and again as a
 * web server starts a CGI (its own environment, a body on stdin, stdout
 * to a file) and records the wall time of each run, from just before
 * posix_spawn() to the return of waitpid(), in microseconds, one a line.
 *
 *   spawn [-n MAXRUNS] [-m MINRUNS] [-t SECONDS] [-w WARMUPS] [-k FIRST]
 *         [-b BODY | -i FILE] [-s STATUS] [-x] [-T LIMIT] [-r SAMPLES]
 *         -- PROG [ARG...]
 *
 *   -b BODY     the request body; each "%RUN%" in it becomes the run's
 *               number (counting from FIRST, warm-ups included), so every
 *               registration can have a new name.  Sets CONTENT_LENGTH.
 *   -i FILE     stdin from FILE as it is (no CONTENT_LENGTH); default
 *               /dev/null
 *   -s STATUS   fail unless stdout starts with "Status: STATUS"
 *   -x          fail unless the program exits 0
 *   -T LIMIT    kill a run that takes more than LIMIT seconds (default
 *               60), and fail: a benchmark must end
 *   -r SAMPLES  append the samples there (default: stdout)
 * It stops after MAXRUNS runs (default 200), or after SECONDS (default
 * 5) once it has MINRUNS (default 5).  The program's environment is
 * spawn's own, so run it under env -i.  Exit: 0 done, 1 a run failed
 * the checks (its output is shown), 2 usage or system error.
 *
 * hyperfine 1.15 (Debian 12) cannot feed stdin without a shell whose
 * start it then has to estimate and subtract; this times the same thing
 * without that noise.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct opts {
	long		 maxruns, minruns, warmups, first;
	double		 seconds, limit;
	const char	*body, *infile, *status, *samples;
	int		 need_exit0;
	char		**argv;
};

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int
usage(void)
{
	fputs("usage: spawn [-n MAXRUNS] [-m MINRUNS] [-t SECONDS] "
	    "[-w WARMUPS] [-k FIRST]\n"
	    "             [-b BODY | -i FILE] [-s STATUS] [-x] [-T LIMIT] "
	    "[-r SAMPLES] -- PROG [ARG...]\n", stderr);
	return 2;
}

static int
parse_opts(int argc, char *argv[], struct opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->maxruns = 200;
	o->minruns = 5;
	o->seconds = 5;
	o->limit = 60;
	while ((c = getopt(argc, argv, "+n:m:t:w:k:b:i:s:xT:r:")) != -1) {
		switch (c) {
		case 'n': o->maxruns = atol(optarg); break;
		case 'm': o->minruns = atol(optarg); break;
		case 't': o->seconds = atof(optarg); break;
		case 'w': o->warmups = atol(optarg); break;
		case 'k': o->first = atol(optarg); break;
		case 'b': o->body = optarg; break;
		case 'i': o->infile = optarg; break;
		case 's': o->status = optarg; break;
		case 'x': o->need_exit0 = 1; break;
		case 'T': o->limit = atof(optarg); break;
		case 'r': o->samples = optarg; break;
		default: return -1;
		}
	}
	if (optind >= argc || o->maxruns < 1 || o->minruns < 1 ||
	    o->limit <= 0)
		return -1;
	o->argv = argv + optind;
	return 0;
}

/* The body of run N: every "%RUN%" replaced by N. */
static int
body_for_run(const char *tmpl, long n, char *out, size_t outsz, size_t *len)
{
	static const char mark[] = "%RUN%";
	size_t o = 0;
	const char *p = tmpl, *q;
	int w;

	while ((q = strstr(p, mark)) != NULL) {
		if ((size_t)(q - p) >= outsz - o)
			return -1;
		memcpy(out + o, p, (size_t)(q - p));
		o += (size_t)(q - p);
		w = snprintf(out + o, outsz - o, "%ld", n);
		if (w < 0 || (size_t)w >= outsz - o)
			return -1;
		o += (size_t)w;
		p = q + sizeof(mark) - 1;
	}
	if (strlen(p) >= outsz - o)
		return -1;
	memcpy(out + o, p, strlen(p));
	o += strlen(p);
	*len = o;
	return 0;
}

static int
tmpfile_fd(void)
{
	char path[] = "/tmp/spawn.XXXXXX";
	int fd;

	if ((fd = mkostemp(path, O_CLOEXEC)) == -1)
		return -1;
	unlink(path);
	return fd;
}

static void
show_fd(const char *what, int fd)
{
	char buf[4096];
	ssize_t r;

	fprintf(stderr, "--- %s ---\n", what);
	lseek(fd, 0, SEEK_SET);
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)r, stderr);
	fputs("\n", stderr);
}

/* Rewinds the run's files, writes its body.  Outside the timed part. */
static int
prepare_run(const struct opts *o, long n, int infd, int outfd, int errfd,
    char *clen, size_t clensz)
{
	static char body[65536];
	size_t len;

	if (ftruncate(outfd, 0) == -1 || lseek(outfd, 0, SEEK_SET) == -1 ||
	    ftruncate(errfd, 0) == -1 || lseek(errfd, 0, SEEK_SET) == -1)
		return -1;
	if (o->body != NULL) {
		if (body_for_run(o->body, n, body, sizeof(body), &len) == -1 ||
		    ftruncate(infd, 0) == -1 || pwrite(infd, body, len, 0) !=
		    (ssize_t)len)
			return -1;
		snprintf(clen, clensz, "CONTENT_LENGTH=%zu", len);
	}
	return lseek(infd, 0, SEEK_SET) == -1 ? -1 : 0;
}

/*
 * Waits for pid at most limit seconds (SIGCHLD is blocked, so it queues
 * for sigtimedwait); past that, kills it.  0, or -1 when it was killed.
 */
static int
wait_run(pid_t pid, double limit, int *wstatus)
{
	struct timespec ts;
	sigset_t chld;
	pid_t r;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	ts.tv_sec = (time_t)limit;
	ts.tv_nsec = (long)((limit - (double)ts.tv_sec) * 1e9);
	for (;;) {
		if ((r = waitpid(pid, wstatus, WNOHANG)) == pid)
			return 0;
		if (r == -1 && errno != EINTR)
			return -1;
		if (sigtimedwait(&chld, NULL, &ts) == -1 && errno == EAGAIN) {
			kill(pid, SIGKILL);
			waitpid(pid, wstatus, 0);
			return -1;
		}
	}
}

/* Did the run answer what it should? */
static int
check_run(const struct opts *o, int wstatus, int outfd)
{
	char want[64], got[64];
	ssize_t r;
	size_t wl;

	if (o->need_exit0 && !(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0))
		return -1;
	if (!WIFEXITED(wstatus))
		return -1;
	if (o->status == NULL)
		return 0;
	wl = (size_t)snprintf(want, sizeof(want), "Status: %s", o->status);
	if (wl >= sizeof(want) ||
	    (r = pread(outfd, got, sizeof(got), 0)) < (ssize_t)wl)
		return -1;
	return memcmp(got, want, wl) == 0 ? 0 : -1;
}

int
main(int argc, char *argv[])
{
	struct opts o;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t chld, none;
	char clen[64] = "CONTENT_LENGTH=0", **envp;
	double t0, t1, start, *t;
	long i, n = 0, total;
	size_t ne;
	pid_t pid;
	int infd, outfd, errfd, wstatus, rc;
	FILE *out = stdout;

	if (parse_opts(argc, argv, &o) == -1)
		return usage();
	if (o.body != NULL)
		infd = tmpfile_fd();
	else
		infd = open(o.infile != NULL ? o.infile : "/dev/null",
		    O_RDONLY | O_CLOEXEC);
	outfd = tmpfile_fd();
	errfd = tmpfile_fd();
	if (infd == -1 || outfd == -1 || errfd == -1) {
		perror("spawn");
		return 2;
	}
	for (ne = 0; environ[ne] != NULL; ne++)
		;
	if ((envp = calloc(ne + 2, sizeof(*envp))) == NULL ||
	    (t = calloc((size_t)o.maxruns, sizeof(*t))) == NULL) {
		perror("spawn");
		return 2;
	}
	memcpy(envp, environ, ne * sizeof(*envp));
	if (o.body != NULL)
		envp[ne] = clen;
	if (o.samples != NULL && (out = fopen(o.samples, "ae")) == NULL) {
		perror(o.samples);
		return 2;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, infd, 0);
	posix_spawn_file_actions_adddup2(&fa, outfd, 1);
	posix_spawn_file_actions_adddup2(&fa, errfd, 2);
	/* SIGCHLD blocked here for wait_run, as usual in the program. */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigemptyset(&none);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);

	start = now_us();
	for (i = 0, total = o.warmups + o.maxruns; i < total; i++) {
		if (i >= o.warmups + o.minruns &&
		    now_us() - start > o.seconds * 1e6)
			break;
		if (prepare_run(&o, o.first + i, infd, outfd, errfd, clen,
		    sizeof(clen)) == -1) {
			perror("spawn: preparing a run");
			return 2;
		}
		t0 = now_us();
		rc = posix_spawn(&pid, o.argv[0], &fa, &attr, o.argv, envp);
		if (rc != 0) {
			fprintf(stderr, "spawn: %s: %s\n", o.argv[0],
			    strerror(rc));
			return 2;
		}
		if (wait_run(pid, o.limit, &wstatus) == -1) {
			fprintf(stderr, "spawn: run %ld of %s: killed after "
			    "%.0f s\n", o.first + i, o.argv[0], o.limit);
			return 1;
		}
		t1 = now_us();
		if (check_run(&o, wstatus, outfd) == -1) {
			fprintf(stderr, "spawn: run %ld of %s: wanted %s%s, "
			    "got wait status %d\n", o.first + i, o.argv[0],
			    o.status != NULL ? "Status: " : "exit 0",
			    o.status != NULL ? o.status : "", wstatus);
			show_fd("stdout", outfd);
			show_fd("stderr", errfd);
			return 1;
		}
		if (i >= o.warmups)
			t[n++] = t1 - t0;
	}
	for (i = 0; i < n; i++)
		fprintf(out, "%.1f\n", t[i]);
	if (fclose(out) != 0) {
		perror("spawn: samples");
		return 2;
	}
	return 0;
}
