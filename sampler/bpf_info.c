/* Owns reading the loaded BPF programs and their BTF with the raw bpf(2) syscall (see
 * sampler/bpf_info.h). Each program's info is asked twice: once for the array lengths, once
 * with room for the arrays perf keeps, packed one after another (8-byte aligned) in one data
 * block whose offsets replace the pointers, which is how perf.data stores them. */
#include <errno.h>
#include <stdbool.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sampler/bpf_info.h"
#include "util/array.h"
#include "util/log.h"

#define NAME_MAX_LEN 512	/* the kernel's KSYM_NAME_LEN */

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static int info_by_fd(int fd, void *info, uint32_t len)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = len;
	a.info.info = (uintptr_t)info;
	return sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a) ? -errno : 0;
}

struct bpf_progs *bpf_progs__new(void)
{
	return calloc(1, sizeof(struct bpf_progs));
}

void bpf_progs__free(struct bpf_progs *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->nr; i++)
		free((void *)b->progs[i].data);
	for (size_t i = 0; i < b->nr_btfs; i++)
		free((void *)b->btfs[i].data);
	free(b->progs);
	free(b->btfs);
	free(b);
}

/* Where one array's length, record size and pointer live in struct bpf_prog_info. */
struct array_desc {
	size_t count, rec_size, ptr;	/* offsets; rec_size 0: the size is fixed */
	uint32_t fixed_size;
};

#define F(x) offsetof(struct bpf_prog_info, x)
static const struct array_desc arrays[PD_BPF_NR_ARRAYS] = {
	[PD_BPF_JITED_INSNS] = { F(jited_prog_len), 0, F(jited_prog_insns), 1 },
	[PD_BPF_XLATED_INSNS] = { F(xlated_prog_len), 0, F(xlated_prog_insns), 1 },
	[PD_BPF_MAP_IDS] = { F(nr_map_ids), 0, F(map_ids), 4 },
	[PD_BPF_JITED_KSYMS] = { F(nr_jited_ksyms), 0, F(jited_ksyms), 8 },
	[PD_BPF_JITED_FUNC_LENS] = { F(nr_jited_func_lens), 0, F(jited_func_lens), 4 },
	[PD_BPF_FUNC_INFO] = { F(nr_func_info), F(func_info_rec_size), F(func_info), 0 },
	[PD_BPF_LINE_INFO] = { F(nr_line_info), F(line_info_rec_size), F(line_info), 0 },
	[PD_BPF_JITED_LINE_INFO] = { F(nr_jited_line_info), F(jited_line_info_rec_size),
				     F(jited_line_info), 0 },
	[PD_BPF_PROG_TAGS] = { F(nr_prog_tags), 0, F(prog_tags), BPF_TAG_SIZE },
};
#undef F

static uint32_t get32(const struct bpf_prog_info *i, size_t off)
{
	uint32_t v;

	memcpy(&v, (const char *)i + off, 4);
	return v;
}

static void put32(struct bpf_prog_info *i, size_t off, uint32_t v) { memcpy((char *)i + off, &v, 4); }
static void put64(struct bpf_prog_info *i, size_t off, uint64_t v) { memcpy((char *)i + off, &v, 8); }

static uint64_t array_bytes(const struct bpf_prog_info *i, enum pd_bpf_array a)
{
	const struct array_desc *d = &arrays[a];
	uint64_t size = d->rec_size ? get32(i, d->rec_size) : d->fixed_size;

	return (uint64_t)get32(i, d->count) * size;
}

/* The info of one program with the arrays perf keeps into @p; -ENOENT when it is of no use
 * to perf (not JITed, or its addresses hidden). */
static int read_prog(int fd, struct pd_bpf_prog *p)
{
	uint32_t len = sizeof(struct bpf_prog_info) < PD_BPF_INFO_LEN ? sizeof(struct bpf_prog_info)
								       : PD_BPF_INFO_LEN;
	struct bpf_prog_info first, *i = &p->info;
	uint64_t offs[PD_BPF_NR_ARRAYS], total = 0;
	uint8_t *data;
	int ret;

	memset(&first, 0, sizeof(first));
	if ((ret = info_by_fd(fd, &first, len)))
		return ret;
	memset(i, 0, sizeof(*i));
	for (int a = 0; a < PD_BPF_NR_ARRAYS; a++) {
		if (!(PD_BPF_PERF_ARRAYS & (1u << a)))
			continue;
		put32(i, arrays[a].count, get32(&first, arrays[a].count));
		if (arrays[a].rec_size)
			put32(i, arrays[a].rec_size, get32(&first, arrays[a].rec_size));
		offs[a] = total;
		total += (array_bytes(i, (enum pd_bpf_array)a) + 7) & ~7ull;
	}
	if (total > UINT32_MAX)
		return -E2BIG;
	data = calloc(total ? total : 1, 1);
	if (!data)
		return -ENOMEM;
	for (int a = 0; a < PD_BPF_NR_ARRAYS; a++)
		if (PD_BPF_PERF_ARRAYS & (1u << a))
			put64(i, arrays[a].ptr, (uintptr_t)(data + offs[a]));
	if ((ret = info_by_fd(fd, i, len)))
		goto err;
	ret = -EAGAIN;	/* it changed between the two questions */
	for (int a = 0; a < PD_BPF_NR_ARRAYS; a++) {
		if (!(PD_BPF_PERF_ARRAYS & (1u << a)))
			continue;
		if (get32(i, arrays[a].count) != get32(&first, arrays[a].count))
			goto err;
		put64(i, arrays[a].ptr, offs[a]);
	}
	p->info_len = len;
	p->arrays = PD_BPF_PERF_ARRAYS;
	p->data = data;
	p->data_len = (uint32_t)total;
	/* perf keeps only programs whose sub-programs all have an address, a length and a tag */
	if (!i->jited_prog_len || !pd_bpf__nr_subs(p) || i->nr_prog_tags != i->nr_jited_ksyms ||
	    !get32(i, arrays[PD_BPF_JITED_KSYMS].count)) {
		ret = -ENOENT;
		goto err;
	}
	return 0;
err:
	free(data);
	p->data = NULL;
	return ret;
}

static int cmp_btf(const void *a, const void *b)
{
	uint32_t x = ((const struct pd_bpf_btf *)a)->id, y = ((const struct pd_bpf_btf *)b)->id;

	return (x > y) - (x < y);
}

static int cmp_prog(const void *a, const void *b)
{
	uint32_t x = ((const struct pd_bpf_prog *)a)->info.id, y = ((const struct pd_bpf_prog *)b)->info.id;

	return (x > y) - (x < y);
}

/* BTF object @id, unless listed already; a vanished one is skipped. */
static int add_btf(struct bpf_progs *b, uint32_t id)
{
	struct bpf_btf_info bi;
	union bpf_attr a;
	uint8_t *data = NULL;
	uint32_t size;
	int fd, ret;

	if (!id || pd_bpf__find_btf(b->btfs, b->nr_btfs, id))
		return 0;
	memset(&a, 0, sizeof(a));
	a.btf_id = id;
	fd = (int)sys_bpf(BPF_BTF_GET_FD_BY_ID, &a);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	memset(&bi, 0, sizeof(bi));
	if ((ret = info_by_fd(fd, &bi, sizeof(bi))))
		goto out;
	data = malloc(bi.btf_size ? bi.btf_size : 1);
	ret = -ENOMEM;
	if (!data)
		goto out;
	size = bi.btf_size;
	memset(&bi, 0, sizeof(bi));
	bi.btf = (uintptr_t)data;
	bi.btf_size = size;
	if ((ret = info_by_fd(fd, &bi, sizeof(bi))))
		goto out;
	ret = -EAGAIN;
	if (bi.btf_size != size)
		goto out;
	ret = -ENOMEM;
	if (ARRAY_GROW(b->btfs, b->cap_btfs, b->nr_btfs + 1))
		goto out;
	b->btfs[b->nr_btfs++] = (struct pd_bpf_btf){ .id = id, .size = size, .data = data };
	data = NULL;
	array__sort(b->btfs, b->nr_btfs, sizeof(*b->btfs), cmp_btf);
	ret = 0;
out:
	free(data);
	close(fd);
	return ret == -EAGAIN ? 0 : ret;
}

/* Program @id, read and appended; a vanished or useless one is skipped. */
static int add_prog(struct bpf_progs *b, uint32_t id)
{
	struct pd_bpf_prog p;
	union bpf_attr a;
	int fd, ret;

	memset(&a, 0, sizeof(a));
	a.prog_id = id;
	fd = (int)sys_bpf(BPF_PROG_GET_FD_BY_ID, &a);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	memset(&p, 0, sizeof(p));
	ret = read_prog(fd, &p);
	/* perf keeps a program's BTF when its functions are described there */
	if (!ret && p.info.btf_id && p.info.nr_func_info && p.info.func_info_rec_size)
		ret = add_btf(b, p.info.btf_id);
	if (!ret && ARRAY_GROW(b->progs, b->cap, b->nr + 1))
		ret = -ENOMEM;
	if (!ret) {
		b->progs[b->nr++] = p;
		p.data = NULL;
	}
	free((void *)p.data);
	close(fd);
	if (ret == -ENOENT || ret == -EAGAIN) {
		pr_debug("bpf program %u: left out (%s)", id, strerror(-ret));
		ret = 0;
	}
	return ret;
}

/* Is @id among the first @n programs (sorted by id)? */
static bool listed(const struct pd_bpf_prog *v, size_t n, uint32_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].info.id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo].info.id == id;
}

int bpf_progs__scan(struct bpf_progs *b)
{
	size_t known = b->nr;
	uint32_t id = 0;
	int ret = 0;

	for (;;) {
		union bpf_attr a;
		memset(&a, 0, sizeof(a));
		a.start_id = id;
		if (sys_bpf(BPF_PROG_GET_NEXT_ID, &a)) {
			ret = errno == ENOENT ? 0 : -errno;
			break;
		}
		id = a.next_id;
		if (listed(b->progs, known, id))
			continue;
		if ((ret = add_prog(b, id)))
			break;
	}
	if (b->nr > known)
		array__sort(b->progs, b->nr, sizeof(*b->progs), cmp_prog);
	if (ret)
		pr_debug("cannot list the loaded bpf programs: %s", strerror(-ret));
	return ret;
}

int bpf_progs__synth(struct bpf_progs *b, struct synth *s)
{
	char name[NAME_MAX_LEN];
	int ret = 0;

	for (size_t i = 0; i < b->nr && !ret; i++) {
		const struct pd_bpf_prog *p = &b->progs[i];
		const struct pd_bpf_btf *btf = pd_bpf__find_btf(b->btfs, b->nr_btfs, p->info.btf_id);
		uint32_t n = pd_bpf__nr_subs(p);

		for (uint32_t sub = 0; sub < n && !ret; sub++) {
			uint64_t addr;
			uint32_t len;

			pd_bpf__sub(p, sub, &addr, &len);
			pd_bpf__sub_name(p, sub, btf, name, sizeof(name));
			ret = synth__ksymbol(s, addr, len, PERF_RECORD_KSYMBOL_TYPE_BPF, name);
		}
		if (!ret)
			ret = synth__bpf_event(s, PERF_BPF_EVENT_PROG_LOAD, p->info.id, p->info.tag);
	}
	b->nr_synthesized = b->nr;
	return ret;
}

int bpf_progs__write_features(const struct bpf_progs *b, struct pd_writer *w)
{
	int ret = pd_feature__bpf_prog_info(w, b ? b->progs : NULL, b ? b->nr : 0);

	return ret ? ret : pd_feature__bpf_btf(w, b ? b->btfs : NULL, b ? b->nr_btfs : 0);
}

/* The size a KSYMBOL / BPF_EVENT record at @h should have; 0 for other records. */
static size_t side_band_size(const uint8_t *h, size_t size, uint16_t id_hdr_size)
{
	struct perf_event_header hdr;

	memcpy(&hdr, h, sizeof(hdr));
	if (hdr.type == PERF_RECORD_BPF_EVENT)
		return 24u + id_hdr_size;
	if (hdr.type != PERF_RECORD_KSYMBOL || size <= 24)
		return 0;
	return 24 + ((strnlen((const char *)h + 24, size - 24) + 1 + 7) & ~(size_t)7) + id_hdr_size;
}

size_t bpf_records__fix(void *buf, size_t len, uint16_t id_hdr_size)
{
	uint8_t *b = buf;
	size_t off = 0;

	while (off + sizeof(struct perf_event_header) <= len) {
		struct perf_event_header h;
		size_t want;

		memcpy(&h, b + off, sizeof(h));
		if (h.size < sizeof(h) || h.size > len - off)
			break;
		want = (h.type == PERF_RECORD_KSYMBOL || h.type == PERF_RECORD_BPF_EVENT) ?
			       side_band_size(b + off, h.size, id_hdr_size) : 0;
		if (want && want < h.size) {
			memmove(b + off + want, b + off + h.size, len - off - h.size);
			len -= h.size - want;
			h.size = (uint16_t)want;
			memcpy(b + off, &h, sizeof(h));
		}
		off += h.size;
	}
	return len;
}
