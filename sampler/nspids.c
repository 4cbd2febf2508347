/* Owns the table of recorded tasks in other pid namespaces and their pids there, filled from
 * NAMESPACES records. See sampler/nspids.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <linux/perf_event.h>

#include "perfdata/nspid.h"
#include "sampler/nspids.h"
#include "sampler/synth.h"
#include "util/array.h"
#include "util/hash.h"
#include "util/htab.h"
#include "util/log.h"

struct nspids {
	struct pd_nspid *ents;
	size_t nr, cap;
	struct htab tab;	/* hash_u64(tid) -> index + 1 */
	uint64_t self_ino;	/* our pid namespace's inode */
};

struct nspids *nspids__new(void)
{
	struct nspids *t;
	struct stat st;

	if (stat("/proc/self/ns/pid", &st))
		return NULL;
	t = calloc(1, sizeof(*t));
	if (t)
		t->self_ino = st.st_ino;
	return t;
}

void nspids__free(struct nspids *t)
{
	if (!t)
		return;
	free(t->ents);
	htab__exit(&t->tab);
	free(t);
}

size_t nspids__nr(const struct nspids *t) { return t ? t->nr : 0; }

/* The last field of @key in /proc/@tid/status (the innermost namespace's), or -1. */
static int32_t innermost(int32_t tid, const char *key)
{
	char buf[256], *last;

	if (synth__status_field(tid, key, buf, sizeof(buf)))
		return -1;
	last = strrchr(buf, '\t');
	last = last ? last + 1 : buf;
	return *last ? (int32_t)strtol(last, NULL, 10) : -1;
}

static struct pd_nspid *entry_of(struct nspids *t, int32_t tid)
{
	uint64_t h = hash_u64((uint32_t)tid);
	struct htab_slot *s;
	size_t pos;

	htab__for_each_hash(&t->tab, h, s, pos)
		if (t->ents[s->val - 1].tid == tid)
			return &t->ents[s->val - 1];
	if (ARRAY_GROW(t->ents, t->cap, t->nr + 1) || htab__insert(&t->tab, h, (uintptr_t)t->nr + 1))
		return NULL;
	t->ents[t->nr] = (struct pd_nspid){ .tid = tid };
	return &t->ents[t->nr++];
}

/* A task of @pid/@tid whose pid namespace is inode @ino. A tid seen again (a reused one, a
 * task that joined another namespace) is read anew. */
static void task_seen(struct nspids *t, int32_t pid, int32_t tid, uint64_t ino)
{
	int32_t nspid, nstid;
	struct pd_nspid *e;

	if (ino == t->self_ino || pid <= 0 || tid <= 0)
		return;
	nspid = innermost(tid, "NStgid");
	nstid = innermost(tid, "NSpid");
	if (nspid < 0 || nstid < 0)
		return;		/* gone, or no NSpid (kernel < 4.1) */
	e = entry_of(t, tid);
	if (!e)
		return;		/* out of memory: this task goes without */
	e->pid = pid;
	e->nspid = nspid;
	e->nstid = nstid;
	e->pidns_ino = ino;
	pr_debug("pid %d/%d: %d/%d in pid namespace %llu", (int)pid, (int)tid, (int)nspid,
		 (int)nstid, (unsigned long long)ino);
}

void nspids__scan(struct nspids *t, const void *buf, size_t len)
{
	const char *p = buf, *end = p + len;

	while ((size_t)(end - p) >= sizeof(struct perf_event_header)) {
		const struct perf_event_header *eh = (const void *)p;

		if (eh->size < sizeof(*eh) || eh->size > (size_t)(end - p))
			break;
		/* u32 pid, tid; u64 nr; nr x {u64 dev, ino} */
		if (eh->type == PERF_RECORD_NAMESPACES && eh->size >= sizeof(*eh) + 16 + 16 * (PID_NS_INDEX + 1)) {
			const uint32_t *u = (const void *)(eh + 1);
			uint64_t nr, ino;

			memcpy(&nr, u + 2, 8);
			memcpy(&ino, (const char *)(u + 4) + 16 * PID_NS_INDEX + 8, 8);
			if (nr > PID_NS_INDEX)
				task_seen(t, (int32_t)u[0], (int32_t)u[1], ino);
		}
		p += eh->size;
	}
}

int nspids__write(const struct nspids *t, struct pd_writer *w)
{
	return t ? pd_nspid__write(w, t->ents, t->nr) : 0;
}
