/* The on-disk layout of perf's PERFILE2 file shared by the writer and the reader:
 * header, file attr, feature bits and the record types perf adds to the kernel's.
 * Facts from ../shared/PERFDATA.md and <linux/perf_event.h>. */
#ifndef PERFDATA_FORMAT_H
#define PERFDATA_FORMAT_H

#include <linux/perf_event.h>
#include <stdint.h>

#define PERF_MAGIC2		0x32454c4946524550ULL	/* "PERFILE2" little-endian */
#define PERF_MAGIC2_SWAPPED	0x50455246494c4532ULL
#define PERF_FILE_HEADER_SIZE	104
#define PERF_ATTR_SIZE_WRITE	128			/* PERF_ATTR_SIZE_VER7: what perf 6.1 reads */
#define PERF_NAME_ALIGN		64

struct pd_section {
	uint64_t offset;
	uint64_t size;
};

struct pd_file_header {
	uint64_t magic;
	uint64_t size;
	uint64_t attr_size;
	struct pd_section attrs;
	struct pd_section data;
	struct pd_section event_types;
	uint64_t features[4];
};

/* perf_file_attr: attr of attr.size bytes, then the ids section. */
struct pd_file_attr_ids {
	struct pd_section ids;
};

enum pd_feature {
	PD_FEAT_TRACING_DATA	= 1,
	PD_FEAT_BUILD_ID	= 2,
	PD_FEAT_HOSTNAME	= 3,
	PD_FEAT_OSRELEASE	= 4,
	PD_FEAT_VERSION		= 5,
	PD_FEAT_ARCH		= 6,
	PD_FEAT_NRCPUS		= 7,
	PD_FEAT_CPUDESC		= 8,
	PD_FEAT_CPUID		= 9,
	PD_FEAT_TOTAL_MEM	= 10,
	PD_FEAT_CMDLINE		= 11,
	PD_FEAT_EVENT_DESC	= 12,
	PD_FEAT_CPU_TOPOLOGY	= 13,
	PD_FEAT_NUMA_TOPOLOGY	= 14,
	PD_FEAT_BRANCH_STACK	= 15,
	PD_FEAT_PMU_MAPPINGS	= 16,
	PD_FEAT_GROUP_DESC	= 17,
	PD_FEAT_AUXTRACE	= 18,
	PD_FEAT_STAT		= 19,
	PD_FEAT_CACHE		= 20,
	PD_FEAT_SAMPLE_TIME	= 21,
	PD_FEAT_MEM_TOPOLOGY	= 22,
	PD_FEAT_CLOCKID		= 23,
	PD_FEAT_DIR_FORMAT	= 24,
	PD_FEAT_BPF_PROG_INFO	= 25,
	PD_FEAT_BPF_BTF		= 26,
	PD_FEAT_COMPRESSED	= 27,
	PD_FEAT_CPU_PMU_CAPS	= 28,
	PD_FEAT_CLOCK_DATA	= 29,
	PD_FEAT_HYBRID_TOPOLOGY	= 30,
	PD_FEAT_PMU_CAPS	= 31,
	PD_FEAT_LAST		= 32,
	/* This project's own, far above perf's: the symbols (and lines) of the sampled
	 * addresses (precord --embed-symbols, perfdata/embed.h). perf 6.1 skips a bit it does
	 * not know (its index slot included). */
	PD_FEAT_EMBEDDED_SYMBOLS = 240,
	/* The pids of processes in other pid namespaces, inside them (precord --namespaces,
	 * perfdata/nspid.h). */
	PD_FEAT_NS_PIDS		= 241,
	PD_FEAT_BITS		= 256,
};

/* Record types perf itself adds after the kernel's (user records). */
enum pd_user_record {
	PD_RECORD_HEADER_ATTR		= 64,
	PD_RECORD_HEADER_EVENT_TYPE	= 65,
	PD_RECORD_HEADER_TRACING_DATA	= 66,
	PD_RECORD_HEADER_BUILD_ID	= 67,
	PD_RECORD_FINISHED_ROUND	= 68,
	PD_RECORD_ID_INDEX		= 69,
	PD_RECORD_AUXTRACE_INFO		= 70,
	PD_RECORD_AUXTRACE		= 71,
	PD_RECORD_AUXTRACE_ERROR	= 72,
	PD_RECORD_THREAD_MAP		= 73,
	PD_RECORD_CPU_MAP		= 74,
	PD_RECORD_STAT_CONFIG		= 75,
	PD_RECORD_STAT			= 76,
	PD_RECORD_STAT_ROUND		= 77,
	PD_RECORD_EVENT_UPDATE		= 78,
	PD_RECORD_TIME_CONV		= 79,
	PD_RECORD_HEADER_FEATURE	= 80,
	PD_RECORD_COMPRESSED		= 81,
	PD_RECORD_FINISHED_INIT		= 82,
};

/* misc bit in a BUILD_ID entry saying its size byte is valid */
#define PD_MISC_BUILD_ID_SIZE	(1 << 15)

#endif
