/* A thread other than the main one execs a program: the kernel ends the other threads (the
 * leader gets an EXIT record), and the exec'ing thread takes the process's pid as its tid, so
 * the tid of that EXIT goes on with the new program (a COMM exec, its maps, its samples) and
 * no FORK. For the reading tools that free exited threads (stream_memory.t).
 * usage: exec_thread PROGRAM [ARGS...] */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static char **cmd;

static void *run(void *arg)
{
	(void)arg;
	execv(cmd[0], cmd);
	perror("exec_thread: execv");
	_exit(127);
}

int main(int argc, char **argv)
{
	pthread_t t;

	if (argc < 2) {
		fprintf(stderr, "usage: exec_thread PROGRAM [ARGS...]\n");
		return 2;
	}
	cmd = argv + 1;
	if (pthread_create(&t, NULL, run, NULL))
		return 1;
	for (;;)
		pause();	/* ended by the exec */
}
