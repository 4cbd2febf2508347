/* Owns the thread table (hash by tid), thread comms (interned) and each thread's maps. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symbols/map.h"
#include "report/session/thread.h"
#include "symbols/dso.h"

/* The table doubles when it holds more threads than buckets: a file may name 10^6 threads. */
#define THREAD_BUCKETS_MIN 4096

struct threads {
	struct thread **bucket;
	size_t nr_buckets;	/* a power of two */
	size_t nr;		/* threads in the table */
	struct thread *dead;
	struct str_pool *comms;
	const char *last_comm;	/* dedup of consecutive identical comms */
};

static size_t hash_tid(const struct threads *t, int32_t tid)
{
	return (size_t)(((uint64_t)(uint32_t)tid * 0x9e3779b97f4a7c15ull) >> 32) & (t->nr_buckets - 1);
}

struct threads *threads__new(void)
{
	struct threads *t = calloc(1, sizeof(struct threads));

	if (!t)
		return NULL;
	t->nr_buckets = THREAD_BUCKETS_MIN;
	t->bucket = calloc(t->nr_buckets, sizeof(*t->bucket));
	if (!t->bucket) {
		free(t);
		return NULL;
	}
	return t;
}

/* Twice the buckets; on ENOMEM the table stays as it is (longer chains, still correct). */
static void threads__grow(struct threads *t)
{
	size_t old = t->nr_buckets, i;
	struct thread **ob = t->bucket, **nb = calloc(old * 2, sizeof(*nb));

	if (!nb)
		return;
	t->bucket = nb;
	t->nr_buckets = old * 2;
	for (i = 0; i < old; i++) {
		while (ob[i]) {
			struct thread *th = ob[i];
			size_t b = hash_tid(t, th->tid);

			ob[i] = th->hnext;
			th->hnext = nb[b];
			nb[b] = th;
		}
	}
	free(ob);
}

static void thread__free(struct thread *th)
{
	maps__put(th->maps);
	free(th);
}

void threads__free(struct threads *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; t->bucket && i < t->nr_buckets; i++) {
		while (t->bucket[i]) {
			struct thread *n = t->bucket[i]->hnext;

			thread__free(t->bucket[i]);
			t->bucket[i] = n;
		}
	}
	while (t->dead) {
		struct thread *n = t->dead->hnext;

		thread__free(t->dead);
		t->dead = n;
	}
	str_pool__free(t->comms);
	free(t->bucket);
	free(t);
}

struct thread *threads__find(struct threads *t, int32_t tid)
{
	struct thread **pp = &t->bucket[hash_tid(t, tid)], *th;

	for (; (th = *pp); pp = &th->hnext) {
		if (th->tid == tid) {
			/* move to front: samples come in runs of one thread */
			*pp = th->hnext;
			th->hnext = t->bucket[hash_tid(t, tid)];
			t->bucket[hash_tid(t, tid)] = th;
			return th;
		}
	}
	return NULL;
}

struct thread *threads__findnew(struct threads *t, int32_t pid, int32_t tid)
{
	struct thread *th = threads__find(t, tid), *leader;
	size_t b;

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
	if (t->nr >= t->nr_buckets)
		threads__grow(t);
	b = hash_tid(t, tid);
	th->hnext = t->bucket[b];
	t->bucket[b] = th;
	t->nr++;
	return th;
}

void threads__remove(struct threads *t, struct thread *th)
{
	struct thread **pp = &t->bucket[hash_tid(t, th->tid)];

	for (; *pp; pp = &(*pp)->hnext) {
		if (*pp == th) {
			*pp = th->hnext;
			t->nr--;
			th->hnext = t->dead;
			t->dead = th;
			return;
		}
	}
}

int thread__set_comm(struct threads *t, struct thread *th, const char *comm)
{
	if (!t->last_comm || strcmp(t->last_comm, comm)) {
		const char *c = str_pool__add(&t->comms, comm, strlen(comm));

		if (!c)
			return -ENOMEM;
		t->last_comm = c;
	}
	th->comm = t->last_comm;
	if (!th->comm_set)
		th->first_comm = th->comm;
	th->comm_set = true;
	return 0;
}
