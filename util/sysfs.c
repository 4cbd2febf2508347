/* Owns reading one value from a /proc or /sys file. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/sysfs.h"

int sysfs__read_str(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	int ret = 0;

	if (!f)
		return -errno;
	errno = 0;
	if (!fgets(buf, (int)len, f))
		ret = ferror(f) ? (errno ? -errno : -EIO) : -ENODATA;
	fclose(f);
	if (!ret)
		buf[strcspn(buf, "\n")] = '\0';
	return ret;
}

/* Decimal, or hex after "0x"; surrounding blanks allowed, nothing else ("010" is ten). */
static int sysfs__parse(const char *path, bool is_signed, long *sval, uint64_t *uval)
{
	char buf[64], *p = buf, *end;
	int ret = sysfs__read_str(path, buf, sizeof(buf)), base = 10;

	if (ret)
		return ret;
	while (isspace((unsigned char)*p))
		p++;
	if (!is_signed && *p == '-')
		return -EINVAL;
	if ((p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) ||
	    ((p[0] == '-' || p[0] == '+') && p[1] == '0' && (p[2] == 'x' || p[2] == 'X')))
		base = 16;
	errno = 0;
	if (is_signed)
		*sval = strtol(p, &end, base);
	else
		*uval = strtoull(p, &end, base);
	if (end == p || errno)
		return errno == ERANGE ? -ERANGE : -EINVAL;
	while (isspace((unsigned char)*end))
		end++;
	return *end ? -EINVAL : 0;
}

int sysfs__read_long(const char *path, long *val)
{
	return sysfs__parse(path, true, val, NULL);
}

int sysfs__read_u64(const char *path, uint64_t *val)
{
	return sysfs__parse(path, false, NULL, val);
}

int sysfs__read_int(const char *path, int *val)
{
	long v;
	int ret = sysfs__read_long(path, &v);

	if (ret)
		return ret;
	if (v < INT_MIN || v > INT_MAX)
		return -ERANGE;
	*val = (int)v;
	return 0;
}

int sysfs__perf_event_paranoid(long *level)
{
	return sysfs__read_long("/proc/sys/kernel/perf_event_paranoid", level);
}
