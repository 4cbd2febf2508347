/* The record session behind precord: parse and open the events per CPU (and per task), map one
 * ring per CPU, write the perf.data header, snapshot existing state, run the poll/drain loop until
 * the workload ends, the targets exit or a stop is requested, then finish the file. */
#ifndef SAMPLER_RECORD_H
#define SAMPLER_RECORD_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sampler/offcpu.h"
struct pd_event_desc;

enum record_callgraph {
	RECORD_CG_NONE,
	RECORD_CG_FP,		/* kernel-walked frame pointers (PERF_SAMPLE_CALLCHAIN) */
	RECORD_CG_DWARF,	/* user regs + a copy of the user stack, unwound at report time */
};

struct record_opts {
	const char *events;		/* -e spec; NULL: cycles, falling back to cpu-clock */
	const char *filter;		/* --filter: ftrace filter for the -e tracepoints, or NULL */
	bool system_wide;		/* -a */
	const char *cpu_list;		/* -C: system-wide on these CPUs */
	const char *pids;		/* -p */
	const char *tids;		/* -t */
	char *const *argv;		/* the command, NULL-terminated; NULL or empty: none */
	int cmdline_argc;		/* the whole precord command line, for the CMDLINE feature */
	char *const *cmdline_argv;
	uint64_t freq;			/* -F */
	bool user_freq;			/* -F given: also applies to tracepoints */
	uint64_t period;		/* -c; 0: use freq */
	enum record_callgraph call_graph;
	uint32_t stack_size;		/* DWARF: bytes of user stack per sample (multiple of 8) */
	bool full_stacks;		/* DWARF: keep whole stack copies (default: only the used bytes) */
	int zstd_level;			/* -z: zstd-compress the ring data at this level; 0: off */
	const char *output;		/* -o */
	size_t mmap_pages;		/* -m: data pages per ring, a power of two; 0: 128 */
	const char *version;		/* for the VERSION feature */
	bool no_buildid;		/* --no-buildid: no BUILD_ID section */
	bool buildid_all;		/* --buildid-all: build-ids of every DSO mapped, not only hit */
	bool no_buildid_cache;		/* --no-buildid-cache: the DSOs hit are not added to the cache */
	int embed_symbols;		/* --embed-symbols: 1 the symbols of the sampled addresses go
					 * into the file, 2 (=lines) their source lines too */
	bool no_inherit;		/* --no-inherit: children of the targets are not followed */
	bool namespaces;		/* --namespaces: PERF_RECORD_NAMESPACES of the tasks */
	bool all_cgroups;		/* --all-cgroups: each sample's cgroup, PERF_RECORD_CGROUP */
	bool per_thread;		/* --per-thread: one ring per thread (cpu -1), no inheritance */
	bool sample_addr;		/* -d: data addresses (ADDR, DATA_SRC) and data maps */
	bool use_clockid;		/* -k: sample times from clockid instead of the perf clock */
	int clockid;
	uint64_t user_regs, intr_regs;	/* --user-regs/--intr-regs: register masks; 0: none */
	uint64_t max_size;		/* --max-size: stop when the output reaches it (bytes); 0: none */
	/* --switch-output: a new file on SIGUSR2 (switch_signal), every switch_time_ms or once the
	 * data reaches switch_size bytes; the finished one renamed OUTPUT.YYYYMMDDhhmmssms */
	bool switch_signal;
	uint64_t switch_size, switch_time_ms;
	unsigned int switch_max_files;	/* keep only the newest N of them; 0: all */
	volatile sig_atomic_t *switch_req;	/* set by the command's SIGUSR2 handler */
	void (*on_switch)(const char *name);	/* told each finished file's name */
	volatile sig_atomic_t *stop;	/* set asynchronously (signal handler) to end the recording */
	struct offcpu_opts offcpu;	/* --off-cpu, --wall */
	/* A live consumer (ptop) sees every chunk of records as the file gets it, uncompressed:
	 * the synthesized ones, then each ring's bytes; buf NULL ends a drain round. Called on the
	 * recording's thread; descs are the file's attrs with their ids. NULL: none. */
	void (*sink)(void *arg, const struct pd_event_desc *descs, size_t nr_descs, const void *buf,
		     size_t len);
	void *sink_arg;
};

struct error;

/* struct error's kind for record__run: where it went wrong, so the command can say what to
 * do; what = the event, path or command the error is about. */
enum record_stage {
	RECORD_OK,
	RECORD_EVENTS,		/* bad -e spec (what: the spec; pos, msg: where and what) */
	RECORD_FILTER,		/* --filter without a tracepoint, or refused by the kernel (-EBADMSG) */
	RECORD_TRACEFS,		/* a tracepoint was asked for and tracefs is not mounted */
	RECORD_TARGET,		/* bad -C/-p/-t, or no such process */
	RECORD_FREQ,		/* -F above kernel.perf_event_max_sample_rate (res->max_rate) */
	RECORD_OPEN,		/* perf_event_open failed for event `what` */
	RECORD_UNSUPPORTED,	/* event `what` does not exist on this machine */
	RECORD_MMAP,		/* mapping the ring buffers failed (-EPERM: mlock limit) */
	RECORD_OUTPUT,		/* creating the output file failed */
	RECORD_WRITE,		/* writing failed mid-recording (file kept readable up to there) */
	RECORD_WORKLOAD,	/* the command could not be started */
};

struct record_result {
	uint64_t max_rate;		/* RECORD_FREQ: the limit */
	bool fell_back;			/* cycles was replaced by cpu-clock */
	uint64_t samples;
	uint64_t lost_samples, lost_records, throttled;
	uint64_t kernel_lost;		/* the kernel's count of dropped samples (PERF_FORMAT_LOST) */
	uint64_t wakeups;
	uint64_t file_size;
	bool max_size_reached;		/* --max-size stopped the recording */
	unsigned int nr_switched;	/* --switch-output: files finished and renamed */
	bool workload_ran;
	int workload_status;		/* wait status of the command */
	int stop_signal;		/* unused by the library; for the command */
	struct offcpu_stats offcpu;	/* --off-cpu */
};

/* 0 or -errno with *err (may be NULL) filled, err->kind a record_stage. The output file, if
 * created, is left readable. */
int record__run(const struct record_opts *opts, struct record_result *res, struct error *err);

#endif
