/* Whole reads and writes of file descriptors: short transfers continued, EINTR retried. */
#include <errno.h>
#include <stdbool.h>
#include <sys/types.h>
#include <unistd.h>

#include "util/fdio.h"

/* @rd: read(2) into @buf, else write(2), at the file offset (@off < 0); pread(2) or pwrite(2)
 * at @off */
static int fdio__loop(int fd, char *p, size_t len, int64_t off, bool rd)
{
	while (len) {
		ssize_t n = rd ? (off < 0 ? read(fd, p, len) : pread(fd, p, len, (off_t)off)) :
			    off < 0 ? write(fd, p, len) : pwrite(fd, p, len, (off_t)off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return rd ? -EIO : -ENOSPC;
		p += n;
		len -= (size_t)n;
		if (off >= 0)
			off += n;
	}
	return 0;
}

int fdio__write_all(int fd, const void *buf, size_t len)
{
	return fdio__loop(fd, (char *)buf, len, -1, false);	/* (not written to) */
}

int fdio__pwrite_all(int fd, const void *buf, size_t len, uint64_t off)
{
	if (off > INT64_MAX)
		return -EINVAL;
	return fdio__loop(fd, (char *)buf, len, (int64_t)off, false);
}

int fdio__read_all(int fd, void *buf, size_t len)
{
	return fdio__loop(fd, buf, len, -1, true);
}

int fdio__pread_all(int fd, void *buf, size_t len, uint64_t off)
{
	if (off > INT64_MAX)
		return -EINVAL;
	return fdio__loop(fd, buf, len, (int64_t)off, true);
}
