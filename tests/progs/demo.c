/* The bundled example for `make demo`: a small program with a known call tree.
 *   main -> run -> parse_records -> checksum          (~25% of the time)
 *   main -> run -> simulate -> step -> collide        (~75%)
 * It also writes and faults a little so the counters have something to show. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long checksum(const unsigned char *p, size_t n)
{
	unsigned long h = 5381;

	for (size_t i = 0; i < n; i++)
		h = h * 33 + p[i];
	return h;
}

static unsigned long parse_records(unsigned char *buf, size_t n, int rounds)
{
	unsigned long h = 0;

	for (int r = 0; r < rounds; r++) {
		buf[r % n] ^= (unsigned char)r;
		h ^= checksum(buf, n);
	}
	return h;
}

static double collide(double a, double b)
{
	for (int i = 0; i < 64; i++)
		a = a * 0.999 + b * 0.001 + (a > b ? -1e-9 : 1e-9);
	return a;
}

static double step(double *xs, int n)
{
	double e = 0;

	for (int i = 1; i < n; i++) {
		xs[i] = collide(xs[i], xs[i - 1]);
		e += xs[i];
	}
	return e;
}

static double simulate(int steps)
{
	double xs[256], e = 0;

	for (int i = 0; i < 256; i++)
		xs[i] = i * 0.5;
	for (int s = 0; s < steps; s++)
		e += step(xs, 256);
	return e;
}

static void run(int scale)
{
	size_t n = 1 << 20;
	unsigned char *buf = malloc(n);
	unsigned long h;
	double e;

	if (!buf)
		exit(1);
	memset(buf, 7, n);
	h = parse_records(buf, n, 2 * scale);
	e = simulate(250 * scale);
	printf("demo: checksum %lx energy %.3f\n", h, e);
	free(buf);
}

int main(int argc, char **argv)
{
	run(argc > 1 ? atoi(argv[1]) : 40);
	return 0;
}
