/* PMUs from sysfs (/sys/bus/event_source/devices/NAME): type, format fields, event aliases. */
#ifndef SAMPLER_PMU_H
#define SAMPLER_PMU_H

#include <linux/perf_event.h>
#include <stdbool.h>

struct pmu_event_info {
	char name[128];		/* a name= term, if any */
	double scale;		/* from events/ALIAS.scale, 1.0 otherwise */
	char unit[32];		/* from events/ALIAS.unit */
};

/* True when sysfs has a PMU of this name. */
bool pmu__exists(const char *pmu);

struct error;

/* Fill attr from "term=val,term,alias" against PMU's format/ and events/ files.
 * Returns 0, or -errno with *err (may be NULL) set: pos = the offset of the bad term in
 * @terms, msg = what is wrong with it. */
int pmu__parse_terms(const char *pmu, const char *terms, struct perf_event_attr *attr,
		     struct pmu_event_info *info, struct error *err);

/* Place val into the bits a format spec ("config:0-7,32-35") names. Exposed for tests. */
int pmu__format_apply(const char *format, unsigned long long val, struct perf_event_attr *attr);

#endif
