/* Owns the recording-time tally of records (perfdata/hits.h): per-process sorted map tables,
 * the DSO name table, and the sample/lost/throttle counters. Maps are removed where a later
 * mapping overlaps them, copied at FORK and dropped at exec, as the kernel's address spaces do.
 * Processes and DSOs live in arrays in the order they were first seen (the BUILD_ID section
 * follows the DSOs' order), each found through a util/htab.h index. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perfdata/buildid.h"
#include "perfdata/hits.h"
#include "util/array.h"
#include "util/bsearch.h"
#include "util/hash.h"
#include "util/htab.h"

#define MISC_MMAP_DATA	(1 << 13)
#define MISC_COMM_EXEC	(1 << 13)

struct hmap {
	uint64_t start, end;
	uint64_t pgoff;
	uint32_t dso;
};

struct hit_addr {
	uint64_t addr;		/* map address: file offset, or the ip for the kernel's maps */
	uint32_t dso;
};

struct hproc {
	int32_t pid;
	uint32_t nr;
	uint32_t last;		/* index of the last map found: consecutive frames share DSOs */
	size_t cap;
	struct hmap *maps;	/* sorted by start, not overlapping */
};

struct hdso {
	char *name;
	uint8_t cpumode;
	uint8_t hit;
	uint8_t kernel_text;	/* the [kernel.kallsyms] map itself */
	int fd;			/* opened by the opener (another mount namespace), else -1 */
	char *src;		/* "/proc/self/fd/N" of fd, else NULL */
};

/* A user address whose map was not known when its sample was read. */
struct miss {
	int32_t pid;
	bool retried;		/* already missed once more, at the end of its pass */
	uint64_t ip;
};

struct pd_hits {
	uint64_t sample_type;
	struct pd_hits_stats st;
	struct hproc *procs;
	uint32_t nr_procs;
	size_t cap_procs;
	struct htab proc_tab;	/* hash_u64(pid) -> proc index + 1 */
	struct hdso *dsos;
	uint32_t nr_dsos;
	size_t cap_dsos;
	struct htab dso_tab;	/* hash_str(name) -> dso index + 1 */
	int32_t kernel_dso;	/* -1 until a kernel map is seen */
	bool all;		/* --buildid-all */
	bool counts_only;	/* no maps, DSOs, hits (pd_hits__set_counts_only) */
	int kernel_samples;
	struct miss *misses;	/* since the last pd_hits__settle */
	size_t nr_misses, cap_misses;
	int32_t last_pid;
	uint32_t last_proc;
	bool want_addrs;	/* keep each sampled address (precord --embed-symbols) */
	struct htab addr_tab;	/* hash of {dso, addr} -> addrs index + 1 */
	struct hit_addr *addrs;
	size_t nr_addrs, cap_addrs;
	pd_hits_open_fn open;
	void *open_ctx;
};

struct pd_hits *pd_hits__new(uint64_t sample_type)
{
	struct pd_hits *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->sample_type = sample_type;
	h->kernel_dso = -1;
	h->last_pid = -2;
	if (htab__init(&h->proc_tab, 128) || htab__init(&h->dso_tab, 128)) {
		pd_hits__free(h);
		errno = ENOMEM;
		return NULL;
	}
	return h;
}

void pd_hits__free(struct pd_hits *h)
{
	if (!h)
		return;
	for (uint32_t i = 0; i < h->nr_procs; i++)
		free(h->procs[i].maps);
	for (uint32_t i = 0; i < h->nr_dsos; i++) {
		free(h->dsos[i].name);
		free(h->dsos[i].src);
		if (h->dsos[i].fd >= 0)
			close(h->dsos[i].fd);
	}
	free(h->procs);
	free(h->dsos);
	htab__exit(&h->proc_tab);
	htab__exit(&h->dso_tab);
	htab__exit(&h->addr_tab);
	free(h->addrs);
	free(h->misses);
	free(h);
}

const struct pd_hits_stats *pd_hits__stats(const struct pd_hits *h)
{
	return &h->st;
}

static struct hproc *proc_find(struct pd_hits *h, int32_t pid)
{
	struct htab_slot *s;
	size_t pos;

	if (pid == h->last_pid)
		return &h->procs[h->last_proc];
	htab__for_each_hash(&h->proc_tab, hash_u64((uint32_t)pid), s, pos) {
		if (h->procs[s->val - 1].pid == pid) {
			h->last_pid = pid;
			h->last_proc = s->val - 1;
			return &h->procs[s->val - 1];
		}
	}
	return NULL;
}

/* The process's entry, added when new. May move h->procs. */
static struct hproc *proc_get(struct pd_hits *h, int32_t pid)
{
	struct hproc *p = proc_find(h, pid);

	if (p)
		return p;
	if (ARRAY_GROW(h->procs, h->cap_procs, (size_t)h->nr_procs + 1) ||
	    htab__insert(&h->proc_tab, hash_u64((uint32_t)pid), (uintptr_t)h->nr_procs + 1))
		return NULL;
	p = &h->procs[h->nr_procs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	h->last_pid = -2;
	return p;
}

static int dso_get(struct pd_hits *h, const char *name, uint8_t cpumode)
{
	uint64_t hash = hash_str(name);
	struct htab_slot *s;
	struct hdso *d;
	size_t pos;

	htab__for_each_hash(&h->dso_tab, hash, s, pos)
		if (!strcmp(h->dsos[s->val - 1].name, name))
			return (int)s->val - 1;
	if (ARRAY_GROW(h->dsos, h->cap_dsos, (size_t)h->nr_dsos + 1))
		return -ENOMEM;
	d = &h->dsos[h->nr_dsos];
	*d = (struct hdso){ .name = strdup(name), .cpumode = cpumode, .fd = -1 };
	if (!d->name)
		return -ENOMEM;
	if (htab__insert(&h->dso_tab, hash, (uintptr_t)h->nr_dsos + 1)) {
		free(d->name);
		return -ENOMEM;
	}
	return h->nr_dsos++;
}

static int maps_reserve(struct hproc *p, uint32_t extra)
{
	return ARRAY_GROW(p->maps, p->cap, (size_t)p->nr + extra);
}

/* First map whose end is above addr (the maps' ends ascend too: they do not overlap). */
static uint32_t maps_lower(const struct hproc *p, uint64_t addr)
{
	return (uint32_t)bsearch__upper_u64(p->maps, p->nr, sizeof(*p->maps),
					    offsetof(struct hmap, end), addr);
}

/* Insert [start, end), trimming or removing what it overlaps. */
static int maps_insert(struct hproc *p, uint64_t start, uint64_t end, uint64_t pgoff, uint32_t dso)
{
	uint32_t i, j;

	if (end <= start || maps_reserve(p, 2))
		return end <= start ? 0 : -ENOMEM;
	i = maps_lower(p, start);
	/* a map straddling both ends splits in two */
	if (i < p->nr && p->maps[i].start < start && p->maps[i].end > end) {
		memmove(&p->maps[i + 2], &p->maps[i], (p->nr - i) * sizeof(struct hmap));
		p->maps[i + 2].pgoff += end - p->maps[i + 2].start;
		p->maps[i + 2].start = end;
		p->maps[i].end = start;
		p->maps[i + 1] = (struct hmap){ start, end, pgoff, dso };
		p->nr += 2;
		p->last = 0;
		return 0;
	}
	if (i < p->nr && p->maps[i].start < start) {
		p->maps[i].end = start;
		i++;
	}
	for (j = i; j < p->nr && p->maps[j].end <= end; j++)
		;
	if (j < p->nr && p->maps[j].start < end) {
		p->maps[j].pgoff += end - p->maps[j].start;
		p->maps[j].start = end;
	}
	/* maps [i, j) are covered: replace them with the new one */
	if (j == i) {
		memmove(&p->maps[i + 1], &p->maps[i], (p->nr - i) * sizeof(struct hmap));
		p->nr++;
	} else if (j > i + 1) {
		memmove(&p->maps[i + 1], &p->maps[j], (p->nr - j) * sizeof(struct hmap));
		p->nr -= j - i - 1;
	}
	p->maps[i] = (struct hmap){ start, end, pgoff, dso };
	p->last = 0;
	return 0;
}

static const struct hmap *maps_find(struct hproc *p, uint64_t ip)
{
	uint32_t i;

	if (p->last < p->nr && p->maps[p->last].start <= ip && ip < p->maps[p->last].end)
		return &p->maps[p->last];
	i = maps_lower(p, ip);
	if (i < p->nr && p->maps[i].start <= ip) {
		p->last = i;
		return &p->maps[i];
	}
	return NULL;
}

/* The file as the mapping process sees it, held open while that view may vanish (a
 * container's private mount ends with its last process). */
static void open_ns(struct pd_hits *h, struct hdso *d, int32_t pid)
{
	char src[32];
	int fd = h->open(h->open_ctx, pid, d->name);

	if (fd < 0)
		return;
	snprintf(src, sizeof(src), "/proc/self/fd/%d", fd);
	d->src = strdup(src);
	if (!d->src) {
		close(fd);
		return;
	}
	d->fd = fd;
}

static void add_map(struct pd_hits *h, uint16_t misc, int32_t pid, uint64_t start, uint64_t len,
		    uint64_t pgoff, const char *name)
{
	uint8_t cpumode = misc & PERF_RECORD_MISC_CPUMODE_MASK;
	int kernel = cpumode == PERF_RECORD_MISC_KERNEL;
	const char *dname = name;
	struct hproc *p;
	int d;

	if (kernel && !strncmp(name, "[kernel.kallsyms]", 17))
		dname = "[kernel.kallsyms]";
	d = dso_get(h, dname, cpumode);
	if (d < 0)
		return;
	if (kernel && dname != name) {
		h->dsos[d].kernel_text = 1;
		h->kernel_dso = d;
	}
	p = proc_get(h, kernel ? -1 : pid);
	if (p)
		maps_insert(p, start, start + len < start ? UINT64_MAX : start + len, pgoff, d);
	if (h->open && !kernel && h->dsos[d].fd < 0)
		open_ns(h, &h->dsos[d], pid);
}

static void proc_fork(struct pd_hits *h, int32_t pid, int32_t ppid)
{
	struct hproc *child, *parent;
	uint32_t pidx;

	if (pid == ppid || !(parent = proc_find(h, ppid)) || !parent->nr)
		return;
	pidx = parent - h->procs;
	child = proc_get(h, pid);	/* may move h->procs */
	if (!child || child->nr)
		return;
	parent = &h->procs[pidx];
	if (maps_reserve(child, parent->nr))
		return;
	memcpy(child->maps, parent->maps, parent->nr * sizeof(struct hmap));
	child->nr = parent->nr;
}

static void proc_exec(struct pd_hits *h, int32_t pid)
{
	struct hproc *p = proc_find(h, pid);

	if (p) {
		p->nr = 0;
		p->last = 0;
	}
}

/* Keep {dso, addr} once (precord --embed-symbols); a failed allocation costs the address. */
static void keep_addr(struct pd_hits *h, uint32_t dso, uint64_t addr)
{
	uint64_t hash = hash_u64(addr * 31 + dso);
	struct htab_slot *s;
	size_t pos;

	htab__for_each_hash(&h->addr_tab, hash, s, pos)
		if (h->addrs[s->val - 1].addr == addr && h->addrs[s->val - 1].dso == dso)
			return;
	if (ARRAY_GROW(h->addrs, h->cap_addrs, h->nr_addrs + 1) ||
	    htab__insert(&h->addr_tab, hash, h->nr_addrs + 1))
		return;
	h->addrs[h->nr_addrs++] = (struct hit_addr){ addr, dso };
}

/* Mark the user-space @ip of @pid hit, when its map is known. */
static bool user_hit(struct pd_hits *h, int32_t pid, uint64_t ip)
{
	struct hproc *p = proc_find(h, pid);
	const struct hmap *m = p ? maps_find(p, ip) : NULL;

	if (!m)
		return false;
	h->dsos[m->dso].hit = 1;
	if (h->want_addrs)
		keep_addr(h, m->dso, ip - m->start + m->pgoff);
	return true;
}

/* Mark what ip lands in; cpumode says which address space. */
static void hit(struct pd_hits *h, int32_t pid, int cpumode, uint64_t ip)
{
	const struct hmap *m;
	struct hproc *p;
	int d;

	if (cpumode == PERF_RECORD_MISC_KERNEL) {
		p = proc_find(h, -1);
		m = p ? maps_find(p, ip) : NULL;
		d = m ? (int)m->dso : h->kernel_dso;
		if (d >= 0)
			h->dsos[d].hit = 1;
		else
			h->kernel_samples = 1;
		if (d >= 0 && h->want_addrs)
			keep_addr(h, (uint32_t)d, ip);	/* kernel and modules: the ip itself */
		return;
	}
	if (cpumode != PERF_RECORD_MISC_USER || user_hit(h, pid, ip))
		return;
	/* its map may sit in another CPU's buffer not read yet: retried at the pass's end
	 * (pd_hits__settle); a failed allocation costs the address */
	if (!ARRAY_GROW(h->misses, h->cap_misses, h->nr_misses + 1))
		h->misses[h->nr_misses++] = (struct miss){ .pid = pid, .ip = ip };
}

/* The misses again: those found now are hit; one missed again is kept for one more pass
 * (its map was written after its buffer was read), then dropped as mapped nowhere (a
 * frame-pointer walk's junk, code freed before the pass ended). @final: the last chance. */
static void retry_misses(struct pd_hits *h, bool final)
{
	size_t kept = 0;

	for (size_t i = 0; i < h->nr_misses; i++) {
		struct miss m = h->misses[i];

		if (user_hit(h, m.pid, m.ip) || m.retried || final)
			continue;
		m.retried = true;
		h->misses[kept++] = m;
	}
	h->nr_misses = kept;
}

void pd_hits__settle(struct pd_hits *h)
{
	retry_misses(h, false);
}

static void sample(struct pd_hits *h, const struct perf_event_header *eh)
{
	const uint64_t *p = (const void *)(eh + 1), *end = (const void *)((const char *)eh + eh->size);
	uint64_t t = h->sample_type, ip = 0, time = 0;
	int32_t pid = -1;
	int cpumode = eh->misc & PERF_RECORD_MISC_CPUMODE_MASK;

	h->st.samples++;
	if (t & PERF_SAMPLE_IDENTIFIER)
		p++;
	if (t & PERF_SAMPLE_IP)
		ip = *p++;
	if (t & PERF_SAMPLE_TID)
		pid = (int32_t)(*p++ & 0xffffffff);
	if (t & PERF_SAMPLE_TIME)
		time = *p++;
	p += !!(t & PERF_SAMPLE_ADDR) + !!(t & PERF_SAMPLE_ID) + !!(t & PERF_SAMPLE_STREAM_ID) +
	     !!(t & PERF_SAMPLE_CPU) + !!(t & PERF_SAMPLE_PERIOD);
	if (p > end)
		return;
	if (time) {
		if (!h->st.first_time || time < h->st.first_time)
			h->st.first_time = time;
		if (time > h->st.last_time)
			h->st.last_time = time;
	}
	if (h->counts_only)
		return;
	if (t & PERF_SAMPLE_IP)
		hit(h, pid, cpumode, ip);
	if ((t & PERF_SAMPLE_CALLCHAIN) && !(t & PERF_SAMPLE_READ) && p < end) {
		uint64_t nr = *p++;

		if (nr > (uint64_t)(end - p))
			return;
		for (uint64_t i = 0; i < nr; i++) {
			uint64_t a = p[i];

			if (a >= (uint64_t)PERF_CONTEXT_MAX) {
				cpumode = a == (uint64_t)PERF_CONTEXT_KERNEL ? PERF_RECORD_MISC_KERNEL :
					  a == (uint64_t)PERF_CONTEXT_USER ? PERF_RECORD_MISC_USER : -1;
				continue;
			}
			if (i == 1 && a == ip)	/* the kernel repeats the sample IP first */
				continue;
			hit(h, pid, cpumode, a);
		}
	}
}

void pd_hits__process(struct pd_hits *h, const void *buf, size_t len)
{
	const char *p = buf, *end = p + len;

	while ((size_t)(end - p) >= sizeof(struct perf_event_header)) {
		const struct perf_event_header *eh = (const void *)p;
		const uint32_t *u = (const void *)(eh + 1);
		const uint64_t *q = (const void *)(eh + 1);

		if (eh->size < sizeof(*eh) || eh->size > (size_t)(end - p))
			break;
		h->st.records++;
		if (h->counts_only && eh->type != PERF_RECORD_SAMPLE && eh->type != PERF_RECORD_LOST &&
		    eh->type != PERF_RECORD_LOST_SAMPLES && eh->type != PERF_RECORD_THROTTLE) {
			p += eh->size;
			continue;
		}
		switch (eh->type) {
		case PERF_RECORD_SAMPLE:
			sample(h, eh);
			break;
		case PERF_RECORD_MMAP:
			if (!(eh->misc & MISC_MMAP_DATA) && eh->size > 40)
				add_map(h, eh->misc, u[0], q[1], q[2], q[3], (const char *)(q + 4));
			break;
		case PERF_RECORD_MMAP2:
			/* prot at byte 56 of the body; only executable maps hold IPs */
			if (eh->size > 72 && (u[14] & 4 /* PROT_EXEC */))
				add_map(h, eh->misc, u[0], q[1], q[2], q[3], (const char *)eh + 72);
			break;
		case PERF_RECORD_FORK:
			proc_fork(h, u[0], u[1]);
			break;
		case PERF_RECORD_COMM:
			if (eh->misc & MISC_COMM_EXEC)
				proc_exec(h, u[0]);
			break;
		case PERF_RECORD_LOST:
			h->st.lost_records++;
			h->st.lost_samples += q[1];
			break;
		case PERF_RECORD_LOST_SAMPLES:
			h->st.lost_samples += q[0];
			break;
		case PERF_RECORD_THROTTLE:
			h->st.throttled++;
			break;
		}
		p += eh->size;
	}
}

/* "/lib/modules/.../foo-bar.ko" or "[foo_bar]" -> "foo_bar" */
static void module_name(const char *path, char *out, size_t outsz)
{
	const char *b = strrchr(path, '/');
	size_t n, i;

	b = b ? b + 1 : path;
	if (*b == '[')
		b++;
	n = strcspn(b, ".]");
	if (n >= outsz)
		n = outsz - 1;
	for (i = 0; i < n; i++)
		out[i] = b[i] == '-' ? '_' : b[i];
	out[n] = 0;
}

void pd_hits__set_counts_only(struct pd_hits *h, bool counts_only)
{
	h->counts_only = counts_only;
}

int pd_hits__build_ids(struct pd_hits *h, struct pd_build_id **idsp, size_t *nrp)
{
	struct pd_build_id *ids;
	size_t nr = 0;

	retry_misses(h, true);
	ids = calloc(h->nr_dsos ? h->nr_dsos : 1, sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	for (uint32_t i = 0; i < h->nr_dsos; i++) {
		struct hdso *d = &h->dsos[i];
		struct pd_build_id *b = &ids[nr];
		char mod[64];
		int n;

		if (!d->hit && !h->all)
			continue;
		if (d->cpumode == PERF_RECORD_MISC_KERNEL) {
			if (d->kernel_text) {
				n = pd_buildid__kernel(b->id);
			} else {
				module_name(d->name, mod, sizeof(mod));
				n = pd_buildid__module(mod, b->id);
			}
		} else if (d->name[0] == '[' || !strncmp(d->name, "//", 2) || strstr(d->name, " (deleted)")) {
			continue;	/* [vdso], anonymous memory, deleted files: nothing to read */
		} else {
			n = pd_buildid__from_elf(d->src ? d->src : d->name, b->id);
			b->src = d->src;
		}
		if (n <= 0)
			continue;
		b->filename = d->name;
		b->size = n;
		b->cpumode = d->cpumode;
		b->pid = -1;
		nr++;
	}
	*idsp = ids;
	*nrp = nr;
	return 0;
}

void pd_hits__set_opener(struct pd_hits *h, pd_hits_open_fn fn, void *ctx)
{
	h->open = fn;
	h->open_ctx = ctx;
}

void pd_hits__set_all(struct pd_hits *h, bool all)
{
	h->all = all;
}

int pd_hits__want_addrs(struct pd_hits *h)
{
	if (h->want_addrs)
		return 0;
	if (htab__init(&h->addr_tab, 4096))
		return -ENOMEM;
	h->want_addrs = true;
	return 0;
}

static int cmp_addr(const void *a, const void *b)
{
	const struct hit_addr *x = a, *y = b;

	if (x->dso != y->dso)
		return x->dso < y->dso ? -1 : 1;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

int pd_hits__for_each_addrs(struct pd_hits *h, pd_hits_addrs_fn fn, void *ctx)
{
	uint64_t *run = NULL;
	size_t i = 0, cap = 0;
	int ret = 0;

	retry_misses(h, true);
	/* the table's indexes are not needed any more: sort the array in place */
	array__sort(h->addrs, h->nr_addrs, sizeof(*h->addrs), cmp_addr);
	htab__exit(&h->addr_tab);
	h->want_addrs = false;
	while (!ret && i < h->nr_addrs) {
		uint32_t d = h->addrs[i].dso;
		size_t n = 0;

		for (; i < h->nr_addrs && h->addrs[i].dso == d; i++) {
			if (ARRAY_GROW(run, cap, n + 1)) {
				ret = -ENOMEM;
				break;
			}
			run[n++] = h->addrs[i].addr;
		}
		if (!ret)
			ret = fn(ctx, h->dsos[d].name, h->dsos[d].cpumode, run, n);
	}
	free(run);
	return ret;
}
