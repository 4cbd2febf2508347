/* Reading perf.data (PERFILE2, file mode) as written by perf record 6.1 and precord:
 * header, attrs and their ids, feature sections, and the record stream (COMPRESSED
 * records decoded, payloads outside header.size skipped), optionally in perf's time order.
 *
 * Trust: every length and offset read from the file is checked against the file size
 * before use. What can be read is read (docs/robustness.md):
 *   - a header, attrs or ids that make no sense yield -EBADMSG and a message
 *     "FILE: corrupt at offset N: what" in the caller's struct error (nothing to read);
 *   - a damaged feature section is left out with one warning naming it, the rest is used;
 *   - a data section cut short (killed recorder, full disk, truncated copy) or a record
 *     stream that cannot go on is read up to the cut, with one warning saying how many
 *     bytes were left unread; a record whose own fields are bad is skipped and counted;
 *   - a file whose recorder never finished it gets one warning naming what it lacks.
 * Warnings go through util/log.h; nothing aborts.
 *
 * Lifetime: records handed out point into the reader's mapping of the file (or its
 * decompression buffers) and stay valid until pd_reader__close(), except that
 * pd_reader__for_each_ordered() gives back what it has delivered as it goes (see there).
 */
#ifndef PERFDATA_READER_H
#define PERFDATA_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "perfdata/format.h"
#include "util/error.h"

/* One attr of the file: the event, its name and the kernel ids that belong to it. */
struct pd_evsel {
	struct perf_event_attr attr;	/* min(attr.size, sizeof) bytes copied, rest zero */
	unsigned int idx;
	char *name;			/* EVENT_DESC name, or derived from the attr */
	uint64_t *ids;
	size_t nr_ids;
	unsigned int trailer_size;	/* bytes of the sample_id trailer on non-sample records */
};

/* An entry of the BUILD_ID feature. */
struct pd_reader_build_id {
	int32_t pid;
	uint16_t misc;
	uint8_t size;			/* bytes of id used (20 for GNU build-ids) */
	uint8_t id[20];
	char *filename;
};

/* A record handed out by the reader. */
struct pd_record {
	const struct perf_event_header *hdr;	/* 8-aligned, hdr->size bytes valid */
	uint64_t offset;			/* file offset (of the COMPRESSED record for decoded ones) */
	uint64_t time;				/* SAMPLE time or trailer time, 0 if none */
	struct pd_evsel *evsel;			/* owner by id; first attr for id 0 / no id */
	bool decoded;				/* came out of a COMPRESSED record (at offset) */
};

struct pd_reader;

/* Open and validate header, attrs, ids and features. NULL + err on failure. */
struct pd_reader *pd_reader__open(const char *path, struct error *err);
void pd_reader__close(struct pd_reader *r);
/* perf's rule for files from others, which may be crafted: a file owned by neither the
 * caller (euid) nor root is refused unless the user forces it (-f). Commands call it for
 * their inputs. 0 when fine or when @path cannot be stat'ed (the open says why), else
 * -EPERM with perf's one-line message in err. */
int pd_reader__check_owner(const char *path, struct error *err);

const char *pd_reader__path(const struct pd_reader *r);
const struct pd_file_header *pd_reader__header(const struct pd_reader *r);
size_t pd_reader__nr_evsels(const struct pd_reader *r);
struct pd_evsel *pd_reader__evsel(struct pd_reader *r, size_t idx);
/* The evsel owning kernel id @id; NULL if the id is not listed. id 0 means the first. */
struct pd_evsel *pd_reader__evsel_by_id(struct pd_reader *r, uint64_t id);
bool pd_reader__has_feature(const struct pd_reader *r, int feat);
/* Raw payload of a feature section (bounds already checked); NULL if absent. */
const void *pd_reader__feature(const struct pd_reader *r, int feat, uint64_t *size);
/* File offset of a feature section (for error messages); 0 if absent. */
uint64_t pd_reader__feature_offset(const struct pd_reader *r, int feat);

/* Parsed features (NULL / 0 when absent). */
const char *pd_reader__hostname(const struct pd_reader *r);
const char *pd_reader__osrelease(const struct pd_reader *r);
const char *pd_reader__perf_version(const struct pd_reader *r);
const char *pd_reader__arch(const struct pd_reader *r);
/* CMDLINE feature joined by spaces. */
const char *pd_reader__cmdline(const struct pd_reader *r);
size_t pd_reader__nr_build_ids(const struct pd_reader *r);
const struct pd_reader_build_id *pd_reader__build_id(const struct pd_reader *r, size_t i);
/* Build-id recorded for the DSO at @filename (kernel: "[kernel.kallsyms]"); NULL if none. */
const struct pd_reader_build_id *pd_reader__find_build_id(const struct pd_reader *r, const char *filename);

/* Iterate records in file order. Returns 1 with *rec filled, 0 at the end, -errno on error.
 * pd_reader__rewind() starts again from the first record. */
int pd_reader__next(struct pd_reader *r, struct pd_record *rec, struct error *err);
void pd_reader__rewind(struct pd_reader *r);
/* The caller holds no record at a file offset below @before (decoded records count at
 * their COMPRESSED record's offset): their decoding buffers are freed and the mapped pages
 * before it leave the resident set (read from the file again if touched). */
void pd_reader__release(struct pd_reader *r, uint64_t before);
/* A walk whose records are used after their callback returned (another thread aggregates
 * them): while a hook is set, pd_reader__for_each_ordered() hands each point it could
 * release to @fn instead, called on the walking thread; the hook calls pd_reader__release()
 * (on that thread too) once no record before the point is in use. NULL @fn: release as
 * the walk goes. */
typedef void (*pd_release_fn)(void *ctx, uint64_t before);
void pd_reader__set_release_hook(struct pd_reader *r, pd_release_fn fn, void *ctx);
/* What a walk calls where it could release: the hook when one is set, else the release. */
void pd_reader__walk_release(struct pd_reader *r, uint64_t before);

/* Deliver every record in perf's order: records with time 0 as read, timestamped ones
 * queued and flushed up to the previous round's maximum at each FINISHED_ROUND, the rest
 * at the end (ties keep file order). The callback's non-zero return stops the walk and is
 * returned. Files without PERF_SAMPLE_TIME are delivered in file order.
 * A delivered record is valid during its callback only: the walk releases (above) what no
 * queued record needs any more, so memory stays about two rounds of records. */
typedef int (*pd_record_fn)(void *ctx, const struct pd_record *rec);
int pd_reader__for_each_ordered(struct pd_reader *r, pd_record_fn fn, void *ctx,
				struct error *err);

/* After a walk: bytes of the data section left unread at a cut, records skipped. */
uint64_t pd_reader__unread(const struct pd_reader *r);
uint64_t pd_reader__nr_skipped(const struct pd_reader *r);
/* perf's lower-case name of a feature ("build_id"); NULL if unknown. */
const char *pd_reader__feature_name(int feat);

/* Record type name as perf spells it in dumps ("SAMPLE", "MMAP2", ...); NULL if unknown. */
const char *pd_record__type_name(uint32_t type);

#endif
