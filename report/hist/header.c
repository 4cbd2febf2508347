/* Owns --header/--header-only: the file header and the recorded features (host, OS, CPU,
 * memory, command line, events with their attrs, PMU mappings, sample times, BPF programs) in perf
 * report's "# key : value" layout. Every length is checked against the section size. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "perfdata/bpf_prog.h"
#include "report/hist/preport.h"

static const char *const feat_names[PD_FEAT_LAST] = {
	[1] = "TRACING_DATA", [2] = "BUILD_ID", [3] = "HOSTNAME", [4] = "OSRELEASE",
	[5] = "VERSION", [6] = "ARCH", [7] = "NRCPUS", [8] = "CPUDESC", [9] = "CPUID",
	[10] = "TOTAL_MEM", [11] = "CMDLINE", [12] = "EVENT_DESC", [13] = "CPU_TOPOLOGY",
	[14] = "NUMA_TOPOLOGY", [15] = "BRANCH_STACK", [16] = "PMU_MAPPINGS", [17] = "GROUP_DESC",
	[18] = "AUXTRACE", [19] = "STAT", [20] = "CACHE", [21] = "SAMPLE_TIME",
	[22] = "MEM_TOPOLOGY", [23] = "CLOCKID", [24] = "DIR_FORMAT", [25] = "BPF_PROG_INFO",
	[26] = "BPF_BTF", [27] = "COMPRESSED", [28] = "CPU_PMU_CAPS", [29] = "CLOCK_DATA",
	[30] = "HYBRID_TOPOLOGY", [31] = "PMU_CAPS",
};

/* A perf_header_string at *off within [p, p+size): NULL if it does not fit. */
static const char *hdr_string(const uint8_t *p, uint64_t size, uint64_t *off)
{
	uint32_t len;
	const char *s;

	if (*off + 4 > size)
		return NULL;
	memcpy(&len, p + *off, 4);
	if (len == 0 || *off + 4 + len > size)
		return NULL;
	s = (const char *)p + *off + 4;
	if (!memchr(s, '\0', len))
		return NULL;
	*off += 4 + len;
	return s;
}

static void print_string_feat(struct pd_reader *r, FILE *f, int feat, const char *label)
{
	uint64_t size, off = 0;
	const uint8_t *p = pd_reader__feature(r, feat, &size);
	const char *s = p ? hdr_string(p, size, &off) : NULL;

	if (s)
		fprintf(f, "# %s : %s\n", label, s);
}

static void print_sample_type(FILE *f, uint64_t t)
{
	static const char *const bits[] = {
		"IP", "TID", "TIME", "ADDR", "READ", "CALLCHAIN", "ID", "CPU", "PERIOD",
		"STREAM_ID", "RAW", "BRANCH_STACK", "REGS_USER", "STACK_USER", "WEIGHT",
		"DATA_SRC", "IDENTIFIER", "TRANSACTION", "REGS_INTR", "PHYS_ADDR", "AUX",
		"CGROUP", "DATA_PAGE_SIZE", "CODE_PAGE_SIZE", "WEIGHT_STRUCT",
	};
	bool first = true;

	for (unsigned int i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		if (t & (1ULL << i)) {
			fprintf(f, "%s%s", first ? "" : "|", bits[i]);
			first = false;
		}
	}
}

static void print_event(FILE *f, const struct pd_evsel *e)
{
	const struct perf_event_attr *a = &e->attr;
	static const char *const flags[] = {
		"disabled", "inherit", "pinned", "exclusive", "exclude_user", "exclude_kernel",
		"exclude_hv", "exclude_idle", "mmap", "comm", "freq", "inherit_stat",
		"enable_on_exec", "task", "watermark", NULL, NULL, "mmap_data", "sample_id_all",
		"exclude_host", "exclude_guest", "exclude_callchain_kernel",
		"exclude_callchain_user", "mmap2", "comm_exec", "use_clockid", "context_switch",
		"write_backward", "namespaces", "ksymbol", "bpf_event", "aux_output", "cgroup",
		"text_poke", "build_id", "inherit_thread", "remove_on_exec", "sigtrap",
	};
	uint64_t fl;

	fprintf(f, "# event : name = %s, , id = {", e->name);
	for (size_t i = 0; i < e->nr_ids; i++)
		fprintf(f, "%s %" PRIu64, i ? "," : "", e->ids[i]);
	fprintf(f, " }, type = %u, size = %u", a->type, a->size);
	if (a->config)
		fprintf(f, ", config = %#" PRIx64, (uint64_t)a->config);
	fprintf(f, ", { sample_period, sample_freq } = %" PRIu64, (uint64_t)a->sample_period);
	fputs(", sample_type = ", f);
	print_sample_type(f, a->sample_type);
	if (a->read_format) {
		static const char *const rf[] = { "TOTAL_TIME_ENABLED", "TOTAL_TIME_RUNNING", "ID",
						  "GROUP", "LOST" };
		bool first = true;

		fputs(", read_format = ", f);
		for (unsigned int i = 0; i < 5; i++)
			if (a->read_format & (1ULL << i)) {
				fprintf(f, "%s%s", first ? "" : "|", rf[i]);
				first = false;
			}
	}
	memcpy(&fl, (const uint8_t *)a + 40, 8);
	for (unsigned int i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if (i == 15) {
			if ((fl >> 15) & 3)
				fprintf(f, ", precise_ip = %u", (unsigned int)((fl >> 15) & 3));
			continue;
		}
		if (flags[i] && (fl & (1ULL << i)))
			fprintf(f, ", %s = 1", flags[i]);
	}
	/* the fields after the flags, where set, in perf's order */
	if (a->wakeup_events)
		fprintf(f, ", { wakeup_events, wakeup_watermark } = %u", a->wakeup_events);
	if (a->sample_regs_user)
		fprintf(f, ", sample_regs_user = %#" PRIx64, (uint64_t)a->sample_regs_user);
	if (a->sample_stack_user)
		fprintf(f, ", sample_stack_user = %u", a->sample_stack_user);
	if (a->clockid)
		fprintf(f, ", clockid = %d", a->clockid);
	if (a->sample_regs_intr)
		fprintf(f, ", sample_regs_intr = %#" PRIx64, (uint64_t)a->sample_regs_intr);
	fputc('\n', f);
}

/* perf's name of a clock id (its -k spelling) */
static const char *clock_name(uint32_t id)
{
	switch (id) {
	case CLOCK_REALTIME: return "realtime";
	case CLOCK_MONOTONIC: return "monotonic";
	case CLOCK_MONOTONIC_RAW: return "monotonic_raw";
	case CLOCK_BOOTTIME: return "boottime";
	case CLOCK_TAI: return "tai";
	default: return "(unknown)";
	}
}

/* CLOCKID: the clock's resolution in ns, shown as a frequency in MHz (as perf does: ns * 1000) */
static void print_clockid(struct pd_reader *r, FILE *f)
{
	uint64_t size, res;
	const uint8_t *p = pd_reader__feature(r, PD_FEAT_CLOCKID, &size);

	if (!p || size < 8)
		return;
	memcpy(&res, p, 8);
	fprintf(f, "# clockid frequency: %" PRIu64 " MHz\n", res * 1000);
}

/* CLOCK_DATA: { u32 version, u32 clockid, u64 wall-clock ns, u64 clockid ns } taken at one
 * moment: the wall-clock time of the recording's timestamps */
static void print_clock_data(struct pd_reader *r, FILE *f)
{
	uint64_t size, tod, cid;
	uint32_t id;
	const uint8_t *p = pd_reader__feature(r, PD_FEAT_CLOCK_DATA, &size);
	char date[64] = "<error>";
	struct tm tm;
	time_t sec;

	if (!p || size < 24)
		return;
	memcpy(&id, p + 4, 4);
	memcpy(&tod, p + 8, 8);
	memcpy(&cid, p + 16, 8);
	sec = (time_t)(tod / 1000000000);
	if (localtime_r(&sec, &tm)) {
		size_t n = strftime(date, sizeof(date), "%F %T", &tm);

		snprintf(date + n, sizeof(date) - n, ".%06u", (unsigned int)(tod % 1000000000 / 1000));
	}
	fprintf(f, "# clockid: %s (%u)\n", clock_name(id), id);
	fprintf(f, "# reference time: %s = %" PRIu64 ".%06u (TOD) = %" PRIu64 ".%09u (%s)\n", date,
		tod / 1000000000, (unsigned int)(tod % 1000000000 / 1000), cid / 1000000000,
		(unsigned int)(cid % 1000000000), clock_name(id));
}

/* As perf: each BPF program's JITed sub-programs (names as in its KSYMBOL records), then the
 * ids of the BTF objects. A malformed section prints nothing. */
static void print_bpf(struct pd_reader *r, FILE *f)
{
	struct pd_bpf_prog *progs = NULL;
	struct pd_bpf_btf *btfs = NULL;
	size_t nr = 0, nr_btfs = 0;
	char name[512];
	uint64_t size;
	const uint8_t *p;

	p = pd_reader__feature(r, PD_FEAT_BPF_BTF, &size);
	if (p && pd_bpf__parse_btfs(p, size, &btfs, &nr_btfs))
		nr_btfs = 0;
	p = pd_reader__feature(r, PD_FEAT_BPF_PROG_INFO, &size);
	if (p && pd_bpf__parse_progs(p, size, &progs, &nr))
		nr = 0;
	for (size_t i = 0; i < nr; i++) {
		const struct pd_bpf_btf *btf = pd_bpf__find_btf(btfs, nr_btfs, progs[i].info.btf_id);
		uint32_t n = pd_bpf__nr_subs(&progs[i]);

		for (uint32_t sub = 0; sub < n; sub++) {
			uint64_t addr;
			uint32_t len;

			pd_bpf__sub(&progs[i], sub, &addr, &len);
			pd_bpf__sub_name(&progs[i], sub, btf, name, sizeof(name));
			if (n == 1)
				fprintf(f, "# bpf_prog_info %u: %s addr 0x%" PRIx64 " size %u\n",
					progs[i].info.id, name, addr, len);
			else if (!sub)
				fprintf(f, "# bpf_prog_info %u:\n", progs[i].info.id);
			if (n > 1)
				fprintf(f, "# \tsub_prog %u: %s addr 0x%" PRIx64 " size %u\n", sub, name,
					addr, len);
		}
	}
	for (size_t i = 0; i < nr_btfs; i++)
		fprintf(f, "# btf info of id %u\n", btfs[i].id);
	free(progs);
	free(btfs);
}

int report__print_header(struct pd_reader *r, FILE *f, struct error *err)
{
	const struct pd_file_header *h = pd_reader__header(r);
	uint64_t size, off;
	const uint8_t *p;
	struct stat st;
	char tbuf[64] = "?";
	bool any_missing = false;

	(void)err;
	if (!stat(pd_reader__path(r), &st)) {
		struct tm tm;

		if (localtime_r(&st.st_mtime, &tm))
			strftime(tbuf, sizeof(tbuf), "%a %b %e %H:%M:%S %Y", &tm);
	}
	fprintf(f, "# ========\n# captured on    : %s\n# header version : 1\n", tbuf);
	fprintf(f, "# data offset    : %" PRIu64 "\n# data size      : %" PRIu64 "\n", h->data.offset, h->data.size);
	fprintf(f, "# feat offset    : %" PRIu64 "\n", h->data.offset + h->data.size);
	print_string_feat(r, f, PD_FEAT_HOSTNAME, "hostname");
	print_string_feat(r, f, PD_FEAT_OSRELEASE, "os release");
	print_string_feat(r, f, PD_FEAT_VERSION, "perf version");
	print_string_feat(r, f, PD_FEAT_ARCH, "arch");
	p = pd_reader__feature(r, PD_FEAT_NRCPUS, &size);
	if (p && size >= 8) {
		uint32_t avail, online;

		memcpy(&avail, p, 4);
		memcpy(&online, p + 4, 4);
		fprintf(f, "# nrcpus online : %u\n# nrcpus avail : %u\n", online, avail);
	}
	print_string_feat(r, f, PD_FEAT_CPUDESC, "cpudesc");
	print_string_feat(r, f, PD_FEAT_CPUID, "cpuid");
	p = pd_reader__feature(r, PD_FEAT_TOTAL_MEM, &size);
	if (p && size >= 8) {
		uint64_t kb;

		memcpy(&kb, p, 8);
		fprintf(f, "# total memory : %" PRIu64 " kB\n", kb);
	}
	p = pd_reader__feature(r, PD_FEAT_CMDLINE, &size);
	if (p && size >= 4) {
		uint32_t nr;

		memcpy(&nr, p, 4);
		off = 4;
		fputs("# cmdline : ", f);
		for (uint32_t i = 0; i < nr; i++) {
			const char *s = hdr_string(p, size, &off);

			if (!s)
				break;
			fprintf(f, "%s ", s);
		}
		fputc('\n', f);
	}
	for (size_t i = 0; i < pd_reader__nr_evsels(r); i++)
		print_event(f, pd_reader__evsel(r, i));
	if (pd_reader__has_feature(r, PD_FEAT_CPU_TOPOLOGY))
		fputs("# CPU_TOPOLOGY info available, use -I to display\n", f);
	if (pd_reader__has_feature(r, PD_FEAT_NUMA_TOPOLOGY))
		fputs("# NUMA_TOPOLOGY info available, use -I to display\n", f);
	p = pd_reader__feature(r, PD_FEAT_PMU_MAPPINGS, &size);
	if (p && size >= 4) {
		uint32_t nr;

		memcpy(&nr, p, 4);
		off = 4;
		fputs("# pmu mappings:", f);
		for (uint32_t i = 0; i < nr; i++) {
			uint32_t type;
			const char *s;

			if (off + 4 > size)
				break;
			memcpy(&type, p + off, 4);
			off += 4;
			s = hdr_string(p, size, &off);
			if (!s)
				break;
			fprintf(f, "%s %s = %u", i ? "," : "", s, type);
		}
		fputc('\n', f);
	}
	if (pd_reader__has_feature(r, PD_FEAT_CACHE))
		fputs("# CACHE info available, use -I to display\n", f);
	p = pd_reader__feature(r, PD_FEAT_SAMPLE_TIME, &size);
	if (p && size >= 16) {
		uint64_t t0, t1;

		memcpy(&t0, p, 8);
		memcpy(&t1, p + 8, 8);
		fprintf(f, "# time of first sample : %" PRIu64 ".%06" PRIu64 "\n", t0 / 1000000000, t0 % 1000000000 / 1000);
		fprintf(f, "# time of last sample : %" PRIu64 ".%06" PRIu64 "\n", t1 / 1000000000, t1 % 1000000000 / 1000);
		fprintf(f, "# sample duration : %10.3f ms\n", (double)(t1 - t0) / 1e6);
	}
	if (pd_reader__has_feature(r, PD_FEAT_MEM_TOPOLOGY))
		fputs("# MEM_TOPOLOGY info available, use -I to display\n", f);
	print_clockid(r, f);
	print_bpf(r, f);
	p = pd_reader__feature(r, PD_FEAT_COMPRESSED, &size);
	if (p && size >= 16) {
		uint32_t c[4];	/* version, type, level, ratio */

		memcpy(c, p, sizeof(c));
		fprintf(f, "# compressed : %s, level = %u, ratio = %u\n", c[1] == 1 ? "Zstd" : "Unknown", c[2], c[3]);
	}
	print_clock_data(r, f);
	for (int i = 1; i < PD_FEAT_LAST; i++) {
		if (pd_reader__has_feature(r, i) || !feat_names[i])
			continue;
		fprintf(f, "%s%s ", any_missing ? "" : "# missing features: ", feat_names[i]);
		any_missing = true;
	}
	if (any_missing)
		fputc('\n', f);
	fputs("# ========\n#\n", f);
	return 0;
}
