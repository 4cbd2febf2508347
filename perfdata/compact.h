/* Compact recordings: user stack copies cut to the bytes the kernel actually copied
 * (PERF_SAMPLE_STACK_USER dyn_size), in place in a buffer of whole records, and zstd
 * compression of record batches into PERF_RECORD_COMPRESSED records as perf record -z
 * writes them (one zstd stream for the file, flushed at every record), with the
 * COMPRESSED feature perf 6.1 needs to read them back. */
#ifndef PERFDATA_COMPACT_H
#define PERFDATA_COMPACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pd_evsel;
struct pd_writer;

/* Where the main stack of @pid starts (the address of argc, /proc/PID/stat startstack) when
 * @tid is its main thread, else 0: the bytes above argc and argv[0] (argv, environment,
 * auxv) are never read by an unwinder. @exec tells that @pid has just exec()ed. */
typedef uint64_t (*pd_stack_top_fn)(void *ctx, uint32_t pid, uint32_t tid, bool exec);

/* Cut the stack copy of every SAMPLE in buf[0..len) (whole records, all of @evsel's layout)
 * to round_up(dyn_size, 8) bytes, and above argv[0] where @top knows it (may be NULL); a
 * stale start (the copy holds no argc, argv[0] there) is ignored. Returns
 * the new length; *saved (if non-NULL) grows by the bytes dropped. Records that do not
 * parse are left as they are. */
size_t pd_compact__stacks(const struct pd_evsel *evsel, void *buf, size_t len,
			  pd_stack_top_fn top, void *ctx, uint64_t *saved);

struct pd_compressor;

/* level: zstd level (perf's default for -z is 1). NULL with errno on failure. */
struct pd_compressor *pd_compressor__new(int level);
void pd_compressor__free(struct pd_compressor *c);
/* Compress whole records into COMPRESSED records appended to @w. 0 or -errno. */
int pd_compressor__write(struct pd_compressor *c, struct pd_writer *w, const void *buf, size_t len);
/* Hand @w the COMPRESSED feature (mmap_len: bytes of one ring mapping, the most one
 * COMPRESSED record may inflate to). */
int pd_compressor__add_feature(struct pd_compressor *c, struct pd_writer *w, uint32_t mmap_len);
/* The same feature written from the start and after every flush (ratio 0 until the end), so
 * that a recording killed on the way stays one perf can decompress. */
int pd_compressor__live_feature(struct pd_compressor *c, struct pd_writer *w, uint32_t mmap_len);
/* Bytes in and out so far. */
void pd_compressor__totals(const struct pd_compressor *c, uint64_t *in, uint64_t *out);

#endif
