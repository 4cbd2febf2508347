/* Owns the symbolic names of hardware, software and hw-cache events and the raw rNNNN form.
 * The numbers are the kernel's enums from <linux/perf_event.h>. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sampler/event_names.h"

const struct event_name event_names_hw[] = {
	{ "cpu-cycles", "cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	{ "instructions", NULL, PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
	{ "cache-references", NULL, PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_REFERENCES },
	{ "cache-misses", NULL, PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES },
	{ "branch-instructions", "branches", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS },
	{ "branch-misses", NULL, PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES },
	{ "bus-cycles", NULL, PERF_TYPE_HARDWARE, PERF_COUNT_HW_BUS_CYCLES },
	{ "stalled-cycles-frontend", "idle-cycles-frontend", PERF_TYPE_HARDWARE,
	  PERF_COUNT_HW_STALLED_CYCLES_FRONTEND },
	{ "stalled-cycles-backend", "idle-cycles-backend", PERF_TYPE_HARDWARE,
	  PERF_COUNT_HW_STALLED_CYCLES_BACKEND },
	{ "ref-cycles", NULL, PERF_TYPE_HARDWARE, PERF_COUNT_HW_REF_CPU_CYCLES },
	{ NULL, NULL, 0, 0 },
};

const struct event_name event_names_sw[] = {
	{ "cpu-clock", NULL, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK },
	{ "task-clock", NULL, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK },
	{ "page-faults", "faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
	{ "context-switches", "cs", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES },
	{ "cpu-migrations", "migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS },
	{ "minor-faults", NULL, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MIN },
	{ "major-faults", NULL, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MAJ },
	{ "alignment-faults", NULL, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_ALIGNMENT_FAULTS },
	{ "emulation-faults", NULL, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_EMULATION_FAULTS },
	{ "dummy", NULL, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_DUMMY },
	{ "bpf-output", NULL, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_BPF_OUTPUT },
	{ "cgroup-switches", NULL, PERF_TYPE_SOFTWARE, 11 /* PERF_COUNT_SW_CGROUP_SWITCHES */ },
	{ NULL, NULL, 0, 0 },
};

const struct event_name event_names_tool[] = {
	{ "duration_time", NULL, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_DUMMY },
	{ "user_time", NULL, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_DUMMY },
	{ "system_time", NULL, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_DUMMY },
	{ NULL, NULL, 0, 0 },
};

/* hw-cache: the cache's spellings, then ops, then results; index = the kernel's enum value. */
static const char *const cache_names[PERF_COUNT_HW_CACHE_MAX][5] = {
	{ "L1-dcache", "l1-d", "l1d", "L1-data", NULL },
	{ "L1-icache", "l1-i", "l1i", "L1-instruction", NULL },
	{ "LLC", "L2", NULL },
	{ "dTLB", "d-tlb", "Data-TLB", NULL },
	{ "iTLB", "i-tlb", "Instruction-TLB", NULL },
	{ "branch", "branches", "bpu", "btb", "bpc" },
	{ "node", NULL },
};
static const char *const cache_ops[PERF_COUNT_HW_CACHE_OP_MAX][5] = {
	{ "load", "loads", "read", NULL },
	{ "store", "stores", "write", NULL },
	{ "prefetch", "prefetches", "speculative-read", "speculative-load", NULL },
};
static const char *const cache_results[PERF_COUNT_HW_CACHE_RESULT_MAX][6] = {
	{ "refs", "Reference", "ops", "access", "accesses", NULL },
	{ "misses", "miss", NULL },
};

static bool name_is(const char *name, size_t len, const char *want)
{
	return want && strlen(want) == len && !strncmp(name, want, len);
}

/* Longest spelling in table[n][5/6] that prefixes s and is followed by '-' or the end. */
static int match_prefix(const char *s, size_t len, const char *const *table, int n, int width,
			size_t *used)
{
	int best = -1;
	size_t best_len = 0;

	for (int i = 0; i < n; i++) {
		for (int j = 0; j < width && table[i * width + j]; j++) {
			const char *w = table[i * width + j];
			size_t wl = strlen(w);

			if (wl <= len && !strncasecmp(s, w, wl) && (wl == len || s[wl] == '-') &&
			    wl > best_len) {
				best = i;
				best_len = wl;
			}
		}
	}
	*used = best_len;
	return best;
}

static int lookup_cache(const char *name, size_t len, struct perf_event_attr *attr)
{
	size_t used;
	int cache, op = PERF_COUNT_HW_CACHE_OP_READ, result = PERF_COUNT_HW_CACHE_RESULT_ACCESS;

	cache = match_prefix(name, len, &cache_names[0][0], PERF_COUNT_HW_CACHE_MAX, 5, &used);
	if (cache < 0)
		return -ENOENT;
	if (used == len)
		goto done;
	name += used + 1;
	len -= used + 1;
	{
		int o = match_prefix(name, len, &cache_ops[0][0], PERF_COUNT_HW_CACHE_OP_MAX, 5, &used);

		if (o >= 0) {
			op = o;
			if (used == len)
				goto done;
			name += used + 1;
			len -= used + 1;
		}
	}
	result = match_prefix(name, len, &cache_results[0][0], PERF_COUNT_HW_CACHE_RESULT_MAX, 6, &used);
	if (result < 0 || used != len)
		return -ENOENT;
done:
	attr->type = PERF_TYPE_HW_CACHE;
	attr->config = (unsigned)cache | ((unsigned)op << 8) | ((unsigned)result << 16);
	return 0;
}

static int lookup_table(const struct event_name *t, const char *name, size_t len,
			struct perf_event_attr *attr)
{
	for (; t->name; t++) {
		if (name_is(name, len, t->name) || name_is(name, len, t->alias)) {
			attr->type = t->type;
			attr->config = t->config;
			return 0;
		}
	}
	return -ENOENT;
}

int event_names__tool(const char *name, size_t len)
{
	for (int i = 0; event_names_tool[i].name; i++)
		if (name_is(name, len, event_names_tool[i].name))
			return i + 1;
	return 0;
}

int event_names__lookup(const char *name, size_t len, struct perf_event_attr *attr)
{
	if (!lookup_table(event_names_hw, name, len, attr) ||
	    !lookup_table(event_names_sw, name, len, attr) ||
	    !lookup_table(event_names_tool, name, len, attr))
		return 0;
	if (len >= 2 && len <= 17 && name[0] == 'r') {
		size_t i;

		for (i = 1; i < len && isxdigit((unsigned char)name[i]); i++)
			;
		if (i == len) {
			attr->type = PERF_TYPE_RAW;
			attr->config = strtoull(name + 1, NULL, 16);
			return 0;
		}
	}
	return lookup_cache(name, len, attr);
}
