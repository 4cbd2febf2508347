/* Tracepoint formats from the TRACING_DATA feature, fed to libtraceevent, so that the raw
 * data of tracepoint samples can be printed field by field as perf does. */
#ifndef PERFDATA_TRACING_H
#define PERFDATA_TRACING_H

#include <stddef.h>

#include "perfdata/reader.h"
#include "perfdata/sample.h"

struct tracing;

/* Parse the file's TRACING_DATA feature. 0, or -EBADMSG (corrupt) / -ENOENT (absent). */
int tracing__open(struct pd_reader *r, struct tracing **out, struct error *err);
void tracing__close(struct tracing *t);
/* Print the sample's fields ("prev_comm=... prev_pid=...") into buf; returns the length
 * (truncated to len-1), or -ENOENT if the event's format is unknown. */
int tracing__format(struct tracing *t, const struct pd_evsel *evsel, const struct pd_sample *s,
		    char *buf, size_t len);
/* Where the field @name of the tracepoint @evsel lies in a sample's raw data: 0 with
 * *offset and *size, or -ENOENT (no such event or field). */
int tracing__field(struct tracing *t, const struct pd_evsel *evsel, const char *name,
		   unsigned int *offset, unsigned int *size);
/* "system:name" of a tracepoint id, or NULL. */
const char *tracing__event_name(struct tracing *t, unsigned long long id, char *buf, size_t len);

#endif
