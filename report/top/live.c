/* Owns ptop's sampling and applying threads and the queue between them (report/top/live.h).
 * The recording's thread only appends to the queue (one memcpy per ring per round); what
 * takes time (ordering, symbol lookup, loading a DSO's symbols) is the worker's. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/top/live.h"
#include "report/top/model.h"
#include "util/array.h"

#define QUEUE_MAX (256u << 20)	/* rounds beyond this wait nowhere: they are dropped */

static void sink(void *arg, const struct pd_event_desc *descs, size_t nr_descs, const void *buf,
		 size_t len)
{
	struct top_live *l = arg;

	pthread_mutex_lock(&l->qlock);
	l->descs = descs;
	l->nr_descs = nr_descs;
	if (!buf) {
		l->q_round = l->q_len;
		pthread_cond_signal(&l->qcond);
	} else if (l->q_len + len > QUEUE_MAX || ARRAY_GROW(l->q, l->q_cap, l->q_len + len)) {
		l->dropped += len;
	} else {
		memcpy(l->q + l->q_len, buf, len);
		l->q_len += len;
	}
	pthread_mutex_unlock(&l->qlock);
}

static void *run(void *arg)
{
	struct top_live *l = arg;

	l->ret = record__run(&l->ro, &l->res, &l->err);
	pthread_mutex_lock(&l->qlock);
	l->q_round = l->q_len;		/* what the last drain left */
	l->q_end = true;
	pthread_cond_signal(&l->qcond);
	pthread_mutex_unlock(&l->qlock);
	l->done = 1;
	return NULL;
}

/* Take the queued rounds (swapping buffers: the rest of the queue moves to the new one),
 * apply them to the model, until the recording has ended and the queue is empty. */
static void *work(void *arg)
{
	struct top_live *l = arg;
	char *mine = NULL;
	size_t cap = 0;

	for (;;) {
		const struct pd_event_desc *descs;
		size_t n, nr_descs, rest, tcap;
		bool end;
		char *t;

		pthread_mutex_lock(&l->qlock);
		while (!l->q_round && !l->q_end)
			pthread_cond_wait(&l->qcond, &l->qlock);
		n = l->q_round;
		end = l->q_end && n == l->q_len;
		rest = l->q_len - n;
		/* the rest of the queue goes into the other buffer, which becomes the queue */
		if (rest && ARRAY_GROW(mine, cap, rest)) {
			l->dropped += rest;
			rest = 0;
		} else if (rest) {
			memcpy(mine, l->q + n, rest);
		}
		t = l->q;
		tcap = l->q_cap;
		l->q = mine;
		l->q_cap = cap;
		mine = t;
		cap = tcap;
		l->q_len = rest;
		l->q_round = 0;
		descs = l->descs;
		nr_descs = l->nr_descs;
		pthread_mutex_unlock(&l->qlock);
		if (n) {
			pthread_mutex_lock(&l->lock);
			top_model__feed(l->model, descs, nr_descs, mine, n);
			pthread_mutex_unlock(&l->lock);
			l->rounds++;
		}
		if (end)
			break;
	}
	free(mine);
	return NULL;
}

int top_live__start(struct top_live *l, const struct record_opts *ro, struct top_model *model)
{
	sigset_t all, old;
	int ret;

	memset(l, 0, sizeof(*l));
	l->ro = *ro;
	l->ro.sink = sink;
	l->ro.sink_arg = l;
	l->ro.stop = &l->stop;
	l->model = model;
	pthread_mutex_init(&l->lock, NULL);
	pthread_mutex_init(&l->qlock, NULL);
	pthread_cond_init(&l->qcond, NULL);
	/* signals go to the view's thread (the threads inherit this mask), which stops the
	 * recording through l->stop */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	ret = pthread_create(&l->worker, NULL, work, l);
	if (!ret) {
		l->worker_started = true;
		ret = pthread_create(&l->thread, NULL, run, l);
		if (ret) {
			l->q_end = true;
			pthread_cond_signal(&l->qcond);
			pthread_join(l->worker, NULL);
			l->worker_started = false;
		}
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret)
		return -ret;
	l->started = true;
	return 0;
}

void top_live__wait_started(struct top_live *l, volatile sig_atomic_t *stop)
{
	const struct timespec tick = { .tv_nsec = 50 * 1000 * 1000 };

	while (!l->rounds && !l->done && !(stop && *stop))
		nanosleep(&tick, NULL);
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
	pthread_join(l->worker, NULL);
	l->started = l->worker_started = false;
	free(l->q);
	l->q = NULL;
	pthread_cond_destroy(&l->qcond);
	pthread_mutex_destroy(&l->qlock);
	pthread_mutex_destroy(&l->lock);
	return l->ret;
}
