/* Owns launching the measured command: fork, hold before exec until counters are open, exec,
 * and report exec failures back to the parent through a close-on-exec pipe. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sampler/workload.h"

int workload__prepare(struct workload *wl, char *const argv[])
{
	int go[2] = { -1, -1 }, err[2] = { -1, -1 };

	wl->pid = -1;
	wl->go_fd = wl->err_fd = -1;
	if (pipe2(go, O_CLOEXEC) || pipe2(err, O_CLOEXEC))
		goto fail;
	wl->pid = fork();
	if (wl->pid < 0)
		goto fail;
	if (wl->pid == 0) {
		char c;
		int e;

		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		/* a measuring parent killed outright takes its workload with it */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(go[1]);
		close(err[0]);
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		execvp(argv[0], argv);
		e = errno;
		if (write(err[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(go[0]);
	close(err[1]);
	wl->go_fd = go[1];
	wl->err_fd = err[0];
	return 0;
fail: {
	int e = errno;

	for (int i = 0; i < 2; i++) {
		if (go[i] >= 0)
			close(go[i]);
		if (err[i] >= 0)
			close(err[i]);
	}
	return -e;
}
}

int workload__start(struct workload *wl)
{
	char c = 1;
	int e = 0;
	ssize_t n;

	if (write(wl->go_fd, &c, 1) != 1)
		return -errno;
	close(wl->go_fd);
	wl->go_fd = -1;
	do
		n = read(wl->err_fd, &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(wl->err_fd);
	wl->err_fd = -1;
	if (n == sizeof(e)) {
		waitpid(wl->pid, NULL, 0);
		wl->pid = -1;
		return -e;
	}
	return 0;
}

int workload__wait(struct workload *wl, int *status, struct rusage *ru, int flags)
{
	pid_t r = wait4(wl->pid, status, flags, ru);

	if (r < 0)
		return -errno;
	if (r == 0)
		return -EAGAIN;
	wl->pid = -1;
	return 0;
}

void workload__kill(struct workload *wl, int sig)
{
	if (wl->pid > 0)
		kill(wl->pid, sig);
}

void workload__close(struct workload *wl)
{
	if (wl->go_fd >= 0)
		close(wl->go_fd);
	if (wl->err_fd >= 0)
		close(wl->err_fd);
	if (wl->pid > 0) {
		kill(wl->pid, SIGKILL);
		waitpid(wl->pid, NULL, 0);
	}
	wl->pid = -1;
	wl->go_fd = wl->err_fd = -1;
}

int workload__exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}
