/* The records of perf's pipe format that carry what a file keeps in its header (the writer's
 * pipe mode calls these; see perfdata/writer.h):
 *   start      {u64 magic; u64 16}, one HEADER_ATTR per event (attr, then its ids), and an
 *              EVENT_UPDATE NAME per event (perf names pipe events so)
 *   feature    HEADER_FEATURE {u64 feat; payload}; TRACING_DATA as its own record with the
 *              payload after it (outside header.size), BUILD_ID as HEADER_BUILD_ID records
 *   end        HEADER_FEATURE with feat HEADER_LAST_FEATURE: the features are complete */
#ifndef PERFDATA_PIPE_WRITER_H
#define PERFDATA_PIPE_WRITER_H

#include <stddef.h>

#include "perfdata/writer.h"

int pd_pipe__start(struct pd_writer *w, const struct pd_event_desc *evs, size_t nr);
int pd_pipe__feature(struct pd_writer *w, enum pd_feature feat, const void *payload, size_t size);
/* After the features a recorder knows at start; nothing in file mode. */
int pd_pipe__end_features(struct pd_writer *w);

#endif
