/* The BPF programs loaded on the machine, read with bpf(2) the way perf record reads them:
 * for the KSYMBOL + BPF_EVENT records it synthesizes for programs loaded before the recording,
 * and for the BPF_PROG_INFO / BPF_BTF header features (those loaded before, and those loaded
 * during the recording that are still loaded at its end). */
#ifndef SAMPLER_BPF_INFO_H
#define SAMPLER_BPF_INFO_H

#include <stddef.h>
#include <stdint.h>

#include "perfdata/bpf_prog.h"
#include "perfdata/writer.h"
#include "sampler/synth.h"

struct bpf_progs {
	struct pd_bpf_prog *progs;	/* ascending ids; data owned */
	size_t nr, cap;
	struct pd_bpf_btf *btfs;	/* the programs' BTF objects, ascending ids; data owned */
	size_t nr_btfs, cap_btfs;
	size_t nr_synthesized;		/* programs bpf_progs__synth() wrote */
};

struct bpf_progs *bpf_progs__new(void);
void bpf_progs__free(struct bpf_progs *b);
/* Adds every loaded program not listed yet, and the BTF objects they use. A program that
 * goes away meanwhile is left out. 0; -EPERM (or another -errno) when bpf() cannot list them:
 * the list is then left as it was. */
int bpf_progs__scan(struct bpf_progs *b);
/* Per program listed: one KSYMBOL per JITed sub-program, then its BPF_EVENT (PROG_LOAD). */
int bpf_progs__synth(struct bpf_progs *b, struct synth *s);
/* The kernel's KSYMBOL and BPF_EVENT records in @buf (@len bytes of whole records) cut back to
 * their size: when several events ask for them (another perf record -a running), the kernel
 * (6.18 here) sizes the record for one event with the sample_id trailers of the events before
 * it added, so readers, which take the trailer from the end, find time 0 and pid 0 there. The
 * trailer itself follows the body, where it belongs. Returns the new length. */
size_t bpf_records__fix(void *buf, size_t len, uint16_t id_hdr_size);
/* The BPF_PROG_INFO and BPF_BTF sections of the listed programs (empty ones for NULL). */
int bpf_progs__write_features(const struct bpf_progs *b, struct pd_writer *w);

#endif
