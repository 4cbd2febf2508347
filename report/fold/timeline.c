/* Owns the time-ordered sample list of report/fold/timeline.h and the per-thread names. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/fold/timeline.h"
#include "util/array.h"
#include "util/hash.h"
#include "util/strpool.h"

struct timeline *timeline__new(void)
{
	struct timeline *t = calloc(1, sizeof(*t));

	if (t && !(t->strs = strpool__new())) {
		free(t);
		return NULL;
	}
	return t;
}

void timeline__free(struct timeline *t)
{
	if (!t)
		return;
	free(t->s);
	free(t->threads);
	htab__exit(&t->thread_tab);
	strpool__free(t->strs);
	free(t);
}

const char *timeline__str(const struct timeline *t, uint32_t id)
{
	return strpool__str(t->strs, id);
}

static uint32_t str_id(struct timeline *t, const char *s)
{
	int64_t id = strpool__id(t->strs, s, strlen(s));

	return id < 0 ? FOLD_NONE : (uint32_t)id;
}

static uint32_t thread_of(struct timeline *t, const struct fold_sample *fs)
{
	uint64_t h = hash_u64((uint64_t)(uint32_t)fs->tid);
	struct htab_slot *s;
	struct tl_thread *th;
	size_t pos;

	htab__for_each_hash(&t->thread_tab, h, s, pos) {
		th = &t->threads[s->val - 1];
		if (th->tid != fs->tid)
			continue;
		if (th->comm != fs->comm && strcmp(th->comm, fs->comm)) {
			uint32_t id = str_id(t, fs->comm);

			if (id == FOLD_NONE)
				return FOLD_NONE;
			th->comm = timeline__str(t, id);
		}
		return (uint32_t)(s->val - 1);
	}
	if (ARRAY_GROW(t->threads, t->threads_cap, t->nr_threads + 1) ||
	    htab__insert(&t->thread_tab, h, t->nr_threads + 1))
		return FOLD_NONE;
	th = &t->threads[t->nr_threads];
	th->pid = fs->pid;
	th->tid = fs->tid;
	th->comm = timeline__str(t, str_id(t, fs->comm));
	if (!th->comm)
		return FOLD_NONE;
	return (uint32_t)t->nr_threads++;
}

int timeline__sample(void *ctx, const struct fold_sample *fs)
{
	struct timeline *t = ctx;
	struct tl_sample *s;
	uint32_t th = thread_of(t, fs);

	if (th == FOLD_NONE || ARRAY_GROW(t->s, t->cap, t->nr + 1))
		return -ENOMEM;
	s = &t->s[t->nr];
	*s = (struct tl_sample){ .time = fs->time, .period = fs->period, .node = fs->node,
				 .thread = th, .event = FOLD_NONE, .sym = FOLD_NONE, .cpu = fs->cpu };
	if (fs->node == FOLD_NONE) {
		s->event = str_id(t, fs->event);
		s->sym = fs->sym ? str_id(t, fs->sym) : FOLD_NONE;
		if (s->event == FOLD_NONE || (fs->sym && s->sym == FOLD_NONE))
			return -ENOMEM;
	}
	t->nr++;
	return 0;
}

size_t timeline__stack(const struct fold *f, uint32_t node, uint32_t *buf, size_t cap)
{
	size_t depth = 0, n;

	for (uint32_t c = node; c != FOLD_ROOT && f->nodes[c].parent != FOLD_ROOT; c = f->nodes[c].parent)
		depth++;
	n = depth < cap ? depth : cap;
	for (uint32_t c = node, i = 0; i < n; c = f->nodes[c].parent, i++)
		buf[n - 1 - i] = f->nodes[c].name;
	return n;
}

static int cmp_by_thread(const void *a, const void *b, void *arg)
{
	const struct timeline *t = arg;
	uint32_t ia = *(const uint32_t *)a, ib = *(const uint32_t *)b;
	const struct tl_sample *x = &t->s[ia], *y = &t->s[ib];

	if (x->thread != y->thread)
		return x->thread < y->thread ? -1 : 1;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return (ia > ib) - (ia < ib);
}

void timeline__sort_by_thread(const struct timeline *t, uint32_t *idx, size_t n)
{
	qsort_r(idx, n, sizeof(*idx), cmp_by_thread, (void *)t);
}
