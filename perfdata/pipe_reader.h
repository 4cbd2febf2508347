/* Standard input as a perf.data file for "-i -": a pipe (perf record -o - | preport -i -) is
 * copied into an unlinked temporary file (in $TMPDIR, else /tmp) put in place of fd 0, so the
 * reader maps it as any file (a pipe-mode stream is then converted by perfdata/pipe.h), and
 * later opens of "-" by the same command read it again. */
#ifndef PERFDATA_PIPE_READER_H
#define PERFDATA_PIPE_READER_H

#include <stdbool.h>

#include "util/error.h"

/* The first 16 bytes of a pipe stream: magic, then size 16. */
bool pd_pipe__is_header(const void *first16);

/* fd 0 made a regular file (copied when it is a pipe or a device); returns a new fd (dup) of
 * it at offset 0, or -errno with @err set. */
int pd_pipe__stdin(struct error *err);

#endif
