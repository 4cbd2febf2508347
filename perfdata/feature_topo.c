/* Owns the machine-topology feature sections perf 6.1 writes besides the host description:
 * NUMA_TOPOLOGY, CACHE, MEM_TOPOLOGY, CPU_PMU_CAPS and PMU_CAPS (the BPF sections are
 * perfdata/feature_bpf.c's). Everything
 * is read from sysfs at the end of the recording; a machine without a sysfs directory gets
 * the section perf writes there (an empty list) or none where perf writes none. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perfdata/feature.h"
#include "util/array.h"
#include "util/log.h"
#include "util/sysfs.h"

#define NODE_DIR "/sys/devices/system/node"
#define CPU_DIR "/sys/devices/system/cpu"
#define PMU_DIR "/sys/bus/event_source/devices"
#define LINE 4097
#define MAX_CACHE_INDEX 4	/* perf reads index0..index3 */

static int add(struct pd_writer *w, enum pd_feature f, struct pd_buf *b)
{
	int ret = b->err ? b->err : pd_writer__add_feature(w, f, b->p, b->len);

	pd_buf__free(b);
	return ret;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* The numbers N of the entries "<prefix>N" of dir, sorted; NULL with errno on failure. */
static int *numbered_entries(const char *dir, const char *prefix, size_t *nr)
{
	size_t plen = strlen(prefix), cap = 0, n = 0;
	int *v = NULL;
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		char *end;
		long x;

		if (strncmp(de->d_name, prefix, plen) || !de->d_name[plen])
			continue;
		x = strtol(de->d_name + plen, &end, 10);
		if (*end || x < 0 || x > (1L << 30))
			continue;
		if (ARRAY_GROW(v, cap, n + 1)) {
			free(v);
			closedir(d);
			errno = ENOMEM;
			return NULL;
		}
		v[n++] = (int)x;
	}
	closedir(d);
	if (!v && !(v = malloc(sizeof(int)))) {
		errno = ENOMEM;
		return NULL;
	}
	array__sort(v, n, sizeof(int), cmp_int);
	*nr = n;
	return v;
}

/* "Node N MemTotal:   123 kB" and MemFree from a node's meminfo. */
static void node_meminfo(int node, uint64_t *total, uint64_t *freekb)
{
	char path[128], line[256];
	FILE *f;

	*total = *freekb = 0;
	snprintf(path, sizeof(path), NODE_DIR "/node%d/meminfo", node);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v;
		char key[64];
		int n;

		if (sscanf(line, "Node %d %63[^:]: %llu", &n, key, &v) != 3)
			continue;
		if (!strcmp(key, "MemTotal"))
			*total = v;
		else if (!strcmp(key, "MemFree"))
			*freekb = v;
	}
	fclose(f);
}

/* u32 nr; per node: u32 id, u64 total kB, u64 free kB, string cpu list. */
static int numa_topology(struct pd_writer *w)
{
	struct pd_buf b = { 0 };
	size_t nr = 0;
	int *nodes = numbered_entries(NODE_DIR, "node", &nr);

	if (!nodes || !nr) {
		free(nodes);
		return 0;	/* no NUMA sysfs: perf writes no section either */
	}
	pd_buf__u32(&b, nr);
	for (size_t i = 0; i < nr; i++) {
		char path[128], list[LINE] = "";
		uint64_t total, freekb;

		node_meminfo(nodes[i], &total, &freekb);
		snprintf(path, sizeof(path), NODE_DIR "/node%d/cpulist", nodes[i]);
		if (sysfs__read_str(path, list, sizeof(list)))
			list[0] = 0;
		pd_buf__u32(&b, nodes[i]);
		pd_buf__u64(&b, total);
		pd_buf__u64(&b, freekb);
		pd_buf__string(&b, list);
	}
	free(nodes);
	return add(w, PD_FEAT_NUMA_TOPOLOGY, &b);
}

/* u64 version 1, u64 block size, u64 nr; per node: u64 id, u64 blocks, then the block
 * bitmap as u64 bit count and the u64 words. */
static int mem_topology(struct pd_writer *w)
{
	struct pd_buf b = { 0 }, body = { 0 };
	uint64_t bsize;
	size_t nr = 0, written = 0;
	int *nodes, ret;
	char line[64], *end;

	/* hex without a 0x prefix ("8000000") */
	if (sysfs__read_str("/sys/devices/system/memory/block_size_bytes", line, sizeof(line)))
		return 0;	/* perf writes MEM_TOPOLOGY only where memory blocks are listed */
	bsize = strtoull(line, &end, 16);
	if (end == line)
		return 0;
	nodes = numbered_entries(NODE_DIR, "node", &nr);
	if (!nodes)
		return 0;
	for (size_t i = 0; i < nr; i++) {
		char dir[128];
		size_t nb = 0;
		int *blocks;
		uint64_t bits, *words;

		snprintf(dir, sizeof(dir), NODE_DIR "/node%d", nodes[i]);
		blocks = numbered_entries(dir, "memory", &nb);
		if (!blocks)
			continue;
		bits = nb ? (uint64_t)blocks[nb - 1] + 1 : 0;
		words = calloc(bits / 64 + 1, 8);
		if (!words) {
			free(blocks);
			body.err = -ENOMEM;
			break;
		}
		for (size_t k = 0; k < nb; k++)
			words[blocks[k] / 64] |= 1ULL << (blocks[k] % 64);
		pd_buf__u64(&body, nodes[i]);
		pd_buf__u64(&body, bits);
		pd_buf__u64(&body, bits);
		pd_buf__put(&body, words, (bits + 63) / 64 * 8);
		free(words);
		free(blocks);
		written++;
	}
	free(nodes);
	pd_buf__u64(&b, 1);
	pd_buf__u64(&b, bsize);
	pd_buf__u64(&b, written);
	pd_buf__put(&b, body.p, body.len);
	if (body.err)
		b.err = body.err;
	pd_buf__free(&body);
	ret = add(w, PD_FEAT_MEM_TOPOLOGY, &b);
	return ret;
}

struct cache_level {
	uint32_t level, line_size, sets, ways;
	char type[64], size[64], map[LINE];
};

static bool cache_read(int cpu, int idx, struct cache_level *c)
{
	char base[128], path[192];
	int v[4];
	static const char *const nums[4] = { "level", "coherency_line_size", "number_of_sets",
					     "ways_of_associativity" };

	snprintf(base, sizeof(base), CPU_DIR "/cpu%d/cache/index%d", cpu, idx);
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s", base, nums[i]);
		if (sysfs__read_int(path, &v[i]))
			return false;
	}
	c->level = v[0], c->line_size = v[1], c->sets = v[2], c->ways = v[3];
	snprintf(path, sizeof(path), "%s/type", base);
	if (sysfs__read_str(path, c->type, sizeof(c->type)))
		return false;
	snprintf(path, sizeof(path), "%s/size", base);
	if (sysfs__read_str(path, c->size, sizeof(c->size)))
		return false;
	snprintf(path, sizeof(path), "%s/shared_cpu_list", base);
	return !sysfs__read_str(path, c->map, sizeof(c->map));
}

static bool cache_same(const struct cache_level *a, const struct cache_level *b)
{
	return a->level == b->level && a->line_size == b->line_size && a->sets == b->sets &&
	       a->ways == b->ways && !strcmp(a->type, b->type) && !strcmp(a->size, b->size) &&
	       !strcmp(a->map, b->map);
}

/* Order @c by level, the caches of a level in the order met (perf 6.1 writes them so: on a
 * machine with an L2 per CPU, every L1 comes before the first L2). */
static void caches_by_level(struct cache_level *c, size_t nr)
{
	for (size_t i = 1; i < nr; i++) {
		struct cache_level t = c[i];
		size_t j = i;

		for (; j > 0 && c[j - 1].level > t.level; j--)
			c[j] = c[j - 1];
		c[j] = t;
	}
}

/* u32 version 1, u32 nr; per distinct cache met (CPU by CPU, index0..3 as perf reads them),
 * by level: u32 level, line size, sets, ways, then the strings type, size and shared CPU
 * list. Written (possibly empty) whenever CPUs are listed. */
static int caches(struct pd_writer *w)
{
	struct pd_buf b = { 0 };
	struct cache_level *c = NULL, cur;
	size_t nr = 0, cap = 0, ncpu = 0;
	int *cpus = numbered_entries(CPU_DIR, "cpu", &ncpu);
	int ret = 0;

	if (!cpus)
		return 0;
	for (size_t i = 0; i < ncpu && !ret; i++) {
		for (int idx = 0; idx < MAX_CACHE_INDEX && cache_read(cpus[i], idx, &cur); idx++) {
			size_t k;

			for (k = 0; k < nr && !cache_same(&c[k], &cur); k++)
				;
			if (k < nr)
				continue;
			if (ARRAY_GROW(c, cap, nr + 1)) {
				ret = -ENOMEM;
				break;
			}
			c[nr++] = cur;
		}
	}
	free(cpus);
	if (ret) {
		free(c);
		return ret;
	}
	caches_by_level(c, nr);
	pd_buf__u32(&b, 1);
	pd_buf__u32(&b, nr);
	for (size_t k = 0; k < nr; k++) {
		pd_buf__u32(&b, c[k].level);
		pd_buf__u32(&b, c[k].line_size);
		pd_buf__u32(&b, c[k].sets);
		pd_buf__u32(&b, c[k].ways);
		pd_buf__string(&b, c[k].type);
		pd_buf__string(&b, c[k].size);
		pd_buf__string(&b, c[k].map);
	}
	free(c);
	return add(w, PD_FEAT_CACHE, &b);
}

/* The "name value" pairs of a PMU's caps/ directory appended to b; how many, or -errno. */
static int pmu_caps_of(const char *pmu, struct pd_buf *b)
{
	char dir[256];
	DIR *d;
	struct dirent *de;
	int n = 0;

	snprintf(dir, sizeof(dir), PMU_DIR "/%s/caps", pmu);
	d = opendir(dir);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char path[600], val[LINE];

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (sysfs__read_str(path, val, sizeof(val)))
			continue;
		pd_buf__string(b, de->d_name);
		pd_buf__string(b, val);
		n++;
	}
	closedir(d);
	return n;
}

/* CPU_PMU_CAPS (the core PMU's caps, where it has them) and PMU_CAPS: u32 nr of the other
 * PMUs with caps; each u32 nr caps, the pairs, the PMU's name. */
static int pmu_caps(struct pd_writer *w)
{
	struct pd_buf b = { 0 }, body = { 0 };
	DIR *d;
	struct dirent *de;
	uint32_t nr = 0;
	int n, ret;

	n = pmu_caps_of("cpu", &body);
	if (n < 0 && access(PMU_DIR "/cpu", F_OK) == 0)
		n = 0;	/* a core PMU without caps: perf writes an empty list */
	if (n >= 0) {
		pd_buf__u32(&b, n);
		pd_buf__put(&b, body.p, body.len);
		if ((ret = add(w, PD_FEAT_CPU_PMU_CAPS, &b)))
			goto out;
	}
	pd_buf__free(&body);
	d = opendir(PMU_DIR);
	while (d && (de = readdir(d))) {
		struct pd_buf caps = { 0 };

		if (de->d_name[0] == '.' || !strcmp(de->d_name, "cpu"))
			continue;
		n = pmu_caps_of(de->d_name, &caps);
		if (n > 0) {
			pd_buf__u32(&body, n);
			pd_buf__put(&body, caps.p, caps.len);
			pd_buf__string(&body, de->d_name);
			nr++;
		}
		pd_buf__free(&caps);
	}
	if (d)
		closedir(d);
	pd_buf__u32(&b, nr);
	pd_buf__put(&b, body.p, body.len);
	if (body.err)
		b.err = body.err;
	ret = add(w, PD_FEAT_PMU_CAPS, &b);
out:
	pd_buf__free(&body);
	pd_buf__free(&b);
	return ret;
}

int pd_feature__topology(struct pd_writer *w)
{
	int ret;

	if ((ret = numa_topology(w)) || (ret = caches(w)) || (ret = mem_topology(w)) ||
	    (ret = pmu_caps(w)))
		return ret;
	return 0;
}
