/* Owns the pid -> main stack start table behind cutting stack copies (sampler/stacktop.h):
 * open addressing, one /proc read per process. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sampler/stacktop.h"

struct slot {
	uint32_t pid;			/* 0: empty */
	uint64_t start;			/* 0: unknown */
};

struct stacktop {
	struct slot *v;
	size_t nr, cap;
};

struct stacktop *stacktop__new(void)
{
	struct stacktop *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->cap = 256;
	t->v = calloc(t->cap, sizeof(*t->v));
	if (!t->v) {
		free(t);
		return NULL;
	}
	return t;
}

void stacktop__free(struct stacktop *t)
{
	if (!t)
		return;
	free(t->v);
	free(t);
}

/* Field 28 of /proc/PID/stat; 0 if the process is gone. */
static uint64_t read_startstack(uint32_t pid)
{
	char path[64], buf[1024];
	unsigned long long v = 0;
	const char *p;
	ssize_t n;
	int fd, field;

	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');		/* the comm may hold spaces and parentheses */
	if (!p)
		return 0;
	for (field = 2; *p && field < 28; p++)
		if (*p == ' ')
			field++;
	if (field == 28 && sscanf(p, "%llu", &v) != 1)
		v = 0;
	return v;
}

static struct slot *find(struct stacktop *t, uint32_t pid)
{
	size_t h = (pid * 2654435761u) & (t->cap - 1);

	while (t->v[h].pid && t->v[h].pid != pid)
		h = (h + 1) & (t->cap - 1);
	return &t->v[h];
}

static int grow(struct stacktop *t)
{
	struct slot *old = t->v;
	size_t cap = t->cap;

	t->v = calloc(cap * 2, sizeof(*t->v));
	if (!t->v) {
		t->v = old;
		return -ENOMEM;
	}
	t->cap = cap * 2;
	for (size_t i = 0; i < cap; i++)
		if (old[i].pid)
			*find(t, old[i].pid) = old[i];
	free(old);
	return 0;
}

uint64_t stacktop__get(void *arg, uint32_t pid, uint32_t tid, bool exec)
{
	struct stacktop *t = arg;
	struct slot *s;

	if (!pid || pid == (uint32_t)-1)
		return 0;
	if ((t->nr + 1) * 2 > t->cap && grow(t))
		return 0;
	s = find(t, pid);
	if (exec) {
		if (s->pid)
			s->start = read_startstack(pid);
		return 0;
	}
	if (!s->pid) {
		s->pid = pid;
		s->start = read_startstack(pid);
		t->nr++;
	}
	if (pid != tid || !s->start)
		return 0;
	return s->start;
}
