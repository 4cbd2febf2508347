/* Owns the options every command shares (-i, -f, -q, -v, --[no-]demangle, -j, the readers'
 * --symfs, --archive, --buildid-dir, --list-opts), the log level they set, the reading tools'
 * heap, and how a usage error is said (one line under the command's name, a pointer
 * to --help, 129). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "cmd/common/common.h"
#include "sampler/record.h"
#include "symbols/debuginfod.h"
#include "util/bigblock.h"
#include "util/log.h"
#include "util/mem.h"

int cmd__option(struct cmd_common *c, int opt, const char *arg)
{
	switch (opt) {
	case 'i': c->input = arg; return 0;
	case 'f': c->force = true; return 0;
	case 'q': c->quiet = true; return 0;
	case 'v': c->verbose++; return 0;
	case CMD_OPT_DEMANGLE: c->demangle = true; return 0;
	case CMD_OPT_NO_DEMANGLE: c->demangle = false; return 0;
	case 'j': {
		uint64_t n;

		if (cmd__parse_u64(arg, &n) || n < 1 || n > 4096) {
			fprintf(stderr, "%s: -j/--threads wants a number of threads, 1 or more, not '%s'\n",
				program_invocation_short_name, arg);
			return -1;
		}
		c->threads = (unsigned int)n;
		return 0;
	}
	case CMD_OPT_SYMFS: c->symfs = arg; return 0;
	case CMD_OPT_ARCHIVE: c->archive = arg; return 0;
	case CMD_OPT_BUILDID_DIR: setenv("PERF_BUILDID_DIR", arg, 1); return 0;
	case CMD_OPT_NO_DEBUGINFOD: debuginfod__disable(); return 0;
	default: return -1;
	}
}

int cmd__getopt(int argc, char **argv, const char *shortopts, const struct option *lo)
{
	int i = optind ? optind : 1, c;
	char *arg0;

	if (i < argc && !strcmp(argv[i], "--list-opts")) {
		for (; lo->name; lo++)
			if (strcmp(lo->name, "list-opts"))
				printf("--%s ", lo->name);
		printf("--list-opts ");
		exit(cmd__flush_stdout());
	}
	if (i < argc && !strncmp(argv[i], "--list-opts=", 12)) {	/* as getopt says it */
		fprintf(stderr, "%s: option '--list-opts' doesn't allow an argument\n",
			program_invocation_short_name);
		optind = i + 1;
		return '?';
	}
	arg0 = argv[0];
	argv[0] = program_invocation_short_name;	/* the name getopt's messages go under */
	c = getopt_long(argc, argv, shortopts, lo, NULL);
	argv[0] = arg0;
	return c;
}

void cmd__log_level(const struct cmd_common *c)
{
	log_set_level(c->quiet ? LOG_ERROR : LOG_WARN + c->verbose);
}

void cmd__reading_heap(bool grows)
{
	mem__heap_huge(256u << 20);
	if (grows)
		bigblock__use_maps();
}

unsigned int cmd__threads(const struct cmd_common *c)
{
	long n;

	if (c->threads)
		return c->threads;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned int)n : 1;
}

const char *cmd__progress(const struct cmd_common *c)
{
	return !c->quiet && isatty(STDERR_FILENO) ? program_invocation_short_name : NULL;
}

int cmd__usage_error(const char *fmt, ...)
{
	const char *prog = program_invocation_short_name;
	va_list ap;

	if (fmt) {
		fprintf(stderr, "%s: ", prog);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	fprintf(stderr, "see '%s --help' for the options\n", prog);
	return CMD_USAGE;
}

/* A whole unsigned number (0x.. and 0.. too); no sign, nothing after it. 0, or -1. */
int cmd__parse_u64(const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	return errno || end == s || *end || s[0] == '-' ? -1 : 0;
}

/* fp, or dwarf[,SIZE] with SIZE 1..65528 (rounded up to 8) into o. 0, or -1. */
int cmd__parse_call_graph(const char *s, struct record_opts *o)
{
	if (!strcmp(s, "fp")) {
		o->call_graph = RECORD_CG_FP;
		return 0;
	}
	if (strncmp(s, "dwarf", 5) || (s[5] && s[5] != ','))
		return -1;
	o->call_graph = RECORD_CG_DWARF;
	if (s[5] == ',') {
		uint64_t size;

		if (cmd__parse_u64(s + 6, &size) || size == 0 || size > 65528)
			return -1;
		o->stack_size = (size + 7) & ~7ULL;
	}
	return 0;
}
