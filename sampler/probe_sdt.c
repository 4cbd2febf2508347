/* Owns the reading of SDT notes (.note.stapsdt, owner "stapsdt", type 3: pc, base, semaphore
 * addresses, then provider, name and argument strings), their addresses as file offsets
 * (through .stapsdt.base and the PT_LOAD headers), the x86-64 operand translation to uprobe
 * fetch args, and perf's listing of the markers in its build-id cache. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sampler/probe_sdt.h"
#include "symbols/buildid_cache.h"
#include "util/array.h"

static int vaddr_to_offset(Elf *elf, uint64_t vaddr, uint64_t *off)
{
	size_t nph = 0;

	if (elf_getphdrnum(elf, &nph))
		return -ENOENT;
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD && vaddr >= ph.p_vaddr &&
		    vaddr < ph.p_vaddr + ph.p_memsz) {
			*off = vaddr - ph.p_vaddr + ph.p_offset;
			return 0;
		}
	}
	return -ENOENT;
}

/* The sections the notes need: the notes, and .stapsdt.base's address. */
static Elf_Scn *find_notes(Elf *elf, uint64_t *base_addr, int *has_base)
{
	Elf_Scn *scn = NULL, *notes = NULL;
	size_t shstrndx;

	*has_base = 0;
	if (elf_getshdrstrndx(elf, &shstrndx))
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh) || !(name = elf_strptr(elf, shstrndx, sh.sh_name)))
			continue;
		if (!strcmp(name, ".note.stapsdt") && sh.sh_type == SHT_NOTE)
			notes = scn;
		else if (!strcmp(name, ".stapsdt.base")) {
			*base_addr = sh.sh_addr;
			*has_base = 1;
		}
	}
	return notes;
}

/* One note's descriptor into @m; 0, or -EINVAL when malformed. */
static int parse_note(Elf *elf, const char *desc, size_t len, uint64_t base_addr, int has_base,
		      struct probe_sdt *m)
{
	uint64_t a[3];
	const char *p = desc + 24, *end = desc + len;
	size_t n;

	if (len < 24 + 3)
		return -EINVAL;
	memcpy(a, desc, sizeof(a));
	/* prelink-style adjustment: the note's base vs where .stapsdt.base really is */
	if (has_base && a[1]) {
		a[0] += base_addr - a[1];
		if (a[2])
			a[2] += base_addr - a[1];
	}
	n = strnlen(p, end - p);
	snprintf(m->provider, sizeof(m->provider), "%.*s", (int)n, p);
	p += n + 1;
	if (p >= end)
		return -EINVAL;
	n = strnlen(p, end - p);
	snprintf(m->name, sizeof(m->name), "%.*s", (int)n, p);
	p += n + 1;
	n = p < end ? strnlen(p, end - p) : 0;
	snprintf(m->args, sizeof(m->args), "%.*s", (int)n, p < end ? p : "");
	if (vaddr_to_offset(elf, a[0], &m->offset))
		return -EINVAL;
	m->sem_offset = 0;
	if (a[2]) {
		/* a semaphore lives in .data/.bss: its file offset is what uprobes' ref_ctr takes */
		if (vaddr_to_offset(elf, a[2], &m->sem_offset))
			m->sem_offset = 0;
	}
	return 0;
}

int probe_sdt__for_each(const char *path, int (*fn)(const struct probe_sdt *m, void *arg), void *arg)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), count = 0, ret = 0, has_base;
	uint64_t base_addr = 0;
	Elf *elf;
	Elf_Scn *notes;
	Elf_Data *data;

	if (fd < 0)
		return -errno;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		ret = -ENOENT;
		goto out;
	}
	notes = find_notes(elf, &base_addr, &has_base);
	data = notes ? elf_getdata(notes, NULL) : NULL;
	if (!data) {
		ret = -ENODATA;
		goto out;
	}
	{
		size_t off = 0, name_off, desc_off;
		GElf_Nhdr nh;

		while ((off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
			struct probe_sdt m;

			if (nh.n_type != 3 || nh.n_namesz != 8 || memcmp((char *)data->d_buf + name_off, "stapsdt", 8))
				continue;
			if (parse_note(elf, (char *)data->d_buf + desc_off, nh.n_descsz, base_addr, has_base, &m))
				continue;
			count++;
			if (fn && (ret = fn(&m, arg)))
				goto out;
		}
	}
	ret = count;
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return ret;
}

/* x86-64 register names as uprobes take them: rdi, edi, di, dil -> %di; rax, eax, ax, al -> %ax;
 * r8, r8d, r8w, r8b -> %r8. */
static int reg_name(const char *r, size_t n, char *out, size_t len)
{
	static const char *const base[] = { "ax", "bx", "cx", "dx", "si", "di", "bp", "sp" };
	char buf[16];

	if (n >= sizeof(buf) || n < 2)
		return -EINVAL;
	memcpy(buf, r, n);
	buf[n] = 0;
	if (buf[0] == 'r' && isdigit((unsigned char)buf[1])) {
		int num = atoi(buf + 1);

		snprintf(out, len, "%%r%d", num);
		return num >= 8 && num <= 15 ? 0 : -EINVAL;
	}
	if (!strcmp(buf, "rip")) {
		snprintf(out, len, "%%ip");
		return 0;
	}
	for (size_t i = 0; i < sizeof(base) / sizeof(base[0]); i++) {
		const char *b = base[i];
		char r64[4] = { 'r', b[0], b[1], 0 }, r32[4] = { 'e', b[0], b[1], 0 };
		char r8[4] = { b[0], b[1], 'l', 0 };	/* sil, dil, bpl, spl */

		if (b[1] == 'x')
			r8[1] = 'l', r8[2] = 0;		/* al, bl, cl, dl */
		if (!strcmp(buf, b) || !strcmp(buf, r64) || !strcmp(buf, r32) || !strcmp(buf, r8)) {
			snprintf(out, len, "%%%s", b);
			return 0;
		}
	}
	return -EINVAL;
}

/* One "SIZE@OPERAND" into "argN=FETCH:TYPE". */
static int one_arg(const char *tok, int n, char *out, size_t len)
{
	char *at = strchr(tok, '@'), reg[16], fetch[96];
	const char *op;
	long size = 8;
	bool sign = false;

	if (at) {
		size = strtol(tok, NULL, 10);
		sign = size < 0;
		size = labs(size);
		op = at + 1;
	} else {
		op = tok;
	}
	if (size != 1 && size != 2 && size != 4 && size != 8)
		return -EINVAL;
	if (op[0] == '%') {
		if (reg_name(op + 1, strlen(op + 1), reg, sizeof(reg)))
			return -EINVAL;
		snprintf(fetch, sizeof(fetch), "%s", reg);
	} else if (op[0] == '$') {
		snprintf(fetch, sizeof(fetch), "\\%s", op + 1);	/* an immediate */
	} else {
		char *paren = strchr(op, '('), *close = paren ? strchr(paren, ')') : NULL;
		long disp = paren && paren != op ? strtol(op, NULL, 0) : 0;

		if (!paren || !close || paren[1] != '%' || reg_name(paren + 2, (size_t)(close - paren - 2), reg, sizeof(reg)))
			return -EINVAL;
		snprintf(fetch, sizeof(fetch), "%+ld(%s)", disp, reg);
	}
	snprintf(out, len, "arg%d=%s:%c%ld", n, fetch, sign ? 's' : 'u', size * 8);
	return 0;
}

int probe_sdt__fetch_args(const struct probe_sdt *m, char *out, size_t len)
{
	char buf[sizeof(m->args)], *save = NULL, *tok;
	size_t used = 0;
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", m->args);
	out[0] = 0;
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char one[128];

		if (one_arg(tok, ++n, one, sizeof(one)))
			return -EINVAL;
		used += (size_t)snprintf(out + used, len > used ? len - used : 0, "%s%s", used ? " " : "", one);
		if (used >= len)
			return -EINVAL;
	}
	return 0;
}

/* perf's SDT listing of its build-id cache: the entries DIR/.build-id links to (a directory
 * without its link is not listed, as perf does not list it), each entry's markers from the "probes" file perf buildid-cache --add writes beside the copy
 * ("%sdt_PROVIDER:NAME=..." lines), sorted as perf sorts them: by "sdt_P:N@BUILDID", each
 * such string once. */
struct sdt_cache_ent {
	char *key;		/* "sdt_P:N@BUILDID" */
	char *orig;		/* the binary's path */
};

struct sdt_cache_walk {
	struct sdt_cache_ent *v;
	size_t n, cap;
};

static int sdt_cache_entry(void *ctx, const char *hex, const char *path)
{
	struct sdt_cache_walk *w = ctx;
	char dir[4200], file[4300], line[1024];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s%s/%s", bcache__dir(), path, hex);
	snprintf(file, sizeof(file), "%s/probes", dir);
	f = fopen(file, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		size_t len = strcspn(line, "=\n");
		struct sdt_cache_ent *e;

		if (line[0] != '%' || !strchr(line, ':'))
			continue;
		if (ARRAY_GROW(w->v, w->cap, w->n + 1))
			break;
		e = &w->v[w->n];
		if (asprintf(&e->key, "%.*s@%s", (int)len - 1, line + 1, hex) < 0)
			break;
		e->orig = strdup(path);
		if (!e->orig) {
			free(e->key);
			break;
		}
		w->n++;
	}
	fclose(f);
	return 0;
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(((const struct sdt_cache_ent *)a)->key, ((const struct sdt_cache_ent *)b)->key);
}

int probe_sdt__cached(int (*fn)(const char *name, const char *orig, const char *buildid, void *arg), void *arg)
{
	struct sdt_cache_walk w = { 0 };
	int ret = bcache__for_each(sdt_cache_entry, &w);

	if (w.n)
		array__sort(w.v, w.n, sizeof(*w.v), cmp_key);
	for (size_t i = 0; i < w.n && !ret; i++) {
		char *at = strrchr(w.v[i].key, '@');

		if (i && !strcmp(w.v[i].key, w.v[i - 1].key))
			continue;
		*at = 0;
		ret = fn(w.v[i].key, w.v[i].orig, at + 1, arg);
		*at = '@';
	}
	for (size_t i = 0; i < w.n; i++) {
		free(w.v[i].key);
		free(w.v[i].orig);
	}
	free(w.v);
	return ret;
}
