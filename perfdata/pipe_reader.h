/* Reading pipe-mode perf.data.
 * Standard input as a perf.data file for "-i -": a pipe (perf record -o - | preport -i -) is
 * copied into an unlinked temporary file (in $TMPDIR, else /tmp) put in place of fd 0, so the
 * reader maps it as any file, and later opens of "-" by the same command read it again.
 * A pipe-mode stream (from a pipe or in a file) is read through its file-mode image: the
 * stream's HEADER_ATTR records become the attrs (with their ids), its HEADER_FEATURE and
 * HEADER_TRACING_DATA records the feature sections, its HEADER_BUILD_ID records the BUILD_ID
 * feature, every other record the data section, in stream order. A stream cut short keeps
 * its last bytes in the data section, where the reader says how many could not be read. */
#ifndef PERFDATA_PIPE_READER_H
#define PERFDATA_PIPE_READER_H

#include <stdbool.h>
#include <stdint.h>

#include "util/error.h"

/* The first 16 bytes of a pipe stream: magic, then size 16. */
bool pd_pipe__is_header(const void *first16);

/* fd 0 made a regular file (copied when it is a pipe or a device); returns a new fd (dup) of
 * it at offset 0, or -errno with @err set. */
int pd_pipe__stdin(struct error *err);

/* Write the file-mode image of the stream @in (@len bytes, its 16-byte header first) to @fd
 * (positional writes from offset 0). 0, or -errno with @err filled (-EBADMSG: no attr). */
int pd_pipe__convert(const uint8_t *in, uint64_t len, int fd, struct error *err);

#endif
