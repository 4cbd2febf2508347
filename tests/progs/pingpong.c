/* A context-switch-heavy workload for precord --off-cpu: two threads pass a byte back and
 * forth over two pipes, so every round trip is two blocking reads and two wakeups.
 * Usage: pingpong [ROUNDS]   (default 100000) */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int ping[2], pong[2];
static long rounds = 100000;

__attribute__((noinline)) void pong_side(void)
{
	char c;

	for (long i = 0; i < rounds; i++)
		if (read(ping[0], &c, 1) != 1 || write(pong[1], &c, 1) != 1)
			break;
}

static void *ponger(void *arg)
{
	pong_side();
	return arg;
}

__attribute__((noinline)) void ping_side(void)
{
	char c = 'x';

	for (long i = 0; i < rounds; i++)
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
			break;
}

int main(int argc, char **argv)
{
	pthread_t t;

	if (argc > 1)
		rounds = atol(argv[1]);
	if (pipe(ping) || pipe(pong) || pthread_create(&t, NULL, ponger, NULL)) {
		perror("pingpong");
		return 1;
	}
	ping_side();
	pthread_join(t, NULL);
	return 0;
}
