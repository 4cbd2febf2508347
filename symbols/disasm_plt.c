/* Owns objdump's spelling of PLT slot names (the slots and their relocations come from
 * symbols/plt.c's walk): "name@plt", or "*ABS*+0xADDEND@plt" where the relocation names no
 * symbol. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symbols/disasm_plt.h"
#include "symbols/elf_file.h"
#include "symbols/loaders.h"
#include "util/array.h"
#include "util/bsearch.h"
#include "util/strarena.h"

struct plt_slot {
	uint64_t addr;
	const char *name;
};

struct plt_names {
	struct plt_slot *slots;	/* sorted by addr (the walk goes section by section) */
	size_t nr, cap;
	struct strarena names;
};

static int add_slot(void *ctx, uint64_t addr, uint64_t size, const char *name, uint64_t addend)
{
	struct plt_names *p = ctx;
	char buf[512];
	int n;

	(void)size;
	if (name[0])
		n = snprintf(buf, sizeof(buf), "%s@plt", name);
	else
		n = snprintf(buf, sizeof(buf), "*ABS*+0x%" PRIx64 "@plt", addend);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return 0;
	if (ARRAY_GROW(p->slots, p->cap, p->nr + 1))
		return -ENOMEM;
	p->slots[p->nr].addr = addr;
	p->slots[p->nr].name = strarena__add(&p->names, buf, (size_t)n);
	if (!p->slots[p->nr].name)
		return -ENOMEM;
	p->nr++;
	return 0;
}

static int cmp_slot(const void *a, const void *b)
{
	const struct plt_slot *x = a, *y = b;

	return (x->addr > y->addr) - (x->addr < y->addr);
}

struct plt_names *plt_names__open(const char *path)
{
	struct elf_file f = ELF_FILE_INIT;
	struct plt_names *p;
	int ret = elf_file__open(&f, path, NULL);

	if (ret) {
		errno = -ret;
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		ret = -ENOMEM;
		goto err;
	}
	if ((ret = plt__walk(f.elf, add_slot, p)))
		goto err;
	array__sort(p->slots, p->nr, sizeof(*p->slots), cmp_slot);	/* the vdso has none: NULL */
	elf_file__close(&f);
	return p;
err:
	plt_names__close(p);
	elf_file__close(&f);
	errno = -ret;
	return NULL;
}

void plt_names__close(struct plt_names *p)
{
	if (!p)
		return;
	free(p->slots);
	strarena__exit(&p->names);
	free(p);
}

const char *plt_names__exact(const struct plt_names *p, uint64_t addr)
{
	const struct plt_slot *s;

	if (!p)
		return NULL;
	s = BSEARCH_LAST_LE(p->slots, p->nr, addr, addr);
	return s && s->addr == addr ? s->name : NULL;
}
