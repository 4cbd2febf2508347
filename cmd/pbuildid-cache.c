/* pbuildid-cache: perf buildid-cache's command line over symbols/buildid_cache.h: add, remove,
 * purge and list entries in perf's cache layout, and the build-ids of a recording that are
 * missing from it. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/common/common.h"
#include "perfdata/reader.h"
#include "symbols/buildid_cache.h"
#include "symbols/elf_file.h"
#include "util/error.h"
#include "util/log.h"

static void usage(FILE *f)
{
	fputs("usage: pbuildid-cache [options]\n"
	      "Manage the build-id cache ($PERF_BUILDID_DIR, else ~/.debug) in perf's layout.\n"
	      "  -a, --add FILE[,FILE]     add ELF files by their build-id\n"
	      "  -r, --remove FILE[,FILE]  remove the files' current build-ids\n"
	      "  -p, --purge FILE[,FILE]   remove every build-id cached for these paths\n"
	      "  -l, --list                list the cache: BUILDID PATH\n"
	      "  -M, --missing PERF.DATA   the recording's build-ids that are not in the cache\n"
	      "      --buildid-dir DIR     the cache directory (as PERF_BUILDID_DIR)\n"
	      "  -v, --verbose             say what was done\n"
	      "  -h, --help                this text\n", f);
}

enum op { OP_ADD, OP_REMOVE, OP_PURGE };

struct bc_args {
	struct cmd_common common;
	const char *lists[3][16];	/* per op, the -x arguments */
	int nr[3];
	bool list;
	const char *missing;
};

static int list_one(void *ctx, const char *hex, const char *path)
{
	(void)ctx;
	printf("%s %s\n", hex, path);
	return 0;
}

/* Each file of a comma list under @op; the number of failures. */
static int each_file(enum op op, const char *list, bool verbose)
{
	static const char *const verbs[] = { "Adding", "Removing", "Purging" };
	char *dup = strdup(list), *save = NULL;
	int bad = 0;

	for (char *f = strtok_r(dup, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		struct error err = { .code = 0 };
		char hex[41] = "";
		int ret;

		if (op == OP_ADD)
			ret = bcache__add(f, NULL, 0, hex, &err);
		else if (op == OP_REMOVE)
			ret = bcache__remove(f, hex, &err);
		else
			ret = bcache__purge(f, &err);
		if (ret < 0) {
			pr_err("%s", err.msg);
			bad++;
		} else if (verbose) {
			fprintf(stderr, "%s %s%s%s: Ok\n", verbs[op], hex, hex[0] ? " " : "", f);
		}
	}
	free(dup);
	return bad;
}

/* -M: the BUILD_ID entries of a recording whose build-id is not cached. */
static int missing(const struct bc_args *a)
{
	struct error err = { .code = 0 };
	struct pd_reader *r;

	if (cmd__check_owner(&a->common, a->missing))
		return 1;
	r = pd_reader__open(a->missing, &err);
	if (!r) {
		pr_err("%s", err.msg);
		return 1;
	}
	for (size_t i = 0; i < pd_reader__nr_build_ids(r); i++) {
		const struct pd_reader_build_id *b = pd_reader__build_id(r, i);
		char hex[41];

		if (bcache__has(b->id, b->size))
			continue;
		build_id__hex(b->id, b->size, hex);
		printf("%s %s\n", hex, b->filename);
	}
	pd_reader__close(r);
	return 0;
}

static int parse_args(int argc, char **argv, struct bc_args *a)
{
	enum { OPT_DIR = 256 };
	static const struct option lopts[] = {
		{ "add", required_argument, NULL, 'a' },
		{ "remove", required_argument, NULL, 'r' },
		{ "purge", required_argument, NULL, 'p' },
		{ "list", no_argument, NULL, 'l' },
		{ "missing", required_argument, NULL, 'M' },
		{ "buildid-dir", required_argument, NULL, OPT_DIR },
		CMD_LOPT_FORCE,
		CMD_LOPT_VERBOSE,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, k;

	while ((c = cmd__getopt(argc, argv, "a:r:p:lM:fvh", lopts)) != -1) {
		k = c == 'a' ? OP_ADD : c == 'r' ? OP_REMOVE : c == 'p' ? OP_PURGE : -1;
		if (k >= 0) {
			if (a->nr[k] == 16)
				return cmd__usage_error("too many -%c options: give a comma-separated list", c);
			a->lists[k][a->nr[k]++] = optarg;
			continue;
		}
		switch (c) {
		case 'l': a->list = true; break;
		case 'M': a->missing = optarg; break;
		case OPT_DIR: setenv("PERF_BUILDID_DIR", optarg, 1); break;
		case 'h': usage(stdout); return 0;
		default:
			if (cmd__option(&a->common, c, optarg))
				return cmd__usage_error(NULL);
		}
	}
	if (optind < argc)
		return cmd__usage_error("unexpected argument '%s': files go after -a, -r or -p", argv[optind]);
	if (!a->nr[0] && !a->nr[1] && !a->nr[2] && !a->list && !a->missing)
		return cmd__usage_error("nothing to do: give -a, -r, -p, -l or -M");
	return CMD_RUN;
}

int main(int argc, char **argv)
{
	struct bc_args a = { .common = CMD_COMMON_DEFAULTS };
	int ret, bad = 0;

	log_set_prog("pbuildid-cache");
	ret = parse_args(argc, argv, &a);
	if (ret != CMD_RUN)
		return ret;
	cmd__log_level(&a.common);
	for (int op = 0; op < 3; op++)
		for (int i = 0; i < a.nr[op]; i++)
			bad += each_file((enum op)op, a.lists[op][i], a.common.verbose > 0);
	if (a.list)
		bcache__for_each(list_one, NULL);
	if (a.missing && missing(&a))
		bad++;
	if (cmd__flush_stdout())
		return 1;
	return bad ? 1 : 0;
}
