/* A JIT in miniature: copies a spin loop into an anonymous executable mapping, names it in
 * /tmp/perf-PID.map as JITs do for perf, and runs it for about SECONDS (default 0.5). The map
 * file is left for the reports; its path is printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	/* mov $100000,%ecx; 1: dec %ecx; jnz 1b; ret */
	static const unsigned char code[] = { 0xb9, 0xa0, 0x86, 0x01, 0x00, 0xff, 0xc9, 0x75, 0xfc, 0xc3 };
	double secs = argc > 1 ? atof(argv[1]) : 0.5, end;
	unsigned char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char path[64];
	FILE *f;

	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memcpy(p + 0x40, code, sizeof(code));
	snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)getpid());
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		return 1;
	}
	fprintf(f, "%lx %zx jit_spin\n", (unsigned long)(p + 0x40), sizeof(code));
	fclose(f);
	printf("%s\n", path);
	fflush(stdout);
	end = now() + secs;
	while (now() < end)
		((void (*)(void))(p + 0x40))();
	return 0;
}
