/* plist: list the events this machine offers, as perf list does. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd/common/common.h"
#include "sampler/event_list.h"
#include "sampler/stat_metrics.h"
#include "util/log.h"

static const char usage_text[] =
	"Usage: plist [FILTER]\n"
	"       plist --raw-dump [hw|sw|cache|tracepoint|pmu|sdt|metrics|metricgroups]\n"
	"List the events pstat -e and precord -e accept here.\n\n"
	"  FILTER                     hw, sw, cache, pmu, tracepoint; a glob ('sched:*'); or a word ('syscalls')\n"
	"      --raw-dump [KIND]      the names only, space-separated (for scripts and shell completion)\n"
	"      --list-opts            plist's long options (for shell completion)\n"
	"  -h, --help                 this help\n";

static const struct option longopts[] = {
	{ "raw-dump", no_argument, 0, 'R' },
	{ "list-opts", no_argument, 0, 'O' },
	{ "help", no_argument, 0, 'h' },
	{ 0, 0, 0, 0 },
};

/* --raw-dump [KIND]: 0 or the exit code's reason on stderr. */
static int raw_dump(const char *kind)
{
	int n = 0;

	if (kind && !strcmp(kind, "metrics"))
		stat_metrics__raw_dump(stdout, 0);
	else if (kind && !strcmp(kind, "metricgroups"))
		stat_metrics__raw_dump(stdout, 1);
	else if (kind && !strcmp(kind, "sdt"))
		;	/* no SDT markers are cached here: see docs/cli.md */
	else
		n = event_list__raw_dump(stdout, kind);
	if (n == -EINVAL) {
		fprintf(stderr, "plist: --raw-dump takes hw, sw, cache, tracepoint, pmu, sdt, metrics or metricgroups, not '%s'\n",
			kind);
		return 129;
	}
	if (n < 0 && n != -ENODEV) {
		fprintf(stderr, "plist: cannot list the events: %s\n", strerror(-n));
		return 1;
	}
	return cmd__flush_stdout();
}

int main(int argc, char **argv)
{
	const char *filter = NULL;
	bool raw = false;
	int c, n;

	log_set_prog("plist");
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case 'R': raw = true; break;
		case 'O':
			for (const struct option *o = longopts; o->name; o++)
				printf("--%s ", o->name);
			return cmd__flush_stdout();
		case 'h': fputs(usage_text, stdout); return cmd__flush_stdout();
		default: fputs(usage_text, stderr); return 129;
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, "plist: one FILTER at most (see plist --help)\n");
		return 129;
	}
	if (optind < argc)
		filter = argv[optind];
	if (raw)
		return raw_dump(filter);
	n = event_list__print(stdout, filter);
	if (n == -ENODEV) {
		fprintf(stderr, "plist: tracefs is not mounted: mount -t tracefs nodev /sys/kernel/tracing\n");
		return 1;
	}
	if (n < 0) {
		fprintf(stderr, "plist: cannot list the events: %s\n", strerror(-n));
		return 1;
	}
	if (n == 0 && filter && !event_list__is_kind(filter)) {
		fprintf(stderr, "plist: no event matches '%s'\n", filter);
		return 1;
	}
	return cmd__flush_stdout();
}
