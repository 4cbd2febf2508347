/* Unit tests of the BPF_PROG_INFO / BPF_BTF sections (perfdata/feature_bpf.c): written by the
 * real writer, read back from the file, sub-program names as perf makes them; and the repair
 * of the kernel's oversized KSYMBOL / BPF_EVENT records (sampler/bpf_info.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/btf.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "perfdata/bpf_prog.h"
#include "perfdata/writer.h"
#include "sampler/bpf_info.h"

/* int; int (void); static functions bpf_main [3] and bpf_sub [4] */
static const char strs[] = "\0int\0bpf_main\0bpf_sub";
static struct {
	struct btf_header h;
	uint32_t types[13];
	char strs[sizeof(strs)];
} btf = {
	.h = { .magic = BTF_MAGIC, .version = BTF_VERSION, .hdr_len = sizeof(struct btf_header),
	       .type_len = 13 * 4, .str_off = 13 * 4, .str_len = sizeof(strs) },
	.types = { 1, BTF_KIND_INT << 24, 4, (BTF_INT_SIGNED << 24) | 32,
		   0, BTF_KIND_FUNC_PROTO << 24, 1,
		   5, BTF_KIND_FUNC << 24, 2,
		   14, BTF_KIND_FUNC << 24, 2 },
};

/* Two sub-programs: jited code (3 bytes), their addresses, lengths, func_info, tags. */
static void make_prog(struct pd_bpf_prog *p, uint8_t *data)
{
	uint64_t addrs[2] = { 0xffffffffc0001000ULL, 0xffffffffc0001040ULL };
	uint32_t lens[2] = { 19, 16 }, fi[4] = { 0, 3, 2, 4 };

	memset(p, 0, sizeof(*p));
	memset(data, 0, 64);
	memcpy(data, "\x90\x90\xc3", 3);
	memcpy(data + 8, addrs, 16);
	memcpy(data + 24, lens, 8);
	memcpy(data + 32, fi, 16);
	for (int i = 0; i < 16; i++)
		data[48 + i] = (uint8_t)(0x10 * (i / 8) + i % 8 + 1);
	p->info.id = 7;
	p->info.btf_id = 3;
	strcpy(p->info.name, "ptest");
	p->info.jited_prog_len = 3;
	p->info.jited_prog_insns = 0;
	p->info.nr_jited_ksyms = p->info.nr_jited_func_lens = 2;
	p->info.jited_ksyms = 8;
	p->info.jited_func_lens = 24;
	p->info.func_info_rec_size = 8;
	p->info.nr_func_info = 2;
	p->info.func_info = 32;
	p->info.line_info = p->info.jited_line_info = 48;
	p->info.nr_prog_tags = 2;
	p->info.prog_tags = 48;
	p->info_len = PD_BPF_INFO_LEN;
	p->arrays = PD_BPF_PERF_ARRAYS;
	p->data = data;
	p->data_len = 64;
}

static void test_write_read_names(void **state)
{
	char path[] = "/tmp/test_feature_bpf.XXXXXX", name[128];
	struct perf_event_attr attr = { .type = PERF_TYPE_SOFTWARE, .size = sizeof(attr),
					.sample_type = PERF_SAMPLE_IP, .sample_id_all = 1 };
	struct pd_event_desc ev = { .attr = &attr, .name = "e" };
	struct pd_bpf_btf b = { .id = 3, .size = sizeof(btf), .data = (const uint8_t *)&btf };
	struct pd_bpf_prog p, *rp;
	struct pd_bpf_btf *rb;
	struct pd_file_header h;
	struct pd_section idx[2];
	uint8_t data[64];
	struct stat st;
	size_t nr, nrb;
	uint8_t *buf;
	uint64_t addr;
	uint32_t len, u[2];
	int fd = mkstemp(path);
	struct pd_writer *w;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	memcpy(btf.strs, strs, sizeof(strs));
	make_prog(&p, data);
	w = pd_writer__new(path);
	assert_non_null(w);
	assert_int_equal(pd_writer__start(w, &ev, 1), 0);
	assert_int_equal(pd_feature__bpf_prog_info(w, &p, 1), 0);
	assert_int_equal(pd_feature__bpf_btf(w, &b, 1), 0);
	assert_int_equal(pd_writer__finish(w), 0);
	pd_writer__free(w);
	fd = open(path, O_RDONLY);
	assert_int_equal(fstat(fd, &st), 0);
	buf = malloc(st.st_size);
	assert_int_equal(read(fd, buf, st.st_size), st.st_size);
	close(fd);
	unlink(path);
	memcpy(&h, buf, sizeof(h));
	assert_int_equal(h.features[0], (1ULL << PD_FEAT_BPF_PROG_INFO) | (1ULL << PD_FEAT_BPF_BTF));
	memcpy(idx, buf + h.data.offset + h.data.size, sizeof(idx));
	/* count, info_len, data_len, arrays, info, data */
	assert_int_equal(idx[0].size, 4 + 16 + PD_BPF_INFO_LEN + 64);
	memcpy(u, buf + idx[0].offset + 4, 8);
	assert_int_equal(u[0], PD_BPF_INFO_LEN);
	assert_int_equal(u[1], 64);
	assert_int_equal(idx[1].size, 4 + 8 + sizeof(btf));

	assert_int_equal(pd_bpf__parse_progs(buf + idx[0].offset, idx[0].size, &rp, &nr), 0);
	assert_int_equal(pd_bpf__parse_btfs(buf + idx[1].offset, idx[1].size, &rb, &nrb), 0);
	assert_int_equal(nr, 1);
	assert_int_equal(nrb, 1);
	assert_int_equal(rp[0].info.id, 7);
	assert_int_equal(pd_bpf__nr_subs(&rp[0]), 2);
	assert_int_equal(pd_bpf__sub(&rp[0], 1, &addr, &len), 0);
	assert_true(addr == 0xffffffffc0001040ULL);
	assert_int_equal(len, 16);
	assert_int_equal(pd_bpf__sub(&rp[0], 2, &addr, &len), -ERANGE);
	/* named by BTF, each with its own tag */
	pd_bpf__sub_name(&rp[0], 0, pd_bpf__find_btf(rb, nrb, 3), name, sizeof(name));
	assert_string_equal(name, "bpf_prog_0102030405060708_bpf_main");
	pd_bpf__sub_name(&rp[0], 1, pd_bpf__find_btf(rb, nrb, 3), name, sizeof(name));
	assert_string_equal(name, "bpf_prog_1112131415161718_bpf_sub");
	/* without its BTF: "F" for a program of several functions */
	pd_bpf__sub_name(&rp[0], 1, NULL, name, sizeof(name));
	assert_string_equal(name, "bpf_prog_1112131415161718_F");
	/* one function: the program's name */
	rp[0].info.nr_jited_ksyms = rp[0].info.nr_jited_func_lens = 1;
	pd_bpf__sub_name(&rp[0], 0, NULL, name, sizeof(name));
	assert_string_equal(name, "bpf_prog_0102030405060708_ptest");
	assert_null(pd_btf__type_name((const uint8_t *)&btf, sizeof(btf), 5));
	assert_string_equal(pd_btf__type_name((const uint8_t *)&btf, sizeof(btf), 1), "int");
	/* a cut section is refused */
	free(rp);
	assert_int_equal(pd_bpf__parse_progs(buf + idx[0].offset, idx[0].size - 1, &rp, &nr), -EINVAL);
	free(rb);
	free(buf);
}

/* A KSYMBOL whose size counts 32 more trailer bytes, then a COMM: cut back, COMM intact. */
static void test_fix_oversized(void **state)
{
	uint8_t b[256] = { 0 };
	struct perf_event_header h = { .type = PERF_RECORD_KSYMBOL, .size = 24 + 8 + 16 + 32 };
	struct perf_event_header c = { .type = PERF_RECORD_COMM, .size = 32 };
	struct perf_event_header e = { .type = PERF_RECORD_BPF_EVENT, .size = 24 + 16 };
	uint64_t t = 12345;
	size_t n;

	(void)state;
	memcpy(b, &h, 8);
	memcpy(b + 24, "abc", 4);
	memcpy(b + 32 + 8, &t, 8);		/* the trailer {pid, tid}, {time} follows the name */
	memcpy(b + 80, &c, 8);
	memcpy(b + 96, "comm", 5);
	memcpy(b + 112, &e, 8);			/* right-sized: left alone */
	n = bpf_records__fix(b, 152, 16);
	assert_int_equal(n, 120);
	memcpy(&h, b, 8);
	assert_int_equal(h.size, 48);
	assert_memory_equal(b + 40, &t, 8);
	memcpy(&c, b + 48, 8);
	assert_int_equal(c.type, PERF_RECORD_COMM);
	assert_string_equal((char *)b + 64, "comm");
	memcpy(&e, b + 80, 8);
	assert_int_equal(e.type, PERF_RECORD_BPF_EVENT);
	assert_int_equal(e.size, 40);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_read_names),
		cmocka_unit_test(test_fix_oversized),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
