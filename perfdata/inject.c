/* Owns perf inject's rewrite (perfdata/inject.h): the reader's records and features into a
 * writer, COMPRESSED data leaving decoded, build-ids from the hit tally when asked. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perfdata/feature.h"
#include "perfdata/hits.h"
#include "perfdata/inject.h"
#include "perfdata/pipe_writer.h"
#include "perfdata/reader.h"
#include "perfdata/writer.h"
#include "util/log.h"

struct pd_inject {
	const struct pd_inject_opts *o;
	struct pd_inject_result *res;
	struct error *err;
	struct pd_reader *r;
	struct pd_writer *w;
	struct pd_hits *hits;
	struct pd_event_desc *descs;
	uint64_t nr_read;		/* records read, for the progress */
};

static int start(struct pd_inject *in)
{
	size_t nr = pd_reader__nr_evsels(in->r);
	int ret;

	in->descs = calloc(nr, sizeof(*in->descs));
	if (!in->descs)
		return error__nomem(in->err);
	for (size_t i = 0; i < nr; i++) {
		struct pd_evsel *e = pd_reader__evsel(in->r, i);

		in->descs[i] = (struct pd_event_desc){ &e->attr, e->ids, e->nr_ids, e->name };
	}
	in->w = strcmp(in->o->output, "-") ? pd_writer__new(in->o->output) : pd_writer__new_pipe(STDOUT_FILENO);
	if (!in->w)
		return error__set(in->err, -errno, "cannot create '%s': %s", in->o->output, strerror(errno));
	ret = pd_writer__start(in->w, in->descs, nr);
	/* the features go along; the data leaves uncompressed, build-ids may be made anew */
	for (int f = 1; f < PD_FEAT_BITS && !ret; f++) {
		const void *p;
		uint64_t size;

		if ((f >= PD_FEAT_LAST && ((f != PD_FEAT_EMBEDDED_SYMBOLS && f != PD_FEAT_NS_PIDS) || pd_writer__is_pipe(in->w))) ||
		    f == PD_FEAT_COMPRESSED || (f == PD_FEAT_BUILD_ID && in->o->build_ids))
			continue;
		p = pd_reader__feature(in->r, f, &size);
		if (p)
			ret = pd_writer__add_feature(in->w, (enum pd_feature)f, p, (size_t)size);
	}
	if (!ret)
		ret = pd_pipe__end_features(in->w);
	if (ret)
		return error__set(in->err, ret, "writing '%s': %s", in->o->output, strerror(-ret));
	if (in->o->build_ids) {
		in->hits = pd_hits__new(pd_reader__evsel(in->r, 0)->attr.sample_type);
		if (!in->hits)
			return error__nomem(in->err);
	}
	return 0;
}

/* One record of the input to the output (through the hook, if any). */
static int copy_one(struct pd_inject *in, const struct pd_record *rec)
{
	const struct perf_event_header *h = rec->hdr;
	int ret;

	if (in->o->progress) {
		const struct pd_section *data = &pd_reader__header(in->r)->data;

		in->o->progress(in->o->progress_ctx, ++in->nr_read, rec->offset - data->offset,
				data->size);
	}
	if (h->type == PD_RECORD_AUXTRACE) {
		in->res->dropped++;	/* its payload stays behind in the reader */
		return 0;
	}
	if (h->type == PD_RECORD_HEADER_BUILD_ID || h->type == PD_RECORD_HEADER_TRACING_DATA)
		return 0;
	if (in->o->hook) {
		ret = in->o->hook(in->o->hook_ctx, in, rec, in->err);
		if (ret < 0)
			return ret;
		if (ret == 1)
			return 0;
	}
	if (in->hits)
		pd_hits__process(in->hits, h, h->size);
	ret = pd_writer__write(in->w, h, h->size);
	if (ret)
		return error__set(in->err, ret, "writing '%s': %s", in->o->output, strerror(-ret));
	in->res->records++;
	in->res->samples += h->type == PERF_RECORD_SAMPLE;
	return 0;
}

static int copy_ordered(void *ctx, const struct pd_record *rec)
{
	return copy_one(ctx, rec);
}

static int copy_records(struct pd_inject *in)
{
	struct pd_record rec;
	int ret;

	if (in->o->ordered)
		return pd_reader__for_each_ordered(in->r, copy_ordered, in, in->err);
	while ((ret = pd_reader__next(in->r, &rec, in->err)) == 1)
		if ((ret = copy_one(in, &rec)))
			return ret;
	return ret;
}

int pd_inject__write(struct pd_inject *in, const void *rec, size_t size)
{
	int ret = pd_writer__write(in->w, rec, size);

	if (!ret) {
		in->res->records++;
		in->res->samples += ((const struct perf_event_header *)rec)->type == PERF_RECORD_SAMPLE;
		if (in->hits)
			pd_hits__process(in->hits, rec, size);
	}
	return ret;
}

struct pd_reader *pd_inject__reader(struct pd_inject *in)
{
	return in->r;
}

const struct perf_event_attr *pd_inject__attr(struct pd_inject *in)
{
	return &pd_reader__evsel(in->r, 0)->attr;
}

static int finish(struct pd_inject *in)
{
	int ret = 0;

	if (in->hits) {
		struct pd_build_id *ids = NULL;
		size_t nr = 0;

		ret = pd_hits__build_ids(in->hits, &ids, &nr);
		if (!ret)
			ret = pd_feature__build_ids(in->w, ids, nr);
		free(ids);
	}
	if (!ret)
		ret = pd_writer__finish(in->w);
	return ret ? error__set(in->err, ret, "writing '%s': %s", in->o->output, strerror(-ret)) : 0;
}

int pd_inject__run(const struct pd_inject_opts *o, struct pd_inject_result *res, struct error *err)
{
	struct pd_inject in = { .o = o, .res = res, .err = err };
	uint64_t size;
	int ret;

	memset(res, 0, sizeof(*res));
	in.r = pd_reader__open(o->input, err);
	if (!in.r)
		return err->code ? err->code : -EINVAL;
	res->decompressed = pd_reader__feature(in.r, PD_FEAT_COMPRESSED, &size) != NULL;
	ret = start(&in);
	if (!ret)
		ret = copy_records(&in);
	if (!ret)
		ret = finish(&in);
	if (res->dropped)
		pr_warn("%llu AUXTRACE records were left out (their trace data is not carried)",
			(unsigned long long)res->dropped);
	pd_hits__free(in.hits);
	pd_writer__free(in.w);
	free(in.descs);
	pd_reader__close(in.r);
	return ret;
}
