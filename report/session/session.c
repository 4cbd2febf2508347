/* Owns replaying records into the machine model (perf's rules for COMM, FORK, MMAP/MMAP2,
 * the kernel map record, KSYMBOL) and address resolution for the tools. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "report/session/chain_ids.h"
#include "report/session/pipeline.h"
#include "report/session/progress.h"
#include "report/session/resolve_cache.h"
#include "report/session/cgroups.h"
#include "report/session/session.h"
#include "symbols/embed.h"
#include "util/log.h"

#define KERNEL_DSO_NAME "[kernel.kallsyms]"

struct session {
	struct pd_reader *reader;
	struct dsos *dsos;
	struct symembed *embed;		/* precord --embed-symbols: the file's own symbols */
	struct threads *threads;
	struct maps *kmaps;
	struct session_opts opts;
	const struct session_tool *tool;
	struct error *err;
	struct session_stats stats;
	char first_bad[120];		/* the first record left out, for the warning */
	struct addr_loc frames[SESSION_MAX_STACK];
	/* DWARF unwinding of user stacks, set up on the first sample that has one */
	struct unwinder *unwinder;
	bool unwinder_failed;
	struct unwind_stats *ustats;
	uint64_t ustats_sample;		/* nr_samples when last counted: once per sample */
	uint64_t cut_sample;		/* nr_samples when a cut chain was last counted */
	struct unwind_result last_unwind;
	bool last_unwound;
	uint64_t uips[SESSION_MAX_STACK];
	/* inline chains of unwound frames (opts.inline_frames) */
	struct inline_cache *inl;
	struct addr_loc ubuf[SESSION_MAX_STACK];
	uint64_t maps_gen;		/* last generation given to a changed maps */
	struct resolve_cache rcache;	/* (generation, address) -> what session__resolve found */
	struct progress *progress;	/* during session__process() with opts.progress */
	struct cgroups *cgroups;	/* PERF_RECORD_CGROUP's names; NULL until one */
	uint64_t round_start;		/* opts.reclaim_round_ns: the sample time the round began */
	struct chain_ids *ids;		/* opts.number_chains: the chains' numbers */
};

/* What a session starts with, read from a file or fed live: the idle thread perf names. */
static struct session *session_new(const struct session_opts *opts)
{
	struct session *s = calloc(1, sizeof(*s));
	struct thread *idle;

	if (!s)
		return NULL;
	if (opts)
		s->opts = *opts;
	s->dsos = dsos__new();
	s->threads = threads__new();
	s->kmaps = maps__new();
	if (!s->dsos || !s->threads || !s->kmaps || resolve_cache__init(&s->rcache) ||
	    (s->opts.number_chains && !(s->ids = chain_ids__new())))
		goto err;
	dsos__set_raw_aliases(s->dsos, !s->opts.demangle);
	threads__set_reclaim(s->threads, s->opts.reclaim_threads);
	idle = threads__findnew(s->threads, 0, 0);
	if (!idle || thread__set_comm(s->threads, idle, "swapper"))
		goto err;
	return s;
err:
	session__close(s);
	return NULL;
}

/* The symbols the recording embedded (precord --embed-symbols), for DSOs with no file here. */
static int embed_symbols(struct session *s, struct error *err)
{
	uint64_t size;
	const void *sec = pd_reader__feature(s->reader, PD_FEAT_EMBEDDED_SYMBOLS, &size);

	if (!sec)
		return 0;
	s->embed = symembed__attach(s->dsos, sec, (size_t)size);
	return s->embed ? 0 : error__nomem(err);
}

struct session *session__open(const char *path, const struct session_opts *opts,
			      struct error *err)
{
	struct session *s = session_new(opts);

	if (!s) {
		error__nomem(err);
		return NULL;
	}
	s->reader = pd_reader__open(path, err);
	if (!s->reader)
		goto err;
	for (size_t i = 0; i < pd_reader__nr_build_ids(s->reader); i++) {
		const struct pd_reader_build_id *b = pd_reader__build_id(s->reader, i);
		bool kernel = (b->misc & PERF_RECORD_MISC_CPUMODE_MASK) == PERF_RECORD_MISC_KERNEL;

		if (dsos__add_build_id(s->dsos, b->filename, b->id, b->size, kernel)) {
			error__nomem(err);
			goto err;
		}
	}
	if (embed_symbols(s, err))
		goto err;
	return s;
err:
	session__close(s);
	return NULL;
}

struct session *session__new_live(const struct session_opts *opts, struct error *err)
{
	struct session *s = session_new(opts);

	if (!s)
		error__nomem(err);
	return s;
}

void session__close(struct session *s)
{
	if (!s)
		return;
	unwinder__free(s->unwinder);
	unwind_stats__free(s->ustats);
	inline_cache__free(s->inl);
	resolve_cache__exit(&s->rcache);
	chain_ids__free(s->ids);
	cgroups__free(s->cgroups);
	threads__free(s->threads);
	maps__put(s->kmaps);
	dsos__free(s->dsos);
	symembed__free(s->embed);
	pd_reader__close(s->reader);
	free(s);
}

struct pd_reader *session__reader(struct session *s) { return s->reader; }
struct dsos *session__dsos(struct session *s) { return s->dsos; }
struct thread *session__thread(struct session *s, int32_t tid) { return threads__find(s->threads, tid); }
const struct session_stats *session__stats(const struct session *s) { return &s->stats; }
bool session__demangle(const struct session *s) { return s->opts.demangle; }
const char *session__cgroup(const struct session *s, uint64_t id) { return cgroups__name(s->cgroups, id); }

size_t session__reclaim(struct session *s, bool (*in_use)(void *ctx, const struct thread *th),
			void *ctx)
{
	size_t n = s->opts.reclaim_threads ? threads__reclaim(s->threads, in_use, ctx) : 0;

	s->stats.nr_threads_freed += n;
	return n;
}

/* opts.reclaim_round_ns: a round ends when a sample is that much later than the one that
 * began it (a sample of an earlier time, which a file joined from recordings can have,
 * ends none). */
static void reclaim_round(struct session *s, uint64_t time)
{
	if (time < s->round_start || time - s->round_start < s->opts.reclaim_round_ns)
		return;
	if (s->opts.reclaim_maps_only)
		s->stats.nr_maps_freed += threads__reclaim_maps(s->threads);
	else
		session__reclaim(s, NULL, NULL);
	s->round_start = time;
}

/* For messages: the file, or what a live session reads. */
static const char *src_name(const struct session *s)
{
	return s->reader ? pd_reader__path(s->reader) : "live sampling";
}

static int nomem(struct session *s)
{
	return error__nomem(s->err);
}

/* A record with bad fields is left out and counted (said once at the end), as the reader
 * does with records it cannot decode: the rest of the file still counts. */
#define SKIPPED 1

/* A maps changed: a generation no other contents had (see session__map_gens). */
static int maps_changed(struct session *s, struct maps *m)
{
	m->gen = ++s->maps_gen;
	return 0;
}

static int bad_record(struct session *s, const struct pd_record *rec, const char *what)
{
	if (!s->stats.nr_bad_records++)
		snprintf(s->first_bad, sizeof(s->first_bad), "%s at offset %llu", what,
			 (unsigned long long)rec->offset);
	return SKIPPED;
}

/* A NUL-terminated string inside the record body from @off; NULL if unterminated. */
static const char *rec_string(const struct pd_record *rec, size_t off)
{
	const char *p = (const char *)rec->hdr + off;
	size_t room;

	if (off >= rec->hdr->size)
		return NULL;
	room = rec->hdr->size - off;
	return memchr(p, '\0', room) ? p : NULL;
}

static bool is_anon(const char *name)
{
	return !strcmp(name, "//anon") || !strncmp(name, "/dev/zero", 9) ||
	       !strncmp(name, "/anon_hugepage", 14);
}

static bool is_nodso(const char *name)
{
	return !strncmp(name, "[stack", 6) || !strncmp(name, "/SYSV", 5) || !strcmp(name, "[heap]");
}

static int process_kernel_mmap(struct session *s, uint64_t start, uint64_t len, uint64_t pgoff,
			       const char *name)
{
	struct map m = { .start = start, .end = start + len, .pgoff = pgoff, .identity = true,
			 .prot = PROT_EXEC };

	if (!strncmp(name, KERNEL_DSO_NAME, strlen(KERNEL_DSO_NAME))) {
		m.dso = dsos__findnew(s->dsos, KERNEL_DSO_NAME, DSO_KERNEL);
		if (!m.dso)
			return nomem(s);
		m.dso->kernel_reloc = pgoff;
		/* the kernel map reaches up to the modules (perf extends it the same way) */
		m.end = ~0ULL;
	} else {
		m.dso = dsos__findnew(s->dsos, name, DSO_KMODULE);
		if (!m.dso)
			return nomem(s);
	}
	return maps__insert(s->kmaps, &m) ? nomem(s) : maps_changed(s, s->kmaps);
}

static int process_mmap(struct session *s, const struct pd_record *rec)
{
	const uint8_t *b = (const uint8_t *)rec->hdr;
	bool v2 = rec->hdr->type == PERF_RECORD_MMAP2;
	size_t name_off = v2 ? 8 + 8 + 24 + 24 + 8 : 8 + 8 + 24;
	uint32_t pid, tid, prot = PROT_EXEC, flags = 0;
	uint64_t start, len, pgoff;
	const char *name;
	struct thread *th;
	struct map m;
	uint8_t cpumode = rec->hdr->misc & PERF_RECORD_MISC_CPUMODE_MASK;

	if (rec->hdr->size < name_off + 1)
		return bad_record(s, rec, "short MMAP record");
	memcpy(&pid, b + 8, 4);
	memcpy(&tid, b + 12, 4);
	memcpy(&start, b + 16, 8);
	memcpy(&len, b + 24, 8);
	memcpy(&pgoff, b + 32, 8);
	if (v2) {
		memcpy(&prot, b + 64, 4);
		memcpy(&flags, b + 68, 4);
	} else if (rec->hdr->misc & PERF_RECORD_MISC_MMAP_DATA) {
		prot = PROT_READ;
	}
	name = rec_string(rec, name_off);
	if (!name)
		return bad_record(s, rec, "MMAP file name not terminated");
	if (len == 0 || start + len < start)
		return 0;
	if (cpumode == PERF_RECORD_MISC_KERNEL)
		return process_kernel_mmap(s, start, len, pgoff, name);
	if (cpumode != PERF_RECORD_MISC_USER)
		return 0;	/* guests: not modelled */
	th = threads__findnew(s->threads, (int32_t)pid, (int32_t)tid);
	if (!th)
		return nomem(s);
	m = (struct map){ .start = start, .end = start + len, .pgoff = pgoff, .prot = prot,
			  .flags = flags };
	if (is_anon(name) || is_nodso(name)) {
		m.identity = true;
		m.pgoff = 0;
		if (prot & PROT_EXEC) {
			char jit[64];

			snprintf(jit, sizeof(jit), "/tmp/perf-%d.map", (int)pid);
			m.dso = dsos__findnew(s->dsos, jit, DSO_JIT);
		} else {
			m.dso = dsos__findnew(s->dsos, name, DSO_NOSYMS);
		}
	} else if (!strcmp(name, "[vdso]")) {
		m.dso = dsos__findnew(s->dsos, name, DSO_VDSO);
	} else if (name[0] == '[' || strstr(name, " (deleted)") || !strncmp(name, "/memfd:", 7)) {
		m.dso = dsos__findnew(s->dsos, name, DSO_NOSYMS);
	} else {
		m.dso = dsos__findnew(s->dsos, name, DSO_USER);
	}
	if (!m.dso)
		return nomem(s);
	return maps__insert(th->maps, &m) ? nomem(s) : maps_changed(s, th->maps);
}

static int process_comm(struct session *s, const struct pd_record *rec)
{
	uint32_t pid, tid;
	const char *comm;
	struct thread *th;

	if (rec->hdr->size < 8 + 8 + 1)
		return bad_record(s, rec, "short COMM record");
	memcpy(&pid, (const uint8_t *)rec->hdr + 8, 4);
	memcpy(&tid, (const uint8_t *)rec->hdr + 12, 4);
	comm = rec_string(rec, 16);
	if (!comm)
		return bad_record(s, rec, "COMM name not terminated");
	th = threads__findnew(s->threads, (int32_t)pid, (int32_t)tid);
	if (!th || thread__set_comm(s->threads, th, comm))
		return nomem(s);
	return 0;
}

static int process_fork(struct session *s, const struct pd_record *rec)
{
	uint32_t v[4];
	struct thread *th, *parent;
	bool clone_maps;

	if (rec->hdr->size < 8 + 16 + 8)
		return bad_record(s, rec, "short FORK record");
	memcpy(v, (const uint8_t *)rec->hdr + 8, 16);	/* pid, ppid, tid, ptid */
	/* perf-synthesized FORKs (FORK_EXEC) describe existing tasks: maps come separately */
	clone_maps = !(rec->hdr->misc & PERF_RECORD_MISC_FORK_EXEC);
	th = threads__find(s->threads, (int32_t)v[2]);
	parent = threads__findnew(s->threads, (int32_t)v[1], (int32_t)v[3]);
	if (th && th != parent)
		threads__remove(s->threads, th);	/* a stale thread of a reused tid */
	th = threads__findnew(s->threads, (int32_t)v[0], (int32_t)v[2]);
	if (!th || !parent)
		return nomem(s);
	if (th == parent)
		return 0;
	th->ppid = parent->tid;
	if (parent->comm_set && thread__set_comm(s->threads, th, parent->comm))
		return nomem(s);
	if (th->pid != parent->pid && clone_maps && th->maps != parent->maps) {
		bool moves = maps__clone_moves(parent->maps);
		struct maps *c = maps__clone(parent->maps);

		if (!c)
			return nomem(s);
		maps__put(th->maps);
		th->maps = c;
		/* the same contents until one of them changes; under a new generation if the
		 * clone moved the parent's map structs (resolve_cache.h) */
		if (moves)
			maps_changed(s, parent->maps);
		c->gen = parent->maps->gen;
	}
	return 0;
}

/* Reclaiming threads only: the thread goes on the exited list (still found until reclaimed). */
static int process_exit(struct session *s, const struct pd_record *rec)
{
	uint32_t v[4];
	struct thread *th;

	if (rec->hdr->size < 8 + 16 + 8)
		return bad_record(s, rec, "short EXIT record");
	memcpy(v, (const uint8_t *)rec->hdr + 8, 16);	/* pid, ppid, tid, ptid */
	th = threads__find(s->threads, (int32_t)v[2]);
	if (th)
		threads__exit(s->threads, th);
	return 0;
}

static int process_ksymbol(struct session *s, const struct pd_record *rec)
{
	const uint8_t *b = (const uint8_t *)rec->hdr;
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	const char *name;
	struct map m = { 0 };
	struct dso *dso;

	if (rec->hdr->size < 8 + 16 + 1)
		return bad_record(s, rec, "short KSYMBOL record");
	memcpy(&addr, b + 8, 8);
	memcpy(&len, b + 16, 4);
	memcpy(&flags, b + 22, 2);
	name = rec_string(rec, 24);
	if (!name)
		return bad_record(s, rec, "KSYMBOL name not terminated");
	if ((flags & PERF_RECORD_KSYMBOL_FLAGS_UNREGISTER) || !len)
		return 0;
	dso = dsos__findnew(s->dsos, name, DSO_NOSYMS);
	if (!dso)
		return nomem(s);
	if (!dso->nr_syms && dso__add_sym(dso, 0, len, name, 1 /* STB_GLOBAL */))
		return nomem(s);
	dso->loaded = true;
	m = (struct map){ .start = addr, .end = addr + len, .pgoff = 0, .dso = dso, .prot = PROT_EXEC };
	return maps__insert(s->kmaps, &m) ? nomem(s) : maps_changed(s, s->kmaps);
}

/* Apply one record; a SAMPLE comes parsed: @smp and pd_sample__parse()'s @parse_ret. */
static int apply(struct session *s, const struct pd_record *rec, const struct pd_sample *smp,
		 int parse_ret)
{
	const struct session_tool *tool = s->tool;
	int ret = 0;

	s->stats.nr_records++;
	if (s->progress)
		progress__update(s->progress, s->stats.nr_records,
				 rec->offset - pd_reader__header(s->reader)->data.offset);
	switch (rec->hdr->type) {
	case PERF_RECORD_SAMPLE: {
		struct thread *th = NULL;

		if (parse_ret) {
			bad_record(s, rec, "a sample field runs past the record end");
			return 0;
		}
		s->stats.nr_samples++;
		if (s->opts.reclaim_round_ns && (smp->type & PERF_SAMPLE_TIME))
			reclaim_round(s, smp->time);
		if (smp->type & PERF_SAMPLE_TID) {
			th = threads__findnew(s->threads, (int32_t)smp->pid, (int32_t)smp->tid);
			if (!th)
				return nomem(s);
		}
		if (tool && tool->sample)
			ret = tool->sample(tool->ctx, s, smp, rec->evsel, th);
		break;
	}
	case PERF_RECORD_MMAP:
	case PERF_RECORD_MMAP2:
		ret = process_mmap(s, rec);
		break;
	case PERF_RECORD_COMM:
		ret = process_comm(s, rec);
		break;
	case PERF_RECORD_FORK:
		ret = process_fork(s, rec);
		break;
	case PERF_RECORD_EXIT:
		if (s->opts.reclaim_threads)
			ret = process_exit(s, rec);
		break;
	case PERF_RECORD_KSYMBOL:
		ret = process_ksymbol(s, rec);
		break;
	case PERF_RECORD_CGROUP:
		if (!s->cgroups && !(s->cgroups = cgroups__new()))
			return nomem(s);
		if (cgroups__add_record(s->cgroups, rec->hdr + 1, rec->hdr->size - sizeof(*rec->hdr)) ==
		    -ENOMEM)
			return nomem(s);
		break;
	case PERF_RECORD_LOST:
		if (rec->hdr->size >= 24) {
			uint64_t lost;

			memcpy(&lost, (const uint8_t *)rec->hdr + 16, 8);
			s->stats.nr_lost += lost;
		}
		break;
	case PERF_RECORD_LOST_SAMPLES:
		if (rec->hdr->size >= 16) {
			uint64_t lost;

			memcpy(&lost, (const uint8_t *)rec->hdr + 8, 8);
			s->stats.nr_lost_samples += lost;
		}
		break;
	default:
		if (!pd_record__type_name(rec->hdr->type))
			s->stats.nr_unknown_records++;
		break;
	}
	if (ret == SKIPPED)
		return 0;
	if (!ret && tool && tool->record)
		ret = tool->record(tool->ctx, s, rec);
	return ret;
}

static int deliver(void *ctx, const struct pd_record *rec)
{
	struct session *s = ctx;
	struct pd_sample smp;
	uint32_t bad_at = 0;
	int parse_ret = 0;

	if (rec->hdr->type == PERF_RECORD_SAMPLE) {
		parse_ret = pd_sample__parse(rec->evsel, rec->hdr, &smp, &bad_at);
		if (!parse_ret && s->ids)
			chain_ids__number(s->ids, &smp);
	}
	return apply(s, rec, &smp, parse_ret);
}

static int deliver_parsed(void *ctx, const struct pd_record *rec, const struct pd_sample *smp,
			  int parse_ret, uint32_t bad_at)
{
	(void)bad_at;
	return apply(ctx, rec, smp, parse_ret);
}

static void deliver_ahead(void *ctx, const struct pd_record *rec, const struct pd_sample *smp)
{
	struct session *s = ctx;

	s->tool->ahead(s->tool->ctx, s, smp, rec->evsel,
		       threads__find(s->threads, (int32_t)smp->tid));
}

int session__process(struct session *s, const struct session_tool *tool, struct error *err)
{
	int ret;

	struct progress progress;

	s->tool = tool;
	s->err = err;
	if (s->opts.progress) {
		progress__init(&progress, s->opts.progress, pd_reader__header(s->reader)->data.size,
			       progress__now());
		s->progress = &progress;
	}
	ret = pipeline__run(s->reader, deliver_parsed, tool && tool->ahead ? deliver_ahead : NULL,
			    s, &(struct pipeline_opts){ .heap_ahead = s->opts.heap_ahead,
						       .ids = s->ids,
						       .one_thread = s->opts.threads <= 1 }, err);
	if (s->progress)
		progress__end(s->progress);
	s->progress = NULL;
	if (s->stats.nr_threads_freed)
		pr_debug("%s: %llu exited threads freed during the replay", src_name(s),
			 (unsigned long long)s->stats.nr_threads_freed);
	if (s->stats.nr_maps_freed)
		pr_debug("%s: the maps of %llu exited threads freed during the replay", src_name(s),
			 (unsigned long long)s->stats.nr_maps_freed);
	if (s->stats.nr_bad_records)
		pr_warn("%s: %llu records with bad fields left out (the first: %s)",
			src_name(s), (unsigned long long)s->stats.nr_bad_records,
			s->first_bad);
	if (s->stats.nr_lost)
		pr_warn("%s: lost %llu events while recording", src_name(s),
			(unsigned long long)s->stats.nr_lost);
	if (s->stats.nr_cut_chains)
		pr_warn("%s: %llu call chains deeper than %d frames were cut there (perf's --max-stack)",
			src_name(s), (unsigned long long)s->stats.nr_cut_chains,
			SESSION_MAX_STACK);
	s->tool = NULL;
	return ret;
}

int session__feed(struct session *s, const struct session_tool *tool, const struct pd_record *rec,
		  struct error *err)
{
	int ret;

	s->tool = tool;
	s->err = err;
	ret = deliver(s, rec);
	s->tool = NULL;
	return ret;
}

int session__resolve(struct session *s, struct thread *thread, uint8_t cpumode, uint64_t ip,
		     struct addr_loc *al)
{
	const struct maps *maps = NULL;
	struct resolve_slot *slot;
	const struct map *m;

	al->ip = ip;
	al->addr = ip;
	al->map = NULL;
	al->dso = NULL;
	al->sym = NULL;
	al->symoff = 0;
	al->cpumode = cpumode;
	al->inl = NULL;
	if (cpumode == PERF_RECORD_MISC_KERNEL)
		maps = s->kmaps;
	else if (cpumode == PERF_RECORD_MISC_USER && thread)
		maps = thread->maps;
	if (!maps)
		return -ENOENT;
	/* a generation of 0 is an empty maps: nothing to find, nothing kept */
	slot = maps->gen ? resolve_cache__slot(&s->rcache, maps->gen, ip) : NULL;
	if (slot && resolve_slot__is(slot, maps->gen, ip)) {
		m = slot->map;
		if (!m)
			return -ENOENT;		/* no map there, as found before */
		al->sym = slot->sym;
		al->symoff = slot->symoff;
	} else {
		m = maps__find(maps, ip);
		al->sym = m ? (struct symbol *)dso__find_sym(m->dso, map__map_ip(m, ip),
							     &al->symoff) : NULL;
		if (slot)
			resolve_slot__fill(slot, maps->gen, ip, m, al->sym, al->symoff);
		if (!m)
			return -ENOENT;
	}
	al->map = m;
	al->dso = m->dso;
	al->addr = map__map_ip(m, ip);
	return 0;
}

void session__map_gens(const struct session *s, const struct thread *thread, uint64_t gen[2])
{
	gen[0] = s->kmaps->gen;
	gen[1] = thread && thread->maps ? thread->maps->gen : 0;
}

const struct unwind_result *session__last_unwind(const struct session *s)
{
	return s->last_unwound ? &s->last_unwind : NULL;
}

const struct unwind_stats *session__unwind_stats(const struct session *s)
{
	return s->ustats;
}

/* Where DWARF stopped early, continue with the kernel-walked user chain (ips[from..]) past
 * the return address DWARF ended on; n frames are already in s->frames. */
static int hybrid_tail(struct session *s, struct thread *thread, const struct pd_sample *sample,
		       uint64_t from, uint64_t last, int n)
{
	uint64_t i, ip;

	for (i = from; i < sample->callchain_nr; i++) {
		memcpy(&ip, &sample->callchain[i], 8);
		if (ip >= PERF_CONTEXT_MAX)
			return n;
		if (ip == last)
			break;
	}
	for (i++; i < sample->callchain_nr && n < SESSION_MAX_STACK; i++) {
		memcpy(&ip, &sample->callchain[i], 8);
		if (ip >= PERF_CONTEXT_MAX)
			break;
		session__resolve(s, thread, PERF_RECORD_MISC_USER, ip, &s->frames[n++]);
		s->last_unwind.nr_fp++;
	}
	return n;
}

/* Frames [from, n) replaced by their inline chains, as perf's unwinder callback appends
 * them; what does not fit in s->frames is left off the outer end. */
static int expand_inlines(struct session *s, int from, int n)
{
	int i, k, out = from;

	if (!s->inl) {
		s->inl = inline_cache__new(s->opts.demangle);
		if (!s->inl)
			return n;
	}
	memcpy(s->ubuf, &s->frames[from], (size_t)(n - from) * sizeof(*s->ubuf));
	for (i = 0; i < n - from && out < SESSION_MAX_STACK; i++) {
		const struct addr_loc *al = &s->ubuf[i];
		const struct inline_frame *chain;
		int nc = inline_cache__find(s->inl, al->dso, al->sym, al->addr, &chain);

		if (nc <= 0) {
			s->frames[out++] = *al;
			continue;
		}
		for (k = 0; k < nc && out < SESSION_MAX_STACK; k++) {
			s->frames[out] = *al;
			s->frames[out++].inl = &chain[k];
		}
	}
	return out;
}

/* The DWARF-unwound user part after n kernel frames; @fp_from indexes the kernel-walked user
 * chain in sample->callchain (0: none). */
static int unwind_user(struct session *s, struct thread *thread, const struct pd_sample *sample,
		       int n, uint64_t fp_from)
{
	struct unwind_result *res = &s->last_unwind;
	int nr, from = n;

	if (!s->unwinder && !s->unwinder_failed) {
		s->unwinder = unwinder__new(unwind__backend_from_env(UNWIND_LIBDW));
		if (!s->unwinder) {
			pr_warn("cannot set up DWARF unwinding (%s): user stacks show only their first frame",
				strerror(errno));
			s->unwinder = unwinder__new(UNWIND_LIBDW);
		}
		s->ustats = unwind_stats__new();
		if (s->unwinder)
			unwind_stats__set_backend(s->ustats, unwinder__name(s->unwinder));
		s->unwinder_failed = !s->unwinder;
	}
	if (!s->unwinder)
		return n;
	nr = unwinder__unwind(s->unwinder, thread->maps, sample, s->uips, SESSION_MAX_STACK - n, res);
	s->last_unwound = true;
	for (int i = 0; i < nr; i++)
		session__resolve(s, thread, PERF_RECORD_MISC_USER, s->uips[i], &s->frames[n++]);
	/* an entry point without CFI (ld.so's _start) still ends a complete stack */
	if (res->stop != UNWIND_COMPLETE && nr && s->frames[n - 1].sym &&
	    unwind__is_outermost(s->frames[n - 1].sym->name))
		res->stop = UNWIND_COMPLETE;
	if (res->stop != UNWIND_COMPLETE && fp_from && nr > 1)
		n = hybrid_tail(s, thread, sample, fp_from, s->uips[nr - 1] + 1, n);
	if (s->ustats_sample != s->stats.nr_samples) {
		const struct pd_evsel *ev = s->reader ? pd_reader__evsel_by_id(s->reader, sample->id) : NULL;

		s->ustats_sample = s->stats.nr_samples;
		/* the copy size asked for (precord cuts copies to their used bytes) */
		unwind_stats__add(s->ustats, res, ev && ev->attr.sample_stack_user ?
				  ev->attr.sample_stack_user : sample->stack_size);
	}
	return s->opts.inline_frames ? expand_inlines(s, from, n) : n;
}

/* Frames left past SESSION_MAX_STACK (from ips[i] on) are counted, once per sample, and
 * session__process() says how many chains were cut. */
static void count_cut(struct session *s, const struct pd_sample *sample, uint64_t i)
{
	for (; i < sample->callchain_nr; i++) {
		uint64_t ip;

		memcpy(&ip, &sample->callchain[i], 8);
		if (ip < PERF_CONTEXT_MAX) {
			if (s->cut_sample != s->stats.nr_samples) {
				s->cut_sample = s->stats.nr_samples;
				s->stats.nr_cut_chains++;
			}
			return;
		}
	}
}

int session__callchain(struct session *s, struct thread *thread, const struct pd_sample *sample,
		       const struct addr_loc **frames)
{
	uint8_t cpumode = PERF_RECORD_MISC_USER;
	bool dwarf = thread && unwind__has_user_stack(sample);
	uint64_t i;
	int n = 0;

	*frames = s->frames;
	s->last_unwound = false;
	if (!(sample->type & PERF_SAMPLE_CALLCHAIN) && !dwarf)
		return -ENOENT;
	if (!(sample->type & PERF_SAMPLE_CALLCHAIN))
		return unwind_user(s, thread, sample, 0, 0);
	for (i = 0; i < sample->callchain_nr && n < SESSION_MAX_STACK; i++) {
		uint64_t ip;

		memcpy(&ip, &sample->callchain[i], 8);
		if (ip >= PERF_CONTEXT_MAX) {
			switch (ip) {
			case PERF_CONTEXT_HV:
				cpumode = PERF_RECORD_MISC_HYPERVISOR;
				break;
			case PERF_CONTEXT_KERNEL:
				cpumode = PERF_RECORD_MISC_KERNEL;
				break;
			case PERF_CONTEXT_USER:
				/* the user part comes from DWARF; the kernel's walk may extend it */
				if (dwarf)
					return unwind_user(s, thread, sample, n, i + 1);
				cpumode = PERF_RECORD_MISC_USER;
				break;
			default:
				/* an unknown context: perf discards the whole chain */
				return 0;
			}
			continue;
		}
		session__resolve(s, thread, cpumode, ip, &s->frames[n++]);
	}
	if (n == SESSION_MAX_STACK && i < sample->callchain_nr)
		count_cut(s, sample, i);
	return dwarf ? unwind_user(s, thread, sample, n, 0) : n;
}
