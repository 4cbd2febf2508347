/* parchive: perf archive's job in one step: the files a recording's samples hit, by
 * build-id, packed into FILE.tar.zst (or perf's FILE.tar.bz2) for reading elsewhere. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/common/common.h"
#include "symbols/archive.h"
#include "util/error.h"
#include "util/log.h"

static void usage(FILE *f)
{
	fputs("usage: parchive [FILE] [options]\n"
	      "Pack every DSO, debug file and kernel symbol list that FILE's samples hit (default\n"
	      "perf.data), by build-id in perf's cache layout, into FILE.tar.zst.\n"
	      "      --format tar.zst|tar.bz2  the compression (tar.bz2: perf archive's format)\n"
	      "  -o, --output ARCHIVE          the archive's name (default FILE.tar.zst or .tar.bz2)\n"
	      "      --buildid-dir DIR         the build-id cache (default $PERF_BUILDID_DIR, else ~/.debug)\n"
	      "  -f, --force                   read a file owned by another user\n"
	      "  -q, --quiet / -v, --verbose\n"
	      "Read it elsewhere with 'preport --archive FILE.tar.zst' (also pscript, pfold, pannotate),\n"
	      "or unpack it into ~/.debug for perf: tar xf FILE.tar.bz2 -C ~/.debug\n", f);
}

struct parchive_args {
	struct cmd_common common;
	const char *output;
	enum symarchive_format format;
};

enum { OPT_FORMAT = 256 };

static int parse_args(int argc, char **argv, struct parchive_args *a)
{
	static const struct option lopts[] = {
		CMD_LOPT_INPUT,
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, OPT_FORMAT },
		CMD_LOPT_BUILDID_DIR,
		CMD_LOPT_FORCE,
		CMD_LOPT_QUIET,
		CMD_LOPT_VERBOSE,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = cmd__getopt(argc, argv, "i:o:fqvh", lopts)) != -1) {
		switch (c) {
		case 'o': a->output = optarg; break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "tar.zst") || !strcmp(optarg, "zst"))
				a->format = SYMARCHIVE_TAR_ZSTD;
			else if (!strcmp(optarg, "tar.bz2") || !strcmp(optarg, "bz2"))
				a->format = SYMARCHIVE_TAR_BZ2;
			else
				return cmd__usage_error("--format takes tar.zst or tar.bz2; got '%s'", optarg);
			break;
		case 'h': usage(stdout); return 0;
		default:
			if (cmd__option(&a->common, c, optarg))
				return cmd__usage_error(NULL);
		}
	}
	if (optind < argc)
		a->common.input = argv[optind++];
	if (optind < argc)
		return cmd__usage_error("unexpected argument '%s': parchive takes one file", argv[optind]);
	return CMD_RUN;
}

int main(int argc, char **argv)
{
	struct parchive_args a = { .common = CMD_COMMON_DEFAULTS, .format = SYMARCHIVE_TAR_ZSTD };
	struct symarchive_stats st;
	struct error err = { .code = 0 };
	char out[4096];
	int ret;

	log_set_prog("parchive");
	ret = parse_args(argc, argv, &a);
	if (ret != CMD_RUN)
		return ret;
	cmd__log_level(&a.common);
	if (cmd__check_owner(&a.common, a.common.input))
		return 1;
	if (a.output)
		snprintf(out, sizeof(out), "%s", a.output);
	else
		snprintf(out, sizeof(out), "%s.%s", a.common.input,
			 a.format == SYMARCHIVE_TAR_ZSTD ? "tar.zst" : "tar.bz2");
	ret = symarchive__pack(a.common.input, out, a.format, &st, &err);
	if (ret)
		return cmd__exit(ret, &err);
	if (!a.common.quiet)
		printf("%s: %u build-ids (%u debug files), %.1f MB before compression%s\n"
		       "Read it elsewhere: preport -i %s --archive %s (pscript, pfold, pannotate too),\n"
		       "or for perf: tar xf %s -C ~/.debug\n",
		       out, st.dsos, st.debug_files, st.bytes / 1e6,
		       st.missing ? "; some were not found (see above)" : "", a.common.input, out, out);
	return cmd__exit(0, NULL);
}
