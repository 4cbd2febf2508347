/* Spins for argv[1] milliseconds (default 300) in a small call tree (spin_outer ->
 * spin_mid -> spin_leaf), for system-wide recordings with known user frames. */
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;

__attribute__((noinline)) void spin_leaf(int n)
{
	for (int i = 0; i < n; i++)
		sink += (unsigned long)i * 2654435761u;
}

__attribute__((noinline)) void spin_mid(int n)
{
	spin_leaf(n);
	sink ^= 1;
}

__attribute__((noinline)) void spin_outer(int n)
{
	spin_mid(n);
}

int main(int argc, char **argv)
{
	long ms = argc > 1 ? atol(argv[1]) : 300;
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		spin_outer(20000);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
	return 0;
}
