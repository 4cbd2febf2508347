/* Owns the mapping from the stack tree to pprof's tables (string table, functions,
 * locations, mappings, samples), the protobuf-c encoding and the gzip container.
 *
 * Why protobuf-c rather than hand-encoding: the schema (report/fold/pprof.proto) stays the one
 * statement of the format, and packed repeated fields, zero-value omission and field
 * order are the library's job. The whole message is built in a few bulk arrays (no
 * allocation per sample or per frame) and packed once. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "report/fold/pprof.h"
#include "report/fold/gen/pprof.pb-c.h"

typedef Perftools__Profiles__Profile Profile;
typedef Perftools__Profiles__Sample Sample;
typedef Perftools__Profiles__Location Location;
typedef Perftools__Profiles__Line Line;
typedef Perftools__Profiles__Function Function;
typedef Perftools__Profiles__Mapping Mapping;
typedef Perftools__Profiles__Label Label;
typedef Perftools__Profiles__ValueType ValueType;

struct pp {
	const struct fold *f;
	char **strs;
	size_t nr_strs, strs_cap;
	size_t name_base;		/* string index of fold name 0 */
};

static int64_t add_str(struct pp *p, const char *s)
{
	if (p->nr_strs == p->strs_cap) {
		size_t cap = p->strs_cap ? p->strs_cap * 2 : 256;
		char **n = realloc(p->strs, cap * sizeof(*n));

		if (!n)
			return -1;
		p->strs = n;
		p->strs_cap = cap;
	}
	p->strs[p->nr_strs] = (char *)s;
	return (int64_t)p->nr_strs++;
}

static bool is_label(const struct fold *f, uint32_t node)
{
	return f->nodes[node].parent == FOLD_ROOT &&
	       f->names[f->nodes[node].name].kind == FOLD_K_COMM;
}

static int write_gz(const uint8_t *buf, size_t len, const char *path, struct error *err)
{
	gzFile gz;
	size_t off = 0;

	if (!strcmp(path, "-")) {
		int fd = dup(STDOUT_FILENO);

		gz = fd >= 0 ? gzdopen(fd, "wb") : NULL;
		if (!gz && fd >= 0)
			close(fd);
	} else {
		gz = gzopen(path, "wb");
	}
	if (!gz)
		return error__set(err, errno ? -errno : -ENOMEM, "cannot write %s: %s", path,
				     strerror(errno ? errno : ENOMEM));
	while (off < len) {
		unsigned int chunk = len - off > (1u << 30) ? 1u << 30 : (unsigned int)(len - off);
		int n = gzwrite(gz, buf + off, chunk);

		if (n <= 0) {
			gzclose(gz);
			return error__set(err, -EIO, "write error on %s", path);
		}
		off += (size_t)n;
	}
	if (gzclose(gz) != Z_OK)
		return error__set(err, -EIO, "write error on %s", path);
	return 0;
}

int pprof__write(const struct fold *f, const struct pprof_opts *opts, const char *path,
		 struct error *err)
{
	struct pp p = { .f = f };
	Profile prof = PERFTOOLS__PROFILES__PROFILE__INIT;
	ValueType vt[2] = { PERFTOOLS__PROFILES__VALUE_TYPE__INIT,
			    PERFTOOLS__PROFILES__VALUE_TYPE__INIT };
	ValueType pt = PERFTOOLS__PROFILES__VALUE_TYPE__INIT;
	ValueType *vtp[2] = { &vt[0], &vt[1] };
	int64_t comment_idx = 0;
	size_t nv = opts->period ? 2 : 1, ns = 0, nids = 0, k;
	Function *fns = NULL, **fnp = NULL;
	Location *locs = NULL, **locp = NULL;
	Line *lines = NULL, **linep = NULL;
	Mapping *maps = NULL, **mapp = NULL;
	Sample *smps = NULL, **smpp = NULL;
	Label *labels = NULL, **labelp = NULL;
	uint64_t *ids = NULL;
	int64_t *vals = NULL;
	uint32_t *depth = NULL;
	uint8_t *buf = NULL;
	int64_t s_comm;
	size_t len;
	int ret = -ENOMEM;

	/* strings: "", the fixed ones, then every frame name at name_base + id */
	if (add_str(&p, "") < 0)
		goto out;
	vt[0].type = add_str(&p, "samples");
	vt[0].unit = add_str(&p, "count");
	pt.type = add_str(&p, f->event ? f->event : "samples");
	pt.unit = add_str(&p, f->unit ? f->unit : "count");
	s_comm = add_str(&p, "comm");
	if (opts->comment)
		comment_idx = add_str(&p, opts->comment);
	if (vt[0].type < 0 || vt[0].unit < 0 || pt.type < 0 || pt.unit < 0 || s_comm < 0 ||
	    comment_idx < 0)
		goto out;
	p.name_base = p.nr_strs;
	for (size_t i = 0; i < f->nr_names; i++)
		if (add_str(&p, f->names[i].s) < 0)
			goto out;

	/* mappings, one per DSO */
	maps = calloc(f->nr_dsos + 1, sizeof(*maps));
	mapp = calloc(f->nr_dsos + 1, sizeof(*mapp));
	if (!maps || !mapp)
		goto out;
	for (size_t i = 0; i < f->nr_dsos; i++) {
		const struct fold_dso *d = &f->dsos[i];

		perftools__profiles__mapping__init(&maps[i]);
		maps[i].id = i + 1;
		maps[i].memory_start = d->start;
		maps[i].memory_limit = d->limit;
		maps[i].file_offset = d->pgoff;
		maps[i].filename = add_str(&p, d->name);
		maps[i].build_id = d->build_id ? add_str(&p, d->build_id) : 0;
		maps[i].has_functions = true;
		if (maps[i].filename < 0 || maps[i].build_id < 0)
			goto out;
		mapp[i] = &maps[i];
	}

	/* a function and a location per frame name (location id = function id = name + 1) */
	fns = calloc(f->nr_names + 1, sizeof(*fns));
	fnp = calloc(f->nr_names + 1, sizeof(*fnp));
	locs = calloc(f->nr_names + 1, sizeof(*locs));
	locp = calloc(f->nr_names + 1, sizeof(*locp));
	lines = calloc(f->nr_names + 1, sizeof(*lines));
	linep = calloc(f->nr_names + 1, sizeof(*linep));
	if (!fns || !fnp || !locs || !locp || !lines || !linep)
		goto out;
	for (size_t i = 0; i < f->nr_names; i++) {
		const struct fold_name *nm = &f->names[i];

		perftools__profiles__function__init(&fns[i]);
		fns[i].id = i + 1;
		fns[i].name = (int64_t)(p.name_base + i);
		fns[i].system_name = fns[i].name;
		fnp[i] = &fns[i];
		perftools__profiles__line__init(&lines[i]);
		lines[i].function_id = i + 1;
		linep[i] = &lines[i];
		perftools__profiles__location__init(&locs[i]);
		locs[i].id = i + 1;
		locs[i].n_line = 1;
		locs[i].line = &linep[i];
		if (nm->dso != FOLD_NONE) {
			const struct fold_dso *d = &f->dsos[nm->dso];

			locs[i].mapping_id = nm->dso + 1;
			/* the address is only kept where it lies in the mapping pfold reports */
			if (nm->addr >= d->start && nm->addr < d->limit)
				locs[i].address = nm->addr;
		}
		locp[i] = &locs[i];
	}

	/* samples: every node with samples in profile 0; depth gives the id count */
	depth = calloc(f->nr_nodes, sizeof(*depth));
	if (!depth)
		goto out;
	for (size_t i = 1; i < f->nr_nodes; i++) {
		uint32_t par = f->nodes[i].parent;

		depth[i] = depth[par] + (is_label(f, (uint32_t)i) ? 0 : 1);
		if (f->nodes[i].samples[0]) {
			ns++;
			nids += depth[i];
		}
	}
	smps = calloc(ns + 1, sizeof(*smps));
	smpp = calloc(ns + 1, sizeof(*smpp));
	labels = calloc(ns + 1, sizeof(*labels));
	labelp = calloc(ns + 1, sizeof(*labelp));
	ids = calloc(nids + 1, sizeof(*ids));
	vals = calloc(ns * nv + 1, sizeof(*vals));
	if (!smps || !smpp || !labels || !labelp || !ids || !vals)
		goto out;
	k = 0;
	nids = 0;
	for (size_t i = 1; i < f->nr_nodes; i++) {
		const struct fold_node *n = &f->nodes[i];
		Sample *s = &smps[k];
		uint32_t at = (uint32_t)i;

		if (!n->samples[0])
			continue;
		perftools__profiles__sample__init(s);
		s->location_id = &ids[nids];
		for (; at != FOLD_ROOT; at = f->nodes[at].parent) {
			if (is_label(f, at)) {
				perftools__profiles__label__init(&labels[k]);
				labels[k].key = s_comm;
				labels[k].str = (int64_t)(p.name_base + f->nodes[at].name);
				labelp[k] = &labels[k];
				s->n_label = 1;
				s->label = &labelp[k];
			} else {
				ids[nids + s->n_location_id++] = f->nodes[at].name + 1;
			}
		}
		nids += s->n_location_id;
		s->value = &vals[k * nv];
		s->n_value = nv;
		s->value[0] = (int64_t)n->samples[0];
		if (nv > 1)
			s->value[1] = (int64_t)n->period[0];
		smpp[k++] = s;
	}

	prof.n_sample_type = nv;
	prof.sample_type = vtp;
	if (nv > 1) {
		vt[1].type = pt.type;
		vt[1].unit = pt.unit;
		prof.default_sample_type = pt.type;
	}
	prof.n_sample = ns;
	prof.sample = smpp;
	prof.n_mapping = f->nr_dsos;
	prof.mapping = mapp;
	prof.n_location = f->nr_names;
	prof.location = locp;
	prof.n_function = f->nr_names;
	prof.function = fnp;
	prof.n_string_table = p.nr_strs;
	prof.string_table = p.strs;
	prof.period_type = &pt;
	prof.period = f->nr_samples[0] ? (int64_t)(f->nr_period[0] / f->nr_samples[0]) : 0;
	if (f->time_last > f->time_first)
		prof.duration_nanos = (int64_t)(f->time_last - f->time_first);
	if (comment_idx) {
		prof.n_comment = 1;
		prof.comment = &comment_idx;
	}
	len = perftools__profiles__profile__get_packed_size(&prof);
	buf = malloc(len ? len : 1);
	if (!buf)
		goto out;
	perftools__profiles__profile__pack(&prof, buf);
	ret = write_gz(buf, len, path, err);
out:
	if (ret == -ENOMEM && err && !err->code)
		error__set(err, ret, "out of memory");
	free(buf);
	free(vals);
	free(ids);
	free(labelp);
	free(labels);
	free(smpp);
	free(smps);
	free(depth);
	free(linep);
	free(lines);
	free(locp);
	free(locs);
	free(fnp);
	free(fns);
	free(mapp);
	free(maps);
	free(p.strs);
	return ret;
}
