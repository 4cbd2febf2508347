/* Unit tests of what every command shares (cmd/common/): the common options, the ownership
 * check, the exit path on stdout and the one permission/limits hint. Messages are read back
 * from stderr, which each test points at a temporary file. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <cmocka.h>

#include "cmd/common/common.h"
#include "util/error.h"
#include "util/log.h"
#include "util/sysfs.h"

static int saved_fd = -1;
static FILE *capture;

/* stderr into a temporary file until captured() */
static void capture_stderr(void)
{
	fflush(stderr);
	capture = tmpfile();
	assert_non_null(capture);
	saved_fd = dup(STDERR_FILENO);
	assert_true(saved_fd >= 0);
	assert_int_equal(dup2(fileno(capture), STDERR_FILENO), STDERR_FILENO);
}

/* What was written to stderr since capture_stderr(), without the last newline (static). */
static const char *captured(void)
{
	static char buf[2048];
	size_t n;

	fflush(stderr);
	dup2(saved_fd, STDERR_FILENO);
	close(saved_fd);
	rewind(capture);
	n = fread(buf, 1, sizeof(buf) - 1, capture);
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	fclose(capture);
	return buf;
}

static void test_options(void **state)
{
	struct cmd_common c = CMD_COMMON_DEFAULTS;

	assert_string_equal(c.input, "perf.data");
	assert_true(c.demangle);
	assert_int_equal(cmd__option(&c, 'i', "x.data"), 0);
	assert_string_equal(c.input, "x.data");
	assert_int_equal(cmd__option(&c, 'f', NULL), 0);
	assert_true(c.force);
	assert_int_equal(cmd__option(&c, CMD_OPT_NO_DEMANGLE, NULL), 0);
	assert_false(c.demangle);
	assert_int_equal(cmd__option(&c, CMD_OPT_DEMANGLE, NULL), 0);
	assert_true(c.demangle);
	assert_int_equal(cmd__option(&c, 'v', NULL), 0);
	assert_int_equal(cmd__option(&c, 'v', NULL), 0);
	assert_int_equal(c.verbose, 2);
	/* not common: the command's usage error */
	assert_int_equal(cmd__option(&c, '?', NULL), -1);
	assert_int_equal(cmd__option(&c, 's', "sym"), -1);
	assert_int_equal(cmd__option(&c, 256, NULL), -1);

	cmd__log_level(&c);
	assert_int_equal(log_get_level(), LOG_WARN + 2);
	/* -q wins over -v, in either order */
	assert_int_equal(cmd__option(&c, 'q', NULL), 0);
	cmd__log_level(&c);
	assert_int_equal(log_get_level(), LOG_ERROR);
	c = (struct cmd_common)CMD_COMMON_DEFAULTS;
	cmd__log_level(&c);
	assert_int_equal(log_get_level(), LOG_WARN);
}

static void test_check_owner(void **state)
{
	struct cmd_common c = CMD_COMMON_DEFAULTS;
	char path[] = "/tmp/test_cmd_common.XXXXXX", want[128];
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(cmd__check_owner(&c, path), 0);
	log_set_prog("ptest");
	/* a missing file: refused with how to make one (issue 23: every reader says it) */
	capture_stderr();
	assert_int_equal(cmd__check_owner(&c, "/nonexistent/perf.data"), 1);
	assert_string_equal(captured(), "ptest: cannot open /nonexistent/perf.data: No such file or "
			    "directory (record one with 'precord -g' or 'perf record -g')");
	if (geteuid() != 0 || chown(path, 65534, 65534)) {
		unlink(path);
		skip();
	}
	capture_stderr();
	assert_int_equal(cmd__check_owner(&c, path), 1);
	snprintf(want, sizeof(want), "ptest: File %s not owned by current user or root (use -f to override)",
		 path);
	assert_string_equal(captured(), want);
	c.force = true;
	assert_int_equal(cmd__check_owner(&c, path), 0);
	unlink(path);
}

static void test_exit(void **state)
{
	struct error err = { 0 };

	log_set_prog("ptest");
	assert_int_equal(cmd__exit(-EPIPE, &err), 0);
	assert_int_equal(cmd__exit(0, NULL), 0);
	capture_stderr();
	assert_int_equal(cmd__exit(-ENOENT, &err), 1);
	assert_string_equal(captured(), "ptest: No such file or directory");
	error__set(&err, -EINVAL, "bad file %s", "x");
	capture_stderr();
	assert_int_equal(cmd__exit(-EINVAL, &err), 1);
	assert_string_equal(captured(), "ptest: bad file x");
}

/* stdout on a full disk: the lost output is said; on a pipe nobody reads: quiet. */
static void test_flush_stdout(void **state)
{
	int saved = dup(STDOUT_FILENO), full = open("/dev/full", O_WRONLY), p[2];

	assert_true(saved >= 0);
	if (full < 0)
		skip();
	log_set_prog("ptest");
	fflush(stdout);
	dup2(full, STDOUT_FILENO);
	close(full);
	fputs("lost\n", stdout);
	capture_stderr();
	assert_int_equal(cmd__flush_stdout(), 1);
	assert_string_equal(captured(), "ptest: write error: No space left on device");
	/* a library's -EIO on a full disk is an error */
	capture_stderr();
	assert_int_equal(cmd__exit(-EIO, NULL), 1);
	assert_string_equal(captured(), "ptest: Input/output error");
	__fpurge(stdout);	/* what could not be written is not for the real stdout */
	clearerr(stdout);

	assert_int_equal(pipe(p), 0);
	signal(SIGPIPE, SIG_IGN);
	dup2(p[1], STDOUT_FILENO);
	close(p[1]);
	close(p[0]);
	fputs("nobody reads this\n", stdout);
	capture_stderr();
	assert_int_equal(cmd__flush_stdout(), 0);
	/* and its -EIO on a pipe nobody reads is not */
	assert_int_equal(cmd__exit(-EIO, NULL), 0);
	assert_string_equal(captured(), "");
	signal(SIGPIPE, SIG_DFL);
	__fpurge(stdout);
	clearerr(stdout);

	dup2(saved, STDOUT_FILENO);
	close(saved);
}

static void test_open_error(void **state)
{
	char want[512], cur[64];
	const char *got, *fix;
	long paranoid;

	assert_int_equal(sysfs__perf_event_paranoid(&paranoid), 0);
	snprintf(cur, sizeof(cur), "kernel.perf_event_paranoid is %ld (", paranoid);
	log_set_prog("precord");
	capture_stderr();
	cmd__open_error("sample", "cpu-clock:k", false, -EACCES);
	got = captured();
	assert_non_null(strstr(got, "precord: no permission to sample 'cpu-clock:k': "));
	assert_non_null(strstr(got, cur));
	assert_non_null(strstr(got, "root"));
	assert_non_null(strstr(got, "CAP_PERFMON"));
	/* a fix never suggests the value already set: a lower one (1 at most for a task) */
	fix = strstr(got, "sysctl kernel.perf_event_paranoid=");
	if (paranoid >= 0) {
		long want_v = paranoid > 1 ? 1 : paranoid - 1;

		assert_non_null(fix);
		snprintf(want, sizeof(want), "sysctl kernel.perf_event_paranoid=%ld (allows ", want_v);
		assert_non_null(strstr(got, want));
	}

	log_set_prog("pstat");
	capture_stderr();
	cmd__open_error("count", "cpu-clock", true, -EPERM);
	got = captured();
	assert_non_null(strstr(got, "pstat: no permission to count 'cpu-clock' on all CPUs: "));
	assert_non_null(strstr(got, cur));
	if (paranoid >= 0) {
		snprintf(want, sizeof(want), "sysctl kernel.perf_event_paranoid=%ld (allows ",
			 paranoid > 0 ? 0L : paranoid - 1);
		assert_non_null(strstr(got, want));
	}

	capture_stderr();
	cmd__open_error("count", "sys:*", true, -EMFILE);
	assert_string_equal(captured(), "pstat: too many open files for 'sys:*': raise ulimit -n, or"
			    " count fewer CPUs/threads");
	capture_stderr();
	cmd__open_error("count", "cycles", false, -ENOENT);
	assert_string_equal(captured(), "pstat: cannot open event 'cycles': No such file or directory");
}

static void test_mmap_error(void **state)
{
	struct rlimit rl = { 0, 0 };
	char want[512];
	long kb = -1;

	if (sysfs__read_long("/proc/sys/kernel/perf_event_mlock_kb", &kb))
		kb = -1;
	getrlimit(RLIMIT_MEMLOCK, &rl);
	log_set_prog("precord");
	capture_stderr();
	cmd__mmap_error("8192", -EPERM);
	snprintf(want, sizeof(want), "precord: cannot map 8192 pages per CPU: the locked-memory limit"
		 " is too small (kernel.perf_event_mlock_kb %ld, ulimit -l %lld KiB): use a smaller -m,"
		 " raise ulimit -l, or sysctl kernel.perf_event_mlock_kb=<bigger>", kb,
		 rl.rlim_cur == RLIM_INFINITY ? -1LL : (long long)(rl.rlim_cur / 1024));
	assert_string_equal(captured(), want);
	capture_stderr();
	cmd__mmap_error("cpu 3", -EINVAL);
	assert_string_equal(captured(), "precord: cannot map the ring buffers (cpu 3): Invalid argument");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_check_owner),
		cmocka_unit_test(test_exit),
		cmocka_unit_test(test_flush_stdout),
		cmocka_unit_test(test_open_error),
		cmocka_unit_test(test_mmap_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
