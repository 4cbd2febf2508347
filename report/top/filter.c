/* Owns ptop's sample filters (report/top/filter.h). The lists are short (what a person
 * types), so a sample is checked against each entry; the owner of a process is looked up
 * in a hash table, /proc read once per process. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/session/session.h"
#include "report/top/filter.h"
#include "report/top/model.h"
#include "util/error.h"
#include "util/hash.h"

int top_filter__init(struct top_filter *f, const struct top_opts *o, struct error *err)
{
	memset(f, 0, sizeof(*f));
	f->hide_kernel = o->hide_kernel;
	f->hide_user = o->hide_user;
	f->uid = o->uid;
	if (strlist__split(&f->comms, o->comms) ||
	    strlist__split(&f->dsos, o->dsos) ||
	    strlist__split(&f->syms, o->symbols))
		return error__nomem(err);
	return 0;
}

void top_filter__exit(struct top_filter *f)
{
	strlist__exit(&f->comms);
	strlist__exit(&f->dsos);
	strlist__exit(&f->syms);
	htab__exit(&f->owners);
	memset(f, 0, sizeof(*f));
}

bool top_filter__hides(const struct top_filter *f, const char *comm, const struct addr_loc *al,
		       bool demangle)
{
	if (f->hide_kernel && al->cpumode == PERF_RECORD_MISC_KERNEL)
		return true;
	if (f->hide_user && al->cpumode == PERF_RECORD_MISC_USER)
		return true;
	if (f->comms.nr && !strlist__has(&f->comms, comm))
		return true;
	if (f->dsos.nr) {
		const char *name = al->dso ? al->dso->name : NULL, *b = name ? strrchr(name, '/') : NULL;

		if (!name || (!strlist__has(&f->dsos, name) &&
			      !(b && strlist__has(&f->dsos, b + 1))))
			return true;
	}
	if (f->syms.nr && (!al->sym || !strlist__has(&f->syms, symbol__name(al->sym, demangle))))
		return true;
	return false;
}

/* The real uid of /proc/PID/status; -1 when the process is gone. */
static long read_uid(pid_t pid)
{
	char path[64], line[256];
	long uid = -1;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	fp = fopen(path, "r");
	if (!fp)
		return -1;
	while (fgets(line, sizeof(line), fp))
		if (sscanf(line, "Uid: %ld", &uid) == 1)
			break;
	fclose(fp);
	return uid;
}

bool top_filter__uid_ok(struct top_filter *f, pid_t pid)
{
	uint64_t h = hash_u64((uint64_t)(uint32_t)pid);
	struct htab_slot *s;
	size_t pos;
	long uid;

	if (pid <= 0)
		return false;
	/* hash_u64 is a bijection: an equal hash is the same pid */
	htab__for_each_hash(&f->owners, h, s, pos)
		return (uid_t)(s->val >> 1) == f->uid;
	uid = read_uid(pid);
	if (uid < 0)
		return false;
	htab__insert(&f->owners, h, ((uintptr_t)uid << 1) | 1);
	return (uid_t)uid == f->uid;
}
