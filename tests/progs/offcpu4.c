/* Ground truth for off-CPU profiles: four threads that each take about a second.
 *   spinner: holds `lock` and spins until it has used 1 s of CPU (its own CPU clock), then
 *            unlocks it in spin_unlock()
 *   sleeper: nanosleeps 1 s in sleep_1s(), then writes a byte to the pipe in pipe_write()
 *   locker:  blocks in lock_wait() on `lock`, held by the spinner
 *   reader:  blocks in pipe_wait() reading the pipe the sleeper writes
 * Each thread measures its own wait (CLOCK_MONOTONIC around the blocking call) and the spinner
 * its CPU time; they are printed at the end, one line each: "NAME SECONDS", so that a test
 * compares a profile with what really happened on a busy machine. The spinner also counts its
 * spin with a cpu-clock counter of its own ("spinner_clock"), the clock that cpu-clock
 * sampling runs on: in a VM whose host is busy it can run ahead of the thread's CPU clock,
 * which leaves out the time the host took (steal). Without perf_event_open it is the CPU
 * clock's time.
 * Usage: offcpu4 [SECONDS]   (default 1) */
#define _GNU_SOURCE
#include <linux/perf_event.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t start;
static int pfd[2];
static double secs = 1.0;
static double spun, spun_clock, slept, locked, waited;
static volatile unsigned long sink;

static double clock_s(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A counting cpu-clock event on the calling thread; -1 if none can be opened. */
static int cpu_clock_counter(void)
{
	struct perf_event_attr a = {
		.type = PERF_TYPE_SOFTWARE, .size = sizeof(a), .config = PERF_COUNT_SW_CPU_CLOCK,
	};

	return (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

static double counter_s(int fd)
{
	uint64_t v = 0;

	return fd >= 0 && read(fd, &v, sizeof(v)) == sizeof(v) ? v / 1e9 : 0.0;
}

__attribute__((noinline)) void spin_cpu(double s)
{
	int fd = cpu_clock_counter();
	double c0 = counter_s(fd), t0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
	unsigned long x = 1;

	while (clock_s(CLOCK_THREAD_CPUTIME_ID) - t0 < s) {
		for (int i = 0; i < 10000; i++)
			x = x * 6364136223846793005UL + 1;
		sink = x;
	}
	spun = clock_s(CLOCK_THREAD_CPUTIME_ID) - t0;
	spun_clock = fd >= 0 ? counter_s(fd) - c0 : spun;
	if (fd >= 0)
		close(fd);
}

__attribute__((noinline)) void spin_unlock(void)
{
	pthread_mutex_unlock(&lock);
}

static void *spinner(void *arg)
{
	pthread_setname_np(pthread_self(), "spinner");
	pthread_mutex_lock(&lock);
	pthread_barrier_wait(&start);
	spin_cpu(secs);
	spin_unlock();
	return arg;
}

__attribute__((noinline)) void sleep_1s(void)
{
	struct timespec ts = { (time_t)secs, (long)((secs - (time_t)secs) * 1e9) };
	double t0 = clock_s(CLOCK_MONOTONIC);

	nanosleep(&ts, NULL);
	slept = clock_s(CLOCK_MONOTONIC) - t0;
}

__attribute__((noinline)) void pipe_write(void)
{
	if (write(pfd[1], "x", 1) != 1)
		perror("write");
}

static void *sleeper(void *arg)
{
	pthread_setname_np(pthread_self(), "sleeper");
	pthread_barrier_wait(&start);
	sleep_1s();
	pipe_write();
	return arg;
}

__attribute__((noinline)) void lock_wait(void)
{
	double t0 = clock_s(CLOCK_MONOTONIC);

	pthread_mutex_lock(&lock);
	locked = clock_s(CLOCK_MONOTONIC) - t0;
	pthread_mutex_unlock(&lock);
}

static void *locker(void *arg)
{
	pthread_setname_np(pthread_self(), "locker");
	pthread_barrier_wait(&start);
	lock_wait();
	return arg;
}

__attribute__((noinline)) void pipe_wait(void)
{
	double t0 = clock_s(CLOCK_MONOTONIC);
	char c;

	if (read(pfd[0], &c, 1) != 1)
		perror("read");
	waited = clock_s(CLOCK_MONOTONIC) - t0;
}

static void *reader(void *arg)
{
	pthread_setname_np(pthread_self(), "reader");
	pthread_barrier_wait(&start);
	pipe_wait();
	return arg;
}

int main(int argc, char **argv)
{
	void *(*fn[4])(void *) = { spinner, sleeper, locker, reader };
	pthread_t th[4];

	if (argc > 1)
		secs = atof(argv[1]);
	if (pipe(pfd) || pthread_barrier_init(&start, NULL, 4)) {
		perror("offcpu4");
		return 1;
	}
	/* the spinner takes the lock before anyone passes the barrier */
	for (int i = 0; i < 4; i++)
		if (pthread_create(&th[i], NULL, fn[i], NULL)) {
			perror("pthread_create");
			return 1;
		}
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	printf("spinner %.6f\nsleeper %.6f\nlocker %.6f\nreader %.6f\nspinner_clock %.6f\n", spun,
	       slept, locked, waited, spun_clock);
	return 0;
}
