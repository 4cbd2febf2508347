/* Owns the symbol-table file (see symtab_file.h): its layout, its checks, loading it into a
 * DSO as a lazy table (symtab_lazy.h), and writing one. */
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
#include "symbols/symtab_lazy.h"
#include "util/fdio.h"
#include "util/log.h"

#define ST_MAGIC "PSYMTAB2"

struct st_header {
	char magic[8];
	uint32_t key_size, every;	/* every: SYMTAB_LAZY_EVERY */
	uint64_t aux, nr, names_size;
};

_Static_assert(sizeof(struct dso_lazy_sym) == 24, "the file's entry layout");

static size_t key_room(uint32_t key_size)
{
	return ((size_t)key_size + 7) & ~(size_t)7;
}

static size_t index_size(uint64_t nr)
{
	return (size_t)((nr + SYMTAB_LAZY_EVERY - 1) / SYMTAB_LAZY_EVERY) * sizeof(uint64_t);
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

/* A file up to this size is read into the heap at once: a lookup's binary search would read
 * most of a small table's blocks one by one (the table of a big library is 300 KB); a bigger
 * one (the kernel's, 6 MB) is read a block at a time (symtab_lazy.h). */
#define ST_READ_MAX (1u << 20)

/* Whether the header @h of a file of @size bytes, with @key, describes it whole. */
static bool header_fits(const struct st_header *h, size_t size, const void *key,
			const char *key_read, uint32_t key_size, size_t *head)
{
	*head = sizeof(*h) + key_room(key_size);
	/* a damaged, foreign or older file: the caller reads the symbols the long way */
	return !memcmp(h->magic, ST_MAGIC, 8) && h->key_size == key_size &&
	       h->every == SYMTAB_LAZY_EVERY && size >= *head &&
	       !memcmp(key_read, key, key_size) && h->nr && h->nr <= (1u << 24) &&
	       h->names_size && h->names_size <= (1u << 30) &&
	       size == *head + index_size(h->nr) + h->nr * sizeof(struct dso_lazy_sym) +
			       h->names_size;
}

/* The table of a small file (@size bytes), read whole. */
static struct symtab_lazy *table_read(int fd, size_t size, const void *key, uint32_t key_size,
				      struct st_header *h)
{
	char *buf = malloc(size);
	size_t head;

	if (!buf || fdio__read_all(fd, buf, size))
		goto bad;
	memcpy(h, buf, sizeof(*h));
	if (!header_fits(h, size, key, buf + sizeof(*h), key_size, &head) || buf[size - 1])
		goto bad;
	head += index_size(h->nr);
	return symtab_lazy__new_mem(buf, (const struct dso_lazy_sym *)(buf + head), h->nr,
				    buf + head + h->nr * sizeof(struct dso_lazy_sym), h->names_size);
bad:
	free(buf);
	return NULL;
}

/* The table of a big file (@size bytes): its header and index read, the rest on demand. */
static struct symtab_lazy *table_open(int fd, size_t size, const void *key, uint32_t key_size,
				      struct st_header *h)
{
	char key_read[64], last;
	uint64_t *index = NULL;
	size_t head, ents_off;
	int dup_fd;

	if (key_size > sizeof(key_read) || fdio__pread_all(fd, h, sizeof(*h), 0) ||
	    fdio__pread_all(fd, key_read, key_size, sizeof(*h)) ||
	    !header_fits(h, size, key, key_read, key_size, &head) ||
	    fdio__pread_all(fd, &last, 1, size - 1) || last ||
	    !(index = malloc(index_size(h->nr))) ||
	    fdio__pread_all(fd, index, index_size(h->nr), head))
		goto bad;
	dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);		/* the table's own, kept open */
	if (dup_fd < 0)
		goto bad;
	ents_off = head + index_size(h->nr);
	return symtab_lazy__new_file(dup_fd, h->nr, ents_off,
				     ents_off + h->nr * sizeof(struct dso_lazy_sym), h->names_size,
				     index);
bad:
	free(index);
	return NULL;
}

int symtab_file__load(struct dso *dso, const char *path, const void *key, uint32_t key_size,
		      uint64_t *aux)
{
	struct symtab_lazy *table = NULL;
	struct symbol *syms = MAP_FAILED;
	uint64_t *built = NULL;
	struct st_header h;
	struct stat st;
	bool big = false;
	int fd;

	if (dso->nr_syms)
		return -ENOENT;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ENOENT;
	if (!fstat(fd, &st) && st.st_size >= (off_t)sizeof(h) && st.st_size <= (off_t)1 << 31) {
		big = (size_t)st.st_size > ST_READ_MAX;
		table = big ? table_open(fd, (size_t)st.st_size, key, key_size, &h) :
			      table_read(fd, (size_t)st.st_size, key, key_size, &h);
	}
	close(fd);
	if (!table)
		return -ENOENT;
	/* untouched until a lookup builds an entry: no page of it costs before then (a big
	 * table's own mapping, a small one's zeroed heap) */
	if (big)
		syms = mmap(NULL, h.nr * sizeof(*syms), PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	else if (!(syms = calloc(h.nr, sizeof(*syms))))
		syms = MAP_FAILED;
	built = calloc((h.nr + 63) / 64, sizeof(*built));
	if (syms == MAP_FAILED || !built)
		goto bad;
	free(dso->syms);
	free(dso->lazy_built);
	symtab_lazy__free(dso->table);
	dso->syms = syms;
	dso->syms_mapped = big;
	dso->nr_syms = dso->syms_cap = h.nr;
	dso->lazy = true;
	dso->table = table;
	dso->lazy_built = built;
	*aux = h.aux;
	return 0;
bad:
	if (syms != MAP_FAILED && big)
		munmap(syms, h.nr * sizeof(*syms));
	else if (syms != MAP_FAILED)
		free(syms);
	free(built);
	symtab_lazy__free(table);
	return -ENOENT;
}

static int write_all(FILE *f, const struct dso *dso, const void *key, uint32_t key_size,
		     uint64_t aux)
{
	struct st_header h = { .magic = ST_MAGIC, .key_size = key_size,
			       .every = SYMTAB_LAZY_EVERY, .aux = aux, .nr = dso->nr_syms };
	static const char zeros[8];
	uint64_t off = 0;
	size_t i;

	for (i = 0; i < dso->nr_syms; i++)
		h.names_size += strlen(dso->syms[i].name) + 1;
	if (h.names_size >= UINT32_MAX || fwrite(&h, sizeof(h), 1, f) != 1 ||
	    fwrite(key, 1, key_size, f) != key_size ||
	    fwrite(zeros, 1, key_room(key_size) - key_size, f) != key_room(key_size) - key_size)
		return -EIO;
	for (i = 0; i < dso->nr_syms; i += SYMTAB_LAZY_EVERY)
		if (fwrite(&dso->syms[i].start, sizeof(uint64_t), 1, f) != 1)
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
