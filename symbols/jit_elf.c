/* Owns writing a JIT'd function as an ELF shared object (symbols/jit_elf.h) with libelf, the
 * layout set by hand: ELF header | program header | .text at JIT_ELF_TEXT_OFFSET |
 * .note.gnu.build-id | .symtab | .strtab | .shstrtab | section headers. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "symbols/jit_elf.h"
#include "util/hash.h"

#define SHSTRTAB "\0.text\0.note.gnu.build-id\0.symtab\0.strtab\0.shstrtab"
enum { NAME_TEXT = 1, NAME_NOTE = 7, NAME_SYMTAB = 26, NAME_STRTAB = 34, NAME_SHSTRTAB = 42 };
enum { SEC_TEXT = 1, SEC_NOTE, SEC_SYMTAB, SEC_STRTAB, SEC_SHSTRTAB, NR_SECS };

struct note {
	Elf64_Nhdr h;
	char owner[4];
	uint8_t id[20];
};

/* A build-id from the code, its name and address: two functions with the same bytes (a JIT
 * often makes them) still get two ids. */
static void make_build_id(uint8_t id[20], const char *name, const uint8_t *code, uint64_t size, uint64_t addr)
{
	uint64_t h[3];

	h[0] = hash_bytes_from(hash_str(name), code, (size_t)size);
	h[1] = hash_combine(h[0], addr);
	h[2] = hash_combine(h[1], size);
	memcpy(id, h, 20);
}

static uint64_t align(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* A section holding @len bytes of @buf at file offset @off. */
static Elf_Scn *add_scn(Elf *e, const void *buf, size_t len, Elf_Type type, GElf_Shdr *sh)
{
	Elf_Scn *scn = elf_newscn(e);
	Elf_Data *d = scn ? elf_newdata(scn) : NULL;

	if (!d)
		return NULL;
	d->d_buf = (void *)buf;
	d->d_size = len;
	d->d_type = type;
	d->d_align = sh->sh_addralign ? sh->sh_addralign : 1;
	d->d_off = 0;
	d->d_version = EV_CURRENT;
	sh->sh_size = len;
	return gelf_update_shdr(scn, sh) ? scn : NULL;
}

static int build(Elf *e, uint16_t machine, const char *name, const uint8_t *code, uint64_t size,
		 uint64_t addr)
{
	struct note note = { { 4, 20, NT_GNU_BUILD_ID }, "GNU", { 0 } };
	size_t nlen = strlen(name) + 1;
	char *strtab = malloc(nlen + 1);
	Elf64_Sym syms[2];
	GElf_Ehdr eh;
	GElf_Phdr ph;
	GElf_Shdr sh[NR_SECS];
	uint64_t off;
	int ret = -EINVAL;

	if (!strtab)
		return -ENOMEM;
	memset(syms, 0, sizeof(syms));
	memset(&eh, 0, sizeof(eh));
	memset(sh, 0, sizeof(sh));
	strtab[0] = '\0';
	memcpy(strtab + 1, name, nlen);
	make_build_id(note.id, name, code, size, addr);
	syms[1] = (Elf64_Sym){ .st_name = 1, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC),
			       .st_shndx = SEC_TEXT, .st_value = JIT_ELF_TEXT_OFFSET, .st_size = size };
	/* file offsets = addresses for what is loaded */
	off = JIT_ELF_TEXT_OFFSET;
	sh[SEC_TEXT] = (GElf_Shdr){ .sh_name = NAME_TEXT, .sh_type = SHT_PROGBITS, .sh_flags = SHF_ALLOC | SHF_EXECINSTR,
				    .sh_addr = off, .sh_offset = off, .sh_addralign = 16 };
	off = align(off + size, 4);
	sh[SEC_NOTE] = (GElf_Shdr){ .sh_name = NAME_NOTE, .sh_type = SHT_NOTE, .sh_flags = SHF_ALLOC,
				    .sh_addr = off, .sh_offset = off, .sh_addralign = 4 };
	off = align(off + sizeof(note), 8);
	sh[SEC_SYMTAB] = (GElf_Shdr){ .sh_name = NAME_SYMTAB, .sh_type = SHT_SYMTAB, .sh_offset = off,
				      .sh_link = SEC_STRTAB, .sh_info = 1, .sh_entsize = sizeof(Elf64_Sym),
				      .sh_addralign = 8 };
	off += sizeof(syms);
	sh[SEC_STRTAB] = (GElf_Shdr){ .sh_name = NAME_STRTAB, .sh_type = SHT_STRTAB, .sh_offset = off,
				      .sh_addralign = 1 };
	off += nlen + 1;
	sh[SEC_SHSTRTAB] = (GElf_Shdr){ .sh_name = NAME_SHSTRTAB, .sh_type = SHT_STRTAB, .sh_offset = off,
					.sh_addralign = 1 };
	off = align(off + sizeof(SHSTRTAB), 8);
	if (!gelf_newehdr(e, ELFCLASS64) || !gelf_newphdr(e, 1))
		goto out;
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_DYN;
	eh.e_machine = machine;
	eh.e_version = EV_CURRENT;
	eh.e_entry = JIT_ELF_TEXT_OFFSET;
	eh.e_phoff = sizeof(Elf64_Ehdr);
	eh.e_shoff = off;
	eh.e_ehsize = sizeof(Elf64_Ehdr);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = 1;
	eh.e_shentsize = sizeof(Elf64_Shdr);
	eh.e_shnum = NR_SECS;
	eh.e_shstrndx = SEC_SHSTRTAB;
	if (!add_scn(e, code, (size_t)size, ELF_T_BYTE, &sh[SEC_TEXT]) ||
	    !add_scn(e, &note, sizeof(note), ELF_T_BYTE, &sh[SEC_NOTE]) ||
	    !add_scn(e, syms, sizeof(syms), ELF_T_SYM, &sh[SEC_SYMTAB]) ||
	    !add_scn(e, strtab, nlen + 1, ELF_T_BYTE, &sh[SEC_STRTAB]) ||
	    !add_scn(e, SHSTRTAB, sizeof(SHSTRTAB), ELF_T_BYTE, &sh[SEC_SHSTRTAB]) ||
	    !gelf_update_ehdr(e, &eh))
		goto out;
	ph = (GElf_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0, .p_vaddr = 0,
			  .p_paddr = 0, .p_filesz = sh[SEC_NOTE].sh_offset + sizeof(note),
			  .p_memsz = sh[SEC_NOTE].sh_offset + sizeof(note), .p_align = 0x1000 };
	if (!gelf_update_phdr(e, 0, &ph))
		goto out;
	elf_flagelf(e, ELF_C_SET, ELF_F_LAYOUT);
	ret = elf_update(e, ELF_C_WRITE) < 0 ? -EIO : 0;
out:
	free(strtab);
	return ret;
}

int jit_elf__write(const char *path, uint16_t machine, const char *name, const uint8_t *code,
		   uint64_t size, uint64_t addr, struct error *err)
{
	Elf *e = NULL;
	int fd, ret;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return error__set(err, -EINVAL, "libelf: %s", elf_errmsg(-1));
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0)
		return error__set(err, -errno, "cannot create '%s': %s", path, strerror(errno));
	e = elf_begin(fd, ELF_C_WRITE, NULL);
	ret = e ? build(e, machine, name, code, size, addr) : -EIO;
	if (ret == -ENOMEM)
		error__nomem(err);
	else if (ret)
		error__set(err, ret, "writing '%s': %s", path, elf_errmsg(-1));
	elf_end(e);
	if (close(fd) && !ret)
		ret = error__set(err, -errno, "writing '%s': %s", path, strerror(errno));
	if (ret)
		unlink(path);
	return ret;
}
