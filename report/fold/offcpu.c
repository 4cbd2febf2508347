/* Owns pfold's off-CPU folding (report/fold/offcpu.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/fold/offcpu.h"
#include "report/session/offcpu.h"

int fold_offcpu__pick(struct pd_reader *r, enum fold_offcpu_mode mode, struct pd_evsel **on,
		      struct pd_evsel **off, struct error *err)
{
	const char *path = pd_reader__path(r);

	*on = *off = NULL;
	for (size_t i = 0; i < pd_reader__nr_evsels(r); i++) {
		struct pd_evsel *e = pd_reader__evsel(r, i);

		if (mode == FOLD_OFFCPU_WAKERS ? session_offcpu__is_waking(e) : session_offcpu__is(e)) {
			if (!*off)
				*off = e;
		} else if (!*on && !session_offcpu__is(e) && !session_offcpu__is_waking(e)) {
			*on = e;
		}
	}
	if (mode != FOLD_OFFCPU_AUTO)
		*on = NULL;
	if (*off || mode == FOLD_OFFCPU_AUTO)
		return 0;
	if (mode == FOLD_OFFCPU_WAKERS)
		return error__set(err, -ENOENT, "%s has no sched:sched_waking samples: record with"
				  " 'precord --off-cpu=wakers'", path);
	return error__set(err, -ENOENT, "%s has no off-CPU samples (event offcpu-time): record with"
			  " 'precord --off-cpu'", path);
}

uint32_t fold_offcpu__state_frame(struct fold *f, const struct pd_sample *smp)
{
	struct offcpu_raw raw;
	char name[64];
	int n;

	session_offcpu__raw(smp, &raw);
	n = snprintf(name, sizeof(name), FOLD_OFFCPU_MARK ":%s]", offcpu__state_name(raw.state));
	return fold__name(f, name, (size_t)n, FOLD_K_OTHER, FOLD_NONE, 0);
}

int fold_offcpu__wakee_frames(struct fold *f, const struct pd_sample *smp, uint32_t ids[2])
{
	char comm[17] = "[unknown]";
	uint32_t pid = 0;
	size_t n;

	session_offcpu__wakee(smp, comm, &pid);
	n = strlen(comm);
	for (size_t i = 0; i < n; i++)
		if (comm[i] == ' ' || comm[i] == ';')
			comm[i] = '_';
	ids[0] = fold__name(f, comm, n, FOLD_K_COMM, FOLD_NONE, 0);
	ids[1] = fold__name(f, "[woken-by]", 10, FOLD_K_OTHER, FOLD_NONE, 0);
	return ids[0] == FOLD_NONE || ids[1] == FOLD_NONE ? -ENOMEM : 0;
}

enum { HOT = 1, COLD = 2 };

uint8_t *fold_offcpu__cold(const struct fold *f, int profile, bool period)
{
	uint8_t *st;
	bool any = false;

	for (size_t i = 0; i < f->nr_names && !any; i++)
		any = !strncmp(f->names[i].s, FOLD_OFFCPU_MARK, sizeof(FOLD_OFFCPU_MARK) - 1);
	if (!any || !(st = calloc(f->nr_nodes ? f->nr_nodes : 1, 1)))
		return NULL;
	/* children have larger ids than their parents: one pass from the end */
	for (size_t i = f->nr_nodes; i-- > 1;) {
		const struct fold_node *n = &f->nodes[i];
		const char *nm = f->names[n->name].s;

		if (fold__value(n, profile, period))
			st[i] |= strncmp(nm, FOLD_OFFCPU_MARK, sizeof(FOLD_OFFCPU_MARK) - 1) ? HOT : COLD;
		st[n->parent] |= st[i];
	}
	for (size_t i = 0; i < f->nr_nodes; i++)
		st[i] = st[i] == COLD;
	return st;
}
