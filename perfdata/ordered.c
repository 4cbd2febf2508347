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
	struct queued *q, *tmp;	/* tmp: the merge's other half, as large as q */
	size_t nr, cap, tmp_cap;
	uint64_t seq;
};

/* Merge the sorted runs a[0..na) and a[na..na+nb) into out. Every seq of the first run is
 * below every seq of the second (runs stay in file order), so equal times keep the first's
 * records first: (time, seq) order. */
static void merge_runs(const struct queued *a, size_t na, size_t nb, struct queued *out)
{
	const struct queued *b = a + na, *ae = a + na, *be = b + nb;

	while (a < ae && b < be)
		*out++ = b->time < a->time ? *b++ : *a++;
	while (a < ae)
		*out++ = *a++;
	while (b < be)
		*out++ = *b++;
}

/* Sort the queue by (time, seq): a natural merge sort. The queue is what the last flush left
 * (sorted) and then each CPU's records of the round in file order, ascending runs: a few
 * runs, merged pairwise, a few passes, into a buffer kept from flush to flush. */
static int sort_queue(struct queue *qu)
{
	size_t n = qu->nr, start, runs, cap;

	if (n < 2)
		return 0;
	if (ARRAY_GROW_BIG(qu->tmp, qu->tmp_cap, n))
		return -ENOMEM;
	for (;;) {
		struct queued *src = qu->q, *dst = qu->tmp;

		runs = 0;
		for (start = 0; start < n; runs++) {
			size_t mid = start + 1, end;

			while (mid < n && src[mid].time >= src[mid - 1].time)
				mid++;
			end = mid;
			if (mid < n) {
				end = mid + 1;
				while (end < n && src[end].time >= src[end - 1].time)
					end++;
			}
			if (runs == 0 && end == n && mid == n)
				return 0;	/* one run: sorted */
			merge_runs(src + start, mid - start, end - mid, dst + start);
			start = end;
		}
		cap = qu->cap;
		qu->tmp = src;
		qu->q = dst;
		qu->cap = qu->tmp_cap;
		qu->tmp_cap = cap;
		if (runs == 1)
			return 0;
	}
}

/* Deliver queued records with time <= limit, in (time, seq) order. */
static int flush(struct queue *qu, uint64_t limit, pd_record_fn fn, void *ctx, struct error *err)
{
	size_t i, n;
	int ret = 0;

	if (qu->nr == 0)
		return 0;
	if (sort_queue(qu))
		return error__nomem(err);
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
				ret = flush(&qu, next_flush, fn, ctx, err);
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
		if (ARRAY_GROW_BIG(qu.q, qu.cap, qu.nr + 1)) {
			ret = error__nomem(err);
			break;
		}
		qu.q[qu.nr++] = (struct queued){ rec.time, qu.seq++, rec };
		if (rec.time > max_time)
			max_time = rec.time;
	}
	if (ret == 0)
		ret = flush(&qu, ~0ULL, fn, ctx, err);
	ARRAY_FREE_BIG(qu.q, qu.cap);
	ARRAY_FREE_BIG(qu.tmp, qu.tmp_cap);
	return ret;
}
