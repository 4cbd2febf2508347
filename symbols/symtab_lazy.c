/* Owns a lazily read symbol table (see symtab_lazy.h): the entries and names of a symbol-table
 * file, in memory or read from the file on demand. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "symbols/dso.h"
#include "symbols/symtab_lazy.h"
#include "util/bsearch.h"
#include "util/fdio.h"
#include "util/log.h"
#include "util/strarena.h"

/* A name is read in pieces of this many bytes until its NUL. */
#define NAME_PIECE 256u

/* A block of entries read from the file and the stretch of names they point into: the file
 * keeps the names in the entries' order, so the names of a block run from its first entry's
 * to the next block's first entry's, and two reads bring a block whole. */
struct lazy_block {
	uint32_t n;				/* entries */
	uint64_t names_lo;			/* names[0] is the name at this offset */
	size_t names_len;
	char *names;				/* NULL: each name read alone */
	struct dso_lazy_sym e[];
};

struct symtab_lazy {
	uint64_t nr, names_size;
	/* in memory: */
	char *buf;				/* what the table owns (a file read whole) */
	const struct dso_lazy_sym *ents;	/* all entries, or NULL: read from fd */
	const char *names;			/* all names, or NULL: each read when built */
	char *names_read;			/* names read all at once (symtab_lazy__read_all) */
	struct dso_lazy_sym *ents_read;		/* entries read all at once (the same) */
	/* read on demand: */
	int fd;
	uint64_t ents_off, names_off;
	uint64_t *index;			/* start of each block's first entry */
	size_t nr_index;
	/* the blocks a lookup or a symbol met, read once and kept (a 283K-sample -a -g
	 * recording met 383 of the kernel's 3.2K: 1.2 MB), NULL for the others */
	struct lazy_block **blocks;
	struct strarena copies;			/* names read one by one (a damaged block's) */
};

struct symtab_lazy *symtab_lazy__new_mem(char *buf, const struct dso_lazy_sym *ents,
					 uint64_t nr, const char *names, uint64_t names_size)
{
	struct symtab_lazy *t = calloc(1, sizeof(*t));

	if (!t) {
		free(buf);
		return NULL;
	}
	*t = (struct symtab_lazy){ .fd = -1, .buf = buf, .ents = ents, .nr = nr, .names = names,
				   .names_size = names_size };
	return t;
}

struct symtab_lazy *symtab_lazy__new_file(int fd, uint64_t nr, uint64_t ents_off,
					  uint64_t names_off, uint64_t names_size,
					  uint64_t *index)
{
	size_t nr_index = (size_t)((nr + SYMTAB_LAZY_EVERY - 1) / SYMTAB_LAZY_EVERY);
	struct symtab_lazy *t = calloc(1, sizeof(*t));
	struct lazy_block **blocks = calloc(nr_index ? nr_index : 1, sizeof(*blocks));

	if (!t || !blocks) {
		free(t);
		free(blocks);
		close(fd);
		free(index);
		return NULL;
	}
	*t = (struct symtab_lazy){ .fd = fd, .nr = nr, .ents_off = ents_off, .names_off = names_off,
				   .names_size = names_size, .index = index, .nr_index = nr_index,
				   .blocks = blocks };
	return t;
}

void symtab_lazy__free(struct symtab_lazy *t)
{
	if (!t)
		return;
	if (t->fd >= 0)
		close(t->fd);
	for (size_t b = 0; t->blocks && b < t->nr_index; b++) {
		if (t->blocks[b])
			free(t->blocks[b]->names);
		free(t->blocks[b]);
	}
	free(t->blocks);
	free(t->index);
	free(t->names_read);
	free(t->ents_read);
	free(t->buf);
	strarena__exit(&t->copies);
	free(t);
}

/* @n entries from entry @i on, read from the file. 0 or -errno (debug message). */
static int read_entries(struct symtab_lazy *t, size_t i, size_t n, struct dso_lazy_sym *e)
{
	int ret = fdio__pread_all(t->fd, e, n * sizeof(*e), t->ents_off + i * sizeof(*e));

	if (ret)
		pr_debug("symbol table: cannot read entries: %s", strerror(-ret));
	return ret;
}

/* The names of block @k (its entries read, and the first entry of the next block, @next,
 * when there is one): one read. Left NULL (each name then read alone) when the entries do
 * not point into one stretch, as a damaged file's may not. */
static void block_names(struct symtab_lazy *t, struct lazy_block *k, const struct dso_lazy_sym *next)
{
	uint64_t lo = k->e[0].name, hi = next ? next->name : t->names_size;

	if (lo >= hi || hi > t->names_size || hi - lo > (1u << 20))
		return;
	for (uint32_t j = 0; j < k->n; j++)
		if (k->e[j].name < lo || k->e[j].name >= hi)
			return;
	k->names = malloc((size_t)(hi - lo));
	if (k->names && fdio__pread_all(t->fd, k->names, (size_t)(hi - lo), t->names_off + lo)) {
		free(k->names);
		k->names = NULL;
	}
	k->names_lo = lo;
	k->names_len = (size_t)(hi - lo);
}

/* Block @b, read the first time it is met; NULL when the file cannot be read or on ENOMEM. */
static const struct lazy_block *block(struct symtab_lazy *t, size_t b)
{
	uint64_t first = (uint64_t)b * SYMTAB_LAZY_EVERY;
	size_t n = t->nr - first < SYMTAB_LAZY_EVERY ? (size_t)(t->nr - first) : SYMTAB_LAZY_EVERY;
	bool has_next = first + n < t->nr;
	struct lazy_block *k;
	int ret;

	if (t->blocks[b])
		return t->blocks[b];
	/* with room for the next block's first entry, where this block's names end */
	k = calloc(1, sizeof(*k) + (n + 1) * sizeof(k->e[0]));
	ret = k ? read_entries(t, (size_t)first, n + has_next, k->e) : -ENOMEM;
	if (ret) {
		free(k);
		errno = -ret;
		return NULL;
	}
	k->n = (uint32_t)n;
	block_names(t, k, has_next ? &k->e[n] : NULL);
	t->blocks[b] = k;
	return k;
}

bool symtab_lazy__find(struct symtab_lazy *t, uint64_t addr, size_t *i)
{
	const struct lazy_block *k;
	size_t b, j;

	if (t->ents) {
		const struct dso_lazy_sym *l = BSEARCH_LAST_LE(t->ents, t->nr, start, addr);

		*i = l ? (size_t)(l - t->ents) : 0;
		return l;
	}
	b = bsearch__upper_u64(t->index, t->nr_index, sizeof(*t->index), 0, addr);
	if (!b || !(k = block(t, b - 1)))
		return false;
	/* the block's first start is its index entry: 0 here only in a damaged file */
	j = bsearch__upper_u64(k->e, k->n, sizeof(k->e[0]), offsetof(struct dso_lazy_sym, start),
			       addr);
	*i = (b - 1) * SYMTAB_LAZY_EVERY + j - 1;
	return j;
}

/* The name at @off read from the file: pieces until its NUL (the names end in one). */
static const char *read_name(struct symtab_lazy *t, uint64_t off)
{
	char piece[NAME_PIECE], *big = NULL, *more;
	const char *name = NULL, *nul;
	size_t have = 0, want;
	int ret;

	for (;;) {
		want = t->names_size - off - have < NAME_PIECE ? (size_t)(t->names_size - off - have) :
								  NAME_PIECE;
		ret = fdio__pread_all(t->fd, piece, want, t->names_off + off + have);
		if (ret)
			break;
		nul = memchr(piece, '\0', want);
		if (!big && nul) {
			name = strarena__add(&t->copies, piece, (size_t)(nul - piece));
			break;
		}
		/* a long name: gathered in the heap */
		more = realloc(big, have + want);
		if (!more) {
			ret = -ENOMEM;
			break;
		}
		big = more;
		memcpy(big + have, piece, want);
		have += want;
		if (nul) {
			name = strarena__add(&t->copies, big, have - want + (size_t)(nul - piece));
			break;
		}
		if (off + have >= t->names_size) {	/* no NUL: checked at load, not to be */
			ret = -EIO;
			break;
		}
	}
	free(big);
	if (ret) {
		pr_debug("symbol table: cannot read a name: %s", strerror(-ret));
		errno = -ret;
	}
	return name;
}

/* The name at @off of block @k's entries: in the block's names, else read alone. */
static const char *block_name(struct symtab_lazy *t, const struct lazy_block *k, uint64_t off)
{
	const char *p;

	if (k->names && off >= k->names_lo && off - k->names_lo < k->names_len) {
		p = k->names + (off - k->names_lo);
		if (memchr(p, '\0', k->names_len - (size_t)(off - k->names_lo)))
			return p;
	}
	return read_name(t, off);
}

int symtab_lazy__sym(struct symtab_lazy *t, size_t i, struct dso_lazy_sym *e, const char **name)
{
	const struct lazy_block *k = NULL;
	uint64_t off;

	if (i >= t->nr)
		return -EINVAL;
	if (t->ents)
		*e = t->ents[i];
	else if ((k = block(t, i / SYMTAB_LAZY_EVERY)))
		*e = k->e[i % SYMTAB_LAZY_EVERY];
	else
		return -errno;
	/* an offset past the names (a damaged file) reads as the empty last string */
	off = e->name < t->names_size ? e->name : t->names_size - 1;
	*name = t->names ? t->names + off : block_name(t, k, off);
	return *name ? 0 : -errno;
}

int symtab_lazy__read_all(struct symtab_lazy *t)
{
	struct dso_lazy_sym *ents = NULL;
	char *names = NULL;
	int ret = -ENOMEM;

	if (t->ents && t->names)
		return 0;
	if (!(ents = malloc(t->nr * sizeof(*ents))) || !(names = malloc(t->names_size)))
		goto err;
	ret = read_entries(t, 0, (size_t)t->nr, ents);
	if (!ret)
		ret = fdio__pread_all(t->fd, names, t->names_size, t->names_off);
	if (!ret && names[t->names_size - 1])
		ret = -EIO;
	if (ret)
		goto err;
	t->ents = t->ents_read = ents;
	t->names = t->names_read = names;
	return 0;
err:
	free(ents);
	free(names);
	return ret;
}
