/* preport: histograms of a perf.data file by sort keys, with call graphs, in perf
 * report --stdio's layout. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/common/common.h"
#include "report/fold/dot.h"
#include "report/hist/callchain.h"
#include "report/hist/missing.h"
#include "report/hist/preport.h"
#include "report/hist/sort.h"
#include "report/hist/stats.h"
#include "report/hist/tasks.h"
#include "report/hist/unwind_report.h"
#include "util/log.h"

static void usage(FILE *f)
{
	fputs("usage: preport [-i FILE] [--stdio] [options]\n"
	      "  -i, --input FILE          perf.data file to read (default: perf.data)\n"
	      "  -f, --force               read a file owned by another user\n"
	      "  -s, --sort KEYS           comm,pid,tid,dso,sym,parent,cpu,srcline,srcfile,symoff,\n"
	      "                            cgroup (precord --all-cgroups), nspid (precord --namespaces),\n"
	      "                            state,waker,wakee\n"
	      "                            (precord --off-cpu files)\n"
	      "                            (default: comm,dso,sym)\n"
	      "      --children / --no-children   Children column (default when the file has call chains)\n"
	      "  -g, --call-graph SPEC     graph|fractal|flat|folded|none,THRESHOLD[,LIMIT],caller|callee,\n"
	      "                            function|address,percent|period|count (default graph,0.5)\n"
	      "  -G, --inverted            caller-based call graph\n"
	      "  -p, --parent REGEX        parent symbol regex (adds the parent key; default ^sys_|^do_page_fault)\n"
	      "  -x, --exclude-other       only entries with a parent\n"
	      "      --comms/-c, --pid, --tid, --dsos/-d, --symbols/-S LIST   only these (CSV)\n"
	      "  -C, --cpu LIST            only samples on these CPUs (0-3,7)\n"
	      "      --time START,END      only samples in this time window (seconds; also 10%/2: the 2nd\n"
	      "                            tenth, 0%-25%: the first quarter, as perf)\n"
	      "      --percent-limit PCT   hide entries under PCT percent (also the call-graph threshold)\n"
	      "  -n, --show-nr-samples     a Samples column (the entry's own samples)\n"
	      "      --show-total-period   a Period column (the entry's own period)\n"
	      "      --percentage relative|absolute   base of the percentages with filters\n"
	      "      --header / --header-only   print the recorded features (first / only)\n"
	      "      --unwind-stats            per DSO, how the DWARF-unwound user stacks ended, with fixes\n"
	      "      --missing             the sampled DSOs without symbols, debug info or CFI, their share\n"
	      "                            of the samples and what would fix it\n"
	      "      --stats               records per type and samples per event, as perf report --stats\n"
	      "      --task                the processes and threads as a tree (pid tid ppid |comm)\n"
	      "  -F, --fields LIST         columns as perf -F: overhead[,overhead_children][,sample][,period]\n"
	      "                            then sort keys (which become the sort order)\n"
	      "  -t, --field-separator SEP  separate the columns with SEP\n"
	      "      --json                one JSON document (see README)\n"
	      "      --group / --no-group  members of an event group as columns of one section (default\n"
	      "                            when the file has groups; --group on other files: all events)\n"
	      "      --time-ms / --no-time-ms  a Time (ms) column for events counted in nanoseconds\n"
	      "                            (default on precord --off-cpu files); off-CPU keys:\n"
	      "                            --sort state (sleeping, preempted...), waker, wakee\n"
	      "      --no-inline           DWARF-unwound frames without their inlined levels\n"
	      "      --no-demangle         raw C++/Rust symbol names\n"
	      "      --symfs DIR           the recording's files under DIR (a parchive archive unpacked)\n"
	      "      --archive FILE        the files from a parchive archive (FILE.tar.zst)\n"
	      "      --buildid-dir DIR     the build-id cache (default $PERF_BUILDID_DIR, else ~/.debug)\n"
	      "      --no-debuginfod       do not ask $DEBUGINFOD_URLS for missing debug files\n"
	      "      --full-source-path    srcline with the full path\n"
	      "      --dot                 the call graph as Graphviz DOT on stdout (shares of periods,\n"
	      "                            as the Children/Self columns); --node-thres PCT (0.5),\n"
	      "                            --edge-thres PCT (0.1); honours -i, --time, --no-inline\n"
	      "  -j, --threads N           read the file on a second thread when N >= 2 (default: the\n"
	      "                            online CPUs; the output is the same)\n"
	      "  -q, --quiet / -v, --verbose\n", f);
}

struct preport_args {
	struct cmd_common common;
	struct report_opts report;
	bool unwind_stats;		/* --unwind-stats: how the user stacks unwound, per DSO */
	bool missing;			/* --missing: DSOs without symbols, debug info or CFI */
	bool stats;			/* --stats: record counts per type and event */
	bool task;			/* --task: the tree of processes and threads */
	const char *fields;		/* -F: output columns, perf's way */
	char fields_sort[256];		/* the sort keys among them */
	bool dot;			/* --dot: the call graph as DOT (report/fold/dot.h) */
	struct dot_opts dot_opts;
};

enum {
	OPT_STDIO = 256, OPT_CHILDREN, OPT_NO_CHILDREN, OPT_PID, OPT_TID, OPT_TIME,
	OPT_PLIMIT, OPT_PERCENTAGE, OPT_HEADER, OPT_HEADER_ONLY, OPT_JSON,
	OPT_FULL_PATH, OPT_GROUP, OPT_TIME_MS, OPT_NO_TIME_MS, OPT_TUI, OPT_UNWIND_STATS,
	OPT_NO_GROUP, OPT_INLINE, OPT_NO_INLINE, OPT_PERIOD, OPT_DOT, OPT_NODE_THRES,
	OPT_EDGE_THRES, OPT_STATS, OPT_TASK, OPT_MISSING,
};

static const struct option preport_lopts[] = {
	CMD_LOPT_INPUT,
	CMD_LOPT_FORCE,
	{ "stdio", no_argument, NULL, OPT_STDIO },
	{ "tui", no_argument, NULL, OPT_TUI },
	{ "sort", required_argument, NULL, 's' },
	{ "children", no_argument, NULL, OPT_CHILDREN },
	{ "no-children", no_argument, NULL, OPT_NO_CHILDREN },
	{ "call-graph", required_argument, NULL, 'g' },
	{ "inverted", no_argument, NULL, 'G' },
	{ "parent", required_argument, NULL, 'p' },
	{ "exclude-other", no_argument, NULL, 'x' },
	{ "comms", required_argument, NULL, 'c' },
	{ "comm", required_argument, NULL, 'c' },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "tid", required_argument, NULL, OPT_TID },
	{ "dsos", required_argument, NULL, 'd' },
	{ "dso", required_argument, NULL, 'd' },
	{ "symbols", required_argument, NULL, 'S' },
	{ "cpu", required_argument, NULL, 'C' },
	{ "time", required_argument, NULL, OPT_TIME },
	{ "percent-limit", required_argument, NULL, OPT_PLIMIT },
	{ "percentage", required_argument, NULL, OPT_PERCENTAGE },
	{ "show-nr-samples", no_argument, NULL, 'n' },
	{ "show-total-period", no_argument, NULL, OPT_PERIOD },
	{ "header", no_argument, NULL, OPT_HEADER },
	{ "header-only", no_argument, NULL, OPT_HEADER_ONLY },
	{ "field-separator", required_argument, NULL, 't' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "group", no_argument, NULL, OPT_GROUP },
	{ "time-ms", no_argument, NULL, OPT_TIME_MS },
	{ "no-time-ms", no_argument, NULL, OPT_NO_TIME_MS },
	{ "no-group", no_argument, NULL, OPT_NO_GROUP },
	{ "inline", no_argument, NULL, OPT_INLINE },
	{ "no-inline", no_argument, NULL, OPT_NO_INLINE },
	CMD_LOPT_DEMANGLE,
	CMD_LOPT_NO_DEMANGLE,
	CMD_LOPT_SYMFS,
	CMD_LOPT_ARCHIVE,
	CMD_LOPT_BUILDID_DIR,
	CMD_LOPT_NO_DEBUGINFOD,
	{ "full-source-path", no_argument, NULL, OPT_FULL_PATH },
	CMD_LOPT_QUIET,
	CMD_LOPT_VERBOSE,
	CMD_LOPT_THREADS,
	{ "help", no_argument, NULL, 'h' },
	{ "unwind-stats", no_argument, NULL, OPT_UNWIND_STATS },
	{ "missing", no_argument, NULL, OPT_MISSING },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "task", no_argument, NULL, OPT_TASK },
	{ "fields", required_argument, NULL, 'F' },
	{ "dot", no_argument, NULL, OPT_DOT },
	{ "node-thres", required_argument, NULL, OPT_NODE_THRES },
	{ "edge-thres", required_argument, NULL, OPT_EDGE_THRES },
	{ NULL, 0, NULL, 0 },
};

/* -F: perf's column list, taken when the overhead columns come first and the sort keys after
 * them (the order preport prints). Without overhead_children there is no Children column. */
static int fields_option(struct preport_args *a)
{
	struct report_opts *o = &a->report;
	char buf[256], *save = NULL;
	size_t len = 0;
	bool keys = false, overhead = false;

	if (strlen(a->fields) >= sizeof(buf)) {
		return cmd__usage_error("-F '%s' is too long", a->fields);
	}
	strcpy(buf, a->fields);
	/* as perf: a file with call chains still accumulates them (the graphs under the rows are
	 * the children-mode ones, and rows of callers with no self time are there), but only
	 * overhead_children shows the Children column; --no-children turns that off */
	o->fields = true;
	for (char *f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		bool hpp = !strcmp(f, "overhead") || !strcmp(f, "overhead_children") || !strcmp(f, "sample") ||
			   !strcmp(f, "period");

		if (hpp && keys) {
			return cmd__usage_error("-F '%s': put overhead, overhead_children, sample and period"
						" before the sort keys", a->fields);
		}
		if (!strcmp(f, "overhead"))
			overhead = true;
		else if (!strcmp(f, "overhead_children"))
			o->fields_children = true;
		else if (!strcmp(f, "sample"))
			o->show_nr_samples = true;
		else if (!strcmp(f, "period"))
			o->show_total_period = true;
		else {
			keys = true;
			len += (size_t)snprintf(a->fields_sort + len, sizeof(a->fields_sort) - len, "%s%s",
						len ? "," : "", f);
		}
	}
	if (!overhead) {
		return cmd__usage_error("-F '%s': the overhead column comes first: start the list with overhead",
					a->fields);
	}
	if (keys && !o->sort) {
		o->sort = a->fields_sort;
		o->sort_from_fields = true;
	}
	return CMD_RUN;
}

/* --sort (or -F's keys) and -g read as the report will read them, before the file is opened:
 * a bad key or item is a usage error (129, as perf report's -g). CMD_RUN or CMD_USAGE. */
static int check_specs(const struct report_opts *o)
{
	struct sort_list keys;
	struct cc_param cc = CC_PARAM_DEFAULT;
	char msg[256];

	if (o->sort && sort_list__parse(&keys, o->sort, msg, sizeof(msg)) == -EINVAL)
		return cmd__usage_error("%s", msg);
	if (o->call_graph && cc_param__parse(&cc, o->call_graph, msg, sizeof(msg)) == -EINVAL)
		return cmd__usage_error("%s", msg);
	return CMD_RUN;
}

/* The options into @a: CMD_RUN, or the exit code (0 after --help, 129 on a usage error). */
static int parse_args(int argc, char **argv, struct preport_args *a)
{
	struct report_opts *o = &a->report;
	char *end;
	int c;

	while ((c = cmd__getopt(argc, argv, "i:fs:g:Gp:xc:d:S:C:t:nqvhF:j:", preport_lopts)) != -1) {
		switch (c) {
		case OPT_STDIO: case OPT_TUI: break;
		case 's': o->sort = optarg; break;
		case OPT_CHILDREN: o->children = 1; break;
		case OPT_NO_CHILDREN: o->children = 0; break;
		case 'g': o->call_graph = optarg; break;
		case 'G': o->inverted = true; break;
		case 'p': o->parent = optarg; break;
		case 'x': o->exclude_other = true; break;
		case 'c': o->comms = optarg; break;
		case OPT_PID: o->pids = optarg; break;
		case OPT_TID: o->tids = optarg; break;
		case 'd': o->dsos = optarg; break;
		case 'S': o->symbols = optarg; break;
		case 'C': o->cpus = optarg; break;
		case OPT_TIME: o->time = optarg; break;
		case OPT_PLIMIT:
			o->percent_limit = strtod(optarg, &end);
			if (end == optarg || (*end && strcmp(end, "%")) || o->percent_limit < 0)
				return cmd__usage_error("bad --percent-limit '%s' (expected a percentage, e.g. 0.5)", optarg);
			o->percent_limit_set = true;
			break;
		case OPT_PERCENTAGE:
			if (!strcmp(optarg, "relative"))
				o->relative = true;
			else if (!strcmp(optarg, "absolute"))
				o->relative = false;
			else
				return cmd__usage_error("--percentage takes 'relative' or 'absolute', not '%s'", optarg);
			break;
		case OPT_HEADER: o->header = true; break;
		case OPT_HEADER_ONLY: o->header_only = true; break;
		case 't': o->field_sep = optarg; break;
		case 'n': o->show_nr_samples = true; break;
		case OPT_PERIOD: o->show_total_period = true; break;
		case OPT_JSON: o->json = true; break;
		case OPT_GROUP: o->group = 1; break;
		case OPT_TIME_MS: o->time_ms = 1; break;
		case OPT_NO_TIME_MS: o->time_ms = 0; break;
		case OPT_NO_GROUP: o->group = 0; break;
		case OPT_INLINE: o->no_inline = false; break;
		case OPT_NO_INLINE: o->no_inline = true; break;
		case OPT_FULL_PATH: o->full_source_path = true; break;
		case 'h': usage(stdout); return 0;
		case OPT_UNWIND_STATS: a->unwind_stats = true; break;
		case OPT_MISSING: a->missing = true; break;
		case OPT_STATS: a->stats = true; break;
		case OPT_TASK: a->task = true; break;
		case 'F': a->fields = optarg; break;
		case OPT_DOT: a->dot = true; break;
		case OPT_NODE_THRES:
		case OPT_EDGE_THRES: {
			double v = strtod(optarg, &end);

			if (end == optarg || *end || v < 0)
				return cmd__usage_error("%s wants a percentage >= 0, not '%s'",
							c == OPT_NODE_THRES ? "--node-thres" : "--edge-thres", optarg);
			*(c == OPT_NODE_THRES ? &a->dot_opts.node_thres : &a->dot_opts.edge_thres) = v;
			break;
		}
		default:
			if (cmd__option(&a->common, c, optarg))
				return cmd__usage_error(NULL);
			break;
		}
	}
	if (optind < argc)
		return cmd__usage_error("unexpected argument '%s'", argv[optind]);
	if (o->field_sep && !*o->field_sep)
		return cmd__usage_error("-t needs a separator, e.g. -t ,");
	o->input = a->common.input;
	o->demangle = a->common.demangle;
	if (a->fields && (c = fields_option(a)) != CMD_RUN)
		return c;
	return check_specs(o);
}

/* --dot: the call graph of the first event, period-weighted as the report's columns. */
static int report_dot(const struct preport_args *a, struct error *err)
{
	const struct report_opts *o = &a->report;
	struct fold_perf_opts perf = { .demangle = o->demangle, .no_inline = o->no_inline,
				       .time = o->time, .threads = o->threads,
				       .progress = o->progress };
	struct dot_opts d = a->dot_opts;

	if (o->comms || o->pids || o->tids || o->dsos || o->symbols || o->cpus || o->parent)
		return error__set(err, -EINVAL, "--dot draws every sample (and --time's window): "
				     "drop the --comms/--pid/--tid/--dsos/--symbols/--cpu/--parent filters");
	d.period = true;
	d.title = o->input;
	return dot__run(o->input, &perf, &d, NULL, err);
}

int main(int argc, char **argv)
{
	struct preport_args a = {
		.common = CMD_COMMON_DEFAULTS,
		.report = {
			.children = -1,
			.group = -1,
			.time_ms = -1,
			.out = stdout,
		},
		.dot_opts = DOT_OPTS_DEFAULTS,
	};
	struct error err = { 0 };
	const char *budget;
	int ret;

	log_set_prog("preport");
	ret = parse_args(argc, argv, &a);
	if (ret != CMD_RUN)
		return ret;
	cmd__log_level(&a.common);
	cmd__reading_heap(true);
	if (cmd__symbol_sources(&a.common))
		return 1;
	a.report.progress = cmd__progress(&a.common);
	a.report.threads = cmd__threads(&a.common);
	/* every sample taken the whole way, for comparisons (docs/speed.md) */
	a.report.no_intern = getenv("PREPORT_NO_INTERN") != NULL;
	/* another memory budget for the interned keys' records (bytes), likewise */
	if ((budget = getenv("PREPORT_INTERN_BUDGET"))) {
		uint64_t n;

		if (cmd__parse_u64(budget, &n) || !n || n > SIZE_MAX)
			return cmd__usage_error("PREPORT_INTERN_BUDGET wants a number of bytes, 1 or more, "
						"not '%s'", budget);
		a.report.intern_budget = (size_t)n;
	}
	a.report.quiet = a.common.quiet;
	if (cmd__check_owner(&a.common, a.report.input))
		return 1;
	if (a.dot)
		return cmd__exit(report_dot(&a, &err), &err);
	if (a.stats)
		ret = hist_stats__print(a.report.input, stdout, &err);
	else if (a.task)
		ret = hist_tasks__print(a.report.input, stdout, &err);
	else if (a.unwind_stats)
		ret = unwind_report__run(a.report.input, stdout, &err);
	else if (a.missing)
		ret = missing_report__run(a.report.input, stdout, &err);
	else
		ret = report__run(&a.report, &err);
	return cmd__exit(ret, &err);
}
