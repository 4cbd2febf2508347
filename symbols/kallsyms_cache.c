/* Owns the kallsyms cache's name and key (see kallsyms_cache.h): a symbol-table file
 * (symtab_file.h) named after the boot and the kernel's build-id, keyed by the address on
 * /proc/kallsyms's first line, carrying _text's address. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perfdata/buildid.h"
#include "symbols/dso.h"
#include "symbols/kallsyms_cache.h"
#include "symbols/symtab_file.h"

/* The cache file's name for this boot and kernel; -ENOENT if unknown. */
static int cache_path(char *path, size_t psz)
{
	uint8_t id[PD_BUILD_ID_MAX];
	char dir[4096], boot[64] = "", hex[2 * PD_BUILD_ID_MAX + 1];
	int n = pd_buildid__kernel(id), fd, len;

	if (n <= 0 || symtab_file__dir(dir, sizeof(dir)))
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
	if (snprintf(path, psz, "%s/kallsyms6-%s-%s", dir, boot, hex) >= (int)psz)
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
	char path[4200];
	uint64_t first;

	if (dso->nr_syms || cache_path(path, sizeof(path)))
		return -ENOENT;
	/* a cache is used only while the addresses read as when it was written */
	first = first_addr();
	if (!first)
		return -ENOENT;
	return symtab_file__load(dso, path, &first, sizeof(first), text);
}

void kallsyms_cache__save(const struct dso *dso, uint64_t text)
{
	char path[4200];
	uint64_t first = first_addr();

	if (first && !cache_path(path, sizeof(path)))
		symtab_file__save(dso, path, &first, sizeof(first), text);
}
