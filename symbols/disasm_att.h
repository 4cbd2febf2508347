/* x86 AT&T text in GNU objdump's spelling from a capstone instruction decoded with details
 * (internal to symbols/: disasm.c's DISASM_ATT_OBJDUMP syntax). */
#ifndef SYMBOLS_DISASM_ATT_H
#define SYMBOLS_DISASM_ATT_H

#include <capstone/capstone.h>
#include <stdbool.h>
#include <stdint.h>

struct disasm_att {
	char mnemonic[32];
	char ops[160];
	bool has_ref;		/* a rip-relative operand: ref is the address it reaches */
	uint64_t ref;
};

/* @branch_imm: the immediate operand is a jump or call target (printed as a bare address). */
void disasm_att__objdump(csh h, const cs_insn *in, bool branch_imm, struct disasm_att *a);

#endif
