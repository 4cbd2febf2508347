/* plist: list the events this machine offers, as perf list does. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd/common/common.h"
#include "sampler/event_list.h"
#include "util/log.h"

struct plist_args {
	const char *filter;
};

int main(int argc, char **argv)
{
	struct plist_args a = { .filter = NULL };
	int n;

	log_set_prog("plist");
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("Usage: plist [FILTER]\n"
		       "  FILTER: hw, sw, cache, pmu, tracepoint; a glob ('sched:*'); or a word ('syscalls')\n");
		return 0;
	}
	if (argc > 2)
		return cmd__usage_error("one filter at a time, not '%s'", argv[2]);
	if (argc == 2 && argv[1][0] == '-')
		return cmd__usage_error("unknown option '%s'", argv[1]);
	if (argc == 2)
		a.filter = argv[1];
	n = event_list__print(stdout, a.filter);
	if (n == -ENODEV) {
		fprintf(stderr, "plist: tracefs is not mounted: mount -t tracefs nodev /sys/kernel/tracing\n");
		return 1;
	}
	if (n < 0) {
		fprintf(stderr, "plist: cannot list the events: %s\n", strerror(-n));
		return 1;
	}
	if (n == 0 && a.filter && !event_list__is_kind(a.filter)) {
		fprintf(stderr, "plist: no event matches '%s'\n", a.filter);
		return 1;
	}
	return cmd__flush_stdout();
}
