/* The parent key (--sort parent, --parent REGEX), shared by preport and ptop: a sample's
 * parent is the first frame of its call chain, in the order the graphs read it, whose
 * symbol matches the regex (perf's rule; perf's default regex below). Each symbol (or
 * inlined level) is matched once; matches are interned. */
#ifndef REPORT_HIST_PARENT_H
#define REPORT_HIST_PARENT_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/htab.h"

#define HIST_PARENT_DEFAULT "^sys_|^do_page_fault"

struct addr_loc;
struct error;
struct strpool;

struct hist_parent {
	regex_t re;
	bool re_ok, demangle;
	struct strpool *strs;		/* the caller's, for the matched names */
	struct htab tab;		/* hash of the symbol's (or inline level's) address -> index + 1 */
	struct hist_parent_ent { const void *k; const char *v; } *e;
	size_t nr, cap;
};

/* @regex NULL: perf's default. 0, or -EINVAL with a message naming the regex. */
int hist_parent__init(struct hist_parent *p, const char *regex, struct strpool *strs,
		      bool demangle, struct error *err);
void hist_parent__exit(struct hist_parent *p);
/* The parent of the chain @locs[0..nf) (pointers, in the graphs' order): the first frame whose
 * name matches, interned; NULL when none does (perf's "[other]"), or on ENOMEM (*oom set). */
const char *hist_parent__of(struct hist_parent *p, const struct addr_loc *const *locs, int nf,
			    bool *oom);

#endif
