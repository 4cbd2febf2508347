/* Unit tests of pfold's stack tree and writers: folded order equals a byte-order sort of
 * the stack strings (names that extend each other with bytes below ';'), counts per
 * stack, children of wide parents found by hash, two-count text, folded text parsing and its errors (and the ids it keeps from the
 * line before), FlameGraph's name tidying,
 * -e matching, the SVG's widths and the pprof message read back through protobuf-c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "report/fold/flame.h"
#include "report/fold/tree.h"
#include "report/fold/from_perf.h"
#include "report/fold/pprof.h"
#include "report/fold/gen/pprof.pb-c.h"

static uint32_t add(struct fold *f, const char *stack, int profile, uint64_t n)
{
	uint32_t ids[64];
	size_t k = 0;
	const char *p = stack;

	for (;;) {
		const char *e = strchr(p, ';');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		ids[k] = fold__name(f, p, len, k == 0 ? FOLD_K_COMM : FOLD_K_USER, FOLD_NONE, 0);
		k++;
		if (!e)
			break;
		p = e + 1;
	}
	return fold__add_path(f, ids, k, profile, n, n * 10);
}

static char *folded_text(const struct fold *f, bool period, bool diff)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	assert_non_null(m);
	assert_int_equal(fold__write_folded(f, m, period, diff), 0);
	fclose(m);
	return buf;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Random stacks over names chosen to collide with ';' in byte order. */
static void test_order_is_perl_sort(void **state)
{
	static const char *names[] = { "foo", "foo.isra.0", "foo2", "foo-x", "foo:bar", "fo",
				       "foo bar", "foo<int>", "zz", "a", "A", "foo_" };
	const size_t nn = sizeof(names) / sizeof(names[0]);
	struct fold *f = fold__new();
	char *stacks[400], *text, *line, *save = NULL;
	size_t ns = 0;
	unsigned int seed = 12345;

	(void)state;
	assert_non_null(f);
	for (int i = 0; i < 400; i++) {
		char buf[256] = "comm";
		int depth = 1 + (int)(rand_r(&seed) % 5);

		for (int d = 0; d < depth; d++) {
			strcat(buf, ";");
			strcat(buf, names[rand_r(&seed) % nn]);
		}
		add(f, buf, 0, 1);
		/* distinct stacks, counted */
		{
			size_t j;

			for (j = 0; j < ns; j++)
				if (!strcmp(stacks[j], buf))
					break;
			if (j == ns)
				stacks[ns++] = strdup(buf);
		}
	}
	qsort(stacks, ns, sizeof(stacks[0]), cmp_str);
	text = folded_text(f, false, false);
	line = strtok_r(text, "\n", &save);
	for (size_t j = 0; j < ns; j++) {
		char *sp;

		assert_non_null(line);
		sp = strrchr(line, ' ');
		assert_non_null(sp);
		*sp = '\0';
		assert_string_equal(line, stacks[j]);
		line = strtok_r(NULL, "\n", &save);
		free(stacks[j]);
	}
	assert_null(line);
	assert_int_equal(f->nr_samples[0], 400);
	free(text);
	fold__free(f);
}

static void test_counts_and_diff(void **state)
{
	struct fold *f = fold__new();
	char *t;

	(void)state;
	add(f, "p;main;a", 0, 3);
	add(f, "p;main;a", 0, 2);
	add(f, "p;main", 0, 1);
	add(f, "p;main;b", 1, 7);
	t = folded_text(f, false, false);
	assert_string_equal(t, "p;main 1\np;main;a 5\n");
	free(t);
	t = folded_text(f, true, false);
	assert_string_equal(t, "p;main 10\np;main;a 50\n");
	free(t);
	t = folded_text(f, false, true);
	assert_string_equal(t, "p;main 1 0\np;main;a 5 0\np;main;b 0 7\n");
	free(t);
	fold__free(f);
}

static size_t nr_kids(const struct fold *f, uint32_t node)
{
	size_t n = 0;

	for (uint32_t c = f->nodes[node].child; c != FOLD_NONE; c = f->nodes[c].sibling)
		n++;
	return n;
}

/* Up to FOLD_FEW_KIDS children are found in the parent's fold_kids, with nothing hashed
 * (and a name not among them is not found, free slots included); children past that are
 * found through the hash of (parent, name): each of 100 found again, and a name under one
 * wide parent not found under another. */
static void test_wide_parents(void **state)
{
	struct fold *f = fold__new();
	uint32_t a, b, kids[100], ids[FOLD_FEW_KIDS + 1];
	char name[16];

	(void)state;
	assert_non_null(f);
	a = fold__child(f, FOLD_ROOT, fold__name(f, "a", 1, FOLD_K_COMM, FOLD_NONE, 0));
	b = fold__child(f, FOLD_ROOT, fold__name(f, "b", 1, FOLD_K_COMM, FOLD_NONE, 0));
	for (int i = 0; i <= FOLD_FEW_KIDS; i++) {
		int n = snprintf(name, sizeof(name), "k%d", i);

		ids[i] = fold__name(f, name, (size_t)n, FOLD_K_USER, FOLD_NONE, 0);
		assert_int_equal(fold__find_child(f, a, ids[i]), FOLD_NONE);
		kids[i] = fold__child(f, a, ids[i]);
		for (int k = 0; k <= i; k++)
			assert_int_equal(fold__find_child(f, a, ids[k]), kids[k]);
		assert_int_equal(f->child_tab.nr, i < FOLD_FEW_KIDS ? 0 : FOLD_FEW_KIDS + 1);
	}
	for (int i = 0; i < 100; i++) {
		int n = snprintf(name, sizeof(name), "k%d", i);
		uint32_t id = fold__name(f, name, (size_t)n, FOLD_K_USER, FOLD_NONE, 0);

		kids[i] = fold__child(f, a, id);
		assert_int_not_equal(kids[i], FOLD_NONE);
		if (i >= 50)
			assert_int_not_equal(fold__child(f, b, id), FOLD_NONE);
	}
	for (int i = 0; i < 100; i++) {
		int n = snprintf(name, sizeof(name), "k%d", i);
		uint32_t id = fold__name(f, name, (size_t)n, FOLD_K_USER, FOLD_NONE, 0);

		assert_int_equal(fold__find_child(f, a, id), kids[i]);
		assert_int_equal(fold__child(f, a, id), kids[i]);
		if (i < 50)
			assert_int_equal(fold__find_child(f, b, id), FOLD_NONE);
		else
			assert_int_not_equal(fold__find_child(f, b, id), kids[i]);
	}
	assert_int_equal(nr_kids(f, a), 100);
	assert_int_equal(nr_kids(f, b), 50);
	fold__free(f);
}

static void test_read_folded(void **state)
{
	const char *in = "# comment\nproc;x;y 4\nproc;x 2\r\n\nproc;x;y 1\nproc;z 3 9\n";
	FILE *m = fmemopen((void *)in, strlen(in), "r");
	struct fold *f = fold__new();
	struct error err = { 0 };
	char *t;

	(void)state;
	assert_int_equal(fold__read_folded(f, m, "in", 0, &err), 0);
	fclose(m);
	t = folded_text(f, false, true);
	assert_string_equal(t, "proc;x 2 0\nproc;x;y 5 0\nproc;z 3 9\n");
	free(t);
	fold__free(f);

	in = "ok;a 1\nno count here\n";
	m = fmemopen((void *)in, strlen(in), "r");
	f = fold__new();
	assert_int_equal(fold__read_folded(f, m, "bad.txt", 0, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "bad.txt:2:"));
	fclose(m);
	fold__free(f);
}

/* Lines that share prefixes in every way a frame can end (or not) where the line before
 * ends or differs: the ids kept from the previous line must be those fold__name gives. */
static void test_read_folded_prefixes(void **state)
{
	static const char *const lines[] = {
		"a;bc;d 1", "a;bc 2", "a;b;c 3", "a;b 4", "a 5", "ab 6", "a;bcd;x 7", "a;bc;d;e 8",
		"a;;b 9", ";a 10", "a;bc;d 11", "long_frame_name_x;y 12", "long_frame_name_y;y 13",
		"long_frame_name_x;yy 14", "long_frame_name_x;y 15", "long_frame_name_x;y;z 16",
	};
	char in[512] = "", *t1, *t2;
	struct fold *f = fold__new(), *g = fold__new();
	struct error err = { 0 };
	FILE *m;

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		char stack[64];

		snprintf(stack, sizeof(stack), "%.*s", (int)strcspn(lines[i], " "), lines[i]);
		add(g, stack, 0, strtoull(strchr(lines[i], ' ') + 1, NULL, 10));
		strcat(in, lines[i]);
		strcat(in, "\n");
	}
	m = fmemopen(in, strlen(in), "r");
	assert_int_equal(fold__read_folded(f, m, "in", 0, &err), 0);
	fclose(m);
	assert_int_equal(f->nr_names, g->nr_names);
	for (size_t i = 0; i < f->nr_names; i++)
		assert_string_equal(f->names[i].s, g->names[i].s);
	assert_int_equal(f->nr_nodes, g->nr_nodes);
	t1 = folded_text(f, false, false);
	t2 = folded_text(g, false, false);
	assert_string_equal(t1, t2);
	free(t1);
	free(t2);
	fold__free(f);
	fold__free(g);
}

static void test_tidy(void **state)
{
	char out[128];

	(void)state;
	fold__tidy_name("foo(int, char const*)", out, sizeof(out));
	assert_string_equal(out, "foo");
	fold__tidy_name("(anonymous namespace)::bar(int)", out, sizeof(out));
	assert_string_equal(out, "(anonymous namespace)::bar");
	fold__tidy_name("net/http.(*Client).Do", out, sizeof(out));
	assert_string_equal(out, "net/http.(*Client).Do");
	fold__tidy_name("a;b'c\"d", out, sizeof(out));
	assert_string_equal(out, "a:bcd");
	fold__tidy_name("std::vector<int>::push_back(int&&)", out, sizeof(out));
	assert_string_equal(out, "std::vector<int>::push_back");
	assert_int_equal(fold__tidy_name("abcdef", out, 4), 3);
	assert_string_equal(out, "abc");
}

static void test_event_match(void **state)
{
	(void)state;
	assert_true(fold_perf__event_matches("cpu-clock", "cpu-clock"));
	assert_true(fold_perf__event_matches("cpu-clock:ppp", "cpu-clock"));
	assert_true(fold_perf__event_matches("cycles:u", "cycles"));
	assert_false(fold_perf__event_matches("cpu-clock:ppp", "cpu"));
	assert_false(fold_perf__event_matches("sched:sched_switch", "sched"));
	assert_true(fold_perf__event_matches("sched:sched_switch", "sched:sched_switch"));
}

/* every <rect> of a frame: its title's count * scale = width */
static void test_svg_widths(void **state)
{
	struct fold *f = fold__new();
	struct flame_opts o = { .width = 1020, .frame_height = 16, .minwidth = 0.1 };
	char *buf = NULL, *p;
	size_t len = 0, nframes = 0;
	FILE *m;

	(void)state;
	add(f, "p;main;a", 0, 300);
	add(f, "p;main;b", 0, 100);
	add(f, "p;main;b;c", 0, 600);
	add(f, "q;tiny", 0, 0);	/* no samples: not drawn */
	m = open_memstream(&buf, &len);
	assert_int_equal(flame__write(f, &o, m), 0);
	fclose(m);
	for (p = strstr(buf, "<g class=\"f\"><title>"); p; p = strstr(p + 1, "<g class=\"f\"><title>")) {
		unsigned long long n;
		double w;
		char *t = strchr(p + 20, '(');
		char *r = strstr(p, "width=\"");

		assert_non_null(t);
		assert_non_null(r);
		n = strtoull(t + 1, NULL, 10);	/* counts below 1000 have no commas */
		if (strchr(t, ',') < strstr(t, " samples") && n < 1000)
			n = n * 1000 + strtoull(strchr(t, ',') + 1, NULL, 10);
		w = strtod(r + 7, NULL);
		assert_true(w > 0);
		/* (1020 - 2 * 10) px for 1000 samples: one pixel each */
		assert_true(w - (double)n < 0.011 && (double)n - w < 0.011);
		nframes++;
	}
	/* all, p, main, a, b, c */
	assert_int_equal(nframes, 6);
	assert_null(strstr(buf, "tiny"));
	free(buf);
	fold__free(f);
}

static void test_pprof_roundtrip(void **state)
{
	struct fold *f = fold__new();
	struct error err = { 0 };
	char path[] = "/tmp/test_fold_pprofXXXXXX";
	int fd = mkstemp(path);
	uint8_t *buf = malloc(1 << 20);
	Perftools__Profiles__Profile *p;
	gzFile gz;
	int n;
	uint64_t tot = 0, per = 0;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	f->event = strdup("cpu-clock");
	f->unit = strdup("nanoseconds");
	add(f, "p;main;a", 0, 3);
	add(f, "p;main;b", 0, 4);
	add(f, "p;main", 0, 1);
	assert_int_equal(pprof__write(f, &(struct pprof_opts){ .period = true }, path, &err), 0);
	gz = gzopen(path, "rb");
	assert_non_null(gz);
	n = gzread(gz, buf, 1 << 20);
	gzclose(gz);
	unlink(path);
	assert_true(n > 0);
	p = perftools__profiles__profile__unpack(NULL, (size_t)n, buf);
	assert_non_null(p);
	assert_int_equal(p->n_sample, 3);
	assert_int_equal(p->n_sample_type, 2);
	assert_string_equal(p->string_table[p->sample_type[0]->type], "samples");
	assert_string_equal(p->string_table[p->sample_type[1]->type], "cpu-clock");
	assert_string_equal(p->string_table[p->sample_type[1]->unit], "nanoseconds");
	assert_string_equal(p->string_table[0], "");
	for (size_t i = 0; i < p->n_sample; i++) {
		Perftools__Profiles__Sample *s = p->sample[i];
		uint64_t leaf = s->location_id[0];

		tot += (uint64_t)s->value[0];
		per += (uint64_t)s->value[1];
		assert_int_equal(s->n_label, 1);
		assert_string_equal(p->string_table[s->label[0]->str], "p");
		/* the last id is the outermost frame: main */
		assert_string_equal(p->string_table[p->function[s->location_id[s->n_location_id - 1] - 1]->name],
				    "main");
		assert_true(leaf >= 1 && leaf <= p->n_location);
	}
	assert_int_equal(tot, 8);
	assert_int_equal(per, 80);
	assert_int_equal(p->period, 10);
	perftools__profiles__profile__free_unpacked(p, NULL);
	free(buf);
	fold__free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_is_perl_sort),
		cmocka_unit_test(test_counts_and_diff),
		cmocka_unit_test(test_wide_parents),
		cmocka_unit_test(test_read_folded),
		cmocka_unit_test(test_read_folded_prefixes),
		cmocka_unit_test(test_tidy),
		cmocka_unit_test(test_event_match),
		cmocka_unit_test(test_svg_widths),
		cmocka_unit_test(test_pprof_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
