/* Unit tests of annotation's parts: the capstone wrapper (text, jump/call/ret kinds and
 * targets, Intel syntax, undecodable bytes and the VEX/EVEX length fallback), the sample
 * sums (per instruction address, per event, perf's order of symbols), the code bytes of a
 * DSO (this test's own executable against its bytes in memory; a kcore-like core file
 * with KASLR delta; a vmlinux with the wrong build-id), source lines, and the printers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perfdata/reader.h"
#include "report/annotate/hist.h"
#include "report/annotate/print.h"
#include "report/annotate/source.h"
#include "report/annotate/annotate.h"
#include "symbols/disasm_code.h"
#include "symbols/disasm.h"
#include "symbols/dso.h"

static ssize_t decode(enum disasm_syntax syn, const uint8_t *code, size_t len, uint64_t addr,
		      struct disasm_insn **out)
{
	int err = 0;
	struct disasm *d = disasm__new(EM_X86_64, ELFCLASS64, syn, &err);
	ssize_t n;

	assert_non_null(d);
	n = disasm__decode(d, code, len, addr, out);
	disasm__free(d);
	return n;
}

static void test_disasm_att_kinds(void **state)
{
	/* push %rbp; mov %rsp,%rbp; jne -5 (back to 0x1001); call +0; ret; jmp *%rax */
	static const uint8_t code[] = { 0x55, 0x48, 0x89, 0xe5, 0x75, 0xfb, 0xe8, 0x00, 0x00, 0x00, 0x00,
					0xc3, 0xff, 0xe0 };
	struct disasm_insn *in;
	ssize_t n;

	(void)state;
	n = decode(DISASM_ATT, code, sizeof(code), 0x1000, &in);
	assert_int_equal(n, 6);
	assert_string_equal(in[0].mnemonic, "pushq");
	assert_string_equal(in[0].ops, "%rbp");
	assert_int_equal(in[0].kind, DISASM_OTHER);
	assert_string_equal(in[1].mnemonic, "movq");
	assert_string_equal(in[1].ops, "%rsp, %rbp");
	assert_int_equal(in[1].addr, 0x1001);
	assert_int_equal(in[1].size, 3);
	assert_memory_equal(in[1].bytes, code + 1, 3);
	assert_int_equal(in[2].kind, DISASM_JUMP);
	assert_true(in[2].has_target);
	assert_int_equal(in[2].target, 0x1001);
	assert_int_equal(in[3].kind, DISASM_CALL);
	assert_int_equal(in[3].target, 0x100b);
	assert_int_equal(in[4].kind, DISASM_RET);
	assert_int_equal(in[5].kind, DISASM_JUMP);
	assert_false(in[5].has_target);	/* indirect */
	free(in);
}

static void test_disasm_intel(void **state)
{
	static const uint8_t code[] = { 0x48, 0x89, 0xe5 };
	struct disasm_insn *in;

	(void)state;
	assert_int_equal(decode(DISASM_INTEL, code, sizeof(code), 0, &in), 1);
	assert_string_equal(in[0].mnemonic, "mov");
	assert_string_equal(in[0].ops, "rbp, rsp");
	free(in);
}

static void test_disasm_bad_and_evex(void **state)
{
	/* an EVEX vpcmpb capstone 4 may not know, then ret; then a lone 0x06 (invalid in
	 * 64-bit mode) and nop */
	static const uint8_t code[] = { 0x62, 0xf3, 0x7d, 0x20, 0x3f, 0x07, 0x00, 0xc3, 0x06, 0x90 };
	struct disasm_insn *in;
	ssize_t n;

	(void)state;
	n = decode(DISASM_ATT, code, sizeof(code), 0x100, &in);
	assert_int_equal(n, 4);
	assert_int_equal(in[0].size, 7);	/* decoded, or skipped whole: never by the byte */
	assert_int_equal(in[1].addr, 0x107);
	assert_string_equal(in[1].mnemonic, "retq");
	assert_true(in[2].bad);
	assert_string_equal(in[2].mnemonic, "(bad)");
	assert_int_equal(in[2].size, 1);
	assert_int_equal(in[3].addr, 0x109);
	assert_string_equal(in[3].mnemonic, "nop");
	free(in);
}

static void test_disasm_syntax_and_machines(void **state)
{
	enum disasm_syntax s;
	int err = 0;

	(void)state;
	assert_int_equal(disasm__parse_syntax("intel", &s), 0);
	assert_int_equal(s, DISASM_INTEL);
	assert_int_equal(disasm__parse_syntax("att", &s), 0);
	assert_int_equal(s, DISASM_ATT);
	assert_int_equal(disasm__parse_syntax("intel,x86-64", &s), 0);
	assert_int_equal(s, DISASM_INTEL);
	assert_int_equal(disasm__parse_syntax("masm", &s), -EINVAL);
	assert_int_equal(disasm__parse_syntax("", &s), -EINVAL);
	assert_null(disasm__new(EM_SPARC, ELFCLASS64, DISASM_ATT, &err));
	assert_int_equal(err, -EPROTONOSUPPORT);
}

static void test_hist(void **state)
{
	struct pd_evsel ev0 = { .idx = 0 }, ev1 = { .idx = 1 };
	struct dsos *ds = dsos__new();
	struct dso *a = dsos__findnew(ds, "/x/liba.so", DSO_USER);
	struct dso *b = dsos__findnew(ds, "/y/b", DSO_USER);
	struct symbol sa[2] = { { .start = 0x100, .end = 0x200, .name = "zeta" },
				{ .start = 0x200, .end = 0x300, .name = "alpha" } };
	struct symbol sb = { .start = 0x10, .end = 0x20, .name = "beta" };
	struct annotate_hist *h = annotate_hist__new();
	const struct annotate_entry *e;
	uint64_t n, p;

	(void)state;
	assert_non_null(h);
	/* ev1 first in time: the output still starts with ev0 */
	assert_int_equal(annotate_hist__add(h, &ev1, b, &sb, 0, 7), 0);
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(annotate_hist__add(h, &ev0, a, &sa[0], (uint64_t)(i % 50), 2), 0);
		assert_int_equal(annotate_hist__add_total(h, &ev0, 2), 0);
	}
	/* equal periods: perf breaks the tie by DSO file name, then symbol name */
	assert_int_equal(annotate_hist__add(h, &ev0, a, &sa[1], 5, 10), 0);
	assert_int_equal(annotate_hist__add(h, &ev0, b, &sb, 1, 10), 0);
	assert_int_equal(annotate_hist__add_total(h, &ev0, 10), 0);
	assert_int_equal(annotate_hist__add_total(h, &ev0, 10), 0);
	assert_int_equal(annotate_hist__add_total(h, &ev0, 99), 0);	/* no symbol */
	assert_int_equal(annotate_hist__finish(h, true), 0);
	assert_int_equal(annotate_hist__nr(h), 4);
	e = annotate_hist__entry(h, 0);
	assert_string_equal(e->sym->name, "zeta");
	assert_int_equal(e->nr_samples, 1000);
	assert_int_equal(e->period, 2000);
	assert_int_equal(e->nr_addrs, 50);
	for (size_t i = 0; i < e->nr_addrs; i++) {
		assert_int_equal(e->addrs[i].off, i);
		assert_int_equal(e->addrs[i].nr_samples, 20);
		assert_int_equal(e->addrs[i].period, 40);
	}
	assert_string_equal(annotate_hist__entry(h, 1)->sym->name, "beta");	/* "b" < "liba.so" */
	assert_string_equal(annotate_hist__entry(h, 2)->sym->name, "alpha");
	e = annotate_hist__entry(h, 3);
	assert_ptr_equal(e->evsel, &ev1);
	assert_int_equal(e->nr_addrs, 1);
	assert_null(annotate_hist__entry(h, 4));
	annotate_hist__event_total(h, &ev0, &n, &p);
	assert_int_equal(n, 1003);
	assert_int_equal(p, 2119);
	annotate_hist__free(h);
	dsos__free(ds);
}

/* Ties in one DSO: by the name as shown. Demangled, "_f" comes before "g" (_Z1gv); raw, _Z1gv
 * comes first ('Z' < 'f'). */
static void test_hist_ties_demangled(void **state)
{
	struct pd_evsel ev = { .idx = 0 };
	struct dsos *ds = dsos__new();
	struct dso *a = dsos__findnew(ds, "/x/liba.so", DSO_USER);

	(void)state;
	for (int demangle = 0; demangle < 2; demangle++) {
		struct symbol s[2] = { { .start = 0x100, .end = 0x200, .name = "_Z1gv" },
				       { .start = 0x200, .end = 0x300, .name = "_f" } };
		struct annotate_hist *h = annotate_hist__new();

		assert_non_null(h);
		assert_int_equal(annotate_hist__add(h, &ev, a, &s[0], 0, 5), 0);
		assert_int_equal(annotate_hist__add(h, &ev, a, &s[1], 0, 5), 0);
		assert_int_equal(annotate_hist__finish(h, demangle), 0);
		assert_string_equal(annotate_hist__entry(h, 0)->sym->name, demangle ? "_f" : "_Z1gv");
		assert_string_equal(annotate_hist__entry(h, 0)->name, demangle ? "_f" : "_Z1gv");
		assert_string_equal(annotate_hist__entry(h, 1)->name, demangle ? "g" : "_f");
		annotate_hist__free(h);
		for (int i = 0; i < 2; i++)
			if (s[i].dname && s[i].dname != s[i].name)
				free((char *)s[i].dname);
	}
	dsos__free(ds);
}

/* bytes of one of this program's functions in the file must be those in memory */
static int bias_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	*(uint64_t *)data = info->dlpi_addr;
	return 1;	/* the first object is the executable */
}

static void test_code_file_self(void **state)
{
	char exe[4096], why[400];
	ssize_t l = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct dsos *ds = dsos__new();
	struct dso *d;
	struct code_file *cf;
	uint64_t bias = 0, va;
	uint8_t buf[64];

	(void)state;
	assert_true(l > 0);
	exe[l] = '\0';
	d = dsos__findnew(ds, exe, DSO_USER);
	dl_iterate_phdr(bias_cb, &bias);
	va = (uint64_t)(uintptr_t)&test_code_file_self - bias;
	cf = code_file__open(d, NULL, why, sizeof(why));
	assert_non_null(cf);
	assert_int_equal(code_file__machine(cf), EM_X86_64);
	assert_int_equal(code_file__class(cf), ELFCLASS64);
	assert_true(code_file__avail(cf, va) >= sizeof(buf));
	assert_int_equal(code_file__read(cf, va, buf, sizeof(buf)), 0);
	assert_memory_equal(buf, (const void *)&test_code_file_self, sizeof(buf));
	assert_int_equal(code_file__read(cf, 0x7fffffff0000ULL, buf, 4), -ENOENT);
	code_file__close(cf);

	/* a recorded build-id the file does not carry: refused with the reason */
	d = dsos__findnew(ds, exe, DSO_USER);
	dso__set_build_id(d, (const uint8_t *)"0123456789abcdefghij", 20);
	assert_null(code_file__open(d, NULL, why, sizeof(why)));
	assert_non_null(strstr(why, "changed since the recording"));
	dsos__free(ds);
}

/* A minimal ELF core file: one PT_LOAD at kernel address @vaddr holding @code. */
static void write_core(const char *path, uint64_t vaddr, const uint8_t *code, size_t len)
{
	Elf64_Ehdr eh = { 0 };
	Elf64_Phdr ph = { 0 };
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_CORE;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(ph);
	eh.e_phnum = 1;
	ph.p_type = PT_LOAD;
	ph.p_offset = 4096;
	ph.p_vaddr = vaddr;
	ph.p_filesz = ph.p_memsz = len;
	ph.p_flags = PF_R | PF_X;
	assert_int_equal(fwrite(&eh, sizeof(eh), 1, f), 1);
	assert_int_equal(fwrite(&ph, sizeof(ph), 1, f), 1);
	assert_int_equal(fseek(f, 4096, SEEK_SET), 0);
	assert_int_equal(fwrite(code, len, 1, f), 1);
	fclose(f);
}

static void test_code_file_kcore(void **state)
{
	static const uint8_t code[] = { 0x55, 0x48, 0x89, 0xe5, 0x5d, 0xc3 };
	char path[] = "/tmp/test_annotate_kcoreXXXXXX", why[400];
	struct dsos *ds = dsos__new();
	struct dso *k = dsos__findnew(ds, "[kernel.kallsyms]", DSO_KERNEL);
	struct code_opts o = { .kcore = path, .vmlinux = NULL };
	struct code_file *cf;
	uint8_t buf[6];
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	write_core(path, 0xffffffff81000000ULL, code, sizeof(code));
	/* recorded at 0x...81001000 + delta -0x1000: the running kernel has it at ...81000000 */
	k->loaded = true;
	k->kernel_delta = -0x1000;
	cf = code_file__open(k, &o, why, sizeof(why));
	assert_non_null(cf);
	assert_int_equal(code_file__avail(cf, 0xffffffff81001000ULL), sizeof(code));
	assert_int_equal(code_file__read(cf, 0xffffffff81001002ULL, buf, 4), 0);
	assert_memory_equal(buf, code + 2, 4);
	assert_int_equal(code_file__read(cf, 0xffffffff81001004ULL, buf, 4), -ENOENT);
	code_file__close(cf);

	/* no kcore and no vmlinux: one line that says what to do */
	o.kcore = "/nonexistent/kcore";
	dso__set_build_id(k, (const uint8_t *)"ABCDEFGHIJKLMNOPQRST", 20);
	assert_null(code_file__open(k, &o, why, sizeof(why)));
	assert_non_null(strstr(why, "-k/--vmlinux"));
	assert_non_null(strstr(why, "/nonexistent/kcore does not exist"));
	assert_null(strchr(why, '\n'));
	/* a given vmlinux of another build: refused */
	o.vmlinux = path;
	assert_null(code_file__open(k, &o, why, sizeof(why)));
	assert_non_null(strstr(why, "not the recorded kernel"));
	unlink(path);
	dsos__free(ds);
}

static void test_src_lines(void **state)
{
	char path[] = "/tmp/test_annotate_srcXXXXXX";
	struct annotate_src *s = annotate_src__new();
	const char *dir, *base, *t;
	size_t len;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "first\n\t  second line\r\n\nlast", 27), 27);
	close(fd);
	t = annotate_src__line(s, NULL, path, 2, &len);
	assert_non_null(t);
	assert_int_equal(len, 11);
	assert_memory_equal(t, "second line", 11);
	assert_non_null(annotate_src__line(s, NULL, path, 3, &len));
	assert_int_equal(len, 0);
	t = annotate_src__line(s, NULL, path, 4, &len);
	assert_memory_equal(t, "last", 4);
	assert_null(annotate_src__line(s, NULL, path, 5, &len));
	assert_null(annotate_src__line(s, NULL, path, 0, &len));
	/* relative names join the compilation directory */
	base = strrchr(path, '/') + 1;
	dir = "/tmp";
	t = annotate_src__line(s, dir, base, 1, &len);
	assert_non_null(t);
	assert_memory_equal(t, "first", 5);
	assert_null(annotate_src__line(s, NULL, "/nonexistent/x.c", 1, &len));
	unlink(path);
	annotate_src__free(s);
}

static void test_print(void **state)
{
	static const uint8_t code[] = { 0x75, 0xfe, 0xc3 };	/* jne self; ret */
	struct disasm_insn *in;
	struct annotate_line lines[2] = { 0 };
	struct annotate_doc d = { .dso_name = "/bin/x\"y", .sym_name = "f", .event = "cpu-clock",
				  .start = 0x40, .end = 0x43, .nr_samples = 3, .period = 30,
				  .percent_type = "local period", .lines = lines, .nr_lines = 2 };
	struct annotate_opts o = { .source = true, .extended = true };
	char *buf = NULL;
	size_t sz = 0;
	FILE *f;

	(void)state;
	assert_int_equal(decode(DISASM_ATT, code, sizeof(code), 0x40, &in), 2);
	lines[0] = (struct annotate_line){ .insn = &in[0], .nr_samples = 1, .period = 10,
					   .percent = 100.0 / 3, .file = "a.c", .dir = "/src", .line = 7,
					   .src = "x++;", .src_len = 4, .label = 1, .target_label = 1 };
	lines[1] = (struct annotate_line){ .insn = &in[1], .nr_samples = 2, .period = 20,
					   .percent = 200.0 / 3, .file = "a.c", .dir = "/src", .line = 7 };
	f = open_memstream(&buf, &sz);
	assert_int_equal(annotate_print__stdio(&d, &o, f), 0);
	fclose(f);
	assert_non_null(strstr(buf, " Percent |\tSource code & Disassembly of x\"y for cpu-clock (3 samples, percent: local period)\n"));
	assert_non_null(strstr(buf, "         :   .L1:\n         :   a.c:7   x++;\n   33.33 :   40:   jne    0x40 <.L1>\n"));
	assert_non_null(strstr(buf, "   66.67 :   42:   retq\n"));
	assert_null(strstr(buf, "\033["));
	free(buf);

	o.show_nr_samples = true;
	o.color = true;
	f = open_memstream(&buf, &sz);
	assert_int_equal(annotate_print__stdio(&d, &o, f), 0);
	fclose(f);
	assert_non_null(strstr(buf, " Samples |"));
	assert_non_null(strstr(buf, "\033[31m       2"));	/* hot: red */
	assert_non_null(strstr(buf, "\033[1m"));		/* the hottest: bold */
	free(buf);
	free(in);

	/* perf's layout: objdump's text, the target named with its offset, perf's source line */
	assert_int_equal(decode(DISASM_ATT_OBJDUMP, code, sizeof(code), 0x40, &in), 2);
	lines[0].insn = &in[0];
	lines[1].insn = &in[1];
	lines[0].label = lines[0].target_label = 0;
	lines[0].target_sym = "f";
	lines[0].target_off = 0;
	o = (struct annotate_opts){ .source = true };
	/* objdump -S's context: up to five lines before line 7, numbered from 7 by perf's
	 * counter, tabs expanded before the indentation goes */
	{
		char dir[] = "/tmp/annsrcXXXXXX", path[64];
		FILE *sf;

		assert_non_null(mkdtemp(dir));
		snprintf(path, sizeof(path), "%s/a.c", dir);
		sf = fopen(path, "w");
		assert_non_null(sf);
		fputs("l1\nl2\n\nl4\n\tl5\t// c\nl6\n\tx++;\nl8\n", sf);
		fclose(sf);
		lines[0].dir = lines[1].dir = dir;
		d.src = annotate_src__new();
		d.func_lines = true;
		f = open_memstream(&buf, &sz);
		assert_int_equal(annotate_print__stdio(&d, &o, f), 0);
		fclose(f);
		annotate_src__free(d.src);
		d.src = NULL;
		lines[0].dir = lines[1].dir = "/src";
		unlink(path);
		rmdir(dir);
	}
	assert_non_null(strstr(buf, "         : 5   0000000000000040 <f>:\n         : 6   f():\n"
				    "         : 7   l2\n         :\n         : 9   l4\n"
				    "         : 10  l5      // c\n         : 11  l6\n         : 12  x++;\n"
				    "   33.33 :   40:     jne    40 <f>\n   66.67 :   42:     ret\n"));
	/* (the instruction at the tab stop after "40:", as perf expands objdump's tab) */
	assert_null(strstr(buf, ".L1"));
	free(buf);
	free(in);
	/* back to the extended layout's lines for the JSON below */
	assert_int_equal(decode(DISASM_ATT, code, sizeof(code), 0x40, &in), 2);
	lines[0].insn = &in[0];
	lines[1].insn = &in[1];
	lines[0].label = lines[0].target_label = 1;
	lines[0].target_sym = NULL;
	o = (struct annotate_opts){ .source = true, .extended = true };

	f = open_memstream(&buf, &sz);
	assert_int_equal(annotate_print__json(&d, &o, f, true), 0);
	assert_int_equal(annotate_print__json_end(f, true), 0);
	fclose(f);
	assert_non_null(strstr(buf, "\"dso\": \"/bin/x\\\"y\""));
	assert_non_null(strstr(buf, "\"srcline\": \"/src/a.c:7\", \"source\": \"x++;\""));
	assert_non_null(strstr(buf, "\"label\": \".L1\", \"target\": \"0x40\", \"target_label\": \".L1\""));
	assert_non_null(strstr(buf, "\"source\": null"));
	free(buf);
	free(in);
}

static void test_percent_type(void **state)
{
	enum annotate_percent t;

	(void)state;
	assert_int_equal(annotate__parse_percent_type("global-hits", &t), 0);
	assert_int_equal(t, ANNOTATE_GLOBAL_HITS);
	assert_int_equal(annotate__parse_percent_type("local-period", &t), 0);
	assert_int_equal(t, ANNOTATE_LOCAL_PERIOD);
	assert_int_equal(annotate__parse_percent_type("local", &t), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_disasm_att_kinds),
		cmocka_unit_test(test_disasm_intel),
		cmocka_unit_test(test_disasm_bad_and_evex),
		cmocka_unit_test(test_disasm_syntax_and_machines),
		cmocka_unit_test(test_hist),
		cmocka_unit_test(test_hist_ties_demangled),
		cmocka_unit_test(test_code_file_self),
		cmocka_unit_test(test_code_file_kcore),
		cmocka_unit_test(test_src_lines),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_percent_type),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
