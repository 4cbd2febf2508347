/* Owns the kallsyms cache file (see kallsyms_cache.h): its name, its check and its layout:
 *	header { char magic[8]; u64 first_addr, text, nr, names_size; }
 *	nr x struct dso_lazy_sym { u64 start, end; u32 name; u8 binding, pad[3]; }  (sorted)
 *	names_size bytes of NUL-terminated names (the last byte a NUL)
 * mapped whole and kept mapped by the DSO, which builds a symbol from its entry when a
 * lookup first lands on it: opening costs a mapping, not a table of 100K symbols. */
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

#define KC_MAGIC "KSYMC4\n"

struct kc_header {
	char magic[8];
	uint64_t first_addr, text, nr, names_size;
};

_Static_assert(sizeof(struct dso_lazy_sym) == 24, "the cache's entry layout");

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
	    snprintf(path, psz, "%s/kallsyms4-%s-%s", dir, boot, hex) >= (int)psz)
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

/* The whole file mapped (the page cache's pages, no copy); NULL when it cannot be. */
static char *map_file(int fd, size_t *size)
{
	struct stat st;
	void *p;

	if (fstat(fd, &st) || st.st_size < (off_t)sizeof(struct kc_header) ||
	    st.st_size > (off_t)1 << 30)
		return NULL;
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return NULL;
	*size = (size_t)st.st_size;
	return p;
}

int kallsyms_cache__load(struct dso *dso, uint64_t *text)
{
	char dir[4096], path[4200];
	struct kc_header h;
	size_t size = 0;
	struct symbol *syms = MAP_FAILED;
	uint64_t *built = NULL;
	char *buf;
	int fd;

	if (dso->nr_syms || cache_path(dir, sizeof(dir), path, sizeof(path)))
		return -ENOENT;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ENOENT;
	buf = map_file(fd, &size);
	close(fd);
	if (!buf)
		return -ENOENT;
	memcpy(&h, buf, sizeof(h));
	/* a damaged or foreign file: read kallsyms instead */
	if (memcmp(h.magic, KC_MAGIC, 8) || !h.first_addr || !h.nr || h.nr > (1u << 24) ||
	    !h.names_size || h.names_size > (1u << 30) ||
	    size != sizeof(h) + h.nr * sizeof(struct dso_lazy_sym) + h.names_size ||
	    buf[size - 1] || h.first_addr != first_addr())
		goto bad;
	/* untouched until a lookup builds an entry: no page of it costs before then */
	syms = mmap(NULL, h.nr * sizeof(*syms), PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	built = calloc((h.nr + 63) / 64, sizeof(*built));
	if (syms == MAP_FAILED || !built)
		goto bad;
	free(dso->syms);
	dso->syms = syms;
	dso->syms_mapped = true;
	dso->nr_syms = dso->syms_cap = h.nr;
	dso->lazy = (const struct dso_lazy_sym *)(buf + sizeof(h));
	dso->lazy_built = built;
	dso->lazy_names = buf + sizeof(h) + h.nr * sizeof(struct dso_lazy_sym);
	dso->lazy_names_size = h.names_size;
	dso->names_block = buf;
	dso->names_block_size = size;
	*text = h.text;
	return 0;
bad:
	if (syms != MAP_FAILED)
		munmap(syms, h.nr * sizeof(*syms));
	free(built);
	munmap(buf, size);
	return -ENOENT;
}

static int write_all(FILE *f, const struct dso *dso, uint64_t text, uint64_t first)
{
	struct kc_header h = { .magic = KC_MAGIC, .first_addr = first, .text = text,
			       .nr = dso->nr_syms };
	uint64_t off = 0;
	size_t i;

	for (i = 0; i < dso->nr_syms; i++)
		h.names_size += strlen(dso->syms[i].name) + 1;
	if (h.names_size >= UINT32_MAX || fwrite(&h, sizeof(h), 1, f) != 1)
		return -EIO;
	for (i = 0; i < dso->nr_syms; i++) {
		const struct symbol *s = &dso->syms[i];
		struct dso_lazy_sym r = { .start = s->start, .end = s->end, .name = (uint32_t)off,
					  .binding = s->binding };

		if (fwrite(&r, sizeof(r), 1, f) != 1)
			return -EIO;
		off += strlen(s->name) + 1;
	}
	for (i = 0; i < dso->nr_syms; i++) {
		size_t len = strlen(dso->syms[i].name) + 1;

		if (fwrite(dso->syms[i].name, 1, len, f) != len)
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
