/* Owns the conversion between DSOs and the embedded-symbols section (symbols/embed.h): which
 * symbols, segments and lines an entry carries, attaching entries to a session's DSOs, and
 * loading them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "perfdata/format.h"
#include "symbols/dso.h"
#include "symbols/embed.h"
#include "symbols/srcline.h"
#include "util/array.h"
#include "util/bsearch.h"
#include "util/log.h"

struct symembed {
	void *sec;			/* an aligned copy of the section */
	struct pd_embed_dso *dsos;
	size_t nr;
};

/* A growing string table: offsets of the names added. */
struct strtab {
	char *s;
	size_t len, cap;
};

static int strtab__add(struct strtab *t, const char *str, uint32_t *off)
{
	size_t l = strlen(str) + 1;

	if (ARRAY_GROW(t->s, t->cap, t->len + l))
		return -ENOMEM;
	memcpy(t->s + t->len, str, l);
	*off = (uint32_t)t->len;
	t->len += l;
	return 0;
}

static enum dso_kind kind_of(const char *name, uint8_t cpumode)
{
	if (!strcmp(name, "[kernel.kallsyms]"))
		return DSO_KERNEL;
	if (!strcmp(name, "[vdso]"))
		return DSO_VDSO;
	if (cpumode == PERF_RECORD_MISC_KERNEL)
		return DSO_KMODULE;
	return name[0] == '/' && !strstr(name, " (deleted)") ? DSO_USER : DSO_NOSYMS;
}

/* Lines of the sampled addresses: at each, and one byte before (a return address's call). */
static int add_lines(struct dso *dso, const uint64_t *addrs, size_t nr, struct strtab *t,
		     struct pd_embed_line **out, uint32_t *nr_out)
{
	struct pd_embed_line *v = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < nr; i++) {
		uint64_t va = dso__map_to_vaddr(dso, addrs[i]);

		for (int k = 1; k >= 0; k--) {
			const char *file, *dir;
			int line;

			if ((k && !va) || (n && v[n - 1].vaddr >= va - (uint64_t)k) ||
			    srcline__find(dso, va - (uint64_t)k, &file, &dir, &line))
				continue;
			if (ARRAY_GROW(v, cap, n + 1))
				goto nomem;
			v[n] = (struct pd_embed_line){ .vaddr = va - (uint64_t)k, .dir = PD_EMBED_NONE,
						       .line = (uint32_t)line };
			if (strtab__add(t, file, &v[n].file) || (dir && strtab__add(t, dir, &v[n].dir)))
				goto nomem;
			n++;
		}
	}
	*out = v;
	*nr_out = (uint32_t)n;
	return 0;
nomem:
	free(v);
	return -ENOMEM;
}

int symembed__add(struct pd_embed_buf *b, struct dsos *ds, const char *name, uint8_t cpumode,
		  const uint64_t *addrs, size_t nr, bool lines)
{
	enum dso_kind kind = kind_of(name, cpumode);
	struct pd_embed_sym *syms = NULL;
	struct pd_embed_seg *segs = NULL;
	struct pd_embed_line *lv = NULL;
	struct pd_embed_dso e = { .name = name, .kind = (uint8_t)kind };
	struct strtab t = { NULL, 0, 0 };
	uint8_t *taken = NULL;
	struct dso *dso;
	int ret = -ENOMEM;

	if (kind == DSO_NOSYMS)
		return 0;
	dso = dsos__findnew(ds, name, kind);
	if (!dso)
		return -ENOMEM;
	dso__load(dso);
	if (!dso->nr_syms)
		return 0;
	taken = calloc(dso->nr_syms, 1);
	syms = calloc(nr ? nr : 1, sizeof(*syms));
	segs = calloc(dso->nr_segs ? dso->nr_segs : 1, sizeof(*segs));
	if (!taken || !syms || !segs)
		goto out;
	for (size_t i = 0; i < nr; i++) {
		const struct symbol *s = dso__find_sym(dso, addrs[i], NULL);
		size_t k = s ? (size_t)(s - dso->syms) : 0;

		if (!s || taken[k])
			continue;
		taken[k] = 1;
		syms[e.nr_syms] = (struct pd_embed_sym){ .start = s->start, .end = s->end,
							 .binding = s->binding };
		if (strtab__add(&t, s->name, &syms[e.nr_syms].name))
			goto out;
		e.nr_syms++;
	}
	for (size_t i = 0; i < dso->nr_segs; i++)
		segs[i] = (struct pd_embed_seg){ dso->segs[i].offset, dso->segs[i].vaddr, dso->segs[i].filesz };
	e.nr_segs = (uint32_t)dso->nr_segs;
	if (lines && add_lines(dso, addrs, nr, &t, &lv, &e.nr_lines))
		goto out;
	if (dso->has_build_id) {
		e.build_id_size = dso->build_id_size;
		memcpy(e.build_id, dso->build_id, dso->build_id_size);
	}
	e.syms = syms;
	e.segs = segs;
	e.lines = lv;
	e.strtab = t.s;
	e.strtab_len = (uint32_t)t.len;
	ret = e.nr_syms ? pd_embed__add(b, &e) : 0;
out:
	free(taken);
	free(syms);
	free(segs);
	free(lv);
	free(t.s);
	return ret;
}

struct symembed *symembed__attach(struct dsos *ds, const void *sec, size_t size)
{
	struct symembed *e = calloc(1, sizeof(*e));
	struct pd_embed_dso d;
	size_t off = 0, n = 0;
	int r;

	if (!e || !(e->sec = malloc(size ? size : 1)))
		goto nomem;
	memcpy(e->sec, sec, size);	/* the section may sit unaligned in the file */
	/* count first: the DSOs point into e->dsos, which must not move afterwards */
	while ((r = pd_embed__next(e->sec, size, &off, &d)) > 0)
		n++;
	if (r < 0)
		pr_warn("the embedded symbols section is damaged: the part after %zu bytes is ignored", off);
	e->dsos = calloc(n ? n : 1, sizeof(*e->dsos));
	if (!e->dsos)
		goto nomem;
	for (off = 0; e->nr < n && pd_embed__next(e->sec, size, &off, &d) > 0;) {
		struct dso *dso = dsos__findnew(ds, d.name, (enum dso_kind)d.kind);

		if (!dso)
			goto nomem;
		/* an entry for another file of that name is not this DSO's */
		if (dso->has_build_id && d.build_id_size &&
		    (dso->build_id_size != d.build_id_size ||
		     memcmp(dso->build_id, d.build_id, d.build_id_size)))
			continue;
		e->dsos[e->nr] = d;
		dso->embedded = &e->dsos[e->nr++];
	}
	return e;
nomem:
	symembed__free(e);
	errno = ENOMEM;
	return NULL;
}

void symembed__free(struct symembed *e)
{
	if (!e)
		return;
	free(e->dsos);
	free(e->sec);
	free(e);
}

int symembed__load(struct dso *dso)
{
	const struct pd_embed_dso *d = dso->embedded;
	int ret = 0;

	if (!d || !d->nr_syms)
		return -ENOENT;
	if (!dso->nr_segs && d->nr_segs && dso->kind != DSO_KERNEL && dso->kind != DSO_KMODULE) {
		dso->segs = calloc(d->nr_segs, sizeof(*dso->segs));
		if (!dso->segs)
			return -ENOMEM;
		for (uint32_t i = 0; i < d->nr_segs; i++)
			dso->segs[i] = (struct dso_seg){ d->segs[i].offset, d->segs[i].vaddr, d->segs[i].filesz };
		dso->nr_segs = d->nr_segs;
	}
	for (uint32_t i = 0; i < d->nr_syms && !ret; i++)
		ret = dso__add_sym(dso, d->syms[i].start, d->syms[i].end - d->syms[i].start,
				   d->strtab + d->syms[i].name, d->syms[i].binding);
	if (!ret)
		dso__fixup_syms(dso, false);
	return ret;
}

int symembed__srcline(const struct dso *dso, uint64_t vaddr, const char **file, const char **dir,
		      int *line)
{
	const struct pd_embed_dso *d = dso->embedded;
	const struct pd_embed_line *l;

	if (!d || !d->nr_lines)
		return -ENOENT;
	l = BSEARCH_LAST_LE(d->lines, d->nr_lines, vaddr, vaddr);
	if (!l || l->vaddr != vaddr)
		return -ENOENT;
	*file = d->strtab + l->file;
	*dir = l->dir == PD_EMBED_NONE ? NULL : d->strtab + l->dir;
	*line = (int)l->line;
	return 0;
}
