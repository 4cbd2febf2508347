/* Unit tests of the ring-buffer consumer (on a ring built in memory, so wrap-around and partial
 * reads are exercised exactly), of the /proc synthesis and of the stack-start table (on this
 * test's own process). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sampler/mmap.h"
#include "sampler/stacktop.h"
#include "sampler/synth.h"

#define DATA 256

struct fake {
	struct perf_event_mmap_page pc;
	char data[DATA];
};

static void fake_ring(struct mmap_ring *r, struct fake *f, uint64_t start)
{
	memset(f, 0, sizeof(*f));
	memset(r, 0, sizeof(*r));
	r->pc = &f->pc;
	r->data = f->data;
	r->size = DATA;
	r->mask = DATA - 1;
	f->pc.data_head = f->pc.data_tail = start;
}

/* Producer side: append a record of size bytes filled with byte v. */
static void produce(struct fake *f, uint16_t size, unsigned char v)
{
	char rec[DATA];
	struct perf_event_header *h = (void *)rec;
	uint64_t head = f->pc.data_head;

	memset(rec, v, size);
	h->type = PERF_RECORD_SAMPLE;
	h->misc = 0;
	h->size = size;
	for (int i = 0; i < size; i++)
		f->data[(head + i) & (DATA - 1)] = rec[i];
	f->pc.data_head = head + size;
}

static void test_wrap_copied_whole(void **state)
{
	struct mmap_ring r;
	struct fake *f = calloc(1, sizeof(*f));
	char out[DATA];
	size_t n;

	(void)state;
	fake_ring(&r, f, 200);			/* 56 bytes before the end */
	produce(f, 40, 0x11);
	produce(f, 48, 0x22);			/* straddles the end: 16 + 32 */
	assert_int_equal(mmap__avail(&r), 88);
	n = mmap__read(&r, out, sizeof(out));
	assert_int_equal(n, 88);
	assert_int_equal(f->pc.data_tail, 288);	/* released to the producer */
	assert_int_equal(((struct perf_event_header *)out)->size, 40);
	assert_int_equal(((struct perf_event_header *)(out + 40))->size, 48);
	for (int i = 8; i < 48; i++)
		assert_int_equal((unsigned char)out[40 + i], 0x22);
	assert_int_equal(mmap__read(&r, out, sizeof(out)), 0);
	free(f);
}

static void test_partial_read_stops_on_record(void **state)
{
	struct mmap_ring r;
	struct fake *f = calloc(1, sizeof(*f));
	char out[DATA];

	(void)state;
	fake_ring(&r, f, 0);
	produce(f, 32, 1);
	produce(f, 32, 2);
	produce(f, 32, 3);
	/* room for 2.5 records: two are taken, the third stays for the next read */
	assert_int_equal(mmap__read(&r, out, 80), 64);
	assert_int_equal(f->pc.data_tail, 64);
	assert_int_equal(mmap__read(&r, out, 80), 32);
	assert_int_equal((unsigned char)out[8], 3);
	free(f);
}

struct sink {
	int comm, mmap2, mmap, fork, finished;
	int self_exe_mapped, bad_size, kernel_ok;
	uint16_t trailer;
};

static int collect(void *arg, const void *rec, size_t len)
{
	struct sink *s = arg;
	const struct perf_event_header *h = rec;

	if (h->size != len || len % 8)
		s->bad_size++;
	switch (h->type) {
	case PERF_RECORD_COMM: s->comm++; break;
	case PERF_RECORD_FORK: s->fork++; break;
	case PERF_RECORD_MMAP: {
		uint64_t start, pgoff;

		memcpy(&start, (const char *)rec + 16, 8);
		memcpy(&pgoff, (const char *)rec + 32, 8);
		/* the kernel map: pid -1, pgoff is the address of _text */
		if (!strcmp((const char *)rec + 40, "[kernel.kallsyms]_text") && start == pgoff &&
		    *(const int32_t *)((const char *)rec + 8) == -1 && h->misc == PERF_RECORD_MISC_KERNEL)
			s->kernel_ok++;
		s->mmap++;
		break;
	}
	case PERF_RECORD_MMAP2:
		s->mmap2++;
		if (strstr((const char *)rec + 72, "test_sampler_ring"))
			s->self_exe_mapped++;
		break;
	case 82: s->finished++; break;
	}
	return 0;
}

static void test_synth_self(void **state)
{
	struct synth *sy = calloc(1, sizeof(*sy));
	struct sink s = { 0 };

	(void)state;
	sy->emit = collect;
	sy->arg = &s;
	sy->id_hdr_size = synth__id_hdr_size(PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
					     PERF_SAMPLE_CPU | PERF_SAMPLE_IDENTIFIER);
	assert_int_equal(sy->id_hdr_size, 32);
	assert_int_equal(synth__process(sy, getpid(), true), 0);
	assert_int_equal(synth__finished_init(sy), 0);
	assert_int_equal(s.comm, 1);
	assert_int_equal(s.fork, 1);
	assert_true(s.mmap2 >= 2);		/* this binary and libc at least */
	assert_int_equal(s.self_exe_mapped, 1);	/* only its executable mapping */
	assert_int_equal(s.finished, 1);
	assert_int_equal(s.bad_size, 0);
	/* a vanished process is not an error */
	assert_int_equal(synth__process(sy, 999999999, true), 0);
	free(sy);
}

static void test_synth_kernel(void **state)
{
	struct synth *sy = calloc(1, sizeof(*sy));
	struct sink s = { 0 };
	int ret;

	(void)state;
	sy->emit = collect;
	sy->arg = &s;
	ret = synth__kernel(sy);
	if (ret == -13) {			/* kptr_restrict hides the addresses from this user */
		free(sy);
		skip();
		return;
	}
	assert_int_equal(ret, 0);
	assert_true(s.mmap >= 1);
	assert_int_equal(s.kernel_ok, 1);
	assert_int_equal(s.bad_size, 0);
	free(sy);
}

/* Field 28 of /proc/self/stat, read here independently of stacktop.c. */
static uint64_t own_startstack(void)
{
	char buf[1024], *p;
	FILE *f = fopen("/proc/self/stat", "r");
	unsigned long long v = 0;
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')') + 2;
	for (int field = 3; field < 28; field++)
		p = strchr(p, ' ') + 1;
	assert_int_equal(sscanf(p, "%llu", &v), 1);
	return v;
}

/* The main thread gets the stack start, other threads 0; the table keeps it while it grows
 * past many other processes (gone ones: 0). */
static void test_stacktop(void **state)
{
	struct stacktop *t = stacktop__new();
	uint32_t self = (uint32_t)getpid();
	uint64_t start;

	(void)state;
	assert_non_null(t);
	start = stacktop__get(t, self, self, false);
	assert_true(start != 0);
	assert_int_equal(start, own_startstack());
	assert_int_equal(stacktop__get(t, self, self + 1, false), 0);
	for (uint32_t pid = 4000000; pid < 4002000; pid++)
		assert_int_equal(stacktop__get(t, pid, pid, false), 0);
	assert_int_equal(stacktop__get(t, self, self, false), start);
	assert_int_equal(stacktop__get(t, self, self, true), 0);	/* exec: read again */
	assert_int_equal(stacktop__get(t, self, self, false), start);
	assert_int_equal(stacktop__get(t, 0, 0, false), 0);
	stacktop__free(t);
	stacktop__free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrap_copied_whole),
		cmocka_unit_test(test_partial_read_stops_on_record),
		cmocka_unit_test(test_synth_self),
		cmocka_unit_test(test_synth_kernel),
		cmocka_unit_test(test_stacktop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
