/* Keeps a small BPF program loaded for header_bpf.t: a socket filter made of a main function
 * and one BPF-to-BPF callee (so it has two JITed sub-programs), with BTF and func_info naming
 * them, and a one-function filter without BTF, loaded with the raw bpf(2) syscall (no libbpf).
 * Prints "ID BTF_ID ID2" (the two programs' ids, the first one's BTF id), then sleeps. A kernel
 * that refuses BTF gets the first program without it (BTF_ID 0).
 * Usage: bpf_load [SECONDS]   (default 10)
 * Exit 2 with a message when bpf() is not permitted. */
#include <errno.h>
#include <stddef.h>
#include <linux/bpf.h>
#include <linux/btf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

/* int, a prototype "int (void)", and the functions bpf_main and bpf_sub of that type */
static int load_btf(void)
{
	static const char strs[] = "\0int\0bpf_main\0bpf_sub";
	struct {
		struct btf_header h;
		uint32_t types[4 + 3 + 3 + 3];
		char strs[sizeof(strs)];
	} b;
	union bpf_attr a;
	uint32_t *t = b.types;

	memset(&b, 0, sizeof(b));
	b.h.magic = BTF_MAGIC;
	b.h.version = BTF_VERSION;
	b.h.hdr_len = sizeof(b.h);
	b.h.type_len = sizeof(b.types);
	b.h.str_off = sizeof(b.types);
	b.h.str_len = sizeof(strs);
	/* [1] int */
	*t++ = 1; *t++ = BTF_KIND_INT << 24; *t++ = 4; *t++ = (BTF_INT_SIGNED << 24) | 32;
	/* [2] int (void) */
	*t++ = 0; *t++ = BTF_KIND_FUNC_PROTO << 24; *t++ = 1;
	/* [3] bpf_main, [4] bpf_sub: static functions */
	*t++ = 5; *t++ = BTF_KIND_FUNC << 24; *t++ = 2;
	*t++ = 14; *t++ = BTF_KIND_FUNC << 24; *t++ = 2;
	memcpy(b.strs, strs, sizeof(strs));
	memset(&a, 0, sizeof(a));
	a.btf = (uintptr_t)&b;
	a.btf_size = (uint32_t)(offsetof(typeof(b), strs) + sizeof(strs));
	return (int)sys_bpf(BPF_BTF_LOAD, &a);
}

/* "return 0" named ptest_plain */
static int load_plain(void)
{
	static const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = (uintptr_t)insns;
	a.insn_cnt = 2;
	a.license = (uintptr_t)"GPL";
	strcpy(a.prog_name, "ptest_plain");
	return (int)sys_bpf(BPF_PROG_LOAD, &a);
}

static uint32_t prog_id(int fd, uint32_t *btf_id)
{
	struct bpf_prog_info info;
	union bpf_attr a;

	memset(&info, 0, sizeof(info));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = fd;
	a.info.info_len = sizeof(info);
	a.info.info = (uintptr_t)&info;
	if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a))
		return 0;
	if (btf_id)
		*btf_id = info.btf_id;
	return info.id;
}

static int load_prog(int btf_fd)
{
	static const struct bpf_insn insns[] = {
		{ .code = BPF_JMP | BPF_CALL, .src_reg = BPF_PSEUDO_CALL, .imm = 1 },	/* call bpf_sub */
		{ .code = BPF_JMP | BPF_EXIT },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },	/* bpf_sub */
		{ .code = BPF_JMP | BPF_EXIT },
	};
	static const struct bpf_func_info fi[] = { { 0, 3 }, { 2, 4 } };
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = (uintptr_t)insns;
	a.insn_cnt = sizeof(insns) / sizeof(insns[0]);
	a.license = (uintptr_t)"GPL";
	strcpy(a.prog_name, "ptest_filter");
	if (btf_fd >= 0) {
		a.prog_btf_fd = btf_fd;
		a.func_info = (uintptr_t)fi;
		a.func_info_cnt = 2;
		a.func_info_rec_size = sizeof(fi[0]);
	}
	return (int)sys_bpf(BPF_PROG_LOAD, &a);
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 10;
	uint32_t id, id2, btf_id = 0;
	struct timespec ts;
	int fd2;
	int btf_fd = load_btf();
	int fd = load_prog(btf_fd);

	if (fd < 0 && btf_fd >= 0)
		fd = load_prog(-1);
	if (fd < 0) {
		fprintf(stderr, "bpf_load: BPF_PROG_LOAD: %s\n", strerror(errno));
		return 2;
	}
	fd2 = load_plain();
	id = prog_id(fd, &btf_id);
	id2 = fd2 >= 0 ? prog_id(fd2, NULL) : 0;
	if (!id || !id2) {
		fprintf(stderr, "bpf_load: %s: %s\n", id ? "BPF_PROG_LOAD" : "BPF_OBJ_GET_INFO_BY_FD",
			strerror(errno));
		return 2;
	}
	printf("%u %u %u\n", id, btf_id, id2);
	fflush(stdout);
	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	close(fd2);
	close(fd);
	return 0;
}
