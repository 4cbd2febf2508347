/* Owns keeping standard input in a file for "-i -" (perfdata/pipe_reader.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "perfdata/format.h"
#include "perfdata/pipe_reader.h"
#include "util/fdio.h"

#define COPY_BUF (1u << 20)

bool pd_pipe__is_header(const void *first16)
{
	uint64_t v[2];

	memcpy(v, first16, 16);
	return v[0] == PERF_MAGIC2 && v[1] == 16;
}

/* An unlinked file for the copy. */
static int tmp_file(void)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	snprintf(path, sizeof(path), "%s/perfdata-stdin-XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	unlink(path);
	return fd;
}

/* Copy all of fd 0 into @fd; 0 or -errno with @err set. */
static int copy_stdin(int fd, struct error *err)
{
	char *buf = malloc(COPY_BUF);
	uint64_t off = 0;
	int ret = 0;

	if (!buf)
		return error__nomem(err);
	for (;;) {
		ssize_t n = read(STDIN_FILENO, buf, COPY_BUF);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = error__set(err, -errno, "standard input: %s", strerror(errno));
			break;
		}
		if (n == 0)
			break;
		if ((ret = fdio__pwrite_all(fd, buf, (size_t)n, off))) {
			error__set(err, ret, "copying standard input to a temporary file: %s", strerror(-ret));
			break;
		}
		off += (uint64_t)n;
	}
	free(buf);
	return ret;
}

int pd_pipe__stdin(struct error *err)
{
	struct stat st;
	int fd;

	if (fstat(STDIN_FILENO, &st))
		return error__set(err, -errno, "standard input: %s", strerror(errno));
	if (!S_ISREG(st.st_mode)) {
		fd = tmp_file();
		if (fd < 0)
			return error__set(err, fd, "cannot create a temporary copy of standard input in $TMPDIR"
					  " or /tmp: %s", strerror(-fd));
		if (copy_stdin(fd, err) || dup2(fd, STDIN_FILENO) < 0) {
			if (!err->code)
				error__set(err, -errno, "standard input: %s", strerror(errno));
			close(fd);
			return err->code;
		}
		close(fd);
	}
	fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return error__set(err, -errno, "standard input: %s", strerror(errno));
	return fd;
}
