/* What the recorder knows of processes that see other files than it does: another mount
 * namespace (a container, `unshare -m`) or another root (a chroot). Their DSOs are opened
 * through /proc/PID/root/PATH while they run (perfdata/hits.h's opener: the build-ids and the
 * build-id cache copies come from those files), and their JIT maps, which they write as
 * /tmp/perf-NSPID.map with their own pid in their own /tmp, are copied at the end to this
 * side's /tmp/perf-PID.map, where the readers look.
 *
 *	struct nsinfo *ns = nsinfo__new();
 *	pd_hits__set_opener(hits, nsinfo__open, ns);
 *	... record ...
 *	nsinfo__copy_jit_maps(ns);
 *	nsinfo__free(ns);
 */
#ifndef SAMPLER_NSINFO_H
#define SAMPLER_NSINFO_H

#include <stdint.h>

struct nsinfo;

struct nsinfo *nsinfo__new(void);
void nsinfo__free(struct nsinfo *ns);
/* pd_hits_open_fn: an fd of @name as process @pid sees it when that is not the file this
 * process sees at @name; -EEXIST (the same file), -ENOENT or another -errno. "//anon" maps
 * of such a process (and of one in another pid namespace) open its /tmp instead, kept here
 * for nsinfo__copy_jit_maps, and give -ENOENT. */
int nsinfo__open(void *ns, int32_t pid, const char *name);
/* /tmp/perf-PID.map from each JIT map opened, unless one is there already. How many. */
int nsinfo__copy_jit_maps(struct nsinfo *ns);
/* The pid of @pid in its own (innermost) pid namespace: NSpid's last field; @pid when it
 * has none or is gone. */
int32_t nsinfo__nspid(int32_t pid);

#endif
