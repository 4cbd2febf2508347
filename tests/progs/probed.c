/* A uprobe target: calls target() exactly N times (N = argv[1]); target(i) returns 2*i + 1. */
#include <stdlib.h>

__attribute__((noinline)) int target(int x)
{
	int y = x * 2;

	return y + 1;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10;
	volatile int sum = 0;

	for (int i = 0; i < n; i++)
		sum += target(i);
	return 0;
}
