/* GNU build-ids (NT_GNU_BUILD_ID notes) of ELF files, the running kernel and its modules,
 * for the BUILD_ID feature section. */
#ifndef PERFDATA_BUILDID_H
#define PERFDATA_BUILDID_H

#include <stddef.h>
#include <stdint.h>

#define PD_BUILD_ID_MAX 20

/* Find the build-id in a block of ELF notes (the one note parser of the tree). @align is
 * the block's note alignment: 4, or 8 for notes in an 8-aligned section (libelf's
 * ELF_T_NHDR8), where names and descriptors end on 8-byte boundaries from the block's
 * start. Returns the id's size (> 0, at most PD_BUILD_ID_MAX) or -ENOENT. */
int pd_buildid__from_notes(const void *notes, size_t len, size_t align,
			   uint8_t id[PD_BUILD_ID_MAX]);
/* From the PT_NOTE segments (or SHT_NOTE sections) of an ELF file. Size or -errno. */
int pd_buildid__from_elf(const char *path, uint8_t id[PD_BUILD_ID_MAX]);
/* The running kernel's (/sys/kernel/notes). */
int pd_buildid__kernel(uint8_t id[PD_BUILD_ID_MAX]);
/* A loaded module's (/sys/module/NAME/notes/.note.gnu.build-id). */
int pd_buildid__module(const char *name, uint8_t id[PD_BUILD_ID_MAX]);

#endif
