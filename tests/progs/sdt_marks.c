/* USDT (SDT) markers for plist sdt and pprobe sdt_PROVIDER:NAME: fires sdt_ptest:tick N times
 * (N = argv[1]) with arguments (i, 2*i as a long, a byte), then sdt_ptest:done once with N.
 * Built without markers where <sys/sdt.h> (systemtap-sdt-dev) is missing; it then says so
 * with exit status 2. */
#include <stdio.h>
#include <stdlib.h>

#if defined(__has_include) && __has_include(<sys/sdt.h>)
#include <sys/sdt.h>
#define HAVE_SDT 1
#else
#define HAVE_SDT 0
#define DTRACE_PROBE1(p, n, a) ((void)(a))
#define DTRACE_PROBE3(p, n, a, b, c) ((void)(a), (void)(b), (void)(c))
#endif

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10;
	volatile long sum = 0;

	if (!HAVE_SDT) {
		fprintf(stderr, "sdt_marks: built without <sys/sdt.h>: no markers\n");
		return 2;
	}
	for (int i = 0; i < n; i++) {
		long twice = 2L * i;
		unsigned char low = (unsigned char)i;

		DTRACE_PROBE3(ptest, tick, i, twice, low);
		sum += twice;
	}
	DTRACE_PROBE1(ptest, done, n);
	return 0;
}
