/* The progress line of a reading tool on a terminal: after the first second of a walk,
 * "[ NAME: N records, P% of S MB, R records/s ]" on stderr, redrawn a few times a second
 * and wiped at the end. The caller decides whether stderr is a terminal. */
#ifndef REPORT_SESSION_PROGRESS_H
#define REPORT_SESSION_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct progress {
	const char *name;
	uint64_t total;			/* bytes to read (the data section) */
	double start, last;		/* seconds: the walk's start, the last line drawn */
	uint64_t next_check;		/* records count at which the clock is read again */
	int width;			/* the longest line drawn, to wipe it */
};

/* Seconds of a monotonic clock. */
double progress__now(void);
void progress__init(struct progress *p, const char *name, uint64_t total_bytes, double now);
/* The line for @records read, @done of the total bytes, at @now; its length. */
int progress__format(const struct progress *p, char *buf, size_t size, uint64_t records,
		     uint64_t done, double now);
/* Whether a line is due at @now: a second after the start, a quarter after the last. */
bool progress__due(struct progress *p, double now);
/* Called per record: every few thousand records, reads the clock and draws when due. */
void progress__update(struct progress *p, uint64_t records, uint64_t done);
/* A stage after the walk, over what it found: "[ NAME: DONE of TOTAL ITEMS, P% ]". The
 * line's length. */
int progress__format_items(const struct progress *p, char *buf, size_t size, uint64_t done,
			   uint64_t total, const char *items);
/* Called per item of such a stage (each reads the clock): draws when due. */
void progress__items(struct progress *p, uint64_t done, uint64_t total, const char *items);
/* Wipe the line if one was drawn. */
void progress__end(struct progress *p);

#endif
