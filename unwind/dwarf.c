/* Owns the libdw backend: CFI from .eh_frame (dwarf_getcfi_elf) and .debug_frame (own or
 * separate debug file) parsed once per DSO by libdw, the register rules of each code address
 * turned into a compact row and cached per DSO, and our own evaluation of those rows on the
 * sample's registers and stack copy. Rules libdw gives as general expressions (signal
 * frames, PLT stubs, realigned stacks) keep libdw's frame and go through a small DWARF
 * expression evaluator. */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "symbols/dso.h"
#include "unwind/internal.h"
#include "util/array.h"
#include "util/hash.h"
#include "util/htab.h"
#include "util/log.h"

enum { R_UNDEF, R_SAME, R_OFFSET, R_VAL_OFFSET, R_REG };
enum { ROW_OK, ROW_NOCFI, ROW_COMPLEX };
/* what the step functions return when the return address is undefined: the outermost
 * frame (UNWIND_COMPLETE is 0, which they use for "stepped") */
#define STEP_END 100

struct rule {
	uint8_t kind, reg;
	int32_t off;
};

struct row {
	uint64_t vaddr;			/* DSO address */
	Dwarf_Frame *frame;		/* ROW_COMPLEX: libdw's frame, evaluated each time */
	uint8_t state, signal, cfa_reg;
	int32_t cfa_off;
	struct rule r[17];
};

struct cfi_dso {
	Dwarf_CFI *eh;			/* .eh_frame of the file */
	Dwarf *dw;			/* for .debug_frame: the debug file, else the file */
	Dwarf_CFI *dbg;
	struct row *rows;		/* in the order first asked for */
	size_t nr, cap;
	struct htab by_vaddr;		/* hash_u64(vaddr) -> index + 1 in rows */
};

struct walk {
	const struct pd_sample *s;
	uint64_t sp0;
	bool cut_seen;			/* a saved register lay beyond the copy */
};

static void cfi_dso_free(void *p)
{
	struct cfi_dso *c = p;

	for (size_t i = 0; i < c->nr; i++)
		free(c->rows[i].frame);
	free(c->rows);
	htab__exit(&c->by_vaddr);
	if (c->eh)
		dwarf_cfi_end(c->eh);
	if (c->dw)
		dwarf_end(c->dw);
	free(c);
}

static struct cfi_dso *cfi_dso_get(struct udso *u)
{
	struct cfi_dso *c = u->priv;

	if (c || !u->ok)
		return c;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->eh = dwarf_getcfi_elf(u->file.elf);
	c->dw = dwarf_begin_elf(u->dbg.elf ? u->dbg.elf : u->file.elf, DWARF_C_READ, NULL);
	if (c->dw)
		c->dbg = dwarf_getcfi(c->dw);
	if (!c->eh && !c->dbg)
		pr_debug("unwind: %s has no CFI", u->dso->name);
	u->priv = c;
	return c;
}

/* A register rule in compact form; false when only the general expression will do. */
static bool conv_rule(Dwarf_Frame *f, int regno, struct rule *out)
{
	Dwarf_Op mem[3], *ops = NULL;
	size_t nops = 0, i = 1;
	uint64_t off = 0;
	bool val = false;

	if (dwarf_frame_register(f, regno, mem, &ops, &nops))
		return false;
	/* libdw: no ops and no pointer is "same value", no ops at ops_mem is "undefined" */
	if (nops == 0) {
		out->kind = ops ? R_UNDEF : R_SAME;
		return true;
	}
	if (ops[0].atom == DW_OP_call_frame_cfa) {
		if (i < nops && ops[i].atom == DW_OP_plus_uconst)
			off = ops[i++].number;
		if (i < nops && ops[i].atom == DW_OP_stack_value) {
			val = true;
			i++;
		}
		if (i == nops && (int64_t)off == (int32_t)off) {
			out->kind = val ? R_VAL_OFFSET : R_OFFSET;
			out->off = (int32_t)off;
			return true;
		}
		return false;
	}
	if (nops == 2 && ops[0].atom == DW_OP_bregx && ops[0].number < 17 && ops[0].number2 == 0 &&
	    ops[1].atom == DW_OP_stack_value) {
		out->kind = R_REG;
		out->reg = (uint8_t)ops[0].number;
		return true;
	}
	return false;
}

static void fill_row(struct cfi_dso *c, uint64_t vaddr, struct row *row)
{
	Dwarf_Frame *f = NULL;
	Dwarf_Op *ops;
	size_t nops;
	bool sig = false;

	row->state = ROW_NOCFI;
	if (!(c->eh && dwarf_cfi_addrframe(c->eh, vaddr, &f) == 0) &&
	    !(c->dbg && dwarf_cfi_addrframe(c->dbg, vaddr, &f) == 0))
		return;
	dwarf_frame_info(f, NULL, NULL, &sig);
	row->signal = sig;
	row->state = ROW_OK;
	if (dwarf_frame_cfa(f, &ops, &nops) == 0 && nops == 1 && ops[0].atom == DW_OP_bregx &&
	    ops[0].number < 17 && (int64_t)ops[0].number2 == (int32_t)ops[0].number2) {
		row->cfa_reg = (uint8_t)ops[0].number;
		row->cfa_off = (int32_t)ops[0].number2;
	} else {
		row->state = ROW_COMPLEX;
	}
	for (int r = 0; r < 17 && row->state == ROW_OK; r++)
		if (!conv_rule(f, r, &row->r[r]))
			row->state = ROW_COMPLEX;
	if (row->state == ROW_COMPLEX)
		row->frame = f;
	else
		free(f);
}

/* The row of @vaddr, made on first use. The pointer lives until the next call. */
static const struct row *get_row(struct cfi_dso *c, uint64_t vaddr)
{
	uint64_t h = hash_u64(vaddr);
	struct htab_slot *s;
	struct row *row;
	size_t pos;

	htab__for_each_hash(&c->by_vaddr, h, s, pos)
		if (c->rows[s->val - 1].vaddr == vaddr)
			return &c->rows[s->val - 1];
	if (ARRAY_GROW(c->rows, c->cap, c->nr + 1) || htab__insert(&c->by_vaddr, h, c->nr + 1))
		return NULL;
	row = &c->rows[c->nr++];
	*row = (struct row){ .vaddr = vaddr };
	fill_row(c, vaddr, row);
	return row;
}

/* ---- the general DWARF expression evaluator (complex rows only) ---- */

static int eval_ops(const Dwarf_Op *ops, size_t nops, uint64_t cfa, bool have_cfa,
		    const uint64_t regs[17], uint32_t valid, struct walk *w, uint64_t *out,
		    bool *is_value)
{
	uint64_t st[16];
	int sp = 0;

	*is_value = false;
#define PUSH(v) do { uint64_t v_ = (v); if (sp >= 16) return UNWIND_BAD; st[sp] = v_; sp++; } while (0)
#define NEED(k) do { if (sp < (k)) return UNWIND_BAD; } while (0)
	for (size_t i = 0; i < nops; i++) {
		const Dwarf_Op *o = &ops[i];
		uint8_t a = o->atom;
		uint64_t x;

		if (a >= DW_OP_lit0 && a <= DW_OP_lit31) {
			PUSH((uint64_t)(a - DW_OP_lit0));
			continue;
		}
		if ((a >= DW_OP_breg0 && a <= DW_OP_breg31) || a == DW_OP_bregx) {
			uint64_t r = a == DW_OP_bregx ? o->number : (uint64_t)(a - DW_OP_breg0);
			uint64_t add = a == DW_OP_bregx ? o->number2 : o->number;

			if (r >= 17 || !(valid & (1u << r)))
				return w->cut_seen ? UNWIND_CUT : UNWIND_BAD;
			PUSH(regs[r] + add);
			continue;
		}
		switch (a) {
		case DW_OP_call_frame_cfa:
			if (!have_cfa)
				return UNWIND_BAD;
			PUSH(cfa);
			break;
		case DW_OP_const1u: case DW_OP_const2u: case DW_OP_const4u: case DW_OP_const8u:
		case DW_OP_const1s: case DW_OP_const2s: case DW_OP_const4s: case DW_OP_const8s:
		case DW_OP_constu: case DW_OP_consts:
			PUSH(o->number);
			break;
		case DW_OP_plus_uconst:
			NEED(1);
			st[sp - 1] += o->number;
			break;
		case DW_OP_deref:
			NEED(1);
			if (!unwind__stack_read(w->s, w->sp0, st[sp - 1], &x))
				return unwind__read_fail(w->s, w->sp0, st[sp - 1]);
			st[sp - 1] = x;
			break;
		case DW_OP_dup:
			NEED(1);
			PUSH(st[sp - 1]);
			break;
		case DW_OP_drop:
			NEED(1);
			sp--;
			break;
		case DW_OP_over:
			NEED(2);
			PUSH(st[sp - 2]);
			break;
		case DW_OP_swap:
			NEED(2);
			x = st[sp - 1];
			st[sp - 1] = st[sp - 2];
			st[sp - 2] = x;
			break;
		case DW_OP_neg:
			NEED(1);
			st[sp - 1] = -st[sp - 1];
			break;
		case DW_OP_not:
			NEED(1);
			st[sp - 1] = ~st[sp - 1];
			break;
		case DW_OP_and: case DW_OP_or: case DW_OP_xor: case DW_OP_plus: case DW_OP_minus:
		case DW_OP_mul: case DW_OP_shl: case DW_OP_shr: case DW_OP_shra:
		case DW_OP_ge: case DW_OP_gt: case DW_OP_le: case DW_OP_lt: case DW_OP_eq: case DW_OP_ne: {
			uint64_t b, c;

			NEED(2);
			b = st[--sp];
			c = st[sp - 1];
			switch (a) {
			case DW_OP_and: c &= b; break;
			case DW_OP_or: c |= b; break;
			case DW_OP_xor: c ^= b; break;
			case DW_OP_plus: c += b; break;
			case DW_OP_minus: c -= b; break;
			case DW_OP_mul: c *= b; break;
			case DW_OP_shl: c = b < 64 ? c << b : 0; break;
			case DW_OP_shr: c = b < 64 ? c >> b : 0; break;
			case DW_OP_shra: c = (uint64_t)((int64_t)c >> (b < 64 ? b : 63)); break;
			case DW_OP_ge: c = (int64_t)c >= (int64_t)b; break;
			case DW_OP_gt: c = (int64_t)c > (int64_t)b; break;
			case DW_OP_le: c = (int64_t)c <= (int64_t)b; break;
			case DW_OP_lt: c = (int64_t)c < (int64_t)b; break;
			case DW_OP_eq: c = c == b; break;
			case DW_OP_ne: c = c != b; break;
			}
			st[sp - 1] = c;
			break;
		}
		case DW_OP_stack_value:
			*is_value = true;
			break;
		default:
			return UNWIND_BAD;
		}
	}
#undef PUSH
#undef NEED
	if (!sp)
		return UNWIND_BAD;
	*out = st[sp - 1];
	return 0;
}

static bool callee_saved(int r)
{
	return r == 3 || r == 6 || (r >= 12 && r <= 15);
}

/* The caller's registers found (the return address among them: else UNWIND_BAD), its stack
 * pointer the CFA, become the current ones. */
static int commit_step(uint64_t regs[17], uint32_t *valid, uint64_t nregs[17], uint32_t nvalid,
		       uint64_t cfa)
{
	if (!(nvalid & (1u << UNWIND_DWARF_RIP)))
		return UNWIND_BAD;
	nregs[UNWIND_DWARF_RSP] = cfa;
	nvalid |= 1u << UNWIND_DWARF_RSP;
	memcpy(regs, nregs, 17 * sizeof(*regs));
	*valid = nvalid;
	return 0;
}

/* Caller's registers from a complex row; 0 or a stop reason. */
static int step_complex(const struct row *row, uint64_t regs[17], uint32_t *valid, struct walk *w)
{
	uint64_t nregs[17] = { 0 }, cfa, v;
	uint32_t nvalid = 0;
	Dwarf_Op *ops, mem[3];
	size_t nops;
	bool isval;
	int ret;

	if (dwarf_frame_cfa(row->frame, &ops, &nops))
		return UNWIND_BAD;
	ret = eval_ops(ops, nops, 0, false, regs, *valid, w, &cfa, &isval);
	if (ret)
		return ret;
	for (int r = 0; r < 17; r++) {
		if (dwarf_frame_register(row->frame, r, mem, &ops, &nops))
			continue;
		if (nops == 0 && ops && r == UNWIND_DWARF_RIP)
			return STEP_END;
		if (nops == 0 && ops && !callee_saved(r))
			continue;
		if (nops == 0) {
			nregs[r] = regs[r];
			nvalid |= *valid & (1u << r);
			continue;
		}
		ret = eval_ops(ops, nops, cfa, true, regs, *valid, w, &v, &isval);
		if (!ret && !isval && !unwind__stack_read(w->s, w->sp0, v, &v))
			ret = unwind__read_fail(w->s, w->sp0, v);
		if (ret) {
			if (r == UNWIND_DWARF_RIP)
				return ret;
			w->cut_seen |= ret == UNWIND_CUT;
			continue;
		}
		nregs[r] = v;
		nvalid |= 1u << r;
	}
	return commit_step(regs, valid, nregs, nvalid, cfa);
}

/* Caller's registers from a compact row; 0 or a stop reason. */
static int step_row(const struct row *row, uint64_t regs[17], uint32_t *valid, struct walk *w)
{
	uint64_t nregs[17], cfa;
	uint32_t nvalid = 0;

	if (row->state == ROW_COMPLEX)
		return step_complex(row, regs, valid, w);
	if (!(*valid & (1u << row->cfa_reg)))
		return w->cut_seen ? UNWIND_CUT : UNWIND_BAD;
	cfa = regs[row->cfa_reg] + (int64_t)row->cfa_off;
	for (int r = 0; r < 17; r++) {
		const struct rule *ru = &row->r[r];
		uint64_t v;

		switch (ru->kind) {
		case R_UNDEF:
			if (r == UNWIND_DWARF_RIP)
				return STEP_END;
			/* .debug_frame read without the ABI's defaults: callee-saved stay */
			if (!callee_saved(r))
				continue;
			/* fallthrough */
		case R_SAME:
			nregs[r] = regs[r];
			nvalid |= *valid & (1u << r);
			continue;
		case R_OFFSET:
			if (!unwind__stack_read(w->s, w->sp0, cfa + (int64_t)ru->off, &v)) {
				int why = unwind__read_fail(w->s, w->sp0, cfa + (int64_t)ru->off);

				if (r == UNWIND_DWARF_RIP)
					return why;
				w->cut_seen |= why == UNWIND_CUT;
				continue;
			}
			break;
		case R_VAL_OFFSET:
			v = cfa + (int64_t)ru->off;
			break;
		case R_REG:
			if (!(*valid & (1u << ru->reg)))
				continue;
			v = regs[ru->reg];
			break;
		default:
			continue;
		}
		nregs[r] = v;
		nvalid |= 1u << r;
	}
	return commit_step(regs, valid, nregs, nvalid, cfa);
}


/* A lazy PLT slot's first instruction (jmp *GOT(%rip); push $n; jmp .plt), which linkers
 * such as lld give no CFI: nothing is pushed yet, the return address is at the top of the
 * stack (libunwind's rule, which perf's unwinding follows). One step over it; false if the
 * code there is not such a slot. */
static bool plt_entry_step(const struct udso *ud, uint64_t vaddr, const struct pd_sample *s,
			   uint64_t sp0, uint64_t regs[17], uint32_t *valid)
{
	uint8_t b[16];
	uint64_t ra, sp = regs[UNWIND_DWARF_RSP];

	if (!udso__read(ud, vaddr, b, sizeof(b)) || b[0] != 0xff || b[1] != 0x25 || b[6] != 0x68 ||
	    b[11] != 0xe9 || !unwind__stack_read(s, sp0, sp, &ra))
		return false;
	regs[UNWIND_DWARF_RIP] = ra;
	regs[UNWIND_DWARF_RSP] = sp + 8;
	*valid |= 1u << UNWIND_DWARF_RIP | 1u << UNWIND_DWARF_RSP;
	return true;
}

static int ldw_unwind(struct unwinder *u, const struct maps *maps, const struct pd_sample *s,
		      uint64_t *ips, int max, struct unwind_result *res)
{
	uint64_t regs[17];
	uint32_t valid = unwind__sample_regs(s, regs);
	struct walk w = { .s = s };
	bool activation = true;
	int n = 0, why = UNWIND_BAD;
	uint64_t pc;

	if (!(valid & (1u << UNWIND_DWARF_RIP)) || !(valid & (1u << UNWIND_DWARF_RSP)))
		return 0;
	w.sp0 = regs[UNWIND_DWARF_RSP];
	pc = regs[UNWIND_DWARF_RIP];
	ips[n++] = pc;
	for (;;) {
		const struct map *m = maps__find(maps, pc);
		const struct row *row = NULL;
		struct udso *ud;
		uint64_t old_sp = regs[UNWIND_DWARF_RSP];

		if (!m || !(m->prot & 4 /* PROT_EXEC */)) {
			why = UNWIND_NO_MAP;
			res->stop_dso = m ? m->dso : NULL;
			break;
		}
		res->stop_dso = m->dso;
		if (n >= max) {
			why = UNWIND_MAX_DEPTH;
			break;
		}
		ud = udsos__get(&u->dsos, m->dso);
		if (ud && ud->ok) {
			struct cfi_dso *c = cfi_dso_get(ud);

			if (c)
				row = get_row(c, udso__vaddr(m, activation ? pc : pc - 1));
		}
		if ((!row || row->state == ROW_NOCFI) && ud && ud->ok &&
		    plt_entry_step(ud, udso__vaddr(m, pc), s, w.sp0, regs, &valid)) {
			res->nr_fp++;
			activation = false;
		} else if (!row || row->state == ROW_NOCFI) {
			/* hybrid: one frame-pointer step over code without CFI */
			why = unwind__fp_step(maps, s, w.sp0, regs, &valid);
			if (why) {
				if (why == UNWIND_NO_CFI && (!ud || !ud->ok) &&
				    (m->dso->kind == DSO_USER || m->dso->kind == DSO_VDSO))
					why = UNWIND_NO_FILE;
				break;
			}
			res->nr_fp++;
			activation = false;
		} else {
			bool sig = row->signal;

			why = step_row(row, regs, &valid, &w);
			if (why == STEP_END) {
				why = UNWIND_COMPLETE;
				break;
			}
			if (why)
				break;
			if (regs[UNWIND_DWARF_RSP] <= old_sp && !sig) {
				why = UNWIND_BAD;
				break;
			}
			activation = sig;
		}
		pc = regs[UNWIND_DWARF_RIP];
		if (!pc) {
			why = UNWIND_COMPLETE;
			break;
		}
		ips[n++] = activation ? pc : pc - 1;
	}
	res->nr = n;
	res->stop = why;
	return n;
}

const struct unwind_ops unwind_libdw_ops = {
	.name = "libdw",
	.dso_free = cfi_dso_free,
	.unwind = ldw_unwind,
};
