/* dlopen()s the library named by argv[1], looks up argv[2] (void fn(int)) and calls it
 * in a loop: a workload whose hot code sits in a library mapped after start-up. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	void (*fn)(int);
	void *h;
	int i, n = argc > 3 ? atoi(argv[3]) : 200;

	if (argc < 3) {
		fprintf(stderr, "usage: sym_dlopen LIB FUNC [N]\n");
		return 2;
	}
	h = dlopen(argv[1], RTLD_NOW);
	if (!h) {
		fprintf(stderr, "%s\n", dlerror());
		return 1;
	}
	fn = (void (*)(int))dlsym(h, argv[2]);
	if (!fn)
		return 1;
	for (i = 0; i < n; i++)
		fn(1000000);
	dlclose(h);
	return 0;
}
