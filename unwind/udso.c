/* Owns the unwinders' per-DSO files: one read-only mapping of each DSO's ELF file (the own
 * vdso copied from this process for [vdso]), its separate debug file, and the table that
 * finds them by DSO pointer. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "symbols/map.h"
#include "symbols/dso.h"
#include "unwind/udso.h"
#include "util/log.h"

static const uint8_t *map_file(const char *path, size_t *size)
{
	struct stat st;
	void *p;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(Elf64_Ehdr)) {
		close(fd);
		return NULL;
	}
	/* private and writable: libelf inflates compressed sections in place */
	p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return NULL;
	*size = (size_t)st.st_size;
	return p;
}

/* The vdso of this process: the same code as the recording's on the same kernel. */
static const uint8_t *copy_own_vdso(size_t *size)
{
	const uint8_t *img = (const void *)getauxval(AT_SYSINFO_EHDR);
	Elf64_Ehdr eh;
	size_t n;
	uint8_t *copy;

	if (!img)
		return NULL;
	memcpy(&eh, img, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64)
		return NULL;
	n = eh.e_shoff + (size_t)eh.e_shnum * eh.e_shentsize;
	for (size_t i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, img + eh.e_phoff + i * eh.e_phentsize, sizeof(ph));
		if (ph.p_type == PT_LOAD && ph.p_offset + ph.p_filesz > n)
			n = ph.p_offset + ph.p_filesz;
	}
	if (n > (16u << 20))
		return NULL;
	copy = malloc(n);
	if (!copy)
		return NULL;
	memcpy(copy, img, n);
	*size = n;
	return copy;
}

static void udso_open(struct udso *u)
{
	struct dso *dso = u->dso;

	elf_version(EV_CURRENT);
	if (!dso->loaded)
		dso__load(dso);		/* segments and the debug file's name */
	if (dso->kind == DSO_VDSO) {
		u->image = copy_own_vdso(&u->size);
	} else if (dso->kind == DSO_USER) {
		u->image = map_file(dso->name, &u->size);
		u->mapped = true;
	}
	if (!u->image)
		return;
	u->elf = elf_memory((char *)u->image, u->size);
	if (!u->elf || elf_kind(u->elf) != ELF_K_ELF) {
		pr_debug("unwind: %s is not an ELF file", dso->name);
		return;
	}
	if (dso->debugsrc && strcmp(dso->debugsrc, dso->name)) {
		u->dbg_image = map_file(dso->debugsrc, &u->dbg_size);
		if (u->dbg_image) {
			u->dbg_elf = elf_memory((char *)u->dbg_image, u->dbg_size);
			if (u->dbg_elf && elf_kind(u->dbg_elf) != ELF_K_ELF) {
				elf_end(u->dbg_elf);
				u->dbg_elf = NULL;
			}
		}
	}
	u->ok = true;
}

static void udso_free(struct udso *u, void (*priv_free)(void *))
{
	if (u->priv && priv_free)
		priv_free(u->priv);
	if (u->elf)
		elf_end(u->elf);
	if (u->dbg_elf)
		elf_end(u->dbg_elf);
	if (u->image) {
		if (u->mapped)
			munmap((void *)u->image, u->size);
		else
			free((void *)u->image);
	}
	if (u->dbg_image)
		munmap((void *)u->dbg_image, u->dbg_size);
	free(u);
}

static size_t hash_ptr(const void *p, size_t cap)
{
	uint64_t x = (uint64_t)(uintptr_t)p;

	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 32;
	return (size_t)x & (cap - 1);
}

static int grow(struct udsos *t)
{
	size_t cap = t->cap ? t->cap * 2 : 64;
	struct udso **tab = calloc(cap, sizeof(*tab));

	if (!tab)
		return -ENOMEM;
	for (size_t i = 0; i < t->cap; i++) {
		struct udso *u = t->tab[i], *next;

		for (; u; u = next) {
			size_t h = hash_ptr(u->dso, cap);

			next = u->next;
			u->next = tab[h];
			tab[h] = u;
		}
	}
	free(t->tab);
	t->tab = tab;
	t->cap = cap;
	return 0;
}

struct udso *udsos__get(struct udsos *t, struct dso *dso)
{
	struct udso *u;
	size_t h;

	if (t->cap) {
		for (u = t->tab[hash_ptr(dso, t->cap)]; u; u = u->next)
			if (u->dso == dso)
				return u;
	}
	if (t->nr + 1 > t->cap / 2 && grow(t))
		return NULL;
	u = calloc(1, sizeof(*u));
	if (!u)
		return NULL;
	u->dso = dso;
	udso_open(u);
	h = hash_ptr(dso, t->cap);
	u->next = t->tab[h];
	t->tab[h] = u;
	t->nr++;
	return u;
}

void udsos__exit(struct udsos *t)
{
	for (size_t i = 0; i < t->cap; i++) {
		struct udso *u = t->tab[i], *next;

		for (; u; u = next) {
			next = u->next;
			udso_free(u, t->priv_free);
		}
	}
	free(t->tab);
	t->tab = NULL;
	t->nr = t->cap = 0;
}

uint64_t udso__vaddr(const struct map *m, uint64_t ip)
{
	if (!m->dso->loaded)
		dso__load(m->dso);
	return dso__map_to_vaddr(m->dso, map__map_ip(m, ip));
}

bool udso__read(const struct udso *u, uint64_t vaddr, void *buf, size_t len)
{
	size_t n;

	if (!u->elf || elf_getphdrnum(u->elf, &n))
		return false;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(u->elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (vaddr < ph.p_vaddr || vaddr - ph.p_vaddr >= ph.p_filesz ||
		    ph.p_filesz - (vaddr - ph.p_vaddr) < len)
			continue;
		if (ph.p_offset + (vaddr - ph.p_vaddr) + len > u->size)
			return false;
		memcpy(buf, u->image + ph.p_offset + (vaddr - ph.p_vaddr), len);
		return true;
	}
	return false;
}
