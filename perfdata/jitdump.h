/* Reading jitdump files (jit-PID.dump), the format JITs write for perf (perf's
 * Documentation/jitdump-specification.txt): a header, then records of code loaded (name and
 * machine code), moved, debug info, unwinding info and close. The file is mapped read-only;
 * what a record hands out points into it and stays valid until pd_jitdump__close(). A record
 * cut short at the end (a JIT still writing, or killed) ends the walk quietly. */
#ifndef PERFDATA_JITDUMP_H
#define PERFDATA_JITDUMP_H

#include <stdbool.h>
#include <stdint.h>

#include "util/error.h"

enum pd_jit_record {
	PD_JIT_CODE_LOAD = 0,
	PD_JIT_CODE_MOVE = 1,
	PD_JIT_CODE_DEBUG_INFO = 2,
	PD_JIT_CODE_CLOSE = 3,
	PD_JIT_CODE_UNWINDING_INFO = 4,
};

/* One record; the fields its type has are set, the others are 0. */
struct pd_jitdump_rec {
	uint32_t type;			/* enum pd_jit_record, or another id (to skip) */
	uint64_t time;			/* the record's timestamp */
	uint32_t pid, tid;		/* LOAD, MOVE */
	uint64_t vma, addr, size;	/* LOAD, MOVE (addr: the new address) */
	uint64_t old_addr;		/* MOVE */
	uint64_t index;			/* LOAD, MOVE: the code's unique index */
	const char *name;		/* LOAD: NUL-terminated */
	const uint8_t *code;		/* LOAD: size bytes */
};

struct pd_jitdump;

/* Open and check the header. NULL + err (-EBADMSG: not a jitdump, or another byte order). */
struct pd_jitdump *pd_jitdump__open(const char *path, struct error *err);
void pd_jitdump__close(struct pd_jitdump *j);
uint32_t pd_jitdump__pid(const struct pd_jitdump *j);
uint32_t pd_jitdump__elf_mach(const struct pd_jitdump *j);
/* The timestamps are the CPU's own counter (TSC), not CLOCK_MONOTONIC. */
bool pd_jitdump__arch_timestamp(const struct pd_jitdump *j);
/* The next record: 1 with *rec, 0 at the end (or a record cut short), -EBADMSG with err when
 * a record's sizes make no sense. */
int pd_jitdump__next(struct pd_jitdump *j, struct pd_jitdump_rec *rec, struct error *err);

#endif
