/* Owns the lookup of tracefs and of tracepoints in it (events/SYS/NAME/{id,format}). */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sampler/tracefs.h"

#include "util/sysfs.h"

static const char *const tracefs_dirs[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

const char *tracefs__mountpoint(void)
{
	bool denied = false;

	for (size_t i = 0; i < sizeof(tracefs_dirs) / sizeof(tracefs_dirs[0]); i++) {
		char path[128];

		snprintf(path, sizeof(path), "%s/events", tracefs_dirs[i]);
		if (access(path, F_OK) == 0)
			return tracefs_dirs[i];
		denied |= errno == EACCES;
	}
	errno = denied ? EACCES : ENOENT;
	return NULL;
}

int tracefs__denied(char *msg, size_t len)
{
	/* the directory a tracepoint lookup could not enter: the first on the way that exists
	 * and is not searchable by us */
	for (size_t i = 0; i < sizeof(tracefs_dirs) / sizeof(tracefs_dirs[0]); i++) {
		char path[128];
		const char *p = tracefs_dirs[i];
		struct stat st;

		snprintf(path, sizeof(path), "%s/events", p);
		if (access(path, F_OK) == 0 || errno != EACCES)
			continue;
		if (access(p, X_OK) == 0)
			p = path;
		if (stat(p, &st))
			st.st_mode = 0, st.st_uid = 0;
		snprintf(msg, len, "no permission to read the tracepoints in tracefs (%s is mode %04o, owner "
			 "uid %u): run as root, or open it up with 'chmod go+rx %s' (or mount tracefs with "
			 "-o mode=755)", p, (unsigned)(st.st_mode & 07777), (unsigned)st.st_uid, p);
		return -EACCES;
	}
	return 0;
}

/* A tracepoint's id: > 0, or -errno (-EINVAL: not an id, e.g. the enable file). */
static int read_id(const char *path)
{
	int id, ret = sysfs__read_int(path, &id);

	if (ret == -ENODATA)
		return -EIO;
	if (ret)
		return ret == -ERANGE ? -EINVAL : ret;
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

/* The tree of events/ listed once per process: globs are matched against these names, and an
 * id file is read only for a tracepoint that matched (and then kept). A spec list with many
 * globs ("sched:*,irq:*,...") walks tracefs once, not once per glob. */
struct tp_name {
	char *name;
	int id;			/* 0: not read yet */
};

struct tp_sys {
	char *name;
	struct tp_name *events;
	int nr_events;		/* -1: not listed yet */
};

static struct tp_sys *tp_systems;
static int tp_nr_systems = -1;	/* -1: not listed yet */

void tracefs__forget_events(void)
{
	for (int i = 0; i < tp_nr_systems; i++) {
		for (int j = 0; j < tp_systems[i].nr_events; j++)
			free(tp_systems[i].events[j].name);
		free(tp_systems[i].events);
		free(tp_systems[i].name);
	}
	free(tp_systems);
	tp_systems = NULL;
	tp_nr_systems = -1;
}

/* Names of the subdirectories of PATH, sorted; returns their number or -errno. */
static int list_dir(const char *path, char ***names)
{
	struct dirent **ents = NULL;
	int n = scandir(path, &ents, filter_dir, alphasort), err = 0;

	if (n < 0)
		return -errno;
	*names = calloc(n ? (size_t)n : 1, sizeof(**names));
	for (int i = 0; i < n; i++) {
		if (*names && !err && !((*names)[i] = strdup(ents[i]->d_name)))
			err = -ENOMEM;
		free(ents[i]);
	}
	free(ents);
	if (!*names)
		return -ENOMEM;
	if (err) {
		for (int i = 0; i < n; i++)
			free((*names)[i]);
		free(*names);
		*names = NULL;
		return err;
	}
	return n;
}

static int list_systems(const char *mnt)
{
	char path[512], **names;
	int n;

	if (tp_nr_systems >= 0)
		return 0;
	snprintf(path, sizeof(path), "%s/events", mnt);
	n = list_dir(path, &names);
	if (n < 0)
		return n;
	tp_systems = calloc(n ? (size_t)n : 1, sizeof(*tp_systems));
	if (!tp_systems) {
		for (int i = 0; i < n; i++)
			free(names[i]);
		free(names);
		return -ENOMEM;
	}
	for (int i = 0; i < n; i++)
		tp_systems[i] = (struct tp_sys){ .name = names[i], .nr_events = -1 };
	free(names);
	tp_nr_systems = n;
	return 0;
}

static int list_events(const char *mnt, struct tp_sys *sys)
{
	char path[512], **names;
	int n;

	if (sys->nr_events >= 0)
		return 0;
	snprintf(path, sizeof(path), "%s/events/%s", mnt, sys->name);
	n = list_dir(path, &names);
	if (n < 0) {
		sys->nr_events = 0;	/* vanished or unreadable: nothing to match */
		return 0;
	}
	sys->events = calloc(n ? (size_t)n : 1, sizeof(*sys->events));
	if (!sys->events) {
		for (int i = 0; i < n; i++)
			free(names[i]);
		free(names);
		return -ENOMEM;
	}
	for (int i = 0; i < n; i++)
		sys->events[i].name = names[i];
	free(names);
	sys->nr_events = n;
	return 0;
}

static bool is_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

int tracefs__for_each_event(const char *sys_glob, const char *name_glob, tracefs_event_cb cb, void *arg)
{
	const char *mnt = tracefs__mountpoint();
	int matched = 0, ret;

	if (!mnt)
		return -ENODEV;
	if (!is_glob(sys_glob) && !is_glob(name_glob)) {
		int id = tracefs__event_id(sys_glob, name_glob);

		if (id == -ENOENT || id == -ENOTDIR || id == -EINVAL)
			return 0;
		if (id < 0)
			return id;
		ret = cb(sys_glob, name_glob, id, arg);
		return ret < 0 ? ret : 1;
	}
	ret = list_systems(mnt);
	if (ret < 0)
		return ret;
	for (int i = 0; i < tp_nr_systems; i++) {
		struct tp_sys *sys = &tp_systems[i];

		if (fnmatch(sys_glob, sys->name, 0))
			continue;
		ret = list_events(mnt, sys);
		if (ret < 0)
			return ret;
		for (int j = 0; j < sys->nr_events; j++) {
			struct tp_name *ev = &sys->events[j];
			char path[512];

			if (ev->id < 0 || fnmatch(name_glob, ev->name, 0))
				continue;
			if (!ev->id) {
				snprintf(path, sizeof(path), "%s/events/%s/%s/id", mnt, sys->name, ev->name);
				ev->id = read_id(path);
				if (ev->id < 0)
					continue;	/* enable/filter files, not events */
			}
			matched++;
			ret = cb(sys->name, ev->name, ev->id, arg);
			if (ret < 0)
				return ret;
		}
	}
	return matched;
}
