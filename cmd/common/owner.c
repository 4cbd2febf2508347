/* Owns the ownership check of an input file (perf refuses a perf.data the user does not own
 * unless -f) and the hint for a missing one. Its own file, so commands that read no
 * perf.data do not link the reader. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cmd/common/common.h"
#include "perfdata/reader.h"
#include "util/error.h"
#include "util/log.h"

int cmd__check_owner(const struct cmd_common *c, const char *path)
{
	struct error err = { 0 };

	/* every reader says how to make the file it did not find, as pfold does */
	if (strcmp(path, "-") && access(path, F_OK) && errno == ENOENT) {
		pr_err("cannot open %s: %s (record one with 'precord -g' or 'perf record -g')", path,
		       strerror(ENOENT));
		return 1;
	}
	if (c->force || !pd_reader__check_owner(path, &err))
		return 0;
	pr_err("%s", err.msg);
	return 1;
}
