/* Owns the libunwind backend (placeholder until written). */
#include <errno.h>

#include "unwind/internal.h"

static int lu_init(struct unwinder *u)
{
	return -ENOSYS;
}

const struct unwind_ops unwind_libunwind_ops = {
	.name = "libunwind",
	.init = lu_init,
};
