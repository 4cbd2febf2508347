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

#include "perfdata/buildid.h"
#include "symbols/dso.h"
#include "symbols/elf_file.h"
#include "symbols/kallsyms_cache.h"
#include "symbols/loaders.h"
#include "util/log.h"

/* The kallsyms copy of the recorded kernel; *proc: it is the running kernel's. */
static FILE *open_kallsyms(const struct dso *dso, bool *proc)
{
	uint8_t id[PD_BUILD_ID_MAX];
	int n;

	if (dso->has_build_id) {
		n = pd_buildid__kernel(id);
		if (n != (int)dso->build_id_size || memcmp(id, dso->build_id, dso->build_id_size)) {
			char hex[2 * PD_BUILD_ID_MAX + 1], path[ELF_FILE_PATH];
			FILE *f;

			build_id__hex(dso->build_id, dso->build_id_size, hex);
			build_id__cache_kallsyms(dso->build_id, dso->build_id_size, path, sizeof(path));
			f = fopen(path, "re");
			if (f) {
				*proc = false;
				return f;
			}
			if (dso->embedded) {	/* the recording's own copy (symbols/embed.h) */
				errno = ENOENT;
				return NULL;
			}
			pr_warn("the recorded kernel (build-id %s) is not the running one; "
				"kernel symbols may be wrong", hex);
		}
	}
	*proc = true;
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
	bool nonzero = false, proc = false, cached = false;
	size_t i;
	FILE *f;

	if (want_module)
		module_name(dso->name, mod, sizeof(mod));
	f = open_kallsyms(dso, &proc);
	if (!f)
		return -errno;
	if (proc && !want_module && !kallsyms_cache__load(dso, &text))
		cached = nonzero = true;
	while (!cached && fgets(line, sizeof(line), f)) {
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
	/* sorted, sized and aliases chosen before the move below, which shifts every symbol
	 * by the same page-aligned amount (the cache keeps the table as fixed up here) */
	if (!cached) {
		dso__fixup_syms(dso, true);
		if (proc && !want_module)
			kallsyms_cache__save(dso, text);
	}
	if (dso->kind == DSO_KERNEL && dso->kernel_reloc && text)
		delta = (int64_t)(text - dso->kernel_reloc);
	dso->kernel_delta = delta;
	if (delta) {
		dso__syms_all(dso);
		for (i = 0; i < dso->nr_syms; i++) {
			dso->syms[i].start -= (uint64_t)delta;
			dso->syms[i].end -= (uint64_t)delta;
		}
	}
	dso->symsrc = strdup("kallsyms");
	return 0;
}
