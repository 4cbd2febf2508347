/* The debuginfod client of the readers: debug files, executables and sources fetched by
 * build-id from the servers in $DEBUGINFOD_URLS (libdebuginfod, which caches them under
 * $DEBUGINFOD_CACHE_PATH or ~/.cache/debuginfod_client), a progress line when stderr is a
 * terminal, a timeout ($DEBUGINFOD_TIMEOUT, else DEBUGINFOD_DEFAULT_TIMEOUT seconds; no
 * retry unless $DEBUGINFOD_RETRY_LIMIT asks), and one
 * warning, after which no server is asked again, when the servers cannot be reached.
 *
 *	char path[ELF_FILE_PATH];
 *	if (debuginfod__debuginfo(id, size, "/usr/bin/x", path, sizeof(path)) == 0)
 *		... open path ...
 */
#ifndef SYMBOLS_DEBUGINFOD_H
#define SYMBOLS_DEBUGINFOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Seconds without progress (to connect, or between bytes) before a server is given up,
 * when $DEBUGINFOD_TIMEOUT does not say (libdebuginfod's own default is 90). */
#define DEBUGINFOD_DEFAULT_TIMEOUT 5

/* --no-debuginfod: off for the whole process, libdw's own queries included. */
void debuginfod__disable(void);
/* Is a server to be asked: enabled, $DEBUGINFOD_URLS set and not failed so far? */
bool debuginfod__active(void);
/* The separate debug file (@what: "debuginfo"), the executable ("executable") of
 * build-id @id, or the source file @src ("source") it was built from, into @out as a path in
 * libdebuginfod's cache. @name names the file in the progress line. 0, -ENOENT (no server has
 * it, or none is asked), -ENAMETOOLONG, or the server's -errno (then warned once and no
 * server is asked again). */
int debuginfod__find(const char *what, const uint8_t *id, size_t size, const char *src,
		     const char *name, char *out, size_t len);

#endif
