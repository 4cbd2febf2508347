/* Owns the kallsyms cache file (see kallsyms_cache.h): its name, its check and its layout:
 *	header { char magic[8]; u64 first_addr, text, nr; }
 *	nr x { u64 addr; u8 binding; u8 pad; u16 len; char name[len]; char nul; }
 * mapped whole and kept mapped by the DSO: its symbols' names point into it (no copy). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "perfdata/buildid.h"
#include "symbols/dso.h"
#include "symbols/kallsyms_cache.h"
#include "util/array.h"
#include "util/log.h"

#define KC_MAGIC "KSYMC3\n"

struct kc_header {
	char magic[8];
	uint64_t first_addr, text, nr;
};

struct kc_rec {
	uint64_t addr;
	uint8_t binding, pad;
	uint16_t len;
};

/* The cache's directory and file name for this boot and kernel; -ENOENT if unknown. */
static int cache_path(char *dir, size_t dsz, char *path, size_t psz)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	uint8_t id[PD_BUILD_ID_MAX];
	char boot[64] = "", hex[2 * PD_BUILD_ID_MAX + 1];
	int n = pd_buildid__kernel(id), fd, len;

	if (n <= 0 || (!(xdg && *xdg) && !(home && *home)))
		return -ENOENT;
	fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	len = fd >= 0 ? (int)read(fd, boot, sizeof(boot) - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (len < 32)
		return -ENOENT;
	boot[strcspn(boot, "\n")] = '\0';
	for (int i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", id[i]);
	if (xdg && *xdg)
		len = snprintf(dir, dsz, "%s/pstat", xdg);
	else
		len = snprintf(dir, dsz, "%s/.cache/pstat", home);
	if (len < 0 || (size_t)len >= dsz ||
	    snprintf(path, psz, "%s/kallsyms3-%s-%s", dir, boot, hex) >= (int)psz)
		return -ENOENT;
	return 0;
}

/* The address on /proc/kallsyms's first line (0 when hidden or unreadable). */
static uint64_t first_addr(void)
{
	char line[256];
	FILE *f = fopen("/proc/kallsyms", "re");
	uint64_t a = 0;

	if (f && fgets(line, sizeof(line), f))
		a = strtoull(line, NULL, 16);
	if (f)
		fclose(f);
	return a;
}

/* Fault in [p, p + n) with one call rather than a page fault per page (the table is a few
 * MB, and faults are dear under virtualization); best effort. */
static void prefault(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
	uintptr_t a = ((uintptr_t)p + 4095) & ~(uintptr_t)4095, e = ((uintptr_t)p + n) & ~(uintptr_t)4095;

	if (e > a)
		madvise((void *)a, e - a, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)n;
#endif
}

/* The whole file mapped (the page cache's pages, no copy); NULL when it cannot be. */
static char *map_file(int fd, size_t *size)
{
	struct stat st;
	void *p;

	if (fstat(fd, &st) || st.st_size < (off_t)sizeof(struct kc_header) ||
	    st.st_size > (off_t)1 << 30)
		return NULL;
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (p == MAP_FAILED)
		return NULL;
	*size = (size_t)st.st_size;
	return p;
}

int kallsyms_cache__load(struct dso *dso, uint64_t *text)
{
	char dir[4096], path[4200];
	struct kc_header h;
	size_t size = 0, off = sizeof(h);
	char *buf;
	int fd;

	if (cache_path(dir, sizeof(dir), path, sizeof(path)))
		return -ENOENT;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ENOENT;
	buf = map_file(fd, &size);
	close(fd);
	if (!buf)
		return -ENOENT;
	memcpy(&h, buf, sizeof(h));
	if (memcmp(h.magic, KC_MAGIC, 8) || !h.first_addr || h.nr > (1u << 24) ||
	    h.first_addr != first_addr() ||
	    /* the table at its final size at once, not grown symbol by symbol */
	    ARRAY_GROW(dso->syms, dso->syms_cap, dso->nr_syms + h.nr))
		goto bad;
	prefault(dso->syms + dso->nr_syms, h.nr * sizeof(*dso->syms));
	for (uint64_t i = 0; i < h.nr; i++) {
		struct symbol *s = &dso->syms[dso->nr_syms + i];
		struct kc_rec r;

		if (size - off < sizeof(r))
			goto bad;
		memcpy(&r, buf + off, sizeof(r));
		off += sizeof(r);
		/* a damaged file: read kallsyms instead */
		if (size - off < (size_t)r.len + 1 || buf[off + r.len])
			goto bad;
		*s = (struct symbol){ .start = r.addr, .end = r.addr, .name = buf + off,
				      .binding = r.binding };
		off += (size_t)r.len + 1;
	}
	dso->nr_syms += h.nr;
	dso->names_block = buf;
	dso->names_block_size = size;
	*text = h.text;
	return 0;
bad:
	munmap(buf, size);
	return -ENOENT;
}

static int write_all(FILE *f, const struct dso *dso, uint64_t text, uint64_t first)
{
	struct kc_header h = { .magic = KC_MAGIC, .first_addr = first, .text = text,
			       .nr = dso->nr_syms };

	if (fwrite(&h, sizeof(h), 1, f) != 1)
		return -EIO;
	for (size_t i = 0; i < dso->nr_syms; i++) {
		size_t len = strlen(dso->syms[i].name);
		struct kc_rec r = { .addr = dso->syms[i].start, .binding = dso->syms[i].binding,
				    .len = (uint16_t)len };

		if (len > UINT16_MAX || fwrite(&r, sizeof(r), 1, f) != 1 ||
		    fwrite(dso->syms[i].name, 1, len + 1, f) != len + 1)
			return -EIO;
	}
	return 0;
}

void kallsyms_cache__save(const struct dso *dso, uint64_t text)
{
	char dir[4096], path[4200], tmp[4300];
	uint64_t first = first_addr();
	FILE *f;
	int bad;

	if (!first || !dso->nr_syms || cache_path(dir, sizeof(dir), path, sizeof(path)))
		return;
	/* the parent is the user's cache folder (made if missing, as other programs do) */
	*strrchr(dir, '/') = '\0';
	mkdir(dir, 0700);
	dir[strlen(dir)] = '/';
	mkdir(dir, 0700);
	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	f = fopen(tmp, "we");
	if (!f) {
		pr_debug("kallsyms cache: cannot write %s: %s", tmp, strerror(errno));
		return;
	}
	bad = write_all(f, dso, text, first);
	if (fclose(f) || bad || rename(tmp, path)) {
		pr_debug("kallsyms cache: cannot write %s", path);
		unlink(tmp);
	}
}
