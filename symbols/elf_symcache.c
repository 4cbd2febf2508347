/* Owns the ELF symbol-table cache's key and file names (see elf_symcache.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <sys/stat.h>

#include "symbols/dso.h"
#include "symbols/elf_file.h"
#include "symbols/elf_symcache.h"
#include "symbols/symtab_file.h"
#include "util/hash.h"

struct es_key {
	uint64_t version;
	uint64_t rt[5], symtab[5];	/* device, inode, size, mtime ns, ctime ns; 0s: none */
	uint64_t raw_aliases;
};

/* A file's identity into @id; false when it has no file descriptor (an image in memory). */
static bool identity(const struct elf_file *f, uint64_t id[5])
{
	struct stat st;

	if (f->fd < 0 || fstat(f->fd, &st))
		return false;
	id[0] = (uint64_t)st.st_dev;
	id[1] = (uint64_t)st.st_ino;
	id[2] = (uint64_t)st.st_size;
	id[3] = (uint64_t)st.st_mtim.tv_sec * 1000000000u + (uint64_t)st.st_mtim.tv_nsec;
	id[4] = (uint64_t)st.st_ctim.tv_sec * 1000000000u + (uint64_t)st.st_ctim.tv_nsec;
	return true;
}

/* The key and file name of @dso's table read from @rt and @symtab; -ENOENT when it is not
 * cached (a file in memory, no cache folder). */
static int key_path(const struct dso *dso, const struct elf_file *rt,
		    const struct elf_file *symtab, struct es_key *k, char *path, size_t size)
{
	char dir[4096];

	*k = (struct es_key){ .version = ELF_SYMCACHE_VERSION, .raw_aliases = dso->raw_aliases };
	if ((rt->elf && !identity(rt, k->rt)) || (symtab && !identity(symtab, k->symtab)) ||
	    (!rt->elf && !symtab) || symtab_file__dir(dir, sizeof(dir)))
		return -ENOENT;
	if (snprintf(path, size, "%s/elfsyms2-%016" PRIx64, dir,
		     hash_u64(hash_bytes(k, sizeof(*k)))) >= (int)size)
		return -ENOENT;
	return 0;
}

int elf_symcache__load(struct dso *dso, const struct elf_file *rt, const struct elf_file *symtab)
{
	char path[4200];
	struct es_key k;
	uint64_t aux;

	if (key_path(dso, rt, symtab, &k, path, sizeof(path)))
		return -ENOENT;
	return symtab_file__load(dso, path, &k, sizeof(k), &aux);
}

void elf_symcache__save(const struct dso *dso, const struct elf_file *rt,
			const struct elf_file *symtab)
{
	char path[4200];
	struct es_key k;

	if (!key_path(dso, rt, symtab, &k, path, sizeof(path)))
		symtab_file__save(dso, path, &k, sizeof(k), 0);
}
