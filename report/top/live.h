/* ptop's sampling behind the view: the recording (sampler/record.h, into --record FILE or
 * /dev/null) runs on its own thread and hands every chunk of records to the model under a
 * lock; the view takes the lock to read the model. */
#ifndef REPORT_TOP_LIVE_H
#define REPORT_TOP_LIVE_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>

#include "sampler/record.h"
#include "util/error.h"

struct top_model;

struct top_live {
	struct record_opts ro;		/* the caller's, with the sink set */
	struct top_model *model;
	pthread_mutex_t lock;
	pthread_t thread;
	bool started;
	volatile sig_atomic_t stop;	/* ends the recording */
	volatile sig_atomic_t done;	/* the recording has ended (targets gone, an error) */
	struct record_result res;
	struct error err;
	int ret;
};

/* Start sampling with @ro (its sink and stop are replaced) into @model. 0 or -errno. */
int top_live__start(struct top_live *l, const struct record_opts *ro, struct top_model *model);
void top_live__lock(struct top_live *l);
void top_live__unlock(struct top_live *l);
/* Stop and wait for the recording; its result: 0 or -errno with l->err (kind a record_stage). */
int top_live__finish(struct top_live *l);

#endif
