/* Owns the archives of symbols/archive.h: which files a recording's build-ids need (found
 * by build-id through symbols/symfs.c, the kernel's kallsyms and module list, the vdso),
 * writing them as a compressed tar in perf's cache layout, and unpacking one safely. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "perfdata/buildid.h"
#include "perfdata/reader.h"
#include "symbols/archive.h"
#include "symbols/archive_lib.h"
#include "symbols/dso.h"
#include "symbols/elf_file.h"
#include "symbols/symfs.h"
#include "util/error.h"
#include "util/log.h"

struct packer {
	struct archive *a;
	struct symarchive_stats *st;
	struct error *err;
	time_t now;
};

static int ar_fail(struct packer *p, const char *what)
{
	return error__set(p->err, -EIO, "writing the archive (%s): %s", what,
			  AR(archive_error_string)(p->a) ? AR(archive_error_string)(p->a) : "error");
}

/* One entry's header: a regular file of @size bytes, or a symlink to @target. */
static int put_header(struct packer *p, const char *name, int64_t size, const char *target)
{
	struct archive_entry *e = AR(archive_entry_new)();
	int r;

	if (!e)
		return error__nomem(p->err);
	AR(archive_entry_set_pathname)(e, name);
	AR(archive_entry_set_mtime)(e, p->now, 0);
	if (target) {
		AR(archive_entry_set_filetype)(e, AE_IFLNK);
		AR(archive_entry_set_perm)(e, 0777);
		AR(archive_entry_set_symlink)(e, target);
		AR(archive_entry_set_size)(e, 0);
	} else {
		AR(archive_entry_set_filetype)(e, AE_IFREG);
		AR(archive_entry_set_perm)(e, 0644);
		AR(archive_entry_set_size)(e, size);
	}
	r = AR(archive_write_header)(p->a, e);
	AR(archive_entry_free)(e);
	return r == ARCHIVE_OK ? 0 : ar_fail(p, name);
}

static int put_mem(struct packer *p, const char *name, const void *buf, size_t len)
{
	int ret = put_header(p, name, (int64_t)len, NULL);

	if (ret)
		return ret;
	if (len && AR(archive_write_data)(p->a, buf, len) != (ssize_t)len)
		return ar_fail(p, name);
	p->st->bytes += len;
	return 0;
}

/* A file on disk, copied in pieces (debug files can be large). */
static int put_file(struct packer *p, const char *name, const char *path)
{
	char buf[1 << 16];
	struct stat st;
	int64_t left;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		ret = error__set(p->err, -errno, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return ret;
	}
	ret = put_header(p, name, st.st_size, NULL);
	for (left = st.st_size; !ret && left > 0;) {
		ssize_t n = read(fd, buf, left < (int64_t)sizeof(buf) ? (size_t)left : sizeof(buf));

		if (n <= 0) {
			ret = error__set(p->err, n ? -errno : -EIO, "%s: %s", path,
					 n ? strerror(errno) : "shorter than it was");
			break;
		}
		if (AR(archive_write_data)(p->a, buf, (size_t)n) != n)
			ret = ar_fail(p, name);
		left -= n;
	}
	close(fd);
	if (!ret)
		p->st->bytes += (unsigned long long)st.st_size;
	return ret;
}

/* A /proc file (its size is not known before reading) whole into memory. */
static int read_all(const char *path, char **buf, size_t *len)
{
	size_t cap = 1 << 20, n = 0;
	char *b = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (!b || fd < 0) {
		free(b);
		if (fd >= 0)
			close(fd);
		return b ? -errno : -ENOMEM;
	}
	while ((r = read(fd, b + n, cap - n)) > 0) {
		n += (size_t)r;
		if (n == cap) {
			char *nb = realloc(b, cap * 2);

			if (!nb) {
				r = -1;
				errno = ENOMEM;
				break;
			}
			b = nb;
			cap *= 2;
		}
	}
	close(fd);
	if (r < 0) {
		free(b);
		return -errno;
	}
	*buf = b;
	*len = n;
	return 0;
}

/* .build-id/xx/REST -> ../../DIR, DIR being the entry's directory in the archive. */
static int put_link(struct packer *p, const char *hex, const char *dir)
{
	char name[128], target[ELF_FILE_PATH + 8];

	snprintf(name, sizeof(name), ".build-id/%.2s/%s", hex, hex + 2);
	snprintf(target, sizeof(target), "../../%s", dir);
	return put_header(p, name, 0, target);
}

/* The recorded kernel's kallsyms and module list: perf's cache copy, else this machine's
 * when it runs that kernel. */
static int pack_kernel(struct packer *p, const struct pd_reader_build_id *b, const char *hex)
{
	uint8_t id[PD_BUILD_ID_MAX];
	char path[ELF_FILE_PATH], dir[128], name[192], *buf;
	const char *list = "/proc/modules";
	size_t len;
	int n = pd_buildid__kernel(id), ret;
	bool running = n == b->size && !memcmp(id, b->id, b->size);

	snprintf(dir, sizeof(dir), "[kernel.kallsyms]/%s", hex);
	build_id__cache_kallsyms(b->id, b->size, path, sizeof(path));
	if (access(path, R_OK)) {
		if (!running) {
			pr_warn("[kernel.kallsyms] (build-id %s): not the running kernel and not in the "
				"build-id cache: kernel frames will not resolve from the archive", hex);
			p->st->missing++;
			return 0;
		}
		snprintf(path, sizeof(path), "/proc/kallsyms");
	} else {
		list = NULL;
	}
	if ((ret = read_all(path, &buf, &len)))
		return error__set(p->err, ret, "%s: %s", path, strerror(-ret));
	snprintf(name, sizeof(name), "%s/kallsyms", dir);
	ret = put_mem(p, name, buf, len);
	free(buf);
	if (!ret && list && !read_all(list, &buf, &len)) {
		snprintf(name, sizeof(name), "%s/modules", dir);
		ret = put_mem(p, name, buf, len);
		free(buf);
	}
	if (!ret)
		ret = put_link(p, hex, dir);
	if (!ret)
		p->st->dsos++;
	return ret;
}

/* The vdso's image: the cache's copy, else this process's own when it is the recorded one. */
static int pack_vdso(struct packer *p, struct dso *dso, const char *hex)
{
	char path[ELF_FILE_PATH], dir[128], name[192];
	struct elf_file f;
	int ret;

	snprintf(dir, sizeof(dir), "[vdso]/%s", hex);
	snprintf(name, sizeof(name), "%s/vdso", dir);
	if (!dso__find_binary(dso, path, sizeof(path))) {
		ret = put_file(p, name, path);
	} else if (!elf_file__open_own_vdso(&f, dso)) {
		ret = put_mem(p, name, f.image, f.size);
		elf_file__close(&f);
	} else {
		pr_warn("[vdso] (build-id %s): not this machine's vdso and not in the build-id cache", hex);
		p->st->missing++;
		return 0;
	}
	if (!ret)
		ret = put_link(p, hex, dir);
	if (!ret)
		p->st->dsos++;
	return ret;
}

/* A file's binary and its separate debug file (the one the symbols or lines come from). */
static int pack_file(struct packer *p, struct dso *dso, const char *hex)
{
	char bin[ELF_FILE_PATH], dir[ELF_FILE_PATH], name[ELF_FILE_PATH + 16];
	const char *del = strstr(dso->name, " (deleted)"), *dbg = NULL;
	int ret, l = del ? (int)(del - dso->name) : (int)strlen(dso->name);

	if (dso__find_binary(dso, bin, sizeof(bin))) {
		pr_warn("%s (build-id %s): no file with this build-id here (not in the build-id "
			"cache, and its path holds another file or none): left out", dso->name, hex);
		p->st->missing++;
		return 0;
	}
	dso__load(dso);
	if (dso->symsrc && strcmp(dso->symsrc, bin))
		dbg = dso->symsrc;
	else if (dso->debugsrc && strcmp(dso->debugsrc, bin))
		dbg = dso->debugsrc;
	snprintf(dir, sizeof(dir), "%.*s/%s", l - 1, dso->name + 1, hex);
	snprintf(name, sizeof(name), "%s/elf", dir);
	ret = put_file(p, name, bin);
	if (!ret && dbg) {
		snprintf(name, sizeof(name), "%s/debug", dir);
		ret = put_file(p, name, dbg);
		p->st->debug_files += !ret;
	}
	if (!ret)
		ret = put_link(p, hex, dir);
	if (!ret)
		p->st->dsos++;
	return ret;
}

static int pack_one(struct packer *p, struct dsos *dsos, const struct pd_reader_build_id *b)
{
	char hex[2 * PD_BUILD_ID_MAX + 1];
	bool vdso = !strcmp(b->filename, "[vdso]");
	struct dso *dso;

	build_id__hex(b->id, b->size, hex);
	if (!strcmp(b->filename, "[kernel.kallsyms]"))
		return pack_kernel(p, b, hex);
	if (!vdso && b->filename[0] != '/') {
		pr_warn("%s (build-id %s): not a file: left out", b->filename, hex);
		p->st->missing++;
		return 0;
	}
	/* modules too are files here: their .ko by build-id */
	dso = dsos__findnew(dsos, b->filename, vdso ? DSO_VDSO : DSO_USER);
	if (!dso)
		return error__nomem(p->err);
	if (dso->has_build_id)
		return 0;	/* listed twice */
	dso__set_build_id(dso, b->id, b->size);
	return vdso ? pack_vdso(p, dso, hex) : pack_file(p, dso, hex);
}

int symarchive__pack(const char *data, const char *out, enum symarchive_format fmt,
		     struct symarchive_stats *st, struct error *err)
{
	struct packer p = { .st = st, .err = err, .now = time(NULL) };
	struct pd_reader *r = pd_reader__open(data, err);
	struct dsos *dsos = dsos__new();
	int ret = -ENOMEM;

	*st = (struct symarchive_stats){ 0 };
	if (r && archive_lib__load(err)) {
		pd_reader__close(r);
		r = NULL;
	}
	if (!r) {
		dsos__free(dsos);
		return err->code ? err->code : -EINVAL;
	}
	if (!dsos || !(p.a = AR(archive_write_new)())) {
		error__nomem(err);
		goto out;
	}
	ret = -ENOENT;
	if (!pd_reader__nr_build_ids(r)) {
		error__set(err, ret, "%s has no build-ids (recorded with --no-buildid?): add them with "
			   "'pinject -b -i %s -o NEW' on the recording host", data, data);
		goto out;
	}
	AR(archive_write_set_format_pax_restricted)(p.a);
	if ((fmt == SYMARCHIVE_TAR_ZSTD ? AR(archive_write_add_filter_zstd)(p.a) :
					  AR(archive_write_add_filter_bzip2)(p.a)) != ARCHIVE_OK ||
	    AR(archive_write_open_filename)(p.a, out) != ARCHIVE_OK) {
		ret = error__set(err, -EIO, "%s: %s", out, AR(archive_error_string)(p.a));
		goto out;
	}
	ret = 0;
	for (size_t i = 0; !ret && i < pd_reader__nr_build_ids(r); i++)
		ret = pack_one(&p, dsos, pd_reader__build_id(r, i));
	if (AR(archive_write_close)(p.a) != ARCHIVE_OK && !ret)
		ret = ar_fail(&p, out);
	if (ret)
		unlink(out);
out:
	if (p.a)
		AR(archive_write_free)(p.a);
	dsos__free(dsos);
	pd_reader__close(r);
	return ret;
}

/* A name that stays inside the directory it is unpacked into. */
static bool safe_name(const char *n)
{
	if (!*n || n[0] == '/')
		return false;
	for (const char *s = n; s; s = strchr(s, '/')) {
		s += *s == '/';
		if (s[0] == '.' && s[1] == '.' && (s[2] == '/' || !s[2]))
			return false;
	}
	return true;
}

static int copy_data(struct archive *in, struct archive *out)
{
	const void *buf;
	size_t len;
	la_int64_t off;
	int r;

	while ((r = AR(archive_read_data_block)(in, &buf, &len, &off)) == ARCHIVE_OK)
		if (AR(archive_write_data_block)(out, buf, len, off) != ARCHIVE_OK)
			return ARCHIVE_FATAL;
	return r == ARCHIVE_EOF ? ARCHIVE_OK : r;
}

int symarchive__extract(const char *file, const char *dir, struct error *err)
{
	struct archive *in = NULL, *out = NULL;
	struct archive_entry *e;
	char root[PATH_MAX], full[PATH_MAX * 2];
	int r, ret;

	if ((ret = archive_lib__load(err)))
		return ret;
	in = AR(archive_read_new)();
	out = AR(archive_write_disk_new)();
	if (!in || !out) {
		ret = error__nomem(err);
		goto done;
	}
	if (!realpath(dir, root)) {
		ret = error__set(err, -errno, "%s: %s", dir, strerror(errno));
		goto done;
	}
	AR(archive_read_support_filter_all)(in);
	AR(archive_read_support_format_tar)(in);
	AR(archive_write_disk_set_options)(out, ARCHIVE_EXTRACT_SECURE_NODOTDOT |
					    ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_PERM);
	if (AR(archive_read_open_filename)(in, file, 1 << 16) != ARCHIVE_OK) {
		ret = error__set(err, access(file, R_OK) ? -errno : -EINVAL, "%s: %s", file,
				 AR(archive_error_string)(in));
		goto done;
	}
	while ((r = AR(archive_read_next_header)(in, &e)) == ARCHIVE_OK) {
		const char *name = AR(archive_entry_pathname)(e), *hl = AR(archive_entry_hardlink)(e);

		if (!name || !safe_name(name) || (hl && !safe_name(hl))) {
			ret = error__set(err, -EINVAL, "%s: the entry '%s' would land outside the "
					 "directory: not a parchive archive", file, name ? name : "");
			goto done;
		}
		snprintf(full, sizeof(full), "%s/%s", root, name);
		AR(archive_entry_set_pathname)(e, full);
		if (hl) {
			snprintf(full, sizeof(full), "%s/%s", root, hl);
			AR(archive_entry_set_hardlink)(e, full);
		}
		if (AR(archive_write_header)(out, e) < ARCHIVE_WARN || copy_data(in, out) < ARCHIVE_WARN ||
		    AR(archive_write_finish_entry)(out) < ARCHIVE_WARN) {
			ret = error__set(err, -EIO, "%s: unpacking '%s': %s", file, name,
					 AR(archive_error_string)(out));
			goto done;
		}
	}
	if (r != ARCHIVE_EOF)
		ret = error__set(err, -EINVAL, "%s: %s", file, AR(archive_error_string)(in));
done:
	if (in)
		AR(archive_read_free)(in);
	if (out)
		AR(archive_write_free)(out);
	return ret;
}
