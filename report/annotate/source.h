/* Source files read once for annotation: the text of line N of a file, by path (a
 * relative file name joined to its compilation directory). */
#ifndef REPORT_ANNOTATE_SOURCE_H
#define REPORT_ANNOTATE_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "perfdata/buildid.h"

struct annotate_src;

struct annotate_src *annotate_src__new(void);
void annotate_src__free(struct annotate_src *s);
/* The build-id of the DSO whose lines come next: a source file missing here is asked of the
 * debuginfod servers by it (symbols/debuginfod.h); size 0: not asked. */
void annotate_src__set_build_id(struct annotate_src *s, const uint8_t *id, size_t size);
/* Line @line (1-based) of dir/file (file alone when absolute or dir is NULL), without
 * its newline and leading blanks; *len gets its length. NULL when the file cannot be
 * read or is shorter. The text stays valid until annotate_src__free(). */
const char *annotate_src__line(struct annotate_src *s, const char *dir, const char *file, int line,
			       size_t *len);
/* The same line with its indentation (objdump -S prints it so) */
const char *annotate_src__line_raw(struct annotate_src *s, const char *dir, const char *file,
				   int line, size_t *len);

#endif
