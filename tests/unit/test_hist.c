/* Unit tests for preport's call-graph tree (merge, split, hit counts, sort, graph text),
 * the trees sorted on a second thread, the sort keys (identity, tie order, cell formats) and the interning records' keeping
 * rules, on hand-made chains. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report/hist/callchain.h"
#include "report/hist/cc_log.h"
#include "perfdata/sample.h"
#include "report/hist/chain_intern.h"
#include "report/hist/hist.h"
#include "report/hist/presort.h"
#include "report/hist/resort.h"
#include "report/hist/sort.h"
#include "symbols/dso.h"
#include "util/strpool.h"

static struct symbol syms[4] = {
	{ .start = 0x100, .end = 0x200, .name = "main", .dname = "main" },
	{ .start = 0x200, .end = 0x300, .name = "a", .dname = "a" },
	{ .start = 0x300, .end = 0x400, .name = "b", .dname = "b" },
	{ .start = 0x400, .end = 0x500, .name = "leaf", .dname = "leaf" },
};

static struct cc_frame fr(int i)
{
	return (struct cc_frame){ .sym = &syms[i], .ip = syms[i].start + 4, .cmp = syms[i].start, .dso_idx = 1 };
}

static char *print_tree(struct cc_root *root, struct cc_arena *a, const struct cc_param *p,
			uint64_t total, uint64_t parent)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct cc_print pp = { .param = p, .total = total, .parent_samples = parent };

	assert_int_equal(cc_root__sort(root, a, p, 0), 0);
	cc_root__fprintf(f, root, &pp);
	fclose(f);
	return buf;
}

static void test_tree_split_and_hits(void **state)
{
	struct cc_arena *a = cc_arena__new();
	struct cc_root root = { 0 };
	struct cc_frame c1[] = { fr(0), fr(1), fr(3) }, c2[] = { fr(0), fr(2), fr(3) }, c3[] = { fr(0) };
	struct cc_param p = CC_PARAM_DEFAULT;
	char *txt;

	(void)state;
	assert_int_equal(cc_root__append(&root, a, c1, 3, 30), 0);
	assert_int_equal(cc_root__append(&root, a, c1, 3, 30), 0);
	assert_int_equal(cc_root__append(&root, a, c2, 3, 20), 0);
	assert_int_equal(cc_root__append(&root, a, c3, 1, 20), 0);
	/* one root node "main" holding everything, split after its first frame */
	assert_int_equal(root.node.nr_kids, 1);
	assert_int_equal(root.node.children_hit, 100);
	assert_int_equal(root.node.kids[0]->val_nr, 1);
	assert_int_equal(root.node.kids[0]->hit, 20);
	assert_int_equal(root.node.kids[0]->children_hit, 80);
	assert_int_equal(root.node.kids[0]->nr_kids, 2);
	assert_int_equal(root.max_depth, 3);
	/* both branches end in "leaf": one frame, kept once */
	assert_ptr_equal(root.node.kids[0]->kids[0]->val[1], root.node.kids[0]->kids[1]->val[1]);
	txt = print_tree(&root, a, &p, 100, 100);
	assert_string_equal(txt,
		"            |\n"
		"            ---main\n"
		"               |          \n"
		"               |--60.00%--a\n"
		"               |          leaf\n"
		"               |          \n"
		"                --20.00%--b\n"
		"                          leaf\n"
		"\n");
	free(txt);
	/* the entry holds more than the chains: the top node gets its value */
	txt = print_tree(&root, a, &p, 200, 150);
	assert_non_null(strstr(txt, "--50.00%--main\n"));
	free(txt);
	cc_arena__free(a);
}

/* A tree built from the log is the tree the same appends make, in the same order: an
 * interned chain's later hits count as if appended again; a tree under the threshold is
 * not built, one asked for after its replay is left alone. */
static void test_log_replay(void **state)
{
	struct cc_arena *a = cc_arena__new();
	struct cc_log *l = cc_log__new();
	struct cc_root direct = { 0 };
	struct cc_ref built = { 0 }, small = { 0 }, late = { 0 };
	struct cc_frame c1[] = { fr(0), fr(1), fr(3) }, c2[] = { fr(0), fr(2), fr(3) };
	struct cc_param p = CC_PARAM_DEFAULT;
	long n1, n2;
	char *want, *got;

	(void)state;
	assert_int_equal(cc_root__append(&direct, a, c2, 3, 20), 0);
	assert_int_equal(cc_root__append(&direct, a, c1, 3, 30), 0);
	assert_int_equal(cc_root__append(&direct, a, c1, 3, 50), 0);
	n2 = cc_log__chain(l, cc_arena__run(a, c2, 3), 3, 20);
	assert_true(n2 >= 0);
	assert_int_equal(cc_log__add(l, &built, 0), 0);
	n1 = cc_log__chain(l, cc_arena__run(a, c1, 3), 3, 30);
	assert_true(n1 >= 0);
	assert_int_equal(cc_log__add(l, &built, 0), 0);
	assert_int_equal(cc_log__add(l, &small, 1), 0);
	assert_int_equal(cc_log__add(l, &late, 2), 0);
	cc_log__hit(l, (uint32_t)n1, 50, 1);
	/* the entry order reads the depth before any tree is built */
	assert_int_equal(built.max_depth, 3);
	assert_int_equal(small.max_depth, 2);
	assert_null(built.root);
	cc_log__want(l, &built);
	cc_log__want(l, &small);
	/* built: 100 in all; small: 80, under the threshold: not made */
	assert_int_equal(cc_log__replay(l, a, 90, false), 0);
	assert_null(small.root);
	assert_null(late.root);
	assert_non_null(built.root);
	/* c1 with both its samples (the flushed hit), after c2 */
	assert_int_equal(built.root->node.children_hit, 100);
	assert_int_equal(built.root->node.children_count, 3);
	want = print_tree(&direct, a, &p, 100, 100);
	got = print_tree(built.root, a, &p, 100, 100);
	assert_string_equal(got, want);
	free(want);
	free(got);
	/* decided once: asked for again with no threshold, small stays empty */
	cc_log__want(l, &small);
	cc_log__want(l, &late);
	assert_int_equal(cc_log__replay(l, a, 0, true), 0);
	assert_null(small.root);
	assert_non_null(late.root);
	assert_int_equal(late.root->node.nr_kids, 1);
	assert_int_equal(late.root->node.children_hit, 80);
	assert_int_equal(late.root->node.children_count, 2);
	cc_log__free(l);
	cc_arena__free(a);
}

/* The log keeps an append's frame as a step from the chain's previous one: a step too long
 * for a byte (from frame 3 to 300), a frame before the previous one (2, then 1) and the
 * chains' boundaries all replay to the trees that appending the same frames makes. */
static void test_log_far_steps(void **state)
{
	enum { LONG = 600 };
	static const uint32_t froms[] = { 0, 3, 300, 301, LONG - 1 };
	struct cc_arena *a = cc_arena__new();
	struct cc_log *l = cc_log__new();
	struct cc_frame *c1 = calloc(LONG, sizeof(*c1)), c2[] = { fr(0), fr(1), fr(3) };
	struct cc_ref refs[5] = { 0 }, r2 = { 0 }, back[2] = { 0 };
	struct cc_param p = CC_PARAM_DEFAULT;

	(void)state;
	assert_non_null(c1);
	for (int i = 0; i < LONG; i++)
		c1[i] = fr(i % 4);
	assert_true(cc_log__chain(l, cc_arena__run(a, c1, LONG), LONG, 7) >= 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(cc_log__add(l, &refs[i], froms[i]), 0);
	assert_true(cc_log__chain(l, cc_arena__run(a, c2, 3), 3, 5) >= 0);
	assert_int_equal(cc_log__add(l, &r2, 0), 0);
	assert_true(cc_log__chain(l, cc_arena__run(a, c2, 3), 3, 9) >= 0);
	assert_int_equal(cc_log__add(l, &back[0], 2), 0);
	assert_int_equal(cc_log__add(l, &back[1], 1), 0);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(refs[i].max_depth, LONG - froms[i]);
		cc_log__want(l, &refs[i]);
	}
	cc_log__want(l, &r2);
	cc_log__want(l, &back[0]);
	cc_log__want(l, &back[1]);
	assert_int_equal(cc_log__replay(l, a, 0, true), 0);
	for (int i = 0; i < 7 + 1; i++) {
		struct cc_root direct = { 0 };
		struct cc_ref *ref = i < 5 ? &refs[i] : i == 5 ? &r2 : &back[i - 6];
		const struct cc_frame *fs = i < 5 ? c1 + froms[i] : i == 5 ? c2 : c2 + 2 - (i - 6);
		uint32_t n = i < 5 ? LONG - froms[i] : i == 5 ? 3 : 1 + (uint32_t)(i - 6);
		char *want, *got;

		assert_non_null(ref->root);
		assert_int_equal(cc_root__append(&direct, a, fs, n, i < 5 ? 7 : i == 5 ? 5 : 9), 0);
		want = print_tree(&direct, a, &p, 100, 100);
		got = print_tree(ref->root, a, &p, 100, 100);
		assert_string_equal(got, want);
		free(want);
		free(got);
	}
	free(c1);
	cc_log__free(l);
	cc_arena__free(a);
}

/* A node's outgrown kid array is the next new one of its size. */
static void test_tree_reuses_kid_arrays(void **state)
{
	struct cc_arena *a = cc_arena__new();
	struct cc_root root = { 0 };
	struct cc_frame c1[] = { fr(0), fr(1) }, c2[] = { fr(0), fr(2) }, c3[] = { fr(0), fr(3) };
	struct cc_frame c4[] = { fr(1), fr(2) };
	struct cc_node *main_node, **two, *other;
	/* "main" gets 3 kids (its array of 2 is outgrown), then "a" splits and gets 2 */

	(void)state;
	assert_int_equal(cc_root__append(&root, a, c1, 2, 1), 0);
	assert_int_equal(cc_root__append(&root, a, c2, 2, 1), 0);
	main_node = root.node.kids[0];
	assert_int_equal(main_node->nr_kids, 2);
	two = main_node->kids;
	assert_int_equal(cc_root__append(&root, a, c3, 2, 1), 0);
	assert_int_equal(main_node->nr_kids, 3);
	assert_ptr_not_equal(main_node->kids, two);
	assert_int_equal(cc_root__append(&root, a, c4, 2, 1), 0);	/* "a", then "b" below it */
	assert_int_equal(cc_root__append(&root, a, (struct cc_frame[]){ fr(1), fr(3) }, 2, 1), 0);
	other = root.node.kids[0] == main_node ? root.node.kids[1] : root.node.kids[0];
	assert_int_equal(other->nr_kids, 2);
	assert_ptr_equal(other->kids, two);
	cc_arena__free(a);
}

/* A node with many kids finds each again (by its keys' scan, then by hash past
 * KIDS_HASHED): a second pass adds to the same 100 kids. */
static void test_tree_wide_node(void **state)
{
	struct cc_arena *a = cc_arena__new();
	struct cc_root root = { 0 };
	struct cc_node *m;

	(void)state;
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < 100; i++) {
			struct cc_frame c[2] = { fr(0), { .ip = 0x9000 + (uint64_t)i,
							   .cmp = 0x9000 + (uint64_t)i, .dso_idx = 2 } };

			assert_int_equal(cc_root__append(&root, a, c, 2, 1), 0);
		}
	assert_int_equal(root.node.nr_kids, 1);
	m = root.node.kids[0];
	assert_int_equal(m->nr_kids, 100);
	for (uint32_t i = 0; i < m->nr_kids; i++) {
		assert_int_equal(m->kids[i]->hit, 2);
		assert_int_equal(m->kids[i]->nr_kids, 0);
	}
	cc_arena__free(a);
}

/* An entry's graph as printed ("" without a tree: nothing to print) */
static char *tree_text(const struct cc_ref *ref, const struct cc_param *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct cc_print pp = { .param = p, .total = 1000, .parent_samples = 1000 };

	if (ref->root)
		cc_root__fprintf(f, ref->root, &pp);
	fclose(f);
	return buf;
}

/* Trees built from a log and sorted on the second thread print as trees appended and sorted
 * one by one here. */
static void test_presort(void **state)
{
	enum { N = 300 };
	struct cc_arena *a = cc_arena__new();
	struct cc_log *l = cc_log__new();
	struct hist_entry *e = calloc(2 * N, sizeof(*e));
	struct hist_entry *v[N];
	struct cc_param p = { .mode = CC_GRAPH_ABS, .order = CC_ORDER_CALLEE, .min_percent = 0.5 };
	struct cc_presort ps;

	(void)state;
	assert_non_null(e);
	assert_true(cc_presort__wanted(&p, N));
	for (int i = 0; i < 2 * N; i++)
		for (int j = 0; j < 8; j++) {
			/* chains that split, with hits that reorder the branches */
			struct cc_frame c[3] = { fr(j % 4), fr((i + j) % 4), fr((i * j + 1) % 4) };
			uint32_t nr = 1 + (uint32_t)(j % 3);
			uint64_t period = (uint64_t)(1 + (i % N) * j % 7);

			if (i < N) {
				assert_non_null(cc_ref__root(&e[i].cc, a));
				assert_int_equal(cc_root__append(e[i].cc.root, a, c, nr, period), 0);
				continue;
			}
			/* the second half's trees logged (the same chains, as i + N) */
			assert_true(cc_log__chain(l, cc_arena__run(a, c, nr), nr, period) >= 0);
			assert_int_equal(cc_log__add(l, &e[i].cc, 0), 0);
		}
	for (int i = 0; i < N; i++) {
		assert_int_equal(cc_root__sort(e[i].cc.root, a, &p, 5), 0);
		v[i] = &e[N + i];
		cc_log__want(l, &v[i]->cc);
	}
	assert_int_equal(cc_presort__start(&ps, v, N, &p, 5, l, a), 0);
	assert_int_equal(cc_presort__join(&ps), 0);
	for (int i = 0, shown = 0; i < N; i++) {
		char *x = tree_text(&e[i].cc, &p), *y = tree_text(&e[N + i].cc, &p);

		shown += strlen(x) > 0;
		assert_string_equal(x, y);
		free(x);
		free(y);
		if (i == N - 1)
			assert_true(shown > N / 2);
	}
	free(e);
	cc_log__free(l);
	cc_arena__free(a);
}

static void test_tree_threshold_and_folded(void **state)
{
	struct cc_arena *a = cc_arena__new();
	struct cc_root root = { 0 };
	struct cc_frame c1[] = { fr(3), fr(1), fr(0) }, c2[] = { fr(3), fr(2), fr(0) };
	struct cc_param p = CC_PARAM_DEFAULT;
	char *txt;

	(void)state;
	cc_root__append(&root, a, c1, 3, 996);
	cc_root__append(&root, a, c2, 3, 4);
	/* 0.4% is under the 0.5% threshold: a single chain remains */
	assert_int_equal(cc_root__sort(&root, a, &p, 5), 0);
	assert_int_equal(root.node.nr_sorted, 1);
	assert_int_equal(root.node.kids[0]->nr_sorted, 1);
	p.mode = CC_FOLDED;
	txt = print_tree(&root, a, &p, 1000, 1000);
	assert_string_equal(txt, "99.60% leaf;a;main\n0.40% leaf;b;main\n");
	free(txt);
	cc_arena__free(a);
}

static void test_param_parse(void **state)
{
	struct cc_param p = CC_PARAM_DEFAULT;
	char err[128];

	(void)state;
	assert_int_equal(cc_param__parse(&p, "fractal,0.1,3,caller,count", err, sizeof(err)), 0);
	assert_int_equal(p.mode, CC_GRAPH_REL);
	assert_true(p.min_percent > 0.09 && p.min_percent < 0.11);
	assert_int_equal(p.print_limit, 3);
	assert_int_equal(p.order, CC_ORDER_CALLER);
	assert_true(p.order_set);
	assert_int_equal(p.value, CC_VAL_COUNT);
	assert_int_equal(cc_param__parse(&p, "graph,bogus", err, sizeof(err)), -22);
	assert_non_null(strstr(err, "bogus"));
}

static void test_sort_keys(void **state)
{
	struct sort_list l;
	char err[128], buf[256];
	struct strpool *t = strpool__new();
	struct hist_key k1 = { 0 }, k2;
	struct hists *h;
	struct hist_entry *e1, *e2;
	bool created;

	(void)state;
	assert_int_equal(sort_list__parse(&l, "comm,dso,symbol", err, sizeof(err)), 0);
	assert_int_equal(l.nr, 3);
	assert_int_equal(sort_list__parse(&l, "comm,nope", err, sizeof(err)), -22);
	assert_int_equal(sort_list__parse(&l, "comm,dso,sym", err, sizeof(err)), 0);
	k1.comm = strpool__add(t, "prog");
	assert_ptr_equal(k1.comm, strpool__add(t, "prog"));
	k1.dso_name = strpool__add(t, "libc.so.6");
	k1.sym = &syms[1];
	k1.sym_start = syms[1].start;
	k1.sym_end = syms[1].end;
	k1.level = '.';
	k2 = k1;
	k2.ip = 0x1234;		/* another address in the same symbol: same entry */
	assert_true(hist_key__equal(&l, &k1, &k2));
	h = hists__new(&l);
	e1 = hists__findnew(h, &k1, hist_key__hash(&l, &k1), &created);
	assert_true(created);
	e2 = hists__findnew(h, &k2, hist_key__hash(&l, &k2), &created);
	assert_false(created);
	assert_ptr_equal(e1, e2);
	k2.sym = NULL;		/* unresolved: keyed by address */
	assert_false(hist_key__equal(&l, &k1, &k2));
	assert_true(hist_key__cmp(&l, &k1, &k2, true) < 0);	/* named symbols first */
	sort_key__snprintf(SK_SYM, &k2, buf, sizeof(buf), 22, true, NULL);
	assert_string_equal(buf, "[.] 0x0000000000001234");
	k2.ip = 0;
	sort_key__snprintf(SK_SYM, &k2, buf, sizeof(buf), 22, true, NULL);
	assert_string_equal(buf, "[.] 0000000000000000");	/* printf's # flag drops 0x for 0 */
	sort_key__snprintf(SK_DSO, &k1, buf, sizeof(buf), 12, true, NULL);
	assert_string_equal(buf, "libc.so.6   ");
	sort_key__snprintf(SK_DSO, &k1, buf, sizeof(buf), 12, true, ".");
	assert_string_equal(buf, "libc.so.6   ");
	k1.cpu = -1;
	sort_key__snprintf(SK_CPU, &k1, buf, sizeof(buf), 3, true, NULL);
	assert_string_equal(buf, "-001");
	hists__free(h);
	strpool__free(t);
}

static int merge_sum(struct hist_entry *into, struct hist_entry *from, void *ctx)
{
	(void)ctx;
	into->self += from->self;
	return 0;
}

/* Many entries (the table grows several times), each found again by its key; after keys are
 * changed in place, entries that now share one merge into the earliest, creation order kept. */
/* An entry keeps its key's tail only where a sort key reads it; what it keeps is the key's. */
static void test_hists_key_tail(void **state)
{
	struct sort_list head, tail;
	struct hist_key k = { .ip = 0x1234, .level = 'k', .tid = 7, .cpu = 3, .srcline = "x.c:1" };
	struct hists *h1, *h2;
	struct hist_entry *e1, *e2;
	char err[128];
	bool created;

	(void)state;
	assert_int_equal(sort_list__parse(&head, "comm,dso,sym", err, sizeof(err)), 0);
	assert_int_equal(sort_list__parse(&tail, "sym,srcline", err, sizeof(err)), 0);
	assert_false(sort_list__uses_tail(&head));
	assert_true(sort_list__uses_tail(&tail));
	h1 = hists__new(&head);
	h2 = hists__new(&tail);
	assert_non_null(h1);
	assert_non_null(h2);
	assert_true(h1->entry_size < h2->entry_size);
	assert_true(h2->entry_size >= sizeof(struct hist_entry));
	e1 = hists__findnew(h1, &k, hist_key__hash(&head, &k), &created);
	e2 = hists__findnew(h2, &k, hist_key__hash(&tail, &k), &created);
	assert_non_null(e1);
	assert_non_null(e2);
	assert_int_equal(e1->key.ip, 0x1234);
	assert_int_equal(e1->key.level, 'k');
	assert_int_equal(e1->key.tid, 7);
	assert_string_equal(e2->key.srcline, "x.c:1");
	assert_int_equal(e2->key.cpu, 3);
	hists__free(h1);
	hists__free(h2);
}

static void test_hists_table(void **state)
{
	struct sort_list l;
	char err[128];
	struct hists *h;
	struct hist_key k = { 0 };
	bool created;
	enum { N = 20000 };

	(void)state;
	assert_int_equal(sort_list__parse(&l, "cpu,sym", err, sizeof(err)), 0);
	h = hists__new(&l);
	assert_non_null(h);
	for (int i = 0; i < N; i++) {
		struct hist_entry *e;

		k.cpu = i % 7;
		k.ip = 0x1000 + (uint64_t)i;	/* unresolved: keyed by address */
		e = hists__findnew(h, &k, hist_key__hash(&l, &k), &created);
		assert_non_null(e);
		assert_true(created);
		e->self = 1;
	}
	assert_int_equal(h->nr, N);
	for (int i = 0; i < N; i++) {
		struct hist_entry *e;

		k.cpu = i % 7;
		k.ip = 0x1000 + (uint64_t)i;
		e = hists__findnew(h, &k, hist_key__hash(&l, &k), &created);
		assert_false(created);
		assert_ptr_equal(e, h->v[i]);
		assert_ptr_equal(hists__find(h, &k, hist_key__hash(&l, &k)), e);
	}
	k.cpu = 7;
	assert_null(hists__find(h, &k, hist_key__hash(&l, &k)));
	/* every address onto one of 10: 10 entries left, the first 10 created */
	for (int i = 0; i < N; i++) {
		struct hist_entry *e = h->v[i];

		e->key.ip = 0x1000 + (uint64_t)(i % 10);
		e->key.cpu = i % 10 % 7;
		e->hash = hist_key__hash(&l, &e->key);
	}
	assert_int_equal(hists__rehash(h, merge_sum, NULL), 0);
	assert_int_equal(h->nr, 10);
	for (int i = 0; i < 10; i++) {
		assert_int_equal(h->v[i]->key.ip, 0x1000 + (uint64_t)i);
		assert_int_equal(h->v[i]->self, N / 10);
		assert_ptr_equal(hists__find(h, &h->v[i]->key, h->v[i]->hash), h->v[i]);
	}
	assert_int_equal(hists__total_period(h, false), N);
	hists__free(h);
}

static bool drop_odd(const struct hist_entry *e, void *ctx)
{
	(void)ctx;
	return e->self & 1;
}

/* Pruning (ptop): dropped entries leave the table and the list, the others keep their order
 * and addresses, and new entries reuse the dropped storage. */
static void test_hists_prune(void **state)
{
	struct sort_list l;
	char err[128];
	struct hists *h;
	struct hist_key k = { 0 };
	struct hist_entry *kept[50], *e;
	bool created;

	(void)state;
	assert_int_equal(sort_list__parse(&l, "sym", err, sizeof(err)), 0);
	h = hists__new(&l);
	assert_non_null(h);
	for (int i = 0; i < 100; i++) {
		k.ip = 0x1000 + (uint64_t)i;
		e = hists__findnew(h, &k, hist_key__hash(&l, &k), &created);
		assert_non_null(e);
		e->self = (uint64_t)i;
		if (!(i & 1))
			kept[i / 2] = e;
	}
	assert_int_equal(hists__prune(h, drop_odd, NULL), 50);
	assert_int_equal(h->nr, 50);
	for (int i = 0; i < 50; i++) {
		assert_ptr_equal(h->v[i], kept[i]);
		assert_ptr_equal(hists__find(h, &kept[i]->key, kept[i]->hash), kept[i]);
	}
	k.ip = 0x1001;
	assert_null(hists__find(h, &k, hist_key__hash(&l, &k)));
	assert_int_equal(hists__prune(h, drop_odd, NULL), 0);
	/* a new entry takes a dropped one's storage, zeroed, with its own key */
	k.ip = 0x5000;
	e = hists__findnew(h, &k, hist_key__hash(&l, &k), &created);
	assert_true(created);
	assert_true(e->self == 0 && e->key.ip == 0x5000);
	for (int i = 0; i < 50; i++)
		assert_ptr_not_equal(e, kept[i]);
	assert_int_equal(h->nr, 51);
	assert_ptr_equal(h->v[50], e);
	assert_ptr_equal(hists__find(h, &k, hist_key__hash(&l, &k)), e);
	hists__free(h);
}

struct item {
	int value, seq;
};

static int item_cmp(const void *a, const void *b)
{
	const struct item *x = *(struct item *const *)a, *y = *(struct item *const *)b;

	return (x->value > y->value) - (x->value < y->value);
}

/* With a total order the tree gives a stable sort: equal items keep their insertion order. */
static void test_resort_stable(void **state)
{
	struct item items[1000];
	void *v[1000];

	(void)state;
	srand(7);
	for (int i = 0; i < 1000; i++) {
		items[i] = (struct item){ .value = rand() % 37, .seq = i };
		v[i] = &items[i];
	}
	assert_int_equal(resort__tree(v, 1000, item_cmp), 0);
	for (int i = 1; i < 1000; i++) {
		const struct item *a = v[i - 1], *b = v[i];

		assert_true(a->value < b->value || (a->value == b->value && a->seq < b->seq));
	}
}

/* 99 is "before 1, after 2, before 3": where it lands shows which node it met first. After
 * 1, 2, 3 the red-black tree has rotated 2 to the root: 99 goes right of 2, left of 3. A tree
 * without rebalancing would have met 1 first and put 99 at the front. */
static int odd_cmp(const void *a, const void *b)
{
	int x = **(int *const *)a, y = **(int *const *)b;

	if (x == 99)
		return y == 2 ? 1 : -1;
	if (y == 99)
		return x == 2 ? -1 : 1;
	return (x > y) - (x < y);
}

static void test_resort_shape(void **state)
{
	int n[] = { 1, 2, 3, 99 };
	void *v[] = { &n[0], &n[1], &n[2], &n[3] };

	(void)state;
	assert_int_equal(resort__tree(v, 4, odd_cmp), 0);
	assert_int_equal(*(int *)v[0], 1);
	assert_int_equal(*(int *)v[1], 2);
	assert_int_equal(*(int *)v[2], 99);
	assert_int_equal(*(int *)v[3], 3);
}

/* A record found by its resolved words alone is kept from their second sighting on; one
 * with a key at once. Hits go to the record's targets at the flush. */
static void test_intern_keeps_words_seen_twice(void **state)
{
	struct cc_arena *a = cc_arena__new();
	struct chain_intern *ci = chain_intern__new(a, NULL, true);
	struct hist_entry he = { 0 };
	struct ci_target tg = { .he = &he };
	uint64_t words[4] = { 1, 2, 3, 4 }, other[4] = { 5, 6, 7, 8 };
	uint64_t chain[2] = { 0x1234, 0x5678 };
	uint64_t rh = ci_words__hash(words, 4);
	struct ci_key k = { .ip = 0x42, .chain = chain, .chain_nr = 2, .cpu = -1 };
	uint64_t kh = ci_key__hash(&k);
	struct ci_ent *e;

	(void)state;
	assert_non_null(ci);
	chain_intern__prefetch(ci, kh);			/* an empty table: nothing to load */
	/* a key made from a parsed sample brings its chain's hash: the same key hash */
	k.chain_hash = pd_chain__hash(chain, 2);
	assert_int_equal(ci_key__hash(&k), kh);
	k.chain_hash = 0;
	chain[1]++;
	assert_int_not_equal(ci_key__hash(&k), kh);
	chain[1]--;
	assert_int_equal(chain_intern__add(ci, NULL, 0, &tg, 1, 0, false, words, 4, rh), 0);
	assert_null(chain_intern__find_resolved(ci, words, 4, rh));
	assert_int_equal(chain_intern__add(ci, NULL, 0, &tg, 1, 0, false, words, 4, rh), 0);
	e = chain_intern__find_resolved(ci, words, 4, rh);
	assert_non_null(e);
	assert_null(chain_intern__find_resolved(ci, other, 4, ci_words__hash(other, 4)));
	/* a key's record is kept at once (its caller saw the key before: chain_intern__met) */
	assert_int_equal(chain_intern__add(ci, &k, kh, &tg, 1, 0, true, other, 4, ci_words__hash(other, 4)), 0);
	assert_non_null(chain_intern__find(ci, &k, kh));
	assert_non_null(chain_intern__find_resolved(ci, other, 4, ci_words__hash(other, 4)));
	assert_false(ci_ent__hit(chain_intern__find_resolved(ci, words, 4, rh), 100));
	assert_true(ci_ent__hit(chain_intern__find(ci, &k, kh), 7));
	chain_intern__flush(ci);
	assert_int_equal(he.self, 107);
	assert_int_equal(he.nr_events, 2);
	assert_int_equal(he.acc, 107);
	chain_intern__free(ci);
	cc_arena__free(a);
}

/* Past their budget the keys' records go (a long recording with process churn): the sums
 * are handed on first; a record found by its words stays, found by them alone; a key-only
 * record goes; new keys are recorded again from nothing, their raw chains compared right. */
static void test_intern_drops_keys(void **state)
{
	struct cc_arena *a = cc_arena__new();
	struct chain_intern *ci = chain_intern__new(a, NULL, false);
	struct hist_entry he = { 0 }, he2 = { 0 };
	struct ci_target tg = { .he = &he }, tg2 = { .he = &he2 };
	uint64_t words[2] = { 1, 2 }, rh = ci_words__hash(words, 2);
	uint64_t c1[3] = { 0x10, 0x20, 0x30 }, c2[3] = { 0x10, 0x20, 0x31 };
	struct ci_key k1 = { .ip = 1, .chain = c1, .chain_nr = 3, .cpu = -1 };
	struct ci_key k2 = { .ip = 1, .chain = c2, .chain_nr = 3, .cpu = -1 };
	uint64_t h1 = ci_key__hash(&k1), h2 = ci_key__hash(&k2);
	struct ci_ent *e;

	(void)state;
	assert_non_null(ci);
	chain_intern__set_budget(ci, 1);
	assert_false(chain_intern__full(ci));
	/* k1 with words (its samples' entry: he), k2 alone (he2) */
	assert_int_equal(chain_intern__add(ci, &k1, h1, &tg, 1, 0, false, words, 2, rh), 0);
	assert_int_equal(chain_intern__add(ci, &k2, h2, &tg2, 1, 0, false, NULL, 0, 0), 0);
	assert_true(chain_intern__full(ci));
	/* two keys that differ in the last raw frame only */
	assert_ptr_not_equal(chain_intern__find(ci, &k1, h1), chain_intern__find(ci, &k2, h2));
	ci_ent__hit(chain_intern__find(ci, &k1, h1), 5);
	ci_ent__hit(chain_intern__find(ci, &k2, h2), 7);
	chain_intern__drop_keys(ci);
	assert_false(chain_intern__full(ci));
	assert_int_equal(he.self, 5);
	assert_int_equal(he2.self, 7);
	assert_null(chain_intern__find(ci, &k1, h1));
	assert_null(chain_intern__find(ci, &k2, h2));
	/* the words' record counts on into he, once */
	e = chain_intern__find_resolved(ci, words, 2, rh);
	assert_non_null(e);
	ci_ent__hit(e, 3);
	/* a dropped key's sample is recorded like the record of its words, again */
	assert_int_equal(chain_intern__add_like(ci, &k1, h1, e, 4), 0);
	e = chain_intern__find(ci, &k1, h1);
	assert_non_null(e);
	assert_null(chain_intern__find(ci, &k2, h2));
	/* the record holds its own copy of the raw chain: compared by content */
	k2.chain = c1;
	k2.chain_hash = 0;
	assert_ptr_equal(chain_intern__find(ci, &k2, ci_key__hash(&k2)), e);
	c1[1] = 0x21;
	assert_null(chain_intern__find(ci, &k2, h1));
	chain_intern__flush(ci);
	assert_int_equal(he.self, 5 + 3 + 4);
	assert_int_equal(he.nr_events, 3);
	assert_int_equal(he2.self, 7);
	assert_int_equal(he2.nr_events, 1);
	chain_intern__free(ci);
	cc_arena__free(a);
}

/* A key is worth a record from its third sighting on; another key's count is its own. */
static void test_intern_met_thrice(void **state)
{
	struct cc_arena *a = cc_arena__new();
	struct chain_intern *ci = chain_intern__new(a, NULL, false);
	uint64_t h = 0x9e3779b97f4a7c15ull, other = 0x5555aaaa5555aaaaull;

	(void)state;
	assert_non_null(ci);
	assert_int_equal(chain_intern__met(ci, h), 0);
	assert_int_equal(chain_intern__met(ci, other), 0);
	assert_int_equal(chain_intern__met(ci, h), 0);
	assert_int_equal(chain_intern__met(ci, h), 1);
	assert_int_equal(chain_intern__met(ci, other), 0);
	assert_int_equal(chain_intern__met(ci, other), 1);
	chain_intern__free(ci);
	cc_arena__free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree_split_and_hits),
		cmocka_unit_test(test_log_replay),
		cmocka_unit_test(test_log_far_steps),
		cmocka_unit_test(test_tree_reuses_kid_arrays),
		cmocka_unit_test(test_tree_wide_node),
		cmocka_unit_test(test_intern_keeps_words_seen_twice),
		cmocka_unit_test(test_intern_met_thrice),
		cmocka_unit_test(test_intern_drops_keys),
		cmocka_unit_test(test_tree_threshold_and_folded),
		cmocka_unit_test(test_param_parse),
		cmocka_unit_test(test_sort_keys),
		cmocka_unit_test(test_hists_table),
		cmocka_unit_test(test_hists_key_tail),
		cmocka_unit_test(test_hists_prune),
		cmocka_unit_test(test_presort),
		cmocka_unit_test(test_resort_stable),
		cmocka_unit_test(test_resort_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
