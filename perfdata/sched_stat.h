/* pinject -s (perf inject --sched-stat): sched_switch samples carry the call chain where a
 * task went to sleep, sched_stat_* samples (sleep, wait, iowait, blocked, runtime) how long.
 * As perf inject -s does, in time order: each task's last sched_switch sample is kept (and
 * left out of the output), a sched_process_exit forgets it, and each sched_stat_* sample for
 * that task (its "pid" field) is replaced by the kept switch sample with the stat's time and
 * period; stat samples of a task without a kept switch are left out. Other records pass. */
#ifndef PERFDATA_SCHED_STAT_H
#define PERFDATA_SCHED_STAT_H

#include <stdint.h>

#include "perfdata/inject.h"

struct pd_sched_stat;

struct pd_sched_stat *pd_sched_stat__new(void);
void pd_sched_stat__free(struct pd_sched_stat *st);
/* The hook (pd_inject_hook_fn) with ctx a pd_sched_stat; pinject runs it with opts.ordered. */
int pd_sched_stat__hook(void *ctx, struct pd_inject *in, const struct pd_record *rec, struct error *err);
/* After the run: stat samples merged with a switch, and left out for want of one. */
uint64_t pd_sched_stat__merged(const struct pd_sched_stat *st);
uint64_t pd_sched_stat__unmatched(const struct pd_sched_stat *st);

#endif
