/* Reading precord --off-cpu files (perfdata/offcpu.h): which events are the off-CPU ones and
 * what an offcpu-time or a weighted sched_waking sample says. Shared by preport, pfold and
 * pscript. */
#ifndef REPORT_SESSION_OFFCPU_H
#define REPORT_SESSION_OFFCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "perfdata/offcpu.h"
#include "perfdata/reader.h"
#include "perfdata/sample.h"

/* The offcpu-time event of precord --off-cpu. */
bool session_offcpu__is(const struct pd_evsel *e);
/* sched:sched_waking (weighted by the wait it ended in --off-cpu=wakers files). */
bool session_offcpu__is_waking(const struct pd_evsel *e);
/* The first offcpu-time evsel of the file, or NULL. */
struct pd_evsel *session_offcpu__find(struct pd_reader *r);
/* The RAW payload of an offcpu-time sample; false when it has none (then *raw is zeroed). */
bool session_offcpu__raw(const struct pd_sample *s, struct offcpu_raw *raw);
/* The woken task of a sched_waking sample: comm (NUL-terminated) and pid; false if no RAW. */
bool session_offcpu__wakee(const struct pd_sample *s, char comm[17], uint32_t *pid);

#endif
