/* Owns ptop's sampling thread (report/top/live.h). */
#include <errno.h>
#include <string.h>

#include "report/top/live.h"
#include "report/top/model.h"

static void sink(void *arg, const struct pd_event_desc *descs, size_t nr_descs, const void *buf,
		 size_t len)
{
	struct top_live *l = arg;

	pthread_mutex_lock(&l->lock);
	top_model__feed(l->model, descs, nr_descs, buf, len);
	pthread_mutex_unlock(&l->lock);
}

static void *run(void *arg)
{
	struct top_live *l = arg;

	l->ret = record__run(&l->ro, &l->res, &l->err);
	l->done = 1;
	return NULL;
}

int top_live__start(struct top_live *l, const struct record_opts *ro, struct top_model *model)
{
	int ret;

	memset(l, 0, sizeof(*l));
	l->ro = *ro;
	l->ro.sink = sink;
	l->ro.sink_arg = l;
	l->ro.stop = &l->stop;
	l->model = model;
	sigset_t all, old;

	pthread_mutex_init(&l->lock, NULL);
	/* signals go to the view's thread (the thread inherits this mask), which stops the
	 * recording through l->stop */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	ret = pthread_create(&l->thread, NULL, run, l);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret)
		return -ret;
	l->started = true;
	return 0;
}

void top_live__lock(struct top_live *l)
{
	pthread_mutex_lock(&l->lock);
}

void top_live__unlock(struct top_live *l)
{
	pthread_mutex_unlock(&l->lock);
}

int top_live__finish(struct top_live *l)
{
	if (!l->started)
		return 0;
	l->stop = 1;
	pthread_join(l->thread, NULL);
	l->started = false;
	pthread_mutex_destroy(&l->lock);
	return l->ret;
}
