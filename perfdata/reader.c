/* Owns reading a PERFILE2 file: mapping it, validating every offset and size in the
 * header, attrs, ids and feature index, decoding the features the tools use, and walking
 * the record stream (with COMPRESSED records inflated through libzstd). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "perfdata/pipe_reader.h"
#include "perfdata/reader.h"
#include "perfdata/sample.h"
#include "util/array.h"
#include "util/log.h"

struct id_ent {
	uint64_t id;
	struct pd_evsel *evsel;
};

/* A buffer of decoded records that must outlive the walk (ordered delivery keeps pointers). */
struct keep_buf {
	struct keep_buf *next;
	size_t len;
	uint64_t src_offset;
	uint8_t data[] __attribute__((aligned(8)));
};

/* Least mapping given back at once by pd_reader__release(). */
#define PD_RELEASE_STEP (4u << 20)

struct pd_reader {
	char *path;
	int fd;
	const uint8_t *map;
	uint64_t size;
	struct pd_file_header hdr;
	uint64_t data_off, data_end;
	bool have_features;

	struct pd_evsel *evsels;
	size_t nr_evsels;
	struct id_ent *ids;
	size_t nr_ids;
	/* where the id sits: -1 none, else word index in a SAMPLE (IDENTIFIER: 0) */
	int sample_id_word;
	/* words counted back from the end of a non-sample record; 0 = no id */
	int trailer_id_back;

	struct pd_section feat[256];

	char *hostname, *osrelease, *version, *arch, *cmdline;
	struct pd_reader_build_id *bids;
	size_t nr_bids;

	/* walking */
	uint64_t pos;
	struct keep_buf *keep;		/* decoded / realigned buffers, newest first */
	uint64_t released;		/* mapping pages before this offset given back */
	uint64_t page;			/* page size */
	const uint8_t *zp, *zend;	/* records inside the current decompressed chunk */
	uint64_t zsrc;			/* file offset of the COMPRESSED record being walked */
	uint8_t *zrem;			/* partial record carried to the next chunk */
	size_t zrem_len, zrem_cap;
	ZSTD_DStream *zds;
};

#define corrupt(r, err, off, ...) \
	corrupt_at((r)->path, err, (uint64_t)(off), __VA_ARGS__)

__attribute__((format(printf, 4, 5)))
static int corrupt_at(const char *path, struct error *err, uint64_t off, const char *fmt, ...)
{
	char what[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return error__set(err, -EBADMSG, "%s: corrupt at offset %llu: %s", path,
			     (unsigned long long)off, what);
}

/* [off, off+len) inside the file? */
static bool in_file(const struct pd_reader *r, uint64_t off, uint64_t len)
{
	return off <= r->size && len <= r->size - off;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static const char *const hw_names[] = {
	"cycles", "instructions", "cache-references", "cache-misses", "branches",
	"branch-misses", "bus-cycles", "stalled-cycles-frontend", "stalled-cycles-backend",
	"ref-cycles",
};
static const char *const sw_names[] = {
	"cpu-clock", "task-clock", "page-faults", "context-switches", "cpu-migrations",
	"minor-faults", "major-faults", "alignment-faults", "emulation-faults", "dummy",
	"bpf-output", "cgroup-switches",
};

static char *derive_name(const struct perf_event_attr *a)
{
	char buf[64];

	if (a->type == PERF_TYPE_HARDWARE && a->config < sizeof(hw_names) / sizeof(hw_names[0]))
		return strdup(hw_names[a->config]);
	if (a->type == PERF_TYPE_SOFTWARE && a->config < sizeof(sw_names) / sizeof(sw_names[0]))
		return strdup(sw_names[a->config]);
	snprintf(buf, sizeof(buf), "%u/0x%llx/", a->type, (unsigned long long)a->config);
	return strdup(buf);
}

static int cmp_id(const void *a, const void *b)
{
	const struct id_ent *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int read_attrs(struct pd_reader *r, struct error *err)
{
	const struct pd_file_header *h = &r->hdr;
	uint64_t n, i, total_ids = 0;

	if (h->attr_size == 0)
		return corrupt(r, err, 16, "attr size field is 0");
	if (h->attr_size < 64 + 16)
		return corrupt(r, err, 16, "attr size %llu too small", (unsigned long long)h->attr_size);
	if (!in_file(r, h->attrs.offset, h->attrs.size))
		return corrupt(r, err, 24, "attrs section [%llu, +%llu) outside the file",
			       (unsigned long long)h->attrs.offset, (unsigned long long)h->attrs.size);
	n = h->attrs.size / h->attr_size;
	if (n == 0)
		return corrupt(r, err, 24, "no event attrs");
	if (n > 4096)
		return corrupt(r, err, 24, "%llu event attrs", (unsigned long long)n);
	r->evsels = calloc(n, sizeof(*r->evsels));
	if (!r->evsels)
		return error__nomem(err);
	r->nr_evsels = n;
	for (i = 0; i < n; i++) {
		uint64_t off = h->attrs.offset + i * h->attr_size;
		struct pd_evsel *e = &r->evsels[i];
		uint32_t asz = rd32(r->map + off + 4);
		uint64_t ioff, isz;

		if (asz == 0)
			asz = 64;
		if (asz < 64 || (uint64_t)asz + 16 > h->attr_size)
			return corrupt(r, err, off + 4, "attr size %u does not fit the attr slot of %llu",
				       asz, (unsigned long long)h->attr_size);
		memcpy(&e->attr, r->map + off,
		       asz < sizeof(e->attr) ? asz : sizeof(e->attr));
		e->attr.size = sizeof(e->attr);
		e->idx = (unsigned int)i;
		ioff = rd64(r->map + off + asz);
		isz = rd64(r->map + off + asz + 8);
		if (isz % 8 || !in_file(r, ioff, isz))
			return corrupt(r, err, off + asz, "ids [%llu, +%llu) outside the file",
				       (unsigned long long)ioff, (unsigned long long)isz);
		e->nr_ids = isz / 8;
		if (e->nr_ids) {
			e->ids = malloc(isz);
			if (!e->ids)
				return error__nomem(err);
			memcpy(e->ids, r->map + ioff, isz);
		}
		total_ids += e->nr_ids;
		e->trailer_size = e->attr.sample_id_all ?
			pd_sample__trailer_size(e->attr.sample_type) : 0;
	}
	r->ids = calloc(total_ids ? total_ids : 1, sizeof(*r->ids));
	if (!r->ids)
		return error__nomem(err);
	for (i = 0; i < n; i++)
		for (size_t k = 0; k < r->evsels[i].nr_ids; k++)
			r->ids[r->nr_ids++] = (struct id_ent){ r->evsels[i].ids[k], &r->evsels[i] };
	qsort(r->ids, r->nr_ids, sizeof(*r->ids), cmp_id);

	/* Where the id sits, from the first attr (perf requires all attrs to agree). */
	{
		uint64_t t = r->evsels[0].attr.sample_type;

		r->sample_id_word = -1;
		r->trailer_id_back = 0;
		if (t & PERF_SAMPLE_IDENTIFIER) {
			r->sample_id_word = 0;
			r->trailer_id_back = 1;
		} else if (t & PERF_SAMPLE_ID) {
			r->sample_id_word = !!(t & PERF_SAMPLE_IP) + !!(t & PERF_SAMPLE_TID) +
				!!(t & PERF_SAMPLE_TIME) + !!(t & PERF_SAMPLE_ADDR);
			r->trailer_id_back = 1 + !!(t & PERF_SAMPLE_CPU) + !!(t & PERF_SAMPLE_STREAM_ID);
		}
		if (n > 1 && r->sample_id_word < 0)
			return corrupt(r, err, h->attrs.offset,
				       "%llu events but the first has no sample id", (unsigned long long)n);
	}
	return 0;
}

/* perf's header string: u32 len, then len bytes (NUL-padded). */
static int feat_string(struct pd_reader *r, const uint8_t **p, const uint8_t *end, char **out,
		       uint64_t *bad)
{
	uint32_t len;

	if (end - *p < 4) {
		*bad = (uint64_t)(*p - r->map);
		return -1;
	}
	len = rd32(*p);
	*p += 4;
	if ((uint64_t)(end - *p) < len) {
		*bad = (uint64_t)(*p - r->map) - 4;
		return -1;
	}
	*out = strndup((const char *)*p, len);
	*p += len;
	return *out ? 0 : -1;
}

static int parse_string_feat(struct pd_reader *r, int feat, char **out, struct error *err)
{
	const uint8_t *p, *end;
	uint64_t bad = 0;

	if (!r->feat[feat].size)
		return 0;
	p = r->map + r->feat[feat].offset;
	end = p + r->feat[feat].size;
	if (feat_string(r, &p, end, out, &bad))
		return corrupt(r, err, bad, "bad string in feature %d", feat);
	return 0;
}

static int parse_cmdline(struct pd_reader *r, struct error *err)
{
	const uint8_t *p = r->map + r->feat[PD_FEAT_CMDLINE].offset;
	const uint8_t *end = p + r->feat[PD_FEAT_CMDLINE].size;
	size_t len = 0, cap = 256;
	uint64_t bad = 0;
	uint32_t nr, i;

	if (end - p < 4)
		return corrupt(r, err, r->feat[PD_FEAT_CMDLINE].offset, "short cmdline feature");
	nr = rd32(p);
	p += 4;
	r->cmdline = calloc(1, cap);
	if (!r->cmdline)
		return error__nomem(err);
	for (i = 0; i < nr; i++) {
		char *s = NULL;
		size_t sl;

		if (feat_string(r, &p, end, &s, &bad))
			return corrupt(r, err, bad, "bad cmdline string %u", i);
		sl = strlen(s);
		if (ARRAY_GROW(r->cmdline, cap, len + sl + 2)) {
			free(s);
			return error__nomem(err);
		}
		if (i)
			r->cmdline[len++] = ' ';
		memcpy(r->cmdline + len, s, sl + 1);
		len += sl;
		free(s);
	}
	return 0;
}

/* EVENT_DESC: u32 nr, u32 attr_size; nr × {attr, u32 nr_ids, string name, u64 ids[]}. */
static int parse_event_desc(struct pd_reader *r, struct error *err)
{
	uint64_t base = r->feat[PD_FEAT_EVENT_DESC].offset;
	const uint8_t *p = r->map + base, *end = p + r->feat[PD_FEAT_EVENT_DESC].size;
	uint32_t nr, asz, i;
	uint64_t bad = 0;

	if (end - p < 8)
		return corrupt(r, err, base, "short event_desc feature");
	nr = rd32(p);
	asz = rd32(p + 4);
	p += 8;
	for (i = 0; i < nr; i++) {
		uint32_t nid;
		char *name = NULL;

		if ((uint64_t)(end - p) < (uint64_t)asz + 4)
			return corrupt(r, err, (uint64_t)(p - r->map), "event_desc entry %u truncated", i);
		p += asz;
		nid = rd32(p);
		p += 4;
		if (feat_string(r, &p, end, &name, &bad))
			return corrupt(r, err, bad, "bad event name in event_desc");
		if ((uint64_t)(end - p) / 8 < nid) {
			free(name);
			return corrupt(r, err, (uint64_t)(p - r->map), "event_desc ids truncated");
		}
		/* Match by the first id when there is one, else by position. */
		{
			struct pd_evsel *e = NULL;

			if (nid)
				e = pd_reader__evsel_by_id(r, rd64(p));
			if (!e && i < r->nr_evsels && (!nid || r->nr_evsels == 1))
				e = &r->evsels[i];
			if (e && name[0]) {
				free(e->name);
				e->name = name;
				name = NULL;
			}
		}
		free(name);
		p += (uint64_t)nid * 8;
	}
	return 0;
}

/* BUILD_ID: records {header; s32 pid; u8 id[24]; char filename[]} until the end. */
static int parse_build_ids(struct pd_reader *r, struct error *err)
{
	uint64_t off = r->feat[PD_FEAT_BUILD_ID].offset;
	uint64_t end = off + r->feat[PD_FEAT_BUILD_ID].size;
	size_t cap = 0;

	while (off < end) {
		struct perf_event_header h;
		struct pd_reader_build_id *b;
		size_t fl;

		if (end - off < sizeof(h) + 4 + 24)
			return corrupt(r, err, off, "build-id entry truncated");
		memcpy(&h, r->map + off, sizeof(h));
		if (h.size < sizeof(h) + 4 + 24 || h.size > end - off)
			return corrupt(r, err, off, "build-id entry of %u bytes", h.size);
		if (ARRAY_GROW(r->bids, cap, r->nr_bids + 1))
			return error__nomem(err);
		b = &r->bids[r->nr_bids];
		memset(b, 0, sizeof(*b));
		b->misc = h.misc;
		memcpy(&b->pid, r->map + off + 8, 4);
		memcpy(b->id, r->map + off + 12, 20);
		b->size = (h.misc & PD_MISC_BUILD_ID_SIZE) ? r->map[off + 32] : 20;
		if (b->size > 20)
			b->size = 20;
		fl = strnlen((const char *)r->map + off + 36, h.size - 36);
		b->filename = strndup((const char *)r->map + off + 36, fl);
		if (!b->filename)
			return error__nomem(err);
		r->nr_bids++;
		off += h.size;
	}
	return 0;
}

static int read_features(struct pd_reader *r, struct error *err)
{
	uint64_t idx = r->data_end, n = 0;
	int bit;

	for (bit = 0; bit < 256; bit++)
		if (r->hdr.features[bit / 64] & (1ULL << (bit % 64)))
			n++;
	if (!r->have_features || n == 0)
		return 0;
	if (!in_file(r, idx, n * 16))
		return corrupt(r, err, idx, "feature index of %llu entries runs past the end of the file",
			       (unsigned long long)n);
	for (bit = 0; bit < 256; bit++) {
		uint64_t off, size;

		if (!(r->hdr.features[bit / 64] & (1ULL << (bit % 64))))
			continue;
		off = rd64(r->map + idx);
		size = rd64(r->map + idx + 8);
		if (!in_file(r, off, size))
			return corrupt(r, err, idx, "feature %d section [%llu, +%llu) outside the file",
				       bit, (unsigned long long)off, (unsigned long long)size);
		r->feat[bit].offset = off;
		r->feat[bit].size = size;
		idx += 16;
	}
	if (parse_string_feat(r, PD_FEAT_HOSTNAME, &r->hostname, err) ||
	    parse_string_feat(r, PD_FEAT_OSRELEASE, &r->osrelease, err) ||
	    parse_string_feat(r, PD_FEAT_VERSION, &r->version, err) ||
	    parse_string_feat(r, PD_FEAT_ARCH, &r->arch, err))
		return err ? err->code : -EBADMSG;
	if (r->feat[PD_FEAT_CMDLINE].size && parse_cmdline(r, err))
		return err ? err->code : -EBADMSG;
	if (r->feat[PD_FEAT_EVENT_DESC].size && parse_event_desc(r, err))
		return err ? err->code : -EBADMSG;
	if (r->feat[PD_FEAT_BUILD_ID].size && parse_build_ids(r, err))
		return err ? err->code : -EBADMSG;
	return 0;
}

/* A file that holds a pipe stream (perf record -o - > FILE): read through a file-mode copy. */
static int open_pipe_file(struct pd_reader *r, struct stat *st, struct error *err)
{
	uint8_t head[16];
	int fd;

	if (pread(r->fd, head, sizeof(head), 0) != sizeof(head) || !pd_pipe__is_header(head))
		return 0;
	fd = pd_pipe__to_file(r->fd, r->path, err);
	if (fd < 0)
		return fd;
	close(r->fd);
	r->fd = fd;
	return fstat(fd, st) ? error__set(err, -errno, "%s: %s", r->path, strerror(errno)) : 0;
}

struct pd_reader *pd_reader__open(const char *path, struct error *err)
{
	struct pd_reader *r = calloc(1, sizeof(*r));
	struct stat st;
	size_t i;
	int ret;

	if (!r) {
		error__nomem(err);
		return NULL;
	}
	r->fd = -1;
	r->page = (uint64_t)sysconf(_SC_PAGESIZE);
	if (r->page == 0 || (r->page & (r->page - 1)))
		r->page = 4096;
	r->path = strdup(path);
	if (!r->path) {
		error__nomem(err);
		goto err;
	}
	if (!strcmp(path, "-")) {
		r->fd = pd_pipe__stdin(err);	/* a pipe stream there is converted first */
		if (r->fd < 0)
			goto err;
	} else {
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (r->fd < 0 || fstat(r->fd, &st)) {
		error__set(err, -errno, "%s: %s", path, strerror(errno));
		goto err;
	}
	if (S_ISREG(st.st_mode) && open_pipe_file(r, &st, err))
		goto err;
	if (!S_ISREG(st.st_mode)) {
		error__set(err, -EINVAL, "%s: not a regular file", path);
		goto err;
	}
	r->size = (uint64_t)st.st_size;
	if (r->size < 16) {
		corrupt(r, err, 0, "file of %llu bytes is too small for a perf.data header",
			(unsigned long long)r->size);
		goto err;
	}
	r->map = mmap(NULL, r->size, PROT_READ, MAP_PRIVATE, r->fd, 0);
	if (r->map == MAP_FAILED) {
		r->map = NULL;
		error__set(err, -errno, "%s: mmap: %s", path, strerror(errno));
		goto err;
	}
	memcpy(&r->hdr.magic, r->map, 8);
	if (r->hdr.magic == PERF_MAGIC2_SWAPPED) {
		error__set(err, -ENOTSUP, "%s: other-endian perf.data files are not supported", path);
		goto err;
	}
	if (r->hdr.magic != PERF_MAGIC2) {
		corrupt(r, err, 0, "bad magic (not a perf.data file)");
		goto err;
	}
	if (r->size < 72) {
		corrupt(r, err, 0, "header truncated");
		goto err;
	}
	memcpy(&r->hdr, r->map, r->size < sizeof(r->hdr) ? 72 : sizeof(r->hdr));
	if (r->hdr.size == 72) {
		memset(r->hdr.features, 0, sizeof(r->hdr.features));
	} else if (r->hdr.size != PERF_FILE_HEADER_SIZE || r->size < PERF_FILE_HEADER_SIZE) {
		corrupt(r, err, 8, "header size %llu (want 104)", (unsigned long long)r->hdr.size);
		goto err;
	}
	if (!in_file(r, r->hdr.data.offset, r->hdr.data.size)) {
		corrupt(r, err, 40, "data section [%llu, +%llu) outside the file of %llu bytes",
			(unsigned long long)r->hdr.data.offset, (unsigned long long)r->hdr.data.size,
			(unsigned long long)r->size);
		goto err;
	}
	r->data_off = r->hdr.data.offset;
	r->data_end = r->data_off + r->hdr.data.size;
	r->have_features = r->hdr.size == PERF_FILE_HEADER_SIZE;
	if (r->hdr.data.size == 0) {
		/* A killed recorder leaves size 0: read what is there, ignore features. */
		pr_warn("%s: data size field is 0, reading records to the end of the file", path);
		r->data_end = r->size;
		r->have_features = false;
	}
	ret = read_attrs(r, err);
	if (ret)
		goto err;
	ret = read_features(r, err);
	if (ret)
		goto err;
	for (i = 0; i < r->nr_evsels; i++) {
		if (!r->evsels[i].name)
			r->evsels[i].name = derive_name(&r->evsels[i].attr);
		if (!r->evsels[i].name) {
			error__nomem(err);
			goto err;
		}
	}
	r->pos = r->data_off;
	return r;
err:
	pd_reader__close(r);
	return NULL;
}

void pd_reader__close(struct pd_reader *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nr_evsels; i++) {
		free(r->evsels[i].ids);
		free(r->evsels[i].name);
	}
	free(r->evsels);
	free(r->ids);
	for (i = 0; i < r->nr_bids; i++)
		free(r->bids[i].filename);
	free(r->bids);
	free(r->hostname);
	free(r->osrelease);
	free(r->version);
	free(r->arch);
	free(r->cmdline);
	while (r->keep) {
		struct keep_buf *k = r->keep;

		r->keep = k->next;
		free(k);
	}
	free(r->zrem);
	if (r->zds)
		ZSTD_freeDStream(r->zds);
	if (r->map)
		munmap((void *)r->map, r->size);
	if (r->fd >= 0)
		close(r->fd);
	free(r->path);
	free(r);
}

int pd_reader__check_owner(const char *path, struct error *err)
{
	struct stat st;

	if (stat(path, &st) || !st.st_uid || st.st_uid == geteuid())
		return 0;
	return error__set(err, -EPERM, "File %s not owned by current user or root (use -f to override)",
			     path);
}

const char *pd_reader__path(const struct pd_reader *r) { return r->path; }
const struct pd_file_header *pd_reader__header(const struct pd_reader *r) { return &r->hdr; }
size_t pd_reader__nr_evsels(const struct pd_reader *r) { return r->nr_evsels; }
const char *pd_reader__hostname(const struct pd_reader *r) { return r->hostname; }
const char *pd_reader__osrelease(const struct pd_reader *r) { return r->osrelease; }
const char *pd_reader__perf_version(const struct pd_reader *r) { return r->version; }
const char *pd_reader__arch(const struct pd_reader *r) { return r->arch; }
const char *pd_reader__cmdline(const struct pd_reader *r) { return r->cmdline; }
size_t pd_reader__nr_build_ids(const struct pd_reader *r) { return r->nr_bids; }

struct pd_evsel *pd_reader__evsel(struct pd_reader *r, size_t idx)
{
	return idx < r->nr_evsels ? &r->evsels[idx] : NULL;
}

const struct pd_reader_build_id *pd_reader__build_id(const struct pd_reader *r, size_t i)
{
	return i < r->nr_bids ? &r->bids[i] : NULL;
}

const struct pd_reader_build_id *pd_reader__find_build_id(const struct pd_reader *r, const char *filename)
{
	size_t i;

	/* A handful of entries, looked up once per DSO. */
	for (i = 0; i < r->nr_bids; i++)
		if (!strcmp(r->bids[i].filename, filename))
			return &r->bids[i];
	return NULL;
}

bool pd_reader__has_feature(const struct pd_reader *r, int feat)
{
	return feat >= 0 && feat < 256 && r->feat[feat].size;
}

const void *pd_reader__feature(const struct pd_reader *r, int feat, uint64_t *size)
{
	if (!pd_reader__has_feature(r, feat))
		return NULL;
	*size = r->feat[feat].size;
	return r->map + r->feat[feat].offset;
}

uint64_t pd_reader__feature_offset(const struct pd_reader *r, int feat)
{
	return pd_reader__has_feature(r, feat) ? r->feat[feat].offset : 0;
}

/* Per record of a multi-event file: an exact-match search that stops at the id, which
 * util/bsearch.h's bounds (always log2(n) steps) do not. */
struct pd_evsel *pd_reader__evsel_by_id(struct pd_reader *r, uint64_t id)
{
	size_t lo = 0, hi = r->nr_ids;

	if (r->nr_evsels == 1 || id == 0)
		return &r->evsels[0];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (r->ids[mid].id < id)
			lo = mid + 1;
		else if (r->ids[mid].id > id)
			hi = mid;
		else
			return r->ids[mid].evsel;
	}
	return NULL;
}

void pd_reader__rewind(struct pd_reader *r)
{
	r->pos = r->data_off;
	r->released = 0;
	r->zp = r->zend = NULL;
	r->zrem_len = 0;
	/* the records' zstd stream starts over too */
	if (r->zds)
		ZSTD_initDStream(r->zds);
}

static struct keep_buf *keep_new(struct pd_reader *r, size_t len, uint64_t src_offset)
{
	struct keep_buf *k = malloc(sizeof(*k) + len);

	if (!k)
		return NULL;
	k->len = len;
	k->src_offset = src_offset;
	k->next = r->keep;
	r->keep = k;
	return k;
}

/* Inflate one COMPRESSED record; a record cut at the chunk's end waits for the next. */
static int inflate(struct pd_reader *r, uint64_t off, const uint8_t *src, size_t len,
		   struct error *err)
{
	size_t cap = r->zrem_len + len * 8 + 65536, n;
	struct keep_buf *k;
	ZSTD_inBuffer in = { src, len, 0 };
	const uint8_t *p, *end;

	if (!r->zds) {
		r->zds = ZSTD_createDStream();
		if (!r->zds || ZSTD_isError(ZSTD_initDStream(r->zds)))
			return error__set(err, -ENOMEM, "cannot set up zstd");
	}
	k = keep_new(r, cap, off);
	if (!k)
		return error__nomem(err);
	if (r->zrem_len)
		memcpy(k->data, r->zrem, r->zrem_len);
	n = r->zrem_len;
	for (;;) {
		ZSTD_outBuffer out = { k->data + n, cap - n, 0 };
		size_t ret = ZSTD_decompressStream(r->zds, &out, &in);

		if (ZSTD_isError(ret))
			return corrupt(r, err, off, "zstd: %s", ZSTD_getErrorName(ret));
		n += out.pos;
		/* a full buffer may leave output inside zstd even with all input taken */
		if (n < cap && in.pos >= in.size)
			break;
		if (n == cap) {
			struct keep_buf *bigger;

			if (cap >= (256u << 20))
				return corrupt(r, err, off, "COMPRESSED record inflates past 256 MiB");
			/* grow: replace the head buffer */
			r->keep = k->next;
			bigger = realloc(k, sizeof(*k) + cap * 2);
			if (!bigger) {
				free(k);
				return error__nomem(err);
			}
			k = bigger;
			cap *= 2;
			k->len = cap;
			k->next = r->keep;
			r->keep = k;
		}
	}
	/* Split off a trailing partial record. */
	p = k->data;
	end = k->data + n;
	while ((size_t)(end - p) >= sizeof(struct perf_event_header)) {
		struct perf_event_header h;

		/* odd-sized records before leave this one unaligned */
		memcpy(&h, p, sizeof(h));
		if (h.size < sizeof(h))
			return corrupt(r, err, off, "decompressed record of size %u", h.size);
		if (h.size > (size_t)(end - p))
			break;
		p += h.size;
	}
	r->zrem_len = (size_t)(end - p);
	if (ARRAY_GROW(r->zrem, r->zrem_cap, r->zrem_len))
		return error__nomem(err);
	if (r->zrem_len)
		memcpy(r->zrem, p, r->zrem_len);
	r->zp = k->data;
	r->zend = p;
	r->zsrc = off;
	return 0;
}

/* Fill evsel and time of a record; bounds of the trailer checked. */
static int classify(struct pd_reader *r, struct pd_record *rec, struct error *err)
{
	const struct perf_event_header *h = rec->hdr;
	struct pd_evsel *e = &r->evsels[0];
	uint64_t id = 0;

	rec->evsel = e;
	rec->time = 0;
	if (h->type == PERF_RECORD_SAMPLE) {
		if (r->sample_id_word >= 0) {
			if (h->size < sizeof(*h) + 8 * (unsigned)(r->sample_id_word + 1))
				return corrupt(r, err, rec->offset, "sample of %u bytes has no room for its id",
					       h->size);
			memcpy(&id, (const uint8_t *)(h + 1) + 8 * r->sample_id_word, 8);
		}
	} else if (h->type < PERF_RECORD_MAX && e->attr.sample_id_all) {
		if (h->size < sizeof(*h) + e->trailer_size)
			return corrupt(r, err, rec->offset, "%s record of %u bytes has no room for its sample_id",
				       pd_record__type_name(h->type) ?: "kernel", h->size);
		if (r->trailer_id_back)
			memcpy(&id, (const uint8_t *)h + h->size - 8 * r->trailer_id_back, 8);
	} else {
		return 0;
	}
	if (r->nr_evsels > 1) {
		e = pd_reader__evsel_by_id(r, id);
		if (!e)
			return corrupt(r, err, rec->offset, "%s record with unknown event id %llu",
				       pd_record__type_name(h->type) ?: "a", (unsigned long long)id);
		rec->evsel = e;
	}
	if (!(e->attr.sample_type & PERF_SAMPLE_TIME))
		return 0;
	if (h->type == PERF_RECORD_SAMPLE) {
		uint64_t t = e->attr.sample_type;
		unsigned w = !!(t & PERF_SAMPLE_IDENTIFIER) + !!(t & PERF_SAMPLE_IP) +
			     !!(t & PERF_SAMPLE_TID);

		if (h->size < sizeof(*h) + 8 * (w + 1))
			return corrupt(r, err, rec->offset, "sample of %u bytes has no room for its time",
				       h->size);
		memcpy(&rec->time, (const uint8_t *)(h + 1) + 8 * w, 8);
	} else if (e->attr.sample_id_all) {
		unsigned back = e->trailer_size / 8 - !!(e->attr.sample_type & PERF_SAMPLE_TID);

		if (h->size < sizeof(*h) + e->trailer_size)
			return corrupt(r, err, rec->offset, "record of %u bytes has no room for its sample_id",
				       h->size);
		memcpy(&rec->time, (const uint8_t *)h + h->size - 8 * back, 8);
	}
	return 0;
}

int pd_reader__next(struct pd_reader *r, struct pd_record *rec, struct error *err)
{
	struct perf_event_header h;

	for (;;) {
		if (r->zp && r->zp < r->zend) {
			const uint8_t *zh = r->zp;

			memcpy(&h, zh, sizeof(h));
			rec->hdr = (const void *)zh;
			rec->offset = r->zsrc;
			rec->decoded = true;
			r->zp += h.size;
			if ((uintptr_t)zh % 8) {
				struct keep_buf *k = keep_new(r, h.size, r->zsrc);

				if (!k)
					return error__nomem(err);
				memcpy(k->data, zh, h.size);
				rec->hdr = (const void *)k->data;
			}
			return classify(r, rec, err) ?: 1;
		}
		r->zp = r->zend = NULL;
		if (r->pos >= r->data_end)
			return 0;
		if (r->data_end - r->pos < sizeof(h))
			return corrupt(r, err, r->pos, "record header cut off by the end of data");
		memcpy(&h, r->map + r->pos, sizeof(h));
		if (h.size < sizeof(h))
			return corrupt(r, err, r->pos, "record of type %u with size %u", h.type, h.size);
		if (h.size > r->data_end - r->pos)
			return corrupt(r, err, r->pos, "record of type %u and %u bytes runs past the end of data",
				       h.type, h.size);
		rec->offset = r->pos;
		rec->decoded = false;
		rec->hdr = (const void *)(r->map + r->pos);
		if (r->pos % 8) {
			/* unaligned (odd-sized records before): keep an aligned copy */
			struct keep_buf *k = keep_new(r, h.size, r->pos);

			if (!k)
				return error__nomem(err);
			memcpy(k->data, r->map + r->pos, h.size);
			rec->hdr = (const void *)k->data;
		}
		r->pos += h.size;
		if (h.type == PD_RECORD_AUXTRACE || h.type == PD_RECORD_HEADER_TRACING_DATA) {
			/* payload outside header.size */
			uint64_t extra;

			if (h.type == PD_RECORD_AUXTRACE) {
				if (h.size < 16)
					return corrupt(r, err, rec->offset, "short AUXTRACE record");
				extra = rd64(r->map + rec->offset + 8);
			} else {
				if (h.size < 12)
					return corrupt(r, err, rec->offset, "short TRACING_DATA record");
				extra = rd32(r->map + rec->offset + 8);
			}
			if (extra > r->data_end - r->pos)
				return corrupt(r, err, rec->offset, "payload of %llu bytes runs past the end of data",
					       (unsigned long long)extra);
			r->pos += extra;
		}
		if (h.type == PD_RECORD_COMPRESSED) {
			int ret = inflate(r, rec->offset, (const uint8_t *)rec->hdr + sizeof(h),
					  h.size - sizeof(h), err);

			if (ret)
				return ret;
			continue;
		}
		return classify(r, rec, err) ?: 1;
	}
}

void pd_reader__release(struct pd_reader *r, uint64_t before)
{
	uint64_t page = r->page;
	struct keep_buf **kp = &r->keep;
	uint64_t end;

	if (before > r->pos)
		before = r->pos;
	/* Buffers are made in file order, newest first: the old tail goes. */
	while (*kp && (*kp)->src_offset >= before)
		kp = &(*kp)->next;
	while (*kp) {
		struct keep_buf *k = *kp;

		*kp = k->next;
		free(k);
	}
	/* A private, never-written file mapping: dropped pages read back from the file if
	 * touched again, so this only lowers the resident set. Small steps are not worth
	 * the call. */
	end = before & ~(page - 1);
	if (end < r->released + PD_RELEASE_STEP)
		return;
	if (madvise((void *)(r->map + r->released), end - r->released, MADV_DONTNEED) == 0)
		r->released = end;
}

static const char *const kernel_names[] = {
	[PERF_RECORD_MMAP] = "MMAP", [PERF_RECORD_LOST] = "LOST", [PERF_RECORD_COMM] = "COMM",
	[PERF_RECORD_EXIT] = "EXIT", [PERF_RECORD_THROTTLE] = "THROTTLE",
	[PERF_RECORD_UNTHROTTLE] = "UNTHROTTLE", [PERF_RECORD_FORK] = "FORK",
	[PERF_RECORD_READ] = "READ", [PERF_RECORD_SAMPLE] = "SAMPLE", [PERF_RECORD_MMAP2] = "MMAP2",
	[PERF_RECORD_AUX] = "AUX", [PERF_RECORD_ITRACE_START] = "ITRACE_START",
	[PERF_RECORD_LOST_SAMPLES] = "LOST_SAMPLES", [PERF_RECORD_SWITCH] = "SWITCH",
	[PERF_RECORD_SWITCH_CPU_WIDE] = "SWITCH_CPU_WIDE", [PERF_RECORD_NAMESPACES] = "NAMESPACES",
	[PERF_RECORD_KSYMBOL] = "KSYMBOL", [PERF_RECORD_BPF_EVENT] = "BPF_EVENT",
	[PERF_RECORD_CGROUP] = "CGROUP", [PERF_RECORD_TEXT_POKE] = "TEXT_POKE",
	[PERF_RECORD_AUX_OUTPUT_HW_ID] = "AUX_OUTPUT_HW_ID",
};
static const char *const user_names[] = {
	"ATTR", "EVENT_TYPE", "TRACING_DATA", "BUILD_ID", "FINISHED_ROUND", "ID_INDEX",
	"AUXTRACE_INFO", "AUXTRACE", "AUXTRACE_ERROR", "THREAD_MAP", "CPU_MAP", "STAT_CONFIG",
	"STAT", "STAT_ROUND", "EVENT_UPDATE", "TIME_CONV", "FEATURE", "COMPRESSED", "FINISHED_INIT",
};

const char *pd_record__type_name(uint32_t type)
{
	if (type < sizeof(kernel_names) / sizeof(kernel_names[0]))
		return kernel_names[type];
	if (type >= 64 && type - 64 < sizeof(user_names) / sizeof(user_names[0]))
		return user_names[type - 64];
	return NULL;
}
