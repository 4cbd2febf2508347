/* Owns the lookup of tracefs and of tracepoints in it (events/SYS/NAME/{id,format}). */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sampler/tracefs.h"

const char *tracefs__mountpoint(void)
{
	static const char *const dirs[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char path[128];

		snprintf(path, sizeof(path), "%s/events", dirs[i]);
		if (access(path, F_OK) == 0)
			return dirs[i];
	}
	errno = ENOENT;
	return NULL;
}

static int read_id(const char *path)
{
	char buf[32];
	FILE *f = fopen(path, "r");
	int id;

	if (!f)
		return errno == ENOENT ? -ENOENT : -errno;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	id = atoi(buf);
	return id > 0 ? id : -EINVAL;
}

int tracefs__event_id(const char *sys, const char *name)
{
	const char *mnt = tracefs__mountpoint();
	char path[512];

	if (!mnt)
		return -ENODEV;
	snprintf(path, sizeof(path), "%s/events/%s/%s/id", mnt, sys, name);
	return read_id(path);
}

static int filter_dir(const struct dirent *de)
{
	return de->d_name[0] != '.';
}

int tracefs__for_each_event(const char *sys_glob, const char *name_glob, tracefs_event_cb cb, void *arg)
{
	const char *mnt = tracefs__mountpoint();
	struct dirent **systems = NULL;
	char path[512];
	int nsys, matched = 0, ret = 0;

	if (!mnt)
		return -ENODEV;
	snprintf(path, sizeof(path), "%s/events", mnt);
	nsys = scandir(path, &systems, filter_dir, alphasort);
	if (nsys < 0)
		return -errno;
	for (int i = 0; i < nsys; i++) {
		struct dirent **events = NULL;
		int nev;

		if (ret < 0 || fnmatch(sys_glob, systems[i]->d_name, 0))
			goto next_sys;
		snprintf(path, sizeof(path), "%s/events/%s", mnt, systems[i]->d_name);
		nev = scandir(path, &events, filter_dir, alphasort);
		for (int j = 0; j < nev; j++) {
			int id;

			if (ret < 0 || fnmatch(name_glob, events[j]->d_name, 0))
				goto next_ev;
			snprintf(path, sizeof(path), "%s/events/%s/%s/id", mnt,
				 systems[i]->d_name, events[j]->d_name);
			id = read_id(path);
			if (id < 0)
				goto next_ev;	/* enable/filter files, not events */
			matched++;
			ret = cb(systems[i]->d_name, events[j]->d_name, id, arg);
next_ev:
			free(events[j]);
		}
		free(events);
next_sys:
		free(systems[i]);
	}
	free(systems);
	return ret < 0 ? ret : matched;
}
