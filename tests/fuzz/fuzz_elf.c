/* libFuzzer harness for the ELF/DWARF symbol loader: symbol tables, program headers,
 * build-ids, debuglink, PLT names, and libdw source lines and inline chains. */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "symbols/dso.h"
#include "symbols/srcline.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	int fd = memfd_create("fuzz.elf", MFD_CLOEXEC);
	struct dsos *dsos;
	struct dso *dso;

	log_set_level(-1);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size)
		goto out;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	dsos = dsos__new();
	if (!dsos)
		goto out;
	dso = dsos__findnew(dsos, path, DSO_USER);
	if (dso && dso__load(dso) == 0) {
		/* probe a few addresses the input itself suggests */
		for (size_t i = 0; i + 8 <= size && i < 64; i += 8) {
			uint64_t addr = 0, off;
			const char *file, *dir;
			int line;
			struct srcline_frame frames[8];

			for (int b = 0; b < 8; b++)
				addr |= (uint64_t)data[i + b] << (8 * b);
			addr &= 0xfffff;
			dso__find_sym(dso, addr, &off);
			srcline__find(dso, addr, &file, &dir, &line);
			srcline__inlines(dso, addr, frames, 8);
		}
	}
	dsos__free(dsos);
out:
	close(fd);
	return 0;
}
