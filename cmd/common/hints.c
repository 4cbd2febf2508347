/* Owns the one permission/limits hint of a refused event or ring buffer: perf_event_paranoid,
 * ulimit -n, the locked-memory limit. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "cmd/common/common.h"
#include "util/log.h"
#include "util/sysfs.h"

/* What kernel.perf_event_paranoid = @v lets an unprivileged user do. */
static const char *paranoid_allows(long v)
{
	if (v >= 2)
		return "user-space measurement of your own processes only";
	if (v == 1)
		return "your own processes, kernel included, but no CPU-wide events";
	if (v == 0)
		return "CPU-wide events too, but not raw tracepoint data";
	return "everything";
}

/* EACCES/EPERM: what the current setting allows and what each fix does, never suggesting
 * the value already set. */
static void permission_error(const char *verb, const char *event, bool cpu_wide)
{
	const char *where = cpu_wide ? " on all CPUs" : "";
	long cur, want;

	if (sysfs__perf_event_paranoid(&cur)) {
		pr_err("no permission to %s '%s'%s: run as root or with CAP_PERFMON", verb, event, where);
		return;
	}
	/* CPU-wide events need 0, a task's own kernel events 1; below what is set in any case */
	want = cpu_wide ? 0 : 1;
	if (want >= cur)
		want = cur - 1;
	if (cur < 0) {
		pr_err("no permission to %s '%s'%s although kernel.perf_event_paranoid is %ld (%s): a"
		       " security module or seccomp policy refuses it; run as root or with CAP_PERFMON",
		       verb, event, where, cur, paranoid_allows(cur));
		return;
	}
	pr_err("no permission to %s '%s'%s: kernel.perf_event_paranoid is %ld (%s); run as root,"
	       " or give the program CAP_PERFMON (setcap cap_perfmon+ep), or sysctl"
	       " kernel.perf_event_paranoid=%ld (allows %s)", verb, event, where, cur,
	       paranoid_allows(cur), want, paranoid_allows(want));
}

void cmd__open_error(const char *verb, const char *event, bool cpu_wide, int err)
{
	switch (-err) {
	case EACCES:
	case EPERM:
		permission_error(verb, event, cpu_wide);
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
