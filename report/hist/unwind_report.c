/* Owns the unwind-quality report: the --unwind-stats replay (every sample's chain resolved
 * once through the session, which counts how each user stack ended), the per-DSO table with
 * one fix per DSO, and the one-line summary for report headers. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "report/hist/unwind_report.h"
#include "report/session/session.h"
#include "symbols/dso.h"
#include "unwind/stats.h"
#include "util/array.h"

/* Share of all user stacks, in percent, under which a DSO's early ends get no fix. */
#define FIX_MIN_PCT 1.0

static double pct(uint64_t a, uint64_t b)
{
	return b ? 100.0 * (double)a / (double)b : 0.0;
}

static uint64_t next_size(uint64_t size)
{
	uint64_t n = size ? size * 2 : 16384;

	return n > 65528 ? 65528 : n;
}

void unwind_report__header(const struct unwind_stats *st, FILE *out)
{
	if (!st || !st->samples)
		return;
	fprintf(out, "# DWARF unwinding (%s): %.1f%% of %llu user stacks complete, %.1f%% cut by the "
		"%llu-byte stack copy, %.1f%% stopped by missing CFI, %.1f%% other; see --unwind-stats\n",
		st->backend ? st->backend : "?", pct(st->n[UNWIND_COMPLETE], st->samples),
		(unsigned long long)st->samples, pct(st->n[UNWIND_CUT], st->samples),
		(unsigned long long)st->stack_size, pct(st->n[UNWIND_NO_CFI], st->samples),
		pct(st->samples - st->n[UNWIND_COMPLETE] - st->n[UNWIND_CUT] - st->n[UNWIND_NO_CFI],
		    st->samples));
}

/* The Debian package shipping @path, from dpkg's file lists (report time only). */
static int dpkg_owner(const char *path, char *pkg, size_t size)
{
	const char *dir = "/var/lib/dpkg/info";
	char real[4096], line[4096], file[4400];
	DIR *d;
	struct dirent *e;
	int found = 0;

	if (!realpath(path, real))
		snprintf(real, sizeof(real), "%s", path);
	d = opendir(dir);
	if (!d)
		return 0;
	while (!found && (e = readdir(d))) {
		size_t l = strlen(e->d_name);
		FILE *f;

		if (l < 6 || strcmp(e->d_name + l - 5, ".list"))
			continue;
		snprintf(file, sizeof(file), "%s/%s", dir, e->d_name);
		f = fopen(file, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\n")] = '\0';
			/* merged /usr: dpkg may list /lib/... for /usr/lib/... */
			if (!strcmp(line, path) || !strcmp(line, real) ||
			    (!strncmp(real, "/usr/", 5) && !strcmp(line, real + 4))) {
				char *colon;

				snprintf(pkg, size, "%.*s", (int)(l - 5), e->d_name);
				colon = strchr(pkg, ':');	/* libc6:amd64 */
				if (colon)
					*colon = '\0';
				found = 1;
				break;
			}
		}
		fclose(f);
	}
	closedir(d);
	return found;
}

static void print_fix(const struct unwind_stats *st, const struct unwind_stats_row *r, FILE *out)
{
	const char *name = r->dso ? r->dso->name : "[unknown]";
	uint64_t worst = 0;
	int stop = UNWIND_COMPLETE;
	char pkg[256];

	for (int i = 1; i < UNWIND_NR_STOPS; i++) {
		if (r->n[i] > worst) {
			worst = r->n[i];
			stop = i;
		}
	}
	/* a fix is advised only where it would change the profile: stacks that end early here
	 * make up at least FIX_MIN_PCT of all the user stacks */
	if (pct(worst, st->samples) < FIX_MIN_PCT)
		stop = UNWIND_COMPLETE;
	switch (stop) {
	case UNWIND_COMPLETE:
		fputs("-", out);
		break;
	case UNWIND_CUT:
		fprintf(out, "raise --call-graph dwarf,%llu", (unsigned long long)next_size(st->stack_size));
		break;
	case UNWIND_NO_CFI:
		if (r->dso && r->dso->kind == DSO_USER && dpkg_owner(name, pkg, sizeof(pkg)))
			fprintf(out, "install the -dbgsym package of %s (%s-dbgsym)", pkg, pkg);
		else if (r->dso && r->dso->kind == DSO_USER)
			fprintf(out, "build %s with unwind tables (-fasynchronous-unwind-tables) or frame pointers", name);
		else
			fputs("code without unwind tables (JIT?): record with --call-graph fp", out);
		break;
	case UNWIND_NO_FILE:
		fprintf(out, "%s is missing here: report where it was recorded", name);
		break;
	case UNWIND_NO_MAP:
		fputs("return address outside every mapping: JIT code needs /tmp/perf-PID.map; else --call-graph fp", out);
		break;
	case UNWIND_MAX_DEPTH:
		fputs("deeper than the frame limit (127)", out);
		break;
	default:
		fprintf(out, "the CFI of %s does not describe these frames; try --call-graph fp", name);
		break;
	}
	fputc('\n', out);
}

static int cmp_rows(const void *a, const void *b)
{
	const struct unwind_stats_row *x = *(const struct unwind_stats_row *const *)a, *y = *(const struct unwind_stats_row *const *)b;

	if (x->samples != y->samples)
		return x->samples > y->samples ? -1 : 1;
	if (!x->dso || !y->dso)
		return !x->dso - !y->dso;
	return strcmp(x->dso->name, y->dso->name);
}

void unwind_report__table(const struct unwind_stats *st, FILE *out)
{
	struct unwind_stats_row **rows;
	size_t n = 0;

	if (!st || !st->samples) {
		fputs("# no samples with a user stack copy (record with --call-graph dwarf)\n", out);
		return;
	}
	fprintf(out, "# DWARF unwinding of %llu user stacks (%s), stack copy %llu bytes, %.1f frames on average\n",
		(unsigned long long)st->samples, st->backend ? st->backend : "?",
		(unsigned long long)st->stack_size, (double)st->frames / (double)st->samples);
	fprintf(out, "# complete %.2f%%, cut by the stack copy %.2f%%, no CFI %.2f%%, no map %.2f%%, "
		"no file %.2f%%, bad frame %.2f%%, max depth %.2f%%; frame pointers bridged %.2f%%\n#\n",
		pct(st->n[UNWIND_COMPLETE], st->samples), pct(st->n[UNWIND_CUT], st->samples),
		pct(st->n[UNWIND_NO_CFI], st->samples), pct(st->n[UNWIND_NO_MAP], st->samples),
		pct(st->n[UNWIND_NO_FILE], st->samples), pct(st->n[UNWIND_BAD], st->samples),
		pct(st->n[UNWIND_MAX_DEPTH], st->samples), pct(st->fp, st->samples));
	fprintf(out, "# %8s %9s %9s %9s %9s %9s  %-40s %s\n", "samples", "complete", "cut", "no CFI",
		"other", "fp-bridged", "where stacks end", "fix");
	rows = calloc(st->nr ? st->nr : 1, sizeof(*rows));
	if (!rows)
		return;
	for (size_t i = 0; i < st->nr; i++)
		rows[n++] = &st->rows[i];
	array__sort(rows, n, sizeof(*rows), cmp_rows);
	for (size_t i = 0; i < n; i++) {
		const struct unwind_stats_row *r = rows[i];
		uint64_t other = r->samples - r->n[UNWIND_COMPLETE] - r->n[UNWIND_CUT] - r->n[UNWIND_NO_CFI];

		fprintf(out, "  %8llu %8.2f%% %8.2f%% %8.2f%% %8.2f%% %9.2f%%  %-40s ",
			(unsigned long long)r->samples, pct(r->n[UNWIND_COMPLETE], r->samples),
			pct(r->n[UNWIND_CUT], r->samples), pct(r->n[UNWIND_NO_CFI], r->samples),
			pct(other, r->samples), pct(r->fp, r->samples),
			r->dso ? r->dso->name : "[unknown]");
		print_fix(st, r, out);
	}
	free(rows);
}

static int on_sample(void *ctx, struct session *s, const struct pd_sample *sample,
		     struct pd_evsel *evsel, struct thread *thread)
{
	const struct addr_loc *frames;

	session__callchain(s, thread, sample, &frames);
	return 0;
}

int unwind_report__run(const char *path, FILE *out, struct error *err)
{
	struct session *s = session__open(path, &(struct session_opts){ .demangle = true }, err);
	int ret;

	if (!s)
		return err && err->code ? err->code : -1;
	ret = session__process(s, &(struct session_tool){ .sample = on_sample }, err);
	if (!ret) {
		unwind_report__header(session__unwind_stats(s), out);
		unwind_report__table(session__unwind_stats(s), out);
	}
	session__close(s);
	return ret;
}
