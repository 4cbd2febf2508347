/* What snprintf writes and answers for the few formats a report row is made of (a string,
 * a left-aligned cut string, spaces), without printf's format parsing: the rows of a big
 * report call these a few hundred thousand times. Like snprintf: at most sz - 1 bytes and
 * a NUL (when sz > 0), and the length the whole text has. */
#ifndef UTIL_STRFMT_H
#define UTIL_STRFMT_H

#include <stddef.h>
#include <string.h>

/* @n bytes of @s (or @c repeated, @s NULL) at @at, as far as they fit before the NUL */
static inline void strfmt__put(char *buf, size_t sz, size_t at, const char *s, char c, size_t n)
{
	size_t room;

	if (at + 1 >= sz)
		return;
	room = sz - 1 - at;
	if (s)
		memcpy(buf + at, s, n < room ? n : room);
	else
		memset(buf + at, c, n < room ? n : room);
}

/* snprintf's answer @n as the length of what @sz bytes hold (0 for an error) */
static inline int strfmt__fit(int n, size_t sz)
{
	if (n < 0 || !sz)
		return 0;
	return (size_t)n >= sz ? (int)sz - 1 : n;
}

static inline int strfmt__end(char *buf, size_t sz, size_t len)
{
	if (sz)
		buf[len < sz ? len : sz - 1] = '\0';
	return (int)len;
}

/* snprintf(buf, sz, "%-*.*s", width, prec, s); prec < 0: the whole string */
static inline int strfmt__left(char *buf, size_t sz, const char *s, int prec, int width)
{
	size_t len = prec < 0 ? strlen(s) : strnlen(s, (size_t)prec);
	size_t w = width > 0 ? (size_t)width : 0;

	strfmt__put(buf, sz, 0, s, 0, len);
	if (len < w)
		strfmt__put(buf, sz, len, NULL, ' ', w - len);
	return strfmt__end(buf, sz, len < w ? w : len);
}

/* snprintf(buf, sz, "%s", s) */
static inline int strfmt__str(char *buf, size_t sz, const char *s)
{
	return strfmt__left(buf, sz, s, -1, 0);
}

/* snprintf(buf, sz, "%*s", n, ""): n spaces */
static inline int strfmt__spaces(char *buf, size_t sz, int n)
{
	return strfmt__left(buf, sz, "", -1, n);
}

#endif
