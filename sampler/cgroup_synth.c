/* Owns the PERF_RECORD_CGROUP records of precord --all-cgroups for the cgroups that exist
 * when the recording starts (the kernel writes those made later): every directory of the
 * hierarchy perf_event samples in, its id the kernfs id that name_to_handle_at gives, its
 * path relative to the mount ("/" the root), as perf record writes them. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "sampler/cgroup_synth.h"
#include "sampler/stat_cgroup.h"
#include "sampler/synth.h"

static int cgroup_id(const char *path, uint64_t *id)
{
	struct {
		struct file_handle fh;
		uint64_t id;
	} h = { .fh.handle_bytes = sizeof(uint64_t) };
	int mount_id;

	if (name_to_handle_at(AT_FDCWD, path, &h.fh, &mount_id, 0))
		return -errno;
	*id = h.id;
	return 0;
}

/* @dir: the directory on disk, @rel its path from the root ("" for the root itself). */
static int walk(struct synth *s, char *dir, size_t len, size_t cap, size_t root_len, int depth)
{
	uint64_t id = 0;
	DIR *d;
	struct dirent *de;
	int ret = 0;

	if (cgroup_id(dir, &id))
		return 0;	/* gone meanwhile, or no handles on this filesystem */
	ret = synth__cgroup(s, id, len > root_len ? dir + root_len : "/");
	if (ret || depth > 64 || !(d = opendir(dir)))
		return ret;
	while (!ret && (de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (de->d_type != DT_DIR || de->d_name[0] == '.' || len + 1 + n >= cap)
			continue;
		dir[len] = '/';
		memcpy(dir + len + 1, de->d_name, n + 1);
		ret = walk(s, dir, len + 1 + n, cap, root_len, depth + 1);
		dir[len] = 0;
	}
	closedir(d);
	return ret;
}

int cgroup_synth__all(struct synth *s)
{
	char dir[4096];
	size_t len;

	if (stat_cgroup__root(dir, sizeof(dir)))
		return 0;	/* no cgroup hierarchy: samples carry ids no record names */
	len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		dir[--len] = 0;
	return walk(s, dir, len, sizeof(dir), len, 0);
}
