/* The code bytes behind a DSO's addresses, for disassembly: the ELF file the recording ran
 * (checked against its recorded build-id, else perf's ~/.debug build-id cache copy), the
 * vdso, and for the kernel a vmlinux image (given, or found by build-id and release in the
 * places perf looks) or /proc/kcore when the recorded kernel is the running one.
 *
 * Usage:
 *	struct code_file *cf = code_file__open(dso, &opts, why, sizeof(why));
 *	code_file__read(cf, sym->start, buf, len);	(DSO addresses, as in struct symbol)
 *	code_file__close(cf);
 */
#ifndef SYMBOLS_DISASM_CODE_H
#define SYMBOLS_DISASM_CODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dso;

struct code_opts {
	const char *vmlinux;	/* -k: the kernel image; NULL = search */
	const char *kcore;	/* NULL = /proc/kcore */
	const char *osrelease;	/* recorded kernel release (perf.data OSRELEASE), NULL = unknown */
};

struct code_file;

/* Open what holds @dso's code. NULL and a one-line reason (no trailing newline) in why,
 * saying what to do where there is something to do. */
struct code_file *code_file__open(struct dso *dso, const struct code_opts *opts, char *why,
				  size_t whylen);
void code_file__close(struct code_file *cf);
/* Copy the bytes at DSO addresses [addr, addr+len). 0, -ENOENT when part of the range is
 * not in the file (or is NOBITS), -EIO on a read error. */
int code_file__read(struct code_file *cf, uint64_t addr, uint8_t *buf, size_t len);
/* How many bytes from @addr on the file holds contiguously (0 if addr is not there). */
uint64_t code_file__avail(const struct code_file *cf, uint64_t addr);
/* The name of the section that holds @addr (".text", ".fini"), NULL when unknown (a core
 * file's segments). Valid while @cf is open. */
const char *code_file__section(const struct code_file *cf, uint64_t addr);
/* ELF e_machine and EI_CLASS of the code. */
unsigned int code_file__machine(const struct code_file *cf);
unsigned int code_file__class(const struct code_file *cf);
/* File address - DSO address (a vmlinux's link address against the recorded one). */
int64_t code_file__delta(const struct code_file *cf);
/* Does the file carry DWARF (a vmlinux built with debug info)? */
bool code_file__has_dwarf(const struct code_file *cf);
/* The file the bytes come from ("[vdso]" for this process's vdso). */
const char *code_file__path(const struct code_file *cf);

#endif
