/* The perf.data (PERFILE2) writer: file header, attrs with their ids, the data section, and the
 * header feature sections at the end.
 *
 * Crash resilience: the header, ids and attrs are written when the file is opened, with data.size 0
 * and no feature bits. Every pd_writer__flush() writes the buffered records and then rewrites
 * data.size (header offset 48) to cover exactly the records written so far, so a killed writer
 * leaves a file whose data section ends on a record boundary and that perf reads. The feature
 * sections go after the data and the feature bits are set only by the final header rewrite in
 * pd_writer__finish(), except a live feature (pd_writer__live_feature: -z's COMPRESSED), which
 * every flush writes after the data with its index entry in the same write. */
#ifndef PERFDATA_WRITER_H
#define PERFDATA_WRITER_H

#include <linux/perf_event.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "perfdata/format.h"

struct pd_writer;

/* One attr of the file: the attr as opened, the kernel ids of its fds, and its name. */
struct pd_event_desc {
	const struct perf_event_attr *attr;
	const uint64_t *ids;
	size_t nr_ids;
	const char *name;
};

/* Create path (mode 0600, truncated; a symlink there is not followed: ELOOP). NULL with errno on failure. */
struct pd_writer *pd_writer__new(const char *path);
/* perf's pipe format on @fd (not closed by pd_writer__free): the 16-byte header, attrs and
 * event names as records at start, features as records when added (see perfdata/pipe_writer.h),
 * records written in order with write(2). */
struct pd_writer *pd_writer__new_pipe(int fd);
bool pd_writer__is_pipe(const struct pd_writer *w);
/* Write header, ids and attrs; data starts after them. Call once, before any record. */
int pd_writer__start(struct pd_writer *w, const struct pd_event_desc *evs, size_t nr);
/* Append len bytes of records to the buffer (flushing first when it is full). */
int pd_writer__write(struct pd_writer *w, const void *buf, size_t len);
/* Room for len bytes at the end of the buffer, to copy records into directly; NULL with errno
 * on a write error. pd_writer__commit() then accounts for the bytes actually put there. */
void *pd_writer__reserve(struct pd_writer *w, size_t len);
void pd_writer__commit(struct pd_writer *w, size_t len);
/* Write the buffer out and update data.size in the header. 0 or -errno (sticky). */
int pd_writer__flush(struct pd_writer *w);
/* Keep a feature section's payload for pd_writer__finish (copied). */
int pd_writer__add_feature(struct pd_writer *w, enum pd_feature feat, const void *payload, size_t size);
/* A feature a reader cannot do without while the file is still being written (COMPRESSED:
 * perf decompresses only with it): kept as add_feature does, and also written with its index
 * entry after the data at every flush, its bit set in the header by the same rewrite that
 * extends data.size. A killed writer then leaves a file perf reads in full. */
int pd_writer__live_feature(struct pd_writer *w, enum pd_feature feat, const void *payload,
			    size_t size);
/* Flush, write the feature index and payloads after the data, rewrite the header.
 * On failure the file keeps the last good data.size and no features, so it stays readable. */
int pd_writer__finish(struct pd_writer *w);
/* Close (without finishing) and free; accepts NULL and half-built writers. */
void pd_writer__free(struct pd_writer *w);

uint64_t pd_writer__data_offset(const struct pd_writer *w);
/* Bytes of records on disk plus those still buffered. */
uint64_t pd_writer__data_size(const struct pd_writer *w);
/* Bytes of the file that readers will use: header to the end of the last good flush. */
uint64_t pd_writer__readable_size(const struct pd_writer *w);
/* File size once finished (0 before). */
uint64_t pd_writer__file_size(const struct pd_writer *w);
/* The first error seen by a write (negative errno), 0 if none. */
int pd_writer__error(const struct pd_writer *w);

#endif
