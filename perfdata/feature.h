/* Payloads of the header feature sections precord writes, encoded as perf 6.1 reads them.
 *
 * Written, and why:
 *   HOSTNAME, OSRELEASE, VERSION, ARCH   always set by perf; OSRELEASE picks vmlinux/module paths,
 *                                        ARCH the unwinder, HOSTNAME the bitmap word-size check
 *   NRCPUS, CPUDESC, CPUID, TOTAL_MEM,   machine description shown by `perf report --header`;
 *   CPU_TOPOLOGY, PMU_MAPPINGS           NRCPUS must accompany CPU_TOPOLOGY
 *   CMDLINE                              how the file was recorded
 *   EVENT_DESC                           event names (without it perf shows "cpu-clock:HG")
 *   BUILD_ID                             build-ids of every DSO that got a sample, so reports
 *                                        notice a rebuilt binary instead of mis-symbolizing
 *   SAMPLE_TIME                          first/last sample time, for `perf report --time`
 *   TRACING_DATA                         event formats; mandatory when a tracepoint is recorded
 *   NUMA_TOPOLOGY, CACHE, MEM_TOPOLOGY,  machine description perf 6.1 also writes, so
 *   CPU_PMU_CAPS, PMU_CAPS               `--header` shows the same sections for both files
 *                                        (perfdata/feature_topo.c)
 *   BPF_PROG_INFO, BPF_BTF               the loaded BPF programs and their BTF, as perf
 *                                        (perfdata/feature_bpf.c, perfdata/bpf_prog.h)
 */
#ifndef PERFDATA_FEATURE_H
#define PERFDATA_FEATURE_H

#include <stddef.h>
#include <stdint.h>

#include "perfdata/writer.h"

/* A growing byte buffer for a payload; errors are sticky in err (-ENOMEM). */
struct pd_buf {
	char *p;
	size_t len, cap;
	int err;
};

void pd_buf__free(struct pd_buf *b);
void pd_buf__put(struct pd_buf *b, const void *data, size_t len);
void pd_buf__u32(struct pd_buf *b, uint32_t v);
void pd_buf__u64(struct pd_buf *b, uint64_t v);
/* perf_header_string: u32 len (NUL included, rounded up to 64), text, zero padding. */
void pd_buf__string(struct pd_buf *b, const char *s);

/* A DSO for the BUILD_ID section. */
struct pd_build_id {
	const char *filename;
	uint8_t id[20];
	uint8_t size;		/* valid bytes of id */
	uint8_t cpumode;	/* PERF_RECORD_MISC_KERNEL or _USER */
	int32_t pid;		/* -1: the host */
	const char *src;	/* where to read the file when not at filename (another mount
				 * namespace: "/proc/self/fd/N"), else NULL */
};

/* hostname, osrelease, version, arch, nrcpus, cpudesc, cpuid, total_mem, cpu topology, pmu mappings. */
int pd_feature__host(struct pd_writer *w, const char *version);
/* NUMA, cache and memory topology, PMU caps (perfdata/feature_topo.c). */
int pd_feature__topology(struct pd_writer *w);
int pd_feature__cmdline(struct pd_writer *w, int argc, char *const *argv);
int pd_feature__event_desc(struct pd_writer *w, const struct pd_event_desc *evs, size_t nr);
int pd_feature__sample_time(struct pd_writer *w, uint64_t first, uint64_t last);
/* Event groups ({a,b}): perf shows a group as one section only when this feature names it. */
struct pd_group_desc {
	const char *name;	/* NULL: an anonymous group, written as perf does ("{anon_group}") */
	uint32_t leader_idx;	/* index of the leader among the attrs */
	uint32_t nr_members;	/* leader included */
};
int pd_feature__group_desc(struct pd_writer *w, const struct pd_group_desc *groups, size_t nr);
int pd_feature__build_ids(struct pd_writer *w, const struct pd_build_id *ids, size_t nr);
/* The tracefs format files of the given "sys:name" tracepoints, from tracefs dir. */
int pd_feature__tracing_data(struct pd_writer *w, const char *tracefs, const char *const *tps, size_t nr);

#endif
