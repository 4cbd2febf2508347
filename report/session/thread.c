/* Owns the thread table (a htab by tid), thread comms (interned in a strpool) and each
 * thread's maps. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "report/session/thread.h"
#include "symbols/map.h"
#include "util/hash.h"
#include "util/htab.h"
#include "util/strpool.h"

struct threads {
	struct htab tab;	/* hash_u64(tid) -> struct thread *, the live ones */
	struct thread *dead;
	struct strpool *comms;
	bool reclaim;
	struct thread *exited;	/* reclaiming: exited or retired threads, newest first */
	uint32_t round;
	uint64_t nr_created;	/* the next thread's seq */
};

static inline uint64_t tid_hash(int32_t tid)
{
	return hash_u64((uint32_t)tid);
}

struct threads *threads__new(void)
{
	struct threads *t = calloc(1, sizeof(struct threads));

	if (!t)
		return NULL;
	t->comms = strpool__new();
	if (!t->comms) {
		free(t);
		return NULL;
	}
	return t;
}

static void thread__free(struct thread *th)
{
	maps__put(th->maps);
	free(th);
}

void threads__free(struct threads *t)
{
	struct htab_slot *s;

	if (!t)
		return;
	/* first the exited threads out of the table (those still in it go with it) */
	while (t->exited) {
		struct thread *n = t->exited->next_exited;

		if (t->exited->retired)
			thread__free(t->exited);
		t->exited = n;
	}
	htab__for_each(&t->tab, s)
		thread__free((struct thread *)s->val);
	while (t->dead) {
		struct thread *n = t->dead->next_dead;

		thread__free(t->dead);
		t->dead = n;
	}
	htab__exit(&t->tab);
	strpool__free(t->comms);
	free(t);
}

struct thread *threads__find(struct threads *t, int32_t tid)
{
	uint64_t h = tid_hash(tid);
	struct htab_slot *s;
	size_t pos;

	htab__for_each_hash(&t->tab, h, s, pos) {
		struct thread *th = (struct thread *)s->val;

		if (th->tid == tid)
			return th;
	}
	return NULL;
}

struct thread *threads__findnew(struct threads *t, int32_t pid, int32_t tid)
{
	struct thread *th = threads__find(t, tid), *leader;

	if (th) {
		if (th->pid == -1 && pid != -1 && pid != tid) {
			leader = threads__findnew(t, pid, pid);
			if (leader && leader->maps) {
				maps__put(th->maps);
				th->maps = maps__get(leader->maps);
			}
		}
		if (th->pid == -1)
			th->pid = pid;
		return th;
	}
	th = calloc(1, sizeof(*th));
	if (!th)
		return NULL;
	th->pid = pid;
	th->tid = tid;
	th->ppid = -1;
	th->seq = t->nr_created++;
	snprintf(th->dflt_comm, sizeof(th->dflt_comm), ":%d", tid);
	th->comm = th->dflt_comm;
	if (pid != -1 && pid != tid) {
		leader = threads__findnew(t, pid, pid);
		if (!leader) {
			free(th);
			return NULL;
		}
		th->maps = maps__get(leader->maps);
	} else {
		th->maps = maps__new();
	}
	if (!th->maps) {
		free(th);
		return NULL;
	}
	if (htab__insert(&t->tab, tid_hash(tid), (uintptr_t)th)) {
		thread__free(th);
		return NULL;
	}
	return th;
}

static bool unlink_tab(struct threads *t, struct thread *th)
{
	struct htab_slot *s;
	size_t pos;

	htab__for_each_hash(&t->tab, tid_hash(th->tid), s, pos) {
		if (s->val == (uintptr_t)th) {
			htab__remove(&t->tab, s);
			th->retired = true;
			return true;
		}
	}
	return false;
}

void threads__set_reclaim(struct threads *t, bool on)
{
	t->reclaim = on;
}

void threads__exit(struct threads *t, struct thread *th)
{
	if (!t->reclaim || th->exited || !th->tid)
		return;		/* the idle thread (tid 0) stays */
	th->exited = true;
	th->exit_round = t->round;
	th->next_exited = t->exited;
	t->exited = th;
}

void threads__remove(struct threads *t, struct thread *th)
{
	if (th->retired || !unlink_tab(t, th))
		return;
	if (t->reclaim) {
		threads__exit(t, th);	/* freed by threads__reclaim (once, if already exited) */
		return;
	}
	th->next_dead = t->dead;
	t->dead = th;
}

/* A leader whose maps other threads still share stays: a thread created later in its
 * process finds the maps through it. */
static bool reclaimable(const struct threads *t, const struct thread *th,
			bool (*in_use)(void *ctx, const struct thread *th), void *ctx)
{
	if (th->exit_round == t->round)
		return false;		/* exited in this round: late samples may still come */
	if (th->tid == th->pid && th->maps && th->maps->refcnt > 1 && !th->retired)
		return false;
	return !in_use || !in_use(ctx, th);
}

/* Out of the table, its maps gone: what stays of a thread a caller still points at. */
static void strip(struct threads *t, struct thread *th)
{
	if (!th->retired)
		unlink_tab(t, th);
	maps__put(th->maps);
	th->maps = NULL;
}

/* threads__reclaim(), and with @keep threads__reclaim_maps(): each thread that may go is
 * freed, or stripped and left on the list while @in_use; with @keep, stripped and moved to
 * the dead list (threads__free frees it). */
static size_t reclaim(struct threads *t, bool keep,
		      bool (*in_use)(void *ctx, const struct thread *th), void *ctx)
{
	struct thread **pp = &t->exited, *th;
	size_t n = 0;

	while ((th = *pp)) {
		if (!reclaimable(t, th, NULL, NULL)) {
			pp = &th->next_exited;
			continue;
		}
		if (!keep && in_use && in_use(ctx, th)) {
			strip(t, th);	/* the caller keeps its pid, tid and comm */
			pp = &th->next_exited;
			continue;
		}
		*pp = th->next_exited;
		n++;
		if (!keep) {
			if (!th->retired)
				unlink_tab(t, th);
			thread__free(th);
			continue;
		}
		strip(t, th);
		th->next_dead = t->dead;	/* the struct goes with threads__free */
		t->dead = th;
	}
	t->round++;
	return n;
}

size_t threads__reclaim(struct threads *t, bool (*in_use)(void *ctx, const struct thread *th),
			void *ctx)
{
	return reclaim(t, false, in_use, ctx);
}

size_t threads__reclaim_maps(struct threads *t)
{
	return reclaim(t, true, NULL, NULL);
}

int thread__set_comm(struct threads *t, struct thread *th, const char *comm)
{
	const char *c = strpool__add(t->comms, comm);

	if (!c)
		return -ENOMEM;
	th->comm = c;
	if (!th->comm_set)
		th->first_comm = th->comm;
	th->comm_set = true;
	return 0;
}
