/* precord --all-cgroups: a PERF_RECORD_CGROUP (id, path) for every cgroup that exists when the
 * recording starts, so the readers can name the cgroup id each sample carries. */
#ifndef SAMPLER_CGROUP_SYNTH_H
#define SAMPLER_CGROUP_SYNTH_H

struct synth;

/* 0, or the first -errno of the synth's emitter (a missing hierarchy is not an error). */
int cgroup_synth__all(struct synth *s);

#endif
