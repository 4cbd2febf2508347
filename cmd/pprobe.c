/* pprobe: add, list and delete dynamic probes (uprobes, kprobes), as perf probe does. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/common/common.h"
#include "sampler/probe.h"
#include "util/log.h"

static void usage(FILE *f)
{
	fputs("Usage: pprobe -x BINARY 'FUNC[%return] [ARG ...]'   add a uprobe (event probe_BINARY:FUNC)\n"
	      "       pprobe -x BINARY 'FILE:LINE [ARG ...]'       add a uprobe on a source line (needs -g)\n"
	      "       pprobe 'FUNC[%return] [ARG ...]'             add a kprobe (event probe:FUNC)\n"
	      "       pprobe -l                                    list the probes\n"
	      "       pprobe -d GROUP:NAME                         delete probes (globs: 'probe_prog:*')\n"
	      "ARG: a register (%di, x=%si, %ax:u32), $retval (return probes), $stackN.\n"
	      "Use the event in pstat/precord: pstat -e probe_BINARY:FUNC ./BINARY\n", f);
}

struct pprobe_args {
	const char *binary;
	const char *del;
	bool list;
	char def[1024];
};

static void say_deleted(const char *name, void *arg)
{
	printf("Removed event: %s\n", name);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "exec", required_argument, 0, 'x' },
		{ "list", no_argument, 0, 'l' },
		{ "del", required_argument, 0, 'd' },
		CMD_LOPT_VERBOSE,
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	struct pprobe_args a = { .binary = NULL };
	struct cmd_common common = CMD_COMMON_DEFAULTS;
	struct probe p;
	struct error e = { 0 };
	size_t used = 0;
	int c, err;

	log_set_prog("pprobe");
	while ((c = getopt_long(argc, argv, "+x:ld:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'x': a.binary = optarg; break;
		case 'l': a.list = true; break;
		case 'd': a.del = optarg; break;
		case 'h': usage(stdout); return 0;
		default:
			if (cmd__option(&common, c, optarg))
				return cmd__usage_error(NULL);
			break;
		}
	}
	cmd__log_level(&common);
	for (int i = optind; i < argc; i++)
		used += (size_t)snprintf(a.def + used, sizeof(a.def) - used, "%s%s", used ? " " : "", argv[i]);
	if (a.list) {
		err = probe__list(stdout);
		return err < 0 ? 1 : cmd__flush_stdout();
	}
	if (a.del) {
		err = probe__delete(a.del, say_deleted, NULL);
		if (err == 0)
			fprintf(stderr, "pprobe: no probe matches '%s' (see pprobe -l)\n", a.del);
		else if (err < 0)
			fprintf(stderr, "pprobe: cannot delete '%s': %s\n", a.del, strerror(-err));
		return err > 0 ? cmd__flush_stdout() : 1;
	}
	if (!a.def[0])
		return cmd__usage_error("no probe given: pprobe -x BINARY 'FUNC', -l or -d GROUP:NAME");
	err = probe__parse(&p, a.binary, a.def, &e);
	if (!err)
		err = probe__resolve(&p, &e);
	if (!err)
		err = probe__add(&p, &e);
	if (err) {
		fprintf(stderr, "pprobe: %s\n", e.msg[0] ? e.msg : strerror(-err));
		return 1;
	}
	{
		char where[800], name[256];

		if (p.file[0])
			snprintf(where, sizeof(where), "%s:%d", p.file, p.line);
		else
			snprintf(where, sizeof(where), "%s%s", p.func, p.is_return ? "%return" : "");
		if (p.binary[0])
			snprintf(where + strlen(where), sizeof(where) - strlen(where), " in %s", p.binary);
		snprintf(name, sizeof(name), "%s:%s", p.group, p.event);
		printf("Added new event:\n  %-30s (on %s)\n\nYou can now use it in pstat and precord, such as:\n\n"
		       "\tprecord -e %s -a sleep 1\n\n", name, where, name);
	}
	return cmd__flush_stdout();
}
