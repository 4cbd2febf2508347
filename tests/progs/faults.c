/* A deterministic profile: touches PAGES fresh pages (one page fault each), then spins for
 * MS milliseconds of CPU time. Usage: faults [PAGES] [MS] */
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	long pages = argc > 1 ? atol(argv[1]) : 10000;
	double ms = argc > 2 ? atof(argv[2]) : 100, t0;
	volatile unsigned long sink = 0;
	char *p = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return 1;
	for (long i = 0; i < pages; i++)
		p[i * 4096] = 1;
	t0 = cpu_ms();
	while (cpu_ms() - t0 < ms)
		for (int i = 0; i < 10000; i++)
			sink += i;
	return 0;
}
