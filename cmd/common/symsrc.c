/* Owns the readers' symbol sources: --symfs DIR and --archive FILE (unpacked into a
 * temporary directory that is removed at exit) become the symbol directory of
 * symbols/symfs.h. */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/common/common.h"
#include "symbols/archive.h"
#include "util/error.h"
#include "util/log.h"

static char unpacked[PATH_MAX];

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	remove(path);
	return 0;
}

static void rm_unpacked(void)
{
	if (unpacked[0])
		nftw(unpacked, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int cmd__symbol_sources(const struct cmd_common *c)
{
	struct error err = { .code = 0 };
	const char *tmp = getenv("TMPDIR");
	struct stat st;

	if (c->symfs && c->archive) {
		pr_err("--symfs and --archive both name where the symbols are: use one");
		return 1;
	}
	if (c->symfs) {
		if (stat(c->symfs, &st) || !S_ISDIR(st.st_mode)) {
			pr_err("--symfs %s: not a directory (unpack a parchive archive there, or use "
			       "--archive FILE)", c->symfs);
			return 1;
		}
		setenv("PSYMFS", c->symfs, 1);
	}
	if (!c->archive)
		return 0;
	snprintf(unpacked, sizeof(unpacked), "%s/psymfs.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(unpacked)) {
		pr_err("--archive: cannot make a temporary directory %s: %s (set TMPDIR)", unpacked,
		       strerror(errno));
		unpacked[0] = '\0';
		return 1;
	}
	atexit(rm_unpacked);
	if (symarchive__extract(c->archive, unpacked, &err)) {
		pr_err("--archive %s", err.msg);
		return 1;
	}
	setenv("PSYMFS", unpacked, 1);
	return 0;
}
