/* plist: list the events this machine offers, as perf list does. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/common/common.h"
#include "perfdata/buildid.h"
#include "sampler/event_list.h"
#include "sampler/probe_sdt.h"
#include "sampler/stat_metrics.h"
#include "util/log.h"

static const char usage_text[] =
	"Usage: plist [-x BINARY] [FILTER]\n"
	"       plist --raw-dump [hw|sw|cache|tracepoint|pmu|sdt|metrics|metricgroups]\n"
	"List the events pstat -e and precord -e accept here.\n\n"
	"  FILTER                     hw, sw, cache, pmu, tracepoint; a glob ('sched:*'); or a word ('syscalls')\n"
	"      --raw-dump [KIND]      the names only, space-separated (for scripts and shell completion)\n"
	"  -x, --exec BINARY          sdt: the USDT markers of BINARY too (besides perf's build-id cache)\n"
	"      --list-opts            plist's long options (for shell completion)\n"
	"  -h, --help                 this help\n";

static const struct option longopts[] = {
	{ "raw-dump", no_argument, 0, 'R' },
	{ "exec", required_argument, 0, 'x' },
	{ "help", no_argument, 0, 'h' },
	{ 0, 0, 0, 0 },
};

struct sdt_ctx {
	bool raw;
	const char *path;	/* the binary as listed */
	char buildid[16];	/* its first 12 hex digits */
	int n;
	char pend[160], pend_path[4096], pend_id[48];	/* the cached marker not printed yet */
	bool pend_same;		/* it has the name of the one before */
};

static int sdt_one(const struct probe_sdt *m, void *arg)
{
	struct sdt_ctx *c = arg;
	char name[160];

	snprintf(name, sizeof(name), "sdt_%s:%s", m->provider, m->name);
	if (c->raw)
		printf("%s ", name);
	else {
		char full[4400];

		snprintf(full, sizeof(full), "%s@%s(%s)", name, c->path, c->buildid);
		printf("  %-50s [SDT event]\n", full);
	}
	c->n++;
	return 0;
}

/* plist sdt: perf names a marker's binary (NAME@PATH(BUILDID)) only where several cached
 * binaries have that name, so each line waits for the next. */
static void sdt_flush(struct sdt_ctx *c, bool next_same)
{
	char full[4400];

	if (!c->pend[0])
		return;
	if (c->pend_same || next_same)
		snprintf(full, sizeof(full), "%s@%s(%.12s)", c->pend, c->pend_path, c->pend_id);
	else
		snprintf(full, sizeof(full), "%s", c->pend);
	printf("  %-50s [SDT event]\n", full);
	c->pend_same = next_same;
}

static int sdt_cached(const char *name, const char *orig, const char *buildid, void *arg)
{
	struct sdt_ctx *c = arg;

	c->n++;
	if (c->raw) {
		printf("%s ", name);
		return 0;
	}
	sdt_flush(c, !strcmp(c->pend, name));
	snprintf(c->pend, sizeof(c->pend), "%s", name);
	snprintf(c->pend_path, sizeof(c->pend_path), "%s", orig);
	snprintf(c->pend_id, sizeof(c->pend_id), "%s", buildid);
	return 0;
}

/* plist sdt: the markers of -x BINARY and of the binaries in perf's build-id cache. */
static int list_sdt(const char *binary, bool raw)
{
	struct sdt_ctx c = { .raw = raw };

	if (binary) {
		uint8_t id[PD_BUILD_ID_MAX];
		char abs[4096];
		int n = pd_buildid__from_elf(binary, id);

		c.path = realpath(binary, abs) ? abs : binary;
		c.buildid[0] = 0;
		for (int i = 0; i < 6 && n > i; i++)
			snprintf(c.buildid + 2 * i, sizeof(c.buildid) - 2 * i, "%02x", id[i]);
		n = probe_sdt__for_each(binary, sdt_one, &c);
		if (n < 0 && n != -ENODATA) {
			fprintf(stderr, "plist: cannot read '%s': %s\n", binary, strerror(-n));
			return 1;
		}
	}
	probe_sdt__cached(sdt_cached, &c);
	sdt_flush(&c, false);
	return cmd__flush_stdout();
}

/* --raw-dump [KIND]: 0 or the exit code's reason on stderr. */
static int raw_dump(const char *kind, const char *binary)
{
	int n = 0;

	if (kind && !strcmp(kind, "metrics"))
		stat_metrics__raw_dump(stdout, 0);
	else if (kind && !strcmp(kind, "metricgroups"))
		stat_metrics__raw_dump(stdout, 1);
	else if (kind && !strcmp(kind, "sdt"))
		return list_sdt(binary, true);
	else
		n = event_list__raw_dump(stdout, kind);
	if (!kind && n >= 0) {	/* perf puts its build-id cache's markers last */
		struct sdt_ctx c = { .raw = true };

		probe_sdt__cached(sdt_cached, &c);
	}
	if (n == -EINVAL)
		return cmd__usage_error("--raw-dump takes hw, sw, cache, tracepoint, pmu, sdt, metrics or metricgroups, not '%s'",
					kind);
	if (n < 0 && n != -ENODEV) {
		fprintf(stderr, "plist: cannot list the events: %s\n", strerror(-n));
		return 1;
	}
	return cmd__flush_stdout();
}

int main(int argc, char **argv)
{
	const char *filter = NULL, *binary = NULL;
	bool raw = false;
	int c, n;

	log_set_prog("plist");
	while ((c = cmd__getopt(argc, argv, "x:h", longopts)) != -1) {
		switch (c) {
		case 'x': binary = optarg; break;
		case 'R': raw = true; break;
		case 'h': fputs(usage_text, stdout); return cmd__flush_stdout();
		default: return cmd__usage_error(NULL);
		}
	}
	if (argc - optind > 1)
		return cmd__usage_error("one filter at a time, not '%s'", argv[optind + 1]);
	if (optind < argc)
		filter = argv[optind];
	if (raw)
		return raw_dump(filter, binary);
	if (filter && !strcmp(filter, "sdt"))
		return list_sdt(binary, false);
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
