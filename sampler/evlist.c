/* Owns struct evlist: the ordered events of a command, opening them on CPUs x threads, enable/disable, reads. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sampler/cpumap.h"
#include "sampler/evlist.h"
#include "util/array.h"
#include "util/log.h"

struct evlist *evlist__new(void)
{
	return calloc(1, sizeof(struct evlist));
}

void evlist__free(struct evlist *evlist)
{
	if (!evlist)
		return;
	evlist__close(evlist);
	for (int i = 0; i < evlist->nr; i++)
		evsel__free(evlist->entries[i]);
	free(evlist->entries);
	free(evlist);
}

int evlist__add(struct evlist *evlist, struct evsel *evsel)
{
	if (ARRAY_GROW(evlist->entries, evlist->alloc, (size_t)evlist->nr + 1))
		return -ENOMEM;
	evsel->idx = evlist->nr;
	evsel->leader_idx = evsel->idx;
	evsel->nr_members = 1;
	evlist->entries[evlist->nr++] = evsel;
	return 0;
}

int evlist__set_filter(struct evlist *evlist, int from, const char *filter)
{
	int applied = 0;

	for (int i = from; i < evlist->nr; i++) {
		struct evsel *evsel = evlist->entries[i];

		if (evsel->attr.type != PERF_TYPE_TRACEPOINT)
			continue;
		free(evsel->filter);
		evsel->filter = strdup(filter);
		if (!evsel->filter)
			return -ENOMEM;
		applied++;
	}
	return applied ? 0 : -EINVAL;
}

static int sys_perf_event_open(struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd,
			       unsigned long flags)
{
	return (int)syscall(__NR_perf_event_open, attr, pid, cpu, group_fd, flags);
}

static void evsel__close_fds(struct evsel *evsel)
{
	if (!evsel->fds)
		return;
	for (int i = 0; i < evsel->nr_cpus * evsel->nr_threads; i++) {
		if (evsel->fds[i] >= 0)
			close(evsel->fds[i]);
		evsel->fds[i] = -1;
	}
}

/* The kernel's answers that mean "this event does not exist here", not "you may not". */
static bool errno_is_unsupported(int err)
{
	return err == ENOENT || err == EOPNOTSUPP || err == ENODEV || err == ENOSYS ||
	       err == EINVAL || err == ENXIO;
}

static int evsel__alloc_fds(struct evsel *evsel, int nr_cpus, int nr_threads)
{
	int n = nr_cpus * nr_threads;

	free(evsel->fds);
	free(evsel->ids);
	evsel->fds = malloc(n * sizeof(int));
	evsel->ids = calloc(n, sizeof(uint64_t));
	if (!evsel->fds || !evsel->ids)
		return -ENOMEM;
	for (int i = 0; i < n; i++)
		evsel->fds[i] = -1;
	evsel->nr_cpus = nr_cpus;
	evsel->nr_threads = nr_threads;
	return 0;
}

static int evsel__open_one(struct evlist *evlist, struct evsel *evsel, struct cpu_map *cpus,
			   struct thread_map *threads, const struct open_opts *opts)
{
	struct evsel *leader = evlist->entries[evsel->leader_idx];
	bool is_leader = leader == evsel;
	struct perf_event_attr attr = evsel->attr;

	attr.size = sizeof(attr);
	attr.read_format = opts->read_format;
	attr.inherit = opts->inherit && !evsel->cfg.no_inherit;
	attr.disabled = is_leader && (opts->start_disabled || opts->enable_on_exec);
	attr.enable_on_exec = is_leader && opts->enable_on_exec;

	for (int c = 0; c < cpus->nr; c++) {
		for (int t = 0; t < threads->nr; t++) {
			int group_fd = is_leader ? -1 : EVSEL_FD(leader, c, t);
			int fd;

			if (!is_leader && group_fd < 0)
				continue;
			/* a cgroup event counts the cgroup's tasks on each CPU */
			fd = evsel->cgroup && threads->pid[t] == -1 ?
				sys_perf_event_open(&attr, evsel->cgroup_fd, cpus->cpu[c], group_fd,
						    PERF_FLAG_FD_CLOEXEC | PERF_FLAG_PID_CGROUP) :
				sys_perf_event_open(&attr, threads->pid[t], cpus->cpu[c], group_fd,
						    PERF_FLAG_FD_CLOEXEC);
			if (fd < 0) {
				int err = errno;

				/* A task that exited between listing and opening is not an error. */
				if (err == ESRCH && threads->pid[t] != -1 && threads->nr > 1)
					continue;
				pr_debug("perf_event_open %s cpu %d pid %d: %s", evsel->name,
					 cpus->cpu[c], threads->pid[t], strerror(err));
				return -err;
			}
			EVSEL_FD(evsel, c, t) = fd;
			if (evsel->filter && ioctl(fd, PERF_EVENT_IOC_SET_FILTER, evsel->filter) < 0) {
				pr_debug("%s: filter '%s' refused: %s", evsel->name, evsel->filter,
					 strerror(errno));
				return -EBADMSG;
			}
			if (ioctl(fd, PERF_EVENT_IOC_ID, &evsel->ids[c * threads->nr + t]) < 0)
				evsel->ids[c * threads->nr + t] = 0;
		}
	}
	return 0;
}

/* perf's fallback for unprivileged users: count user space only and say so in the name. */
static int evsel__fallback_user(struct evsel *evsel)
{
	size_t len = strlen(evsel->name);
	char *name;

	/* ':k' alone would be left with nothing to count */
	if (evsel->attr.exclude_kernel || evsel->attr.exclude_user)
		return -EACCES;
	evsel->user_only = true;
	evsel->attr.exclude_kernel = 1;
	evsel->attr.exclude_hv = 1;
	if (evsel->attr.type == PERF_TYPE_TRACEPOINT)
		return 0;
	evsel->attr.exclude_guest = 1;	/* as perf's ":u": the name gains 'H' when renamed */
	name = realloc(evsel->name, len + 3);
	if (!name)
		return -ENOMEM;
	memcpy(name + len, strchr(name, ':') ? "u" : ":u", strchr(name, ':') ? 2 : 3);
	evsel->name = name;
	return 0;
}

int evlist__open(struct evlist *evlist, struct cpu_map *cpus, struct thread_map *threads,
		 const struct open_opts *opts, struct evsel **failed)
{
	for (int i = 0; i < evlist->nr; i++) {
		struct evsel *evsel = evlist->entries[i];
		struct evsel *leader = evlist->entries[evsel->leader_idx];
		int err = evsel__alloc_fds(evsel, cpus->nr, threads->nr);

		if (err)
			return err;
		if (!leader->supported) {
			evsel->supported = false;
			evsel->open_errno = leader->open_errno;
			continue;
		}
		for (;;) {
			err = evsel__open_one(evlist, evsel, cpus, threads, opts);
			if (!err)
				break;
			evsel__close_fds(evsel);
			if ((err == -EACCES || err == -EPERM) && opts->user_fallback &&
			    !evsel->attr.exclude_kernel && evsel__fallback_user(evsel) == 0) {
				pr_debug("%s: retrying without kernel counting", evsel->name);
				continue;
			}
			if (err == -EINVAL && (evsel->attr.ksymbol || evsel->attr.bpf_event)) {
				/* a kernel before 5.1 knows neither bit: go without, as perf does */
				evsel->attr.ksymbol = evsel->attr.bpf_event = 0;
				pr_debug("%s: retrying without ksymbol/bpf_event", evsel->name);
				continue;
			}
			break;
		}
		if (!err)
			continue;
		if (errno_is_unsupported(-err)) {
			evsel->supported = false;
			evsel->open_errno = -err;
			pr_info("%s: not supported here (%s)", evsel->name, strerror(-err));
			continue;
		}
		if (failed)
			*failed = evsel;
		return err;
	}
	return 0;
}

void evlist__close(struct evlist *evlist)
{
	for (int i = 0; i < evlist->nr; i++)
		evsel__close_fds(evlist->entries[i]);
}

static int evlist__ioctl_leaders(struct evlist *evlist, unsigned long req)
{
	for (int i = 0; i < evlist->nr; i++) {
		struct evsel *evsel = evlist->entries[i];

		if (evsel->leader_idx != evsel->idx || !evsel->fds)
			continue;
		for (int j = 0; j < evsel->nr_cpus * evsel->nr_threads; j++)
			if (evsel->fds[j] >= 0 && ioctl(evsel->fds[j], req, 0) < 0)
				return -errno;
	}
	return 0;
}

int evlist__enable(struct evlist *evlist)
{
	return evlist__ioctl_leaders(evlist, PERF_EVENT_IOC_ENABLE);
}

int evlist__disable(struct evlist *evlist)
{
	return evlist__ioctl_leaders(evlist, PERF_EVENT_IOC_DISABLE);
}

int evsel__read(struct evsel *evsel, int cpu_idx, int thread_idx, struct counts *out)
{
	uint64_t buf[3];
	int fd = EVSEL_FD(evsel, cpu_idx, thread_idx);
	ssize_t n;

	memset(out, 0, sizeof(*out));
	if (fd < 0)
		return -EBADF;
	n = read(fd, buf, sizeof(buf));
	if (n < 0)
		return -errno;
	if (n != sizeof(buf))
		return -EIO;
	out->val = buf[0];
	out->ena = buf[1];
	out->run = buf[2];
	return 0;
}

double counts__scaled(const struct counts *c)
{
	if (!c->run)
		return 0;
	if (c->run < c->ena)
		return (double)c->val * (double)c->ena / (double)c->run;
	return (double)c->val;
}
