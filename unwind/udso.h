/* The unwinders' view of a DSO: its ELF image (mapped once, private), and a separate debug
 * file for .debug_frame; found by DSO pointer in a hash table, opened on first use (through
 * symbols/elf_file.h) and kept for the session. Internal to unwind/. */
#ifndef UNWIND_UDSO_H
#define UNWIND_UDSO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "symbols/elf_file.h"
#include "util/htab.h"

struct dso;
struct map;

struct udso {
	struct dso *dso;
	bool ok;			/* file opened */
	struct elf_file file;		/* the whole file mapped (or the own vdso copied) */
	struct elf_file dbg;		/* separate debug file (dbg.elf NULL if none) */
	void *priv;			/* the backend's per-DSO state */
};

struct udsos {
	struct htab by_dso;		/* hash_ptr(dso) -> struct udso * */
	struct udso *last;		/* the last one asked for: consecutive frames share DSOs */
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
