/* libarchive, loaded when an archive is first packed or unpacked, not at every command's
 * start: linking it pulls libxml2, ICU and libstdc++ into each process (about 6 ms of
 * start-up per command on this machine). The functions symbols/archive.c calls, by their
 * own names and types, in one table:
 *	if (archive_lib__load(err)) return err->code;
 *	struct archive *a = AR(archive_read_new)();
 */
#ifndef SYMBOLS_ARCHIVE_LIB_H
#define SYMBOLS_ARCHIVE_LIB_H

#include <archive.h>
#include <archive_entry.h>

struct error;

#define ARCHIVE_LIB_FUNCS(X)                                                                  \
	X(archive_entry_free) X(archive_entry_hardlink) X(archive_entry_new)                 \
	X(archive_entry_pathname) X(archive_entry_set_filetype) X(archive_entry_set_hardlink) \
	X(archive_entry_set_mtime) X(archive_entry_set_pathname) X(archive_entry_set_perm)   \
	X(archive_entry_set_size) X(archive_entry_set_symlink) X(archive_error_string)       \
	X(archive_read_data_block) X(archive_read_free) X(archive_read_new)                   \
	X(archive_read_next_header) X(archive_read_open_filename)                             \
	X(archive_read_support_filter_all) X(archive_read_support_format_tar)                 \
	X(archive_write_add_filter_bzip2) X(archive_write_add_filter_zstd)                    \
	X(archive_write_close) X(archive_write_data) X(archive_write_data_block)             \
	X(archive_write_disk_new) X(archive_write_disk_set_options)                           \
	X(archive_write_finish_entry) X(archive_write_free) X(archive_write_header)          \
	X(archive_write_new) X(archive_write_open_filename)                                   \
	X(archive_write_set_format_pax_restricted)

struct archive_lib {
#define ARCHIVE_LIB_MEMBER(f) __typeof__(&f) f;
	ARCHIVE_LIB_FUNCS(ARCHIVE_LIB_MEMBER)
#undef ARCHIVE_LIB_MEMBER
};

extern struct archive_lib archive_lib;

/* A call through the table (valid after archive_lib__load() returned 0). */
#define AR(f) (archive_lib.f)

/* Load libarchive once (later calls return the first result). 0, or -ENOENT with @err
 * naming the library and the package that has it. */
int archive_lib__load(struct error *err);

#endif
