/*
 * faultfs.c: an LD_PRELOAD shim that makes one folder read-only or full,
 * for the store's fault tests where a small tmpfs cannot be mounted
 * (not root, or no CAP_SYS_ADMIN).
 *
 *   cc -shared -fPIC -o faultfs.so faultfs.c -ldl
 *   FAULTFS_DIR=/path FAULTFS_ERRNO=EROFS|ENOSPC LD_PRELOAD=./faultfs.so prog
 *
 * EROFS: opening a file under FAULTFS_DIR for writing or creating, and
 * rename, unlink and mkostemp there, fail with EROFS.  ENOSPC: writes of
 * one byte or more to a file under FAULTFS_DIR fail with ENOSPC.
 * DIRSYNC: fsync of the folder FAULTFS_DIR (or one below it) fails with
 * EIO, as on a disk that fails just then; everything else works.
 */
#define _GNU_SOURCE
#include <sys/stat.h>
#include <sys/types.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
under(const char *path)
{
	const char *dir = getenv("FAULTFS_DIR");
	size_t n;

	if (dir == NULL || path == NULL)
		return 0;
	n = strlen(dir);
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

static int
mode_is(const char *name)
{
	const char *m = getenv("FAULTFS_ERRNO");

	return m != NULL && strcmp(m, name) == 0;
}

static int
fd_under(int fd)
{
	char link[64], path[4096];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	if ((n = readlink(link, path, sizeof(path) - 1)) < 0)
		return 0;
	path[n] = '\0';
	return under(path);
}

static int
refuse_open(const char *path, int flags)
{
	return mode_is("EROFS") && under(path) &&
	    (flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)) != 0;
}

#define NEXT(name)	((__typeof__(&name))dlsym(RTLD_NEXT, #name))

#define OPEN_SHIM(name)							\
int									\
name(const char *path, int flags, ...)					\
{									\
	mode_t mode = 0;						\
	va_list ap;							\
									\
	if (flags & (O_CREAT | O_TMPFILE)) {				\
		va_start(ap, flags);					\
		mode = va_arg(ap, mode_t);				\
		va_end(ap);						\
	}								\
	if (refuse_open(path, flags)) {					\
		errno = EROFS;						\
		return -1;						\
	}								\
	return NEXT(name)(path, flags, mode);				\
}
OPEN_SHIM(open)
OPEN_SHIM(open64)

#define OPENAT_SHIM(name)						\
int									\
name(int dirfd, const char *path, int flags, ...)			\
{									\
	mode_t mode = 0;						\
	va_list ap;							\
									\
	if (flags & (O_CREAT | O_TMPFILE)) {				\
		va_start(ap, flags);					\
		mode = va_arg(ap, mode_t);				\
		va_end(ap);						\
	}								\
	if (refuse_open(path, flags)) {					\
		errno = EROFS;						\
		return -1;						\
	}								\
	return NEXT(name)(dirfd, path, flags, mode);			\
}
OPENAT_SHIM(openat)
OPENAT_SHIM(openat64)

int
mkostemp(char *template, int flags)
{
	if (mode_is("EROFS") && under(template)) {
		errno = EROFS;
		return -1;
	}
	return NEXT(mkostemp)(template, flags);
}

int
rename(const char *from, const char *to)
{
	if (mode_is("EROFS") && (under(from) || under(to))) {
		errno = EROFS;
		return -1;
	}
	return NEXT(rename)(from, to);
}

int
unlink(const char *path)
{
	if (mode_is("EROFS") && under(path)) {
		errno = EROFS;
		return -1;
	}
	return NEXT(unlink)(path);
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	if (n > 0 && mode_is("ENOSPC") && fd_under(fd)) {
		errno = ENOSPC;
		return -1;
	}
	return NEXT(write)(fd, buf, n);
}

ssize_t
pwrite(int fd, const void *buf, size_t n, off_t off)
{
	if (n > 0 && mode_is("ENOSPC") && fd_under(fd)) {
		errno = ENOSPC;
		return -1;
	}
	return NEXT(pwrite)(fd, buf, n, off);
}

ssize_t
pwrite64(int fd, const void *buf, size_t n, off_t off)
{
	if (n > 0 && mode_is("ENOSPC") && fd_under(fd)) {
		errno = ENOSPC;
		return -1;
	}
	return NEXT(pwrite64)(fd, buf, n, off);
}

int
fsync(int fd)
{
	struct stat st;

	if (mode_is("DIRSYNC") && fstat(fd, &st) == 0 &&
	    S_ISDIR(st.st_mode) && fd_under(fd)) {
		errno = EIO;
		return -1;
	}
	return NEXT(fsync)(fd);
}
