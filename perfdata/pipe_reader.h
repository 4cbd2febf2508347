/* Reading perf's pipe format (`perf record -o -`, `precord -o -`): a 16-byte header, then
 * attrs, features, tracing data, event names and build-ids as records among the data.
 *
 * The stream is turned once into an unlinked PERFILE2 temporary file (in $TMPDIR, else /tmp),
 * which the file reader then maps as any other: attrs and ids from HEADER_ATTR, feature
 * sections from HEADER_FEATURE, TRACING_DATA from its record (payload outside header.size),
 * BUILD_ID from HEADER_BUILD_ID records, event names from EVENT_UPDATE; every other record is
 * copied into the data section in stream order. Nothing is kept in memory but the headers. */
#ifndef PERFDATA_PIPE_READER_H
#define PERFDATA_PIPE_READER_H

#include <stdbool.h>

#include "util/error.h"

/* The first 16 bytes of a pipe stream: magic, then size 16. */
bool pd_pipe__is_header(const void *first16);

/* Read the pipe stream on @in_fd from where it stands to EOF; returns the fd of the file-mode
 * copy (offset 0), or -errno with @err set ("@name: ..."). */
int pd_pipe__to_file(int in_fd, const char *name, struct error *err);

/* Standard input as a readable perf.data file for "-i -": a pipe (or a regular file) holding
 * a pipe stream is converted and the copy put in place of fd 0, so later opens of "-" by the
 * same command read it again; a regular file in file mode stays. Returns a new fd (dup) of
 * fd 0 at that point, or -errno with @err set. */
int pd_pipe__stdin(struct error *err);

/* Make fd 0 seekable without looking at what it holds (pfold's "-", which may be folded text):
 * a pipe or device is copied into an unlinked temporary file put in place of fd 0. 0 or
 * -errno with @err set. */
int pd_pipe__stdin_seekable(struct error *err);

#endif
