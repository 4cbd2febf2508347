/* The embedded-symbols feature section (PD_FEAT_EMBEDDED_SYMBOLS, precord --embed-symbols):
 * for each DSO the samples hit, its name, build-id, load segments and the symbols that hold
 * a sampled address (and with lines, the source line of each sampled address), so that the
 * file alone resolves them. Layout, native-endian, every part 8-aligned:
 *	u32 magic "PSYM", u32 version (1), u32 nr_dsos, u32 flags (PD_EMBED_LINES)
 *	per DSO:  u32 size (of the entry), u8 kind, u8 build_id_size, u16 name_len (with NUL)
 *		  u8 build_id[20], u32 nr_segs, u32 nr_syms, u32 nr_lines, u32 strtab_len, u32 0
 *		  name (padded), nr_segs x {u64 offset, vaddr, filesz},
 *		  nr_syms x {u64 start, end; u32 name; u8 binding; u8 0[3]},
 *		  nr_lines x {u64 vaddr; u32 file, dir (~0: none), line, 0} (ascending vaddr),
 *		  strtab (names; file names), padded
 * kind is symbols/dso.h's enum dso_kind; addresses are the DSO's own (ELF vaddr; the running
 * address for the kernel). perf 6.1 skips the section. */
#ifndef PERFDATA_EMBED_H
#define PERFDATA_EMBED_H

#include <stddef.h>
#include <stdint.h>

#define PD_EMBED_MAGIC	0x4d595350u	/* "PSYM" */
#define PD_EMBED_LINES	1u

struct pd_embed_seg {
	uint64_t offset, vaddr, filesz;
};

struct pd_embed_sym {
	uint64_t start, end;
	uint32_t name;		/* offset in strtab */
	uint8_t binding;
	uint8_t pad[3];
};

struct pd_embed_line {
	uint64_t vaddr;
	uint32_t file;		/* offset in strtab */
	uint32_t dir;		/* compilation directory of a relative file; PD_EMBED_NONE */
	uint32_t line;
	uint32_t pad;
};

#define PD_EMBED_NONE	0xffffffffu

/* One DSO's entry; the pointers point into the section (reading) or the caller's arrays
 * (writing). */
struct pd_embed_dso {
	const char *name;
	uint8_t kind;
	uint8_t build_id_size;
	uint8_t build_id[20];
	uint32_t nr_segs, nr_syms, nr_lines, strtab_len;
	const struct pd_embed_seg *segs;
	const struct pd_embed_sym *syms;
	const struct pd_embed_line *lines;
	const char *strtab;
};

/* A section being built. */
struct pd_embed_buf {
	uint8_t *data;
	size_t len, cap;
	uint32_t nr_dsos;
};

/* Start with the section header; 0 or -ENOMEM. */
int pd_embed__begin(struct pd_embed_buf *b, uint32_t flags);
/* Append one DSO; 0 or -ENOMEM / -E2BIG. */
int pd_embed__add(struct pd_embed_buf *b, const struct pd_embed_dso *d);
void pd_embed__free(struct pd_embed_buf *b);

/* Walk a section: *off starts at 0. 1 with *d filled, 0 at the end, -EBADMSG when the
 * section is damaged. */
int pd_embed__next(const void *sec, size_t size, size_t *off, struct pd_embed_dso *d);

#endif
