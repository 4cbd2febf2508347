/* A multithreaded workload that forks and execs, for precord's inheritance tests:
 * two threads spin in fork_thread_spin, then the process forks a child that execs rec_loop
 * (found next to this binary) for a short time, and waits for it. */
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

__attribute__((noinline)) void *fork_thread_spin(void *arg)
{
	double end = now() + 0.3;
	unsigned long x = 1;

	(void)arg;
	while (now() < end)
		for (int i = 0; i < 100000; i++)
			x = x * 2862933555777941757UL + 3037000493UL;
	sink = x;
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th[2];
	char self[PATH_MAX], path[PATH_MAX + 16];
	int status;
	pid_t pid;

	(void)argc;
	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, fork_thread_spin, NULL);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	snprintf(self, sizeof(self), "%s", argv[0]);
	snprintf(path, sizeof(path), "%s/rec_loop", dirname(self));
	pid = fork();
	if (pid == 0) {
		execl(path, "rec_loop", "0.3", (char *)NULL);
		perror(path);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
