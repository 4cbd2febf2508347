/* Owns the stack tree: interned frame names (a strpool whose ids are the name ids, in
 * first-seen order), nodes found through a (parent, name) hash, the folded-text order
 * (perl's byte-order sort of the stack strings) and FlameGraph's name tidying. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/fold/tree.h"
#include "util/array.h"
#include "util/hash.h"
#include "util/obuf.h"
#include "util/strpool.h"

/* @node's fold_kids with every slot free (FOLD_NONE). */
static void kids_clear(struct fold *f, uint32_t node)
{
	memset(&f->kids[node], 0xff, sizeof(f->kids[node]));
}

struct fold *fold__new(void)
{
	struct fold *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->name_pool = strpool__new();
	f->strs = strpool__new();
	/* the virtual root: node 0, with no name */
	if (!f->name_pool || !f->strs || ARRAY_GROW(f->nodes, f->nodes_cap, 1) ||
	    ARRAY_GROW(f->kids, f->kids_cap, 1)) {
		fold__free(f);
		return NULL;
	}
	memset(&f->nodes[0], 0, sizeof(f->nodes[0]));
	f->nodes[0].name = FOLD_NONE;
	f->nodes[0].parent = FOLD_NONE;
	f->nodes[0].child = FOLD_NONE;
	f->nodes[0].sibling = FOLD_NONE;
	kids_clear(f, FOLD_ROOT);
	f->nr_nodes = 1;
	return f;
}

void fold__free(struct fold *f)
{
	if (!f)
		return;
	free(f->names);
	free(f->nodes);
	free(f->kids);
	free(f->dsos);
	htab__exit(&f->child_tab);
	free(f->last);
	strpool__free(f->name_pool);
	strpool__free(f->strs);
	free(f->event);
	free(f->unit);
	free(f->hostname);
	free(f->cmdline);
	free(f->path);
	free(f);
}

/* fold__name's body, inlined where folded text is read (a call per frame there) */
static inline uint32_t name_intern(struct fold *f, const char *s, size_t len,
				   enum fold_kind kind, uint32_t dso, uint64_t addr)
{
	struct fold_name *n;
	int64_t id;

	id = strpool__id(f->name_pool, s, len);
	if (id >= 0 && (size_t)id < f->nr_names)
		return (uint32_t)id;
	/* a new name has the next id; after an ENOMEM here the pool may be ahead: no more */
	if (id < 0 || (size_t)id != f->nr_names || f->nr_names >= FOLD_NONE - 1 ||
	    ARRAY_GROW(f->names, f->names_cap, f->nr_names + 1))
		return FOLD_NONE;
	n = &f->names[id];
	n->s = strpool__str(f->name_pool, (uint32_t)id);
	n->len = (uint32_t)len;
	n->kind = (uint8_t)kind;
	n->dso = dso;
	n->addr = addr;
	f->nr_names++;
	return (uint32_t)id;
}

uint32_t fold__name(struct fold *f, const char *s, size_t len, enum fold_kind kind,
		    uint32_t dso, uint64_t addr)
{
	return name_intern(f, s, len, kind, dso, addr);
}

uint32_t fold__dso(struct fold *f, const char *name, const char *build_id, uint64_t start,
		   uint64_t limit, uint64_t pgoff)
{
	struct fold_dso *d;

	if (ARRAY_GROW(f->dsos, f->dsos_cap, f->nr_dsos + 1))
		return FOLD_NONE;
	d = &f->dsos[f->nr_dsos];
	d->name = strpool__add(f->strs, name);
	d->build_id = build_id ? strpool__add(f->strs, build_id) : NULL;
	if (!d->name || (build_id && !d->build_id))
		return FOLD_NONE;
	d->start = start;
	d->limit = limit;
	d->pgoff = pgoff;
	return (uint32_t)f->nr_dsos++;
}

static inline uint64_t child_hash(uint32_t parent, uint32_t name)
{
	return hash_u64((uint64_t)parent << 32 | name);
}

static int child_tab_put(struct fold *f, uint32_t parent, uint32_t name, uint32_t node)
{
	return htab__insert(&f->child_tab, child_hash(parent, name), (uintptr_t)node + 1);
}

/*
 * Most nodes of a call tree have one child or a handful: those are in the parent's
 * fold_kids, found with one load; a parent with more has them all in the hash table, which
 * stays small.
 */
uint32_t fold__find_child(const struct fold *f, uint32_t parent, uint32_t name)
{
	const struct fold_kids *k = &f->kids[parent];
	struct htab_slot *s;
	size_t pos;

	if (k->name[0] != FOLD_KIDS_MANY) {
		for (int i = 0; i < FOLD_FEW_KIDS; i++)
			if (k->name[i] == name)
				return k->node[i];	/* (a free slot: FOLD_NONE) */
		return FOLD_NONE;
	}
	/* child_hash is one to one: a slot of the same hash is the child, no node to load */
	s = htab__first(&f->child_tab, child_hash(parent, name), &pos);
	return s ? (uint32_t)(s->val - 1) : FOLD_NONE;
}

/* @id, @name's new node, among @parent's kids: a free slot, else all in child_tab. */
static int kids_add(struct fold *f, uint32_t parent, uint32_t name, uint32_t id)
{
	struct fold_kids *k = &f->kids[parent];
	int i;

	if (k->name[0] == FOLD_KIDS_MANY)
		return child_tab_put(f, parent, name, id);
	for (i = 0; i < FOLD_FEW_KIDS && k->name[i] != FOLD_NONE; i++)
		;
	if (i < FOLD_FEW_KIDS) {
		k->name[i] = name;
		k->node[i] = id;
		return 0;
	}
	for (i = 0; i < FOLD_FEW_KIDS; i++)
		if (child_tab_put(f, parent, k->name[i], k->node[i]))
			return -ENOMEM;
	k->name[0] = FOLD_KIDS_MANY;
	return child_tab_put(f, parent, name, id);
}

uint32_t fold__child(struct fold *f, uint32_t parent, uint32_t name)
{
	uint32_t id = fold__find_child(f, parent, name);
	struct fold_node *n, *p;

	if (id != FOLD_NONE)
		return id;
	if (f->nr_nodes >= FOLD_NONE - 1 || ARRAY_GROW(f->nodes, f->nodes_cap, f->nr_nodes + 1) ||
	    ARRAY_GROW(f->kids, f->kids_cap, f->nr_nodes + 1))
		return FOLD_NONE;
	id = (uint32_t)f->nr_nodes;
	if (kids_add(f, parent, name, id))
		return FOLD_NONE;
	f->nr_nodes++;
	n = &f->nodes[id];
	p = &f->nodes[parent];
	memset(n, 0, sizeof(*n));
	n->name = name;
	n->parent = parent;
	n->child = FOLD_NONE;
	n->sibling = p->child;
	p->child = id;
	kids_clear(f, id);
	return id;
}

uint32_t fold__add_path(struct fold *f, const uint32_t *names, size_t n, int profile,
			uint64_t samples, uint64_t period)
{
	uint32_t node = FOLD_ROOT;
	size_t i = 0;

	if (ARRAY_GROW(f->last, f->last_cap, n))
		return FOLD_NONE;
	for (; i < n && i < f->last_n && names[i] == f->last[i].name; i++)
		node = f->last[i].node;
	f->last_n = i;
	for (; i < n; i++) {
		node = fold__child(f, node, names[i]);
		if (node == FOLD_NONE)
			return FOLD_NONE;
		f->last[i] = (struct fold_step){ names[i], node };
		f->last_n = i + 1;
	}
	f->last_n = n;
	fold__add(f, node, profile, samples, period);
	return node;
}

/* qsort has no context argument in C11: the tree being sorted is passed through this. */
static __thread const struct fold *sort_fold;

static int cmp_by_name(const void *a, const void *b)
{
	const struct fold *f = sort_fold;
	const struct fold_name *x = &f->names[f->nodes[*(const uint32_t *)a].name];
	const struct fold_name *y = &f->names[f->nodes[*(const uint32_t *)b].name];
	size_t l = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->s, y->s, l);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static uint32_t *children(const struct fold *f, uint32_t node, size_t *n)
{
	uint32_t *v, c;
	size_t k = 0;

	for (c = f->nodes[node].child; c != FOLD_NONE; c = f->nodes[c].sibling)
		k++;
	*n = k;
	if (!k)
		return NULL;
	v = malloc(k * sizeof(*v));
	if (!v)
		return NULL;
	k = 0;
	for (c = f->nodes[node].child; c != FOLD_NONE; c = f->nodes[c].sibling)
		v[k++] = c;
	return v;
}

uint32_t *fold__children_by_name(const struct fold *f, uint32_t node, size_t *n)
{
	uint32_t *v = children(f, node, n);

	if (v && *n > 1) {
		sort_fold = f;
		array__sort(v, *n, sizeof(*v), cmp_by_name);
	}
	return v;
}

/*
 * Folded order. Perl sorts the whole strings "P;x..." byte by byte, so below a common
 * prefix P each child x contributes two items: its own stack, compared as "x", and its
 * subtree, compared as "x;". They are not adjacent when a sibling extends x with a byte
 * below ';' ("foo" and "foo.isra.0": "foo" < "foo.isra.0" < "foo;bar"). Sorting these
 * items gives exactly perl's order without building every string.
 */
struct item {
	uint32_t node;
	bool subtree;
};

static int cmp_item(const void *a, const void *b)
{
	const struct fold *f = sort_fold;
	const struct item *ia = a, *ib = b;
	const struct fold_name *x = &f->names[f->nodes[ia->node].name];
	const struct fold_name *y = &f->names[f->nodes[ib->node].name];
	size_t l = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->s, y->s, l);
	int ca, cb;

	if (c)
		return c;
	/* compare the byte after the common part: the name's next byte, ';' for a subtree,
	 * or end of string (-1) */
	ca = x->len > l ? (unsigned char)x->s[l] : ia->subtree ? ';' : -1;
	cb = y->len > l ? (unsigned char)y->s[l] : ib->subtree ? ';' : -1;
	if (ca != cb)
		return ca < cb ? -1 : 1;
	return 0;
}

struct walk {
	const struct fold *f;
	fold_stack_fn fn;
	void *ctx;
	char *buf;
	size_t cap;
};

static int walk_items(struct walk *w, uint32_t node, size_t len);

static int put_name(struct walk *w, uint32_t node, size_t len, size_t *nlen)
{
	const struct fold_name *nm = &w->f->names[w->f->nodes[node].name];
	size_t need = len + 1 + nm->len + 1;

	if (ARRAY_GROW(w->buf, w->cap, need))
		return -ENOMEM;
	if (len)
		w->buf[len++] = ';';
	memcpy(w->buf + len, nm->s, nm->len);
	len += nm->len;
	w->buf[len] = '\0';
	*nlen = len;
	return 0;
}

static int walk_items(struct walk *w, uint32_t node, size_t len)
{
	const struct fold *f = w->f;
	struct item *items;
	size_t n = 0, k = 0;
	uint32_t c;
	int ret = 0;

	for (c = f->nodes[node].child; c != FOLD_NONE; c = f->nodes[c].sibling)
		n++;
	if (!n)
		return 0;
	items = malloc(2 * n * sizeof(*items));
	if (!items)
		return -ENOMEM;
	for (c = f->nodes[node].child; c != FOLD_NONE; c = f->nodes[c].sibling) {
		const struct fold_node *cn = &f->nodes[c];

		if (cn->samples[0] || cn->samples[1] || cn->period[0] || cn->period[1])
			items[k++] = (struct item){ c, false };
		if (cn->child != FOLD_NONE)
			items[k++] = (struct item){ c, true };
	}
	sort_fold = f;
	array__sort(items, k, sizeof(*items), cmp_item);
	for (size_t i = 0; i < k && !ret; i++) {
		size_t nlen;

		ret = put_name(w, items[i].node, len, &nlen);
		if (ret)
			break;
		if (items[i].subtree)
			ret = walk_items(w, items[i].node, nlen);
		else
			ret = w->fn(w->ctx, f, items[i].node, w->buf, nlen);
		/* the recursion may have moved the buffer; our prefix is still in place */
	}
	free(items);
	return ret;
}

int fold__for_each_stack(const struct fold *f, fold_stack_fn fn, void *ctx)
{
	struct walk w = { .f = f, .fn = fn, .ctx = ctx };
	int ret = walk_items(&w, FOLD_ROOT, 0);

	free(w.buf);
	return ret;
}

struct write_ctx {
	FILE *out;
	bool period, diff;
};

static int write_stack(void *ctx, const struct fold *f, uint32_t node, const char *stack,
		       size_t len)
{
	struct write_ctx *w = ctx;
	const struct fold_node *n = &f->nodes[node];
	char tail[2 * 25 + 1], digits[24];
	size_t t = 0;

	if (!w->diff && !n->samples[0] && !n->period[0])
		return 0;	/* only in the second profile */
	/* " COUNT\n" or " COUNT1 COUNT2\n", without printf (a line per stack) */
	for (int p = 0; p <= w->diff; p++) {
		int k = ob__digits(fold__value(n, p, w->period), digits);

		tail[t++] = ' ';
		memcpy(tail + t, digits + 24 - k, (size_t)k);
		t += (size_t)k;
	}
	tail[t++] = '\n';
	if (fwrite(stack, 1, len, w->out) != len || fwrite(tail, 1, t, w->out) != t)
		return -EIO;
	return 0;
}

int fold__write_folded(const struct fold *f, FILE *out, bool period, bool diff)
{
	struct write_ctx w = { .out = out, .period = period, .diff = diff };
	int ret = fold__for_each_stack(f, write_stack, &w);

	if (fflush(out) || ferror(out))
		ret = ret ? ret : -EIO;
	return ret;
}

/* A trailing unsigned decimal of line[0..*len), removed with the space before it. */
static int take_count(const char *line, size_t *len, uint64_t *v)
{
	size_t e = *len, b = e;
	uint64_t x = 0;

	while (b > 0 && line[b - 1] >= '0' && line[b - 1] <= '9')
		b--;
	if (b == e || b == 0 || line[b - 1] != ' ' || e - b > 19)
		return -1;
	for (size_t i = b; i < e; i++)
		x = x * 10 + (uint64_t)(line[i] - '0');
	*v = x;
	b--;
	while (b > 0 && line[b - 1] == ' ')
		b--;
	*len = b;
	return 0;
}

/* Length of the common prefix of a[0..n) and b[0..n), eight bytes at a time. */
static size_t common_prefix(const char *a, const char *b, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t x, y;

		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			break;
	}
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

/*
 * The name ids of the stack line[0..len) into (*ids)[0..*n). The previous stack read,
 * prev[0..plen) (NULL if none), left its ids there: sorted folded text repeats most of
 * the line before, and a frame that ends within the common prefix (or where both lines'
 * frames end) keeps its id without hashing.
 */
static int split_stack(struct fold *f, const char *line, size_t len, const char *prev,
		       size_t plen, uint32_t **ids, size_t *cap, size_t *n)
{
	size_t same = prev ? common_prefix(line, prev, len < plen ? len : plen) : 0, k = 0;

	for (size_t b = 0; b <= len; k++) {
		size_t e = b;

		while (e < len && line[e] != ';')
			e++;
		if (ARRAY_GROW(*ids, *cap, k + 1))
			return -ENOMEM;
		if (!prev || e > same || (e == same && e < plen && prev[e] != ';')) {
			(*ids)[k] = name_intern(f, line + b, e - b, FOLD_K_OTHER, FOLD_NONE, 0);
			if ((*ids)[k] == FOLD_NONE)
				return -ENOMEM;
		}
		b = e + 1;
	}
	*n = k;
	return 0;
}

/* One line of @in into *buf, NUL-terminated: its length, -1 at the end, -2 when it is longer
 * than FOLD_MAX_LINE (an endless line must not grow memory without bound) or holds a NUL
 * byte (binary data), -3 out of memory. */
static ssize_t read_line(FILE *in, char **buf, size_t *cap)
{
	size_t len = 0;
	int c;

	while ((c = getc_unlocked(in)) != EOF) {
		if (c == 0 || len >= FOLD_MAX_LINE)
			return -2;
		if (len + 2 > *cap && ARRAY_GROW(*buf, *cap, len + 2))
			return -3;
		(*buf)[len++] = (char)c;
		if (c == '\n')
			break;
	}
	if (!len)
		return -1;
	(*buf)[len] = 0;
	return (ssize_t)len;
}

int fold__read_folded(struct fold *f, FILE *in, const char *path, int profile,
		      struct error *err)
{
	char *buf[2] = { NULL, NULL };	/* this line and the previous stack's */
	size_t bcap[2] = { 0, 0 }, lineno = 0, plen = 0, path_cap = 0;
	const char *prev = NULL;
	uint32_t *path_ids = NULL;
	ssize_t got;
	int cur = 0, ret = 0;

	while ((got = read_line(in, &buf[cur], &bcap[cur])) >= 0 || got < -1) {
		const char *line = buf[cur];
		size_t len = (size_t)got, n;
		uint64_t c1, c2;
		bool two;

		lineno++;
		if (got == -3)
			goto enomem;
		if (got == -2) {
			ret = error__set(err, -EBADMSG, "%s:%zu: binary data or a line longer than %d MiB: not folded text",
					 path, lineno, FOLD_MAX_LINE >> 20);
			break;
		}
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			len--;
		if (!len || line[0] == '#')
			continue;
		if (take_count(line, &len, &c2)) {
			ret = error__set(err, -EBADMSG, "%s:%zu: not a folded stack line "
					    "('frame;frame COUNT' expected)", path, lineno);
			break;
		}
		two = !take_count(line, &len, &c1);
		if (!len) {
			ret = error__set(err, -EBADMSG, "%s:%zu: empty stack", path, lineno);
			break;
		}
		if (split_stack(f, line, len, prev, plen, &path_ids, &path_cap, &n))
			goto enomem;
		if (two) {
			if (fold__add_path(f, path_ids, n, 0, c1, c1) == FOLD_NONE ||
			    fold__add_path(f, path_ids, n, 1, c2, c2) == FOLD_NONE)
				goto enomem;
		} else if (fold__add_path(f, path_ids, n, profile, c2, c2) == FOLD_NONE) {
			goto enomem;
		}
		prev = line;
		plen = len;
		cur ^= 1;
	}
	if (!ret && ferror(in))
		ret = error__set(err, -EIO, "%s: read error", path);
	goto out;
enomem:
	ret = error__nomem(err);
out:
	free(path_ids);
	free(buf[0]);
	free(buf[1]);
	return ret;
}

/* "pkg.(*T).M" or "pkg.(T).M": a Go method, whose parentheses are part of the name. */
static bool go_method(const char *s)
{
	const char *p = strstr(s, ".(");

	return p && strstr(p + 2, ").");
}

size_t fold__tidy_name(const char *in, char *out, size_t cap)
{
	static const char anon[] = "(anonymous namespace)";
	bool go = go_method(in);
	size_t n = 0;

	if (!cap)
		return 0;
	for (const char *p = in; *p && n + 1 < cap; p++) {
		char c = *p;

		if (c == '(' && !go && strncmp(p, anon, sizeof(anon) - 1))
			break;
		if (c == '"' || c == '\'')
			continue;
		out[n++] = c == ';' ? ':' : c;
	}
	out[n] = '\0';
	return n;
}
