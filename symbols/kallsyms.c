/* Owns kernel and module symbols from kallsyms: which copy matches the recorded kernel
 * (the running one, or perf's ~/.debug/[kernel.kallsyms]/BUILDID/kallsyms), perf's choice
 * of symbol types (text, weak, data, bss), and KASLR relocation against the recorded
 * address of _text carried by the kernel map record. */
#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "symbols/dso.h"
#include "symbols/loaders.h"
#include "util/log.h"

void build_id__hex(const uint8_t *id, size_t size, char *buf)
{
	static const char hx[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < size; i++) {
		buf[2 * i] = hx[id[i] >> 4];
		buf[2 * i + 1] = hx[id[i] & 15];
	}
	buf[2 * size] = '\0';
}

size_t kallsyms__running_build_id(uint8_t *id, size_t max)
{
	uint8_t buf[4096];
	ssize_t n;
	size_t off = 0;
	int fd = open("/sys/kernel/notes", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0)
		return 0;
	while (off + 12 <= (size_t)n) {
		uint32_t nsz, dsz, type;
		size_t name_off = off + 12, desc_off;

		memcpy(&nsz, buf + off, 4);
		memcpy(&dsz, buf + off + 4, 4);
		memcpy(&type, buf + off + 8, 4);
		desc_off = name_off + ((nsz + 3) & ~3u);
		if (desc_off > (size_t)n || dsz > (size_t)n - desc_off)
			return 0;
		if (type == NT_GNU_BUILD_ID && nsz == 4 && !memcmp(buf + name_off, "GNU", 4)) {
			size_t sz = dsz < max ? dsz : max;

			memcpy(id, buf + desc_off, sz);
			return sz;
		}
		off = desc_off + ((dsz + 3) & ~3u);
	}
	return 0;
}

static FILE *open_kallsyms(const struct dso *dso)
{
	uint8_t id[20];
	size_t n;

	if (dso->has_build_id) {
		n = kallsyms__running_build_id(id, sizeof(id));
		if (n != dso->build_id_size || memcmp(id, dso->build_id, n)) {
			char hex[41], path[512];
			const char *home = getenv("HOME");
			FILE *f;

			build_id__hex(dso->build_id, dso->build_id_size, hex);
			snprintf(path, sizeof(path), "%s/.debug/[kernel.kallsyms]/%s/kallsyms",
				 home ? home : "/root", hex);
			f = fopen(path, "re");
			if (f)
				return f;
			pr_warn("the recorded kernel (build-id %s) is not the running one; "
				"kernel symbols may be wrong", hex);
		}
	}
	return fopen("/proc/kallsyms", "re");
}

/* "[name]" or "/path/name.ko" -> "name" as kallsyms writes it ('-' becomes '_'). */
static void module_name(const char *dso_name, char *out, size_t len)
{
	const char *s = strrchr(dso_name, '/');
	size_t i = 0;

	s = s ? s + 1 : dso_name;
	if (*s == '[')
		s++;
	for (; *s && *s != ']' && *s != '.' && i + 1 < len; s++)
		out[i++] = *s == '-' ? '_' : *s;
	out[i] = '\0';
}

static inline int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int kallsyms__load(struct dso *dso)
{
	char line[1024], mod[128] = "";
	bool want_module = dso->kind == DSO_KMODULE;
	uint64_t text = 0;
	int64_t delta = 0;
	bool nonzero = false;
	size_t i;
	FILE *f;

	if (want_module)
		module_name(dso->name, mod, sizeof(mod));
	f = open_kallsyms(dso);
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		uint64_t addr = 0;
		char *p = line, *name, *end, *lmod;
		int v, type;
		uint8_t bind;

		while ((v = hexval(*p)) >= 0) {
			addr = addr << 4 | (uint64_t)v;
			p++;
		}
		if (*p != ' ' || !p[1] || p[2] != ' ')
			continue;
		type = p[1];
		name = p + 3;
		end = name + strcspn(name, "\t\n");
		lmod = NULL;
		if (*end == '\t') {
			lmod = end + 1;
			lmod[strcspn(lmod, "\n")] = '\0';
		}
		*end = '\0';
		if (!want_module && !lmod && !strcmp(name, "_text"))
			text = addr;
		if (addr)
			nonzero = true;
		switch (toupper(type)) {
		case 'T': case 'W': case 'D': case 'B':
			break;
		default:
			continue;
		}
		if (name[0] == '$')
			continue;
		if (want_module) {
			size_t ml;

			if (!lmod || lmod[0] != '[')
				continue;
			ml = strcspn(lmod + 1, "]");
			if (ml != strlen(mod) || strncmp(lmod + 1, mod, ml))
				continue;
		} else if (lmod) {
			continue;
		}
		bind = toupper(type) == 'W' ? STB_WEAK : isupper(type) ? STB_GLOBAL : STB_LOCAL;
		if (dso__add_sym(dso, addr, 0, name, bind)) {
			fclose(f);
			return -ENOMEM;
		}
	}
	fclose(f);
	if (!nonzero) {
		/* kptr_restrict: every address reads 0 */
		dso->nr_syms = 0;
		return -EPERM;
	}
	if (dso->kind == DSO_KERNEL && dso->kernel_reloc && text)
		delta = (int64_t)(text - dso->kernel_reloc);
	dso->kernel_delta = delta;
	if (delta)
		for (i = 0; i < dso->nr_syms; i++)
			dso->syms[i].start = dso->syms[i].end = dso->syms[i].start - (uint64_t)delta;
	dso__fixup_syms(dso, true);
	dso->symsrc = strdup("kallsyms");
	return 0;
}
