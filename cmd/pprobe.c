/* pprobe: add, list and delete dynamic probes (uprobes, kprobes), as perf probe does. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/common/common.h"
#include "sampler/probe.h"
#include "sampler/probe_dwarf.h"
#include "util/log.h"

static const char usage_text[] =
	"Usage: pprobe [-x BINARY] [-a] '[[GROUP:]EVENT=]FUNC[@SRC][:RLN|+OFFS|%return|;PTN] [ARG ...]'\n"
	"       pprobe [-x BINARY] [-a] '[EVENT=]FILE:LINE [ARG ...]'\n"
	"       pprobe -l [GLOB] | -d EVENT | -x BINARY -V FUNC | -x BINARY -L FUNC | -x BINARY -F [FILTER]\n"
	"Add dynamic probes (uprobes with -x, else kprobes) that pstat -e and precord -e then use.\n\n"
	"  -a, --add DEFINITION       add a probe (repeatable; the words after the options are one too)\n"
	"  -d, --del EVENT            delete probes: GROUP:EVENT or EVENT, globs ('probe_prog:*')\n"
	"  -l, --list [GLOB]          list the probes\n"
	"  -L, --line FUNC            the source lines of FUNC where a probe can go (-x, debug info)\n"
	"  -V, --vars FUNC            the variables of FUNC an argument can name (-x, debug info)\n"
	"  -F, --funcs [FILTER]       the functions of -x BINARY (glob; default all but _*)\n"
	"  -x, --exec BINARY          probe this executable or library (uprobes)\n"
	"  -m, --module MODULE        kernel module probes (kprobes)\n"
	"  -f, --force                a taken event name gets _1, _2, ... instead of failing\n"
	"  -n, --dry-run              say what would be added, add nothing\n"
	"  -q, --quiet                errors only\n"
	"  -v, --verbose              more messages\n"
	"      --list-opts            pprobe's long options (for shell completion)\n"
	"  -h, --help                 this help\n"
	"ARG: [NAME=]VAR[:TYPE]; VAR a variable of FUNC, $params, $retval (%return probes), $stackN,\n"
	"a register (%di) or +OFF(%reg); TYPE u8..u64, s8..s64, x8..x64 or string.\n";

static const struct option longopts[] = {
	{ "add", required_argument, 0, 'a' },
	{ "del", required_argument, 0, 'd' },
	{ "list", optional_argument, 0, 'l' },
	{ "line", required_argument, 0, 'L' },
	{ "vars", required_argument, 0, 'V' },
	{ "funcs", optional_argument, 0, 'F' },
	{ "exec", required_argument, 0, 'x' },
	{ "module", required_argument, 0, 'm' },
	{ "force", no_argument, 0, 'f' },
	{ "dry-run", no_argument, 0, 'n' },
	{ "quiet", no_argument, 0, 'q' },
	CMD_LOPT_VERBOSE,
	{ "help", no_argument, 0, 'h' },
	{ 0, 0, 0, 0 },
};

struct pprobe_args {
	const char *binary;
	const char *dels[64];
	const char *adds[64];
	int nr_dels, nr_adds;
	bool list, funcs, force, dry_run, quiet;
	const char *list_glob, *funcs_filter, *line_func, *vars_func, *module;
	char def[1024];		/* the words after the options */
};

static void say_deleted(const char *name, void *arg)
{
	if (!*(const bool *)arg)
		fprintf(stderr, "Removed event: %s\n", name);
}

static int parse_args(int argc, char **argv, struct pprobe_args *a)
{
	size_t used = 0;
	int c;

	while ((c = cmd__getopt(argc, argv, "+a:d:l::L:V:F::x:m:fnqvh", longopts)) != -1) {
		switch (c) {
		case 'a':
			if (a->nr_adds < 64)
				a->adds[a->nr_adds++] = optarg;
			break;
		case 'd':
			if (a->nr_dels < 64)
				a->dels[a->nr_dels++] = optarg;
			break;
		case 'l':
			a->list = true;
			a->list_glob = optarg ? optarg : (optind < argc && argv[optind][0] != '-' ? argv[optind++] : NULL);
			break;
		case 'L': a->line_func = optarg; break;
		case 'V': a->vars_func = optarg; break;
		case 'F':
			a->funcs = true;
			a->funcs_filter = optarg ? optarg : (optind < argc && argv[optind][0] != '-' ? argv[optind++] : NULL);
			break;
		case 'x': a->binary = optarg; break;
		case 'm': a->module = optarg; break;
		case 'f': a->force = true; break;
		case 'n': a->dry_run = true; break;
		case 'q': a->quiet = true; break;
		case 'v': break;
		case 'h': fputs(usage_text, stdout); exit(cmd__flush_stdout());
		default: return cmd__usage_error(NULL);
		}
	}
	for (int i = optind; i < argc; i++)
		used += (size_t)snprintf(a->def + used, sizeof(a->def) - used, "%s%s", used ? " " : "", argv[i]);
	if (a->def[0] && a->nr_adds < 64)
		a->adds[a->nr_adds++] = a->def;
	if ((a->line_func || a->vars_func || (a->funcs && !a->module)) && !a->binary)
		return cmd__usage_error("-L, -V and -F read a binary's debug info: give -x BINARY (kernel functions need kprobes and vmlinux debug info)");
	if (!a->nr_adds && !a->nr_dels && !a->list && !a->line_func && !a->vars_func && !a->funcs)
		return cmd__usage_error("no probe given: pprobe -x BINARY 'FUNC', -l or -d GROUP:NAME");
	return CMD_RUN;
}

/* -V FUNC: the variables, as perf probe -V prints them. */
static int show_vars(const struct pprobe_args *a)
{
	struct probe_func *f = calloc(1, sizeof(*f));
	int err = f ? probe_dwarf__func(a->binary, a->vars_func, f) : -ENOMEM;

	if (err) {
		fprintf(stderr, "pprobe: no debug info for '%s' in %s: build it with -g\n", a->vars_func, a->binary);
		free(f);
		return 1;
	}
	printf("Available variables at %s\n\t@<%s+0>\n", f->name, f->name);
	for (int i = 0; i < f->nr_vars; i++)
		printf("\t\t%s\t%s\n", f->vars[i].ctype, f->vars[i].name);
	free(f);
	return cmd__flush_stdout();
}

/* -L FUNC: the function's source from its declaration line to three lines past the last line
 * a probe can go on (or the end of the file), those lines numbered from 0, as perf probe -L
 * prints them. */
static int show_lines(const struct pprobe_args *a)
{
	struct probe_func *f = calloc(1, sizeof(*f));
	int rel[512], lines[512], n = -1, nl = -1, last, ln = 0, k = 0;
	uint64_t addrs[512];
	char text[1024];
	FILE *src = NULL;

	if (f && probe_dwarf__func(a->binary, a->line_func, f) == 0) {
		n = probe_dwarf__probe_lines(a->binary, f, rel, 512);
		nl = probe_dwarf__lines(a->binary, f, lines, addrs, 512, &last);
	}
	if (n <= 0 || nl <= 0) {
		fprintf(stderr, "pprobe: no line information for '%s' in %s: build it with -g\n", a->line_func, a->binary);
		free(f);
		return 1;
	}
	src = fopen(f->decl_file, "r");
	if (!src) {
		fprintf(stderr, "pprobe: cannot read the source '%s': %s\n", f->decl_file, strerror(errno));
		free(f);
		return 1;
	}
	last = f->decl_line;
	for (int i = 0; i < n; i++)
		if (f->decl_line + rel[i] > last)
			last = f->decl_line + rel[i];
	last += 3;	/* perf shows what follows the last probe line (observed: three lines) */
	printf("<%s@%s:0>\n", f->name, f->decl_file);
	while (fgets(text, sizeof(text), src) && ++ln <= last) {
		if (ln < f->decl_line)
			continue;
		while (k < n && rel[k] < ln - f->decl_line)
			k++;
		if (k < n && rel[k] == ln - f->decl_line)
			printf("%7d  %s", rel[k], text);
		else
			printf("         %s", text);
	}
	fclose(src);
	free(f);
	return cmd__flush_stdout();
}

static void say_added(const struct pprobe_args *a, const struct probe *p, bool first)
{
	char name[256];

	if (a->quiet)
		return;
	snprintf(name, sizeof(name), "%s:%s", p->group, p->event);
	if (first)
		fprintf(stderr, "Added new event%s:\n", a->nr_adds > 1 ? "s" : "");
	fprintf(stderr, "  %-20s (on %s%s%s%s%s)\n", name, p->spec, p->binary[0] ? " in " : "", p->binary,
		p->user_args[0] ? " with " : "", p->user_args);
}

/* Every definition, all or nothing: a failure removes what this run added before it. */
static int add_all(const struct pprobe_args *a)
{
	static struct probe probes[64];
	struct error e = { 0 };
	int i, err = 0;
	bool quiet = true;

	probe__set_force(a->force);
	for (i = 0; i < a->nr_adds && !err; i++) {
		err = probe__parse(&probes[i], a->binary, a->adds[i], &e);
		if (!err)
			err = probe__resolve(&probes[i], &e);
		if (!err && !a->dry_run)
			err = probe__add(&probes[i], &e);
	}
	if (err) {
		fprintf(stderr, "pprobe: %s\n", e.msg[0] ? e.msg : strerror(-err));
		for (int k = 0; k < i - 1 && !a->dry_run; k++) {
			char name[256];

			snprintf(name, sizeof(name), "%s:%s", probes[k].group, probes[k].event);
			probe__delete(name, say_deleted, &quiet);
		}
		return 1;
	}
	for (i = 0; i < a->nr_adds; i++)
		say_added(a, &probes[i], i == 0);
	if (!a->quiet)
		fprintf(stderr, "\nYou can now use %s in pstat and precord, such as:\n\n\tprecord -e %s:%s -a sleep 1\n\n",
			a->nr_adds > 1 ? "them" : "it", probes[a->nr_adds - 1].group, probes[a->nr_adds - 1].event);
	return 0;
}

static int del_all(const struct pprobe_args *a)
{
	for (int i = 0; i < a->nr_dels; i++) {
		char glob[300];
		int err;

		/* EVENT alone: in any group, as perf takes it */
		snprintf(glob, sizeof(glob), "%s%s", strchr(a->dels[i], ':') ? "" : "*:", a->dels[i]);
		err = probe__delete(glob, say_deleted, (void *)&a->quiet);
		if (err == 0) {
			fprintf(stderr, "pprobe: no probe matches '%s' (see pprobe -l)\n", a->dels[i]);
			return 1;
		}
		if (err < 0) {
			fprintf(stderr, "pprobe: cannot delete '%s': %s\n", a->dels[i], strerror(-err));
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct pprobe_args a = { .binary = NULL };
	int ret;

	log_set_prog("pprobe");
	ret = parse_args(argc, argv, &a);
	if (ret != CMD_RUN)
		return ret;
	if (a.module) {
		fprintf(stderr, "pprobe: -m %s: module probes are kprobes on the module's functions: pprobe FUNC, without -m, once the module is loaded\n",
			a.module);
		return 1;
	}
	if (a.nr_dels && (ret = del_all(&a)))
		return ret;
	if (a.nr_adds && (ret = add_all(&a)))
		return ret;
	if (a.list && probe__list(stdout, a.list_glob) < 0)
		return 1;
	if (a.vars_func)
		return show_vars(&a);
	if (a.line_func)
		return show_lines(&a);
	if (a.funcs) {
		int n = probe_dwarf__symbols(a.binary, a.funcs_filter, stdout);

		if (n < 0) {
			fprintf(stderr, "pprobe: no symbol table in %s\n", a.binary);
			return 1;
		}
	}
	return cmd__flush_stdout();
}
