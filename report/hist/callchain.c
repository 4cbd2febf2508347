/* Owns the call-graph prefix tree (merge, split, hit counts), its sorting by hits, and
 * perf report's text layouts of it: graph/fractal (tree with --XX%-- branches), flat
 * and folded. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/hist/callchain.h"
#include "report/hist/resort.h"
#include "symbols/dso.h"
#include "util/array.h"
#include "util/hash.h"
#include "util/htab.h"
#include "util/mem.h"
#include "util/obuf.h"

/* Each chunk is as big as all before it, from the first size to the last: a small report's
 * take 1 MB, a big one's 2 MB pieces, which fit where the heap has room again (the memory
 * the interning frees before the printing builds its trees: on a 2.8M-sample recording
 * 16 MB chunks took 12 MB of fresh pages more) */
#define ARENA_CHUNK (1u << 20)
#define ARENA_CHUNK_MAX (2u << 20)
/* Nodes with at least this many kids find them by hash; below, by a scan of the keys beside
 * the kid pointers (kid_keys: 16 to a cache line) */
#define KIDS_HASHED 32

struct cc_chunk {
	struct cc_chunk *next;
	size_t used, cap;
	char data[];
};

struct cc_arena {
	struct cc_chunk *head;
	uint32_t nr_born;		/* nodes created so far */
	size_t bytes;			/* chunk memory held */
	struct htab kids;		/* kid_hash(parent, first frame) -> kid, for the kids of
					 * nodes with KIDS_HASHED kids or more */
	struct htab frames;		/* frame_hash -> the frame's one copy in the arena */
	struct cc_node **spare[32];	/* kid arrays outgrown, by log2 of their capacity, each
					 * holding the next in its first slot */
	const struct cc_frame **scratch;	/* cc_root__append's frames */
	size_t cap_scratch;
};

struct cc_arena *cc_arena__new(void)
{
	return calloc(1, sizeof(struct cc_arena));
}

void cc_arena__free(struct cc_arena *a)
{
	if (!a)
		return;
	htab__exit(&a->kids);
	htab__exit(&a->frames);
	free(a->scratch);
	while (a->head) {
		struct cc_chunk *n = a->head->next;

		free(a->head);
		a->head = n;
	}
	free(a);
}

static void *arena_alloc(struct cc_arena *a, size_t n)
{
	struct cc_chunk *c = a->head;

	n = (n + 7) & ~(size_t)7;
	if (!c || c->cap - c->used < n) {
		/* as much as all the chunks before, within the bounds */
		size_t cap = a->bytes < ARENA_CHUNK ? ARENA_CHUNK :
			     a->bytes > ARENA_CHUNK_MAX ? ARENA_CHUNK_MAX : a->bytes;

		if (cap < n)
			cap = n;
		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		mem__hint_huge(c, sizeof(*c) + cap);
		c->used = 0;
		c->cap = cap;
		c->next = a->head;
		a->head = c;
		a->bytes += cap;
	}
	c->used += n;
	return c->data + c->used - n;
}

/* ---- -g parsing ------------------------------------------------------------------ */

int cc_param__parse(struct cc_param *p, const char *spec, char *err, size_t errsz)
{
	char *dup = strdup(spec), *tok, *save = NULL;
	int nums = 0, ret = 0;

	if (!dup)
		return -ENOMEM;
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *end;

		if (!strcmp(tok, "graph")) p->mode = CC_GRAPH_ABS;
		else if (!strcmp(tok, "fractal")) p->mode = CC_GRAPH_REL;
		else if (!strcmp(tok, "flat")) p->mode = CC_FLAT;
		else if (!strcmp(tok, "folded")) p->mode = CC_FOLDED;
		else if (!strcmp(tok, "none")) p->mode = CC_NONE;
		else if (!strcmp(tok, "caller")) { p->order = CC_ORDER_CALLER; p->order_set = true; }
		else if (!strcmp(tok, "callee")) { p->order = CC_ORDER_CALLEE; p->order_set = true; }
		else if (!strcmp(tok, "function")) p->key = CC_KEY_FUNCTION;
		else if (!strcmp(tok, "address")) p->key = CC_KEY_ADDRESS;
		else if (!strcmp(tok, "percent")) p->value = CC_VAL_PERCENT;
		else if (!strcmp(tok, "period")) p->value = CC_VAL_PERIOD;
		else if (!strcmp(tok, "count")) p->value = CC_VAL_COUNT;
		else if (!strcmp(tok, "fp") || !strcmp(tok, "dwarf") || !strcmp(tok, "lbr")) continue;
		else {
			double v = strtod(tok, &end);

			if (end == tok || *end || v < 0) {
				snprintf(err, errsz, "bad -g/--call-graph item '%s' (expected graph, fractal, "
					 "flat, folded, none, a threshold, caller, callee, function, address, "
					 "percent, period or count)", tok);
				ret = -EINVAL;
				break;
			}
			if (nums == 0) {
				p->min_percent = v;
				p->min_set = true;
			} else {
				p->print_limit = (unsigned int)v;
			}
			nums++;
		}
	}
	free(dup);
	return ret;
}

/* ---- building ---------------------------------------------------------------------- */

static inline int frame_cmp(const struct cc_frame *a, const struct cc_frame *b)
{
	if (a->dso_idx != b->dso_idx)
		return a->dso_idx < b->dso_idx ? -1 : 1;
	if (a->cmp != b->cmp)
		return a->cmp < b->cmp ? -1 : 1;
	/* inlined levels share their function's address: told apart by name (interned) */
	if (cc_frame__inl(a) != cc_frame__inl(b))
		return !a->inlined ? -1 : !b->inlined ? 1 : strcmp(a->text, b->text);
	return 0;
}

static struct cc_node *node_new(struct cc_arena *a, struct cc_node *parent)
{
	struct cc_node *n = arena_alloc(a, sizeof(*n));

	if (n) {
		memset(n, 0, sizeof(*n));
		n->parent = parent;
		n->born = a->nr_born++;
	}
	return n;
}

/* Kids are kept in the order they came while the tree grows (found by a short scan, or by
 * hash for wide nodes); before they are walked in order (sorting, merging) they are put in
 * descending (dso_idx, cmp) order of their first frame: the order of perf's lookup tree,
 * which decides the print order of equal-hit siblings. */
static int kid_order_cmp(const void *pa, const void *pb)
{
	const struct cc_node *x = *(struct cc_node *const *)pa, *y = *(struct cc_node *const *)pb;

	return frame_cmp(y->val[0], x->val[0]);
}

/* A frame's DSO and cmp in 32 bits: a kid whose first frame differs is mostly passed over
 * without loading the frame. */
static inline uint32_t frame_key(const struct cc_frame *f)
{
	return (uint32_t)(hash_u64(hash_fold(f->dso_idx, f->cmp)) >> 32);
}

/* The capacity of a kid array holding @nr: a power of two from 2 (0 for none). */
static inline uint32_t kids_cap(uint32_t nr)
{
	return nr <= 2 ? (nr ? 2 : 0) : 1u << (32 - __builtin_clz(nr - 1));
}

/* After the kid pointers, a key of each kid's first frame (frame_key), so that a scan for a
 * kid reads one array rather than a node per kid. */
static inline uint32_t *kid_keys(const struct cc_node *n)
{
	return (uint32_t *)(void *)(n->kids + kids_cap(n->nr_kids));
}

static void kids_rekey(struct cc_node *n)
{
	uint32_t *keys = n->nr_kids ? kid_keys(n) : NULL;

	for (uint32_t i = 0; i < n->nr_kids; i++)
		keys[i] = frame_key(n->kids[i]->val[0]);
}

/* n's kids in perf's lookup-tree order, without their keys (the caller re-keys) */
static void kids_sort(struct cc_node *n)
{
	if (n->nr_kids > 1)
		array__sort(n->kids, n->nr_kids, sizeof(*n->kids), kid_order_cmp);
}

static void kids_order(struct cc_node *n)
{
	kids_sort(n);
	if (n->nr_kids > 1)
		kids_rekey(n);
}

/* inlined levels' names are interned: equal names, equal pointers */
static uint64_t kid_hash(const struct cc_node *parent, const struct cc_frame *f)
{
	uint64_t h = hash_fold(HASH_FNV_OFFSET, (uint64_t)(uintptr_t)parent);

	h = hash_fold(h, f->dso_idx);
	h = hash_fold(h, f->cmp);
	return hash_u64(hash_fold(h, (uint64_t)(uintptr_t)cc_frame__inl(f)));
}

static struct htab_slot *kid_slot(const struct cc_arena *a, const struct cc_node *n,
				  const struct cc_frame *f)
{
	struct htab_slot *s;
	size_t pos;

	htab__for_each_hash(&a->kids, kid_hash(n, f), s, pos) {
		const struct cc_node *k = (const struct cc_node *)s->val;

		if (k->parent == n && !frame_cmp(k->val[0], f))
			return s;
	}
	return NULL;
}

/* The kid of n whose run starts with f, NULL if none. */
static struct cc_node *kid_find(const struct cc_arena *a, const struct cc_node *n,
				const struct cc_frame *f)
{
	if (n->nr_kids >= KIDS_HASHED) {
		struct htab_slot *s = kid_slot(a, n, f);

		return s ? (struct cc_node *)s->val : NULL;
	}
	uint32_t key = frame_key(f);
	const uint32_t *keys = n->nr_kids ? kid_keys(n) : NULL;

	for (uint32_t i = 0; i < n->nr_kids; i++)
		if (keys[i] == key && !frame_cmp(n->kids[i]->val[0], f))
			return n->kids[i];
	return NULL;
}

/* n's kids into the hash once there are enough of them, then each new one. */
static int kids_hash(struct cc_arena *a, const struct cc_node *n, struct cc_node *kid)
{
	if (n->nr_kids > KIDS_HASHED)
		return htab__insert(&a->kids, kid_hash(n, kid->val[0]), (uintptr_t)kid);
	for (uint32_t i = 0; n->nr_kids == KIDS_HASHED && i < n->nr_kids; i++)
		if (htab__insert(&a->kids, kid_hash(n, n->kids[i]->val[0]), (uintptr_t)n->kids[i]))
			return -ENOMEM;
	return 0;
}

/* Kid arrays live in the arena too, so a whole report's trees go away with the arena; an
 * outgrown one is kept for the next node that needs its size (capacities are powers of
 * two from 2). */
static int kids_insert(struct cc_arena *a, struct cc_node *n, struct cc_node *kid)
{
	uint32_t nr = n->nr_kids;

	/* full at 0, and at 2, 4, 8, ... */
	if (!nr || (nr >= 2 && !(nr & (nr - 1)))) {
		uint32_t cap = nr ? nr * 2 : 2;
		int c = __builtin_ctz(cap);
		struct cc_node **k = a->spare[c];

		if (k)
			a->spare[c] = (struct cc_node **)(void *)k[0];
		else if (!(k = arena_alloc(a, cap * (sizeof(*k) + sizeof(uint32_t)))))
			return -ENOMEM;
		if (nr) {
			memcpy(k, n->kids, nr * sizeof(*k));
			memcpy(k + cap, kid_keys(n), nr * sizeof(uint32_t));
			n->kids[0] = (struct cc_node *)(void *)a->spare[__builtin_ctz(nr)];
			a->spare[__builtin_ctz(nr)] = n->kids;
		}
		n->kids = k;
	}
	n->kids[nr] = kid;
	n->nr_kids = nr + 1;
	kid_keys(n)[nr] = frame_key(kid->val[0]);
	return kids_hash(a, n, kid);
}

/* Every field: two frames that print and sort alike may still differ (another ip of the
 * same function), and a run keeps the first sample's frames. */
static uint64_t frame_hash(const struct cc_frame *f)
{
	uint64_t h = hash_fold(HASH_FNV_OFFSET, (uint64_t)(uintptr_t)f->sym);

	h = hash_fold(h, f->ip);
	h = hash_fold(h, f->cmp);
	h = hash_fold(h, (uint64_t)(uintptr_t)f->text);
	return hash_u64(hash_fold(h, ((uint64_t)f->dso_idx << 1) | f->inlined));
}

static bool frame_same(const struct cc_frame *a, const struct cc_frame *b)
{
	return a->sym == b->sym && a->ip == b->ip && a->cmp == b->cmp && a->text == b->text &&
	       a->dso_idx == b->dso_idx && a->inlined == b->inlined;
}

void cc_arena__forget_frames(struct cc_arena *a)
{
	htab__exit(&a->frames);
}

/* The arena's one copy of @f, made on its first sighting. NULL on ENOMEM. */
static const struct cc_frame *frame_intern(struct cc_arena *a, const struct cc_frame *f)
{
	uint64_t h = frame_hash(f);
	struct cc_frame *copy;
	struct htab_slot *s;
	size_t pos;

	htab__for_each_hash(&a->frames, h, s, pos) {
		const struct cc_frame *k = (const struct cc_frame *)s->val;

		if (frame_same(k, f))
			return k;
	}
	copy = arena_alloc(a, sizeof(*copy));
	if (!copy || htab__insert(&a->frames, h, (uintptr_t)copy))
		return NULL;
	*copy = *f;
	return copy;
}

/* A new kid of parent holding run[0..nr): the run itself when @kept (it lives as long as
 * the arena), else a run of the frames' copies in @a (they may be another arena's:
 * cc_root__merge). */
static struct cc_node *add_child(struct cc_node *parent, struct cc_arena *a,
				 const struct cc_frame *const *run, uint32_t nr, uint64_t period,
				 uint32_t count, bool kept)
{
	struct cc_node *n = node_new(a, parent);
	const struct cc_frame **copy;

	if (!n)
		return NULL;
	if (kept) {
		n->val = run;
	} else {
		if (!(copy = arena_alloc(a, nr * sizeof(*copy))))
			return NULL;
		for (uint32_t i = 0; i < nr; i++)
			if (!(copy[i] = frame_intern(a, run[i])))
				return NULL;
		n->val = copy;
	}
	n->val_nr = nr;
	n->hit = period;
	n->count = count;
	if (kids_insert(a, parent, n))
		return NULL;
	return n;
}

/* Split parent's kid t after @at frames. A new node takes the head of its run and its place
 * (and birth rank: perf's order of siblings); the kid keeps the tail, its hits and its kids.
 * Returns the head. */
static struct cc_node *split(struct cc_node *parent, struct cc_arena *a, struct cc_node *t,
			     uint32_t at)
{
	struct cc_node *h = node_new(a, parent);
	uint32_t born, k = 0;

	if (!h)
		return NULL;
	if (parent->nr_kids >= KIDS_HASHED)
		kid_slot(a, parent, t->val[0])->val = (uintptr_t)h;
	born = h->born;
	h->born = t->born;
	t->born = born;
	h->val = t->val;
	h->val_nr = at;
	t->val += at;
	t->val_nr -= at;
	t->parent = h;
	h->children_hit = t->hit + t->children_hit;
	h->children_count = t->count + t->children_count;
	while (parent->kids[k] != t)
		k++;
	parent->kids[k] = h;
	return kids_insert(a, h, t) ? NULL : h;
}

/* Merge a chain of nr interned frames holding period and count samples (@kept: see
 * add_child). */
static int append(struct cc_root *root, struct cc_arena *a, const struct cc_frame *const *run,
		  uint32_t nr, uint64_t period, uint32_t count, bool kept)
{
	struct cc_node *n = &root->node;
	uint32_t pos = 0;

	if (!nr)
		return 0;
	if (nr > root->max_depth)
		root->max_depth = nr;
	/* walk down: at n, run[pos..] continues below n */
	for (;;) {
		uint32_t m;
		struct cc_node *kid = kid_find(a, n, run[pos]);

		if (!kid) {
			n->children_hit += period;
			n->children_count += count;
			return add_child(n, a, run + pos, nr - pos, period, count, kept) ? 0 : -ENOMEM;
		}
		n->children_hit += period;
		n->children_count += count;
		for (m = 1; m < kid->val_nr && pos + m < nr; m++)
			if (frame_cmp(kid->val[m], run[pos + m]))
				break;
		pos += m;
		if (m < kid->val_nr) {
			kid = split(n, a, kid, m);
			if (!kid)
				return -ENOMEM;
			if (pos == nr) {
				kid->hit = period;
				kid->count = count;
				return 0;
			}
			/* the new branch goes next to the moved tail */
			kid->children_hit += period;
			kid->children_count += count;
			return add_child(kid, a, run + pos, nr - pos, period, count, kept) ? 0 : -ENOMEM;
		}
		if (pos == nr) {
			kid->hit += period;
			kid->count += count;
			return 0;
		}
		n = kid;
	}
}

int cc_root__append(struct cc_root *root, struct cc_arena *a, const struct cc_frame *frames,
		    uint32_t nr, uint64_t period)
{
	/* the caller's frames: a new node interns its own */
	if (ARRAY_GROW(a->scratch, a->cap_scratch, nr ? nr : 1))
		return -ENOMEM;
	for (uint32_t i = 0; i < nr; i++)
		a->scratch[i] = &frames[i];
	return append(root, a, a->scratch, nr, period, 1, false);
}

int cc_root__append_run(struct cc_root *root, struct cc_arena *a,
			const struct cc_frame *const *run, uint32_t nr, uint64_t period,
			uint32_t count)
{
	return append(root, a, run, nr, period, count, true);
}

const struct cc_frame *const *cc_arena__run(struct cc_arena *a, const struct cc_frame *frames,
					     uint32_t nr)
{
	const struct cc_frame **v = arena_alloc(a, (nr ? nr : 1) * sizeof(*v));

	for (uint32_t i = 0; v && i < nr; i++)
		if (!(v[i] = frame_intern(a, &frames[i])))
			return NULL;
	return v;
}

size_t cc_arena__bytes(const struct cc_arena *a)
{
	return a ? a->bytes : 0;
}

void *cc_arena__alloc(struct cc_arena *a, size_t n)
{
	return arena_alloc(a, n);
}

struct cc_root *cc_ref__root(struct cc_ref *ref, struct cc_arena *a)
{
	if (!ref->root && (ref->root = cc_arena__alloc(a, sizeof(*ref->root))))
		memset(ref->root, 0, sizeof(*ref->root));
	return ref->root;
}

struct merge_walk {
	struct cc_root *dst;
	struct cc_arena *a;
	const struct cc_frame **path;
	uint32_t nr;
	size_t cap;
};

static int merge_node(struct merge_walk *w, const struct cc_node *n)
{
	uint32_t base = w->nr;
	int err = 0;

	if (ARRAY_GROW(w->path, w->cap, (size_t)w->nr + n->val_nr))
		return -ENOMEM;
	for (uint32_t j = 0; j < n->val_nr; j++)
		w->path[w->nr++] = n->val[j];
	if (n->count || n->hit)
		err = append(w->dst, w->a, w->path, w->nr, n->hit, n->count, false);
	kids_order((struct cc_node *)n);	/* the walk's order is the new nodes' birth order */
	for (uint32_t i = 0; !err && i < n->nr_kids; i++)
		err = merge_node(w, n->kids[i]);
	w->nr = base;
	return err;
}

int cc_root__merge(struct cc_root *dst, struct cc_arena *a, const struct cc_root *src)
{
	struct merge_walk w = { .dst = dst, .a = a };
	int err = 0;

	kids_order((struct cc_node *)&src->node);
	for (uint32_t i = 0; !err && i < src->node.nr_kids; i++)
		err = merge_node(&w, src->node.kids[i]);
	free(w.path);
	return err;
}

/* ---- sorting ----------------------------------------------------------------------- */

static inline uint64_t cumul(const struct cc_node *n)
{
	return n->hit + n->children_hit;
}

struct ranked {
	struct cc_node *n;
	uint64_t v;
	uint32_t seq;
};

/* perf keeps a node's children in a red-black tree ordered by their first frame, the greater
 * first: by name when either is an inlined level (with the function key), else by DSO
 * (creation order) and symbol start or address. Children of equal hits print in that tree's
 * order; the comparison is not a total order (names against addresses), so the order comes
 * from rebuilding the tree as perf built it: children inserted as they were created. */
static int name_cmp(const struct cc_frame *x, const struct cc_frame *y)
{
	static const size_t sfx = sizeof(" (inlined)") - 1;
	const char *a = x->inlined ? x->text : x->sym->name, *b = y->inlined ? y->text : y->sym->name;
	size_t la = x->inlined ? strlen(a) - sfx : strlen(a), lb = y->inlined ? strlen(b) - sfx : strlen(b);
	int c = strncmp(a, b, la < lb ? la : lb);

	return c ? c : (la > lb) - (la < lb);
}

static int born_cmp(const void *pa, const void *pb)
{
	const struct cc_node *a = *(struct cc_node *const *)pa, *b = *(struct cc_node *const *)pb;

	return (a->born > b->born) - (a->born < b->born);
}

/* resort__tree's comparator (the function key): the new kid goes left when the one it meets
 * is smaller */
static int kid_tree_cmp(const void *pa, const void *pb)
{
	const struct cc_frame *x = (*(struct cc_node *const *)pb)->val[0];
	const struct cc_frame *y = (*(struct cc_node *const *)pa)->val[0];

	if (x->sym && y->sym && (x->inlined || y->inlined))
		return name_cmp(x, y);
	if (x->dso_idx != y->dso_idx)
		return x->dso_idx < y->dso_idx ? -1 : 1;
	/* without a symbol on either side perf compares the addresses */
	if (!x->sym || !y->sym)
		return (x->ip > y->ip) - (x->ip < y->ip);
	return (x->cmp > y->cmp) - (x->cmp < y->cmp);
}

/* n's kids in perf's tree order (function key): a new array, or NULL on ENOMEM */
static struct cc_node **kids_in_tree_order(const struct cc_node *n)
{
	struct cc_node **v = malloc((n->nr_kids ? n->nr_kids : 1) * sizeof(*v));

	if (!v)
		return NULL;
	memcpy(v, n->kids, n->nr_kids * sizeof(*v));
	array__sort(v, n->nr_kids, sizeof(*v), born_cmp);
	if (resort__tree((void **)v, n->nr_kids, kid_tree_cmp)) {
		free(v);
		return NULL;
	}
	return v;
}

static int ranked_cmp(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;

	if (a->v != b->v)
		return a->v > b->v ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int sort_graph(struct cc_node *n, const struct cc_param *p, uint64_t min_hit)
{
	struct ranked *r;
	uint32_t i, rest, nr = 0;

	n->nr_sorted = 0;
	if (!n->nr_kids)
		return 0;
	kids_sort(n);	/* re-keyed below, once in print order */
	if (p->mode == CC_GRAPH_REL)
		min_hit = (uint64_t)ceil(n->children_hit * (p->min_percent / 100.0));
	r = malloc(n->nr_kids * sizeof(*r));
	if (!r)
		return -ENOMEM;
	for (i = 0; i < n->nr_kids; i++) {
		struct cc_node *k = n->kids[i];

		if (sort_graph(k, p, min_hit)) {
			free(r);
			return -ENOMEM;
		}
		if (cumul(k) >= min_hit)
			r[nr++] = (struct ranked){ .n = k, .v = cumul(k), .seq = i };
	}
	/* kids[] is perf's tree order unless an inlined level or a frame without a symbol is
	 * among them */
	for (i = 0; i < nr && p->key == CC_KEY_FUNCTION; i++) {
		if (r[i].n->val[0]->inlined || !r[i].n->val[0]->sym) {
			struct cc_node **v = kids_in_tree_order(n);

			if (!v) {
				free(r);
				return -ENOMEM;
			}
			for (uint32_t j = 0, m = 0; j < n->nr_kids; j++)
				if (cumul(v[j]) >= min_hit)
					r[m++] = (struct ranked){ .n = v[j], .v = cumul(v[j]), .seq = j };
			free(v);
			break;
		}
	}
	array__sort(r, nr, sizeof(*r), ranked_cmp);
	/* in place: the printed kids in print order, then the others (all stay findable) */
	for (i = 0, rest = nr; i < n->nr_kids; i++)
		if (cumul(n->kids[i]) < min_hit)
			r[rest++].n = n->kids[i];
	for (i = 0; i < n->nr_kids; i++)
		n->kids[i] = r[i].n;
	kids_rekey(n);
	n->nr_sorted = nr;
	free(r);
	return 0;
}

struct flat_acc {
	struct ranked *r;
	uint32_t nr;
	size_t cap;
};

static int collect_flat(struct cc_node *n, struct flat_acc *acc, uint64_t min_hit)
{
	uint32_t i;

	kids_order(n);
	for (i = 0; i < n->nr_kids; i++)
		if (collect_flat(n->kids[i], acc, min_hit))
			return -ENOMEM;
	if (n->hit && n->hit >= min_hit) {
		if (ARRAY_GROW(acc->r, acc->cap, (size_t)acc->nr + 1))
			return -ENOMEM;
		acc->r[acc->nr] = (struct ranked){ .n = n, .v = n->hit, .seq = acc->nr };
		acc->nr++;
	}
	return 0;
}

int cc_root__sort(struct cc_root *root, struct cc_arena *a, const struct cc_param *p,
		  uint64_t min_hit)
{
	struct flat_acc acc = { 0 };
	uint32_t i;
	int ret = 0;

	if (p->mode == CC_GRAPH_ABS || p->mode == CC_GRAPH_REL)
		return sort_graph(&root->node, p, min_hit);
	if (p->mode == CC_NONE)
		return 0;
	if (collect_flat(&root->node, &acc, min_hit)) {
		ret = -ENOMEM;
		goto out;
	}
	if (acc.nr)
		array__sort(acc.r, acc.nr, sizeof(*acc.r), ranked_cmp);
	root->flat = arena_alloc(a, (acc.nr ? acc.nr : 1) * sizeof(*root->flat));
	if (!root->flat) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < acc.nr; i++)
		root->flat[i] = acc.r[i].n;
	root->nr_flat = acc.nr;
out:
	free(acc.r);
	return ret;
}

/* ---- printing ---------------------------------------------------------------------- */

/* A frame as perf names it: with the address key, a symbol's frame is followed by its
 * source line, or by "+OFFSET" where the line is unknown (perf's srcline without the
 * symbol name). */
static const char *frame_name(const struct cc_frame *f, bool demangle, char *buf, size_t sz)
{
	const char *srcl = cc_frame__srcl(f);

	if (f->inlined)
		return f->text;
	if (f->sym && srcl) {
		size_t n = strlen(f->sym->name);
		const char *sl = !strncmp(srcl, f->sym->name, n) && srcl[n] == '+' ? srcl + n : srcl;

		snprintf(buf, sz, "%s %s", symbol__name(f->sym, demangle), sl);
		return buf;
	}
	if (f->sym)
		return symbol__name(f->sym, demangle);
	snprintf(buf, sz, "%#llx", (unsigned long long)f->ip);
	return buf;
}

static size_t put_value(struct obuf *o, const struct cc_print *pp, uint64_t period,
			uint32_t count)
{
	switch (pp->param->value) {
	case CC_VAL_PERIOD:
		return ob_udec(o, period, 0, false);
	case CC_VAL_COUNT:
		return ob_udec(o, count, 0, false);
	default: {
		size_t n = ob_fixed2(o, pp->total ? period * 100.0 / pp->total : 0.0);

		ob_char(o, '%');
		return n + 1;
	}
	}
}

static size_t margin(struct obuf *o, int left)
{
	ob_pad(o, 12 + (size_t)left);
	return 12 + (size_t)left;
}

static size_t graph_line(struct obuf *o, int depth, int mask, int left)
{
	size_t r = margin(o, left);
	int i;

	for (i = 0; i < depth; i++)
		ob_mem(o, mask & (1 << i) ? "|          " : "           ", 11);
	ob_char(o, '\n');
	return r + 11 * (size_t)depth + 1;
}

/* one frame line of a node; the first one carries the --value-- branch */
static size_t graph_frame(struct obuf *o, const struct cc_print *pp, const char *name,
			  uint64_t period, uint32_t count, int depth, int mask, bool first,
			  uint64_t total, int left)
{
	struct cc_print p2 = *pp;
	size_t r = margin(o, left);
	int i;

	p2.total = total;
	for (i = 0; i < depth; i++) {
		ob_char(o, mask & (1 << i) ? '|' : ' ');
		r++;
		if (first && i == depth - 1) {
			ob_mem(o, "--", 2);
			r += 2 + put_value(o, &p2, period, count);
			ob_mem(o, "--", 2);
			r += 2;
		} else {
			ob_pad(o, 10);
			r += 10;
		}
	}
	r += ob_str(o, name);
	ob_char(o, '\n');
	return r + 1;
}

static size_t graph_level(struct obuf *o, const struct cc_print *pp, const struct cc_node *n,
			  uint64_t total, int depth, int mask, int left)
{
	int new_mask = mask;
	uint64_t remaining = total;
	size_t r = 0;
	uint32_t i, printed = 0;
	uint32_t cumul_count = 0;
	char buf[512];

	for (i = 0; i < n->nr_sorted; i++) {
		const struct cc_node *k = n->kids[i];
		bool last = i + 1 == n->nr_sorted;
		uint32_t j;

		remaining -= cumul(k);
		cumul_count += k->count + k->children_count;
		if (last && (pp->param->mode != CC_GRAPH_REL || !remaining))
			new_mask &= ~(1 << (depth - 1));
		r += graph_line(o, depth, mask, left);
		for (j = 0; j < k->val_nr; j++)
			r += graph_frame(o, pp, frame_name(k->val[j], pp->demangle, buf, sizeof(buf)),
					 cumul(k), k->count + k->children_count, depth, new_mask,
					 j == 0, total, left);
		r += graph_level(o, pp, k, pp->param->mode == CC_GRAPH_REL ? k->children_hit : total,
				 depth + 1, new_mask | (1 << depth), left);
		if (++printed == pp->param->print_limit)
			break;
	}
	if (pp->param->mode == CC_GRAPH_REL && remaining && remaining != total) {
		uint32_t cnt = 0;

		if (pp->param->value == CC_VAL_COUNT && n->nr_sorted && n->parent) {
			if (n->children_count <= cumul_count)
				return r;
			cnt = n->children_count - cumul_count;
		}
		new_mask &= ~(1 << (depth - 1));
		/* perf 6.1's remainder pseudo-symbol: its "inlined" flag is never set (malloc'd
		 * memory), so perf prints "[...]" mostly, "[...] (inlined)" now and then */
		r += graph_frame(o, pp, "[...]", remaining, cnt, depth, new_mask, true, total, left);
	}
	return r;
}

static size_t print_graph(struct obuf *o, const struct cc_root *root, const struct cc_print *pp)
{
	const struct cc_node *n = &root->node;
	uint64_t total = pp->total;
	size_t r = 0;
	int left = 0;
	char buf[512];

	/* A single chain that holds all of the entry's period is printed without a value. */
	if (n->nr_sorted == 1 && cumul(n->kids[0]) == pp->parent_samples) {
		const struct cc_node *c = n->kids[0];
		bool printed = false;
		uint32_t j, shown = 0;

		for (j = 0; j < c->val_nr; j++) {
			if (j == 0 && pp->skip_first)
				continue;
			if (!printed) {
				r += margin(o, left);
				r += ob_str(o, "|\n");
				r += margin(o, left);
				r += ob_str(o, "---");
				left += 3;
				printed = true;
			} else {
				r += margin(o, left);
			}
			r += ob_str(o, frame_name(c->val[j], pp->demangle, buf, sizeof(buf)));
			ob_char(o, '\n');
			r++;
			if (++shown == pp->param->print_limit)
				break;
		}
		n = c;
	}
	if (pp->param->mode == CC_GRAPH_REL)
		total = pp->parent_samples;
	r += graph_level(o, pp, n, total, 1, 1, left);
	if (r)
		r += ob_str(o, "\n");
	return r;
}

static size_t flat_path(struct obuf *o, const struct cc_print *pp, const struct cc_node *n)
{
	size_t r = 0;
	char buf[512];

	if (!n)
		return 0;
	r += flat_path(o, pp, n->parent);
	for (uint32_t j = 0; j < n->val_nr; j++) {
		ob_pad(o, 16);
		r += 16 + ob_str(o, frame_name(n->val[j], pp->demangle, buf, sizeof(buf)));
		ob_char(o, '\n');
		r++;
	}
	return r;
}

static size_t folded_path(struct obuf *o, const struct cc_print *pp, const struct cc_node *n)
{
	const char *sep = pp->sep ? pp->sep : ";";
	size_t r = 0;
	bool first;
	char buf[512];

	if (!n)
		return 0;
	r += folded_path(o, pp, n->parent);
	first = r == 0;
	for (uint32_t j = 0; j < n->val_nr; j++) {
		if (!first)
			r += ob_str(o, sep);
		r += ob_str(o, frame_name(n->val[j], pp->demangle, buf, sizeof(buf)));
		first = false;
	}
	return r;
}

static size_t print_root(struct obuf *o, const struct cc_root *root, const struct cc_print *pp)
{
	size_t r = 0;
	uint32_t i;

	switch (pp->param->mode) {
	case CC_GRAPH_ABS:
	case CC_GRAPH_REL:
		return print_graph(o, root, pp);
	case CC_FLAT:
		for (i = 0; i < root->nr_flat; i++) {
			const struct cc_node *c = root->flat[i];

			r += ob_str(o, "           ");
			r += put_value(o, pp, cumul(c), c->count + c->children_count);
			r += ob_str(o, "\n");
			r += flat_path(o, pp, c);
			r += ob_str(o, "\n");
			if (i + 1 == pp->param->print_limit)
				break;
		}
		return r;
	case CC_FOLDED:
		for (i = 0; i < root->nr_flat; i++) {
			const struct cc_node *c = root->flat[i];

			r += put_value(o, pp, c->hit, c->count);
			r += ob_str(o, " ");
			r += folded_path(o, pp, c);
			r += ob_str(o, "\n");
			if (i + 1 == pp->param->print_limit)
				break;
		}
		return r;
	default:
		return 0;
	}
}

size_t cc_root__fprintf(FILE *f, const struct cc_root *root, const struct cc_print *pp)
{
	char mem[16384];
	struct obuf o;
	size_t r;

	ob_init(&o, f, mem, sizeof(mem));
	r = print_root(&o, root, pp);
	ob_flush(&o);
	return r;
}
