/* Pipe-mode perf.data (perf record -o -) turned into the file-mode layout, so that one reader
 * walks both: the stream's HEADER_ATTR records become the attrs (with their ids), its
 * HEADER_FEATURE and HEADER_TRACING_DATA records the feature sections, every other record the
 * data section, in stream order. A stream cut short keeps its last bytes in the data section,
 * where the reader says how many could not be read. */
#ifndef PERFDATA_PIPE_H
#define PERFDATA_PIPE_H

#include <stdint.h>

#include "perfdata/format.h"
#include "util/error.h"

/* Write the file-mode image of the stream @in (@len bytes, its 16-byte header first) to @fd
 * (positional writes from offset 0). 0, or -errno with @err filled (-EBADMSG: no attr). */
int pd_pipe__convert(const uint8_t *in, uint64_t len, int fd, struct error *err);

#endif
