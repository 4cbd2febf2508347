/* Owns the running statistics behind -r: Welford's update, mean, stddev of the mean. */
#include <math.h>

#include "util/stats.h"

void stats__init(struct stats *s)
{
	s->n = s->mean = s->m2 = 0;
}

void stats__update(struct stats *s, double val)
{
	double delta;

	s->n += 1;
	delta = val - s->mean;
	s->mean += delta / s->n;
	s->m2 += delta * (val - s->mean);
}

double stats__mean(const struct stats *s)
{
	return s->mean;
}

double stats__stddev(const struct stats *s)
{
	if (s->n < 2)
		return 0;
	return sqrt(s->m2 / (s->n - 1) / s->n);
}

double stats__rel_stddev(const struct stats *s)
{
	if (s->mean == 0)
		return 0;
	return 100.0 * stats__stddev(s) / s->mean;
}
