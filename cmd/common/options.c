/* Owns the options every command shares (-i, -f, -q, -v, --[no-]demangle) and the log
 * level they set. */
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
