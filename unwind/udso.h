/* The unwinders' view of a DSO: its ELF image (mapped once, read-only), the range of its
 * loadable segments, and a separate debug file for .debug_frame; found by DSO pointer in a
 * hash table, opened on first use and kept for the session. Internal to unwind/. */
#ifndef UNWIND_UDSO_H
#define UNWIND_UDSO_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dso;
struct map;

struct udso {
	struct dso *dso;
	bool ok;			/* image opened */
	const uint8_t *image;		/* the whole file (or the vdso copy) */
	size_t size;
	bool mapped;			/* image is an mmap (else malloc) */
	Elf *elf;
	const uint8_t *dbg_image;	/* separate debug file (NULL if none) */
	size_t dbg_size;
	Elf *dbg_elf;
	void *priv;			/* the backend's per-DSO state */
	struct udso *next;
};

struct udsos {
	struct udso **tab;
	size_t nr, cap;			/* cap: a power of two */
	void (*priv_free)(void *priv);
};

/* The entry of @dso, opened on first use (ok tells whether that worked); NULL on ENOMEM. */
struct udso *udsos__get(struct udsos *t, struct dso *dso);
void udsos__exit(struct udsos *t);

/* Runtime address -> DSO address (ELF vaddr) through the map. */
uint64_t udso__vaddr(const struct map *m, uint64_t ip);
/* Bytes of the file at DSO address @vaddr (through the PT_LOAD headers). */
bool udso__read(const struct udso *u, uint64_t vaddr, void *buf, size_t len);

#endif
