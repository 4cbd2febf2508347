/* Dynamic probes through tracefs (uprobe_events, kprobe_events): the events pprobe adds, lists
 * and deletes, which pstat and precord then use as ordinary tracepoints (-e probe_BIN:FUNC). */
#ifndef SAMPLER_PROBE_H
#define SAMPLER_PROBE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "util/error.h"

struct probe {
	char binary[512];	/* absolute path for a uprobe; "" for a kprobe */
	char func[128];		/* function name, or the function holding FILE:LINE */
	char file[256];		/* FILE of FILE:LINE, or "" */
	int line;
	bool is_return;		/* FUNC%return */
	char args[512];		/* tracefs fetch args, already named: "arg1=%di arg2=$retval" */
	char group[64];
	char event[160];
	char target[600];	/* what tracefs is told to probe: "PATH:0xOFF" or "FUNC" */
};

/* Parse "FUNC[%return] [ARG ...]" or "FILE:LINE [ARG ...]" for binary (NULL: kernel). ARGs are
 * registers (%di, x=%si, %ax:u32) and $retval. 0, or -EINVAL with err set. */
int probe__parse(struct probe *p, const char *binary, const char *def, struct error *err);
/* Resolve the target address through the binary's symbols and line tables. */
int probe__resolve(struct probe *p, struct error *err);
/* Write the definition into tracefs (a line probe whose name is taken gets _1, _2, ...).
 * -ENOTSUP: this kernel has no kprobes; -EEXIST. */
int probe__add(struct probe *p, struct error *err);
/* "  GROUP:EVENT  (on TARGET)" for every uprobe and kprobe defined in tracefs. */
int probe__list(FILE *out);
/* Delete every probe whose "GROUP:EVENT" matches the glob; calls back with each name.
 * Returns how many were deleted, or -errno. */
int probe__delete(const char *glob, void (*deleted)(const char *name, void *arg), void *arg);

#endif
