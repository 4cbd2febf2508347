/* Owns turning a pipe-mode perf.data stream (perf record -o -: a 16-byte header, attrs as
 * HEADER_ATTR records, features as HEADER_FEATURE records, tracing data as a record with its
 * payload after it, no data size) into the file-mode layout the reader walks: header | ids |
 * attrs | the other records as the data section | feature index | feature payloads. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perfdata/pipe.h"
#include "util/array.h"
#include "util/fdio.h"

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
		nr_feat += s.feat[f] != NULL;
	off += (uint64_t)nr_feat * sizeof(idx[0]);
	nr_feat = 0;
	for (int f = 1; f < PD_FEAT_LAST; f++) {
		if (!s.feat[f])
			continue;
		if ((ret = fdio__pwrite_all(fd, s.feat[f], (size_t)s.feat_size[f], off)))
			goto io;
		idx[nr_feat++] = (struct pd_section){ off, s.feat_size[f] };
		h.features[f / 64] |= 1ULL << (f % 64);
		off += s.feat_size[f];
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
	return ret;
}
