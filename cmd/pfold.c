/* pfold: folded stacks from perf.data for flamegraph.pl, our own SVG flame graph,
 * differential graphs and pprof export. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/common/common.h"
#include "report/fold/pfold.h"
#include "util/log.h"

static void usage(FILE *f)
{
	fputs("usage: pfold [-i FILE] [options]                  folded stacks for flamegraph.pl\n"
	      "       pfold --svg [-i FILE] [-o OUT.svg]         our own interactive flame graph\n"
	      "       pfold --diff BEFORE AFTER [--svg]          two-count folded text / differential graph\n"
	      "       pfold --pprof OUT.pb.gz [-i FILE]          gzip'd pprof profile\n"
	      "       pfold --heatmap [-i FILE] -o OUT.html      time heat map with range flame graphs\n"
	      "       pfold --speedscope / --chrome-trace -o OUT.json   for speedscope / Perfetto\n"
	      "       pfold --dot [-i FILE] -o OUT.{dot,svg,png}  call graph (Graphviz)\n"
	      "  -i, --input FILE     perf.data (default) or folded text ('-': stdin)\n"
	      "  -f, --force          read a file owned by another user\n"
	      "  -o, --output FILE    where the folded text or the SVG goes (default: stdout)\n"
	      "  -e, --event EVENT    fold this event (default: the first one sampled)\n"
	      "      --pid / --tid    root frame 'comm-PID' / 'comm-PID/TID'\n"
	      "      --kernel         '_[k]' after kernel frames\n"
	      "      --inline         inlined functions as frames of their own on every user frame\n"
	      "                       (DWARF-unwound chains have them by default, as in perf 6.1)\n"
	      "      --no-inline      no inlined functions, not even on DWARF-unwound chains\n"
	      "      --addrs          '[dso <addr>]' for frames without a symbol\n"
	      "      --period         sum sample periods instead of counting samples\n"
	      "      --off-cpu-only   precord --off-cpu files: only the off-CPU stacks (by default\n"
	      "                       on- and off-CPU stacks in one graph, counts in nanoseconds)\n"
	      "      --wakers         precord --off-cpu=wakers files: the stacks that woke waiting\n"
	      "                       threads, under 'WAKEE;[woken-by]', weighted by the wait\n"
	      "      --no-demangle    C++/Rust names as they are in the binary\n"
	      "      --symfs DIR      the recording's files under DIR (a parchive archive unpacked)\n"
	      "      --archive FILE   the files from a parchive archive (FILE.tar.zst)\n"
	      "      --buildid-dir DIR  the build-id cache (default $PERF_BUILDID_DIR, else ~/.debug)\n"
	      "      --no-debuginfod  do not ask $DEBUGINFOD_URLS for missing debug files\n"
	      "      --svg            write an SVG flame graph\n"
	      "      --icicle         root at the top (also --inverted)\n"
	      "      --colors PAL     hash (default), dso or kernel\n"
	      "      --title TEXT     graph title;  --width PX (1200), --height PX per frame (16),\n"
	      "      --minwidth PX    leave out frames narrower than PX (default 0.1)\n"
	      "      --diff B A       compare two files (perf.data or folded)\n"
	      "      --pprof FILE     write a gzip'd pprof profile ('-': stdout)\n"
	      "      --time START,END only samples in this window (seconds as pscript prints them;\n"
	      "                       also 10%/2: the 2nd tenth, 0%-25%: the first quarter)\n"
	      "      --heatmap        self-contained HTML: sub-second heat map, select a range to\n"
	      "                       see its flame graph (per-CPU and per-process filters)\n"
	      "      --speedscope     speedscope's JSON: one sampled profile per thread\n"
	      "      --chrome-trace   trace event JSON (chrome://tracing, Perfetto); other events\n"
	      "                       of the file (tracepoints, uprobes) as instant events\n"
	      "      --dot            call graph as Graphviz DOT (rendered when -o ends .svg/.png/.pdf)\n"
	      "      --node-thres PCT leave out functions under PCT% of the total (0.5)\n"
	      "      --edge-thres PCT leave out calls under PCT% (0.1)\n"
	      "  -j, --threads N      read the file on a second thread when N >= 2 (default: the\n"
	      "                       online CPUs; the output is the same)\n"
	      "  -v, --verbose        more diagnostics on stderr (repeatable)\n", f);
}

static int parse_num(const char *opt, const char *s, double lo, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	if (errno || end == s || *end || *v < lo)
		return cmd__usage_error("%s wants a number >= %g, not '%s'", opt, lo, s);
	return 0;
}

struct pfold_args {
	struct cmd_common common;
	struct fold_cmd_opts fold;
	bool diff;		/* --diff BEFORE AFTER */
};

static int check_args(int argc, char **argv, struct pfold_args *a);

/* The options into @a: CMD_RUN, or the exit code (0 after --help, 2 on a usage error). */
static int parse_args(int argc, char **argv, struct pfold_args *a)
{
	enum { OPT_PID = 256, OPT_TID, OPT_KERNEL, OPT_INLINE, OPT_ADDRS, OPT_PERIOD, OPT_OFFCPU_ONLY, OPT_WAKERS,
	       OPT_SVG, OPT_ICICLE, OPT_COLORS, OPT_TITLE, OPT_WIDTH, OPT_HEIGHT, OPT_MINWIDTH,
	       OPT_DIFF, OPT_PPROF, OPT_NO_INLINE, OPT_TIME, OPT_HEATMAP, OPT_SPEEDSCOPE,
	       OPT_CHROME, OPT_DOT, OPT_NODE_THRES, OPT_EDGE_THRES };
	static const struct option lopts[] = {
		CMD_LOPT_INPUT,
		CMD_LOPT_FORCE,
		{ "output", required_argument, NULL, 'o' },
		{ "event", required_argument, NULL, 'e' },
		{ "pid", no_argument, NULL, OPT_PID },
		{ "tid", no_argument, NULL, OPT_TID },
		{ "kernel", no_argument, NULL, OPT_KERNEL },
		{ "inline", no_argument, NULL, OPT_INLINE },
		{ "no-inline", no_argument, NULL, OPT_NO_INLINE },
		{ "addrs", no_argument, NULL, OPT_ADDRS },
		{ "period", no_argument, NULL, OPT_PERIOD },
		{ "off-cpu-only", no_argument, NULL, OPT_OFFCPU_ONLY },
		{ "wakers", no_argument, NULL, OPT_WAKERS },
		CMD_LOPT_NO_DEMANGLE,
		CMD_LOPT_SYMFS,
		CMD_LOPT_ARCHIVE,
		CMD_LOPT_BUILDID_DIR,
		CMD_LOPT_NO_DEBUGINFOD,
		{ "svg", no_argument, NULL, OPT_SVG },
		{ "icicle", no_argument, NULL, OPT_ICICLE },
		{ "inverted", no_argument, NULL, OPT_ICICLE },
		{ "colors", required_argument, NULL, OPT_COLORS },
		{ "title", required_argument, NULL, OPT_TITLE },
		{ "width", required_argument, NULL, OPT_WIDTH },
		{ "height", required_argument, NULL, OPT_HEIGHT },
		{ "minwidth", required_argument, NULL, OPT_MINWIDTH },
		{ "diff", no_argument, NULL, OPT_DIFF },
		{ "pprof", required_argument, NULL, OPT_PPROF },
		{ "time", required_argument, NULL, OPT_TIME },
		{ "heatmap", no_argument, NULL, OPT_HEATMAP },
		{ "speedscope", no_argument, NULL, OPT_SPEEDSCOPE },
		{ "chrome-trace", no_argument, NULL, OPT_CHROME },
		{ "dot", no_argument, NULL, OPT_DOT },
		{ "node-thres", required_argument, NULL, OPT_NODE_THRES },
		{ "edge-thres", required_argument, NULL, OPT_EDGE_THRES },
		CMD_LOPT_THREADS,
		CMD_LOPT_VERBOSE,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct fold_cmd_opts *o = &a->fold;
	int c;
	double v;

	while ((c = cmd__getopt(argc, argv, "i:fo:e:j:vh", lopts)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case 'e': o->perf.event = optarg; break;
		case OPT_PID: o->perf.pid = true; break;
		case OPT_TID: o->perf.tid = true; break;
		case OPT_KERNEL: o->perf.kernel = true; break;
		case OPT_INLINE: o->perf.inline_frames = true; o->perf.no_inline = false; break;
		case OPT_NO_INLINE: o->perf.inline_frames = false; o->perf.no_inline = true; break;
		case OPT_ADDRS: o->perf.addrs = true; break;
		case OPT_PERIOD: o->period = true; break;
		case OPT_OFFCPU_ONLY: o->perf.offcpu = FOLD_OFFCPU_ONLY; break;
		case OPT_WAKERS: o->perf.offcpu = FOLD_OFFCPU_WAKERS; break;
		case OPT_SVG: o->svg = true; break;
		case OPT_ICICLE: o->flame.icicle = true; break;
		case OPT_COLORS:
			if (flame__parse_colors(optarg, &o->flame.colors)) {
				return cmd__usage_error("unknown --colors '%s' (use hash, dso or kernel)",
							optarg);
			}
			break;
		case OPT_TITLE: o->flame.title = optarg; break;
		case OPT_WIDTH:
			if (parse_num("--width", optarg, 100, &v))
				return CMD_USAGE;
			o->flame.width = (int)v;
			break;
		case OPT_HEIGHT:
			if (parse_num("--height", optarg, 4, &v))
				return CMD_USAGE;
			o->flame.frame_height = (int)v;
			break;
		case OPT_MINWIDTH:
			if (parse_num("--minwidth", optarg, 0, &v))
				return CMD_USAGE;
			o->flame.minwidth = v;
			break;
		case OPT_DIFF: a->diff = true; break;
		case OPT_PPROF: o->pprof = optarg; break;
		case OPT_TIME: o->perf.time = optarg; break;
		case OPT_HEATMAP: o->heatmap = true; break;
		case OPT_SPEEDSCOPE: o->speedscope = true; break;
		case OPT_CHROME: o->chrome_trace = true; break;
		case OPT_DOT: o->dot = true; break;
		case OPT_NODE_THRES:
			if (parse_num("--node-thres", optarg, 0, &v))
				return CMD_USAGE;
			o->dot_opts.node_thres = v;
			break;
		case OPT_EDGE_THRES:
			if (parse_num("--edge-thres", optarg, 0, &v))
				return CMD_USAGE;
			o->dot_opts.edge_thres = v;
			break;
		case 'h': usage(stdout); return 0;
		default:
			if (cmd__option(&a->common, c, optarg))
				return cmd__usage_error(NULL);
			break;
		}
	}
	return check_args(argc, argv, a);
}

/* What the options say together: one output kind, --diff's two files. */
static int check_args(int argc, char **argv, struct pfold_args *a)
{
	struct fold_cmd_opts *o = &a->fold;

	if (o->svg + o->heatmap + o->speedscope + o->chrome_trace + o->dot > 1)
		return cmd__usage_error("--svg, --heatmap, --speedscope, --chrome-trace and --dot each "
					"write one file: pick one");
	if (a->diff && (o->heatmap || o->speedscope || o->chrome_trace || o->dot))
		return cmd__usage_error("--diff draws an SVG or folded text; drop --diff to export one "
					"profile");
	if (a->diff) {
		if (argc - optind != 2)
			return cmd__usage_error("--diff wants two files: pfold --diff BEFORE AFTER");
		if (o->pprof)
			return cmd__usage_error("--pprof writes one profile; drop --diff or --pprof");
		o->before = argv[optind];
		o->after = argv[optind + 1];
	} else if (optind < argc) {
		return cmd__usage_error("unexpected argument '%s' (the input is given with -i)",
					argv[optind]);
	}
	o->input = a->common.input;
	o->perf.demangle = a->common.demangle;
	o->perf.threads = cmd__threads(&a->common);
	o->perf.progress = cmd__progress(&a->common);
	return CMD_RUN;
}

int main(int argc, char **argv)
{
	struct pfold_args a = {
		.common = CMD_COMMON_DEFAULTS,
		.fold = {
			.flame = { .width = 1200, .frame_height = 16, .minwidth = 0.1,
				   .colors = FLAME_C_HASH },
			.dot_opts = DOT_OPTS_DEFAULTS,
		},
	};
	struct fold_cmd_opts *o = &a.fold;
	struct error err = { 0 };
	int ret;

	log_set_prog("pfold");
	ret = parse_args(argc, argv, &a);
	if (ret != CMD_RUN)
		return ret;
	cmd__log_level(&a.common);
	cmd__reading_heap(false);
	if (cmd__symbol_sources(&a.common))
		return 1;
	if (cmd__check_owner(&a.common, a.diff ? o->before : o->input) ||
	    (a.diff && cmd__check_owner(&a.common, o->after)))
		return 1;
	return cmd__exit(fold_cmd__run(o, &err), &err);
}
