/* Owns the process's one debuginfod client: libdebuginfod loaded on the first query (only
 * readers that need a file ask, so the other commands never load libcurl), the timeout
 * default, the progress line on a terminal, and the give-up-once rule after a server error.
 * The state is per process by nature: --no-debuginfod and a dead server hold for every DSO. */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <elfutils/debuginfod.h>

#include "symbols/debuginfod.h"
#include "util/log.h"

struct dfd_lib {
	void *handle;
	debuginfod_client *(*begin)(void);
	void (*end)(debuginfod_client *);
	int (*find_debuginfo)(debuginfod_client *, const unsigned char *, int, char **);
	int (*find_executable)(debuginfod_client *, const unsigned char *, int, char **);
	int (*find_source)(debuginfod_client *, const unsigned char *, int, const char *, char **);
	void (*set_progressfn)(debuginfod_client *, debuginfod_progressfn_t);
	void (*set_user_data)(debuginfod_client *, void *);
	void *(*get_user_data)(debuginfod_client *);
	debuginfod_client *client;
};

static struct {
	bool disabled, failed, tried;
	struct dfd_lib lib;
} dfd;

void debuginfod__disable(void)
{
	dfd.disabled = true;
	/* libdw's dwfl_standard_find_debuginfo asks the same servers on its own */
	unsetenv(DEBUGINFOD_URLS_ENV_VAR);
}

bool debuginfod__active(void)
{
	const char *urls = getenv(DEBUGINFOD_URLS_ENV_VAR);

	return !dfd.disabled && !dfd.failed && urls && urls[strspn(urls, " \t")];
}

struct progress {
	const char *name;
	bool shown;
};

static int on_progress(debuginfod_client *c, long a, long b)
{
	struct progress *p = dfd.lib.get_user_data(c);

	if (!p)
		return 0;
	if (b > 0)
		fprintf(stderr, "\rdebuginfod: downloading %s: %ld/%ld KiB\033[K", p->name,
			a >> 10, b >> 10);
	else
		fprintf(stderr, "\rdebuginfod: asking for %s ...\033[K", p->name);
	p->shown = true;
	return 0;
}

static void lib_end(void)
{
	if (dfd.lib.client)
		dfd.lib.end(dfd.lib.client);
	dfd.lib.client = NULL;
	/* libdebuginfod stays loaded: its destructor runs at exit */
}

#define SYM(field, name) (*(void **)&dfd.lib.field = dlsym(dfd.lib.handle, name))

static debuginfod_client *client(void)
{
	if (dfd.tried)
		return dfd.lib.client;
	dfd.tried = true;
	dfd.lib.handle = dlopen(DEBUGINFOD_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!dfd.lib.handle) {
		pr_warn("debuginfod: cannot load %s (install libdebuginfod1); DEBUGINFOD_URLS "
			"is not used", DEBUGINFOD_SONAME);
		return NULL;
	}
	if (!SYM(begin, "debuginfod_begin") || !SYM(end, "debuginfod_end") ||
	    !SYM(find_debuginfo, "debuginfod_find_debuginfo") ||
	    !SYM(find_executable, "debuginfod_find_executable") ||
	    !SYM(find_source, "debuginfod_find_source") ||
	    !SYM(set_progressfn, "debuginfod_set_progressfn") ||
	    !SYM(set_user_data, "debuginfod_set_user_data") ||
	    !SYM(get_user_data, "debuginfod_get_user_data")) {
		pr_warn("debuginfod: %s lacks a function; DEBUGINFOD_URLS is not used",
			DEBUGINFOD_SONAME);
		return NULL;
	}
	/* a dead or silent server must not hold a report for libdebuginfod's 90 s, nor for
	 * its two retries of each query */
	if (!getenv(DEBUGINFOD_TIMEOUT_ENV_VAR)) {
		char s[16];

		snprintf(s, sizeof(s), "%d", DEBUGINFOD_DEFAULT_TIMEOUT);
		setenv(DEBUGINFOD_TIMEOUT_ENV_VAR, s, 0);
	}
	setenv(DEBUGINFOD_RETRY_LIMIT_ENV_VAR, "0", 0);
	dfd.lib.client = dfd.lib.begin();
	if (!dfd.lib.client)
		return NULL;
	if (isatty(STDERR_FILENO))
		dfd.lib.set_progressfn(dfd.lib.client, on_progress);
	atexit(lib_end);
	return dfd.lib.client;
}

int debuginfod__find(const char *what, const uint8_t *id, size_t size, const char *src,
		     const char *name, char *out, size_t len)
{
	struct progress p = { .name = name && *name ? name : what };
	debuginfod_client *c;
	char *path = NULL;
	int fd;

	if (!size || !debuginfod__active())
		return -ENOENT;
	c = client();
	if (!c) {
		dfd.failed = true;
		return -ENOENT;
	}
	dfd.lib.set_user_data(c, &p);
	if (!strcmp(what, "source"))
		fd = dfd.lib.find_source(c, id, (int)size, src, &path);
	else if (!strcmp(what, "executable"))
		fd = dfd.lib.find_executable(c, id, (int)size, &path);
	else
		fd = dfd.lib.find_debuginfo(c, id, (int)size, &path);
	dfd.lib.set_user_data(c, NULL);
	if (p.shown)
		fputs("\r\033[K", stderr);
	if (fd < 0) {
		free(path);
		if (fd == -ENOENT) {
			pr_debug("debuginfod: no %s for %s", what, p.name);
			return -ENOENT;
		}
		dfd.failed = true;
		pr_warn("debuginfod: %s: %s; no server is asked again (DEBUGINFOD_URLS=%s, "
			"--no-debuginfod turns it off)", p.name, strerror(-fd),
			getenv(DEBUGINFOD_URLS_ENV_VAR));
		unsetenv(DEBUGINFOD_URLS_ENV_VAR);	/* libdw's own queries too */
		return fd;
	}
	close(fd);
	if (!path || strlen(path) >= len) {
		free(path);
		return -ENAMETOOLONG;
	}
	memcpy(out, path, strlen(path) + 1);
	free(path);
	pr_debug("debuginfod: %s for %s: %s", what, p.name, out);
	return 0;
}
