/* Whole reads and writes of file descriptors: short transfers continued, EINTR retried. */
#include <errno.h>
#include <sys/types.h>
#include <unistd.h>

#include "util/fdio.h"

/* @off < 0: write(2) at the file offset; else pwrite(2) at @off */
static int fdio__loop(int fd, const void *buf, size_t len, int64_t off)
{
	const char *p = buf;

	while (len) {
		ssize_t n = off < 0 ? write(fd, p, len) : pwrite(fd, p, len, (off_t)off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -ENOSPC;
		p += n;
		len -= (size_t)n;
		if (off >= 0)
			off += n;
	}
	return 0;
}

int fdio__write_all(int fd, const void *buf, size_t len)
{
	return fdio__loop(fd, buf, len, -1);
}

int fdio__pwrite_all(int fd, const void *buf, size_t len, uint64_t off)
{
	if (off > INT64_MAX)
		return -EINVAL;
	return fdio__loop(fd, buf, len, (int64_t)off);
}

int fdio__read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
