/* Unit tests of symbols that travel: the embedded-symbols section (perfdata/embed.h) built,
 * walked and refused when damaged, attached to DSOs and loaded (symbols/embed.h), written as
 * a feature perf skips and read back, and archives that would unpack outside their
 * directory refused (symbols/archive.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perfdata/embed.h"
#include "perfdata/feature.h"
#include "perfdata/format.h"
#include "perfdata/reader.h"
#include "perfdata/writer.h"
#include "symbols/archive.h"
#include "symbols/dso.h"
#include "symbols/embed.h"
#include "symbols/srcline.h"
#include "util/error.h"

static const char strtab[] = "alpha\0beta\0dir/f.c\0/src";
static const struct pd_embed_seg segs[] = { { 0x1000, 0x401000, 0x2000 } };
static const struct pd_embed_sym syms[] = {
	{ .start = 0x401100, .end = 0x401180, .name = 0, .binding = 1 },
	{ .start = 0x401200, .end = 0x401210, .name = 6, .binding = 1 },
};
static const struct pd_embed_line lines[] = {
	{ .vaddr = 0x401104, .file = 11, .dir = 19, .line = 42 },
};

static void build(struct pd_embed_buf *b)
{
	struct pd_embed_dso d = {
		.name = "/opt/app", .kind = DSO_USER, .build_id_size = 20, .nr_segs = 1, .nr_syms = 2,
		.nr_lines = 1, .strtab_len = sizeof(strtab), .segs = segs, .syms = syms,
		.lines = lines, .strtab = strtab,
	};
	struct pd_embed_dso k = { .name = "[kernel.kallsyms]", .kind = DSO_KERNEL, .nr_syms = 1,
				  .syms = syms, .strtab = strtab, .strtab_len = sizeof(strtab) };

	memset(d.build_id, 0xab, 20);
	assert_int_equal(pd_embed__begin(b, PD_EMBED_LINES), 0);
	assert_int_equal(pd_embed__add(b, &d), 0);
	assert_int_equal(pd_embed__add(b, &k), 0);
}

static void test_embed_layout(void **state)
{
	struct pd_embed_buf b;
	struct pd_embed_dso d;
	size_t off = 0;

	(void)state;
	build(&b);
	assert_int_equal(b.nr_dsos, 2);
	assert_int_equal(b.len % 8, 0);
	assert_int_equal(pd_embed__next(b.data, b.len, &off, &d), 1);
	assert_string_equal(d.name, "/opt/app");
	assert_int_equal(d.nr_syms, 2);
	assert_string_equal(d.strtab + d.syms[1].name, "beta");
	assert_int_equal(d.lines[0].line, 42);
	assert_int_equal(d.segs[0].vaddr, 0x401000);
	assert_int_equal(d.build_id[19], 0xab);
	assert_int_equal(pd_embed__next(b.data, b.len, &off, &d), 1);
	assert_string_equal(d.name, "[kernel.kallsyms]");
	assert_int_equal(pd_embed__next(b.data, b.len, &off, &d), 0);
	/* damaged: cut short, a name outside the strtab, a wrong magic */
	off = 0;
	assert_int_equal(pd_embed__next(b.data, b.len - 8, &off, &d), 1);
	assert_int_equal(pd_embed__next(b.data, b.len - 8, &off, &d), -EBADMSG);
	{
		struct pd_embed_sym *s = (void *)(b.data + 16 + 48 + 16 + sizeof(segs));

		s[1].name = 999;
		off = 0;
		assert_int_equal(pd_embed__next(b.data, b.len, &off, &d), -EBADMSG);
	}
	b.data[0] ^= 1;
	off = 0;
	assert_int_equal(pd_embed__next(b.data, b.len, &off, &d), -EBADMSG);
	pd_embed__free(&b);
}

/* The loader falls back on the embedded entry when no file gives the DSO symbols; an entry
 * for another build-id of that name is not used. */
static void test_embed_attach_load(void **state)
{
	struct dsos *ds = dsos__new();
	struct pd_embed_buf b;
	struct symembed *e;
	struct dso *app, *other;
	const struct symbol *s;
	const char *file, *dir;
	uint64_t off;
	int line;

	(void)state;
	build(&b);
	app = dsos__findnew(ds, "/opt/app", DSO_USER);
	e = symembed__attach(ds, b.data + 0, b.len);
	assert_non_null(e);
	assert_non_null(app->embedded);
	s = dso__find_sym(app, 0x1104, &off);		/* map address: file offset */
	assert_non_null(s);
	assert_string_equal(s->name, "alpha");
	assert_int_equal(off, 4);
	assert_null(dso__find_sym(app, 0x1190, &off));	/* between the symbols kept */
	assert_int_equal(srcline__find(app, 0x401104, &file, &dir, &line), 0);
	assert_string_equal(file, "dir/f.c");
	assert_string_equal(dir, "/src");
	assert_int_equal(line, 42);
	assert_int_equal(srcline__find(app, 0x401108, &file, &dir, &line), -ENOENT);
	symembed__free(e);
	dsos__free(ds);

	ds = dsos__new();
	other = dsos__findnew(ds, "/opt/app", DSO_USER);
	dso__set_build_id(other, (const uint8_t *)"01234567890123456789", 20);
	e = symembed__attach(ds, b.data, b.len);
	assert_non_null(e);
	assert_null(other->embedded);
	symembed__free(e);
	dsos__free(ds);
	pd_embed__free(&b);
}

/* The section goes into a file as feature bit 240 and comes back as written. */
static void test_embed_feature(void **state)
{
	char path[] = "/tmp/test_travel.XXXXXX";
	struct pd_embed_buf b;
	struct perf_event_attr attr = { .type = PERF_TYPE_SOFTWARE, .size = 128,
					.sample_type = PERF_SAMPLE_IP };
	uint64_t id = 1, size;
	struct pd_event_desc desc = { &attr, &id, 1, "cpu-clock" };
	struct error err = { .code = 0 };
	struct pd_writer *w;
	struct pd_reader *r;
	const void *sec;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	build(&b);
	w = pd_writer__new(path);
	assert_non_null(w);
	assert_int_equal(pd_writer__start(w, &desc, 1), 0);
	assert_int_equal(pd_feature__host(w, "test"), 0);
	{
		struct perf_event_header round = { .type = 68, .size = 8 };	/* FINISHED_ROUND */

		assert_int_equal(pd_writer__write(w, &round, sizeof(round)), 0);
	}
	assert_int_equal(pd_writer__add_feature(w, PD_FEAT_EMBEDDED_SYMBOLS, b.data, b.len), 0);
	assert_int_equal(pd_writer__add_feature(w, PD_FEAT_BITS, b.data, b.len), -EINVAL);
	assert_int_equal(pd_writer__finish(w), 0);
	pd_writer__free(w);
	r = pd_reader__open(path, &err);
	assert_non_null(r);
	sec = pd_reader__feature(r, PD_FEAT_EMBEDDED_SYMBOLS, &size);
	assert_non_null(sec);
	assert_int_equal(size, b.len);
	assert_memory_equal(sec, b.data, b.len);
	pd_reader__close(r);
	unlink(path);
	pd_embed__free(&b);
}

/* A tar with a name that leaves the directory is refused before anything is written. */
static void test_archive_refuses_escape(void **state)
{
	char dir[] = "/tmp/test_travel_d.XXXXXX", tar[] = "/tmp/test_travel_t.XXXXXX", esc[64];
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	struct error err = { .code = 0 };
	int fd = mkstemp(tar);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_non_null(mkdtemp(dir));
	archive_write_set_format_pax_restricted(a);
	assert_int_equal(archive_write_open_filename(a, tar), ARCHIVE_OK);
	snprintf(esc, sizeof(esc), "ok/../../%s", strrchr(dir, '/') + 1);
	archive_entry_set_pathname(e, esc);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, 1);
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	assert_int_equal(archive_write_data(a, "x", 1), 1);
	archive_write_close(a);
	archive_write_free(a);
	archive_entry_free(e);
	assert_int_equal(symarchive__extract(tar, dir, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "outside"));
	assert_int_equal(symarchive__extract("/nonexistent.tar.zst", dir, &err), -ENOENT);
	unlink(tar);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embed_layout),
		cmocka_unit_test(test_embed_attach_load),
		cmocka_unit_test(test_embed_feature),
		cmocka_unit_test(test_archive_refuses_escape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
