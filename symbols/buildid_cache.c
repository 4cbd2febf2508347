/* Owns the build-id cache on disk (symbols/buildid_cache.h): where it is, adding a file
 * (hard link, else a copy), removing, purging and listing entries. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "perfdata/buildid.h"
#include "symbols/buildid_cache.h"
#include "symbols/elf_file.h"
#include "util/error.h"

const char *bcache__dir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("PERF_BUILDID_DIR");

	if (env && *env)
		snprintf(dir, sizeof(dir), "%s", env);
	else
		snprintf(dir, sizeof(dir), "%s/.debug", build_id__cache_home());
	return dir;
}

/* mkdir -p of the directories of @path up to (without) its last component when @leaf_too is
 * false, or all of it. */
static int mkdirs(const char *path, bool leaf_too)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (len >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (leaf_too && mkdir(buf, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

static int copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in, out, ret = 0;
	ssize_t n;

	if (!link(from, to))
		return 0;
	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		ret = -errno;
		close(in);
		return ret;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			ret = -EIO;
			break;
		}
	if (n < 0)
		ret = -errno;
	close(in);
	if (close(out) && !ret)
		ret = -errno;
	if (ret)
		unlink(to);
	return ret;
}

static void link_path(const char *hex, char *out, size_t size)
{
	snprintf(out, size, "%s/.build-id/%.2s/%s", bcache__dir(), hex, hex + 2);
}

int bcache__add(const char *path, const uint8_t *id, size_t id_size, char hex[41], struct error *err)
{
	return bcache__add_from(path, NULL, id, id_size, hex, err);
}

int bcache__add_from(const char *path, const char *src, const uint8_t *id, size_t id_size,
		     char hex[41], struct error *err)
{
	uint8_t own[PD_BUILD_ID_MAX];
	char real[PATH_MAX], dir[PATH_MAX + 64], elf[PATH_MAX + 80], lnk[PATH_MAX], target[PATH_MAX + 64];
	struct stat st;
	int n, ret;

	/* a path of another mount namespace names the entry as it is, unresolved here */
	if (src && path[0] == '/' && strlen(path) < sizeof(real))
		snprintf(real, sizeof(real), "%s", path);
	else if (!realpath(path, real))
		return error__set(err, -errno, "%s: %s", path, strerror(errno));
	if (!id_size) {
		n = pd_buildid__from_elf(src ? src : real, own);
		if (n <= 0)
			return error__set(err, n ? n : -ENOENT, "%s: no build-id (%s)", path,
					  n == -ENOENT ? "not an ELF file with a GNU build-id note" : strerror(-n));
		id = own;
		id_size = (size_t)n;
	}
	build_id__hex(id, id_size, hex);
	snprintf(dir, sizeof(dir), "%s%s/%s", bcache__dir(), real, hex);
	snprintf(elf, sizeof(elf), "%s/elf", dir);
	link_path(hex, lnk, sizeof(lnk));
	if (!stat(elf, &st) && !lstat(lnk, &st))
		return 0;
	if ((ret = mkdirs(dir, true)) || (ret = mkdirs(lnk, false)))
		return error__set(err, ret, "cannot create %s: %s", dir, strerror(-ret));
	if (stat(elf, &st) && (ret = copy_file(src ? src : real, elf)))
		return error__set(err, ret, "cannot copy %s to %s: %s", path, elf, strerror(-ret));
	/* relative, as perf writes it: from .build-id/xx/ up to the cache root */
	snprintf(target, sizeof(target), "../..%s/%s", real, hex);
	unlink(lnk);
	if (symlink(target, lnk))
		return error__set(err, -errno, "cannot link %s: %s", lnk, strerror(errno));
	return 1;
}

/* Remove the entry of @hex for the file at @real. */
static int remove_entry(const char *real, const char *hex)
{
	char dir[PATH_MAX + 64], f[PATH_MAX + 80], lnk[PATH_MAX];
	int found = 0;

	snprintf(dir, sizeof(dir), "%s%s/%s", bcache__dir(), real, hex);
	link_path(hex, lnk, sizeof(lnk));
	found |= !unlink(lnk);
	snprintf(f, sizeof(f), "%s/elf", dir);
	found |= !unlink(f);
	snprintf(f, sizeof(f), "%s/probes", dir);
	unlink(f);
	found |= !rmdir(dir);
	return found ? 0 : -ENOENT;
}

int bcache__remove(const char *path, char hex[41], struct error *err)
{
	uint8_t id[PD_BUILD_ID_MAX];
	char real[PATH_MAX];
	int n;

	if (!realpath(path, real))
		return error__set(err, -errno, "%s: %s", path, strerror(errno));
	n = pd_buildid__from_elf(real, id);
	if (n <= 0)
		return error__set(err, n ? n : -ENOENT, "%s: no build-id", path);
	build_id__hex(id, (size_t)n, hex);
	if (remove_entry(real, hex))
		return error__set(err, -ENOENT, "%s (%s) is not in the cache %s", path, hex, bcache__dir());
	return 0;
}

int bcache__purge(const char *path, struct error *err)
{
	char real[PATH_MAX], dir[PATH_MAX + 64];
	struct dirent *de;
	DIR *d;
	int n = 0;

	if (!realpath(path, real))
		snprintf(real, sizeof(real), "%s", path);	/* the file may be gone */
	snprintf(dir, sizeof(dir), "%s%s", bcache__dir(), real);
	d = opendir(dir);
	if (!d)
		return error__set(err, -ENOENT, "%s is not in the cache %s", path, bcache__dir());
	while ((de = readdir(d)))
		if (strlen(de->d_name) >= 2 && strspn(de->d_name, "0123456789abcdef") == strlen(de->d_name))
			n += !remove_entry(real, de->d_name);
	closedir(d);
	rmdir(dir);
	return n;
}

int bcache__for_each(bcache_fn fn, void *ctx)
{
	char top[PATH_MAX], sub[PATH_MAX + 8], lnk[PATH_MAX + 300], target[PATH_MAX];
	struct dirent *de, *e;
	DIR *d, *s;
	int ret = 0;

	snprintf(top, sizeof(top), "%s/.build-id", bcache__dir());
	d = opendir(top);
	if (!d)
		return 0;
	while (!ret && (de = readdir(d))) {
		if (strlen(de->d_name) != 2 || de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", top, de->d_name);
		s = opendir(sub);
		if (!s)
			continue;
		while (!ret && (e = readdir(s))) {
			char hex[64], *slash;
			ssize_t n;

			if (e->d_name[0] == '.' || strlen(e->d_name) > 60)
				continue;
			snprintf(lnk, sizeof(lnk), "%s/%s", sub, e->d_name);
			n = readlink(lnk, target, sizeof(target) - 1);
			if (n <= 5)
				continue;
			target[n] = 0;
			snprintf(hex, sizeof(hex), "%s%s", de->d_name, e->d_name);
			/* ../..PATH/HEX */
			slash = strrchr(target, '/');
			if (!slash || strncmp(target, "../..", 5))
				continue;
			*slash = 0;
			ret = fn(ctx, hex, target + 5);
		}
		closedir(s);
	}
	closedir(d);
	return ret;
}

bool bcache__has(const uint8_t *id, size_t id_size)
{
	char hex[2 * PD_BUILD_ID_MAX + 1], lnk[PATH_MAX + 8];
	struct stat st;

	build_id__hex(id, id_size, hex);
	link_path(hex, lnk, sizeof(lnk) - 5);
	strcat(lnk, "/elf");
	return !stat(lnk, &st);
}
