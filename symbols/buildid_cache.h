/* perf's build-id cache, in perf's layout:
 *   DIR/.build-id/xx/REST  -> ../../PATH/BUILDID     (a relative symlink)
 *   DIR/PATH/BUILDID/elf                           (a copy of the file, or a hard link)
 * DIR is $PERF_BUILDID_DIR, else $HOME/.debug (the commands' --buildid-dir sets the variable).
 * The readers find a DSO's copy through build_id__cache_path() (symbols/elf_file.h). */
#ifndef SYMBOLS_BUILDID_CACHE_H
#define SYMBOLS_BUILDID_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct error;

/* The cache directory (a static buffer, read again at each call). */
const char *bcache__dir(void);
/* Put @path in the cache under @id (its own build-id when @id_size is 0). 1 when added, 0 when
 * it was there already, -errno with @err set. *hex (41 bytes) gets the build-id. */
int bcache__add(const char *path, const uint8_t *id, size_t id_size, char hex[41], struct error *err);
/* The same, the bytes read from @src (another mount namespace's file, "/proc/self/fd/N"),
 * the entry named by @path unresolved; @src NULL: bcache__add. */
int bcache__add_from(const char *path, const char *src, const uint8_t *id, size_t id_size,
		     char hex[41], struct error *err);
/* Take @path's current build-id out of the cache. 0, -ENOENT when it was not there. */
int bcache__remove(const char *path, char hex[41], struct error *err);
/* Take every build-id cached for @path out. The number removed, or -errno. */
int bcache__purge(const char *path, struct error *err);
/* Every entry: @fn(ctx, hex, path); a non-zero return stops the walk and is returned. */
typedef int (*bcache_fn)(void *ctx, const char *hex, const char *path);
int bcache__for_each(bcache_fn fn, void *ctx);
/* Is @id cached? */
bool bcache__has(const uint8_t *id, size_t id_size);

#endif
