/* JSON strings for pfold's exports (heat map page, speedscope, trace events): quotes,
 * backslashes and control bytes escaped, '<' as \u003c so a string can sit inside an
 * HTML <script>, and bytes that are not UTF-8 replaced by U+FFFD, so a document stays
 * valid whatever a symbol name holds. */
#ifndef REPORT_FOLD_JSON_H
#define REPORT_FOLD_JSON_H

#include <stddef.h>
#include <stdio.h>

void fold_json__str(FILE *out, const char *s, size_t n);

#endif
