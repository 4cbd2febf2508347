/* Owns the second thread that builds and sorts the printed entries' call-graph trees
 * (presort.h). */
#include <errno.h>

#include "report/hist/presort.h"

#define PRESORT_MIN 256		/* fewer trees are sorted faster than a thread starts */

bool cc_presort__wanted(const struct cc_param *p, size_t nr)
{
	return (p->mode == CC_GRAPH_ABS || p->mode == CC_GRAPH_REL) && nr >= PRESORT_MIN;
}

static int sort_all(struct cc_presort *ps)
{
	if (ps->log && cc_log__replay(ps->log, ps->arena, ps->min_hit,
				      ps->param->mode == CC_GRAPH_REL))
		return -ENOMEM;
	for (size_t i = 0; i < ps->nr; i++) {
		struct cc_root *tree = ps->v[i]->cc.root;	/* NULL: nothing to print */

		if (tree && cc_root__sort(tree, NULL, ps->param, ps->min_hit))
			return -ENOMEM;
	}
	return 0;
}

static void *presort_main(void *arg)
{
	struct cc_presort *ps = arg;

	ps->ret = sort_all(ps);
	return NULL;
}

int cc_presort__start(struct cc_presort *ps, struct hist_entry **v, size_t nr,
		      const struct cc_param *p, uint64_t min_hit, struct cc_log *log,
		      struct cc_arena *a)
{
	*ps = (struct cc_presort){ .v = v, .nr = nr, .param = p, .min_hit = min_hit, .log = log,
				   .arena = a };
	if (!pthread_create(&ps->tid, NULL, presort_main, ps)) {
		ps->running = true;
		return 0;
	}
	return sort_all(ps);
}

int cc_presort__join(struct cc_presort *ps)
{
	if (ps->running) {
		pthread_join(ps->tid, NULL);
		ps->running = false;
		return ps->ret;
	}
	return 0;
}
