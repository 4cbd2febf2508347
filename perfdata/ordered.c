/* Owns perf's delivery order: time-0 records as read, timestamped records queued and
 * released round by round (FINISHED_ROUND flushes up to the previous round's maximum),
 * equal timestamps in file order. Memory is bounded by about two rounds of records: what
 * was delivered and is not queued any more is given back to the reader as the walk goes. */
#include <errno.h>
#include <stdlib.h>

#include "perfdata/reader.h"
#include "util/array.h"

struct queued {
	uint64_t time;
	uint64_t seq;
	struct pd_record rec;
};

struct queue {
	struct queued *q;
	size_t nr, cap, sorted;	/* q[0..sorted) is ordered */
	uint64_t seq;
};

static int cmp_queued(const void *a, const void *b)
{
	const struct queued *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Deliver queued records with time <= limit, in (time, seq) order. */
static int flush(struct queue *qu, uint64_t limit, pd_record_fn fn, void *ctx)
{
	size_t i, n;
	int ret = 0;

	if (qu->nr == 0)
		return 0;
	array__sort(qu->q, qu->nr, sizeof(*qu->q), cmp_queued);
	for (n = 0; n < qu->nr && qu->q[n].time <= limit; n++) {
		ret = fn(ctx, &qu->q[n].rec);
		if (ret) {
			n++;
			break;
		}
	}
	for (i = n; i < qu->nr; i++)
		qu->q[i - n] = qu->q[i];
	qu->nr -= n;
	return ret;
}

/* Lowest file offset still referenced: the queue's or @cur's. */
static uint64_t oldest(const struct queue *qu, uint64_t cur)
{
	size_t i;

	for (i = 0; i < qu->nr; i++)
		if (qu->q[i].rec.offset < cur)
			cur = qu->q[i].rec.offset;
	return cur;
}

int pd_reader__for_each_ordered(struct pd_reader *r, pd_record_fn fn, void *ctx,
				struct error *err)
{
	struct queue qu = { 0 };
	uint64_t max_time = 0, next_flush = 0;
	struct pd_record rec;
	bool ordered = true;
	size_t i;
	int ret;

	for (i = 0; i < pd_reader__nr_evsels(r); i++)
		if (!(pd_reader__evsel(r, i)->attr.sample_type & PERF_SAMPLE_TIME))
			ordered = false;
	pd_reader__rewind(r);
	while ((ret = pd_reader__next(r, &rec, err)) > 0) {
		if (!ordered || rec.time == 0 || rec.time == ~0ULL) {
			if (ordered && rec.hdr->type == PD_RECORD_FINISHED_ROUND) {
				ret = flush(&qu, next_flush, fn, ctx);
				next_flush = max_time;
				if (ret)
					break;
			}
			ret = fn(ctx, &rec);
			if (ret)
				break;
			if (!ordered)
				pd_reader__walk_release(r, rec.offset);
			else if (rec.hdr->type == PD_RECORD_FINISHED_ROUND)
				pd_reader__walk_release(r, oldest(&qu, rec.offset));
			continue;
		}
		if (ARRAY_GROW(qu.q, qu.cap, qu.nr + 1)) {
			ret = error__nomem(err);
			break;
		}
		qu.q[qu.nr++] = (struct queued){ rec.time, qu.seq++, rec };
		if (rec.time > max_time)
			max_time = rec.time;
	}
	if (ret == 0)
		ret = flush(&qu, ~0ULL, fn, ctx);
	free(qu.q);
	return ret;
}
