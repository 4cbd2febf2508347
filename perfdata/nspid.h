/* The namespace-pids feature section (PD_FEAT_NS_PIDS, precord --namespaces): for each task
 * recorded whose pid namespace is not the recorder's (a container, `unshare -p`), its pid and
 * tid as seen inside its own (innermost) pid namespace, read from /proc/PID/status (NStgid,
 * NSpid) when the recorder first saw it. perf.data has no place for them: NAMESPACES records
 * carry the namespaces' device and inode numbers only. Layout, native-endian:
 *	u32 magic "PNSP", u32 version (1), u32 nr, u32 0
 *	nr x {s32 pid, tid (host), nspid, nstid (inside); u64 pidns_ino}
 * perf 6.1 skips the section (a feature bit it does not know). */
#ifndef PERFDATA_NSPID_H
#define PERFDATA_NSPID_H

#include <stddef.h>
#include <stdint.h>

#define PD_NSPID_MAGIC	0x50534e50u	/* "PNSP" */

struct pd_writer;

struct pd_nspid {
	int32_t pid, tid;		/* the host's */
	int32_t nspid, nstid;		/* in the task's own pid namespace */
	uint64_t pidns_ino;		/* inode of /proc/TID/ns/pid */
};

/* The section for @nr entries (none written when @nr is 0). 0 or -errno. */
int pd_nspid__write(struct pd_writer *w, const struct pd_nspid *e, size_t nr);
/* The number of entries of section @sec of @size bytes, or -EBADMSG when it is malformed. */
long pd_nspid__count(const void *sec, size_t size);
/* Entry @i of a section pd_nspid__count accepted. */
void pd_nspid__get(const void *sec, size_t i, struct pd_nspid *out);

#endif
