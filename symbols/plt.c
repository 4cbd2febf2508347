/* Owns the "name@plt" symbols of x86-64 PLT slots. Each slot's name comes from the relocation
 * of the GOT entry that the slot's indirect jump goes through (jmp *disp(%rip), with or
 * without endbr64 and bnd prefixes), never from the slot's position: the same rule names the
 * slots of ld.bfd's lazy .plt, .plt.sec (IBT) and .plt.got (GLOB_DAT entries, -z now), and of
 * lld's .plt (sh_entsize 0), and a slot whose jump matches no relocation gets no name. */
#include <elf.h>
#include <errno.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symbols/dso.h"
#include "symbols/elf_file.h"
#include "symbols/loaders.h"
#include "util/array.h"
#include "util/bsearch.h"

struct got_ent {
	uint64_t addr;		/* the GOT entry's address (r_offset) */
	const char *name;	/* the symbol it is resolved to; "" for IRELATIVE */
	uint64_t addend;	/* r_addend (an IRELATIVE's resolver address) */
};

struct got_map {
	struct got_ent *e;
	size_t nr, cap;
};

/* The JUMP_SLOT and GLOB_DAT relocations of a RELA section: the GOT entries a PLT can use. */
static int got_add_relocs(struct got_map *g, Elf *elf, const char *secname)
{
	GElf_Shdr relsh, dynsh;
	Elf_Scn *relscn = elf_file__section(elf, secname, &relsh), *dynscn;
	Elf_Data *rel, *dyn;
	size_t n;

	if (!relscn || relsh.sh_type != SHT_RELA || !relsh.sh_entsize)
		return 0;
	dynscn = elf_getscn(elf, relsh.sh_link);
	if (!dynscn || !gelf_getshdr(dynscn, &dynsh) || !dynsh.sh_entsize)
		return 0;
	rel = elf_getdata(relscn, NULL);
	dyn = elf_getdata(dynscn, NULL);
	if (!rel || !dyn)
		return 0;
	n = relsh.sh_size / relsh.sh_entsize;
	for (size_t i = 0; i < n; i++) {
		GElf_Rela r;
		GElf_Sym sym;
		const char *name = "";
		uint32_t type;

		if (!gelf_getrela(rel, (int)i, &r))
			break;
		type = GELF_R_TYPE(r.r_info);
		if (type != R_X86_64_JUMP_SLOT && type != R_X86_64_GLOB_DAT &&
		    type != R_X86_64_IRELATIVE)
			continue;
		if (GELF_R_SYM(r.r_info) && gelf_getsym(dyn, (int)GELF_R_SYM(r.r_info), &sym))
			name = elf_strptr(elf, dynsh.sh_link, sym.st_name);
		if (!name)
			name = "";
		if (ARRAY_GROW(g->e, g->cap, g->nr + 1))
			return -ENOMEM;
		g->e[g->nr++] = (struct got_ent){ .addr = r.r_offset, .name = name,
						  .addend = (uint64_t)r.r_addend };
	}
	return 0;
}

static int cmp_got(const void *a, const void *b)
{
	const struct got_ent *x = a, *y = b;

	return (x->addr > y->addr) - (x->addr < y->addr);
}

static const struct got_ent *got_find(const struct got_map *g, uint64_t addr)
{
	const struct got_ent *e = BSEARCH_LAST_LE(g->e, g->nr, addr, addr);

	return e && e->addr == addr ? e : NULL;
}

/* The GOT entry the slot at [p, p + len) (address @addr) jumps through, 0 if none: a
 * "ff 25 disp32" at the slot's start, after an optional endbr64 (f3 0f 1e fa) and an
 * optional bnd prefix (f2). IBT's lazy stubs (endbr64; push; bnd jmp rel32) have none. */
static uint64_t slot_got(const uint8_t *p, size_t len, uint64_t addr)
{
	static const uint8_t endbr64[4] = { 0xf3, 0x0f, 0x1e, 0xfa };
	size_t i = 0;
	int32_t disp;

	if (len >= 4 && !memcmp(p, endbr64, 4))
		i = 4;
	if (i < len && p[i] == 0xf2)
		i++;
	if (i + 6 > len || p[i] != 0xff || p[i + 1] != 0x25)
		return 0;
	memcpy(&disp, p + i + 2, 4);
	return addr + i + 6 + (int64_t)disp;
}

/* Hands each slot of one PLT section, entsz bytes each (sh_entsize, else @dflt), to @cb. */
static int walk_slots(Elf *elf, const char *secname, uint64_t dflt, const struct got_map *g,
		      plt_slot_cb cb, void *ctx)
{
	GElf_Shdr sh;
	Elf_Scn *scn = elf_file__section(elf, secname, &sh);
	Elf_Data *d;
	uint64_t entsz;
	int ret;

	if (!scn || sh.sh_type != SHT_PROGBITS || !(d = elf_getdata(scn, NULL)) || !d->d_buf)
		return 0;
	entsz = sh.sh_entsize ? sh.sh_entsize : dflt;
	for (uint64_t off = 0; off + entsz <= d->d_size; off += entsz) {
		uint64_t got = slot_got((const uint8_t *)d->d_buf + off, entsz, sh.sh_addr + off);
		const struct got_ent *e = got ? got_find(g, got) : NULL;

		if (!e)
			continue;	/* the PLT header, or a slot of unknown shape */
		if ((ret = cb(ctx, sh.sh_addr + off, entsz, e->name, e->addend)))
			return ret;
	}
	return 0;
}

int plt__walk(void *elfp, plt_slot_cb cb, void *ctx)
{
	Elf *elf = elfp;
	struct got_map g = { 0 };
	GElf_Ehdr eh;
	int ret;

	if (!gelf_getehdr(elf, &eh) || eh.e_machine != EM_X86_64)
		return 0;
	if ((ret = got_add_relocs(&g, elf, ".rela.plt")) ||
	    (ret = got_add_relocs(&g, elf, ".rela.dyn")))
		goto out;
	if (!g.nr)
		goto out;
	array__sort(g.e, g.nr, sizeof(*g.e), cmp_got);
	/* .plt of IBT binaries holds lazy stubs without GOT jumps: only .plt.sec's are named */
	if ((ret = walk_slots(elf, ".plt", 16, &g, cb, ctx)) ||
	    (ret = walk_slots(elf, ".plt.sec", 16, &g, cb, ctx)) ||
	    (ret = walk_slots(elf, ".plt.got", 8, &g, cb, ctx)))
		goto out;
out:
	free(g.e);
	return ret;
}

static int add_slot(void *ctx, uint64_t addr, uint64_t size, const char *name, uint64_t addend)
{
	char buf[512];

	(void)addend;
	snprintf(buf, sizeof(buf), "%s@plt", name);
	return dso__add_sym(ctx, addr, size, buf, STB_GLOBAL) ? -ENOMEM : 0;
}

int plt__synth(struct dso *dso, void *elf)
{
	return plt__walk(elf, add_slot, dso);
}
