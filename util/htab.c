/* Owns the open-addressing table's storage: growth by doubling (rehashing from the stored
 * hashes, never from the keys) and removal by backward shifting. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/htab.h"
#include "util/mem.h"

#define HTAB_MIN 16

static int htab__resize(struct htab *t, size_t cap)
{
	struct htab_slot *slot = calloc(cap, sizeof(*slot));
	size_t mask = cap - 1;

	if (!slot)
		return -ENOMEM;
	mem__hint_huge(slot, cap * sizeof(*slot));
	for (size_t i = 0; t->slot && i <= t->mask; i++) {
		size_t j;

		if (!t->slot[i].val)
			continue;
		for (j = t->slot[i].hash & mask; slot[j].val; j = (j + 1) & mask)
			;
		slot[j] = t->slot[i];
	}
	free(t->slot);
	t->slot = slot;
	t->mask = mask;
	return 0;
}

int htab__init(struct htab *t, size_t nr_hint)
{
	size_t cap = HTAB_MIN;

	*t = (struct htab){ 0 };
	while (cap / 2 < nr_hint)
		cap *= 2;
	return htab__resize(t, cap);
}

void htab__exit(struct htab *t)
{
	if (!t)
		return;
	free(t->slot);
	*t = (struct htab){ 0 };
}

void htab__clear(struct htab *t)
{
	if (t->slot)
		memset(t->slot, 0, (t->mask + 1) * sizeof(*t->slot));
	t->nr = 0;
}

int htab__insert(struct htab *t, uint64_t hash, uintptr_t val)
{
	size_t i;

	if (!t->slot || (t->nr + 1) * 2 > t->mask + 1) {
		int ret = htab__resize(t, t->slot ? (t->mask + 1) * 2 : HTAB_MIN);

		if (ret)
			return ret;
	}
	for (i = hash & t->mask; t->slot[i].val; i = (i + 1) & t->mask)
		;
	t->slot[i] = (struct htab_slot){ .hash = hash, .val = val };
	t->nr++;
	return 0;
}

void htab__remove(struct htab *t, struct htab_slot *s)
{
	size_t hole = (size_t)(s - t->slot), i = hole;

	for (;;) {
		i = (i + 1) & t->mask;
		if (!t->slot[i].val)
			break;
		/* the slot at i may fill the hole unless its home lies cyclically in (hole, i] */
		size_t home = t->slot[i].hash & t->mask;
		if (((i - home) & t->mask) >= ((i - hole) & t->mask)) {
			t->slot[hole] = t->slot[i];
			hole = i;
		}
	}
	t->slot[hole] = (struct htab_slot){ 0 };
	t->nr--;
}
