/* Owns the reading of SDT notes (.note.stapsdt, owner "stapsdt", type 3: pc, base, semaphore
 * addresses, then provider, name and argument strings), their addresses as file offsets
 * (through .stapsdt.base and the PT_LOAD headers), the x86-64 operand translation to uprobe
 * fetch args, and the walk of perf's build-id cache. */
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

/* ~/.debug/PATH.../BUILDID/elf: @dir is the cache root plus the path so far. */
static int walk(const char *root, const char *dir, int depth,
		int (*fn)(const char *elf, const char *orig, const char *buildid, void *arg), void *arg)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int ret = 0;

	if (!d)
		return 0;
	while (!ret && (de = readdir(d))) {
		char path[4096];
		struct stat st;

		if (de->d_name[0] == '.' || de->d_name[0] == '[')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st) || !S_ISDIR(st.st_mode))
			continue;
		if (strlen(de->d_name) == 40 && strspn(de->d_name, "0123456789abcdef") == 40) {
			char elf[4200];

			snprintf(elf, sizeof(elf), "%s/elf", path);
			if (access(elf, R_OK) == 0) {
				/* the original path: the directories between the root and the build-id */
				size_t rl = strlen(root);

				ret = fn(elf, dir + rl, de->d_name, arg);
			}
		} else if (depth < 24) {
			ret = walk(root, path, depth + 1, fn, arg);
		}
	}
	closedir(d);
	return ret;
}

int probe_sdt__cached(int (*fn)(const char *elf, const char *orig, const char *buildid, void *arg), void *arg)
{
	const char *home = getenv("HOME");
	char root[1024];

	if (!home)
		return 0;
	snprintf(root, sizeof(root), "%s/.debug", home);
	return walk(root, root, 0, fn, arg);
}
