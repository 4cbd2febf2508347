/* Owns the symbol-table file (see symtab_file.h): its layout, its checks, loading it into a
 * DSO as a lazy table, and writing one. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "symbols/dso.h"
#include "symbols/symtab_file.h"
#include "util/fdio.h"
#include "util/log.h"

#define ST_MAGIC "PSYMTAB1"

struct st_header {
	char magic[8];
	uint32_t key_size, zero;
	uint64_t aux, nr, names_size;
};

_Static_assert(sizeof(struct dso_lazy_sym) == 24, "the file's entry layout");

static size_t key_room(uint32_t key_size)
{
	return ((size_t)key_size + 7) & ~(size_t)7;
}

int symtab_file__dir(char *dir, size_t size)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int len;

	if (xdg && *xdg)
		len = snprintf(dir, size, "%s/pstat", xdg);
	else if (home && *home)
		len = snprintf(dir, size, "%s/.cache/pstat", home);
	else
		return -ENOENT;
	return len < 0 || (size_t)len >= size ? -ENOENT : 0;
}

/* A file up to this size is read into the heap at once: on a VM a page fault costs
 * microseconds, and a lookup's binary search would fault in most of a small table's pages
 * one by one (the table of a big library is 300 KB); a bigger one (the kernel's, 6 MB) is
 * mapped, and only the pages its lookups land on are ever read. */
#define ST_READ_MAX (1u << 20)

/* The whole file, read (*mapped false) or mapped (the page cache's pages, no copy); NULL
 * when it cannot be. */
static char *load_file(const char *path, size_t *size, bool *mapped)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *p = NULL;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || st.st_size < (off_t)sizeof(struct st_header) ||
	    st.st_size > (off_t)1 << 30)
		goto out;
	*size = (size_t)st.st_size;
	*mapped = *size > ST_READ_MAX;
	if (*mapped) {
		p = mmap(NULL, *size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED)
			p = NULL;
	} else if ((p = malloc(*size)) && fdio__read_all(fd, p, *size)) {
		free(p);
		p = NULL;
	}
out:
	close(fd);
	return p;
}

int symtab_file__load(struct dso *dso, const char *path, const void *key, uint32_t key_size,
		      uint64_t *aux)
{
	struct st_header h;
	size_t size = 0, head;
	struct symbol *syms = MAP_FAILED;
	uint64_t *built = NULL;
	bool mapped = false;
	char *buf;

	if (dso->nr_syms)
		return -ENOENT;
	buf = load_file(path, &size, &mapped);
	if (!buf)
		return -ENOENT;
	memcpy(&h, buf, sizeof(h));
	head = sizeof(h) + key_room(key_size);
	/* a damaged, foreign or older file: the caller reads the symbols the long way */
	if (memcmp(h.magic, ST_MAGIC, 8) || h.key_size != key_size || size < head ||
	    memcmp(buf + sizeof(h), key, key_size) || !h.nr || h.nr > (1u << 24) ||
	    !h.names_size || h.names_size > (1u << 30) ||
	    size != head + h.nr * sizeof(struct dso_lazy_sym) + h.names_size || buf[size - 1])
		goto bad;
	/* untouched until a lookup builds an entry: no page of it costs before then (a big
	 * table's own mapping, a small one's zeroed heap) */
	if (mapped)
		syms = mmap(NULL, h.nr * sizeof(*syms), PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	else if (!(syms = calloc(h.nr, sizeof(*syms))))
		syms = MAP_FAILED;
	built = calloc((h.nr + 63) / 64, sizeof(*built));
	if (syms == MAP_FAILED || !built)
		goto bad;
	free(dso->syms);
	dso->syms = syms;
	dso->syms_mapped = mapped;
	dso->nr_syms = dso->syms_cap = h.nr;
	dso->lazy = (const struct dso_lazy_sym *)(buf + head);
	dso->lazy_built = built;
	dso->lazy_names = buf + head + h.nr * sizeof(struct dso_lazy_sym);
	dso->lazy_names_size = h.names_size;
	dso->names_block = buf;
	dso->names_block_size = size;
	dso->names_block_mapped = mapped;
	*aux = h.aux;
	return 0;
bad:
	if (syms != MAP_FAILED && mapped)
		munmap(syms, h.nr * sizeof(*syms));
	else if (syms != MAP_FAILED)
		free(syms);
	free(built);
	if (mapped)
		munmap(buf, size);
	else
		free(buf);
	return -ENOENT;
}

static int write_all(FILE *f, const struct dso *dso, const void *key, uint32_t key_size,
		     uint64_t aux)
{
	struct st_header h = { .magic = ST_MAGIC, .key_size = key_size, .aux = aux,
			       .nr = dso->nr_syms };
	static const char zeros[8];
	uint64_t off = 0;
	size_t i;

	for (i = 0; i < dso->nr_syms; i++)
		h.names_size += strlen(dso->syms[i].name) + 1;
	if (h.names_size >= UINT32_MAX || fwrite(&h, sizeof(h), 1, f) != 1 ||
	    fwrite(key, 1, key_size, f) != key_size ||
	    fwrite(zeros, 1, key_room(key_size) - key_size, f) != key_room(key_size) - key_size)
		return -EIO;
	for (i = 0; i < dso->nr_syms; i++) {
		const struct symbol *s = &dso->syms[i];
		struct dso_lazy_sym r = { .start = s->start, .end = s->end, .name = (uint32_t)off,
					  .binding = s->binding };

		if (fwrite(&r, sizeof(r), 1, f) != 1)
			return -EIO;
		off += strlen(s->name) + 1;
	}
	for (i = 0; i < dso->nr_syms; i++) {
		size_t len = strlen(dso->syms[i].name) + 1;

		if (fwrite(dso->syms[i].name, 1, len, f) != len)
			return -EIO;
	}
	return 0;
}

/* @path's folder and its parent, made if missing (as other programs make ~/.cache). */
static void make_dirs(const char *path)
{
	char dir[4096];
	char *slash;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir) ||
	    !(slash = strrchr(dir, '/')))
		return;
	*slash = '\0';
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0700);
		*slash = '/';
	}
	mkdir(dir, 0700);
}

void symtab_file__save(const struct dso *dso, const char *path, const void *key,
		       uint32_t key_size, uint64_t aux)
{
	char tmp[4300];
	FILE *f;
	int bad;

	if (!dso->nr_syms || dso->lazy ||
	    snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid()) >= (int)sizeof(tmp))
		return;
	make_dirs(path);
	f = fopen(tmp, "we");
	if (!f) {
		pr_debug("symbol cache: cannot write %s: %s", tmp, strerror(errno));
		return;
	}
	bad = write_all(f, dso, key, key_size, aux);
	if (fclose(f) || bad || rename(tmp, path)) {
		pr_debug("symbol cache: cannot write %s", path);
		unlink(tmp);
	}
}
