/* Owns reading GNU build-id notes: the one parser of note blocks (symbols/elf_file.c hands it
 * the note sections libelf reads), and the build-ids of ELF files (program headers first, then
 * section headers), of /sys/kernel/notes and of a module's notes in sysfs, read with pread,
 * no libelf needed. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perfdata/buildid.h"

#define NOTE_MAX (64 * 1024)

int pd_buildid__from_notes(const void *notes, size_t len, size_t align,
			   uint8_t id[PD_BUILD_ID_MAX])
{
	const char *base = notes;
	size_t off = 0, a = align == 8 ? 8 : 4;

	/* offsets from the block's start; off <= len throughout */
	while (len - off >= sizeof(Elf64_Nhdr)) {
		Elf64_Nhdr nh;
		size_t name, desc, next;

		memcpy(&nh, base + off, sizeof(nh));	/* Elf32_Nhdr and Elf64_Nhdr are the same 3 x u32 */
		name = off + sizeof(nh);
		desc = (name + nh.n_namesz + a - 1) & ~(a - 1);
		next = (desc + nh.n_descsz + a - 1) & ~(a - 1);
		if (next > len)
			break;
		if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 && !memcmp(base + name, "GNU", 4) &&
		    nh.n_descsz > 0) {
			size_t n = nh.n_descsz > PD_BUILD_ID_MAX ? PD_BUILD_ID_MAX : nh.n_descsz;

			memset(id, 0, PD_BUILD_ID_MAX);
			memcpy(id, base + desc, n);
			return n;
		}
		off = next;
	}
	return -ENOENT;
}

static int note_at(int fd, uint64_t off, uint64_t size, uint8_t id[PD_BUILD_ID_MAX])
{
	char *buf;
	int ret;

	if (size == 0 || size > NOTE_MAX)
		return -ENOENT;
	buf = malloc(size);
	if (!buf)
		return -ENOMEM;
	ret = pread(fd, buf, size, off) == (ssize_t)size ? pd_buildid__from_notes(buf, size, 4, id) : -EIO;
	free(buf);
	return ret;
}

/* Program and section headers in a common form, for both ELF classes. */
struct note_loc {
	uint64_t off, size;
};

static int scan_headers(int fd, int is64, uint64_t tab, unsigned n, unsigned entsz, int sections,
			uint8_t id[PD_BUILD_ID_MAX])
{
	if (n == 0 || n > 4096 || entsz == 0 || entsz > 256)
		return -ENOENT;
	for (unsigned i = 0; i < n; i++) {
		unsigned char e[256];
		struct note_loc loc = { 0, 0 };
		uint32_t type;

		if (pread(fd, e, entsz, tab + (uint64_t)i * entsz) != (ssize_t)entsz)
			return -EIO;
		if (is64 && sections) {
			Elf64_Shdr *s = (void *)e;
			type = s->sh_type; loc.off = s->sh_offset; loc.size = s->sh_size;
			if (type != SHT_NOTE)
				continue;
		} else if (is64) {
			Elf64_Phdr *ph = (void *)e;
			type = ph->p_type; loc.off = ph->p_offset; loc.size = ph->p_filesz;
			if (type != PT_NOTE)
				continue;
		} else if (sections) {
			Elf32_Shdr *s = (void *)e;
			type = s->sh_type; loc.off = s->sh_offset; loc.size = s->sh_size;
			if (type != SHT_NOTE)
				continue;
		} else {
			Elf32_Phdr *ph = (void *)e;
			type = ph->p_type; loc.off = ph->p_offset; loc.size = ph->p_filesz;
			if (type != PT_NOTE)
				continue;
		}
		int ret = note_at(fd, loc.off, loc.size, id);

		if (ret > 0)
			return ret;
	}
	return -ENOENT;
}

int pd_buildid__from_elf(const char *path, uint8_t id[PD_BUILD_ID_MAX])
{
	unsigned char ident[EI_NIDENT];
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = -ENOENT;

	if (fd < 0)
		return -errno;
	if (pread(fd, ident, sizeof(ident), 0) != sizeof(ident) || memcmp(ident, ELFMAG, SELFMAG)) {
		ret = -ENOEXEC;
		goto out;
	}
	if (ident[EI_CLASS] == ELFCLASS64) {
		Elf64_Ehdr eh;

		if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh))
			goto out;
		ret = scan_headers(fd, 1, eh.e_phoff, eh.e_phnum, eh.e_phentsize, 0, id);
		if (ret <= 0)
			ret = scan_headers(fd, 1, eh.e_shoff, eh.e_shnum, eh.e_shentsize, 1, id);
	} else if (ident[EI_CLASS] == ELFCLASS32) {
		Elf32_Ehdr eh;

		if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh))
			goto out;
		ret = scan_headers(fd, 0, eh.e_phoff, eh.e_phnum, eh.e_phentsize, 0, id);
		if (ret <= 0)
			ret = scan_headers(fd, 0, eh.e_shoff, eh.e_shnum, eh.e_shentsize, 1, id);
	} else {
		ret = -ENOEXEC;
	}
out:
	close(fd);
	return ret;
}

static int from_notes_file(const char *path, uint8_t id[PD_BUILD_ID_MAX])
{
	char buf[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0)
		return -ENOENT;
	return pd_buildid__from_notes(buf, n, 4, id);
}

int pd_buildid__kernel(uint8_t id[PD_BUILD_ID_MAX])
{
	return from_notes_file("/sys/kernel/notes", id);
}

int pd_buildid__module(const char *name, uint8_t id[PD_BUILD_ID_MAX])
{
	char path[512];

	snprintf(path, sizeof(path), "/sys/module/%s/notes/.note.gnu.build-id", name);
	return from_notes_file(path, id);
}
