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
	char src[256];		/* FUNC@SRC: the source file FUNC must be declared in, or "" */
	long offset;		/* FUNC+OFFS */
	int rel_line;		/* FUNC:RLN, relative to the declaration line; -1 when none */
	char pattern[128];	/* FUNC;PTN: the first line of FUNC matching the glob */
	bool is_return;		/* FUNC%return */
	bool is_sdt;		/* sdt_PROVIDER:NAME (or %PROVIDER:NAME): a USDT marker of -x */
	char sdt_provider[64];
	char spec[256];		/* the probe point as given ("target+4"), for messages */
	char user_args[512];	/* the ARGs as given, for "with ..." */
	char args[1024];	/* tracefs fetch args, already named: "arg1=%di x=%si:s32" */
	char group[64];
	char event[160];
	bool named;		/* [GROUP:]EVENT= given */
	char target[600];	/* what tracefs is told to probe: "PATH:0xOFF" or "FUNC" */
};

/* Parse perf probe's "[[GROUP:]EVENT=]FUNC[@SRC][:RLN|+OFFS|%return|;PTN] [ARG ...]" or
 * "[EVENT=]FILE:LINE [ARG ...]" for binary (NULL: kernel). ARG: [NAME=]VAR[:TYPE] with VAR a
 * register (%di), +OFF(%reg), $retval, $stackN, $params or a variable of the function (DWARF);
 * TYPE u8..u64, s8..s64, x8..x64, string. 0, or -EINVAL with err set. */
int probe__parse(struct probe *p, const char *binary, const char *def, struct error *err);
/* Resolve the target address and the arguments through the binary's symbols and DWARF. */
int probe__resolve(struct probe *p, struct error *err);
/* -f: a taken event name gets _1, _2, ... instead of failing. */
void probe__set_force(bool force);
/* Write the definition into tracefs (a line probe whose name is taken gets _1, _2, ...).
 * -ENOTSUP: this kernel has no kprobes; -EEXIST. */
int probe__add(struct probe *p, struct error *err);
/* "  GROUP:EVENT  (on FUNC@SRC in PATH with ARGS)" for every uprobe and kprobe defined in
 * tracefs (whose name or event matches @glob, NULL: all), as perf probe -l prints them. */
int probe__list(FILE *out, const char *glob);
/* Delete every probe whose "GROUP:EVENT" matches the glob; calls back with each name.
 * Returns how many were deleted, or -errno. */
int probe__delete(const char *glob, void (*deleted)(const char *name, void *arg), void *arg);

#endif
