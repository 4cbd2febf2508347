/* USDT/SDT markers (<sys/sdt.h>: .note.stapsdt notes) of an ELF file: listing them (plist sdt)
 * and turning one into a uprobe definition with its arguments as fetch args (pprobe
 * sdt_PROVIDER:NAME), the way perf probe does. */
#ifndef SAMPLER_PROBE_SDT_H
#define SAMPLER_PROBE_SDT_H

#include <stdint.h>
#include <stdio.h>

struct probe_sdt {
	char provider[64], name[64];
	uint64_t offset;	/* file offset of the marker's nop */
	uint64_t sem_offset;	/* file offset of its semaphore, 0 if none */
	char args[512];		/* as the note writes them: "-4@%edx 8@-16(%rbp)" */
};

/* Call @fn for each marker of @path (in note order); stops at a non-zero return, which is
 * returned. The number of markers, or -errno (-ENOENT: no symbol-free ELF, -ENODATA: none). */
int probe_sdt__for_each(const char *path, int (*fn)(const struct probe_sdt *m, void *arg), void *arg);

/* The marker's arguments as uprobe fetch args: "arg1=%dx:s32 arg2=-16(%bp):u64". 0 or -EINVAL
 * (an operand form uprobes cannot fetch). */
int probe_sdt__fetch_args(const struct probe_sdt *m, char *out, size_t len);

/* The markers perf lists from its build-id cache ($PERF_BUILDID_DIR or ~/.debug): those of the
 * "probes" file perf buildid-cache --add writes beside each entry a .build-id link names, in
 * perf's order (by "sdt_PROVIDER:NAME@BUILDID", each once): @fn(name
 * "sdt_PROVIDER:NAME", the binary's path, its build-id in hex, arg) for each. 0, or the first
 * non-zero return of @fn. */
int probe_sdt__cached(int (*fn)(const char *name, const char *orig, const char *buildid, void *arg), void *arg);

#endif
