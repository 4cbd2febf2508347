/* Owns the metric definitions of pstat -M and their lookup by name or group. The machine this
 * was written on has no hardware PMU: every metric here divides software events, which every
 * Linux kernel counts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sampler/stat_metrics.h"
#include "util/array.h"

static const struct stat_metric_def metrics[] = {
	{ "context_switches_per_sec", "Scheduling;Software", "context-switches", "task-clock", 1e9,
	  "context switches/sec", "%10.2f", "Context switches per second of CPU time" },
	{ "cpus_utilized", "Scheduling;Software", "task-clock", NULL, 1, "CPUs utilized", "%8.3f",
	  "CPU time over the elapsed time" },
	{ "major_faults_pct", "Memory;Software", "major-faults", "page-faults", 100, "% major faults",
	  "%8.2f", "Share of the page faults that needed I/O" },
	{ "migrations_per_context_switch", "Scheduling;Software", "cpu-migrations", "context-switches", 1,
	  "migrations/switch", "%8.3f", "CPU migrations per context switch" },
	{ "page_faults_per_sec", "Memory;Software", "page-faults", "task-clock", 1e9, "faults/sec",
	  "%10.2f", "Page faults per second of CPU time" },
};

const struct stat_metric_def *stat_metrics__table(size_t *n)
{
	*n = sizeof(metrics) / sizeof(metrics[0]);
	return metrics;
}

static int in_group(const struct stat_metric_def *m, const char *group, size_t glen)
{
	const char *g = m->groups;

	while (*g) {
		size_t n = strcspn(g, ";");

		if (n == glen && !strncasecmp(g, group, n))
			return 1;
		g += n + (g[n] == ';');
	}
	return 0;
}

static void add(const struct stat_metric_def **out, int *n, int max, const struct stat_metric_def *m)
{
	for (int i = 0; i < *n; i++)
		if (out[i] == m)
			return;
	if (*n < max)
		out[(*n)++] = m;
}

int stat_metrics__resolve(const char *list, const struct stat_metric_def **out, int max,
			  char *badbuf, size_t badlen)
{
	size_t nm = sizeof(metrics) / sizeof(metrics[0]);
	int n = 0;

	while (*list) {
		size_t len = strcspn(list, ",");
		int found = 0;

		for (size_t i = 0; i < nm; i++) {
			if ((strlen(metrics[i].name) == len && !strncasecmp(metrics[i].name, list, len)) ||
			    in_group(&metrics[i], list, len)) {
				add(out, &n, max, &metrics[i]);
				found = 1;
			}
		}
		if (!found) {
			snprintf(badbuf, badlen, "%.*s", (int)len, list);
			return -ENOENT;
		}
		list += len + (list[len] == ',');
	}
	return n;
}

static void add_event(char *buf, size_t len, const char *ev)
{
	size_t used = strlen(buf), evlen = strlen(ev);

	for (const char *p = buf; (p = strstr(p, ev)); p++)
		if ((p == buf || p[-1] == ',') && (p[evlen] == ',' || p[evlen] == 0))
			return;
	snprintf(buf + used, len - used, "%s%s", used ? "," : "", ev);
}

void stat_metrics__events(const struct stat_metric_def *const *m, int n, char *buf, size_t len)
{
	buf[0] = 0;
	for (int i = 0; i < n; i++) {
		add_event(buf, len, m[i]->num);
		if (m[i]->den)
			add_event(buf, len, m[i]->den);
	}
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

void stat_metrics__raw_dump(FILE *out, int groups)
{
	size_t nm = sizeof(metrics) / sizeof(metrics[0]);
	char seen[512] = "";

	for (size_t i = 0; i < nm; i++) {
		const char *g = metrics[i].groups;

		if (!groups) {
			fprintf(out, "%s ", metrics[i].name);
			continue;
		}
		while (*g) {
			size_t n = strcspn(g, ";");
			char name[64];

			snprintf(name, sizeof(name), "%.*s", (int)n, g);
			add_event(seen, sizeof(seen), name);
			g += n + (g[n] == ';');
		}
	}
	if (!groups)
		return;
	{
		char names[16][64];
		int k = 0;

		for (char *p = seen; *p && k < 16;) {
			size_t n = strcspn(p, ",");

			snprintf(names[k++], sizeof(names[0]), "%.*s", (int)n, p);
			p += n + (p[n] == ',');
		}
		array__sort(names, k, sizeof(names[0]), cmp_name);
		for (int i = 0; i < k; i++)
			fprintf(out, "%s ", names[i]);
	}
}
