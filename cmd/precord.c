/* precord: sample into a perf.data file (perf record's options). Options into record_opts,
 * one record__run(), and the result turned into perf's summary or a one-line error with the fix. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd/common/common.h"
#include "sampler/record.h"
#include "sampler/regs.h"
#include "sampler/workload.h"
#include "util/error.h"
#include "util/log.h"
#include "util/sysfs.h"

#define PRECORD_VERSION "0.1 (precord)"

static volatile sig_atomic_t stop_requested, stop_signal, switch_requested;

static void on_usr2(int sig)
{
	(void)sig;
	switch_requested = 1;
}

static void on_switch(const char *name)
{
	fprintf(stderr, "[ precord: Dump %s ]\n", name);
}

static void on_signal(int sig)
{
	stop_requested = 1;
	stop_signal = sig;
}

static void usage(FILE *f)
{
	fputs("usage: precord [options] [--] [command [args]]\n"
	      "Sample a command, processes or the whole system into perf.data (perf's format).\n"
	      "  -a, --all-cpus          system-wide, all CPUs\n"
	      "  -C, --cpu LIST          system-wide on these CPUs (0-3,7)\n"
	      "  -p, --pid PIDS          existing processes (all their threads)\n"
	      "  -t, --tid TIDS          existing threads\n"
	      "  -e, --event SPEC        events, as in pstat (default: cycles, else cpu-clock)\n"
	      "      --filter EXPR       ftrace filter for the -e tracepoints ('prev_pid == 1')\n"
	      "  -F, --freq HZ           samples per second (default 4000)\n"
	      "  -c, --count PERIOD      a sample every PERIOD events\n"
	      "  -g                      call chains (frame pointers), kernel and user\n"
	      "      --call-graph MODE   fp, or dwarf[,SIZE] (user stack copy, default 8192 bytes)\n"
	      "      --full-stacks       dwarf: keep whole stack copies (default: only the used bytes)\n"
	      "      --off-cpu[=wakers]  also where threads wait: each switch-out's stack weighted by\n"
	      "                          the time off CPU (event offcpu-time); wakers: and the stack\n"
	      "                          that woke them (sched:sched_waking); implies -g\n"
	      "      --off-cpu-thresh NS drop waits shorter than NS nanoseconds\n"
	      "      --wall              wall-clock profile of a command: every thread sampled at -F\n"
	      "                          whether it runs or waits (implies --off-cpu)\n"
	      "  -z, --compression-level[=N]  zstd-compress the data (level 1..22, default 1), as perf -z\n"
	      "  -o, --output FILE       default perf.data; an existing file becomes FILE.old;\n"
	      "                          '-': perf's pipe format on stdout (the command's output goes to stderr)\n"
	      "  -m, --mmap-pages N      ring buffer data pages per CPU (default 128; a size like 512K\n"
	      "                          works too; rounded up to a power of two)\n"
	      "  -d, --data              data addresses too (ADDR, DATA_SRC; data maps recorded)\n"
	      "  -T, --timestamp         sample times (always recorded; accepted for perf's scripts)\n"
	      "  -k, --clockid CLOCK     sample times from CLOCK (monotonic or mono, monotonic_raw or raw,\n"
	      "                          realtime or real, boottime or boot, tai, or a number), as perf -k;\n"
	      "                          -k 1 (CLOCK_MONOTONIC) for JIT code merged by pinject --jit\n"
	      "  -i, --no-inherit        children of the targets are not followed\n"
	      "      --per-thread        one ring buffer per thread instead of per CPU\n"
	      "      --user-regs[=REGS]  user registers in each sample (ax,bx,...; '?' lists them)\n"
	      "  -I, --intr-regs[=REGS]  registers at the interrupt in each sample\n"
	      "      --no-buildid        no build-id section\n"
	      "      --buildid-all       build-ids of every mapped DSO, not only those with samples\n"
	      "  -N, --no-buildid-cache  the DSOs hit are not added to the build-id cache at the end\n"
	      "      --embed-symbols[=lines]  the symbols (=lines: and source lines) of every sampled\n"
	      "                          address into the file itself, used where the DSOs are missing\n"
	      "      --buildid-dir DIR   the build-id cache (default $PERF_BUILDID_DIR, else ~/.debug)\n"
	      "      --namespaces        PERF_RECORD_NAMESPACES: each task's namespaces (containers)\n"
	      "      --all-cgroups       each sample's cgroup, and the cgroups' paths (preport --sort cgroup)\n"
	      "      --max-size SIZE     stop once the output reaches SIZE (B, K, M, G)\n"
	      "      --switch-output[=signal|SIZE|TIME]  a new file on SIGUSR2 (default), at SIZE\n"
	      "                          (100M) or every TIME (30s, 5m, 1h, 1d); each finished one\n"
	      "                          is renamed OUTPUT.YYYYMMDDhhmmssCC\n"
	      "      --switch-max-files N  keep only the newest N of them\n"
	      "      --aio[=N]           accepted and ignored (writes are synchronous)\n"
	      "  -q, --quiet             no summary\n"
	      "  -v, --verbose           more messages (repeatable)\n"
	      "  -h, --help              this text\n"
	      "Ctrl-C, SIGTERM and SIGHUP stop the recording and finish the file.\n", f);
}

#define ZSTD_MAX_LEVEL 22
#define MAX_PAGES (1u << 20)

/* -m: pages, or a size with B/K/M/G (perf's spelling); not a power of two: rounded up to one,
 * with a note, as perf does. */
static int parse_pages(const char *s, uint64_t *pages)
{
	uint64_t v, page = (uint64_t)sysconf(_SC_PAGESIZE), shift = 0, p = 1;
	char num[32], *end;
	size_t len = strlen(s);

	if (!len || len >= sizeof(num))
		return -1;
	memcpy(num, s, len + 1);
	end = strchr("BbKkMmGg", num[len - 1]) ? num + len - 1 : NULL;
	if (end) {
		shift = strchr("Kk", *end) ? 10 : strchr("Mm", *end) ? 20 : strchr("Gg", *end) ? 30 : 0;
		*end = 0;
	}
	if (cmd__parse_u64(num, &v) || v == 0 || v > (1ULL << 40) >> shift)
		return -1;
	if (end)
		v = ((v << shift) + page - 1) / page;
	while (p < v)
		p <<= 1;
	if (p > MAX_PAGES)
		return -1;
	if (p != v || end)
		pr_warn("-m %s: using %llu pages (%llu KiB per CPU; a power of two, as the kernel wants)",
			s, (unsigned long long)p, (unsigned long long)(p * page / 1024));
	*pages = p;
	return 0;
}

/* What a failed write left in @path, read back from the file itself: nothing, a header
 * without records, or records a reader can use. The text lives until the next call. */
static const char *what_is_left(const char *path)
{
	static char buf[160];
	unsigned char hdr[56];
	uint64_t data_size;
	struct stat st = { 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool whole = fd >= 0 && !fstat(fd, &st) && st.st_size >= (off_t)sizeof(hdr) &&
		     pread(fd, hdr, sizeof(hdr), 0) == (ssize_t)sizeof(hdr) && !memcmp(hdr, "PERFILE2", 8);

	if (fd >= 0)
		close(fd);
	if (fd < 0 || !whole) {
		snprintf(buf, sizeof(buf), "nothing readable was written (the file is %s)",
			 fd >= 0 && !st.st_size ? "empty" : "not a perf.data file");
		return buf;
	}
	memcpy(&data_size, hdr + 48, sizeof(data_size));	/* perf_file_header.data.size */
	if (!data_size)
		snprintf(buf, sizeof(buf), "the file has its header but no records");
	else if (data_size < 1024 * 1024)
		snprintf(buf, sizeof(buf), "the %llu bytes of records written so far are readable",
			 (unsigned long long)data_size);
	else
		snprintf(buf, sizeof(buf), "the %.3f MB of records written so far are readable",
			 data_size / (1024.0 * 1024.0));
	return buf;
}

static void explain(const struct record_opts *o, const struct record_result *r, int err,
		    const struct error *er)
{
	const char *what = er->what[0] ? er->what : "?";
	int e = -err;

	switch ((enum record_stage)er->kind) {
	case RECORD_EVENTS:
		/* the spec as given, '' included */
		pr_err("invalid event '%s' (at byte %d): %s",
		       er->what[0] || !o->events ? what : o->events,
		       er->pos >= 0 ? er->pos : 0, er->msg[0] ? er->msg : strerror(e));
		break;
	case RECORD_FILTER:
		if (e == EBADMSG)
			pr_err("the kernel refused the filter '%s': check the field names in the event's format file", what);
		else
			pr_err("--filter '%s' needs a tracepoint event (-e sys:name)", what);
		break;
	case RECORD_TRACEFS:
		if (e == EACCES) {
			pr_err("tracepoint '%s': %s", what, er->msg);
			break;
		}
		pr_err("tracepoint '%s' needs tracefs, which is not mounted: mount -t tracefs nodev /sys/kernel/tracing", what);
		break;
	case RECORD_TARGET:
		if (e == ENODEV && er->msg[0]) {
			pr_err("-C %s: %s", what, er->msg);
			break;
		}
		pr_err("no such target '%s' (%s): check -p/-t/-C", what, strerror(e));
		break;
	case RECORD_FREQ:
		pr_err("-F %llu is above kernel.perf_event_max_sample_rate (%llu): use -F %llu or less,"
		       " or sysctl kernel.perf_event_max_sample_rate=%llu", (unsigned long long)o->freq,
		       (unsigned long long)r->max_rate, (unsigned long long)r->max_rate, (unsigned long long)o->freq);
		break;
	case RECORD_OPEN:
		cmd__open_error("sample", what, o->system_wide || o->cpu_list, err);
		break;
	case RECORD_UNSUPPORTED:
		pr_err("event '%s' is not supported on this machine (%s): plist shows what is", what, strerror(e));
		break;
	case RECORD_MMAP:
		cmd__mmap_error(what, err);
		break;
	case RECORD_OUTPUT:
		if (e == ELOOP)
			pr_err("'%s' is a symbolic link, not followed for safety: remove it or choose another -o",
			       what);
		else if (e == EISDIR || e == ENOTEMPTY || e == EEXIST)
			pr_err("cannot keep the old '%s' as '%s.old': %s.old is a directory; remove or rename"
			       " it, or choose another -o", o->output, o->output, o->output);
		else if (strcmp(what, o->output))
			pr_err("cannot rename '%s' to '%s': %s: choose another -o", o->output, what,
			       strerror(e));
		else
			pr_err("cannot create '%s': %s: choose another -o", what, strerror(e));
		break;
	case RECORD_WRITE:
		pr_err("%s writing '%s': %s; %s", e == ENOSPC || e == EDQUOT ? "disk full" : "failed",
		       what, what_is_left(what), e == ENOSPC || e == EDQUOT ?
		       "free space or use -o on another filesystem" : strerror(e));
		break;
	case RECORD_WORKLOAD:
		pr_err("cannot run '%s': %s%s", what, strerror(e),
		       e == ENOENT ? " (not found: check the name and PATH)" :
		       e == EACCES ? " (not executable: chmod +x, or a noexec mount?)" : "");
		break;
	case RECORD_OK:
		pr_err("%s", strerror(e));
		break;
	}
}

struct precord_args {
	struct record_opts o;
	struct cmd_common common;
	char events[4096];		/* -e given more than once: the lists joined, as perf takes them */
};

/* -e LIST: a second -e adds to the first (perf record -e a -e b). 0, or -1 when too long. */
static int add_events(struct precord_args *a, const char *list)
{
	struct record_opts *o = &a->o;
	char joined[sizeof(a->events)];
	int n;

	if (!o->events) {
		o->events = list;
		return 0;
	}
	n = snprintf(joined, sizeof(joined), "%s,%s", o->events, list);
	if (n < 0 || (size_t)n >= sizeof(joined))
		return -1;
	memcpy(a->events, joined, (size_t)n + 1);
	o->events = a->events;
	return 0;
}

/* --off-cpu and --wall: call chains, and for --wall a fixed period on the CPU clock. */
static int offcpu_args(struct record_opts *o)
{
	if (!o->offcpu.enabled && o->offcpu.thresh_ns)
		return cmd__usage_error("--off-cpu-thresh goes with --off-cpu: add --off-cpu");
	if (!o->offcpu.enabled)
		return CMD_RUN;
	if (o->call_graph == RECORD_CG_NONE)
		o->call_graph = RECORD_CG_FP;
	if (!o->offcpu.wall)
		return CMD_RUN;
	if (o->system_wide || o->cpu_list)
		return cmd__usage_error("--wall profiles one program: give a command, -p or -t (not -a/-C)");
	if (o->period)
		return cmd__usage_error("--wall samples at a fixed rate: use -F HZ, not -c");
	if (!o->events)
		o->events = "cpu-clock";
	o->period = 1000000000ULL / o->freq ? 1000000000ULL / o->freq : 1;
	o->offcpu.wall_period_ns = o->period;
	return CMD_RUN;
}

/* N[BKMG] into bytes */
static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	uint64_t mul = 1;

	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno || end == s || s[0] == '-')
		return -1;
	switch (*end) {
	case 'B': case 'b': case 0: break;
	case 'K': case 'k': mul = 1ULL << 10; break;
	case 'M': case 'm': mul = 1ULL << 20; break;
	case 'G': case 'g': mul = 1ULL << 30; break;
	default: return -1;
	}
	if (*end && end[1])
		return -1;
	*out *= mul;
	return *out ? 0 : -1;
}

/* --switch-output's value: signal (or none), SIZE[BKMG] or TIME[smhd] */
static int parse_switch(const char *s, struct record_opts *o)
{
	char *end;
	uint64_t v;

	if (!s || !strcmp(s, "signal")) {
		o->switch_signal = true;
		return 0;
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || s[0] == '-' || !v || (*end && end[1]))
		return -1;
	switch (*end) {
	case 's': o->switch_time_ms = v * 1000; return 0;
	case 'm': o->switch_time_ms = v * 60000; return 0;
	case 'h': o->switch_time_ms = v * 3600000; return 0;
	case 'd': o->switch_time_ms = v * 86400000; return 0;
	default: return parse_size(s, &o->switch_size);
	}
}

/* --user-regs/--intr-regs [=LIST]: no list, every register; '?' lists them (and ends, 0). */
static int parse_regs(const char *opt, const char *arg, uint64_t *mask)
{
	char bad[64], names[256];

	if (!arg) {
		*mask = regs__default_mask();
		return CMD_RUN;
	}
	regs__list(names, sizeof(names));
	if (!strcmp(arg, "?")) {
		printf("available registers: %s\n", names);
		return 0;
	}
	if (regs__parse(arg, mask, bad, sizeof(bad)))
		return cmd__usage_error("%s: unknown register '%s'; available: %s", opt, bad, names);
	return CMD_RUN;
}

/* -k's clock: a name perf takes or a clockid number. */
static int parse_clockid(const char *arg, struct record_opts *o)
{
	static const struct { const char *name; int id; } clocks[] = {
		{ "monotonic", CLOCK_MONOTONIC }, { "mono", CLOCK_MONOTONIC },
		{ "monotonic_raw", CLOCK_MONOTONIC_RAW }, { "raw", CLOCK_MONOTONIC_RAW },
		{ "realtime", CLOCK_REALTIME }, { "real", CLOCK_REALTIME },
		{ "boottime", CLOCK_BOOTTIME }, { "boot", CLOCK_BOOTTIME },
		{ "tai", CLOCK_TAI },
	};
	const char *a = strncasecmp(arg, "CLOCK_", 6) ? arg : arg + 6;
	uint64_t v;

	for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		if (!strcasecmp(a, clocks[i].name)) {
			o->clockid = clocks[i].id;
			o->use_clockid = true;
			return CMD_RUN;
		}
	}
	if (cmd__parse_u64(arg, &v) || v > 64)
		return cmd__usage_error("-k/--clockid: unknown clock '%s' (monotonic, monotonic_raw,"
					" realtime, boottime, tai or a number)", arg);
	o->clockid = (int)v;
	o->use_clockid = true;
	return CMD_RUN;
}

/* The options about what goes into the file and how it is cut: CMD_RUN when taken, the exit
 * code on a bad value, NOT_MINE for another option. */
#define NOT_MINE (-2)
static int file_option(int c, struct record_opts *o)
{
	uint64_t v;

	switch (c) {
	case 'd': o->sample_addr = true; break;
	case 'T': break;			/* TIME is always in the samples */
	case 'k':
		return parse_clockid(optarg, o);
	case 'i': o->no_inherit = true; break;
	case 0x110: o->per_thread = true; break;
	case 0x111:
		return parse_regs("--user-regs", optarg, &o->user_regs);
	case 'I':
		return parse_regs("--intr-regs", optarg, &o->intr_regs);
	case 0x112: o->no_buildid = true; break;
	case 0x113: o->buildid_all = true; break;
	case 'N':
	case 0x114: o->no_buildid_cache = true; break;
	case 0x130: o->namespaces = true; break;
	case 0x131: o->all_cgroups = true; break;
	case 0x115:
		if (parse_size(optarg, &o->max_size))
			return cmd__usage_error("--max-size wants a size like 100M (B, K, M, G); got '%s'", optarg);
		break;
	case 0x116:
		if (parse_switch(optarg, o))
			return cmd__usage_error("--switch-output wants signal, a size (100M) or a time (30s, 5m,"
						" 1h, 1d); got '%s'", optarg);
		break;
	case 0x117:
		if (cmd__parse_u64(optarg, &v) || v > 1000000)
			return cmd__usage_error("--switch-max-files wants a number of files; got '%s'", optarg);
		o->switch_max_files = (unsigned int)v;
		break;
	case 0x118:
		pr_warn("--aio: precord writes synchronously; the option is accepted and ignored");
		break;
	case 0x119:
		setenv("PERF_BUILDID_DIR", optarg, 1);
		break;
	case 0x11a:
		if (optarg && strcmp(optarg, "lines") && strcmp(optarg, "symbols"))
			return cmd__usage_error("--embed-symbols takes no value or =lines; got '%s'", optarg);
		o->embed_symbols = optarg && !strcmp(optarg, "lines") ? 2 : 1;
		break;
	default:
		return NOT_MINE;
	}
	return CMD_RUN;
}

/* What the options say together, after getopt: the command, the target, --switch-output
 * with a file and --switch-max-files with --switch-output. */
static int check_args(int argc, char **argv, struct record_opts *o)
{
	bool sw = o->switch_signal || o->switch_size || o->switch_time_ms;

	if (!strcmp(o->output, "-") && sw)
		return cmd__usage_error("--switch-output renames files: it does not go with -o -");
	if (o->switch_max_files && !sw)
		return cmd__usage_error("--switch-max-files needs --switch-output");
	if (optind < argc)
		o->argv = argv + optind;
	if (!o->argv && !o->pids && !o->tids && !o->cpu_list)
		o->system_wide = true;		/* no target: the whole system, as perf record does */
	if (!!o->pids + !!o->tids + (o->system_wide || o->cpu_list) > 1)
		return cmd__usage_error("-a/-C, -p and -t choose different targets: use one of them");
	return offcpu_args(o);
}

/* -z[LEVEL]: 1 without a level; above zstd's highest, the highest (as perf). -EINVAL: no level. */
static int parse_zstd_level(const char *arg, struct record_opts *o)
{
	uint64_t v;

	o->zstd_level = 1;
	if (!arg)
		return 0;
	if (cmd__parse_u64(arg, &v) || v < 1)
		return -EINVAL;
	if (v > ZSTD_MAX_LEVEL) {
		pr_warn("-z %s: zstd levels go up to %d: using %d", arg, ZSTD_MAX_LEVEL, ZSTD_MAX_LEVEL);
		v = ZSTD_MAX_LEVEL;
	}
	o->zstd_level = (int)v;
	return 0;
}

/* Options into a->o. CMD_RUN, or the exit status when precord ends here (-h: 0, bad options: 1). */
static int parse_args(int argc, char **argv, struct precord_args *a)
{
	static const struct option longopts[] = {
		{ "all-cpus", no_argument, NULL, 'a' },
		{ "cpu", required_argument, NULL, 'C' },
		{ "pid", required_argument, NULL, 'p' },
		{ "tid", required_argument, NULL, 't' },
		{ "event", required_argument, NULL, 'e' },
		{ "filter", required_argument, NULL, 0x100 },
		{ "freq", required_argument, NULL, 'F' },
		{ "count", required_argument, NULL, 'c' },
		{ "call-graph", required_argument, NULL, 'G' },
		{ "output", required_argument, NULL, 'o' },
		{ "mmap-pages", required_argument, NULL, 'm' },
		CMD_LOPT_QUIET,
		CMD_LOPT_VERBOSE,
		{ "help", no_argument, NULL, 'h' },
		{ "compression-level", optional_argument, NULL, 'z' },
		{ "full-stacks", no_argument, NULL, 0x101 },
		{ "off-cpu", optional_argument, NULL, 0x102 },
		{ "off-cpu-thresh", required_argument, NULL, 0x103 },
		{ "wall", no_argument, NULL, 0x104 },
		{ "data", no_argument, NULL, 'd' },
		{ "timestamp", no_argument, NULL, 'T' },
		{ "clockid", required_argument, NULL, 'k' },
		{ "no-inherit", no_argument, NULL, 'i' },
		{ "per-thread", no_argument, NULL, 0x110 },
		{ "user-regs", optional_argument, NULL, 0x111 },
		{ "intr-regs", optional_argument, NULL, 'I' },
		{ "no-buildid", no_argument, NULL, 0x112 },
		{ "buildid-all", no_argument, NULL, 0x113 },
		{ "no-buildid-cache", no_argument, NULL, 'N' },
		{ "namespaces", no_argument, NULL, 0x130 },
		{ "all-cgroups", no_argument, NULL, 0x131 },
		{ "max-size", required_argument, NULL, 0x115 },
		{ "switch-output", optional_argument, NULL, 0x116 },
		{ "switch-max-files", required_argument, NULL, 0x117 },
		{ "aio", optional_argument, NULL, 0x118 },
		{ "buildid-dir", required_argument, NULL, 0x119 },
		{ "embed-symbols", optional_argument, NULL, 0x11a },
		{ 0 },
	};
	struct record_opts *o = &a->o;
	uint64_t v;
	int c, ret;

	while ((c = cmd__getopt(argc, argv, "+aC:p:t:e:F:c:go:m:qvhz::dTk:iI::N", longopts)) != -1) {
		switch (c) {
		case 'a': o->system_wide = true; break;
		case 'C': o->cpu_list = optarg; break;
		case 'p': o->pids = optarg; break;
		case 't': o->tids = optarg; break;
		case 'e':
			if (add_events(a, optarg))
				return cmd__usage_error("-e: the events given are too long together (4095 bytes at most)");
			break;
		case 0x100: o->filter = optarg; break;	/* --filter */
		case 'g': o->call_graph = RECORD_CG_FP; break;
		case 'o': o->output = optarg; break;
		case 'h': usage(stdout); return 0;
		case 0x101: o->full_stacks = true; break;
		case 0x102:
			o->offcpu.enabled = true;
			if (optarg && strcmp(optarg, "wakers"))
				return cmd__usage_error("--off-cpu takes no value or =wakers; got '%s'", optarg);
			o->offcpu.wakers |= optarg != NULL;
			break;
		case 0x103:
			if (cmd__parse_u64(optarg, &o->offcpu.thresh_ns))
				return cmd__usage_error("--off-cpu-thresh wants nanoseconds, like "
							"--off-cpu-thresh 100000; got '%s'", optarg);
			break;
		case 0x104: o->offcpu.enabled = o->offcpu.wall = true; break;
		case 'z':
			if (parse_zstd_level(optarg, o))
				return cmd__usage_error("-z wants a zstd level from 1 to 22, like -z or "
							"--compression-level=3; got '%s'", optarg);
			break;
		case 'F':
			if (cmd__parse_u64(optarg, &o->freq) || o->freq == 0)
				return cmd__usage_error("-F wants a frequency in Hz, like -F 999; got '%s'", optarg);
			o->user_freq = true;
			break;
		case 'c':
			if (cmd__parse_u64(optarg, &o->period) || o->period == 0)
				return cmd__usage_error("-c wants a period (events per sample), like -c 100000; "
							"got '%s'", optarg);
			break;
		case 'G':
			if (cmd__parse_call_graph(optarg, o))
				return cmd__usage_error("--call-graph wants fp or dwarf[,SIZE] with SIZE up to "
							"65528; got '%s'", optarg);
			break;
		case 'm':
			if (parse_pages(optarg, &v))
				return cmd__usage_error("-m wants a number of pages or a size, like -m 128 or "
							"-m 512K; got '%s'", optarg);
			o->mmap_pages = v;
			break;
		default:
			ret = file_option(c, o);
			if (ret != NOT_MINE) {
				if (ret != CMD_RUN)
					return ret;
				break;
			}
			if (cmd__option(&a->common, c, optarg))
				return cmd__usage_error(NULL);
			break;
		}
	}
	return check_args(argc, argv, o);
}

/* One warning for THROTTLE records: what they cost the profile and the -F that avoids them.
 * The kernel stops an event for the rest of a tick once it sampled more than
 * kernel.perf_event_max_sample_rate / HZ times in it, and lowers that rate when sample
 * interrupts take too long (slow on VMs): read after the run, half of it is a -F that fits. */
static void throttle_warning(const struct record_opts *o, const struct record_result *r)
{
	uint64_t rate = 0;
	char fix[96];

	sysfs__read_u64("/proc/sys/kernel/perf_event_max_sample_rate", &rate);
	/* half the rate leaves room for the timer's jitter around a tick */
	if (rate >= 2 && o->period == 0 && o->freq > rate / 2)
		snprintf(fix, sizeof(fix), "-F %llu or lower avoids it", (unsigned long long)rate / 2);
	else
		snprintf(fix, sizeof(fix), "a lower -F (or -c) makes it rarer");
	pr_warn("the kernel throttled sampling %llu times (kernel.perf_event_max_sample_rate is %llu "
		"now): the throttled ticks have no samples, so counts come out low while shares stay "
		"comparable; %s", (unsigned long long)r->throttled, (unsigned long long)rate, fix);
}

/* perf record's closing lines, and warnings about what the file lacks. */
static void summary(const struct record_opts *o, const struct record_result *r)
{
	if (r->kernel_lost || r->lost_records)
		pr_warn("lost %llu samples in %llu LOST records (the kernel's count; the ring buffers"
			" overflowed): use a larger -m or a lower -F",
			(unsigned long long)(r->kernel_lost ? r->kernel_lost : r->lost_samples),
			(unsigned long long)r->lost_records);
	if (r->throttled)
		throttle_warning(o, r);
	if (o->offcpu.enabled) {
		const struct offcpu_stats *s = &r->offcpu;

		fprintf(stderr, "[ precord: off-CPU: %llu switches, %llu waits in %llu offcpu-time samples",
			(unsigned long long)s->switches, (unsigned long long)s->waits,
			(unsigned long long)s->samples);
		if (s->short_waits)
			fprintf(stderr, ", %llu waits under the threshold dropped",
				(unsigned long long)s->short_waits);
		if (s->unmatched)
			fprintf(stderr, ", %llu switches unpaired", (unsigned long long)s->unmatched);
		if (s->wakers)
			fprintf(stderr, ", %llu wakers", (unsigned long long)s->wakers);
		fprintf(stderr, " ]\n");
	}
	if (r->max_size_reached)
		fprintf(stderr, "[ precord: size limit reached (%llu KB), stopping session ]\n",
			(unsigned long long)(o->max_size >> 10));
	fprintf(stderr, "[ precord: Woken up %llu times to write data ]\n", (unsigned long long)r->wakeups);
	fprintf(stderr, "[ precord: Captured and wrote %.3f MB %s%s (%llu samples) ]\n",
		r->file_size / (1024.0 * 1024.0), o->output, r->nr_switched ? ".<timestamp>" : "",
		(unsigned long long)r->samples);
}

int main(int argc, char **argv)
{
	struct precord_args a = {
		.common = CMD_COMMON_DEFAULTS,
		.o = {
			.freq = 4000,
			.stack_size = 8192,
			.output = "perf.data",
			.version = PRECORD_VERSION,
			.stop = &stop_requested,
			.switch_req = &switch_requested,
			.on_switch = on_switch,
			.cmdline_argc = argc,
			.cmdline_argv = argv,
		},
	};
	struct record_result r;
	struct error err;
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART: poll() returns */
	int ret;

	log_set_prog("precord");
	ret = parse_args(argc, argv, &a);
	if (ret != CMD_RUN)
		return ret;
	cmd__log_level(&a.common);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (a.o.switch_signal) {
		struct sigaction su = { .sa_handler = on_usr2 };

		sigaction(SIGUSR2, &su, NULL);
	}

	ret = record__run(&a.o, &r, &err);
	if (ret) {
		explain(&a.o, &r, ret, &err);
		/* a bad -e is a usage error, as in perf record; a program that cannot be run
		 * exits as in a shell (127/126) */
		return err.kind == RECORD_EVENTS ? cmd__usage_error(NULL) :
		       err.kind == RECORD_WORKLOAD ? cmd__exec_exit(ret) : 1;
	}
	if (!a.common.quiet)
		summary(&a.o, &r);
	/* as perf record: Ctrl-C is the normal way to end a recording; other signals show */
	if (stop_signal)
		return stop_signal == SIGINT ? 0 : 128 + stop_signal;
	if (r.workload_ran)
		return workload__exit_code(r.workload_status);	/* the command's status */
	return 0;
}
