/* perf's per-event config terms, accepted after any event (symbolic, raw, cache, PMU,
 * tracepoint): EV/period=N,freq=N,max-stack=N,call-graph=fp|dwarf[,SIZE]|no,stack-size=N,
 * no-inherit,inherit,name=X/. They override the command's -c/-F/-g/--call-graph for that
 * event only; what they set is kept in the evsel (struct evsel_cfg) for the recorder. */
#ifndef SAMPLER_EVENT_TERMS_H
#define SAMPLER_EVENT_TERMS_H

#include <stddef.h>

#include "sampler/evsel.h"

struct error;

/* Split the comma-separated @terms: the generic ones go into @cfg (and name=X into @name when
 * @name is not NULL), every other term is copied to @rest (comma-separated, for a PMU's own
 * format terms). 0, or -EINVAL with err->pos the byte of @terms that is wrong. */
int event_terms__split(const char *terms, struct evsel_cfg *cfg, char *name, size_t name_size,
		       char *rest, size_t rest_size, struct error *err);

#endif
