/* Spends A, B and C milliseconds (argv[1..3], default 200 100 0) in three call paths with
 * known folded stacks, for pfold's tests:
 *   main;phase_a;work_a            (A ms)
 *   main;phase_b;work_b            (B ms)
 *   main;phase_c;inl_mix           (C ms; inl_mix is always_inline'd into phase_c)
 * Two runs with A and B swapped give a differential flame graph with work_a and work_b
 * trading places. */
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

__attribute__((noinline)) void work_a(int n)
{
	for (int i = 0; i < n; i++)
		sink += (unsigned long)i * 2654435761u;
}

__attribute__((noinline)) void work_b(int n)
{
	for (int i = 0; i < n; i++)
		sink ^= (unsigned long)i * 40503u + 7;
}

static inline __attribute__((always_inline)) void inl_mix(int n)
{
	for (int i = 0; i < n; i++)
		sink = sink * 31 + (unsigned long)i;
}

__attribute__((noinline)) void phase_a(long ms)
{
	long t0 = now_ms();

	while (now_ms() - t0 < ms)
		work_a(20000);
}

__attribute__((noinline)) void phase_b(long ms)
{
	long t0 = now_ms();

	while (now_ms() - t0 < ms)
		work_b(20000);
}

__attribute__((noinline)) void phase_c(long ms)
{
	long t0 = now_ms();

	while (now_ms() - t0 < ms)
		inl_mix(20000);
}

int main(int argc, char **argv)
{
	phase_a(argc > 1 ? atol(argv[1]) : 200);
	phase_b(argc > 2 ? atol(argv[2]) : 100);
	phase_c(argc > 3 ? atol(argv[3]) : 0);
	return 0;
}
