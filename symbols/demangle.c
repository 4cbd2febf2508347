/* Owns the call into libiberty's demangler. perf prints demangled names without the
 * parameter list ("ns::Acc<long>::add", not "ns::Acc<long>::add(long)"). */
#include <stdlib.h>
#include <string.h>
#include <libiberty/demangle.h>

#include "symbols/demangle.h"

char *demangle__sym(const char *name)
{
	if (name[0] != '_' || (name[1] != 'Z' && name[1] != 'R'))
		return NULL;
#ifdef DMGL_RUST
	if (name[1] == 'R')	/* Rust v0 mangling */
		return cplus_demangle(name, DMGL_RUST);
#endif
	return cplus_demangle(name, DMGL_NO_OPTS);
}

char *demangle__sym_params(const char *name)
{
	if (name[0] != '_' || name[1] != 'Z')
		return NULL;
	return cplus_demangle(name, DMGL_PARAMS | DMGL_ANSI);
}
