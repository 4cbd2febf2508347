/* Owns reading pipe-mode perf.data (perfdata/pipe_reader.h): keeping standard input in a
 * file for "-i -", and turning a pipe-mode stream (perf record -o -: a 16-byte header, attrs
 * as HEADER_ATTR records, features as HEADER_FEATURE records, build-ids as HEADER_BUILD_ID
 * records, tracing data as a record with its payload after it, no data size) into the
 * file-mode layout the reader walks: header | ids | attrs | the other records as the data
 * section | feature index | feature payloads. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "perfdata/format.h"
#include "perfdata/pipe_reader.h"
#include "util/array.h"
#include "util/fdio.h"

#define COPY_BUF (1u << 20)

bool pd_pipe__is_header(const void *first16)
{
	uint64_t v[2];

	memcpy(v, first16, 16);
	return v[0] == PERF_MAGIC2 && v[1] == 16;
}

/* An unlinked file for the copy. */
static int tmp_file(void)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	snprintf(path, sizeof(path), "%s/perfdata-stdin-XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	unlink(path);
	return fd;
}

/* Copy all of fd 0 into @fd; 0 or -errno with @err set. */
static int copy_stdin(int fd, struct error *err)
{
	char *buf = malloc(COPY_BUF);
	uint64_t off = 0;
	int ret = 0;

	if (!buf)
		return error__nomem(err);
	for (;;) {
		ssize_t n = read(STDIN_FILENO, buf, COPY_BUF);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = error__set(err, -errno, "standard input: %s", strerror(errno));
			break;
		}
		if (n == 0)
			break;
		if ((ret = fdio__pwrite_all(fd, buf, (size_t)n, off))) {
			error__set(err, ret, "copying standard input to a temporary file: %s", strerror(-ret));
			break;
		}
		off += (uint64_t)n;
	}
	free(buf);
	return ret;
}

int pd_pipe__stdin(struct error *err)
{
	struct stat st;
	int fd;

	if (fstat(STDIN_FILENO, &st))
		return error__set(err, -errno, "standard input: %s", strerror(errno));
	if (!S_ISREG(st.st_mode)) {
		fd = tmp_file();
		if (fd < 0)
			return error__set(err, fd, "cannot create a temporary copy of standard input in $TMPDIR"
					  " or /tmp: %s", strerror(-fd));
		if (copy_stdin(fd, err) || dup2(fd, STDIN_FILENO) < 0) {
			if (!err->code)
				error__set(err, -errno, "standard input: %s", strerror(errno));
			close(fd);
			return err->code;
		}
		close(fd);
	}
	fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return error__set(err, -errno, "standard input: %s", strerror(errno));
	return fd;
}


struct pipe_attr {
	const uint8_t *attr;	/* in the stream */
	uint32_t attr_size;
	const uint8_t *ids;
	uint64_t nr_ids;
};

struct pipe_scan {
	struct pipe_attr *attrs;
	size_t nr_attrs, cap;
	const uint8_t *feat[PD_FEAT_LAST];
	uint64_t feat_size[PD_FEAT_LAST];
	uint64_t data_bytes;
	const uint8_t **bids;	/* HEADER_BUILD_ID records: the BUILD_ID feature's entries */
	size_t nr_bids, bids_cap;
	uint64_t bid_bytes;
};

/* What a record at @pos is: 1 a header record taken into the scan, 0 a record for the data
 * section, -1 the stream ends here (cut or nonsense: the rest goes to the data section, where
 * the reader says how much of it could not be read). *@next: where the next record starts. */
static int classify(struct pipe_scan *s, const uint8_t *in, uint64_t len, uint64_t pos,
		    uint64_t *next)
{
	struct perf_event_header h;
	uint64_t v;

	if (len - pos < sizeof(h))
		return -1;
	memcpy(&h, in + pos, sizeof(h));
	if (h.size < sizeof(h) || h.size > len - pos)
		return -1;
	*next = pos + h.size;
	switch (h.type) {
	case PD_RECORD_HEADER_ATTR: {
		struct pipe_attr *a;
		uint32_t asz;

		if (h.size < 8 + 64)
			return -1;
		memcpy(&asz, in + pos + 8 + 4, 4);
		if (asz == 0)
			asz = 64;
		if (asz < 64 || asz > h.size - 8u)
			return -1;
		if (ARRAY_GROW(s->attrs, s->cap, s->nr_attrs + 1))
			return -2;
		a = &s->attrs[s->nr_attrs++];
		a->attr = in + pos + 8;
		a->attr_size = asz;
		a->ids = in + pos + 8 + asz;
		a->nr_ids = (h.size - 8u - asz) / 8;
		return 1;
	}
	case PD_RECORD_HEADER_FEATURE:
		if (h.size < 16)
			return -1;
		memcpy(&v, in + pos + 8, 8);
		if (v > 0 && v < PD_FEAT_LAST) {
			s->feat[v] = in + pos + 16;
			s->feat_size[v] = h.size - 16u;
		}
		return 1;
	case PD_RECORD_HEADER_BUILD_ID:
		/* the same entry as in the feature section, where its type is 0 */
		if (h.size < sizeof(h) + 4 + 24)
			return -1;
		if (ARRAY_GROW(s->bids, s->bids_cap, s->nr_bids + 1))
			return -2;
		s->bids[s->nr_bids++] = in + pos;
		s->bid_bytes += h.size;
		return 1;
	case PD_RECORD_HEADER_TRACING_DATA: {
		uint32_t size;

		if (h.size < 12)
			return -1;
		memcpy(&size, in + pos + 8, 4);
		if (size > len - *next)
			return -1;
		s->feat[PD_FEAT_TRACING_DATA] = in + *next;
		s->feat_size[PD_FEAT_TRACING_DATA] = size;
		*next += size;
		return 1;
	}
	default:
		return 0;
	}
}

/* The stream's HEADER_BUILD_ID records as BUILD_ID feature entries (type 0) at *@off, so
 * that a piped recording resolves by build-id as a file does. */
static int put_build_ids(const struct pipe_scan *s, int fd, uint64_t *off)
{
	for (size_t i = 0; i < s->nr_bids; i++) {
		struct perf_event_header h;
		int ret;

		memcpy(&h, s->bids[i], sizeof(h));
		h.type = 0;
		if ((ret = fdio__pwrite_all(fd, &h, sizeof(h), *off)) ||
		    (ret = fdio__pwrite_all(fd, s->bids[i] + sizeof(h), h.size - sizeof(h), *off + sizeof(h))))
			return ret;
		*off += h.size;
	}
	return 0;
}

int pd_pipe__convert(const uint8_t *in, uint64_t len, int fd, struct error *err)
{
	struct pipe_scan s = { 0 }, again = { 0 };
	struct pd_file_header h = { 0 };
	struct pd_section idx[PD_FEAT_LAST];
	uint64_t pos, next = 0, off, attr_slot = PERF_ATTR_SIZE_WRITE + sizeof(struct pd_section);
	uint64_t ids_off, attrs_off, data_off, d;
	int kind = 0, ret = 0, nr_feat = 0;

	/* pass 1: attrs, features and how big the data section is */
	for (pos = 16; pos < len; pos = next) {
		kind = classify(&s, in, len, pos, &next);
		if (kind == -2) {
			ret = error__nomem(err);
			goto out;
		}
		if (kind < 0) {
			s.data_bytes += len - pos;
			break;
		}
		if (kind == 0)
			s.data_bytes += next - pos;
	}
	if (!s.nr_attrs) {
		ret = error__set(err, -EBADMSG, "pipe-mode stream without an event attr");
		goto out;
	}
	/* layout */
	ids_off = PERF_FILE_HEADER_SIZE;
	off = ids_off;
	for (size_t i = 0; i < s.nr_attrs; i++)
		off += s.attrs[i].nr_ids * 8;
	attrs_off = off;
	data_off = (attrs_off + s.nr_attrs * attr_slot + 7) & ~7ULL;
	h.magic = PERF_MAGIC2;
	h.size = PERF_FILE_HEADER_SIZE;
	h.attr_size = attr_slot;
	h.attrs.offset = attrs_off;
	h.attrs.size = s.nr_attrs * attr_slot;
	h.data.offset = data_off;
	h.data.size = s.data_bytes;
	/* ids and attrs */
	off = ids_off;
	for (size_t i = 0; i < s.nr_attrs; i++) {
		uint8_t slot[PERF_ATTR_SIZE_WRITE + sizeof(struct pd_section)] = { 0 };
		struct pd_section ids = { off, s.attrs[i].nr_ids * 8 };
		uint32_t n = s.attrs[i].attr_size < PERF_ATTR_SIZE_WRITE ? s.attrs[i].attr_size :
									  PERF_ATTR_SIZE_WRITE;
		uint32_t asz = PERF_ATTR_SIZE_WRITE;

		if ((ret = fdio__pwrite_all(fd, s.attrs[i].ids, (size_t)ids.size, off)))
			goto io;
		off += ids.size;
		memcpy(slot, s.attrs[i].attr, n);
		memcpy(slot + 4, &asz, 4);
		memcpy(slot + PERF_ATTR_SIZE_WRITE, &ids, sizeof(ids));
		if ((ret = fdio__pwrite_all(fd, slot, sizeof(slot), attrs_off + i * attr_slot)))
			goto io;
	}
	/* pass 2: the data section, records in stream order */
	d = data_off;
	for (pos = 16; pos < len; pos = next) {
		kind = classify(&again, in, len, pos, &next);
		if (kind == -2) {
			ret = -ENOMEM;
			goto io;
		}
		if (kind < 0)
			next = len;
		if (kind <= 0) {
			if ((ret = fdio__pwrite_all(fd, in + pos, (size_t)(next - pos), d)))
				goto io;
			d += next - pos;
		}
	}
	/* features after the data, HOSTNAME and the others as the stream gave them */
	off = d;
	for (int f = 1; f < PD_FEAT_LAST; f++)
		nr_feat += s.feat[f] != NULL || (f == PD_FEAT_BUILD_ID && s.nr_bids);
	off += (uint64_t)nr_feat * sizeof(idx[0]);
	nr_feat = 0;
	for (int f = 1; f < PD_FEAT_LAST; f++) {
		uint64_t start = off;

		if (!s.feat[f] && !(f == PD_FEAT_BUILD_ID && s.nr_bids))
			continue;
		if (s.feat[f] && (ret = fdio__pwrite_all(fd, s.feat[f], (size_t)s.feat_size[f], off)))
			goto io;
		off += s.feat[f] ? s.feat_size[f] : 0;
		if (f == PD_FEAT_BUILD_ID && (ret = put_build_ids(&s, fd, &off)))
			goto io;
		idx[nr_feat++] = (struct pd_section){ start, off - start };
		h.features[f / 64] |= 1ULL << (f % 64);
	}
	if ((ret = fdio__pwrite_all(fd, idx, (size_t)nr_feat * sizeof(idx[0]), d)) ||
	    (ret = fdio__pwrite_all(fd, &h, sizeof(h), 0)))
		goto io;
	goto out;
io:
	error__set(err, ret, "converting the pipe-mode stream: %s", strerror(-ret));
out:
	free(s.attrs);
	free(again.attrs);
	free(s.bids);
	free(again.bids);
	return ret;
}
