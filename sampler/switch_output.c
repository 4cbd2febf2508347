/* Owns the naming and the rotation of --switch-output's files (sampler/switch_output.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "sampler/switch_output.h"
#include "util/array.h"
#include "util/log.h"

int switch_output__name(const char *base, char *buf, size_t size)
{
	struct timeval tv;
	struct tm tm;
	char ts[32];
	int n;

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y%m%d%H%M%S", &tm);
	n = snprintf(buf, size, "%s.%s%02d", base, ts, (int)(tv.tv_usec / 10000));
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int switch_files__add(struct switch_files *f, const char *name)
{
	char *copy = strdup(name);

	if (!copy || ARRAY_GROW(f->names, f->cap, f->nr + 1)) {
		free(copy);
		return -ENOMEM;
	}
	f->names[f->nr++] = copy;
	while (f->max && f->nr > f->max) {
		if (unlink(f->names[0]) && errno != ENOENT)
			pr_warn("cannot remove %s (--switch-max-files): %s", f->names[0], strerror(errno));
		free(f->names[0]);
		memmove(f->names, f->names + 1, (f->nr - 1) * sizeof(*f->names));
		f->nr--;
	}
	return 0;
}

void switch_files__free(struct switch_files *f)
{
	for (size_t i = 0; i < f->nr; i++)
		free(f->names[i]);
	free(f->names);
	f->names = NULL;
	f->nr = f->cap = 0;
}
