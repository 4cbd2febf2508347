/* pstat: count events for a command, processes, threads or CPUs, as perf stat does. */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd/common/common.h"
#include "report/stat/display.h"
#include "sampler/stat.h"
#include "sampler/stat_metrics.h"
#include "sampler/stat_record.h"
#include "report/stat/stat_file.h"
#include "sampler/workload.h"
#include "util/error.h"
#include "util/log.h"

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

#define PSTAT_VERSION "0.1 (pstat)"

static const char usage_text[] =
	"Usage: pstat [options] [--] COMMAND [ARGS]\n"
	"       pstat [options] -a|-C CPUS|-p PID|-t TID [-- COMMAND]\n"
	"       pstat record [-o FILE] [options] [--] COMMAND [ARGS]\n"
	"       pstat report [-i FILE] [-x SEP|-j]\n"
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
	"      --per-thread           one row per thread (with -p, -t or -a)\n"
	"      --per-core             one row per physical core (with -a or -C)\n"
	"      --per-die              one row per die (with -a or -C)\n"
	"      --per-socket           one row per socket (with -a or -C)\n"
	"      --per-node             one row per NUMA node (with -a or -C)\n"
	"      --per-cache[=LN]       one row per cache of level N (L1..L3; default the highest)\n"
	"      --no-merge             do not merge events of the same name (each PMU its own row)\n"
	"      --all-user             every event counts user space only\n"
	"      --all-kernel           every event counts kernel space only\n"
	"  -M, --metrics LIST         metrics or metric groups (plist --raw-dump metrics|metricgroups)\n"
	"      --metric-only          only metric values, no counts: -M's, else the events' own (perf's)\n"
	"  -G, --cgroup NAME[,NAME]   the -e events before it count in these cgroups (in turn; with -a)\n"
	"      --for-each-cgroup LIST every event once per cgroup of LIST (with -a)\n"
	"  -r, --repeat N             run the command N times: means and +- stddev %\n"
	"  -I, --interval-print MS    print counts every MS milliseconds\n"
	"      --interval-count N     with -I: stop counting after N intervals\n"
	"      --interval-clear       with -I: clear the screen before each interval\n"
	"      --summary              with -I: the totals at the end as well\n"
	"      --no-csv-summary       with -x and --summary: no 'summary' column in the totals\n"
	"      --timeout MS           stop the command (SIGTERM) and print after MS (>= 10) ms\n"
	"  -D, --delay MS             start counting MS milliseconds after the command starts\n"
	"  -x, --field-separator SEP  CSV output in perf's column order\n"
	"  -j, --json-output          JSON lines\n"
	"  -o, --output FILE          write the counts to FILE instead of stderr\n"
	"                             (pstat record: the perf.data file, default perf.data)\n"
	"  -i, --input FILE           pstat report: the perf stat record file (default perf.data)\n"
	"      --quiet                print no counts (errors only); the exit status stays\n"
	"  -B, --big-num / --no-big-num  thousands separators from the locale (default on)\n"
	"  -v, --verbose              more messages (repeatable)\n"
	"  -h, --help                 this help\n";

static void usage(FILE *f)
{
	fputs(usage_text, f);
}

struct pstat_args {
	struct cmd_common common;
	struct stat_opts stat;
	struct stat_display disp;
	const char *output;
	const char *record_path;	/* pstat record: the data file */
	const char **events;
	const char **filters;
	const char **cgroups;
	int nr_events;
	bool quiet;
	const struct stat_metric_def *metrics[32];
	char metric_events[512];
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
	case STAT_ERR_AGGR:
		if (o->aggr == STAT_AGGR_CACHE)
			fprintf(stderr, "pstat: --per-cache: sysfs has no cache of that level (/sys/devices/system/cpu/cpu*/cache): use --per-core or --per-socket\n");
		else
			fprintf(stderr, "pstat: cannot read the CPU topology: %s\n", strerror(-err));
		return;
	case STAT_ERR_CGROUP:
		fprintf(stderr, "pstat: no access to cgroup %s: %s (the name is relative to the cgroup2 mount)\n",
			e->what, strerror(-err));
		return;
	case STAT_ERR_NONE:
		fprintf(stderr, "pstat: %s\n", strerror(-err));
		return;
	}
}

enum {
	OPT_NO_BIG_NUM = 256, OPT_FILTER, OPT_SYSCALLS, OPT_PER_THREAD, OPT_PER_CORE, OPT_PER_DIE,
	OPT_PER_SOCKET, OPT_PER_NODE, OPT_PER_CACHE, OPT_NO_MERGE, OPT_INTERVAL_COUNT, OPT_SUMMARY,
	OPT_NO_CSV_SUMMARY, OPT_INTERVAL_CLEAR, OPT_TIMEOUT, OPT_QUIET, OPT_ALL_USER, OPT_ALL_KERNEL,
	OPT_METRIC_ONLY, OPT_FOR_EACH_CGROUP,
};

static const struct option longopts[] = {
	{ "event", required_argument, 0, 'e' },
	{ "all-cpus", no_argument, 0, 'a' },
	{ "cpu", required_argument, 0, 'C' },
	{ "pid", required_argument, 0, 'p' },
	{ "tid", required_argument, 0, 't' },
	{ "no-aggr", no_argument, 0, 'A' },
	{ "per-thread", no_argument, 0, OPT_PER_THREAD },
	{ "per-core", no_argument, 0, OPT_PER_CORE },
	{ "per-die", no_argument, 0, OPT_PER_DIE },
	{ "per-socket", no_argument, 0, OPT_PER_SOCKET },
	{ "per-node", no_argument, 0, OPT_PER_NODE },
	{ "per-cache", optional_argument, 0, OPT_PER_CACHE },
	{ "no-merge", no_argument, 0, OPT_NO_MERGE },
	{ "all-user", no_argument, 0, OPT_ALL_USER },
	{ "all-kernel", no_argument, 0, OPT_ALL_KERNEL },
	{ "repeat", required_argument, 0, 'r' },
	{ "interval-print", required_argument, 0, 'I' },
	{ "interval-count", required_argument, 0, OPT_INTERVAL_COUNT },
	{ "interval-clear", no_argument, 0, OPT_INTERVAL_CLEAR },
	{ "summary", no_argument, 0, OPT_SUMMARY },
	{ "no-csv-summary", no_argument, 0, OPT_NO_CSV_SUMMARY },
	{ "timeout", required_argument, 0, OPT_TIMEOUT },
	{ "delay", required_argument, 0, 'D' },
	{ "field-separator", required_argument, 0, 'x' },
	{ "json-output", no_argument, 0, 'j' },
	{ "json", no_argument, 0, 'j' },
	{ "output", required_argument, 0, 'o' },
	{ "quiet", no_argument, 0, OPT_QUIET },
	{ "big-num", no_argument, 0, 'B' },
	{ "no-big-num", no_argument, 0, OPT_NO_BIG_NUM },
	{ "filter", required_argument, 0, OPT_FILTER },
	{ "syscalls", no_argument, 0, OPT_SYSCALLS },
	{ "metrics", required_argument, 0, 'M' },
	{ "cgroup", required_argument, 0, 'G' },
	{ "for-each-cgroup", required_argument, 0, OPT_FOR_EACH_CGROUP },
	{ "metric-only", no_argument, 0, OPT_METRIC_ONLY },
	{ "input", required_argument, 0, 'i' },
	CMD_LOPT_VERBOSE,
	{ "help", no_argument, 0, 'h' },
	{ 0, 0, 0, 0 },
};
static const char shortopts[] = "+e:aC:p:t:Ar:I:D:x:jo:BM:G:i:vh";

/* -M LIST: the metrics, and their events added as one more -e. */
static int metrics_arg(struct pstat_args *a, const char *list)
{
	char bad[128];
	int n = stat_metrics__resolve(list, a->metrics + a->disp.nr_metrics,
				      (int)(sizeof(a->metrics) / sizeof(a->metrics[0])) - a->disp.nr_metrics,
				      bad, sizeof(bad));

	if (n < 0) {
		/* perf 6.1's words where it has metric tables (a usage error, 129), and where ours are */
		cmd__usage_error("Cannot find metric or group `%s' (metrics here: plist --raw-dump metrics)", bad);
		return -1;
	}
	a->disp.nr_metrics += n;
	a->disp.metrics = a->metrics;
	stat_metrics__events(a->metrics, a->disp.nr_metrics, a->metric_events, sizeof(a->metric_events));
	return 0;
}

/* A whole-number option's value: @min or more; else -1 after one line saying so. */
static int int_arg(const char *opt, const char *arg, int min, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (*arg == 0 || *end || errno || v < min || v > 1000000000) {
		cmd__usage_error("%s needs a whole number >= %d, not '%s'", opt, min, arg);
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* --per-cache[=LN]: "L2", "l2" or "2"; none: the highest level. */
static int cache_level_arg(const char *arg, int *level)
{
	if (!arg) {
		*level = 0;
		return 0;
	}
	if (*arg == 'L' || *arg == 'l')
		arg++;
	if (arg[0] < '1' || arg[0] > '4' || arg[1]) {
		cmd__usage_error("--per-cache takes a cache level L1..L4, not '%s'", arg);
		return -1;
	}
	*level = arg[0] - '0';
	return 0;
}

/* One option of pstat's own: 0, or -1 after the message. */
static int pstat_option(struct pstat_args *a, int c, const char *arg)
{
	struct stat_opts *o = &a->stat;

	switch (c) {
	case 'e': a->events[a->nr_events++] = arg; return 0;
	case 'a': o->system_wide = true; return 0;
	case 'C': o->cpu_list = arg; return 0;
	case 'p': o->pid = arg; return 0;
	case 't': o->tid = arg; return 0;
	case 'A': o->aggr = STAT_AGGR_NONE; return 0;
	case OPT_PER_THREAD: o->aggr = STAT_AGGR_THREAD; return 0;
	case OPT_PER_CORE: o->aggr = STAT_AGGR_CORE; return 0;
	case OPT_PER_DIE: o->aggr = STAT_AGGR_DIE; return 0;
	case OPT_PER_SOCKET: o->aggr = STAT_AGGR_SOCKET; return 0;
	case OPT_PER_NODE: o->aggr = STAT_AGGR_NODE; return 0;
	case OPT_PER_CACHE: o->aggr = STAT_AGGR_CACHE; return cache_level_arg(arg, &o->cache_level);
	case OPT_NO_MERGE: return 0;	/* no event here merges instances of several PMUs */
	case OPT_ALL_USER: o->all_user = true; return 0;
	case OPT_ALL_KERNEL: o->all_kernel = true; return 0;
	case 'r': return int_arg("-r", arg, 1, &o->repeat);
	case 'I': return int_arg("-I", arg, 10, &o->interval_ms);
	case OPT_INTERVAL_COUNT: return int_arg("--interval-count", arg, 1, &o->interval_count);
	case OPT_INTERVAL_CLEAR: a->disp.interval_clear = true; return 0;
	case OPT_SUMMARY: a->disp.summary = true; return 0;
	case OPT_NO_CSV_SUMMARY: a->disp.no_csv_summary = true; return 0;
	case OPT_TIMEOUT: return int_arg("--timeout", arg, 10, &o->timeout_ms);
	case 'D':
		if (!strcmp(arg, "-1")) {
			cmd__usage_error("-D -1 waits for a control fd pstat does not have: give a delay in ms");
			return -1;
		}
		return int_arg("-D", arg, 0, &o->delay_ms);
	case 'x': a->disp.mode = STAT_OUT_CSV; a->disp.sep = arg; return 0;
	case 'j': a->disp.mode = STAT_OUT_JSON; return 0;
	case 'o':
		if (a->record_path)
			a->record_path = arg;
		else
			a->output = arg;
		return 0;
	case OPT_QUIET: a->quiet = true; return 0;
	case 'B': a->disp.big_num = true; return 0;
	case OPT_NO_BIG_NUM: a->disp.big_num = false; return 0;
	case OPT_FILTER:
		if (!a->nr_events) {
			cmd__usage_error("--filter must follow the -e tracepoint it filters");
			return -1;
		}
		a->filters[a->nr_events - 1] = arg;
		return 0;
	case OPT_SYSCALLS: o->syscalls = true; return 0;
	case 'M': return metrics_arg(a, arg);
	case 'G':	/* the -e's before it that have none yet */
		if (!a->nr_events) {
			cmd__usage_error("-G follows the -e events it restricts (-e cpu-clock -G NAME)");
			return -1;
		}
		for (int i = 0; i < a->nr_events; i++)
			if (!a->cgroups[i])
				a->cgroups[i] = arg;
		return 0;
	case OPT_FOR_EACH_CGROUP: o->each_cgroup = arg; return 0;
	case 'i':
		cmd__usage_error("-i FILE reads a perf stat record file: pstat report -i %s", arg);
		return -1;
	case OPT_METRIC_ONLY: a->disp.metric_only = true; return 0;
	}
	if (cmd__option(&a->common, c, arg)) {
		cmd__usage_error(NULL);
		return -1;
	}
	return 0;
}

/* The combinations perf refuses, refused the same way: 0, or -1 after one line. */
static int check_args(const struct pstat_args *a)
{
	const struct stat_opts *o = &a->stat;
	bool cpu_wide = o->system_wide || o->cpu_list;
	const char *why = NULL;

	if (o->aggr == STAT_AGGR_THREAD && !o->pid && !o->tid && !o->system_wide)
		why = "--per-thread needs -p, -t or -a (a command's threads are counted together)";
	else if (o->aggr != STAT_AGGR_GLOBAL && o->aggr != STAT_AGGR_THREAD && !cpu_wide)
		why = "-A and --per-core/die/socket/node/cache need -a or -C (system-wide mode)";
	else if ((o->pid || o->tid) && cpu_wide)
		why = "-p/-t cannot be combined with -a/-C";
	else if (o->repeat > 1 && !o->argv)
		why = "-r needs a command to repeat";
	else if (o->syscalls && o->interval_ms)
		why = "--syscalls prints one summary at the end; drop -I";
	else if (o->syscalls && o->aggr != STAT_AGGR_GLOBAL)
		why = "--syscalls counts over the whole target: drop -A and --per-*";
	else if ((o->each_cgroup || a->cgroups[0]) && !cpu_wide)
		why = "-G and --for-each-cgroup count CPU-wide: add -a or -C";
	else if (o->each_cgroup && a->cgroups[0])
		why = "-G and --for-each-cgroup exclude each other";
	else if (o->interval_count && !o->interval_ms)
		why = "--interval-count needs -I (interval mode)";
	else if (o->timeout_ms && o->interval_ms)
		why = "--timeout cannot be combined with -I (use --interval-count)";
	else if (a->disp.metric_only && o->aggr == STAT_AGGR_THREAD)
		why = "--metric-only is not supported with --per-thread";
	else if (a->record_path && (o->aggr != STAT_AGGR_GLOBAL && o->aggr != STAT_AGGR_NONE))
		why = "pstat record writes the total or -A counts: drop --per-*";
	else if (a->record_path && (o->interval_ms || o->repeat > 1 || o->syscalls))
		why = "pstat record writes one final round: drop -I, -r and --syscalls";
	else if (o->all_user && o->all_kernel)
		why = "--all-user and --all-kernel exclude each other";
	if (why)
		cmd__usage_error("%s", why);
	return why ? -1 : 0;
}

static void say_enabled(void *arg, bool enabled)
{
	fprintf(stderr, "Events %s\n", enabled ? "enabled" : "disabled");
}

static int parse_args(int argc, char **argv, struct pstat_args *a)
{
	int c;

	a->events = calloc(argc, sizeof(*a->events));
	a->filters = calloc(argc, sizeof(*a->filters));
	a->cgroups = calloc(argc, sizeof(*a->cgroups));
	if (!a->events || !a->filters || !a->cgroups)
		return -1;
	while ((c = cmd__getopt(argc, argv, shortopts, longopts)) != -1) {
		if (c == 'h') {
			usage(stdout);
			exit(0);
		}
		if (pstat_option(a, c, optarg))
			return -1;
	}
	if (optind < argc)
		a->stat.argv = argv + optind;
	if (a->metric_events[0])
		a->events[a->nr_events++] = a->metric_events;	/* one more than -e's: argc >= 2 */
	if (check_args(a))
		return -1;
	a->stat.events = a->events;
	a->stat.filters = a->filters;
	a->stat.cgroups = a->cgroups;
	a->stat.nr_events = a->nr_events;
	a->stat.on_enable = say_enabled;
	a->disp.aggr = a->stat.aggr;
	a->disp.skip_zero = a->stat.aggr == STAT_AGGR_THREAD && a->stat.system_wide;
	a->disp.interval = a->stat.interval_ms > 0;
	a->disp.run_count = a->stat.repeat > 0 ? a->stat.repeat : 1;
	if (a->disp.interval && !a->quiet) {
		a->stat.on_interval = stat_display__interval;
		a->stat.arg = &a->disp;
	}
	return 0;
}

/* pstat report [-i FILE] [-x SEP|-j]: a perf stat record file's counts, as perf stat report. */
static int report_main(int argc, char **argv)
{
	static const struct option ropts[] = {
		{ "input", required_argument, 0, 'i' },
		{ "field-separator", required_argument, 0, 'x' },
		{ "json-output", no_argument, 0, 'j' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	struct stat_display d = { .mode = STAT_OUT_STD, .sep = ",", .big_num = true, .out = stderr, .run_count = 1 };
	const char *path = "perf.data";
	struct stat_file f;
	struct error e = { 0 };
	int c;

	while ((c = cmd__getopt(argc, argv, "+i:x:jh", ropts)) != -1) {
		switch (c) {
		case 'i': path = optarg; break;
		case 'x': d.mode = STAT_OUT_CSV; d.sep = optarg; break;
		case 'j': d.mode = STAT_OUT_JSON; break;
		case 'h': usage(stdout); return 0;
		default: return cmd__usage_error(NULL);	/* getopt said what */
		}
	}
	if (stat_file__read(path, &f, &e)) {
		fprintf(stderr, "pstat report: %s\n", e.msg[0] ? e.msg : strerror(-e.code));
		stat_file__exit(&f);
		return 1;
	}
	d.aggr = f.aggr;
	stat_display__header(&d, f.target);
	stat_display__table(&d, &f.table);
	stat_display__footer(&d, f.wall_ns / 1e9, 0, false, 0, 0);
	stat_file__exit(&f);
	return 0;
}

/* pstat record: the file after the counts. */
static int write_record(const struct pstat_args *a, const struct stat_result *res, int argc, char **argv)
{
	struct stat_record_opts ro = {
		.path = a->record_path, .version = PSTAT_VERSION, .argc = argc, .argv = argv,
		.workload_pid = res->workload_pid,
	};
	struct error e = { 0 };

	if (stat_record__write(&ro, &a->stat, res, &e)) {
		fprintf(stderr, "pstat record: %s\n", e.msg);
		return 1;
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
	bool write_failed = false, res_timed_out;

	int full_argc = argc;
	char **full_argv = argv;

	setlocale(LC_NUMERIC, "");
	log_set_prog("pstat");
	if (argc > 1 && !strcmp(argv[1], "report"))
		return report_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "record")) {
		if (argc > 2 && !strcmp(argv[2], "report"))
			return report_main(argc - 2, argv + 2);
		a.record_path = "perf.data";
		argc--;
		argv++;
	}
	if (parse_args(argc, argv, &a)) {
		free(a.events);
		free(a.filters);
		free(a.cgroups);
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
			free(a.cgroups);
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
	else if (!a.quiet)
		stat_display__result(&a.disp, &a.stat, &res);
	if (!err && a.record_path && write_record(&a, &res, full_argc, full_argv))
		write_failed = true;
	/* a full disk shows only here: the counts are buffered */
	if (a.output && (ferror(a.disp.out) | fclose(a.disp.out))) {
		fprintf(stderr, "pstat: cannot write '%s': %s: free space or choose another -o\n",
			a.output, strerror(errno ? errno : EIO));
		write_failed = true;
	}
	free(a.events);
	free(a.filters);
	free(a.cgroups);
	status = res.status;
	res_timed_out = res.timed_out && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM;
	stat_result__exit(&res);
	if (err)
		/* a bad -e is perf's usage error; an unreadable or missing tracefs is not */
		return e.kind == STAT_ERR_EXEC ? cmd__exec_exit(err) :
		       e.kind == STAT_ERR_PARSE && err != -EACCES && err != -ENODEV ? cmd__usage_error(NULL) : 1;
	if (write_failed)
		return 1;
	if (res_timed_out) {	/* as perf: the command's end by --timeout is no failure */
		fprintf(stderr, "%s: %s\n", a.stat.argv[0], strsignal(SIGTERM));
		return 0;
	}
	return a.stat.argv ? workload__exit_code(status) : 0;
}
