/* pannotate: a symbol's instructions with their share of the samples, source lines
 * between them, as perf annotate --stdio prints it (or JSON). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/common/common.h"
#include "report/annotate/annotate.h"
#include "util/log.h"

static void usage(FILE *f)
{
	fputs("usage: pannotate [-i FILE] [options] [SYMBOL]\n"
	      "  -i, --input FILE           perf.data file to read (default: perf.data)\n"
	      "  -f, --force                read a file owned by another user\n"
	      "  -s, --symbol SYMBOL        the symbol to annotate (default: every symbol with\n"
	      "                             samples, hottest first)\n"
	      "  -d, --dsos LIST            only symbols of these DSOs (paths or file names)\n"
	      "  -n, --show-nr-samples      sample counts instead of percentages\n"
	      "      --percent-type TYPE    local-period (default), local-hits, global-period, global-hits\n"
	      "      --percent-limit PCT    skip symbols with less than PCT% of their event\n"
	      "  -M, --disassembler-style S att (default) or intel\n"
	      "      --layout L             perf (default: perf annotate --stdio's text: objdump's\n"
	      "                             AT&T, targets as 'addr <sym+0xoff>') or extended\n"
	      "                             (capstone's text, .L labels, file:line source headers)\n"
	      "      --asm-raw              show the instruction bytes\n"
	      "      --no-source            no source lines between the instructions\n"
	      "  -P, --full-paths           source files with their full path\n"
	      "  -k, --vmlinux FILE         kernel image for kernel symbols\n"
	      "      --stdio                text output (the default)\n"
	      "      --json                 JSON output\n"
	      "      --stdio-color WHEN     highlight hot instructions: auto (on a terminal), always, never\n"
	      "      --no-demangle          C++/Rust names as they are in the binary\n"
	      "  -j, --threads N            read the file on a second thread when N >= 2 (default:\n"
	      "                             the online CPUs; the output is the same)\n"
	      "      --symfs DIR            the recording's files under DIR (a parchive archive unpacked)\n"
	      "      --archive FILE         the files from a parchive archive (FILE.tar.zst)\n"
	      "      --buildid-dir DIR      the build-id cache (default $PERF_BUILDID_DIR, else ~/.debug)\n"
	      "      --no-debuginfod        do not ask $DEBUGINFOD_URLS for missing debug files\n"
	      "  -q, --quiet                no warnings\n"
	      "  -v, --verbose              more diagnostics on stderr (repeatable)\n", f);
}

struct pannotate_args {
	struct cmd_common common;
	struct annotate_opts annotate;
	const char *color;	/* --stdio-color: auto, always or never */
};

/* The options into @a: CMD_RUN, or the exit code (0 after --help, 2 on a usage error). */
static int parse_args(int argc, char **argv, struct pannotate_args *a)
{
	enum { OPT_STDIO = 256, OPT_JSON, OPT_ASM_RAW, OPT_SOURCE, OPT_NO_SOURCE, OPT_COLOR,
	       OPT_PTYPE, OPT_PLIMIT, OPT_LAYOUT };
	static const struct option lopts[] = {
		CMD_LOPT_INPUT,
		CMD_LOPT_FORCE,
		{ "symbol", required_argument, NULL, 's' },
		{ "dsos", required_argument, NULL, 'd' },
		{ "show-nr-samples", no_argument, NULL, 'n' },
		{ "percent-type", required_argument, NULL, OPT_PTYPE },
		{ "percent-limit", required_argument, NULL, OPT_PLIMIT },
		{ "disassembler-style", required_argument, NULL, 'M' },
		{ "asm-raw", no_argument, NULL, OPT_ASM_RAW },
		{ "layout", required_argument, NULL, OPT_LAYOUT },
		{ "source", no_argument, NULL, OPT_SOURCE },
		{ "no-source", no_argument, NULL, OPT_NO_SOURCE },
		{ "full-paths", no_argument, NULL, 'P' },
		{ "vmlinux", required_argument, NULL, 'k' },
		{ "stdio", no_argument, NULL, OPT_STDIO },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "stdio-color", optional_argument, NULL, OPT_COLOR },
		CMD_LOPT_DEMANGLE,
		CMD_LOPT_NO_DEMANGLE,
		CMD_LOPT_SYMFS,
		CMD_LOPT_ARCHIVE,
		CMD_LOPT_BUILDID_DIR,
		CMD_LOPT_NO_DEBUGINFOD,
		CMD_LOPT_QUIET,
		CMD_LOPT_VERBOSE,
		CMD_LOPT_THREADS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct annotate_opts *o = &a->annotate;
	char *end;
	int c;

	while ((c = cmd__getopt(argc, argv, "i:fs:d:nM:Pk:qj:vh", lopts)) != -1) {
		switch (c) {
		case 's': o->symbol = optarg; break;
		case 'd': o->dsos = optarg; break;
		case 'n': o->show_nr_samples = true; break;
		case 'M':
			if (disasm__parse_syntax(optarg, &o->syntax)) {
				return cmd__usage_error("unknown disassembler style '%s' (use att or intel)",
							optarg);
			}
			break;
		case 'P': o->full_paths = true; break;
		case 'k': o->vmlinux = optarg; break;
		case OPT_PTYPE:
			if (annotate__parse_percent_type(optarg, &o->percent_type)) {
				return cmd__usage_error("unknown --percent-type '%s' (use local-period, "
							"local-hits, global-period or global-hits)", optarg);
			}
			break;
		case OPT_PLIMIT:
			o->percent_limit = strtod(optarg, &end);
			if (end == optarg || *end || o->percent_limit < 0)
				return cmd__usage_error("--percent-limit wants a percentage, not '%s'", optarg);
			break;
		case OPT_ASM_RAW: o->asm_raw = true; break;
		case OPT_LAYOUT:
			if (strcmp(optarg, "perf") && strcmp(optarg, "extended"))
				return cmd__usage_error("--layout takes perf or extended, not '%s'", optarg);
			o->extended = !strcmp(optarg, "extended");
			break;
		case OPT_SOURCE: o->source = true; break;
		case OPT_NO_SOURCE: o->source = false; break;
		case OPT_STDIO: o->format = ANNOTATE_STDIO; break;
		case OPT_JSON: o->format = ANNOTATE_JSON; break;
		case OPT_COLOR:
			/* "--stdio-color MODE" as --help shows it, "--stdio-color=MODE", or alone */
			a->color = optarg ? optarg : "always";
			if (!optarg && optind < argc && (!strcmp(argv[optind], "always") ||
			    !strcmp(argv[optind], "never") || !strcmp(argv[optind], "auto")))
				a->color = argv[optind++];
			break;
		case 'h': usage(stdout); return 0;
		default:
			if (cmd__option(&a->common, c, optarg))
				return cmd__usage_error(NULL);
			break;
		}
	}
	if (optind < argc)
		o->symbol = argv[optind++];
	if (optind < argc)
		return cmd__usage_error("unexpected argument '%s' (one symbol at a time)", argv[optind]);
	if (!strcmp(a->color, "always"))
		o->color = true;
	else if (!strcmp(a->color, "auto"))
		o->color = isatty(STDOUT_FILENO);
	else if (strcmp(a->color, "never"))
		return cmd__usage_error("--stdio-color takes always, never or auto, not '%s'", a->color);
	if (o->format == ANNOTATE_JSON)
		o->color = false;
	o->input = a->common.input;
	o->demangle = a->common.demangle;
	o->threads = cmd__threads(&a->common);
	o->progress = cmd__progress(&a->common);
	/* the annotations themselves show how far it got when they print on a terminal */
	o->progress_symbols = !isatty(STDOUT_FILENO);
	return CMD_RUN;
}

/* A run that printed nothing useful says why: 1 after the message, else 0. */
static int check_result(const struct annotate_opts *o, const struct annotate_result *res)
{
	if (o->symbol && !res->nr_matched) {
		fprintf(stderr, "pannotate: no samples in a symbol named '%s' in %s (list the symbols with "
			"samples with 'perf report --sort sym' or preport)\n", o->symbol, o->input);
		return 1;
	}
	if (!res->nr_entries) {
		fprintf(stderr, "pannotate: no sample of %s falls in a known symbol; nothing to annotate\n",
			o->input);
		return 1;
	}
	if (!res->nr_printed && res->nr_failed) {
		fprintf(stderr, "pannotate: cannot annotate: %s\n", res->reason);
		return 1;
	}
	if (!res->nr_printed) {
		fprintf(stderr, "pannotate: no symbol of %s passes the filters (-d, --percent-limit)\n",
			o->input);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct pannotate_args a = {
		.common = CMD_COMMON_DEFAULTS,
		.annotate = {
			.format = ANNOTATE_STDIO,
			.percent_type = ANNOTATE_LOCAL_PERIOD,
			.syntax = DISASM_ATT,
			.source = true,
			.out = stdout,
		},
		.color = "auto",
	};
	struct annotate_result res;
	struct error err = { 0 };
	int ret;

	log_set_prog("pannotate");
	ret = parse_args(argc, argv, &a);
	if (ret != CMD_RUN)
		return ret;
	cmd__log_level(&a.common);
	cmd__reading_heap(false);
	if (cmd__symbol_sources(&a.common))
		return 1;
	if (cmd__check_owner(&a.common, a.annotate.input))
		return 1;
	ret = annotate__run(&a.annotate, &res, &err);
	if (ret)
		return cmd__exit(ret, &err);
	ret = check_result(&a.annotate, &res);
	return ret ? ret : cmd__exit(0, NULL);
}
