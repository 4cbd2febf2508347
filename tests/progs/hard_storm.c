/* A fork/exec storm for the hardening tests: N short processes, each exec'd under one of ten
 * command names (the test makes DIR/w0..w9, symlinks to this binary), the child named wK
 * spinning K+1 units of its own CPU time in child_spin(), at most P children alive at once.
 * Samples of each command are then known in proportion: wK holds (K+1)/55 of the children's.
 * Usage: hard_storm N DIR [P] [UNIT_US]     (default P 2, UNIT_US 400)
 *        wK --child K UNIT_US               (what the storm execs) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;

static double cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU time, not wall time: the shares stay right when the machine is busy. */
__attribute__((noinline)) static void child_spin(double seconds)
{
	double end = cpu_seconds() + seconds;

	while (cpu_seconds() < end)
		for (int i = 0; i < 50000; i++)
			sink += (unsigned long)i * i;
}

static int reap_one(void)
{
	int status;

	if (wait(&status) < 0)
		return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "hard_storm: a child failed (status %#x)\n", status);
		return 1;
	}
	return 0;
}

__attribute__((noinline)) static int storm(int n, const char *dir, int par, const char *unit)
{
	int alive = 0, bad = 0;

	for (int i = 0; i < n; i++) {
		char path[4096], k[16];
		pid_t pid;

		if (alive >= par) {
			bad |= reap_one();
			alive--;
		}
		snprintf(k, sizeof(k), "%d", i % 10);
		snprintf(path, sizeof(path), "%s/w%d", dir, i % 10);
		pid = fork();
		if (pid < 0) {
			perror("hard_storm: fork");
			return 1;
		}
		if (pid == 0) {
			execl(path, path, "--child", k, unit, (char *)NULL);
			fprintf(stderr, "hard_storm: exec %s: %s\n", path, strerror(errno));
			_exit(127);
		}
		alive++;
	}
	while (alive-- > 0)
		bad |= reap_one();
	return bad;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--child")) {
		child_spin((atoi(argv[2]) + 1) * atof(argv[3]) / 1e6);
		return 0;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: hard_storm N DIR [PARALLEL] [UNIT_US]\n");
		return 2;
	}
	return storm(atoi(argv[1]), argv[2], argc > 3 ? atoi(argv[3]) : 2,
		     argc > 4 ? argv[4] : "400");
}
