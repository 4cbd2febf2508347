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
	/* the starts of the entries of each block a lookup met, read once and kept (a
	 * 283K-sample -a -g recording met 383 of the kernel's 3.2K blocks: 200 KB), NULL for
	 * the others */
	uint64_t **starts;
	struct strarena copies;			/* the names read one by one */
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
	uint64_t **starts = calloc(nr_index ? nr_index : 1, sizeof(*starts));

	if (!t || !starts) {
		free(t);
		free(starts);
		close(fd);
		free(index);
		return NULL;
	}
	*t = (struct symtab_lazy){ .fd = fd, .nr = nr, .ents_off = ents_off, .names_off = names_off,
				   .names_size = names_size, .index = index, .nr_index = nr_index,
				   .starts = starts };
	return t;
}

void symtab_lazy__free(struct symtab_lazy *t)
{
	if (!t)
		return;
	if (t->fd >= 0)
		close(t->fd);
	for (size_t b = 0; t->starts && b < t->nr_index; b++)
		free(t->starts[b]);
	free(t->starts);
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

/* The starts of block @b's entries (*n of them), read the first time; NULL when the file
 * cannot be read or on ENOMEM. */
static const uint64_t *block_starts(struct symtab_lazy *t, size_t b, size_t *n)
{
	uint64_t first = (uint64_t)b * SYMTAB_LAZY_EVERY;
	struct dso_lazy_sym e[SYMTAB_LAZY_EVERY];
	uint64_t *st;

	*n = t->nr - first < SYMTAB_LAZY_EVERY ? (size_t)(t->nr - first) : SYMTAB_LAZY_EVERY;
	if (t->starts[b])
		return t->starts[b];
	st = malloc(*n * sizeof(*st));
	if (!st || read_entries(t, (size_t)first, *n, e)) {
		free(st);
		return NULL;
	}
	for (size_t j = 0; j < *n; j++)
		st[j] = e[j].start;
	t->starts[b] = st;
	return st;
}

bool symtab_lazy__find(struct symtab_lazy *t, uint64_t addr, size_t *i)
{
	const uint64_t *st;
	size_t b, j, n;

	if (t->ents) {
		const struct dso_lazy_sym *l = BSEARCH_LAST_LE(t->ents, t->nr, start, addr);

		*i = l ? (size_t)(l - t->ents) : 0;
		return l;
	}
	b = bsearch__upper_u64(t->index, t->nr_index, sizeof(*t->index), 0, addr);
	if (!b || !(st = block_starts(t, b - 1, &n)))
		return false;
	/* the block's first start is its index entry: 0 here only in a damaged file */
	j = bsearch__upper_u64(st, n, sizeof(*st), 0, addr);
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

int symtab_lazy__sym(struct symtab_lazy *t, size_t i, struct dso_lazy_sym *e, const char **name)
{
	uint64_t off;
	int ret;

	if (i >= t->nr)
		return -EINVAL;
	if (t->ents)
		*e = t->ents[i];
	else if ((ret = read_entries(t, i, 1, e)))
		return ret;
	/* an offset past the names (a damaged file) reads as the empty last string */
	off = e->name < t->names_size ? e->name : t->names_size - 1;
	*name = t->names ? t->names + off : read_name(t, off);
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
