/* One perf_event ring buffer (normally one per CPU; other events of that CPU are sent into it with
 * PERF_EVENT_IOC_SET_OUTPUT) and the consumer side of its protocol. */
#ifndef SAMPLER_MMAP_H
#define SAMPLER_MMAP_H

#include <linux/perf_event.h>
#include <stddef.h>
#include <stdint.h>

struct mmap_ring {
	int fd;
	int cpu;
	void *base;			/* control page followed by the data area */
	size_t map_len;
	struct perf_event_mmap_page *pc;
	const char *data;
	uint64_t size, mask;		/* data area: a power of two */
	uint64_t overruns;		/* times the producer got more than a whole buffer ahead */
};

/* Map 1 + data_pages pages of fd (data_pages a power of two). 0 or -errno; on -EPERM the
 * locked-memory limit (perf_event_mlock_kb / RLIMIT_MEMLOCK) was too small. */
int mmap__open(struct mmap_ring *r, int fd, int cpu, size_t data_pages);
void mmap__close(struct mmap_ring *r);
/* Send fd's records into r (same CPU). 0 or -errno. */
int mmap__set_output(struct mmap_ring *r, int fd);
/* Bytes ready to read. */
uint64_t mmap__avail(const struct mmap_ring *r);
/* Copy the whole records available, up to cap bytes, into dst (contiguous even where they wrap
 * around the end of the ring), then release them to the kernel. Returns the bytes copied.
 * cap >= r->size always takes everything. */
size_t mmap__read(struct mmap_ring *r, void *dst, size_t cap);

#endif
