/* Owns turning perf's pipe stream into a file-mode perf.data (see perfdata/pipe_reader.h):
 * buffered reading of the stream, sorting its records into attrs, features and data, and
 * writing the temporary file's header, attrs, ids and feature index at the end. */
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
#include "util/log.h"

#define IN_BUF		(1u << 20)
#define OUT_BUF		(1u << 20)
#define MAX_ATTRS	4096
#define MAX_PAYLOAD	(1ull << 32)	/* TRACING_DATA's u32 size */

struct pipe_attr {
	struct perf_event_attr attr;
	uint64_t *ids;
	size_t nr_ids;
	char *name;			/* from EVENT_UPDATE NAME */
};

struct blob {
	uint8_t *p;
	size_t len, cap;
};

struct conv {
	const char *name;
	struct error *err;
	int in;
	uint8_t *ibuf;
	size_t ilen, ipos;
	uint64_t in_off;		/* stream offset of ibuf[ipos] */
	bool eof;
	int out;
	struct blob obuf;		/* data records on their way to the file */
	uint64_t data_size;
	struct pipe_attr *attrs;
	size_t nr_attrs, attrs_cap;
	struct blob feat[PD_FEAT_LAST];
	bool have_feat[PD_FEAT_LAST];
	struct blob bids;		/* HEADER_BUILD_ID records, the BUILD_ID section */
};

bool pd_pipe__is_header(const void *first16)
{
	uint64_t v[2];

	memcpy(v, first16, 16);
	return v[0] == PERF_MAGIC2 && v[1] == 16;
}

static int blob_put(struct blob *b, const void *p, size_t len)
{
	if (ARRAY_GROW(b->p, b->cap, b->len + len))
		return -ENOMEM;
	memcpy(b->p + b->len, p, len);
	b->len += len;
	return 0;
}

static int write_all(int fd, const void *buf, size_t len, uint64_t off)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -ENOSPC;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
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
	snprintf(path, sizeof(path), "%s/perfdata-pipe-XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	unlink(path);
	return fd;
}

/* Exactly @len bytes of the stream into @dst (NULL: skip them). 1 on success, 0 at a clean EOF
 * before the first byte, -errno otherwise. */
static int in_read(struct conv *c, void *dst, size_t len)
{
	uint8_t *d = dst;
	size_t got = 0;

	while (got < len) {
		size_t n;

		if (c->ipos == c->ilen) {
			ssize_t r;

			if (c->eof)
				break;
			r = read(c->in, c->ibuf, IN_BUF);
			if (r < 0) {
				if (errno == EINTR)
					continue;
				return error__set(c->err, -errno, "%s: reading: %s", c->name, strerror(errno));
			}
			if (r == 0) {
				c->eof = true;
				break;
			}
			c->ilen = (size_t)r;
			c->ipos = 0;
		}
		n = c->ilen - c->ipos;
		if (n > len - got)
			n = len - got;
		if (d)
			memcpy(d + got, c->ibuf + c->ipos, n);
		c->ipos += n;
		c->in_off += n;
		got += n;
	}
	if (got == len)
		return 1;
	if (got == 0)
		return 0;
	return error__set(c->err, -EBADMSG, "%s: corrupt at offset %llu: stream cut in the middle of a record",
			  c->name, (unsigned long long)c->in_off);
}

static int out_flush(struct conv *c)
{
	int ret;

	if (!c->obuf.len)
		return 0;
	ret = write_all(c->out, c->obuf.p, c->obuf.len, PERF_FILE_HEADER_SIZE + c->data_size);
	if (ret)
		return error__set(c->err, ret, "%s: writing the temporary copy: %s", c->name, strerror(-ret));
	c->data_size += c->obuf.len;
	c->obuf.len = 0;
	return 0;
}

static int out_data(struct conv *c, const void *p, size_t len)
{
	if (c->obuf.len + len > OUT_BUF && out_flush(c))
		return c->err->code;
	return blob_put(&c->obuf, p, len) ? error__nomem(c->err) : 0;
}

static int on_attr(struct conv *c, const uint8_t *body, size_t len)
{
	struct pipe_attr *a;
	uint32_t asz;

	if (len < 64)
		return error__set(c->err, -EBADMSG, "%s: corrupt: ATTR record of %zu bytes", c->name, len);
	memcpy(&asz, body + 4, 4);
	if (asz == 0)
		asz = 64;
	if (asz < 64 || asz > len || (len - asz) % 8)
		return error__set(c->err, -EBADMSG, "%s: corrupt: ATTR record with attr size %u", c->name, asz);
	if (c->nr_attrs == MAX_ATTRS)
		return error__set(c->err, -EBADMSG, "%s: corrupt: more than %d attrs", c->name, MAX_ATTRS);
	if (ARRAY_GROW(c->attrs, c->attrs_cap, c->nr_attrs + 1))
		return error__nomem(c->err);
	a = &c->attrs[c->nr_attrs];
	memset(a, 0, sizeof(*a));
	memcpy(&a->attr, body, asz < sizeof(a->attr) ? asz : sizeof(a->attr));
	a->attr.size = PERF_ATTR_SIZE_WRITE;
	a->nr_ids = (len - asz) / 8;
	if (a->nr_ids) {
		a->ids = malloc(len - asz);
		if (!a->ids)
			return error__nomem(c->err);
		memcpy(a->ids, body + asz, len - asz);
	}
	c->nr_attrs++;
	return 0;
}

/* EVENT_UPDATE NAME (type 2): {u64 type; u64 id; char name[]}. */
static int on_event_update(struct conv *c, const uint8_t *body, size_t len)
{
	uint64_t type, id;

	if (len < 16)
		return 0;
	memcpy(&type, body, 8);
	memcpy(&id, body + 8, 8);
	if (type != 2)
		return 0;
	for (size_t i = 0; i < c->nr_attrs; i++) {
		struct pipe_attr *a = &c->attrs[i];

		for (size_t k = 0; k < a->nr_ids; k++) {
			if (a->ids[k] != id)
				continue;
			free(a->name);
			a->name = strndup((const char *)body + 16, len - 16);
			return a->name ? 0 : error__nomem(c->err);
		}
	}
	return 0;
}

static int on_feature(struct conv *c, const uint8_t *body, size_t len)
{
	uint64_t feat;
	struct blob *b;

	if (len < 8)
		return 0;
	memcpy(&feat, body, 8);
	if (feat == 0 || feat >= PD_FEAT_LAST)
		return 0;	/* HEADER_LAST_FEATURE (the end of the features) and unknown ones */
	b = &c->feat[feat];
	b->len = 0;
	c->have_feat[feat] = true;
	return blob_put(b, body + 8, len - 8) ? error__nomem(c->err) : 0;
}

static int on_tracing_data(struct conv *c, const uint8_t *body, size_t len)
{
	struct blob *b = &c->feat[PD_FEAT_TRACING_DATA];
	uint32_t size;
	int ret;

	if (len < 4)
		return error__set(c->err, -EBADMSG, "%s: corrupt: short TRACING_DATA record", c->name);
	memcpy(&size, body, 4);
	b->len = 0;
	if (ARRAY_GROW(b->p, b->cap, size))
		return error__nomem(c->err);
	ret = in_read(c, b->p, size);
	if (ret <= 0)
		return ret ? ret : error__set(c->err, -EBADMSG, "%s: corrupt: tracing data cut off", c->name);
	b->len = size;
	c->have_feat[PD_FEAT_TRACING_DATA] = true;
	return 0;
}

/* AUXTRACE: the payload after the record goes along into the data section. */
static int copy_payload(struct conv *c, uint64_t size)
{
	uint8_t tmp[65536];

	while (size) {
		size_t n = size < sizeof(tmp) ? (size_t)size : sizeof(tmp);
		int ret = in_read(c, tmp, n);

		if (ret <= 0)
			return ret ? ret : error__set(c->err, -EBADMSG, "%s: corrupt: AUXTRACE payload cut off",
						      c->name);
		if ((ret = out_data(c, tmp, n)))
			return ret;
		size -= n;
	}
	return 0;
}

static int one_record(struct conv *c, const struct perf_event_header *h, const uint8_t *body)
{
	size_t len = h->size - sizeof(*h);

	switch (h->type) {
	case PD_RECORD_HEADER_ATTR:
		return on_attr(c, body, len);
	case PD_RECORD_HEADER_FEATURE:
		return on_feature(c, body, len);
	case PD_RECORD_EVENT_UPDATE:
		return on_event_update(c, body, len);
	case PD_RECORD_HEADER_TRACING_DATA:
		return on_tracing_data(c, body, len);
	case PD_RECORD_HEADER_BUILD_ID:
		if (blob_put(&c->bids, h, sizeof(*h)) || blob_put(&c->bids, body, len))
			return error__nomem(c->err);
		return 0;
	default:
		break;
	}
	if (out_data(c, h, sizeof(*h)) || out_data(c, body, len))
		return c->err->code;
	if (h->type == PD_RECORD_AUXTRACE && len >= 8) {
		uint64_t size;

		memcpy(&size, body, 8);
		return copy_payload(c, size);
	}
	return 0;
}

static int read_stream(struct conv *c)
{
	uint8_t body[65536];

	for (;;) {
		struct perf_event_header h;
		uint64_t at = c->in_off;
		int ret = in_read(c, &h, sizeof(h));

		if (ret <= 0)
			return ret;
		if (h.size < sizeof(h))
			return error__set(c->err, -EBADMSG, "%s: corrupt at offset %llu: record of type %u with size %u",
					  c->name, (unsigned long long)at, h.type, h.size);
		ret = in_read(c, body, h.size - sizeof(h));
		if (ret < 0)
			return ret;
		if (ret == 0 && h.size > sizeof(h))
			return error__set(c->err, -EBADMSG, "%s: corrupt at offset %llu: stream ends inside a record",
					  c->name, (unsigned long long)at);
		ret = one_record(c, &h, body);
		if (ret)
			return ret;
	}
}

static void put_string(struct blob *b, const char *s, int *err)
{
	uint32_t len = (uint32_t)((strlen(s) + 1 + PERF_NAME_ALIGN - 1) / PERF_NAME_ALIGN * PERF_NAME_ALIGN);
	char *pad = calloc(1, len);

	if (!pad) {
		*err = -ENOMEM;
		return;
	}
	memcpy(pad, s, strlen(s));
	if (blob_put(b, &len, 4) || blob_put(b, pad, len))
		*err = -ENOMEM;
	free(pad);
}

/* Names from EVENT_UPDATE win over the stream's EVENT_DESC (perf does the same). */
static int names_feature(struct conv *c)
{
	struct blob *b = &c->feat[PD_FEAT_EVENT_DESC];
	bool named = false;
	uint32_t v;
	int err = 0;

	for (size_t i = 0; i < c->nr_attrs; i++)
		named |= c->attrs[i].name != NULL;
	if (!named)
		return 0;
	b->len = 0;
	c->have_feat[PD_FEAT_EVENT_DESC] = true;
	v = (uint32_t)c->nr_attrs;
	blob_put(b, &v, 4);
	v = PERF_ATTR_SIZE_WRITE;
	blob_put(b, &v, 4);
	for (size_t i = 0; i < c->nr_attrs && !err; i++) {
		struct pipe_attr *a = &c->attrs[i];

		v = (uint32_t)a->nr_ids;
		if (blob_put(b, &a->attr, PERF_ATTR_SIZE_WRITE) || blob_put(b, &v, 4))
			err = -ENOMEM;
		put_string(b, a->name ? a->name : "", &err);
		if (a->nr_ids && blob_put(b, a->ids, a->nr_ids * 8))
			err = -ENOMEM;
	}
	return err ? error__nomem(c->err) : 0;
}

/* data | feature index | payloads | ids | attrs, then the header at 0. */
static int write_tail(struct conv *c)
{
	struct pd_file_header hdr = { .magic = PERF_MAGIC2, .size = PERF_FILE_HEADER_SIZE };
	uint64_t attr_size = PERF_ATTR_SIZE_WRITE + sizeof(struct pd_section);
	uint64_t end = PERF_FILE_HEADER_SIZE + c->data_size, off;
	struct pd_section idx[PD_FEAT_LAST];
	struct blob tail = { 0 };
	int nr = 0, ret;

	if (c->bids.len) {
		c->feat[PD_FEAT_BUILD_ID].len = 0;
		if (blob_put(&c->feat[PD_FEAT_BUILD_ID], c->bids.p, c->bids.len))
			return error__nomem(c->err);
		c->have_feat[PD_FEAT_BUILD_ID] = true;
	}
	if ((ret = names_feature(c)))
		return ret;
	for (int f = 1; f < PD_FEAT_LAST; f++)
		nr += c->have_feat[f];
	off = end + (uint64_t)nr * sizeof(idx[0]);
	nr = 0;
	for (int f = 1; f < PD_FEAT_LAST; f++) {
		if (!c->have_feat[f])
			continue;
		idx[nr].offset = off;
		idx[nr].size = c->feat[f].len;
		off += c->feat[f].len;
		hdr.features[f / 64] |= 1ULL << (f % 64);
		nr++;
	}
	ret = blob_put(&tail, idx, nr * sizeof(idx[0]));
	for (int f = 1; f < PD_FEAT_LAST && !ret; f++)
		if (c->have_feat[f] && c->feat[f].len)
			ret = blob_put(&tail, c->feat[f].p, c->feat[f].len);
	/* ids, then the attrs pointing at them */
	{
		uint64_t ids_off = off;

		for (size_t i = 0; i < c->nr_attrs && !ret; i++) {
			if (c->attrs[i].nr_ids)
				ret = blob_put(&tail, c->attrs[i].ids, c->attrs[i].nr_ids * 8);
			off += c->attrs[i].nr_ids * 8;
		}
		hdr.attr_size = attr_size;
		hdr.attrs.offset = off;
		hdr.attrs.size = c->nr_attrs * attr_size;
		for (size_t i = 0; i < c->nr_attrs && !ret; i++) {
			struct pd_section s = { ids_off, c->attrs[i].nr_ids * 8 };

			ret = blob_put(&tail, &c->attrs[i].attr, PERF_ATTR_SIZE_WRITE) ||
			      blob_put(&tail, &s, sizeof(s));
			ids_off += s.size;
		}
	}
	if (ret) {
		free(tail.p);
		return error__nomem(c->err);
	}
	hdr.data.offset = PERF_FILE_HEADER_SIZE;
	hdr.data.size = c->data_size;
	ret = write_all(c->out, tail.p, tail.len, end);
	if (!ret)
		ret = write_all(c->out, &hdr, sizeof(hdr), 0);
	free(tail.p);
	if (ret)
		return error__set(c->err, ret, "%s: writing the temporary copy: %s", c->name, strerror(-ret));
	return 0;
}

static void conv_free(struct conv *c)
{
	for (size_t i = 0; i < c->nr_attrs; i++) {
		free(c->attrs[i].ids);
		free(c->attrs[i].name);
	}
	free(c->attrs);
	for (int f = 0; f < PD_FEAT_LAST; f++)
		free(c->feat[f].p);
	free(c->bids.p);
	free(c->obuf.p);
	free(c->ibuf);
}

int pd_pipe__to_file(int in_fd, const char *name, struct error *err)
{
	struct conv c = { .name = name, .err = err, .in = in_fd, .out = -1 };
	uint64_t head[2];
	int ret;

	c.ibuf = malloc(IN_BUF);
	if (!c.ibuf) {
		ret = error__nomem(err);
		goto out;
	}
	ret = in_read(&c, head, sizeof(head));
	if (ret <= 0 || !pd_pipe__is_header(head)) {
		if (ret != -EIO && ret != -EINTR)
			ret = error__set(err, -EBADMSG, "%s: %s", name, ret ? "not a perf.data stream (bad magic):"
					 " record one with 'precord -o -' or 'perf record -o -'"
					 : "empty input: no perf.data stream");
		goto out;
	}
	c.out = tmp_file();
	if (c.out < 0) {
		ret = error__set(err, c.out, "%s: cannot create a temporary copy in $TMPDIR or /tmp: %s", name,
				 strerror(-c.out));
		c.out = -1;
		goto out;
	}
	if ((ret = read_stream(&c)) || (ret = out_flush(&c)))
		goto out;
	if (c.nr_attrs == 0) {
		ret = error__set(err, -EBADMSG, "%s: the stream has no event attributes (ATTR records)", name);
		goto out;
	}
	ret = write_tail(&c);
	pr_debug("%s: pipe stream of %llu bytes, %zu attrs, %llu bytes of records", name,
		 (unsigned long long)c.in_off, c.nr_attrs, (unsigned long long)c.data_size);
out:
	conv_free(&c);
	if (ret) {
		if (c.out >= 0)
			close(c.out);
		return ret;
	}
	return c.out;
}

/* Put @fd in place of fd 0. */
static int replace_stdin(int fd, struct error *err)
{
	if (dup2(fd, STDIN_FILENO) < 0) {
		int e = errno;

		close(fd);
		return error__set(err, -e, "standard input: %s", strerror(e));
	}
	close(fd);
	return 0;
}

int pd_pipe__stdin(struct error *err)
{
	struct stat st;
	uint64_t head[2];
	int fd;

	if (fstat(STDIN_FILENO, &st))
		return error__set(err, -errno, "standard input: %s", strerror(errno));
	if (S_ISREG(st.st_mode) && pread(STDIN_FILENO, head, sizeof(head), 0) == sizeof(head) &&
	    !pd_pipe__is_header(head))
		goto done;		/* a file-mode perf.data (or garbage: the reader says) */
	if (S_ISREG(st.st_mode) && lseek(STDIN_FILENO, 0, SEEK_SET) < 0)
		return error__set(err, -errno, "standard input: %s", strerror(errno));
	fd = pd_pipe__to_file(STDIN_FILENO, "-", err);
	if (fd < 0)
		return fd;
	if ((fd = replace_stdin(fd, err)))
		return fd;
done:
	fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return error__set(err, -errno, "standard input: %s", strerror(errno));
	return fd;
}

int pd_pipe__stdin_seekable(struct error *err)
{
	uint8_t *buf;
	struct stat st;
	uint64_t off = 0;
	int fd, ret = 0;

	if (fstat(STDIN_FILENO, &st))
		return error__set(err, -errno, "standard input: %s", strerror(errno));
	if (S_ISREG(st.st_mode))
		return 0;
	fd = tmp_file();
	if (fd < 0)
		return error__set(err, fd, "cannot create a temporary copy of standard input: %s", strerror(-fd));
	buf = malloc(IN_BUF);
	if (!buf) {
		close(fd);
		return error__nomem(err);
	}
	for (;;) {
		ssize_t n = read(STDIN_FILENO, buf, IN_BUF);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = error__set(err, -errno, "standard input: %s", strerror(errno));
			break;
		}
		if (n == 0)
			break;
		if ((ret = write_all(fd, buf, (size_t)n, off))) {
			error__set(err, ret, "copying standard input: %s", strerror(-ret));
			break;
		}
		off += (uint64_t)n;
	}
	free(buf);
	if (ret) {
		close(fd);
		return ret;
	}
	return replace_stdin(fd, err);
}
