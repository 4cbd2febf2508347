/* Owns the capstone handle: architecture and syntax selection, decoding with details on
 * (instruction groups, immediate operands) to classify jumps, calls and returns, and the
 * recovery from undecodable bytes. */
#include <capstone/capstone.h>
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "symbols/disasm.h"
#include "symbols/disasm_att.h"
#include "util/array.h"

struct disasm {
	csh h;
	cs_arch arch;
	cs_mode mode;
	bool objdump;		/* DISASM_ATT_OBJDUMP */
	cs_insn *insn;
};

struct disasm *disasm__new(unsigned int e_machine, unsigned int elf_class, enum disasm_syntax syntax,
			   int *err)
{
	struct disasm *d;
	cs_mode mode;
	cs_arch arch;

	switch (e_machine) {
	case EM_X86_64:
		arch = CS_ARCH_X86;
		mode = elf_class == ELFCLASS32 ? CS_MODE_32 : CS_MODE_64;
		break;
	case EM_386:
		arch = CS_ARCH_X86;
		mode = CS_MODE_32;
		break;
	case EM_AARCH64:
		arch = CS_ARCH_ARM64;
		mode = CS_MODE_ARM;
		break;
	default:
		*err = -EPROTONOSUPPORT;
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		*err = -ENOMEM;
		return NULL;
	}
	d->arch = arch;
	d->mode = mode;
	d->objdump = syntax == DISASM_ATT_OBJDUMP && arch == CS_ARCH_X86;
	if (cs_open(arch, mode, &d->h) != CS_ERR_OK) {
		free(d);
		*err = -EINVAL;
		return NULL;
	}
	if (arch == CS_ARCH_X86)
		cs_option(d->h, CS_OPT_SYNTAX, syntax == DISASM_INTEL ? CS_OPT_SYNTAX_INTEL : CS_OPT_SYNTAX_ATT);
	cs_option(d->h, CS_OPT_DETAIL, CS_OPT_ON);
	d->insn = cs_malloc(d->h);
	if (!d->insn) {
		disasm__free(d);
		*err = -ENOMEM;
		return NULL;
	}
	return d;
}

void disasm__free(struct disasm *d)
{
	if (!d)
		return;
	if (d->insn)
		cs_free(d->insn, 1);
	if (d->h)
		cs_close(&d->h);
	free(d);
}

static bool in_group(const cs_insn *in, unsigned int g)
{
	for (unsigned int i = 0; i < in->detail->groups_count; i++)
		if (in->detail->groups[i] == g)
			return true;
	return false;
}

static void classify(const struct disasm *d, const cs_insn *in, struct disasm_insn *out)
{
	out->kind = DISASM_OTHER;
	if (!in->detail)
		return;
	if (in_group(in, CS_GRP_CALL))
		out->kind = DISASM_CALL;
	else if (in_group(in, CS_GRP_RET) || in_group(in, CS_GRP_IRET))
		out->kind = DISASM_RET;
	else if (in_group(in, CS_GRP_JUMP))
		out->kind = DISASM_JUMP;
	if (out->kind != DISASM_JUMP && out->kind != DISASM_CALL)
		return;
	if (d->arch == CS_ARCH_X86) {
		const cs_x86 *x = &in->detail->x86;

		if (x->op_count == 1 && x->operands[0].type == X86_OP_IMM) {
			out->has_target = true;
			out->target = (uint64_t)x->operands[0].imm;
		}
	} else if (d->arch == CS_ARCH_ARM64) {
		const cs_arm64 *a = &in->detail->arm64;

		/* b, bl, b.cond, cbz/cbnz, tbz/tbnz: the target is the last immediate */
		for (int i = a->op_count - 1; i >= 0; i--) {
			if (a->operands[i].type == ARM64_OP_IMM) {
				out->has_target = true;
				out->target = (uint64_t)a->operands[i].imm;
				break;
			}
		}
	}
}

/* Length of a VEX/EVEX-encoded x86-64 instruction at p (legacy prefixes first), 0 if
 * it is not one. capstone 4 does not know every AVX-512 instruction (glibc's EVEX string
 * functions use some); stepping over such an instruction whole, rather than a byte at a
 * time, keeps the instructions after it at their real addresses. */
static size_t vex_len(const uint8_t *p, size_t left)
{
	size_t i = 0, need;
	unsigned int map, op, modrm, mod, rm;
	bool imm;

	while (i < left && i < 4 && (p[i] == 0x66 || p[i] == 0x67 || p[i] == 0xf2 || p[i] == 0xf3 ||
				     p[i] == 0x2e || p[i] == 0x36 || p[i] == 0x3e || p[i] == 0x26 ||
				     p[i] == 0x64 || p[i] == 0x65))
		i++;
	if (i >= left)
		return 0;
	switch (p[i]) {
	case 0xc5:
		need = 3;
		if (left - i < need)
			return 0;
		map = 1;
		op = p[i + 2];
		break;
	case 0xc4:
		need = 4;
		if (left - i < need)
			return 0;
		map = p[i + 1] & 0x1f;
		op = p[i + 3];
		break;
	case 0x62:
		need = 5;
		if (left - i < need)
			return 0;
		map = p[i + 1] & 0x07;
		op = p[i + 4];
		break;
	default:
		return 0;
	}
	if (map < 1 || map > 6)
		return 0;
	i += need;
	if (map == 1 && op == 0x77 && p[i - need] != 0x62)
		return i;			/* vzeroupper / vzeroall: no ModRM */
	imm = map == 3 || (map == 1 && ((op >= 0x70 && op <= 0x73) || op == 0xc2 ||
					(op >= 0xc4 && op <= 0xc6)));
	if (i >= left)
		return 0;
	modrm = p[i++];
	mod = modrm >> 6;
	rm = modrm & 7;
	if (mod != 3) {
		if (rm == 4) {
			if (i >= left)
				return 0;
			if (mod == 0 && (p[i] & 7) == 5)
				i += 4;
			i++;			/* SIB */
		} else if (mod == 0 && rm == 5) {
			i += 4;			/* RIP-relative */
		}
		i += mod == 1 ? 1 : mod == 2 ? 4 : 0;
	}
	i += imm;
	return i <= left && i <= 15 ? i : 0;
}

static void copy_str(char *dst, size_t cap, const char *src)
{
	size_t l = strlen(src);

	if (l >= cap)
		l = cap - 1;
	memcpy(dst, src, l);
	dst[l] = '\0';
}

ssize_t disasm__decode(struct disasm *d, const uint8_t *code, size_t len, uint64_t addr,
		       struct disasm_insn **out)
{
	struct disasm_insn *v = NULL;
	size_t n = 0, cap = 0;
	const uint8_t *p = code;
	size_t left = len;
	uint64_t a = addr;

	*out = NULL;
	while (left) {
		struct disasm_insn *di;
		size_t step;

		if (ARRAY_GROW(v, cap, n + 1)) {
			free(v);
			return -ENOMEM;
		}
		di = &v[n++];
		memset(di, 0, sizeof(*di));
		di->addr = a;
		if (cs_disasm_iter(d->h, &p, &left, &a, d->insn)) {
			const cs_insn *in = d->insn;

			di->size = (uint8_t)(in->size < DISASM_MAX_BYTES ? in->size : DISASM_MAX_BYTES);
			memcpy(di->bytes, in->bytes, di->size);
			copy_str(di->mnemonic, sizeof(di->mnemonic), in->mnemonic);
			copy_str(di->ops, sizeof(di->ops), in->op_str);
			classify(d, in, di);
			if (d->objdump && in->detail) {
				struct disasm_att att;

				disasm_att__objdump(d->h, in, di->has_target, &att);
				memcpy(di->mnemonic, att.mnemonic, sizeof(di->mnemonic));
				memcpy(di->ops, att.ops, sizeof(di->ops));
				di->has_ref = att.has_ref;
				di->ref = att.ref;
			}
			continue;
		}
		/* capstone stops at bytes it cannot decode: skip the instruction when its length
		 * is known (VEX/EVEX, arm64's fixed words), else one byte */
		step = 0;
		if (d->arch == CS_ARCH_ARM64)
			step = left >= 4 ? 4 : left;
		else if (d->mode == CS_MODE_64)
			step = vex_len(p, left);
		if (!step)
			step = 1;
		di->bad = true;
		di->size = (uint8_t)step;
		memcpy(di->bytes, p, step);
		strcpy(di->mnemonic, "(bad)");
		p += step;
		left -= step;
		a += step;
	}
	*out = v;
	return (ssize_t)n;
}

int disasm__parse_syntax(const char *s, enum disasm_syntax *syntax)
{
	char buf[128], *tok, *save = NULL;
	int found = 0;

	if (!s || strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	*syntax = DISASM_ATT;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "att") || !strcmp(tok, "att-mnemonic"))
			*syntax = DISASM_ATT;
		else if (!strcmp(tok, "intel") || !strcmp(tok, "intel-mnemonic"))
			*syntax = DISASM_INTEL;
		else if (strcmp(tok, "x86-64") && strcmp(tok, "i386") && strcmp(tok, "suffix"))
			return -EINVAL;
		found = 1;
	}
	return found ? 0 : -EINVAL;
}

void disasm__version(int *major, int *minor)
{
	cs_version(major, minor);
}
