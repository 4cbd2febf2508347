/* ptop: the live view of the hottest symbols, as perf top. Options into top_run_opts, one
 * top__run(), the result turned into a one-line error with the fix. The `a` key's annotation
 * is composed here from the annotate room (annotate_live). */
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/common/common.h"
#include "perfdata/reader.h"
#include "report/annotate/annotate.h"
#include "report/annotate/hist.h"
#include "report/hist/sort.h"
#include "report/top/top.h"
#include "sampler/cpumap.h"
#include "util/array.h"
#include "util/error.h"
#include "util/log.h"

#define PTOP_VERSION "0.1 (ptop)"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	stop_requested = 1;
}

static void usage(FILE *f)
{
	fputs("usage: ptop [options]\n"
	      "The hottest symbols of the whole system (or of -p/-t/-C/-u), live, as perf top.\n"
	      "  -a, --all-cpus          system-wide, all CPUs (the default)\n"
	      "  -C, --cpu LIST          these CPUs only (0-3,7)\n"
	      "  -p, --pid PIDS          existing processes (all their threads)\n"
	      "  -t, --tid TIDS          existing threads\n"
	      "  -u, --uid USER          only processes of this user (name or uid)\n"
	      "  -e, --event SPEC        events, as precord takes them (default: cycles, else cpu-clock)\n"
	      "  -F, --freq HZ           samples per second (default 4000)\n"
	      "  -c, --period PERIOD     a sample every PERIOD events\n"
	      "  -g                      call graphs (frame pointers): Enter shows an entry's callers\n"
	      "      --call-graph MODE   fp, or dwarf[,SIZE]\n"
	      "      --no-children       with -g: no Children column (self only, callers' graphs)\n"
	      "  -d, --delay SECS        seconds between refreshes (default 2; fractions allowed)\n"
	      "  -n, --count N           N refreshes, then exit\n"
	      "  -z, --zero              zero the histogram at each refresh (default: decay by 1/8)\n"
	      "  -s, --sort KEYS         comm,pid,tid,dso,sym,parent,cpu,symoff,srcline,srcfile (default dso,sym)\n"
	      "      --parent REGEX      parent symbol regex (adds the parent key; default ^sys_|^do_page_fault)\n"
	      "      --percent-limit PCT hide entries under PCT percent\n"
	      "  -K, --hide_kernel_symbols   hide kernel samples\n"
	      "  -U, --hide_user_symbols     hide user samples\n"
	      "      --comm COMMS, --dso DSOS, --symbols SYMS   only these (CSV lists)\n"
	      "  -E, --entries N         rows shown (default: the screen's height; 50 with --stdio)\n"
	      "  -m, --mmap-pages N      ring buffer data pages per CPU (power of two, default 128)\n"
	      "      --stdio             print the table every refresh instead of the full screen\n"
	      "      --record FILE       also write the samples to FILE (perf.data format)\n"
	      "      --no-demangle       raw C++/Rust symbol names\n"
	      "      --buildid-dir DIR   the build-id cache (default $PERF_BUILDID_DIR, else ~/.debug)\n"
	      "  -q, --quiet, -v, --verbose, -h, --help\n"
	      "Keys: arrows/PgUp/PgDn move, Enter call graph, a annotate, s/d only this symbol/DSO\n"
	      "(again: all), P write the view to ptop.snapshot, z zero, q quit.\n", f);
}

static int parse_double(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return errno || end == s || *end ? -1 : 0;
}

static int parse_user(const char *s, struct top_opts *m)
{
	struct passwd *pw = getpwnam(s);
	uint64_t v;

	if (pw) {
		m->uid = pw->pw_uid;
	} else if (!cmd__parse_u64(s, &v)) {
		m->uid = (uid_t)v;
	} else {
		return cmd__usage_error("-u '%s': no such user: give a user name or a uid", s);
	}
	m->uid_set = true;
	return 0;
}

static int hit_cmp(const void *a, const void *b)
{
	const struct annotate_addr *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

/* The screen's `a`: pannotate's view of one symbol from the samples ptop gathered for it. */
static int annotate_live(void *ctx, FILE *out, const char *event, struct dso *dso,
			 struct symbol *sym, const struct top_hit *hits, size_t nr,
			 uint64_t nr_samples, uint64_t period)
{
	const struct cmd_common *common = ctx;
	struct annotate_addr *addrs = calloc(nr ? nr : 1, sizeof(*addrs));
	struct pd_evsel ev = { .name = (char *)(event ? event : "samples") };
	struct annotate_entry e = { .evsel = &ev, .dso = dso, .sym = sym, .nr_samples = nr_samples,
				    .period = period, .addrs = addrs, .nr_addrs = nr };
	struct annotate_opts ao = { .out = out, .percent_type = ANNOTATE_LOCAL_PERIOD,
				    .syntax = DISASM_ATT, .source = true, .demangle = common->demangle };
	char why[512] = "";
	int ret;

	if (!addrs)
		return -ENOMEM;
	for (size_t i = 0; i < nr; i++)
		addrs[i] = (struct annotate_addr){ .off = hits[i].off, .nr_samples = hits[i].nr_samples,
						   .period = hits[i].period };
	array__sort(addrs, nr, sizeof(*addrs), hit_cmp);
	ret = annotate__entry(&ao, &e, why, sizeof(why));
	if (ret)
		fprintf(out, "cannot annotate this symbol: %s\n", why[0] ? why : strerror(-ret));
	free(addrs);
	return ret;
}

struct ptop_args {
	struct top_run_opts o;
	struct cmd_common common;
	bool system_wide;
	char target[128];
};

enum { OPT_STDIO = 0x100, OPT_RECORD, OPT_PCT, OPT_COMM, OPT_DSO, OPT_SYMS, OPT_CG, OPT_CHILDREN, OPT_NO_CHILDREN, OPT_PARENT };

/* 0 to go on; PTOP_HELP after --help; else the exit status of a usage error (CMD_USAGE). */
#define PTOP_HELP (-2)

static int parse_one(struct ptop_args *a, int c, const char *arg)
{
	struct top_run_opts *o = &a->o;
	uint64_t v;

	switch (c) {
	case 'a': a->system_wide = true; break;
	case 'C': o->rec.cpu_list = arg; break;
	case 'p': o->rec.pids = arg; break;
	case 't': o->rec.tids = arg; break;
	case 'u': return parse_user(arg, &o->model);
	case 'e': o->rec.events = arg; break;
	case 'g': o->rec.call_graph = RECORD_CG_FP; break;
	case 'z': o->model.zero = true; break;
	case 's': o->model.sort = arg; break;
	case 'K': o->model.hide_kernel = true; break;
	case 'U': o->model.hide_user = true; break;
	case OPT_STDIO: o->stdio = true; break;
	case OPT_RECORD: o->rec.output = arg; break;
	case OPT_PARENT: o->model.parent = arg; break;
	case OPT_COMM: o->model.comms = arg; break;
	case OPT_DSO: o->model.dsos = arg; break;
	case OPT_SYMS: o->model.symbols = arg; break;
	case OPT_CHILDREN: o->model.children = true; break;
	case OPT_NO_CHILDREN: o->model.children = false; break;
	case 'F':
		if (cmd__parse_u64(arg, &o->rec.freq) || !o->rec.freq)
			return cmd__usage_error("-F wants a frequency in Hz, like -F 999; got '%s'", arg);
		o->rec.user_freq = true;
		break;
	case 'c':
		if (cmd__parse_u64(arg, &o->rec.period) || !o->rec.period)
			return cmd__usage_error("-c wants a period (events per sample), like -c 100000; got '%s'", arg);
		break;
	case OPT_CG:
		if (cmd__parse_call_graph(arg, &o->rec))
			return cmd__usage_error("--call-graph wants fp or dwarf[,SIZE] with SIZE up to 65528; got '%s'", arg);
		break;
	case 'd':
		if (parse_double(arg, &o->delay) || o->delay < 0.1 || o->delay > 3600)
			return cmd__usage_error("-d wants seconds between refreshes from 0.1 to 3600, like -d 2 or -d 0.5; got '%s'", arg);
		break;
	case 'n':
		if (cmd__parse_u64(arg, &v) || !v || v > 1000000000)
			return cmd__usage_error("-n wants a number of refreshes, like -n 3; got '%s'", arg);
		o->count = (long)v;
		break;
	case 'E':
		if (cmd__parse_u64(arg, &v) || !v || v > 1000000)
			return cmd__usage_error("-E wants a number of rows, like -E 20; got '%s'", arg);
		o->entries = v;
		break;
	case OPT_PCT:
		if (parse_double(arg, &o->model.percent_limit) || o->model.percent_limit < 0 ||
		    o->model.percent_limit > 100)
			return cmd__usage_error("--percent-limit wants a percentage from 0 to 100, like 0.5; got '%s'", arg);
		break;
	case 'm':
		if (cmd__parse_u64(arg, &v) || !v || (v & (v - 1)) || v > (1u << 20))
			return cmd__usage_error("-m wants a power of two number of pages, like -m 128; got '%s'", arg);
		o->rec.mmap_pages = v;
		break;
	case 'h': usage(stdout); return PTOP_HELP;
	default:
		if (cmd__option(&a->common, c, arg))
			return cmd__usage_error(NULL);
	}
	return 0;
}

/* The target for the header line and record_opts. 0, or -1 after saying what is wrong. */
static int set_target(struct ptop_args *a)
{
	struct record_opts *r = &a->o.rec;
	struct cpu_map *cpus;

	if (!!r->pids + !!r->tids + !!r->cpu_list > 1 || ((r->pids || r->tids) && a->system_wide)) {
		pr_err("-a/-C, -p and -t choose different targets: use one of them");
		return -1;
	}
	if (a->o.model.uid_set && (r->pids || r->tids)) {
		pr_err("-u chooses the processes of a user: use it without -p/-t");
		return -1;
	}
	r->system_wide = !r->pids && !r->tids && !r->cpu_list;
	if (r->pids)
		snprintf(a->target, sizeof(a->target), "pid %s", r->pids);
	else if (r->tids)
		snprintf(a->target, sizeof(a->target), "tid %s", r->tids);
	else if ((cpus = cpu_map__new(r->cpu_list))) {
		snprintf(a->target, sizeof(a->target), "%s%s, %d CPU%s", r->cpu_list ? "CPUs " : "all",
			 r->cpu_list ? r->cpu_list : "", cpus->nr, cpus->nr == 1 ? "" : "s");
		cpu_map__free(cpus);
	} else {
		pr_err("-C '%s': not a list of online CPUs (like 0-3,7)", r->cpu_list);
		return -1;
	}
	if (a->o.model.uid_set) {
		size_t n = strlen(a->target);

		snprintf(a->target + n, sizeof(a->target) - n, ", uid %u", (unsigned)a->o.model.uid);
	}
	a->o.target = a->target;
	return 0;
}

/* CMD_RUN, or the exit status when ptop ends here (-h: 0, usage errors: 129, a bad target: 1). */
static int parse_args(int argc, char **argv, struct ptop_args *a)
{
	static const struct option longopts[] = {
		{ "all-cpus", no_argument, NULL, 'a' },
		{ "cpu", required_argument, NULL, 'C' },
		{ "pid", required_argument, NULL, 'p' },
		{ "tid", required_argument, NULL, 't' },
		{ "uid", required_argument, NULL, 'u' },
		{ "event", required_argument, NULL, 'e' },
		{ "freq", required_argument, NULL, 'F' },
		{ "period", required_argument, NULL, 'c' },
		{ "call-graph", required_argument, NULL, OPT_CG },
		{ "delay", required_argument, NULL, 'd' },
		{ "count", required_argument, NULL, 'n' },
		{ "zero", no_argument, NULL, 'z' },
		{ "sort", required_argument, NULL, 's' },
		{ "percent-limit", required_argument, NULL, OPT_PCT },
		{ "hide_kernel_symbols", no_argument, NULL, 'K' },
		{ "hide_user_symbols", no_argument, NULL, 'U' },
		{ "comm", required_argument, NULL, OPT_COMM },
		{ "comms", required_argument, NULL, OPT_COMM },
		{ "dso", required_argument, NULL, OPT_DSO },
		{ "dsos", required_argument, NULL, OPT_DSO },
		{ "symbols", required_argument, NULL, OPT_SYMS },
		{ "entries", required_argument, NULL, 'E' },
		{ "mmap-pages", required_argument, NULL, 'm' },
		{ "stdio", no_argument, NULL, OPT_STDIO },
		{ "children", no_argument, NULL, OPT_CHILDREN },
		{ "no-children", no_argument, NULL, OPT_NO_CHILDREN },
		{ "record", required_argument, NULL, OPT_RECORD },
		{ "parent", required_argument, NULL, OPT_PARENT },
		CMD_LOPT_QUIET,
		CMD_LOPT_VERBOSE,
		CMD_LOPT_DEMANGLE,
		CMD_LOPT_NO_DEMANGLE,
		CMD_LOPT_BUILDID_DIR,
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c, r;

	while ((c = cmd__getopt(argc, argv, "aC:p:t:u:e:F:c:gd:n:zs:KUE:m:qvh", longopts)) != -1) {
		r = parse_one(a, c, optarg);
		if (r)
			return r == PTOP_HELP ? 0 : r;
	}
	if (optind < argc) {
		return cmd__usage_error("ptop watches running processes; it takes no command ('%s'): start it apart and use -p",
					argv[optind]);
	}
	if (a->o.model.sort) {	/* a bad key: a usage error before anything is opened, as perf top */
		struct sort_list keys;
		char msg[256];

		if (sort_list__parse(&keys, a->o.model.sort, msg, sizeof(msg)) == -EINVAL)
			return cmd__usage_error("%s", msg);
	}
	/* not on a terminal (a pipe, a file): the table as text, as perf top does */
	if (!a->o.stdio && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)))
		a->o.stdio = true;
	a->o.model.demangle = a->common.demangle;
	a->o.model.call_graph = a->o.rec.call_graph != RECORD_CG_NONE;
	return set_target(a) ? 1 : CMD_RUN;
}

static void explain(const struct ptop_args *a, int ret, const struct error *er)
{
	const char *what = er->what[0] ? er->what : "?";

	switch (er->kind) {
	case RECORD_EVENTS:
		pr_err("invalid event '%s' (at byte %d): %s", what, er->pos >= 0 ? er->pos : 0,
		       er->msg[0] ? er->msg : strerror(-ret));
		break;
	case RECORD_TRACEFS:
		pr_err("tracepoint '%s' needs tracefs, which is not mounted: mount -t tracefs nodev /sys/kernel/tracing", what);
		break;
	case RECORD_TARGET:
		pr_err("no such target '%s' (%s): check -p/-t/-C", what, strerror(-ret));
		break;
	case RECORD_FREQ:
		pr_err("-F %llu is above kernel.perf_event_max_sample_rate: use a lower -F",
		       (unsigned long long)a->o.rec.freq);
		break;
	case RECORD_OPEN:
		cmd__open_error("sample", what, a->o.rec.system_wide || a->o.rec.cpu_list, ret);
		break;
	case RECORD_UNSUPPORTED:
		pr_err("event '%s' is not supported on this machine (%s): plist shows what is", what, strerror(-ret));
		break;
	case RECORD_MMAP:
		cmd__mmap_error(what, ret);
		break;
	case RECORD_OUTPUT:
	case RECORD_WRITE:
		pr_err("--record '%s': %s: choose another file", what, strerror(-ret));
		break;
	default:
		pr_err("%s", er->msg[0] ? er->msg : strerror(-ret));
		break;
	}
}

int main(int argc, char **argv)
{
	struct ptop_args a = {
		.common = CMD_COMMON_DEFAULTS,
		.o = {
			.rec = {
				.freq = 4000,
				.stack_size = 8192,
				.output = "/dev/null",
				.version = PTOP_VERSION,
				.cmdline_argc = argc,
				.cmdline_argv = argv,
			},
			.model = { .children = true },	/* with -g, as perf top */
			.delay = 2,
			.dump_path = "ptop.snapshot",
			.stop = &stop_requested,
			.annotate = annotate_live,
		},
	};
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART: waits return */
	struct error err;
	int ret;

	a.o.annotate_ctx = &a.common;
	log_set_prog("ptop");
	ret = parse_args(argc, argv, &a);
	if (ret != CMD_RUN)
		return ret;
	cmd__log_level(&a.common);
	if (!strcmp(a.o.rec.output, "/dev/null"))	/* no --record: no build-ids to gather */
		a.o.rec.no_buildid = a.o.rec.no_buildid_cache = true;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	ret = top__run(&a.o, &err);
	if (ret && ret != -EPIPE) {
		explain(&a, ret, &err);
		/* a bad -e is a usage error, as in perf top */
		return err.kind == RECORD_EVENTS ? cmd__usage_error(NULL) : 1;
	}
	return cmd__exit(ret, &err);
}
