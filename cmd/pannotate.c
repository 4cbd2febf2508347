/* pannotate: a symbol's instructions with their share of the samples, source lines
 * between them, as perf annotate --stdio prints it (or JSON). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perfdata/reader.h"
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
	      "      --asm-raw              show the instruction bytes\n"
	      "      --no-source            no source lines between the instructions\n"
	      "  -P, --full-paths           source files with their full path\n"
	      "  -k, --vmlinux FILE         kernel image for kernel symbols\n"
	      "      --stdio                text output (the default)\n"
	      "      --json                 JSON output\n"
	      "      --stdio-color WHEN     highlight hot instructions: auto (on a terminal), always, never\n"
	      "      --no-demangle          C++/Rust names as they are in the binary\n"
	      "  -q, --quiet                no warnings\n"
	      "  -v, --verbose              more diagnostics on stderr (repeatable)\n", f);
}

int main(int argc, char **argv)
{
	enum { OPT_STDIO = 256, OPT_JSON, OPT_ASM_RAW, OPT_SOURCE, OPT_NO_SOURCE, OPT_COLOR,
	       OPT_DEMANGLE, OPT_NO_DEMANGLE, OPT_PTYPE, OPT_PLIMIT };
	static const struct option lopts[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "force", no_argument, NULL, 'f' },
		{ "symbol", required_argument, NULL, 's' },
		{ "dsos", required_argument, NULL, 'd' },
		{ "show-nr-samples", no_argument, NULL, 'n' },
		{ "percent-type", required_argument, NULL, OPT_PTYPE },
		{ "percent-limit", required_argument, NULL, OPT_PLIMIT },
		{ "disassembler-style", required_argument, NULL, 'M' },
		{ "asm-raw", no_argument, NULL, OPT_ASM_RAW },
		{ "source", no_argument, NULL, OPT_SOURCE },
		{ "no-source", no_argument, NULL, OPT_NO_SOURCE },
		{ "full-paths", no_argument, NULL, 'P' },
		{ "vmlinux", required_argument, NULL, 'k' },
		{ "stdio", no_argument, NULL, OPT_STDIO },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "stdio-color", optional_argument, NULL, OPT_COLOR },
		{ "demangle", no_argument, NULL, OPT_DEMANGLE },
		{ "no-demangle", no_argument, NULL, OPT_NO_DEMANGLE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct annotate_opts opts = {
		.input = "perf.data",
		.format = ANNOTATE_STDIO,
		.percent_type = ANNOTATE_LOCAL_PERIOD,
		.syntax = DISASM_ATT,
		.source = true,
		.demangle = true,
		.out = stdout,
	};
	struct annotate_result res;
	struct error err = { 0 };
	const char *color = "auto";
	int c, verbose = 0, quiet = 0, ret;
	bool force = false;
	char *end;

	log_set_prog("pannotate");
	while ((c = getopt_long(argc, argv, "i:fs:d:nM:Pk:qvh", lopts, NULL)) != -1) {
		switch (c) {
		case 'i': opts.input = optarg; break;
		case 'f': force = true; break;
		case 's': opts.symbol = optarg; break;
		case 'd': opts.dsos = optarg; break;
		case 'n': opts.show_nr_samples = true; break;
		case 'M':
			if (disasm__parse_syntax(optarg, &opts.syntax)) {
				fprintf(stderr, "pannotate: unknown disassembler style '%s' (use att or intel)\n",
					optarg);
				return 2;
			}
			break;
		case 'P': opts.full_paths = true; break;
		case 'k': opts.vmlinux = optarg; break;
		case OPT_PTYPE:
			if (annotate__parse_percent_type(optarg, &opts.percent_type)) {
				fprintf(stderr, "pannotate: unknown --percent-type '%s' (use local-period, "
					"local-hits, global-period or global-hits)\n", optarg);
				return 2;
			}
			break;
		case OPT_PLIMIT:
			opts.percent_limit = strtod(optarg, &end);
			if (end == optarg || *end || opts.percent_limit < 0) {
				fprintf(stderr, "pannotate: --percent-limit wants a percentage, not '%s'\n", optarg);
				return 2;
			}
			break;
		case OPT_ASM_RAW: opts.asm_raw = true; break;
		case OPT_SOURCE: opts.source = true; break;
		case OPT_NO_SOURCE: opts.source = false; break;
		case OPT_STDIO: opts.format = ANNOTATE_STDIO; break;
		case OPT_JSON: opts.format = ANNOTATE_JSON; break;
		case OPT_COLOR: color = optarg ? optarg : "always"; break;
		case OPT_DEMANGLE: opts.demangle = true; break;
		case OPT_NO_DEMANGLE: opts.demangle = false; break;
		case 'q': quiet = 1; break;
		case 'v': verbose++; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc)
		opts.symbol = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "pannotate: unexpected argument '%s' (one symbol at a time)\n", argv[optind]);
		return 2;
	}
	if (!strcmp(color, "always"))
		opts.color = true;
	else if (!strcmp(color, "auto"))
		opts.color = isatty(STDOUT_FILENO);
	else if (strcmp(color, "never")) {
		fprintf(stderr, "pannotate: --stdio-color takes always, never or auto, not '%s'\n", color);
		return 2;
	}
	if (opts.format == ANNOTATE_JSON)
		opts.color = false;
	log_set_level(quiet ? LOG_ERROR : LOG_WARN + verbose);
	if (!force && pd_reader__check_owner(opts.input, &err)) {
		fprintf(stderr, "pannotate: %s\n", err.msg);
		return 1;
	}
	ret = annotate__run(&opts, &res, &err);
	if (ret == -EPIPE)
		return 0;
	if (ret) {
		fprintf(stderr, "pannotate: %s\n", err.msg[0] ? err.msg : strerror(-ret));
		return 1;
	}
	if (opts.symbol && !res.nr_matched) {
		fprintf(stderr, "pannotate: no samples in a symbol named '%s' in %s (list the symbols with "
			"samples with 'perf report --sort sym' or preport)\n", opts.symbol, opts.input);
		return 1;
	}
	if (!res.nr_entries) {
		fprintf(stderr, "pannotate: no sample of %s falls in a known symbol; nothing to annotate\n",
			opts.input);
		return 1;
	}
	if (!res.nr_printed && res.nr_failed) {
		fprintf(stderr, "pannotate: cannot annotate: %s\n", res.reason);
		return 1;
	}
	if (!res.nr_printed) {
		fprintf(stderr, "pannotate: no symbol of %s passes the filters (-d, --percent-limit)\n",
			opts.input);
		return 1;
	}
	return 0;
}
