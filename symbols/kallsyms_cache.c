/* Owns the kallsyms cache file (see kallsyms_cache.h): its name, its check and its layout:
 *	header { char magic[8]; u64 first_addr, text, nr; }
 *	nr x { u64 addr; u8 binding; u8 pad; u16 len; char name[len]; } (read as a stream: no
 *	copy of the whole file in memory). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "perfdata/buildid.h"
#include "symbols/dso.h"
#include "symbols/kallsyms_cache.h"
#include "util/array.h"
#include "util/log.h"

#define KC_MAGIC "KSYMC2\n"

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
	    snprintf(path, psz, "%s/kallsyms-%s-%s", dir, boot, hex) >= (int)psz)
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

int kallsyms_cache__load(struct dso *dso, uint64_t *text)
{
	char dir[4096], path[4200], name[UINT16_MAX + 1];
	struct kc_header h;
	struct kc_rec r;
	FILE *f;
	int ret = -ENOENT;

	if (cache_path(dir, sizeof(dir), path, sizeof(path)))
		return -ENOENT;
	f = fopen(path, "re");
	if (!f)
		return -ENOENT;
	setvbuf(f, NULL, _IOFBF, 1 << 16);
	if (fread(&h, sizeof(h), 1, f) != 1 || memcmp(h.magic, KC_MAGIC, 8) || !h.first_addr ||
	    h.nr > (1u << 24) || h.first_addr != first_addr())
		goto out;
	/* the table at its final size at once, not grown symbol by symbol */
	if (ARRAY_GROW(dso->syms, dso->syms_cap, dso->nr_syms + h.nr))
		goto out;
	for (uint64_t i = 0; i < h.nr; i++) {
		if (fread(&r, sizeof(r), 1, f) != 1 || fread(name, 1, r.len, f) != r.len) {
			dso->nr_syms = 0;	/* a damaged file: read kallsyms instead */
			goto out;
		}
		name[r.len] = '\0';
		if (dso__add_sym(dso, r.addr, 0, name, r.binding)) {
			dso->nr_syms = 0;
			goto out;
		}
	}
	*text = h.text;
	ret = 0;
out:
	fclose(f);
	return ret;
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
		    fwrite(dso->syms[i].name, 1, len, f) != len)
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
