/* CPU lists as sysfs and perf write them ("0-3,7"): parsed once here for -C, --cpu and
 * the online/possible files. */
#ifndef UTIL_CPULIST_H
#define UTIL_CPULIST_H

#define CPULIST_MAX 4096	/* CPU numbers are below this */

/* Parse @list into @out (at most @max distinct CPUs), sorted and without duplicates; one
 * trailing newline is allowed, nothing after it. The number of CPUs, or -EINVAL (syntax, empty, a CPU >= CPULIST_MAX)
 * or -E2BIG (more than @max). */
int cpulist__parse(const char *list, int *out, int max);

#endif
