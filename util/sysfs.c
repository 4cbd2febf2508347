/* Owns reading one value from a /proc or /sys file. */
#include <errno.h>
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
	if (!fgets(buf, (int)len, f))
		ret = ferror(f) ? -EIO : -ENODATA;
	fclose(f);
	if (!ret)
		buf[strcspn(buf, "\n")] = '\0';
	return ret;
}

int sysfs__read_long(const char *path, long *val)
{
	char buf[64], *end;
	int ret = sysfs__read_str(path, buf, sizeof(buf));

	if (ret)
		return ret;
	errno = 0;
	*val = strtol(buf, &end, 0);
	if (end == buf || errno)
		return -EINVAL;
	return 0;
}

int sysfs__read_u64(const char *path, uint64_t *val)
{
	char buf[64], *end;
	int ret = sysfs__read_str(path, buf, sizeof(buf));

	if (ret)
		return ret;
	errno = 0;
	*val = strtoull(buf, &end, 0);
	if (end == buf || errno || buf[0] == '-')
		return -EINVAL;
	return 0;
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
