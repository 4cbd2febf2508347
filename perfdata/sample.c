/* Owns the field order of PERF_RECORD_SAMPLE and of the sample_id trailer (PERFDATA.md §4). */
#include <errno.h>
#include <string.h>

#include "perfdata/reader.h"
#include "perfdata/sample.h"
#include "util/hash.h"

struct cursor {
	const uint8_t *p, *start, *end;
};

static inline int take(struct cursor *c, size_t n, const void **out)
{
	if ((size_t)(c->end - c->p) < n)
		return -1;
	*out = c->p;
	c->p += n;
	return 0;
}

static inline int take_u64(struct cursor *c, uint64_t *v)
{
	if ((size_t)(c->end - c->p) < 8)
		return -1;
	memcpy(v, c->p, 8);
	c->p += 8;
	return 0;
}

static inline int take_u32x2(struct cursor *c, uint32_t *a, uint32_t *b)
{
	if ((size_t)(c->end - c->p) < 8)
		return -1;
	memcpy(a, c->p, 4);
	memcpy(b, c->p + 4, 4);
	c->p += 8;
	return 0;
}

unsigned int pd_sample__trailer_size(uint64_t t)
{
	unsigned int n = 0;

	n += !!(t & PERF_SAMPLE_TID);
	n += !!(t & PERF_SAMPLE_TIME);
	n += !!(t & PERF_SAMPLE_ID);
	n += !!(t & PERF_SAMPLE_STREAM_ID);
	n += !!(t & PERF_SAMPLE_CPU);
	n += !!(t & PERF_SAMPLE_IDENTIFIER);
	return n * 8;
}

static int bad(struct cursor *c, uint32_t *bad_at)
{
	if (bad_at)
		*bad_at = (uint32_t)(c->p - c->start);
	return -EBADMSG;
}

/* Words of a read_format block; the group's nr comes from the data itself. */
static int take_read(struct cursor *c, uint64_t rf, struct pd_sample *s)
{
	uint64_t per = 1 + !!(rf & PERF_FORMAT_ID) + !!(rf & PERF_FORMAT_LOST);
	uint64_t words, nr;
	const void *p;

	if (rf & PERF_FORMAT_GROUP) {
		if ((size_t)(c->end - c->p) < 8)
			return -1;
		memcpy(&nr, c->p, 8);
		words = 1 + !!(rf & PERF_FORMAT_TOTAL_TIME_ENABLED) +
			!!(rf & PERF_FORMAT_TOTAL_TIME_RUNNING);
		if (nr > (uint64_t)(c->end - c->p) / 8 / per)
			return -1;
		words += nr * per;
	} else {
		words = per + !!(rf & PERF_FORMAT_TOTAL_TIME_ENABLED) +
			!!(rf & PERF_FORMAT_TOTAL_TIME_RUNNING);
	}
	if (take(c, words * 8, &p))
		return -1;
	s->read = p;
	s->read_words = words;
	return 0;
}

/* abi, then one word for each bit of @mask when abi is not NONE (REGS_USER, REGS_INTR) */
static int take_regs(struct cursor *c, uint64_t mask, uint64_t *abi, uint64_t *mask_out,
		     const uint64_t **regs)
{
	const void *p;

	if (take_u64(c, abi))
		return -1;
	if (!*abi)
		return 0;
	*mask_out = mask;
	if (take(c, (size_t)__builtin_popcountll(mask) * 8, &p))
		return -1;
	*regs = p;
	return 0;
}

/* The fields after STACK_USER, which few recordings carry (memory and transaction sampling,
 * interrupt registers, cgroups, page sizes, AUX samples). */
static int take_late(struct cursor *c, const struct perf_event_attr *attr, struct pd_sample *s)
{
	uint64_t t = attr->sample_type;
	const void *p;

	if ((t & (PERF_SAMPLE_WEIGHT | PERF_SAMPLE_WEIGHT_STRUCT)) && take_u64(c, &s->weight))
		return -1;
	if ((t & PERF_SAMPLE_DATA_SRC) && take_u64(c, &s->data_src))
		return -1;
	if ((t & PERF_SAMPLE_TRANSACTION) && take_u64(c, &s->transaction))
		return -1;
	if ((t & PERF_SAMPLE_REGS_INTR) &&
	    take_regs(c, attr->sample_regs_intr, &s->regs_intr_abi, &s->regs_intr_mask, &s->regs_intr))
		return -1;
	if ((t & PERF_SAMPLE_PHYS_ADDR) && take_u64(c, &s->phys_addr))
		return -1;
	if ((t & PERF_SAMPLE_CGROUP) && take_u64(c, &s->cgroup))
		return -1;
	if ((t & PERF_SAMPLE_DATA_PAGE_SIZE) && take_u64(c, &s->data_page_size))
		return -1;
	if ((t & PERF_SAMPLE_CODE_PAGE_SIZE) && take_u64(c, &s->code_page_size))
		return -1;
	if (t & PERF_SAMPLE_AUX) {
		if (take_u64(c, &s->aux_size))
			return -1;
		if (s->aux_size > (uint64_t)(c->end - c->p) || take(c, s->aux_size, &p))
			return -1;
		s->aux = p;
	}
	return 0;
}

uint64_t pd_chain__hash(const uint64_t *chain, uint64_t nr)
{
	uint64_t h = hash_fold(HASH_FNV_OFFSET, nr), ip;

	for (uint64_t i = 0; i < nr; i++) {
		memcpy(&ip, &chain[i], 8);	/* the record may leave it unaligned */
		h = hash_fold(h, ip);
	}
	return hash_u64(h) | 1;
}

int pd_sample__parse(const struct pd_evsel *evsel, const struct perf_event_header *hdr,
		     struct pd_sample *s, uint32_t *bad_at)
{
	const struct perf_event_attr *attr = &evsel->attr;
	uint64_t t = attr->sample_type;
	struct cursor c = {
		.start = (const uint8_t *)hdr,
		.p = (const uint8_t *)(hdr + 1),
		.end = (const uint8_t *)hdr + hdr->size,
	};
	const void *p;

	memset(s, 0, sizeof(*s));
	s->type = t;
	s->misc = hdr->misc;
	s->cpumode = hdr->misc & PERF_RECORD_MISC_CPUMODE_MASK;
	s->pid = s->tid = (uint32_t)-1;
	s->cpu = (uint32_t)-1;
	/* perf's fallback: the attr's period field, which is the frequency in freq mode */
	s->period = attr->sample_period;

	if ((t & PERF_SAMPLE_IDENTIFIER) && take_u64(&c, &s->id))
		return bad(&c, bad_at);
	if ((t & PERF_SAMPLE_IP) && take_u64(&c, &s->ip))
		return bad(&c, bad_at);
	if ((t & PERF_SAMPLE_TID) && take_u32x2(&c, &s->pid, &s->tid))
		return bad(&c, bad_at);
	if ((t & PERF_SAMPLE_TIME) && take_u64(&c, &s->time))
		return bad(&c, bad_at);
	if ((t & PERF_SAMPLE_ADDR) && take_u64(&c, &s->addr))
		return bad(&c, bad_at);
	if ((t & PERF_SAMPLE_ID) && take_u64(&c, &s->id))
		return bad(&c, bad_at);
	if ((t & PERF_SAMPLE_STREAM_ID) && take_u64(&c, &s->stream_id))
		return bad(&c, bad_at);
	if (t & PERF_SAMPLE_CPU) {
		uint32_t res;

		if (take_u32x2(&c, &s->cpu, &res))
			return bad(&c, bad_at);
	}
	if ((t & PERF_SAMPLE_PERIOD) && take_u64(&c, &s->period))
		return bad(&c, bad_at);
	if ((t & PERF_SAMPLE_READ) && take_read(&c, attr->read_format, s))
		return bad(&c, bad_at);
	if (t & PERF_SAMPLE_CALLCHAIN) {
		if (take_u64(&c, &s->callchain_nr))
			return bad(&c, bad_at);
		if (s->callchain_nr > (uint64_t)(c.end - c.p) / 8 || take(&c, s->callchain_nr * 8, &p))
			return bad(&c, bad_at);
		s->callchain = p;
		s->chain_hash = pd_chain__hash(s->callchain, s->callchain_nr);
	}
	if (t & PERF_SAMPLE_RAW) {
		uint32_t sz;

		if ((size_t)(c.end - c.p) < 4)
			return bad(&c, bad_at);
		memcpy(&sz, c.p, 4);
		c.p += 4;
		if (take(&c, sz, &p))
			return bad(&c, bad_at);
		s->raw_size = sz;
		s->raw = p;
	}
	if (t & PERF_SAMPLE_BRANCH_STACK) {
		if (take_u64(&c, &s->branch_nr))
			return bad(&c, bad_at);
		if ((attr->branch_sample_type & PERF_SAMPLE_BRANCH_HW_INDEX) &&
		    take_u64(&c, &s->branch_hw_idx))
			return bad(&c, bad_at);
		if (s->branch_nr > (uint64_t)(c.end - c.p) / 24 ||
		    take(&c, s->branch_nr * 24, &p))
			return bad(&c, bad_at);
		s->branch = p;
	}
	if ((t & PERF_SAMPLE_REGS_USER) &&
	    take_regs(&c, attr->sample_regs_user, &s->regs_user_abi, &s->regs_user_mask, &s->regs_user))
		return bad(&c, bad_at);
	if (t & PERF_SAMPLE_STACK_USER) {
		if (take_u64(&c, &s->stack_size))
			return bad(&c, bad_at);
		if (s->stack_size) {
			if (s->stack_size > (uint64_t)(c.end - c.p) || take(&c, s->stack_size, &p))
				return bad(&c, bad_at);
			s->stack = p;
			if (take_u64(&c, &s->stack_dyn_size))
				return bad(&c, bad_at);
			if (s->stack_dyn_size > s->stack_size)
				s->stack_dyn_size = s->stack_size;
		}
	}
	if ((t & ~(PERF_SAMPLE_STACK_USER * 2 - 1)) && take_late(&c, attr, s))
		return bad(&c, bad_at);
	return 0;
}

int pd_sample__parse_id(const struct pd_evsel *evsel, const struct perf_event_header *hdr,
			struct pd_sample *s, uint32_t *bad_at)
{
	uint64_t t = evsel->attr.sample_type;
	unsigned int tsz = pd_sample__trailer_size(t);
	struct cursor c;

	memset(s, 0, sizeof(*s));
	s->type = t;
	s->misc = hdr->misc;
	s->cpumode = hdr->misc & PERF_RECORD_MISC_CPUMODE_MASK;
	s->pid = s->tid = s->cpu = (uint32_t)-1;
	if (!evsel->attr.sample_id_all)
		return 0;
	if (hdr->size < sizeof(*hdr) + tsz) {
		if (bad_at)
			*bad_at = 0;
		return -EBADMSG;
	}
	c.start = (const uint8_t *)hdr;
	c.end = c.start + hdr->size;
	c.p = c.end - tsz;
	if (t & PERF_SAMPLE_TID)
		take_u32x2(&c, &s->pid, &s->tid);
	if (t & PERF_SAMPLE_TIME)
		take_u64(&c, &s->time);
	if (t & PERF_SAMPLE_ID)
		take_u64(&c, &s->id);
	if (t & PERF_SAMPLE_STREAM_ID)
		take_u64(&c, &s->stream_id);
	if (t & PERF_SAMPLE_CPU) {
		uint32_t res;

		take_u32x2(&c, &s->cpu, &res);
	}
	if (t & PERF_SAMPLE_IDENTIFIER)
		take_u64(&c, &s->id);
	return 0;
}
