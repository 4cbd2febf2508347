/* --switch-output's files: the name perf gives a finished one (OUTPUT.YYYYMMDDhhmmssCC, the
 * local time to the hundredth of a second) and --switch-max-files (only the newest N kept, the
 * older ones removed). */
#ifndef SAMPLER_SWITCH_OUTPUT_H
#define SAMPLER_SWITCH_OUTPUT_H

#include <stddef.h>

struct switch_files {
	char **names;		/* oldest first */
	size_t nr, cap;
	unsigned int max;	/* 0: keep all */
};

/* @base.TIMESTAMP into @buf. 0, or -ENAMETOOLONG. */
int switch_output__name(const char *base, char *buf, size_t size);
/* One more finished file; when there are more than max, the oldest is unlinked. 0 or -errno. */
int switch_files__add(struct switch_files *f, const char *name);
void switch_files__free(struct switch_files *f);

#endif
