/* Owns the missing-symbols report (report/hist/missing.h): samples per DSO (the sampled
 * address's), what each DSO lacks (symbols, debug info, CFI), and the fix to suggest: the
 * recording host's parchive, a -dbgsym package (the owner of the file, from dpkg's lists), a
 * debuginfod server. */
#include <dirent.h>
#include <errno.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/hist/missing.h"
#include "report/session/session.h"
#include "symbols/dso.h"
#include "symbols/elf_file.h"
#include "symbols/symfs.h"
#include "util/array.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/htab.h"

struct dso_count {
	struct dso *dso;
	uint64_t samples;
};

struct tally {
	struct htab by_dso;		/* hash_ptr(dso) -> index + 1 */
	struct dso_count *v;
	size_t nr, cap;
	uint64_t samples;
};

static int on_sample(void *ctx, struct session *s, const struct pd_sample *sample,
		     struct pd_evsel *evsel, struct thread *thread)
{
	struct tally *t = ctx;
	struct addr_loc al;
	struct htab_slot *slot;
	uint64_t h;
	size_t pos;

	(void)evsel;
	t->samples++;
	if (session__resolve(s, thread, sample->cpumode, sample->ip, &al) || !al.dso)
		return 0;
	h = hash_ptr(al.dso);
	htab__for_each_hash(&t->by_dso, h, slot, pos)
		if (t->v[slot->val - 1].dso == al.dso) {
			t->v[slot->val - 1].samples++;
			return 0;
		}
	if (ARRAY_GROW(t->v, t->cap, t->nr + 1) || htab__insert(&t->by_dso, h, t->nr + 1))
		return -ENOMEM;
	t->v[t->nr++] = (struct dso_count){ al.dso, 1 };
	return 0;
}

static bool resolvable(const struct dso *d)
{
	return d->kind == DSO_USER || d->kind == DSO_VDSO || d->kind == DSO_KERNEL ||
	       d->kind == DSO_KMODULE;
}

/* Does the DSO's binary or debug file carry call-frame information? */
static bool has_cfi(struct dso *d)
{
	char path[ELF_FILE_PATH];
	const char *files[2] = { NULL, d->debugsrc };
	bool found = false;

	if (!dso__find_binary(d, path, sizeof(path)))
		files[0] = path;
	for (int i = 0; i < 2 && !found; i++) {
		struct elf_file f;
		GElf_Shdr sh;

		if (!files[i] || elf_file__open(&f, files[i], NULL))
			continue;
		found = (elf_file__section(f.elf, ".eh_frame", &sh) && sh.sh_type != SHT_NOBITS) ||
			(elf_file__section(f.elf, ".debug_frame", &sh) && sh.sh_type != SHT_NOBITS);
		elf_file__close(&f);
	}
	return found || d->kind == DSO_VDSO;
}

/* A file's symbols come from .symtab (else only the exported ones of .dynsym: stripped). */
static bool full_symtab(const struct dso *d)
{
	struct elf_file f;
	GElf_Shdr sh;
	bool found = false;

	if (d->kind != DSO_USER)
		return d->nr_syms > 0;
	if (!d->nr_syms || !d->symsrc || elf_file__open(&f, d->symsrc, NULL))
		return false;
	for (Elf_Scn *scn = NULL; !found && (scn = elf_nextscn(f.elf, scn));)
		found = gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB;
	elf_file__close(&f);
	return found;
}

/* Does the dpkg file list @list name @path? */
static bool list_has(const char *list, const char *path)
{
	char line[4096];
	FILE *f = fopen(list, "re");
	bool hit = false;

	while (f && !hit && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		hit = !strcmp(line, path);
	}
	if (f)
		fclose(f);
	return hit;
}

/* The Debian package that installed @path (also as its pre-/usr-merge name), into @pkg. */
static bool package_of(const char *path, char *pkg, size_t len)
{
	DIR *d = opendir("/var/lib/dpkg/info");
	const char *alt = !strncmp(path, "/usr/", 5) ? path + 4 : NULL;
	struct dirent *e;
	bool found = false;

	while (d && !found && (e = readdir(d))) {
		size_t l = strlen(e->d_name);
		char list[512];

		if (l < 6 || strcmp(e->d_name + l - 5, ".list"))
			continue;
		snprintf(list, sizeof(list), "/var/lib/dpkg/info/%s", e->d_name);
		if (list_has(list, path) || (alt && list_has(list, alt))) {
			snprintf(pkg, len, "%.*s", (int)(strcspn(e->d_name, ":.")), e->d_name);
			found = true;
		}
	}
	if (d)
		closedir(d);
	return found;
}

/* What would give @d the debug file it lacks: a package, debuginfod, a build with -g. */
static void debug_fix(struct dso *d, const char *hex, FILE *out)
{
	const char *urls = getenv("DEBUGINFOD_URLS");
	char pkg[256], dbg[256], path[ELF_FILE_PATH];
	struct stat st;

	snprintf(dbg, sizeof(dbg), "/usr/lib/debug/.build-id/%.2s/%s.debug", hex, hex + 2);
	if (hex[0] && stat(dbg, &st) && !dso__find_binary(d, path, sizeof(path)) &&
	    d->kind == DSO_USER && package_of(d->name, pkg, sizeof(pkg)))
		fprintf(out, "            fix: apt install %s-dbgsym (from Debian's debug archive), which "
			"has %s\n", pkg, dbg);
	else if (d->kind == DSO_USER)
		fprintf(out, "            fix: build with -g and keep the debug file (objcopy "
			"--only-keep-debug) as %s\n", hex[0] ? dbg : "/usr/lib/debug/.build-id/xx/REST.debug");
	if (hex[0] && urls && *urls)
		fprintf(out, "            fix: debuginfod (DEBUGINFOD_URLS=%s) for build-id %s\n", urls, hex);
	else if (hex[0])
		fprintf(out, "            fix: a debuginfod server that has build-id %s "
			"(DEBUGINFOD_URLS=https://debuginfod.debian.net)\n", hex);
}

static void print_one(struct dso *d, uint64_t samples, uint64_t total, const char *data, FILE *out)
{
	char hex[2 * PD_BUILD_ID_MAX + 1] = "", path[ELF_FILE_PATH];
	bool file = d->kind == DSO_VDSO || d->kind == DSO_KERNEL || d->kind == DSO_KMODULE ||
		    !dso__find_binary(d, path, sizeof(path));
	bool user = d->kind == DSO_USER;	/* the vdso: symbols only (its DWARF is the kernel's) */
	bool syms = full_symtab(d), dbg = !user || d->debugsrc, cfi = !user || !file || has_cfi(d);

	if (syms && dbg && cfi)
		return;
	if (d->has_build_id)
		build_id__hex(d->build_id, d->build_id_size, hex);
	fprintf(out, "%8.2f%%  %s%s%s%s\n", total ? 100.0 * (double)samples / (double)total : 0.0,
		d->name, hex[0] ? " (build-id " : "", hex, hex[0] ? ")" : "");
	fprintf(out, "            missing:%s%s%s%s\n",
		syms ? "" : d->nr_syms ? " symbols (only the exported ones: stripped)" : " symbols",
		dbg ? "" : (syms ? " debug info (source lines, inlined frames)" : ", debug info"),
		cfi ? "" : (syms && dbg ? " CFI (DWARF unwinding)" : ", CFI"),
		file ? "" : " - no file with the recorded build-id here");
	if (!file) {
		fprintf(out, "            fix: on the recording host, 'parchive %s', then here "
			"'--archive %s.tar.zst' (or keep the build-id cache: precord without -N)\n",
			data, data);
		return;
	}
	if (d->kind == DSO_KERNEL || d->kind == DSO_KMODULE) {
		fprintf(out, "            fix: read the recording as root (kallsyms), or 'parchive %s' "
			"on the recording host\n", data);
		return;
	}
	if (!syms || !dbg)
		debug_fix(d, hex, out);
	if (!cfi)
		fputs("            fix: build with -fasynchronous-unwind-tables (or record with -g: frame "
		      "pointers)\n", out);
}

int missing_report__run(const char *path, FILE *out, struct error *err)
{
	struct session *s = session__open(path, &(struct session_opts){ .demangle = true }, err);
	struct tally t = { .nr = 0 };
	size_t shown = 0;
	int ret;

	if (!s)
		return err && err->code ? err->code : -1;
	ret = htab__init(&t.by_dso, 64) ? error__nomem(err) :
	      session__process(s, &(struct session_tool){ .sample = on_sample, .ctx = &t }, err);
	if (!ret) {
		fputs("# DSOs the samples hit that lack symbols, debug info or CFI, with their share of "
		      "the samples\n#\n", out);
		for (size_t i = 0; i < t.nr; i++) {
			struct dso *d = t.v[i].dso;

			if (!resolvable(d))
				continue;
			dso__load(d);
			if (full_symtab(d) && (d->kind != DSO_USER || d->debugsrc) &&
			    (d->kind != DSO_USER || has_cfi(d)))
				continue;
			print_one(d, t.v[i].samples, t.samples, path, out);
			shown++;
		}
		if (!shown)
			fputs("# none: every sampled DSO has symbols, debug info and CFI\n", out);
	}
	free(t.v);
	htab__exit(&t.by_dso);
	session__close(s);
	return ret;
}

void missing_report__header(struct session *s, FILE *out)
{
	struct dsos *ds = session__dsos(s);
	const char *first = NULL;
	size_t n = 0;

	for (struct dso *d = dsos__next(ds, NULL); d; d = dsos__next(ds, d))
		if (d->loaded && resolvable(d) && !d->nr_syms) {
			first = first ? first : d->name;
			n++;
		}
	if (n > 1)
		fprintf(out, "# Missing symbols: %s and %zu more DSOs; see 'preport --missing'\n#\n",
			first, n - 1);
	else if (n)
		fprintf(out, "# Missing symbols: %s; see 'preport --missing'\n#\n", first);
}
