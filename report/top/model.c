/* Owns ptop's live model (report/top/model.h): the events of the recording, the live
 * session, the histogram with its call graphs, the sample filters, decay and the snapshot.
 * Per sample: one hash probe for the event (several events only), one for the entry, one per
 * chain frame in the call graph; nothing allocated in the common case. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "perfdata/reader.h"
#include "perfdata/writer.h"
#include "report/hist/callchain.h"
#include "report/hist/hist.h"
#include "report/hist/sort.h"
#include "report/hist/sort_srcline.h"
#include "report/session/session.h"
#include "report/top/model_int.h"
#include "util/array.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/htab.h"
#include "util/strpool.h"

static int on_sample(void *ctx, struct session *s, const struct pd_sample *smp,
		     struct pd_evsel *evsel, struct thread *th);

struct top_model *top_model__new(const struct top_opts *o, struct error *err)
{
	struct top_model *m = calloc(1, sizeof(*m));
	char msg[256];

	if (!m) {
		error__nomem(err);
		return NULL;
	}
	m->o = *o;
	m->cc = (struct cc_param)CC_PARAM_DEFAULT;
	m->o.children = o->children && o->call_graph;
	if (m->o.children)
		m->cc.order = CC_ORDER_CALLER;	/* as preport prints children */
	if (sort_list__parse(&m->sort, o->sort ? o->sort : "dso,sym", msg, sizeof(msg))) {
		error__set(err, -EINVAL, "%s", msg);
		goto err;
	}
	if (o->parent)
		sort_list__add(&m->sort, SK_PARENT);	/* as preport's --parent */
	if (top_filter__init(&m->filter, o, err))
		goto err;
	m->key_thread = m->sort.has[SK_COMM] || m->sort.has[SK_PID] || m->sort.has[SK_TID] || m->sort.has[SK_NSPID];
	/* threads are freed some time after they exit: memory follows what is live */
	m->session = session__new_live(&(struct session_opts){ .demangle = o->demangle,
							       .reclaim_threads = true }, err);
	if (!m->session)
		goto err;
	m->hists = hists__new(&m->sort);
	m->arena = cc_arena__new();
	m->strs = strpool__new();
	if (hist_parent__init(&m->parent, o->parent, m->strs, o->demangle, err))
		goto err;
	if (m->strs && (m->sort.has[SK_SRCLINE] || m->sort.has[SK_SRCFILE]))
		m->srclines = srcline_cache__new(m->strs, false);
	if (!m->hists || !m->arena || !m->strs ||
	    ((m->sort.has[SK_SRCLINE] || m->sort.has[SK_SRCFILE]) && !m->srclines)) {
		error__nomem(err);
		goto err;
	}
	m->tool = (struct session_tool){ .sample = on_sample, .ctx = m };
	return m;
err:
	top_model__free(m);
	return NULL;
}

void top_model__free(struct top_model *m)
{
	if (!m)
		return;
	session__close(m->session);
	hists__free(m->hists);
	cc_arena__free(m->arena);
	srcline_cache__free(m->srclines);
	hist_parent__exit(&m->parent);
	strpool__free(m->strs);
	htab__exit(&m->dso_tab);
	htab__exit(&m->ids);
	free(m->dsos);
	for (size_t i = 0; i < m->nr_evsels; i++)
		free(m->evsels[i].name);
	free(m->evsels);
	free(m->rows);
	free(m->ord);
	free(m->hits);
	htab__exit(&m->annot_tab);
	htab__exit(&m->used_threads);
	top_filter__exit(&m->filter);
	free(m);
}

static void set_failed(struct top_model *m, int ret)
{
	if (!m->failed)
		m->failed = ret;
}

int top_model__error(const struct top_model *m, struct error *err)
{
	if (m->failed && err)
		*err = m->err;
	return m->failed;
}

/* ---- the events ---------------------------------------------------------------------- */

static int setup_evsels(struct top_model *m, const struct pd_event_desc *descs, size_t nr)
{
	m->evsels = calloc(nr ? nr : 1, sizeof(*m->evsels));
	if (!m->evsels)
		return -ENOMEM;
	m->nr_evsels = nr;
	for (size_t i = 0; i < nr; i++) {
		struct pd_evsel *e = &m->evsels[i];

		e->attr = *descs[i].attr;
		e->idx = (unsigned int)i;
		e->name = strdup(descs[i].name ? descs[i].name : "?");
		e->trailer_size = pd_sample__trailer_size(e->attr.sample_type);
		if (!e->name)
			return -ENOMEM;
		for (size_t k = 0; k < descs[i].nr_ids; k++)
			if (htab__insert(&m->ids, hash_u64(descs[i].ids[k]), i + 1))
				return -ENOMEM;
	}
	m->descs = descs;
	return 0;
}

/* The event a sample belongs to: its first word with PERF_SAMPLE_IDENTIFIER (set when there
 * are several events), else the only one. */
static struct pd_evsel *sample_evsel(struct top_model *m, const struct perf_event_header *h)
{
	uint64_t id;
	struct htab_slot *s;
	size_t pos;

	if (m->nr_evsels == 1 || !(m->evsels[0].attr.sample_type & PERF_SAMPLE_IDENTIFIER) ||
	    h->size < sizeof(*h) + 8)
		return &m->evsels[0];
	memcpy(&id, h + 1, 8);
	htab__for_each_hash(&m->ids, hash_u64(id), s, pos)
		return &m->evsels[s->val - 1];
	return NULL;
}

/* A record's time: the sample's field, or the sample_id trailer's (0 without one). */
static uint64_t record_time(const struct top_model *m, const struct perf_event_header *h)
{
	uint64_t t = m->evsels[0].attr.sample_type, time = 0;
	size_t off;

	if (!(t & PERF_SAMPLE_TIME))
		return 0;
	if (h->type == PERF_RECORD_SAMPLE) {
		off = sizeof(*h) + 8 * (!!(t & PERF_SAMPLE_IDENTIFIER) + !!(t & PERF_SAMPLE_IP) +
					!!(t & PERF_SAMPLE_TID));
	} else {
		if (!m->evsels[0].attr.sample_id_all || h->size < sizeof(*h) + m->evsels[0].trailer_size)
			return 0;
		off = h->size - m->evsels[0].trailer_size + 8 * !!(t & PERF_SAMPLE_TID);
	}
	if (off + 8 <= h->size)
		memcpy(&time, (const char *)h + off, 8);
	return time;
}

static int ord_cmp(const void *pa, const void *pb)
{
	const struct top_ord *a = pa, *b = pb;

	if (a->time != b->time)
		return a->time < b->time ? -1 : 1;
	return a->off < b->off ? -1 : a->off > b->off;	/* stable: the rings' own order */
}

/* One round, in time order: the rings are read one after the other, so a task's MMAP on one
 * CPU may sit behind its first samples on another. */
void top_model__feed(struct top_model *m, const struct pd_event_desc *descs, size_t nr_descs,
		     const void *buf, size_t len)
{
	const char *base = buf;
	size_t nr = 0;
	int ret;

	if (m->failed || !len)
		return;
	if (!m->evsels && setup_evsels(m, descs, nr_descs)) {
		set_failed(m, error__nomem(&m->err));
		return;
	}
	for (size_t off = 0; off + sizeof(struct perf_event_header) <= len;) {
		const struct perf_event_header *h = (const void *)(base + off);

		if (h->size < sizeof(*h) || off + h->size > len)
			break;
		if (ARRAY_GROW(m->ord, m->ord_cap, nr + 1)) {
			set_failed(m, error__nomem(&m->err));
			return;
		}
		m->ord[nr++] = (struct top_ord){ .time = record_time(m, h), .off = off };
		off += h->size;
	}
	array__sort(m->ord, nr, sizeof(*m->ord), ord_cmp);
	for (size_t i = 0; i < nr; i++) {
		const struct perf_event_header *h = (const void *)(base + m->ord[i].off);
		struct pd_record rec = { .hdr = h, .evsel = &m->evsels[0] };

		if (h->type == PERF_RECORD_SAMPLE && !(rec.evsel = sample_evsel(m, h)))
			continue;	/* an id of no event of ours */
		ret = session__feed(m->session, &m->tool, &rec, &m->err);
		if (ret) {
			set_failed(m, ret);
			return;
		}
	}
}

/* ---- per sample ---------------------------------------------------------------------- */

static const char *dso_short(struct top_model *m, const struct dso *dso)
{
	uint64_t h = hash_ptr(dso);
	struct htab_slot *s;
	const char *name, *b;
	size_t pos;

	htab__for_each_hash(&m->dso_tab, h, s, pos)
		if (m->dsos[s->val - 1].dso == dso)
			return m->dsos[s->val - 1].short_name;
	if (ARRAY_GROW(m->dsos, m->cap_dsos, m->nr_dsos + 1))
		return NULL;
	name = dso->name;
	b = strrchr(name, '/');
	if (name[0] == '/' && b)
		name = b + 1;
	m->dsos[m->nr_dsos] = (struct top_dso){ .dso = dso, .short_name = strpool__add(m->strs, name) };
	if (!m->dsos[m->nr_dsos].short_name || htab__insert(&m->dso_tab, h, m->nr_dsos + 1))
		return NULL;
	return m->dsos[m->nr_dsos++].short_name;
}

static char level_of(uint8_t cpumode)
{
	switch (cpumode) {
	case PERF_RECORD_MISC_KERNEL: return 'k';
	case PERF_RECORD_MISC_USER: return '.';
	case PERF_RECORD_MISC_GUEST_KERNEL: return 'g';
	case PERF_RECORD_MISC_GUEST_USER: return 'u';
	default: return 'H';
	}
}

/* The interned comm; the last one is recognized by its address (a session's comm strings
 * never change in place). */
static const char *comm_of(struct top_model *m, const char *comm)
{
	if (comm != m->last_comm) {
		const char *c = strpool__add(m->strs, comm);

		if (!c)
			return NULL;
		m->last_comm = comm;
		m->last_comm_interned = c;
	}
	return m->last_comm_interned;
}

/* @raw: a call-chain frame, whose address is looked up as is (as preport does). */
static int fill_key(struct top_model *m, struct hist_key *k, const struct addr_loc *al,
		    const struct pd_sample *smp, struct thread *th, const char *comm, bool raw)
{
	k->comm = comm_of(m, comm);
	k->thread = m->key_thread ? th : NULL;	/* kept (not reclaimed) while an entry has it */
	k->tid = th ? th->tid : -1;
	k->cpu = (smp->type & PERF_SAMPLE_CPU) ? (int32_t)smp->cpu : -1;
	k->level = level_of(smp->cpumode);
	k->dso = al->dso;
	k->dso_name = al->dso ? dso_short(m, al->dso) : NULL;
	k->sym = al->sym;
	k->sym_start = al->sym ? al->sym->start : 0;
	k->sym_end = al->sym ? al->sym->end : 0;
	k->symoff = al->symoff;
	k->ip = al->map && !raw ? al->addr : al->ip;
	/* source lines as preport finds them: one DWARF lookup per distinct address */
	if (m->srclines && srcline_cache__get(m->srclines, al->map ? al->dso : NULL, al->sym, k->ip,
					      raw, &k->srcline, &k->srcfile))
		return -ENOMEM;
	return !k->comm || (al->dso && !k->dso_name) ? -ENOMEM : 0;
}

/* The chain @fr (leaf first) as call-graph frames in the graphs' order: leaf first (callee)
 * or outermost caller first (caller, with children). */
static void chain_frames(struct top_model *m, const struct addr_loc *fr, int n)
{
	bool caller = m->cc.order == CC_ORDER_CALLER;

	for (int i = 0; i < n; i++) {
		const struct addr_loc *l = &fr[caller ? n - 1 - i : i];

		m->frames[i] = (struct cc_frame){
			.sym = l->sym, .ip = l->ip,
			.cmp = l->sym ? l->sym->start : l->ip,
			.dso_idx = l->dso ? l->dso->seq : 0,
		};
	}
}

/* Children, as preport counts them: the entry of every chain frame gets the period once per
 * sample however often its key recurs (@he, the sample's own entry, counts as seen), with the
 * chain from that frame to the leaf in its graph (caller order). 0 or -ENOMEM. */
static int add_children(struct top_model *m, const struct hist_key *k, struct hist_entry *he,
			const struct addr_loc *fr, int n, const struct pd_sample *smp,
			struct thread *th, const char *comm, uint64_t period)
{
	int nseen = 0;
	char level = k->level;

	m->seen[nseen++] = he;
	for (int i = 0; i < n; i++) {
		const struct addr_loc *l = &fr[n - 1 - i];
		struct hist_key fk = { 0 };
		struct hist_entry *fe;
		struct cc_root *root;
		bool dup = false, created;
		uint64_t h;

		if (l->map)
			level = l->cpumode == PERF_RECORD_MISC_KERNEL ? 'k' : '.';
		if (top_filter__hides(&m->filter, comm, l, m->o.demangle))
			continue;	/* --symbols, --dso, -K, -U: hidden entries, as perf top's */
		if (fill_key(m, &fk, l, smp, th, comm, true))
			return -ENOMEM;
		fk.level = level;
		fk.parent = k->parent;	/* the sample's, as preport gives every frame's entry */
		h = hist_key__hash(&m->sort, &fk);
		for (int j = 0; j < nseen && !dup; j++)
			dup = m->seen[j]->hash == h && hist_key__equal(&m->sort, &m->seen[j]->key, &fk);
		if (dup)
			continue;
		fe = hists__findnew(m->hists, &fk, h, &created);
		if (!fe)
			return -ENOMEM;
		fe->acc += period;
		root = cc_ref__root(&fe->cc, m->arena);
		if (!root || cc_root__append(root, m->arena, m->frames + i, (uint32_t)(n - i), period))
			return -ENOMEM;
		m->seen[nseen++] = fe;
	}
	return 0;
}

/* --sort parent: the first frame matching the parent regex in the graphs' order, as preport
 * finds it. 0 or -ENOMEM. */
static int parent_of(struct top_model *m, const struct addr_loc *fr, int n, const char **parent)
{
	bool caller = m->cc.order == CC_ORDER_CALLER, oom = false;

	for (int i = 0; i < n; i++)
		m->locs[i] = &fr[caller ? n - 1 - i : i];
	*parent = hist_parent__of(&m->parent, m->locs, n, &oom);
	return oom ? -ENOMEM : 0;
}

static int annotate_add(struct top_model *m, uint64_t off, uint64_t period)
{
	uint64_t h = hash_u64(off);
	struct htab_slot *s;
	size_t pos;

	m->annot_samples++;
	m->annot_period += period;
	htab__for_each_hash(&m->annot_tab, h, s, pos) {
		m->hits[s->val - 1].nr_samples++;
		m->hits[s->val - 1].period += period;
		return 0;
	}
	if (ARRAY_GROW(m->hits, m->cap_hits, m->nr_hits + 1) ||
	    htab__insert(&m->annot_tab, h, m->nr_hits + 1))
		return -ENOMEM;
	m->hits[m->nr_hits++] = (struct top_hit){ .off = off, .nr_samples = 1, .period = period };
	return 0;
}

int top_model__annotate_start(struct top_model *m, const struct hist_entry *he)
{
	if (!he->key.sym || !he->key.dso)
		return -ENOENT;
	m->annot_sym = he->key.sym;
	htab__clear(&m->annot_tab);
	m->nr_hits = 0;
	m->annot_samples = m->annot_period = 0;
	return 0;
}

const struct top_hit *top_model__annotate_hits(const struct top_model *m, size_t *nr,
					       uint64_t *nr_samples, uint64_t *period)
{
	*nr = m->nr_hits;
	*nr_samples = m->annot_samples;
	*period = m->annot_period;
	return m->hits;
}

static int on_sample(void *ctx, struct session *s, const struct pd_sample *smp,
		     struct pd_evsel *evsel, struct thread *th)
{
	struct top_model *m = ctx;
	struct addr_loc al;
	struct hist_key k = { 0 };
	struct hist_entry *he;
	const char *comm = th && th->comm ? th->comm : ":-1";
	uint64_t period = smp->type & PERF_SAMPLE_PERIOD ? smp->period : evsel->attr.sample_period;
	const struct addr_loc *fr;
	bool created;
	int nf = 0;

	if (evsel->idx != 0)
		return 0;	/* the view shows the first event, as perf top does by default */
	if (m->o.uid_set && !top_filter__uid_ok(&m->filter, th ? th->pid : -1))
		return 0;
	m->samples++;
	m->total_samples++;
	m->kernel_samples += smp->cpumode == PERF_RECORD_MISC_KERNEL;
	session__resolve(s, th, smp->cpumode, smp->ip, &al);
	if (al.sym && al.sym == m->annot_sym && annotate_add(m, al.addr - al.sym->start, period))
		return error__nomem(&m->err);
	if (top_filter__hides(&m->filter, comm, &al, m->o.demangle)) {
		m->filtered_period += period;
		return 0;
	}
	if ((m->o.call_graph || m->sort.has[SK_PARENT]) && (nf = session__callchain(s, th, smp, &fr)) < 0)
		nf = 0;
	if (fill_key(m, &k, &al, smp, th, comm, false))
		return error__nomem(&m->err);
	if (m->sort.has[SK_PARENT] && nf > 0 && parent_of(m, fr, nf, &k.parent))
		return error__nomem(&m->err);
	he = hists__findnew(m->hists, &k, hist_key__hash(&m->sort, &k), &created);
	if (!he)
		return error__nomem(&m->err);
	he->self += period;
	he->nr_events++;
	if (m->o.children)
		he->acc += period;
	if (!m->o.call_graph)
		nf = 0;
	if (nf > 0) {
		struct cc_root *root = cc_ref__root(&he->cc, m->arena);

		chain_frames(m, fr, nf);
		if (!root || cc_root__append(root, m->arena, m->frames, (uint32_t)nf, period))
			return error__nomem(&m->err);
	}
	if (m->o.children && nf > 0 && add_children(m, &k, he, fr, nf, smp, th, comm, period))
		return error__nomem(&m->err);
	return 0;
}

/* ---- refresh ------------------------------------------------------------------------- */

static int row_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct top_row *a = pa, *b = pb;
	const struct top_model *m = ctx;

	if (m->o.children && a->he->acc != b->he->acc)
		return a->he->acc > b->he->acc ? -1 : 1;
	if (a->he->self != b->he->self)
		return a->he->self > b->he->self ? -1 : 1;
	return hist_key__cmp(&m->sort, &a->he->key, &b->he->key, m->o.demangle);
}

static bool view_shows(const struct top_model *m, const struct top_view *v,
		       const struct hist_entry *he)
{
	if (v && v->dso_name && (!he->key.dso_name || strcmp(he->key.dso_name, v->dso_name)))
		return false;
	if (v && v->sym_name) {
		const char *n = top_model__sym_name(m, he);

		if (!n || strcmp(n, v->sym_name))
			return false;
	}
	return true;
}

int top_model__snapshot(struct top_model *m, const struct top_view *v, const struct top_row **rows,
			size_t *nr, struct top_stats *st)
{
	struct hists *h = m->hists;
	uint64_t total = m->filtered_period;
	size_t n = 0;

	for (size_t i = 0; i < h->nr; i++)
		total += h->v[i]->self;
	m->total = total;
	if (ARRAY_GROW(m->rows, m->cap_rows, h->nr + 1))
		return -ENOMEM;
	for (size_t i = 0; i < h->nr; i++) {
		struct hist_entry *he = h->v[i];
		double pct = total ? 100.0 * (double)he->self / (double)total : 0;
		double acc_pct = total ? 100.0 * (double)he->acc / (double)total : 0;

		if (m->o.children ? !he->acc || acc_pct < m->o.percent_limit
				  : !he->self || pct < m->o.percent_limit)
			continue;
		if (!view_shows(m, v, he))
			continue;
		m->rows[n++] = (struct top_row){ .he = he, .pct = pct, .acc_pct = acc_pct };
	}
	qsort_r(m->rows, n, sizeof(*m->rows), row_cmp, m);
	if (v && v->max_rows && n > v->max_rows)
		n = v->max_rows;
	m->nr_rows = n;
	*rows = m->rows;
	*nr = n;
	if (!st)
		return 0;	/* a redraw (resize, filter): the interval goes on */
	{
		const struct session_stats *ss = session__stats(m->session);

		*st = (struct top_stats){
			.samples = m->samples, .kernel_samples = m->kernel_samples,
			.total_samples = m->total_samples, .lost = ss->nr_lost + ss->nr_lost_samples,
			.event = m->nr_evsels ? m->evsels[0].name : NULL, .nr_events = m->nr_evsels,
		};
	}
	m->samples = m->kernel_samples = 0;
	return 0;
}

/* Decay a graph's numbers; those under @floor (1/PRUNE_SHARE of the total) become 0, so that
 * a rebuild leaves the node out (a sum under it has every part under it too). */
static void cc_scale(struct cc_node *n, unsigned int num, uint64_t floor)
{
	n->hit = n->hit * num / DECAY_DEN;
	n->children_hit = n->children_hit * num / DECAY_DEN;
	if (n->hit < floor)
		n->hit = 0;
	if (n->children_hit < floor)
		n->children_hit = 0;
	n->count = n->count * num / DECAY_DEN;
	n->children_count = n->children_count * num / DECAY_DEN;
	for (uint32_t i = 0; i < n->nr_kids; i++)
		cc_scale(n->kids[i], num, floor);
}

void top_model__set_zero(struct top_model *m, bool zero)
{
	m->o.zero = zero;
}

/* An entry under 1/PRUNE_SHARE of the total (self and children), or decayed to nothing. */
static bool entry_spent(const struct hist_entry *he, void *ctx)
{
	uint64_t total = *(const uint64_t *)ctx;

	return (!he->self || he->self < total / PRUNE_SHARE) &&
	       (!he->acc || he->acc < total / PRUNE_SHARE);
}

/* The call-graph trees, decayed nodes left out, into a new arena. 0 or -ENOMEM (the old
 * trees kept). */
static int rebuild_graphs(struct top_model *m)
{
	struct cc_arena *a = cc_arena__new();
	struct hists *h = m->hists;
	struct cc_ref *refs = calloc(h->nr ? h->nr : 1, sizeof(*refs));

	if (!a || !refs)
		goto err;
	for (size_t i = 0; i < h->nr; i++) {
		const struct cc_root *old = h->v[i]->cc.root;

		if (old && (!cc_ref__root(&refs[i], a) || cc_root__merge(refs[i].root, a, old)))
			goto err;
	}
	for (size_t i = 0; i < h->nr; i++)
		h->v[i]->cc.root = refs[i].root;
	free(refs);
	cc_arena__free(m->arena);
	m->arena = a;
	m->arena_kept = cc_arena__bytes(a);
	return 0;
err:
	free(refs);
	cc_arena__free(a);
	return -ENOMEM;
}

static bool thread_in_use(void *ctx, const struct thread *th)
{
	struct top_model *m = ctx;
	struct htab_slot *s;
	size_t pos;

	htab__for_each_hash(&m->used_threads, hash_ptr(th), s, pos)
		if (s->val == (uintptr_t)th)
			return true;
	return false;
}

/* Memory bounded by what is live: entries of ~0 share dropped (and taken out of the last
 * snapshot's rows), their trees' nodes left behind when the arena is rebuilt, threads that
 * exited freed once no entry refers to them. Failing to allocate here only delays it. */
static void prune(struct top_model *m)
{
	struct hists *h = m->hists;
	size_t n = 0;

	if (hists__prune(h, entry_spent, &m->prune_total) > 0) {
		for (size_t i = 0; i < m->nr_rows; i++)
			if (!entry_spent(m->rows[i].he, &m->prune_total))
				m->rows[n++] = m->rows[i];
		m->nr_rows = n;
	}
	if (m->o.call_graph && cc_arena__bytes(m->arena) > ARENA_REBUILD_MIN &&
	    cc_arena__bytes(m->arena) > 2 * m->arena_kept)
		rebuild_graphs(m);
	htab__clear(&m->used_threads);
	for (size_t i = 0; i < h->nr; i++) {
		const struct thread *th = h->v[i]->key.thread;

		if (th && !thread_in_use(m, th) &&
		    htab__insert(&m->used_threads, hash_ptr(th), (uintptr_t)th))
			return;		/* no memory: no thread is freed this time */
	}
	if (session__reclaim(m->session, thread_in_use, m))
		m->last_comm = NULL;	/* its address may be a freed thread's default comm */	/* its address may be a freed thread's default comm */
}

void top_model__decay(struct top_model *m)
{
	unsigned int num = m->o.zero ? 0 : DECAY_NUM;
	struct hists *h = m->hists;
	uint64_t total = m->filtered_period;

	/* judged on the shares just shown: with -z, entries with no samples in the interval */
	for (size_t i = 0; i < h->nr; i++)
		total += h->v[i]->self;
	m->prune_total = total;
	prune(m);
	for (size_t i = 0; i < h->nr; i++) {
		struct hist_entry *he = h->v[i];

		if (!he->self && !he->nr_events && !he->acc)
			continue;
		he->self = he->self * num / DECAY_DEN;
		he->acc = he->acc * num / DECAY_DEN;
		he->nr_events = he->nr_events * num / DECAY_DEN;
		if (m->o.call_graph && he->cc.root)
			cc_scale(&he->cc.root->node, num, total / PRUNE_SHARE);
	}
	m->filtered_period = m->filtered_period * num / DECAY_DEN;
}
