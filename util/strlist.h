/* Lists of strings a person typed as "a,b,c" (filters: --comms, --dsos, --symbols). */
#ifndef UTIL_STRLIST_H
#define UTIL_STRLIST_H

#include <stdbool.h>
#include <stddef.h>

struct strlist {
	char **v;
	size_t nr;
};

/* Splits @csv at commas (empty entries dropped) into @l; @csv NULL gives an empty list.
 * 0 or -ENOMEM (then @l holds what was split so far: strlist__exit frees it). */
int strlist__split(struct strlist *l, const char *csv);
void strlist__exit(struct strlist *l);
/* @s is one of the entries (a scan: the lists are short) */
bool strlist__has(const struct strlist *l, const char *s);

#endif
