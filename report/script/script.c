/* Owns the perf script line layout (perf 6.1): field selection and defaults, the sample
 * header (comm, tid, cpu, time, period, event), the frame lines "ip sym+off (dso)",
 * source lines and inlined frames. Output is assembled in a buffer, no stdio per field; the
 * frame lines of a call chain that recurs (chain_memo.h: the same addresses in the same
 * maps) are kept and copied, not resolved and written again. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "perfdata/tracing.h"
#include "symbols/inline.h"
#include "report/script/script.h"
#include "report/session/chain_memo.h"
#include "report/session/time_range.h"
#include "report/session/session.h"
#include "symbols/srcline.h"
#include "util/array.h"
#include "util/obuf.h"

#define OBUF_SIZE (256 * 1024)
/* a call chain's frame lines are kept when they fit in this (they do unless a chain's
 * names are long: 127 frames of 500 bytes) */
#define CHAIN_TEXT_MAX (64 * 1024)

static const struct {
	const char *name;
	unsigned int bit;
} field_names[] = {
	{ "comm", SCRIPT_F_COMM }, { "tid", SCRIPT_F_TID }, { "pid", SCRIPT_F_PID },
	{ "cpu", SCRIPT_F_CPU }, { "time", SCRIPT_F_TIME }, { "period", SCRIPT_F_PERIOD },
	{ "event", SCRIPT_F_EVENT }, { "ip", SCRIPT_F_IP }, { "sym", SCRIPT_F_SYM },
	{ "symoff", SCRIPT_F_SYMOFF }, { "dso", SCRIPT_F_DSO }, { "srcline", SCRIPT_F_SRCLINE },
	{ "addr", SCRIPT_F_ADDR }, { "trace", SCRIPT_F_TRACE },
	{ "bpf-output", SCRIPT_F_BPF_OUTPUT },
};

int script__parse_fields(const char *spec, unsigned int *set, unsigned int *add, unsigned int *del,
			 struct error *err)
{
	char *dup, *tok, *save = NULL, *p;
	int ret = 0;

	*set = *add = *del = 0;
	if (!spec)
		return 0;
	dup = strdup(spec);
	if (!dup)
		return error__nomem(err);
	p = dup;
	/* "TYPE:fields" selects an event type in perf; here the fields apply to all */
	if (strchr(p, ':'))
		p = strchr(p, ':') + 1;
	for (tok = strtok_r(p, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char mode = 0;
		size_t i;

		if (*tok == '+' || *tok == '-')
			mode = *tok++;
		for (i = 0; i < sizeof(field_names) / sizeof(field_names[0]); i++)
			if (!strcmp(tok, field_names[i].name))
				break;
		if (i == sizeof(field_names) / sizeof(field_names[0])) {
			ret = error__set(err, -EINVAL, "unknown field '%s' in -F (known: comm,tid,pid,"
					    "cpu,time,period,event,ip,sym,symoff,dso,srcline,addr,trace)", tok);
			break;
		}
		if (mode == '+')
			*add |= field_names[i].bit;
		else if (mode == '-')
			*del |= field_names[i].bit;
		else
			*set |= field_names[i].bit;
	}
	free(dup);
	return ret;
}

struct script {
	const struct script_opts *opts;
	struct obuf *ob;
	unsigned int set, add, del;
	unsigned int *fields;		/* per evsel */
	size_t name_width;
	struct tracing *tracing;
	struct inline_cache *inl;	/* --inline on frames the session left as they are */
	struct chain_memo *memo;	/* recurring chain -> its text: offset a, length b */
	char *text;
	size_t text_len, text_cap;
	struct error *err;
	struct time_range tr;		/* --time, else everything */
	uint64_t first, prev;		/* --reltime / --deltatime bases */
	bool seen;
};

static unsigned int fields_for(const struct script *sc, const struct pd_evsel *e)
{
	uint64_t t = e->attr.sample_type;
	unsigned int f;

	if (sc->set) {
		f = sc->set;
	} else {
		f = SCRIPT_F_COMM | SCRIPT_F_TID | SCRIPT_F_TIME | SCRIPT_F_EVENT | SCRIPT_F_CPU;
		if (e->attr.type == PERF_TYPE_SOFTWARE && e->attr.config == PERF_COUNT_SW_BPF_OUTPUT &&
		    (t & PERF_SAMPLE_RAW))
			f |= SCRIPT_F_BPF_OUTPUT;
		if (e->attr.type == PERF_TYPE_TRACEPOINT) {
			f |= SCRIPT_F_TRACE;
			if (t & PERF_SAMPLE_CALLCHAIN)
				f |= SCRIPT_F_IP | SCRIPT_F_SYM | SCRIPT_F_SYMOFF | SCRIPT_F_DSO;
		} else {
			f |= SCRIPT_F_IP | SCRIPT_F_SYM | SCRIPT_F_SYMOFF | SCRIPT_F_DSO |
			     SCRIPT_F_PERIOD;
		}
		/* defaults the samples cannot give are dropped silently, as perf does */
		if (!(t & PERF_SAMPLE_CPU))
			f &= ~SCRIPT_F_CPU;
		if (!(t & PERF_SAMPLE_PERIOD))
			f &= ~SCRIPT_F_PERIOD;
		if (!(t & PERF_SAMPLE_TIME))
			f &= ~SCRIPT_F_TIME;
	}
	f |= sc->add;
	f &= ~sc->del;
	if (f & SCRIPT_F_SYMOFF)
		f |= SCRIPT_F_SYM;
	return f;
}

/* A field asked for by name that the event's samples do not carry is refused, as perf
 * script refuses it (rather than printing a placeholder). 0 or -EINVAL. */
static int check_fields(const struct script *sc, const struct pd_evsel *e, struct error *err)
{
	static const struct { unsigned int bit; uint64_t type; const char *attr, *name; } need[] = {
		{ SCRIPT_F_CPU, PERF_SAMPLE_CPU, "CPU", "cpu" },
		{ SCRIPT_F_ADDR, PERF_SAMPLE_ADDR, "ADDR", "addr" },
		{ SCRIPT_F_TIME, PERF_SAMPLE_TIME, "TIME", "time" },
		{ SCRIPT_F_PERIOD, PERF_SAMPLE_PERIOD, "PERIOD", "period" },
		{ SCRIPT_F_TID, PERF_SAMPLE_TID, "TID", "tid" },
		{ SCRIPT_F_PID, PERF_SAMPLE_TID, "TID", "pid" },
	};
	unsigned int asked = sc->set | sc->add;

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if ((asked & need[i].bit) && !(e->attr.sample_type & need[i].type))
			return error__set(err, -EINVAL, "samples for '%s' event do not have %s attribute set: "
					  "cannot print '%s' field (drop it from -F)", e->name,
					  need[i].attr, need[i].name);
	return 0;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static void put_srcline(struct script *sc, const struct addr_loc *al, const char *file,
			const char *dir, int line)
{
	struct obuf *o = sc->ob;

	ob_mem(o, "  ", 2);
	if (file) {
		if (sc->opts->full_source_path && dir) {
			ob_str(o, dir);
			ob_char(o, '/');
		}
		ob_str(o, sc->opts->full_source_path ? file : base_name(file));
		ob_char(o, ':');
		ob_udec(o, (uint64_t)line, 0, false);
	} else {
		ob_str(o, al->dso->kind == DSO_KERNEL ? al->dso->name : base_name(al->dso->name));
		ob_char(o, '[');
		ob_hex(o, al->addr, 0);
		ob_char(o, ']');
	}
}

/* "sym+0xoff (dso)" part of a frame, after the ip; an inlined level shows its own name at
 * the symbol's offset and no DSO (put_frame() marks it "(inlined)"). */
static void put_sym_dso(struct script *sc, unsigned int f, const struct addr_loc *al,
			const char *inlined_name)
{
	struct obuf *o = sc->ob;

	if (f & SCRIPT_F_SYM) {
		ob_char(o, ' ');
		if (inlined_name) {
			ob_str(o, inlined_name);
		} else if (al->sym) {
			size_t len;
			const char *n = symbol__name_len(al->sym, sc->opts->demangle, &len);

			ob_mem(o, n, len);
		}
		if (inlined_name || al->sym) {
			if (f & SCRIPT_F_SYMOFF) {
				ob_mem(o, "+0x", 3);
				ob_hex(o, al->symoff, 0);
			}
		} else {
			ob_str(o, "[unknown]");
		}
	}
	if ((f & SCRIPT_F_DSO) && !inlined_name) {
		ob_mem(o, " (", 2);
		if (al->dso)
			ob_mem(o, al->dso->name, al->dso->name_len);
		else
			ob_str(o, "[unknown]");
		ob_char(o, ')');
	}
}

/* One frame: "ip sym+off (dso)", its source line below (-F srcline; an inline level's own
 * line), then " (inlined)" on levels perf calls so. */
static void put_frame(struct script *sc, unsigned int f, const struct addr_loc *al, bool chain)
{
	const struct inline_frame *inl = al->inl;
	bool inlined = inl && inl->inlined;
	struct obuf *o = sc->ob;

	ob_char(o, chain ? '\t' : ' ');
	if (f & SCRIPT_F_IP)
		ob_hex(o, chain ? al->addr : al->ip, 16);
	put_sym_dso(sc, f, al, inlined ? inl->name : NULL);
	if ((f & SCRIPT_F_SRCLINE) && al->dso) {
		const char *file = NULL, *dir = NULL;
		int line = 0;

		if (inl) {
			file = inl->file;
			dir = inl->dir;
			line = inl->line;
		} else if (al->dso->kind != DSO_KERNEL) {
			srcline__find(al->dso, dso__map_to_vaddr(al->dso, al->addr), &file, &dir, &line);
		}
		ob_char(o, '\n');
		put_srcline(sc, al, file, dir, line);
	}
	if (inlined)
		ob_mem(o, " (inlined)", 10);
	if (chain)
		ob_char(o, '\n');
}

/* A callchain frame; with --inline also the frames the session did not expand (frame-pointer
 * chains, which perf 6.1 leaves as they are). */
static int put_chain_frame(struct script *sc, unsigned int f, const struct addr_loc *al)
{
	const struct inline_frame *chain;
	struct addr_loc lvl;
	bool any_inlined = false;
	int n;

	if (!sc->opts->inline_frames || al->inl || al->cpumode != PERF_RECORD_MISC_USER) {
		put_frame(sc, f, al, true);
		return 0;
	}
	if (!sc->inl && !(sc->inl = inline_cache__new(sc->opts->demangle)))
		return -ENOMEM;
	n = inline_cache__find(sc->inl, al->dso, al->sym, al->addr, &chain);
	if (n < 0)
		return n;
	/* levels that all name the symbol (a function's first instruction, where DWARF starts
	 * an inlined callee on the function's own line) add nothing to the frame perf prints
	 * once here (DWARF-unwound chains, expanded by the session as perf's unwinder does,
	 * keep perf's repeated frame) */
	for (int i = 0; i < n; i++)
		any_inlined |= chain[i].inlined;
	if (!any_inlined)
		n = 0;
	if (n == 0)
		put_frame(sc, f, al, true);
	lvl = *al;
	for (int i = 0; i < n; i++) {
		lvl.inl = &chain[i];
		put_frame(sc, f, &lvl, true);
	}
	return 0;
}

/* A sample's call chain, a frame a line: copied when the same chain, fields and maps were
 * written before and kept (a key seen twice), else resolved and written (and kept). */
static int put_chain(struct script *sc, struct session *s, struct thread *th,
		     const struct pd_sample *smp, unsigned int f)
{
	struct chain_memo_val *v = NULL;
	const struct addr_loc *frames;
	struct obuf *o = sc->ob;
	size_t start, flushes;
	bool fresh;
	int n;

	if (chain_memo__usable(smp)) {
		if (!sc->memo && !(sc->memo = chain_memo__new()))
			return -ENOMEM;
		if (chain_memo__bound(sc->memo, sc->text_len))
			sc->text_len = 0;
		v = chain_memo__get(sc->memo, s, th, f, 0, smp, &fresh);
		if (!v)
			return -ENOMEM;
		if (v->b) {
			ob_mem(o, sc->text + v->a, v->b);
			return 0;
		}
		if (chain_memo__kept(sc->memo, v))
			ob_room(o, CHAIN_TEXT_MAX);
		else
			v = NULL;
	}
	start = o->len;
	flushes = o->flushes;
	n = session__callchain(s, th, smp, &frames);
	for (int i = 0; i < n; i++) {
		int ret = put_chain_frame(sc, f, &frames[i]);

		if (ret)
			return ret;
	}
	if (v && o->flushes == flushes && o->len > start) {
		size_t len = o->len - start;

		if (ARRAY_GROW(sc->text, sc->text_cap, sc->text_len + len))
			return -ENOMEM;
		memcpy(sc->text + sc->text_len, o->data + start, len);
		v->a = sc->text_len;
		v->b = len;
		sc->text_len += len;
	}
	return 0;
}

/* perf's ctype (the kernel's table): ASCII graphics and space, and Latin-1 from 0xa0 */
static bool is_print(unsigned char c)
{
	return (c >= 0x20 && c <= 0x7e) || c >= 0xa0;
}

/* perf script's dump of a bpf-output event's RAW data: 8 bytes a line, hex then text. */
static void put_bpf_output(struct obuf *o, const unsigned char *p, uint32_t n)
{
	static const char hex[] = "0123456789abcdef";

	ob_char(o, '\n');
	for (uint32_t off = 0; off < n; off += 8) {
		uint32_t k = n - off < 8 ? n - off : 8;

		ob_str(o, off ? "                  " : "      BPF output: ");
		for (int sh = 12; sh >= 0; sh -= 4)
			ob_char(o, hex[(off >> sh) & 15]);
		ob_mem(o, ": ", 2);
		for (uint32_t i = 0; i < 8; i++) {
			if (i < k) {
				ob_char(o, hex[p[off + i] >> 4]);
				ob_char(o, hex[p[off + i] & 15]);
				ob_char(o, ' ');
			} else {
				ob_mem(o, "   ", 3);
			}
		}
		ob_char(o, ' ');
		for (uint32_t i = 0; i < 8; i++)
			ob_char(o, i >= k ? ' ' : is_print(p[off + i]) ? (char)p[off + i] : '.');
		ob_char(o, '\n');
	}
}

/* What starts a line, a sample's or a side-band record's: comm, pid/tid, cpu, time. */
static void put_start(struct script *sc, unsigned int f, bool chain, const struct thread *th,
		      const struct pd_sample *smp, uint64_t t)
{
	struct obuf *o = sc->ob;

	if (f & SCRIPT_F_COMM) {
		const char *comm = th ? th->comm : ":-1";

		if (chain) {
			ob_str(o, comm);
			ob_char(o, ' ');
		} else {
			ob_str_right(o, comm, 16);
			ob_char(o, ' ');
		}
	}
	if ((f & SCRIPT_F_PID) && (f & SCRIPT_F_TID)) {
		ob_sdec(o, (int32_t)smp->pid, 5, false);
		ob_char(o, '/');
		ob_sdec(o, (int32_t)smp->tid, 5, true);
		ob_char(o, ' ');
	} else if (f & SCRIPT_F_PID) {
		ob_sdec(o, (int32_t)smp->pid, 5, false);
		ob_char(o, ' ');
	} else if (f & SCRIPT_F_TID) {
		ob_sdec(o, (int32_t)smp->tid, 5, false);
		ob_char(o, ' ');
	}
	if (f & SCRIPT_F_CPU) {
		ob_char(o, '[');
		ob_udec(o, smp->cpu, 3, true);
		ob_mem(o, "] ", 2);
	}
	if (f & SCRIPT_F_TIME) {
		ob_udec(o, t / 1000000000ULL, 5, false);
		ob_char(o, '.');
		if (sc->opts->show_ns)
			ob_udec(o, t % 1000000000ULL, 9, true);
		else
			ob_udec(o, t % 1000000000ULL / 1000, 6, true);
		ob_mem(o, ": ", 2);
	}
}

/* The chain memo's slot of a sample coming (session_tool.ahead), as put_chain looks. */
static void on_ahead(void *ctx, const struct session *s, const struct pd_sample *smp,
		     const struct pd_evsel *evsel, const struct thread *th)
{
	const struct script *sc = ctx;

	if (th)
		chain_memo__prefetch(sc->memo, s, th, sc->fields[evsel->idx], 0, smp);
}

static int on_sample(void *ctx, struct session *s, const struct pd_sample *smp,
		     struct pd_evsel *evsel, struct thread *th)
{
	struct script *sc = ctx;
	struct obuf *o = sc->ob;
	unsigned int f = sc->fields[evsel->idx];
	bool chain = (smp->type & PERF_SAMPLE_CALLCHAIN) && (f & SCRIPT_F_IP) && !sc->opts->hide_call_graph;
	uint64_t t = smp->time;

	if ((smp->type & PERF_SAMPLE_TIME) && !time_range__has(&sc->tr, t))
		return 0;
	if (!sc->seen) {
		sc->first = sc->prev = t;
		sc->seen = true;
	}
	if (sc->opts->reltime)
		t -= sc->first;
	else if (sc->opts->deltatime)
		t -= sc->prev;
	sc->prev = smp->time;

	put_start(sc, f, chain, th, smp, t);
	if (f & SCRIPT_F_PERIOD) {
		ob_udec(o, smp->period, 10, false);
		ob_char(o, ' ');
	}
	if (f & SCRIPT_F_EVENT) {
		ob_str_right(o, evsel->name, sc->name_width);
		ob_mem(o, ": ", 2);
	}
	if ((f & SCRIPT_F_TRACE) && smp->raw && sc->tracing) {
		{
			char buf[4096];
			int n = tracing__format(sc->tracing, evsel, smp, buf, sizeof(buf));

			if (n > 0)
				ob_mem(o, buf, (size_t)n);
		}
	}
	if (f & SCRIPT_F_ADDR) {
		ob_hex(o, smp->addr, 16);
		ob_char(o, ' ');
	}
	if (chain) {
		ob_char(o, '\n');
		if (put_chain(sc, s, th, smp, f))
			return error__nomem(sc->err);	/* the only failure */
	} else if (f & SCRIPT_F_IP) {
		struct addr_loc al;

		session__resolve(s, th, smp->cpumode, smp->ip, &al);
		put_frame(sc, f, &al, false);
	}
	if ((f & SCRIPT_F_BPF_OUTPUT) && smp->raw)
		put_bpf_output(o, smp->raw, smp->raw_size);
	ob_char(o, '\n');
	return o->err;
}

/* perf script's --show-namespace-events text: the seven (dev/ino) pairs, four a line */
static void put_namespaces(struct obuf *o, const uint8_t *b, size_t len)
{
	static const char *const names[] = { "net", "uts", "ipc", "pid", "user", "mnt", "cgroup" };
	uint32_t ids[2];
	uint64_t nr;

	memcpy(ids, b, 8);
	memcpy(&nr, b + 8, 8);
	if (nr > (len - 16) / 16)
		nr = (len - 16) / 16;
	ob_str(o, "PERF_RECORD_NAMESPACES ");
	ob_sdec(o, (int32_t)ids[0], 0, true);
	ob_char(o, '/');
	ob_sdec(o, (int32_t)ids[1], 0, true);
	ob_str(o, " - nr_namespaces: ");
	ob_udec(o, nr, 0, false);
	ob_str(o, "\n\t\t[");
	for (uint64_t i = 0; i < nr; i++) {
		uint64_t v[2];

		memcpy(v, b + 16 + 16 * i, 16);
		ob_udec(o, i, 0, false);
		ob_char(o, '/');
		ob_str(o, i < sizeof(names) / sizeof(names[0]) ? names[i] : "UNKNOWN");
		ob_str(o, ": ");
		ob_udec(o, v[0], 0, false);
		ob_char(o, '/');
		if (v[1])	/* printf's %#x: no 0x before a 0 */
			ob_str(o, "0x");
		ob_hex(o, v[1], 0);
		if (i + 1 == nr)
			break;
		ob_str(o, (i + 1) % 4 ? ", " : ", \n\t\t ");
	}
	ob_str(o, "]\n");
}

/* KSYMBOL: addr, len, type, flags, name; BPF_EVENT: type, flags, id (perf script's words). */
static void put_bpf_record(struct obuf *o, uint32_t type, const uint8_t *b, size_t len)
{
	uint64_t addr;
	uint32_t v32;
	uint16_t v16[2];

	if (type == PERF_RECORD_KSYMBOL) {
		memcpy(&addr, b, 8);
		memcpy(&v32, b + 8, 4);
		memcpy(v16, b + 12, 4);
		ob_str(o, "PERF_RECORD_KSYMBOL addr ");
		ob_hex(o, addr, 0);
		ob_str(o, " len ");
		ob_udec(o, v32, 0, false);
		ob_str(o, " type ");
		ob_udec(o, v16[0], 0, false);
		ob_str(o, " flags 0x");
		ob_hex(o, v16[1], 0);
		ob_str(o, " name ");
		ob_mem(o, (const char *)b + 16, strnlen((const char *)b + 16, len - 16));
	} else {
		memcpy(v16, b, 4);
		memcpy(&v32, b + 4, 4);
		ob_str(o, "PERF_RECORD_BPF_EVENT type ");
		ob_udec(o, v16[0], 0, false);
		ob_str(o, ", flags ");
		ob_udec(o, v16[1], 0, false);
		ob_str(o, ", id ");
		ob_udec(o, v32, 0, false);
	}
	ob_char(o, '\n');
}

/* Side-band records shown as perf script shows them (--show-namespace-events,
 * --show-cgroup-events, --show-bpf-events): the sample's start fields, then the record. */
static int on_record(void *ctx, struct session *s, const struct pd_record *rec)
{
	struct script *sc = ctx;
	const struct perf_event_header *h = rec->hdr;
	const uint8_t *b = (const uint8_t *)(h + 1);
	size_t len = h->size - sizeof(*h);
	struct pd_sample id = { 0 };
	const struct thread *th;
	uint32_t bad_at, tid;
	unsigned int f;
	bool chain;

	if (!((h->type == PERF_RECORD_NAMESPACES && sc->opts->show_namespace_events && len >= 16) ||
	      (h->type == PERF_RECORD_CGROUP && sc->opts->show_cgroup_events && len > 8) ||
	      (h->type == PERF_RECORD_KSYMBOL && sc->opts->show_bpf_events && len > 16) ||
	      (h->type == PERF_RECORD_BPF_EVENT && sc->opts->show_bpf_events && len >= 16)) || !rec->evsel)
		return 0;
	if (pd_sample__parse_id(rec->evsel, h, &id, &bad_at))
		memset(&id, 0, sizeof(id));
	if ((id.type & PERF_SAMPLE_TIME) && !time_range__has(&sc->tr, id.time))
		return 0;
	f = sc->fields[rec->evsel->idx];
	chain = (rec->evsel->attr.sample_type & PERF_SAMPLE_CALLCHAIN) && (f & SCRIPT_F_IP) &&
		!sc->opts->hide_call_graph;
	/* perf names a NAMESPACES record by the task it is about, another by its sample tid */
	memcpy(&tid, b + (h->type == PERF_RECORD_NAMESPACES ? 4 : 0), 4);
	th = session__thread(s, h->type == PERF_RECORD_NAMESPACES ? (int32_t)tid : (int32_t)id.tid);
	put_start(sc, f, chain, th, &id, id.time);
	if (h->type == PERF_RECORD_NAMESPACES) {
		put_namespaces(sc->ob, b, len);
	} else if (h->type == PERF_RECORD_KSYMBOL || h->type == PERF_RECORD_BPF_EVENT) {
		put_bpf_record(sc->ob, h->type, b, len);
	} else {
		uint64_t cg;

		memcpy(&cg, b, 8);
		ob_str(sc->ob, "PERF_RECORD_CGROUP cgroup: ");
		ob_udec(sc->ob, cg, 0, false);
		ob_char(sc->ob, ' ');
		ob_mem(sc->ob, (const char *)b + 8, strnlen((const char *)b + 8, len - 8));
		ob_char(sc->ob, '\n');
	}
	return sc->ob->err;
}

int script__run(const struct script_opts *opts, struct error *err)
{
	struct session_opts so = { .demangle = opts->demangle, .inline_frames = !opts->no_inline,
				   .threads = opts->threads, .progress = opts->progress,
				   .heap_ahead = SESSION_HEAP_AHEAD, .reclaim_threads = true,
				   .reclaim_round_ns = SESSION_RECLAIM_ROUND_NS,
				   .number_chains = true };
	struct script sc = { .opts = opts, .err = err };
	struct session *s;
	struct pd_reader *r;
	size_t i;
	int ret;

	ret = script__parse_fields(opts->fields, &sc.set, &sc.add, &sc.del, err);
	if (ret)
		return ret;
	s = session__open(opts->input, &so, err);
	if (!s)
		return err ? err->code : -EINVAL;
	r = session__reader(s);
	sc.tr = (struct time_range){ 0, UINT64_MAX };
	if (opts->time && (ret = time_range__parse(opts->time, r, &sc.tr, err)))
		goto out;
	sc.ob = malloc(sizeof(*sc.ob) + OBUF_SIZE);
	sc.fields = calloc(pd_reader__nr_evsels(r), sizeof(*sc.fields));
	if (!sc.ob || !sc.fields) {
		ret = error__nomem(err);
		goto out;
	}
	ob_init(sc.ob, opts->out, (char *)(sc.ob + 1), OBUF_SIZE);
	for (i = 0; i < pd_reader__nr_evsels(r); i++) {
		struct pd_evsel *e = pd_reader__evsel(r, i);
		size_t l = strlen(e->name);

		sc.fields[i] = fields_for(&sc, e);
		ret = check_fields(&sc, e, err);
		if (ret)
			goto out;
		if (l > sc.name_width)
			sc.name_width = l;
		if (e->attr.type == PERF_TYPE_TRACEPOINT && !sc.tracing) {
			ret = tracing__open(r, &sc.tracing, err);
			if (ret)
				goto out;
		}
	}
	ret = session__process(s, &(struct session_tool){ .sample = on_sample, .record = on_record,
							  .ahead = on_ahead, .ctx = &sc }, err);
	ob_flush(sc.ob);
	if (!ret && sc.ob->err)
		ret = error__set(err, sc.ob->err, "write error: %s", strerror(-sc.ob->err));
out:
	tracing__close(sc.tracing);
	inline_cache__free(sc.inl);
	chain_memo__free(sc.memo);
	free(sc.text);
	free(sc.fields);
	free(sc.ob);
	session__close(s);
	return ret;
}
