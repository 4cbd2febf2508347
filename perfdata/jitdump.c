/* Owns reading jitdump files (perfdata/jitdump.h). Layout (native byte order):
 *   header  { u32 magic 0x4A695444 "JiTD", version, total_size, elf_mach, pad1, pid;
 *             u64 timestamp, flags (bit 0: the times are the CPU's counter) }
 *   record  { u32 id, total_size; u64 timestamp; body }
 *   LOAD    { u32 pid, tid; u64 vma, code_addr, code_size, code_index; name\0; code }
 *   MOVE    { u32 pid, tid; u64 vma, old_code_addr, new_code_addr, code_size, code_index } */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "perfdata/jitdump.h"
#include "util/unaligned.h"

#define JITDUMP_MAGIC 0x4A695444u
#define JITDUMP_MAGIC_SWAPPED 0x4454694Au
#define JITDUMP_HEADER_SIZE 40u
#define JITDUMP_REC_HEADER 16u
#define JITDUMP_LOAD_BODY 40u		/* pid, tid, vma, code_addr, code_size, code_index */
#define JITDUMP_MOVE_BODY 48u

struct pd_jitdump {
	const char *path;
	const uint8_t *map;
	uint64_t size, pos;
	uint32_t pid, elf_mach;
	uint64_t flags;
};

struct pd_jitdump *pd_jitdump__open(const char *path, struct error *err)
{
	struct pd_jitdump *j = calloc(1, sizeof(*j));
	struct stat st;
	uint32_t magic, hsize;
	int fd = -1;

	if (!j) {
		error__nomem(err);
		return NULL;
	}
	j->path = path;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		error__set(err, -errno, "%s: %s", path, strerror(errno));
		goto err;
	}
	j->size = (uint64_t)st.st_size;
	if (j->size < JITDUMP_HEADER_SIZE) {
		error__set(err, -EBADMSG, "%s: %llu bytes is too small for a jitdump header", path,
			   (unsigned long long)j->size);
		goto err;
	}
	j->map = mmap(NULL, (size_t)j->size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (j->map == MAP_FAILED) {
		j->map = NULL;
		error__set(err, -errno, "%s: %s", path, strerror(errno));
		goto err;
	}
	close(fd);
	fd = -1;
	magic = unaligned_u32(j->map);
	hsize = unaligned_u32(j->map + 8);
	if (magic != JITDUMP_MAGIC) {
		error__set(err, -EBADMSG, "%s: %s", path, magic == JITDUMP_MAGIC_SWAPPED ?
			   "a jitdump of the other byte order (not supported)" : "not a jitdump file (bad magic)");
		goto err;
	}
	if (hsize < JITDUMP_HEADER_SIZE || hsize > j->size) {
		error__set(err, -EBADMSG, "%s: corrupt at offset 8: header size %u", path, hsize);
		goto err;
	}
	j->elf_mach = unaligned_u32(j->map + 12);
	j->pid = unaligned_u32(j->map + 20);
	j->flags = unaligned_u64(j->map + 32);
	j->pos = hsize;
	return j;
err:
	if (fd >= 0)
		close(fd);
	pd_jitdump__close(j);
	return NULL;
}

void pd_jitdump__close(struct pd_jitdump *j)
{
	if (!j)
		return;
	if (j->map)
		munmap((void *)j->map, (size_t)j->size);
	free(j);
}

uint32_t pd_jitdump__pid(const struct pd_jitdump *j)
{
	return j->pid;
}

uint32_t pd_jitdump__elf_mach(const struct pd_jitdump *j)
{
	return j->elf_mach;
}

bool pd_jitdump__arch_timestamp(const struct pd_jitdump *j)
{
	return j->flags & 1;
}

static int bad(struct pd_jitdump *j, struct error *err, const char *what, uint64_t v)
{
	return error__set(err, -EBADMSG, "%s: corrupt at offset %llu: %s %llu", j->path,
			  (unsigned long long)j->pos, what, (unsigned long long)v);
}

/* LOAD's body: the fixed part, the name up to its NUL, then code_size bytes of code. */
static int parse_load(struct pd_jitdump *j, const uint8_t *p, uint32_t len, struct pd_jitdump_rec *rec,
		      struct error *err)
{
	const uint8_t *name = p + JITDUMP_LOAD_BODY, *nul;
	uint32_t left;

	if (len < JITDUMP_LOAD_BODY + 1)
		return bad(j, err, "code load record of size", len + JITDUMP_REC_HEADER);
	rec->pid = unaligned_u32(p);
	rec->tid = unaligned_u32(p + 4);
	rec->vma = unaligned_u64(p + 8);
	rec->addr = unaligned_u64(p + 16);
	rec->size = unaligned_u64(p + 24);
	rec->index = unaligned_u64(p + 32);
	left = len - JITDUMP_LOAD_BODY;
	nul = memchr(name, '\0', left);
	if (!nul)
		return bad(j, err, "code load record without a name end, size", len + JITDUMP_REC_HEADER);
	left -= (uint32_t)(nul + 1 - name);
	if (rec->size > left)
		return bad(j, err, "code size", rec->size);
	rec->name = (const char *)name;
	rec->code = nul + 1;
	return 1;
}

int pd_jitdump__next(struct pd_jitdump *j, struct pd_jitdump_rec *rec, struct error *err)
{
	const uint8_t *p;
	uint32_t total;
	int ret = 1;

	memset(rec, 0, sizeof(*rec));
	if (j->size - j->pos < JITDUMP_REC_HEADER)
		return 0;
	p = j->map + j->pos;
	rec->type = unaligned_u32(p);
	total = unaligned_u32(p + 4);
	rec->time = unaligned_u64(p + 8);
	if (total < JITDUMP_REC_HEADER)
		return bad(j, err, "record size", total);
	if (total > j->size - j->pos)
		return 0;	/* cut short: the JIT was still writing it */
	switch (rec->type) {
	case PD_JIT_CODE_LOAD:
		ret = parse_load(j, p + JITDUMP_REC_HEADER, total - JITDUMP_REC_HEADER, rec, err);
		break;
	case PD_JIT_CODE_MOVE:
		if (total < JITDUMP_REC_HEADER + JITDUMP_MOVE_BODY)
			return bad(j, err, "code move record of size", total);
		p += JITDUMP_REC_HEADER;
		rec->pid = unaligned_u32(p);
		rec->tid = unaligned_u32(p + 4);
		rec->vma = unaligned_u64(p + 8);
		rec->old_addr = unaligned_u64(p + 16);
		rec->addr = unaligned_u64(p + 24);
		rec->size = unaligned_u64(p + 32);
		rec->index = unaligned_u64(p + 40);
		break;
	default:
		break;		/* debug info, unwinding info, close, newer ids: the caller skips them */
	}
	if (ret == 1)
		j->pos += total;
	return ret;
}
