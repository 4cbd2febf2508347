/* The symbol sources behind dso__load(), one per kind of DSO (internal to symbols/). */
#ifndef SYMBOLS_LOADERS_H
#define SYMBOLS_LOADERS_H

#include <stddef.h>
#include <stdint.h>

struct dso;

/* Kernel and modules from kallsyms (the running kernel's, or perf's ~/.debug copy). */
int kallsyms__load(struct dso *dso);
/* ELF files: .symtab (own or separate debug file), else .dynsym + minidebuginfo; PLT. */
int elf__load(struct dso *dso);
/* /tmp/perf-PID.map: "START SIZE name" lines, hex. */
int jitmap__load(struct dso *dso);
/* GNU build-id note of an ELF file; returns its size (0 if none). */
/* This process's vdso image and the bytes that hold its sections and loaded segments.
 * 0, -ENOENT (no vdso), -ENOEXEC (not ELF64) or -E2BIG. */
int vdso__own_image(const uint8_t **image, size_t *size);
size_t elf__read_build_id(const char *path, uint8_t *id, size_t max);
/* Build-id of the running kernel from /sys/kernel/notes; size or 0. */
size_t kallsyms__running_build_id(uint8_t *id, size_t max);
/* Lowercase hex of a build-id into buf (2*size+1 bytes). */
void build_id__hex(const uint8_t *id, size_t size, char *buf);

#endif
