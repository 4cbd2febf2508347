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
#include "util/array.h"

typedef Perftools__Profiles__Profile Profile;
typedef Perftools__Profiles__Sample Sample;
typedef Perftools__Profiles__Location Location;
typedef Perftools__Profiles__Line Line;
typedef Perftools__Profiles__Function Function;
typedef Perftools__Profiles__Mapping Mapping;
typedef Perftools__Profiles__Label Label;
typedef Perftools__Profiles__ValueType ValueType;

/* The message being built: its string table and the bulk arrays the message points into. */
struct pp {
	const struct fold *f;
	const struct pprof_opts *opts;
	size_t nv;			/* values per sample: samples (and period) */
	char **strs;
	size_t nr_strs, strs_cap;
	size_t name_base;		/* string index of fold name 0 */
	int64_t s_comm, comment;	/* string indexes of "comm" and the comment (0: none) */
	ValueType vt[2], pt;
	ValueType *vtp[2];
	Mapping *maps, **mapp;
	Function *fns, **fnp;
	Location *locs, **locp;
	Line *lines, **linep;
	Sample *smps, **smpp;
	size_t ns;			/* samples */
	Label *labels, **labelp;
	uint64_t *ids;
	int64_t *vals;
	uint32_t *depth;
};

static int64_t add_str(struct pp *p, const char *s)
{
	if (ARRAY_GROW(p->strs, p->strs_cap, p->nr_strs + 1))
		return -1;
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

/* Strings: "", the fixed ones, then every frame name at name_base + id. */
static int pp_strings(struct pp *p)
{
	const struct fold *f = p->f;

	if (add_str(p, "") < 0)
		return -ENOMEM;
	p->vt[0].type = add_str(p, "samples");
	p->vt[0].unit = add_str(p, "count");
	p->pt.type = add_str(p, f->event ? f->event : "samples");
	p->pt.unit = add_str(p, f->unit ? f->unit : "count");
	p->s_comm = add_str(p, "comm");
	if (p->opts->comment)
		p->comment = add_str(p, p->opts->comment);
	if (p->vt[0].type < 0 || p->vt[0].unit < 0 || p->pt.type < 0 || p->pt.unit < 0 ||
	    p->s_comm < 0 || p->comment < 0)
		return -ENOMEM;
	p->name_base = p->nr_strs;
	for (size_t i = 0; i < f->nr_names; i++)
		if (add_str(p, f->names[i].s) < 0)
			return -ENOMEM;
	return 0;
}

/* Mappings, one per DSO (their strings follow the names). */
static int pp_mappings(struct pp *p)
{
	const struct fold *f = p->f;

	p->maps = calloc(f->nr_dsos + 1, sizeof(*p->maps));
	p->mapp = calloc(f->nr_dsos + 1, sizeof(*p->mapp));
	if (!p->maps || !p->mapp)
		return -ENOMEM;
	for (size_t i = 0; i < f->nr_dsos; i++) {
		const struct fold_dso *d = &f->dsos[i];
		Mapping *m = &p->maps[i];

		perftools__profiles__mapping__init(m);
		m->id = i + 1;
		m->memory_start = d->start;
		m->memory_limit = d->limit;
		m->file_offset = d->pgoff;
		m->filename = add_str(p, d->name);
		m->build_id = d->build_id ? add_str(p, d->build_id) : 0;
		m->has_functions = true;
		if (m->filename < 0 || m->build_id < 0)
			return -ENOMEM;
		p->mapp[i] = m;
	}
	return 0;
}

/* A function and a location per frame name (location id = function id = name + 1). */
static int pp_functions(struct pp *p)
{
	const struct fold *f = p->f;
	size_t n = f->nr_names + 1;

	p->fns = calloc(n, sizeof(*p->fns));
	p->fnp = calloc(n, sizeof(*p->fnp));
	p->locs = calloc(n, sizeof(*p->locs));
	p->locp = calloc(n, sizeof(*p->locp));
	p->lines = calloc(n, sizeof(*p->lines));
	p->linep = calloc(n, sizeof(*p->linep));
	if (!p->fns || !p->fnp || !p->locs || !p->locp || !p->lines || !p->linep)
		return -ENOMEM;
	for (size_t i = 0; i < f->nr_names; i++) {
		const struct fold_name *nm = &f->names[i];
		Location *loc = &p->locs[i];

		perftools__profiles__function__init(&p->fns[i]);
		p->fns[i].id = i + 1;
		p->fns[i].name = (int64_t)(p->name_base + i);
		p->fns[i].system_name = p->fns[i].name;
		p->fnp[i] = &p->fns[i];
		perftools__profiles__line__init(&p->lines[i]);
		p->lines[i].function_id = i + 1;
		p->linep[i] = &p->lines[i];
		perftools__profiles__location__init(loc);
		loc->id = i + 1;
		loc->n_line = 1;
		loc->line = &p->linep[i];
		if (nm->dso != FOLD_NONE) {
			const struct fold_dso *d = &f->dsos[nm->dso];

			loc->mapping_id = nm->dso + 1;
			/* the address is only kept where it lies in the mapping pfold reports */
			if (nm->addr >= d->start && nm->addr < d->limit)
				loc->address = nm->addr;
		}
		p->locp[i] = loc;
	}
	return 0;
}

/* One sample for the stack ending at @node: location ids leaf first, the comm frame at the
 * root as a label. */
static void pp_sample(struct pp *p, uint32_t node, size_t k, size_t *nids)
{
	const struct fold *f = p->f;
	const struct fold_node *n = &f->nodes[node];
	Sample *s = &p->smps[k];

	perftools__profiles__sample__init(s);
	s->location_id = &p->ids[*nids];
	for (uint32_t at = node; at != FOLD_ROOT; at = f->nodes[at].parent) {
		if (is_label(f, at)) {
			perftools__profiles__label__init(&p->labels[k]);
			p->labels[k].key = p->s_comm;
			p->labels[k].str = (int64_t)(p->name_base + f->nodes[at].name);
			p->labelp[k] = &p->labels[k];
			s->n_label = 1;
			s->label = &p->labelp[k];
		} else {
			p->ids[*nids + s->n_location_id++] = f->nodes[at].name + 1;
		}
	}
	*nids += s->n_location_id;
	s->value = &p->vals[k * p->nv];
	s->n_value = p->nv;
	s->value[0] = (int64_t)n->samples[0];
	if (p->nv > 1)
		s->value[1] = (int64_t)n->period[0];
	p->smpp[k] = s;
}

/* Samples: every node with samples in profile 0; its depth gives its number of ids. */
static int pp_samples(struct pp *p)
{
	const struct fold *f = p->f;
	size_t ns = 0, nids = 0, k = 0;

	p->depth = calloc(f->nr_nodes, sizeof(*p->depth));
	if (!p->depth)
		return -ENOMEM;
	for (size_t i = 1; i < f->nr_nodes; i++) {
		uint32_t par = f->nodes[i].parent;

		p->depth[i] = p->depth[par] + (is_label(f, (uint32_t)i) ? 0 : 1);
		if (f->nodes[i].samples[0]) {
			ns++;
			nids += p->depth[i];
		}
	}
	p->smps = calloc(ns + 1, sizeof(*p->smps));
	p->smpp = calloc(ns + 1, sizeof(*p->smpp));
	p->labels = calloc(ns + 1, sizeof(*p->labels));
	p->labelp = calloc(ns + 1, sizeof(*p->labelp));
	p->ids = calloc(nids + 1, sizeof(*p->ids));
	p->vals = calloc(ns * p->nv + 1, sizeof(*p->vals));
	if (!p->smps || !p->smpp || !p->labels || !p->labelp || !p->ids || !p->vals)
		return -ENOMEM;
	nids = 0;
	for (size_t i = 1; i < f->nr_nodes; i++)
		if (f->nodes[i].samples[0])
			pp_sample(p, (uint32_t)i, k++, &nids);
	p->ns = ns;
	return 0;
}

/* The message's top level, pointing into what the steps above built. */
static void pp_profile(struct pp *p, Profile *prof)
{
	const struct fold *f = p->f;

	prof->n_sample_type = p->nv;
	prof->sample_type = p->vtp;
	if (p->nv > 1) {
		p->vt[1].type = p->pt.type;
		p->vt[1].unit = p->pt.unit;
		prof->default_sample_type = p->pt.type;
	}
	prof->n_sample = p->ns;
	prof->sample = p->smpp;
	prof->n_mapping = f->nr_dsos;
	prof->mapping = p->mapp;
	prof->n_location = f->nr_names;
	prof->location = p->locp;
	prof->n_function = f->nr_names;
	prof->function = p->fnp;
	prof->n_string_table = p->nr_strs;
	prof->string_table = p->strs;
	prof->period_type = &p->pt;
	prof->period = f->nr_samples[0] ? (int64_t)(f->nr_period[0] / f->nr_samples[0]) : 0;
	if (f->time_last > f->time_first)
		prof->duration_nanos = (int64_t)(f->time_last - f->time_first);
	if (p->comment) {
		prof->n_comment = 1;
		prof->comment = &p->comment;
	}
}

/* Packed once into one buffer, then gzipped out. */
static int pp_encode(const Profile *prof, const char *path, struct error *err)
{
	size_t len = perftools__profiles__profile__get_packed_size(prof);
	uint8_t *buf = malloc(len ? len : 1);
	int ret;

	if (!buf)
		return -ENOMEM;
	perftools__profiles__profile__pack(prof, buf);
	ret = write_gz(buf, len, path, err);
	free(buf);
	return ret;
}

static void pp_exit(struct pp *p)
{
	free(p->vals);
	free(p->ids);
	free(p->labelp);
	free(p->labels);
	free(p->smpp);
	free(p->smps);
	free(p->depth);
	free(p->linep);
	free(p->lines);
	free(p->locp);
	free(p->locs);
	free(p->fnp);
	free(p->fns);
	free(p->mapp);
	free(p->maps);
	free(p->strs);
}

int pprof__write(const struct fold *f, const struct pprof_opts *opts, const char *path,
		 struct error *err)
{
	struct pp p = {
		.f = f, .opts = opts, .nv = opts->period ? 2 : 1,
		.vt = { PERFTOOLS__PROFILES__VALUE_TYPE__INIT, PERFTOOLS__PROFILES__VALUE_TYPE__INIT },
		.pt = PERFTOOLS__PROFILES__VALUE_TYPE__INIT,
	};
	Profile prof = PERFTOOLS__PROFILES__PROFILE__INIT;
	int ret;

	p.vtp[0] = &p.vt[0];
	p.vtp[1] = &p.vt[1];
	ret = pp_strings(&p);
	if (!ret)
		ret = pp_mappings(&p);
	if (!ret)
		ret = pp_functions(&p);
	if (!ret)
		ret = pp_samples(&p);
	if (!ret) {
		pp_profile(&p, &prof);
		ret = pp_encode(&prof, path, err);
	}
	if (ret == -ENOMEM && err && !err->code)
		error__nomem(err);
	pp_exit(&p);
	return ret;
}
