/* Owns turning perf.data samples into folded stacks: event choice, frame naming as
 * stackcollapse-perf.pl names perf script's frames, and the per-session caches that keep
 * the per-sample path free of string work and allocation (symbol -> name id, DSO ->
 * "[dso]" id, inline level -> name id, thread comm -> root frame). Inlined levels are named
 * by DWARF, as perf script and perf report name them (stackcollapse-perf.pl drops perf's
 * "+off (inlined)"): those the session expands on DWARF-unwound chains (perf 6.1's default,
 * --no-inline drops them), and with --inline those of any user frame. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "report/fold/from_perf.h"
#include "report/session/chain_memo.h"
#include "report/session/time_range.h"
#include "report/session/session.h"
#include "symbols/elf_file.h"
#include "symbols/inline.h"
#include "util/array.h"
#include "util/hash.h"
#include "util/htab.h"
#include "util/log.h"

/*
 * The per-session caches, name ids by key. A key of one 64-bit word (a symbol, DSO or
 * inline level pointer) is stored as its hash alone: hash_u64 is a bijection (splitmix64's
 * finalizer), so equal hashes are equal keys and a hit costs one slot. A key of two words
 * ((DSO, address), (comm, ids)) keeps the words in an array the slots index.
 */
static uint32_t idmap__get(const struct htab *t, uint64_t key)
{
	size_t pos;
	const struct htab_slot *s = htab__first(t, hash_u64(key), &pos);

	return s ? (uint32_t)(s->val - 1) : FOLD_NONE;
}

static int idmap__put(struct htab *t, uint64_t key, uint32_t id)
{
	return htab__insert(t, hash_u64(key), (uintptr_t)id + 1);
}

struct pair_key {
	uint64_t a, b;
	uint32_t id;
};

struct pairmap {
	struct htab tab;		/* hash of (a, b) -> index + 1 into keys */
	struct pair_key *keys;
	size_t nr, cap;
};

static uint32_t pairmap__get(const struct pairmap *m, uint64_t a, uint64_t b)
{
	struct htab_slot *s;
	size_t pos;

	htab__for_each_hash(&m->tab, hash_combine(a, b), s, pos) {
		const struct pair_key *k = &m->keys[s->val - 1];

		if (k->a == a && k->b == b)
			return k->id;
	}
	return FOLD_NONE;
}

static int pairmap__put(struct pairmap *m, uint64_t a, uint64_t b, uint32_t id)
{
	if (ARRAY_GROW(m->keys, m->cap, m->nr + 1) ||
	    htab__insert(&m->tab, hash_combine(a, b), m->nr + 1))
		return -ENOMEM;
	m->keys[m->nr++] = (struct pair_key){ a, b, id };
	return 0;
}

static void pairmap__exit(struct pairmap *m)
{
	htab__exit(&m->tab);
	free(m->keys);
}

struct fold_perf {
	struct fold *f;
	const struct fold_perf_opts *opts;
	int profile;
	struct pd_evsel *evsel;		/* the event folded; NULL until the first sample */
	struct pd_evsel *offcpu;	/* folded with it, weighted by time (report/fold/offcpu.h) */
	uint64_t folded, skipped, outside;
	struct time_range time;		/* --time window; everything without it */
	struct htab syms, dsos, inl;	/* symbol, DSO, inline level -> name (DSO) id */
	struct pairmap unres, comms;	/* (DSO, address), (comm, pid/tid) -> name id */
	struct inline_cache *ic;	/* --inline on frames the session left as they are */
	struct chain_memo *memo;	/* (chain, maps, comm) -> the tree node it folded to */
	uint32_t *path;			/* name ids of the stack being folded */
	size_t path_cap;
	char name[4096];
};

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static bool is_kernel(const struct addr_loc *al)
{
	return al->map && (al->cpumode == PERF_RECORD_MISC_KERNEL ||
			   al->cpumode == PERF_RECORD_MISC_GUEST_KERNEL);
}

static uint32_t dso_id(struct fold_perf *fp, const struct addr_loc *al)
{
	struct dso *d = al->dso;
	char bid[41] = "";
	uint32_t id;

	if (!d)
		return FOLD_NONE;
	id = idmap__get(&fp->dsos, (uintptr_t)d);
	if (id != FOLD_NONE)
		return id;
	if (d->has_build_id)
		build_id__hex(d->build_id, d->build_id_size < 20 ? d->build_id_size : 20, bid);
	id = fold__dso(fp->f, d->name, bid[0] ? bid : NULL, al->map ? al->map->start : 0,
		       al->map ? al->map->end : 0, al->map && !al->map->identity ? al->map->pgoff : 0);
	if (id == FOLD_NONE || idmap__put(&fp->dsos, (uintptr_t)d, id))
		return FOLD_NONE;
	return id;
}

static enum fold_kind kind_of(const struct addr_loc *al)
{
	if (is_kernel(al))
		return FOLD_K_KERNEL;
	if (al->dso && al->dso->kind == DSO_JIT)
		return FOLD_K_JIT;
	return al->sym ? FOLD_K_USER : FOLD_K_UNKNOWN;
}

/* Name text of a frame into fp->name; returns its length. */
static size_t frame_text(struct fold_perf *fp, const struct addr_loc *al)
{
	const struct fold_perf_opts *o = fp->opts;
	size_t cap = sizeof(fp->name) - 8, n;

	if (al->sym) {
		n = fold__tidy_name(symbol__name(al->sym, o->demangle), fp->name, cap);
	} else {
		/* perf script prints the map address in callchains, the ip without a map */
		const char *what = al->dso ? base_name(al->dso->name) : "unknown";

		if (o->addrs)
			n = (size_t)snprintf(fp->name, cap, "[%s <%llx>]", what,
					     (unsigned long long)(al->map ? al->addr : al->ip));
		else
			n = (size_t)snprintf(fp->name, cap, "[%s]", what);
		if (n >= cap)
			n = cap - 1;
		/* the dso part is tidied too, as the script tidies whatever stands in for a name */
		n = fold__tidy_name(fp->name, fp->name, cap);
	}
	if (o->kernel && is_kernel(al)) {
		memcpy(fp->name + n, "_[k]", 5);
		n += 4;
	}
	return n;
}

static uint32_t frame_id(struct fold_perf *fp, const struct addr_loc *al)
{
	uint64_t a = al->sym ? (uintptr_t)al->sym : (uintptr_t)al->dso;
	uint64_t b = al->sym ? 0 : fp->opts->addrs ? (al->map ? al->addr : al->ip) : 0;
	uint32_t id = al->sym ? idmap__get(&fp->syms, a) : pairmap__get(&fp->unres, a, b);
	size_t n;

	if (id != FOLD_NONE)
		return id;
	n = frame_text(fp, al);
	id = fold__name(fp->f, fp->name, n, kind_of(al), dso_id(fp, al), al->ip);
	if (id == FOLD_NONE ||
	    (al->sym ? idmap__put(&fp->syms, a, id) : pairmap__put(&fp->unres, a, b, id)))
		return FOLD_NONE;
	return id;
}

static int push(struct fold_perf *fp, size_t *n, uint32_t id)
{
	if (id == FOLD_NONE)
		return -ENOMEM;
	if (ARRAY_GROW(fp->path, fp->path_cap, *n + 1))
		return -ENOMEM;
	fp->path[(*n)++] = id;
	return 0;
}

/* A frame that is an inlined level (al->inl->inlined): DWARF's name, tidied. */
static uint32_t inline_id(struct fold_perf *fp, const struct addr_loc *al)
{
	uint32_t id = idmap__get(&fp->inl, (uintptr_t)al->inl);
	size_t n;

	if (id != FOLD_NONE)
		return id;
	n = fold__tidy_name(al->inl->name, fp->name, sizeof(fp->name) - 8);
	id = fold__name(fp->f, fp->name, n, FOLD_K_INLINE, dso_id(fp, al), al->ip);
	if (id == FOLD_NONE || idmap__put(&fp->inl, (uintptr_t)al->inl, id))
		return FOLD_NONE;
	return id;
}

static int push_frame(struct fold_perf *fp, const struct addr_loc *al, size_t *n)
{
	return push(fp, n, al->inl && al->inl->inlined ? inline_id(fp, al) : frame_id(fp, al));
}

/* A frame with --inline that the session did not expand (frame-pointer chains): its inline
 * chain, outermost first, as pscript --inline prints it. */
static int push_inlines(struct fold_perf *fp, const struct addr_loc *al, size_t *n)
{
	const struct inline_frame *chain;
	struct addr_loc lvl = *al;
	int k;

	if (!fp->ic && !(fp->ic = inline_cache__new(fp->opts->demangle)))
		return -ENOMEM;
	k = inline_cache__find(fp->ic, al->dso, al->sym, al->addr, &chain);
	if (k < 0)
		return k;
	if (k == 0)
		return push_frame(fp, al, n);
	for (int i = k - 1; i >= 0; i--) {
		lvl.inl = &chain[i];
		if (push_frame(fp, &lvl, n))
			return -ENOMEM;
	}
	return 0;
}

/* What the root frame of @th's samples is named by: its comm, and its ids with --pid/--tid. */
static const char *comm_key(const struct fold_perf *fp, const struct thread *th, uint64_t *ids)
{
	/* a comm is found by its address (interned: one per string), and the thread's ids
	 * where the name has them. A thread with no comm yet has ":TID" in the thread itself,
	 * which an exited thread's successor may have at that address (the session frees
	 * them): its ids go with it. */
	*ids = th && (fp->opts->pid || fp->opts->tid || !th->comm_set) ?
	       (uint64_t)(uint32_t)th->pid << 32 | (uint32_t)th->tid : 0;
	return th ? th->comm : "[unknown]";
}

static uint32_t comm_id(struct fold_perf *fp, const struct thread *th)
{
	uint64_t ids;
	const char *comm = comm_key(fp, th, &ids);
	uint32_t id = pairmap__get(&fp->comms, (uintptr_t)comm, ids);
	size_t n;

	if (id != FOLD_NONE)
		return id;
	if (th && fp->opts->tid)
		n = (size_t)snprintf(fp->name, sizeof(fp->name), "%s-%d/%d", comm, th->pid, th->tid);
	else if (th && fp->opts->pid)
		n = (size_t)snprintf(fp->name, sizeof(fp->name), "%s-%d", comm, th->pid);
	else
		n = (size_t)snprintf(fp->name, sizeof(fp->name), "%s", comm);
	if (n >= sizeof(fp->name))
		n = sizeof(fp->name) - 1;
	for (size_t i = 0; i < n; i++)
		if (fp->name[i] == ' ')
			fp->name[i] = '_';
	id = fold__name(fp->f, fp->name, n, FOLD_K_COMM, FOLD_NONE, 0);
	if (id == FOLD_NONE || pairmap__put(&fp->comms, (uintptr_t)comm, ids, id))
		return FOLD_NONE;
	return id;
}

static int set_event(struct fold_perf *fp, struct pd_evsel *e)
{
	const struct perf_event_attr *a = &e->attr;
	bool ns = (a->type == PERF_TYPE_SOFTWARE &&
		   (a->config == PERF_COUNT_SW_CPU_CLOCK || a->config == PERF_COUNT_SW_TASK_CLOCK)) ||
		  e == fp->offcpu;

	fp->evsel = e;
	if (fp->f->event)
		return 0;
	fp->f->event = strdup(e->name);
	fp->f->unit = strdup(ns ? "nanoseconds" : "count");
	return fp->f->event && fp->f->unit ? 0 : -ENOMEM;
}

static struct fold_sample sample_of(const struct pd_sample *smp, const struct pd_evsel *evsel,
				    const struct thread *th)
{
	return (struct fold_sample){
		.time = smp->type & PERF_SAMPLE_TIME ? smp->time : 0,
		.period = smp->period,
		.node = FOLD_NONE,
		.cpu = smp->type & PERF_SAMPLE_CPU ? (int)smp->cpu : -1,
		.pid = th ? th->pid : (int)smp->pid,
		.tid = th ? th->tid : (int)smp->tid,
		.comm = th && th->comm ? th->comm : "[unknown]",
		.event = evsel->name,
	};
}

/* A sample of an event that is not folded (a tracepoint, a uprobe): handed on with the
 * function it hit, for exports that show such events as instants. */
static int other_event(struct fold_perf *fp, struct session *s, const struct pd_sample *smp,
		       struct pd_evsel *evsel, struct thread *th)
{
	struct fold_sample fs = sample_of(smp, evsel, th);
	struct addr_loc al;

	if (!session__resolve(s, th, smp->cpumode, smp->ip, &al) && al.sym)
		fs.sym = symbol__name(al.sym, fp->opts->demangle);
	return fp->opts->sample_fn(fp->opts->sample_ctx, &fs);
}

/* The folded path of a sample into fp->path (the comm, the frames root first, off-CPU
 * frames); *n its length. 0 or -ENOMEM. */
static int fold_path(struct fold_perf *fp, struct session *s, const struct pd_sample *smp,
		     struct pd_evsel *evsel, struct thread *th, size_t *n)
{
	const struct addr_loc *frames;
	struct addr_loc al;
	int nf, ret;

	if (evsel == fp->offcpu && fp->opts->offcpu == FOLD_OFFCPU_WAKERS) {
		uint32_t ids[2];

		if (fold_offcpu__wakee_frames(fp->f, smp, ids) || push(fp, n, ids[0]) ||
		    push(fp, n, ids[1]))
			return -ENOMEM;
	}
	if (push(fp, n, comm_id(fp, th)))
		return -ENOMEM;
	nf = session__callchain(s, th, smp, &frames);
	if (nf == -ENOENT) {
		/* no call graph recorded: the sampled function alone */
		session__resolve(s, th, smp->cpumode, smp->ip, &al);
		frames = &al;
		nf = 1;
	}
	for (int i = nf - 1; i >= 0; i--) {
		const struct addr_loc *fr = &frames[i];

		if (fp->opts->inline_frames && !fr->inl && fr->sym && !is_kernel(fr) &&
		    fr->dso && fr->dso->kind == DSO_USER)
			ret = push_inlines(fp, fr, n);
		else
			ret = push_frame(fp, fr, n);
		if (ret)
			return -ENOMEM;
	}
	if (evsel == fp->offcpu && fp->opts->offcpu != FOLD_OFFCPU_WAKERS &&
	    push(fp, n, fold_offcpu__state_frame(fp->f, smp)))
		return -ENOMEM;
	return 0;
}

/* The node @smp folds to: from the memo when an earlier sample had its chain, maps and
 * comm (node + 1 there), else folded the whole way. Counted either way. */
static uint32_t fold_sample(struct fold_perf *fp, struct session *s, const struct pd_sample *smp,
			    struct pd_evsel *evsel, struct thread *th)
{
	struct chain_memo_val *v = NULL;
	uint64_t ids;
	size_t n = 0;
	uint32_t node;
	bool fresh;

	if (evsel != fp->offcpu && chain_memo__usable(smp)) {
		const char *comm = comm_key(fp, th, &ids);

		if (!fp->memo && !(fp->memo = chain_memo__new()))
			return FOLD_NONE;
		chain_memo__bound(fp->memo, 0);
		v = chain_memo__get(fp->memo, s, th, (uintptr_t)comm, ids, smp, &fresh);
		if (!v)
			return FOLD_NONE;
		if (v->a) {
			fold__add(fp->f, (uint32_t)(v->a - 1), fp->profile, 1, smp->period);
			return (uint32_t)(v->a - 1);
		}
	}
	if (fold_path(fp, s, smp, evsel, th, &n))
		return FOLD_NONE;
	node = fold__add_path(fp->f, fp->path, n, fp->profile, 1, smp->period);
	if (v && node != FOLD_NONE)
		v->a = (uint64_t)node + 1;
	return node;
}

/* The chain memo's slot of a sample coming (session_tool.ahead), as fold_sample looks. */
static void on_ahead(void *ctx, const struct session *s, const struct pd_sample *smp,
		     const struct pd_evsel *evsel, const struct thread *th)
{
	const struct fold_perf *fp = ctx;
	uint64_t ids;
	const char *comm;

	if (!th || evsel != fp->evsel)
		return;
	comm = comm_key(fp, th, &ids);
	chain_memo__prefetch(fp->memo, s, th, (uintptr_t)comm, ids, smp);
}

static int on_sample(void *ctx, struct session *s, const struct pd_sample *smp,
		     struct pd_evsel *evsel, struct thread *th)
{
	struct fold_perf *fp = ctx;
	uint32_t node;
	int ret;

	if (!fp->evsel && (ret = set_event(fp, evsel)))
		return ret;
	if ((smp->type & PERF_SAMPLE_TIME) && !time_range__has(&fp->time, smp->time)) {
		fp->outside += evsel == fp->evsel || evsel == fp->offcpu;
		return 0;
	}
	if (evsel != fp->evsel && evsel != fp->offcpu) {
		if (fp->opts->all_events && fp->opts->sample_fn)
			return other_event(fp, s, smp, evsel, th);	/* shown, not skipped */
		fp->skipped++;
		return 0;
	}
	node = fold_sample(fp, s, smp, evsel, th);
	if (node == FOLD_NONE)
		return -ENOMEM;
	if (fp->opts->sample_fn) {
		struct fold_sample fs = sample_of(smp, evsel, th);

		fs.node = node;
		if ((ret = fp->opts->sample_fn(fp->opts->sample_ctx, &fs)))
			return ret;
	}
	if (fp->profile == 0 && (smp->type & PERF_SAMPLE_TIME)) {
		if (!fp->f->time_first || smp->time < fp->f->time_first)
			fp->f->time_first = smp->time;
		if (smp->time > fp->f->time_last)
			fp->f->time_last = smp->time;
	}
	fp->folded++;
	return 0;
}

bool fold_perf__event_matches(const char *name, const char *want)
{
	size_t l = strlen(want);

	if (!strcmp(name, want))
		return true;
	if (strncmp(name, want, l) || name[l] != ':')
		return false;
	/* only modifiers may follow: "cpu-clock:ppp" answers to "cpu-clock" */
	return name[l + 1 + strspn(name + l + 1, "ukhHGpPSDIWe")] == '\0';
}

static int pick_event(struct fold_perf *fp, struct pd_reader *r, const char *path,
		      struct error *err)
{
	char names[512] = "";
	size_t len = 0;

	for (size_t i = 0; i < pd_reader__nr_evsels(r); i++) {
		struct pd_evsel *e = pd_reader__evsel(r, i);

		if (fold_perf__event_matches(e->name, fp->opts->event))
			return set_event(fp, e);
		len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s", i ? ", " : "",
					e->name);
		if (len >= sizeof(names))
			len = sizeof(names) - 1;
	}
	return error__set(err, -ENOENT, "%s has no event '%s' (it has: %s)", path,
			     fp->opts->event, names);
}

/* Without -e: an off-CPU file folds its on-CPU event and offcpu-time together (or one of the
 * off-CPU views), both by time. */
static int pick_offcpu(struct fold_perf *fp, struct pd_reader *r, struct error *err)
{
	struct pd_evsel *on, *off;
	int ret = fold_offcpu__pick(r, fp->opts->offcpu, &on, &off, err);
	char name[256];

	if (ret || !off)
		return ret;
	fp->offcpu = off;
	fp->evsel = on ? on : off;
	if (fp->f->event)
		return 0;
	snprintf(name, sizeof(name), "%s%s%s", on ? on->name : "", on ? " + " : "", off->name);
	fp->f->event = strdup(name);
	fp->f->unit = strdup("nanoseconds");
	return fp->f->event && fp->f->unit ? 0 : -ENOMEM;
}

/* The header facts the graphs print: host, command line, the file and when it was written. */
static int take_facts(struct fold *f, struct pd_reader *r, const char *path)
{
	const char *host = pd_reader__hostname(r), *cmd = pd_reader__cmdline(r);
	struct stat st;

	if ((host && !(f->hostname = strdup(host))) || (cmd && !(f->cmdline = strdup(cmd))) ||
	    !(f->path = strdup(path)))
		return -ENOMEM;
	if (!stat(path, &st) && S_ISREG(st.st_mode))
		f->date = st.st_mtime;
	return 0;
}

int fold_perf__read(struct fold *f, int profile, const char *path,
		    const struct fold_perf_opts *opts, struct fold_perf_stats *stats,
		    struct error *err)
{
	struct session_opts so = { .demangle = opts->demangle, .inline_frames = !opts->no_inline,
				   .threads = opts->threads, .progress = opts->progress,
				   .heap_ahead = SESSION_HEAP_AHEAD, .reclaim_threads = true,
				   .reclaim_round_ns = SESSION_RECLAIM_ROUND_NS,
				   .number_chains = true };
	struct fold_perf fp = { .f = f, .opts = opts, .profile = profile };
	struct session *s;
	int ret = 0;

	s = session__open(path, &so, err);
	if (!s)
		return err && err->code ? err->code : -EINVAL;
	fp.time = (struct time_range){ 0, UINT64_MAX };
	if (opts->time)
		ret = time_range__parse(opts->time, session__reader(s), &fp.time, err);
	if (!ret && opts->event)
		ret = pick_event(&fp, session__reader(s), path, err);
	else if (!ret)
		ret = pick_offcpu(&fp, session__reader(s), err);
	if (!ret && profile == 0)
		ret = take_facts(f, session__reader(s), path);
	if (!ret)
		ret = session__process(s, &(struct session_tool){ .sample = on_sample,
							  .ahead = on_ahead, .ctx = &fp }, err);
	if (profile == 0)
		f->nr_lost += session__stats(s)->nr_lost;
	if (ret == -ENOMEM && err && !err->code)
		error__nomem(err);
	if (stats) {
		stats->folded = fp.folded;
		stats->skipped = fp.skipped;
		stats->outside = fp.outside;
		stats->event = fp.evsel ? f->event : NULL;
		stats->by_time = fp.offcpu != NULL;
	}
	htab__exit(&fp.syms);
	htab__exit(&fp.dsos);
	htab__exit(&fp.inl);
	pairmap__exit(&fp.unres);
	pairmap__exit(&fp.comms);
	inline_cache__free(fp.ic);
	chain_memo__free(fp.memo);
	free(fp.path);
	session__close(s);
	return ret;
}
