/* A command run under measurement: forked stopped before exec, released by workload__start. */
#ifndef SAMPLER_WORKLOAD_H
#define SAMPLER_WORKLOAD_H

#include <sys/resource.h>
#include <sys/types.h>

struct workload {
	pid_t pid;
	int go_fd;	/* parent writes one byte: exec now */
	int err_fd;	/* child writes errno if exec fails; EOF (close-on-exec) means it ran */
};

/* Fork argv[0] (searched in PATH); the child waits for workload__start. 0 or -errno. */
int workload__prepare(struct workload *wl, char *const argv[]);
/* Let the child exec. -errno of a failed exec (the child is then reaped). */
int workload__start(struct workload *wl);
/* Wait for the child; EINTR is returned as -EINTR so callers can react to signals. */
int workload__wait(struct workload *wl, int *status, struct rusage *ru, int flags);
/* Kill and reap a child that will not be started or must stop. */
void workload__kill(struct workload *wl, int sig);
void workload__close(struct workload *wl);

/* Shell-like exit code for a wait status: the code, or 128 + signal. */
int workload__exit_code(int status);

#endif
