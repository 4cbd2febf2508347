/* Owns the consumer side of the perf_event ring-buffer protocol: data_head is read with acquire
 * semantics (pairs with the kernel's write barrier before it publishes head), data_tail is
 * written with release semantics after the bytes are copied (so the kernel never reuses space
 * still being read). Records are 8-byte aligned, so a header never wraps; a record body that
 * wraps the end is copied out in two pieces into a contiguous destination. */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sampler/mmap.h"

int mmap__open(struct mmap_ring *r, int fd, int cpu, size_t data_pages)
{
	size_t page = sysconf(_SC_PAGESIZE);

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	if (data_pages == 0 || (data_pages & (data_pages - 1)))
		return -EINVAL;
	r->map_len = (1 + data_pages) * page;
	r->base = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (r->base == MAP_FAILED) {
		r->base = NULL;
		return -errno;
	}
	r->fd = fd;
	r->cpu = cpu;
	r->pc = r->base;
	/* data_offset/data_size are 0 on kernels older than 4.1: the data follows the first page */
	r->data = (const char *)r->base + (r->pc->data_offset ? r->pc->data_offset : page);
	r->size = r->pc->data_size ? r->pc->data_size : data_pages * page;
	r->mask = r->size - 1;
	return 0;
}

void mmap__close(struct mmap_ring *r)
{
	if (r->base)
		munmap(r->base, r->map_len);
	r->base = NULL;
	r->pc = NULL;
	r->fd = -1;
}

int mmap__set_output(struct mmap_ring *r, int fd)
{
	return ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT, r->fd) < 0 ? -errno : 0;
}

uint64_t mmap__avail(const struct mmap_ring *r)
{
	return __atomic_load_n(&r->pc->data_head, __ATOMIC_ACQUIRE) - r->pc->data_tail;
}

size_t mmap__read(struct mmap_ring *r, void *dst, size_t cap)
{
	uint64_t head = __atomic_load_n(&r->pc->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = r->pc->data_tail;	/* only this consumer writes it */
	uint64_t len = head - tail, off, first;

	if (len == 0)
		return 0;
	if (len > r->size) {
		/* cannot happen with a writable mapping; if it does, the oldest data is gone */
		r->overruns++;
		__atomic_store_n(&r->pc->data_tail, head, __ATOMIC_RELEASE);
		return 0;
	}
	if (len > cap) {
		/* stop at the last whole record that fits */
		uint64_t n = 0;

		while (n < len) {
			const struct perf_event_header *h = (const void *)(r->data + ((tail + n) & r->mask));

			if (h->size == 0 || n + h->size > cap)
				break;
			n += h->size;
		}
		len = n;
		if (len == 0)
			return 0;
	}
	off = tail & r->mask;
	first = r->size - off < len ? r->size - off : len;
	memcpy(dst, r->data + off, first);
	if (first < len)
		memcpy((char *)dst + first, r->data, len - first);
	__atomic_store_n(&r->pc->data_tail, tail + len, __ATOMIC_RELEASE);
	return len;
}
