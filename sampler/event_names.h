/* The symbolic event names perf users type: hardware, software, hw-cache, raw rNNNN. */
#ifndef SAMPLER_EVENT_NAMES_H
#define SAMPLER_EVENT_NAMES_H

#include <linux/perf_event.h>
#include <stddef.h>

/* Fill type/config for name[0..len). 0, or -ENOENT when it is not a symbolic name. */
int event_names__lookup(const char *name, size_t len, struct perf_event_attr *attr);

struct event_name {
	const char *name;
	const char *alias;	/* perf's other spelling, or NULL */
	unsigned int type;
	unsigned long long config;
};
/* The hardware and software tables, for listing (NULL-terminated). */
extern const struct event_name event_names_hw[];
extern const struct event_name event_names_sw[];
/* perf's tool events (duration_time, user_time, system_time): a dummy software event for the
 * kernel, counted by pstat itself. Index + 1 is the tool id (enum evsel_tool). */
extern const struct event_name event_names_tool[];
/* The tool id of name[0..len) (modifiers excluded), or 0. */
int event_names__tool(const char *name, size_t len);

#endif
