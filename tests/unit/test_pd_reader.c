/* Unit tests of the perf.data reader, sample decoding, ordered delivery and session replay
 * on a file made by the real writer: two events told apart by id, COMM and MMAP2 of this
 * test binary's own text, samples out of order across rounds, callchains with context
 * markers; symbols resolve to functions of this file. Then broken copies of the file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perfdata/reader.h"
#include "perfdata/sample.h"
#include "perfdata/writer.h"
#include "report/session/session.h"

#define ST (PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_ID | \
	    PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD | PERF_SAMPLE_CALLCHAIN)

static char path[64];
static char exe[4096];
static uint64_t text_start, text_end, text_pgoff;

__attribute__((noinline)) int unit_marker_fn(int x)
{
	return x * 3 + 1;
}

__attribute__((noinline)) int unit_caller_fn(int x)
{
	return unit_marker_fn(x) + 2;
}

/* the r-xp mapping of this binary from /proc/self/maps */
static void find_text(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[4096];
	uint64_t target = (uint64_t)(uintptr_t)unit_marker_fn;

	assert_non_null(f);
	assert_true(readlink("/proc/self/exe", exe, sizeof(exe) - 1) > 0);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long s, e, off;
		char perms[8];

		if (sscanf(line, "%llx-%llx %7s %llx", &s, &e, perms, &off) != 4)
			continue;
		if (target >= s && target < e) {
			text_start = s;
			text_end = e;
			text_pgoff = off;
		}
	}
	fclose(f);
	assert_true(text_end > text_start);
}

struct rb {
	uint8_t b[4096];
	size_t n;
};

static void put(struct rb *r, const void *p, size_t n)
{
	memcpy(r->b + r->n, p, n);
	r->n += n;
}

static void u64(struct rb *r, uint64_t v) { put(r, &v, 8); }
static void u32x2(struct rb *r, uint32_t a, uint32_t b) { put(r, &a, 4); put(r, &b, 4); }

static void hdr(struct rb *r, uint32_t type, uint16_t misc)
{
	struct perf_event_header h = { .type = type, .misc = misc };

	r->n = 0;
	put(r, &h, sizeof(h));
}

static void finish(struct pd_writer *w, struct rb *r)
{
	((struct perf_event_header *)r->b)->size = (uint16_t)r->n;
	assert_int_equal(pd_writer__write(w, r->b, r->n), 0);
}

/* trailer: TID, TIME, ID, CPU */
static void trailer(struct rb *r, uint32_t pid, uint32_t tid, uint64_t time, uint64_t id)
{
	u32x2(r, pid, tid);
	u64(r, time);
	u64(r, id);
	u32x2(r, 0, 0);
}

static void sample(struct pd_writer *w, uint64_t id, uint64_t time, uint64_t ip, uint64_t caller)
{
	struct rb r;

	hdr(&r, PERF_RECORD_SAMPLE, PERF_RECORD_MISC_USER);
	u64(&r, ip);
	u32x2(&r, 100, 101);
	u64(&r, time);
	u64(&r, id);
	u32x2(&r, 1, 0);
	u64(&r, 1000 + time);
	u64(&r, 3);
	u64(&r, PERF_CONTEXT_USER);
	u64(&r, ip);
	u64(&r, caller);
	finish(w, &r);
}

static void round_end(struct pd_writer *w)
{
	struct rb r;

	hdr(&r, PD_RECORD_FINISHED_ROUND, 0);
	finish(w, &r);
}

static int write_file(void **state)
{
	struct perf_event_attr a0 = { .type = PERF_TYPE_SOFTWARE, .size = sizeof(a0),
				      .config = PERF_COUNT_SW_CPU_CLOCK, .sample_type = ST,
				      .sample_period = 4000, .freq = 1, .sample_id_all = 1 };
	struct perf_event_attr a1 = a0;
	uint64_t ids0[] = { 11, 12 }, ids1[] = { 21 };
	struct pd_event_desc evs[] = {
		{ .attr = &a0, .ids = ids0, .nr_ids = 2, .name = "cpu-clock" },
		{ .attr = &a1, .ids = ids1, .nr_ids = 1, .name = "page-faults" },
	};
	uint64_t ip = (uint64_t)(uintptr_t)unit_marker_fn + 3;
	uint64_t caller = (uint64_t)(uintptr_t)unit_caller_fn + 5;
	struct pd_writer *w;
	struct rb r;
	int fd;

	(void)state;
	a1.config = PERF_COUNT_SW_PAGE_FAULTS;
	a1.freq = 0;
	a1.sample_period = 1;
	find_text();
	strcpy(path, "/tmp/test_pd_reader.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	w = pd_writer__new(path);
	assert_non_null(w);
	assert_int_equal(pd_writer__start(w, evs, 2), 0);

	hdr(&r, PERF_RECORD_COMM, 0);
	u32x2(&r, 100, 101);
	put(&r, "unit\0\0\0\0", 8);
	trailer(&r, 100, 101, 5, 11);
	finish(w, &r);

	hdr(&r, PERF_RECORD_MMAP2, PERF_RECORD_MISC_USER);
	u32x2(&r, 100, 100);
	u64(&r, text_start);
	u64(&r, text_end - text_start);
	u64(&r, text_pgoff);
	u32x2(&r, 0, 0);
	u64(&r, 0);
	u64(&r, 0);
	u32x2(&r, 5 /* r-x */, 2 /* private */);
	{
		size_t l = strlen(exe) + 1, pad = (8 - l % 8) % 8;
		char z[8] = { 0 };

		put(&r, exe, l);
		put(&r, z, pad);
	}
	trailer(&r, 100, 100, 6, 11);
	finish(w, &r);

	sample(w, 11, 30, ip, caller);
	sample(w, 12, 10, ip, caller);
	sample(w, 21, 20, ip, caller);
	round_end(w);
	sample(w, 11, 40, ip, caller);
	sample(w, 11, 25, ip, caller);
	round_end(w);
	assert_int_equal(pd_writer__finish(w), 0);
	pd_writer__free(w);
	return 0;
}

static int remove_file(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

static void test_header_and_evsels(void **state)
{
	struct error err = { 0 };
	struct pd_reader *r = pd_reader__open(path, &err);

	(void)state;
	assert_non_null(r);
	assert_int_equal(pd_reader__nr_evsels(r), 2);
	assert_string_equal(pd_reader__evsel(r, 0)->name, "cpu-clock");
	assert_string_equal(pd_reader__evsel(r, 1)->name, "page-faults");
	assert_ptr_equal(pd_reader__evsel_by_id(r, 12), pd_reader__evsel(r, 0));
	assert_ptr_equal(pd_reader__evsel_by_id(r, 21), pd_reader__evsel(r, 1));
	assert_null(pd_reader__evsel_by_id(r, 99));
	assert_ptr_equal(pd_reader__evsel_by_id(r, 0), pd_reader__evsel(r, 0));
	pd_reader__close(r);
}

static void test_file_order_and_sample_fields(void **state)
{
	struct error err = { 0 };
	struct pd_reader *r = pd_reader__open(path, &err);
	struct pd_record rec;
	uint64_t times[16];
	int n = 0, ret;

	(void)state;
	assert_non_null(r);
	while ((ret = pd_reader__next(r, &rec, &err)) > 0) {
		if (rec.hdr->type == PERF_RECORD_SAMPLE) {
			struct pd_sample s;

			assert_int_equal(pd_sample__parse(rec.evsel, rec.hdr, &s, NULL), 0);
			assert_int_equal(s.time, rec.time);
			assert_int_equal(s.pid, 100);
			assert_int_equal(s.tid, 101);
			assert_int_equal(s.cpu, 1);
			assert_int_equal(s.period, 1000 + s.time);
			assert_int_equal(s.callchain_nr, 3);
			assert_int_equal(s.callchain[0], PERF_CONTEXT_USER);
			assert_ptr_equal(rec.evsel, pd_reader__evsel_by_id(r, s.id));
			times[n++] = rec.time;
		}
	}
	assert_int_equal(ret, 0);
	assert_int_equal(n, 5);
	assert_int_equal(times[0], 30);
	assert_int_equal(times[1], 10);
	assert_int_equal(times[4], 25);
	pd_reader__close(r);
}

struct seen {
	uint64_t times[16];
	int n;
	int resolved;
};

static int on_sample(void *ctx, struct session *s, const struct pd_sample *smp,
		     struct pd_evsel *evsel, struct thread *th)
{
	struct seen *seen = ctx;
	const struct addr_loc *frames;
	struct addr_loc al;
	int n;

	(void)evsel;
	seen->times[seen->n++] = smp->time;
	assert_non_null(th);
	assert_string_equal(th->comm, "unit");
	assert_int_equal(session__resolve(s, th, smp->cpumode, smp->ip, &al), 0);
	assert_non_null(al.sym);
	assert_string_equal(al.sym->name, "unit_marker_fn");
	assert_int_equal(al.symoff, 3);
	assert_string_equal(al.dso->name, exe);
	n = session__callchain(s, th, smp, &frames);
	assert_int_equal(n, 2);	/* the USER marker is dropped */
	assert_non_null(frames[1].sym);
	assert_string_equal(frames[1].sym->name, "unit_caller_fn");
	assert_int_equal(frames[1].symoff, 5);
	seen->resolved++;
	return 0;
}

static void test_session_ordered_replay(void **state)
{
	struct error err = { 0 };
	struct session *s = session__open(path, &(struct session_opts){ .demangle = true }, &err);
	struct seen seen = { .n = 0 };
	uint64_t want[] = { 10, 20, 25, 30, 40 };
	int i;

	(void)state;
	assert_non_null(s);
	assert_int_equal(session__process(s, &(struct session_tool){ .sample = on_sample, .ctx = &seen },
					  &err), 0);
	assert_int_equal(seen.n, 5);
	for (i = 0; i < 5; i++)
		assert_int_equal(seen.times[i], want[i]);
	assert_int_equal(seen.resolved, 5);
	assert_int_equal(session__stats(s)->nr_samples, 5);
	session__close(s);
}

static char *slurp(size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	b = malloc((size_t)n);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return b;
}

static uint64_t last_unread, last_samples;

static int read_all(const char *p, struct error *err)
{
	struct session *s = session__open(p, NULL, err);
	int ret;

	if (!s)
		return err->code;
	ret = session__process(s, NULL, err);
	last_unread = pd_reader__unread(session__reader(s));
	last_samples = session__stats(s)->nr_samples;
	session__close(s);
	return ret;
}

static void test_broken_copies(void **state)
{
	char bad[64];
	size_t len, cut;
	char *b = slurp(&len);
	struct error err;
	uint64_t v;
	FILE *f;
	uint64_t full_samples;
	int fd, rejected = 0;

	(void)state;
	strcpy(bad, "/tmp/test_pd_reader_bad.XXXXXX");
	fd = mkstemp(bad);
	assert_true(fd >= 0);
	close(fd);
	/* every truncation point: an error or a clean (shorter) read, never a crash */
	for (cut = 0; cut < len; cut += 3) {
		f = fopen(bad, "wb");
		fwrite(b, 1, cut, f);
		fclose(f);
		memset(&err, 0, sizeof(err));
		if (read_all(bad, &err)) {
			rejected++;
			assert_non_null(strstr(err.msg, bad));
		}
	}
	assert_true(rejected > 0);
	/* data size lies: what is there is read (the feature index then reads as records,
	 * and the walk stops where they make no sense) */
	assert_int_equal(read_all(path, &err), 0);
	full_samples = last_samples;
	f = fopen(bad, "wb");
	v = ~0ULL;
	fwrite(b, 1, len, f);
	fseek(f, 48, SEEK_SET);
	fwrite(&v, 8, 1, f);
	fclose(f);
	memset(&err, 0, sizeof(err));
	assert_int_equal(read_all(bad, &err), 0);
	assert_int_equal(last_samples, full_samples);
	/* a data offset outside the file leaves nothing to read */
	f = fopen(bad, "wb");
	v = len + 8;
	fwrite(b, 1, len, f);
	fseek(f, 40, SEEK_SET);
	fwrite(&v, 8, 1, f);
	fclose(f);
	memset(&err, 0, sizeof(err));
	assert_int_equal(read_all(bad, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "corrupt at offset 40: data section"));
	/* a record size of 4 at the start of data: nothing after it can be found, all of the
	 * data is counted as unread and the read succeeds */
	memcpy(&v, b + 40, 8);
	f = fopen(bad, "wb");
	fwrite(b, 1, len, f);
	fseek(f, (long)v + 6, SEEK_SET);
	fwrite("\x04\x00", 2, 1, f);
	fclose(f);
	memset(&err, 0, sizeof(err));
	assert_int_equal(read_all(bad, &err), 0);
	assert_int_equal(last_samples, 0);
	memcpy(&v, b + 48, 8);
	assert_int_equal(last_unread, v);
	unlink(bad);
	free(b);
}

struct order_seen {
	uint64_t last_time, last_offset;
	int n, bad;
};

static int check_order(void *ctx, const struct pd_record *rec)
{
	struct order_seen *o = ctx;

	if (rec->hdr->type != PERF_RECORD_SAMPLE)
		return 0;
	/* time order; equal times in file order */
	if (o->n && (rec->time < o->last_time ||
		     (rec->time == o->last_time && rec->offset <= o->last_offset)))
		o->bad++;
	o->last_time = rec->time;
	o->last_offset = rec->offset;
	o->n++;
	return 0;
}

/* Ordered delivery of many samples: each round holds four CPUs' ascending runs one after the
 * other, with many equal times, and reaches past the next round's flush limit (round k's
 * times in [1000k, 1000k + 1500)), as perf's per-CPU buffers give them. */
static void test_ordered_runs(void **state)
{
	struct perf_event_attr a = { .type = PERF_TYPE_SOFTWARE, .size = sizeof(a),
				     .config = PERF_COUNT_SW_CPU_CLOCK, .sample_type = ST,
				     .sample_period = 1, .sample_id_all = 1 };
	uint64_t ids[] = { 11 };
	struct pd_event_desc ev = { .attr = &a, .ids = ids, .nr_ids = 1, .name = "cpu-clock" };
	char p[64] = "/tmp/test_pd_order.XXXXXX";
	struct order_seen seen = { 0 };
	struct error err = { 0 };
	struct pd_writer *w;
	struct pd_reader *r;
	unsigned int rnd = 12345;
	int fd;

	(void)state;
	fd = mkstemp(p);
	assert_true(fd >= 0);
	close(fd);
	w = pd_writer__new(p);
	assert_non_null(w);
	assert_int_equal(pd_writer__start(w, &ev, 1), 0);
	for (int k = 1; k <= 5; k++) {
		for (int cpu = 0; cpu < 4; cpu++) {
			uint64_t t = 1000 * (uint64_t)k;

			for (int i = 0; i < 150; i++) {
				rnd = rnd * 1103515245u + 12345u;
				t += (rnd >> 16) % 3 ? 0 : (rnd >> 20) % 30;	/* runs of equal times */
				if (t >= 1000 * (uint64_t)k + 1500)
					t = 1000 * (uint64_t)k + 1499;
				sample(w, 11, t, 0x1000, 0x2000);
			}
		}
		round_end(w);
	}
	assert_int_equal(pd_writer__finish(w), 0);
	pd_writer__free(w);
	r = pd_reader__open(p, &err);
	assert_non_null(r);
	assert_int_equal(pd_reader__for_each_ordered(r, check_order, &seen, &err), 0);
	assert_int_equal(seen.n, 5 * 4 * 150);
	assert_int_equal(seen.bad, 0);
	pd_reader__close(r);
	unlink(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_and_evsels),
		cmocka_unit_test(test_file_order_and_sample_fields),
		cmocka_unit_test(test_session_ordered_replay),
		cmocka_unit_test(test_broken_copies),
		cmocka_unit_test(test_ordered_runs),
	};

	return cmocka_run_group_tests(tests, write_file, remove_file);
}
