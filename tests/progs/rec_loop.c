/* A workload with a known profile for precord's tests: main -> loop_top -> loop_mid -> loop_hot,
 * where loop_hot is a pure arithmetic loop that takes nearly all of the time.
 * Usage: rec_loop [SECONDS]   (default 1; fractions allowed)
 *        rec_loop -n ROUNDS   a fixed amount of work instead (for overhead benchmarks) */
#include <stdlib.h>
#include <string.h>
#include <time.h>

static volatile unsigned long sink;

/* A call keeps loop_hot a non-leaf, so it sets up a frame and FP chains show loop_mid. */
__attribute__((noinline)) void loop_store(unsigned long x)
{
	sink = x;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

__attribute__((noinline)) void loop_hot(unsigned long n)
{
	unsigned long x = sink;

	for (unsigned long i = 0; i < n; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	loop_store(x);
}

__attribute__((noinline)) void loop_mid(unsigned long n)
{
	loop_hot(n);
}

__attribute__((noinline)) void loop_top(double secs)
{
	double end = now() + secs;

	while (now() < end)
		loop_mid(2000000);
}

__attribute__((noinline)) void loop_rounds(long rounds)
{
	for (long i = 0; i < rounds; i++)
		loop_mid(2000000);
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "-n")) {
		loop_rounds(atol(argv[2]));
		return 0;
	}
	loop_top(argc > 1 ? atof(argv[1]) : 1.0);
	return 0;
}
