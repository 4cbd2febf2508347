/* Owns the layout of the embedded-symbols section (perfdata/embed.h): building it entry by
 * entry and walking it with every size and offset checked. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "perfdata/embed.h"
#include "util/array.h"

#define HDR_SIZE	16
#define ENTRY_FIXED	48

static size_t pad8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static uint8_t *room(struct pd_embed_buf *b, size_t n)
{
	uint8_t *p;

	if (ARRAY_GROW(b->data, b->cap, b->len + n))
		return NULL;
	p = b->data + b->len;
	memset(p, 0, n);
	b->len += n;
	return p;
}

int pd_embed__begin(struct pd_embed_buf *b, uint32_t flags)
{
	uint32_t h[4] = { PD_EMBED_MAGIC, 1, 0, flags };
	uint8_t *p;

	*b = (struct pd_embed_buf){ .data = NULL };
	p = room(b, HDR_SIZE);
	if (!p)
		return -ENOMEM;
	memcpy(p, h, sizeof(h));
	return 0;
}

/* Copy @n bytes (none from a NULL array) and step past them. */
static uint8_t *put(uint8_t *p, const void *src, size_t n)
{
	if (n)
		memcpy(p, src, n);
	return p + n;
}

int pd_embed__add(struct pd_embed_buf *b, const struct pd_embed_dso *d)
{
	size_t name_len = strlen(d->name) + 1;
	size_t size = ENTRY_FIXED + pad8(name_len) + d->nr_segs * sizeof(*d->segs) +
		      d->nr_syms * sizeof(*d->syms) + d->nr_lines * sizeof(*d->lines) +
		      pad8(d->strtab_len);
	uint32_t u[5] = { d->nr_segs, d->nr_syms, d->nr_lines, d->strtab_len, 0 };
	uint8_t *p;

	if (name_len > UINT16_MAX || size > UINT32_MAX / 2)
		return -E2BIG;
	p = room(b, size);
	if (!p)
		return -ENOMEM;
	*(uint32_t *)p = (uint32_t)size;
	p[4] = d->kind;
	p[5] = d->build_id_size;
	*(uint16_t *)(p + 6) = (uint16_t)name_len;
	memcpy(p + 8, d->build_id, sizeof(d->build_id));
	memcpy(p + 28, u, sizeof(u));
	p += ENTRY_FIXED;
	memcpy(p, d->name, name_len);
	p += pad8(name_len);
	p = put(p, d->segs, d->nr_segs * sizeof(*d->segs));
	p = put(p, d->syms, d->nr_syms * sizeof(*d->syms));
	p = put(p, d->lines, d->nr_lines * sizeof(*d->lines));
	put(p, d->strtab, d->strtab_len);
	b->nr_dsos++;
	memcpy(b->data + 8, &b->nr_dsos, sizeof(b->nr_dsos));
	return 0;
}

void pd_embed__free(struct pd_embed_buf *b)
{
	free(b->data);
	*b = (struct pd_embed_buf){ .data = NULL };
}

int pd_embed__next(const void *sec, size_t size, size_t *off, struct pd_embed_dso *d)
{
	const uint8_t *s = sec, *p;
	uint32_t u[4], esize;
	uint16_t name_len;
	size_t need;

	if (*off == 0) {
		if (size < HDR_SIZE || *(const uint32_t *)s != PD_EMBED_MAGIC)
			return -EBADMSG;
		*off = HDR_SIZE;
	}
	if (*off == size)
		return 0;
	if (size - *off < ENTRY_FIXED)
		return -EBADMSG;
	p = s + *off;
	memcpy(&esize, p, 4);
	memcpy(&name_len, p + 6, 2);
	memcpy(u, p + 28, sizeof(u));
	if (esize < ENTRY_FIXED || esize > size - *off || esize % 8 || !name_len)
		return -EBADMSG;
	need = ENTRY_FIXED + pad8(name_len) + (size_t)u[0] * sizeof(struct pd_embed_seg) +
	       (size_t)u[1] * sizeof(struct pd_embed_sym) + (size_t)u[2] * sizeof(struct pd_embed_line) +
	       pad8(u[3]);
	if (need != esize || p[ENTRY_FIXED + name_len - 1] != '\0' || (u[3] && p[esize - pad8(u[3]) + u[3] - 1]))
		return -EBADMSG;
	d->kind = p[4];
	d->build_id_size = p[5] > 20 ? 20 : p[5];
	memcpy(d->build_id, p + 8, 20);
	d->nr_segs = u[0];
	d->nr_syms = u[1];
	d->nr_lines = u[2];
	d->strtab_len = u[3];
	d->name = (const char *)p + ENTRY_FIXED;
	p += ENTRY_FIXED + pad8(name_len);
	d->segs = (const void *)p;
	p += (size_t)u[0] * sizeof(struct pd_embed_seg);
	d->syms = (const void *)p;
	p += (size_t)u[1] * sizeof(struct pd_embed_sym);
	d->lines = (const void *)p;
	p += (size_t)u[2] * sizeof(struct pd_embed_line);
	d->strtab = (const char *)p;
	/* every name must lie inside the strtab */
	for (uint32_t i = 0; i < d->nr_syms; i++)
		if (d->syms[i].name >= d->strtab_len)
			return -EBADMSG;
	for (uint32_t i = 0; i < d->nr_lines; i++)
		if (d->lines[i].file >= d->strtab_len ||
		    (d->lines[i].dir != PD_EMBED_NONE && d->lines[i].dir >= d->strtab_len))
			return -EBADMSG;
	*off += esize;
	return 1;
}
