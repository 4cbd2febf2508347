/* Owns the encoding of attrs, names and features as perf's pipe-format records (see
 * perfdata/pipe_writer.h); the bytes go through the writer's buffer in stream order. */
#include <errno.h>
#include <string.h>

#include "perfdata/pipe_writer.h"
#include "util/log.h"

#define PIPE_LAST_FEATURE	32	/* HEADER_LAST_FEATURE in perf 6.1 */
#define REC_MAX			65535	/* header.size is a u16 */

static int put_rec(struct pd_writer *w, uint32_t type, uint16_t misc, const void *a, size_t alen,
		   const void *b, size_t blen)
{
	static const uint8_t zeros[8];
	size_t size = (sizeof(struct perf_event_header) + alen + blen + 7) & ~(size_t)7;
	struct perf_event_header h = { .type = type, .misc = misc, .size = (uint16_t)size };
	int ret;

	if (size > REC_MAX)
		return -E2BIG;
	if ((ret = pd_writer__write(w, &h, sizeof(h))) ||
	    (alen && (ret = pd_writer__write(w, a, alen))) ||
	    (blen && (ret = pd_writer__write(w, b, blen))))
		return ret;
	size -= sizeof(h) + alen + blen;
	return size ? pd_writer__write(w, zeros, size) : 0;
}

int pd_pipe__start(struct pd_writer *w, const struct pd_event_desc *evs, size_t nr)
{
	const uint64_t head[2] = { PERF_MAGIC2, 16 };
	int ret = pd_writer__write(w, head, sizeof(head));

	for (size_t i = 0; i < nr && !ret; i++) {
		struct perf_event_attr a;
		size_t n = evs[i].attr->size && evs[i].attr->size < sizeof(a) ? evs[i].attr->size : sizeof(a);

		memset(&a, 0, sizeof(a));
		memcpy(&a, evs[i].attr, n);
		a.size = PERF_ATTR_SIZE_WRITE;
		ret = put_rec(w, PD_RECORD_HEADER_ATTR, 0, &a, PERF_ATTR_SIZE_WRITE, evs[i].ids,
			      evs[i].nr_ids * 8);
	}
	for (size_t i = 0; i < nr && !ret; i++) {
		uint64_t upd[2] = { 2 /* NAME */, evs[i].nr_ids ? evs[i].ids[0] : 0 };
		const char *name = evs[i].name ? evs[i].name : "";

		if (!evs[i].nr_ids && nr > 1)
			continue;
		ret = put_rec(w, PD_RECORD_EVENT_UPDATE, 0, upd, sizeof(upd), name, strlen(name) + 1);
	}
	return ret;
}

/* BUILD_ID entries are records already; they go out as HEADER_BUILD_ID. */
static int build_ids(struct pd_writer *w, const uint8_t *p, size_t size)
{
	size_t off = 0;

	while (off + sizeof(struct perf_event_header) <= size) {
		struct perf_event_header h;
		int ret;

		memcpy(&h, p + off, sizeof(h));
		if (h.size < sizeof(h) || h.size > size - off)
			return -EINVAL;
		ret = put_rec(w, PD_RECORD_HEADER_BUILD_ID, h.misc, p + off + sizeof(h), h.size - sizeof(h),
			      NULL, 0);
		if (ret)
			return ret;
		off += h.size;
	}
	return 0;
}

int pd_pipe__feature(struct pd_writer *w, enum pd_feature feat, const void *payload, size_t size)
{
	uint64_t id = (uint64_t)feat;
	int ret;

	if (feat == PD_FEAT_TRACING_DATA) {
		static const uint8_t zeros[8];
		uint32_t body[2] = { (uint32_t)((size + 7) & ~(size_t)7), 0 };

		if ((ret = put_rec(w, PD_RECORD_HEADER_TRACING_DATA, 0, body, sizeof(body), NULL, 0)) ||
		    (ret = pd_writer__write(w, payload, size)))
			return ret;
		return body[0] > size ? pd_writer__write(w, zeros, body[0] - size) : 0;
	}
	if (feat == PD_FEAT_BUILD_ID)
		return build_ids(w, payload, size);
	ret = put_rec(w, PD_RECORD_HEADER_FEATURE, 0, &id, sizeof(id), payload, size);
	if (ret == -E2BIG) {
		pr_debug("pipe: feature %d of %zu bytes does not fit a record, left out", feat, size);
		return 0;
	}
	return ret;
}

int pd_pipe__end_features(struct pd_writer *w)
{
	uint64_t id = PIPE_LAST_FEATURE;

	if (!pd_writer__is_pipe(w))
		return 0;
	return put_rec(w, PD_RECORD_HEADER_FEATURE, 0, &id, sizeof(id), NULL, 0);
}
