/* Owns finding a recording's files by build-id (symbols/symfs.h): the symbol directory
 * (--symfs, --archive), the build-id cache, the recorded path last and only when its
 * build-id agrees, and the warning for a binary rebuilt since the recording. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "symbols/buildid_cache.h"
#include "symbols/dso.h"
#include "symbols/elf_file.h"
#include "symbols/symfs.h"
#include "util/log.h"

const char *symfs__dir(void)
{
	const char *d = getenv("PSYMFS");

	return d && *d ? d : NULL;
}

const char *symfs__cache_root(const char *rel)
{
	static char root[PATH_MAX];
	const char *d = symfs__dir();
	char path[PATH_MAX + 256];
	struct stat st;

	if (d) {
		snprintf(path, sizeof(path), "%s/%s", d, rel);
		if (!lstat(path, &st)) {
			snprintf(root, sizeof(root), "%s", d);
			return root;
		}
	}
	return bcache__dir();
}

/* @f, opened to check a candidate: kept open in @keep when the caller wants the file, else
 * closed. */
static void keep_or_close(struct elf_file *f, struct elf_file *keep)
{
	if (keep)
		*keep = *f;
	else
		elf_file__close(f);
}

/* @root/.build-id/xx/rest (or @leaf inside it) when it carries @dso's build-id. */
static bool try_cache(const char *root, const struct dso *dso, const char *leaf, char *out,
		      size_t len, struct elf_file *keep)
{
	char hex[2 * PD_BUILD_ID_MAX + 1];
	struct elf_file f;
	struct stat st;
	int n;

	build_id__hex(dso->build_id, dso->build_id_size, hex);
	n = snprintf(out, len, "%s/.build-id/%.2s/%s", root, hex, hex + 2);
	if (n < 0 || (size_t)n >= len || stat(out, &st))
		return false;
	if (S_ISDIR(st.st_mode) && snprintf(out + n, len - (size_t)n, "/%s", leaf) >= (int)(len - (size_t)n))
		return false;
	if (elf_file__open(&f, out, dso))
		return false;
	keep_or_close(&f, keep);
	return true;
}

/* The recorded path as a file name: "/x (deleted)" is "/x". */
static bool plain_path(const char *name, char *out, size_t len)
{
	const char *del = strstr(name, " (deleted)");
	size_t l = del ? (size_t)(del - name) : strlen(name);

	if (name[0] != '/' || l >= len)
		return false;
	memcpy(out, name, l);
	out[l] = '\0';
	return true;
}

/* Into @out the file dso__find_binary() takes; with @keep, left open there (ELF_FILE_INIT on
 * failure). */
static int find_binary(struct dso *dso, char *out, size_t len, struct elf_file *keep)
{
	const char *sfs = symfs__dir(), *leaf = dso->kind == DSO_VDSO ? "vdso" : "elf";
	char path[ELF_FILE_PATH], hex[2 * PD_BUILD_ID_MAX + 1];
	struct elf_file f;
	int ret;

	if (dso->has_build_id && ((sfs && try_cache(sfs, dso, leaf, out, len, keep)) ||
				  try_cache(bcache__dir(), dso, leaf, out, len, keep)))
		return 0;
	if (dso->kind != DSO_USER || !plain_path(dso->name, path, sizeof(path)))
		return -ENOENT;
	if (sfs) {
		snprintf(out, len, "%s%s", sfs, path);
		if (!elf_file__open(&f, out, dso)) {
			keep_or_close(&f, keep);
			return 0;
		}
	}
	ret = elf_file__open(&f, path, dso);
	if (!ret)
		keep_or_close(&f, keep);
	if (ret == -ESTALE) {
		build_id__hex(dso->build_id, dso->build_id_size, hex);
		pr_warn("%s is not the recorded file (its build-id is not %s; rebuilt?): its frames "
			"stay unresolved; keep the recording host's copy with 'parchive' or the "
			"build-id cache (precord without -N)", dso->name, hex);
		return ret;
	}
	if (ret)
		return ret;
	snprintf(out, len, "%s", path);
	return 0;
}

/* The search, once per DSO: its answer kept in dso->binary / binary_state. */
static void search(struct dso *dso, struct elf_file *keep)
{
	char path[ELF_FILE_PATH];
	int ret = find_binary(dso, path, sizeof(path), keep);

	dso->binary = ret ? NULL : strdup(path);
	dso->binary_state = ret ? ret : dso->binary ? 1 : -ENOMEM;
	if (keep && dso->binary_state < 0)
		elf_file__close(keep);
}

int dso__find_binary(struct dso *dso, char *out, size_t len)
{
	if (!dso->binary_state)
		search(dso, NULL);
	if (dso->binary_state < 0)
		return dso->binary_state;
	if (strlen(dso->binary) >= len)
		return -ENAMETOOLONG;
	strcpy(out, dso->binary);
	return 0;
}

int dso__open_binary(struct dso *dso, struct elf_file *f)
{
	*f = (struct elf_file)ELF_FILE_INIT;
	if (!dso->binary_state) {
		search(dso, f);
		return dso->binary_state < 0 ? dso->binary_state : 0;
	}
	if (dso->binary_state < 0)
		return dso->binary_state;
	return elf_file__open(f, dso->binary, dso);
}

static void add(char out[][ELF_FILE_PATH], int *n, int max, const char *a, const char *b)
{
	struct stat st;
	int l;

	if (*n >= max)
		return;
	l = snprintf(out[*n], ELF_FILE_PATH, "%s%s", a, b);
	if (l > 0 && l < ELF_FILE_PATH && !stat(out[*n], &st) && S_ISREG(st.st_mode))
		(*n)++;
}

int symfs__debug_candidates(const struct dso *dso, char out[][ELF_FILE_PATH], int n, int max)
{
	const char *sfs = symfs__dir();
	char hex[2 * PD_BUILD_ID_MAX + 1], rel[128];
	int orig = n;

	if (dso->has_build_id) {
		build_id__hex(dso->build_id, dso->build_id_size, hex);
		snprintf(rel, sizeof(rel), "/.build-id/%.2s/%s/debug", hex, hex + 2);
		if (sfs)
			add(out, &n, max, sfs, rel);
		add(out, &n, max, bcache__dir(), rel);
	}
	/* the symbol directory's copies of the usual places (/usr/lib/debug/...) */
	for (int i = 0; sfs && i < orig; i++)
		if (out[i][0] == '/')
			add(out, &n, max, sfs, out[i]);
	return n;
}
