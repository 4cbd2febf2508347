/* Owns the generic per-event terms (sampler/event_terms.h): their names, values and the
 * messages for bad ones. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sampler/event_terms.h"
#include "util/error.h"

static int bad(struct error *err, int pos, const char *fmt, const char *arg)
{
	if (err) {
		err->code = -EINVAL;
		err->pos = pos;
		snprintf(err->msg, sizeof(err->msg), fmt, arg);
	}
	return -EINVAL;
}

static int number(const char *s, uint64_t *out)
{
	char *end;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return errno || *end ? -1 : 0;
}

/* call-graph=fp|dwarf|no|lbr; the dwarf size may follow as the next comma item */
static int call_graph(const char *v, struct evsel_cfg *cfg)
{
	if (!strcmp(v, "fp"))
		cfg->call_graph = EVSEL_CG_FP;
	else if (!strcmp(v, "dwarf"))
		cfg->call_graph = EVSEL_CG_DWARF;
	else if (!strcmp(v, "no"))
		cfg->call_graph = EVSEL_CG_NONE;
	else
		return -1;
	return 0;
}

static int one_term(char *t, struct evsel_cfg *cfg, char *name, size_t name_size, bool *took)
{
	char *eq = strchr(t, '=');
	const char *v = eq ? eq + 1 : NULL;
	uint64_t n = 0;

	*took = true;
	if (eq)
		*eq = 0;
	if (!strcmp(t, "no-inherit") && !v) {
		cfg->no_inherit = true;
	} else if (!strcmp(t, "inherit") && !v) {
		cfg->no_inherit = false;
	} else if (!strcmp(t, "name") && name) {
		if (!v || !*v || strlen(v) >= name_size)
			return -1;
		strcpy(name, v);
	} else if (!strcmp(t, "call-graph")) {
		if (!v || call_graph(v, cfg))
			return -1;
	} else if (!strcmp(t, "period") || !strcmp(t, "freq") || !strcmp(t, "max-stack") ||
		   !strcmp(t, "stack-size")) {
		if (!v || number(v, &n) || n == 0)
			return -1;
		if (t[0] == 'p') {
			cfg->period_set = true;
			cfg->freq_set = false;
			cfg->period = n;
		} else if (t[0] == 'f') {
			cfg->freq_set = true;
			cfg->period_set = false;
			cfg->freq = n;
		} else if (t[0] == 'm') {
			if (n > 65535)
				return -1;
			cfg->max_stack = (uint16_t)n;
		} else {
			if (n > 65528)
				return -1;
			cfg->stack_size = (uint32_t)((n + 7) & ~7ULL);
		}
	} else {
		*took = false;
	}
	if (eq)
		*eq = '=';
	return 0;
}

int event_terms__split(const char *terms, struct evsel_cfg *cfg, char *name, size_t name_size,
		       char *rest, size_t rest_size, struct error *err)
{
	char buf[512];
	size_t rlen = 0;
	char *t, *save = NULL;
	bool after_dwarf = false;

	if (rest_size)
		rest[0] = 0;
	if (strlen(terms) >= sizeof(buf))
		return bad(err, 0, "%s", "terms too long");
	strcpy(buf, terms);
	for (t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		int pos = (int)(t - buf);
		uint64_t n;
		bool took;

		/* call-graph=dwarf,4096: the size is the next item */
		if (after_dwarf && !number(t, &n)) {
			after_dwarf = false;
			if (n == 0 || n > 65528)
				return bad(err, pos, "dwarf stack size '%s': 8 to 65528 bytes", t);
			cfg->stack_size = (uint32_t)((n + 7) & ~7ULL);
			continue;
		}
		after_dwarf = false;
		char orig[sizeof(buf)];

		strcpy(orig, t);
		if (one_term(t, cfg, name, name_size, &took))
			return bad(err, pos, "bad value in term '%s' (period=N, freq=N, max-stack=N, "
				   "call-graph=fp|dwarf[,SIZE]|no, stack-size=N, no-inherit, name=X)", orig);
		after_dwarf = took && cfg->call_graph == EVSEL_CG_DWARF && !strncmp(t, "call-graph=", 11);
		if (took)
			continue;
		if (!rest_size)
			return bad(err, pos, "unknown term '%s' (period, freq, max-stack, call-graph, "
				   "stack-size, no-inherit, inherit, name)", t);
		if (rlen + strlen(t) + 2 > rest_size)
			return bad(err, pos, "%s", "terms too long");
		rlen += (size_t)sprintf(rest + rlen, "%s%s", rlen ? "," : "", t);
	}
	return 0;
}
