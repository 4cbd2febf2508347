/* ptop's sample filters: --comm, --dso, --symbols lists, -K/-U (hide kernel or user
 * samples: counted in the total, not shown) and -u USER (other users' processes do not
 * count at all; a process's owner is read once from /proc and kept). */
#ifndef REPORT_TOP_FILTER_H
#define REPORT_TOP_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "util/strlist.h"

#include "util/htab.h"

struct addr_loc;
struct error;
struct top_opts;

struct top_filter {
	struct strlist comms, dsos, syms;
	bool hide_kernel, hide_user;
	uid_t uid;
	struct htab owners;		/* hash of pid -> (uid << 1 | 1) */
};

/* 0 or -ENOMEM with err. */
int top_filter__init(struct top_filter *f, const struct top_opts *o, struct error *err);
void top_filter__exit(struct top_filter *f);
/* Whether a sample at @al of a task named @comm is hidden (counted in the total only). */
bool top_filter__hides(const struct top_filter *f, const char *comm, const struct addr_loc *al,
		       bool demangle);
/* Whether process @pid belongs to the -u user (a process gone from /proc does not). */
bool top_filter__uid_ok(struct top_filter *f, pid_t pid);

#endif
