/* Owns preport --task (report/hist/tasks.h): one pass over COMM, FORK and SAMPLE records
 * collecting threads, then the tree printed depth first, siblings in perf's thread-table order. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "perfdata/reader.h"
#include "perfdata/sample.h"
#include "report/hist/tasks.h"
#include "util/array.h"
#include "util/hash.h"
#include "util/htab.h"

struct task {
	int32_t pid, tid, ppid, ptid;
	char comm[32];
	int32_t first_child, next_sibling;	/* indexes, -1: none */
};

struct tasks {
	struct task *t;
	size_t nr, cap;
	struct htab by_tid;	/* hash_u64(tid) -> index + 1 */
};

static struct task *find(struct tasks *ts, int32_t tid)
{
	struct htab_slot *s;
	size_t pos;

	htab__for_each_hash(&ts->by_tid, hash_u64((uint32_t)tid), s, pos)
		if (ts->t[s->val - 1].tid == tid)
			return &ts->t[s->val - 1];
	return NULL;
}

/* The task of @tid, made with @pid and no parent on first sight; NULL when out of memory. */
static struct task *findnew(struct tasks *ts, int32_t pid, int32_t tid)
{
	struct task *t = find(ts, tid);

	if (t)
		return t;
	if (ARRAY_GROW(ts->t, ts->cap, ts->nr + 1))
		return NULL;
	t = &ts->t[ts->nr];
	memset(t, 0, sizeof(*t));
	t->pid = pid;
	t->tid = tid;
	t->ppid = t->ptid = -1;
	snprintf(t->comm, sizeof(t->comm), ":%d", tid);
	if (htab__insert(&ts->by_tid, hash_u64((uint32_t)tid), ts->nr + 1))
		return NULL;
	ts->nr++;
	return t;
}

static int on_record(struct tasks *ts, const struct pd_record *rec)
{
	const struct perf_event_header *h = rec->hdr;
	const uint8_t *body = (const uint8_t *)(h + 1);
	int32_t v[4];
	struct task *t;

	if (h->type == PERF_RECORD_COMM && h->size >= 16) {
		memcpy(v, body, 8);
		t = findnew(ts, v[0], v[1]);
		if (!t)
			return -ENOMEM;
		snprintf(t->comm, sizeof(t->comm), "%.*s", (int)(h->size - 16), (const char *)body + 8);
	} else if (h->type == PERF_RECORD_FORK && h->size >= 24) {
		struct task *p;
		char comm[32];

		memcpy(v, body, 16);	/* pid, ppid, tid, ptid */
		p = find(ts, v[3]);
		snprintf(comm, sizeof(comm), "%s", p ? p->comm : "");
		t = findnew(ts, v[0], v[2]);
		if (!t)
			return -ENOMEM;
		t->pid = v[0];
		t->ppid = v[1];
		t->ptid = v[3];
		if (comm[0])
			memcpy(t->comm, comm, sizeof(comm));	/* a child starts with its parent's comm */
	} else if (h->type == PERF_RECORD_SAMPLE && rec->evsel &&
		   (rec->evsel->attr.sample_type & PERF_SAMPLE_TID)) {
		struct pd_sample s;
		uint32_t bad;

		if (!pd_sample__parse(rec->evsel, h, &s, &bad) && !findnew(ts, (int32_t)s.pid, (int32_t)s.tid))
			return -ENOMEM;
	}
	return 0;
}

/* perf's thread table order: 256 buckets by tid, each sorted by tid */
static int on_ordered(void *ctx, const struct pd_record *rec)
{
	return on_record(ctx, rec);
}

static int cmp_tid(const void *a, const void *b)
{
	const struct task *x = a, *y = b;
	uint32_t bx = (uint32_t)x->tid & 255, by = (uint32_t)y->tid & 255;

	if (bx != by)
		return bx < by ? -1 : 1;
	return (x->tid > y->tid) - (x->tid < y->tid);
}

static void print_tree(const struct tasks *ts, int32_t i, int depth, FILE *out)
{
	for (; i >= 0; i = ts->t[i].next_sibling) {
		const struct task *t = &ts->t[i];

		fprintf(out, "%10d %8d %8d |%*s%s\n", t->pid, t->tid, t->ppid, depth, "", t->comm);
		print_tree(ts, t->first_child, depth + 1, out);
	}
}

/* Children under the thread whose tid is their ppid (perf's parent), siblings by tid. */
static int print_tasks(struct tasks *ts, FILE *out)
{
	int32_t *last;

	array__sort(ts->t, ts->nr, sizeof(*ts->t), cmp_tid);
	htab__clear(&ts->by_tid);
	for (size_t i = 0; i < ts->nr; i++) {
		if (htab__insert(&ts->by_tid, hash_u64((uint32_t)ts->t[i].tid), i + 1))
			return -ENOMEM;
		ts->t[i].first_child = ts->t[i].next_sibling = -1;
	}
	last = malloc((ts->nr ? ts->nr : 1) * sizeof(*last));
	if (!last)
		return -ENOMEM;
	for (size_t i = 0; i < ts->nr; i++)
		last[i] = -1;
	fprintf(out, "# %8s %8s %8s  %s\n", "pid", "tid", "ppid", "comm");
	for (size_t i = 0; i < ts->nr; i++) {
		struct task *p = ts->t[i].ppid >= 0 && ts->t[i].ppid != ts->t[i].tid ? find(ts, ts->t[i].ppid) : NULL;
		size_t pi;

		if (!p)
			continue;
		pi = (size_t)(p - ts->t);
		if (last[pi] < 0)
			p->first_child = (int32_t)i;
		else
			ts->t[last[pi]].next_sibling = (int32_t)i;
		last[pi] = (int32_t)i;
	}
	for (size_t i = 0; i < ts->nr; i++) {
		struct task *t = &ts->t[i];

		if (t->ppid < 0 || t->ppid == t->tid || !find(ts, t->ppid))
			print_tree(ts, (int32_t)i, 0, out);
	}
	free(last);
	return 0;
}

int hist_tasks__print(const char *path, FILE *out, struct error *err)
{
	struct tasks ts = { 0 };
	struct pd_reader *r = pd_reader__open(path, err);
	struct task *idle;
	int ret;

	if (!r)
		return err->code ? err->code : -EINVAL;
	idle = findnew(&ts, 0, 0);	/* perf always lists the idle task */
	if (!idle) {
		ret = error__nomem(err);
		goto out;
	}
	strcpy(idle->comm, "swapper");
	/* in time order: a child's exec COMM may sit before its FORK in the file */
	ret = pd_reader__for_each_ordered(r, on_ordered, &ts, err);
	if (ret == -ENOMEM)
		error__nomem(err);
	if (!ret && print_tasks(&ts, out))
		ret = error__nomem(err);
out:
	htab__exit(&ts.by_tid);
	free(ts.t);
	pd_reader__close(r);
	return ret;
}
