/* Whole reads and writes of file descriptors: the loops over short transfers and EINTR,
 * written once. */
#ifndef UTIL_FDIO_H
#define UTIL_FDIO_H

#include <stddef.h>
#include <stdint.h>

/* Writes all @len bytes at the file offset. 0 or -errno (-ENOSPC: the write made no progress). */
int fdio__write_all(int fd, const void *buf, size_t len);
/* The same at offset @off (pwrite: the file offset does not move). */
int fdio__pwrite_all(int fd, const void *buf, size_t len, uint64_t off);
/* Reads all @len bytes from the file offset. 0, -EIO when the file ends before, or -errno. */
int fdio__read_all(int fd, void *buf, size_t len);
/* The same at offset @off (pread: the file offset does not move). */
int fdio__pread_all(int fd, void *buf, size_t len, uint64_t off);

#endif
