/* Owns a recording session (sampler/record.h): event setup for sampling, one ring per CPU with
 * the CPU's other fds redirected into it, the snapshot of existing state, the poll/drain loop and
 * finishing the perf.data file.
 *
 * Data path: each round copies every ring's ready bytes straight into the writer's buffer
 * (mmap__read), walks the copied records once for the tally (counts, DSO hits), then writes a
 * FINISHED_ROUND and flushes, which also moves data.size in the header. Nothing is allocated
 * per record. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "perfdata/compact.h"
#include "perfdata/feature.h"
#include "perfdata/hits.h"
#include "symbols/dso.h"
#include "symbols/embed.h"
#include "perfdata/pipe_writer.h"
#include "perfdata/reader.h"
#include "perfdata/sample.h"
#include "perfdata/writer.h"
#include "sampler/bpf_info.h"
#include "sampler/cgroup_synth.h"
#include "sampler/cpumap.h"
#include "sampler/evlist.h"
#include "sampler/mmap.h"
#include "sampler/offcpu.h"
#include "sampler/nsinfo.h"
#include "sampler/nspids.h"
#include "sampler/record.h"
#include "sampler/stacktop.h"
#include "sampler/switch_output.h"
#include "sampler/synth.h"
#include "sampler/tracefs.h"
#include "sampler/workload.h"
#include "symbols/buildid_cache.h"
#include "util/error.h"
#include "util/log.h"
#include "util/sysfs.h"

#define DEFAULT_PAGES	128		/* 512 KiB per CPU, what perf uses as root */
#define POLL_MS		100		/* drain at least this often: wakeups come only at half a ring */
#define X86_REGS_USER	0xff0fffULL	/* AX..SS, R8..R15: what perf asks for on x86_64 */

struct record {
	const struct record_opts *opts;
	struct record_result *res;
	struct error *err;
	struct evlist *evlist;
	struct cpu_map *cpus;
	struct thread_map *threads;
	struct workload wl;
	bool has_workload, per_task;
	bool wl_target;
	bool dwarf;			/* some event copies user stacks (--call-graph dwarf or a term) */			/* the command is what is sampled (not -p/-t/-a/-C -- CMD) */
	struct mmap_ring *rings;
	int nr_rings;
	struct pollfd *pfds;
	int nr_pfds, nr_hup;
	struct pd_writer *w;
	struct pd_hits *hits;
	struct nsinfo *ns;		/* processes that see other files (containers, chroots) */
	struct nspids *nspids;		/* --namespaces: pids inside other pid namespaces */
	struct pd_event_desc *descs;
	uint64_t **desc_ids;
	size_t nr_descs;
	struct offcpu *offcpu;		/* --off-cpu, NULL otherwise */
	/* compact recordings: stack copies cut to their used bytes, optional zstd */
	struct pd_evsel *compact_ev;	/* the one sample layout of all events; NULL: no cutting */
	struct stacktop *stacktop;
	struct pd_compressor *zstd;
	struct synth *synth;		/* the listing of existing tasks, until they are all written */
	struct bpf_progs *bpf;		/* loaded BPF programs: synthesized, then the header's BPF info */
	uint16_t id_hdr_size;		/* the sample_id trailer of the first event's records */
	uint8_t *zbuf;			/* ring bytes on their way to the compressor */
	int pipe_fd;			/* -o -: the stream (stdout before the workload got stderr there) */
	struct switch_files switched;	/* --switch-output: the files finished so far */
	struct timespec last_switch;
	bool switching;			/* some --switch-output trigger is set */
	uint64_t ring_bytes;		/* bytes drained from the rings since the last switch */
	size_t zbuf_cap;
};

static int fail(struct record *rec, enum record_stage stage, const char *what, int err)
{
	if (rec->err) {
		rec->err->code = err;
		rec->err->kind = stage;
		if (what)
			error__what(rec->err, "%s", what);
	}
	return err;
}

static bool is_tracepoint_spec(const char *spec)
{
	/* "sys:name" where the part after ':' is not a modifier list */
	const char *c = strchr(spec, ':');

	return c && c != spec && c[1] && strspn(c + 1, "ukhHGpPSD") != strlen(c + 1);
}

static long paranoid_level(void)
{
	long v;

	return sysfs__perf_event_paranoid(&v) ? -1 : v;
}

/* Whether this process may sample the kernel: root, CAP_PERFMON or CAP_SYS_ADMIN in its
 * effective set, or perf_event_paranoid at most 1 */
static bool can_profile_kernel(void)
{
	unsigned long long eff = 0;
	char line[256];
	FILE *f;

	if (!geteuid() || paranoid_level() <= 1)
		return true;
	f = fopen("/proc/self/status", "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return eff & (1ULL << 38 /* CAP_PERFMON */ | 1ULL << 21 /* CAP_SYS_ADMIN */);
}

static int setup_events(struct record *rec)
{
	const struct record_opts *o = rec->opts;
	const char *spec = o->events ? o->events : "cycles";
	int ret;

	rec->evlist = evlist__new();
	if (!rec->evlist)
		return -ENOMEM;
	ret = evlist__parse(rec->evlist, spec, rec->err);
	if (ret) {
		if (is_tracepoint_spec(spec) && !tracefs__mountpoint())
			return fail(rec, RECORD_TRACEFS, spec, errno == EACCES ? -EACCES : ret);
		return fail(rec, RECORD_EVENTS, spec, ret);
	}
	if (rec->evlist->nr == 0)
		return fail(rec, RECORD_EVENTS, spec, -EINVAL);
	if (!o->events && !can_profile_kernel()) {
		/* perf's default event counts user space from the start when the kernel is out
		 * of reach (no retry, the hypervisor not excluded): "cycles:u", and after the
		 * fallback from cycles "cpu-clock:uhppp" */
		struct evsel *e = rec->evlist->entries[0];
		char *n = strdup("cycles:u");

		if (!n)
			return -ENOMEM;
		e->attr.exclude_kernel = 1;
		e->user_only = true;
		free(e->name);
		e->name = n;
	}
	if (o->filter) {
		ret = evlist__set_filter(rec->evlist, 0, o->filter);
		if (ret)
			return fail(rec, RECORD_FILTER, o->filter, ret);
	}
	if (o->offcpu.enabled) {
		int first = rec->evlist->nr;

		rec->offcpu = offcpu__new(&o->offcpu, rec->per_task);
		if (!rec->offcpu)
			return -ENOMEM;
		ret = evlist__parse(rec->evlist, offcpu__spec(&o->offcpu), rec->err);
		if (!ret)
			ret = offcpu__config(rec->offcpu, rec->evlist, first);
		if (ret)
			return fail(rec, tracefs__mountpoint() ? RECORD_EVENTS : RECORD_TRACEFS,
				    offcpu__spec(&o->offcpu), ret);
	}
	return 0;
}

/* Sampling attributes; the first event also tracks mmaps, comms and forks for everyone. */
static int config_events(struct record *rec)
{
	const struct record_opts *o = rec->opts;
	struct evlist *el = rec->evlist;
	uint64_t max_rate;

	if (sysfs__read_u64("/proc/sys/kernel/perf_event_max_sample_rate", &max_rate))
		max_rate = 100000;

	rec->dwarf = false;
	for (int i = 0; i < el->nr; i++) {
		struct perf_event_attr *a = &el->entries[i]->attr;
		const struct evsel_cfg *cfg = &el->entries[i]->cfg;
		bool tp = a->type == PERF_TYPE_TRACEPOINT;
		enum record_callgraph cg = o->call_graph;
		uint32_t stack_size = cfg->stack_size ? cfg->stack_size : o->stack_size;

		/* EV/call-graph=.../ and max-stack= (which asks for chains, as in perf) */
		if (cfg->call_graph)
			cg = cfg->call_graph == EVSEL_CG_FP ? RECORD_CG_FP :
			     cfg->call_graph == EVSEL_CG_DWARF ? RECORD_CG_DWARF : RECORD_CG_NONE;
		if (cfg->max_stack && cg == RECORD_CG_NONE)
			cg = RECORD_CG_FP;
		a->sample_max_stack = cfg->max_stack;
		rec->dwarf |= cg == RECORD_CG_DWARF;

		a->sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_PERIOD;
		if (!rec->per_task)
			a->sample_type |= PERF_SAMPLE_CPU;
		if (el->nr > 1)
			a->sample_type |= PERF_SAMPLE_IDENTIFIER;
		if (tp)
			a->sample_type |= PERF_SAMPLE_RAW;
		if (cg != RECORD_CG_NONE)
			a->sample_type |= PERF_SAMPLE_CALLCHAIN;
		if (cg == RECORD_CG_DWARF) {
			a->sample_type |= PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
			a->sample_regs_user = X86_REGS_USER;
			a->sample_stack_user = stack_size;
			a->exclude_callchain_user = 1;	/* user frames come from the unwinder */
		}
		if (o->sample_addr)
			a->sample_type |= PERF_SAMPLE_ADDR | PERF_SAMPLE_DATA_SRC;
		if (o->user_regs) {
			a->sample_type |= PERF_SAMPLE_REGS_USER;
			a->sample_regs_user |= o->user_regs;
		}
		if (o->intr_regs) {
			a->sample_type |= PERF_SAMPLE_REGS_INTR;
			a->sample_regs_intr = o->intr_regs;
		}
		if (cfg->period_set) {
			a->freq = 0;
			a->sample_period = cfg->period;
		} else if (cfg->freq_set) {
			if (cfg->freq > max_rate) {
				rec->res->max_rate = max_rate;
				return fail(rec, RECORD_FREQ, el->entries[i]->name, -EINVAL);
			}
			a->freq = 1;
			a->sample_freq = cfg->freq;
		} else if (o->period) {
			a->freq = 0;
			a->sample_period = o->period;
		} else if (!tp || o->user_freq) {
			a->freq = 1;
			a->sample_freq = o->freq;
			if (o->freq > max_rate) {
				/* as perf: sample at the kernel's limit and say so */
				if (i == 0)
					pr_warn("-F %llu is above kernel.perf_event_max_sample_rate (%llu): sampling"
						" at %llu Hz; sysctl kernel.perf_event_max_sample_rate=%llu raises the"
						" limit", (unsigned long long)o->freq,
						(unsigned long long)max_rate, (unsigned long long)max_rate,
						(unsigned long long)o->freq);
				rec->res->max_rate = max_rate;
				a->sample_freq = max_rate;
			}
		}
		a->sample_id_all = 1;
		a->use_clockid = o->use_clockid;
		a->clockid = o->use_clockid ? o->clockid : 0;
		a->mmap = a->mmap2 = a->comm = a->comm_exec = a->task = i == 0;
		/* as perf: BPF programs (and other JITed kernel code) coming and going */
		a->ksymbol = a->bpf_event = i == 0;
		a->namespaces = i == 0 && o->namespaces;
		a->cgroup = i == 0 && o->all_cgroups;
		if (o->all_cgroups)
			a->sample_type |= PERF_SAMPLE_CGROUP;
	}
	el->entries[0]->attr.mmap_data = rec->dwarf || o->sample_addr;
	return rec->offcpu ? offcpu__config(rec->offcpu, el, -1) : 0;
}

static void replace_name(struct evsel *e, const char *name)
{
	char *n = strdup(name);

	if (n) {
		free(e->name);
		e->name = n;
	}
}

static int open_events(struct record *rec)
{
	struct evlist *el = rec->evlist;
	struct open_opts oo = {
		.inherit = !rec->opts->tids && !rec->opts->no_inherit && !rec->opts->per_thread,
		.enable_on_exec = rec->wl_target,
		.start_disabled = !rec->wl_target,
		.user_fallback = true,
		/* the kernel's count of samples it dropped, read at the end (LOST_SAMPLES) */
		.read_format = PERF_FORMAT_ID | PERF_FORMAT_LOST,
	};
	struct evsel *failed = NULL;
	bool retried = false;
	int ret;

again:
	ret = evlist__open(el, rec->cpus, rec->threads, &oo, &failed);
	if ((ret == -EINVAL || (!ret && !el->entries[0]->supported &&
				el->entries[0]->open_errno == EINVAL)) &&
	    (oo.read_format & PERF_FORMAT_LOST)) {
		/* kernels before 6.0 have no PERF_FORMAT_LOST */
		oo.read_format &= ~(uint64_t)PERF_FORMAT_LOST;
		evlist__close(el);
		goto again;
	}
	if (ret) {
		if (ret == -ESRCH)
			return fail(rec, RECORD_TARGET, failed ? failed->name : NULL, ret);
		if (ret == -EBADMSG)
			return fail(rec, RECORD_FILTER, failed ? failed->filter : NULL, ret);
		return fail(rec, RECORD_OPEN, failed ? failed->name : NULL, ret);
	}
	for (int i = 0; i < el->nr; i++) {
		struct evsel *e = el->entries[i];

		if (e->supported)
			continue;
		/* No hardware PMU (VMs): sample the CPU clock instead, as perf does. */
		if (!retried && e->attr.type == PERF_TYPE_HARDWARE &&
		    e->attr.config == PERF_COUNT_HW_CPU_CYCLES) {
			pr_warn("%s is not supported here (no hardware PMU): sampling cpu-clock instead", e->name);
			e->attr.type = PERF_TYPE_SOFTWARE;
			e->attr.config = PERF_COUNT_SW_CPU_CLOCK;
			e->supported = true;
			/* perf names the fallback after its attr: "cycles:u" becomes "cpu-clock:uH";
			 * the default event is perf's "cycles:P" (precise_ip 3): "cpu-clock:ppp" */
			{
				char name[256];

				if (!rec->opts->events)
					e->attr.precise_ip = 3;
				evlist__attr_name(&e->attr, "cpu-clock", name, sizeof(name));
				replace_name(e, name);
			}
			rec->res->fell_back = true;
			retried = true;
			evlist__close(el);
			goto again;
		}
		return fail(rec, RECORD_UNSUPPORTED, e->name, -(e->open_errno ? e->open_errno : EOPNOTSUPP));
	}
	for (int i = 0; i < el->nr; i++) {
		if (el->entries[i]->user_only) {
			pr_warn("kernel.perf_event_paranoid is %ld: sampling user space only (%s), without kernel"
				" frames; for them run as root or sysctl kernel.perf_event_paranoid=1",
				paranoid_level(), el->entries[i]->name);
			break;
		}
	}
	/* what the file's attrs should say about how they were opened */
	for (int i = 0; i < el->nr; i++) {
		struct perf_event_attr *a = &el->entries[i]->attr;

		a->inherit = oo.inherit && !el->entries[i]->cfg.no_inherit;
		a->read_format = oo.read_format;
		a->disabled = 1;
		a->enable_on_exec = oo.enable_on_exec;
	}
	return 0;
}

static int setup_rings(struct record *rec)
{
	struct evlist *el = rec->evlist;
	size_t pages = rec->opts->mmap_pages ? rec->opts->mmap_pages : DEFAULT_PAGES;
	int ncpu = rec->cpus->nr, nthr = rec->threads->nr, nfds = 0, ret;
	/* --per-thread: a ring per thread (per-task fds on no CPU cannot share one) */
	bool pt = rec->opts->per_thread && rec->per_task;
	int groups = pt ? nthr : 1;

	rec->rings = calloc((size_t)ncpu * groups, sizeof(*rec->rings));
	/* + 1: the command's pidfd, so its end is seen at once */
	rec->pfds = calloc((size_t)ncpu * nthr * el->nr + 1, sizeof(*rec->pfds));
	if (!rec->rings || !rec->pfds)
		return -ENOMEM;
	for (int cg = 0; cg < ncpu * groups; cg++) {
		struct mmap_ring *ring = NULL;
		int c = cg / groups;

		for (int i = 0; i < el->nr; i++) {
			for (int t = 0; t < nthr; t++) {
				int fd = EVSEL_FD(el->entries[i], c, t);

				if (fd < 0 || (pt && t != cg % groups))
					continue;
				if (!ring) {
					ring = &rec->rings[rec->nr_rings];
					ret = mmap__open(ring, fd, rec->cpus->cpu[c], pages);
					if (ret) {
						char what[64];

						snprintf(what, sizeof(what), "%zu", pages);
						return fail(rec, RECORD_MMAP, what, ret);
					}
					rec->nr_rings++;
				} else if ((ret = mmap__set_output(ring, fd))) {
					return fail(rec, RECORD_MMAP, el->entries[i]->name, ret);
				}
				/* system-wide: one fd per ring is enough to wait on; per task, every fd
				 * is watched for POLLHUP to learn when all targets have exited */
				if (rec->per_task || ring->fd == fd) {
					rec->pfds[nfds].fd = fd;
					rec->pfds[nfds].events = POLLIN;
					nfds++;
				}
			}
		}
	}
	rec->nr_pfds = nfds;
	if (!rec->nr_rings)
		return fail(rec, RECORD_TARGET, NULL, -ESRCH);
	return 0;
}

static void to_sink(struct record *rec, const void *buf, size_t len)
{
	if (rec->opts->sink)
		rec->opts->sink(rec->opts->sink_arg, rec->descs, rec->evlist->nr, buf, len);
}

static int emit_synth(void *arg, const void *buf, size_t len)
{
	struct record *rec = arg;

	pd_hits__process(rec->hits, buf, len);
	if (rec->nspids)
		nspids__scan(rec->nspids, buf, len);
	to_sink(rec, buf, len);
	return pd_writer__write(rec->w, buf, len);
}

/* Cutting stack copies needs one sample layout for every event (they share the rings). */
static int setup_compact(struct record *rec)
{
	const struct record_opts *o = rec->opts;
	struct evlist *el = rec->evlist;

	if (rec->dwarf && !o->full_stacks) {
		const struct perf_event_attr *a0 = &el->entries[0]->attr;
		bool same = true;

		for (int i = 1; i < el->nr; i++) {
			const struct perf_event_attr *a = &el->entries[i]->attr;

			if (offcpu__hidden(rec->offcpu, el->entries[i]))
				continue;	/* taken out of the ring bytes before the cutting */

			same &= a->sample_type == a0->sample_type && a->read_format == a0->read_format &&
				a->sample_regs_user == a0->sample_regs_user &&
				a->sample_stack_user == a0->sample_stack_user &&
				a->sample_regs_intr == a0->sample_regs_intr &&
				a->branch_sample_type == a0->branch_sample_type;
		}
		if (same) {
			rec->compact_ev = calloc(1, sizeof(*rec->compact_ev));
			if (!rec->compact_ev)
				return -ENOMEM;
			rec->compact_ev->attr = *a0;
			rec->stacktop = stacktop__new();
			if (!rec->stacktop)
				return -ENOMEM;
		}
	}
	if (o->zstd_level > 0) {
		rec->zstd = pd_compressor__new(o->zstd_level);
		rec->zbuf_cap = rec->nr_rings ? rec->rings[0].size : 0;
		rec->zbuf = malloc(rec->zbuf_cap ? rec->zbuf_cap : 1);
		if (!rec->zstd || !rec->zbuf)
			return -ENOMEM;
		/* written at creation and kept valid: a killed -z recording stays readable */
		if (pd_compressor__live_feature(rec->zstd, rec->w, (uint32_t)(rec->zbuf_cap + 4096)))
			return -ENOMEM;
	}
	return 0;
}

static int start_features(struct record *rec);

static int open_output(struct record *rec)
{
	const char *path = rec->opts->output;
	struct evlist *el = rec->evlist;
	struct stat st;
	int ret;

	/* lstat: a symlink planted at the path is neither renamed nor followed (the writer
	 * opens with O_NOFOLLOW and fails with ELOOP) */
	if (rec->pipe_fd >= 0) {
		rec->w = pd_writer__new_pipe(rec->pipe_fd);
	} else if (!lstat(path, &st) && S_ISREG(st.st_mode) && st.st_size > 0) {
		char old[PATH_MAX];

		snprintf(old, sizeof(old), "%s.old", path);
		if (rename(path, old) < 0)
			return fail(rec, RECORD_OUTPUT, old, -errno);
	}
	if (!rec->w)
		rec->w = pd_writer__new(path);
	if (!rec->w)
		return fail(rec, RECORD_OUTPUT, path, -errno);
	rec->descs = calloc(el->nr + 1, sizeof(*rec->descs));
	rec->desc_ids = calloc(el->nr, sizeof(*rec->desc_ids));
	if (!rec->descs || !rec->desc_ids)
		return -ENOMEM;
	for (int i = 0; i < el->nr; i++) {
		struct evsel *e = el->entries[i];
		struct pd_event_desc *d = &rec->descs[rec->nr_descs];
		int n = e->nr_cpus * e->nr_threads;

		rec->desc_ids[i] = calloc(n ? n : 1, sizeof(uint64_t));
		if (!rec->desc_ids[i])
			return -ENOMEM;
		if (offcpu__hidden(rec->offcpu, e))
			continue;	/* its records become offcpu-time samples */
		d->attr = &e->attr;
		d->name = e->name;
		d->ids = rec->desc_ids[i];
		for (int k = 0; k < n; k++)
			if (e->fds[k] >= 0 && e->ids[k])
				rec->desc_ids[i][d->nr_ids++] = e->ids[k];
		rec->nr_descs++;
	}
	if (rec->offcpu) {
		if ((ret = offcpu__opened(rec->offcpu, el)))
			return ret;
		offcpu__desc(rec->offcpu, &rec->descs[rec->nr_descs++]);
	}
	ret = pd_writer__start(rec->w, rec->descs, rec->nr_descs);
	if (ret)
		return fail(rec, RECORD_WRITE, path, ret);
	rec->hits = pd_hits__new(el->entries[0]->attr.sample_type);
	if (!rec->hits || (!rec->ns && !(rec->ns = nsinfo__new())))
		return -ENOMEM;
	if (rec->opts->embed_symbols && pd_writer__is_pipe(rec->w))
		pr_warn("--embed-symbols: a pipe stream has no room for them: not embedded");
	else if (rec->opts->embed_symbols && pd_hits__want_addrs(rec->hits))
		return -ENOMEM;
	pd_hits__set_opener(rec->hits, nsinfo__open, rec->ns);
	/* a pipe stream has no room for the section */
	if (rec->opts->namespaces && !pd_writer__is_pipe(rec->w) && !rec->nspids &&
	    !(rec->nspids = nspids__new()))
		pr_warn("--namespaces: cannot read /proc/self/ns/pid: pids inside containers not recorded");
	/* without build-ids the maps are not needed: nothing grows with the processes seen */
	pd_hits__set_counts_only(rec->hits, rec->opts->no_buildid && !rec->opts->embed_symbols);
	ret = setup_compact(rec);
	if (!ret)
		ret = start_features(rec);
	return ret ? fail(rec, RECORD_WRITE, path, ret) : 0;
}

/* The BPF programs loaded now, as perf record lists them (KSYMBOL + BPF_EVENT each); kept for
 * the header's BPF_PROG_INFO / BPF_BTF. bpf() refused (not root) costs only that. */
static int synth_bpf(struct record *rec, struct synth *s)
{
	int ret;

	bpf_progs__free(rec->bpf);
	rec->bpf = bpf_progs__new();
	if (!rec->bpf)
		return -ENOMEM;
	ret = bpf_progs__scan(rec->bpf);
	if (ret == -ENOMEM)
		return ret;
	return bpf_progs__synth(rec->bpf, s);
}

static int synthesize(struct record *rec)
{
	struct synth *s = calloc(1, sizeof(*s));
	const struct record_opts *o = rec->opts;
	int ret;

	if (!s)
		return -ENOMEM;
	s->emit = emit_synth;
	s->arg = rec;
	s->id_hdr_size = synth__id_hdr_size(rec->evlist->entries[0]->attr.sample_type);
	rec->id_hdr_size = s->id_hdr_size;
	s->mmap_data = rec->dwarf || o->sample_addr;
	s->namespaces = o->namespaces;
	bool kernel = false;

	for (int i = 0; i < rec->evlist->nr; i++)
		kernel |= !rec->evlist->entries[i]->attr.exclude_kernel;
	/* user-only events (the unprivileged fallback) have no use for the kernel's map */
	ret = o->all_cgroups ? cgroup_synth__all(s) : 0;
	if (!ret && kernel)
		ret = synth__kernel(s);
	if (ret == -EACCES) {
		pr_warn("kernel addresses are hidden (kernel.kptr_restrict): kernel samples will not resolve;"
			" run as root or sysctl kernel.kptr_restrict=0");
		ret = 0;
	}
	if (!ret)
		ret = synth_bpf(rec, s);
	if (!ret && !rec->per_task) {
		ret = synth__all(s);
	} else if (!ret && rec->wl_target && rec->res->nr_switched) {
		ret = synth__process(s, rec->wl.pid, false);	/* a new file: the command's maps again */
	} else if (!ret && rec->wl_target) {
		const char *base = strrchr(o->argv[0], '/');

		ret = synth__comm(s, rec->wl.pid, rec->wl.pid, base ? base + 1 : o->argv[0], 0);
		if (!ret && o->namespaces)
			ret = synth__namespaces(s, rec->wl.pid, rec->wl.pid);
	} else if (!ret) {
		pid_t last = -1;

		for (int t = 0; t < rec->threads->nr && !ret; t++) {
			if (rec->threads->pid[t] == last)
				continue;
			last = rec->threads->pid[t];
			ret = synth__process(s, last, false);
		}
	}
	rec->synth = s;
	if (ret)
		return fail(rec, RECORD_WRITE, rec->opts->output, ret);
	return 0;
}

/* After enabling: system-wide, the processes forked while /proc was being listed; then the
 * end of the synthesized records. */
static int synthesize_finish(struct record *rec)
{
	struct synth *s = rec->synth;
	int ret = 0;

	if (!rec->per_task)
		ret = synth__new_tasks(s);
	if (!ret)
		ret = synth__finished_init(s);
	pr_debug("synthesized %llu records", (unsigned long long)s->nr_records);
	if (!ret)
		ret = pd_writer__flush(rec->w);	/* a disk full here is said as anywhere else */
	return ret ? fail(rec, RECORD_WRITE, rec->opts->output, ret) : 0;
}

/* One pass over every ring; then a FINISHED_ROUND bounds what perf must sort. */
static int drain(struct record *rec, bool final)
{
	static const struct perf_event_header round = {
		.type = PD_RECORD_FINISHED_ROUND, .misc = 0, .size = sizeof(round),
	};
	size_t total = 0;

	for (int i = 0; i < rec->nr_rings; i++) {
		struct mmap_ring *r = &rec->rings[i];
		void *dst;
		size_t n;

		if (!mmap__avail(r))
			continue;
		if (rec->zstd) {
			int ret;

			n = mmap__read(r, rec->zbuf, rec->zbuf_cap);
			if (rec->offcpu)
				n = offcpu__take(rec->offcpu, rec->zbuf, n);
			if (rec->compact_ev)
				n = pd_compact__stacks(rec->compact_ev, rec->zbuf, n, stacktop__get,
						       rec->stacktop, NULL);
			n = bpf_records__fix(rec->zbuf, n, rec->id_hdr_size);
			pd_hits__process(rec->hits, rec->zbuf, n);
			if (rec->nspids)
				nspids__scan(rec->nspids, rec->zbuf, n);
			to_sink(rec, rec->zbuf, n);
			ret = pd_compressor__write(rec->zstd, rec->w, rec->zbuf, n);
			if (ret)
				return ret;
			total += n;
			continue;
		}
		dst = pd_writer__reserve(rec->w, r->size);
		if (!dst)
			return -errno;
		n = mmap__read(r, dst, r->size);
		if (rec->offcpu)
			n = offcpu__take(rec->offcpu, dst, n);
		if (rec->compact_ev)
			n = pd_compact__stacks(rec->compact_ev, dst, n, stacktop__get, rec->stacktop,
					       NULL);
		n = bpf_records__fix(dst, n, rec->id_hdr_size);
		pd_hits__process(rec->hits, dst, n);
		if (rec->nspids)
			nspids__scan(rec->nspids, dst, n);
		to_sink(rec, dst, n);
		pd_writer__commit(rec->w, n);
		total += n;
	}
	if (rec->offcpu) {
		uint64_t before = pd_writer__data_size(rec->w);
		int ret = offcpu__round(rec->offcpu, final, emit_synth, rec);

		if (ret)
			return ret;
		total += pd_writer__data_size(rec->w) - before;
	}
	pd_hits__settle(rec->hits);
	if (!total)
		return 0;
	rec->ring_bytes += total;
	to_sink(rec, NULL, 0);
	pd_writer__write(rec->w, &round, sizeof(round));
	return pd_writer__flush(rec->w);
}

static bool workload_done(struct record *rec)
{
	int status;

	if (!rec->has_workload || rec->wl.pid <= 0)
		return false;
	if (workload__wait(&rec->wl, &status, NULL, WNOHANG) == 0) {
		rec->res->workload_status = status;
		return true;
	}
	return false;
}

static int finish(struct record *rec);
static int synthesize(struct record *rec);
static int synthesize_finish(struct record *rec);

/* --switch-output: finish the file, give it its time-stamped name, and (unless @last) start a
 * new one at the output path with the header, features and existing state written again. */
static int switch_file(struct record *rec, bool last)
{
	const char *path = rec->opts->output;
	char name[PATH_MAX];
	int ret;

	ret = drain(rec, false);
	if (!ret)
		ret = finish(rec);
	if (ret)
		return ret;
	if ((ret = switch_output__name(path, name, sizeof(name))))
		return ret;
	if (rename(path, name))
		return -errno;
	if ((ret = switch_files__add(&rec->switched, name)))
		return ret;
	rec->res->nr_switched++;
	if (rec->opts->on_switch)
		rec->opts->on_switch(name);
	clock_gettime(CLOCK_MONOTONIC, &rec->last_switch);
	rec->ring_bytes = 0;
	if (last)
		return 0;
	pd_writer__free(rec->w);
	rec->w = pd_writer__new(path);
	if (!rec->w)
		return -errno;
	if ((ret = pd_writer__start(rec->w, rec->descs, rec->nr_descs)) || (ret = start_features(rec)))
		return ret;
	if (rec->synth)
		synth__release(rec->synth);
	free(rec->synth);
	rec->synth = NULL;
	if ((ret = synthesize(rec)))
		return ret;
	return synthesize_finish(rec);
}

static bool switch_due(struct record *rec)
{
	const struct record_opts *o = rec->opts;
	struct timespec now;

	if (o->switch_req && *o->switch_req) {
		*o->switch_req = 0;
		return o->switch_signal;
	}
	if (o->switch_size && rec->ring_bytes >= o->switch_size)
		return true;
	if (!o->switch_time_ms)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)(now.tv_sec - rec->last_switch.tv_sec) * 1000 +
	       (now.tv_nsec - rec->last_switch.tv_nsec) / 1000000 >= o->switch_time_ms;
}

static int loop(struct record *rec)
{
	volatile sig_atomic_t *stop = rec->opts->stop;
	int ret, nfds = rec->nr_pfds;

	if (rec->has_workload && rec->wl.pid > 0) {
		int pidfd = (int)syscall(SYS_pidfd_open, rec->wl.pid, 0);

		if (pidfd >= 0) {
			rec->pfds[nfds].fd = pidfd;
			rec->pfds[nfds].events = POLLIN;
			nfds++;
		}
	}
	for (;;) {
		int n = poll(rec->pfds, nfds, POLL_MS);
		bool woken = false;

		for (int i = 0; n > 0 && i < rec->nr_pfds; i++) {
			if (rec->pfds[i].fd < 0)
				continue;
			if (rec->pfds[i].revents & POLLIN)
				woken = true;
			/* the task behind this fd has exited: stop watching it, or poll spins */
			if (rec->per_task && (rec->pfds[i].revents & (POLLHUP | POLLERR))) {
				rec->pfds[i].fd = -1;
				rec->nr_hup++;
			}
		}
		rec->res->wakeups += woken;
		ret = drain(rec, false);
		if (!ret && switch_due(rec))
			ret = switch_file(rec, false);
		if (ret)
			break;
		if (rec->opts->max_size && pd_writer__data_size(rec->w) >= rec->opts->max_size) {
			rec->res->max_size_reached = true;
			break;
		}
		if (stop && *stop)
			break;
		if (workload_done(rec))
			break;
		if (rec->per_task && rec->nr_hup == rec->nr_pfds)
			break;		/* every target has exited */
	}
	if (nfds > rec->nr_pfds)
		close(rec->pfds[rec->nr_pfds].fd);
	return ret ? fail(rec, RECORD_WRITE, rec->opts->output, ret) : 0;
}

static int tracing_feature(struct record *rec)
{
	struct evlist *el = rec->evlist;
	const char **tps = calloc(el->nr, sizeof(char *));
	char **owned = calloc(el->nr, sizeof(char *));
	size_t nr = 0;
	int ret = 0;

	if (!tps || !owned) {
		ret = -ENOMEM;
		goto out;
	}
	for (int i = 0; i < el->nr; i++) {
		const char *name = el->entries[i]->cfg.tp[0] ? el->entries[i]->cfg.tp : el->entries[i]->name;
		const char *c = strchr(name, ':');

		if (el->entries[i]->attr.type != PERF_TYPE_TRACEPOINT || !c)
			continue;
		owned[nr] = strndup(name, c + 1 - name + strcspn(c + 1, ":"));	/* drop modifiers */
		if (!owned[nr]) {
			ret = -ENOMEM;
			goto out;
		}
		tps[nr] = owned[nr];
		nr++;
	}
	if (nr) {
		const char *dir = tracefs__mountpoint();

		ret = dir ? pd_feature__tracing_data(rec->w, dir, tps, nr) : -ENOENT;
	}
out:
	for (size_t i = 0; owned && i < nr; i++)
		free(owned[i]);
	free(owned);
	free(tps);
	return ret;
}

/* GROUP_DESC for the {a,b} groups of the evlist; nothing when there are none. */
static int group_feature(struct record *rec)
{
	struct evlist *el = rec->evlist;
	struct pd_group_desc *groups = calloc(el->nr, sizeof(*groups));
	size_t nr = 0;
	int ret = 0;

	if (!groups)
		return -ENOMEM;
	for (int i = 0; i < el->nr; i++) {
		struct evsel *e = el->entries[i];

		if (e->leader_idx == e->idx && e->nr_members > 1)
			groups[nr++] = (struct pd_group_desc){ .leader_idx = (uint32_t)i,
							       .nr_members = (uint32_t)e->nr_members };
	}
	if (nr)
		ret = pd_feature__group_desc(rec->w, groups, nr);
	free(groups);
	return ret;
}

/* -k: the clock's resolution (CLOCKID) and a wall-clock time taken with it (CLOCK_DATA), as
 * perf record -k writes them. */
static int clock_features(struct record *rec)
{
	struct { uint32_t version, clockid; uint64_t wall_ns, clock_ns; } cd = { 1, 0, 0, 0 };
	struct timespec res, wall, clk;
	uint64_t res_ns;
	int ret;

	if (!rec->opts->use_clockid)
		return 0;
	cd.clockid = (uint32_t)rec->opts->clockid;
	if (clock_getres(rec->opts->clockid, &res) || clock_gettime(CLOCK_REALTIME, &wall) ||
	    clock_gettime(rec->opts->clockid, &clk))
		return 0;	/* the attr says the clock; these are extras */
	res_ns = (uint64_t)res.tv_sec * 1000000000ULL + (uint64_t)res.tv_nsec;
	cd.wall_ns = (uint64_t)wall.tv_sec * 1000000000ULL + (uint64_t)wall.tv_nsec;
	cd.clock_ns = (uint64_t)clk.tv_sec * 1000000000ULL + (uint64_t)clk.tv_nsec;
	if ((ret = pd_writer__add_feature(rec->w, PD_FEAT_CLOCKID, &res_ns, sizeof(res_ns))))
		return ret;
	return pd_writer__add_feature(rec->w, PD_FEAT_CLOCK_DATA, &cd, sizeof(cd));
}

/* The features known before the first record: a pipe stream carries them ahead of the data
 * (tracepoint formats must precede the samples); a file keeps them for finish(). */
static int start_features(struct record *rec)
{
	int ret;

	if ((ret = pd_feature__host(rec->w, rec->opts->version ? rec->opts->version : "")) ||
	    (ret = pd_feature__topology(rec->w)) ||
	    (ret = pd_feature__cmdline(rec->w, rec->opts->cmdline_argc, rec->opts->cmdline_argv)) ||
	    (ret = pd_feature__event_desc(rec->w, rec->descs, rec->nr_descs)) ||
	    (ret = group_feature(rec)) || (ret = clock_features(rec)))
		return ret;
	/* a stream's BPF sections go before the programs are listed: empty, as perf's */
	if (pd_writer__is_pipe(rec->w) && (ret = bpf_progs__write_features(NULL, rec->w)))
		return ret;
	if ((ret = tracing_feature(rec))) {
		pr_err("cannot read the tracepoint formats from tracefs: %s", strerror(-ret));
		return ret;
	}
	/* a file gets it at the end, with the ratio */
	if (rec->zstd && pd_writer__is_pipe(rec->w) &&
	    (ret = pd_compressor__add_feature(rec->zstd, rec->w, (uint32_t)(rec->zbuf_cap + 4096))))
		return ret;
	return pd_pipe__end_features(rec->w);
}

/* As perf record: the DSOs the recording hit go into the build-id cache, so a report finds
 * them after they are rebuilt or removed. A failure costs only that. */
static void cache_build_ids(const struct pd_build_id *ids, size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		struct error err = { .code = 0 };
		char hex[41];

		if (ids[i].cpumode == PERF_RECORD_MISC_KERNEL || ids[i].filename[0] != '/')
			continue;
		if (bcache__add_from(ids[i].filename, ids[i].src, ids[i].id, ids[i].size, hex,
				     &err) < 0)
			pr_debug("build-id cache: %s", err.msg);
	}
}

struct embed_ctx {
	struct pd_embed_buf buf;
	struct dsos *dsos;
	bool lines;
};

static int embed_one(void *ctx, const char *dso, uint8_t cpumode, const uint64_t *addrs, size_t nr)
{
	struct embed_ctx *c = ctx;

	return symembed__add(&c->buf, c->dsos, dso, cpumode, addrs, nr, c->lines);
}

/* precord --embed-symbols: the symbols (and lines) of every sampled address, in the file. */
static int embed_feature(struct record *rec)
{
	struct embed_ctx c = { .dsos = dsos__new(), .lines = rec->opts->embed_symbols > 1 };
	int ret = c.dsos ? pd_embed__begin(&c.buf, c.lines ? PD_EMBED_LINES : 0) : -ENOMEM;

	if (!ret)
		ret = pd_hits__for_each_addrs(rec->hits, embed_one, &c);
	if (!ret)
		ret = pd_writer__add_feature(rec->w, PD_FEAT_EMBEDDED_SYMBOLS, c.buf.data, c.buf.len);
	pd_embed__free(&c.buf);
	dsos__free(c.dsos);
	return ret;
}

/* perf's LOST_SAMPLES records from the kernel's own count of what it dropped per fd
 * (PERF_FORMAT_LOST, read after the last drain): a drop that never became a LOST record in
 * the ring (the ring stayed full to the end) is counted too. Each carries the fd's id in its
 * sample_id trailer; the rest of the trailer is zero, as for synthesized records. */
static int write_lost_samples(struct record *rec)
{
	struct evlist *el = rec->evlist;
	uint64_t buf[2 + 6];

	for (int i = 0; i < el->nr; i++) {
		struct evsel *e = el->entries[i];
		const struct perf_event_attr *a = &e->attr;
		unsigned int tsz = a->sample_id_all ? pd_sample__trailer_size(a->sample_type) : 0;
		struct perf_event_header *h = (void *)buf;

		/* events kept out of the file (off-CPU's own) have no id a reader knows */
		if (!(a->read_format & PERF_FORMAT_LOST) || offcpu__hidden(rec->offcpu, e))
			continue;
		for (int k = 0; k < e->nr_cpus * e->nr_threads; k++) {
			uint64_t v[3];
			unsigned int w = 2;

			if (e->fds[k] < 0 || read(e->fds[k], v, sizeof(v)) != sizeof(v) || !v[2])
				continue;
			memset(buf, 0, sizeof(buf));
			h->type = PERF_RECORD_LOST_SAMPLES;
			h->size = (uint16_t)(16 + tsz);
			buf[1] = v[2];
			/* trailer: {pid,tid} time id stream_id {cpu,res} identifier */
			w += !!(a->sample_type & PERF_SAMPLE_TID) + !!(a->sample_type & PERF_SAMPLE_TIME);
			if (a->sample_type & PERF_SAMPLE_ID)
				buf[w++] = v[1];
			w += !!(a->sample_type & PERF_SAMPLE_STREAM_ID) + !!(a->sample_type & PERF_SAMPLE_CPU);
			if (a->sample_type & PERF_SAMPLE_IDENTIFIER)
				buf[w++] = v[1];
			rec->res->kernel_lost += v[2];
			if (pd_writer__write(rec->w, buf, h->size))
				return pd_writer__error(rec->w) ?: -ENOMEM;
		}
	}
	return pd_writer__flush(rec->w);
}

static int finish(struct record *rec)
{
	const struct pd_hits_stats *st = pd_hits__stats(rec->hits);
	struct pd_build_id *ids = NULL;
	size_t nr_ids = 0;
	int ret;

	if ((ret = pd_feature__sample_time(rec->w, st->first_time, st->last_time)))
		return ret;
	if (rec->zstd && !pd_writer__is_pipe(rec->w) &&
	    (ret = pd_compressor__add_feature(rec->zstd, rec->w, (uint32_t)(rec->zbuf_cap + 4096))))
		return ret;
	nsinfo__copy_jit_maps(rec->ns);
	/* a file: also the programs loaded while recording (a stream had its BPF sections up front) */
	if (!pd_writer__is_pipe(rec->w)) {
		if (rec->bpf && bpf_progs__scan(rec->bpf) == -ENOMEM)
			return -ENOMEM;
		if ((ret = bpf_progs__write_features(rec->bpf, rec->w)))
			return ret;
	}
	pd_hits__set_all(rec->hits, rec->opts->buildid_all);
	ret = rec->opts->no_buildid ? 0 : pd_hits__build_ids(rec->hits, &ids, &nr_ids);
	if (!ret && !rec->opts->no_buildid)
		ret = pd_feature__build_ids(rec->w, ids, nr_ids);
	if (!ret && !rec->opts->no_buildid_cache && !pd_writer__is_pipe(rec->w))
		cache_build_ids(ids, nr_ids);
	free(ids);
	if (!ret && rec->opts->embed_symbols && !pd_writer__is_pipe(rec->w))
		ret = embed_feature(rec);
	if (!ret)
		ret = nspids__write(rec->nspids, rec->w);
	if (ret)
		return ret;
	return pd_writer__finish(rec->w);
}

static int setup_targets(struct record *rec)
{
	const struct record_opts *o = rec->opts;
	int ret;

	rec->has_workload = o->argv && o->argv[0];
	rec->per_task = !o->system_wide && !o->cpu_list && (o->pids || o->tids || rec->has_workload);
	/* with -p/-t/-a/-C, a command only times the recording, as with perf */
	rec->wl_target = rec->has_workload && rec->per_task && !o->pids && !o->tids;
	rec->cpus = o->per_thread && rec->per_task ? cpu_map__dummy() : cpu_map__new(o->cpu_list);
	if (!rec->cpus)
		return fail(rec, RECORD_TARGET, o->cpu_list ? o->cpu_list : "online CPUs", -errno);
	if (o->cpu_list && (ret = cpu_map__check(rec->cpus, rec->err)))
		return fail(rec, RECORD_TARGET, o->cpu_list, ret);
	if (rec->has_workload) {
		ret = workload__prepare(&rec->wl, o->argv);
		if (ret)
			return fail(rec, RECORD_WORKLOAD, o->argv[0], ret);
	} else {
		rec->wl.pid = -1;
		rec->wl.go_fd = rec->wl.err_fd = -1;
	}
	if (!rec->per_task)
		rec->threads = thread_map__dummy();
	else if (o->pids)
		rec->threads = thread_map__new_pids(o->pids);
	else if (o->tids)
		rec->threads = thread_map__new_tids(o->tids);
	else
		rec->threads = thread_map__new_one(rec->wl.pid);
	if (!rec->threads || rec->threads->nr == 0)
		return fail(rec, RECORD_TARGET, o->pids ? o->pids : o->tids, rec->threads ? -ESRCH : -errno);
	return 0;
}

static void cleanup(struct record *rec)
{
	for (int i = 0; i < rec->nr_rings; i++)
		mmap__close(&rec->rings[i]);
	free(rec->rings);
	free(rec->pfds);
	if (rec->evlist)
		for (int i = 0; i < rec->evlist->nr && rec->desc_ids; i++)
			free(rec->desc_ids[i]);
	free(rec->desc_ids);
	free(rec->descs);
	pd_hits__free(rec->hits);
	nsinfo__free(rec->ns);
	nspids__free(rec->nspids);
	if (rec->pipe_fd >= 0)
		close(rec->pipe_fd);
	switch_files__free(&rec->switched);
	offcpu__free(rec->offcpu);
	if (rec->synth)
		synth__release(rec->synth);
	free(rec->synth);
	bpf_progs__free(rec->bpf);
	free(rec->compact_ev);
	stacktop__free(rec->stacktop);
	pd_compressor__free(rec->zstd);
	free(rec->zbuf);
	pd_writer__free(rec->w);
	evlist__free(rec->evlist);
	thread_map__free(rec->threads);
	cpu_map__free(rec->cpus);
	workload__close(&rec->wl);
}

int record__run(const struct record_opts *opts, struct record_result *res, struct error *err)
{
	struct record rec = { .opts = opts, .res = res, .err = err,
			      .wl = { .pid = -1, .go_fd = -1, .err_fd = -1 } };
	int ret, ret2;

	memset(res, 0, sizeof(*res));
	error__clear(err);
	rec.pipe_fd = -1;
	rec.switched.max = opts->switch_max_files;
	rec.switching = opts->switch_signal || opts->switch_size || opts->switch_time_ms;
	clock_gettime(CLOCK_MONOTONIC, &rec.last_switch);
	if (!strcmp(opts->output, "-")) {
		/* the stream keeps stdout; the command's own output goes to stderr, as with perf */
		rec.pipe_fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
		if (rec.pipe_fd < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
			return fail(&rec, RECORD_OUTPUT, "-", -errno);
	}
	if ((ret = setup_targets(&rec)) || (ret = setup_events(&rec)) || (ret = config_events(&rec)) ||
	    (ret = open_events(&rec)) || (ret = setup_rings(&rec)) || (ret = open_output(&rec)))
		goto out;
	/* existing tasks are listed with the events still off (the rings would fill while /proc is
	 * read); what was forked meanwhile is listed again once they are on */
	ret = synthesize(&rec);
	if (ret)
		goto out;
	if (!rec.wl_target) {
		ret = evlist__enable(rec.evlist);
		if (ret) {
			fail(&rec, RECORD_OPEN, rec.evlist->entries[0]->name, ret);
			goto out;
		}
	}
	ret = synthesize_finish(&rec);
	if (ret)
		goto out;
	if (rec.has_workload) {
		ret = workload__start(&rec.wl);
		if (ret) {
			fail(&rec, RECORD_WORKLOAD, opts->argv[0], ret);
			goto out_finish;
		}
		res->workload_ran = true;
	}
	ret = loop(&rec);
out_finish:
	evlist__disable(rec.evlist);
	/* what the kernel wrote before the disable took effect */
	ret2 = drain(&rec, true);
	if (!ret2)
		ret2 = write_lost_samples(&rec);
	if (!ret && ret2)
		ret = fail(&rec, RECORD_WRITE, opts->output, ret2);
	if (rec.has_workload && rec.wl.pid > 0) {
		int status = 0;

		/* stopped early (signal, write error) while the command runs: end it, as perf does */
		if ((opts->stop && *opts->stop) || ret || res->max_size_reached)
			workload__kill(&rec.wl, SIGTERM);
		while (workload__wait(&rec.wl, &status, NULL, 0) == -EINTR)
			;
		if (rec.wl.pid <= 0)
			res->workload_status = status;
	}
	if (!pd_writer__error(rec.w) && rec.switching) {
		ret2 = switch_file(&rec, true);
		if (!ret && ret2)
			ret = fail(&rec, RECORD_WRITE, opts->output, ret2);
	} else if (!pd_writer__error(rec.w)) {
		ret2 = finish(&rec);
		if (!ret && ret2)
			ret = fail(&rec, RECORD_WRITE, opts->output, ret2);
	} else {
		pd_writer__finish(rec.w);	/* fails again, and cuts the file after the last good flush */
	}
	{
		const struct pd_hits_stats *st = pd_hits__stats(rec.hits);

		res->samples = st->samples;
		res->lost_samples = st->lost_samples;
		res->lost_records = st->lost_records;
		res->throttled = st->throttled;
		if (rec.offcpu)
			res->offcpu = *offcpu__stats(rec.offcpu);
		res->file_size = pd_writer__file_size(rec.w);
		if (!res->file_size)
			res->file_size = pd_writer__readable_size(rec.w);
	}
out:
	if (!ret)
		error__clear(err);
	else if (err && !err->code)
		err->code = ret;
	cleanup(&rec);
	return ret;
}
