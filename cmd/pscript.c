/* pscript: print the samples of a perf.data file one by one, in perf script's layout. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfdata/reader.h"
#include "report/script/script.h"
#include "util/log.h"

static void usage(FILE *f)
{
	fputs("usage: pscript [-i FILE] [-F FIELDS] [--inline|--no-inline] [--no-demangle] [--full-source-path] [--ns] [-v]\n"
	      "  -i, --input FILE       perf.data file to read (default: perf.data)\n"
	      "  -f, --force            read a file owned by another user\n"
	      "  -F, --fields LIST      comm,tid,pid,cpu,time,period,event,ip,sym,symoff,dso,srcline,addr,trace;\n"
	      "                         +f / -f add to or remove from the defaults\n"
	      "      --no-inline        leave DWARF-unwound frames as they are (by default each shows\n"
	      "                         its inline chain, as perf script does)\n"
	      "      --inline           inline chains on frame-pointer callchains too\n"
	      "      --no-demangle      print C++/Rust symbol names as they are in the binary\n"
	      "      --full-source-path source lines with the full path\n"
	      "      --ns               time with nanoseconds\n"
	      "  -v, --verbose          more diagnostics on stderr (repeatable)\n", f);
}

int main(int argc, char **argv)
{
	enum { OPT_INLINE = 256, OPT_NO_INLINE, OPT_NO_DEMANGLE, OPT_DEMANGLE, OPT_FULL_PATH, OPT_NS };
	static const struct option lopts[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "force", no_argument, NULL, 'f' },
		{ "fields", required_argument, NULL, 'F' },
		{ "inline", no_argument, NULL, OPT_INLINE },
		{ "no-inline", no_argument, NULL, OPT_NO_INLINE },
		{ "no-demangle", no_argument, NULL, OPT_NO_DEMANGLE },
		{ "demangle", no_argument, NULL, OPT_DEMANGLE },
		{ "full-source-path", no_argument, NULL, OPT_FULL_PATH },
		{ "ns", no_argument, NULL, OPT_NS },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct script_opts opts = {
		.input = "perf.data",
		.demangle = true,
		.out = stdout,
	};
	struct error err = { 0 };
	int c, verbose = 0, ret;
	bool force = false;

	log_set_prog("pscript");
	while ((c = getopt_long(argc, argv, "i:fF:vh", lopts, NULL)) != -1) {
		switch (c) {
		case 'i': opts.input = optarg; break;
		case 'f': force = true; break;
		case 'F': opts.fields = optarg; break;
		case OPT_INLINE: opts.inline_frames = true; opts.no_inline = false; break;
		case OPT_NO_INLINE: opts.no_inline = true; opts.inline_frames = false; break;
		case OPT_NO_DEMANGLE: opts.demangle = false; break;
		case OPT_DEMANGLE: opts.demangle = true; break;
		case OPT_FULL_PATH: opts.full_source_path = true; break;
		case OPT_NS: opts.show_ns = true; break;
		case 'v': verbose++; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "pscript: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	log_set_level(LOG_WARN + verbose);
	if (!force && pd_reader__check_owner(opts.input, &err)) {
		fprintf(stderr, "pscript: %s\n", err.msg);
		return 1;
	}
	ret = script__run(&opts, &err);
	if (ret == -EPIPE)
		return 0;
	if (ret) {
		fprintf(stderr, "pscript: %s\n", err.msg[0] ? err.msg : strerror(-ret));
		return 1;
	}
	return 0;
}
