/* Owns the exit path of the commands: stdout flushed and checked, a reader that went away
 * (EPIPE) is a quiet success, any other failure one line and exit status 1; and the one rule,
 * a shell's, for the status of a command that ran a program (cmd__exec_exit). */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/common/common.h"
#include "util/error.h"
#include "util/log.h"

/* Nobody reads stdout any more (a pipe or socket closed at the other end, a hung-up terminal):
 * a write that failed there lost nothing anyone would see. Asked of the descriptor, as a
 * library may have turned the EPIPE into -EIO on its way up. */
static bool stdout_reader_gone(void)
{
	struct pollfd p = { .fd = STDOUT_FILENO, .events = 0 };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

int cmd__flush_stdout(void)
{
	int e;

	errno = 0;
	if (!fflush(stdout) && !ferror(stdout))
		return 0;
	/* an error flag without a failing flush: the bytes went earlier, errno with them */
	e = errno ? errno : EIO;
	if (e == EPIPE || stdout_reader_gone())
		return 0;
	pr_err("write error: %s", strerror(e));
	return 1;
}

int cmd__exit(int ret, const struct error *err)
{
	if (ret == -EPIPE || (ret && ferror(stdout) && stdout_reader_gone()))
		return 0;
	if (ret) {
		pr_err("%s", err && err->msg[0] ? err->msg : strerror(-ret));
		return 1;
	}
	return cmd__flush_stdout();
}

int cmd__exec_exit(int err)
{
	/* as sh: not found 127, found but not runnable 126 */
	return err == -ENOENT || err == -ENOTDIR ? 127 : 126;
}
