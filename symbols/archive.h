/* Archives of a recording's files in perf's build-id cache layout (a tar, zstd or bzip2
 * compressed), written by parchive and unpacked by the readers' --archive:
 *	.build-id/xx/REST	-> ../../PATH/HEX	(a relative symlink, as perf's cache has)
 *	PATH/HEX/elf		the binary (PATH: the recorded path without its leading '/')
 *	PATH/HEX/debug		its separate debug file, when one was found
 *	[kernel.kallsyms]/HEX/kallsyms, modules	the kernel's symbols and module list
 *	[vdso]/HEX/vdso		the vdso image
 * Unpacked into ~/.debug it is perf's cache (`tar xf FILE -C ~/.debug`, what perf archive
 * says for its .tar.bz2); unpacked anywhere it is a symbol directory (symbols/symfs.h). */
#ifndef SYMBOLS_ARCHIVE_H
#define SYMBOLS_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>

struct error;

enum symarchive_format {
	SYMARCHIVE_TAR_ZSTD,
	SYMARCHIVE_TAR_BZ2,
};

struct symarchive_stats {
	unsigned int dsos;		/* build-ids packed */
	unsigned int debug_files;	/* separate debug files among them */
	unsigned int missing;		/* build-ids with no file on this machine */
	unsigned long long bytes;	/* of the files packed, before compression */
};

/* Pack the files of every build-id of @data's BUILD_ID section (the DSOs its samples hit)
 * into @out. 0 or -errno with @err set; a build-id with no file is counted in st->missing
 * and named at warning level. */
int symarchive__pack(const char *data, const char *out, enum symarchive_format fmt,
		     struct symarchive_stats *st, struct error *err);
/* Unpack @file (any compression libarchive reads) into the existing directory @dir; names
 * that leave @dir (absolute, "..") are refused. 0 or -errno with @err set. */
int symarchive__extract(const char *file, const char *dir, struct error *err);

#endif
