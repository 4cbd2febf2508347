/* Calls setjmp and longjmp exactly N times each (N = argv[1], default 100): libc's SDT markers
 * sdt_libc:setjmp and sdt_libc:longjmp, where libc has them, fire N times. */
#include <setjmp.h>
#include <stdlib.h>

static jmp_buf env;

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100;
	volatile int i;

	for (i = 0; i < n; i++)
		if (setjmp(env) == 0)
			longjmp(env, 1);
	return i == n ? 0 : 1;
}
