/* The floor of make bench's big rows (issue 22): one trivial pass over a perf.data file that
 * reads every record of its data section and touches every byte of it, nothing else (no
 * ordering, no decompression, no symbols). Reads the file in 1 MB blocks, as a streaming tool
 * would, walks the perf_event_header of each record (a record may straddle two blocks) and
 * adds up its 8-byte words. Prints "records N samples S sum X" so that a test can check that
 * the walk saw every record. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perfdata/format.h"	/* the file's layout only: the pass uses none of the reader */

#define BLOCK (1u << 20)

int main(int argc, char **argv)
{
	static unsigned char buf[BLOCK + 65536];
	struct pd_file_header h;
	uint64_t left, records = 0, samples = 0, sum = 0;
	size_t have = 0;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: record_pass FILE\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    h.magic != PERF_MAGIC2 || lseek(fd, (off_t)h.data.offset, SEEK_SET) < 0) {
		fprintf(stderr, "record_pass: %s: not a perf.data file\n", argv[1]);
		return 1;
	}
	left = h.data.size;
	for (;;) {
		size_t pos = 0, want = left < BLOCK ? (size_t)left : BLOCK;
		ssize_t n = want ? read(fd, buf + have, want) : 0;

		if (n < 0)
			return 1;
		left -= (uint64_t)n;
		have += (size_t)n;
		while (have - pos >= sizeof(struct perf_event_header)) {
			struct perf_event_header eh;

			memcpy(&eh, buf + pos, sizeof(eh));
			if (eh.size < sizeof(eh)) {
				fprintf(stderr, "record_pass: a record of size %u\n", eh.size);
				return 1;
			}
			if (have - pos < eh.size)
				break;
			for (size_t i = 0; i + 8 <= eh.size; i += 8) {
				uint64_t w;

				memcpy(&w, buf + pos + i, 8);
				sum += w;
			}
			records++;
			samples += eh.type == PERF_RECORD_SAMPLE;
			pos += eh.size;
		}
		memmove(buf, buf + pos, have - pos);
		have -= pos;
		if (!n)
			break;
	}
	printf("records %llu samples %llu sum %llx\n", (unsigned long long)records,
	       (unsigned long long)samples, (unsigned long long)sum);
	return have ? 1 : 0;
}
