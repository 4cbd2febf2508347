/* Owns ptop's header line (report/top/header.h). */
#include <stdio.h>

#include "report/top/header.h"

char *top_header__format(const struct top_header *h, char *buf, size_t size)
{
	const struct top_stats *st = &h->st;
	double rate = h->interval > 0 ? (double)st->samples / h->interval : 0;
	double kpct = st->samples ? 100.0 * (double)st->kernel_samples / (double)st->samples : 0;
	char how[64];

	if (h->period)
		snprintf(how, sizeof(how), "c=%llu", (unsigned long long)h->period);
	else
		snprintf(how, sizeof(how), "%lluHz", (unsigned long long)h->freq);
	snprintf(buf, size, "   PTop: %8.0f samples/sec  kernel:%5.1f%%  lost: %llu  [%s %s],  (%s)"
		 "  ptop: %.1f%% CPU", rate, kpct, (unsigned long long)st->lost, how,
		 st->event ? st->event : "?", h->target ? h->target : "all", h->own_cpu);
	return buf;
}
