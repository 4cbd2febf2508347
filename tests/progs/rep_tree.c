/* A call tree with known shares for preport's tests: main -> work_a -> hot_leaf (about 3/4
 * of the time), main -> work_b -> hot_leaf (1/4), and a short recursion (recurse -> recurse
 * -> hot_leaf) so that a function appears twice in one chain.
 * Usage: rep_tree [MILLISECONDS]   (default 500) */
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;

__attribute__((noinline)) void hot_leaf(int n)
{
	for (int i = 0; i < n; i++)
		sink += (unsigned long)i * 2654435761u;
}

__attribute__((noinline)) void work_a(void)
{
	hot_leaf(300000);
	sink ^= 1;
}

__attribute__((noinline)) void work_b(void)
{
	hot_leaf(100000);
	sink ^= 2;
}

__attribute__((noinline)) void recurse(int depth)
{
	if (depth)
		recurse(depth - 1);
	else
		hot_leaf(20000);
	sink ^= 4;
}

int main(int argc, char **argv)
{
	long ms = argc > 1 ? atol(argv[1]) : 500;
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		work_a();
		work_b();
		recurse(2);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
	return 0;
}
