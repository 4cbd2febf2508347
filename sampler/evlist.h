/* The list of events a command works with: parsing specs into it, opening, enabling, reading. */
#ifndef SAMPLER_EVLIST_H
#define SAMPLER_EVLIST_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "sampler/evsel.h"

struct cpu_map;
struct error;
struct thread_map;

struct evlist {
	struct evsel **entries;
	int nr;
	size_t alloc;
};

struct evlist *evlist__new(void);
void evlist__free(struct evlist *evlist);
int evlist__add(struct evlist *evlist, struct evsel *evsel);

/* Parse "a,b:u,{c,d},sys:tp*,pmu/term=v/" and append. 0 or -errno with *err (may be NULL) set:
 * what = the spec, pos = the byte of it that is wrong, msg = what is wrong there. */
int evlist__parse(struct evlist *evlist, const char *spec, struct error *err);
/* @base with the modifiers perf's name of an event with @attr shows ("cpu-clock:uH" for
 * exclude_kernel, exclude_hv and exclude_guest): what perf calls an event it renamed (the
 * cycles to cpu-clock fallback). snprintf's return. */
int evlist__attr_name(const struct perf_event_attr *attr, const char *base, char *buf, size_t size);

/* Attach an ftrace filter (--filter) to the tracepoints among entries [from, nr): perf applies
 * it to the events of the -e that precedes it. -EINVAL when none of them is a tracepoint. */
int evlist__set_filter(struct evlist *evlist, int from, const char *filter);

/* Open counters: pid from threads (or -1 per cpu). Events the kernel does not support are
 * marked !supported and skipped; any other failure returns -errno with *failed set. */
struct open_opts {
	bool inherit;
	bool enable_on_exec;	/* start disabled, the kernel enables at the workload's exec */
	bool start_disabled;	/* start disabled, evlist__enable() starts them */
	uint64_t read_format;
	bool user_fallback;	/* on EACCES retry with exclude_kernel, as perf does */
};
int evlist__open(struct evlist *evlist, struct cpu_map *cpus, struct thread_map *threads,
		 const struct open_opts *opts, struct evsel **failed);
void evlist__close(struct evlist *evlist);
int evlist__enable(struct evlist *evlist);
int evlist__disable(struct evlist *evlist);

/* Counter values as read with TOTAL_TIME_ENABLED|TOTAL_TIME_RUNNING. */
struct counts {
	uint64_t val, ena, run;
};
int evsel__read(struct evsel *evsel, int cpu_idx, int thread_idx, struct counts *out);
/* The count extrapolated to the whole enabled time when the counter was multiplexed
 * (val * ena / run); 0 when it never ran. */
double counts__scaled(const struct counts *c);

#endif
