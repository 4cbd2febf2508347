/* Owns turning /proc and /proc/kallsyms into perf records (see sampler/synth.h). Record layouts
 * from <linux/perf_event.h>; which records and fields perf expects from ../shared/PERFDATA.md §5. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "perfdata/format.h"
#include "sampler/synth.h"
#include "util/array.h"
#include "util/log.h"

#define MISC_FORK_EXEC	(1 << 13)
#define MISC_MMAP_DATA	(1 << 13)

uint16_t synth__id_hdr_size(uint64_t t)
{
	uint16_t n = 0;

	n += (t & PERF_SAMPLE_TID) ? 8 : 0;
	n += (t & PERF_SAMPLE_TIME) ? 8 : 0;
	n += (t & PERF_SAMPLE_ID) ? 8 : 0;
	n += (t & PERF_SAMPLE_STREAM_ID) ? 8 : 0;
	n += (t & PERF_SAMPLE_CPU) ? 8 : 0;
	n += (t & PERF_SAMPLE_IDENTIFIER) ? 8 : 0;
	return n;
}

/* Finish a record of body_len bytes (header included) in s->rec: pad to 8, add the trailer. */
static int emit(struct synth *s, uint32_t type, uint16_t misc, size_t body_len)
{
	struct perf_event_header *h = (void *)s->rec;
	size_t len = (body_len + 7) & ~(size_t)7;

	memset(s->rec + body_len, 0, len - body_len + s->id_hdr_size);
	len += s->id_hdr_size;
	h->type = type;
	h->misc = misc;
	h->size = len;
	s->nr_records++;
	return s->emit(s->arg, s->rec, len);
}

/* Copy a NUL-terminated name after body bytes, bounded by the scratch buffer. */
static size_t put_name(struct synth *s, size_t at, const char *name)
{
	size_t max = sizeof(s->rec) - at - 8 - 64, n = strlen(name);

	if (n > max)
		n = max;
	memcpy(s->rec + at, name, n);
	s->rec[at + n] = 0;
	return at + n + 1;
}

int synth__comm(struct synth *s, pid_t pid, pid_t tid, const char *comm, uint16_t misc)
{
	uint32_t *u = (void *)(s->rec + sizeof(struct perf_event_header));

	u[0] = pid;
	u[1] = tid;
	return emit(s, PERF_RECORD_COMM, misc, put_name(s, 16, comm));
}

/* The namespaces of a thread, in the kernel's order (NET_NS_INDEX ... CGROUP_NS_INDEX), as
 * the device and inode of its /proc/PID/task/TID/ns/ files; one missing is 0/0. */
int synth__namespaces(struct synth *s, pid_t pid, pid_t tid)
{
	static const char *const names[NR_NAMESPACES] = {
		[NET_NS_INDEX] = "net", [UTS_NS_INDEX] = "uts", [IPC_NS_INDEX] = "ipc",
		[PID_NS_INDEX] = "pid", [USER_NS_INDEX] = "user", [MNT_NS_INDEX] = "mnt",
		[CGROUP_NS_INDEX] = "cgroup",
	};
	uint8_t *b = (uint8_t *)s->rec + sizeof(struct perf_event_header);
	uint32_t ids[2] = { (uint32_t)pid, (uint32_t)tid };
	uint64_t nr = NR_NAMESPACES;

	memcpy(b, ids, 8);
	memcpy(b + 8, &nr, 8);
	for (int i = 0; i < NR_NAMESPACES; i++) {
		char path[96];
		struct stat st;
		uint64_t v[2] = { 0, 0 };

		snprintf(path, sizeof(path), "/proc/%d/task/%d/ns/%s", (int)pid, (int)tid, names[i]);
		if (!stat(path, &st)) {
			v[0] = st.st_dev;
			v[1] = st.st_ino;
		}
		memcpy(b + 16 + 16 * i, v, 16);
	}
	return emit(s, PERF_RECORD_NAMESPACES, 0, sizeof(struct perf_event_header) + 16 +
		    16 * NR_NAMESPACES);
}

int synth__cgroup(struct synth *s, uint64_t id, const char *path)
{
	memcpy(s->rec + sizeof(struct perf_event_header), &id, 8);
	return emit(s, PERF_RECORD_CGROUP, 0, put_name(s, 16, path));
}

int synth__ksymbol(struct synth *s, uint64_t addr, uint32_t len, uint16_t ksym_type, const char *name)
{
	char *b = s->rec + sizeof(struct perf_event_header);
	uint16_t flags = 0;

	memcpy(b, &addr, 8);
	memcpy(b + 8, &len, 4);
	memcpy(b + 12, &ksym_type, 2);
	memcpy(b + 14, &flags, 2);
	return emit(s, PERF_RECORD_KSYMBOL, 0, put_name(s, 24, name));
}

int synth__bpf_event(struct synth *s, uint16_t type, uint32_t id, const uint8_t tag[8])
{
	char *b = s->rec + sizeof(struct perf_event_header);
	uint16_t flags = 0;

	memcpy(b, &type, 2);
	memcpy(b + 2, &flags, 2);
	memcpy(b + 4, &id, 4);
	memcpy(b + 8, tag, 8);
	return emit(s, PERF_RECORD_BPF_EVENT, 0, 24);
}

static int fork_rec(struct synth *s, pid_t pid, pid_t ppid, pid_t tid, pid_t ptid)
{
	uint32_t *u = (void *)(s->rec + sizeof(struct perf_event_header));

	u[0] = pid;
	u[1] = ppid;
	u[2] = tid;
	u[3] = ptid;
	memset(&u[4], 0, 8);	/* time */
	return emit(s, PERF_RECORD_FORK, MISC_FORK_EXEC, 32);
}

static int mmap_rec(struct synth *s, uint16_t misc, uint32_t pid, uint32_t tid, uint64_t start,
		    uint64_t len, uint64_t pgoff, const char *name)
{
	char *b = s->rec + sizeof(struct perf_event_header);

	memcpy(b, &pid, 4);
	memcpy(b + 4, &tid, 4);
	memcpy(b + 8, &start, 8);
	memcpy(b + 16, &len, 8);
	memcpy(b + 24, &pgoff, 8);
	return emit(s, PERF_RECORD_MMAP, misc, put_name(s, 40, name));
}

struct map_line {
	uint64_t start, end, pgoff, ino;
	uint32_t maj, min;
	char perms[5];
	const char *name;
};

static int parse_map_line(char *line, struct map_line *m)
{
	char *p = line, *end;

	m->start = strtoull(p, &end, 16);
	if (*end != '-')
		return -1;
	m->end = strtoull(end + 1, &p, 16);
	while (*p == ' ')
		p++;
	if (strlen(p) < 4)
		return -1;
	memcpy(m->perms, p, 4);
	m->perms[4] = 0;
	p += 4;
	m->pgoff = strtoull(p, &end, 16);
	m->maj = strtoul(end, &p, 16);
	if (*p != ':')
		return -1;
	m->min = strtoul(p + 1, &end, 16);
	m->ino = strtoull(end, &p, 10);
	while (*p == ' ' || *p == '\t')
		p++;
	p[strcspn(p, "\n")] = 0;
	m->name = p;
	return 0;
}

static int mmap2_rec(struct synth *s, pid_t pid, const struct map_line *m)
{
	char *b = s->rec + sizeof(struct perf_event_header);
	uint32_t u32[2] = { pid, pid }, prot = 0, flags;
	uint64_t len = m->end - m->start, gen = 0;
	const char *name = *m->name ? m->name : "//anon";
	uint16_t misc = PERF_RECORD_MISC_USER;

	if (m->perms[0] == 'r')
		prot |= PROT_READ;
	if (m->perms[1] == 'w')
		prot |= PROT_WRITE;
	if (m->perms[2] == 'x')
		prot |= PROT_EXEC;
	else
		misc |= MISC_MMAP_DATA;
	flags = m->perms[3] == 's' ? MAP_SHARED : MAP_PRIVATE;
	memcpy(b, u32, 8);
	memcpy(b + 8, &m->start, 8);
	memcpy(b + 16, &len, 8);
	memcpy(b + 24, &m->pgoff, 8);
	memcpy(b + 32, &m->maj, 4);
	memcpy(b + 36, &m->min, 4);
	memcpy(b + 40, &m->ino, 8);
	memcpy(b + 48, &gen, 8);
	memcpy(b + 56, &prot, 4);
	memcpy(b + 60, &flags, 4);
	return emit(s, PERF_RECORD_MMAP2, misc, put_name(s, 8 + 64, name));
}

static int synth_maps(struct synth *s, pid_t pid)
{
	char path[64], *line = NULL;
	size_t cap = 0;
	FILE *f;
	int ret = 0;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/maps", pid, pid);
	f = fopen(path, "re");
	if (!f)
		return 0;	/* gone, or a kernel thread without maps */
	while (getline(&line, &cap, f) > 0) {
		struct map_line m;

		if (parse_map_line(line, &m))
			continue;
		if (m.perms[2] != 'x' && !(s->mmap_data && m.perms[0] == 'r'))
			continue;
		ret = mmap2_rec(s, pid, &m);
		if (ret)
			break;
	}
	free(line);
	fclose(f);
	return ret;
}

/* "Key:\tvalue" from /proc/PID/status. */
int synth__status_field(pid_t pid, const char *key, char *out, size_t outsz)
{
	char path[64], line[512];
	size_t klen = strlen(key);
	FILE *f;
	int ret = -ENOENT;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *v;

		if (strncmp(line, key, klen) || line[klen] != ':')
			continue;
		v = line + klen + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		v[strcspn(v, "\n")] = 0;
		snprintf(out, outsz, "%s", v);
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}

static int read_comm(pid_t pid, pid_t tid, char *out, size_t outsz)
{
	char path[64];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", pid, tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, out, outsz - 1);
	close(fd);
	if (n <= 0)
		return -ENOENT;
	out[n] = 0;
	out[strcspn(out, "\n")] = 0;
	return 0;
}

int synth__process(struct synth *s, pid_t pid, bool with_fork)
{
	char path[64], buf[64], comm[64];
	pid_t tgid, ppid = 0;
	struct dirent *de;
	DIR *d;
	int ret = 0;

	if (synth__status_field(pid, "Tgid", buf, sizeof(buf)))
		return 0;	/* exited meanwhile */
	tgid = atoi(buf);
	if (!synth__status_field(tgid, "PPid", buf, sizeof(buf)))
		ppid = atoi(buf);
	snprintf(path, sizeof(path), "/proc/%d/task", tgid);
	d = opendir(path);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		pid_t tid;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		tid = atoi(de->d_name);
		if (read_comm(tgid, tid, comm, sizeof(comm)))
			continue;
		if (with_fork && (ret = fork_rec(s, tgid, tid == tgid ? ppid : tgid, tid,
						 tid == tgid ? ppid : tgid)))
			break;
		if ((ret = synth__comm(s, tgid, tid, comm, 0)))
			break;
		if (s->namespaces && (ret = synth__namespaces(s, tgid, tid)))
			break;
	}
	closedir(d);
	if (!ret)
		ret = synth_maps(s, tgid);
	return ret;
}

static int remember(struct synth *s, pid_t pid)
{
	if (ARRAY_GROW(s->seen, s->cap_seen, s->nr_seen + 1))
		return -ENOMEM;
	s->seen[s->nr_seen++] = pid;
	return 0;
}

static bool was_seen(const struct synth *s, pid_t pid)
{
	size_t lo = 0, hi = s->nr_seen;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->seen[mid] == pid)
			return true;
		if (s->seen[mid] < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

int synth__all(struct synth *s)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int ret = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		pid_t pid;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid = atoi(de->d_name);
		ret = remember(s, pid);
		if (!ret)
			ret = synth__process(s, pid, true);
		if (ret)
			break;
	}
	closedir(d);
	array__sort(s->seen, s->nr_seen, sizeof(*s->seen), cmp_pid);
	return ret;
}

int synth__new_tasks(struct synth *s)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int ret = 0, n = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d)) && !ret) {
		pid_t pid;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid = atoi(de->d_name);
		if (was_seen(s, pid))
			continue;
		ret = synth__process(s, pid, true);
		n++;
	}
	closedir(d);
	pr_debug("%d processes started while /proc was listed", n);
	return ret;
}

void synth__release(struct synth *s)
{
	free(s->seen);
	s->seen = NULL;
	s->nr_seen = s->cap_seen = 0;
}

/* With emit false, only finds where the first module starts. */
static int synth_modules(struct synth *s, uint64_t *first_module, bool emit)
{
	FILE *f = fopen("/proc/modules", "re");
	char line[1024];
	int ret = 0;

	*first_module = UINT64_MAX;
	if (!f)
		return 0;	/* no module support */
	while (fgets(line, sizeof(line), f)) {
		char name[256], mod[260];
		unsigned long long size, addr;

		/* name size refcount deps state address */
		if (sscanf(line, "%255s %llu %*s %*s %*s %llx", name, &size, &addr) != 3 || !addr)
			continue;
		if (addr < *first_module)
			*first_module = addr;
		if (!emit)
			continue;
		snprintf(mod, sizeof(mod), "[%s]", name);
		ret = mmap_rec(s, PERF_RECORD_MISC_KERNEL, -1, 0, addr, size, 0, mod);
		if (ret)
			break;
	}
	fclose(f);
	return ret;
}

/* _text, _stext and _etext from /proc/kallsyms. The file is long (100k+ lines) and read once per
 * recording, so lines are split by hand and only the three names are compared. */
static int kallsyms_text(uint64_t *text, uint64_t *stext, uint64_t *etext)
{
	static const char *const names[3] = { "_text", "_stext", "_etext" };
	uint64_t *out[3] = { text, stext, etext };
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap);
	int fd = open("/proc/kallsyms", O_RDONLY | O_CLOEXEC), found = 0;

	if (!buf || fd < 0) {
		int err = fd < 0 ? -errno : -ENOMEM;

		free(buf);
		if (fd >= 0)
			close(fd);
		return err;
	}
	while (found < 3) {
		ssize_t n = read(fd, buf + len, cap - len);
		char *line = buf, *end, *nl;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
		end = buf + len;
		while ((nl = memchr(line, '\n', end - line))) {
			/* "ffffffff81000000 T _text" */
			char *sp = memchr(line, ' ', nl - line);

			if (sp && nl - sp > 3) {
				char *name = sp + 3;
				size_t nlen = nl - name;

				for (int i = 0; i < 3; i++) {
					if (nlen == strlen(names[i]) && !memcmp(name, names[i], nlen) && !*out[i]) {
						*out[i] = strtoull(line, NULL, 16);
						found++;
					}
				}
			}
			line = nl + 1;
		}
		len = end - line;
		memmove(buf, line, len);
	}
	close(fd);
	free(buf);
	return 0;
}

int synth__kernel(struct synth *s)
{
	uint64_t text = 0, stext = 0, etext = 0, first_module, end;
	int ret = kallsyms_text(&text, &stext, &etext);

	if (ret)
		return ret;
	if (!text)
		text = stext;
	if (!text)
		return -EACCES;		/* addresses hidden (kptr_restrict) */
	synth_modules(s, &first_module, false);
	end = etext > text ? etext : (first_module > text && first_module != UINT64_MAX ? first_module : UINT64_MAX);
	/* the kernel map goes first, then the modules, as in perf's files */
	ret = mmap_rec(s, PERF_RECORD_MISC_KERNEL, -1, 0, text, end - text, text, "[kernel.kallsyms]_text");
	if (ret)
		return ret;
	return synth_modules(s, &first_module, true);
}

int synth__finished_init(struct synth *s)
{
	struct perf_event_header h = { .type = PD_RECORD_FINISHED_INIT, .misc = 0, .size = sizeof(h) };

	s->nr_records++;
	return s->emit(s->arg, &h, sizeof(h));
}
