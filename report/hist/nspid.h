/* preport --sort nspid's table: each task's tid inside its own pid namespace, from the
 * recording's PD_FEAT_NS_PIDS section (precord --namespaces, perfdata/nspid.h). Tasks it does
 * not name are in the recorder's pid namespace (or were recorded without --namespaces). */
#ifndef REPORT_HIST_NSPID_H
#define REPORT_HIST_NSPID_H

#include <stdint.h>

struct hist_nspids;
struct pd_reader;

/* The table of @r's section; an empty one when it has none. NULL on -ENOMEM. A malformed
 * section is warned about and read as none. */
struct hist_nspids *hist_nspids__new(struct pd_reader *r);
void hist_nspids__free(struct hist_nspids *t);
/* The tid, inside its pid namespace, of host tid @tid; 0 when the table does not name it. */
int32_t hist_nspids__nstid(const struct hist_nspids *t, int32_t tid);

#endif
