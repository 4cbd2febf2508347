/* A tally of the records written to a perf.data file, kept while recording: counts of samples,
 * LOST and THROTTLE records, first/last sample time, and which DSOs got a sample (IP or any
 * callchain entry), tracked through MMAP/MMAP2/FORK/COMM-exec records so that the BUILD_ID
 * section lists exactly the DSOs a report will look up.
 * Cost per sample: one pid hash lookup and a binary search per frame, no allocation. */
#ifndef PERFDATA_HITS_H
#define PERFDATA_HITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "perfdata/feature.h"

struct pd_hits;

struct pd_hits_stats {
	uint64_t records;
	uint64_t samples;
	uint64_t lost_records;		/* PERF_RECORD_LOST records ("chunks" in perf's words) */
	uint64_t lost_samples;		/* sum of their counts, plus LOST_SAMPLES */
	uint64_t throttled;		/* PERF_RECORD_THROTTLE */
	uint64_t first_time, last_time;	/* of samples; 0 when none */
};

/* sample_type: the layout shared by every attr of the file up to CALLCHAIN (precord's files
 * agree on it); with PERF_SAMPLE_READ set only the IP is used. */
struct pd_hits *pd_hits__new(uint64_t sample_type);
void pd_hits__free(struct pd_hits *h);
/* Walk len bytes of whole records. */
void pd_hits__process(struct pd_hits *h, const void *buf, size_t len);
/* At the end of a pass over every buffer: a sampled user address whose map was not known when
 * its sample was read is looked up again. Its map can only be in a record of another
 * buffer, read later in this pass or in the next one; after that it counts as mapped
 * nowhere. Cheap when nothing missed. */
void pd_hits__settle(struct pd_hits *h);
const struct pd_hits_stats *pd_hits__stats(const struct pd_hits *h);
/* Build-ids of the DSOs that were hit and have one; *ids is malloc'd (free it and nothing else:
 * filenames point into h, valid until pd_hits__free). */
int pd_hits__build_ids(struct pd_hits *h, struct pd_build_id **ids, size_t *nr);
/* Called at each user-space MMAP record (@name may be "//anon") of a DSO not yet open: an fd
 * of the file as process @pid sees it when that differs from this process's view (another
 * mount namespace or root), else -errno. The fd is kept (build-ids are read from it at the
 * end, and pd_build_id.src names it) and closed by pd_hits__free. */
typedef int (*pd_hits_open_fn)(void *ctx, int32_t pid, const char *name);
void pd_hits__set_opener(struct pd_hits *h, pd_hits_open_fn fn, void *ctx);
/* pd_hits__build_ids lists every DSO that was mapped, hit or not (perf's --buildid-all). */
void pd_hits__set_all(struct pd_hits *h, bool all);
/* Only the counts (no maps, no DSOs: nothing grows with the processes seen), for recordings
 * without build-ids (--no-buildid; ptop without --record). pd_hits__build_ids lists none. */
void pd_hits__set_counts_only(struct pd_hits *h, bool counts_only);

/* Keep every sampled address from now on (precord --embed-symbols). 0 or -ENOMEM. */
int pd_hits__want_addrs(struct pd_hits *h);
/* The kept addresses, per DSO (ascending, each once): map addresses, i.e. file offsets for
 * files and the ip itself for the kernel and its modules. Call once, at the end. */
typedef int (*pd_hits_addrs_fn)(void *ctx, const char *dso, uint8_t cpumode, const uint64_t *addrs,
				size_t nr);
int pd_hits__for_each_addrs(struct pd_hits *h, pd_hits_addrs_fn fn, void *ctx);

#endif
