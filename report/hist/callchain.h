/* Call-graph trees of histogram entries, as perf report builds and prints them: chains of
 * frames merged into a prefix tree whose nodes hold runs of frames (split where chains
 * diverge), sorted by hits and printed in perf's graph, fractal, flat and folded layouts.
 *
 * Memory: nodes and frame runs come from a struct cc_arena shared by all trees of a
 * report; nothing is freed one by one. Appending a chain does no malloc in the common
 * case (an existing path) and a bounded number when the tree grows. */
#ifndef REPORT_HIST_CALLCHAIN_H
#define REPORT_HIST_CALLCHAIN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct dso;
struct symbol;

enum cc_mode { CC_GRAPH_ABS, CC_GRAPH_REL, CC_FLAT, CC_FOLDED, CC_NONE };
enum cc_order { CC_ORDER_CALLEE, CC_ORDER_CALLER };
enum cc_key { CC_KEY_FUNCTION, CC_KEY_ADDRESS };
enum cc_value { CC_VAL_PERCENT, CC_VAL_PERIOD, CC_VAL_COUNT };

/* -g print_type,threshold[,print_limit],order,sort_key,value */
struct cc_param {
	enum cc_mode mode;
	enum cc_order order;
	enum cc_key key;
	enum cc_value value;
	double min_percent;
	unsigned int print_limit;	/* 0: no limit */
	bool order_set, min_set;
};

#define CC_PARAM_DEFAULT { .mode = CC_GRAPH_ABS, .order = CC_ORDER_CALLEE, \
			   .key = CC_KEY_FUNCTION, .value = CC_VAL_PERCENT, .min_percent = 0.5 }

/* Parse a -g spec into p (fields not named keep their value). 0 or -EINVAL with a
 * message in err. */
int cc_param__parse(struct cc_param *p, const char *spec, char *err, size_t errsz);

/* One frame of a chain (40 bytes; the trees keep each distinct frame once, in their arena,
 * and runs of pointers to them: a big report's chains hold millions). dso_idx orders
 * DSOs (creation order) for ties; cmp is what frames are merged on: the symbol start with
 * CC_KEY_FUNCTION, else the address. @text is one of two strings, never both (read them
 * with cc_frame__inl and cc_frame__srcl): an inlined level's "name (inlined)", interned;
 * or, with CC_KEY_ADDRESS, the source line of a frame that is no inlined level, printed
 * after its name as perf does ("main rep_tree.c:45"). */
struct cc_frame {
	struct symbol *sym;
	uint64_t ip;		/* the address as sampled */
	uint64_t cmp;
	const char *text;
	uint32_t dso_idx;
	bool inlined;		/* text is the inlined level's name */
};

static inline const char *cc_frame__inl(const struct cc_frame *f)
{
	return f->inlined ? f->text : NULL;
}

static inline const char *cc_frame__srcl(const struct cc_frame *f)
{
	return f->inlined ? NULL : f->text;
}

/* (64 bytes: a big report holds millions) */
struct cc_node {
	struct cc_node *parent;
	const struct cc_frame *const *val;	/* run of frames of this node (interned) */
	struct cc_node **kids;		/* after cc_root__sort (graph): the printed ones first,
					 * in print order; a key of each one's first frame
					 * follows the array (callchain.c, kid_keys) */
	uint64_t hit, children_hit;
	uint32_t val_nr;
	uint32_t nr_kids;		/* the array holds a power of two from 2 */
	uint32_t nr_sorted;		/* after cc_root__sort (graph): kids printed */
	uint32_t count, children_count;
	uint32_t born;			/* creation sequence: perf's insertion order of kids */
};

struct cc_root {
	struct cc_node node;
	uint32_t max_depth;		/* frames of the longest chain appended */
	uint32_t nr_flat;		/* after cc_root__sort (flat, folded): the leaves printed */
	struct cc_node **flat;		/* (in the arena given to the sort) */
};

/* A histogram entry's call graph (16 bytes: most entries of a big report never build a
 * tree, report/hist/cc_log.h): its tree once one is made, its number in a log + 1, and the
 * frames of the longest chain logged into it (known before the tree is: the entry order
 * reads it). A zeroed one has nothing. */
struct cc_ref {
	struct cc_root *root;		/* NULL until cc_ref__root() */
	uint32_t log_id;
	uint32_t max_depth;
};

struct cc_arena;

struct cc_arena *cc_arena__new(void);
void cc_arena__free(struct cc_arena *a);
/* The memory the arena holds (its chunks), for callers that rebuild their trees into a new
 * arena (cc_root__merge) when it grew. */
size_t cc_arena__bytes(const struct cc_arena *a);

/* Merge a chain (frames[0] first as the tree reads it) with weight period. 0 or -ENOMEM. */
int cc_root__append(struct cc_root *root, struct cc_arena *a, const struct cc_frame *frames,
		    uint32_t nr, uint64_t period);
/* Merge a chain of interned frames (@run, from cc_arena__run: it must live as long as the
 * tree, whose nodes point into it) holding @count samples of @period in all. 0 or -ENOMEM. */
int cc_root__append_run(struct cc_root *root, struct cc_arena *a,
			const struct cc_frame *const *run, uint32_t nr, uint64_t period,
			uint32_t count);
/* frames[0..nr) interned in the arena, as a run for cc_root__append_run. NULL on ENOMEM. */
const struct cc_frame *const *cc_arena__run(struct cc_arena *a, const struct cc_frame *frames,
					     uint32_t nr);
/* Drop the table that finds a frame's one copy (cc_arena__run's interning) when no more
 * chains come: the frames and runs stay; a later copy of frames into the arena (a merge)
 * starts a new table. The memory goes to the trees the printing builds. */
void cc_arena__forget_frames(struct cc_arena *a);
/* Arena memory for the report's own long-lived data (8-byte aligned). NULL on ENOMEM. */
void *cc_arena__alloc(struct cc_arena *a, size_t n);
/* @ref's tree, made empty in @a when it has none yet. NULL on ENOMEM. */
struct cc_root *cc_ref__root(struct cc_ref *ref, struct cc_arena *a);
/* Add every chain of src, with its hits and sample counts, to dst. 0 or -ENOMEM. */
int cc_root__merge(struct cc_root *dst, struct cc_arena *a, const struct cc_root *src);
/* Order children by hits for printing, dropping those under min_hit (graph modes) or
 * collecting the leaf nodes (flat, folded). 0 or -ENOMEM. */
int cc_root__sort(struct cc_root *root, struct cc_arena *a, const struct cc_param *p,
		  uint64_t min_hit);

struct cc_print {
	const struct cc_param *param;
	uint64_t total;			/* the percentages' base (graph, flat, folded) */
	uint64_t parent_samples;	/* the entry's own period (children or self) */
	bool skip_first;		/* first frame of a single chain is the entry's symbol */
	bool demangle;
	const char *sep;		/* folded separator (-t), NULL: ";" */
};

/* Print the sorted tree under an entry line; returns bytes written. */
size_t cc_root__fprintf(FILE *f, const struct cc_root *root, const struct cc_print *pp);

#endif
