/* Owns the source-file cache of annotation: each file read whole once (from its path, else
 * from a debuginfod server by the build-id of the DSO being annotated), its line starts
 * indexed, and files that cannot be read remembered as such so they are tried once. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/annotate/source.h"
#include "symbols/debuginfod.h"
#include "util/array.h"

/* Source files larger than this are not shown (generated code, amalgamations). */
#define SRC_MAX_SIZE (64u << 20)

struct src_file {
	struct src_file *next;
	char *path;
	char *data;		/* NULL: unreadable */
	size_t size;
	size_t *start;		/* offset of each line */
	size_t nr_lines;
};

struct annotate_src {
	struct src_file *files;
	uint8_t build_id[PD_BUILD_ID_MAX];	/* of the DSO whose lines are asked for */
	size_t build_id_size;
};

struct annotate_src *annotate_src__new(void)
{
	return calloc(1, sizeof(struct annotate_src));
}

void annotate_src__free(struct annotate_src *s)
{
	if (!s)
		return;
	while (s->files) {
		struct src_file *n = s->files->next;

		free(s->files->path);
		free(s->files->data);
		free(s->files->start);
		free(s->files);
		s->files = n;
	}
	free(s);
}

void annotate_src__set_build_id(struct annotate_src *s, const uint8_t *id, size_t size)
{
	s->build_id_size = size <= sizeof(s->build_id) ? size : 0;
	memcpy(s->build_id, id, s->build_id_size);
}

static FILE *src_open(const struct annotate_src *s, const char *path)
{
	char fetched[4096];
	FILE *fp = fopen(path, "re");

	if (!fp && errno == ENOENT &&
	    !debuginfod__find("source", s->build_id, s->build_id_size, path, path, fetched,
			      sizeof(fetched)))
		fp = fopen(fetched, "re");
	return fp;
}

static void src_file__read(const struct annotate_src *s, struct src_file *f)
{
	FILE *fp = src_open(s, f->path);
	size_t cap = 0, i, n;
	long sz;

	if (!fp)
		return;
	if (fseek(fp, 0, SEEK_END) || (sz = ftell(fp)) < 0 || (size_t)sz > SRC_MAX_SIZE ||
	    fseek(fp, 0, SEEK_SET))
		goto out;
	f->data = malloc((size_t)sz + 1);
	if (!f->data)
		goto out;
	f->size = fread(f->data, 1, (size_t)sz, fp);
	f->data[f->size] = '\0';
	for (i = 0, n = 0; i <= f->size; i++) {
		if (i != 0 && f->data[i - 1] != '\n')
			continue;
		if (i == f->size)
			break;
		if (ARRAY_GROW(f->start, cap, n + 1)) {
			free(f->data);
			f->data = NULL;
			goto out;
		}
		f->start[n++] = i;
	}
	f->nr_lines = n;
out:
	fclose(fp);
}

static struct src_file *find(struct annotate_src *s, const char *path)
{
	struct src_file *f, **pp;

	for (pp = &s->files; (f = *pp); pp = &f->next) {
		if (!strcmp(f->path, path)) {
			/* most recently used first: consecutive lines come from one file */
			*pp = f->next;
			f->next = s->files;
			s->files = f;
			return f;
		}
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->path = strdup(path);
	if (!f->path) {
		free(f);
		return NULL;
	}
	src_file__read(s, f);
	f->next = s->files;
	s->files = f;
	return f;
}

static const char *src_line(struct annotate_src *s, const char *dir, const char *file, int line,
			    size_t *len, bool strip)
{
	char path[4096];
	struct src_file *f;
	const char *p, *e;

	if (!file || line < 1)
		return NULL;
	if (file[0] != '/' && dir)
		snprintf(path, sizeof(path), "%s/%s", dir, file);
	else
		snprintf(path, sizeof(path), "%s", file);
	f = find(s, path);
	if (!f || !f->data || (size_t)line > f->nr_lines)
		return NULL;
	p = f->data + f->start[line - 1];
	e = (size_t)line < f->nr_lines ? f->data + f->start[line] : f->data + f->size;
	while (e > p && (e[-1] == '\n' || e[-1] == '\r'))
		e--;
	while (strip && p < e && (*p == ' ' || *p == '\t'))
		p++;
	*len = (size_t)(e - p);
	return p;
}

const char *annotate_src__line(struct annotate_src *s, const char *dir, const char *file, int line,
			       size_t *len)
{
	return src_line(s, dir, file, line, len, true);
}

const char *annotate_src__line_raw(struct annotate_src *s, const char *dir, const char *file,
				   int line, size_t *len)
{
	return src_line(s, dir, file, line, len, false);
}
