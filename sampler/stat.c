/* Owns counting mode: targets, the run loop (-r repeats, -I intervals, signals), reading and
 * scaling counters, aggregation per CPU or overall, the shadows metrics divide by, and the
 * tables handed to the caller (sampler/stat.h). */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/perf_event.h>

#include "sampler/cpumap.h"
#include "sampler/evlist.h"
#include "sampler/stat.h"
#include "sampler/stat_aggr.h"
#include "sampler/stat_cgroup.h"
#include "sampler/workload.h"
#include "util/error.h"
#include "util/log.h"

/* Per event: previous raw reads (for interval deltas) and per-unit statistics over runs. */
struct counter {
	struct counts *prev;	/* [cpu * nr_threads + thread] */
	struct stats *val;	/* [unit] */
	struct stats *ena, *run;
};

struct stat_session {
	const struct stat_opts *opts;
	struct evlist *evlist;
	struct cpu_map *cpus;
	struct thread_map *threads;
	struct counter *counters;	/* [event] */
	int nr_counters;
	int nr_units;
	struct stat_aggr_map aggr;
	struct stat_table cur;	/* the latest rows */
	struct stats wall;
	struct rusage ru;
	bool have_ru;
	bool intervals_done;	/* --interval-count reached: no partial interval at the end */
	double last_tick;	/* -I: when the last interval was read (ns) */
	bool timed_out;		/* --timeout stopped the command */
	int workload_pid;
	int *spec_first;	/* while parsing: the first event of each -e */
};

void stat_shadow__reset(struct stat_shadow *sh, double wall_ns)
{
	memset(sh, 0, sizeof(*sh));
	sh->wall_ns = wall_ns;
}

void stat_shadow__add(struct stat_shadow *sh, const struct stat_row *row)
{
	if (!row->supported || !row->counted)
		return;
	if (row->ev.is_clock && !sh->has_clock) {
		sh->clock_ns = row->val;
		sh->has_clock = true;
	}
	if (row->ev.type == PERF_TYPE_HARDWARE) {
		switch (row->ev.config) {
		case PERF_COUNT_HW_CPU_CYCLES:
			if (!sh->has_cycles)
				sh->cycles = row->val, sh->has_cycles = true;
			break;
		case PERF_COUNT_HW_INSTRUCTIONS:
			sh->instructions = row->val;
			break;
		case PERF_COUNT_HW_BRANCH_INSTRUCTIONS:
			if (!sh->has_branches)
				sh->branches = row->val, sh->has_branches = true;
			break;
		case PERF_COUNT_HW_CACHE_REFERENCES:
			if (!sh->has_cache_refs)
				sh->cache_refs = row->val, sh->has_cache_refs = true;
			break;
		}
	} else if (row->ev.type == PERF_TYPE_HW_CACHE) {
		int id = hw_cache__id(row->ev.config);

		if (id < 8 && hw_cache__op(row->ev.config) == PERF_COUNT_HW_CACHE_OP_READ &&
		    hw_cache__result(row->ev.config) == PERF_COUNT_HW_CACHE_RESULT_ACCESS &&
		    !sh->has_cache_access[id]) {
			sh->cache_access[id] = row->val;
			sh->has_cache_access[id] = true;
		}
	}
}

static struct stat_row *row_at(struct stat_session *s, int event, int unit)
{
	return &s->cur.rows[event * s->nr_units + unit];
}

static void stat_table__exit(struct stat_table *t)
{
	free(t->rows);
	free(t->shadows);
	free(t->units);
	*t = (struct stat_table){ 0 };
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static bool per_cpu_target(const struct stat_opts *o)
{
	return o->system_wide || o->cpu_list;
}

static const char *default_events(const struct stat_opts *o)
{
	return per_cpu_target(o) ?
		"cpu-clock,context-switches,cpu-migrations,page-faults,cycles,instructions,branches,branch-misses" :
		"task-clock,context-switches,cpu-migrations,page-faults,cycles,instructions,branches,branch-misses";
}

static void session__free_counters(struct stat_session *s)
{
	if (!s->counters)
		return;
	for (int i = 0; i < s->nr_counters; i++) {
		free(s->counters[i].prev);
		free(s->counters[i].val);
		free(s->counters[i].ena);
		free(s->counters[i].run);
	}
	free(s->counters);
	s->counters = NULL;
	stat_table__exit(&s->cur);
}

static int session__alloc_counters(struct stat_session *s)
{
	int nr_fds = s->cpus->nr * s->threads->nr;

	s->counters = calloc(s->evlist->nr, sizeof(*s->counters));
	if (!s->counters)
		return -ENOMEM;
	s->nr_counters = s->evlist->nr;
	s->cur.rows = calloc((size_t)s->evlist->nr * s->nr_units, sizeof(*s->cur.rows));
	s->cur.shadows = calloc(s->nr_units, sizeof(*s->cur.shadows));
	s->cur.units = calloc(s->nr_units, sizeof(*s->cur.units));
	if (!s->cur.rows || !s->cur.shadows || !s->cur.units)
		return -ENOMEM;
	memcpy(s->cur.units, s->aggr.units, s->nr_units * sizeof(*s->cur.units));
	s->cur.nr_events = s->evlist->nr;
	s->cur.nr_units = s->nr_units;
	for (int i = 0; i < s->evlist->nr; i++) {
		struct counter *c = &s->counters[i];

		c->prev = calloc(nr_fds, sizeof(*c->prev));
		c->val = calloc(s->nr_units, sizeof(*c->val));
		c->ena = calloc(s->nr_units, sizeof(*c->ena));
		c->run = calloc(s->nr_units, sizeof(*c->run));
		if (!c->prev || !c->val || !c->ena || !c->run)
			return -ENOMEM;
	}
	return 0;
}

static void row_init(struct stat_row *row, const struct evsel *evsel, int cpu)
{
	memset(row, 0, sizeof(*row));
	row->ev.name = evsel->name;
	row->ev.unit = evsel->unit;
	row->ev.type = evsel->attr.type;
	row->ev.config = evsel->attr.config;
	row->ev.is_clock = evsel__is_clock(evsel);
	row->ev.cgroup = evsel->cgroup;
	row->supported = evsel->supported;
	row->cpu = cpu;
}

/* A tool event's count, as perf 6.1 counts them: on the first CPU, once per thread (a -p of N
 * threads sums N times), the wall time of the run or interval, or the command's rusage
 * (children included) at the end only. */
static void session__read_tool(struct stat_session *s, int i, int tool, bool delta, double wall_ns)
{
	const struct timeval *tv = tool == EVSEL_TOOL_USER ? &s->ru.ru_utime : &s->ru.ru_stime;
	bool per_cpu = s->opts->aggr == STAT_AGGR_NONE;
	double val = wall_ns;

	if (tool != EVSEL_TOOL_DURATION)
		val = delta || !s->have_ru ? 0 : tv->tv_sec * 1e9 + tv->tv_usec * 1e3;
	for (int u = 0; u < s->nr_units; u++)
		row_at(s, i, u)->absent = per_cpu;
	for (int t = 0; t < s->threads->nr; t++) {
		struct stat_row *row = row_at(s, i, s->aggr.unit_of[t]);

		row->absent = false;
		row->tool_cpu = true;
		row->val += val;
		row->ena = row->run = (uint64_t)llround(row->val);
		row->counted = row->run > 0;
	}
}

/* Read every fd of every event; sum scaled values per unit. delta: since the previous read;
 * wall_ns: the time the read covers (for duration_time). */
static void session__read(struct stat_session *s, bool delta, double wall_ns)
{
	for (int i = 0; i < s->evlist->nr; i++) {
		struct evsel *evsel = s->evlist->entries[i];
		struct counter *c = &s->counters[i];

		for (int u = 0; u < s->nr_units; u++)
			row_init(row_at(s, i, u), evsel, s->aggr.units[u].cpu);
		if (evsel->tool) {
			session__read_tool(s, i, evsel->tool, delta, wall_ns);
			continue;
		}
		if (!evsel->supported)
			continue;
		for (int cpu = 0; cpu < s->cpus->nr; cpu++) {
			for (int t = 0; t < s->threads->nr; t++) {
				int k = cpu * s->threads->nr + t;
				struct stat_row *row = row_at(s, i, s->aggr.unit_of[k]);
				struct counts now, *prev = &c->prev[k], d;

				if (evsel__read(evsel, cpu, t, &now))
					continue;
				d = now;
				if (delta) {
					d.val -= prev->val;
					d.ena -= prev->ena;
					d.run -= prev->run;
				}
				*prev = now;
				if (!d.run)
					continue;
				row->val += counts__scaled(&d);
				row->ena += d.ena;
				row->run += d.run;
			}
		}
		for (int u = 0; u < s->nr_units; u++) {
			struct stat_row *row = row_at(s, i, u);

			row->counted = row->run > 0;
			row->val *= evsel->scale;
		}
	}
}

/* Stamp the rows with @ts and give each unit its shadow: a unit's metrics divide by the other
 * events of the same unit. */
static void session__tabulate(struct stat_session *s, double wall_ns, double ts)
{
	for (int u = 0; u < s->nr_units; u++) {
		struct stat_shadow *sh = &s->cur.shadows[u];

		stat_shadow__reset(sh, wall_ns);
		for (int i = 0; i < s->evlist->nr; i++)
			stat_shadow__add(sh, row_at(s, i, u));
	}
	for (int k = 0; k < s->evlist->nr * s->nr_units; k++)
		s->cur.rows[k].ts = ts;
}

/* -I: the rows read since the previous interval go to the caller. Their metrics divide by the
 * interval asked for (-I MS), the last, partial one included, as perf 6.1's do: a "CPUs
 * utilized" of 0.47 for 47 ms counted in a last 49 ms with -I 100. */
static void session__interval(struct stat_session *s, double ts)
{
	session__tabulate(s, s->opts->interval_ms * 1e6, ts);
	if (s->opts->on_interval)
		s->opts->on_interval(s->opts->arg, &s->cur);
}

static void session__accumulate(struct stat_session *s)
{
	for (int i = 0; i < s->evlist->nr; i++) {
		struct counter *c = &s->counters[i];

		for (int u = 0; u < s->nr_units; u++) {
			const struct stat_row *row = row_at(s, i, u);

			stats__update(&c->val[u], row->val);
			stats__update(&c->ena[u], (double)row->ena);
			stats__update(&c->run[u], (double)row->run);
		}
	}
}

/* Final rows over all runs: means, noise, and a shadow built from the means. */
static void session__final(struct stat_session *s)
{
	for (int i = 0; i < s->evlist->nr; i++) {
		struct counter *c = &s->counters[i];

		for (int u = 0; u < s->nr_units; u++) {
			struct stat_row *row = row_at(s, i, u);

			row->val = stats__mean(&c->val[u]);
			row->ena = (uint64_t)llround(stats__mean(&c->ena[u]));
			row->run = (uint64_t)llround(stats__mean(&c->run[u]));
			row->counted = row->run > 0;
			row->noise_pct = stats__rel_stddev(&c->val[u]);
		}
	}
	session__tabulate(s, stats__mean(&s->wall), 0);
}

/* --syscalls: the syscalls:sys_enter_* counts by name. */
static int session__syscalls(struct stat_session *s, struct stat_result *res)
{
	struct stat_syscall *rows = calloc(s->evlist->nr, sizeof(*rows));
	int n = 0;

	if (!rows)
		return -ENOMEM;
	for (int i = 0; i < s->evlist->nr; i++) {
		const char *name = s->evlist->entries[i]->name, *p = strstr(name, ":sys_enter_");

		if (!p || !s->evlist->entries[i]->supported)
			continue;
		rows[n].name = p + strlen(":sys_enter_");
		rows[n].calls = (uint64_t)llround(stats__mean(&s->counters[i].val[0]));
		n++;
	}
	res->syscalls = rows;
	res->nr_syscalls = n;
	return 0;
}

static int pidfd_open_compat(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* A thread counts as gone once it is a zombie: its parent may not have reaped it yet. */
static bool tid_alive(pid_t tid)
{
	char path[64], buf[512], *paren;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", tid);
	f = fopen(path, "r");
	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' && paren[2] != 'Z' && paren[2] != 'X';
}

static bool tids_alive(const struct thread_map *threads)
{
	for (int i = 0; i < threads->nr; i++)
		if (tid_alive(threads->pid[i]))
			return true;
	return false;
}

static int ms_until(double deadline_ns)
{
	double d = deadline_ns - now_ns();

	return d <= 0 ? 0 : (int)ceil(d / 1e6);
}

/*
 * Wait for the end of the measurement: the workload exits, the -p processes exit, the -t
 * threads are gone, or a signal arrives; print interval lines on the way.
 */
static void session__wait(struct stat_session *s, struct workload *wl, double t0, int *status)
{
	const struct stat_opts *o = s->opts;
	struct pollfd pfds[64];
	int npfds = 0;
	double interval_ns = o->interval_ms * 1e6, next = t0 + interval_ns;
	double deadline = o->timeout_ms ? t0 + o->timeout_ms * 1e6 : 0;
	bool poll_tids = o->tid && wl->pid <= 0, ticking = o->interval_ms > 0;
	int intervals = 0;

	if (wl->pid > 0) {
		int fd = pidfd_open_compat(wl->pid);

		if (fd >= 0)
			pfds[npfds++] = (struct pollfd){ .fd = fd, .events = POLLIN };
		else
			poll_tids = true;	/* no pidfd: poll the child with waitpid below */
	} else if (o->pid) {
		for (int i = 0; i < s->threads->nr && npfds < 64; i++) {
			int fd = pidfd_open_compat(s->threads->pid[i]);

			if (fd >= 0)
				pfds[npfds++] = (struct pollfd){ .fd = fd, .events = POLLIN };
		}
	}
	for (;;) {
		int timeout = -1, n;

		if (o->stop && *o->stop)
			break;
		if (ticking)
			timeout = ms_until(next);
		if (deadline && (timeout < 0 || timeout > ms_until(deadline)))
			timeout = ms_until(deadline);
		if (poll_tids && (timeout < 0 || timeout > 100))
			timeout = 100;
		n = poll(pfds, npfds, timeout);
		if (n < 0 && errno != EINTR)
			break;
		if (n > 0) {
			bool all_done = true;

			for (int i = 0; i < npfds; i++) {
				if (pfds[i].revents)
					pfds[i].fd = -pfds[i].fd - 1;	/* stop watching it */
				if (pfds[i].fd >= 0)
					all_done = false;
			}
			if (all_done)
				break;
		}
		if (ticking && now_ns() >= next) {
			double t = now_ns();

			session__read(s, true, t - s->last_tick);
			session__interval(s, (t - t0) / 1e9);
			s->last_tick = t;
			next += interval_ns;
			if (o->interval_count && ++intervals >= o->interval_count) {
				/* as perf: counting stops, the command runs on to its end */
				evlist__disable(s->evlist);
				s->intervals_done = true;
				ticking = false;
				if (wl->pid <= 0)
					break;
			}
		}
		if (deadline && now_ns() >= deadline) {
			if (wl->pid > 0) {
				workload__kill(wl, SIGTERM);
				s->timed_out = true;
			}
			break;
		}
		if (poll_tids) {
			if (wl->pid > 0) {
				if (workload__wait(wl, status, &s->ru, WNOHANG) == 0) {
					s->have_ru = true;
					break;
				}
			} else if (!tids_alive(s->threads)) {
				break;
			}
		}
	}
	for (int i = 0; i < npfds; i++)
		close(pfds[i].fd >= 0 ? pfds[i].fd : -pfds[i].fd - 1);
	if (wl->pid > 0) {
		if (o->stop && *o->stop)
			workload__kill(wl, *o->stop);
		while (workload__wait(wl, status, &s->ru, 0) == -EINTR)
			;
		s->have_ru = true;
	}
}

/* Fill the error's kind and code; what it is about is set by the caller. */
static int stat_fail(struct error *e, enum stat_error_kind kind, int code)
{
	if (e) {
		e->kind = kind;
		e->code = code;
	}
	return code;
}

static int session__open_targets(struct stat_session *s, struct error *e)
{
	const struct stat_opts *o = s->opts;
	int err;

	bool thread_sw = o->aggr == STAT_AGGR_THREAD && o->system_wide;

	s->cpus = per_cpu_target(o) && !thread_sw ? cpu_map__new(o->cpu_list) : cpu_map__dummy();
	if (!s->cpus) {
		err = -(errno ? errno : EINVAL);
		error__what(e, "CPU list '%s'", o->cpu_list ? o->cpu_list : "online");
		return stat_fail(e, STAT_ERR_TARGET, err);
	}
	if (o->cpu_list && per_cpu_target(o) && (err = cpu_map__check(s->cpus, e))) {
		error__what(e, "CPU list '%s'", o->cpu_list);
		return stat_fail(e, STAT_ERR_TARGET, err);
	}
	if (o->pid)
		s->threads = thread_map__new_pids(o->pid);
	else if (o->tid)
		s->threads = thread_map__new_tids(o->tid);
	else if (thread_sw)
		s->threads = stat_aggr__all_threads();
	else
		s->threads = thread_map__dummy();
	if (!s->threads) {
		err = -(errno ? errno : ESRCH);
		error__what(e, "%s '%s'", o->pid ? "process" : "thread", o->pid ? o->pid : o->tid);
		return stat_fail(e, STAT_ERR_TARGET, err);
	}
	err = stat_aggr__map(o->aggr, o->cache_level, s->cpus, s->threads, &s->aggr);
	if (err) {
		error__what(e, "%s", o->aggr == STAT_AGGR_CACHE ? "cache" : "topology");
		return stat_fail(e, STAT_ERR_AGGR, err);
	}
	s->nr_units = s->aggr.nr_units;
	return 0;
}

/* Forget the previous reads: the next read is the counters' totals. */
static void session__forget_prev(struct stat_session *s)
{
	for (int i = 0; i < s->evlist->nr; i++)
		memset(s->counters[i].prev, 0, s->cpus->nr * s->threads->nr * sizeof(struct counts));
}

/* Open the events on the targets: the command's own task, or what -a/-C/-p/-t name. */
static int session__open(struct stat_session *s, bool task_of_workload, struct error *e)
{
	struct open_opts oo = {
		.inherit = !per_cpu_target(s->opts),
		.enable_on_exec = task_of_workload,
		.start_disabled = !task_of_workload,
		.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING,
		.user_fallback = true,
	};
	struct evsel *failed = NULL;
	int err = evlist__open(s->evlist, s->cpus, s->threads, &oo, &failed);

	if (err == -EBADMSG && failed) {
		error__what(e, "%s' on '%s", failed->filter, failed->name);
		return stat_fail(e, STAT_ERR_FILTER, err);
	}
	if (err) {
		error__what(e, "%s", failed ? failed->name : "?");
		return stat_fail(e, STAT_ERR_OPEN, err);
	}
	if (!s->counters) {
		err = session__alloc_counters(s);
		if (err)
			return err;
	}
	session__forget_prev(s);
	return 0;
}

/* -D: wait the delay (a signal cuts it short), then enable the counters. */
static int session__delay(struct stat_session *s)
{
	const struct stat_opts *o = s->opts;
	double end = now_ns() + o->delay_ms * 1e6;
	int err;

	while (!(o->stop && *o->stop) && now_ns() < end) {
		int ms = ms_until(end);
		struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

		nanosleep(&ts, NULL);
	}
	err = evlist__enable(s->evlist);
	if (!err && o->on_enable)
		o->on_enable(o->arg, true);
	return err;
}

/* One measurement: open, start, wait, read. */
static int session__run_once(struct stat_session *s, int *status, struct error *e)
{
	const struct stat_opts *o = s->opts;
	struct workload wl = { .pid = -1, .go_fd = -1, .err_fd = -1 };
	bool task_of_workload = o->argv && !per_cpu_target(o) && !o->pid && !o->tid;
	double t0, t1;
	int err;

	if (o->argv) {
		err = workload__prepare(&wl, o->argv);
		if (err) {
			error__what(e, "%s", o->argv[0]);
			return stat_fail(e, STAT_ERR_EXEC, err);
		}
		if (task_of_workload) {
			thread_map__free(s->threads);
			s->threads = thread_map__new_one(wl.pid);
			if (!s->threads) {
				err = -ENOMEM;
				goto out;
			}
		}
	}
	err = session__open(s, task_of_workload && !o->delay_ms, e);
	if (err)
		goto out;
	if (o->delay_ms && o->on_enable)
		o->on_enable(o->arg, false);
	if (!task_of_workload && !o->delay_ms) {
		err = evlist__enable(s->evlist);
		if (err)
			goto out;
	}
	t0 = now_ns();
	s->workload_pid = wl.pid;
	if (o->argv) {
		err = workload__start(&wl);
		if (err) {
			error__what(e, "%s", o->argv[0]);
			stat_fail(e, STAT_ERR_EXEC, err);
			goto out;
		}
	}
	if (o->delay_ms) {
		err = session__delay(s);
		if (err)
			goto out;
		t0 = now_ns();	/* the time elapsed counts from the enabling, as perf's */
	}
	s->intervals_done = false;
	s->last_tick = t0;
	session__wait(s, &wl, t0, status);
	t1 = now_ns();
	evlist__disable(s->evlist);
	if (o->interval_ms) {
		/* the last, partial interval, as perf prints it; then the totals (--summary) */
		session__read(s, true, t1 - s->last_tick);
		if (!s->intervals_done)
			session__interval(s, (t1 - t0) / 1e9);
		session__forget_prev(s);
	}
	session__read(s, false, t1 - t0);
	stats__update(&s->wall, t1 - t0);
	session__accumulate(s);
out:
	evlist__close(s->evlist);
	workload__close(&wl);
	return err;
}

/* The default events, --syscalls' tracepoints, then each -e with its --filter. */
static int session__parse_specs(struct stat_session *s, struct error *e)
{
	const struct stat_opts *o = s->opts;
	int err = 0;

	if (o->nr_events == 0)
		err = evlist__parse(s->evlist, default_events(o), e);
	if (!err && o->syscalls)
		err = evlist__parse(s->evlist, "syscalls:sys_enter_*", e);
	if (err)
		return stat_fail(e, STAT_ERR_PARSE, err);
	for (int i = 0; i < o->nr_events; i++) {
		int first = s->evlist->nr;

		if (s->spec_first)
			s->spec_first[i] = first;
		err = evlist__parse(s->evlist, o->events[i], e);
		if (err)
			return stat_fail(e, STAT_ERR_PARSE, err);
		if (o->filters && o->filters[i]) {
			err = evlist__set_filter(s->evlist, first, o->filters[i]);
			if (err) {
				error__what(e, "%s", o->filters[i]);
				return stat_fail(e, STAT_ERR_FILTER, err);
			}
		}
	}
	return 0;
}

/* Events [first, end) count in cgroup @name (its directory opened here). */
static int session__set_cgroup(struct stat_session *s, int first, int end, const char *name, size_t len,
			       struct error *e)
{
	for (int i = first; i < end; i++) {
		struct evsel *ev = s->evlist->entries[i];
		char path[600];

		ev->cgroup = strndup(name, len);
		if (!ev->cgroup)
			return -ENOMEM;
		ev->cgroup_fd = stat_cgroup__open(ev->cgroup, path, sizeof(path));
		if (ev->cgroup_fd < 0) {
			int err = ev->cgroup_fd;

			free(ev->cgroup);
			ev->cgroup = NULL;
			error__what(e, "%s", path);
			return stat_fail(e, STAT_ERR_CGROUP, err);
		}
	}
	return 0;
}

/* -G: the names of each list in turn to the events of the specs sharing it. */
static int session__apply_cgroups(struct stat_session *s, const int *spec_first, struct error *e)
{
	const struct stat_opts *o = s->opts;
	const char *list = NULL, *next = NULL;
	int err = 0;

	for (int i = 0; i < o->nr_events && !err; i++) {
		int end = i + 1 < o->nr_events ? spec_first[i + 1] : s->evlist->nr;

		if (!o->cgroups || !o->cgroups[i])
			continue;
		if (o->cgroups[i] != list)
			list = next = o->cgroups[i];
		for (int k = spec_first[i]; k < end && !err; k++) {
			size_t len = strcspn(next, ",");

			err = session__set_cgroup(s, k, k + 1, next, len, e);
			if (next[len] == ',')
				next += len + 1;
		}
	}
	return err;
}

/* The events, with their cgroups: -G, or each event once per --for-each-cgroup cgroup. */
static int session__parse(struct stat_session *s, struct error *e)
{
	const struct stat_opts *o = s->opts;
	const char *name = o->each_cgroup;
	int err = 0;

	if (!name) {
		int *spec_first = calloc(o->nr_events + 1, sizeof(*spec_first));

		if (!spec_first)
			return -ENOMEM;
		s->spec_first = spec_first;
		err = session__parse_specs(s, e);
		if (!err)
			err = session__apply_cgroups(s, spec_first, e);
		s->spec_first = NULL;
		free(spec_first);
		return err;
	}
	while (!err && *name) {
		size_t len = strcspn(name, ",");
		int first = s->evlist->nr;

		err = session__parse_specs(s, e);
		if (!err)
			err = session__set_cgroup(s, first, s->evlist->nr, name, len, e);
		name += len + (name[len] == ',');
	}
	return err;
}

static void session__close_cgroups(struct stat_session *s)
{
	for (int i = 0; s->evlist && i < s->evlist->nr; i++)
		if (s->evlist->entries[i]->cgroup)
			close(s->evlist->entries[i]->cgroup_fd);
}

/* --all-user, --all-kernel: every event's privilege level. */
static void session__set_levels(struct stat_session *s)
{
	const struct stat_opts *o = s->opts;

	for (int i = 0; i < s->evlist->nr && (o->all_user || o->all_kernel); i++) {
		struct perf_event_attr *attr = &s->evlist->entries[i]->attr;

		attr->exclude_kernel = o->all_user;
		attr->exclude_hv = 1;
		attr->exclude_user = o->all_kernel;
	}
}

/* Hand the final counts to the result: the rows, and the evlist their names point into. */
static int session__result(struct stat_session *s, struct stat_result *res)
{
	const struct stat_opts *o = s->opts;

	if (o->syscalls) {
		int err = session__syscalls(s, res);

		if (err)
			return err;
	}
	session__final(s);
	res->table = s->cur;
	s->cur = (struct stat_table){ 0 };
	res->evlist = s->evlist;
	s->evlist = NULL;
	res->wall = s->wall;
	res->timed_out = s->timed_out;
	res->workload_pid = o->argv ? s->workload_pid : -1;
	res->have_rusage = s->have_ru && o->argv && !per_cpu_target(o) && !o->pid && !o->tid;
	res->user_s = s->ru.ru_utime.tv_sec + s->ru.ru_utime.tv_usec / 1e6;
	res->sys_s = s->ru.ru_stime.tv_sec + s->ru.ru_stime.tv_usec / 1e6;
	return 0;
}

int stat__run(const struct stat_opts *o, struct stat_result *res, struct error *e)
{
	struct stat_session s = { .opts = o };
	int runs = o->repeat > 0 ? o->repeat : 1;
	int err;

	error__clear(e);
	*res = (struct stat_result){ 0 };
	stats__init(&s.wall);
	if (!o->argv && !per_cpu_target(o) && !o->pid && !o->tid)
		return stat_fail(e, STAT_ERR_USAGE, -EINVAL);
	s.evlist = evlist__new();
	if (!s.evlist)
		return error__nomem(e);
	err = session__parse(&s, e);
	session__set_levels(&s);
	if (!err)
		err = session__open_targets(&s, e);
	for (int run = 0; !err && run < runs; run++) {
		err = session__run_once(&s, &res->status, e);
		if (o->stop && *o->stop)
			break;
	}
	session__close_cgroups(&s);
	if (!err)
		err = session__result(&s, res);
	session__free_counters(&s);
	evlist__free(s.evlist);
	stat_aggr_map__exit(&s.aggr);
	cpu_map__free(s.cpus);
	thread_map__free(s.threads);
	if (err && e && !e->code)	/* a failure without its own message (ENOMEM) */
		e->code = err;
	return err;
}

void stat_result__exit(struct stat_result *res)
{
	if (!res)
		return;
	stat_table__exit(&res->table);
	free(res->syscalls);
	evlist__free(res->evlist);
	*res = (struct stat_result){ 0 };
}
