/* Owns the progress line: when it is due, what it says, drawing and wiping it on stderr. */
#include <stdio.h>
#include <time.h>

#include "report/session/progress.h"
#include "util/strfmt.h"

/* Records between two reads of the clock: far below a second at any speed. */
#define CHECK_EVERY 4096

double progress__now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void progress__init(struct progress *p, const char *name, uint64_t total_bytes, double now)
{
	*p = (struct progress){ .name = name, .total = total_bytes, .start = now, .last = -1,
				.next_check = CHECK_EVERY };
}

/* A count with K/M/G for thousands, millions, billions. */
static void human(char *buf, size_t size, double v)
{
	if (v >= 1e9)
		snprintf(buf, size, "%.1fG", v / 1e9);
	else if (v >= 1e6)
		snprintf(buf, size, "%.1fM", v / 1e6);
	else if (v >= 1e4)
		snprintf(buf, size, "%.0fK", v / 1e3);
	else
		snprintf(buf, size, "%.0f", v);
}

int progress__format(const struct progress *p, char *buf, size_t size, uint64_t records,
		     uint64_t done, double now)
{
	double secs = now - p->start;
	uint64_t total = p->total ? p->total : 1;
	char rate[16];
	int n;

	if (done > total)
		done = total;
	human(rate, sizeof(rate), secs > 0 ? records / secs : 0);
	n = snprintf(buf, size, "[ %s: %llu records, %d%% of %.0f MB, %s records/s ]", p->name,
		     (unsigned long long)records, (int)(done * 100 / total), p->total / 1e6, rate);
	return strfmt__fit(n, size);
}

int progress__format_items(const struct progress *p, char *buf, size_t size, uint64_t done,
			   uint64_t total, const char *items)
{
	int n;

	if (done > total)
		done = total;
	n = snprintf(buf, size, "[ %s: %llu of %llu %s, %d%% ]", p->name, (unsigned long long)done,
		     (unsigned long long)total, items, total ? (int)(done * 100 / total) : 100);
	return strfmt__fit(n, size);
}

bool progress__due(struct progress *p, double now)
{
	if (now - p->start < 1.0 || (p->last >= 0 && now - p->last < 0.25))
		return false;
	p->last = now;
	return true;
}

static void draw(struct progress *p, const char *line, int n)
{
	if (n > p->width)
		p->width = n;
	fprintf(stderr, "\r%-*s", p->width, line);
	fflush(stderr);
}

void progress__update(struct progress *p, uint64_t records, uint64_t done)
{
	char line[160];
	double now;
	int n;

	if (records < p->next_check)
		return;
	p->next_check = records + CHECK_EVERY;
	now = progress__now();
	if (!progress__due(p, now))
		return;
	n = progress__format(p, line, sizeof(line), records, done, now);
	draw(p, line, n);
}

void progress__items(struct progress *p, uint64_t done, uint64_t total, const char *items)
{
	char line[160];

	if (progress__due(p, progress__now()))
		draw(p, line, progress__format_items(p, line, sizeof(line), done, total, items));
}

void progress__end(struct progress *p)
{
	if (p->width)
		fprintf(stderr, "\r%*s\r", p->width, "");
	p->width = 0;
}
