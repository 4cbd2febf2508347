/* Owns the ownership check of an input file (perf refuses a perf.data the user does not own
 * unless -f). Its own file, so commands that read no perf.data do not link the reader. */
#include "cmd/common/common.h"
#include "perfdata/reader.h"
#include "util/error.h"
#include "util/log.h"

int cmd__check_owner(const struct cmd_common *c, const char *path)
{
	struct error err = { 0 };

	if (c->force || !pd_reader__check_owner(path, &err))
		return 0;
	pr_err("%s", err.msg);
	return 1;
}
