/* Owns the two ways precord makes files smaller than perf's: stack copies cut to their used
 * bytes and zstd-compressed record batches (PERF_RECORD_COMPRESSED). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "perfdata/compact.h"
#include "perfdata/reader.h"
#include "perfdata/sample.h"
#include "perfdata/writer.h"

/* perf: PERF_SAMPLE_MAX_SIZE - sizeof(struct perf_record_compressed) - 1 */
#define COMP_MAX_PAYLOAD	(65536 - 8 - 1)

/* The user stack pointer of a sample (x86_64 perf register 7), 0 if not sampled. */
static uint64_t sample_sp(const struct pd_sample *s)
{
	uint64_t sp;

	if (!s->regs_user_abi || !(s->regs_user_mask & (1ULL << 7)))
		return 0;
	memcpy(&sp, &s->regs_user[__builtin_popcountll(s->regs_user_mask & 0x7f)], 8);
	return sp;
}

/* Does the copy hold argc and argv[0] at @start (8-aligned, inside the copy)? */
static bool argc_at(const struct pd_sample *s, uint64_t sp, uint64_t start)
{
	uint64_t argc, argv0, off = start - sp;

	if (start < sp || (start & 7) || off + 16 > s->stack_dyn_size)
		return false;
	memcpy(&argc, s->stack + off, 8);
	memcpy(&argv0, s->stack + off + 8, 8);
	return argc < (1u << 20) && argv0 > start && argv0 - start < (1u << 26);
}

size_t pd_compact__stacks(const struct pd_evsel *evsel, void *buf, size_t len,
			  pd_stack_top_fn top, void *ctx, uint64_t *saved)
{
	uint8_t *p = buf, *end = p + len, *wr = p;

	while (end - p >= (ptrdiff_t)sizeof(struct perf_event_header)) {
		struct perf_event_header h;
		struct pd_sample s;
		uint32_t bad;

		memcpy(&h, p, sizeof(h));
		if (h.size < sizeof(h) || h.size > end - p)
			break;
		if (wr != p)
			memmove(wr, p, h.size);
		p += h.size;
		if (h.type == PERF_RECORD_SAMPLE && (h.size & 7) == 0 &&
		    pd_sample__parse(evsel, (const struct perf_event_header *)wr, &s, &bad) == 0 &&
		    s.stack_size) {
			uint8_t *data = (uint8_t *)s.stack, *rend = wr + h.size;
			uint64_t keep = (s.stack_dyn_size + 7) & ~7ULL;
			uint64_t sp = sample_sp(&s), lim = sp && top ? top(ctx, s.pid, s.tid, false) : 0;

			if (lim && argc_at(&s, sp, lim) && lim + 16 - sp < keep)
				keep = lim + 16 - sp;
			/* the bytes the copy still holds */
			if (keep < s.stack_dyn_size)
				memcpy(data + s.stack_size, &keep, 8);
			if (keep < s.stack_size) {
				/* an empty copy is written as size 0 with neither data nor dyn_size */
				uint64_t drop = keep ? s.stack_size - keep : s.stack_size + 8;
				uint8_t *tail = keep ? data + s.stack_size : data + s.stack_size + 8;

				memmove(data + keep, tail, (size_t)(rend - tail));
				memcpy(data - 8, &keep, 8);
				h.size -= (uint16_t)drop;
				memcpy(wr, &h, sizeof(h));
				if (saved)
					*saved += drop;
			}
		} else if (h.type == PERF_RECORD_COMM && (h.misc & PERF_RECORD_MISC_COMM_EXEC) && top &&
			 h.size >= 16) {
			uint32_t pid;

			memcpy(&pid, wr + 8, 4);
			top(ctx, pid, pid, true);
		}
		wr += h.size;
	}
	/* anything unparsable at the end stays */
	if (p < end && wr != p)
		memmove(wr, p, (size_t)(end - p));
	return (size_t)(wr - (uint8_t *)buf) + (size_t)(end - p);
}

struct pd_compressor {
	ZSTD_CStream *cs;
	int level;
	uint64_t in, out;
};

struct pd_compressor *pd_compressor__new(int level)
{
	struct pd_compressor *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->level = level;
	c->cs = ZSTD_createCStream();
	if (!c->cs || ZSTD_isError(ZSTD_initCStream(c->cs, level))) {
		pd_compressor__free(c);
		errno = ENOMEM;
		return NULL;
	}
	return c;
}

void pd_compressor__free(struct pd_compressor *c)
{
	if (!c)
		return;
	ZSTD_freeCStream(c->cs);
	free(c);
}

int pd_compressor__write(struct pd_compressor *c, struct pd_writer *w, const void *buf, size_t len)
{
	ZSTD_inBuffer in = { buf, len, 0 };
	size_t pending = 0;

	c->in += len;
	while (in.pos < in.size || pending) {
		uint8_t *rec = pd_writer__reserve(w, 8 + COMP_MAX_PAYLOAD);
		ZSTD_outBuffer out;
		struct perf_event_header h = { .type = PD_RECORD_COMPRESSED };
		size_t r;

		if (!rec)
			return -errno;
		out = (ZSTD_outBuffer){ rec + 8, COMP_MAX_PAYLOAD, 0 };
		r = ZSTD_compressStream(c->cs, &out, &in);
		if (ZSTD_isError(r))
			return -EIO;
		/* every record ends on a flush, so it inflates on its own (with the stream) */
		pending = ZSTD_flushStream(c->cs, &out);
		if (ZSTD_isError(pending))
			return -EIO;
		if (!out.pos)
			continue;
		h.size = (uint16_t)(8 + out.pos);
		memcpy(rec, &h, sizeof(h));
		pd_writer__commit(w, h.size);
		c->out += h.size;
	}
	return 0;
}

int pd_compressor__add_feature(struct pd_compressor *c, struct pd_writer *w, uint32_t mmap_len)
{
	/* version, type (1 = zstd), level, ratio, mmap_len: as perf 6.1 writes it */
	uint32_t f[5] = { 0, 1, (uint32_t)c->level, 0, mmap_len };

	f[3] = c->out ? (uint32_t)(c->in / c->out) : 0;
	return pd_writer__add_feature(w, PD_FEAT_COMPRESSED, f, sizeof(f));
}

int pd_compressor__live_feature(struct pd_compressor *c, struct pd_writer *w, uint32_t mmap_len)
{
	uint32_t f[5] = { 0, 1, (uint32_t)c->level, 0, mmap_len };

	return pd_writer__live_feature(w, PD_FEAT_COMPRESSED, f, sizeof(f));
}

void pd_compressor__totals(const struct pd_compressor *c, uint64_t *in, uint64_t *out)
{
	*in = c->in;
	*out = c->out;
}
