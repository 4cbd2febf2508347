/* Running mean and standard deviation (Welford) for repeated runs (-r). */
#ifndef UTIL_STATS_H
#define UTIL_STATS_H

struct stats {
	double n, mean, m2;
};

void stats__init(struct stats *s);
void stats__update(struct stats *s, double val);
double stats__mean(const struct stats *s);
/* Standard deviation of the mean: sqrt(variance / n), 0 for fewer than two values. */
double stats__stddev(const struct stats *s);
/* stddev as a percentage of the mean (0 when the mean is 0). */
double stats__rel_stddev(const struct stats *s);

#endif
