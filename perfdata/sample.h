/* Decoding PERF_RECORD_SAMPLE bodies for any sample_type, and the sample_id trailer of
 * other records. No allocation: variable parts point into the record. Every field is
 * bounds-checked against the record size. */
#ifndef PERFDATA_SAMPLE_H
#define PERFDATA_SAMPLE_H

#include <stdint.h>

#include "perfdata/format.h"

struct pd_evsel;

struct pd_sample {
	uint64_t type;			/* evsel's sample_type */
	uint8_t cpumode;		/* header misc & PERF_RECORD_MISC_CPUMODE_MASK */
	uint16_t misc;
	uint64_t id, ip, time, addr, stream_id, period;
	uint32_t pid, tid, cpu;
	const uint64_t *read;		/* raw read_format block */
	uint64_t read_words;
	uint64_t callchain_nr;
	const uint64_t *callchain;	/* callchain_nr entries, context markers included */
	uint64_t chain_hash;		/* pd_chain__hash() of them, 0 when not made */
	uint64_t chain_id;		/* the chain's number (report/session/chain_ids.h); the
					 * parse leaves 0: none */
	uint32_t raw_size;
	const void *raw;
	uint64_t branch_nr;
	uint64_t branch_hw_idx;
	const uint64_t *branch;		/* branch_nr × {from, to, flags} */
	uint64_t regs_user_abi, regs_user_mask;
	const uint64_t *regs_user;	/* popcount(mask) values when abi != 0 */
	uint64_t stack_size, stack_dyn_size;
	const uint8_t *stack;
	uint64_t weight, data_src, transaction;
	uint64_t regs_intr_abi, regs_intr_mask;
	const uint64_t *regs_intr;
	uint64_t phys_addr, cgroup, data_page_size, code_page_size;
	uint64_t aux_size;
	const void *aux;
};

/* A hash of a raw call chain's @nr words (@chain may be unaligned; never 0). The parse makes
 * a sample's (chain_hash): with two threads (report/session/pipeline.c) the reader does, so
 * that a tool keying a cache by the chain finds it without reading the chain again. */
uint64_t pd_chain__hash(const uint64_t *chain, uint64_t nr);

/* A sample's chain hash: the parse's, or made now for a sample made by hand. */
static inline uint64_t pd_sample__chain_hash(const struct pd_sample *s)
{
	return s->chain_hash ? s->chain_hash : pd_chain__hash(s->callchain, s->callchain_nr);
}

/* Decode a SAMPLE record of @evsel. 0, or -EBADMSG with *bad_at = offset in the record. */
int pd_sample__parse(const struct pd_evsel *evsel, const struct perf_event_header *hdr,
		     struct pd_sample *s, uint32_t *bad_at);
/* Decode the sample_id trailer of a non-SAMPLE record (needs attr.sample_id_all). */
int pd_sample__parse_id(const struct pd_evsel *evsel, const struct perf_event_header *hdr,
			struct pd_sample *s, uint32_t *bad_at);
/* Bytes of the sample_id trailer for this sample_type. */
unsigned int pd_sample__trailer_size(uint64_t sample_type);

#endif
