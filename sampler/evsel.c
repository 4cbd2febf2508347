/* Owns struct evsel: construction from an attr and a name, and the questions asked of one event. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sampler/evsel.h"

struct evsel *evsel__new(const struct perf_event_attr *attr, const char *name)
{
	struct evsel *evsel = calloc(1, sizeof(*evsel));

	if (!evsel)
		return NULL;
	evsel->attr = *attr;
	evsel->attr.size = sizeof(evsel->attr);
	evsel->name = strdup(name);
	if (!evsel->name)
		goto err;
	evsel->scale = 1.0;
	evsel->supported = true;
	if (evsel__is_clock(evsel))
		strcpy(evsel->unit, "msec");
	return evsel;
err:
	evsel__free(evsel);
	errno = ENOMEM;
	return NULL;
}

void evsel__free(struct evsel *evsel)
{
	if (!evsel)
		return;
	free(evsel->name);
	free(evsel->filter);
	free(evsel->cgroup);
	free(evsel->fds);
	free(evsel->ids);
	free(evsel);
}

bool evsel__match(const struct evsel *evsel, uint32_t type, uint64_t config)
{
	return evsel->attr.type == type && evsel->attr.config == config;
}

bool evsel__is_clock(const struct evsel *evsel)
{
	return evsel__match(evsel, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK) ||
	       evsel__match(evsel, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK);
}
