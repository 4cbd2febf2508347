/* Owns the header-facts line of pfold's graphs (report/fold/facts.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "report/fold/facts.h"

#define CMDLINE_MAX 103

static void add(char *buf, size_t cap, size_t *n, const char *fmt, const char *a, unsigned long long v)
{
	int k;

	if (*n >= cap - 1)
		return;
	k = a ? snprintf(buf + *n, cap - *n, fmt, *n ? " | " : "", a)
	      : snprintf(buf + *n, cap - *n, fmt, *n ? " | " : "", v);
	if (k > 0)
		*n += (size_t)k < cap - *n ? (size_t)k : cap - *n - 1;
}

char *fold__facts(const struct fold *f, char *buf, size_t cap)
{
	size_t n = 0;
	char date[64];
	struct tm tm;
	time_t t = (time_t)f->date;

	if (!cap)
		return buf;
	buf[0] = '\0';
	if (!f->path)
		return buf;
	if (f->cmdline && strlen(f->cmdline) > CMDLINE_MAX)	/* one line of the graph's width */
		add(buf, cap, &n, "%scmdline: %.100s...", f->cmdline, 0);
	else if (f->cmdline)
		add(buf, cap, &n, "%scmdline: %s", f->cmdline, 0);
	if (f->hostname)
		add(buf, cap, &n, "%shost: %s", f->hostname, 0);
	if (f->date && localtime_r(&t, &tm) && strftime(date, sizeof(date), "%a %b %e %H:%M:%S %Y", &tm))
		add(buf, cap, &n, "%scaptured on %s", date, 0);
	if (f->event)
		add(buf, cap, &n, "%sevent: %s", f->event, 0);
	add(buf, cap, &n, "%s%llu samples", NULL, (unsigned long long)f->nr_samples[0]);
	add(buf, cap, &n, "%s%llu lost", NULL, (unsigned long long)f->nr_lost);
	return buf;
}
