/* pstat: count events for a command, processes, threads or CPUs, as perf stat does. */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cmd/common/common.h"
#include "report/stat/display.h"
#include "sampler/stat.h"
#include "sampler/workload.h"
#include "util/error.h"
#include "util/log.h"

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static void usage(FILE *f)
{
	fputs("Usage: pstat [options] [--] COMMAND [ARGS]\n"
	      "       pstat [options] -a|-C CPUS|-p PID|-t TID [-- COMMAND]\n"
	      "Count events for a command (from its exec, across its threads and children) or a target.\n\n"
	      "  -e, --event EVENT[,EVENT]  events: cycles, task-clock, L1-dcache-load-misses, rNNNN,\n"
	      "                             sys:tracepoint (globs), pmu/term=val/, {a,b} groups, :u :k :h :p\n"
	      "      --filter EXPR          ftrace filter for the tracepoints of the preceding -e\n"
	      "                             (e.g. -e syscalls:sys_enter_write --filter 'fd == 1')\n"
	      "      --syscalls             count every syscall by name (syscalls:sys_enter_*)\n"
	      "  -a, --all-cpus             count on every CPU (until the command ends or Ctrl-C)\n"
	      "  -C, --cpu LIST             count on these CPUs (0-3,7)\n"
	      "  -p, --pid PID[,PID]        count these processes (all their threads)\n"
	      "  -t, --tid TID[,TID]        count these threads\n"
	      "  -A, --no-aggr              one row per CPU (with -a or -C)\n"
	      "  -r, --repeat N             run the command N times: means and +- stddev %\n"
	      "  -I, --interval-print MS    print counts every MS milliseconds\n"
	      "  -x, --field-separator SEP  CSV output in perf's column order\n"
	      "  -j, --json                 JSON lines\n"
	      "  -o, --output FILE          write the counts to FILE instead of stderr\n"
	      "  -B, --big-num / --no-big-num  thousands separators from the locale (default on)\n"
	      "  -v, --verbose              more messages (repeatable)\n"
	      "  -h, --help                 this help\n", f);
}

struct pstat_args {
	struct cmd_common common;
	struct stat_opts stat;
	struct stat_display disp;
	const char *output;
	const char **events;
	const char **filters;
	int nr_events;
};

/* One counter per CPU x event x thread: --syscalls alone opens hundreds. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void report_error(const struct pstat_args *a, int err, const struct error *e)
{
	const struct stat_opts *o = &a->stat;

	switch ((enum stat_error_kind)e->kind) {
	case STAT_ERR_PARSE: {
		int pre = (int)strlen("pstat: event syntax error: '");

		if (err == -EACCES || err == -ENODEV) {
			/* not the spec's fault: tracefs is unreadable or not mounted */
			fprintf(stderr, "pstat: '%s': %s\n", e->what, e->msg);
			return;
		}
		fprintf(stderr, "pstat: event syntax error: '%s'\n%*s\\___ %s\n", e->what,
			pre + e->pos, "", e->msg);
		return;
	}
	case STAT_ERR_OPEN:
		cmd__open_error("count", e->what, o->system_wide || o->cpu_list, err);
		return;
	case STAT_ERR_EXEC:
		fprintf(stderr, "pstat: cannot run '%s': %s\n", e->what, strerror(-err));
		return;
	case STAT_ERR_TARGET:
		if (err == -ENODEV && e->msg[0]) {
			fprintf(stderr, "pstat: -C %s: %s\n", o->cpu_list, e->msg);
			return;
		}
		fprintf(stderr, "pstat: no such %s: %s\n", e->what, strerror(-err));
		return;
	case STAT_ERR_USAGE:
		fprintf(stderr, "pstat: nothing to count: give a command, -a, -C, -p or -t (see 'pstat --help')\n");
		return;
	case STAT_ERR_FILTER:
		if (err == -EBADMSG)
			fprintf(stderr, "pstat: the kernel refused the filter '%s': check the field names in the event's format file\n",
				e->what);
		else
			fprintf(stderr, "pstat: --filter '%s' must follow an -e that names a tracepoint\n", e->what);
		return;
	case STAT_ERR_NONE:
		fprintf(stderr, "pstat: %s\n", strerror(-err));
		return;
	}
}

static int parse_args(int argc, char **argv, struct pstat_args *a)
{
	enum { OPT_NO_BIG_NUM = 256, OPT_FILTER, OPT_SYSCALLS };
	static const struct option longopts[] = {
		{ "event", required_argument, 0, 'e' },
		{ "all-cpus", no_argument, 0, 'a' },
		{ "cpu", required_argument, 0, 'C' },
		{ "pid", required_argument, 0, 'p' },
		{ "tid", required_argument, 0, 't' },
		{ "no-aggr", no_argument, 0, 'A' },
		{ "repeat", required_argument, 0, 'r' },
		{ "interval-print", required_argument, 0, 'I' },
		{ "field-separator", required_argument, 0, 'x' },
		{ "json", no_argument, 0, 'j' },
		{ "output", required_argument, 0, 'o' },
		{ "big-num", no_argument, 0, 'B' },
		{ "no-big-num", no_argument, 0, OPT_NO_BIG_NUM },
		{ "filter", required_argument, 0, OPT_FILTER },
		{ "syscalls", no_argument, 0, OPT_SYSCALLS },
		CMD_LOPT_VERBOSE,
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	int c;
	char *end;

	a->events = calloc(argc, sizeof(*a->events));
	a->filters = calloc(argc, sizeof(*a->filters));
	if (!a->events || !a->filters)
		return -1;
	while ((c = getopt_long(argc, argv, "+e:aC:p:t:Ar:I:x:jo:Bvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'e': a->events[a->nr_events++] = optarg; break;
		case 'a': a->stat.system_wide = true; break;
		case 'C': a->stat.cpu_list = optarg; break;
		case 'p': a->stat.pid = optarg; break;
		case 't': a->stat.tid = optarg; break;
		case 'A': a->stat.no_aggr = true; break;
		case 'r':
			a->stat.repeat = (int)strtol(optarg, &end, 10);
			if (*end || a->stat.repeat < 1)
				return cmd__usage_error("-r needs a positive count, not '%s'", optarg);
			break;
		case 'I':
			a->stat.interval_ms = (int)strtol(optarg, &end, 10);
			if (*end || a->stat.interval_ms < 10)
				return cmd__usage_error("-I needs milliseconds >= 10, not '%s'", optarg);
			break;
		case 'x': a->disp.mode = STAT_OUT_CSV; a->disp.sep = optarg; break;
		case 'j': a->disp.mode = STAT_OUT_JSON; break;
		case 'o': a->output = optarg; break;
		case 'B': a->disp.big_num = true; break;
		case OPT_NO_BIG_NUM: a->disp.big_num = false; break;
		case OPT_FILTER:
			if (!a->nr_events)
				return cmd__usage_error("--filter must follow the -e tracepoint it filters");
			a->filters[a->nr_events - 1] = optarg;
			break;
		case OPT_SYSCALLS: a->stat.syscalls = true; break;
		case 'h': usage(stdout); exit(0);
		default:
			if (cmd__option(&a->common, c, optarg))
				return cmd__usage_error(NULL);
			break;
		}
	}
	if (optind < argc)
		a->stat.argv = argv + optind;
	if (a->stat.no_aggr && !a->stat.system_wide && !a->stat.cpu_list)
		return cmd__usage_error("-A (no aggregation) needs -a or -C");
	if ((a->stat.pid || a->stat.tid) && (a->stat.system_wide || a->stat.cpu_list))
		return cmd__usage_error("-p/-t cannot be combined with -a/-C");
	if (a->stat.repeat > 1 && !a->stat.argv)
		return cmd__usage_error("-r needs a command to repeat");
	if (a->stat.syscalls && a->stat.interval_ms) {
		return cmd__usage_error("--syscalls prints one summary at the end; drop -I");
	}
	a->stat.events = a->events;
	a->stat.filters = a->filters;
	a->stat.nr_events = a->nr_events;
	a->disp.per_cpu = a->stat.no_aggr;
	a->disp.interval = a->stat.interval_ms > 0;
	a->disp.run_count = a->stat.repeat > 0 ? a->stat.repeat : 1;
	if (a->disp.interval) {
		a->stat.on_interval = stat_display__interval;
		a->stat.arg = &a->disp;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct pstat_args a = {
		.common = CMD_COMMON_DEFAULTS,
		.stat = {
			.repeat = 1,
			.stop = &stop_signal,
		},
		.disp = {
			.mode = STAT_OUT_STD,
			.sep = ",",
			.big_num = true,
		},
	};
	struct sigaction sa = { .sa_handler = on_signal };
	struct stat_result res;
	struct error e;
	int status, err;
	bool write_failed = false;

	setlocale(LC_NUMERIC, "");
	log_set_prog("pstat");
	if (parse_args(argc, argv, &a)) {
		free(a.events);
		free(a.filters);
		return CMD_USAGE;
	}
	cmd__log_level(&a.common);
	raise_fd_limit();
	a.disp.out = stderr;
	if (a.output) {
		time_t t = time(NULL);

		a.disp.out = fopen(a.output, "w");
		if (!a.disp.out) {
			fprintf(stderr, "pstat: cannot write '%s': %s\n", a.output, strerror(errno));
			free(a.events);
			free(a.filters);
			return 1;
		}
		if (a.disp.mode != STAT_OUT_JSON)
			fprintf(a.disp.out, "# started on %s\n", ctime(&t));
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	err = stat__run(&a.stat, &res, &e);
	if (err)
		report_error(&a, err, &e);
	else
		stat_display__result(&a.disp, &a.stat, &res);
	/* a full disk shows only here: the counts are buffered */
	if (a.output && (ferror(a.disp.out) | fclose(a.disp.out))) {
		fprintf(stderr, "pstat: cannot write '%s': %s: free space or choose another -o\n",
			a.output, strerror(errno ? errno : EIO));
		write_failed = true;
	}
	free(a.events);
	free(a.filters);
	status = res.status;
	stat_result__exit(&res);
	if (err)
		/* a bad -e is perf's usage error; an unreadable or missing tracefs is not */
		return e.kind == STAT_ERR_EXEC ? cmd__exec_exit(err) :
		       e.kind == STAT_ERR_PARSE && err != -EACCES && err != -ENODEV ? CMD_USAGE : 1;
	if (write_failed)
		return 1;
	return a.stat.argv ? workload__exit_code(status) : 0;
}
