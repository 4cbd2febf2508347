/* Owns merging jitdump files into a rewritten recording (symbols/jit_inject.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "perfdata/jitdump.h"
#include "perfdata/reader.h"
#include "perfdata/sample.h"
#include "symbols/jit_elf.h"
#include "symbols/jit_inject.h"
#include "util/array.h"
#include "util/log.h"

#define MMAP_NAME_OFF 40u	/* header, pid, tid, start, len, pgoff */
#define MMAP2_NAME_OFF 72u	/* ... maj, min, ino, ino_generation (or build-id), prot, flags */

/* The marker's fields, and its trailer to copy onto what replaces it. */
struct marker {
	uint32_t pid, tid;
	char path[4096];
	const uint8_t *trailer;
	unsigned int trailer_size;
	int time_at;		/* offset of the time in the trailer, -1 if none */
};

/* "DIR/jit-PID.dump" mapped by process PID: a jitdump. */
static bool is_jitdump(const char *path, uint32_t pid)
{
	const char *base = strrchr(path, '/');
	char *end;
	unsigned long v;

	base = base ? base + 1 : path;
	if (strncmp(base, "jit-", 4) || base[4] < '0' || base[4] > '9')
		return false;
	v = strtoul(base + 4, &end, 10);
	return !strcmp(end, ".dump") && v == pid;
}

/* The record's file name and ids, if it is the mmap of a jitdump. */
static bool read_marker(const struct pd_record *rec, const struct perf_event_attr *attr, struct marker *m)
{
	const struct perf_event_header *h = rec->hdr;
	const uint8_t *p = (const uint8_t *)h;
	unsigned int off = h->type == PERF_RECORD_MMAP ? MMAP_NAME_OFF : MMAP2_NAME_OFF;
	size_t n;

	if ((h->type != PERF_RECORD_MMAP && h->type != PERF_RECORD_MMAP2) || h->size <= off)
		return false;
	m->trailer_size = attr->sample_id_all ? pd_sample__trailer_size(attr->sample_type) : 0;
	if (h->size < off + m->trailer_size)
		return false;
	n = strnlen((const char *)p + off, h->size - off - m->trailer_size);
	if (n >= sizeof(m->path))
		return false;
	memcpy(m->path, p + off, n);
	m->path[n] = '\0';
	memcpy(&m->pid, p + 8, 4);
	memcpy(&m->tid, p + 12, 4);
	if (!is_jitdump(m->path, m->pid))
		return false;
	m->trailer = p + h->size - m->trailer_size;
	m->time_at = (attr->sample_type & PERF_SAMPLE_TIME) ? ((attr->sample_type & PERF_SAMPLE_TID) ? 8 : 0) : -1;
	return true;
}

/* An MMAP2 of @so over [addr, addr + size), as perf inject --jit writes it: pgoff at the
 * .text, exec-only shared mapping, the file's device and inode, the marker's trailer with
 * the code's load time. */
static int emit_mmap2(struct pd_inject *in, const struct marker *m, const struct pd_jitdump_rec *r,
		      const char *so, uint64_t addr)
{
	uint8_t buf[8 + MMAP2_NAME_OFF + 4096 + 64];
	struct perf_event_header h = { PERF_RECORD_MMAP2, PERF_RECORD_MISC_USER, 0 };
	size_t nlen = strlen(so) + 1, name_sz = (nlen + 7) & ~(size_t)7;
	uint32_t u32[4];
	uint64_t u64[5];
	struct stat st;

	if (MMAP2_NAME_OFF + name_sz + m->trailer_size > sizeof(buf))
		return -ENAMETOOLONG;
	if (stat(so, &st))
		return -errno;
	memset(buf, 0, sizeof(buf));
	h.size = (uint16_t)(MMAP2_NAME_OFF + name_sz + m->trailer_size);
	memcpy(buf, &h, sizeof(h));
	u32[0] = r->pid;
	u32[1] = r->tid;
	memcpy(buf + 8, u32, 8);
	u64[0] = addr;
	u64[1] = r->size;
	u64[2] = JIT_ELF_TEXT_OFFSET;
	memcpy(buf + 16, u64, 24);
	u32[0] = major(st.st_dev);
	u32[1] = minor(st.st_dev);
	memcpy(buf + 40, u32, 8);
	u64[0] = st.st_ino;
	u64[1] = 1;			/* ino_generation */
	memcpy(buf + 48, u64, 16);
	u32[0] = PROT_EXEC;
	u32[1] = MAP_SHARED;
	memcpy(buf + 64, u32, 8);
	memcpy(buf + MMAP2_NAME_OFF, so, nlen);
	memcpy(buf + MMAP2_NAME_OFF + name_sz, m->trailer, m->trailer_size);
	if (m->time_at >= 0)
		memcpy(buf + MMAP2_NAME_OFF + name_sz + m->time_at, &r->time, 8);
	return pd_inject__write(in, buf, h.size);
}

/* DIR/jitted-PID-INDEX.so beside the dump. */
static int so_path(char *out, size_t len, const char *dump, uint32_t pid, uint64_t index)
{
	const char *slash = strrchr(dump, '/');
	int dlen = slash ? (int)(slash - dump) : 1;
	int n = snprintf(out, len, "%.*s/jitted-%u-%llu.so", dlen, slash ? dump : ".", pid,
			 (unsigned long long)index);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int merge(struct jit_inject *j, struct pd_inject *in, struct pd_jitdump *d, const struct marker *m,
		 struct error *err)
{
	struct pd_jitdump_rec r;
	char so[4096];
	int ret;

	while ((ret = pd_jitdump__next(d, &r, err)) == 1) {
		if (r.type != PD_JIT_CODE_LOAD && r.type != PD_JIT_CODE_MOVE)
			continue;
		if (so_path(so, sizeof(so), m->path, r.pid, r.index))
			return error__set(err, -ENAMETOOLONG, "%s: the path is too long", m->path);
		if (r.type == PD_JIT_CODE_LOAD) {
			ret = jit_elf__write(so, (uint16_t)pd_jitdump__elf_mach(d), r.name, r.code, r.size,
					     r.addr, err);
			if (ret)
				return ret;
			j->functions++;
		} else {
			j->moves++;
		}
		ret = emit_mmap2(in, m, &r, so, r.addr);
		if (ret == -ENOENT)
			continue;	/* a move of code never loaded */
		if (ret)
			return error__set(err, ret, "injecting the map of '%s': %s", so, strerror(-ret));
	}
	return ret;
}

/* Every event timed by CLOCK_MONOTONIC (-k 1), the jitdump's clock. */
static bool monotonic(struct pd_reader *r)
{
	for (size_t i = 0; i < pd_reader__nr_evsels(r); i++) {
		const struct perf_event_attr *a = &pd_reader__evsel(r, i)->attr;

		if (!a->use_clockid || a->clockid != CLOCK_MONOTONIC)
			return false;
	}
	return true;
}

int jit_inject__hook(void *ctx, struct pd_inject *in, const struct pd_record *rec, struct error *err)
{
	struct jit_inject *j = ctx;
	const struct perf_event_attr *attr = pd_inject__attr(in);
	struct pd_jitdump *d;
	struct marker m;
	int ret;

	if (!read_marker(rec, attr, &m))
		return 0;
	for (size_t i = 0; i < j->nr_seen; i++)
		if (!strcmp(j->seen[i], m.path))
			return 1;	/* merged already */
	if (!monotonic(pd_inject__reader(in)))
		return error__set(err, -EINVAL, "%s: the recording's times are not CLOCK_MONOTONIC, the"
				  " jitdump's are: record with precord -k 1 (or perf record -k 1)", m.path);
	d = pd_jitdump__open(m.path, err);
	if (!d) {
		/* as perf: the rest of the recording still goes out, with the dump's own mmap */
		pr_warn("%s: its functions are left out", err->msg);
		*err = (struct error){ 0 };
		return 0;
	}
	if (pd_jitdump__arch_timestamp(d)) {
		pr_warn("%s: its times are the CPU's counter (TSC), not CLOCK_MONOTONIC: left out", m.path);
		pd_jitdump__close(d);
		return 0;
	}
	ret = merge(j, in, d, &m, err);
	pd_jitdump__close(d);
	if (ret)
		return ret;
	if (ARRAY_GROW(j->seen, j->cap_seen, j->nr_seen + 1) || !(j->seen[j->nr_seen] = strdup(m.path)))
		return error__nomem(err);
	j->nr_seen++;
	j->dumps++;
	return 1;
}

void jit_inject__exit(struct jit_inject *j)
{
	if (!j)
		return;
	for (size_t i = 0; i < j->nr_seen; i++)
		free(j->seen[i]);
	free(j->seen);
	j->seen = NULL;
	j->nr_seen = j->cap_seen = 0;
}
