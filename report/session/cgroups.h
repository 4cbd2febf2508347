/* The cgroups a recording names (PERF_RECORD_CGROUP: a 64-bit id and the path from the
 * cgroup mount), for the cgroup id each sample carries (precord --all-cgroups). */
#ifndef REPORT_SESSION_CGROUPS_H
#define REPORT_SESSION_CGROUPS_H

#include <stddef.h>
#include <stdint.h>

struct cgroups;

struct cgroups *cgroups__new(void);
void cgroups__free(struct cgroups *c);
/* A PERF_RECORD_CGROUP's body (after the header, @len bytes): id then a NUL-terminated path.
 * A later record of the same id renames it. 0, -EINVAL (too short) or -ENOMEM. */
int cgroups__add_record(struct cgroups *c, const void *body, size_t len);
/* The path of @id, valid until cgroups__free; NULL when no record named it. */
const char *cgroups__name(const struct cgroups *c, uint64_t id);

#endif
