/* A uprobe target: calls target() exactly N times (N = argv[1]); target(i) returns 2*i + 1.
 * greet(WHO) is called N times too (WHO = argv[2], default "probed"), a char * to fetch. */
#include <stdlib.h>
__attribute__((noinline)) int target(int x)
{
	int y = x * 2;

	return y + 1;
}
__attribute__((noinline)) int greet(const char *who);
int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10;
	volatile int sum = 0, len = 0;

	for (int i = 0; i < n; i++)
		sum += target(i);
	for (int i = 0; i < n; i++)
		len += greet(argc > 2 ? argv[2] : "probed");
	return 0;
}

__attribute__((noinline)) int greet(const char *who)
{
	int n = 0;

	while (who[n])
		n++;
	return n;
}
