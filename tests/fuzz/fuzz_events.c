/* libFuzzer harness for the event-spec grammar (pstat -e / precord -e): names, modifiers,
 * groups, raw events, PMU terms against sysfs, tracepoint globs against tracefs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sampler/evlist.h"
#include "util/error.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct error err;
	struct evlist *evlist;
	char *spec;

	log_set_level(-1);
	if (size > 1024)
		return 0;
	spec = malloc(size + 1);
	if (!spec)
		return 0;
	memcpy(spec, data, size);
	spec[size] = 0;
	evlist = evlist__new();
	if (evlist) {
		evlist__parse(evlist, spec, &err);
		evlist__free(evlist);
	}
	free(spec);
	return 0;
}
