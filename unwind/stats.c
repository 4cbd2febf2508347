/* Owns the unwind-quality counts: per stop reason, and per DSO where stacks ended (rows in
 * first-seen order, found through a htab). report/hist/unwind_report.c prints them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "symbols/dso.h"
#include "unwind/stats.h"
#include "util/array.h"
#include "util/hash.h"
#include "util/htab.h"

struct unwind_stats *unwind_stats__new(void)
{
	return calloc(1, sizeof(struct unwind_stats));
}

void unwind_stats__free(struct unwind_stats *st)
{
	if (!st)
		return;
	free(st->rows);
	htab__exit(&st->by_dso);
	free(st);
}

void unwind_stats__set_backend(struct unwind_stats *st, const char *name)
{
	if (st)
		st->backend = name;
}

static struct unwind_stats_row *row_get(struct unwind_stats *st, struct dso *dso)
{
	uint64_t h = hash_ptr(dso);
	struct htab_slot *s;
	size_t pos;

	htab__for_each_hash(&st->by_dso, h, s, pos)
		if (st->rows[s->val - 1].dso == dso)
			return &st->rows[s->val - 1];
	if (ARRAY_GROW(st->rows, st->cap, st->nr + 1) || htab__insert(&st->by_dso, h, st->nr + 1))
		return NULL;
	st->rows[st->nr] = (struct unwind_stats_row){ .dso = dso };
	return &st->rows[st->nr++];
}

void unwind_stats__add(struct unwind_stats *st, const struct unwind_result *res, uint64_t stack_size)
{
	struct unwind_stats_row *r;
	enum unwind_stop stop = res->stop < UNWIND_NR_STOPS ? res->stop : UNWIND_BAD;

	if (!st)
		return;
	st->samples++;
	st->n[stop]++;
	st->frames += (uint64_t)res->nr;
	st->fp += res->nr_fp > 0;
	if (stack_size > st->stack_size)
		st->stack_size = stack_size;
	r = row_get(st, res->stop_dso);
	if (!r)
		return;
	r->samples++;
	r->n[stop]++;
	r->fp += res->nr_fp > 0;
}

uint64_t unwind_stats__samples(const struct unwind_stats *st)
{
	return st ? st->samples : 0;
}

uint64_t unwind_stats__count(const struct unwind_stats *st, enum unwind_stop stop)
{
	return st && stop < UNWIND_NR_STOPS ? st->n[stop] : 0;
}
