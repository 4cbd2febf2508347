/* Burns exactly argv[1] milliseconds (default 300) of its own CPU time, measured by
 * CLOCK_PROCESS_CPUTIME_ID, however busy the machine is: a ground truth for task-clock and
 * for pstat -M cpus_utilized (the value times the elapsed time is that CPU time). */
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;

int main(int argc, char **argv)
{
	long ms = argc > 1 ? atol(argv[1]) : 300;
	struct timespec ts;

	do {
		for (int i = 0; i < 10000; i++)
			sink += (unsigned long)i * 2654435761u;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	} while (ts.tv_sec * 1000L + ts.tv_nsec / 1000000L < ms);
	return 0;
}
