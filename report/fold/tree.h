/* The stack tree behind pfold: every distinct stack of a profile (or of two, for a
 * differential graph) as a path of interned frame names from a virtual root, with the
 * samples and summed periods that ended exactly there. Memory grows with the number of
 * distinct stacks, never with the number of samples: adding a sample is one hash lookup
 * per frame and no allocation unless the stack is new.
 *
 * The tree is what every output is drawn from: folded text (FlameGraph's format, sorted
 * as stackcollapse-perf.pl sorts, byte order), the SVG flame graph and the pprof profile.
 */
#ifndef REPORT_FOLD_TREE_H
#define REPORT_FOLD_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "perfdata/reader.h"
#include "util/htab.h"

#define FOLD_ROOT 0		/* node id of the virtual root */
#define FOLD_NONE UINT32_MAX
#define FOLD_FEW_KIDS 4		/* children kept in the parent's fold_kids up to this many */

/* What a frame is; drives --colors and pprof's mappings. */
enum fold_kind {
	FOLD_K_USER,		/* user code with a symbol */
	FOLD_K_KERNEL,		/* kernel or module code */
	FOLD_K_JIT,		/* /tmp/perf-PID.map code */
	FOLD_K_INLINE,		/* an inlined function (--inline) */
	FOLD_K_UNKNOWN,		/* no symbol: "[dso]" or "[unknown]" */
	FOLD_K_COMM,		/* the process name at the root of a stack */
	FOLD_K_OTHER,		/* read from folded text: nothing known */
};

/* A DSO that frames came from (for pprof mappings and --colors=dso). */
struct fold_dso {
	const char *name;	/* path as perf prints it */
	const char *build_id;	/* hex, NULL if unknown */
	uint64_t start, limit, pgoff;	/* the first map it was seen in */
};

struct fold_name {
	const char *s;		/* the frame text, NUL-terminated */
	uint32_t len;
	uint8_t kind;		/* enum fold_kind */
	uint32_t dso;		/* index into dsos, FOLD_NONE if none */
	uint64_t addr;		/* a map address seen for it (pprof), 0 if none */
};

/* Values of a node: samples and summed periods, per profile (0, or 0 and 1 for --diff). */
struct fold_node {
	uint32_t name, parent;
	uint32_t child, sibling;	/* first child, next sibling (insertion order) */
	uint64_t samples[2], period[2];
};

/* What a stack's walk reads of a node (fold__find_child reads nothing else, so a level
 * costs one 32-byte load, not one per sibling): its first FOLD_FEW_KIDS children by name
 * (FOLD_NONE: a free slot), or FOLD_KIDS_MANY in name[0] when it has more, which are all
 * in child_tab. */
struct fold_kids {
	uint32_t name[FOLD_FEW_KIDS];
	uint32_t node[FOLD_FEW_KIDS];
};

#define FOLD_KIDS_MANY (FOLD_NONE - 1)	/* never a name id (fold__name stops below it) */

struct fold {
	struct fold_name *names;
	size_t nr_names, names_cap;
	struct fold_node *nodes;
	size_t nr_nodes, nodes_cap;
	struct fold_kids *kids;		/* per node, beside nodes (kids_cap >= nr_nodes) */
	size_t kids_cap;
	struct fold_dso *dsos;
	size_t nr_dsos, dsos_cap;
	struct strpool *name_pool;	/* frame names: the pool's id is the name id */
	struct strpool *strs;		/* DSO names and build-ids */
	struct htab child_tab;		/* (parent, name) -> node + 1, for parents of many */
	char *event;			/* event name (title, pprof's period type), NULL if unknown */
	char *unit;			/* its unit: "nanoseconds" for clocks, else "count" */
	uint64_t nr_samples[2];		/* samples folded per profile */
	uint64_t nr_period[2];
	uint64_t time_first, time_last;	/* sample times of profile 0 (ns), 0 if none */
	/* the recording's header facts (profile 0's file; NULL/0 when unknown) */
	char *hostname, *cmdline, *path;
	int64_t date;			/* the file's modification time (perf's "captured on") */
	uint64_t nr_lost;		/* events lost while recording (LOST records) */
	/* the previous path added: consecutive stacks (a hot loop's samples, sorted folded
	 * text) share prefixes, which are then walked without hashing */
	struct fold_step *last;
	size_t last_n, last_cap;
};

/* One frame of the previous path: its name and the node it led to. */
struct fold_step {
	uint32_t name, node;
};

struct fold *fold__new(void);
void fold__free(struct fold *f);

/* Intern a frame name (len bytes, no NUL needed). FOLD_NONE on ENOMEM. The kind, dso
 * and address are set the first time the name is seen. */
uint32_t fold__name(struct fold *f, const char *s, size_t len, enum fold_kind kind,
		    uint32_t dso, uint64_t addr);
/* Register a DSO (copied); FOLD_NONE on ENOMEM. Callers keep their own index caches. */
uint32_t fold__dso(struct fold *f, const char *name, const char *build_id, uint64_t start,
		   uint64_t limit, uint64_t pgoff);
/* The child of @parent named @name, created if new. FOLD_NONE on ENOMEM. */
uint32_t fold__child(struct fold *f, uint32_t parent, uint32_t name);
/* The child of @parent named @name, FOLD_NONE if absent. */
uint32_t fold__find_child(const struct fold *f, uint32_t parent, uint32_t name);
/* Count one stack ending at @node in @profile. */
static inline void fold__add(struct fold *f, uint32_t node, int profile, uint64_t samples,
			     uint64_t period)
{
	f->nodes[node].samples[profile] += samples;
	f->nodes[node].period[profile] += period;
	f->nr_samples[profile] += samples;
	f->nr_period[profile] += period;
}
/* Add a whole stack given as names root first; the node, or FOLD_NONE on ENOMEM. */
uint32_t fold__add_path(struct fold *f, const uint32_t *names, size_t n, int profile,
			uint64_t samples, uint64_t period);

/* Children of @node sorted by name (byte order), as the flame graph lays them out: a
 * malloc'd array of *n node ids; NULL with *n = 0 for a leaf, NULL with *n != 0 on ENOMEM. */
uint32_t *fold__children_by_name(const struct fold *f, uint32_t node, size_t *n);

/* Visit the stacks in folded-text order: fn gets the node and the text "a;b;c" (len bytes,
 * NUL-terminated) for every node with samples in any profile. Non-zero from fn stops. */
typedef int (*fold_stack_fn)(void *ctx, const struct fold *f, uint32_t node, const char *stack,
			     size_t len);
int fold__for_each_stack(const struct fold *f, fold_stack_fn fn, void *ctx);

/* Output values of a node for profile p: periods or samples. */
static inline uint64_t fold__value(const struct fold_node *n, int p, bool period)
{
	return period ? n->period[p] : n->samples[p];
}

/* Folded text: "stack count" lines (or "stack before after" with two profiles). 0 or
 * -errno (-EPIPE when the reader went away). */
int fold__write_folded(const struct fold *f, FILE *out, bool period, bool diff);

/* The longest folded line read (a stack of thousands of long C++ names fits). */
#define FOLD_MAX_LINE (4 << 20)

/* Read folded text ("stack count" or "stack count1 count2", as stackcollapse-*.pl and
 * difffolded.pl write it) into @profile; a two-count line fills profiles 0 and 1.
 * 0 or -EBADMSG with err naming the line (also for a line longer than FOLD_MAX_LINE). */
int fold__read_folded(struct fold *f, FILE *in, const char *path, int profile,
		      struct error *err);

/* FlameGraph's tidying of a function name (stackcollapse-perf.pl's defaults): ';' becomes
 * ':', everything from the first '(' that does not open "(anonymous namespace)" is cut
 * (unless it looks like a Go method "pkg.(*T).M"), and quotes are dropped. Writes at most
 * cap-1 bytes to out and returns the length. */
size_t fold__tidy_name(const char *in, char *out, size_t cap);

#endif
