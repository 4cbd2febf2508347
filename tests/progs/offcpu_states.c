/* Ground truth for the off-CPU states and for attaching (tests/e2e/offcpu_states.t).
 *   offcpu_states preempt MS   two threads, spin_a and spin_b, pinned to the first CPU this
 *                              process may use, each spinning MS ms of wall time: they take
 *                              turns on it and each is preempted by the other. Each prints
 *                              "NAME LIFETIME_S CPU_S" (its own clocks): lifetime - CPU time is
 *                              what it spent runnable but preempted (or preempted by others).
 *   offcpu_states vfork N MS   N times: a clone(CLONE_VM | CLONE_VFORK) child that sleeps MS ms
 *                              and exits, the parent (thread "vforker") waiting for it in the
 *                              kernel in the uninterruptible (killable) state; prints
 *                              "vforker WAITED_S" (the parent's own clock around the N clones)
 *   offcpu_states naps SECONDS prints its pid and "ready" on stdout, then thread "napper"
 *                              sleeps 30 ms, 70 ms, 30 ms, ... (clock_nanosleep, exactly those
 *                              lengths asked) for SECONDS, for attaching with -p; after each
 *                              nap a line "nap ASKED_MS TOOK_NS": the nap by its own clock
 *                              (the length asked, plus the wait for a CPU on a busy machine) */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;
static double spin_ms;

static double clock_s(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

__attribute__((noinline)) void spin_turns(double s)
{
	double t0 = clock_s(CLOCK_MONOTONIC);
	unsigned long x = 1;

	while (clock_s(CLOCK_MONOTONIC) - t0 < s) {
		for (int i = 0; i < 1000; i++)
			x = x * 6364136223846793005UL + 1;
		sink = x;
	}
}

static void *spinner(void *arg)
{
	double t0 = clock_s(CLOCK_MONOTONIC);

	pthread_setname_np(pthread_self(), arg);
	spin_turns(spin_ms / 1000);
	printf("%s %.6f %.6f\n", (char *)arg, clock_s(CLOCK_MONOTONIC) - t0,
	       clock_s(CLOCK_THREAD_CPUTIME_ID));
	return NULL;
}

static int preempt(void)
{
	pthread_t a, b;
	cpu_set_t set;
	int cpu = 0;

	/* one CPU for both: the first this process may run on */
	if (sched_getaffinity(0, sizeof(set), &set))
		return 1;
	while (cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &set))
		cpu++;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return 1;
	pthread_create(&a, NULL, spinner, "spin_a");
	pthread_create(&b, NULL, spinner, "spin_b");
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}

static int child_nap(void *arg)
{
	struct timespec ts = { 0, *(long *)arg * 1000000L };

	nanosleep(&ts, NULL);
	return 0;
}

__attribute__((noinline)) void vfork_wait(long ms, char *stack, size_t size)
{
	pid_t pid = clone(child_nap, stack + size, CLONE_VM | CLONE_VFORK | SIGCHLD, &ms);

	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static int vforks(int n, long ms)
{
	size_t size = 1 << 16;
	char *stack = malloc(size);
	double t0;

	if (!stack)
		return 1;
	pthread_setname_np(pthread_self(), "vforker");
	t0 = clock_s(CLOCK_MONOTONIC);
	for (int i = 0; i < n; i++)
		vfork_wait(ms, stack, size);
	printf("vforker %.6f\n", clock_s(CLOCK_MONOTONIC) - t0);
	free(stack);
	return 0;
}

__attribute__((noinline)) void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
}

static int naps(double secs)
{
	double t0;

	pthread_setname_np(pthread_self(), "napper");
	printf("%d ready\n", (int)getpid());
	fflush(stdout);
	t0 = clock_s(CLOCK_MONOTONIC);
	for (int i = 0; clock_s(CLOCK_MONOTONIC) - t0 < secs; i++) {
		long ms = i % 2 ? 70 : 30;
		double t = clock_s(CLOCK_MONOTONIC);

		nap_ms(ms);
		printf("nap %ld %.0f\n", ms, (clock_s(CLOCK_MONOTONIC) - t) * 1e9);
		fflush(stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "preempt")) {
		spin_ms = atof(argv[2]);
		return preempt();
	}
	if (argc >= 4 && !strcmp(argv[1], "vfork"))
		return vforks(atoi(argv[2]), atol(argv[3]));
	if (argc >= 3 && !strcmp(argv[1], "naps"))
		return naps(atof(argv[2]));
	fprintf(stderr, "usage: offcpu_states preempt MS | vfork N MS | naps SECONDS\n");
	return 2;
}
