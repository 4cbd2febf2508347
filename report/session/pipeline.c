/* Owns the two-thread walk of a file: the batch ring between the reader thread and the
 * caller's, and the reader's releases held back until the records they cover are done. */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "report/session/pipeline.h"
#include "util/mem.h"

/* Records per batch and batches in the ring: a batch is handed over under one lock, and
 * the ring lets the reader run ahead by a few thousand records (about 1.5 MB of items). A
 * batch is also handed over at BATCH_BYTES of records: the file's pages under the batches in
 * flight stay mapped until they are done (DWARF samples are 8 KB or more each: 512 of them
 * in 8 batches held 32 MB). */
#define BATCH_RECS 512
#define BATCH_BYTES (256u << 10)
#define NR_BATCHES 8

/* Batches between two looks at the heap (heap_ahead): a look takes malloc's lock while it
 * counts the free chunks, and the heap grows by far less than the ahead in as many records. */
#define PREFAULT_EVERY 4

/* Samples between a look-ahead of the chains' numbering and the numbering. */
#define NUMBER_AHEAD 8

/* The reader thread's answer when the caller stopped the walk. */
#define STOPPED 1

struct item {
	struct pd_record rec;
	bool sample;			/* a SAMPLE parsed without error (the look-ahead's test,
					 * which should not load the record) */
	int parse_ret;
	uint32_t bad_at;
	struct pd_sample smp;
};

struct batch {
	size_t nr;
	size_t bytes;		/* of the records' own data */
	struct item it[BATCH_RECS];
};

/* A point the walk could release, waiting for batch @seq to be done. */
struct pending {
	uint64_t seq, before;
};

struct pipeline {
	struct pd_reader *r;
	struct batch *ring;		/* NR_BATCHES */
	pthread_mutex_t lock;
	pthread_cond_t moved;		/* pushed, done, eof or stop changed */
	uint64_t pushed, done;		/* batches handed over / finished (under lock) */
	bool eof, stop;			/* under lock */
	/* the reader thread's own */
	int walk_ret;
	struct error walk_err;
	uint64_t last_seq;		/* the batch of the last record queued */
	struct pipeline_opts opts;
	/* the caller's */
	pipeline_fn fn;
	pipeline_ahead_fn ahead;
	void *ctx;
	int fn_ret;			/* opts.one_thread: @fn's non-zero return */
	struct pending pend[NR_BATCHES + 2];
	size_t nr_pend;
};

/* The batch the records go into now. */
static struct batch *filling(struct pipeline *p)
{
	return &p->ring[p->opts.one_thread ? 0 : p->pushed % NR_BATCHES];
}

/* Release what batches before @done covered (reader thread). */
static void release_done(struct pipeline *p, uint64_t done)
{
	size_t i = 0;

	while (i < p->nr_pend && p->pend[i].seq < done)
		pd_reader__release(p->r, p->pend[i++].before);
	memmove(p->pend, p->pend + i, (p->nr_pend - i) * sizeof(*p->pend));
	p->nr_pend -= i;
}

static void on_release(void *ctx, uint64_t before)
{
	struct pipeline *p = ctx;
	struct pending *last = p->nr_pend ? &p->pend[p->nr_pend - 1] : NULL;

	if (last && last->seq == p->last_seq) {
		if (before > last->before)
			last->before = before;
		return;
	}
	/* seqs waiting lie in [done, pushed]: the array cannot fill */
	p->pend[p->nr_pend++] = (struct pending){ p->last_seq, before };
}

/* The chains' numbers of a batch's samples (opts.ids), each sample's table slots loaded a
 * few samples early; before the batch goes to the caller. */
static void number_chains(const struct pipeline *p, struct batch *b)
{
	struct chain_ids *ids = p->opts.ids;

	for (size_t i = 0; ids && i < b->nr; i++) {
		if (i + NUMBER_AHEAD < b->nr && b->it[i + NUMBER_AHEAD].sample)
			chain_ids__prefetch(ids, &b->it[i + NUMBER_AHEAD].smp);
		if (b->it[i].sample)
			chain_ids__number(ids, &b->it[i].smp);
	}
}

/* The caller's @fn on each record of @b, in order, with the look-ahead. */
static int run_batch(const struct pipeline *p, const struct batch *b)
{
	int ret = 0;

	for (size_t i = 0; i < b->nr && !ret; i++) {
		const struct item *it = &b->it[i];
		bool sample = it->rec.hdr->type == PERF_RECORD_SAMPLE;

		if (p->ahead && i + PIPELINE_AHEAD < b->nr && it[PIPELINE_AHEAD].sample)
			p->ahead(p->ctx, &it[PIPELINE_AHEAD].rec, &it[PIPELINE_AHEAD].smp);

		ret = p->fn(p->ctx, &it->rec, sample ? &it->smp : NULL, it->parse_ret, it->bad_at);
	}
	return ret;
}

/* opts.one_thread: the batch filled is run now, and what it covered released. */
static int run_here(struct pipeline *p)
{
	struct batch *b = p->ring;

	p->fn_ret = run_batch(p, b);
	p->pushed++;
	release_done(p, p->pushed);
	b->nr = 0;
	b->bytes = 0;
	return p->fn_ret ? STOPPED : 0;
}

/* Hand the batch being filled over (reader thread). STOPPED when the caller stopped. */
static int push(struct pipeline *p)
{
	uint64_t done;
	bool stop;

	number_chains(p, filling(p));
	if (p->opts.one_thread)
		return run_here(p);

	pthread_mutex_lock(&p->lock);
	p->pushed++;
	pthread_cond_broadcast(&p->moved);
	/* the next batch's slot must be free; once full, wait until half the ring is free
	 * again (the caller wakes this thread then, not after each batch) */
	if (p->pushed - p->done >= NR_BATCHES)
		while (p->pushed - p->done > NR_BATCHES / 2 && !p->stop)
			pthread_cond_wait(&p->moved, &p->lock);
	done = p->done;
	stop = p->stop;
	pthread_mutex_unlock(&p->lock);
	release_done(p, done);
	if (stop)
		return STOPPED;
	if (p->opts.heap_ahead && p->pushed % PREFAULT_EVERY == 0)
		mem__heap_prefault(p->opts.heap_ahead);
	p->ring[p->pushed % NR_BATCHES].nr = 0;
	p->ring[p->pushed % NR_BATCHES].bytes = 0;
	return 0;
}

static int on_record(void *ctx, const struct pd_record *rec)
{
	struct pipeline *p = ctx;
	struct batch *b = filling(p);
	struct item *it = &b->it[b->nr++];

	it->rec = *rec;
	it->parse_ret = 0;
	it->bad_at = 0;
	if (rec->hdr->type == PERF_RECORD_SAMPLE)
		it->parse_ret = pd_sample__parse(rec->evsel, rec->hdr, &it->smp, &it->bad_at);
	it->sample = rec->hdr->type == PERF_RECORD_SAMPLE && !it->parse_ret;
	p->last_seq = p->pushed;
	b->bytes += rec->hdr->size;
	return b->nr == BATCH_RECS || b->bytes >= BATCH_BYTES ? push(p) : 0;
}

static void *reader_main(void *arg)
{
	struct pipeline *p = arg;

	p->ring[0].nr = 0;
	p->ring[0].bytes = 0;
	p->walk_ret = pd_reader__for_each_ordered(p->r, on_record, p, &p->walk_err);
	number_chains(p, filling(p));
	pthread_mutex_lock(&p->lock);
	if (p->ring[p->pushed % NR_BATCHES].nr && !p->stop)
		p->pushed++;
	p->eof = true;
	pthread_cond_broadcast(&p->moved);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* opts.one_thread: the walk and the batches on this thread. */
static int walk_here(struct pipeline *p, struct error *err)
{
	int ret;

	p->ring[0].nr = 0;
	p->ring[0].bytes = 0;
	ret = pd_reader__for_each_ordered(p->r, on_record, p, err);
	/* what was read before an error goes to @fn too, as with two threads */
	if (ret != STOPPED && p->ring[0].nr)
		push(p);
	if (p->fn_ret)
		return p->fn_ret;
	return ret == STOPPED ? 0 : ret;
}

/* The caller's side: batches in order until the end or @fn stops. */
static int consume(struct pipeline *p)
{
	uint64_t seq;
	int ret = 0;

	for (seq = 0;; seq++) {
		struct batch *b;

		pthread_mutex_lock(&p->lock);
		p->done = seq;
		if (p->pushed - seq <= NR_BATCHES / 2)	/* the reader may go on (see push()) */
			pthread_cond_broadcast(&p->moved);
		while (p->pushed == seq && !p->eof && !ret)
			pthread_cond_wait(&p->moved, &p->lock);
		if (ret || p->pushed == seq) {
			if (ret)
				p->stop = true;
			pthread_cond_broadcast(&p->moved);
			pthread_mutex_unlock(&p->lock);
			return ret;
		}
		pthread_mutex_unlock(&p->lock);
		b = &p->ring[seq % NR_BATCHES];
		ret = run_batch(p, b);
	}
}

int pipeline__run(struct pd_reader *r, pipeline_fn fn, pipeline_ahead_fn ahead, void *ctx,
		  const struct pipeline_opts *opts, struct error *err)
{
	struct pipeline *p = calloc(1, sizeof(*p));
	pthread_t tid;
	int ret;

	if (!p || !(p->ring = malloc((opts->one_thread ? 1 : NR_BATCHES) * sizeof(*p->ring)))) {
		free(p);
		return error__nomem(err);
	}
	p->r = r;
	p->opts = *opts;
	p->fn = fn;
	p->ahead = ahead;
	p->ctx = ctx;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->moved, NULL);
	pd_reader__set_release_hook(r, on_release, p);
	if (opts->one_thread) {
		ret = walk_here(p, err);
		goto out;
	}
	ret = -pthread_create(&tid, NULL, reader_main, p);
	if (ret) {
		error__set(err, ret, "cannot start the reader thread: %s", strerror(-ret));
		goto out;
	}
	ret = consume(p);
	pthread_join(tid, NULL);
	if (!ret && p->walk_ret && p->walk_ret != STOPPED) {
		ret = p->walk_ret;
		if (err)
			*err = p->walk_err;
	}
out:
	pd_reader__set_release_hook(r, NULL, NULL);
	pthread_cond_destroy(&p->moved);
	pthread_mutex_destroy(&p->lock);
	free(p->ring);
	free(p);
	return ret;
}
