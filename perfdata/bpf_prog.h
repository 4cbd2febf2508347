/* BPF programs as perf.data keeps them: the entries of the BPF_PROG_INFO feature (the kernel's
 * struct bpf_prog_info whose array fields hold offsets into a data block that follows it, the
 * layout perf 6.1 writes and reads), the BPF_BTF entries ({u32 id; u32 size; raw BTF}), and the
 * name perf gives each JITed sub-program ("bpf_prog_<tag>_<name>") in KSYMBOL records and in
 * `perf report --header`. Layouts from <linux/bpf.h>, <linux/btf.h> and files perf wrote. */
#ifndef PERFDATA_BPF_PROG_H
#define PERFDATA_BPF_PROG_H

#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>

#include "perfdata/writer.h"

/* perf 6.1 refuses an entry whose info block is longer (its sizeof(struct bpf_prog_info)) */
#define PD_BPF_INFO_LEN 232u

/* The arrays an entry can carry: bit numbers of its arrays mask, in the order they follow one
 * another in the data block (each padded to 8 bytes). */
enum pd_bpf_array {
	PD_BPF_JITED_INSNS, PD_BPF_XLATED_INSNS, PD_BPF_MAP_IDS, PD_BPF_JITED_KSYMS,
	PD_BPF_JITED_FUNC_LENS, PD_BPF_FUNC_INFO, PD_BPF_LINE_INFO, PD_BPF_JITED_LINE_INFO,
	PD_BPF_PROG_TAGS, PD_BPF_NR_ARRAYS
};

/* The arrays perf record keeps for each program. */
#define PD_BPF_PERF_ARRAYS                                                                        \
	((1u << PD_BPF_JITED_INSNS) | (1u << PD_BPF_JITED_KSYMS) | (1u << PD_BPF_JITED_FUNC_LENS) | \
	 (1u << PD_BPF_FUNC_INFO) | (1u << PD_BPF_LINE_INFO) | (1u << PD_BPF_JITED_LINE_INFO) |    \
	 (1u << PD_BPF_PROG_TAGS))

struct pd_bpf_prog {
	struct bpf_prog_info info;	/* the array fields hold offsets into data */
	uint32_t info_len;		/* bytes of info in the file, at most PD_BPF_INFO_LEN */
	uint64_t arrays;		/* 1 << enum pd_bpf_array for each array data holds */
	const uint8_t *data;
	uint32_t data_len;
};

struct pd_bpf_btf {
	uint32_t id;
	uint32_t size;
	const uint8_t *data;
};

/* BPF_PROG_INFO: u32 count, then per program {u32 info_len; u32 data_len; u64 arrays; info;
 * data}. nr 0 writes the empty section perf writes when no program is loaded. */
int pd_feature__bpf_prog_info(struct pd_writer *w, const struct pd_bpf_prog *progs, size_t nr);
/* BPF_BTF: u32 count, then per object {u32 id; u32 size; data}. */
int pd_feature__bpf_btf(struct pd_writer *w, const struct pd_bpf_btf *btfs, size_t nr);

/* The entries of a BPF_PROG_INFO / BPF_BTF payload into a new array (free() it), pointing into
 * @p. -EINVAL when malformed, -ENOMEM. */
int pd_bpf__parse_progs(const uint8_t *p, uint64_t size, struct pd_bpf_prog **out, size_t *nr);
int pd_bpf__parse_btfs(const uint8_t *p, uint64_t size, struct pd_bpf_btf **out, size_t *nr);
const struct pd_bpf_btf *pd_bpf__find_btf(const struct pd_bpf_btf *btfs, size_t nr, uint32_t id);

/* JITed sub-programs: how many (0 when the entry lacks the addresses or lengths), and the
 * address and length of one; -ERANGE when @sub is not there. */
uint32_t pd_bpf__nr_subs(const struct pd_bpf_prog *p);
int pd_bpf__sub(const struct pd_bpf_prog *p, uint32_t sub, uint64_t *addr, uint32_t *len);
/* Sub-program @sub's symbol name as perf makes it: "bpf_prog_" and its tag in hex, then "_"
 * and the function's BTF name when @btf (the program's BTF object, or NULL) and func_info
 * name it; else the program's name when it is one function, "F" when it has several. */
void pd_bpf__sub_name(const struct pd_bpf_prog *p, uint32_t sub, const struct pd_bpf_btf *btf,
		      char *buf, size_t size);
/* The name of BTF type @type_id in a raw BTF object; NULL when there is none. */
const char *pd_btf__type_name(const uint8_t *btf, uint32_t size, uint32_t type_id);

#endif
