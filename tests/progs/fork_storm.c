/* A fork storm for ptop's memory test: for SECS seconds, short-lived children one after the
 * other (two at a time), each burning about 2 ms of CPU in storm_burn; every other child
 * first execs this program again (as "fork_storm -c"), so that processes come with their own
 * maps, comms and exits. Before it starts, the parent maps its own executable 256 times
 * (executable mappings a profiler tracks per process), which the forked children inherit:
 * a profiler that keeps exited processes keeps about 256 maps more for each. Prints the
 * number of children so far after every 16 (a line each, flushed), and the total at the end.
 * usage: fork_storm SECS */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

__attribute__((noinline)) void storm_burn(double secs)
{
	double end = now() + secs;
	unsigned long x = 1;

	while (now() < end)
		for (int i = 0; i < 20000; i++)
			x = x * 2862933555777941757UL + 3037000493UL;
	sink = x;
}

int main(int argc, char **argv)
{
	double end;
	unsigned long n = 0;
	int running = 0;
	char self[4096];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (argc == 2 && !strcmp(argv[1], "-c")) {
		storm_burn(0.002);
		return 0;
	}
	if (argc != 2 || atof(argv[1]) <= 0) {
		fprintf(stderr, "usage: fork_storm SECS\n");
		return 2;
	}
	if (len <= 0) {
		perror("readlink /proc/self/exe");
		return 1;
	}
	self[len] = 0;	/* exec'd by its path: the children's comm stays fork_storm */
	int fd = open(self, O_RDONLY);

	for (int i = 0; fd >= 0 && i < 256; i++)
		if (mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0) == MAP_FAILED)
			break;
	end = now() + atof(argv[1]);
	while (now() < end) {
		pid_t pid;

		while (running >= 2 && wait(NULL) > 0)
			running--;
		pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (!pid) {
			if (n % 2)
				execl(self, argv[0], "-c", (char *)NULL);
			storm_burn(0.002);
			_exit(0);
		}
		running++;
		if (++n % 16 == 0) {
			printf("%lu\n", n);
			fflush(stdout);
		}
	}
	while (wait(NULL) > 0)
		;
	printf("%lu children\n", n);
	return 0;
}
