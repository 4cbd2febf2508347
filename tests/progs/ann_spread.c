/* A workload for pannotate's tests: time spread over many instructions of one hot function
 * (loads, a division, a data-dependent branch), a second function with about a third of
 * that, a third one lighter still, so per-instruction shares and "hottest first" differ.
 * Usage: ann_spread [SECONDS]   (default 0.5; fractions allowed) */
#include <stdlib.h>
#include <time.h>

#define N 4096

static unsigned int table[N];
static volatile unsigned long sink;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* a call in the hot function: its target is named in the annotation */
__attribute__((noinline)) void ann_store(unsigned long x)
{
	sink = x;
}

__attribute__((noinline)) unsigned long ann_hot(unsigned long rounds)
{
	unsigned long acc = 1;

	for (unsigned long r = 0; r < rounds; r++) {
		for (unsigned int i = 0; i < N; i++) {
			unsigned int v = table[(i * 7 + r) % N];

			if (v & 1)
				acc += v / (i | 1);
			else
				acc ^= acc << 3;
			acc += v;
		}
	}
	ann_store(acc);
	return acc;
}

__attribute__((noinline)) unsigned long ann_warm(unsigned long rounds)
{
	unsigned long acc = 0;

	for (unsigned long r = 0; r < rounds * N; r++)
		acc = acc * 31 + (r >> 3);
	return acc;
}

__attribute__((noinline)) unsigned long ann_cool(unsigned long rounds)
{
	unsigned long acc = 0;

	for (unsigned long r = 0; r < rounds * N / 4; r++)
		acc += r ^ (acc >> 5);
	return acc;
}

int main(int argc, char **argv)
{
	double end = now() + (argc > 1 ? atof(argv[1]) : 0.5);

	for (unsigned int i = 0; i < N; i++)
		table[i] = i * 2654435761u;
	while (now() < end) {
		sink += ann_hot(3);
		sink += ann_warm(3);
		sink += ann_cool(3);
	}
	return 0;
}
