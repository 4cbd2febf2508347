/* Owns the sort keys: parsing --sort, entry identity (equality and hash of the active
 * keys), the tie order of entries, header names, column widths and cell formatting in
 * perf report 6.1's way. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/hist/sort.h"
#include "report/session/thread.h"
#include "symbols/dso.h"
#include "util/hash.h"
#include "util/strfmt.h"

static const struct {
	const char *name, *alias, *header;
} keys[SK_NR] = {
	[SK_COMM]	= { "comm", NULL, "Command" },
	[SK_PID]	= { "pid", NULL, "    Pid:Command" },
	[SK_TID]	= { "tid", NULL, "    Tid:Command" },
	[SK_DSO]	= { "dso", NULL, "Shared Object" },
	[SK_SYM]	= { "sym", "symbol", "Symbol" },
	[SK_PARENT]	= { "parent", NULL, "Parent symbol" },
	[SK_CPU]	= { "cpu", NULL, "CPU" },
	[SK_SRCLINE]	= { "srcline", NULL, "Source:Line" },
	[SK_SRCFILE]	= { "srcfile", NULL, "Source File" },
	[SK_SYMOFF]	= { "symoff", NULL, "Symbol+Offset" },
	[SK_SOCKET]	= { "socket", NULL, "Socket" },
	[SK_DSO_SIZE]	= { "dso_size", NULL, "DSO size" },
	[SK_SYM_SIZE]	= { "symbol_size", NULL, "Symbol size" },
	/* perf adds it beside symbol_size; without branch data its cells are "-" */
	[SK_IPC_NULL]	= { "ipc_null", NULL, "IPC   [IPC Coverage]" },
	[SK_TIME]	= { "time", NULL, "Time" },
	[SK_STATE]	= { "state", NULL, "State" },
	[SK_WAKER]	= { "waker", NULL, "Waker" },
	[SK_WAKEE]	= { "wakee", NULL, "Wakee" },
	[SK_CGROUP]	= { "cgroup", NULL, "Cgroup" },
	/* ours: the pid inside the task's pid namespace (precord --namespaces), else the host's */
	[SK_NSPID]	= { "nspid", NULL, " NS-Pid:Command" },
};

const char *sort_key__header(enum sort_key_id id) { return keys[id].header; }
const char *sort_key__name(enum sort_key_id id) { return keys[id].name; }

void sort_list__add(struct sort_list *l, enum sort_key_id id)
{
	if (l->has[id])
		return;
	l->has[id] = true;
	l->keys[l->nr++] = id;
}

int sort_list__parse(struct sort_list *l, const char *spec, char *err, size_t errsz)
{
	char *dup = strdup(spec), *tok, *save = NULL;
	int ret = 0;

	if (!dup)
		return -ENOMEM;
	memset(l, 0, sizeof(*l));
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int i;

		for (i = 0; i < SK_NR; i++)
			if (!strcmp(tok, keys[i].name) || (keys[i].alias && !strcmp(tok, keys[i].alias)))
				break;
		if (i == SK_NR) {
			snprintf(err, errsz, "unknown --sort key '%s' (known: comm, pid, tid, dso, sym, "
				 "parent, cpu, socket, time, dso_size, symbol_size, srcline, srcfile, symoff, state, waker,"
				 " wakee, cgroup, nspid)", tok);
			ret = -EINVAL;
			break;
		}
		sort_list__add(l, (enum sort_key_id)i);
		if (i == SK_SYM_SIZE)
			sort_list__add(l, SK_IPC_NULL);
	}
	if (!ret && !l->nr) {
		snprintf(err, errsz, "empty --sort list");
		ret = -EINVAL;
	}
	free(dup);
	return ret;
}

static uint64_t sym_size(const struct hist_key *k)
{
	return k->sym ? k->sym_end - k->sym_start : 0;
}

/* The symbol cell's name: an inlined level's, else the symbol's (k->sym set). */
static const char *key_sym_name(const struct hist_key *k, bool demangle)
{
	return k->inl ? k->inl : symbol__name(k->sym, demangle);
}

static bool sym_equal(const struct hist_key *a, const struct hist_key *b)
{
	if (!a->sym && !b->sym)
		return a->ip == b->ip;
	/* perf compares the DSO too: symbol addresses are DSO-relative */
	if (a->dso_name != b->dso_name || !a->sym || !b->sym)
		return false;
	/* an inlined level is its own entry, named by DWARF, within its function's range */
	if (a->inl != b->inl)
		return false;
	return a->sym == b->sym || (a->sym_start == b->sym_start && a->sym_end == b->sym_end);
}

/* The text of an off-CPU key (interned; "" when the fill left it empty). */
static const char *offcpu_str(enum sort_key_id id, const struct hist_key *k)
{
	const char *v = id == SK_STATE ? k->state : id == SK_WAKER ? k->waker : k->wakee;

	return v ? v : "";
}

bool sort_list__uses_tail(const struct sort_list *l)
{
	static const enum sort_key_id tail[] = {
		SK_CPU, SK_SOCKET, SK_DSO_SIZE, SK_TIME, SK_PARENT, SK_SRCLINE, SK_SRCFILE,
		SK_STATE, SK_WAKER, SK_WAKEE, SK_CGROUP, SK_NSPID,
	};

	for (size_t i = 0; i < sizeof(tail) / sizeof(tail[0]); i++)
		if (l->has[tail[i]])
			return true;
	return false;
}

bool hist_key__equal(const struct sort_list *l, const struct hist_key *a, const struct hist_key *b)
{
	for (int i = 0; i < l->nr; i++) {
		switch (l->keys[i]) {
		case SK_COMM:
			if (a->comm != b->comm) return false;
			break;
		case SK_PID:
		case SK_TID:
		case SK_NSPID:
			/* perf keys on the thread: a tid reused by a later fork is another entry */
			if (a->thread != b->thread || a->tid != b->tid) return false;
			break;
		case SK_DSO:
			if (a->dso_name != b->dso_name) return false;
			break;
		case SK_SYM:
			if (!sym_equal(a, b)) return false;
			break;
		case SK_PARENT:
			if (a->parent != b->parent) return false;
			break;
		case SK_CPU:
			if (a->cpu != b->cpu) return false;
			break;
		case SK_SOCKET:
			if (a->socket != b->socket) return false;
			break;
		case SK_TIME:
			if (a->time != b->time) return false;
			break;
		case SK_DSO_SIZE:
			if (a->map_size != b->map_size) return false;
			break;
		case SK_SYM_SIZE:
			/* unresolved addresses stay apart, as perf keeps them */
			if (sym_size(a) != sym_size(b) || !a->sym != !b->sym || (!a->sym && a->ip != b->ip))
				return false;
			break;
		case SK_SRCLINE:
			if (a->srcline != b->srcline) return false;
			break;
		case SK_SRCFILE:
			if (a->srcfile != b->srcfile) return false;
			break;
		case SK_SYMOFF:
			if (!sym_equal(a, b) || (a->sym && a->symoff != b->symoff)) return false;
			break;
		case SK_STATE:
		case SK_WAKER:
		case SK_WAKEE:
			if (offcpu_str(l->keys[i], a) != offcpu_str(l->keys[i], b)) return false;
			break;
		case SK_CGROUP:
			if (a->cgroup_id != b->cgroup_id) return false;
			break;
		default:
			break;
		}
	}
	return true;
}

uint64_t hist_key__hash(const struct sort_list *l, const struct hist_key *k)
{
	uint64_t h = 0;

	for (int i = 0; i < l->nr; i++) {
		uint64_t v;

		switch (l->keys[i]) {
		case SK_COMM: v = (uintptr_t)k->comm; break;
		case SK_PID:
		case SK_TID:
		case SK_NSPID: v = (uint64_t)k->tid; break;
		case SK_DSO: v = (uintptr_t)k->dso_name; break;
		case SK_SYM:
		case SK_SYMOFF: v = k->sym ? k->sym_start ^ (uintptr_t)k->inl : k->ip; break;
		case SK_PARENT: v = (uintptr_t)k->parent; break;
		case SK_CPU: v = (uint64_t)k->cpu; break;
		case SK_SOCKET: v = (uint64_t)k->socket; break;
		case SK_TIME: v = k->time; break;
		case SK_DSO_SIZE: v = k->map_size; break;
		case SK_SYM_SIZE: v = k->sym ? sym_size(k) : ~k->ip; break;
		case SK_SRCLINE: v = (uintptr_t)k->srcline; break;
		case SK_SRCFILE: v = (uintptr_t)k->srcfile; break;
		case SK_STATE:
		case SK_WAKER:
		case SK_WAKEE: v = (uintptr_t)offcpu_str(l->keys[i], k); break;
		case SK_CGROUP: v = k->cgroup_id; break;
		default: continue;
		}
		h = hash_fold(h, v);
	}
	return hash_u64(h);
}

/* named things first, missing ones ([other], [unknown]) last */
/* The strings compared are mostly interned (comms, DSO names): one pointer, no strcmp. */
static inline int str_cmp(const char *a, const char *b)
{
	return a == b ? 0 : strcmp(a, b);
}

static inline int str_cmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return a ? -1 : b ? 1 : 0;
	return str_cmp(a, b);
}

static int u64_cmp(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int32_t nstid_of(const struct hist_key *k)
{
	return k->nstid ? k->nstid : k->tid;
}

/* One key. unresolved_tie: two unresolved addresses compare equal (perf's output comparator
 * has no more to say about them: the tree's insertion order decides); else by address. */
static int key_cmp_other(enum sort_key_id id, const struct hist_key *a, const struct hist_key *b,
			 bool demangle, bool unresolved_tie);

/* The keys of every default sort here, the rest out of line (the sorts of a big report
 * call this some million times). */
static inline int key_cmp(enum sort_key_id id, const struct hist_key *a, const struct hist_key *b,
			  bool demangle, bool unresolved_tie)
{
	switch (id) {
	case SK_COMM: return str_cmp(a->comm, b->comm);
	case SK_DSO: return str_cmp_null(a->dso_name, b->dso_name);
	default: return key_cmp_other(id, a, b, demangle, unresolved_tie);
	}
}

static __attribute__((noinline)) int key_cmp_other(enum sort_key_id id, const struct hist_key *a,
						    const struct hist_key *b, bool demangle,
						    bool unresolved_tie)
{
	int c = 0;

	switch (id) {
	case SK_PID:
	case SK_TID:
		c = a->tid < b->tid ? -1 : a->tid > b->tid;
		/* one tid, two threads (used again): the older first */
		if (!c && a->thread != b->thread)
			c = !a->thread ? -1 : !b->thread ? 1 : a->thread->seq < b->thread->seq ? -1 : 1;
		return c;
	case SK_SYM:
	case SK_SYMOFF:
		if (a->sym && b->sym)
			c = str_cmp(key_sym_name(a, demangle), key_sym_name(b, demangle));
		else if (a->sym || b->sym)
			c = a->sym ? -1 : 1;
		else if (!unresolved_tie)
			c = u64_cmp(a->ip, b->ip);
		if (!c && id == SK_SYMOFF)
			c = u64_cmp(a->symoff, b->symoff);
		return c;
	case SK_PARENT: return str_cmp_null(a->parent, b->parent);
	case SK_CPU: return a->cpu < b->cpu ? -1 : a->cpu > b->cpu;
	case SK_SOCKET: return a->socket < b->socket ? -1 : a->socket > b->socket;
	case SK_TIME: return a->time < b->time ? -1 : a->time > b->time;
	case SK_DSO_SIZE: return a->map_size < b->map_size ? -1 : a->map_size > b->map_size;
	case SK_SYM_SIZE: return sym_size(a) < sym_size(b) ? -1 : sym_size(a) > sym_size(b);
	case SK_SRCLINE: return strcmp(a->srcline, b->srcline);
	case SK_SRCFILE: return strcmp(a->srcfile, b->srcfile);
	case SK_STATE:
	case SK_WAKER:
	case SK_WAKEE: return strcmp(offcpu_str(id, a), offcpu_str(id, b));
	/* perf: right - left, and a positive answer puts left first: ascending ids */
	case SK_CGROUP: return u64_cmp(a->cgroup_id, b->cgroup_id);
	case SK_NSPID:
		c = nstid_of(a) < nstid_of(b) ? -1 : nstid_of(a) > nstid_of(b);
		if (!c)
			c = key_cmp_other(SK_PID, a, b, demangle, unresolved_tie);
		return c;
	default: return 0;
	}
}

int hist_key__cmp(const struct sort_list *l, const struct hist_key *a, const struct hist_key *b,
		  bool demangle)
{
	for (int i = 0; i < l->nr; i++) {
		int c = key_cmp(l->keys[i], a, b, demangle, true);

		if (c)
			return c;
	}
	return 0;
}

/* Sign of the wrapped difference a - b, as perf compares addresses (not a total order when
 * addresses lie more than 2^63 apart, which garbage frames do). */
static int wrap_cmp(uint64_t a, uint64_t b)
{
	int64_t d = (int64_t)(a - b);

	return d < 0 ? -1 : d > 0;
}

/* perf's entry tree orders symbols by address within a DSO: resolved ones first (by start,
 * then end; an inlined level by its name, the greater first), unresolved ones by address. */
static int sym_tree_cmp(const struct hist_key *a, const struct hist_key *b)
{
	int c;

	if (!a->sym && !b->sym)
		return wrap_cmp(a->ip, b->ip);
	if ((c = str_cmp_null(a->dso_name, b->dso_name)))
		return c;
	if (!a->sym || !b->sym)
		return a->sym ? -1 : 1;
	if (a->inl || b->inl) {
		c = strcmp(a->inl ? a->inl : a->sym->name, b->inl ? b->inl : b->sym->name);
		if (c)
			return -c;
	}
	if (a->sym == b->sym && a->inl == b->inl)
		return 0;
	if (a->sym_start != b->sym_start)
		return wrap_cmp(a->sym_start, b->sym_start);
	return wrap_cmp(a->sym_end, b->sym_end);
}

int hist_key__tree_cmp(const struct sort_list *l, const struct hist_key *a, const struct hist_key *b,
		       bool demangle)
{
	for (int i = 0; i < l->nr; i++) {
		int c = l->keys[i] == SK_SYM ? sym_tree_cmp(a, b) :
			key_cmp(l->keys[i], a, b, demangle, false);

		if (c)
			return c;
	}
	return 0;
}

/* perf's cell: "N/A" when the sample has no cgroup, "unknown" when no record named it */
static const char *cgroup_str(const struct hist_key *k)
{
	return !k->cgroup_id ? "N/A" : k->cgroup ? k->cgroup : "unknown";
}

static const char *thread_comm(const struct hist_key *k)
{
	return k->thread && k->thread->comm ? k->thread->comm : "";
}

size_t sort_key__len(enum sort_key_id id, const struct hist_key *k, bool demangle)
{
	char buf[64];

	switch (id) {
	case SK_COMM:
		/* perf sizes the column by the thread's last comm */
		return strlen(thread_comm(k));
	case SK_PID:
	case SK_TID:
	case SK_NSPID:
		return strlen(thread_comm(k)) + 8;
	case SK_DSO:
		return k->dso_name ? strlen(k->dso_name) : 0;
	case SK_SYM:
		/* perf sizes an inlined level's cell by its name without " (inlined)" */
		if (k->inl)
			return strlen(k->inl) - (sizeof(" (inlined)") - 1) + 4;
		return k->sym ? strlen(key_sym_name(k, demangle)) + 4 : 16 + 4 + 2;
	case SK_SYMOFF:
		if (!k->sym)
			return 16 + 4 + 2;
		return strlen(key_sym_name(k, demangle)) + 4 +
		       (size_t)snprintf(buf, sizeof(buf), "+0x%llx", (unsigned long long)k->symoff);
	case SK_PARENT:
		return k->parent ? strlen(k->parent) : 0;
	case SK_CPU:
	case SK_SOCKET:
	case SK_DSO_SIZE:
	case SK_SYM_SIZE:
	case SK_IPC_NULL:
		return 0;
	case SK_TIME:
		/* perf's column is 12 wide whatever the times: a shorter one is not padded, a
		 * longer one (past 99999 s) is cut (sort_key__snprintf) */
		return 12;
	case SK_SRCLINE:
		return k->srcline ? strlen(k->srcline) : 0;
	case SK_SRCFILE:
		return k->srcfile ? strlen(k->srcfile) : 0;
	case SK_STATE:
	case SK_WAKER:
	case SK_WAKEE:
		return strlen(offcpu_str(id, k));
	case SK_CGROUP:
		return strlen(cgroup_str(k));
	default:
		return 0;
	}
}

int sort_key__snprintf(enum sort_key_id id, const struct hist_key *k, char *buf, size_t sz,
		       int width, bool demangle, const char *sep)
{
	int n = 0;

	switch (id) {
	case SK_COMM:
		n = strfmt__left(buf, sz, k->comm, width, width);
		break;
	case SK_PID:
	case SK_TID:
		n = snprintf(buf, sz, "%7d:%-*.*s", (int)k->tid, width - 8, width - 8, thread_comm(k));
		break;
	case SK_NSPID:
		n = snprintf(buf, sz, "%7d:%-*.*s", (int)nstid_of(k), width - 8, width - 8, thread_comm(k));
		break;
	case SK_DSO:
		n = strfmt__left(buf, sz, k->dso_name ? k->dso_name : "[unknown]", width, width);
		break;
	case SK_SYM:
	case SK_SYMOFF:
		strfmt__put(buf, sz, 0, (const char[]){ '[', k->level, ']', ' ' }, 0, 4);
		n = strfmt__end(buf, sz, 4);
		if (k->inl && id == SK_SYM) {
			/* perf truncates the name to the column and then appends " (inlined)",
			 * which its width (sort_key__len) leaves out: never cut the suffix */
			int base = (int)(strlen(k->inl) - (sizeof(" (inlined)") - 1));

			n += snprintf(buf + n, sz - (size_t)n, "%.*s (inlined)",
				      width - 4 < base ? width - 4 : base, k->inl);
			n = strfmt__fit(n, sz);
		} else if (k->sym) {
			n += strfmt__left(buf + n, sz - (size_t)n, key_sym_name(k, demangle),
					  width - 4, 0);
			n = strfmt__fit(n, sz);
			if (id == SK_SYMOFF)
				n += snprintf(buf + n, sz - (size_t)n, "+0x%llx",
					      (unsigned long long)k->symoff);
		} else {
			n += snprintf(buf + n, sz - (size_t)n, "%-#.*llx", 16, (unsigned long long)k->ip);
		}
		break;
	case SK_PARENT:
		n = snprintf(buf, sz, "%-*.*s", width, width, k->parent ? k->parent : "[other]");
		break;
	case SK_CPU:
		n = snprintf(buf, sz, "%*.*d", width, width, (int)k->cpu);
		break;
	case SK_SOCKET:
		n = snprintf(buf, sz, "%*.3d", width, (int)k->socket);
		break;
	case SK_TIME: {
		char t[48];

		snprintf(t, sizeof(t), "%llu.%06llu", (unsigned long long)(k->time / 1000000000ULL),
			 (unsigned long long)(k->time % 1000000000ULL / 1000));
		n = snprintf(buf, sz, "%-.*s", width, t);
		break;
	}
	case SK_DSO_SIZE:
		n = snprintf(buf, sz, "%*llu", width, (unsigned long long)k->map_size);
		break;
	case SK_SYM_SIZE:
		if (k->sym)
			n = snprintf(buf, sz, "%*llu", width, (unsigned long long)sym_size(k));
		else
			n = snprintf(buf, sz, "%*s", width, "unknown");
		break;
	case SK_IPC_NULL:
		n = snprintf(buf, sz, "%-*s", width, "-      -");
		break;
	case SK_SRCLINE:
		n = snprintf(buf, sz, "%-.*s", width, k->srcline);
		break;
	case SK_SRCFILE:
		n = snprintf(buf, sz, "%-.*s", width, k->srcfile);
		break;
	case SK_CGROUP:
		n = snprintf(buf, sz, "%s", cgroup_str(k));
		break;
	case SK_STATE:
	case SK_WAKER:
	case SK_WAKEE:
		n = snprintf(buf, sz, "%-*.*s", width, width, offcpu_str(id, k));
		break;
	default:
		break;
	}
	n = strfmt__fit(n, sz);
	if (sep && *sep) {
		for (int i = 0; i < n; i++)
			if (strchr(sep, buf[i]))
				buf[i] = '.';
	}
	return n;
}

int sort_key__value(enum sort_key_id id, const struct hist_key *k, char *buf, size_t sz,
		    bool demangle)
{
	int n = 0;

	switch (id) {
	case SK_COMM: n = snprintf(buf, sz, "%s", k->comm); break;
	case SK_PID:
	case SK_TID: n = snprintf(buf, sz, "%d:%s", (int)k->tid, thread_comm(k)); break;
	case SK_NSPID: n = snprintf(buf, sz, "%d:%s", (int)nstid_of(k), thread_comm(k)); break;
	case SK_DSO: n = snprintf(buf, sz, "%s", k->dso_name ? k->dso_name : "[unknown]"); break;
	case SK_SYM:
		if (k->sym)
			n = snprintf(buf, sz, "%s", key_sym_name(k, demangle));
		else
			n = snprintf(buf, sz, "%#llx", (unsigned long long)k->ip);
		break;
	case SK_SYMOFF:
		if (k->sym)
			n = snprintf(buf, sz, "%s+0x%llx", key_sym_name(k, demangle),
				     (unsigned long long)k->symoff);
		else
			n = snprintf(buf, sz, "%#llx", (unsigned long long)k->ip);
		break;
	case SK_PARENT: n = snprintf(buf, sz, "%s", k->parent ? k->parent : "[other]"); break;
	case SK_CPU: n = snprintf(buf, sz, "%d", (int)k->cpu); break;
	case SK_SOCKET: n = snprintf(buf, sz, "%d", (int)k->socket); break;
	case SK_TIME:
		n = snprintf(buf, sz, "%llu.%06llu", (unsigned long long)(k->time / 1000000000ULL),
			     (unsigned long long)(k->time % 1000000000ULL / 1000));
		break;
	case SK_DSO_SIZE: n = snprintf(buf, sz, "%llu", (unsigned long long)k->map_size); break;
	case SK_SYM_SIZE: n = snprintf(buf, sz, "%llu", (unsigned long long)sym_size(k)); break;
	case SK_IPC_NULL: n = snprintf(buf, sz, "-"); break;
	case SK_SRCLINE: n = snprintf(buf, sz, "%s", k->srcline); break;
	case SK_SRCFILE: n = snprintf(buf, sz, "%s", k->srcfile); break;
	case SK_STATE:
	case SK_WAKER:
	case SK_WAKEE: n = snprintf(buf, sz, "%s", offcpu_str(id, k)); break;
	case SK_CGROUP: n = snprintf(buf, sz, "%s", cgroup_str(k)); break;
	default: break;
	}
	return strfmt__fit(n, sz);
}
