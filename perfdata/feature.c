/* Owns the encoding of the header feature sections precord writes (list and reasons in
 * perfdata/feature.h). Everything is read from the running system: uname, /proc, sysfs, tracefs. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "perfdata/feature.h"
#include "util/array.h"
#include "util/cpulist.h"
#include "util/log.h"
#include "util/sysfs.h"

/* A sysfs file holds at most a page. */
#define SYSFS_LINE 4097

void pd_buf__free(struct pd_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

void pd_buf__put(struct pd_buf *b, const void *data, size_t len)
{
	if (b->err)
		return;
	if (ARRAY_GROW(b->p, b->cap, b->len + len)) {
		b->err = -ENOMEM;
		return;
	}
	if (len)
		memcpy(b->p + b->len, data, len);
	b->len += len;
}

void pd_buf__u32(struct pd_buf *b, uint32_t v) { pd_buf__put(b, &v, sizeof(v)); }
void pd_buf__u64(struct pd_buf *b, uint64_t v) { pd_buf__put(b, &v, sizeof(v)); }

void pd_buf__string(struct pd_buf *b, const char *s)
{
	static const char zeros[PERF_NAME_ALIGN];
	size_t n = strlen(s) + 1;
	uint32_t len = (n + PERF_NAME_ALIGN - 1) & ~(size_t)(PERF_NAME_ALIGN - 1);

	pd_buf__u32(b, len);
	pd_buf__put(b, s, n);
	pd_buf__put(b, zeros, len - n);
}

static int add(struct pd_writer *w, enum pd_feature f, struct pd_buf *b)
{
	int ret = b->err ? b->err : pd_writer__add_feature(w, f, b->p, b->len);

	pd_buf__free(b);
	return ret;
}

static int add_string(struct pd_writer *w, enum pd_feature f, const char *s)
{
	struct pd_buf b = { 0 };

	pd_buf__string(&b, s);
	return add(w, f, &b);
}

/* Whole file into a NUL-terminated malloc'd buffer (sysfs/tracefs files report size 0). */
static char *slurp(const char *path, size_t *lenp)
{
	size_t len = 0, cap = 4096;
	char *p = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (!p || fd < 0)
		goto err;
	for (;;) {
		if (ARRAY_GROW(p, cap, len + 4097))
			goto err;
		n = read(fd, p + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto err;
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	p[len] = 0;
	if (lenp)
		*lenp = len;
	return p;
err:
	if (fd >= 0)
		close(fd);
	free(p);
	return NULL;
}

/* Value of the first "key<spaces>: value" line of /proc/cpuinfo or /proc/meminfo-like text. */
static int text_field(const char *text, const char *key, char *out, size_t outsz)
{
	size_t klen = strlen(key);

	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *p;
		size_t n;

		if (strncmp(l, key, klen))
			continue;
		p = l + klen;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != ':')
			continue;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		n = strcspn(p, "\n");
		if (n >= outsz)
			n = outsz - 1;
		memcpy(out, p, n);
		out[n] = 0;
		return 0;
	}
	return -ENOENT;
}

/* The CPUs of a sysfs list file ("0-3,8"): how many, and the highest plus one. -errno when
 * the file is missing or not a list. */
static int cpu_list_file(const char *path, int *nr, int *end)
{
	char line[SYSFS_LINE];
	int cpus[CPULIST_MAX], n = sysfs__read_str(path, line, sizeof(line));

	if (n)
		return n;
	n = cpulist__parse(line, cpus, CPULIST_MAX);
	if (n < 0)
		return n;
	*nr = n;
	*end = cpus[n - 1] + 1;
	return 0;
}

/* Appends s to the list unless already there: the unique sibling lists of CPU_TOPOLOGY. */
static int uniq_add(char **list, int *nr, int max, const char *s)
{
	for (int i = 0; i < *nr; i++)
		if (!strcmp(list[i], s))
			return 0;
	if (*nr >= max)
		return 0;
	list[*nr] = strdup(s);
	if (!list[*nr])
		return -ENOMEM;
	(*nr)++;
	return 0;
}

static int topo_read_int(int cpu, const char *name)
{
	char path[128];
	int v;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/topology/%s", cpu, name);
	return sysfs__read_int(path, &v) ? -1 : v;
}

static int cpu_topology(struct pd_writer *w, int nr_avail)
{
	static const char *const lists[3][2] = {
		{ "package_cpus_list", "core_siblings_list" },
		{ "core_cpus_list", "thread_siblings_list" },
		{ "die_cpus_list", NULL },
	};
	enum { MAXL = 1024 };
	char **sib[3] = { 0 };
	int nr[3] = { 0 };
	struct pd_buf b = { 0 };
	int ret = -ENOMEM;

	for (int k = 0; k < 3; k++)
		if (!(sib[k] = calloc(MAXL, sizeof(char *))))
			goto out;
	for (int cpu = 0; cpu < nr_avail; cpu++) {
		for (int k = 0; k < 3; k++) {
			char path[128], line[SYSFS_LINE];
			bool found = false;

			for (int alt = 0; alt < 2 && !found && lists[k][alt]; alt++) {
				snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/topology/%s",
					 cpu, lists[k][alt]);
				found = !sysfs__read_str(path, line, sizeof(line));
			}
			if (found && uniq_add(sib[k], &nr[k], MAXL, line))
				goto out;
		}
	}
	if (!nr[0] || !nr[1]) {
		ret = -ENOENT;
		goto out;
	}
	for (int k = 0; k < 2; k++) {
		pd_buf__u32(&b, nr[k]);
		for (int i = 0; i < nr[k]; i++)
			pd_buf__string(&b, sib[k][i]);
	}
	for (int cpu = 0; cpu < nr_avail; cpu++) {
		pd_buf__u32(&b, topo_read_int(cpu, "core_id"));
		pd_buf__u32(&b, topo_read_int(cpu, "physical_package_id"));
	}
	if (nr[2]) {
		pd_buf__u32(&b, nr[2]);
		for (int i = 0; i < nr[2]; i++)
			pd_buf__string(&b, sib[2][i]);
		for (int cpu = 0; cpu < nr_avail; cpu++) {
			int die = topo_read_int(cpu, "die_id");

			pd_buf__u32(&b, die < 0 ? 0 : die);
		}
	}
	ret = add(w, PD_FEAT_CPU_TOPOLOGY, &b);
out:
	pd_buf__free(&b);
	for (int k = 0; k < 3; k++) {
		for (int i = 0; i < nr[k]; i++)
			free(sib[k][i]);
		free(sib[k]);
	}
	return ret;
}

static int pmu_mappings(struct pd_writer *w)
{
	const char *dir = "/sys/bus/event_source/devices";
	struct pd_buf body = { 0 }, b = { 0 };
	DIR *d = opendir(dir);
	struct dirent *de;
	uint32_t nr = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char path[512];
		uint64_t type;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/type", dir, de->d_name);
		if (sysfs__read_u64(path, &type))
			continue;
		pd_buf__u32(&body, (uint32_t)type);
		pd_buf__string(&body, de->d_name);
		nr++;
	}
	closedir(d);
	pd_buf__u32(&b, nr);
	pd_buf__put(&b, body.p, body.len);
	if (body.err)
		b.err = body.err;
	pd_buf__free(&body);
	return add(w, PD_FEAT_PMU_MAPPINGS, &b);
}

int pd_feature__host(struct pd_writer *w, const char *version)
{
	struct utsname u;
	struct pd_buf b = { 0 };
	char val[256], vendor[64], fam[16], model[16], step[16];
	char *cpuinfo = slurp("/proc/cpuinfo", NULL), *meminfo = slurp("/proc/meminfo", NULL);
	int nr_avail, nr_online, n;
	int ret;

	if (cpu_list_file("/sys/devices/system/cpu/present", &n, &nr_avail))
		nr_avail = (int)sysconf(_SC_NPROCESSORS_CONF);
	if (cpu_list_file("/sys/devices/system/cpu/online", &nr_online, &n))
		nr_online = (int)sysconf(_SC_NPROCESSORS_ONLN);

	if (uname(&u) < 0) {
		ret = -errno;
		goto out;
	}
	if ((ret = add_string(w, PD_FEAT_HOSTNAME, u.nodename)) ||
	    (ret = add_string(w, PD_FEAT_OSRELEASE, u.release)) ||
	    (ret = add_string(w, PD_FEAT_VERSION, version)) ||
	    (ret = add_string(w, PD_FEAT_ARCH, u.machine)))
		goto out;
	pd_buf__u32(&b, nr_avail);	/* available first, then online */
	pd_buf__u32(&b, nr_online);
	if ((ret = add(w, PD_FEAT_NRCPUS, &b)))
		goto out;
	if (cpuinfo && !text_field(cpuinfo, "model name", val, sizeof(val))) {
		/* collapse runs of blanks, as perf does */
		char *s = val, *d = val;

		for (; *s; s++)
			if (!(isspace((unsigned char)*s) && d > val && isspace((unsigned char)d[-1])))
				*d++ = *s;
		*d = 0;
		if ((ret = add_string(w, PD_FEAT_CPUDESC, val)))
			goto out;
	}
	if (cpuinfo && !text_field(cpuinfo, "vendor_id", vendor, sizeof(vendor)) &&
	    !text_field(cpuinfo, "cpu family", fam, sizeof(fam)) &&
	    !text_field(cpuinfo, "model", model, sizeof(model)) &&
	    !text_field(cpuinfo, "stepping", step, sizeof(step))) {
		snprintf(val, sizeof(val), "%s,%s,%s,%s", vendor, fam, model, step);
		if ((ret = add_string(w, PD_FEAT_CPUID, val)))
			goto out;
	}
	if (meminfo && !text_field(meminfo, "MemTotal", val, sizeof(val))) {
		pd_buf__u64(&b, strtoull(val, NULL, 10));	/* kB */
		if ((ret = add(w, PD_FEAT_TOTAL_MEM, &b)))
			goto out;
	}
	/* Machine description only: a system without sysfs topology still gets a file. */
	if (cpu_topology(w, nr_avail))
		pr_debug("no CPU topology in sysfs; CPU_TOPOLOGY not written");
	if (pmu_mappings(w))
		pr_debug("no PMUs in sysfs; PMU_MAPPINGS not written");
	ret = 0;
out:
	pd_buf__free(&b);
	free(cpuinfo);
	free(meminfo);
	return ret;
}

int pd_feature__cmdline(struct pd_writer *w, int argc, char *const *argv)
{
	struct pd_buf b = { 0 };
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n < 0)
		snprintf(self, sizeof(self), "%s", argc > 0 ? argv[0] : "");
	else
		self[n] = 0;
	pd_buf__u32(&b, argc > 0 ? argc : 1);
	pd_buf__string(&b, self);
	for (int i = 1; i < argc; i++)
		pd_buf__string(&b, argv[i]);
	return add(w, PD_FEAT_CMDLINE, &b);
}

int pd_feature__event_desc(struct pd_writer *w, const struct pd_event_desc *evs, size_t nr)
{
	struct pd_buf b = { 0 };

	pd_buf__u32(&b, nr);
	pd_buf__u32(&b, PERF_ATTR_SIZE_WRITE);
	for (size_t i = 0; i < nr; i++) {
		struct perf_event_attr a;
		size_t n = evs[i].attr->size && evs[i].attr->size < sizeof(a) ? evs[i].attr->size : sizeof(a);

		memset(&a, 0, sizeof(a));
		memcpy(&a, evs[i].attr, n);
		a.size = PERF_ATTR_SIZE_WRITE;
		pd_buf__put(&b, &a, PERF_ATTR_SIZE_WRITE);
		pd_buf__u32(&b, evs[i].nr_ids);
		pd_buf__string(&b, evs[i].name ? evs[i].name : "");
		pd_buf__put(&b, evs[i].ids, evs[i].nr_ids * 8);
	}
	return add(w, PD_FEAT_EVENT_DESC, &b);
}

int pd_feature__group_desc(struct pd_writer *w, const struct pd_group_desc *groups, size_t nr)
{
	struct pd_buf b = { 0 };

	pd_buf__u32(&b, nr);
	for (size_t i = 0; i < nr; i++) {
		pd_buf__string(&b, groups[i].name ? groups[i].name : "{anon_group}");
		pd_buf__u32(&b, groups[i].leader_idx);
		pd_buf__u32(&b, groups[i].nr_members);
	}
	return add(w, PD_FEAT_GROUP_DESC, &b);
}

int pd_feature__sample_time(struct pd_writer *w, uint64_t first, uint64_t last)
{
	struct pd_buf b = { 0 };

	pd_buf__u64(&b, first);
	pd_buf__u64(&b, last);
	return add(w, PD_FEAT_SAMPLE_TIME, &b);
}

int pd_feature__build_ids(struct pd_writer *w, const struct pd_build_id *ids, size_t nr)
{
	static const char zeros[PERF_NAME_ALIGN];
	struct pd_buf b = { 0 };

	if (!nr)
		return 0;	/* nothing sampled: no section rather than an empty one */
	for (size_t i = 0; i < nr; i++) {
		size_t n = strlen(ids[i].filename) + 1;
		size_t padded = (n + PERF_NAME_ALIGN - 1) & ~(size_t)(PERF_NAME_ALIGN - 1);
		struct perf_event_header h = {
			.type = 0,
			.misc = ids[i].cpumode | PD_MISC_BUILD_ID_SIZE,
			.size = sizeof(h) + 4 + 20 + 4 + padded,
		};
		uint8_t tail[4] = { ids[i].size, 0, 0, 0 };
		uint8_t id[20] = { 0 };

		memcpy(id, ids[i].id, ids[i].size > 20 ? 20 : ids[i].size);
		pd_buf__put(&b, &h, sizeof(h));
		pd_buf__put(&b, &ids[i].pid, 4);
		pd_buf__put(&b, id, 20);
		pd_buf__put(&b, tail, 4);
		pd_buf__put(&b, ids[i].filename, n);
		pd_buf__put(&b, zeros, padded - n);
	}
	return add(w, PD_FEAT_BUILD_ID, &b);
}

static void put_file(struct pd_buf *b, const char *path, int len_bytes)
{
	size_t len = 0;
	char *s = slurp(path, &len);

	if (len_bytes == 4)
		pd_buf__u32(b, s ? len : 0);
	else
		pd_buf__u64(b, s ? len : 0);
	if (s)
		pd_buf__put(b, s, len);
	free(s);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int pd_feature__tracing_data(struct pd_writer *w, const char *tracefs, const char *const *tps, size_t nr)
{
	static const char magic[] = { 0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g' };
	struct pd_buf b = { 0 };
	char path[4096];
	char **sorted = calloc(nr ? nr : 1, sizeof(char *));
	uint32_t nsys = 0, page = sysconf(_SC_PAGESIZE);
	uint8_t two[2] = { 0, sizeof(long) };
	int ret = -ENOMEM;

	if (!sorted)
		return -ENOMEM;
	for (size_t i = 0; i < nr; i++)
		if (!(sorted[i] = strdup(tps[i])))
			goto out;
	array__sort(sorted, nr, sizeof(char *), cmp_str);

	pd_buf__put(&b, magic, sizeof(magic));
	pd_buf__put(&b, "0.6", 4);
	pd_buf__put(&b, two, 2);
	pd_buf__u32(&b, page);
	pd_buf__put(&b, "header_page", 12);
	snprintf(path, sizeof(path), "%s/events/header_page", tracefs);
	if (access(path, R_OK)) {
		ret = -errno;
		goto out;
	}
	put_file(&b, path, 8);
	pd_buf__put(&b, "header_event", 13);
	snprintf(path, sizeof(path), "%s/events/header_event", tracefs);
	put_file(&b, path, 8);
	pd_buf__u32(&b, 0);		/* no ftrace internal formats: not needed to decode samples */

	for (size_t i = 0; i < nr; i++)
		if (i == 0 || strncmp(sorted[i], sorted[i - 1], strcspn(sorted[i], ":") + 1))
			nsys++;
	pd_buf__u32(&b, nsys);
	for (size_t i = 0; i < nr;) {
		size_t syslen = strcspn(sorted[i], ":"), j = i;
		uint32_t n = 0;

		while (j < nr && !strncmp(sorted[j], sorted[i], syslen + 1))
			j++;
		pd_buf__put(&b, sorted[i], syslen);
		pd_buf__put(&b, "", 1);
		for (size_t k = i; k < j; k++)
			if (k == i || strcmp(sorted[k], sorted[k - 1]))
				n++;
		pd_buf__u32(&b, n);
		for (size_t k = i; k < j; k++) {
			if (k != i && !strcmp(sorted[k], sorted[k - 1]))
				continue;
			snprintf(path, sizeof(path), "%s/events/%.*s/%s/format", tracefs,
				 (int)syslen, sorted[k], sorted[k] + syslen + 1);
			if (access(path, R_OK)) {
				ret = -errno;
				pr_debug("%s: %s", path, strerror(errno));
				goto out;
			}
			put_file(&b, path, 8);
		}
		i = j;
	}
	pd_buf__u32(&b, 0);		/* kallsyms: empty, as perf writes it */
	snprintf(path, sizeof(path), "%s/printk_formats", tracefs);
	put_file(&b, path, 4);
	snprintf(path, sizeof(path), "%s/saved_cmdlines", tracefs);
	put_file(&b, path, 8);
	ret = add(w, PD_FEAT_TRACING_DATA, &b);
out:
	pd_buf__free(&b);
	for (size_t i = 0; i < nr; i++)
		free(sorted[i]);
	free(sorted);
	return ret;
}
