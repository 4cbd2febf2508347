/* libFuzzer harness for the perf.data reader and the session replay on top of it: header,
 * attrs, ids, features, every record, sample decoding, threads and maps. Symbol resolution is
 * left out: it reads the real files the records name, not the input, and costs milliseconds. */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "report/session/session.h"
#include "util/log.h"

static int on_sample(void *ctx, struct session *s, const struct pd_sample *sample,
		     struct pd_evsel *evsel, struct thread *thread)
{
	volatile uint64_t sink = sample->ip + sample->callchain_nr;

	(void)sink;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct session_tool tool = { .sample = on_sample };
	struct session_opts opts = { .demangle = true };
	struct error err;
	struct session *s;
	char path[64];
	int fd = memfd_create("fuzz.data", MFD_CLOEXEC);

	log_set_level(-1);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		s = session__open(path, &opts, &err);
		if (s) {
			session__process(s, &tool, &err);
			session__close(s);
		}
	}
	close(fd);
	return 0;
}
