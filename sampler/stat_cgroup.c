/* Owns the lookup of cgroup directories for pstat and precord --all-cgroups: the hierarchy
 * perf_event counts in (cgroup v1 with the perf_event controller, else the cgroup2 mount),
 * from /proc/self/mounts. */
#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sampler/stat_cgroup.h"

int stat_cgroup__root(char *root, size_t len)
{
	FILE *f = setmntent("/proc/self/mounts", "r");
	struct mntent *m;
	int found = 0;

	if (!f)
		return -errno;
	/* a v1 hierarchy with the perf_event controller holds it (a hybrid system's cgroup2
	 * then has no perf_event): the kernel's cgroup ids and fds are of that one */
	while ((m = getmntent(f))) {
		if (!strcmp(m->mnt_type, "cgroup") && hasmntopt(m, "perf_event")) {
			snprintf(root, len, "%s", m->mnt_dir);
			found = 1;
			break;
		}
		if (!found && !strcmp(m->mnt_type, "cgroup2")) {
			snprintf(root, len, "%s", m->mnt_dir);
			found = 2;
		}
	}
	endmntent(f);
	return found ? 0 : -ENODEV;
}

int stat_cgroup__open(const char *name, char *path, size_t len)
{
	char root[512];
	int err = stat_cgroup__root(root, sizeof(root)), fd;

	if (err) {
		snprintf(path, len, "%s", name);
		return err;
	}
	while (*name == '/')
		name++;
	snprintf(path, len, "%s/%s", root, name);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}
