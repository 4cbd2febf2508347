/* Offline DWARF unwinding of sampled user stacks (PERF_SAMPLE_REGS_USER + STACK_USER):
 * the registers and the stack bytes copied at sample time, everything else read from the
 * mapped ELF files (.eh_frame, .debug_frame). Unwind tables are parsed once per DSO and the
 * register rules of every code address seen are cached, so a sample whose addresses were
 * seen before costs no parsing and no allocation.
 *
 * Two backends: libdw's CFI parser with our own rule evaluation (the default, see
 * unwind/dwarf.c) and libunwind's remote unwinder (unwind/libunwind.c, loaded at run time
 * because the build links only the local-only libunwind). Where CFI is missing, one step
 * follows the frame pointer if that lands on code (hybrid), then DWARF takes over again.
 *
 * Addresses handed out follow perf: the first is the sampled user IP, each caller is its
 * return address minus one, so it resolves to the call's own line and function. */
#ifndef UNWIND_UNWIND_H
#define UNWIND_UNWIND_H

#include <stdbool.h>
#include <stdint.h>

struct dso;
struct maps;
struct pd_sample;

/* Why an unwind ended. */
enum unwind_stop {
	UNWIND_COMPLETE,	/* reached the outermost frame: _start, clone, the thread start */
	UNWIND_CUT,		/* needed stack bytes beyond the copy (--call-graph dwarf,SIZE) */
	UNWIND_NO_CFI,		/* code without unwind tables, and no usable frame pointer */
	UNWIND_NO_MAP,		/* an address in no mapping (JIT code, a bad return address) */
	UNWIND_NO_FILE,		/* the DSO's file could not be opened */
	UNWIND_BAD,		/* the rules gave an impossible frame (stack going down, bad read) */
	UNWIND_MAX_DEPTH,	/* the frame limit was reached first */
	UNWIND_NR_STOPS
};

enum unwind_backend {
	UNWIND_LIBDW,
	UNWIND_LIBUNWIND,
};

struct unwind_result {
	int nr;				/* addresses written */
	enum unwind_stop stop;
	struct dso *stop_dso;		/* DSO of the last frame reached; NULL if none */
	int nr_fp;			/* frames found by following frame pointers */
};

struct unwinder;

/* NULL + errno (ENOENT: the libunwind backend's library is not installed). */
struct unwinder *unwinder__new(enum unwind_backend backend);
void unwinder__free(struct unwinder *u);
const char *unwinder__name(const struct unwinder *u);
/* Backend named by $PROF_UNWINDER ("libdw", "libunwind"), else @dflt. */
enum unwind_backend unwind__backend_from_env(enum unwind_backend dflt);

/* True when the sample carries user registers and a stack copy to unwind. */
bool unwind__has_user_stack(const struct pd_sample *s);

/* Unwind the user stack of @s in the address space @maps; at most @max addresses into
 * @ips. Returns the number written (also res->nr); 0 when there is nothing to unwind. */
int unwinder__unwind(struct unwinder *u, const struct maps *maps, const struct pd_sample *s,
		     uint64_t *ips, int max, struct unwind_result *res);

/* One word from the stack copy, if [addr, addr+8) lies inside it. */
static inline bool unwind__stack_read(const struct pd_sample *s, uint64_t sp, uint64_t addr,
				      uint64_t *val);

const char *unwind__stop_name(enum unwind_stop stop);
/* Symbols where a stack begins: _start, clone, clone3, start_thread, ... */
bool unwind__is_outermost(const char *sym);

/* ---- shared by the backends (unwind/common.c) ---- */

/* x86_64: DWARF register numbers 0..16 (rax, rdx, rcx, rbx, rsi, rdi, rbp, rsp, r8..r15,
 * return address) from the sample's user registers. Returns a bit mask of those present. */
uint32_t unwind__sample_regs(const struct pd_sample *s, uint64_t regs[17]);

#define UNWIND_DWARF_RBP 6
#define UNWIND_DWARF_RSP 7
#define UNWIND_DWARF_RIP 16

#include "perfdata/sample.h"
#include <string.h>

static inline bool unwind__stack_read(const struct pd_sample *s, uint64_t sp, uint64_t addr,
				      uint64_t *val)
{
	uint64_t len = s->stack_dyn_size;

	if (addr < sp || addr - sp > len || len - (addr - sp) < 8)
		return false;
	memcpy(val, s->stack + (addr - sp), 8);
	return true;
}

#endif
