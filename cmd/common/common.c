/* Owns what every command shares: the common options, the ownership check, the exit path and
 * the permission/limits hint of a refused event or ring buffer (see common.h). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cmd/common/common.h"
#include "perfdata/reader.h"
#include "util/error.h"
#include "util/log.h"
#include "util/sysfs.h"

int cmd__option(struct cmd_common *c, int opt, const char *arg)
{
	switch (opt) {
	case 'i': c->input = arg; return 0;
	case 'f': c->force = true; return 0;
	case 'q': c->quiet = true; return 0;
	case 'v': c->verbose++; return 0;
	case CMD_OPT_DEMANGLE: c->demangle = true; return 0;
	case CMD_OPT_NO_DEMANGLE: c->demangle = false; return 0;
	default: return -1;
	}
}

void cmd__log_level(const struct cmd_common *c)
{
	log_set_level(c->quiet ? LOG_ERROR : LOG_WARN + c->verbose);
}

int cmd__check_owner(const struct cmd_common *c, const char *path)
{
	struct error err = { 0 };

	if (c->force || !pd_reader__check_owner(path, &err))
		return 0;
	pr_err("%s", err.msg);
	return 1;
}

/* Nobody reads stdout any more (a pipe or socket closed at the other end, a hung-up terminal):
 * a write that failed there lost nothing anyone would see. Asked of the descriptor, as a
 * library may have turned the EPIPE into -EIO on its way up. */
static bool stdout_reader_gone(void)
{
	struct pollfd p = { .fd = STDOUT_FILENO, .events = 0 };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

int cmd__flush_stdout(void)
{
	int e;

	errno = 0;
	if (!fflush(stdout) && !ferror(stdout))
		return 0;
	/* an error flag without a failing flush: the bytes went earlier, errno with them */
	e = errno ? errno : EIO;
	if (e == EPIPE || stdout_reader_gone())
		return 0;
	pr_err("write error: %s", strerror(e));
	return 1;
}

int cmd__exit(int ret, const struct error *err)
{
	if (ret == -EPIPE || (ret && ferror(stdout) && stdout_reader_gone()))
		return 0;
	if (ret) {
		pr_err("%s", err && err->msg[0] ? err->msg : strerror(-ret));
		return 1;
	}
	return cmd__flush_stdout();
}

void cmd__open_error(const char *verb, const char *event, bool cpu_wide, int err)
{
	const char *where = cpu_wide ? " on all CPUs" : "";
	char level[48] = "";
	long paranoid;

	switch (-err) {
	case EACCES:
	case EPERM:
		if (!sysfs__read_long("/proc/sys/kernel/perf_event_paranoid", &paranoid))
			snprintf(level, sizeof(level), " (kernel.perf_event_paranoid is %ld)", paranoid);
		/* CPU-wide events need 0, a task's own events (kernel included) 1 */
		pr_err("no permission to %s '%s'%s%s: run as root or sysctl kernel.perf_event_paranoid=%d",
		       verb, event, where, level, cpu_wide ? 0 : 1);
		return;
	case EMFILE:
		pr_err("too many open files for '%s': raise ulimit -n, or %s fewer CPUs/threads", event,
		       verb);
		return;
	default:
		pr_err("cannot open event '%s': %s", event, strerror(-err));
		return;
	}
}

void cmd__mmap_error(const char *pages, int err)
{
	struct rlimit rl = { 0, 0 };
	long mlock_kb = -1;

	if (err != -EPERM && err != -ENOMEM) {
		pr_err("cannot map the ring buffers (%s): %s", pages, strerror(-err));
		return;
	}
	if (sysfs__read_long("/proc/sys/kernel/perf_event_mlock_kb", &mlock_kb))
		mlock_kb = -1;
	getrlimit(RLIMIT_MEMLOCK, &rl);
	pr_err("cannot map %s pages per CPU: the locked-memory limit is too small"
	       " (kernel.perf_event_mlock_kb %ld, ulimit -l %lld KiB): use a smaller -m,"
	       " raise ulimit -l, or sysctl kernel.perf_event_mlock_kb=<bigger>", pages, mlock_kb,
	       rl.rlim_cur == RLIM_INFINITY ? -1LL : (long long)(rl.rlim_cur / 1024));
}
