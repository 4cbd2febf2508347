/* Owns dynamic probe definitions: parsing pprobe's spec, resolving uprobe addresses to file
 * offsets through symbols/, and the uprobe_events / kprobe_events files of tracefs. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sampler/probe.h"
#include "sampler/probe_dwarf.h"
#include "sampler/probe_sdt.h"
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

static bool valid_type(const char *t)
{
	if (!strcmp(t, "string"))
		return true;
	if (!strchr("usx", t[0]))
		return false;
	return !strcmp(t + 1, "8") || !strcmp(t + 1, "16") || !strcmp(t + 1, "32") || !strcmp(t + 1, "64");
}

static bool is_ident(const char *s)
{
	if (!*s || isdigit((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

/* Append "NAME=FETCH[:TYPE]" to p->args. */
static int add_arg(struct probe *p, const char *name, const char *fetch, const char *type, struct error *e)
{
	size_t used = strlen(p->args);

	used += (size_t)snprintf(p->args + used, sizeof(p->args) - used, "%s%s=%s%s%s", used ? " " : "", name,
				 fetch, type && *type ? ":" : "", type ? type : "");
	if (used >= sizeof(p->args))
		return error__set(e, -EINVAL, "too many arguments");
	return 0;
}

/* The function's DWARF, read once for the arguments that name its variables. */
struct arg_ctx {
	struct probe_func f;
	uint64_t pc;		/* the probe's address (its variables are where they are there); 0: entry */
	int loaded;		/* 0 not yet, 1 read, <0 -errno */
};

static int need_func(struct probe *p, struct arg_ctx *c, struct error *e)
{
	if (!c->loaded)
		c->loaded = p->binary[0] ? probe_dwarf__func_at(p->binary, p->func, c->pc, &c->f) : -ENOTSUP;
	if (c->loaded == 1 || c->loaded == 0)
		return c->loaded = 1, 0;
	if (c->loaded == -ENOTSUP)
		return error__set(e, -EINVAL, "kprobe arguments are registers, +OFF(%%reg), $retval, $stackN: no kernel debug info is read");
	return error__set(e, c->loaded == -ENOENT ? -ENOENT : -ENODATA,
			  "%s has no debug info for '%s': build it with -g to name variables", p->binary, p->func);
}

/* A variable of the function: its register at the entry and its type. */
static int var_arg(struct probe *p, struct arg_ctx *c, const char *name, const char *var, const char *type,
		   struct error *e)
{
	char fetch[64], autoname[96];
	const struct probe_var *v = NULL;
	int err = need_func(p, c, e);

	if (err)
		return err;
	for (int i = 0; i < c->f.nr_vars && !v; i++)
		if (!strcmp(c->f.vars[i].name, var))
			v = &c->f.vars[i];
	if (!v)
		return error__set(e, -ENOENT, "no variable '%s' in %s (see pprobe -V %s)", var, p->func, p->func);
	if (p->is_return)
		return error__set(e, -EINVAL, "'%s' is not at hand at the return of %s: use $retval", var, p->func);
	if (!v->reg[0])
		return error__set(e, -ENOENT, "'%s' is not in a register at %s of %s (optimized out or on the stack)",
				  var, c->pc ? "this point" : "the entry", p->func);
	if (type && !strcmp(type, "string") && !v->is_pointer)
		return error__set(e, -EINVAL, "'%s' (%s) is not a pointer: it cannot be read as a string", var, v->ctype);
	if (type && !strcmp(type, "string"))
		snprintf(fetch, sizeof(fetch), "+0(%s)", v->reg);
	else
		snprintf(fetch, sizeof(fetch), "%s", v->reg);
	if (!name) {
		/* as perf names them: x, or x_TYPE when a type is given */
		snprintf(autoname, sizeof(autoname), "%s%s%s", var, type ? "_" : "", type ? type : "");
		name = autoname;
	}
	return add_arg(p, name, fetch, type ? type : v->fetch, e);
}

/* One ARG: [NAME=]VAR[:TYPE]; @n: its position, for the default name argN. */
static int one_arg(struct probe *p, struct arg_ctx *c, char *tok, int n, struct error *e)
{
	char *eq = strchr(tok, '='), *colon, *name = NULL, *var = tok, *type = NULL, dflt[16];
	int err = 0;

	if (eq && eq < tok + strcspn(tok, "(%$")) {
		*eq = 0;
		name = tok;
		var = eq + 1;
		if (!is_ident(name))
			return error__set(e, -EINVAL, "argument name '%s' is not an identifier", name);
	}
	colon = strrchr(var, ':');
	if (colon) {
		*colon = 0;
		type = colon + 1;
		if (!valid_type(type))
			return error__set(e, -EINVAL, "unknown type '%s': u8..u64, s8..s64, x8..x64 or string", type);
	}
	snprintf(dflt, sizeof(dflt), "arg%d", n);
	if (!strcmp(var, "$params")) {
		err = need_func(p, c, e);
		for (int i = 0; !err && i < c->f.nr_vars; i++)
			if (c->f.vars[i].is_param)
				err = var_arg(p, c, NULL, c->f.vars[i].name, type, e);
		return err;
	}
	if (!strcmp(var, "$retval") && !p->is_return)
		return error__set(e, -EINVAL, "$retval needs a return probe: FUNC%%return $retval");
	if (var[0] == '%' || var[0] == '$' || var[0] == '+' || var[0] == '-' || var[0] == '@' || isdigit((unsigned char)var[0]))
		return add_arg(p, name ? name : dflt, var, type, e);
	if (!is_ident(var))
		return error__set(e, -EINVAL, "argument '%s': a register (%%di), +OFF(%%reg), $retval, $stackN, $params or a variable name",
				  var);
	return var_arg(p, c, name, var, type, e);
}

static int resolve_args(struct probe *p, uint64_t pc, struct error *e)
{
	char buf[sizeof(p->user_args)], *save = NULL, *tok;
	struct arg_ctx *c = calloc(1, sizeof(*c));
	int n = 0, err = 0;

	if (!c)
		return error__set(e, -ENOMEM, "out of memory");
	c->pc = pc;
	snprintf(buf, sizeof(buf), "%s", p->user_args);
	p->args[0] = 0;
	for (tok = strtok_r(buf, " \t", &save); tok && !err; tok = strtok_r(NULL, " \t", &save))
		err = one_arg(p, c, tok, ++n, e);
	free(c);
	return err;
}

/* "[GROUP:]EVENT=" before the probe point. */
static int parse_name(struct probe *p, char *name, struct error *e)
{
	char *colon = strchr(name, ':');

	if (colon) {
		*colon = 0;
		if (!is_ident(name))
			return error__set(e, -EINVAL, "group '%s' is not an identifier", name);
		snprintf(p->group, sizeof(p->group), "%s", name);
		name = colon + 1;
	}
	if (!is_ident(name))
		return error__set(e, -EINVAL, "event name '%s' is not an identifier", name);
	snprintf(p->event, sizeof(p->event), "%s", name);
	p->named = true;
	return 0;
}

/* FUNC[@SRC][:RLN|+OFFS|%return|;PTN] or FILE:LINE, in place. */
static int parse_point(struct probe *p, char *where, struct error *e)
{
	char *semi = strchr(where, ';'), *pct, *plus, *at, *colon, *end;

	if (semi) {	/* first: the pattern may hold any character */
		snprintf(p->pattern, sizeof(p->pattern), "%s", semi + 1);
		*semi = 0;
	}
	pct = strchr(where, '%');
	plus = strchr(where, '+');
	at = strchr(where, '@');
	if (pct) {
		if (strcmp(pct, "%return"))
			return error__set(e, -EINVAL, "unknown '%s' after the function: only %%return", pct);
		*pct = 0;
		p->is_return = true;
	}
	if (plus) {
		p->offset = strtol(plus + 1, &end, 0);
		if (*end || end == plus + 1 || p->offset < 0)
			return error__set(e, -EINVAL, "'%s': expected FUNC+OFFSET (bytes)", where);
		*plus = 0;
	}
	colon = strrchr(at ? at : where, ':');
	if (colon) {
		long v = strtol(colon + 1, &end, 10);

		if (*end || end == colon + 1 || v < 0 || colon == where)
			return error__set(e, -EINVAL, "'%s': expected FILE:LINE or FUNC:RELATIVE_LINE", where);
		*colon = 0;
		if (!at && strpbrk(where, "./")) {
			if (v == 0)
				return error__set(e, -EINVAL, "'%s:0': source lines count from 1", where);
			p->line = (int)v;
			snprintf(p->file, sizeof(p->file), "%s", where);
		} else {
			p->rel_line = (int)v;
		}
	}
	if (at) {
		snprintf(p->src, sizeof(p->src), "%s", at + 1);
		*at = 0;
	}
	if ((p->is_return || p->offset) && (p->file[0] || p->rel_line >= 0 || p->pattern[0]))
		return error__set(e, -EINVAL, "%%return and +OFFS go on a function, not on a line");
	if (!p->file[0]) {
		if (!is_ident(where) && !strchr(where, '.'))
			return error__set(e, -EINVAL, "'%s' is not a function name", where);
		snprintf(p->func, sizeof(p->func), "%s", where);
	}
	return 0;
}

int probe__parse(struct probe *p, const char *binary, const char *def, struct error *e)
{
	char buf[1024], *where, *rest, *eq;
	int err;

	memset(p, 0, sizeof(*p));
	p->rel_line = -1;
	if (strlen(def) >= sizeof(buf))
		return error__set(e, -EINVAL, "probe definition too long");
	strcpy(buf, def);
	where = buf + strspn(buf, " \t");
	rest = where + strcspn(where, " \t");
	if (*rest)
		*rest++ = 0;
	rest += strspn(rest, " \t");
	snprintf(p->user_args, sizeof(p->user_args), "%s", rest);
	if (!*where)
		return error__set(e, -EINVAL, "no function to probe: pprobe -x BINARY FUNC");
	eq = strchr(where, '=');
	if (eq) {
		*eq = 0;
		err = parse_name(p, where, e);
		if (err)
			return err;
		where = eq + 1;
	}
	if (binary && strchr(where, ':') && (where[0] == '%' || !strncmp(where, "sdt_", 4))) {
		const char *prov = where + (where[0] == '%');
		size_t plen = strcspn(prov, ":");

		if (!strncmp(prov, "sdt_", 4))
			prov += 4, plen -= 4;
		p->is_sdt = true;
		snprintf(p->sdt_provider, sizeof(p->sdt_provider), "%.*s", (int)plen, prov);
		snprintf(p->func, sizeof(p->func), "%s", strchr(where, ':') + 1);
		if (!p->group[0])
			snprintf(p->group, sizeof(p->group), "sdt_%s", p->sdt_provider);
		if (!p->named)
			snprintf(p->event, sizeof(p->event), "%s", p->func);
		snprintf(p->spec, sizeof(p->spec), "%%%s", p->func);	/* perf shows "%NAME" */
		if (!realpath(binary, p->binary))
			return error__set(e, -errno, "%s: %s", binary, strerror(errno));
		return 0;
	}
	/* perf shows FUNC;PTN as FUNC */
	snprintf(p->spec, sizeof(p->spec), "%.*s", (int)strcspn(where, ";"), where);
	err = parse_point(p, where, e);
	if (err)
		return err;
	if (p->named && p->is_return)	/* perf's suffix, also on a name given */
		strncat(p->event, "__return", sizeof(p->event) - strlen(p->event) - 1);
	if (p->file[0])		/* perf shows a FILE:LINE probe as "@FILE:LINE" */
		snprintf(p->spec, sizeof(p->spec), "@%s:%d", p->file, p->line);
	if (!binary && (p->file[0] || p->rel_line >= 0 || p->pattern[0] || p->src[0]))
		return error__set(e, -EINVAL, "line probes need -x BINARY (no kernel debug info is read)");
	if (binary) {
		if (!realpath(binary, p->binary))
			return error__set(e, -errno, "%s: %s", binary, strerror(errno));
		if (!p->group[0])
			uprobe_group(p->binary, p->group, sizeof(p->group));
	} else if (!p->group[0]) {
		snprintf(p->group, sizeof(p->group), "probe");
	}
	return 0;
}

/* FUNC:RLN and FUNC;PTN: the absolute line, from the declaration line and the source text. */
static int relative_line(struct probe *p, struct error *e)
{
	struct probe_func *f = calloc(1, sizeof(*f));
	int err = f ? probe_dwarf__func(p->binary, p->func, f) : -ENOMEM;
	const char *base;

	if (err) {
		free(f);
		return error__set(e, err, "%s has no debug info for '%s': build it with -g for line probes",
				  p->binary, p->func);
	}
	base = strrchr(f->decl_file, '/') ? strrchr(f->decl_file, '/') + 1 : f->decl_file;
	if (p->src[0] && !strstr(f->decl_file, p->src)) {
		err = error__set(e, -ENOENT, "'%s' is declared in %s, not in %s", p->func, f->decl_file, p->src);
		free(f);
		return err;
	}
	if (p->rel_line < 0 && !p->pattern[0]) {	/* FUNC@SRC: the function itself */
		free(f);
		return 0;
	}
	snprintf(p->file, sizeof(p->file), "%s", base);
	if (p->rel_line >= 0) {
		int rel[512], n = probe_dwarf__probe_lines(p->binary, f, rel, 512), k = 0;

		while (k < n && rel[k] != p->rel_line)
			k++;
		if (k == n) {
			err = error__set(e, -ENOENT, "%s:%d has no code of its own (it shares an address with an earlier line): see pprobe -x %s -L %s",
					 p->func, p->rel_line, p->binary, p->func);
			free(f);
			return err;
		}
		p->line = f->decl_line + p->rel_line;
		if (p->rel_line == 0) {		/* the entry: a function probe */
			p->file[0] = 0;
			p->line = 0;
		}
	} else if (p->pattern[0]) {
		char glob[160], text[1024];
		FILE *src = fopen(f->decl_file, "r");
		int ln = 0;

		snprintf(glob, sizeof(glob), "*%s*", p->pattern);
		while (src && fgets(text, sizeof(text), src)) {
			char bare[1024];
			size_t b = 0;

			/* as perf matches lazy patterns: blanks left out of both */
			for (const char *c = text; *c && b + 1 < sizeof(bare); c++)
				if (*c != ' ' && *c != '\t' && *c != '\n')
					bare[b++] = *c;
			bare[b] = 0;
			if (++ln >= f->decl_line && fnmatch(glob, bare, 0) == 0) {
				p->line = ln;
				break;
			}
		}
		if (src)
			fclose(src);
		if (!p->line) {
			err = error__set(e, -ENOENT, "no line of %s in %s matches '%s'", p->func, f->decl_file, p->pattern);
		}
	}
	free(f);
	return err;
}

struct sdt_find {
	struct probe *p;
	struct probe_sdt m;
	bool found;
};

static int sdt_match(const struct probe_sdt *m, void *arg)
{
	struct sdt_find *f = arg;

	if (strcmp(m->provider, f->p->sdt_provider) || strcmp(m->name, f->p->func))
		return 0;
	f->m = *m;
	f->found = true;
	return 1;
}

/* A marker: its address (and semaphore, as uprobes' reference counter) and its arguments. */
static int resolve_sdt(struct probe *p, struct error *e)
{
	struct sdt_find f = { .p = p };
	int n = probe_sdt__for_each(p->binary, sdt_match, &f);

	if (n < 0 && n != -ENODATA)
		return error__set(e, n, "cannot read the SDT notes of %s: %s", p->binary, strerror(-n));
	if (!f.found)
		return error__set(e, -ENOENT, "no SDT marker %s:%s in %s (see plist -x %s sdt)", p->sdt_provider,
				  p->func, p->binary, p->binary);
	if (f.m.sem_offset)
		snprintf(p->target, sizeof(p->target), "%s:0x%016llx(0x%llx)", p->binary,
			 (unsigned long long)f.m.offset, (unsigned long long)f.m.sem_offset);
	else
		snprintf(p->target, sizeof(p->target), "%s:0x%016llx", p->binary, (unsigned long long)f.m.offset);
	if (p->user_args[0])
		return resolve_args(p, 0, e);
	if (probe_sdt__fetch_args(&f.m, p->args, sizeof(p->args)))
		return error__set(e, -EINVAL, "the arguments of %s:%s ('%s') are not fetchable by uprobes",
				  p->sdt_provider, p->func, f.m.args);
	return 0;
}

int probe__resolve(struct probe *p, struct error *e)
{
	uint64_t vaddr, off;
	int err;

	if (p->is_sdt)
		return resolve_sdt(p, e);
	if (!p->binary[0]) {
		if (p->offset)
			snprintf(p->target, sizeof(p->target), "%s+%ld", p->func, p->offset);
		else
			snprintf(p->target, sizeof(p->target), "%s", p->func);
		if (!p->named)
			snprintf(p->event, sizeof(p->event), "%s%s", p->func, p->is_return ? "__return" : "");
		return resolve_args(p, 0, e);
	}
	if (p->func[0] && (p->rel_line >= 0 || p->pattern[0] || p->src[0])) {
		err = relative_line(p, e);
		if (err)
			return err;
	}
	if (p->file[0]) {
		err = elf_lookup__line(p->binary, p->file, p->line, &vaddr);
		if (err == -ENODATA)
			return error__set(e, err, "%s has no debug info: build it with -g for FILE:LINE probes", p->binary);
		if (err)
			return error__set(e, err, "no code for %s:%d in %s", p->file, p->line, p->binary);
		if (!p->func[0] && elf_lookup__func_at(p->binary, vaddr, p->func, sizeof(p->func)))
			snprintf(p->func, sizeof(p->func), "L%d", p->line);
	} else {
		err = elf_lookup__func(p->binary, p->func, &vaddr);
		if (err)
			return error__set(e, err, "no function '%s' in %s (see pprobe -x %s -F)", p->func, p->binary,
					  p->binary);
		vaddr += (uint64_t)p->offset;
	}
	err = elf_lookup__file_offset(p->binary, vaddr, &off);
	if (err)
		return error__set(e, err, "address 0x%llx of '%s' is not in a loaded segment of %s",
				  (unsigned long long)vaddr, p->func, p->binary);
	snprintf(p->target, sizeof(p->target), "%s:0x%016llx", p->binary, (unsigned long long)off);
	/* named after the function, as perf names FILE:LINE probes too; FUNC:RLN is FUNC_LRLN */
	if (!p->named && p->rel_line > 0)
		snprintf(p->event, sizeof(p->event), "%s_L%d", p->func, p->rel_line);
	else if (!p->named)
		snprintf(p->event, sizeof(p->event), "%s%s", p->func, p->is_return ? "__return" : "");
	/* a variable is fetched where it is at the probe's address, as perf probe fetches it */
	return resolve_args(p, p->is_return ? 0 : vaddr, e);
}

static bool force_names;

void probe__set_force(bool force)
{
	force_names = force;
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
	/* a second probe in the same function at another line, or any with -f, gets _1, _2, ...
	 * as with perf */
	{
		char base[sizeof(p->event)];

		snprintf(base, sizeof(base), "%s", p->event);
		for (int i = 1; (p->file[0] || force_names) && access(evdir, F_OK) == 0 && i < 100; i++) {
			snprintf(p->event, sizeof(p->event), "%.150s_%d", base, i);
			snprintf(evdir, sizeof(evdir), "%s/events/%s/%s", mnt, p->group, p->event);
		}
	}
	if (access(evdir, F_OK) == 0) {
		return error__set(e, -EEXIST, "event %s:%s already exists: delete it first with pprobe -d %s:%s, or add -f",
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
static int for_each_def(int (*cb)(bool kprobe, bool ret, const char *group, const char *event,
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
			r = cb(k == 1, line[0] == 'r', colon + 1, slash + 1, sp, arg);
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

/* "with NAME NAME" from "NAME=FETCH NAME=FETCH". */
static void arg_names(const char *args, char *out, size_t len)
{
	size_t used = 0;

	out[0] = 0;
	while (*args) {
		size_t n = strcspn(args, "= "), tok = strcspn(args, " ");

		used += (size_t)snprintf(out + used, len > used ? len - used : 0, "%s%.*s", used ? " " : " with ",
					 (int)n, args);
		args += tok;
		args += strspn(args, " ");
	}
}

/* A definition as perf -l shows it: "(on FUNC[+OFF][%return][@SRC] in PATH with ARGS)". */
static int list_one(bool kprobe, bool ret, const char *group, const char *event, const char *rest, void *arg)
{
	char name[256], target[600], where[900], with[600], func[128];
	const char *args = rest + strcspn(rest, " ");
	uint64_t delta = 0;
	char *colon;

	snprintf(name, sizeof(name), "%s:%s", group, event);
	snprintf(target, sizeof(target), "%.*s", (int)(args - rest), rest);
	arg_names(args + strspn(args, " "), with, sizeof(with));
	colon = strrchr(target, ':');
	if (!kprobe && colon && !strncmp(colon, ":0x", 3)) {
		*colon = 0;
		if (probe_dwarf__func_at_offset(target, strtoull(colon + 1, NULL, 16), func, sizeof(func), &delta) == 0) {
			struct probe_func *f = calloc(1, sizeof(*f));
			bool src = f && probe_dwarf__func(target, func, f) == 0 && f->cu_name[0];
			char off[32] = "";

			if (delta)
				snprintf(off, sizeof(off), "+%llu", (unsigned long long)delta);
			snprintf(where, sizeof(where), "%s%s%s%s%s in %s", func, off, ret ? "%return" : "", src ? "@" : "",
				 src ? f->cu_name : "", target);
			free(f);
		} else {
			snprintf(where, sizeof(where), "%s in %s", colon + 1, target);
		}
	} else {
		snprintf(where, sizeof(where), "%s%s", target, ret ? "%return" : "");
	}
	fprintf(arg, "  %-20s (on %s%s)\n", name, where, with);
	return 1;
}

struct list_ctx {
	FILE *out;
	const char *glob;
};

static int list_match(bool kprobe, bool ret, const char *group, const char *event, const char *rest, void *arg)
{
	struct list_ctx *l = arg;
	char name[256];

	snprintf(name, sizeof(name), "%s:%s", group, event);
	if (l->glob && fnmatch(l->glob, name, 0) && fnmatch(l->glob, event, 0))
		return 0;
	return list_one(kprobe, ret, group, event, rest, l->out);
}

int probe__list(FILE *out, const char *glob)
{
	struct list_ctx l = { .out = out, .glob = glob };

	return for_each_def(list_match, &l);
}

struct del_ctx {
	const char *glob;
	void (*deleted)(const char *name, void *arg);
	void *arg;
	char names[256][200];
	bool kprobe[256];
	int n;
};

static int collect(bool kprobe, bool ret, const char *group, const char *event, const char *rest, void *arg)
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
