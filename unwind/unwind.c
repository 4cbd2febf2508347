/* Owns the unwinder front: backend choice, the sample's registers in DWARF numbering, the
 * frame-pointer step of the hybrid and how failed reads are classified. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "symbols/dso.h"
#include "unwind/internal.h"
#include "util/log.h"

/* perf_regs.h x86 numbering of DWARF registers 0..16 */
static const uint8_t dwarf_to_perf[17] = {
	0 /* ax */, 3 /* dx */, 2 /* cx */, 1 /* bx */, 4 /* si */, 5 /* di */, 6 /* bp */,
	7 /* sp */, 16, 17, 18, 19, 20, 21, 22, 23 /* r8..r15 */, 8 /* ip */,
};

static const char *const stop_names[UNWIND_NR_STOPS] = {
	[UNWIND_COMPLETE] = "complete",
	[UNWIND_CUT] = "cut by the stack copy",
	[UNWIND_NO_CFI] = "no CFI",
	[UNWIND_NO_MAP] = "no map",
	[UNWIND_NO_FILE] = "no file",
	[UNWIND_BAD] = "bad frame",
	[UNWIND_MAX_DEPTH] = "max depth",
};

const char *unwind__stop_name(enum unwind_stop stop)
{
	return stop < UNWIND_NR_STOPS ? stop_names[stop] : "?";
}

bool unwind__is_outermost(const char *sym)
{
	static const char *const names[] = {
		"_start", "__clone", "clone", "__clone3", "clone3", "start_thread", "_dl_start_user",
		"__libc_start_main", "__libc_start_call_main",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t l = strlen(names[i]);

		/* versioned (__libc_start_main@@GLIBC_2.34) and local (.constprop) names too */
		if (!strncmp(sym, names[i], l) && (!sym[l] || sym[l] == '@' || sym[l] == '.'))
			return true;
	}
	return false;
}

enum unwind_backend unwind__backend_from_env(enum unwind_backend dflt)
{
	const char *e = getenv("PROF_UNWINDER");

	if (e && !strcmp(e, "libunwind"))
		return UNWIND_LIBUNWIND;
	if (e && !strcmp(e, "libdw"))
		return UNWIND_LIBDW;
	return dflt;
}

struct unwinder *unwinder__new(enum unwind_backend backend)
{
	struct unwinder *u = calloc(1, sizeof(*u));
	int ret;

	if (!u)
		return NULL;
	u->ops = backend == UNWIND_LIBUNWIND ? &unwind_libunwind_ops : &unwind_libdw_ops;
	u->dsos.priv_free = u->ops->dso_free;
	ret = u->ops->init ? u->ops->init(u) : 0;
	if (ret) {
		free(u);
		errno = -ret;
		return NULL;
	}
	return u;
}

void unwinder__free(struct unwinder *u)
{
	if (!u)
		return;
	udsos__exit(&u->dsos);
	if (u->ops->exit)
		u->ops->exit(u);
	free(u);
}

const char *unwinder__name(const struct unwinder *u)
{
	return u->ops->name;
}

bool unwind__has_user_stack(const struct pd_sample *s)
{
	return (s->type & PERF_SAMPLE_REGS_USER) && (s->type & PERF_SAMPLE_STACK_USER) &&
	       s->regs_user_abi && s->regs_user && s->stack && s->stack_dyn_size;
}

uint32_t unwind__sample_regs(const struct pd_sample *s, uint64_t regs[17])
{
	uint32_t valid = 0;

	for (int d = 0; d < 17; d++) {
		unsigned int bit = dwarf_to_perf[d];
		uint64_t m = s->regs_user_mask;

		regs[d] = 0;
		if (!(m & (1ULL << bit)))
			continue;
		memcpy(&regs[d], &s->regs_user[__builtin_popcountll(m & ((1ULL << bit) - 1))], 8);
		valid |= 1u << d;
	}
	return valid;
}

int unwinder__unwind(struct unwinder *u, const struct maps *maps, const struct pd_sample *s,
		     uint64_t *ips, int max, struct unwind_result *res)
{
	memset(res, 0, sizeof(*res));
	res->stop = UNWIND_BAD;
	if (!unwind__has_user_stack(s) || max <= 0 || !maps)
		return 0;
	return u->ops->unwind(u, maps, s, ips, max, res);
}

enum unwind_stop unwind__read_fail(const struct pd_sample *s, uint64_t sp, uint64_t addr)
{
	/* the kernel copies less than asked only when the stack ends first */
	if (addr >= sp + s->stack_dyn_size && s->stack_dyn_size == s->stack_size)
		return UNWIND_CUT;
	return UNWIND_BAD;
}

const struct map *unwind__code_map(const struct maps *maps, uint64_t ip)
{
	const struct map *m = maps__find(maps, ip);

	return m && (m->prot & PROT_EXEC) ? m : NULL;
}

int unwind__fp_step(const struct maps *maps, const struct pd_sample *s, uint64_t sp0,
		    uint64_t regs[17], uint32_t *valid)
{
	uint64_t bp = regs[UNWIND_DWARF_RBP], saved, ret;

	if (!(*valid & (1u << UNWIND_DWARF_RBP)) || !(*valid & (1u << UNWIND_DWARF_RSP)) ||
	    bp < regs[UNWIND_DWARF_RSP] || (bp & 7))
		return UNWIND_NO_CFI;
	/* rbp may be any value in code without frame pointers: a failed step blames the CFI */
	if (!unwind__stack_read(s, sp0, bp, &saved) || !unwind__stack_read(s, sp0, bp + 8, &ret))
		return UNWIND_NO_CFI;
	if (!unwind__code_map(maps, ret))
		return UNWIND_NO_CFI;
	regs[UNWIND_DWARF_RSP] = bp + 16;
	regs[UNWIND_DWARF_RBP] = saved;
	regs[UNWIND_DWARF_RIP] = ret;
	*valid |= 1u << UNWIND_DWARF_RIP | 1u << UNWIND_DWARF_RSP | 1u << UNWIND_DWARF_RBP;
	return 0;
}
