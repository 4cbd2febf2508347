/* Owns dynamic probe definitions: parsing pprobe's spec, resolving uprobe addresses to file
 * offsets through symbols/, and the uprobe_events / kprobe_events files of tracefs. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sampler/probe.h"
#include "sampler/tracefs.h"
#include "symbols/elf_lookup.h"

/* perf's group for a uprobe: probe_ + the file name up to its first '.', made an identifier. */
static void uprobe_group(const char *binary, char *group, size_t len)
{
	const char *base = strrchr(binary, '/');
	size_t n;

	base = base ? base + 1 : binary;
	n = (size_t)snprintf(group, len, "probe_%s", base);
	for (size_t i = 6; i < n && i < len; i++) {
		if (group[i] == '.') {
			group[i] = 0;
			break;
		}
		if (!isalnum((unsigned char)group[i]))
			group[i] = '_';
	}
}

static int parse_args(struct probe *p, char *rest, struct error *e)
{
	char *save = NULL, *tok;
	size_t used = 0;
	int n = 0;

	for (tok = strtok_r(rest, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		const char *value = strchr(tok, '=') ? strchr(tok, '=') + 1 : tok;
		char name[64];

		n++;
		if (strchr(tok, '=')) {
			snprintf(name, sizeof(name), "%.*s", (int)(strchr(tok, '=') - tok), tok);
		} else {
			snprintf(name, sizeof(name), "arg%d", n);
		}
		if (value[0] != '%' && strncmp(value, "$retval", 7) && strncmp(value, "$stack", 6)) {
			return error__set(e, -EINVAL, "argument '%s': only registers (%%di, x=%%si, %%ax:u32), $retval and "
				 "$stackN are supported", tok);
		}
		if (!strncmp(value, "$retval", 7) && !p->is_return) {
			return error__set(e, -EINVAL, "$retval needs a return probe: FUNC%%return $retval");
		}
		used += (size_t)snprintf(p->args + used, sizeof(p->args) - used, "%s%s=%s", used ? " " : "",
					 name, value);
		if (used >= sizeof(p->args)) {
			return error__set(e, -EINVAL, "too many arguments");
		}
	}
	return 0;
}

int probe__parse(struct probe *p, const char *binary, const char *def, struct error *e)
{
	char buf[1024], *where, *rest, *pct, *colon;

	memset(p, 0, sizeof(*p));
	if (strlen(def) >= sizeof(buf)) {
		return error__set(e, -EINVAL, "probe definition too long");
	}
	strcpy(buf, def);
	where = buf + strspn(buf, " \t");
	rest = where + strcspn(where, " \t");
	if (*rest)
		*rest++ = 0;
	if (!*where) {
		return error__set(e, -EINVAL, "no function to probe: pprobe -x BINARY FUNC");
	}
	pct = strchr(where, '%');
	if (pct) {
		if (strcmp(pct, "%return")) {
			return error__set(e, -EINVAL, "unknown '%s' after the function: only %%return", pct);
		}
		*pct = 0;
		p->is_return = true;
	}
	colon = strrchr(where, ':');
	if (colon) {
		char *end;

		p->line = (int)strtol(colon + 1, &end, 10);
		if (*end || p->line <= 0 || colon == where) {
			return error__set(e, -EINVAL, "'%s': expected FILE:LINE", where);
		}
		if (!binary) {
			return error__set(e, -EINVAL, "FILE:LINE probes need -x BINARY");
		}
		*colon = 0;
		snprintf(p->file, sizeof(p->file), "%s", where);
	} else {
		for (const char *c = where; *c; c++)
			if (!isalnum((unsigned char)*c) && *c != '_' && *c != '.') {
				return error__set(e, -EINVAL, "'%s' is not a function name", where);
			}
		snprintf(p->func, sizeof(p->func), "%s", where);
	}
	if (binary) {
		if (!realpath(binary, p->binary)) {
			return error__set(e, -errno, "%s: %s", binary, strerror(errno));
		}
		uprobe_group(p->binary, p->group, sizeof(p->group));
	} else {
		snprintf(p->group, sizeof(p->group), "probe");
	}
	return parse_args(p, rest, e);
}

int probe__resolve(struct probe *p, struct error *e)
{
	uint64_t vaddr, off;
	int err;

	if (!p->binary[0]) {
		snprintf(p->target, sizeof(p->target), "%s", p->func);
		snprintf(p->event, sizeof(p->event), "%s%s", p->func, p->is_return ? "__return" : "");
		return 0;
	}
	if (p->file[0]) {
		err = elf_lookup__line(p->binary, p->file, p->line, &vaddr);
		if (err == -ENODATA) {
			return error__set(e, err, "%s has no debug info: build it with -g for FILE:LINE probes", p->binary);
		}
		if (err) {
			return error__set(e, err, "no code for %s:%d in %s", p->file, p->line, p->binary);
		}
		if (elf_lookup__func_at(p->binary, vaddr, p->func, sizeof(p->func)))
			snprintf(p->func, sizeof(p->func), "L%d", p->line);
	} else {
		err = elf_lookup__func(p->binary, p->func, &vaddr);
		if (err) {
			return error__set(e, err, "no function '%s' in %s", p->func, p->binary);
		}
	}
	err = elf_lookup__file_offset(p->binary, vaddr, &off);
	if (err) {
		return error__set(e, err, "address 0x%llx of '%s' is not in a loaded segment of %s",
			 (unsigned long long)vaddr, p->func, p->binary);
	}
	snprintf(p->target, sizeof(p->target), "%s:0x%016llx", p->binary, (unsigned long long)off);
	/* named after the function, as perf names line probes too */
	snprintf(p->event, sizeof(p->event), "%s%s", p->func, p->is_return ? "__return" : "");
	return 0;
}

static int events_file(bool kprobe, char *path, size_t len)
{
	const char *mnt = tracefs__mountpoint();

	if (!mnt)
		return -ENODEV;
	snprintf(path, len, "%s/%s", mnt, kprobe ? "kprobe_events" : "uprobe_events");
	if (access(path, F_OK))
		return kprobe ? -ENOTSUP : -ENODEV;
	return 0;
}

static int write_line(const char *path, const char *line)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, line, strlen(line)) < 0)
		err = -errno;
	close(fd);
	tracefs__forget_events();	/* the set of events changed */
	return err;
}

int probe__add(struct probe *p, struct error *e)
{
	char path[256], line[2048], evdir[512];
	const char *mnt;
	int err = events_file(!p->binary[0], path, sizeof(path));

	if (err == -ENOTSUP) {
		return error__set(e, err, "this kernel has no kprobes (CONFIG_KPROBES is off, no kprobe_events in tracefs): "
			 "probe '%s' with a tracepoint (plist) or a uprobe (pprobe -x BINARY FUNC)", p->func);
	}
	if (err) {
		return error__set(e, err, "tracefs is not mounted: mount -t tracefs nodev /sys/kernel/tracing");
	}
	mnt = tracefs__mountpoint();
	snprintf(evdir, sizeof(evdir), "%s/events/%s/%s", mnt, p->group, p->event);
	/* a second probe in the same function at another line gets _1, _2, ... as with perf */
	for (int i = 1; p->file[0] && access(evdir, F_OK) == 0 && i < 100; i++) {
		char base[sizeof(p->event)];

		snprintf(base, sizeof(base), "%s", p->func);
		snprintf(p->event, sizeof(p->event), "%s_%d", base, i);
		snprintf(evdir, sizeof(evdir), "%s/events/%s/%s", mnt, p->group, p->event);
	}
	if (access(evdir, F_OK) == 0) {
		return error__set(e, -EEXIST, "event %s:%s already exists: delete it first with pprobe -d %s:%s",
			 p->group, p->event, p->group, p->event);
	}
	snprintf(line, sizeof(line), "%c:%s/%s %s%s%s\n", p->is_return ? 'r' : 'p', p->group, p->event,
		 p->target, p->args[0] ? " " : "", p->args);
	err = write_line(path, line);
	if (err)
		return error__set(e, err, "the kernel refused '%.*s' (%s): see %s/error_log", (int)strlen(line) - 1,
			 line, strerror(-err), mnt);
	return 0;
}

/* Each definition line: "p:GROUP/EVENT TARGET ARGS" (r for return probes). */
static int for_each_def(int (*cb)(bool kprobe, const char *group, const char *event,
				  const char *rest, void *arg), void *arg)
{
	int count = 0;

	for (int k = 0; k < 2; k++) {
		char path[256], line[2048];
		FILE *f;

		if (events_file(k == 1, path, sizeof(path)))
			continue;
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			char *slash = strchr(line, '/'), *sp, *colon = strchr(line, ':');
			int r;

			line[strcspn(line, "\n")] = 0;
			if (!colon || !slash || slash < colon)
				continue;
			*slash = 0;
			sp = slash + 1 + strcspn(slash + 1, " ");
			if (*sp)
				*sp++ = 0;
			r = cb(k == 1, colon + 1, slash + 1, sp, arg);
			if (r < 0) {
				fclose(f);
				return r;
			}
			count += r;
		}
		fclose(f);
	}
	return count;
}

static int list_one(bool kprobe, const char *group, const char *event, const char *rest, void *arg)
{
	char name[256];

	snprintf(name, sizeof(name), "%s:%s", group, event);
	fprintf(arg, "  %-40s (on %s%s)\n", name, rest, kprobe ? ", kprobe" : "");
	return 1;
}

int probe__list(FILE *out)
{
	return for_each_def(list_one, out);
}

struct del_ctx {
	const char *glob;
	void (*deleted)(const char *name, void *arg);
	void *arg;
	char names[256][200];
	bool kprobe[256];
	int n;
};

static int collect(bool kprobe, const char *group, const char *event, const char *rest, void *arg)
{
	struct del_ctx *d = arg;
	char name[200];

	snprintf(name, sizeof(name), "%s:%s", group, event);
	if (fnmatch(d->glob, name, 0) || d->n >= 256)
		return 0;
	snprintf(d->names[d->n], sizeof(d->names[0]), "%s", name);
	d->kprobe[d->n++] = kprobe;
	return 1;
}

int probe__delete(const char *glob, void (*deleted)(const char *name, void *arg), void *arg)
{
	struct del_ctx *d = calloc(1, sizeof(*d));
	int n, err = 0;

	if (!d)
		return -ENOMEM;
	d->glob = glob;
	n = for_each_def(collect, d);
	for (int i = 0; i < d->n && n >= 0; i++) {
		char path[256], line[256], *colon;

		if (events_file(d->kprobe[i], path, sizeof(path)))
			continue;
		snprintf(line, sizeof(line), "-:%s\n", d->names[i]);
		colon = strchr(line + 2, ':');
		*colon = '/';
		err = write_line(path, line);
		if (err)
			break;
		if (deleted)
			deleted(d->names[i], arg);
	}
	free(d);
	if (n < 0)
		return n;
	return err ? err : n;
}
