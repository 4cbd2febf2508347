/* Owns the thread table (hash by tid), thread comms (interned) and each thread's maps. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/map.h"
#include "report/thread.h"
#include "symbols/dso.h"

#define THREAD_BUCKETS 4096

struct threads {
	struct thread *bucket[THREAD_BUCKETS];
	struct thread *dead;
	struct str_pool *comms;
	const char *last_comm;	/* dedup of consecutive identical comms */
};

static unsigned int bucket_of(int32_t tid)
{
	return ((uint32_t)tid * 2654435761u) % THREAD_BUCKETS;
}

struct threads *threads__new(void)
{
	return calloc(1, sizeof(struct threads));
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
	for (i = 0; i < THREAD_BUCKETS; i++) {
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
	free(t);
}

struct thread *threads__find(struct threads *t, int32_t tid)
{
	struct thread **pp = &t->bucket[bucket_of(tid)], *th;

	for (; (th = *pp); pp = &th->hnext) {
		if (th->tid == tid) {
			/* move to front: samples come in runs of one thread */
			*pp = th->hnext;
			th->hnext = t->bucket[bucket_of(tid)];
			t->bucket[bucket_of(tid)] = th;
			return th;
		}
	}
	return NULL;
}

struct thread *threads__findnew(struct threads *t, int32_t pid, int32_t tid)
{
	struct thread *th = threads__find(t, tid), *leader;
	unsigned int b;

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
	b = bucket_of(tid);
	th->hnext = t->bucket[b];
	t->bucket[b] = th;
	return th;
}

void threads__remove(struct threads *t, struct thread *th)
{
	struct thread **pp = &t->bucket[bucket_of(th->tid)];

	for (; *pp; pp = &(*pp)->hnext) {
		if (*pp == th) {
			*pp = th->hnext;
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
	th->comm_set = true;
	return 0;
}
