/* Threads for pstat --per-thread: the main thread sleeps while N workers each spin, worker i
 * for (i + 1) ms of CPU per 10 ms of wall time, until SECS seconds have passed. Prints its pid
 * once the workers run. Usage: stat_threads [N] [SECS] */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static volatile int stop;

static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void *work(void *arg)
{
	long share = (long)arg;

	while (!stop) {
		double t0 = cpu_ms();

		while (cpu_ms() - t0 < share)
			;
		usleep(10000);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 3;
	double secs = argc > 2 ? atof(argv[2]) : 1;
	pthread_t t[64];

	if (n > 64)
		n = 64;
	for (long i = 0; i < n; i++)
		pthread_create(&t[i], NULL, work, (void *)(i + 1));
	printf("%d\n", (int)getpid());
	fflush(stdout);
	usleep((useconds_t)(secs * 1e6));
	stop = 1;
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	return 0;
}
