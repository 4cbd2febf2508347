/* pscript: print the samples of a perf.data file one by one, in perf script's layout. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/common/common.h"
#include "report/script/script.h"
#include "util/error.h"
#include "util/log.h"

static void usage(FILE *f)
{
	fputs("usage: pscript [-i FILE] [-F FIELDS] [--inline|--no-inline] [--no-demangle] [--full-source-path] [--ns]\n"
	      "               [--time RANGE] [--reltime|--deltatime] [-G] [-j N] [-v]\n"
	      "  -i, --input FILE       perf.data file to read (default: perf.data)\n"
	      "  -f, --force            read a file owned by another user\n"
	      "  -F, --fields LIST      comm,tid,pid,cpu,time,period,event,ip,sym,symoff,dso,srcline,addr,trace;\n"
	      "                         +f / -f add to or remove from the defaults\n"
	      "      --no-inline        leave DWARF-unwound frames as they are (by default each shows\n"
	      "                         its inline chain, as perf script does)\n"
	      "      --inline           inline chains on frame-pointer callchains too\n"
	      "      --no-demangle      print C++/Rust symbol names as they are in the binary\n"
	      "      --symfs DIR        the recording's files under DIR (a parchive archive unpacked)\n"
	      "      --archive FILE     the files from a parchive archive (FILE.tar.zst)\n"
	      "      --buildid-dir DIR  the build-id cache (default $PERF_BUILDID_DIR, else ~/.debug)\n"
	      "      --no-debuginfod    do not ask $DEBUGINFOD_URLS for missing debug files\n"
	      "      --full-source-path source lines with the full path\n"
	      "      --ns               time with nanoseconds\n"
	      "      --time START,END   only samples in this window (seconds; 10%/2, 0%-25% as perf)\n"
	      "      --reltime          times from the first sample\n"
	      "      --deltatime        times from the previous sample\n"
	      "  -G, --hide-call-graph  one line per sample: the sampled address only\n"
	      "  -j, --threads N        read the file on a second thread when N >= 2 (default: the\n"
	      "                         online CPUs; the output is the same)\n"
	      "      --show-namespace-events  PERF_RECORD_NAMESPACES lines (precord --namespaces)\n"
	      "      --show-cgroup-events     PERF_RECORD_CGROUP lines (precord --all-cgroups)\n"
	      "      --show-bpf-events        PERF_RECORD_KSYMBOL and PERF_RECORD_BPF_EVENT lines\n"
	      "  -v, --verbose          more diagnostics on stderr (repeatable)\n", f);
}

struct pscript_args {
	struct cmd_common common;
	struct script_opts script;
};

/* The options into @a: CMD_RUN, or the exit code (0 after --help, 129 on a usage error). */
static int parse_args(int argc, char **argv, struct pscript_args *a)
{
	enum { OPT_INLINE = 256, OPT_NO_INLINE, OPT_FULL_PATH, OPT_NS, OPT_TIME, OPT_RELTIME, OPT_DELTATIME,
	       OPT_SHOW_NS_EV, OPT_SHOW_CG_EV, OPT_SHOW_BPF_EV };
	static const struct option lopts[] = {
		CMD_LOPT_INPUT,
		CMD_LOPT_FORCE,
		{ "fields", required_argument, NULL, 'F' },
		{ "inline", no_argument, NULL, OPT_INLINE },
		{ "no-inline", no_argument, NULL, OPT_NO_INLINE },
		CMD_LOPT_NO_DEMANGLE,
		CMD_LOPT_SYMFS,
		CMD_LOPT_ARCHIVE,
		CMD_LOPT_BUILDID_DIR,
		CMD_LOPT_NO_DEBUGINFOD,
		CMD_LOPT_DEMANGLE,
		{ "full-source-path", no_argument, NULL, OPT_FULL_PATH },
		{ "ns", no_argument, NULL, OPT_NS },
		{ "time", required_argument, NULL, OPT_TIME },
		{ "reltime", no_argument, NULL, OPT_RELTIME },
		{ "deltatime", no_argument, NULL, OPT_DELTATIME },
		{ "hide-call-graph", no_argument, NULL, 'G' },
		CMD_LOPT_THREADS,
		{ "show-namespace-events", no_argument, NULL, OPT_SHOW_NS_EV },
		{ "show-cgroup-events", no_argument, NULL, OPT_SHOW_CG_EV },
		{ "show-bpf-events", no_argument, NULL, OPT_SHOW_BPF_EV },
		CMD_LOPT_VERBOSE,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct script_opts *o = &a->script;
	int c;

	while ((c = cmd__getopt(argc, argv, "i:fF:Gj:vh", lopts)) != -1) {
		switch (c) {
		case 'F': o->fields = optarg; break;
		case OPT_INLINE: o->inline_frames = true; o->no_inline = false; break;
		case OPT_NO_INLINE: o->no_inline = true; o->inline_frames = false; break;
		case OPT_FULL_PATH: o->full_source_path = true; break;
		case OPT_NS: o->show_ns = true; break;
		case OPT_TIME: o->time = optarg; break;
		case OPT_RELTIME: o->reltime = true; break;
		case OPT_DELTATIME: o->deltatime = true; break;
		case 'G': o->hide_call_graph = true; break;
		case OPT_SHOW_NS_EV: o->show_namespace_events = true; break;
		case OPT_SHOW_CG_EV: o->show_cgroup_events = true; break;
		case OPT_SHOW_BPF_EV: o->show_bpf_events = true; break;
		case 'h': usage(stdout); return 0;
		default:
			if (cmd__option(&a->common, c, optarg))
				return cmd__usage_error(NULL);
			break;
		}
	}
	if (optind < argc)
		return cmd__usage_error("unexpected argument '%s'", argv[optind]);
	if (o->fields) {	/* a field pscript does not know: a usage error, as perf script's */
		struct error err = { 0 };
		unsigned int set, add, del;

		if (script__parse_fields(o->fields, &set, &add, &del, &err) == -EINVAL)
			return cmd__usage_error("%s", err.msg);
	}
	o->input = a->common.input;
	o->demangle = a->common.demangle;
	o->threads = cmd__threads(&a->common);
	o->progress = cmd__progress(&a->common);
	return CMD_RUN;
}

int main(int argc, char **argv)
{
	struct pscript_args a = {
		.common = CMD_COMMON_DEFAULTS,
		.script = { .out = stdout },
	};
	struct error err = { 0 };
	int ret;

	log_set_prog("pscript");
	ret = parse_args(argc, argv, &a);
	if (ret != CMD_RUN)
		return ret;
	cmd__log_level(&a.common);
	cmd__reading_heap(false);
	if (cmd__symbol_sources(&a.common))
		return 1;
	if (cmd__check_owner(&a.common, a.script.input))
		return 1;
	return cmd__exit(script__run(&a.script, &err), &err);
}
