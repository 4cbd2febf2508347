/* Unit tests of perf's pipe format: the writer's pipe mode lays out the stream as documented
 * (header, ATTR and EVENT_UPDATE records, features and tracing data as records), and the
 * stream's file-mode image (perfdata/pipe_reader.h) reads back: attrs, ids, names, features,
 * build-ids and every data record in order. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perfdata/feature.h"
#include "perfdata/pipe_reader.h"
#include "perfdata/pipe_writer.h"
#include "perfdata/reader.h"
#include "perfdata/writer.h"

static struct perf_event_attr attrs[2] = {
	{ .type = PERF_TYPE_SOFTWARE, .size = sizeof(struct perf_event_attr),
	  .config = PERF_COUNT_SW_CPU_CLOCK, .sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP |
	  PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_PERIOD, .sample_id_all = 1 },
	{ .type = PERF_TYPE_SOFTWARE, .size = sizeof(struct perf_event_attr),
	  .config = PERF_COUNT_SW_PAGE_FAULTS, .sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP |
	  PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_PERIOD, .sample_id_all = 1 },
};
static const uint64_t ids0[] = { 101, 102 }, ids1[] = { 201 };

struct sample_rec {
	struct perf_event_header h;
	uint64_t id, ip;
	uint32_t pid, tid;
	uint64_t time, period;
};

/* A stream in a temp file (the reader reads it sequentially as from a pipe). */
static FILE *write_stream(void)
{
	struct pd_event_desc evs[2] = {
		{ &attrs[0], ids0, 2, "cpu-clock" }, { &attrs[1], ids1, 1, "page-faults:u" },
	};
	struct pd_build_id bid = { .filename = "/bin/x", .size = 20, .cpumode = PERF_RECORD_MISC_USER,
				   .pid = -1, .id = { 0xab, 0xcd } };
	FILE *f = tmpfile();
	struct pd_writer *w;

	assert_non_null(f);
	w = pd_writer__new_pipe(fileno(f));
	assert_non_null(w);
	assert_true(pd_writer__is_pipe(w));
	assert_int_equal(pd_writer__start(w, evs, 2), 0);
	assert_int_equal(pd_feature__cmdline(w, 2, (char *const[]){ "precord", "-o-" }), 0);
	assert_int_equal(pd_feature__event_desc(w, evs, 2), 0);
	assert_int_equal(pd_pipe__end_features(w), 0);
	for (int i = 0; i < 3; i++) {
		struct sample_rec s = { { PERF_RECORD_SAMPLE, PERF_RECORD_MISC_USER, sizeof(s) },
					i == 2 ? 201 : 101, 0x1000 + i, 7, 7, 1000 + i, 1 };

		assert_int_equal(pd_writer__write(w, &s, sizeof(s)), 0);
	}
	assert_int_equal(pd_feature__build_ids(w, &bid, 1), 0);
	assert_int_equal(pd_writer__finish(w), 0);
	pd_writer__free(w);
	fflush(f);
	return f;
}

static void test_stream_layout(void **state)
{
	FILE *f = write_stream();
	uint64_t head[2];
	struct perf_event_header h;
	int n_attr = 0, n_upd = 0, n_feat = 0, n_sample = 0, n_bid = 0;
	long off = 16;

	(void)state;
	assert_int_equal(pread(fileno(f), head, 16, 0), 16);
	assert_true(pd_pipe__is_header(head));
	while (pread(fileno(f), &h, sizeof(h), off) == sizeof(h)) {
		assert_true(h.size >= sizeof(h));
		assert_int_equal(h.size % 8, 0);
		n_attr += h.type == 64;
		n_upd += h.type == 78;
		n_feat += h.type == 80;
		n_sample += h.type == PERF_RECORD_SAMPLE;
		n_bid += h.type == 67;
		/* the attrs come first, before any data */
		if (h.type == PERF_RECORD_SAMPLE)
			assert_int_equal(n_attr, 2);
		off += h.size;
	}
	assert_int_equal(n_attr, 2);
	assert_int_equal(n_upd, 2);
	assert_int_equal(n_feat, 3);	/* cmdline, event_desc, the end marker */
	assert_int_equal(n_sample, 3);
	assert_int_equal(n_bid, 1);
	fclose(f);
}

/* The whole stream in memory, as the reader maps it. */
static uint8_t *slurp(FILE *f, long *len)
{
	uint8_t *buf;

	fseek(f, 0, SEEK_END);
	*len = ftell(f);
	buf = malloc((size_t)*len);
	assert_non_null(buf);
	assert_int_equal(pread(fileno(f), buf, (size_t)*len, 0), *len);
	return buf;
}

static void test_round_trip(void **state)
{
	FILE *f = write_stream(), *out = tmpfile();
	struct error err;
	struct pd_reader *r;
	struct pd_record rec;
	char path[64];
	int n = 0, ret;
	uint64_t ips = 0;
	long len;
	uint8_t *buf = slurp(f, &len);

	(void)state;
	assert_non_null(out);
	assert_int_equal(pd_pipe__convert(buf, (uint64_t)len, fileno(out), &err), 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fileno(out));
	r = pd_reader__open(path, &err);
	assert_non_null(r);
	assert_int_equal(pd_reader__nr_evsels(r), 2);
	assert_string_equal(pd_reader__evsel(r, 0)->name, "cpu-clock");
	assert_string_equal(pd_reader__evsel(r, 1)->name, "page-faults:u");
	assert_int_equal(pd_reader__evsel(r, 0)->nr_ids, 2);
	assert_ptr_equal(pd_reader__evsel_by_id(r, 201), pd_reader__evsel(r, 1));
	assert_non_null(strstr(pd_reader__cmdline(r), " -o-"));
	/* the stream's HEADER_BUILD_ID record is the image's BUILD_ID feature */
	assert_int_equal(pd_reader__nr_build_ids(r), 1);
	assert_string_equal(pd_reader__build_id(r, 0)->filename, "/bin/x");
	assert_int_equal(pd_reader__build_id(r, 0)->id[0], 0xab);
	assert_int_equal(pd_reader__build_id(r, 0)->size, 20);
	while ((ret = pd_reader__next(r, &rec, &err)) == 1) {
		const struct sample_rec *sr = (const void *)rec.hdr;

		if (rec.hdr->type != PERF_RECORD_SAMPLE)
			continue;
		assert_int_equal(rec.time, 1000 + n);
		assert_ptr_equal(rec.evsel, pd_reader__evsel(r, n == 2));
		ips = ips * 16 + (sr->ip & 0xf);
		n++;
	}
	assert_int_equal(ret, 0);
	assert_int_equal(n, 3);
	assert_int_equal(ips, 0x012);
	pd_reader__close(r);
	free(buf);
	fclose(out);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream_layout),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
