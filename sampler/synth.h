/* Records for state that existed before the recording started, built the way perf does:
 * the kernel's own map and its modules (MMAP, pid -1), and per task FORK, COMM and MMAP2 from
 * /proc/PID/{status,task,maps}. All get time 0 and a zero sample_id trailer of the file's size. */
#ifndef SAMPLER_SYNTH_H
#define SAMPLER_SYNTH_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Receives each record; returns 0 or -errno (stops the synthesis). */
typedef int (*synth_emit_fn)(void *arg, const void *rec, size_t len);

struct synth {
	synth_emit_fn emit;
	void *arg;
	uint16_t id_hdr_size;	/* sample_id trailer bytes, synth__id_hdr_size(sample_type) */
	bool mmap_data;		/* also readable non-executable maps (needed for DWARF unwinding) */
	bool namespaces;	/* a NAMESPACES record after each thread's COMM (--namespaces) */
	uint64_t nr_records;
	pid_t *seen;		/* the pids synth__all() listed, ascending */
	size_t nr_seen, cap_seen;
	char rec[PATH_MAX + 256];
};

/* The value of "Key:" in /proc/PID/status, blanks before it skipped, into @out. 0, -ENOENT
 * (no such key) or -errno. */
int synth__status_field(pid_t pid, const char *key, char *out, size_t outsz);
/* Size of the sample_id trailer that sample_id_all appends for this sample_type. */
uint16_t synth__id_hdr_size(uint64_t sample_type);
/* [kernel.kallsyms]_text from /proc/kallsyms, then one MMAP per /proc/modules line.
 * -EACCES when kallsyms shows zero addresses (kptr_restrict): then no kernel symbols. */
int synth__kernel(struct synth *s);
/* PERF_RECORD_NAMESPACES of a thread, from /proc/PID/task/TID/ns/. */
int synth__namespaces(struct synth *s, pid_t pid, pid_t tid);
/* PERF_RECORD_CGROUP: cgroup @id is @path (relative to the cgroup mount, "/" its root). */
int synth__cgroup(struct synth *s, uint64_t id, const char *path);
/* One process: FORK per thread (with_fork), COMM per thread, MMAP2 per mapping of the leader.
 * A process that vanished while being read is not an error. */
int synth__process(struct synth *s, pid_t pid, bool with_fork);
/* Every process in /proc (system-wide mode); the pids are kept for synth__new_tasks(). */
int synth__all(struct synth *s);
/* After the events are enabled: the processes in /proc that synth__all() did not list (forked
 * while it ran: their FORK came before anything recorded it). A later one is listed twice (its
 * FORK is in the rings too), which is harmless. */
int synth__new_tasks(struct synth *s);
/* Frees what synth__all() kept. */
void synth__release(struct synth *s);
int synth__comm(struct synth *s, pid_t pid, pid_t tid, const char *comm, uint16_t misc);
/* PERF_RECORD_KSYMBOL (flags 0: a registration) and PERF_RECORD_BPF_EVENT, as the kernel
 * writes them for a BPF program loaded while recording. */
int synth__ksymbol(struct synth *s, uint64_t addr, uint32_t len, uint16_t ksym_type, const char *name);
int synth__bpf_event(struct synth *s, uint16_t type, uint32_t id, const uint8_t tag[8]);
/* PERF_RECORD_FINISHED_INIT: the end of the synthesized records. */
int synth__finished_init(struct synth *s);

#endif
