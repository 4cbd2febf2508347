/* The pids, inside their own pid namespace, of the recorded tasks that live in another pid
 * namespace than the recorder (precord --namespaces): found from the NAMESPACES records (the
 * kernel's at each fork and unshare, the synthesized ones for the tasks already running),
 * whose pid-namespace inode tells them apart without a look at /proc for tasks of ours; the
 * others' NStgid and NSpid are read from /proc/TID/status then. Written at the end as the
 * PD_FEAT_NS_PIDS section (perfdata/nspid.h).
 *
 *	struct nspids *t = nspids__new();
 *	nspids__scan(t, buf, len);	// every chunk of records written
 *	nspids__write(t, w);
 *	nspids__free(t);
 */
#ifndef SAMPLER_NSPIDS_H
#define SAMPLER_NSPIDS_H

#include <stddef.h>

struct nspids;
struct pd_writer;

/* NULL with errno set when this process's own pid namespace cannot be read. */
struct nspids *nspids__new(void);
void nspids__free(struct nspids *t);
/* Look at the NAMESPACES records among the records in @buf. A task gone before its record
 * is read is left out (its status is no more). */
void nspids__scan(struct nspids *t, const void *buf, size_t len);
/* How many tasks of other pid namespaces were seen. */
size_t nspids__nr(const struct nspids *t);
/* The section, when there is at least one such task. 0 or -errno. */
int nspids__write(const struct nspids *t, struct pd_writer *w);

#endif
