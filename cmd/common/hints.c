/* Owns the one permission/limits hint of a refused event or ring buffer: perf_event_paranoid,
 * ulimit -n, the locked-memory limit. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "cmd/common/common.h"
#include "util/log.h"
#include "util/sysfs.h"

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
