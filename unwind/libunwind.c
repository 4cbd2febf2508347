/* Owns the libunwind backend: libunwind's remote unwinder (unw_init_remote/unw_step) fed by
 * accessors that read the sample's registers, its stack copy and the DSOs' files, with the
 * .eh_frame_hdr search table of each DSO located once (libunwind parses the FDEs through
 * access_mem). The remote API lives in libunwind-x86_64.so, which the build does not link
 * (pkg-config libunwind names only the local-only library), so it is loaded at run time. */
#include <dlfcn.h>
#include <errno.h>
#include <libunwind.h>
#include <stdlib.h>
#include <string.h>

#include "symbols/dso.h"
#include "unwind/internal.h"
#include "util/log.h"

struct lu_api {
	void *handle;
	unw_addr_space_t (*create_addr_space)(unw_accessors_t *, int);
	void (*destroy_addr_space)(unw_addr_space_t);
	int (*set_caching_policy)(unw_addr_space_t, unw_caching_policy_t);
	void (*flush_cache)(unw_addr_space_t, unw_word_t, unw_word_t);
	int (*init_remote)(unw_cursor_t *, unw_addr_space_t, void *);
	int (*step)(unw_cursor_t *);
	int (*get_reg)(unw_cursor_t *, unw_regnum_t, unw_word_t *);
	int (*is_signal_frame)(unw_cursor_t *);
	int (*search_table)(unw_addr_space_t, unw_word_t, unw_dyn_info_t *, unw_proc_info_t *, int, void *);
};

/* per DSO: where its .eh_frame_hdr binary-search table is (DSO addresses) */
struct lu_dso {
	bool ok;
	uint64_t hdr_vaddr, table_vaddr, fde_count;
};

struct lu_ctx {
	const struct pd_sample *s;
	const struct maps *maps;
	struct unwinder *u;
	uint64_t regs[17];
	uint32_t valid;
	uint64_t sp0;
	struct udso *cur;		/* DSO of the last find_proc_info, for reads outside maps */
	uint64_t cur_bias;
	int fail;			/* why the last read or lookup failed */
};

struct lu_state {
	struct lu_api api;
	unw_addr_space_t as;
	const struct maps *last_maps;
	uint64_t last_gen;		/* its generation: a freed maps' address may be reused (ptop) */
	struct lu_ctx ctx;
};

static int read_word(struct lu_ctx *c, uint64_t addr, uint64_t *val)
{
	const struct map *m;

	if (unwind__stack_read(c->s, c->sp0, addr, val))
		return 0;
	m = maps__find(c->maps, addr);
	if (m && m->dso && !m->identity) {
		struct udso *ud = udsos__get(&c->u->dsos, m->dso);

		if (ud && ud->ok && udso__read(ud, udso__vaddr(m, addr), val, 8))
			return 0;
	}
	/* the DSO's segments that have no map record (no mmap_data) */
	if (c->cur && addr >= c->cur_bias && udso__read(c->cur, addr - c->cur_bias, val, 8))
		return 0;
	c->fail = unwind__read_fail(c->s, c->sp0, addr);
	return -UNW_EINVAL;
}

static int access_mem(unw_addr_space_t as, unw_word_t addr, unw_word_t *valp, int write, void *arg)
{
	uint64_t v;

	if (write)
		return -UNW_EINVAL;
	if (read_word(arg, addr, &v))
		return -UNW_EINVAL;
	*valp = v;
	return 0;
}

static int access_reg(unw_addr_space_t as, unw_regnum_t reg, unw_word_t *valp, int write, void *arg)
{
	struct lu_ctx *c = arg;

	if (write || reg < 0 || reg > 16 || !(c->valid & (1u << reg)))
		return -UNW_EBADREG;
	*valp = c->regs[reg];
	return 0;
}

static int access_fpreg(unw_addr_space_t as, unw_regnum_t reg, unw_fpreg_t *val, int write, void *arg)
{
	return -UNW_EINVAL;
}

static int resume(unw_addr_space_t as, unw_cursor_t *cu, void *arg)
{
	return -UNW_EINVAL;
}

static int get_proc_name(unw_addr_space_t as, unw_word_t addr, char *buf, size_t len,
			 unw_word_t *offp, void *arg)
{
	return -UNW_EINVAL;
}

static void put_unwind_info(unw_addr_space_t as, unw_proc_info_t *pi, void *arg)
{
}

static int get_dyn_info_list_addr(unw_addr_space_t as, unw_word_t *dil, void *arg)
{
	return -UNW_ENOINFO;
}

static void lu_dso_free(void *p)
{
	free(p);
}

/* .eh_frame_hdr: version 1, then pcrel|sdata4 eh_frame_ptr, udata4 fde_count,
 * datarel|sdata4 table (what every x86_64 linker writes) */
static struct lu_dso *lu_dso_get(struct udso *ud)
{
	struct lu_dso *d = ud->priv;
	GElf_Shdr sh;
	uint8_t h[12];
	uint32_t count;

	if (d || !ud->ok)
		return d;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	ud->priv = d;
	if (!elf_file__section(ud->file.elf, ".eh_frame_hdr", &sh))
		return d;
	if (!udso__read(ud, sh.sh_addr, h, sizeof(h)) || h[0] != 1 || h[1] != 0x1b ||
	    h[2] != 0x03 || h[3] != 0x3b)
		return d;
	memcpy(&count, h + 8, 4);
	d->hdr_vaddr = sh.sh_addr;
	d->table_vaddr = sh.sh_addr + 12;
	d->fde_count = count;
	d->ok = true;
	return d;
}

static int find_proc_info(unw_addr_space_t as, unw_word_t ip, unw_proc_info_t *pi,
			  int need_unwind_info, void *arg)
{
	struct lu_ctx *c = arg;
	struct lu_state *st = c->u->priv;
	const struct map *m = maps__find(c->maps, ip);
	struct udso *ud;
	struct lu_dso *d;
	unw_dyn_info_t di;
	uint64_t bias;

	if (!m || !m->dso) {
		c->fail = UNWIND_NO_MAP;
		return -UNW_ENOINFO;
	}
	ud = udsos__get(&c->u->dsos, m->dso);
	if (!ud || !ud->ok) {
		c->fail = UNWIND_NO_FILE;
		return -UNW_ENOINFO;
	}
	d = lu_dso_get(ud);
	bias = ip - udso__vaddr(m, ip);
	c->cur = ud;
	c->cur_bias = bias;
	if (!d || !d->ok) {
		c->fail = UNWIND_NO_CFI;
		return -UNW_ENOINFO;
	}
	memset(&di, 0, sizeof(di));
	di.format = UNW_INFO_FORMAT_REMOTE_TABLE;
	di.start_ip = m->start;
	di.end_ip = m->end;
	di.u.rti.segbase = bias + d->hdr_vaddr;
	di.u.rti.table_data = bias + d->table_vaddr;
	di.u.rti.table_len = d->fde_count * 8 / sizeof(unw_word_t);
	if (st->api.search_table(as, ip, &di, pi, need_unwind_info, arg)) {
		c->fail = UNWIND_NO_CFI;
		return -UNW_ENOINFO;
	}
	return 0;
}

static unw_accessors_t accessors = {
	.find_proc_info = find_proc_info,
	.put_unwind_info = put_unwind_info,
	.get_dyn_info_list_addr = get_dyn_info_list_addr,
	.access_mem = access_mem,
	.access_reg = access_reg,
	.access_fpreg = access_fpreg,
	.resume = resume,
	.get_proc_name = get_proc_name,
};

static int lu_init(struct unwinder *u)
{
	struct lu_state *st = calloc(1, sizeof(*st));
	struct lu_api *a;

	if (!st)
		return -ENOMEM;
	a = &st->api;
	a->handle = dlopen("libunwind-x86_64.so.8", RTLD_NOW | RTLD_LOCAL);
	if (!a->handle)
		goto noent;
#define SYM(f, n) if (!(*(void **)&a->f = dlsym(a->handle, n))) goto noent
	SYM(create_addr_space, "_Ux86_64_create_addr_space");
	SYM(destroy_addr_space, "_Ux86_64_destroy_addr_space");
	SYM(set_caching_policy, "_Ux86_64_set_caching_policy");
	SYM(flush_cache, "_Ux86_64_flush_cache");
	SYM(init_remote, "_Ux86_64_init_remote");
	SYM(step, "_Ux86_64_step");
	SYM(get_reg, "_Ux86_64_get_reg");
	SYM(is_signal_frame, "_Ux86_64_is_signal_frame");
	SYM(search_table, "_Ux86_64_dwarf_search_unwind_table");
#undef SYM
	st->as = a->create_addr_space(&accessors, 0);
	if (!st->as)
		goto noent;
	a->set_caching_policy(st->as, UNW_CACHE_GLOBAL);
	u->priv = st;
	return 0;
noent:
	pr_debug("libunwind's remote unwinder (libunwind-x86_64.so.8) is not available");
	if (a->handle)
		dlclose(a->handle);
	free(st);
	return -ENOENT;
}

static void lu_exit(struct unwinder *u)
{
	struct lu_state *st = u->priv;

	if (!st)
		return;
	st->api.destroy_addr_space(st->as);
	dlclose(st->api.handle);
	free(st);
}

static int lu_unwind(struct unwinder *u, const struct maps *maps, const struct pd_sample *s,
		     uint64_t *ips, int max, struct unwind_result *res)
{
	struct lu_state *st = u->priv;
	struct lu_ctx *c = &st->ctx;
	unw_cursor_t cur;
	unw_word_t ip;
	int n = 0, ret;

	memset(c, 0, sizeof(*c));
	c->s = s;
	c->maps = maps;
	c->u = u;
	c->valid = unwind__sample_regs(s, c->regs);
	if (!(c->valid & (1u << UNWIND_DWARF_RIP)) || !(c->valid & (1u << UNWIND_DWARF_RSP)))
		return 0;
	c->sp0 = c->regs[UNWIND_DWARF_RSP];
	/* the cache keys on addresses: another address space may hold other code there */
	if (st->last_maps != maps || st->last_gen != maps->gen) {
		st->api.flush_cache(st->as, 0, 0);
		st->last_maps = maps;
		st->last_gen = maps->gen;
	}
	ips[n++] = c->regs[UNWIND_DWARF_RIP];
	res->stop = UNWIND_BAD;
	if (st->api.init_remote(&cur, st->as, c))
		goto out;
	for (;;) {
		const struct map *m = maps__find(maps, ips[n - 1]);

		res->stop_dso = m ? m->dso : NULL;
		if (n >= max) {
			res->stop = UNWIND_MAX_DEPTH;
			break;
		}
		c->fail = 0;
		ret = st->api.step(&cur);
		if (ret <= 0) {
			res->stop = ret == 0 ? UNWIND_COMPLETE : c->fail ? c->fail : UNWIND_BAD;
			break;
		}
		if (c->fail == UNWIND_NO_CFI)
			res->nr_fp++;	/* libunwind stepped by the frame pointer */
		st->api.get_reg(&cur, UNW_REG_IP, &ip);
		if (!ip) {
			res->stop = UNWIND_COMPLETE;
			break;
		}
		ips[n++] = st->api.is_signal_frame(&cur) > 0 ? ip : ip - 1;
	}
out:
	res->nr = n;
	return n;
}

const struct unwind_ops unwind_libunwind_ops = {
	.name = "libunwind",
	.init = lu_init,
	.exit = lu_exit,
	.dso_free = lu_dso_free,
	.unwind = lu_unwind,
};
