/* A known call chain for the unwinding tests: main -> run -> stage -> lib_enter -> lib_mid ->
 * lib_leaf (spins), 6 deep, half of it in a shared library when built in two parts:
 *   cc -O2 -fomit-frame-pointer -g -shared -fPIC -DUNW_LIB -o libunw.so unw_chain.c
 *   cc -O2 -fomit-frame-pointer -g -DUNW_MAIN -o unw_chain unw_chain.c -L. -lunw
 * Built alone (no -D) it is one self-contained program with the same chain.
 * Usage: unw_chain [SECONDS] [deep DEPTH]: spin for SECONDS (default 0.5) in lib_leaf, or,
 * with "deep", recurse DEPTH frames of 256 bytes each before spinning (deeper than a small
 * stack copy). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NOINLINE __attribute__((noinline))
/* keeps calls from becoming tail jumps, so every frame stays on the stack */
#define KEEP() __asm__ __volatile__("" ::: "memory")

#ifndef UNW_MAIN
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

NOINLINE unsigned long lib_leaf(double secs)
{
	volatile unsigned long x = 0;
	double end = now() + secs;

	while (now() < end)
		for (int i = 0; i < 20000; i++)
			x += (unsigned long)i * 7;
	KEEP();
	return x;
}

NOINLINE unsigned long lib_mid(double secs)
{
	unsigned long r = lib_leaf(secs);

	KEEP();
	return r + 1;
}

NOINLINE unsigned long lib_enter(double secs)
{
	unsigned long r = lib_mid(secs);

	KEEP();
	return r + 2;
}
#else
unsigned long lib_enter(double secs);
#endif

#ifndef UNW_LIB
NOINLINE unsigned long deep(int depth, double secs)
{
	volatile char pad[256];
	unsigned long r;

	memset((char *)pad, depth, sizeof(pad));
	r = depth > 0 ? deep(depth - 1, secs) : lib_enter(secs);
	KEEP();
	return r + pad[3];
}

NOINLINE unsigned long stage(double secs)
{
	unsigned long r = lib_enter(secs);

	KEEP();
	return r + 3;
}

NOINLINE unsigned long run(double secs)
{
	unsigned long r = stage(secs);

	KEEP();
	return r + 4;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 0.5;
	unsigned long r;

	if (argc > 3 && !strcmp(argv[2], "deep"))
		r = deep(atoi(argv[3]), secs);
	else
		r = run(secs);
	return r == 42;
}
#endif
