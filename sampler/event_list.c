/* Owns plist's listing: which events exist here, their kinds, filtering, perf list's layout.
 * Hardware and cache events are listed only when the kernel opens them, as perf does. */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sampler/event_list.h"
#include "sampler/event_names.h"
#include "sampler/tracefs.h"
#include "util/array.h"

enum kind { K_HW, K_SW, K_CACHE, K_PMU, K_RAW, K_TP, K_TOOL };

static const char *const kind_label[] = {
	[K_HW] = "Hardware event", [K_SW] = "Software event", [K_CACHE] = "Hardware cache event",
	[K_PMU] = "Kernel PMU event", [K_RAW] = "Raw hardware event descriptor",
	[K_TP] = "Tracepoint event", [K_TOOL] = "Tool event",
};

struct lister {
	FILE *out;
	const char *filter;
	enum { F_ALL, F_KIND, F_GLOB, F_WORD } mode;
	enum kind kind;
	int printed;
	bool raw;		/* --raw-dump: the names, each followed by a space */
};

static bool match(struct lister *l, enum kind kind, const char *name)
{
	switch (l->mode) {
	case F_ALL: return true;
	case F_KIND: return l->kind == kind || (l->kind == K_SW && kind == K_TOOL);
	case F_GLOB: return fnmatch(l->filter, name, 0) == 0;
	case F_WORD: return strstr(name, l->filter) != NULL;
	}
	return false;
}

static void emit(struct lister *l, enum kind kind, const char *name, const char *alias)
{
	char buf[256];

	if (!match(l, kind, name) && !(alias && match(l, kind, alias)))
		return;
	if (l->raw) {
		fprintf(l->out, "%s ", name);	/* perf leaves the aliases out */
		l->printed++;
		return;
	}
	if (alias)
		snprintf(buf, sizeof(buf), "%s OR %s", name, alias);
	else
		snprintf(buf, sizeof(buf), "%s", name);
	fprintf(l->out, "  %-50s [%s]\n", buf, kind_label[kind]);
	l->printed++;
}

/* Does the kernel open this event for the calling process, user space only? */
static bool kernel_accepts(unsigned int type, unsigned long long config)
{
	struct perf_event_attr attr = {
		.type = type, .size = sizeof(attr), .config = config,
		.disabled = 1, .exclude_kernel = 1, .exclude_hv = 1,
	};
	int fd = (int)syscall(__NR_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct event_name *)a)->name, ((const struct event_name *)b)->name);
}

static void list_table(struct lister *l, const struct event_name *table, enum kind kind)
{
	struct event_name sorted[64];
	int n = 0;

	for (; table->name && n < 64; table++)
		sorted[n++] = *table;
	array__sort(sorted, n, sizeof(sorted[0]), cmp_name);
	for (int i = 0; i < n; i++)
		if (kernel_accepts(sorted[i].type, sorted[i].config))
			emit(l, kind, sorted[i].name, sorted[i].alias);
}

/* perf's tool events (counted by pstat itself, no kernel counter), after the software ones. */
static void list_tools(struct lister *l)
{
	for (const struct event_name *t = event_names_tool; t->name; t++)
		emit(l, K_TOOL, t->name, NULL);
}

static void list_cache(struct lister *l)
{
	static const char *const caches[] = { "L1-dcache", "L1-icache", "LLC", "dTLB", "iTLB", "branch", "node" };
	static const char *const ops[] = { "load", "store", "prefetch" };
	static const char *const results[] = { "s", "-misses" };	/* "loads", "load-misses" */

	for (int c = 0; c < 7; c++)
		for (int o = 0; o < 3; o++)
			for (int r = 0; r < 2; r++) {
				char name[64];

				if (!kernel_accepts(PERF_TYPE_HW_CACHE, c | (o << 8) | (r << 16)))
					continue;
				snprintf(name, sizeof(name), "%s-%s%s", caches[c],
					 o == 2 && r == 0 ? "prefetche" : ops[o], results[r]);
				emit(l, K_CACHE, name, NULL);
			}
}

static int filter_entry(const struct dirent *de)
{
	size_t n = strlen(de->d_name);

	if (de->d_name[0] == '.')
		return 0;
	/* events/NAME.scale, .unit, .per-pkg, .snapshot describe NAME; they are not events */
	return !strchr(de->d_name, '.') || n < 2;
}

static void list_pmu(struct lister *l)
{
	const char *root = "/sys/bus/event_source/devices";
	struct dirent **pmus;
	int npmu = scandir(root, &pmus, filter_entry, alphasort);

	for (int i = 0; i < npmu; i++) {
		char path[512];
		struct dirent **evs;
		int nev;

		snprintf(path, sizeof(path), "%s/%s/events", root, pmus[i]->d_name);
		nev = scandir(path, &evs, filter_entry, alphasort);
		for (int j = 0; j < nev; j++) {
			char name[300];

			snprintf(name, sizeof(name), "%s/%s/", pmus[i]->d_name, evs[j]->d_name);
			emit(l, K_PMU, name, NULL);
			free(evs[j]);
		}
		if (nev > 0)
			free(evs);
		free(pmus[i]);
	}
	if (npmu > 0)
		free(pmus);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_tracepoints(struct lister *l)
{
	const char *mnt = tracefs__mountpoint();
	char path[256], line[512], **names = NULL;
	size_t n = 0, alloc = 0;
	FILE *f;

	if (!mnt)
		return l->mode == F_KIND && l->kind == K_TP ? -ENODEV : 0;
	snprintf(path, sizeof(path), "%s/available_events", mnt);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (!line[0])
			continue;
		if (ARRAY_GROW(names, alloc, n + 1))
			break;
		names[n] = strdup(line);
		if (names[n])
			n++;
	}
	fclose(f);
	/* ftrace's own events with an id (function, print) are not in available_events */
	snprintf(path, sizeof(path), "%s/events/ftrace", mnt);
	{
		struct dirent **evs;
		int nev = scandir(path, &evs, filter_entry, alphasort);

		for (int j = 0; j < nev; j++) {
			char id[512];

			snprintf(id, sizeof(id), "%s/%s/id", path, evs[j]->d_name);
			if (access(id, F_OK) == 0 && !ARRAY_GROW(names, alloc, n + 1)) {
				snprintf(line, sizeof(line), "ftrace:%s", evs[j]->d_name);
				names[n] = strdup(line);
				if (names[n])
					n++;
			}
			free(evs[j]);
		}
		if (nev > 0)
			free(evs);
	}
	array__sort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		emit(l, K_TP, names[i], NULL);
		free(names[i]);
	}
	free(names);
	return 0;
}

static const struct {
	const char *word;
	enum kind kind;
} kinds[] = {
	{ "hw", K_HW }, { "hardware", K_HW }, { "sw", K_SW }, { "software", K_SW },
	{ "cache", K_CACHE }, { "hwcache", K_CACHE }, { "pmu", K_PMU },
	{ "tracepoint", K_TP }, { "tracepoints", K_TP },
};

bool event_list__is_kind(const char *filter)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(filter, kinds[i].word))
			return true;
	return false;
}

int event_list__raw_dump(FILE *out, const char *kind)
{
	struct lister l = { .out = out, .mode = F_ALL, .raw = true };
	int err;

	if (kind) {
		l.mode = F_KIND;
		for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			if (!strcmp(kind, kinds[i].word))
				l.kind = kinds[i].kind;
		if (!event_list__is_kind(kind))
			return -EINVAL;
	}
	list_table(&l, event_names_hw, K_HW);
	list_table(&l, event_names_sw, K_SW);
	list_tools(&l);
	list_cache(&l);
	list_pmu(&l);
	err = list_tracepoints(&l);
	return err < 0 ? err : l.printed;
}

int event_list__print(FILE *out, const char *filter)
{
	struct lister l = { .out = out, .filter = filter, .mode = F_ALL };
	int err;

	if (filter) {
		l.mode = strpbrk(filter, "*?[") ? F_GLOB : F_WORD;
		for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			if (!strcmp(filter, kinds[i].word)) {
				l.mode = F_KIND;
				l.kind = kinds[i].kind;
			}
	}
	list_table(&l, event_names_hw, K_HW);
	list_table(&l, event_names_sw, K_SW);
	list_tools(&l);
	list_cache(&l);
	list_pmu(&l);
	if (l.mode == F_ALL) {
		emit(&l, K_RAW, "rNNN", NULL);
		emit(&l, K_RAW, "cpu/t1=v1[,t2=v2,t3 ...]/modifier", NULL);
	}
	err = list_tracepoints(&l);
	return err < 0 ? err : l.printed;
}
