/* Owns the pid -> main stack start table behind cutting stack copies (sampler/stacktop.h):
 * util/htab.h over an array of entries, one /proc read per process. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sampler/stacktop.h"
#include "util/array.h"
#include "util/hash.h"
#include "util/htab.h"

struct stacktop_ent {
	uint32_t pid;
	uint64_t start;			/* 0: unknown */
};

struct stacktop {
	struct htab tab;		/* hash_u64(pid) -> index + 1 into ents */
	struct stacktop_ent *ents;
	size_t nr, cap;
	size_t last;			/* index + 1 of the last entry found: samples come in runs */
};

struct stacktop *stacktop__new(void)
{
	struct stacktop *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	if (htab__init(&t->tab, 128)) {
		free(t);
		return NULL;
	}
	return t;
}

void stacktop__free(struct stacktop *t)
{
	if (!t)
		return;
	htab__exit(&t->tab);
	free(t->ents);
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

static struct stacktop_ent *find(struct stacktop *t, uint32_t pid)
{
	struct htab_slot *s;
	size_t pos;

	if (t->last && t->ents[t->last - 1].pid == pid)
		return &t->ents[t->last - 1];
	htab__for_each_hash(&t->tab, hash_u64(pid), s, pos) {
		if (t->ents[s->val - 1].pid == pid) {
			t->last = s->val;
			return &t->ents[s->val - 1];
		}
	}
	return NULL;
}

static struct stacktop_ent *add(struct stacktop *t, uint32_t pid)
{
	struct stacktop_ent *e;

	if (ARRAY_GROW(t->ents, t->cap, t->nr + 1) || htab__insert(&t->tab, hash_u64(pid), t->nr + 1))
		return NULL;
	e = &t->ents[t->nr++];
	e->pid = pid;
	e->start = read_startstack(pid);
	t->last = t->nr;
	return e;
}

uint64_t stacktop__get(void *arg, uint32_t pid, uint32_t tid, bool exec)
{
	struct stacktop *t = arg;
	struct stacktop_ent *e;

	if (!pid || pid == (uint32_t)-1)
		return 0;
	e = find(t, pid);
	if (exec) {
		if (e)
			e->start = read_startstack(pid);
		return 0;
	}
	if (!e && !(e = add(t, pid)))
		return 0;
	if (pid != tid || !e->start)
		return 0;
	return e->start;
}
