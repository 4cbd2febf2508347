/* Owns loading libarchive at run time (see archive_lib.h): the library handle, the table of
 * its functions and the message when it is missing. */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

#include "symbols/archive_lib.h"
#include "util/error.h"

/* the soname of the ABI the headers describe */
#define ARCHIVE_LIB_SONAME "libarchive.so.13"

struct archive_lib archive_lib;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[512];	/* empty once loaded */

static void load(void)
{
	void *h = dlopen(ARCHIVE_LIB_SONAME, RTLD_NOW | RTLD_LOCAL);
	const char *missing = NULL;

	if (!h) {
		snprintf(failure, sizeof(failure), "cannot load %s (%s): install libarchive13",
			 ARCHIVE_LIB_SONAME, dlerror());
		return;
	}
#define ARCHIVE_LIB_RESOLVE(f)                                       \
	if (!missing && !(archive_lib.f = (__typeof__(&f))dlsym(h, #f))) \
		missing = #f;
	ARCHIVE_LIB_FUNCS(ARCHIVE_LIB_RESOLVE)
#undef ARCHIVE_LIB_RESOLVE
	if (missing) {
		snprintf(failure, sizeof(failure), "%s has no %s: install libarchive13 3.6 or later",
			 ARCHIVE_LIB_SONAME, missing);
		dlclose(h);
	}
}

int archive_lib__load(struct error *err)
{
	pthread_once(&once, load);
	if (failure[0])
		return error__set(err, -ENOENT, "%s", failure);
	return 0;
}
