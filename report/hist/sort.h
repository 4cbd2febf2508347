/* Sort keys of perf report (comm, pid, tid, dso, sym, parent, cpu, srcline, srcfile,
 * symoff): what makes two samples the same histogram entry, the order of entries with
 * equal overhead, the column headers, widths and cell text. */
#ifndef REPORT_HIST_SORT_H
#define REPORT_HIST_SORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dso;
struct symbol;
struct thread;

enum sort_key_id {
	SK_COMM, SK_PID, SK_TID, SK_DSO, SK_SYM, SK_PARENT, SK_CPU, SK_SRCLINE, SK_SRCFILE,
	SK_SYMOFF, SK_SOCKET, SK_DSO_SIZE, SK_SYM_SIZE, SK_IPC_NULL, SK_TIME, SK_STATE, SK_WAKER, SK_WAKEE,
	SK_CGROUP, SK_NSPID, SK_NR
};

struct sort_list {
	enum sort_key_id keys[SK_NR];
	int nr;
	bool has[SK_NR];
};

/* What an entry is made of. Strings are interned (util/strpool.h): equal text, equal
 * pointer. Only the fields of the active keys are filled. The fields from @cpu on (the
 * tail) belong to keys most reports do not sort on: they are read only under those keys
 * (sort_list__uses_tail), and an entry whose list has none of them keeps the head alone
 * (HIST_KEY_HEAD_SIZE bytes). */
struct hist_key {
	const char *comm;
	struct thread *thread;
	const char *dso_name;		/* short name; NULL: no map */
	struct dso *dso;
	struct symbol *sym;
	const char *inl;		/* an inlined level of sym: "name (inlined)", interned; else NULL */
	uint64_t sym_start, sym_end;
	uint64_t ip;			/* map address of a sampled ip, raw address of a chain frame */
	uint64_t symoff;
	int32_t tid;
	char level;			/* '.', 'k', 'H', ... */
	/* the tail */
	int32_t cpu;
	int32_t socket;			/* the cpu's physical package, -1 when no CPU */
	uint64_t map_size;		/* size of the map the address is in (dso_size) */
	uint64_t time;			/* sample time cut to perf's 100 ms quantum (time) */
	const char *parent;		/* NULL: [other] */
	const char *srcline, *srcfile;
	const char *state, *waker, *wakee;	/* off-CPU keys (report/hist/sort_offcpu.h), interned */
	uint64_t cgroup_id;		/* the sample's (--all-cgroups); 0: none */
	const char *cgroup;		/* its path from a PERF_RECORD_CGROUP; NULL: none named it */
	int32_t nstid;			/* nspid: tid inside its pid namespace; 0: the host's (tid) */
};

#define HIST_KEY_HEAD_SIZE offsetof(struct hist_key, cpu)

/* Whether a key of @l reads the tail of struct hist_key. */
bool sort_list__uses_tail(const struct sort_list *l);

/* "comm,dso,sym" (also "symbol"); repeated keys are ignored. 0 or -EINVAL with err. */
int sort_list__parse(struct sort_list *l, const char *spec, char *err, size_t errsz);
/* Append a key if missing (perf adds parent for --parent). */
void sort_list__add(struct sort_list *l, enum sort_key_id id);

bool hist_key__equal(const struct sort_list *l, const struct hist_key *a, const struct hist_key *b);
uint64_t hist_key__hash(const struct sort_list *l, const struct hist_key *k);
/* perf's output comparator on the keys (entries whose overheads tie): <0 when a comes first;
 * two unresolved addresses tie. */
int hist_key__cmp(const struct sort_list *l, const struct hist_key *a, const struct hist_key *b,
		  bool demangle);
/* The order of perf's entry tree (the order its output resort takes the entries in): symbols
 * by DSO and address rather than by name. */
int hist_key__tree_cmp(const struct sort_list *l, const struct hist_key *a, const struct hist_key *b,
		       bool demangle);

const char *sort_key__header(enum sort_key_id id);
const char *sort_key__name(enum sort_key_id id);
/* Width a cell of this entry needs (perf's column-length rules). */
size_t sort_key__len(enum sort_key_id id, const struct hist_key *k, bool demangle);
/* Cell text, padded or cut to width as perf does; sep characters become '.'. */
int sort_key__snprintf(enum sort_key_id id, const struct hist_key *k, char *buf, size_t sz,
		       int width, bool demangle, const char *sep);
/* The cell's bare value (no padding, no level tag) for JSON. */
int sort_key__value(enum sort_key_id id, const struct hist_key *k, char *buf, size_t sz,
		    bool demangle);

#endif
