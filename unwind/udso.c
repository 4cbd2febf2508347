/* Owns the unwinders' per-DSO files: one mapping of each DSO's ELF file (for [vdso] the
 * own vdso copied from this process), its separate debug file, and the table that finds
 * them by DSO pointer. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "symbols/dso.h"
#include "symbols/map.h"
#include "symbols/symfs.h"
#include "unwind/udso.h"
#include "util/hash.h"
#include "util/log.h"

static void udso_open(struct udso *u)
{
	struct dso *dso = u->dso;
	char path[ELF_FILE_PATH] = "";
	int ret;

	if (!dso->loaded)
		dso__load(dso);		/* segments and the debug file's name */
	/* the file the symbol loader found by build-id (symbols/symfs.h), else for the vdso
	 * this process's own */
	if (dso->kind != DSO_VDSO && dso->kind != DSO_USER)
		return;
	ret = dso__find_binary(dso, path, sizeof(path));
	if (!ret)
		ret = elf_file__map(&u->file, path);
	else if (dso->kind == DSO_VDSO)
		ret = elf_file__open_own_vdso(&u->file, NULL);
	if (ret == -ENOEXEC)
		pr_debug("unwind: %s is not an ELF file", dso->name);
	if (ret)
		return;
	if (dso->debugsrc && strcmp(dso->debugsrc, path))
		elf_file__map(&u->dbg, dso->debugsrc);
	u->ok = true;
}

static void udso_free(struct udso *u, void (*priv_free)(void *))
{
	if (u->priv && priv_free)
		priv_free(u->priv);
	elf_file__close(&u->file);
	elf_file__close(&u->dbg);
	free(u);
}

struct udso *udsos__get(struct udsos *t, struct dso *dso)
{
	uint64_t h;
	struct htab_slot *s;
	struct udso *u;
	size_t pos;

	if (t->last && t->last->dso == dso)
		return t->last;
	h = hash_ptr(dso);
	htab__for_each_hash(&t->by_dso, h, s, pos) {
		u = (struct udso *)s->val;
		if (u->dso == dso)
			return t->last = u;
	}
	u = calloc(1, sizeof(*u));
	if (!u)
		return NULL;
	u->dso = dso;
	u->file = (struct elf_file)ELF_FILE_INIT;
	u->dbg = (struct elf_file)ELF_FILE_INIT;
	if (htab__insert(&t->by_dso, h, (uintptr_t)u)) {
		free(u);
		return NULL;
	}
	udso_open(u);
	return t->last = u;
}

void udsos__exit(struct udsos *t)
{
	struct htab_slot *s;

	htab__for_each(&t->by_dso, s)
		udso_free((struct udso *)s->val, t->priv_free);
	htab__exit(&t->by_dso);
	t->last = NULL;
}

uint64_t udso__vaddr(const struct map *m, uint64_t ip)
{
	if (!m->dso->loaded)
		dso__load(m->dso);
	return dso__map_to_vaddr(m->dso, map__map_ip(m, ip));
}

bool udso__read(const struct udso *u, uint64_t vaddr, void *buf, size_t len)
{
	size_t n;

	if (!u->file.elf || elf_getphdrnum(u->file.elf, &n))
		return false;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(u->file.elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (vaddr < ph.p_vaddr || vaddr - ph.p_vaddr >= ph.p_filesz ||
		    ph.p_filesz - (vaddr - ph.p_vaddr) < len)
			continue;
		if (ph.p_offset + (vaddr - ph.p_vaddr) + len > u->file.size)
			return false;
		memcpy(buf, u->file.image + ph.p_offset + (vaddr - ph.p_vaddr), len);
		return true;
	}
	return false;
}
