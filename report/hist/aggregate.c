/* Owns preport's aggregation: per sample, the filters, the entry of the sampled address
 * (self), the entries of its call-chain frames (children, each counted once per sample),
 * the call-graph trees and the parent symbol; then the order of entries, and hands each
 * event's histogram to the printer (report_print.c). */
#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/hist/hist.h"
#include "report/hist/preport.h"
#include "report/hist/preport_int.h"
#include "report/session/session.h"
#include "report/hist/sort_srcline.h"
#include "perfdata/format.h"
#include "util/log.h"

#define DEFAULT_PARENT "^sys_|^do_page_fault"
#define NO_MATCH ((const char *)&no_match_marker)

static const char no_match_marker;

/* ---- pointer maps (DSO info, parent matches): open addressing --------------------- */

static inline size_t pm_hash(const void *p)
{
	uint64_t h = (uintptr_t)p * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h ^ (h >> 29));
}

static const void **ptrmap__slot(struct ptrmap *m, const void *k)
{
	size_t i;

	if (m->nr * 2 >= m->nb) {
		size_t nb = m->nb ? m->nb * 2 : 256;
		struct pm_ent *e = calloc(nb, sizeof(*e));

		if (!e)
			return NULL;
		for (i = 0; i < m->nb; i++) {
			size_t j;

			if (!m->e[i].k)
				continue;
			for (j = pm_hash(m->e[i].k) & (nb - 1); e[j].k; j = (j + 1) & (nb - 1))
				;
			e[j] = m->e[i];
		}
		free(m->e);
		m->e = e;
		m->nb = nb;
	}
	for (i = pm_hash(k) & (m->nb - 1); m->e[i].k; i = (i + 1) & (m->nb - 1))
		if (m->e[i].k == k)
			return &m->e[i].v;
	m->e[i].k = k;
	m->e[i].v = NULL;
	m->nr++;
	return &m->e[i].v;
}

/* ---- filters ------------------------------------------------------------------------ */

static int split_csv(const char *s, char ***out, size_t *nr)
{
	char *dup, *tok, *save = NULL;

	*out = NULL;
	*nr = 0;
	if (!s)
		return 0;
	dup = strdup(s);
	if (!dup)
		return -ENOMEM;
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char **v = realloc(*out, (*nr + 1) * sizeof(*v));

		if (!v || !(v[*nr] = strdup(tok))) {
			if (v)
				*out = v;
			free(dup);
			return -ENOMEM;
		}
		*out = v;
		(*nr)++;
	}
	free(dup);
	return 0;
}

static void free_list(char **v, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		free(v[i]);
	free(v);
}

static bool in_list(char **v, size_t nr, const char *s)
{
	for (size_t i = 0; i < nr; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

static int parse_ints(const char *s, const char *what, int **out, size_t *nr, struct error *err)
{
	char **v;
	size_t n, i;

	if (split_csv(s, &v, &n))
		return error__nomem(err);
	*out = calloc(n ? n : 1, sizeof(**out));
	if (!*out) {
		free_list(v, n);
		return error__nomem(err);
	}
	for (i = 0; i < n; i++) {
		char *end;
		long x = strtol(v[i], &end, 10);

		if (end == v[i] || *end) {
			error__set(err, -EINVAL, "bad %s '%s' (expected numbers separated by commas)", what, v[i]);
			free_list(v, n);
			return -EINVAL;
		}
		(*out)[i] = (int)x;
	}
	*nr = n;
	free_list(v, n);
	return 0;
}

static bool in_ints(const int *v, size_t nr, int x)
{
	for (size_t i = 0; i < nr; i++)
		if (v[i] == x)
			return true;
	return false;
}

static int parse_cpus(struct rep *R, const char *s, struct error *err)
{
	const char *p = s;

	R->cpu_bits = calloc(REP_MAX_CPUS / 8, 1);
	if (!R->cpu_bits)
		return error__nomem(err);
	while (*p) {
		char *end;
		long a = strtol(p, &end, 10), b;

		if (end == p || a < 0 || a >= REP_MAX_CPUS)
			goto bad;
		b = a;
		p = end;
		if (*p == '-') {
			b = strtol(p + 1, &end, 10);
			if (end == p + 1 || b < a || b >= REP_MAX_CPUS)
				goto bad;
			p = end;
		}
		for (long c = a; c <= b; c++)
			R->cpu_bits[c / 8] |= (uint8_t)(1 << (c % 8));
		if (*p == ',')
			p++;
		else if (*p)
			goto bad;
	}
	return 0;
bad:
	return error__set(err, -EINVAL, "bad CPU list '%s' (expected e.g. 0-3,7)", s);
}

static int parse_time_point(const char *s, size_t len, uint64_t *ns)
{
	char buf[64], *end;
	char *dot;
	uint64_t sec, frac = 0;
	size_t fl;

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	dot = strchr(buf, '.');
	if (dot)
		*dot = '\0';
	sec = strtoull(buf, &end, 10);
	if (end == buf || *end)
		return -EINVAL;
	if (dot) {
		fl = strlen(dot + 1);
		if (fl > 9)
			return -EINVAL;
		if (fl) {
			frac = strtoull(dot + 1, &end, 10);
			if (*end)
				return -EINVAL;
			for (; fl < 9; fl++)
				frac *= 10;
		}
	}
	*ns = sec * 1000000000ULL + frac;
	return 0;
}

static int parse_time(struct rep *R, const char *s, struct error *err)
{
	const char *comma = strchr(s, ',');

	if (!comma)
		goto bad;
	R->t0 = 0;
	R->t1 = UINT64_MAX;
	if (comma > s && parse_time_point(s, (size_t)(comma - s), &R->t0))
		goto bad;
	if (comma[1] && parse_time_point(comma + 1, strlen(comma + 1), &R->t1))
		goto bad;
	R->time_set = true;
	return 0;
bad:
	return error__set(err, -EINVAL, "bad --time '%s' (expected START,END in seconds, e.g. 1234.5,1236 "
			     "or ,1236)", s);
}

/* ---- per-sample work ---------------------------------------------------------------- */

static const struct rep_dso *dso_info(struct rep *R, struct dso *dso)
{
	const void **slot;
	struct rep_dso *d;
	const char *name, *b;

	if (!dso)
		return NULL;
	slot = ptrmap__slot(&R->dsos, dso);
	if (!slot)
		return NULL;
	if (*slot)
		return *slot;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	name = dso->name;
	b = strrchr(name, '/');
	if (name[0] == '/' && b)
		name = b + 1;
	d->short_name = strtab__intern(R->strs, name, strlen(name));
	/* perf orders DSOs of equal rank by their struct's address: creation order, as the
	 * session creates them (build-id table first, then as records name them) */
	d->idx = dso->seq;
	d->next = R->dso_list;
	R->dso_list = d;
	*slot = d;
	return d->short_name ? d : NULL;
}

/* An inlined level's name as perf shows it: "name (inlined)", interned, once per level;
 * NULL for a frame as resolved (or a level that is its function). *oom on ENOMEM. */
static const char *inl_name(struct rep *R, const struct addr_loc *l, bool *oom)
{
	const void **slot;
	char buf[1024];
	int n;

	if (!l->inl || !l->inl->inlined)
		return NULL;
	slot = ptrmap__slot(&R->inl_names, l->inl);
	if (slot && !*slot) {
		n = snprintf(buf, sizeof(buf), "%s (inlined)", l->inl->name);
		*slot = strtab__intern(R->strs, buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	}
	if (!slot || !*slot)
		*oom = true;
	return slot ? *slot : NULL;
}

/* First symbol in the chain's order that matches the parent regex (perf's rule); an
 * inlined level is matched by its own name. */
static const char *parent_of(struct rep *R, const struct addr_loc **locs, int nf)
{
	for (int i = 0; i < nf; i++) {
		struct symbol *sym = locs[i]->sym;
		bool inlined = locs[i]->inl && locs[i]->inl->inlined;
		const void **slot;

		if (!sym)
			continue;
		slot = ptrmap__slot(&R->parents, inlined ? (const void *)locs[i]->inl : sym);
		if (!slot)
			return NULL;
		if (!*slot) {
			const char *name = inlined ? locs[i]->inl->name : symbol__name(sym, R->o->demangle);

			if (!regexec(&R->parent_re, name, 0, NULL, 0))
				*slot = strtab__intern(R->strs, name, strlen(name));
			if (!*slot)
				*slot = NO_MATCH;
		}
		if (*slot != NO_MATCH)
			return *slot;
	}
	return NULL;
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

/* Key fields that come from an address (the rest are the sample's). */
static int key_from_loc(struct rep *R, struct hist_key *k, const struct addr_loc *al, bool raw)
{
	const struct rep_dso *d = NULL;

	if (al->dso) {
		d = dso_info(R, al->dso);
		if (!d)
			return -ENOMEM;
	}
	k->dso = al->dso;
	k->dso_name = d ? d->short_name : NULL;
	k->sym = al->sym;
	k->sym_start = al->sym ? al->sym->start : 0;
	k->sym_end = al->sym ? al->sym->end : 0;
	k->symoff = al->symoff;
	k->ip = raw || !al->map ? al->ip : al->addr;
	if (R->sort.has[SK_SRCLINE] || R->sort.has[SK_SRCFILE]) {
		if (srcline_cache__get(R->srclines, al->map ? al->dso : NULL, al->sym, k->ip, raw,
				       &k->srcline, &k->srcfile))
			return -ENOMEM;
	}
	return 0;
}

static int add_entry_hashed(struct hists *h, const struct hist_key *k, uint64_t hash,
			    bool filtered, struct hist_entry **out)
{
	bool created;
	struct hist_entry *he = hists__findnew(h, k, hash, &created);

	if (!he)
		return -ENOMEM;
	if (created)
		he->filtered = filtered;
	*out = he;
	return 0;
}

static int add_entry(struct rep *R, struct hists *h, const struct hist_key *k, bool filtered,
		     struct hist_entry **out)
{
	return add_entry_hashed(h, k, hist_key__hash(&R->sort, k), filtered, out);
}

static int on_sample(void *ctx, struct session *s, const struct pd_sample *smp,
		     struct pd_evsel *evsel, struct thread *th)
{
	struct rep *R = ctx;
	struct rep_event *ev = &R->ev[evsel->idx];
	const struct report_opts *o = R->o;
	struct addr_loc al;
	struct hist_key k = { 0 };
	struct hist_entry *he;
	const char *comm = th && th->comm ? th->comm : ":-1";
	bool filtered = false, has_chain = ev->has_chain && R->need_chain, oom = false;
	uint64_t period = smp->period;
	int nf = 0, ncache = 0;

	if (R->time_set && (smp->time < R->t0 || smp->time > R->t1))
		return 0;
	if (R->cpu_bits && (smp->cpu >= REP_MAX_CPUS || !(R->cpu_bits[smp->cpu / 8] & (1 << (smp->cpu % 8)))))
		return 0;
	if (!(smp->type & PERF_SAMPLE_PERIOD))
		period = evsel->attr.sample_period;
	session__resolve(s, th, smp->cpumode, smp->ip, &al);

	if (R->nr_comms && !in_list(R->comms, R->nr_comms, comm))
		filtered = true;
	if (R->nr_pids && (!th || !in_ints(R->pids, R->nr_pids, th->pid)))
		filtered = true;
	if (R->nr_tids && (!th || !in_ints(R->tids, R->nr_tids, th->tid)))
		filtered = true;
	if (R->nr_dso_filter) {
		const struct rep_dso *d = al.map ? dso_info(R, al.dso) : NULL;

		if (!d || (!in_list(R->dso_filter, R->nr_dso_filter, d->short_name) &&
			   !in_list(R->dso_filter, R->nr_dso_filter, al.dso->name)))
			filtered = true;
	}
	if (R->nr_sym_filter && (!al.sym || !in_list(R->sym_filter, R->nr_sym_filter,
						      symbol__name(al.sym, o->demangle))))
		filtered = true;

	if (has_chain) {
		const struct addr_loc *fr;
		int n = session__callchain(s, th, smp, &fr);

		for (int i = 0; i < n; i++)
			R->locs[nf++] = &fr[R->cc.order == CC_ORDER_CALLEE ? i : n - 1 - i];
	}

	k.comm = strtab__intern(R->strs, comm, strlen(comm));
	if (!k.comm)
		return error__nomem(R->err);
	k.thread = th;
	k.tid = th ? th->tid : -1;
	k.cpu = (smp->type & PERF_SAMPLE_CPU) ? (int32_t)smp->cpu : -1;
	k.level = level_of(smp->cpumode);
	if (R->sort.has[SK_PARENT]) {
		k.parent = parent_of(R, R->locs, nf);
		if (o->exclude_other && !k.parent)
			filtered = true;
	}
	if (key_from_loc(R, &k, &al, false) || add_entry(R, ev->hists, &k, filtered, &he))
		return error__nomem(R->err);
	he->self += period;
	he->nr_events++;
	if (R->children)
		he->acc += period;
	if (nf && R->use_cc) {
		for (int i = 0; i < nf; i++) {
			const struct addr_loc *l = R->locs[i];
			const struct rep_dso *d = l->dso ? dso_info(R, l->dso) : NULL;

			R->frames[i] = (struct cc_frame){
				.dso = l->dso, .sym = l->sym, .ip = l->ip,
				.cmp = R->cc.key == CC_KEY_FUNCTION && l->sym ? l->sym->start : l->ip,
				.dso_idx = d ? d->idx : 0, .inl = inl_name(R, l, &oom),
			};
			/* perf matches an inlined level by its name alone (not its function's
			 * start, nor its DSO): one name inlined into two functions is one branch */
			if (R->frames[i].inl && R->cc.key == CC_KEY_FUNCTION) {
				R->frames[i].cmp = 0;
				R->frames[i].dso_idx = 0;
			}
		}
		if (oom)
			return error__nomem(R->err);
		if (cc_root__append(&he->cc, R->arena, R->frames, (uint32_t)nf, period))
			return error__nomem(R->err);
	}
	R->cache[ncache++] = he;

	if (R->children) {
		char level = k.level;

		for (int i = 0; i < nf; i++) {
			const struct addr_loc *l = R->locs[i];
			struct hist_key fk = k;
			struct hist_entry *fe;
			bool dup = false;
			uint64_t fh;

			if (l->map)
				level = l->cpumode == PERF_RECORD_MISC_KERNEL ? 'k' : '.';
			fk.level = level;
			fk.dso = l->map ? l->dso : NULL;
			fk.dso_name = NULL;
			if (fk.dso) {
				const struct rep_dso *d = dso_info(R, fk.dso);

				if (!d)
					return error__nomem(R->err);
				fk.dso_name = d->short_name;
			}
			fk.sym = l->sym;
			fk.inl = inl_name(R, l, &oom);
			if (oom)
				return error__nomem(R->err);
			fk.sym_start = l->sym ? l->sym->start : 0;
			fk.sym_end = l->sym ? l->sym->end : 0;
			fk.symoff = l->symoff;
			fk.ip = l->ip;
			fk.srcline = fk.srcfile = NULL;
			if (key_from_loc(R, &fk, l, true))
				return error__nomem(R->err);
			fh = hist_key__hash(&R->sort, &fk);
			for (int j = 0; j < ncache && !dup; j++)
				dup = R->cache[j]->hash == fh && hist_key__equal(&R->sort, &R->cache[j]->key, &fk);
			if (dup)
				continue;
			if (add_entry_hashed(ev->hists, &fk, fh, filtered, &fe))
				return error__nomem(R->err);
			fe->acc += period;
			if (R->use_cc && cc_root__append(&fe->cc, R->arena, R->frames + i,
							 (uint32_t)(nf - i), period))
				return error__nomem(R->err);
			R->cache[ncache++] = fe;
		}
	}
	ev->hists->nr_samples++;
	if (!filtered)
		ev->hists->nr_non_filtered_samples++;
	return 0;
}

static int on_record(void *ctx, struct session *s, const struct pd_record *rec)
{
	struct rep *R = ctx;

	if (R->o->progress && !(++R->nr_records & 0xffff)) {
		const struct pd_file_header *h = pd_reader__header(session__reader(s));
		uint64_t size = h->data.size ? h->data.size : 1;
		uint64_t off = rec->offset > h->data.offset ? rec->offset - h->data.offset : 0;

		fprintf(stderr, "\r[ preport: processing %3d%% ]", (int)(off * 100 / size));
		R->progress_shown = true;
	}
	return 0;
}

/* ---- setup -------------------------------------------------------------------------- */

/* Event groups from the GROUP_DESC feature (u32 nr; nr x {u32 len, name[len], u32 leader,
 * u32 nr_members}); members follow their leader. Returns the number of groups of more than
 * one event; a malformed section is ignored (no groups), as if the file had none. */
static size_t read_groups(struct rep *R, struct pd_reader *r)
{
	uint64_t sz = 0;
	const uint8_t *p = pd_reader__feature(r, PD_FEAT_GROUP_DESC, &sz);
	uint64_t off = 4;
	uint32_t nr, v[2], len;
	size_t found = 0;

	if (!p || sz < 4)
		return 0;
	R->group_desc = malloc(sz);
	if (!R->group_desc)
		return 0;
	memcpy(R->group_desc, p, sz);
	memcpy(&nr, p, 4);
	for (uint32_t g = 0; g < nr; g++) {
		const char *name;

		if (sz - off < 4)
			goto bad;
		memcpy(&len, p + off, 4);
		off += 4;
		if (sz - off < (uint64_t)len + 8)
			goto bad;
		name = len && memchr(p + off, '\0', len) ? R->group_desc + off : NULL;
		off += len;
		memcpy(v, p + off, 8);
		off += 8;
		if (v[1] < 1 || v[0] >= R->nr_ev || v[1] > R->nr_ev - v[0])
			goto bad;
		for (uint32_t m = 0; m < v[1]; m++)
			if (R->ev[v[0] + m].leader != v[0] + m || R->ev[v[0] + m].nr_members != 1)
				goto bad;	/* overlapping groups */
		for (uint32_t m = 0; m < v[1]; m++) {
			R->ev[v[0] + m].leader = v[0];
			R->ev[v[0] + m].nr_members = m ? 0 : v[1];
		}
		R->ev[v[0]].group_name = name;
		found += v[1] > 1;
	}
	return found;
bad:
	pr_warn("%s: malformed GROUP_DESC section, event groups ignored", R->o->input);
	for (size_t i = 0; i < R->nr_ev; i++) {
		R->ev[i].leader = i;
		R->ev[i].nr_members = 1;
		R->ev[i].group_name = NULL;
	}
	return 0;
}

/* perf 6.1: a file with groups shows them by default (--no-group: not); --group on a file
 * without groups makes every event a member of one. */
static void setup_groups(struct rep *R, struct pd_reader *r)
{
	size_t n;

	for (size_t i = 0; i < R->nr_ev; i++) {
		R->ev[i].leader = i;
		R->ev[i].nr_members = 1;
	}
	n = read_groups(R, r);
	R->group_view = R->o->group == 1 || (R->o->group < 0 && n);
	if (R->group_view && !n && R->nr_ev > 1) {
		R->group_forced = true;
		for (size_t i = 0; i < R->nr_ev; i++) {
			R->ev[i].leader = 0;
			R->ev[i].nr_members = i ? 0 : R->nr_ev;
		}
	}
}

static int setup(struct rep *R, struct error *err)
{
	const struct report_opts *o = R->o;
	struct pd_reader *r = session__reader(R->session);
	size_t n = pd_reader__nr_evsels(r);
	bool any_chain = false;
	char msg[256];
	int ret;

	ret = sort_list__parse(&R->sort, o->sort ? o->sort : "comm,dso,sym", msg, sizeof(msg));
	if (ret)
		return error__set(err, ret, "%s", msg);
	if (o->parent)
		sort_list__add(&R->sort, SK_PARENT);
	ret = regcomp(&R->parent_re, o->parent ? o->parent : DEFAULT_PARENT, REG_EXTENDED | REG_NOSUB);
	if (ret)
		return error__set(err, -EINVAL, "bad --parent regex '%s'", o->parent);
	R->re_ok = true;

	R->ev = calloc(n, sizeof(*R->ev));
	if (!R->ev)
		return error__nomem(err);
	R->nr_ev = n;
	for (size_t i = 0; i < n; i++) {
		struct pd_evsel *e = pd_reader__evsel(r, i);

		R->ev[i].evsel = e;
		R->ev[i].has_chain = !!(e->attr.sample_type & PERF_SAMPLE_CALLCHAIN);
		any_chain |= R->ev[i].has_chain;
		R->ev[i].hists = hists__new(&R->sort);
		if (!R->ev[i].hists)
			return error__nomem(err);
	}

	setup_groups(R, r);

	R->cc = (struct cc_param)CC_PARAM_DEFAULT;
	if (o->percent_limit_set) {
		/* perf: --percent-limit is also the call graph's threshold */
		R->cc.min_percent = o->percent_limit;
	}
	if (o->call_graph) {
		ret = cc_param__parse(&R->cc, o->call_graph, msg, sizeof(msg));
		if (ret)
			return error__set(err, ret, "%s", msg);
	}
	R->children = o->children < 0 ? any_chain : o->children && any_chain;
	if (R->children && !R->cc.order_set)
		R->cc.order = CC_ORDER_CALLER;
	if (o->inverted)
		R->cc.order = CC_ORDER_CALLER;
	R->use_cc = any_chain && R->cc.mode != CC_NONE;
	R->need_chain = R->use_cc || R->children || R->sort.has[SK_PARENT];

	if (split_csv(o->comms, &R->comms, &R->nr_comms) ||
	    split_csv(o->dsos, &R->dso_filter, &R->nr_dso_filter) ||
	    split_csv(o->symbols, &R->sym_filter, &R->nr_sym_filter))
		return error__nomem(err);
	if (o->pids && (ret = parse_ints(o->pids, "--pid", &R->pids, &R->nr_pids, err)))
		return ret;
	if (o->tids && (ret = parse_ints(o->tids, "--tid", &R->tids, &R->nr_tids, err)))
		return ret;
	if (o->cpus && (ret = parse_cpus(R, o->cpus, err)))
		return ret;
	if (o->time && (ret = parse_time(R, o->time, err)))
		return ret;

	R->strs = strtab__new();
	R->arena = cc_arena__new();
	R->srclines = srcline_cache__new(R->strs, o->full_source_path);
	if (!R->strs || !R->arena || !R->srclines)
		return error__nomem(err);
	return 0;
}

static void teardown(struct rep *R)
{
	for (size_t i = 0; i < R->nr_ev; i++)
		hists__free(R->ev[i].hists);
	free(R->ev);
	free(R->group_desc);
	while (R->dso_list) {
		struct rep_dso *n = R->dso_list->next;

		free(R->dso_list);
		R->dso_list = n;
	}
	free(R->dsos.e);
	free(R->parents.e);
	free(R->inl_names.e);
	if (R->re_ok)
		regfree(&R->parent_re);
	free_list(R->comms, R->nr_comms);
	free_list(R->dso_filter, R->nr_dso_filter);
	free_list(R->sym_filter, R->nr_sym_filter);
	free(R->pids);
	free(R->tids);
	free(R->cpu_bits);
	srcline_cache__free(R->srclines);
	cc_arena__free(R->arena);
	strtab__free(R->strs);
	session__close(R->session);
}

static int merge_entry(struct hist_entry *into, struct hist_entry *from, void *ctx)
{
	struct rep *R = ctx;

	into->self += from->self;
	into->acc += from->acc;
	into->nr_events += from->nr_events;
	into->filtered = into->filtered && from->filtered;
	/* perf's merge of call graphs keeps the depth of the entry merged into */
	return cc_root__merge(&into->cc, R->arena, &from->cc) ? -ENOMEM : 0;
}

/* A thread sampled before its first COMM is counted under ":TID"; perf then overwrites that
 * name with the first comm the thread gets (an exec seen after the thread's first samples:
 * a process forked before the recording's synthesis had listed it), so those samples show
 * under the program's name, merged with its later ones. Done here once, after the replay. */
static int rename_default_comms(struct rep *R)
{
	for (size_t e = 0; e < R->nr_ev; e++) {
		struct hists *h = R->ev[e].hists;
		bool changed = false;

		for (size_t i = 0; i < h->nr; i++) {
			struct hist_entry *he = h->v[i];
			const struct thread *th = he->key.thread;

			if (!th || !th->first_comm || he->key.comm[0] != ':' ||
			    strcmp(he->key.comm, th->dflt_comm))
				continue;
			he->key.comm = strtab__intern(R->strs, th->first_comm, strlen(th->first_comm));
			if (!he->key.comm)
				return error__nomem(R->err);
			he->hash = hist_key__hash(&R->sort, &he->key);
			changed = true;
		}
		if (changed && hists__rehash(h, merge_entry, R))
			return error__nomem(R->err);
	}
	return 0;
}

int report__run(const struct report_opts *o, struct error *err)
{
	struct rep R = { .o = o, .err = err };
	/* perf 6.1 expands DWARF-unwound user frames into their inline chains unless
	 * --no-inline; the session leaves frame-pointer chains as they are, as perf does */
	struct session_opts so = { .demangle = o->demangle, .inline_frames = !o->no_inline };
	int ret;

	R.session = session__open(o->input, &so, err);
	if (!R.session)
		return err && err->code ? err->code : -EINVAL;
	if (o->header || o->header_only) {
		ret = report__print_header(session__reader(R.session), o->out, err);
		if (ret || o->header_only)
			goto out;
	}
	ret = setup(&R, err);
	if (ret)
		goto out;
	ret = session__process(R.session, &(struct session_tool){ .sample = on_sample,
				.record = on_record, .ctx = &R }, err);
	if (R.progress_shown)
		fprintf(stderr, "\r%*s\r", 40, "");
	if (ret)
		goto out;
	ret = rename_default_comms(&R);
	if (!ret)
		ret = rep__print(&R);
out:
	teardown(&R);
	return ret;
}
