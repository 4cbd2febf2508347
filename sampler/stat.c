/* Owns counting mode: targets, the run loop (-r repeats, -I intervals, signals), reading and
 * scaling counters, aggregation per CPU or overall, and handing rows to report/stat-display. */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/stats.h"
#include "sampler/cpumap.h"
#include "sampler/stat.h"
#include "sampler/workload.h"
#include "util/log.h"

/* Per event: previous raw reads (for interval deltas) and per-unit statistics over runs. */
struct counter {
	struct counts *prev;	/* [cpu * nr_threads + thread] */
	struct stats *val;	/* [unit] */
	struct stats *ena, *run;
	struct stat_row *last;	/* [unit] the latest rows */
};

struct stat_session {
	const struct stat_opts *opts;
	struct evlist *evlist;
	struct cpu_map *cpus;
	struct thread_map *threads;
	struct counter *counters;
	int nr_units;
	struct stats wall;
	struct rusage ru;
	bool have_ru;
	struct stat_display disp;
};

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
	for (int i = 0; i < s->evlist->nr; i++) {
		free(s->counters[i].prev);
		free(s->counters[i].val);
		free(s->counters[i].ena);
		free(s->counters[i].run);
		free(s->counters[i].last);
	}
	free(s->counters);
	s->counters = NULL;
}

static int session__alloc_counters(struct stat_session *s)
{
	int nr_fds = s->cpus->nr * s->threads->nr;

	s->counters = calloc(s->evlist->nr, sizeof(*s->counters));
	if (!s->counters)
		return -ENOMEM;
	for (int i = 0; i < s->evlist->nr; i++) {
		struct counter *c = &s->counters[i];

		c->prev = calloc(nr_fds, sizeof(*c->prev));
		c->val = calloc(s->nr_units, sizeof(*c->val));
		c->ena = calloc(s->nr_units, sizeof(*c->ena));
		c->run = calloc(s->nr_units, sizeof(*c->run));
		c->last = calloc(s->nr_units, sizeof(*c->last));
		if (!c->prev || !c->val || !c->ena || !c->run || !c->last)
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
	row->supported = evsel->supported;
	row->cpu = cpu;
}

/* Read every fd of every event; sum scaled values per unit. delta: since the previous read. */
static void session__read(struct stat_session *s, bool delta)
{
	for (int i = 0; i < s->evlist->nr; i++) {
		struct evsel *evsel = s->evlist->entries[i];
		struct counter *c = &s->counters[i];

		for (int u = 0; u < s->nr_units; u++)
			row_init(&c->last[u], evsel, s->opts->no_aggr ? s->cpus->cpu[u] : -1);
		if (!evsel->supported)
			continue;
		for (int cpu = 0; cpu < s->cpus->nr; cpu++) {
			struct stat_row *row = &c->last[s->opts->no_aggr ? cpu : 0];

			for (int t = 0; t < s->threads->nr; t++) {
				struct counts now, *prev = &c->prev[cpu * s->threads->nr + t], d;

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
			c->last[u].counted = c->last[u].run > 0;
			c->last[u].val *= evsel->scale;
		}
	}
}

/* perf prints event-major: every unit of event 0, then event 1, ...; a unit's metrics
 * divide by the other events of the same unit. */
static void session__print_rows(struct stat_session *s, double wall_ns, double ts)
{
	for (int i = 0; i < s->evlist->nr; i++) {
		for (int u = 0; u < s->nr_units; u++) {
			struct stat_shadow sh;

			stat_shadow__reset(&sh, wall_ns);
			for (int j = 0; j < s->evlist->nr; j++)
				stat_shadow__add(&sh, &s->counters[j].last[u]);
			s->counters[i].last[u].ts = ts;
			stat_display__row(&s->disp, &s->counters[i].last[u], &sh);
		}
	}
}

static void session__accumulate(struct stat_session *s)
{
	for (int i = 0; i < s->evlist->nr; i++) {
		struct counter *c = &s->counters[i];

		for (int u = 0; u < s->nr_units; u++) {
			stats__update(&c->val[u], c->last[u].val);
			stats__update(&c->ena[u], (double)c->last[u].ena);
			stats__update(&c->run[u], (double)c->last[u].run);
		}
	}
}

/* Final rows over all runs: means, noise, and a shadow built from the means. */
static void session__print_final(struct stat_session *s)
{
	for (int i = 0; i < s->evlist->nr; i++) {
		struct counter *c = &s->counters[i];

		for (int u = 0; u < s->nr_units; u++) {
			struct stat_row *row = &c->last[u];

			row->val = stats__mean(&c->val[u]);
			row->ena = (uint64_t)llround(stats__mean(&c->ena[u]));
			row->run = (uint64_t)llround(stats__mean(&c->run[u]));
			row->counted = row->run > 0;
			row->noise_pct = stats__rel_stddev(&c->val[u]);
		}
	}
	session__print_rows(s, stats__mean(&s->wall), 0);
}

/* --syscalls: the syscalls:sys_enter_* counts by name, busiest first. */
static void session__print_syscalls(struct stat_session *s, const char *target)
{
	struct syscall_count *rows = calloc(s->evlist->nr, sizeof(*rows));
	int n = 0;

	if (!rows)
		return;
	for (int i = 0; i < s->evlist->nr; i++) {
		const char *name = s->evlist->entries[i]->name, *p = strstr(name, ":sys_enter_");

		if (!p || !s->evlist->entries[i]->supported)
			continue;
		rows[n].name = p + strlen(":sys_enter_");
		rows[n].calls = (uint64_t)llround(stats__mean(&s->counters[i].val[0]));
		n++;
	}
	stat_display__syscalls(&s->disp, target, rows, n);
	free(rows);
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
	double interval_ns = o->interval_ms * 1e6, next = t0 + interval_ns, last_tick = t0;
	bool poll_tids = o->tid && wl->pid <= 0;

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
		if (o->interval_ms)
			timeout = ms_until(next);
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
		if (o->interval_ms && now_ns() >= next) {
			double t = now_ns();

			session__read(s, true);
			stat_display__interval_header(&s->disp);
			session__print_rows(s, t - last_tick, (t - t0) / 1e9);
			last_tick = t;
			next += interval_ns;
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

static int session__open_targets(struct stat_session *s, struct stat_error *e)
{
	const struct stat_opts *o = s->opts;

	s->cpus = per_cpu_target(o) ? cpu_map__new(o->cpu_list) : cpu_map__dummy();
	if (!s->cpus) {
		e->kind = STAT_ERR_TARGET;
		snprintf(e->event, sizeof(e->event), "CPU list '%s'", o->cpu_list ? o->cpu_list : "online");
		return -(errno ? errno : EINVAL);
	}
	if (o->pid)
		s->threads = thread_map__new_pids(o->pid);
	else if (o->tid)
		s->threads = thread_map__new_tids(o->tid);
	else
		s->threads = thread_map__dummy();
	if (!s->threads) {
		e->kind = STAT_ERR_TARGET;
		snprintf(e->event, sizeof(e->event), "%s '%s'", o->pid ? "process" : "thread",
			 o->pid ? o->pid : o->tid);
		return -(errno ? errno : ESRCH);
	}
	s->nr_units = o->no_aggr ? s->cpus->nr : 1;
	return 0;
}

static void target_string(const struct stat_opts *o, char *buf, size_t len)
{
	size_t n;

	if (o->cpu_list)
		snprintf(buf, len, "'CPU(s) %s'", o->cpu_list);
	else if (o->system_wide)
		snprintf(buf, len, "'system wide'");
	else if (o->pid)
		snprintf(buf, len, "process id '%s'", o->pid);
	else if (o->tid)
		snprintf(buf, len, "thread id '%s'", o->tid);
	else {
		n = (size_t)snprintf(buf, len, "'%s", o->argv[0]);
		for (int i = 1; o->argv[i] && n + 2 < len; i++)
			n += (size_t)snprintf(buf + n, len - n, " %s", o->argv[i]);
		if (n + 2 > len)
			n = len - 2;
		snprintf(buf + n, len - n, "'");
	}
}

/* One measurement: open, start, wait, read. */
static int session__run_once(struct stat_session *s, int *status, struct stat_error *e)
{
	const struct stat_opts *o = s->opts;
	struct workload wl = { .pid = -1, .go_fd = -1, .err_fd = -1 };
	bool task_of_workload = o->argv && !per_cpu_target(o) && !o->pid && !o->tid;
	struct open_opts oo = {
		.inherit = !per_cpu_target(o),
		.enable_on_exec = task_of_workload,
		.start_disabled = !task_of_workload,
		.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING,
		.user_fallback = true,
	};
	struct evsel *failed = NULL;
	double t0, t1;
	int err;

	if (o->argv) {
		err = workload__prepare(&wl, o->argv);
		if (err) {
			e->kind = STAT_ERR_EXEC;
			return err;
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
	err = evlist__open(s->evlist, s->cpus, s->threads, &oo, &failed);
	if (err == -EBADMSG && failed) {
		e->kind = STAT_ERR_FILTER;
		snprintf(e->event, sizeof(e->event), "%s' on '%s", failed->filter, failed->name);
		goto out;
	}
	if (err) {
		e->kind = STAT_ERR_OPEN;
		snprintf(e->event, sizeof(e->event), "%s", failed ? failed->name : "?");
		goto out;
	}
	if (!s->counters) {
		err = session__alloc_counters(s);
		if (err)
			goto out;
	}
	for (int i = 0; i < s->evlist->nr; i++)
		memset(s->counters[i].prev, 0, s->cpus->nr * s->threads->nr * sizeof(struct counts));
	if (!task_of_workload) {
		err = evlist__enable(s->evlist);
		if (err)
			goto out;
	}
	t0 = now_ns();
	if (o->argv) {
		err = workload__start(&wl);
		if (err) {
			e->kind = STAT_ERR_EXEC;
			goto out;
		}
	}
	session__wait(s, &wl, t0, status);
	t1 = now_ns();
	evlist__disable(s->evlist);
	session__read(s, o->interval_ms > 0);
	if (o->interval_ms) {
		/* the last, partial interval, as perf prints it */
		double interval_ns = o->interval_ms * 1e6;
		double part = t1 - t0 - floor((t1 - t0) / interval_ns) * interval_ns;

		stat_display__interval_header(&s->disp);
		session__print_rows(s, part, (t1 - t0) / 1e9);
	}
	stats__update(&s->wall, t1 - t0);
	session__accumulate(s);
out:
	evlist__close(s->evlist);
	workload__close(&wl);
	return err;
}

int stat__run(const struct stat_opts *o, int *status, struct stat_error *e)
{
	struct stat_session s = {
		.opts = o,
		.disp = {
			.mode = o->mode,
			.sep = o->csv_sep ? o->csv_sep : ",",
			.out = o->out,
			.per_cpu = o->no_aggr,
			.interval = o->interval_ms > 0,
			.run_count = o->repeat > 0 ? o->repeat : 1,
			.big_num = o->big_num,
		},
	};
	char target[512];
	int err;

	memset(e, 0, sizeof(*e));
	*status = 0;
	stats__init(&s.wall);
	if (!o->argv && !per_cpu_target(o) && !o->pid && !o->tid) {
		e->kind = STAT_ERR_USAGE;
		return -EINVAL;
	}
	s.evlist = evlist__new();
	if (!s.evlist)
		return -ENOMEM;
	if (o->nr_events == 0) {
		err = evlist__parse(s.evlist, default_events(o), &e->parse);
		if (err) {
			e->kind = STAT_ERR_PARSE;
			goto out;
		}
	}
	if (o->syscalls) {
		err = evlist__parse(s.evlist, "syscalls:sys_enter_*", &e->parse);
		if (err) {
			e->kind = STAT_ERR_PARSE;
			goto out;
		}
	}
	for (int i = 0; i < o->nr_events; i++) {
		int first = s.evlist->nr;

		err = evlist__parse(s.evlist, o->events[i], &e->parse);
		if (err) {
			e->kind = STAT_ERR_PARSE;
			goto out;
		}
		if (o->filters && o->filters[i]) {
			err = evlist__set_filter(s.evlist, first, o->filters[i]);
			if (err) {
				e->kind = STAT_ERR_FILTER;
				snprintf(e->event, sizeof(e->event), "%s", o->filters[i]);
				goto out;
			}
		}
	}
	err = session__open_targets(&s, e);
	if (err)
		goto out;
	for (int run = 0; run < s.disp.run_count; run++) {
		err = session__run_once(&s, status, e);
		if (err)
			goto out;
		if (o->stop && *o->stop)
			break;
	}
	if (!o->interval_ms) {
		target_string(o, target, sizeof(target));
		if (o->syscalls)
			session__print_syscalls(&s, target);
		else {
			stat_display__header(&s.disp, target);
			session__print_final(&s);
		}
		stat_display__footer(&s.disp, stats__mean(&s.wall) / 1e9, stats__stddev(&s.wall) / 1e9,
				     s.have_ru && o->argv && !per_cpu_target(o),
				     s.ru.ru_utime.tv_sec + s.ru.ru_utime.tv_usec / 1e6,
				     s.ru.ru_stime.tv_sec + s.ru.ru_stime.tv_usec / 1e6);
	}
out:
	session__free_counters(&s);
	evlist__free(s.evlist);
	cpu_map__free(s.cpus);
	thread_map__free(s.threads);
	return err;
}
