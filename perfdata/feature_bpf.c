/* Owns the BPF_PROG_INFO and BPF_BTF feature sections in both directions and the names perf
 * gives JITed BPF sub-programs (see perfdata/bpf_prog.h). */
#include <errno.h>
#include <linux/btf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfdata/bpf_prog.h"
#include "perfdata/feature.h"

static int add(struct pd_writer *w, enum pd_feature f, struct pd_buf *b)
{
	int ret = b->err ? b->err : pd_writer__add_feature(w, f, b->p, b->len);

	pd_buf__free(b);
	return ret;
}

int pd_feature__bpf_prog_info(struct pd_writer *w, const struct pd_bpf_prog *progs, size_t nr)
{
	struct pd_buf b = { 0 };

	pd_buf__u32(&b, (uint32_t)nr);
	for (size_t i = 0; i < nr; i++) {
		uint32_t len = progs[i].info_len;

		if (len > sizeof(progs[i].info))
			len = sizeof(progs[i].info);
		pd_buf__u32(&b, len);
		pd_buf__u32(&b, progs[i].data_len);
		pd_buf__u64(&b, progs[i].arrays);
		pd_buf__put(&b, &progs[i].info, len);
		pd_buf__put(&b, progs[i].data, progs[i].data_len);
	}
	return add(w, PD_FEAT_BPF_PROG_INFO, &b);
}

int pd_feature__bpf_btf(struct pd_writer *w, const struct pd_bpf_btf *btfs, size_t nr)
{
	struct pd_buf b = { 0 };

	pd_buf__u32(&b, (uint32_t)nr);
	for (size_t i = 0; i < nr; i++) {
		pd_buf__u32(&b, btfs[i].id);
		pd_buf__u32(&b, btfs[i].size);
		pd_buf__put(&b, btfs[i].data, btfs[i].size);
	}
	return add(w, PD_FEAT_BPF_BTF, &b);
}

int pd_bpf__parse_progs(const uint8_t *p, uint64_t size, struct pd_bpf_prog **out, size_t *nr)
{
	struct pd_bpf_prog *v;
	uint64_t off = 4;
	uint32_t n;

	*out = NULL;
	*nr = 0;
	if (size < 4)
		return -EINVAL;
	memcpy(&n, p, 4);
	if (n > size / 16)
		return -EINVAL;
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t lens[2];

		if (size - off < 16)
			goto bad;
		memcpy(lens, p + off, 8);
		memcpy(&v[i].arrays, p + off + 8, 8);
		off += 16;
		if (lens[0] > sizeof(v[i].info) || size - off < (uint64_t)lens[0] + lens[1])
			goto bad;
		memcpy(&v[i].info, p + off, lens[0]);
		v[i].info_len = lens[0];
		v[i].data = p + off + lens[0];
		v[i].data_len = lens[1];
		off += (uint64_t)lens[0] + lens[1];
	}
	*out = v;
	*nr = n;
	return 0;
bad:
	free(v);
	return -EINVAL;
}

int pd_bpf__parse_btfs(const uint8_t *p, uint64_t size, struct pd_bpf_btf **out, size_t *nr)
{
	struct pd_bpf_btf *v;
	uint64_t off = 4;
	uint32_t n;

	*out = NULL;
	*nr = 0;
	if (size < 4)
		return -EINVAL;
	memcpy(&n, p, 4);
	if (n > size / 8)
		return -EINVAL;
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		if (size - off < 8)
			goto bad;
		memcpy(&v[i].id, p + off, 4);
		memcpy(&v[i].size, p + off + 4, 4);
		off += 8;
		if (size - off < v[i].size)
			goto bad;
		v[i].data = p + off;
		off += v[i].size;
	}
	*out = v;
	*nr = n;
	return 0;
bad:
	free(v);
	return -EINVAL;
}

const struct pd_bpf_btf *pd_bpf__find_btf(const struct pd_bpf_btf *btfs, size_t nr, uint32_t id)
{
	for (size_t i = 0; i < nr && id; i++)	/* a handful per file */
		if (btfs[i].id == id)
			return &btfs[i];
	return NULL;
}

/* @count records of @rec_size bytes at offset @off of the data block, or NULL. */
static const uint8_t *array_at(const struct pd_bpf_prog *p, enum pd_bpf_array a, uint64_t off,
			       uint64_t count, uint64_t rec_size)
{
	if (!(p->arrays & (1ull << a)) || off > p->data_len || count * rec_size > p->data_len - off)
		return NULL;
	return p->data + off;
}

uint32_t pd_bpf__nr_subs(const struct pd_bpf_prog *p)
{
	const struct bpf_prog_info *i = &p->info;
	uint32_t n = i->nr_jited_ksyms;

	if (n != i->nr_jited_func_lens || !array_at(p, PD_BPF_JITED_KSYMS, i->jited_ksyms, n, 8) ||
	    !array_at(p, PD_BPF_JITED_FUNC_LENS, i->jited_func_lens, n, 4))
		return 0;
	return n;
}

int pd_bpf__sub(const struct pd_bpf_prog *p, uint32_t sub, uint64_t *addr, uint32_t *len)
{
	if (sub >= pd_bpf__nr_subs(p))
		return -ERANGE;
	memcpy(addr, p->data + p->info.jited_ksyms + 8ull * sub, 8);
	memcpy(len, p->data + p->info.jited_func_lens + 4ull * sub, 4);
	return 0;
}

/* Bytes that follow struct btf_type for a type of this kind and vlen; -1: unknown kind. */
static long btf_extra(uint32_t kind, uint32_t vlen)
{
	switch (kind) {
	case BTF_KIND_INT: case BTF_KIND_VAR: case BTF_KIND_DECL_TAG:
		return 4;
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_DATASEC: case BTF_KIND_ENUM64:
		return 12L * vlen;
	case BTF_KIND_ENUM: case BTF_KIND_FUNC_PROTO:
		return 8L * vlen;
	case BTF_KIND_PTR: case BTF_KIND_FWD: case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST: case BTF_KIND_RESTRICT: case BTF_KIND_FUNC: case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		return 0;
	default:
		return -1;
	}
}

const char *pd_btf__type_name(const uint8_t *btf, uint32_t size, uint32_t type_id)
{
	struct btf_header h;
	struct btf_type t;
	uint64_t off, end;
	const char *strs;

	if (size < sizeof(h) || !type_id)
		return NULL;
	memcpy(&h, btf, sizeof(h));
	if (h.magic != BTF_MAGIC || h.hdr_len > size || (uint64_t)h.hdr_len + h.type_off + h.type_len > size ||
	    (uint64_t)h.hdr_len + h.str_off + h.str_len > size || !h.str_len)
		return NULL;
	off = (uint64_t)h.hdr_len + h.type_off;
	end = off + h.type_len;
	strs = (const char *)btf + h.hdr_len + h.str_off;
	for (uint32_t id = 1; off + sizeof(t) <= end; id++) {
		long extra;

		memcpy(&t, btf + off, sizeof(t));
		if (id == type_id) {
			if (t.name_off >= h.str_len || !memchr(strs + t.name_off, 0, h.str_len - t.name_off))
				return NULL;
			return strs + t.name_off;
		}
		extra = btf_extra(BTF_INFO_KIND(t.info), BTF_INFO_VLEN(t.info));
		if (extra < 0)
			return NULL;
		off += sizeof(t) + (uint64_t)extra;
	}
	return NULL;
}

void pd_bpf__sub_name(const struct pd_bpf_prog *p, uint32_t sub, const struct pd_bpf_btf *btf,
		      char *buf, size_t size)
{
	const struct bpf_prog_info *i = &p->info;
	const uint8_t *tag = array_at(p, PD_BPF_PROG_TAGS, i->prog_tags, i->nr_prog_tags, BPF_TAG_SIZE);
	const uint8_t *fi = NULL;
	const char *name = NULL;
	size_t n;

	tag = tag && sub < i->nr_prog_tags ? tag + (size_t)BPF_TAG_SIZE * sub : i->tag;
	n = (size_t)snprintf(buf, size, "bpf_prog_");
	for (int k = 0; k < BPF_TAG_SIZE && n < size; k++)
		n += (size_t)snprintf(buf + n, size - n, "%02x", tag[k]);
	if (i->func_info_rec_size >= sizeof(struct bpf_func_info) && sub < i->nr_func_info)
		fi = array_at(p, PD_BPF_FUNC_INFO, i->func_info, i->nr_func_info, i->func_info_rec_size);
	if (btf && fi) {
		struct bpf_func_info f;

		memcpy(&f, fi + (size_t)i->func_info_rec_size * sub, sizeof(f));
		name = pd_btf__type_name(btf->data, btf->size, f.type_id);
	} else if (pd_bpf__nr_subs(p) <= 1) {
		name = i->name[0] ? i->name : NULL;
	} else {
		name = "F";
	}
	if (name && n < size) {
		int len = name == i->name ? (int)strnlen(i->name, sizeof(i->name)) : (int)strlen(name);

		snprintf(buf + n, size - n, "_%.*s", len, name);
	}
}
