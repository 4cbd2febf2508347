/* One event selector: the perf_event_attr built from a spec, its name, and its open fds. */
#ifndef SAMPLER_EVSEL_H
#define SAMPLER_EVSEL_H

#include <linux/perf_event.h>
#include <stdbool.h>
#include <stdint.h>

struct cpu_map;
struct thread_map;

/* What per-event terms (EV/term=v/, sampler/event_terms.h) ask of the recorder; all zero:
 * nothing, the command's options apply. */
enum evsel_cg { EVSEL_CG_DEFAULT, EVSEL_CG_NONE, EVSEL_CG_FP, EVSEL_CG_DWARF };
struct evsel_cfg {
	bool period_set, freq_set;
	uint64_t period, freq;
	uint16_t max_stack;		/* sample_max_stack; 0: the kernel's */
	enum evsel_cg call_graph;
	uint32_t stack_size;		/* dwarf: bytes of user stack, 0: the command's */
	bool no_inherit;		/* children are not followed for this event */
	char tp[256];			/* a tracepoint's "sys:name", whatever its name */
};

struct evsel {
	struct perf_event_attr attr;
	char *name;		/* as perf names it: the spec as written, modifiers kept */
	char *filter;		/* ftrace filter for a tracepoint (--filter), or NULL */
	int idx;		/* position in its evlist */
	int leader_idx;		/* group leader's idx, == idx for a leader or a lone event */
	int nr_members;		/* events in this leader's group (1 for a lone event) */
	char unit[32];		/* sysfs .unit or "msec" for the clocks; "" otherwise */
	double scale;		/* sysfs .scale; 1.0 otherwise */
	bool supported;		/* false once the kernel refused it as not supported */
	bool user_only;		/* kernel counting refused (perf_event_paranoid): fell back to :u */
	int open_errno;		/* why it is not supported (positive errno) */
	int nr_cpus, nr_threads;
	int *fds;		/* [cpu_idx * nr_threads + thread_idx], -1 when not open */
	uint64_t *ids;		/* kernel event ids, same layout as fds */
	struct evsel_cfg cfg;	/* per-event terms */
	char *cgroup;		/* -G / --for-each-cgroup: the cgroup's name (CPU-wide counting), or NULL */
	int cgroup_fd;		/* its directory, opened and closed by the caller */
	int tool;		/* enum evsel_tool: perf's tool events, a dummy for the kernel */
};

/* perf's tool events: counted by the tool, not the kernel (their values are nanoseconds). */
enum evsel_tool { EVSEL_TOOL_NONE, EVSEL_TOOL_DURATION, EVSEL_TOOL_USER, EVSEL_TOOL_SYSTEM };

struct evsel *evsel__new(const struct perf_event_attr *attr, const char *name);
void evsel__free(struct evsel *evsel);

/* True for the clocks whose count is nanoseconds (task-clock, cpu-clock). */
bool evsel__is_clock(const struct evsel *evsel);
bool evsel__match(const struct evsel *evsel, uint32_t type, uint64_t config);

#define EVSEL_FD(e, cpu, thr) ((e)->fds[(cpu) * (e)->nr_threads + (thr)])

#endif
