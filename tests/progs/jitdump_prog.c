/* A tiny JIT for pinject --jit's tests: it writes two functions into executable memory,
 * describes them in DIR/jit-PID.dump in perf's jitdump format (with the mmap of the dump file
 * that marks it in a recording, as real JITs do, and CLOCK_MONOTONIC times), then runs them
 * for SECONDS: jit_hot about three times as long as jit_cold.
 * usage: jitdump_prog DIR [SECONDS]   (x86-64 only; exits 77 elsewhere) */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct jd_header {
	uint32_t magic, version, total_size, elf_mach, pad1, pid;
	uint64_t timestamp, flags;
};

struct jd_load {
	uint32_t id, total_size;
	uint64_t timestamp;
	uint32_t pid, tid;
	uint64_t vma, code_addr, code_size, code_index;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void put(int fd, const void *p, size_t n)
{
	if (write(fd, p, n) != (ssize_t)n) {
		perror("jitdump_prog: write");
		exit(1);
	}
}

/* one JIT_CODE_LOAD record (id 0): the header, the name, then the code bytes */
static void code_load(int fd, const char *name, const uint8_t *code, uint64_t size, uint64_t index)
{
	struct jd_load r = {
		.id = 0, .timestamp = now_ns(), .pid = (uint32_t)getpid(),
		.tid = (uint32_t)syscall(SYS_gettid), .vma = (uint64_t)(uintptr_t)code,
		.code_addr = (uint64_t)(uintptr_t)code, .code_size = size, .code_index = index,
	};

	r.total_size = (uint32_t)(sizeof(r) + strlen(name) + 1 + size);
	put(fd, &r, sizeof(r));
	put(fd, name, strlen(name) + 1);
	put(fd, code, size);
}

int main(int argc, char **argv)
{
#ifdef __x86_64__
	/* mov rax, rdi; 1: dec rax; jnz 1b; ret */
	static const uint8_t loop[] = { 0x48, 0x89, 0xf8, 0x48, 0xff, 0xc8, 0x75, 0xfb, 0xc3 };
	double secs = argc > 2 ? atof(argv[2]) : 1.0;
	long page = sysconf(_SC_PAGESIZE);
	char path[4096];
	struct jd_header h = {
		.magic = 0x4A695444, .version = 1, .total_size = sizeof(h), .elf_mach = EM_X86_64,
		.pid = (uint32_t)getpid(), .timestamp = now_ns(),
	};
	uint8_t *code;
	void *marker;
	uint64_t end;
	int fd;

	if (argc < 2) {
		fprintf(stderr, "usage: jitdump_prog DIR [SECONDS]\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/jit-%d.dump", argv[1], (int)getpid());
	fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	put(fd, &h, sizeof(h));
	/* the marker: an executable mapping of the dump, so the recording names the file */
	marker = mmap(NULL, (size_t)page, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	code = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (marker == MAP_FAILED || code == MAP_FAILED) {
		perror("jitdump_prog: mmap");
		return 1;
	}
	memcpy(code, loop, sizeof(loop));
	memcpy(code + 64, loop, sizeof(loop));
	if (mprotect(code, (size_t)page, PROT_READ | PROT_EXEC)) {
		perror("jitdump_prog: mprotect");
		return 1;
	}
	code_load(fd, "jit_hot", code, sizeof(loop), 1);
	code_load(fd, "jit_cold", code + 64, sizeof(loop), 2);
	end = now_ns() + (uint64_t)(secs * 1e9);
	while (now_ns() < end) {
		((void (*)(long))(void *)code)(3000000);
		((void (*)(long))(void *)(code + 64))(1000000);
	}
	munmap(marker, (size_t)page);
	close(fd);
	return 0;
#else
	(void)argc;
	(void)argv;
	fprintf(stderr, "jitdump_prog: x86-64 only\n");
	return 77;
#endif
}
