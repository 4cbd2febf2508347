/* Owns the comma-separated string lists of util/strlist.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/array.h"
#include "util/strlist.h"

int strlist__split(struct strlist *l, const char *csv)
{
	char *dup, *tok, *save = NULL;
	size_t cap = 0;

	l->v = NULL;
	l->nr = 0;
	if (!csv)
		return 0;
	dup = strdup(csv);
	if (!dup)
		return -ENOMEM;
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (ARRAY_GROW(l->v, cap, l->nr + 1) || !(l->v[l->nr] = strdup(tok))) {
			free(dup);
			return -ENOMEM;
		}
		l->nr++;
	}
	free(dup);
	return 0;
}

void strlist__exit(struct strlist *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nr; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->nr = 0;
}

bool strlist__has(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->nr; i++)
		if (!strcmp(l->v[i], s))
			return true;
	return false;
}
