/* What the recording's samples hit that cannot be resolved fully here: `preport --missing`
 * lists each DSO without symbols, debug info (source lines, inlined frames) or CFI (DWARF
 * unwinding), with its share of the samples and what would fix it; preport's header carries
 * one line when a sampled DSO has no symbols at all. */
#ifndef REPORT_HIST_MISSING_H
#define REPORT_HIST_MISSING_H

#include <stdio.h>

struct error;
struct session;

/* Replay @path and print the list. 0, or -errno with @err filled. */
int missing_report__run(const char *path, FILE *out, struct error *err);
/* One "# ..." line for a report header when a DSO that was looked up has no symbols
 * (nothing otherwise). */
void missing_report__header(struct session *s, FILE *out);

#endif
