/* One annotated symbol as the printers see it (instructions with their samples, source
 * lines, labels and targets), and its two layouts: perf annotate --stdio's text, with
 * optional terminal highlighting, and JSON. Internal to report/annotate/. */
#ifndef REPORT_ANNOTATE_PRINT_H
#define REPORT_ANNOTATE_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report/annotate/annotate.h"
#include "report/annotate/source.h"
#include "symbols/disasm.h"

struct annotate_line {
	const struct disasm_insn *insn;
	uint64_t nr_samples, period;
	double percent;
	const char *file, *dir;		/* source of the instruction; file NULL if unknown */
	int line;
	unsigned int discr;
	const char *func;		/* innermost function of the code (DWARF's), NULL if unknown */
	bool func_late;			/* objdump names it only from its second instruction on */		/* the line's DWARF discriminator (objdump -l prints it) */
	const char *src;		/* that line's text, NULL if the file is not readable */
	size_t src_len;
	unsigned int label;		/* > 0: a jump in this symbol lands here: ".L<label>" */
	unsigned int target_label;	/* > 0: jumps to ".L<n>" of this symbol */
	const char *target_sym;		/* jump/call elsewhere: that symbol (NULL if unknown);
					 * perf layout: every target, objdump's name */
	uint64_t target_off;
	const char *ref_sym;		/* perf layout: what a rip-relative operand reaches */
	uint64_t ref_off;
};

struct annotate_doc {
	const char *dso_name;		/* full DSO name */
	const char *sym_name;
	const char *event;
	uint64_t start, end;		/* DSO addresses of the symbol */
	uint64_t nr_samples, period;	/* the symbol's */
	const char *percent_type;	/* "local period", ... */
	const char *code_path;		/* file the bytes came from */
	const char *section;		/* the ELF section of start, NULL = unknown (".text") */
	struct annotate_line *lines;
	size_t nr_lines;
	size_t hottest;			/* index of the line with the most samples */
	struct annotate_src *src;	/* source files, for objdump -S's context lines */
	bool func_lines;		/* objdump -l names the code's functions ("name():") */
};

/* Print one symbol. 0 or -EIO. */
int annotate_print__stdio(const struct annotate_doc *d, const struct annotate_opts *o, FILE *f);
/* JSON: call with first = true for the first symbol; annotate_print__json_end() closes. */
int annotate_print__json(const struct annotate_doc *d, const struct annotate_opts *o, FILE *f,
			 bool first);
int annotate_print__json_end(FILE *f, bool any);

#endif
