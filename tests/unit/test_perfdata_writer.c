/* Unit tests of the perf.data writer, its feature encodings, the build-id reader and the
 * recording tally: the bytes on disk are read back and checked against the documented layout. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "perfdata/buildid.h"
#include "perfdata/feature.h"
#include "perfdata/hits.h"
#include "perfdata/writer.h"

static char path[64];

static int setup(void **state)
{
	int fd;

	(void)state;
	strcpy(path, "/tmp/test_pd_writer.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

static char *slurp(size_t *len)
{
	struct stat st;
	char *buf;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	buf = malloc(st.st_size + 1);
	assert_non_null(buf);
	assert_int_equal(read(fd, buf, st.st_size), st.st_size);
	close(fd);
	*len = st.st_size;
	return buf;
}

static struct perf_event_attr attr0 = {
	.type = PERF_TYPE_SOFTWARE,
	.size = sizeof(struct perf_event_attr),
	.config = PERF_COUNT_SW_CPU_CLOCK,
	.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_PERIOD,
	.sample_id_all = 1,
};

static void put_comm(struct pd_writer *w, uint32_t pid, const char *comm)
{
	char rec[64] = { 0 };
	struct perf_event_header *h = (void *)rec;
	size_t n = 8 + 8 + ((strlen(comm) + 1 + 7) & ~7u) + 16;	/* + TID, TIME trailer */

	h->type = PERF_RECORD_COMM;
	h->size = n;
	memcpy(rec + 8, &pid, 4);
	memcpy(rec + 12, &pid, 4);
	strcpy(rec + 16, comm);
	assert_int_equal(pd_writer__write(w, rec, n), 0);
}

static void test_layout_and_crash_safety(void **state)
{
	uint64_t ids[2] = { 11, 12 };
	struct pd_event_desc ev = { .attr = &attr0, .ids = ids, .nr_ids = 2, .name = "cpu-clock" };
	struct pd_writer *w = pd_writer__new(path);
	struct pd_file_header h;
	size_t len;
	char *buf;

	(void)state;
	assert_non_null(w);
	assert_int_equal(pd_writer__start(w, &ev, 1), 0);
	put_comm(w, 42, "hello");

	/* before a flush: header says data.size 0, no features */
	buf = slurp(&len);
	memcpy(&h, buf, sizeof(h));
	assert_int_equal(h.magic, PERF_MAGIC2);
	assert_memory_equal(buf, "PERFILE2", 8);
	assert_int_equal(h.size, 104);
	assert_int_equal(h.attr_size, 128 + 16);
	assert_int_equal(h.data.size, 0);
	assert_int_equal(h.attrs.size, 144);
	/* ids go first, then the attr pointing at them */
	assert_int_equal(h.attrs.offset, 104 + 16);
	{
		struct perf_event_attr a;
		struct pd_section s;
		uint64_t got[2];

		memcpy(&a, buf + h.attrs.offset, sizeof(a));
		assert_int_equal(a.size, 128);
		assert_int_equal(a.config, PERF_COUNT_SW_CPU_CLOCK);
		memcpy(&s, buf + h.attrs.offset + 128, sizeof(s));
		assert_int_equal(s.size, 16);
		memcpy(got, buf + s.offset, 16);
		assert_int_equal(got[0], 11);
		assert_int_equal(got[1], 12);
	}
	free(buf);

	/* a flush makes the record part of the data section: a killed writer leaves this */
	assert_int_equal(pd_writer__flush(w), 0);
	buf = slurp(&len);
	memcpy(&h, buf, sizeof(h));
	assert_int_equal(h.data.size, 40);
	assert_int_equal(h.data.offset % 8, 0);
	assert_int_equal(len, h.data.offset + h.data.size);
	assert_int_equal(h.features[0], 0);
	assert_string_equal(buf + h.data.offset + 16, "hello");
	free(buf);

	/* finishing adds the features after the data and only then sets their bits */
	assert_int_equal(pd_feature__sample_time(w, 5, 9), 0);
	assert_int_equal(pd_feature__event_desc(w, &ev, 1), 0);
	assert_int_equal(pd_writer__finish(w), 0);
	buf = slurp(&len);
	memcpy(&h, buf, sizeof(h));
	assert_int_equal(h.data.size, 40);
	assert_int_equal(h.features[0], (1ULL << PD_FEAT_EVENT_DESC) | (1ULL << PD_FEAT_SAMPLE_TIME));
	assert_int_equal(len, pd_writer__file_size(w));
	{
		struct pd_section idx[2];
		uint64_t t[2];
		uint32_t nr, asz, nids, slen;

		memcpy(idx, buf + h.data.offset + h.data.size, sizeof(idx));
		/* index in ascending bit order: EVENT_DESC (12) before SAMPLE_TIME (21) */
		memcpy(&nr, buf + idx[0].offset, 4);
		memcpy(&asz, buf + idx[0].offset + 4, 4);
		assert_int_equal(nr, 1);
		assert_int_equal(asz, 128);
		memcpy(&nids, buf + idx[0].offset + 8 + 128, 4);
		assert_int_equal(nids, 2);
		memcpy(&slen, buf + idx[0].offset + 8 + 128 + 4, 4);
		assert_int_equal(slen, 64);
		assert_string_equal(buf + idx[0].offset + 8 + 128 + 8, "cpu-clock");
		assert_int_equal(idx[0].size, 8 + 128 + 4 + 4 + 64 + 16);
		assert_int_equal(idx[1].size, 16);
		memcpy(t, buf + idx[1].offset, 16);
		assert_int_equal(t[0], 5);
		assert_int_equal(t[1], 9);
		assert_int_equal(idx[1].offset + idx[1].size, len);
	}
	free(buf);
	pd_writer__free(w);
}

static void test_header_string(void **state)
{
	struct pd_buf b = { 0 };
	uint32_t len;

	(void)state;
	pd_buf__string(&b, "vm");
	assert_int_equal(b.len, 4 + 64);
	memcpy(&len, b.p, 4);
	assert_int_equal(len, 64);
	assert_string_equal(b.p + 4, "vm");
	pd_buf__free(&b);
	/* 64 characters + NUL need the next multiple of 64 */
	pd_buf__string(&b, "0123456789012345678901234567890123456789012345678901234567890123");
	memcpy(&len, b.p, 4);
	assert_int_equal(len, 128);
	pd_buf__free(&b);
}

static void test_build_id_entries(void **state)
{
	struct pd_build_id id = { .filename = "/bin/x", .size = 20, .cpumode = PERF_RECORD_MISC_USER, .pid = -1 };
	struct pd_writer *w = pd_writer__new(path);
	struct pd_event_desc ev = { .attr = &attr0, .name = "e" };
	struct pd_file_header h;
	struct perf_event_header eh;
	struct pd_section idx;
	size_t len;
	char *buf;

	(void)state;
	memset(id.id, 0xab, 20);
	assert_int_equal(pd_writer__start(w, &ev, 1), 0);
	assert_int_equal(pd_feature__build_ids(w, &id, 1), 0);
	assert_int_equal(pd_writer__finish(w), 0);
	buf = slurp(&len);
	memcpy(&h, buf, sizeof(h));
	assert_int_equal(h.features[0], 1ULL << PD_FEAT_BUILD_ID);
	memcpy(&idx, buf + h.data.offset + h.data.size, sizeof(idx));
	memcpy(&eh, buf + idx.offset, sizeof(eh));
	assert_int_equal(eh.size, 100);		/* 36 + name padded to 64 */
	assert_int_equal(idx.size, 100);
	assert_int_equal(eh.misc, PERF_RECORD_MISC_USER | PD_MISC_BUILD_ID_SIZE);
	assert_int_equal((unsigned char)buf[idx.offset + 12], 0xab);
	assert_int_equal((unsigned char)buf[idx.offset + 32], 20);
	assert_string_equal(buf + idx.offset + 36, "/bin/x");
	free(buf);
	pd_writer__free(w);
}

static void test_buildid_of_self(void **state)
{
	uint8_t id[PD_BUILD_ID_MAX];
	int n;

	(void)state;
	n = pd_buildid__from_elf("/proc/self/exe", id);
	assert_int_equal(n, 20);
	assert_int_equal(pd_buildid__from_elf("/nonexistent", id), -2);
	n = pd_buildid__from_elf("/etc/passwd", id);
	assert_true(n < 0);
}

/* Records in a buffer for the tally. */
struct recbuf {
	char b[1 << 20];
	size_t len;
};

static void add_rec(struct recbuf *r, uint32_t type, uint16_t misc, const void *body, size_t blen)
{
	struct perf_event_header h = { .type = type, .misc = misc, .size = 8 + ((blen + 7) & ~7u) };

	memcpy(r->b + r->len, &h, 8);
	memset(r->b + r->len + 8, 0, h.size - 8);
	memcpy(r->b + r->len + 8, body, blen);
	r->len += h.size;
}

static void add_mmap2(struct recbuf *r, uint32_t pid, uint64_t start, uint64_t len, uint32_t prot, const char *name)
{
	char body[1024] = { 0 };

	memcpy(body, &pid, 4);
	memcpy(body + 4, &pid, 4);
	memcpy(body + 8, &start, 8);
	memcpy(body + 16, &len, 8);
	memcpy(body + 56, &prot, 4);
	strcpy(body + 64, name);
	add_rec(r, PERF_RECORD_MMAP2, PERF_RECORD_MISC_USER, body, 64 + strlen(name) + 1);
}

static void add_sample(struct recbuf *r, uint32_t pid, uint64_t ip, uint64_t time, int nr, const uint64_t *chain)
{
	uint64_t body[32];
	int n = 0;

	body[n++] = ip;
	body[n++] = pid | (uint64_t)pid << 32;
	body[n++] = time;
	body[n++] = 1;			/* period */
	body[n++] = nr;
	for (int i = 0; i < nr; i++)
		body[n++] = chain[i];
	add_rec(r, PERF_RECORD_SAMPLE, PERF_RECORD_MISC_USER, body, n * 8);
}

static void test_hits(void **state)
{
	struct pd_hits *h = pd_hits__new(PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
					  PERF_SAMPLE_PERIOD | PERF_SAMPLE_CALLCHAIN);
	static struct recbuf r;
	uint64_t lost[2] = { 7, 33 };
	uint64_t chain[3] = { (uint64_t)PERF_CONTEXT_USER, 0x1010, 0x5010 };
	struct pd_build_id *ids;
	const struct pd_hits_stats *st;
	size_t nr;
	uint32_t fork[6] = { 101, 100, 101, 100, 0, 0 };

	(void)state;
	assert_non_null(h);
	add_mmap2(&r, 100, 0x1000, 0x1000, 5, "/proc/self/exe");	/* r-x: kept */
	add_mmap2(&r, 100, 0x3000, 0x1000, 3, "/data/only");		/* rw-: no IPs */
	add_mmap2(&r, 100, 0x5000, 0x1000, 5, "/never/hit");
	add_mmap2(&r, 100, 0x5000, 0x1000, 5, "/lib/x86_64-linux-gnu/libc.so.6");	/* replaces it */
	add_rec(&r, PERF_RECORD_FORK, 0, fork, 24);
	add_sample(&r, 101, 0x1010, 500, 3, chain);	/* child: maps cloned at fork */
	add_sample(&r, 100, 0x9999, 200, 0, NULL);	/* no map: retried at the end, then dropped */
	add_rec(&r, PERF_RECORD_LOST, 0, lost, 16);
	pd_hits__process(h, r.b, r.len);

	st = pd_hits__stats(h);
	assert_int_equal(st->records, 8);
	assert_int_equal(st->samples, 2);
	assert_int_equal(st->lost_records, 1);
	assert_int_equal(st->lost_samples, 33);
	assert_int_equal(st->first_time, 200);
	assert_int_equal(st->last_time, 500);

	assert_int_equal(pd_hits__build_ids(h, &ids, &nr), 0);
	assert_int_equal(nr, 2);
	assert_string_equal(ids[0].filename, "/proc/self/exe");
	assert_int_equal(ids[0].size, 20);
	assert_int_equal(ids[0].pid, -1);
	assert_string_equal(ids[1].filename, "/lib/x86_64-linux-gnu/libc.so.6");
	free(ids);
	pd_hits__free(h);
}

/* --embed-symbols' addresses: map addresses (ip - start + pgoff), each once, per DSO in
 * ascending order; a map cut at its start by a later one keeps the right offsets. */
static int collect(void *ctx, const char *dso, uint8_t cpumode, const uint64_t *a, size_t nr)
{
	char *out = ctx;
	size_t l = strlen(out);

	snprintf(out + l, 512 - l, "%s:%u", dso, cpumode);
	for (size_t i = 0; i < nr; i++) {
		l = strlen(out);
		snprintf(out + l, 512 - l, " %llx", (unsigned long long)a[i]);
	}
	strcat(out, ";");
	return 0;
}

static void test_hits_addrs(void **state)
{
	struct pd_hits *h = pd_hits__new(PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
					  PERF_SAMPLE_PERIOD | PERF_SAMPLE_CALLCHAIN);
	static struct recbuf r;
	uint64_t chain[4] = { (uint64_t)PERF_CONTEXT_USER, 0x1010, 0x5020, 0x1010 };
	uint64_t pgoff = 0x3000;
	char out[512] = "";

	(void)state;
	assert_non_null(h);
	assert_int_equal(pd_hits__want_addrs(h), 0);
	r.len = 0;
	add_mmap2(&r, 100, 0x1000, 0x1000, 5, "/a");
	add_mmap2(&r, 100, 0x4000, 0x2000, 5, "/b");
	memcpy(r.b + r.len - 80 + 8 + 24, &pgoff, 8);	/* /b maps file offset 0x3000 */
	add_mmap2(&r, 100, 0x3000, 0x1800, 5, "/c");	/* covers /b's first 0x800 bytes */
	add_sample(&r, 100, 0x1010, 1, 4, chain);
	add_sample(&r, 100, 0x1004, 2, 0, NULL);
	add_sample(&r, 100, 0x5020, 3, 0, NULL);
	add_sample(&r, 100, 0x3010, 4, 0, NULL);
	pd_hits__process(h, r.b, r.len);
	assert_int_equal(pd_hits__for_each_addrs(h, collect, out), 0);
	assert_string_equal(out, "/a:2 4 10;/b:2 4020;/c:2 10;");
	pd_hits__free(h);
}

/* A sample read before its map (the map's record in a buffer read later): looked up again at
 * the end of the pass (pd_hits__settle) or of the next, however many addresses missed for
 * good before it (frame-pointer junk such as 0); a map that comes later still is not its. */
static void test_hits_misses(void **state)
{
	struct pd_hits *h = pd_hits__new(PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
					  PERF_SAMPLE_PERIOD | PERF_SAMPLE_CALLCHAIN);
	uint64_t chain[3] = { (uint64_t)PERF_CONTEXT_USER, 0x1010, 0 };
	static struct recbuf r;
	char out[512] = "";

	(void)state;
	assert_non_null(h);
	assert_int_equal(pd_hits__want_addrs(h), 0);
	r.len = 0;
	for (int i = 0; i < 2000; i++)		/* pass 1, a buffer: junk frames */
		add_sample(&r, 100, 0, (uint64_t)i, 3, chain);
	add_sample(&r, 100, 0x7010, 2001, 0, NULL);
	add_sample(&r, 100, 0x9010, 2002, 0, NULL);
	pd_hits__process(h, r.b, r.len);
	r.len = 0;				/* pass 1, a buffer read later */
	add_mmap2(&r, 100, 0x1000, 0x1000, 5, "/a");
	pd_hits__process(h, r.b, r.len);
	pd_hits__settle(h);
	r.len = 0;				/* pass 2 */
	add_mmap2(&r, 100, 0x7000, 0x1000, 5, "/b");
	pd_hits__process(h, r.b, r.len);
	pd_hits__settle(h);
	r.len = 0;				/* pass 3: too late for 0x9010's sample */
	add_mmap2(&r, 100, 0x9000, 0x1000, 5, "/c");
	pd_hits__process(h, r.b, r.len);
	pd_hits__settle(h);
	assert_int_equal(pd_hits__for_each_addrs(h, collect, out), 0);
	assert_string_equal(out, "/a:2 10;/b:2 10;");
	pd_hits__free(h);
}

/* Hundreds of processes and DSOs (the tables grow many times): the BUILD_ID entries are the
 * hit DSOs in the order their maps were first seen. */
static void test_hits_many(void **state)
{
	struct pd_hits *h = pd_hits__new(PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
					  PERF_SAMPLE_PERIOD | PERF_SAMPLE_CALLCHAIN);
	static struct recbuf r;
	struct pd_build_id *ids;
	char name[700];
	size_t nr;

	(void)state;
	assert_non_null(h);
	r.len = 0;
	for (uint32_t k = 0; k < 600; k++) {
		/* distinct names of one ELF file: "/proc/self" + k+1 slashes + "exe" */
		memcpy(name, "/proc/self", 10);
		memset(name + 10, '/', k + 1);
		memcpy(name + 10 + k + 1, "exe", 4);
		add_mmap2(&r, 1000 + k, 0x400000, 0x1000, 5, name);
	}
	for (uint32_t k = 599; k < 600; k -= 3)
		add_sample(&r, 1000 + k, 0x400010, k + 1, 0, NULL);
	pd_hits__process(h, r.b, r.len);
	assert_int_equal(pd_hits__stats(h)->samples, 200);
	assert_int_equal(pd_hits__build_ids(h, &ids, &nr), 0);
	assert_int_equal(nr, 200);
	for (size_t i = 0; i < nr; i++)
		assert_int_equal(strlen(ids[i].filename), strlen("/proc/selfexe") + 3 * i + 3);
	free(ids);
	pd_hits__free(h);
}

/* -z's COMPRESSED feature is live: after every flush the file ends with its index entry and
 * payload, the bit set, so a killed writer leaves a file with it; finish keeps it once. */
static void test_live_feature(void **state)
{
	struct pd_event_desc ev = { .attr = &attr0, .name = "cpu-clock" };
	struct pd_writer *w = pd_writer__new(path);
	uint32_t comp[5] = { 0, 1, 3, 0, 4096 + 4096 };
	struct pd_file_header h;
	struct pd_section idx;
	size_t len;
	char *buf;

	(void)state;
	assert_non_null(w);
	assert_int_equal(pd_writer__start(w, &ev, 1), 0);
	assert_int_equal(pd_writer__live_feature(w, PD_FEAT_COMPRESSED, comp, sizeof(comp)), 0);
	for (int round = 1; round <= 2; round++) {
		put_comm(w, 42, "hello");
		assert_int_equal(pd_writer__flush(w), 0);
		buf = slurp(&len);
		memcpy(&h, buf, sizeof(h));
		assert_int_equal(h.data.size, 40 * round);
		assert_int_equal(h.features[0], 1ULL << PD_FEAT_COMPRESSED);
		memcpy(&idx, buf + h.data.offset + h.data.size, sizeof(idx));
		assert_int_equal(idx.offset, h.data.offset + h.data.size + 16);
		assert_int_equal(idx.size, sizeof(comp));
		assert_int_equal(len, idx.offset + idx.size);
		assert_memory_equal(buf + idx.offset, comp, sizeof(comp));
		/* the records of the earlier round were not overwritten by its index */
		assert_string_equal(buf + h.data.offset + 40 * round - 24, "hello");
		free(buf);
	}
	assert_int_equal(pd_feature__cmdline(w, 1, (char *[]){ "x", NULL }), 0);
	assert_int_equal(pd_writer__finish(w), 0);
	buf = slurp(&len);
	memcpy(&h, buf, sizeof(h));
	assert_int_equal(h.features[0], (1ULL << PD_FEAT_COMPRESSED) | (1ULL << PD_FEAT_CMDLINE));
	assert_int_equal(len, pd_writer__file_size(w));
	free(buf);
	pd_writer__free(w);
}

static void test_write_error_keeps_last_good_size(void **state)
{
	struct pd_event_desc ev = { .attr = &attr0, .name = "e" };
	struct pd_writer *w = pd_writer__new("/dev/full");
	char rec[16] = { 0 };

	(void)state;
	if (!w) {
		skip();
		return;
	}
	/* /dev/full refuses every write: the error is reported and sticks */
	assert_int_equal(pd_writer__start(w, &ev, 1), -28);
	assert_int_equal(pd_writer__error(w), -28);
	assert_int_equal(pd_writer__write(w, rec, sizeof(rec)), -28);
	assert_int_equal(pd_writer__finish(w), -28);
	pd_writer__free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_layout_and_crash_safety, setup, teardown),
		cmocka_unit_test(test_header_string),
		cmocka_unit_test_setup_teardown(test_build_id_entries, setup, teardown),
		cmocka_unit_test(test_buildid_of_self),
		cmocka_unit_test(test_hits),
		cmocka_unit_test(test_hits_many),
		cmocka_unit_test(test_hits_addrs),
		cmocka_unit_test(test_hits_misses),
		cmocka_unit_test(test_write_error_keeps_last_good_size),
		cmocka_unit_test_setup_teardown(test_live_feature, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
