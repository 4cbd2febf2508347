/* The string interner of the tree: each distinct string stored once, at a stable address,
 * with a dense id (0, 1, 2, ... in first-seen order) for tables keyed by name. */
#ifndef UTIL_STRPOOL_H
#define UTIL_STRPOOL_H

#include <stddef.h>
#include <stdint.h>

struct strpool;

struct strpool *strpool__new(void);
void strpool__free(struct strpool *p);

/* The id of @s (@len bytes, need not be NUL-terminated), adding it if new; -ENOMEM. */
int64_t strpool__id(struct strpool *p, const char *s, size_t len);
/* The interned copy of @s (NUL-terminated), adding it if new; NULL + errno ENOMEM. */
const char *strpool__add(struct strpool *p, const char *s);
const char *strpool__add_len(struct strpool *p, const char *s, size_t len);

/* By id: the string (NUL-terminated, valid until strpool__free) and its length. */
const char *strpool__str(const struct strpool *p, uint32_t id);
size_t strpool__len(const struct strpool *p, uint32_t id);
size_t strpool__count(const struct strpool *p);

#endif
