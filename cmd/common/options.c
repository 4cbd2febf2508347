/* Owns the options every command shares (-i, -f, -q, -v, --[no-]demangle), the log
 * level they set, and how a usage error is said (one line, a pointer to --help, 129). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "cmd/common/common.h"
#include "util/log.h"

int cmd__option(struct cmd_common *c, int opt, const char *arg)
{
	switch (opt) {
	case 'i': c->input = arg; return 0;
	case 'f': c->force = true; return 0;
	case 'q': c->quiet = true; return 0;
	case 'v': c->verbose++; return 0;
	case CMD_OPT_DEMANGLE: c->demangle = true; return 0;
	case CMD_OPT_NO_DEMANGLE: c->demangle = false; return 0;
	default: return -1;
	}
}

void cmd__log_level(const struct cmd_common *c)
{
	log_set_level(c->quiet ? LOG_ERROR : LOG_WARN + c->verbose);
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
