/* libFuzzer harness for the perf.data reader and the session replay on top of it: header,
 * attrs, ids, features, every record, sample decoding, threads and maps. Symbol resolution is
 * left out: it reads the real files the records name, not the input, and costs milliseconds.
 *
 * An input is a whole file, except two cases that put the fuzzer's bytes where they count
 * around a valid frame (so it does not spend its time rediscovering the header):
 *   "FEAT" u8 BIT  PAYLOAD...   a good file whose only feature is BIT, with PAYLOAD as its
 *                               section (BIT 0: the index entry itself is the payload's first
 *                               16 bytes, so offsets and sizes are fuzzed too)
 *   "TRNC" u32 CUT u64 SIZE  RECORDS...   a file whose data section is RECORDS, data.size
 *                               SIZE (0: a killed recorder; larger than the file: a cut copy),
 *                               the whole file then cut to CUT bytes when CUT is smaller */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "perfdata/format.h"
#include "report/session/session.h"
#include "util/log.h"

static int on_sample(void *ctx, struct session *s, const struct pd_sample *sample,
		     struct pd_evsel *evsel, struct thread *thread)
{
	volatile uint64_t sink = sample->ip + sample->callchain_nr;

	(void)ctx;
	(void)s;
	(void)evsel;
	(void)thread;
	(void)sink;
	return 0;
}

static void read_file(int fd)
{
	struct session_tool tool = { .sample = on_sample };
	struct session_opts opts = { .demangle = true };
	struct error err;
	struct session *s;
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	s = session__open(path, &opts, &err);
	if (s) {
		session__process(s, &tool, &err);
		session__close(s);
	}
}

/* header | attr (+ids section) | data | [feature index | payload] */
#define ST (PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_PERIOD)

/* A few good records: COMM, MMAP2, two SAMPLEs, FINISHED_ROUND. */
static size_t good_records(uint8_t *p)
{
	uint8_t *s = p;
	struct perf_event_header h;
	uint64_t v[8];

	h = (struct perf_event_header){ PERF_RECORD_COMM, 0, 8 + 8 + 16 + 16 };
	memcpy(p, &h, 8);
	memset(p + 8, 0, h.size - 8);
	memcpy(p + 8, "\x2a\0\0\0\x2a\0\0\0spin", 12);
	p += h.size;
	h = (struct perf_event_header){ PERF_RECORD_MMAP2, 2, 8 + 64 + 16 + 16 };
	memset(p, 0, h.size);
	memcpy(p, &h, 8);
	v[0] = 42 | (42ULL << 32);
	v[1] = 0x400000;
	v[2] = 0x1000;
	memcpy(p + 8, v, 24);
	memcpy(p + 8 + 64, "/bin/true", 10);
	p += h.size;
	for (int i = 0; i < 2; i++) {
		h = (struct perf_event_header){ PERF_RECORD_SAMPLE, 2, 8 + 32 };
		v[0] = 0x400100 + i;
		v[1] = 42 | (42ULL << 32);
		v[2] = 1000 + i;
		v[3] = 1;
		memcpy(p, &h, 8);
		memcpy(p + 8, v, 32);
		p += h.size;
	}
	h = (struct perf_event_header){ PD_RECORD_FINISHED_ROUND, 0, 8 };
	memcpy(p, &h, 8);
	p += 8;
	return (size_t)(p - s);
}

/* The frame: header and one attr (sample_id_all with TID|TIME: 16-byte trailers). Returns the
 * data offset. */
static size_t frame(uint8_t *b)
{
	struct pd_file_header h = { 0 };
	struct perf_event_attr a = { 0 };
	struct pd_section ids = { 0, 0 };

	a.type = PERF_TYPE_SOFTWARE;
	a.size = PERF_ATTR_SIZE_WRITE;
	a.sample_type = ST;
	a.sample_id_all = 1;
	h.magic = PERF_MAGIC2;
	h.size = PERF_FILE_HEADER_SIZE;
	h.attr_size = PERF_ATTR_SIZE_WRITE + sizeof(ids);
	h.attrs.offset = PERF_FILE_HEADER_SIZE;
	h.attrs.size = h.attr_size;
	h.data.offset = h.attrs.offset + h.attrs.size;
	memcpy(b + h.attrs.offset, &a, sizeof(a) < PERF_ATTR_SIZE_WRITE ? sizeof(a) : PERF_ATTR_SIZE_WRITE);
	memcpy(b + h.attrs.offset + PERF_ATTR_SIZE_WRITE, &ids, sizeof(ids));
	memcpy(b, &h, sizeof(h));
	return h.data.offset;
}

static void set_u64(uint8_t *b, size_t off, uint64_t v)
{
	memcpy(b + off, &v, 8);
}

/* "FEAT": one feature section around a good file. */
static size_t build_feat(uint8_t *b, const uint8_t *in, size_t len)
{
	size_t doff = frame(b), dsize = good_records(b + doff), idx = doff + dsize, n;
	unsigned bit = in[0];
	uint64_t feats[4] = { 0 };

	in++;
	len--;
	if (bit == 0) {
		/* the index entry from the input: offset and size fuzzed (bit 2, BUILD_ID) */
		bit = PD_FEAT_BUILD_ID;
		n = len;
		memcpy(b + idx, in, n);
		if (n < 16)
			memset(b + idx + n, 0, 16 - n), n = 16;
	} else {
		set_u64(b, idx, idx + 16);
		set_u64(b, idx + 8, len);
		memcpy(b + idx + 16, in, len);
		n = 16 + len;
	}
	feats[bit / 64] |= 1ULL << (bit % 64);
	set_u64(b, 48, dsize);
	memcpy(b + 72, feats, sizeof(feats));
	return idx + n;
}

/* "TRNC": the input's records as the data section, data.size and the file's end from it. */
static size_t build_trunc(uint8_t *b, const uint8_t *in, size_t len)
{
	size_t doff = frame(b), total;
	uint32_t cut;
	uint64_t size;

	if (len < 12)
		return 0;
	memcpy(&cut, in, 4);
	memcpy(&size, in + 4, 8);
	in += 12;
	len -= 12;
	if (len == 0)
		len = good_records(b + doff);
	else
		memcpy(b + doff, in, len);
	set_u64(b, 48, size);
	total = doff + len;
	return cut < total ? cut : total;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz.data", MFD_CLOEXEC);
	uint8_t *b = NULL;
	size_t n = size;
	const uint8_t *out = data;

	log_set_level(-1);
	if (fd < 0)
		return 0;
	if (size > 5 && (!memcmp(data, "FEAT", 4) || !memcmp(data, "TRNC", 4))) {
		b = calloc(1, size + 4096);
		if (!b)
			goto out;
		n = data[0] == 'F' ? build_feat(b, data + 4, size - 4) : build_trunc(b, data + 4, size - 4);
		out = b;
	}
	if (n && write(fd, out, n) == (ssize_t)n)
		read_file(fd);
out:
	free(b);
	close(fd);
	return 0;
}
