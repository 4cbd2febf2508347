/* What the unwinder front (unwind/unwind.c) shares with its backends (unwind/dwarf.c,
 * unwind/libunwind.c): the per-DSO table, the frame-pointer step of the hybrid, and the
 * stop classification of failed reads. Internal to unwind/. */
#ifndef UNWIND_INTERNAL_H
#define UNWIND_INTERNAL_H

#include "perfdata/sample.h"
#include "symbols/map.h"
#include "unwind/udso.h"
#include "unwind/unwind.h"

struct unwinder;

struct unwind_ops {
	const char *name;
	int (*init)(struct unwinder *u);
	void (*exit)(struct unwinder *u);
	void (*dso_free)(void *priv);	/* a udso's backend state */
	int (*unwind)(struct unwinder *u, const struct maps *maps, const struct pd_sample *s,
		      uint64_t *ips, int max, struct unwind_result *res);
};

struct unwinder {
	const struct unwind_ops *ops;
	struct udsos dsos;
	void *priv;
};

extern const struct unwind_ops unwind_libdw_ops;
extern const struct unwind_ops unwind_libunwind_ops;

/* Why a read at @addr failed: beyond a full stack copy is a cut, anything else a bad frame. */
enum unwind_stop unwind__read_fail(const struct pd_sample *s, uint64_t sp, uint64_t addr);

/* The map of @ip if it is executable code; NULL otherwise. */
const struct map *unwind__code_map(const struct maps *maps, uint64_t ip);

/* One step through the frame pointer: regs[RBP] -> {saved rbp, return address}. Valid
 * when the frame record lies in the stack copy above the stack pointer and the return
 * address is code. Updates rip, rsp, rbp; 0, or UNWIND_NO_CFI. */
int unwind__fp_step(const struct maps *maps, const struct pd_sample *s, uint64_t sp0,
		    uint64_t regs[17], uint32_t *valid);

#endif
