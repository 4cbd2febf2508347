/* Unit tests of session replay rules on perf.data files written by the real writer: fork
 * (a new process inherits its parent's comm and a copy of its maps, a thread shares them, a
 * perf-synthesized FORK copies no maps), exec (a COMM with the exec flag renames, the old
 * maps stay until new MMAPs cut them), comm renames (":TID" until the first COMM, which is
 * the thread's first_comm), tid reuse (a second FORK of a tid makes a new thread, pointers to
 * the old one stay valid with its comm and maps), exits, MMAPs cutting older maps in the
 * middle or at either end and identical re-maps, anonymous, JIT, kernel, module and
 * KSYMBOL maps; each sample's thread and session__resolve()'s map, DSO, map address and
 * symbol are checked against the values the replay must give. Two threads (opts.threads)
 * deliver what one thread does, in the same order, and stop where the tool stops; the
 * progress line's wording and timing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "perfdata/writer.h"
#include "report/fold/from_perf.h"
#include "report/fold/tree.h"
#include "report/session/chain_ids.h"
#include "report/session/chain_memo.h"
#include "report/session/pipeline.h"
#include "report/session/progress.h"
#include "report/session/session.h"
#include "report/session/thread.h"
#include "symbols/map.h"

#define ST (PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME)

/* --- writing the files ----------------------------------------------------------------- */

struct rb {
	uint8_t b[4096];
	size_t n;
};

struct file {
	char path[64];
	struct pd_writer *w;
	uint64_t time;		/* every record one tick later: replayed in file order */
	int nr_samples;
};

static void put(struct rb *r, const void *p, size_t n)
{
	memcpy(r->b + r->n, p, n);
	r->n += n;
}

static void u64(struct rb *r, uint64_t v) { put(r, &v, 8); }
static void u32x2(struct rb *r, uint32_t a, uint32_t b) { put(r, &a, 4); put(r, &b, 4); }

static void str(struct rb *r, const char *s)
{
	static const char z[8];
	size_t l = strlen(s) + 1;

	put(r, s, l);
	put(r, z, (8 - l % 8) % 8);
}

static void hdr(struct rb *r, uint32_t type, uint16_t misc)
{
	struct perf_event_header h = { .type = type, .misc = misc };

	r->n = 0;
	put(r, &h, sizeof(h));
}

/* the sample_id_all trailer (TID, TIME), then out */
static void end(struct file *f, struct rb *r, uint32_t pid, uint32_t tid)
{
	u32x2(r, pid, tid);
	u64(r, ++f->time);
	((struct perf_event_header *)r->b)->size = (uint16_t)r->n;
	assert_int_equal(pd_writer__write(f->w, r->b, r->n), 0);
}

static void file_start(struct file *f)
{
	static struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE, .size = sizeof(attr), .config = PERF_COUNT_SW_CPU_CLOCK,
		.sample_type = ST, .sample_period = 1000, .sample_id_all = 1,
	};
	struct pd_event_desc ev = { .attr = &attr, .name = "cpu-clock" };
	int fd;

	memset(f, 0, sizeof(*f));
	strcpy(f->path, "/tmp/test_session.XXXXXX");
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	close(fd);
	f->w = pd_writer__new(f->path);
	assert_non_null(f->w);
	assert_int_equal(pd_writer__start(f->w, &ev, 1), 0);
}

static void file_finish(struct file *f)
{
	assert_int_equal(pd_writer__finish(f->w), 0);
	pd_writer__free(f->w);
	f->w = NULL;
}

static void comm(struct file *f, uint32_t pid, uint32_t tid, const char *name, bool exec)
{
	struct rb r;

	hdr(&r, PERF_RECORD_COMM, exec ? PERF_RECORD_MISC_COMM_EXEC : 0);
	u32x2(&r, pid, tid);
	str(&r, name);
	end(f, &r, pid, tid);
}

/* FORK or EXIT: pid, ppid, tid, ptid, time */
static void task(struct file *f, uint32_t type, uint16_t misc, uint32_t pid, uint32_t ppid,
		 uint32_t tid, uint32_t ptid)
{
	struct rb r;

	hdr(&r, type, misc);
	u32x2(&r, pid, ppid);
	u32x2(&r, tid, ptid);
	u64(&r, f->time + 1);
	end(f, &r, pid, tid);
}

static void fork_(struct file *f, uint32_t pid, uint32_t ppid, uint32_t tid, uint32_t ptid)
{
	task(f, PERF_RECORD_FORK, 0, pid, ppid, tid, ptid);
}

static void mmap2(struct file *f, uint16_t cpumode, uint32_t pid, uint32_t tid, uint64_t start,
		  uint64_t len, uint64_t pgoff, uint32_t prot, const char *name)
{
	struct rb r;

	hdr(&r, PERF_RECORD_MMAP2, cpumode);
	u32x2(&r, pid, tid);
	u64(&r, start);
	u64(&r, len);
	u64(&r, pgoff);
	u32x2(&r, 8, 1);	/* maj, min */
	u64(&r, 1234);		/* ino */
	u64(&r, 0);		/* ino_generation */
	u32x2(&r, prot, MAP_PRIVATE);
	str(&r, name);
	end(f, &r, pid, tid);
}

static void umap(struct file *f, uint32_t pid, uint64_t start, uint64_t len, uint64_t pgoff,
		 const char *name)
{
	mmap2(f, PERF_RECORD_MISC_USER, pid, pid, start, len, pgoff, PROT_READ | PROT_EXEC, name);
}

static void sample(struct file *f, uint16_t cpumode, uint32_t pid, uint32_t tid, uint64_t ip)
{
	struct rb r;

	hdr(&r, PERF_RECORD_SAMPLE, cpumode);
	u64(&r, ip);
	u32x2(&r, pid, tid);
	u64(&r, ++f->time);
	((struct perf_event_header *)r.b)->size = (uint16_t)r.n;
	assert_int_equal(pd_writer__write(f->w, r.b, r.n), 0);
	f->nr_samples++;
}

static void usample(struct file *f, uint32_t pid, uint32_t tid, uint64_t ip)
{
	sample(f, PERF_RECORD_MISC_USER, pid, tid, ip);
}

/* --- replaying them -------------------------------------------------------------------- */

/* What one sample saw: its thread as it was then, and where its ip landed. */
struct seen {
	struct thread *th;
	int32_t pid, tid, ppid;
	char comm[32], first_comm[32];
	bool comm_set;
	int rc;			/* session__resolve() */
	uint64_t start, end, pgoff, addr;
	char dso[64], sym[64];
	uint64_t symoff;
};

struct replay {
	struct seen v[64];
	int n;
	/* watch_first: the first sample's thread is looked at again at every later sample
	 * (its comm, and where watch_ip lands in its maps), as the replay goes on */
	bool watch_first;
	struct thread *watch;
	uint64_t watch_ip;
	char watch_comm[32];
	int watch_rc;
	char watch_dso[64];
};

static int on_sample(void *ctx, struct session *s, const struct pd_sample *smp,
		     struct pd_evsel *evsel, struct thread *th)
{
	struct replay *rp = ctx;
	struct seen *v = &rp->v[rp->n++];
	struct addr_loc al;

	(void)evsel;
	assert_true(rp->n <= 64);
	assert_non_null(th);
	v->th = th;
	v->pid = th->pid;
	v->tid = th->tid;
	v->ppid = th->ppid;
	v->comm_set = th->comm_set;
	snprintf(v->comm, sizeof(v->comm), "%s", th->comm);
	snprintf(v->first_comm, sizeof(v->first_comm), "%s", th->first_comm ? th->first_comm : "(unset)");
	v->rc = session__resolve(s, th, smp->cpumode, smp->ip, &al);
	assert_int_equal(al.ip, smp->ip);
	assert_int_equal(al.cpumode, smp->cpumode);
	if (!v->rc) {
		v->start = al.map->start;
		v->end = al.map->end;
		v->pgoff = al.map->pgoff;
		assert_ptr_equal(al.dso, al.map->dso);
		snprintf(v->dso, sizeof(v->dso), "%s", al.dso->name);
	} else {
		assert_null(al.map);
		assert_null(al.dso);
		assert_int_equal(al.addr, smp->ip);
	}
	v->addr = al.addr;
	if (al.sym) {
		snprintf(v->sym, sizeof(v->sym), "%s", al.sym->name);
		v->symoff = al.symoff;
	}
	if (rp->watch_first && !rp->watch)
		rp->watch = th;
	if (rp->watch) {
		snprintf(rp->watch_comm, sizeof(rp->watch_comm), "%s", rp->watch->comm);
		rp->watch_rc = session__resolve(s, rp->watch, PERF_RECORD_MISC_USER, rp->watch_ip, &al);
		snprintf(rp->watch_dso, sizeof(rp->watch_dso), "%s", al.dso ? al.dso->name : "");
	}
	return 0;
}

static struct session *replay_with(struct file *f, struct replay *rp,
				   const struct session_opts *so)
{
	struct error err = { 0 };
	struct session *s = session__open(f->path, so, &err);

	assert_non_null(s);
	assert_int_equal(session__process(s, &(struct session_tool){ .sample = on_sample, .ctx = rp },
					  &err), 0);
	assert_int_equal(err.code, 0);
	assert_int_equal(rp->n, f->nr_samples);
	assert_int_equal(session__stats(s)->nr_samples, (uint64_t)f->nr_samples);
	return s;
}

static struct session *replay(struct file *f, struct replay *rp)
{
	return replay_with(f, rp, &(struct session_opts){ .demangle = true });
}

static void done(struct file *f, struct session *s)
{
	session__close(s);
	unlink(f->path);
}

/* sample @v landed in @dso's map [start, end) at map address @addr */
#define assert_in(v, dso_, start_, end_, addr_)					\
	do {									\
		assert_int_equal((v)->rc, 0);					\
		assert_string_equal((v)->dso, (dso_));				\
		assert_int_equal((v)->start, (start_));				\
		assert_int_equal((v)->end, (end_));				\
		assert_int_equal((v)->addr, (addr_));				\
	} while (0)

#define assert_nowhere(v) assert_int_equal((v)->rc, -ENOENT)

/* --- fork and exec --------------------------------------------------------------------- */

#define BIN_LO 0x400000ULL
#define BIN_HI 0x410000ULL
#define LIBC 0x7f0000000000ULL

static void test_fork_exec(void **state)
{
	struct replay rp = { .n = 0 };
	struct session *s;
	struct file f;
	struct seen *v = rp.v;

	(void)state;
	file_start(&f);
	comm(&f, 100, 100, "parent", false);
	umap(&f, 100, BIN_LO, BIN_HI - BIN_LO, 0, "/x/parent-bin");
	umap(&f, 100, LIBC, 0x20000, 0x1000, "/x/libc.so");
	usample(&f, 100, 100, 0x401234);			/* 0 */
	/* a new process: the parent's comm and a copy of its maps */
	fork_(&f, 200, 100, 200, 100);
	usample(&f, 200, 200, 0x401234);			/* 1 */
	usample(&f, 200, 200, LIBC + 0x100);			/* 2 */
	/* later maps of either are the other's no more */
	umap(&f, 100, 0x500000, 0x1000, 0, "/x/parent-later");
	umap(&f, 200, 0x600000, 0x1000, 0, "/x/child-later");
	usample(&f, 200, 200, 0x500010);			/* 3 */
	usample(&f, 100, 100, 0x500010);			/* 4 */
	usample(&f, 100, 100, 0x600010);			/* 5 */
	usample(&f, 200, 200, 0x600010);			/* 6 */
	/* exec: the new name; the old maps stay until the new program's MMAPs cut them */
	comm(&f, 200, 200, "child", true);
	usample(&f, 200, 200, 0x401234);			/* 7 */
	umap(&f, 200, BIN_LO, 0x8000, 0, "/x/child-bin");
	usample(&f, 200, 200, 0x401234);			/* 8 */
	usample(&f, 200, 200, 0x409000);			/* 9 */
	usample(&f, 100, 100, 0x401234);			/* 10 */
	/* a thread of the parent: shares its maps both ways, renames alone */
	fork_(&f, 100, 100, 101, 100);
	usample(&f, 100, 101, 0x500010);			/* 11 */
	mmap2(&f, PERF_RECORD_MISC_USER, 100, 101, 0x700000, 0x1000, 0, PROT_READ | PROT_EXEC,
	      "/x/thread-mapped");
	usample(&f, 100, 100, 0x700010);			/* 12 */
	comm(&f, 100, 101, "worker", false);
	usample(&f, 100, 101, 0x700010);			/* 13 */
	usample(&f, 100, 100, 0x401234);			/* 14 */
	/* a FORK perf synthesized for a task that existed (FORK_EXEC): no copy of the maps */
	task(&f, PERF_RECORD_FORK, PERF_RECORD_MISC_FORK_EXEC, 300, 100, 300, 100);
	usample(&f, 300, 300, 0x401234);			/* 15 */
	file_finish(&f);
	s = replay(&f, &rp);

	assert_string_equal(v[0].comm, "parent");
	assert_in(&v[0], "/x/parent-bin", BIN_LO, BIN_HI, 0x1234);
	assert_int_equal(v[0].ppid, -1);

	assert_ptr_not_equal(v[1].th, v[0].th);
	assert_int_equal(v[1].pid, 200);
	assert_int_equal(v[1].ppid, 100);
	assert_string_equal(v[1].comm, "parent");
	assert_string_equal(v[1].first_comm, "parent");
	assert_in(&v[1], "/x/parent-bin", BIN_LO, BIN_HI, 0x1234);
	assert_in(&v[2], "/x/libc.so", LIBC, LIBC + 0x20000, 0x1100);

	assert_nowhere(&v[3]);
	assert_in(&v[4], "/x/parent-later", 0x500000, 0x501000, 0x10);
	assert_nowhere(&v[5]);
	assert_in(&v[6], "/x/child-later", 0x600000, 0x601000, 0x10);

	assert_ptr_equal(v[7].th, v[1].th);
	assert_string_equal(v[7].comm, "child");
	assert_string_equal(v[7].first_comm, "parent");
	assert_in(&v[7], "/x/parent-bin", BIN_LO, BIN_HI, 0x1234);
	assert_in(&v[8], "/x/child-bin", BIN_LO, BIN_LO + 0x8000, 0x1234);
	/* the rest of the old executable's map, from where the new one ends */
	assert_in(&v[9], "/x/parent-bin", BIN_LO + 0x8000, BIN_HI, 0x9000);
	assert_int_equal(v[9].pgoff, 0x8000);
	assert_in(&v[10], "/x/parent-bin", BIN_LO, BIN_HI, 0x1234);
	assert_string_equal(v[10].comm, "parent");

	assert_int_equal(v[11].pid, 100);
	assert_int_equal(v[11].tid, 101);
	assert_int_equal(v[11].ppid, 100);
	assert_string_equal(v[11].comm, "parent");
	assert_in(&v[11], "/x/parent-later", 0x500000, 0x501000, 0x10);
	assert_in(&v[12], "/x/thread-mapped", 0x700000, 0x701000, 0x10);
	assert_string_equal(v[13].comm, "worker");
	assert_string_equal(v[13].first_comm, "parent");
	assert_in(&v[13], "/x/thread-mapped", 0x700000, 0x701000, 0x10);
	assert_ptr_equal(v[14].th, v[0].th);
	assert_string_equal(v[14].comm, "parent");

	assert_string_equal(v[15].comm, "parent");
	assert_int_equal(v[15].ppid, 100);
	assert_nowhere(&v[15]);
	done(&f, s);
}

/* --- comms, tid reuse and exits ---------------------------------------------------------- */

static void test_comm_rename_tid_reuse_exit(void **state)
{
	struct replay rp = { .n = 0 };
	struct session *s;
	struct file f;
	struct seen *v = rp.v;
	struct addr_loc al;

	(void)state;
	file_start(&f);
	/* a task seen first in a sample: ":TID" until its COMM, which is its first comm */
	usample(&f, 400, 400, 0x1000);				/* 0 */
	comm(&f, 400, 400, "late", false);
	usample(&f, 400, 400, 0x1000);				/* 1 */
	comm(&f, 400, 400, "later", true);
	usample(&f, 400, 400, 0x1000);				/* 2 */
	/* a thread of a process not seen yet: its leader is made, and their maps are one */
	usample(&f, 500, 501, 0x400100);			/* 3 */
	umap(&f, 500, 0x400000, 0x1000, 0, "/x/five-hundred");
	usample(&f, 500, 501, 0x400100);			/* 4 */
	usample(&f, 500, 500, 0x400100);			/* 5 */

	/* tid 300 lives, exits, and comes back as another process */
	comm(&f, 300, 300, "first", false);
	umap(&f, 300, 0x400000, 0x10000, 0, "/x/first-bin");
	usample(&f, 300, 300, 0x400100);			/* 6 */
	task(&f, PERF_RECORD_EXIT, 0, 300, 1, 300, 1);
	/* EXIT changes nothing: the thread, its comm and maps stay until the tid is reused */
	usample(&f, 300, 300, 0x400100);			/* 7 */
	fork_(&f, 300, 1, 300, 1);
	usample(&f, 300, 300, 0x400100);			/* 8 */
	comm(&f, 300, 300, "second", false);
	usample(&f, 300, 300, 0x400100);			/* 9 */
	umap(&f, 300, 0x400000, 0x8000, 0x2000, "/x/second-bin");
	usample(&f, 300, 300, 0x400100);			/* 10 */
	file_finish(&f);
	s = replay(&f, &rp);

	assert_string_equal(v[0].comm, ":400");
	assert_false(v[0].comm_set);
	assert_string_equal(v[0].first_comm, "(unset)");
	assert_int_equal(v[0].pid, 400);
	assert_nowhere(&v[0]);
	assert_ptr_equal(v[1].th, v[0].th);
	assert_string_equal(v[1].comm, "late");
	assert_true(v[1].comm_set);
	assert_string_equal(v[1].first_comm, "late");
	assert_string_equal(v[2].comm, "later");
	assert_string_equal(v[2].first_comm, "late");
	/* the thread's own struct now says so too: what was counted under ":400" is "late" */
	assert_string_equal(v[0].th->first_comm, "late");

	assert_int_equal(v[3].pid, 500);
	assert_int_equal(v[3].tid, 501);
	assert_string_equal(v[3].comm, ":501");
	assert_nowhere(&v[3]);
	assert_ptr_equal(v[4].th, v[3].th);
	assert_in(&v[4], "/x/five-hundred", 0x400000, 0x401000, 0x100);
	assert_ptr_not_equal(v[5].th, v[3].th);
	assert_string_equal(v[5].comm, ":500");
	assert_ptr_equal(v[5].th->maps, v[3].th->maps);
	assert_in(&v[5], "/x/five-hundred", 0x400000, 0x401000, 0x100);

	assert_string_equal(v[6].comm, "first");
	assert_in(&v[6], "/x/first-bin", 0x400000, 0x410000, 0x100);
	assert_ptr_equal(v[7].th, v[6].th);
	assert_string_equal(v[7].comm, "first");
	assert_in(&v[7], "/x/first-bin", 0x400000, 0x410000, 0x100);
	/* the reused tid: a new thread, ":300" again, with maps of its own (its parent,
	 * pid 1, has none) */
	assert_ptr_not_equal(v[8].th, v[6].th);
	assert_int_equal(v[8].tid, 300);
	assert_int_equal(v[8].ppid, 1);
	assert_string_equal(v[8].comm, ":300");
	assert_false(v[8].comm_set);
	assert_nowhere(&v[8]);
	assert_ptr_equal(v[9].th, v[8].th);
	assert_string_equal(v[9].comm, "second");
	assert_string_equal(v[9].first_comm, "second");
	assert_in(&v[10], "/x/second-bin", 0x400000, 0x408000, 0x2100);

	/* the retired thread is still there, as it was */
	assert_int_equal(v[6].th->tid, 300);
	assert_string_equal(v[6].th->comm, "first");
	assert_string_equal(v[6].th->first_comm, "first");
	assert_int_equal(session__resolve(s, v[6].th, PERF_RECORD_MISC_USER, 0x400100, &al), 0);
	assert_string_equal(al.dso->name, "/x/first-bin");
	assert_int_equal(al.addr, 0x100);
	assert_int_equal(session__resolve(s, v[8].th, PERF_RECORD_MISC_USER, 0x400100, &al), 0);
	assert_string_equal(al.dso->name, "/x/second-bin");
	done(&f, s);
}

/* The thread a tid reuse retires, looked at while the replay goes on: it keeps its comm and
 * its maps, though the tid now names a thread that exec'd another program. */
static void test_retired_thread_during_replay(void **state)
{
	struct replay rp = { .watch_first = true, .watch_ip = 0x400010 };
	struct session *s;
	struct file f;
	struct addr_loc al;

	(void)state;
	file_start(&f);
	comm(&f, 700, 700, "old", false);
	umap(&f, 700, 0x400000, 0x1000, 0, "/x/old-bin");
	usample(&f, 700, 700, 0x400010);			/* 0 */
	fork_(&f, 700, 1, 700, 1);
	comm(&f, 700, 700, "new", true);
	umap(&f, 700, 0x400000, 0x1000, 0, "/x/new-bin");
	usample(&f, 700, 700, 0x400010);			/* 1 */
	file_finish(&f);
	s = replay(&f, &rp);

	assert_ptr_not_equal(rp.v[1].th, rp.v[0].th);
	assert_string_equal(rp.v[1].comm, "new");
	assert_in(&rp.v[1], "/x/new-bin", 0x400000, 0x401000, 0x10);
	/* seen from sample 1 */
	assert_ptr_equal(rp.watch, rp.v[0].th);
	assert_string_equal(rp.watch_comm, "old");
	assert_int_equal(rp.watch_rc, 0);
	assert_string_equal(rp.watch_dso, "/x/old-bin");
	/* and after the replay */
	assert_string_equal(rp.v[0].th->comm, "old");
	assert_int_equal(rp.v[0].th->tid, 700);
	assert_int_equal(session__resolve(s, rp.v[0].th, PERF_RECORD_MISC_USER, 0x400010, &al), 0);
	assert_string_equal(al.dso->name, "/x/old-bin");
	done(&f, s);
}

/* --- maps cutting maps ------------------------------------------------------------------ */

static void test_overlapping_maps(void **state)
{
	struct replay rp = { .n = 0 };
	struct session *s;
	struct file f;
	struct seen *v = rp.v;
	const uint32_t P = 600;

	(void)state;
	file_start(&f);
	comm(&f, P, P, "maps", false);
	umap(&f, P, 0x10000, 0x10000, 0, "/x/a");
	/* b in the middle of a: a's two pieces keep their file offsets */
	umap(&f, P, 0x14000, 0x1000, 0x3000, "/x/b");
	usample(&f, P, P, 0xffff);				/* 0 */
	usample(&f, P, P, 0x13fff);				/* 1 */
	usample(&f, P, P, 0x14000);				/* 2 */
	usample(&f, P, P, 0x14fff);				/* 3 */
	usample(&f, P, P, 0x15000);				/* 4 */
	usample(&f, P, P, 0x1ffff);				/* 5 */
	usample(&f, P, P, 0x20000);				/* 6 */
	/* c over a's start, d over its end */
	umap(&f, P, 0xf000, 0x2000, 0, "/x/c");
	umap(&f, P, 0x1f000, 0x2000, 0x4000, "/x/d");
	usample(&f, P, P, 0x10800);				/* 7 */
	usample(&f, P, P, 0x11000);				/* 8 */
	usample(&f, P, P, 0x1efff);				/* 9 */
	usample(&f, P, P, 0x1f000);				/* 10 */
	usample(&f, P, P, 0x20fff);				/* 11 */
	/* the same range again: the new map replaces b whole */
	umap(&f, P, 0x14000, 0x1000, 0x7000, "/x/b2");
	usample(&f, P, P, 0x14800);				/* 12 */
	usample(&f, P, P, 0x15000);				/* 13 */
	/* e over several maps: c's tail, a's pieces, b2 and d's head go */
	umap(&f, P, 0x10000, 0xf800, 0x100000, "/x/e");
	usample(&f, P, P, 0xf800);				/* 14 */
	usample(&f, P, P, 0x10000);				/* 15 */
	usample(&f, P, P, 0x14800);				/* 16 */
	usample(&f, P, P, 0x1f7ff);				/* 17 */
	usample(&f, P, P, 0x1f800);				/* 18 */
	/* an empty map is no map; an MMAP (v1) works as MMAP2 does */
	umap(&f, P, 0x30000, 0, 0, "/x/empty");
	usample(&f, P, P, 0x30000);				/* 19 */
	{
		struct rb r;

		hdr(&r, PERF_RECORD_MMAP, PERF_RECORD_MISC_USER);
		u32x2(&r, P, P);
		u64(&r, 0x40000);
		u64(&r, 0x1000);
		u64(&r, 0x2000);
		str(&r, "/x/v1");
		end(&f, &r, P, P);
	}
	usample(&f, P, P, 0x40010);				/* 20 */
	/* anonymous memory and JIT code: the ip is the map address */
	mmap2(&f, PERF_RECORD_MISC_USER, P, P, 0x50000, 0x1000, 0x9000, PROT_READ | PROT_WRITE,
	      "//anon");
	mmap2(&f, PERF_RECORD_MISC_USER, P, P, 0x60000, 0x1000, 0, PROT_READ | PROT_EXEC,
	      "//anon");
	mmap2(&f, PERF_RECORD_MISC_USER, P, P, 0x70000, 0x1000, 0, PROT_READ | PROT_WRITE,
	      "[heap]");
	usample(&f, P, P, 0x50010);				/* 21 */
	usample(&f, P, P, 0x60010);				/* 22 */
	usample(&f, P, P, 0x70010);				/* 23 */
	file_finish(&f);
	s = replay(&f, &rp);

	assert_nowhere(&v[0]);
	assert_in(&v[1], "/x/a", 0x10000, 0x14000, 0x3fff);
	assert_int_equal(v[1].pgoff, 0);
	assert_in(&v[2], "/x/b", 0x14000, 0x15000, 0x3000);
	assert_in(&v[3], "/x/b", 0x14000, 0x15000, 0x3fff);
	assert_in(&v[4], "/x/a", 0x15000, 0x20000, 0x5000);
	assert_int_equal(v[4].pgoff, 0x5000);
	assert_in(&v[5], "/x/a", 0x15000, 0x20000, 0xffff);
	assert_nowhere(&v[6]);

	assert_in(&v[7], "/x/c", 0xf000, 0x11000, 0x1800);
	assert_in(&v[8], "/x/a", 0x11000, 0x14000, 0x1000);
	assert_int_equal(v[8].pgoff, 0x1000);
	assert_in(&v[9], "/x/a", 0x15000, 0x1f000, 0xefff);
	assert_in(&v[10], "/x/d", 0x1f000, 0x21000, 0x4000);
	assert_in(&v[11], "/x/d", 0x1f000, 0x21000, 0x5fff);

	assert_in(&v[12], "/x/b2", 0x14000, 0x15000, 0x7800);
	assert_in(&v[13], "/x/a", 0x15000, 0x1f000, 0x5000);

	assert_in(&v[14], "/x/c", 0xf000, 0x10000, 0x800);
	assert_in(&v[15], "/x/e", 0x10000, 0x1f800, 0x100000);
	assert_in(&v[16], "/x/e", 0x10000, 0x1f800, 0x104800);
	assert_in(&v[17], "/x/e", 0x10000, 0x1f800, 0x10f7ff);
	assert_in(&v[18], "/x/d", 0x1f800, 0x21000, 0x4800);
	assert_int_equal(v[18].pgoff, 0x4800);

	assert_nowhere(&v[19]);
	assert_in(&v[20], "/x/v1", 0x40000, 0x41000, 0x2010);
	assert_in(&v[21], "//anon", 0x50000, 0x51000, 0x50010);
	assert_int_equal(v[21].pgoff, 0);
	assert_in(&v[22], "/tmp/perf-600.map", 0x60000, 0x61000, 0x60010);
	assert_in(&v[23], "[heap]", 0x70000, 0x71000, 0x70010);
	done(&f, s);
}

/* --- the kernel: its map reaches to the top, modules and KSYMBOLs cut into it ----------- */

#define KTEXT 0xffffffff81000000ULL
#define KMOD  0xffffffffc0000000ULL
#define KBPF  0xffffffffc0100000ULL

static void test_kernel_maps(void **state)
{
	struct replay rp = { .n = 0 };
	struct session *s;
	struct file f;
	struct seen *v = rp.v;

	(void)state;
	file_start(&f);
	mmap2(&f, PERF_RECORD_MISC_KERNEL, -1, 0, KTEXT, 0x1000000, KTEXT, PROT_EXEC,
	      "[kernel.kallsyms]_text");
	mmap2(&f, PERF_RECORD_MISC_KERNEL, -1, 0, KMOD, 0x1000, 0, PROT_EXEC, "[test_mod]");
	{
		struct rb r;
		uint16_t ksym_type = PERF_RECORD_KSYMBOL_TYPE_BPF, flags = 0;
		uint32_t len = 0x80;

		hdr(&r, PERF_RECORD_KSYMBOL, PERF_RECORD_MISC_KERNEL);
		u64(&r, KBPF);
		put(&r, &len, 4);
		put(&r, &ksym_type, 2);
		put(&r, &flags, 2);
		str(&r, "bpf_prog_0123456789abcdef_test");
		end(&f, &r, -1, 0);
	}
	comm(&f, 800, 800, "k", false);
	umap(&f, 800, 0x400000, 0x1000, 0, "/x/user");
	sample(&f, PERF_RECORD_MISC_KERNEL, 800, 800, KMOD + 0x10);	/* 0 */
	sample(&f, PERF_RECORD_MISC_KERNEL, 800, 800, KMOD + 0x1000);	/* 1 */
	sample(&f, PERF_RECORD_MISC_KERNEL, 800, 800, KBPF + 0x10);	/* 2 */
	sample(&f, PERF_RECORD_MISC_KERNEL, 800, 800, 0x400010);	/* 3 */
	sample(&f, PERF_RECORD_MISC_USER, 800, 800, KMOD + 0x10);	/* 4 */
	sample(&f, PERF_RECORD_MISC_USER, 800, 800, 0x400010);		/* 5 */
	sample(&f, PERF_RECORD_MISC_HYPERVISOR, 800, 800, 0x400010);	/* 6 */
	file_finish(&f);
	s = replay(&f, &rp);

	assert_in(&v[0], "[test_mod]", KMOD, KMOD + 0x1000, KMOD + 0x10);
	/* past the module: the kernel's map again, which the module had cut in two */
	assert_in(&v[1], "[kernel.kallsyms]", KMOD + 0x1000, KBPF, KMOD + 0x1000);
	/* a BPF program: its own DSO and symbol, at offsets from its start */
	assert_in(&v[2], "bpf_prog_0123456789abcdef_test", KBPF, KBPF + 0x80, 0x10);
	assert_string_equal(v[2].sym, "bpf_prog_0123456789abcdef_test");
	assert_int_equal(v[2].symoff, 0x10);
	/* kernel addresses in kernel maps, user addresses in the thread's */
	assert_nowhere(&v[3]);
	assert_nowhere(&v[4]);
	assert_in(&v[5], "/x/user", 0x400000, 0x401000, 0x10);
	assert_nowhere(&v[6]);
	done(&f, s);
}

/* --- symbols through a map that was cut: the file offset carries over ---------------------- */

__attribute__((noinline)) int session_unit_fn(int x)
{
	return x * 5 + 3;
}

static void test_symbol_after_cut(void **state)
{
	uint64_t fn = (uint64_t)(uintptr_t)session_unit_fn, lo = 0, hi = 0, off = 0, page;
	struct replay rp = { .n = 0 };
	char exe[4096] = { 0 }, line[4096];
	FILE *maps = fopen("/proc/self/maps", "r");
	struct session *s;
	struct file f;

	(void)state;
	assert_non_null(maps);
	assert_true(readlink("/proc/self/exe", exe, sizeof(exe) - 1) > 0);
	while (fgets(line, sizeof(line), maps)) {
		unsigned long long a, b, o;

		if (sscanf(line, "%llx-%llx %*s %llx", &a, &b, &o) == 3 && fn >= a && fn < b) {
			lo = a;
			hi = b;
			off = o;
		}
	}
	fclose(maps);
	assert_true(hi > lo);
	page = fn & ~0xfffULL;

	file_start(&f);
	comm(&f, 900, 900, "self", false);
	umap(&f, 900, lo, hi - lo, off, exe);
	usample(&f, 900, 900, fn + 3);				/* 0: whole map */
	if (page > lo) {
		/* something else over the pages before the function's: its piece starts later */
		umap(&f, 900, lo, page - lo, 0, "/x/front");
	} else {
		/* something else after the function's page: its piece ends there */
		umap(&f, 900, page + 0x1000, 0x1000, 0, "/x/back");
	}
	usample(&f, 900, 900, fn + 3);				/* 1 */
	file_finish(&f);
	s = replay(&f, &rp);

	assert_int_equal(rp.v[0].rc, 0);
	assert_string_equal(rp.v[0].dso, exe);
	assert_string_equal(rp.v[0].sym, "session_unit_fn");
	assert_int_equal(rp.v[0].symoff, 3);
	assert_int_equal(rp.v[1].rc, 0);
	assert_string_equal(rp.v[1].dso, exe);
	assert_int_equal(rp.v[1].addr, rp.v[0].addr);
	assert_string_equal(rp.v[1].sym, "session_unit_fn");
	assert_int_equal(rp.v[1].symoff, 3);
	if (page > lo) {
		assert_int_equal(rp.v[1].start, page);
		assert_int_equal(rp.v[1].pgoff, off + (page - lo));
	} else {
		assert_int_equal(rp.v[1].end, page + 0x1000);
	}
	done(&f, s);
}

/* --- the chain memo ---------------------------------------------------------------------- */

/* A sample of @chain[0..nr) as parsed (its hash made) and numbered by @ids. */
static struct pd_sample numbered(struct chain_ids *ids, const uint64_t *chain, size_t nr)
{
	struct pd_sample smp = { .type = PERF_SAMPLE_CALLCHAIN, .callchain_nr = nr,
				 .callchain = chain, .chain_hash = pd_chain__hash(chain, nr) };

	chain_ids__number(ids, &smp);
	return smp;
}

static struct chain_memo_val *memo_get(struct chain_memo *m, struct session *s, uint64_t x0,
				       const struct pd_sample *smp, bool *fresh)
{
	assert_true(chain_memo__usable(smp));
	chain_memo__prefetch(m, s, NULL, x0, 0, smp);
	return chain_memo__get(m, s, NULL, x0, 0, smp, fresh);
}

/* --- the resolution cache (resolve_cache.h) --------------------------------------------- */

struct twice {
	int n;
	char dso[32][64];
};

/* Every sample resolved twice (the second from the cache the first filled) and checked
 * against a fresh search of its thread's maps: the same map struct, not one that moved. */
static int on_sample_twice(void *ctx, struct session *s, const struct pd_sample *smp,
			   struct pd_evsel *evsel, struct thread *th)
{
	struct twice *t = ctx;
	struct addr_loc a, b;
	int ret;

	(void)evsel;
	assert_true(t->n < 32);
	ret = session__resolve(s, th, smp->cpumode, smp->ip, &a);
	assert_int_equal(session__resolve(s, th, smp->cpumode, smp->ip, &b), ret);
	assert_ptr_equal(a.map, maps__find(th->maps, smp->ip));
	if (ret) {				/* no map there, the second time too */
		assert_int_equal(ret, -ENOENT);
		assert_null(b.map);
		assert_null(b.sym);
		snprintf(t->dso[t->n++], sizeof(t->dso[0]), "-");
		return 0;
	}
	assert_ptr_equal(b.map, a.map);
	assert_ptr_equal(b.dso, a.dso);
	assert_int_equal(b.addr, a.addr);
	assert_ptr_equal(b.sym, a.sym);
	assert_int_equal(b.symoff, a.symoff);
	snprintf(t->dso[t->n++], sizeof(t->dso[0]), "%s", a.dso->name);
	return 0;
}

/* An address resolved again: where no map was, none is found again until a map comes; a
 * new map over it is seen; a process that maps and forks in turn has its layers merged by a
 * fork (its map structs move): what it resolves after is the moved map, not the one the cache
 * held. */
static void test_resolve_cache(void **state)
{
	struct error err = { 0 };
	struct twice t = { 0 };
	struct session *s;
	struct file f;
	int n = 0;

	(void)state;
	file_start(&f);
	comm(&f, 100, 100, "parent", false);
	umap(&f, 100, BIN_LO, 0x1000, 0, "/x/bin");
	usample(&f, 100, 100, LIBC + 0x100);		/* nothing mapped there yet */
	usample(&f, 100, 100, LIBC + 0x100);
	umap(&f, 100, LIBC, 0x10000, 0, "/x/a.so");
	usample(&f, 100, 100, LIBC + 0x100);
	usample(&f, 100, 100, LIBC + 0x100);
	umap(&f, 100, LIBC, 0x10000, 0, "/x/b.so");
	usample(&f, 100, 100, LIBC + 0x100);
	for (uint32_t i = 0; i < 6; i++) {
		umap(&f, 100, BIN_LO + i * 0x10000, 0x1000, 0, "/x/more.so");
		usample(&f, 100, 100, LIBC + 0x100);
		fork_(&f, 200 + i, 100, 200 + i, 100);
		usample(&f, 100, 100, LIBC + 0x100);
		usample(&f, 200 + i, 200 + i, LIBC + 0x100);
	}
	file_finish(&f);
	s = session__open(f.path, &(struct session_opts){ .demangle = true }, &err);
	assert_non_null(s);
	assert_int_equal(session__process(s, &(struct session_tool){ .sample = on_sample_twice,
								 .ctx = &t }, &err), 0);
	assert_int_equal(t.n, f.nr_samples);
	assert_string_equal(t.dso[0], "-");
	assert_string_equal(t.dso[1], "-");
	assert_string_equal(t.dso[2], "/x/a.so");
	assert_string_equal(t.dso[3], "/x/a.so");
	for (int i = 4; i < t.n; i++, n++)
		assert_string_equal(t.dso[i], "/x/b.so");
	assert_int_equal(n, 19);
	done(&f, s);
}

/* A chain gets a number from its second sighting on, the same each time; chains of other
 * words or another length get others, also when their hashes are equal; many chains seen
 * once in between (a busy machine's short-lived processes) get none; past the bound the
 * kept chains are forgotten and get new numbers, never one given before. */
static void test_chain_ids(void **state)
{
	struct chain_ids *ids = chain_ids__new();
	uint64_t hot[3] = { PERF_CONTEXT_USER, 0x401000, 0x402000 }, other[3], big[100];
	struct pd_sample smp, twin;
	uint64_t id, id2;
	int numbered_once = 0;

	(void)state;
	assert_non_null(ids);
	assert_int_equal(numbered(ids, hot, 3).chain_id, 0);
	id = numbered(ids, hot, 3).chain_id;
	assert_true(id != 0);
	assert_int_equal(numbered(ids, hot, 3).chain_id, id);
	assert_int_equal(numbered(ids, hot, 2).chain_id, 0);		/* the length counts */
	id2 = numbered(ids, hot, 2).chain_id;
	assert_true(id2 != 0 && id2 != id);
	memcpy(other, hot, sizeof(hot));
	other[2]++;
	for (int i = 0; i < 2; i++) {				/* so does every word */
		smp = numbered(ids, other, 3);
		assert_true(smp.chain_id != id && smp.chain_id != id2);
	}
	/* the same hash, other words: compared, not trusted */
	for (int i = 0; i < 2; i++) {
		twin = (struct pd_sample){ .type = PERF_SAMPLE_CALLCHAIN, .callchain_nr = 3,
					   .callchain = other, .chain_hash = pd_chain__hash(hot, 3) };
		chain_ids__number(ids, &twin);
	}
	assert_true(twin.chain_id != 0 && twin.chain_id != id);
	assert_int_equal(numbered(ids, hot, 3).chain_id, id);
	/* a sample the memo cannot use gets none */
	smp = (struct pd_sample){ .type = PERF_SAMPLE_IP, .chain_id = 99 };
	chain_ids__number(ids, &smp);
	assert_int_equal(smp.chain_id, 0);
	for (uint64_t i = 0; i < 20000; i++) {
		other[2] = 0x500000 + i * 16;
		numbered_once += numbered(ids, other, 3).chain_id != 0;
	}
	assert_true(numbered_once < 20000 / 10);		/* only the bitmap's collisions */
	assert_int_equal(numbered(ids, hot, 3).chain_id, id);
	/* past the bound: forgotten, then numbered anew (its bit is set: at once) */
	for (uint64_t i = 0; chain_ids__bytes(ids) + sizeof(big) + 64 <= CHAIN_IDS_BYTES_MAX; i++) {
		for (size_t k = 0; k < 100; k++)
			big[k] = 0x600000 + i * 100 + k;
		numbered(ids, big, 100);
		assert_true(numbered(ids, big, 100).chain_id != 0);
	}
	numbered(ids, big, 100);
	big[0]++;
	numbered(ids, big, 100);
	assert_true(numbered(ids, big, 100).chain_id != 0);	/* this one went past it */
	assert_true(chain_ids__bytes(ids) < 4096);
	smp = numbered(ids, hot, 3);
	assert_true(smp.chain_id > id2);
	assert_int_equal(numbered(ids, hot, 3).chain_id, smp.chain_id);
	chain_ids__free(ids);
}

/* The memo keys a numbered chain with the tool's words: found again with the same, fresh
 * with others; a sample with no number gets a value that is not kept; many keys (the table
 * grown several times) keep their values; starting over past the bound forgets them. */
static void test_chain_memo_keys(void **state)
{
	struct error err = { 0 };
	struct session *s = session__new_live(&(struct session_opts){ 0 }, &err);
	struct chain_memo *m = chain_memo__new();
	struct chain_ids *ids = chain_ids__new();
	uint64_t hot[3] = { PERF_CONTEXT_USER, 0x401000, 0x402000 }, other[3];
	static struct pd_sample many[20000];
	struct pd_sample smp;
	struct chain_memo_val *v;
	bool fresh;

	(void)state;
	assert_non_null(s);
	assert_non_null(m);
	assert_non_null(ids);
	smp = numbered(ids, hot, 3);				/* first sighting: no number */
	v = memo_get(m, s, 1, &smp, &fresh);
	assert_true(fresh);
	assert_false(chain_memo__kept(m, v));
	v->a = 5;
	v = memo_get(m, s, 1, &smp, &fresh);
	assert_true(fresh);
	assert_int_equal(v->a, 0);
	smp = numbered(ids, hot, 3);
	v = memo_get(m, s, 1, &smp, &fresh);
	assert_true(fresh);
	assert_true(chain_memo__kept(m, v));
	v->a = 7;
	v = memo_get(m, s, 1, &smp, &fresh);
	assert_false(fresh);
	assert_int_equal(v->a, 7);
	v = memo_get(m, s, 2, &smp, &fresh);			/* the tool's word is in the key */
	assert_true(fresh);
	v->a = 9;
	assert_int_equal(memo_get(m, s, 1, &smp, &fresh)->a, 7);
	assert_int_equal(memo_get(m, s, 2, &smp, &fresh)->a, 9);
	memcpy(other, hot, sizeof(hot));
	for (uint64_t i = 0; i < 20000; i++) {
		other[2] = 0x500000 + i * 16;
		numbered(ids, other, 3);
		many[i] = numbered(ids, other, 3);
		many[i].callchain = hot;			/* the memo reads the number only */
		v = memo_get(m, s, 1, &many[i], &fresh);
		assert_true(fresh);
		v->a = i + 100;
	}
	for (uint64_t i = 0; i < 20000; i++) {
		v = memo_get(m, s, 1, &many[i], &fresh);
		assert_false(fresh);
		assert_int_equal(v->a, i + 100);
	}
	assert_int_equal(memo_get(m, s, 1, &smp, &fresh)->a, 7);
	assert_true(chain_memo__bytes(m) >= 20002 * 64);
	assert_false(chain_memo__bound(m, 0));
	assert_true(chain_memo__bound(m, CHAIN_MEMO_BYTES_MAX));
	assert_int_equal(chain_memo__bytes(m), 0);
	v = memo_get(m, s, 1, &smp, &fresh);			/* forgotten: kept anew */
	assert_true(fresh);
	assert_true(chain_memo__kept(m, v));
	v->a = 8;
	assert_int_equal(memo_get(m, s, 1, &smp, &fresh)->a, 8);
	assert_false(fresh);
	chain_ids__free(ids);
	chain_memo__free(m);
	session__close(s);
}

/* --- two threads ----------------------------------------------------------------------- */

#define NR_ORDER 20000

struct order {
	uint64_t time[NR_ORDER], ip[NR_ORDER];
	int n, stop_at;
	/* the look-ahead (session_tool.ahead): the samples it was shown, and how many it had
	 * been shown when each sample was delivered */
	uint64_t ahead_time[NR_ORDER];
	int nr_ahead, ahead_before[NR_ORDER];
};

static void order_ahead(void *ctx, const struct session *s, const struct pd_sample *smp,
			const struct pd_evsel *evsel, const struct thread *th)
{
	struct order *o = ctx;

	(void)s;
	assert_non_null(evsel);
	assert_true(!th || th->tid == (int32_t)smp->tid);
	assert_true(o->nr_ahead < NR_ORDER);
	o->ahead_time[o->nr_ahead++] = smp->time;
}

static int order_sample(void *ctx, struct session *s, const struct pd_sample *smp,
			struct pd_evsel *evsel, struct thread *th)
{
	struct order *o = ctx;

	(void)s, (void)evsel, (void)th;
	assert_true(o->n < NR_ORDER);
	o->ahead_before[o->n] = o->nr_ahead;
	o->time[o->n] = smp->time;
	o->ip[o->n++] = smp->ip;
	return o->n == o->stop_at ? 42 : 0;
}

static int order_replay(const char *path, unsigned int threads, struct order *o)
{
	struct error err = { 0 };
	struct session *s = session__open(path, &(struct session_opts){ .threads = threads }, &err);
	int ret;

	assert_non_null(s);
	ret = session__process(s, &(struct session_tool){ .sample = order_sample,
							  .ahead = order_ahead, .ctx = o }, &err);
	session__close(s);
	return ret;
}

/* The look-ahead (one thread or two): most samples are shown to it before their turn (all
 * but a batch's first few), in the same order, and not before the sample PIPELINE_AHEAD + 1
 * earlier was delivered. */
static void order_check_ahead(const struct order *o)
{
	assert_true(o->nr_ahead > o->n / 2);
	for (int j = 0, k = 0; j < o->nr_ahead; j++, k++) {
		while (k < o->n && o->time[k] != o->ahead_time[j])
			k++;
		assert_true(k < o->n);
		assert_true(o->ahead_before[k] > j);
		if (k > PIPELINE_AHEAD)
			assert_true(o->ahead_before[k - PIPELINE_AHEAD - 1] <= j);
	}
}

/* Samples out of time order within rounds of 1000 (FINISHED_ROUND between them), many
 * more than the batch ring holds: the threaded walk delivers perf's order as the one-thread one;
 * stopped, both stop at once. */
static void test_two_threads_same_order(void **state)
{
	static struct order one, two, stopped;
	struct file f;
	struct rb r;

	(void)state;
	file_start(&f);
	comm(&f, 900, 900, "self", false);
	for (int i = 0; i < NR_ORDER - 1; i++) {
		hdr(&r, PERF_RECORD_SAMPLE, PERF_RECORD_MISC_USER);
		u64(&r, 0x400000 + i);
		u32x2(&r, 900, 900);
		u64(&r, 1000 + (uint64_t)(i / 1000) * 1000 + (uint64_t)(i * 7919) % 1000);
		((struct perf_event_header *)r.b)->size = (uint16_t)r.n;
		assert_int_equal(pd_writer__write(f.w, r.b, r.n), 0);
		if (i % 1000 == 999) {
			hdr(&r, PD_RECORD_FINISHED_ROUND, 0);
			((struct perf_event_header *)r.b)->size = (uint16_t)r.n;
			assert_int_equal(pd_writer__write(f.w, r.b, r.n), 0);
		}
	}
	file_finish(&f);
	assert_int_equal(order_replay(f.path, 1, &one), 0);
	assert_int_equal(order_replay(f.path, 2, &two), 0);
	assert_int_equal(one.n, NR_ORDER - 1);
	assert_int_equal(two.n, one.n);
	for (int i = 0; i < one.n; i++) {
		assert_int_equal(two.time[i], one.time[i]);
		assert_int_equal(two.ip[i], one.ip[i]);
		if (i)
			assert_true(one.time[i] >= one.time[i - 1]);
	}
	order_check_ahead(&one);
	order_check_ahead(&two);
	for (unsigned int threads = 1; threads <= 2; threads++) {
		memset(&stopped, 0, sizeof(stopped));
		stopped.stop_at = 5000;
		assert_int_equal(order_replay(f.path, threads, &stopped), 42);
		assert_int_equal(stopped.n, 5000);
	}
	unlink(f.path);
}

/* --- the progress line ----------------------------------------------------------------- */

static void test_progress(void **state)
{
	struct progress p;
	char line[160];
	int n;

	(void)state;
	progress__init(&p, "pfold", 200000000, 100.0);
	assert_false(progress__due(&p, 100.5));		/* not in the first second */
	assert_true(progress__due(&p, 101.0));
	assert_false(progress__due(&p, 101.2));		/* a quarter second apart */
	assert_true(progress__due(&p, 101.3));
	n = progress__format(&p, line, sizeof(line), 3000000, 50000000, 102.0);
	assert_string_equal(line, "[ pfold: 3000000 records, 25% of 200 MB, 1.5M records/s ]");
	assert_int_equal(n, (int)strlen(line));
	progress__format(&p, line, sizeof(line), 9000, 300000000, 110.0);
	assert_string_equal(line, "[ pfold: 9000 records, 100% of 200 MB, 900 records/s ]");
	progress__format(&p, line, 12, 9000, 0, 110.0);
	assert_string_equal(line, "[ pfold: 90");
	/* a stage over what the walk found */
	progress__init(&p, "pannotate", 0, 200.0);
	n = progress__format_items(&p, line, sizeof(line), 458, 2450, "symbols");
	assert_string_equal(line, "[ pannotate: 458 of 2450 symbols, 18% ]");
	assert_int_equal(n, (int)strlen(line));
	progress__format_items(&p, line, sizeof(line), 3, 0, "symbols");
	assert_string_equal(line, "[ pannotate: 0 of 0 symbols, 100% ]");
}

static bool in_use_tid(void *ctx, const struct thread *th)
{
	return th->tid == *(const int32_t *)ctx;
}

/* Reclaiming (ptop's long sessions): an exited thread is still found in its round and the
 * next, then freed unless in use; one in use loses its maps and leaves the table; a leader
 * waits while another thread shares its maps; without reclaiming nothing changes. */
static void test_threads_reclaim(void **state)
{
	struct threads *t = threads__new();
	struct thread *a, *b, *leader, *worker;
	int32_t busy = 11;

	(void)state;
	assert_non_null(t);
	a = threads__findnew(t, 10, 10);
	threads__exit(t, a);	/* reclaiming off: no effect */
	assert_int_equal(threads__reclaim(t, NULL, NULL), 0);
	assert_ptr_equal(threads__find(t, 10), a);

	threads__set_reclaim(t, true);
	b = threads__findnew(t, 11, 11);
	leader = threads__findnew(t, 20, 20);
	worker = threads__findnew(t, 20, 21);
	assert_non_null(b);
	assert_non_null(worker);
	threads__exit(t, a);
	threads__exit(t, b);
	threads__exit(t, leader);
	assert_int_equal(threads__reclaim(t, in_use_tid, &busy), 0);	/* exited this round */
	assert_ptr_equal(threads__find(t, 10), a);
	/* the next round: a freed; b in use, kept without maps; the leader waits for its worker */
	assert_int_equal(threads__reclaim(t, in_use_tid, &busy), 1);
	assert_null(threads__find(t, 10));
	assert_null(threads__find(t, 11));
	assert_null(b->maps);
	assert_int_equal(b->tid, 11);
	assert_ptr_equal(threads__find(t, 20), leader);
	threads__exit(t, worker);
	assert_int_equal(threads__reclaim(t, in_use_tid, &busy), 0);
	/* the worker, then the leader it no longer holds back (newest exits first) */
	assert_int_equal(threads__reclaim(t, in_use_tid, &busy), 2);
	assert_null(threads__find(t, 20));
	busy = -1;
	assert_int_equal(threads__reclaim(t, in_use_tid, &busy), 1);	/* b, no longer in use */
	/* a tid reused by a FORK before reclaiming: the old thread goes once */
	a = threads__findnew(t, 30, 30);
	threads__exit(t, a);
	threads__remove(t, a);
	b = threads__findnew(t, 30, 30);
	assert_ptr_not_equal(a, b);
	assert_int_equal(threads__reclaim(t, NULL, NULL), 0);
	assert_int_equal(threads__reclaim(t, NULL, NULL), 1);
	assert_ptr_equal(threads__find(t, 30), b);
	threads__free(t);
}

/* Reclaiming only the maps (preport, whose entries point at threads): an exited thread leaves
 * the table after a whole round and loses its maps, and its struct stays as it was until
 * threads__free (ASan sees any use of a freed one); a leader waits for its other threads;
 * threads are numbered in creation order. */
static void test_threads_reclaim_maps(void **state)
{
	struct threads *t = threads__new();
	struct thread *a, *leader, *worker, *a2;

	(void)state;
	assert_non_null(t);
	threads__set_reclaim(t, true);
	a = threads__findnew(t, 10, 10);
	leader = threads__findnew(t, 20, 20);
	worker = threads__findnew(t, 20, 21);
	assert_non_null(worker);
	assert_true(a->seq < leader->seq && leader->seq < worker->seq);
	assert_int_equal(thread__set_comm(t, a, "gone"), 0);
	threads__exit(t, a);
	threads__exit(t, leader);
	assert_int_equal(threads__reclaim_maps(t), 0);		/* exited this round */
	assert_non_null(a->maps);
	assert_int_equal(threads__reclaim_maps(t), 1);		/* a; the leader waits */
	assert_null(threads__find(t, 10));
	assert_null(a->maps);
	assert_int_equal(a->tid, 10);
	assert_string_equal(a->comm, "gone");
	assert_ptr_equal(threads__find(t, 20), leader);
	assert_non_null(leader->maps);
	threads__exit(t, worker);
	assert_int_equal(threads__reclaim_maps(t), 0);
	assert_int_equal(threads__reclaim_maps(t), 2);		/* the worker, then its leader */
	assert_null(leader->maps);
	assert_null(worker->maps);
	/* the tid again: a new thread, numbered after the others */
	a2 = threads__findnew(t, 10, 10);
	assert_ptr_not_equal(a2, a);
	assert_true(a2->seq > worker->seq);
	assert_non_null(a2->maps);
	threads__free(t);
}

/* A file whose process 300 ("gone", /x/gone-bin mapped) is sampled once and exits. */
static void gone_300(struct file *f)
{
	file_start(f);
	comm(f, 300, 300, "gone", false);
	umap(f, 300, 0x400000, 0x1000, 0, "/x/gone-bin");
	usample(f, 300, 300, 0x400100);
	task(f, PERF_RECORD_EXIT, 0, 300, 1, 300, 1);
}

/* The streaming tools' rounds (reclaim_round_ns): an exited thread is still found in the round
 * of its EXIT (a late sample resolves as before), and freed once a sample a round later ends
 * the next; a sample of an earlier time ends no round. */
static void test_reclaim_rounds(void **state)
{
	struct session_opts so = { .reclaim_threads = true,
				   .reclaim_round_ns = SESSION_RECLAIM_ROUND_NS };
	struct replay rp = { .n = 0 };
	struct session *s;
	struct file f;
	struct seen *v = rp.v;

	(void)state;
	gone_300(&f);						/* sample 0 */
	usample(&f, 300, 300, 0x400100);			/* 1: after its EXIT */
	f.time += SESSION_RECLAIM_ROUND_NS + SESSION_RECLAIM_ROUND_NS / 2;
	usample(&f, 400, 400, 0x1000);				/* 2: a round ends */
	usample(&f, 300, 300, 0x400100);			/* 3: the next round */
	f.time += SESSION_RECLAIM_ROUND_NS + SESSION_RECLAIM_ROUND_NS / 2;
	usample(&f, 400, 400, 0x1000);				/* 4: it ends: 300 is freed */
	usample(&f, 300, 300, 0x400100);			/* 5 */
	/* a file joined from two: the second's times are earlier, and end no round (two
	 * FINISHED_ROUNDs: the second has the first's records replayed) */
	for (int i = 0; i < 2; i++)
		assert_int_equal(pd_writer__write(f.w, &(struct perf_event_header){ .type = 68,
										    .size = 8 }, 8), 0);
	f.time = 1000;
	comm(&f, 500, 500, "back", false);
	task(&f, PERF_RECORD_EXIT, 0, 500, 1, 500, 1);
	usample(&f, 400, 400, 0x1000);				/* 6 */
	f.time += SESSION_RECLAIM_ROUND_NS + SESSION_RECLAIM_ROUND_NS / 2;
	usample(&f, 400, 400, 0x1000);				/* 7 */
	usample(&f, 500, 500, 0x1000);				/* 8 */
	file_finish(&f);

	s = replay_with(&f, &rp, &so);
	assert_string_equal(v[1].comm, "gone");
	assert_in(&v[1], "/x/gone-bin", 0x400000, 0x401000, 0x100);
	assert_string_equal(v[3].comm, "gone");
	assert_in(&v[3], "/x/gone-bin", 0x400000, 0x401000, 0x100);
	assert_string_equal(v[5].comm, ":300");
	assert_false(v[5].comm_set);
	assert_nowhere(&v[5]);
	assert_string_equal(v[8].comm, "back");
	assert_int_equal(session__stats(s)->nr_threads_freed, 1);
	done(&f, s);
}

/* The same rounds freeing only the maps (preport): the thread a sample saw stays readable,
 * its maps gone; the tid sampled later is a new thread. */
static void test_reclaim_rounds_maps_only(void **state)
{
	struct session_opts so = { .reclaim_threads = true, .reclaim_maps_only = true,
				   .reclaim_round_ns = SESSION_RECLAIM_ROUND_NS };
	struct replay rp = { .n = 0 };
	struct session *s;
	struct file f;
	struct seen *v = rp.v;

	(void)state;
	gone_300(&f);						/* sample 0 */
	for (int i = 0; i < 2; i++) {
		f.time += SESSION_RECLAIM_ROUND_NS + SESSION_RECLAIM_ROUND_NS / 2;
		usample(&f, 400, 400, 0x1000);			/* 1, 2: a round ends */
	}
	usample(&f, 300, 300, 0x400100);			/* 3 */
	file_finish(&f);

	s = replay_with(&f, &rp, &so);
	assert_in(&v[0], "/x/gone-bin", 0x400000, 0x401000, 0x100);
	assert_ptr_not_equal(v[3].th, v[0].th);
	assert_string_equal(v[3].comm, ":300");
	assert_nowhere(&v[3]);
	assert_string_equal(v[0].th->comm, "gone");	/* still there */
	assert_null(v[0].th->maps);
	assert_int_equal(session__stats(s)->nr_maps_freed, 1);
	assert_int_equal(session__stats(s)->nr_threads_freed, 0);
	done(&f, s);
}

/* pfold names the samples of a thread with no comm ":TID" when the session frees exited
 * threads: a later such thread, whose default comm may sit where a freed one's was, gets
 * its own name, not the freed thread's. */
static void test_fold_reclaimed_default_comms(void **state)
{
	struct fold_perf_opts o = { .demangle = true };
	struct fold_perf_stats st;
	struct error err = { 0 };
	struct fold *fo = fold__new();
	char *buf = NULL;
	size_t len = 0;
	struct file f;
	FILE *m;

	(void)state;
	assert_non_null(fo);
	file_start(&f);
	for (uint32_t tid = 300; tid < 304; tid++) {
		usample(&f, tid, tid, 0x1000);
		task(&f, PERF_RECORD_EXIT, 0, tid, 1, tid, 1);
		f.time += SESSION_RECLAIM_ROUND_NS + 1;
	}
	file_finish(&f);
	assert_int_equal(fold_perf__read(fo, 0, f.path, &o, &st, &err), 0);
	assert_int_equal(st.folded, 4);
	m = open_memstream(&buf, &len);
	assert_non_null(m);
	assert_int_equal(fold__write_folded(fo, m, false, false), 0);
	fclose(m);
	assert_string_equal(buf, ":300;[unknown] 1\n:301;[unknown] 1\n:302;[unknown] 1\n"
				 ":303;[unknown] 1\n");
	free(buf);
	fold__free(fo);
	unlink(f.path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fork_exec),
		cmocka_unit_test(test_comm_rename_tid_reuse_exit),
		cmocka_unit_test(test_retired_thread_during_replay),
		cmocka_unit_test(test_overlapping_maps),
		cmocka_unit_test(test_kernel_maps),
		cmocka_unit_test(test_symbol_after_cut),
		cmocka_unit_test(test_two_threads_same_order),
		cmocka_unit_test(test_chain_ids),
		cmocka_unit_test(test_chain_memo_keys),
		cmocka_unit_test(test_resolve_cache),
		cmocka_unit_test(test_progress),
		cmocka_unit_test(test_threads_reclaim),
		cmocka_unit_test(test_threads_reclaim_maps),
		cmocka_unit_test(test_reclaim_rounds),
		cmocka_unit_test(test_reclaim_rounds_maps_only),
		cmocka_unit_test(test_fold_reclaimed_default_comms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
