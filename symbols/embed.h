/* Symbols that travel inside the perf.data file (precord --embed-symbols): the recording
 * side turns each hit DSO's sampled addresses into an entry of the embedded-symbols section
 * (perfdata/embed.h); the reading side attaches the entries to the session's DSOs, whose
 * loader falls back on them when no file gives the DSO symbols here, and srcline on their
 * lines when no DWARF is found. */
#ifndef SYMBOLS_EMBED_H
#define SYMBOLS_EMBED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "perfdata/embed.h"

struct dso;
struct dsos;

/* The DSO @name (recorded in @cpumode) with its sampled map addresses @addrs (ascending):
 * its symbols holding them, its segments, and with @lines their source lines, appended to
 * @b. DSOs without a file (anonymous memory, JIT) are skipped. 0 or -ENOMEM. */
int symembed__add(struct pd_embed_buf *b, struct dsos *ds, const char *name, uint8_t cpumode,
		  const uint64_t *addrs, size_t nr, bool lines);

struct symembed;
/* Attach the section's entries to @ds (a copy is kept). NULL with errno: ENOMEM, EBADMSG
 * (damaged: warned once). */
struct symembed *symembed__attach(struct dsos *ds, const void *sec, size_t size);
void symembed__free(struct symembed *e);
/* The loader's fallback: the DSO's embedded symbols and segments. 0, -ENOENT (none). */
int symembed__load(struct dso *dso);
/* Source line of DSO address @vaddr from the embedded lines: as srcline__find. */
int symembed__srcline(const struct dso *dso, uint64_t vaddr, const char **file, const char **dir,
		      int *line);

#endif
