/* Owns preport's aggregation: per sample, the filters, the entry of the sampled address
 * (self), the entries of its call-chain frames (children, each counted once per sample),
 * the call-graph trees and the parent symbol; then the order of entries, and hands each
 * event's histogram to the printer (print.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/hist/cc_log.h"
#include "report/hist/chain_intern.h"
#include "report/hist/hist.h"
#include "report/hist/nspid.h"
#include "report/hist/preport.h"
#include "report/hist/parent.h"
#include "report/hist/preport_int.h"
#include "report/session/time_range.h"
#include "report/session/session.h"
#include "report/hist/sort_offcpu.h"
#include "report/hist/sort_srcline.h"
#include "perfdata/format.h"
#include "unwind/unwind.h"
#include "util/array.h"
#include "util/strlist.h"
#include "util/cpulist.h"
#include "util/hash.h"
#include "util/log.h"
#include "util/strpool.h"
#include "util/sysfs.h"

/* ---- pointer maps (inline names) --------------------------------- */

/* The value slot of @k, added with a NULL value if new; NULL on ENOMEM. Valid until the
 * next call on @m. */
static const void **ptrmap__slot(struct ptrmap *m, const void *k)
{
	uint64_t h = hash_ptr(k);
	struct htab_slot *s;
	size_t pos;

	htab__for_each_hash(&m->tab, h, s, pos)
		if (m->e[s->val - 1].k == k)
			return &m->e[s->val - 1].v;
	if (ARRAY_GROW(m->e, m->cap, m->nr + 1) || htab__insert(&m->tab, h, m->nr + 1))
		return NULL;
	m->e[m->nr] = (struct ptrmap_ent){ .k = k };
	return &m->e[m->nr++].v;
}

static void ptrmap__exit(struct ptrmap *m)
{
	htab__exit(&m->tab);
	free(m->e);
}

/* ---- filters ------------------------------------------------------------------------ */

static int parse_ints(const char *s, const char *what, int **out, size_t *nr, struct error *err)
{
	struct strlist l;
	size_t i;

	if (strlist__split(&l, s) || !(*out = calloc(l.nr ? l.nr : 1, sizeof(**out)))) {
		strlist__exit(&l);
		return error__nomem(err);
	}
	for (i = 0; i < l.nr; i++) {
		char *end;
		long x = strtol(l.v[i], &end, 10);

		if (end == l.v[i] || *end) {
			error__set(err, -EINVAL, "bad %s '%s' (expected numbers separated by commas)", what, l.v[i]);
			strlist__exit(&l);
			return -EINVAL;
		}
		(*out)[i] = (int)x;
	}
	*nr = l.nr;
	strlist__exit(&l);
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
	int *cpus = NULL, n = 0;

	R->cpu_bits = calloc(REP_MAX_CPUS / 8, 1);
	if (!R->cpu_bits)
		return error__nomem(err);
	/* an empty list selects no CPU (and so hides every sample), as it always has */
	if (*s) {
		cpus = malloc(REP_MAX_CPUS * sizeof(*cpus));
		if (!cpus)
			return error__nomem(err);
		n = cpulist__parse(s, cpus, REP_MAX_CPUS);
	}
	for (int i = 0; i < n; i++)
		R->cpu_bits[cpus[i] / 8] |= (uint8_t)(1 << (cpus[i] % 8));
	free(cpus);
	if (n < 0)
		return error__set(err, -EINVAL, "bad CPU list '%s' (expected e.g. 0-3,7)", s);
	return 0;
}

/* --time in perf's spellings (report/session/time_range.h), shared with pscript and pfold */
static int parse_time(struct rep *R, const char *s, struct error *err)
{
	struct time_range t;
	int ret = time_range__parse(s, session__reader(R->session), &t, err);

	if (ret)
		return ret;
	R->t0 = t.start;
	R->t1 = t.end;
	R->time_set = true;
	return 0;
}

/* The physical package of @cpu, from sysfs once per CPU (the machine reading the file). */
static int32_t socket_of(struct rep *R, int32_t cpu)
{
	char path[96];
	long v;

	if (cpu < 0 || cpu >= REP_MAX_CPUS)
		return -1;
	if (!R->sockets) {
		R->sockets = malloc(REP_MAX_CPUS * sizeof(*R->sockets));
		if (!R->sockets)
			return -1;
		for (int i = 0; i < REP_MAX_CPUS; i++)
			R->sockets[i] = INT32_MIN;
	}
	if (R->sockets[cpu] == INT32_MIN) {
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/topology/physical_package_id", cpu);
		R->sockets[cpu] = sysfs__read_long(path, &v) ? 0 : (int32_t)v;
	}
	return R->sockets[cpu];
}

/* ---- per-sample work ---------------------------------------------------------------- */

/* The report's record of @dso, made on first sight. The pointer is into R->dsos, which moves
 * as it grows: valid until the next dso_info() call. */
static const struct rep_dso *dso_info(struct rep *R, struct dso *dso)
{
	uint64_t h = hash_ptr(dso);
	struct htab_slot *s;
	struct rep_dso *d;
	const char *name, *b;
	char jit[32];
	size_t pos;
	int pid;

	if (!dso)
		return NULL;
	htab__for_each_hash(&R->dso_tab, h, s, pos)
		if (R->dsos[s->val - 1].dso == dso)
			return &R->dsos[s->val - 1];
	if (ARRAY_GROW(R->dsos, R->cap_dsos, R->nr_dsos + 1))
		return NULL;
	d = &R->dsos[R->nr_dsos];
	name = dso->name;
	b = strrchr(name, '/');
	if (dso->kind == DSO_JIT && sscanf(name, "/tmp/perf-%d.map", &pid) == 1) {
		/* perf's name for a JIT map in rows and the sort key (pscript keeps the path) */
		snprintf(jit, sizeof(jit), "[JIT] tid %d", pid);
		name = jit;
	} else if (name[0] == '/' && b) {
		name = b + 1;
	}
	d->dso = dso;
	d->short_name = strpool__add(R->strs, name);
	/* perf orders DSOs of equal rank by their struct's address: creation order, as the
	 * session creates them (build-id table first, then as records name them) */
	d->idx = dso->seq;
	if (!d->short_name || htab__insert(&R->dso_tab, h, R->nr_dsos + 1))
		return NULL;
	R->nr_dsos++;
	return d;
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
		*slot = strpool__add_len(R->strs, buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	}
	if (!slot || !*slot)
		*oom = true;
	return slot ? *slot : NULL;
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
	k->map_size = al->map ? al->map->end - al->map->start : 0;
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

/* The interned copy of a thread's comm. A comm string of the session never changes in
 * place and lives as long as the session (the threads' pool, or a thread's ":TID"), so the
 * last one seen is recognized by its address, without hashing the text again. */
static const char *comm_of(struct rep *R, const char *comm)
{
	if (comm != R->last_comm) {
		const char *c = strpool__add(R->strs, comm);

		if (!c)
			return NULL;
		R->last_comm = comm;
		R->last_comm_interned = c;
	}
	return R->last_comm_interned;
}

/* --time and -C: a sample outside them is not counted at all (unlike the filters below). */
static bool sample_in_window(const struct rep *R, const struct pd_sample *smp)
{
	if (R->time_set && (smp->time < R->t0 || smp->time > R->t1))
		return false;
	if (R->cpu_bits && (smp->cpu >= REP_MAX_CPUS ||
			    !(R->cpu_bits[smp->cpu / 8] & (1 << (smp->cpu % 8)))))
		return false;
	return true;
}

/* --comms, --pid, --tid, --dsos, --symbols: a filtered sample's entries are hidden, but it
 * counts in the totals. */
static bool sample_filtered(struct rep *R, const struct thread *th, const char *comm,
			    const struct addr_loc *al)
{
	if (R->comms.nr && !strlist__has(&R->comms, comm))
		return true;
	if (R->nr_pids && (!th || !in_ints(R->pids, R->nr_pids, th->pid)))
		return true;
	if (R->nr_tids && (!th || !in_ints(R->tids, R->nr_tids, th->tid)))
		return true;
	if (R->dso_filter.nr) {
		const struct rep_dso *d = al->map ? dso_info(R, al->dso) : NULL;

		if (!d || (!strlist__has(&R->dso_filter, d->short_name) &&
			   !strlist__has(&R->dso_filter, al->dso->name)))
			return true;
	}
	if (R->sym_filter.nr && (!al->sym || !strlist__has(&R->sym_filter,
						       symbol__name(al->sym, R->o->demangle))))
		return true;
	return false;
}

/* The sample's call chain into R->locs, in the order the trees read it; its length. */
static int sample_chain(struct rep *R, struct session *s, struct thread *th,
			const struct pd_sample *smp)
{
	const struct addr_loc *fr;
	int n = session__callchain(s, th, smp, &fr), nf = 0;

	for (int i = 0; i < n; i++)
		R->locs[nf++] = &fr[R->cc.order == CC_ORDER_CALLEE ? i : n - 1 - i];
	return nf;
}

/* R->locs[0..nf) as call-graph frames, into the log as the sample's chain (its number + 1 in
 * R->chain) with its @period. 0 or -ENOMEM. */
static int chain_frames(struct rep *R, int nf, uint64_t period)
{
	const struct cc_frame *const *run;
	const char *unused;
	bool oom = false;
	long c;

	for (int i = 0; i < nf; i++) {
		const struct addr_loc *l = R->locs[i];
		const struct rep_dso *d = l->dso ? dso_info(R, l->dso) : NULL;

		R->frames[i] = (struct cc_frame){
			.sym = l->sym, .ip = l->ip,
			.cmp = R->cc.key == CC_KEY_FUNCTION && l->sym ? l->sym->start : l->ip,
			.dso_idx = d ? d->idx : 0, .text = inl_name(R, l, &oom),
		};
		R->frames[i].inlined = R->frames[i].text != NULL;
		/* perf matches an inlined level by its name alone (not its function's start,
		 * nor its DSO): one name inlined into two functions is one branch */
		if (R->frames[i].inlined && R->cc.key == CC_KEY_FUNCTION) {
			R->frames[i].cmp = 0;
			R->frames[i].dso_idx = 0;
		}
		/* perf looks the line up at the frame's map address (one lookup per address) */
		if (R->cc.key == CC_KEY_ADDRESS && l->sym && l->map && !l->inl &&
		    srcline_cache__get(R->srclines, l->dso, l->sym, l->addr, false,
				       &R->frames[i].text, &unused))
			oom = true;
	}
	/* the trees of one sample share one run of its frames (a chain of n frames goes into
	 * up to n trees in children mode) */
	if (oom || !(run = cc_arena__run(R->arena, R->frames, (uint32_t)nf)) ||
	    (c = cc_log__chain(R->log, run, (uint32_t)nf, period)) < 0)
		return -ENOMEM;
	R->chain = (uint32_t)c + 1;
	return 0;
}

static void track(struct rep *R, struct hist_entry *he)
{
	R->tg[R->nr_tg++] = (struct ci_target){ .he = he };
}

/* Children: the entry of every chain frame gets the period, once per sample however often
 * its key recurs in the chain (@he, the entry of the sample's own key @k, counts as seen),
 * with the chain from that frame on in its tree. 0 or -ENOMEM. */
static int add_children(struct rep *R, struct hists *h, const struct hist_key *k,
			struct hist_entry *he, int nf, uint64_t period, bool filtered)
{
	char level = k->level;
	int ncache = 0;
	bool oom = false;

	R->cache[ncache++] = he;
	for (int i = 0; i < nf; i++) {
		const struct addr_loc *l = R->locs[i];
		struct hist_key fk = *k;
		struct hist_entry *fe;
		bool dup = false;
		uint64_t fh;

		if (l->map)
			level = l->cpumode == PERF_RECORD_MISC_KERNEL ? 'k' : '.';
		fk.level = level;
		fk.inl = inl_name(R, l, &oom);
		if (oom || key_from_loc(R, &fk, l, true))
			return -ENOMEM;
		fh = hist_key__hash(&R->sort, &fk);
		for (int j = 0; j < ncache && !dup; j++)
			dup = R->cache[j]->hash == fh && hist_key__equal(&R->sort, &R->cache[j]->key, &fk);
		if (dup)
			continue;
		if (add_entry_hashed(h, &fk, fh, filtered, &fe))
			return -ENOMEM;
		fe->acc += period;
		if (R->use_cc && cc_log__add(R->log, &fe->cc, (uint32_t)i))
			return -ENOMEM;
		if (R->tracking)
			track(R, fe);
		R->cache[ncache++] = fe;
	}
	return 0;
}

/* Whether samples alike can share one record: every sort key comes from what the intern
 * key holds (a new key must be added here, with what it is made of in struct ci_key). */
static bool sort_internable(const struct sort_list *l)
{
	for (int i = 0; i < l->nr; i++) {
		switch (l->keys[i]) {
		case SK_COMM: case SK_PID: case SK_TID: case SK_DSO: case SK_SYM: case SK_PARENT:
		case SK_CPU: case SK_SRCLINE: case SK_SRCFILE: case SK_SYMOFF:
		case SK_SOCKET: case SK_DSO_SIZE: case SK_SYM_SIZE: case SK_IPC_NULL:
			break;
		/* off-CPU keys come from the sample's own fields (tracepoint data) */
		case SK_STATE: case SK_WAKER: case SK_WAKEE:
		/* the time slice is not in the key, nor the cgroup */
		case SK_TIME: case SK_CGROUP:
		/* the namespace tid is looked up per sample */
		case SK_NSPID:
		case SK_NR:
			return false;
		}
	}
	return true;
}

/* Whether samples alike in what they resolve to (event, comm, sampled DSO and symbol, each
 * frame's DSO, symbol and mode) have the same entries and trees: the sort keys and filters
 * use nothing else (no thread, CPU or address of a symbol), and frames are told apart by
 * function. */
static bool resolved_internable(const struct rep *R)
{
	for (int i = 0; i < R->sort.nr; i++)
		if (R->sort.keys[i] != SK_COMM && R->sort.keys[i] != SK_DSO &&
		    R->sort.keys[i] != SK_SYM && R->sort.keys[i] != SK_PARENT)
			return false;
	return (!R->use_cc || R->cc.key == CC_KEY_FUNCTION) && !R->nr_pids && !R->nr_tids;
}

/* Words per frame and before them in R->rwords. */
#define RWORDS_HEAD 4
#define RWORDS_FRAME 2			/* at most */
#define RWORDS_MAX (RWORDS_HEAD + RWORDS_FRAME * SESSION_MAX_STACK)

/* What the sample resolved to as words in R->rwords (@al, R->locs[0..nf)); how many, 0 when
 * it cannot be told by them (an inlined level). A frame with a symbol is one word, the
 * symbol's address (a symbol is its DSO's: it tells the DSO too) with bit 63 set; one
 * without is two, its DSO's address and the frame's address. Its flags and mode ride in the
 * top bits of the first (user-space addresses leave them clear), so that the words read
 * back one way only. */
static uint32_t resolved_words(struct rep *R, const struct pd_sample *smp, uint32_t evidx,
			       const char *comm, const struct addr_loc *al, int nf)
{
	uint64_t *w = R->rwords;
	uint32_t n = 0;

	w[n++] = evidx | (uint64_t)smp->cpumode << 32 | (uint64_t)!!al->map << 40 |
		 (uint64_t)!!al->sym << 41;
	w[n++] = (uintptr_t)comm;
	w[n++] = (uintptr_t)al->dso;
	w[n++] = al->sym ? (uintptr_t)al->sym : al->ip;
	for (int i = 0; i < nf; i++) {
		const struct addr_loc *l = R->locs[i];

		if (l->inl)
			return 0;
		uint64_t flags = (uint64_t)!!l->map << 61 | (uint64_t)(l->cpumode & 7) << 58;

		if (l->sym) {
			w[n++] = (uintptr_t)l->sym | 1ull << 63 | flags;
		} else {
			w[n++] = (uintptr_t)l->dso | flags;
			w[n++] = l->ip;
		}
	}
	return n;
}

/* The sample's intern key: DWARF-unwound samples (their chains depend on the stack copy) and
 * chains longer than the session keeps (it counts them as cut) are not interned. */
static bool intern_key(const struct rep *R, const struct session *s, const struct pd_sample *smp,
		       const struct pd_evsel *evsel, const struct thread *th, const char *comm,
		       struct ci_key *k)
{
	bool chain = R->need_chain && (smp->type & PERF_SAMPLE_CALLCHAIN);

	if (!R->intern || unwind__has_user_stack(smp) || (chain && smp->callchain_nr > SESSION_MAX_STACK))
		return false;
	*k = (struct ci_key){
		.thread = th, .comm = comm, .ip = smp->ip, .cpumode = smp->cpumode,
		.chain = chain ? smp->callchain : NULL, .chain_nr = chain ? (uint32_t)smp->callchain_nr : 0,
		.chain_hash = chain ? pd_sample__chain_hash(smp) : 0,
		.cpu = (R->sort.has[SK_CPU] || R->sort.has[SK_SOCKET]) && (smp->type & PERF_SAMPLE_CPU) ?
		       (int32_t)smp->cpu : -1,
		.evidx = (uint32_t)evsel->idx,
	};
	session__map_gens(s, th, k->gen);
	return true;
}

/* The sample's address into @al, its chain into R->locs; the chain's length. */
static int resolve_sample(struct rep *R, struct session *s, const struct pd_sample *smp,
			  const struct rep_event *ev, struct thread *th, struct addr_loc *al)
{
	session__resolve(s, th, smp->cpumode, smp->ip, al);
	return ev->has_chain && R->need_chain ? sample_chain(R, s, th, smp) : 0;
}

/* The rest of the way for one resolved sample (resolve_sample()): filter, entries, trees. */
static int add_sample(struct rep *R, struct session *s, const struct pd_sample *smp,
		      struct rep_event *ev, struct thread *th, const char *comm, uint64_t period,
		      const struct addr_loc *al, int nf, bool *filtered)
{
	struct hist_key k = { 0 };
	struct hist_entry *he;

	*filtered = sample_filtered(R, th, comm, al);
	k.comm = comm_of(R, comm);
	if (!k.comm)
		return -ENOMEM;
	k.thread = th;
	k.tid = th ? th->tid : -1;
	k.cpu = (smp->type & PERF_SAMPLE_CPU) ? (int32_t)smp->cpu : -1;
	k.socket = R->sort.has[SK_SOCKET] ? socket_of(R, k.cpu) : -1;
	/* perf's --time-quantum default: 100 ms */
	k.time = (smp->type & PERF_SAMPLE_TIME) ? smp->time / 100000000ULL * 100000000ULL : 0;
	k.level = level_of(smp->cpumode);
	if (R->sort.has[SK_CGROUP] && (smp->type & PERF_SAMPLE_CGROUP) && smp->cgroup) {
		k.cgroup_id = smp->cgroup;
		k.cgroup = session__cgroup(s, smp->cgroup);
	}
	if (R->nspids && th)
		k.nstid = hist_nspids__nstid(R->nspids, th->tid);
	if (R->sort.has[SK_PARENT]) {
		bool oom = false;

		k.parent = hist_parent__of(&R->parent, R->locs, nf, &oom);
		if (oom)
			return -ENOMEM;
		if (R->o->exclude_other && !k.parent)
			*filtered = true;
	}
	if ((R->sort.has[SK_STATE] || R->sort.has[SK_WAKER] || R->sort.has[SK_WAKEE]) &&
	    sort_offcpu__fill(&R->sort, R->strs, s, ev->evsel, smp, k.comm, &k))
		return -ENOMEM;
	if (key_from_loc(R, &k, al, false) || add_entry(R, ev->hists, &k, *filtered, &he))
		return -ENOMEM;
	he->self += period;
	he->nr_events++;
	if (R->children)
		he->acc += period;
	R->chain = 0;
	if (nf && R->use_cc &&
	    (chain_frames(R, nf, period) || cc_log__add(R->log, &he->cc, 0)))
		return -ENOMEM;
	if (R->tracking)
		track(R, he);
	if (R->children && add_children(R, ev->hists, &k, he, nf, period, *filtered))
		return -ENOMEM;
	return 0;
}

/* The intern table's slot of a sample coming (session_tool.ahead), as on_sample looks. */
static void on_ahead(void *ctx, const struct session *s, const struct pd_sample *smp,
		     const struct pd_evsel *evsel, const struct thread *th)
{
	const struct rep *R = ctx;
	struct ci_key key;

	if (th && intern_key(R, s, smp, evsel, th, th->comm ? th->comm : ":-1", &key))
		chain_intern__prefetch(R->intern, ci_key__hash(&key));
}

static int on_sample(void *ctx, struct session *s, const struct pd_sample *smp,
		     struct pd_evsel *evsel, struct thread *th)
{
	struct rep *R = ctx;
	struct rep_event *ev = &R->ev[evsel->idx];
	const char *comm = th && th->comm ? th->comm : ":-1";
	uint64_t period = smp->type & PERF_SAMPLE_PERIOD ? smp->period : evsel->attr.sample_period;
	struct ci_key key;
	struct ci_ent *e;
	struct addr_loc al;
	uint64_t hash = 0, rhash = 0;
	uint32_t nw = 0;
	bool filtered, met = false;
	int nf;

	if (!sample_in_window(R, smp))
		return 0;
	R->tracking = intern_key(R, s, smp, evsel, th, comm, &key);
	if (R->tracking) {
		int m;

		/* the keys' records past their budget go where what they count into can be found
		 * by its words (a dropped key's samples find it again so); elsewhere the records
		 * stay, as a sample of a dropped key would go the whole way */
		if (R->rwords && chain_intern__full(R->intern)) {
			chain_intern__drop_keys(R->intern);
			R->key_drops++;
		}
		hash = ci_key__hash(&key);
		e = chain_intern__find(R->intern, &key, hash);
		if (e) {
			R->tracking = false;
			filtered = ci_ent__hit(e, period);
			goto count;
		}
		R->nr_tg = 0;
		m = chain_intern__met(R->intern, hash);
		if (m < 0)
			return error__nomem(R->err);
		met = m;
	}
	nf = resolve_sample(R, s, smp, ev, th, &al);
	if (R->tracking && R->rwords) {
		const char *icomm = comm_of(R, comm);

		if (!icomm)
			return error__nomem(R->err);
		nw = resolved_words(R, smp, (uint32_t)evsel->idx, icomm, &al, nf);
		rhash = nw ? ci_words__hash(R->rwords, nw) : 0;
		e = nw ? chain_intern__find_resolved(R->intern, R->rwords, nw, rhash) : NULL;
		if (e) {
			/* a key met once counts into the record it resolves like */
			int f = met ? chain_intern__add_like(R->intern, &key, hash, e, period) :
				      ci_ent__hit(e, period);

			if (f < 0)
				return error__nomem(R->err);
			R->tracking = false;
			filtered = f;
			goto count;
		}
	}
	if (add_sample(R, s, smp, ev, th, comm, period, &al, nf, &filtered) ||
	    (R->tracking && chain_intern__add(R->intern, met ? &key : NULL, hash, R->tg, R->nr_tg,
					      R->chain, filtered,
					      nw ? R->rwords : NULL, nw, rhash)))
		return error__nomem(R->err);
count:
	ev->hists->nr_samples++;
	if (!filtered)
		ev->hists->nr_non_filtered_samples++;
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
	bool any_chain = false, any_cpu = false;
	char msg[256];
	int ret;

	ret = sort_list__parse(&R->sort, o->sort ? o->sort : "comm,dso,sym", msg, sizeof(msg));
	if (ret)
		return error__set(err, ret, "%s", msg);
	if (o->parent)
		sort_list__add(&R->sort, SK_PARENT);
	ret = hist_parent__init(&R->parent, o->parent, NULL, o->demangle, err);
	if (ret)
		return ret;

	R->ev = calloc(n, sizeof(*R->ev));
	if (!R->ev)
		return error__nomem(err);
	R->nr_ev = n;
	for (size_t i = 0; i < n; i++) {
		struct pd_evsel *e = pd_reader__evsel(r, i);

		R->ev[i].evsel = e;
		R->ev[i].has_chain = !!(e->attr.sample_type & PERF_SAMPLE_CALLCHAIN);
		any_chain |= R->ev[i].has_chain;
		any_cpu |= !!(e->attr.sample_type & PERF_SAMPLE_CPU);
		R->ev[i].hists = hists__new(&R->sort);
		if (!R->ev[i].hists)
			return error__nomem(err);
	}

	setup_groups(R, r);
	if (R->sort.has[SK_NSPID] && !(R->nspids = hist_nspids__new(r)))
		return error__nomem(err);

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
	R->fields = o->fields;
	if (R->children && !R->cc.order_set)
		R->cc.order = CC_ORDER_CALLER;
	if (o->inverted)
		R->cc.order = CC_ORDER_CALLER;
	R->use_cc = any_chain && R->cc.mode != CC_NONE;
	R->need_chain = R->use_cc || R->children || R->sort.has[SK_PARENT];

	if (strlist__split(&R->comms, o->comms) ||
	    strlist__split(&R->dso_filter, o->dsos) ||
	    strlist__split(&R->sym_filter, o->symbols))
		return error__nomem(err);
	if (o->pids && (ret = parse_ints(o->pids, "--pid", &R->pids, &R->nr_pids, err)))
		return ret;
	if (o->tids && (ret = parse_ints(o->tids, "--tid", &R->tids, &R->nr_tids, err)))
		return ret;
	/* perf refuses -C on a file whose samples carry no CPU (and would filter out all) */
	if (o->cpus && !any_cpu)
		return error__set(err, -EINVAL, "%s does not contain CPU events (its samples have no cpu "
				  "field; record with -a or -C): remove -C to proceed", o->input);
	if (o->cpus && (ret = parse_cpus(R, o->cpus, err)))
		return ret;
	if (o->time && (ret = parse_time(R, o->time, err)))
		return ret;

	R->strs = strpool__new();
	R->parent.strs = R->strs;
	R->arena = cc_arena__new();
	R->log = cc_log__new();
	R->srclines = srcline_cache__new(R->strs, o->full_source_path);
	if (!R->strs || !R->arena || !R->log || !R->srclines)
		return error__nomem(err);
	if (sort_internable(&R->sort) && !R->o->no_intern) {
		R->intern = chain_intern__new(R->arena, R->use_cc ? R->log : NULL, R->children);
		R->tg = malloc((SESSION_MAX_STACK + 1) * sizeof(*R->tg));
		if (!R->intern || !R->tg)
			return error__nomem(err);
		if (R->o->intern_budget)
			chain_intern__set_budget(R->intern, R->o->intern_budget);
		if (resolved_internable(R) && !(R->rwords = malloc(RWORDS_MAX * sizeof(*R->rwords))))
			return error__nomem(err);
	}
	return 0;
}

static void teardown(struct rep *R)
{
	for (size_t i = 0; i < R->nr_ev; i++)
		hists__free(R->ev[i].hists);
	free(R->ev);
	free(R->group_desc);
	hist_nspids__free(R->nspids);
	htab__exit(&R->dso_tab);
	free(R->dsos);
	hist_parent__exit(&R->parent);
	ptrmap__exit(&R->inl_names);
	strlist__exit(&R->comms);
	strlist__exit(&R->dso_filter);
	strlist__exit(&R->sym_filter);
	free(R->pids);
	free(R->tids);
	free(R->cpu_bits);
	free(R->sockets);
	srcline_cache__free(R->srclines);
	chain_intern__free(R->intern);
	free(R->tg);
	free(R->rwords);
	cc_log__free(R->log);
	cc_arena__free(R->arena);
	strpool__free(R->strs);
	session__close(R->session);
}

static int merge_entry(struct hist_entry *into, struct hist_entry *from, void *ctx)
{
	struct rep *R = ctx;
	struct cc_root *dst;

	into->self += from->self;
	into->acc += from->acc;
	into->nr_events += from->nr_events;
	into->filtered = into->filtered && from->filtered;
	if (!from->cc.root)
		return 0;	/* nothing went into its tree */
	/* (the trees were built before the merge: rename_default_comms) */
	dst = cc_ref__root(&into->cc, R->arena);
	if (!dst || cc_root__merge(dst, R->arena, from->cc.root))
		return -ENOMEM;
	if (dst->max_depth > into->cc.max_depth)
		into->cc.max_depth = dst->max_depth;
	return 0;
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
			struct hist_entry *he = h->v[i], *fe;
			const struct thread *th = he->key.thread;

			if (!th || !th->first_comm || he->key.comm[0] != ':' ||
			    strcmp(he->key.comm, th->dflt_comm))
				continue;
			he->key.comm = strpool__add(R->strs, th->first_comm);
			if (!he->key.comm)
				return error__nomem(R->err);
			he->hash = hist_key__hash(&R->sort, &he->key);
			changed = true;
			/* the trees a merge may meet are built before it (cc_log.h) */
			cc_log__want(R->log, &he->cc);
			fe = hists__find(h, &he->key, he->hash);
			if (fe)
				cc_log__want(R->log, &fe->cc);
		}
		if (changed && (cc_log__replay(R->log, R->arena, 0, true) ||
				hists__rehash(h, merge_entry, R)))
			return error__nomem(R->err);
	}
	return 0;
}

int report__run(const struct report_opts *o, struct error *err)
{
	struct rep R = { .o = o, .err = err };
	/* perf 6.1 expands DWARF-unwound user frames into their inline chains unless
	 * --no-inline; the session leaves frame-pointer chains as they are, as perf does */
	struct session_opts so = { .demangle = o->demangle, .inline_frames = !o->no_inline,
				   .threads = o->threads, .progress = o->progress,
				   /* entries and interned chains point at threads: they stay */
				   .reclaim_threads = true, .reclaim_maps_only = true,
				   .reclaim_round_ns = SESSION_RECLAIM_ROUND_NS };
	int ret;

	R.session = session__open(o->input, &so, err);
	if (!R.session)
		return err && err->code ? err->code : -EINVAL;
	/* -q: the header's lines are all '#' lines, left out as perf leaves them out */
	if ((o->header || o->header_only) && !o->quiet) {
		ret = report__print_header(session__reader(R.session), o->out, err);
		if (ret || o->header_only)
			goto out;
	}
	ret = setup(&R, err);
	if (ret)
		goto out;
	ret = session__process(R.session, &(struct session_tool){ .sample = on_sample,
				.ahead = on_ahead, .ctx = &R }, err);
	if (ret)
		goto out;
	if (R.intern)
		chain_intern__flush(R.intern);
	if (R.key_drops)
		pr_debug("interned keys dropped %zu times (their budget was taken)", R.key_drops);
	/* no more samples: what finds their records and frames goes, and its memory to the
	 * trees the printing builds */
	chain_intern__free(R.intern);
	R.intern = NULL;
	cc_arena__forget_frames(R.arena);
	ret = rename_default_comms(&R);
	if (!ret)
		ret = rep__print(&R);
out:
	teardown(&R);
	return ret;
}
