/* Owns JIT symbol maps, /tmp/perf-PID.map: one "START SIZE name" line per symbol, START and
 * SIZE in hex (with or without 0x), addresses absolute. */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symbols/dso.h"
#include "symbols/loaders.h"

int jitmap__load(struct dso *dso)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f = fopen(dso->name, "re");

	if (!f)
		return -errno;
	while ((len = getline(&line, &cap, f)) > 0) {
		char *p = line, *end;
		unsigned long long start, size;

		if (line[len - 1] == '\n')
			line[--len] = '\0';
		start = strtoull(p, &end, 16);
		if (end == p || *end != ' ')
			continue;
		p = end + 1;
		size = strtoull(p, &end, 16);
		if (end == p || *end != ' ')
			continue;
		if (dso__add_sym(dso, start, size, end + 1, STB_GLOBAL)) {
			free(line);
			fclose(f);
			return -ENOMEM;
		}
	}
	free(line);
	fclose(f);
	dso__fixup_syms(dso, false);
	dso->symsrc = strdup(dso->name);
	return 0;
}
