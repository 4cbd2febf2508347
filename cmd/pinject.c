/* pinject: perf inject's command line: rewrite a perf.data (a -z file comes out decompressed),
 * -b adds the build-ids of the DSOs that were hit, --jit merges jitdump files, -s merges
 * sched_switch with sched_stat_* samples; '-' for a pipe stream in or out. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmd/common/common.h"
#include "perfdata/inject.h"
#include "perfdata/sched_stat.h"
#include "report/session/progress.h"
#include "symbols/jit_inject.h"
#include "util/error.h"
#include "util/log.h"

/* The progress line on a terminal, started at the first record (when the size is known). */
struct inject_progress {
	const char *name;
	struct progress line;
	bool started;
};

static void on_progress(void *ctx, uint64_t records, uint64_t done, uint64_t total)
{
	struct inject_progress *ip = ctx;

	if (!ip->started) {
		progress__init(&ip->line, ip->name, total, progress__now());
		ip->started = true;
	}
	progress__update(&ip->line, records, done);
}

static void usage(FILE *f)
{
	fputs("usage: pinject [-i IN] [-o OUT] [-b] [-j] [-s]\n"
	      "Rewrite a perf.data file or stream, as perf inject.\n"
	      "  -i, --input FILE     input (default '-': the pipe stream on stdin)\n"
	      "  -o, --output FILE    output (default '-': a pipe stream on stdout)\n"
	      "  -b, --build-ids      add the build-ids of the DSOs that have samples\n"
	      "  -j, --jit            merge jitdump files (jit-PID.dump, mapped by the JIT): each\n"
	      "                       function written as jitted-PID-N.so beside its dump and mapped\n"
	      "                       where it ran (record with precord -k 1)\n"
	      "  -s, --sched-stat     merge sched_switch and sched_stat_* samples: where (the switch's\n"
	      "                       call chain) and how long (the stat's period) tasks slept\n"
	      "      --buildid-dir DIR  the build-id cache (default $PERF_BUILDID_DIR, else ~/.debug)\n"
	      "  -f, --force          read a file owned by another user\n"
	      "  -v, --verbose        more diagnostics on stderr\n"
	      "COMPRESSED data (from precord -z) is written decompressed.\n", f);
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		CMD_LOPT_INPUT,
		{ "output", required_argument, NULL, 'o' },
		{ "build-ids", no_argument, NULL, 'b' },
		{ "jit", no_argument, NULL, 'j' },
		{ "sched-stat", no_argument, NULL, 's' },
		CMD_LOPT_FORCE,
		CMD_LOPT_VERBOSE,
		CMD_LOPT_BUILDID_DIR,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_common common = CMD_COMMON_DEFAULTS;
	struct pd_inject_opts o = { .input = "-", .output = "-" };
	struct pd_inject_result res;
	struct jit_inject jit = { 0 };
	struct pd_sched_stat *sched = NULL;
	struct inject_progress prog = { 0 };
	bool sched_stat = false;
	struct error err = { .code = 0 };
	int c, ret;

	log_set_prog("pinject");
	common.input = "-";
	while ((c = cmd__getopt(argc, argv, "i:o:bjsfvh", lopts)) != -1) {
		switch (c) {
		case 'o': o.output = optarg; break;
		case 'b': o.build_ids = true; break;
		case 'j':
			o.hook = jit_inject__hook;
			o.hook_ctx = &jit;
			break;
		case 's': sched_stat = true; break;
		case 'h': usage(stdout); return 0;
		default:
			if (cmd__option(&common, c, optarg))
				return cmd__usage_error(NULL);
		}
	}
	if (optind < argc)
		return cmd__usage_error("unexpected argument '%s': the input goes after -i", argv[optind]);
	cmd__log_level(&common);
	o.input = common.input;
	if (strcmp(o.input, "-") && cmd__check_owner(&common, o.input))
		return 1;
	if (sched_stat && o.hook)
		return cmd__usage_error("--jit and --sched-stat go in two runs: pinject --jit, then pinject -s");
	if (sched_stat) {
		if (!(sched = pd_sched_stat__new())) {
			pr_err("out of memory");
			return 1;
		}
		o.hook = pd_sched_stat__hook;
		o.hook_ctx = sched;
		o.ordered = true;
	}
	if ((prog.name = cmd__progress(&common))) {
		o.progress = on_progress;
		o.progress_ctx = &prog;
	}
	ret = pd_inject__run(&o, &res, &err);
	if (prog.started)
		progress__end(&prog.line);
	if (sched)
		pr_debug("%llu sched_stat samples merged, %llu without a sched_switch before them",
			 (unsigned long long)pd_sched_stat__merged(sched),
			 (unsigned long long)pd_sched_stat__unmatched(sched));
	pd_sched_stat__free(sched);
	if (o.hook)
		pr_debug("%llu jitdump files, %llu functions, %llu moves", (unsigned long long)jit.dumps,
			 (unsigned long long)jit.functions, (unsigned long long)jit.moves);
	jit_inject__exit(&jit);
	if (ret) {
		pr_err("%s", err.msg[0] ? err.msg : strerror(-ret));
		return 1;
	}
	pr_debug("%llu records, %llu samples", (unsigned long long)res.records, (unsigned long long)res.samples);
	return 0;
}
