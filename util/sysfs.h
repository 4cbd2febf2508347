/* Values read from one-line files of /proc and /sys (sysctls, sysfs attributes, ids). */
#ifndef UTIL_SYSFS_H
#define UTIL_SYSFS_H

#include <stddef.h>
#include <stdint.h>

/* The file's first line without its newline into @buf. 0 or -errno (-ENODATA: empty). */
int sysfs__read_str(const char *path, char *buf, size_t len);
/* A decimal (or 0x hex) number, possibly negative for the signed variants, with nothing
 * but blanks around it. 0 or -errno (-EINVAL: not a number; -ERANGE: out of range). */
int sysfs__read_u64(const char *path, uint64_t *val);
int sysfs__read_long(const char *path, long *val);
int sysfs__read_int(const char *path, int *val);
/* kernel.perf_event_paranoid (what an unprivileged user may profile). 0 or -errno. */
int sysfs__perf_event_paranoid(long *level);

#endif
