/* Disassembly through capstone: one handle per architecture and syntax, decoding a run
 * of code bytes into instructions with capstone's own text (mnemonic and operands, as
 * capstone prints them), their bytes, and what kind of control transfer each one is
 * (jump, call, return) with its target when the target is an immediate.
 *
 * Usage:
 *	struct disasm *d = disasm__new(EM_X86_64, ELFCLASS64, DISASM_ATT, &err);
 *	ssize_t n = disasm__decode(d, code, len, addr, &insns);	(free(insns) after)
 *	disasm__free(d);
 */
#ifndef SYMBOLS_DISASM_H
#define SYMBOLS_DISASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum disasm_syntax {
	DISASM_ATT,		/* x86 AT&T as capstone prints it ("movq %rsp, %rbp") */
	DISASM_ATT_OBJDUMP,	/* x86 AT&T as GNU objdump prints it, perf annotate's text
				 * ("mov %rsp,%rbp", "call 1030" + the caller's " <sym>") */
	DISASM_INTEL,		/* x86 Intel (-M intel) */
};

enum disasm_kind {
	DISASM_OTHER,
	DISASM_JUMP,		/* conditional or unconditional branch */
	DISASM_CALL,
	DISASM_RET,
};

#define DISASM_MAX_BYTES 16

struct disasm_insn {
	uint64_t addr;
	uint8_t size;
	bool bad;			/* bytes capstone could not decode: one byte, "(bad)" */
	uint8_t kind;			/* enum disasm_kind */
	bool has_target;		/* jump/call to an immediate address */
	uint64_t target;
	uint8_t bytes[DISASM_MAX_BYTES];
	char mnemonic[32];
	char ops[160];
	bool has_ref;			/* DISASM_ATT_OBJDUMP: a rip-relative operand reaches ref */
	uint64_t ref;
};

struct disasm;

/* A disassembler for ELF e_machine/class (EM_X86_64, EM_386, EM_AARCH64). NULL with *err
 * = -EPROTONOSUPPORT for other machines, -ENOMEM, or -EINVAL when capstone refuses. */
struct disasm *disasm__new(unsigned int e_machine, unsigned int elf_class, enum disasm_syntax syntax,
			   int *err);
void disasm__free(struct disasm *d);

/* Decode every instruction of code[0..len) which sits at address @addr. Undecodable
 * bytes become one-byte "(bad)" entries and decoding goes on after them. *out is a
 * malloc'd array (free() it). Returns the number of instructions or -ENOMEM. */
ssize_t disasm__decode(struct disasm *d, const uint8_t *code, size_t len, uint64_t addr,
		       struct disasm_insn **out);

/* "att" / "intel" (objdump's -M spellings; "x86-64" and "i386" are accepted and ignored
 * inside a comma list). 0, or -EINVAL. */
int disasm__parse_syntax(const char *s, enum disasm_syntax *syntax);

/* capstone's version. */
void disasm__version(int *major, int *minor);

#endif
