/* Owns x86 AT&T text as GNU objdump prints it (perf annotate's disassembler), rebuilt from
 * capstone's decoded operands: no operand-size suffix where a register operand or the
 * instruction itself fixes the size ("mov %rsp,%rbp", "push %rbp", "call"), the suffix kept
 * where only memory and immediates are there ("movl $0x1,0x8(%rax)", "nopw"); numbers in
 * hex ("$0x8", "-0x8(%rbp)"), an encoded zero displacement kept ("0x0(%rax,%rax,1)"), the
 * scale always written with an index, no blank after commas; branch targets as the bare
 * address (the caller appends " <sym+0xoff>"); rip-relative operands report the address they
 * reach (objdump's "# addr <sym>" comment). Forms whose operands capstone does not list
 * (string instructions) keep capstone's text with objdump's separators. */
#include <capstone/capstone.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "symbols/disasm_att.h"

struct out {
	char *p;
	size_t cap, len;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->len >= o->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len = o->len + (size_t)n < o->cap ? o->len + (size_t)n : o->cap - 1;
}

static uint64_t size_mask(unsigned int size)
{
	return size >= 8 || !size ? ~0ULL : (1ULL << (size * 8)) - 1;
}

static void put_mem(struct out *o, csh h, const cs_x86_op *op, const cs_insn *in, bool *rip,
		    uint64_t *ref)
{
	const x86_op_mem *m = &op->mem;
	int64_t disp = m->disp;

	if (m->segment != X86_REG_INVALID && in->id != X86_INS_NOP)	/* nop: "cs nopw" */
		put(o, "%%%s:", cs_reg_name(h, m->segment));
	if (m->base == X86_REG_RIP || m->base == X86_REG_EIP) {
		*rip = true;
		*ref = in->address + in->size + (uint64_t)disp;
	}
	if (m->base == X86_REG_INVALID && m->index == X86_REG_INVALID)
		put(o, "0x%" PRIx64, (uint64_t)disp & size_mask(in->detail->x86.addr_size));
	else if (disp < 0)
		put(o, "-0x%" PRIx64, -(uint64_t)disp);
	else if (disp || in->detail->x86.encoding.disp_size)
		put(o, "0x%" PRIx64, (uint64_t)disp);
	if (m->base == X86_REG_INVALID && m->index == X86_REG_INVALID)
		return;
	put(o, "(");
	if (m->base != X86_REG_INVALID)
		put(o, "%%%s", cs_reg_name(h, m->base));
	if (m->index != X86_REG_INVALID)
		put(o, ",%%%s,%d", cs_reg_name(h, m->index), m->scale);
	put(o, ")");
}

static bool gpr64(csh h, const cs_x86_op *op)
{
	const char *r = op->type == X86_OP_REG ? cs_reg_name(h, op->reg) : NULL;
	size_t n = r ? strlen(r) : 0;

	return n && r[0] == 'r' && r[n - 1] != 'd' && r[n - 1] != 'w' && r[n - 1] != 'b';
}

static bool stack_or_branch(unsigned int id)
{
	switch (id) {
	case X86_INS_PUSH: case X86_INS_POP: case X86_INS_CALL: case X86_INS_JMP:
	case X86_INS_RET: case X86_INS_LEAVE: case X86_INS_PUSHF: case X86_INS_POPF:
	case X86_INS_LJMP: case X86_INS_LCALL: case X86_INS_IRET: case X86_INS_IRETQ:
		return true;
	default:
		return false;
	}
}

/* Operands written by capstone that its details leave out (rep stos, movs, ...): the
 * printed list has more entries than the decoded one. */
static unsigned int printed_operands(const char *s)
{
	unsigned int n = *s ? 1 : 0, depth = 0;

	for (; *s; s++) {
		if (*s == '(')
			depth++;
		else if (*s == ')')
			depth--;
		else if (*s == ',' && !depth)
			n++;
	}
	return n;
}

/* capstone's operand text with objdump's separators: no blank after a comma, and the scale
 * written with an index ("(%rsi,%rdx,1)", where capstone's EVEX forms print "(%rsi,%rdx)"). */
static void squeeze(struct out *o, const char *s)
{
	int commas = -1;	/* inside parentheses: the commas seen there */

	for (; *s; s++) {
		if (*s == ' ' && (s[-1] == ',' || s[1] == '{'))
			continue;
		if (*s == '(')
			commas = 0;
		else if (*s == ',' && commas >= 0)
			commas++;
		else if (*s == ')') {
			if (commas == 1)
				put(o, ",1");
			commas = -1;
		}
		put(o, "%c", *s);
	}
}

/* The string instructions as objdump writes them: implicit operands with their segments,
 * the suffix dropped where the accumulator gives the size. 0 when not one of them. */
static int string_insn(const cs_insn *in, const char *last, struct out *mo, struct out *oo)
{
	static const char *const acc[] = { "al", "ax", "eax", "rax" };
	static const struct {
		const char *name;
		const char *fmt;	/* %s: the accumulator */
		bool keep_suffix, cmp;
	} tab[] = {
		{ "stos", "%%%s,%%es:(%%rdi)", false, false },
		{ "lods", "%%ds:(%%rsi),%%%s", false, false },
		{ "scas", "%%es:(%%rdi),%%%s", false, true },
		{ "movs", "%%ds:(%%rsi),%%es:(%%rdi)", true, false },
		{ "cmps", "%%es:(%%rdi),%%ds:(%%rsi)", true, true },
	};
	const char *sfx = "bwlq", *w;
	uint8_t p0 = in->detail->x86.prefix[0];

	if (strlen(last) != 5 || !(w = strchr(sfx, last[4])) || !last[4])
		return 0;
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (strncmp(last, tab[i].name, 4))
			continue;
		if (p0 == 0xf3)
			put(mo, "%s ", tab[i].cmp ? "repz" : "rep");
		else if (p0 == 0xf2)
			put(mo, "repnz ");
		put(mo, "%s", tab[i].keep_suffix ? last : tab[i].name);
		put(oo, tab[i].fmt, acc[w - sfx]);
		return 1;
	}
	return 0;
}

/* Prefixes objdump names as words before a nop it pads with ("data16 cs nopw ..."). */
static void nop_prefixes(const cs_insn *in, struct out *mo)
{
	unsigned int n66 = 0;
	bool cs = false;

	for (unsigned int i = 0; i < in->size; i++) {
		if (in->bytes[i] == 0x66)
			n66++;
		else if (in->bytes[i] == 0x2e)
			cs = true;
		else
			break;
	}
	for (unsigned int i = 1; i < n66; i++)
		put(mo, "data16 ");
	if (cs)
		put(mo, "cs ");
}

/* x87 compares into EFLAGS (db/df e8-f7): objdump names the implicit %st after the operand
 * ("fucomi %st(1),%st"), capstone not */
static void x87_st_dest(const cs_insn *in, struct out *oo)
{
	if ((in->id == X86_INS_FCOMI || in->id == X86_INS_FCOMIP || in->id == X86_INS_FUCOMI ||
	     in->id == X86_INS_FUCOMIP) && oo->len && !memchr(oo->p, ',', oo->len))
		put(oo, ",%%st");
}

void disasm_att__objdump(csh h, const cs_insn *in, bool branch_imm, struct disasm_att *a)
{
	const cs_x86 *x = &in->detail->x86;
	const char *base = cs_insn_name(h, in->id), *last;
	struct out mo = { a->mnemonic, sizeof(a->mnemonic), 0 }, oo = { a->ops, sizeof(a->ops), 0 };
	bool has_reg = false;
	size_t blen = base ? strlen(base) : 0, llen;

	a->mnemonic[0] = a->ops[0] = 0;
	a->has_ref = false;
	for (unsigned int i = 0; i < x->op_count; i++)
		has_reg |= x->operands[i].type == X86_OP_REG;
	/* cvtsi2sd from memory: the suffix gives the integer's size, the xmm register not */
	if (!strncmp(in->mnemonic, "cvtsi2", 6) && x->op_count && x->operands[0].type != X86_OP_REG)
		has_reg = false;
	/* the last word is the instruction ("rep stosq", "lock cmpxchgl") */
	last = strrchr(in->mnemonic, ' ');
	last = last ? last + 1 : in->mnemonic;
	llen = strlen(last);
	if (string_insn(in, last, &mo, &oo))
		return;
	if (in->size == 2 && in->bytes[0] == 0x66 && in->bytes[1] == 0x90) {
		put(&mo, "xchg");
		put(&oo, "%%ax,%%ax");
		return;
	}
	if (in->id == X86_INS_NOP)
		nop_prefixes(in, &mo);
	/* CET's notrack (3e) on an indirect jump or call */
	if ((in->id == X86_INS_JMP || in->id == X86_INS_CALL) && x->prefix[1] == 0x3e &&
	    x->op_count == 1 && x->operands[0].type != X86_OP_IMM)
		put(&mo, "notrack ");
	put(&mo, "%.*s", (int)(last - in->mnemonic), in->mnemonic);
	if (!strcmp(last, "movd") && x->op_count == 2 && (gpr64(h, &x->operands[0]) ||
							   gpr64(h, &x->operands[1])))
		put(&mo, "movq");	/* REX.W movd: objdump's movq */
	else if (base && llen == blen + 1 && !strncmp(last, base, blen) && strchr("bwlq", last[blen]) &&
	    (has_reg || stack_or_branch(in->id)))
		put(&mo, "%s", base);
	else
		put(&mo, "%s", last);
	if (printed_operands(in->op_str) != x->op_count) {
		squeeze(&oo, in->op_str);
		x87_st_dest(in, &oo);
		return;
	}
	for (unsigned int i = 0; i < x->op_count; i++) {
		unsigned int k = i;
		const cs_x86_op *op;

		/* xchg's one-byte forms (0x91-0x97): objdump puts the accumulator first */
		if (in->id == X86_INS_XCHG && x->op_count == 2 && x->opcode[0] >= 0x91 &&
		    x->opcode[0] <= 0x97)
			k = 1 - i;
		op = &x->operands[k];
		/* shifts and rotates by one (d0/d1): objdump shows no count */
		if (op->type == X86_OP_IMM && (x->opcode[0] == 0xd0 || x->opcode[0] == 0xd1))
			continue;
		if (oo.len)
			put(&oo, ",");
		if (op->type == X86_OP_REG) {
			put(&oo, "%%%s", cs_reg_name(h, op->reg));
		} else if (op->type == X86_OP_IMM && branch_imm) {
			put(&oo, "%" PRIx64, (uint64_t)op->imm);
		} else if (op->type == X86_OP_IMM) {
			put(&oo, "$0x%" PRIx64, (uint64_t)op->imm & size_mask(op->size));
		} else if (op->type == X86_OP_MEM) {
			/* indirect calls and jumps: objdump's '*' */
			if (stack_or_branch(in->id) && in->id != X86_INS_PUSH && in->id != X86_INS_POP)
				put(&oo, "*");
			put_mem(&oo, h, op, in, &a->has_ref, &a->ref);
		}
	}
	if (x->op_count == 1 && x->operands[0].type == X86_OP_REG &&
	    (in->id == X86_INS_CALL || in->id == X86_INS_JMP)) {
		/* "call *%rax" */
		oo.len = 0;
		put(&oo, "*%%%s", cs_reg_name(h, x->operands[0].reg));
	}
	x87_st_dest(in, &oo);
}
