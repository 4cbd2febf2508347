/* Owns the layout of a perf.data file as it is written: header | ids | attrs | data | feature
 * index | feature payloads, and the header rewrites that keep a half-written file readable
 * (see perfdata/writer.h). All writes are positional (pwrite), so a failed write never moves
 * where the next part goes. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perfdata/pipe_writer.h"
#include "perfdata/writer.h"
#include "util/array.h"
#include "util/log.h"
#include "util/fdio.h"

#define PD_BUF_INIT	(1u << 20)
#define PD_HDR_DATA_SIZE_OFF	48	/* offsetof(struct pd_file_header, data.size) */

struct pd_feat_payload {
	void *data;
	size_t size;
};

struct pd_writer {
	int fd;
	char *path;
	struct pd_file_header hdr;
	uint64_t data_on_disk;		/* bytes of records written and covered by hdr.data.size */
	char *buf;
	size_t buf_len, buf_cap;
	int error;
	int started;
	bool pipe;			/* perf's pipe format on a stream: no header rewrites */
	uint64_t file_size;
	struct pd_feat_payload feat[PD_FEAT_BITS];
	int live;			/* the feature kept after the data at every flush, 0: none */
};

struct pd_writer *pd_writer__new(const char *path)
{
	struct pd_writer *w = calloc(1, sizeof(*w));
	int saved;

	if (!w)
		return NULL;
	w->fd = -1;
	w->path = strdup(path);
	w->buf_cap = PD_BUF_INIT;
	w->buf = malloc(w->buf_cap);
	if (!w->path || !w->buf)
		goto err;
	/* never through a symlink someone planted at the path (root writes here) */
	w->fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (w->fd < 0)
		goto err;
	return w;
err:
	saved = errno ? errno : ENOMEM;
	pd_writer__free(w);
	errno = saved;
	return NULL;
}

struct pd_writer *pd_writer__new_pipe(int fd)
{
	struct pd_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->fd = -1;
	w->pipe = true;
	w->path = strdup("-");
	w->buf_cap = PD_BUF_INIT;
	w->buf = malloc(w->buf_cap);
	if (!w->path || !w->buf) {
		pd_writer__free(w);
		errno = ENOMEM;
		return NULL;
	}
	w->fd = fd;
	return w;
}

bool pd_writer__is_pipe(const struct pd_writer *w)
{
	return w->pipe;
}

void pd_writer__free(struct pd_writer *w)
{
	if (!w)
		return;
	if (w->fd >= 0 && !w->pipe)
		close(w->fd);
	for (int i = 0; i < PD_FEAT_BITS; i++)
		free(w->feat[i].data);
	free(w->buf);
	free(w->path);
	free(w);
}

static int set_error(struct pd_writer *w, int err)
{
	if (!w->error)
		w->error = err;
	return err;
}

int pd_writer__start(struct pd_writer *w, const struct pd_event_desc *evs, size_t nr)
{
	uint64_t off = PERF_FILE_HEADER_SIZE, attr_size = PERF_ATTR_SIZE_WRITE + sizeof(struct pd_section);
	uint64_t ids_off = off, attrs_off;
	char *attrs = NULL;
	int ret;

	if (w->started || nr == 0)
		return -EINVAL;
	if (w->pipe) {
		w->started = 1;
		return pd_pipe__start(w, evs, nr);
	}
	for (size_t i = 0; i < nr; i++) {
		if (evs[i].nr_ids) {
			ret = fdio__pwrite_all(w->fd, evs[i].ids, evs[i].nr_ids * 8, off);
			if (ret)
				return set_error(w, ret);
		}
		off += evs[i].nr_ids * 8;
	}
	attrs_off = off;
	attrs = calloc(nr, attr_size);
	if (!attrs)
		return -ENOMEM;
	for (size_t i = 0; i < nr; i++) {
		struct perf_event_attr *a = (void *)(attrs + i * attr_size);
		struct pd_section *ids = (void *)(attrs + i * attr_size + PERF_ATTR_SIZE_WRITE);
		size_t n = evs[i].attr->size && evs[i].attr->size < PERF_ATTR_SIZE_WRITE ?
			   evs[i].attr->size : PERF_ATTR_SIZE_WRITE;

		memcpy(a, evs[i].attr, n);
		a->size = PERF_ATTR_SIZE_WRITE;	/* perf 6.1 rejects larger attrs */
		ids->offset = ids_off;
		ids->size = evs[i].nr_ids * 8;
		ids_off += ids->size;
	}
	ret = fdio__pwrite_all(w->fd, attrs, nr * attr_size, attrs_off);
	free(attrs);
	if (ret)
		return set_error(w, ret);
	off = attrs_off + nr * attr_size;

	memset(&w->hdr, 0, sizeof(w->hdr));
	w->hdr.magic = PERF_MAGIC2;
	w->hdr.size = PERF_FILE_HEADER_SIZE;
	w->hdr.attr_size = attr_size;
	w->hdr.attrs.offset = attrs_off;
	w->hdr.attrs.size = nr * attr_size;
	w->hdr.data.offset = (off + 7) & ~7ULL;
	w->hdr.data.size = 0;
	ret = fdio__pwrite_all(w->fd, &w->hdr, sizeof(w->hdr), 0);
	if (ret)
		return set_error(w, ret);
	w->started = 1;
	return 0;
}

/* The live feature's index entry and payload, put after the buffered records so that one
 * write carries both: how many bytes that added (0 without a live feature). */
static ssize_t append_live(struct pd_writer *w)
{
	const struct pd_feat_payload *f = &w->feat[w->live];
	struct pd_section idx;
	size_t need = w->buf_len + sizeof(idx) + f->size;

	if (!w->live)
		return 0;
	if (need > w->buf_cap && ARRAY_GROW(w->buf, w->buf_cap, need))
		return -ENOMEM;
	idx.offset = w->hdr.data.offset + w->data_on_disk + w->buf_len + sizeof(idx);
	idx.size = f->size;
	memcpy(w->buf + w->buf_len, &idx, sizeof(idx));
	memcpy(w->buf + w->buf_len + sizeof(idx), f->data, f->size);
	return (ssize_t)(sizeof(idx) + f->size);
}

int pd_writer__flush(struct pd_writer *w)
{
	ssize_t tail;
	int ret;

	if (w->error)
		return w->error;
	if (!w->started)
		return -EINVAL;
	if (!w->buf_len)
		return 0;
	if (w->pipe) {
		ret = fdio__write_all(w->fd, w->buf, w->buf_len);
		if (ret)
			return set_error(w, ret);
		w->data_on_disk += w->buf_len;
		w->buf_len = 0;
		return 0;
	}
	tail = append_live(w);
	if (tail < 0)
		return set_error(w, (int)tail);
	ret = fdio__pwrite_all(w->fd, w->buf, w->buf_len + (size_t)tail, w->hdr.data.offset + w->data_on_disk);
	if (ret) {
		pr_debug("writing %s: %s", w->path, strerror(-ret));
		return set_error(w, ret);
	}
	w->data_on_disk += w->buf_len;
	w->buf_len = 0;
	w->hdr.data.size = w->data_on_disk;
	if (tail)
		w->hdr.features[w->live / 64] |= 1ULL << (w->live % 64);
	/* data.size, event_types and the feature bits in one write */
	ret = fdio__pwrite_all(w->fd, &w->hdr.data.size, PERF_FILE_HEADER_SIZE - PD_HDR_DATA_SIZE_OFF,
			 PD_HDR_DATA_SIZE_OFF);
	if (ret)
		return set_error(w, ret);
	return 0;
}

int pd_writer__live_feature(struct pd_writer *w, enum pd_feature feat, const void *payload,
			    size_t size)
{
	int ret = pd_writer__add_feature(w, feat, payload, size);

	if (!ret)
		w->live = feat;
	return ret;
}

void *pd_writer__reserve(struct pd_writer *w, size_t len)
{
	if (w->error) {
		errno = -w->error;
		return NULL;
	}
	if (w->buf_cap - w->buf_len < len && w->buf_len && pd_writer__flush(w)) {
		errno = -w->error;
		return NULL;
	}
	if (ARRAY_GROW(w->buf, w->buf_cap, len)) {
		errno = ENOMEM;
		return NULL;
	}
	return w->buf + w->buf_len;
}

void pd_writer__commit(struct pd_writer *w, size_t len)
{
	w->buf_len += len;
}

int pd_writer__write(struct pd_writer *w, const void *buf, size_t len)
{
	void *dst = pd_writer__reserve(w, len);

	if (!dst)
		return w->error ? w->error : -ENOMEM;
	memcpy(dst, buf, len);
	pd_writer__commit(w, len);
	return 0;
}

int pd_writer__add_feature(struct pd_writer *w, enum pd_feature feat, const void *payload, size_t size)
{
	void *copy;

	if ((int)feat <= 0 || feat >= PD_FEAT_BITS || (feat >= PD_FEAT_LAST && w->pipe))
		return (int)feat >= PD_FEAT_LAST && feat < PD_FEAT_BITS ? -EOPNOTSUPP : -EINVAL;
	if (w->pipe)
		return pd_pipe__feature(w, feat, payload, size);
	copy = malloc(size ? size : 1);
	if (!copy)
		return -ENOMEM;
	if (size)
		memcpy(copy, payload, size);
	free(w->feat[feat].data);
	w->feat[feat].data = copy;
	w->feat[feat].size = size;
	return 0;
}

int pd_writer__finish(struct pd_writer *w)
{
	struct pd_section idx[PD_FEAT_BITS];
	struct pd_file_header hdr;
	uint64_t end, off;
	int nr = 0, ret;

	ret = pd_writer__flush(w);
	if (ret || w->pipe) {
		if (!ret)
			w->file_size = w->data_on_disk;
		return ret;
	}
	end = w->hdr.data.offset + w->data_on_disk;
	hdr = w->hdr;
	memset(hdr.features, 0, sizeof(hdr.features));
	for (int f = 1; f < PD_FEAT_BITS; f++)
		if (w->feat[f].data)
			nr++;
	off = end + nr * sizeof(struct pd_section);
	nr = 0;
	for (int f = 1; f < PD_FEAT_BITS; f++) {
		if (!w->feat[f].data)
			continue;
		ret = fdio__pwrite_all(w->fd, w->feat[f].data, w->feat[f].size, off);
		if (ret)
			goto fail;
		idx[nr].offset = off;
		idx[nr].size = w->feat[f].size;
		off += w->feat[f].size;
		hdr.features[f / 64] |= 1ULL << (f % 64);
		nr++;
	}
	ret = fdio__pwrite_all(w->fd, idx, nr * sizeof(idx[0]), end);
	if (ret)
		goto fail;
	/* Drop whatever a failed earlier attempt left beyond the end. */
	if (ftruncate(w->fd, off) < 0) {
		ret = -errno;
		goto fail;
	}
	/* Written last: only now do readers look for the index and payloads. */
	ret = fdio__pwrite_all(w->fd, &hdr, sizeof(hdr), 0);
	if (ret)
		goto fail;
	w->hdr = hdr;
	w->file_size = off;
	return 0;
fail:
	set_error(w, ret);
	/* Keep the readable part: header without features, data up to the last good flush. */
	if (w->started) {
		uint64_t keep = w->hdr.data.offset + w->data_on_disk;

		/* and the live feature behind it, as the last flush left it */
		w->buf_len = 0;
		if (w->live && append_live(w) > 0 &&
		    !fdio__pwrite_all(w->fd, w->buf, sizeof(struct pd_section) + w->feat[w->live].size, keep))
			keep += sizeof(struct pd_section) + w->feat[w->live].size;
		if (ftruncate(w->fd, keep) < 0)
			pr_debug("truncating %s: %s", w->path, strerror(errno));
	}
	return ret;
}

uint64_t pd_writer__data_offset(const struct pd_writer *w) { return w->hdr.data.offset; }
uint64_t pd_writer__data_size(const struct pd_writer *w) { return w->data_on_disk + w->buf_len; }
uint64_t pd_writer__readable_size(const struct pd_writer *w)
{
	return w->hdr.data.offset + w->data_on_disk;
}
uint64_t pd_writer__file_size(const struct pd_writer *w) { return w->file_size; }
int pd_writer__error(const struct pd_writer *w) { return w->error; }
