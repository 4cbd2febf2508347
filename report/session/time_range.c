/* Owns parsing --time (report/session/time_range.h): seconds with up to nine decimals, and
 * perf's percentage forms resolved against the SAMPLE_TIME feature. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfdata/format.h"
#include "report/session/time_range.h"

/* "SEC[.FRACTION]" of s[0..len) into nanoseconds. */
static int parse_seconds(const char *s, size_t len, uint64_t *ns)
{
	uint64_t sec = 0, frac = 0;
	size_t i = 0, digits = 0;

	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
		if (sec > UINT64_MAX / 10 / 1000000000ULL)
			return -EINVAL;
		sec = sec * 10 + (uint64_t)(s[i] - '0');
	}
	if (i < len && s[i] == '.') {
		size_t k = 0;

		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, k++, digits++)
			if (k < 9)
				frac = frac * 10 + (uint64_t)(s[i] - '0');
		for (; k < 9; k++)
			frac *= 10;
	}
	if (i != len || !digits)
		return -EINVAL;
	*ns = sec * 1000000000ULL + frac;
	return 0;
}

/* "P%" of s[0..len): the number before '%', 0..100. */
static int parse_pct(const char *s, size_t len, double *p)
{
	char buf[32], *end;

	if (len < 2 || len >= sizeof(buf) || s[len - 1] != '%')
		return -EINVAL;
	memcpy(buf, s, len - 1);
	buf[len - 1] = '\0';
	*p = strtod(buf, &end);
	return *end || end == buf || *p < 0 || *p > 100 ? -EINVAL : 0;
}

static int sample_times(struct pd_reader *r, uint64_t *first, uint64_t *last)
{
	uint64_t size;
	const uint8_t *p = r ? pd_reader__feature(r, PD_FEAT_SAMPLE_TIME, &size) : NULL;

	if (!p || size < 16)
		return -ENOENT;
	memcpy(first, p, 8);
	memcpy(last, p + 8, 8);
	return *last >= *first ? 0 : -ENOENT;
}

static int parse_percent(const char *s, struct pd_reader *r, struct time_range *t,
			 struct error *err)
{
	const char *slash = strchr(s, '/'), *dash = strchr(s, '-');
	uint64_t first, last;
	double a, b, span;
	char *end;

	if (sample_times(r, &first, &last))
		return error__set(err, -EINVAL, "--time '%s': this file has no first/last sample "
				     "times (no SAMPLE_TIME feature): give START,END in seconds", s);
	if (slash) {
		long n = strtol(slash + 1, &end, 10);

		if (parse_pct(s, (size_t)(slash - s), &a) || *end || n < 1 || a <= 0 ||
		    a * (double)(n - 1) >= 100)
			return -EINVAL;
		b = a * (double)n;
		a = a * (double)(n - 1);
	} else if (dash) {
		if (parse_pct(s, (size_t)(dash - s), &a) || parse_pct(dash + 1, strlen(dash + 1), &b) ||
		    b < a)
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	if (b > 100)
		b = 100;
	span = (double)(last - first);
	t->start = first + (uint64_t)(span * a / 100.0);
	t->end = b >= 100 ? last : first + (uint64_t)(span * b / 100.0);
	return 0;
}

int time_range__parse(const char *s, struct pd_reader *r, struct time_range *t, struct error *err)
{
	const char *comma = strchr(s, ',');
	int ret;

	t->start = 0;
	t->end = UINT64_MAX;
	if (strchr(s, '%')) {
		ret = parse_percent(s, r, t, err);
		if (ret && err && !err->code)
			goto bad;
		return ret;
	}
	if (!comma)
		goto bad;
	if (comma > s && parse_seconds(s, (size_t)(comma - s), &t->start))
		goto bad;
	if (comma[1] && parse_seconds(comma + 1, strlen(comma + 1), &t->end))
		goto bad;
	if (t->end < t->start)
		goto bad;
	return 0;
bad:
	return error__set(err, -EINVAL, "bad --time '%s' (expected START,END in seconds as pscript "
			     "prints them, e.g. 1234.5,1236 or ,1236; or 10%%/2 or 0%%-25%%)", s);
}
