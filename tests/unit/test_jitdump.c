/* Unit tests of jitdump reading (perfdata/jitdump.h) and of the ELF file written for a JIT'd
 * function (symbols/jit_elf.h): a dump built here byte by byte reads back record by record
 * (a record cut short ends the walk quietly, a bad size is an error, another magic is
 * refused), and the .so has the code at JIT_ELF_TEXT_OFFSET with one FUNC symbol over it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perfdata/jitdump.h"
#include "symbols/jit_elf.h"

static const uint8_t code[] = { 0x48, 0x89, 0xf8, 0x48, 0xff, 0xc8, 0x75, 0xfb, 0xc3 };

struct buf {
	uint8_t b[1024];
	size_t n;
};

static void put(struct buf *b, const void *p, size_t n)
{
	assert_true(b->n + n <= sizeof(b->b));
	memcpy(b->b + b->n, p, n);
	b->n += n;
}

static void put32(struct buf *b, uint32_t v) { put(b, &v, 4); }
static void put64(struct buf *b, uint64_t v) { put(b, &v, 8); }

/* header, LOAD "f1" at 0x1000, an unknown record, MOVE of it to 0x2000, then @tail */
static void make_dump(struct buf *b, uint32_t magic)
{
	b->n = 0;
	put32(b, magic); put32(b, 1); put32(b, 40); put32(b, EM_X86_64);
	put32(b, 0); put32(b, 4242); put64(b, 5); put64(b, 0);
	put32(b, PD_JIT_CODE_LOAD); put32(b, 16 + 40 + 3 + sizeof(code)); put64(b, 100);
	put32(b, 4242); put32(b, 4243); put64(b, 0x1000); put64(b, 0x1000);
	put64(b, sizeof(code)); put64(b, 7);
	put(b, "f1", 3); put(b, code, sizeof(code));
	put32(b, 99); put32(b, 24); put64(b, 150); put64(b, 0);
	put32(b, PD_JIT_CODE_MOVE); put32(b, 16 + 48); put64(b, 200);
	put32(b, 4242); put32(b, 4243); put64(b, 0x2000); put64(b, 0x1000); put64(b, 0x2000);
	put64(b, sizeof(code)); put64(b, 7);
}

static char *write_tmp(const struct buf *b)
{
	char *path = strdup("/tmp/test_jitdump.XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, b->b, b->n), (ssize_t)b->n);
	close(fd);
	return path;
}

static void test_records(void **state)
{
	struct buf b;
	struct pd_jitdump_rec r;
	struct pd_jitdump *j;
	struct error err = { 0 };
	char *path;

	(void)state;
	make_dump(&b, 0x4A695444);
	put32(&b, PD_JIT_CODE_LOAD); put32(&b, 200); put64(&b, 300);	/* cut short */
	path = write_tmp(&b);
	j = pd_jitdump__open(path, &err);
	assert_non_null(j);
	assert_int_equal(pd_jitdump__pid(j), 4242);
	assert_int_equal(pd_jitdump__elf_mach(j), EM_X86_64);
	assert_false(pd_jitdump__arch_timestamp(j));
	assert_int_equal(pd_jitdump__next(j, &r, &err), 1);
	assert_int_equal(r.type, PD_JIT_CODE_LOAD);
	assert_int_equal(r.time, 100);
	assert_int_equal(r.tid, 4243);
	assert_int_equal(r.addr, 0x1000);
	assert_int_equal(r.index, 7);
	assert_string_equal(r.name, "f1");
	assert_int_equal(r.size, sizeof(code));
	assert_memory_equal(r.code, code, sizeof(code));
	assert_int_equal(pd_jitdump__next(j, &r, &err), 1);
	assert_int_equal(r.type, 99);
	assert_int_equal(pd_jitdump__next(j, &r, &err), 1);
	assert_int_equal(r.type, PD_JIT_CODE_MOVE);
	assert_int_equal(r.old_addr, 0x1000);
	assert_int_equal(r.addr, 0x2000);
	assert_int_equal(pd_jitdump__next(j, &r, &err), 0);
	pd_jitdump__close(j);
	unlink(path);
	free(path);
}

static void test_bad(void **state)
{
	struct buf b;
	struct pd_jitdump_rec r;
	struct pd_jitdump *j;
	struct error err = { 0 };
	char *path;

	(void)state;
	make_dump(&b, 0x4454694A);	/* the other byte order */
	path = write_tmp(&b);
	assert_null(pd_jitdump__open(path, &err));
	assert_int_equal(err.code, -EBADMSG);
	assert_non_null(strstr(err.msg, "byte order"));
	unlink(path);
	free(path);
	make_dump(&b, 0x4A695444);
	put32(&b, PD_JIT_CODE_LOAD); put32(&b, 8); put64(&b, 300);	/* smaller than its header */
	path = write_tmp(&b);
	j = pd_jitdump__open(path, &err);
	assert_non_null(j);
	for (int i = 0; i < 3; i++)
		assert_int_equal(pd_jitdump__next(j, &r, &err), 1);
	assert_int_equal(pd_jitdump__next(j, &r, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "corrupt at offset"));
	pd_jitdump__close(j);
	unlink(path);
	free(path);
}

static void test_elf(void **state)
{
	char path[] = "/tmp/test_jit_elf.XXXXXX";
	struct error err = { 0 };
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	GElf_Shdr sh;
	bool text = false, sym = false, note = false;
	uint8_t buf[sizeof(code)];
	Elf *e;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(jit_elf__write(path, EM_X86_64, "jit_fn", code, sizeof(code), 0x1000, &err), 0);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, buf, sizeof(buf), JIT_ELF_TEXT_OFFSET), (ssize_t)sizeof(buf));
	assert_memory_equal(buf, code, sizeof(code));
	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ, NULL);
	assert_non_null(e);
	assert_non_null(gelf_getehdr(e, &eh));
	assert_int_equal(eh.e_type, ET_DYN);
	assert_int_equal(eh.e_machine, EM_X86_64);
	while ((scn = elf_nextscn(e, scn))) {
		Elf_Data *d;

		assert_non_null(gelf_getshdr(scn, &sh));
		if (sh.sh_type == SHT_PROGBITS) {
			text = sh.sh_addr == JIT_ELF_TEXT_OFFSET && sh.sh_offset == JIT_ELF_TEXT_OFFSET &&
			       sh.sh_size == sizeof(code);
		} else if (sh.sh_type == SHT_NOTE) {
			note = sh.sh_size == 36;
		} else if (sh.sh_type == SHT_SYMTAB) {
			GElf_Sym s;

			d = elf_getdata(scn, NULL);
			assert_non_null(gelf_getsym(d, 1, &s));
			sym = s.st_value == JIT_ELF_TEXT_OFFSET && s.st_size == sizeof(code) &&
			      GELF_ST_TYPE(s.st_info) == STT_FUNC &&
			      !strcmp(elf_strptr(e, sh.sh_link, s.st_name), "jit_fn");
		}
	}
	assert_true(text);
	assert_true(note);
	assert_true(sym);
	elf_end(e);
	close(fd);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_elf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
