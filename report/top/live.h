/* ptop's sampling behind the view, on two threads: the recording (sampler/record.h, into
 * --record FILE or /dev/null) copies each round of ring data into a queue and goes back to
 * the rings at once; a worker applies the queued rounds to the model under the model's lock
 * (symbol tables are loaded there, so a new DSO never holds the rings up). The view takes the
 * lock to read the model. */
#ifndef REPORT_TOP_LIVE_H
#define REPORT_TOP_LIVE_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "sampler/record.h"
#include "util/error.h"

struct top_model;

struct top_live {
	struct record_opts ro;		/* the caller's, with the sink set */
	struct top_model *model;
	pthread_mutex_t lock;		/* the model */
	pthread_t thread, worker;
	bool started, worker_started;
	volatile sig_atomic_t stop;	/* ends the recording */
	volatile sig_atomic_t done;	/* the recording has ended (targets gone, an error) */
	struct record_result res;
	struct error err;
	int ret;
	/* the queue between the two threads */
	pthread_mutex_t qlock;
	pthread_cond_t qcond;
	const struct pd_event_desc *descs;
	size_t nr_descs;
	char *q;			/* records; those before q_round make whole rounds */
	size_t q_len, q_cap, q_round;
	bool q_end;			/* the recording has ended: apply what is left and stop */
	uint64_t dropped;		/* bytes of rounds dropped while the queue was full */
	volatile sig_atomic_t rounds;	/* rounds applied so far (the worker's count) */
};

/* Start sampling with @ro (its sink and stop are replaced) into @model. 0 or -errno. */
int top_live__start(struct top_live *l, const struct record_opts *ro, struct top_model *model);
void top_live__lock(struct top_live *l);
void top_live__unlock(struct top_live *l);
/* Wait until samples flow (the first round applied: the existing processes are listed and
 * the events are on) or the recording ended or @stop is set; polls every 50 ms. */
void top_live__wait_started(struct top_live *l, volatile sig_atomic_t *stop);
/* Stop and wait for the recording and the worker; the recording's result: 0 or -errno with
 * l->err (kind a record_stage). */
int top_live__finish(struct top_live *l);

#endif
