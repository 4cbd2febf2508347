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
#include "util/unaligned.h"

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

/* Least mapping given back at once by pd_reader__release(): the file's pages behind the
 * reader stay resident until then (4 MB took a 283K-sample preport's peak RSS 3.5 MB over
 * 1 MB, for no time measured). */
#define PD_RELEASE_STEP (1u << 20)

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
	bool feat_dropped[PD_FEAT_BITS];
	bool features_lost;		/* the feature index was cut off */

	/* the end of what could be read (see pd_reader__next) */
	uint64_t unread;		/* bytes of the data section left unread at a cut */
	uint64_t nr_skipped;		/* records skipped as undecodable */
	char first_skip[160];		/* why the first was skipped */
	bool end_told;

	char *hostname, *osrelease, *version, *arch, *cmdline;
	struct pd_reader_build_id *bids;
	size_t nr_bids;

	/* walking */
	uint64_t pos;
	struct keep_buf *keep;		/* decoded / realigned buffers, newest first */
	uint64_t released;		/* mapping pages before this offset given back */
	uint64_t page;			/* page size */
	pd_release_fn release_hook;	/* pd_reader__set_release_hook */
	void *release_ctx;
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
		uint32_t asz = unaligned_u32(r->map + off + 4);
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
		ioff = unaligned_u64(r->map + off + asz);
		isz = unaligned_u64(r->map + off + asz + 8);
		if (isz % 8 || !in_file(r, ioff, isz)) {
			/* one event needs no ids (perf reads such a file); with more, the records
			 * of this one are found by id no more and are counted as left out */
			pr_warn("%s: the ids of event %llu [%llu, +%llu) lie outside the file: ignored",
				r->path, (unsigned long long)i, (unsigned long long)ioff,
				(unsigned long long)isz);
			isz = 0;
		}
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
	array__sort(r->ids, r->nr_ids, sizeof(*r->ids), cmp_id);

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
	len = unaligned_u32(*p);
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
	nr = unaligned_u32(p);
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
	nr = unaligned_u32(p);
	asz = unaligned_u32(p + 4);
	p += 8;
	for (i = 0; i < nr; i++) {
		uint32_t nid;
		char *name = NULL;

		if ((uint64_t)(end - p) < (uint64_t)asz + 4)
			return corrupt(r, err, (uint64_t)(p - r->map), "event_desc entry %u truncated", i);
		p += asz;
		nid = unaligned_u32(p);
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
				e = pd_reader__evsel_by_id(r, unaligned_u64(p));
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

static const char *const feat_names[PD_FEAT_LAST] = {
	[PD_FEAT_TRACING_DATA] = "tracing_data", [PD_FEAT_BUILD_ID] = "build_id",
	[PD_FEAT_HOSTNAME] = "hostname", [PD_FEAT_OSRELEASE] = "osrelease",
	[PD_FEAT_VERSION] = "version", [PD_FEAT_ARCH] = "arch", [PD_FEAT_NRCPUS] = "nrcpus",
	[PD_FEAT_CPUDESC] = "cpudesc", [PD_FEAT_CPUID] = "cpuid", [PD_FEAT_TOTAL_MEM] = "total_mem",
	[PD_FEAT_CMDLINE] = "cmdline", [PD_FEAT_EVENT_DESC] = "event_desc",
	[PD_FEAT_CPU_TOPOLOGY] = "cpu_topology", [PD_FEAT_NUMA_TOPOLOGY] = "numa_topology",
	[PD_FEAT_BRANCH_STACK] = "branch_stack", [PD_FEAT_PMU_MAPPINGS] = "pmu_mappings",
	[PD_FEAT_GROUP_DESC] = "group_desc", [PD_FEAT_AUXTRACE] = "auxtrace", [PD_FEAT_STAT] = "stat",
	[PD_FEAT_CACHE] = "cache", [PD_FEAT_SAMPLE_TIME] = "sample_time",
	[PD_FEAT_MEM_TOPOLOGY] = "mem_topology", [PD_FEAT_CLOCKID] = "clockid",
	[PD_FEAT_DIR_FORMAT] = "dir_format", [PD_FEAT_BPF_PROG_INFO] = "bpf_prog_info",
	[PD_FEAT_BPF_BTF] = "bpf_btf", [PD_FEAT_COMPRESSED] = "compressed",
	[PD_FEAT_CPU_PMU_CAPS] = "cpu_pmu_caps", [PD_FEAT_CLOCK_DATA] = "clock_data",
	[PD_FEAT_HYBRID_TOPOLOGY] = "hybrid_topology", [PD_FEAT_PMU_CAPS] = "pmu_caps",
};

const char *pd_reader__feature_name(int feat)
{
	if (feat == PD_FEAT_EMBEDDED_SYMBOLS)
		return "embedded_symbols";
	if (feat == PD_FEAT_NS_PIDS)
		return "ns_pids";
	return feat > 0 && feat < PD_FEAT_LAST ? feat_names[feat] : NULL;
}

/* A feature that cannot be used: say so once, naming it, and go on without it. */
static void drop_feature(struct pd_reader *r, int feat, const struct error *why)
{
	pr_warn("%s: feature %s ignored (%s)", r->path, pd_reader__feature_name(feat) ?: "?",
		why->msg[0] ? why->msg : "unreadable");
	r->feat[feat].offset = r->feat[feat].size = 0;
	r->feat_dropped[feat] = true;
}

static bool is_finished(const struct pd_reader *r)
{
	return r->hdr.data.size && (r->hdr.features[0] & (1ULL << PD_FEAT_HOSTNAME));
}

/* A file its recorder never finished (killed, out of disk): one line naming what it lacks. */
static void warn_unfinished(struct pd_reader *r)
{
	static const int wanted[] = { PD_FEAT_BUILD_ID, PD_FEAT_HOSTNAME, PD_FEAT_OSRELEASE,
				      PD_FEAT_ARCH, PD_FEAT_CMDLINE, PD_FEAT_EVENT_DESC };
	char miss[256] = "";
	size_t len = 0, i;
	bool tp = false;

	for (i = 0; i < r->nr_evsels; i++)
		tp |= r->evsels[i].attr.type == PERF_TYPE_TRACEPOINT;
	for (i = 0; i < sizeof(wanted) / sizeof(wanted[0]) + tp; i++) {
		int f = i < sizeof(wanted) / sizeof(wanted[0]) ? wanted[i] : PD_FEAT_TRACING_DATA;

		if (!r->feat[f].size && len < sizeof(miss))
			len += (size_t)snprintf(miss + len, sizeof(miss) - len, "%s%s", len ? ", " : "",
						feat_names[f]);
	}
	pr_warn("%s: the recording was not finished (recorder killed or out of disk?)%s; "
		"missing features: %s", r->path,
		r->hdr.data.size ? "" : ": data size is 0, reading records to the end of the file",
		miss[0] ? miss : "none");
}

static int parse_features(struct pd_reader *r)
{
	struct error why;
	int f;

	for (f = PD_FEAT_HOSTNAME; f <= PD_FEAT_ARCH; f++) {
		char **out = f == PD_FEAT_HOSTNAME ? &r->hostname : f == PD_FEAT_OSRELEASE ? &r->osrelease :
			     f == PD_FEAT_VERSION ? &r->version : f == PD_FEAT_ARCH ? &r->arch : NULL;

		if (!out)
			continue;
		error__clear(&why);
		if (parse_string_feat(r, f, out, &why) == -ENOMEM)
			return -ENOMEM;
		if (why.code)
			drop_feature(r, f, &why);
	}
	error__clear(&why);
	if (r->feat[PD_FEAT_CMDLINE].size && parse_cmdline(r, &why)) {
		if (why.code == -ENOMEM)
			return -ENOMEM;
		free(r->cmdline);
		r->cmdline = NULL;
		drop_feature(r, PD_FEAT_CMDLINE, &why);
	}
	error__clear(&why);
	if (r->feat[PD_FEAT_EVENT_DESC].size && parse_event_desc(r, &why)) {
		if (why.code == -ENOMEM)
			return -ENOMEM;
		drop_feature(r, PD_FEAT_EVENT_DESC, &why);	/* names set so far are kept */
	}
	error__clear(&why);
	if (r->feat[PD_FEAT_BUILD_ID].size && parse_build_ids(r, &why)) {
		if (why.code == -ENOMEM)
			return -ENOMEM;
		drop_feature(r, PD_FEAT_BUILD_ID, &why);	/* entries before the bad one are kept */
	}
	return 0;
}

/* The feature index and the sections it points at. Damage here costs the damaged
 * features only (perf reports such files in full): each is named once and left out. */
static int read_features(struct pd_reader *r, struct error *err)
{
	uint64_t idx = r->data_end, n = 0, unknown = 0;
	int bit, first_unknown = -1;

	for (bit = 0; bit < 256; bit++)
		if (r->hdr.features[bit / 64] & (1ULL << (bit % 64)))
			n++;
	if (!r->have_features || n == 0)
		return 0;
	if (!in_file(r, idx, n * 16)) {
		pr_warn("%s: feature index of %llu entries at offset %llu runs past the end of the file "
			"(truncated?): features ignored", r->path, (unsigned long long)n,
			(unsigned long long)idx);
		r->features_lost = true;
		return 0;
	}
	for (bit = 0; bit < 256; bit++) {
		uint64_t off, size;

		if (!(r->hdr.features[bit / 64] & (1ULL << (bit % 64))))
			continue;
		off = unaligned_u64(r->map + idx);
		size = unaligned_u64(r->map + idx + 8);
		idx += 16;
		if (bit == 0 || (bit >= PD_FEAT_LAST && bit != PD_FEAT_EMBEDDED_SYMBOLS && bit != PD_FEAT_NS_PIDS)) {
			if (!unknown++)
				first_unknown = bit;
			continue;
		}
		if (!in_file(r, off, size)) {
			struct error why;

			error__set(&why, -EBADMSG, "section [%llu, +%llu) outside the file of %llu bytes",
				   (unsigned long long)off, (unsigned long long)size,
				   (unsigned long long)r->size);
			drop_feature(r, bit, &why);
			continue;
		}
		r->feat[bit].offset = off;
		r->feat[bit].size = size;
	}
	if (unknown)
		pr_warn("%s: feature bit %d%s unknown to this reader, skipped (a newer perf?)", r->path,
			first_unknown, unknown > 1 ? " and others" : "");
	return parse_features(r) ? error__nomem(err) : 0;
}

/* A pipe-mode stream (perf record -o -): read through its file-mode image in an anonymous
 * memory file (perfdata/pipe_reader.h), which replaces the mapping; messages keep the path. */
static int from_pipe_mode(struct pd_reader *r, struct error *err)
{
	int fd = memfd_create("perf.data-from-pipe", MFD_CLOEXEC), ret;
	struct error why = { 0 };
	struct stat st;
	void *map;

	if (fd < 0)
		return error__set(err, -errno, "%s: memfd_create: %s", r->path, strerror(errno));
	ret = pd_pipe__convert(r->map, r->size, fd, &why);
	if (ret) {
		close(fd);
		return error__set(err, ret, "%s: %s", r->path, why.msg[0] ? why.msg : strerror(-ret));
	}
	if (fstat(fd, &st) || (map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
		ret = -errno;
		close(fd);
		return error__set(err, ret, "%s: %s", r->path, strerror(-ret));
	}
	munmap((void *)r->map, r->size);
	close(r->fd);
	r->fd = fd;
	r->map = map;
	r->size = (uint64_t)st.st_size;
	return 0;
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
		r->fd = pd_pipe__stdin(err);	/* a pipe is kept in a file first */
		if (r->fd < 0)
			goto err;
	} else {
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (r->fd < 0 || fstat(r->fd, &st)) {
		error__set(err, -errno, "%s: %s", path, strerror(errno));
		goto err;
	}
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
	if (unaligned_u64(r->map + 8) == 16 && from_pipe_mode(r, err))
		goto err;
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
	if (r->hdr.data.offset > r->size || r->hdr.data.offset < r->hdr.size) {
		corrupt(r, err, 40, "data section at offset %llu, outside the file of %llu bytes",
			(unsigned long long)r->hdr.data.offset, (unsigned long long)r->size);
		goto err;
	}
	r->data_off = r->hdr.data.offset;
	r->data_end = r->data_off + r->hdr.data.size;
	r->have_features = r->hdr.size == PERF_FILE_HEADER_SIZE;
	if (r->hdr.data.size == 0) {
		/* A killed recorder leaves size 0: read what is there, ignore features. */
		r->data_end = r->size;
		r->have_features = false;
	} else if (!in_file(r, r->data_off, r->hdr.data.size)) {
		/* cut short (a copy interrupted, a full disk): the records that are there count */
		pr_warn("%s: data section claims %llu bytes but the file ends %llu bytes after its start "
			"(truncated file): reading what is there", path,
			(unsigned long long)r->hdr.data.size, (unsigned long long)(r->size - r->data_off));
		r->data_end = r->size;
		r->have_features = false;
		r->features_lost = true;
	}
	ret = read_attrs(r, err);
	if (ret)
		goto err;
	ret = read_features(r, err);
	if (ret)
		goto err;
	if (!is_finished(r) && !r->features_lost && r->hdr.size == PERF_FILE_HEADER_SIZE)
		warn_unfinished(r);
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
	r->unread = r->nr_skipped = 0;
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

/* The record stream cannot go on at @at (a record cut by the end of the data, a size that
 * makes no sense): every whole record before it was delivered; the rest is counted. */
static int cut(struct pd_reader *r, uint64_t at, const char *what)
{
	r->unread += r->data_end - at;
	if (!r->end_told)
		pr_warn("%s: %s at offset %llu: %llu bytes of data left unread", r->path, what,
		(unsigned long long)at, (unsigned long long)(r->data_end - at));
	r->pos = r->data_end;
	r->zp = r->zend = NULL;
	return 0;
}

/* A record whose own fields are bad is left out and counted; the walk goes on. */
static void skip(struct pd_reader *r, const struct error *why)
{
	if (!r->nr_skipped++)
		snprintf(r->first_skip, sizeof(r->first_skip), "%s", why->msg);
}

static int at_end(struct pd_reader *r)
{
	if (r->nr_skipped && !r->end_told)
		pr_warn("%s: %llu undecodable records left out (the first: %s)", r->path,
			(unsigned long long)r->nr_skipped, r->first_skip);
	r->end_told = true;
	return 0;
}

uint64_t pd_reader__unread(const struct pd_reader *r) { return r->unread; }
uint64_t pd_reader__nr_skipped(const struct pd_reader *r) { return r->nr_skipped; }

int pd_reader__next(struct pd_reader *r, struct pd_record *rec, struct error *err)
{
	struct perf_event_header h;
	struct error why;	/* filled only when a record fails (not cleared per record) */
	int ret;

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
			if (classify(r, rec, &why)) {
				skip(r, &why);
				continue;
			}
			return 1;
		}
		r->zp = r->zend = NULL;
		if (r->pos >= r->data_end)
			return at_end(r);
		if (r->data_end - r->pos < sizeof(h)) {
			cut(r, r->pos, "record header cut off by the end of the data");
			continue;
		}
		memcpy(&h, r->map + r->pos, sizeof(h));
		if (h.size < sizeof(h)) {
			char what[80];

			snprintf(what, sizeof(what), "record of type %u with size %u", h.type, h.size);
			cut(r, r->pos, what);
			continue;
		}
		if (h.size > r->data_end - r->pos) {
			char what[100];

			snprintf(what, sizeof(what), "record of type %u and %u bytes cut off by the end of the data",
				 h.type, h.size);
			cut(r, r->pos, what);
			continue;
		}
		rec->offset = r->pos;
		rec->decoded = false;
		rec->hdr = (const void *)(r->map + r->pos);
		if (h.type == PD_RECORD_AUXTRACE || h.type == PD_RECORD_HEADER_TRACING_DATA) {
			/* payload outside header.size */
			uint64_t extra, room = r->data_end - r->pos - h.size;

			if (h.size < (h.type == PD_RECORD_AUXTRACE ? 16 : 12)) {
				cut(r, r->pos, h.type == PD_RECORD_AUXTRACE ? "short AUXTRACE record" :
								       "short TRACING_DATA record");
				continue;
			}
			extra = h.type == PD_RECORD_AUXTRACE ? unaligned_u64(r->map + r->pos + 8) :
							       unaligned_u32(r->map + r->pos + 8);
			if (extra > room) {
				cut(r, r->pos, "record payload cut off by the end of the data");
				continue;
			}
			r->pos += extra;
		}
		if (rec->offset % 8) {
			/* unaligned (odd-sized records before): keep an aligned copy */
			struct keep_buf *k = keep_new(r, h.size, rec->offset);

			if (!k)
				return error__nomem(err);
			memcpy(k->data, r->map + rec->offset, h.size);
			rec->hdr = (const void *)k->data;
		}
		r->pos += h.size;
		if (h.type == PD_RECORD_COMPRESSED) {
			ret = inflate(r, rec->offset, (const uint8_t *)rec->hdr + sizeof(h),
				      h.size - sizeof(h), &why);
			if (ret == -ENOMEM)
				return error__nomem(err);
			if (ret) {
				/* this frame is lost; the next starts a fresh zstd stream */
				skip(r, &why);
				r->zp = r->zend = NULL;
				r->zrem_len = 0;
				if (r->zds)
					ZSTD_initDStream(r->zds);
			}
			continue;
		}
		if (classify(r, rec, &why)) {
			skip(r, &why);
			continue;
		}
		return 1;
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

void pd_reader__set_release_hook(struct pd_reader *r, pd_release_fn fn, void *ctx)
{
	r->release_hook = fn;
	r->release_ctx = ctx;
}

void pd_reader__walk_release(struct pd_reader *r, uint64_t before)
{
	if (r->release_hook)
		r->release_hook(r->release_ctx, before);
	else
		pd_reader__release(r, before);
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
