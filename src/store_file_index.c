/*
 * store_file_index.c: the flat-file store's lookup index,
 * "$USER_STORE.idx", so a lookup costs the same with a million users as
 * with none.  It is a cache: the store stays the truth, and the index is
 * rebuilt from it whenever it does not match.
 *
 * Layout: a header (which store file it covers: device, inode, the byte
 * length of the store it has indexed, and the boot it was written in),
 * then an open-addressing table of 8-byte slots: a 24-bit tag of the
 * name's hash and the line's offset + 1.  Every hit is checked against
 * the store's line, so a stale slot can only cost time, never a wrong
 * answer; lines past "covered" are found by scanning just that tail.
 * Writers change it only under the store's lock.  Slots are written
 * before the header moves "covered" on, so a killed writer leaves extra
 * slots, not missing ones.  The index is not fsynced: a different boot
 * id (the machine went down, and unsynced pages with it) means rebuild.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"
#include "store_file.h"
#include "store_line.h"

#define IDX_MAGIC	"ucidx2\n"
#define IDX_HDR		128
#define IDX_MIN_SLOTS	1024
#define OFF_BITS	40
#define OFF_MASK	((UINT64_C(1) << OFF_BITS) - 1)

struct idx_header {
	char		magic[8];
	uint64_t	dev;
	uint64_t	ino;
	uint64_t	covered;	/* store bytes whose lines are indexed */
	uint64_t	nslots;		/* a power of two */
	uint64_t	count;
	char		boot_id[48];
	uint64_t	tail_hash;	/* the last line before "covered", see below */
	char		pad[IDX_HDR - 8 - 6 * 8 - 48];
};

static uint64_t
slot_value(uint64_t h, uint64_t off)
{
	return (h >> 40) << OFF_BITS | ((off + 1) & OFF_MASK);
}

/* The running kernel's boot id: unsynced index pages die with a boot. */
static int
boot_id(char out[48])
{
	ssize_t n;
	int fd;

	memset(out, 0, 48);
	if ((fd = open("/proc/sys/kernel/random/boot_id",
	    O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, out, 47);
	close(fd);
	return n > 30 ? 0 : -1;
}

/*
 * A fingerprint of the store's last line before covered.  Device, inode
 * and length alone do not tell a store that was removed and created again
 * (inode numbers are reused): its last indexed line, holding a salted
 * hash, does.
 */
static uint64_t
tail_hash(int fd, uint64_t covered)
{
	char buf[8192];
	uint64_t start;
	ssize_t n;
	size_t i;

	if (covered == 0)
		return 0;
	start = covered > sizeof(buf) ? covered - sizeof(buf) : 0;
	n = pread(fd, buf, (size_t)(covered - start), (off_t)start);
	if (n != (ssize_t)(covered - start))
		return 1;
	/* Back from the line's own newline to the one before it. */
	for (i = (size_t)n - 1; i > 0 && buf[i - 1] != '\n'; i--)
		;
	return line_name_hash(buf + i, (size_t)n - i);
}

/* Does hdr describe the store fd (st, of size size), in this boot? */
static int
header_matches(const struct idx_header *hdr, int fd, const struct stat *st,
    off_t size)
{
	char boot[48];

	return memcmp(hdr->magic, IDX_MAGIC, 8) == 0 &&
	    hdr->covered <= (uint64_t)size &&
	    hdr->tail_hash == tail_hash(fd, hdr->covered) &&
	    hdr->dev == (uint64_t)st->st_dev &&
	    hdr->ino == (uint64_t)st->st_ino &&
	    hdr->nslots >= IDX_MIN_SLOTS &&
	    (hdr->nslots & (hdr->nslots - 1)) == 0 &&
	    boot_id(boot) == 0 && memcmp(boot, hdr->boot_id, 48) == 0;
}

/* Is the store's line at off the record of needle (which ends in ":")? */
static int
line_is(int fd, uint64_t off, const char *needle, size_t nlen)
{
	char buf[4096];
	ssize_t n;

	if (nlen > sizeof(buf))
		return 0;
	n = pread(fd, buf, nlen, (off_t)off);
	return n == (ssize_t)nlen && memcmp(buf, needle, nlen) == 0;
}

int
sfi_lookup(const struct store_file *sf, int fd, const struct stat *st,
    const char *needle, size_t nlen, off_t *scan_from, off_t *hit)
{
	const struct idx_header *hdr;
	const uint64_t *slot;
	struct stat ist;
	uint64_t h, i, n, v, mask, tag;
	void *map;
	int ifd, found = -1;

	*scan_from = 0;
	if ((ifd = open(sf->idx_path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(ifd, &ist) == -1 || ist.st_size < IDX_HDR ||
	    (map = mmap(NULL, (size_t)ist.st_size, PROT_READ, MAP_SHARED,
	    ifd, 0)) == MAP_FAILED) {
		close(ifd);
		return -1;
	}
	close(ifd);
	hdr = map;
	if (!header_matches(hdr, fd, st, st->st_size) ||
	    hdr->nslots > ((uint64_t)ist.st_size - IDX_HDR) / 8) {
		munmap(map, (size_t)ist.st_size);
		return -1;
	}
	*scan_from = (off_t)hdr->covered;
	slot = (const uint64_t *)((const char *)map + IDX_HDR);
	mask = hdr->nslots - 1;
	h = line_name_hash(needle, nlen - 1);
	tag = h >> 40;
	/*
	 * At most nslots probes: a table with no free slot (writers keep it
	 * half empty, so only a damaged index has none) is no index at all.
	 */
	for (i = h & mask, n = 0; n < hdr->nslots; i = (i + 1) & mask, n++) {
		if ((v = slot[i]) == 0) {
			found = 0;
			break;
		}
		if (v >> OFF_BITS == tag && (v & OFF_MASK) - 1 <
		    (uint64_t)st->st_size &&
		    line_is(fd, (v & OFF_MASK) - 1, needle, nlen)) {
			*hit = (off_t)((v & OFF_MASK) - 1);
			found = 1;
			break;
		}
	}
	munmap(map, (size_t)ist.st_size);
	if (found == -1)
		*scan_from = 0;
	return found;
}

/*
 * Filling the table, for a rebuild (the table in memory) and for an
 * update (straight into the index file): one callback records each
 * record line's name and offset.
 */
struct fill_ctx {
	uint64_t	*slot;		/* the table in memory, or NULL: */
	int		 ifd;		/* the index file's */
	uint64_t	 nslots;
	uint64_t	 count;		/* names in the table */
	uint64_t	 off;		/* offset of the line being passed */
	int		 failed;
};

/* Put one slot; -1 when it cannot be read or written, or the table is full. */
static int
fill_put(struct fill_ctx *fc, uint64_t h, uint64_t v)
{
	uint64_t i, n, mask = fc->nslots - 1, cur;

	for (i = h & mask, n = 0; n < fc->nslots; i = (i + 1) & mask, n++) {
		if (fc->slot != NULL)
			cur = fc->slot[i];
		else if (pread(fc->ifd, &cur, 8, (off_t)(IDX_HDR + 8 * i)) !=
		    8)
			return -1;
		if (cur == v)
			return 0;
		if (cur != 0)
			continue;
		if (fc->slot != NULL) {
			fc->slot[i] = v;
			return 0;
		}
		return pwrite(fc->ifd, &v, 8, (off_t)(IDX_HDR + 8 * i)) == 8 ?
		    0 : -1;
	}
	return -1;
}

static int
fill_line(const char *line, size_t len, unsigned long lineno, void *arg)
{
	struct fill_ctx *fc = arg;
	const char *colon;
	uint64_t h;

	(void)lineno;
	if (line != NULL && len > 0 && line[0] != '#' &&
	    (colon = memchr(line, ':', len)) != NULL) {
		/* Keep the table at most half full: stop, and go bigger. */
		if (2 * (fc->count + 1) > fc->nslots)
			return SCAN_STOP;
		h = line_name_hash(line, (size_t)(colon - line));
		if (fill_put(fc, h, slot_value(h, fc->off)) == -1) {
			fc->failed = 1;
			return SCAN_STOP;
		}
		fc->count++;
	}
	fc->off += len + 1;
	return 0;
}

/* Write a new index for the whole store fd (size: its complete part). */
static int
sfi_rebuild(const struct store_file *sf, int fd, const struct stat *st,
    off_t size, uint64_t want_slots, struct diag *d)
{
	struct idx_header hdr;
	struct fill_ctx bc;
	struct atomic_file af;
	size_t torn;
	int rc;

	memset(&bc, 0, sizeof(bc));
	/* Twice the users a file this size holds at 128 bytes a line. */
	if (want_slots < (uint64_t)size / 64)
		want_slots = (uint64_t)size / 64;
	for (bc.nslots = IDX_MIN_SLOTS; bc.nslots < want_slots; )
		bc.nslots *= 2;
	if ((bc.slot = calloc(bc.nslots, 8)) == NULL)
		return diag_set(d, UC_ERR_NOMEM, "index: out of memory");
	if (lseek(fd, 0, SEEK_SET) == -1)
		rc = UC_ERR_STORE;
	else
		rc = sf_scan(fd, NULL, 0, fill_line, &bc, &torn, sf->path, d);
	if (rc == SCAN_STOP && !bc.failed) {
		/* More users than room: start again, bigger. */
		free(bc.slot);
		return sfi_rebuild(sf, fd, st, size, 4 * bc.nslots, d);
	}
	if (rc != UC_OK || bc.failed) {
		free(bc.slot);
		return UC_ERR_STORE;
	}
	memset(&hdr, 0, sizeof(hdr));
	memcpy(hdr.magic, IDX_MAGIC, 8);
	hdr.dev = (uint64_t)st->st_dev;
	hdr.ino = (uint64_t)st->st_ino;
	hdr.covered = (uint64_t)size;
	hdr.tail_hash = tail_hash(fd, hdr.covered);
	hdr.nslots = bc.nslots;
	hdr.count = bc.count;
	if (boot_id(hdr.boot_id) == -1 ||
	    (rc = atomic_begin(&af, sf->idx_path, 0640, d)) != UC_OK) {
		free(bc.slot);
		return UC_ERR_STORE;
	}
	if ((rc = atomic_write(&af, &hdr, sizeof(hdr), d)) != UC_OK ||
	    (rc = atomic_write(&af, bc.slot, 8 * bc.nslots, d)) != UC_OK ||
	    (rc = atomic_commit(&af, d)) != UC_OK)
		atomic_abort(&af);
	free(bc.slot);
	return rc;
}

int
sfi_update(const struct store_file *sf, int fd, off_t size,
    struct diag *d)
{
	struct idx_header hdr;
	struct fill_ctx uc;
	struct stat st;
	size_t torn;
	int ifd, rc;

	if (fstat(fd, &st) == -1)
		return UC_ERR_STORE;
	ifd = open(sf->idx_path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (ifd == -1 || pread(ifd, &hdr, sizeof(hdr), 0) != sizeof(hdr) ||
	    !header_matches(&hdr, fd, &st, size)) {
		if (ifd != -1)
			close(ifd);
		return sfi_rebuild(sf, fd, &st, size, IDX_MIN_SLOTS, d);
	}
	/* Index the lines from "covered" on: ours, and any a killed writer left. */
	memset(&uc, 0, sizeof(uc));
	uc.ifd = ifd;
	uc.nslots = hdr.nslots;
	uc.count = hdr.count;
	uc.off = hdr.covered;
	if (lseek(fd, (off_t)hdr.covered, SEEK_SET) == -1) {
		close(ifd);
		return UC_ERR_STORE;
	}
	rc = sf_scan(fd, NULL, 0, fill_line, &uc, &torn, sf->path, d);
	if (rc == SCAN_STOP) {
		/* Half full (or a damaged table): a new one, bigger. */
		close(ifd);
		return sfi_rebuild(sf, fd, &st, size, 4 * uc.count, d);
	}
	if (rc != UC_OK || uc.off != (uint64_t)size) {
		close(ifd);
		return UC_ERR_STORE;
	}
	hdr.covered = (uint64_t)size;
	hdr.tail_hash = tail_hash(fd, hdr.covered);
	hdr.count = uc.count;
	rc = pwrite(ifd, &hdr, sizeof(hdr), 0) == sizeof(hdr) ? UC_OK :
	    UC_ERR_STORE;
	close(ifd);
	return rc;
}
