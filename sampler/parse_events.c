/* Owns the event grammar shared by every command:
 *   list   := item (',' item)*
 *   item   := '{' event (',' event)* '}' [':' mods] | event
 *   event  := symbolic [':' mods] | cache [':' mods] | 'r' HEX [':' mods]
 *           | pmu '/' terms '/' [':' mods] | sys ':' name [':' mods]   (globs allowed)
 * Names and numbers come from <linux/perf_event.h>, sysfs and tracefs. */
#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sampler/event_names.h"
#include "sampler/event_terms.h"
#include "sampler/evlist.h"
#include "sampler/pmu.h"
#include "sampler/tracefs.h"
#include "util/error.h"

struct parser {
	struct evlist *evlist;
	const char *spec;
	struct error *err;
};

static int parse_fail(struct parser *p, const char *at, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int parse_fail(struct parser *p, const char *at, int errnum, const char *fmt, ...)
{
	va_list ap;

	if (p->err) {
		p->err->code = -errnum;
		error__what(p->err, "%s", p->spec);
		p->err->pos = (int)(at - p->spec);
		va_start(ap, fmt);
		vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
		va_end(ap);
	}
	return -errnum;
}

/* Apply perf's modifier letters; returns the offset of a bad letter or -1. */
static int apply_modifiers(struct perf_event_attr *attr, const char *mods, size_t len)
{
	bool u = false, k = false, h = false, G = false, H = false;
	bool no_guest = false;	/* perf: 'u' and 'p' leave the guest out unless G/H say */
	int precise = 0;

	for (size_t i = 0; i < len; i++) {
		switch (mods[i]) {
		case 'u': u = true; no_guest = true; break;
		case 'k': k = true; break;
		case 'h': h = true; break;
		case 'G': G = true; break;
		case 'H': H = true; break;
		case 'p': precise++; no_guest = true; break;
		case 'P': precise = 3; break;
		case 'I': attr->exclude_idle = 1; break;
		case 'D': attr->pinned = 1; break;
		case 'e': attr->exclusive = 1; break;
		case 'S': case 'W': break;	/* sample-read, weak group: no effect on counting */
		default: return (int)i;
		}
	}
	if (precise > 3)
		return (int)len - 1;
	if (u || k || h) {
		attr->exclude_user = !u;
		attr->exclude_kernel = !k;
		attr->exclude_hv = !h;
	}
	if (G || H) {
		attr->exclude_guest = !G;
		attr->exclude_host = !H;
	} else if (no_guest) {
		attr->exclude_guest = 1;
	}
	if (precise)
		attr->precise_ip = precise;
	return -1;
}

int evlist__attr_name(const struct perf_event_attr *attr, const char *base, char *buf, size_t size)
{
	char m[16];
	size_t n = 0;
	bool guest_default = false;	/* what 'u'/'p' make of exclude_guest */

	if (attr->exclude_kernel || attr->exclude_user || attr->exclude_hv) {
		if (!attr->exclude_kernel)
			m[n++] = 'k';
		if (!attr->exclude_user)
			m[n++] = 'u';
		if (!attr->exclude_hv)
			m[n++] = 'h';
		guest_default = true;
	}
	for (unsigned int i = 0; i < attr->precise_ip && i < 3; i++)
		m[n++] = 'p';
	if (attr->precise_ip)
		guest_default = true;
	if (attr->exclude_host || (bool)attr->exclude_guest == guest_default) {
		if (!attr->exclude_host)
			m[n++] = 'H';
		if (!attr->exclude_guest)
			m[n++] = 'G';
	}
	m[n] = '\0';
	return snprintf(buf, size, "%s%s%s", base, n ? ":" : "", m);
}

static int add_event(struct parser *p, const struct perf_event_attr *attr, const char *name,
		     size_t name_len, const struct pmu_event_info *info)
{
	char buf[512];
	struct evsel *evsel;
	int err;

	snprintf(buf, sizeof(buf), "%.*s", (int)name_len, name);
	evsel = evsel__new(attr, buf);
	if (!evsel)
		return -ENOMEM;
	if (info) {
		evsel->scale = info->scale ? info->scale : 1.0;
		if (info->unit[0])
			snprintf(evsel->unit, sizeof(evsel->unit), "%s", info->unit);
	}
	err = evlist__add(p->evlist, evsel);
	if (err)
		evsel__free(evsel);
	return err;
}

struct tp_ctx {
	struct parser *p;
	const char *mods;	/* including the ':' or NULL */
	size_t mods_len;
	struct perf_event_attr base;
	struct evsel_cfg cfg;	/* EV/terms/ */
	const char *name;	/* name=X, or NULL */
};

static int add_tracepoint(const char *sys, const char *name, int id, void *arg)
{
	struct tp_ctx *ctx = arg;
	struct perf_event_attr attr = ctx->base;
	char full[512];
	int n;

	attr.type = PERF_TYPE_TRACEPOINT;
	attr.config = (uint64_t)id;
	attr.sample_period = 1;
	struct evsel *e;
	int err;

	if (ctx->name)
		n = snprintf(full, sizeof(full), "%s", ctx->name);
	else
		n = snprintf(full, sizeof(full), "%s:%s%.*s", sys, name, (int)ctx->mods_len,
			     ctx->mods ? ctx->mods : "");
	err = add_event(ctx->p, &attr, full, (size_t)n, NULL);
	if (err)
		return err;
	e = ctx->p->evlist->entries[ctx->p->evlist->nr - 1];
	e->cfg = ctx->cfg;
	snprintf(e->cfg.tp, sizeof(e->cfg.tp), "%s:%s", sys, name);
	return 0;
}

/* The last event added takes the terms. */
static void set_cfg(struct parser *p, const struct evsel_cfg *cfg)
{
	p->evlist->entries[p->evlist->nr - 1]->cfg = *cfg;
}

/* "/terms/" starting at @slash, ended before @end: the terms into @cfg (and @name), @rest for a
 * PMU (NULL: none allowed); *after = what follows the closing '/'. */
static int parse_slash_terms(struct parser *p, const char *slash, const char *end, struct evsel_cfg *cfg,
			     char *name, size_t name_size, char *rest, size_t rest_size, const char **after)
{
	const char *close = slash + 1;
	char terms[512];
	struct error terr = { .pos = 0 };

	while (close < end && *close != '/')
		close++;
	if (close >= end)
		return parse_fail(p, slash, EINVAL, "missing closing '/'");
	if ((size_t)(close - slash - 1) >= sizeof(terms))
		return parse_fail(p, slash, EINVAL, "event too long");
	memcpy(terms, slash + 1, close - slash - 1);
	terms[close - slash - 1] = 0;
	if (event_terms__split(terms, cfg, name, name_size, rest, rest_size, &terr))
		return parse_fail(p, slash + 1 + terr.pos, EINVAL, "%s", terr.msg);
	*after = close + 1;
	return 0;
}

static bool has_glob(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == '*' || s[i] == '?' || s[i] == '[')
			return true;
	return false;
}

static int parse_tracepoint(struct parser *p, const char *ev, size_t len, const char *colon)
{
	struct tp_ctx ctx = { .p = p };
	const char *name = colon + 1, *mods = memchr(name, ':', len - (size_t)(name - ev));
	const char *slash = memchr(name, '/', len - (size_t)(name - ev));
	size_t name_len = (mods ? (size_t)(mods - name) : len - (size_t)(name - ev));
	char sys[256], evname[256], tname[256] = "";
	int n, bad;

	if (slash && (!mods || slash < mods)) {
		/* sys:name/terms/[:mods] */
		const char *after;
		int err = parse_slash_terms(p, slash, ev + len, &ctx.cfg, tname, sizeof(tname), NULL, 0, &after);

		if (err)
			return err;
		name_len = (size_t)(slash - name);
		mods = after < ev + len ? after : NULL;
		if (mods && *mods != ':')
			return parse_fail(p, mods, EINVAL, "expected ':' after the terms");
		if (tname[0])
			ctx.name = tname;
	}

	if ((size_t)(colon - ev) >= sizeof(sys) || name_len >= sizeof(evname) || !name_len ||
	    colon == ev)
		return parse_fail(p, ev, EINVAL, "unknown event '%.*s'", (int)len, ev);
	memcpy(sys, ev, colon - ev);
	sys[colon - ev] = 0;
	memcpy(evname, name, name_len);
	evname[name_len] = 0;
	if (mods) {
		ctx.mods = mods;
		ctx.mods_len = len - (size_t)(mods - ev);
		bad = apply_modifiers(&ctx.base, mods + 1, ctx.mods_len - 1);
		if (bad >= 0)
			return parse_fail(p, mods + 1 + bad, EINVAL, "unknown modifier '%c'", mods[1 + bad]);
	}
	if (!tracefs__mountpoint()) {
		char why[400];

		if (tracefs__denied(why, sizeof(why)))
			return parse_fail(p, ev, EACCES, "%s", why);
		return parse_fail(p, ev, ENODEV,
				  "tracefs is not mounted: mount it with 'mount -t tracefs nodev /sys/kernel/tracing'");
	}
	n = tracefs__for_each_event(sys, evname, add_tracepoint, &ctx);
	if (n < 0)
		return parse_fail(p, ev, -n, "cannot add tracepoint '%.*s': %s", (int)len, ev, strerror(-n));
	if (n == 0) {
		if (has_glob(ev, len))
			return parse_fail(p, ev, ENOENT, "no tracepoint matches '%.*s'", (int)len, ev);
		return parse_fail(p, ev, ENOENT, "unknown tracepoint '%.*s' (see tracefs available_events)",
				  (int)len, ev);
	}
	return 0;
}

static int parse_pmu(struct parser *p, const char *ev, size_t len, const char *slash)
{
	const char *end = ev + len, *close = slash + 1;
	struct perf_event_attr attr = { 0 };
	struct pmu_event_info info;
	struct error perr = { .pos = 0 };
	struct evsel_cfg cfg = { 0 };
	char pmu[128], terms[512];
	int err;

	while (close < end && *close != '/')
		close++;
	if (close >= end)
		return parse_fail(p, slash, EINVAL, "missing closing '/'");
	if ((size_t)(slash - ev) >= sizeof(pmu) || (size_t)(close - slash - 1) >= sizeof(terms))
		return parse_fail(p, ev, EINVAL, "event too long");
	memcpy(pmu, ev, slash - ev);
	pmu[slash - ev] = 0;
	memcpy(terms, slash + 1, close - slash - 1);
	terms[close - slash - 1] = 0;
	if (!pmu__exists(pmu))
		return parse_fail(p, ev, ENOENT, "unknown PMU '%s' (see /sys/bus/event_source/devices)", pmu);
	{
		/* the generic terms are the recorder's; the rest are the PMU's formats */
		char rest[512];
		struct error terr = { .pos = 0 };

		if (event_terms__split(terms, &cfg, NULL, 0, rest, sizeof(rest), &terr))
			return parse_fail(p, slash + 1 + terr.pos, EINVAL, "%s", terr.msg);
		strcpy(terms, rest);
	}
	err = pmu__parse_terms(pmu, terms, &attr, &info, &perr);
	if (err)
		return parse_fail(p, slash + 1 + perr.pos, -err, "%s", perr.msg);
	if (close + 1 < end) {
		const char *mods = close + 1;
		int bad;

		if (*mods == ':')
			mods++;
		bad = apply_modifiers(&attr, mods, (size_t)(end - mods));
		if (bad >= 0)
			return parse_fail(p, mods + bad, EINVAL, "unknown modifier '%c'", mods[bad]);
	}
	err = info.name[0] ? add_event(p, &attr, info.name, strlen(info.name), &info) :
			     add_event(p, &attr, ev, len, &info);
	if (!err)
		set_cfg(p, &cfg);
	return err;
}

/* A symbolic event with terms: cpu-clock/period=1000,max-stack=8/[:mods]. perf names it as
 * written unless name= says otherwise. */
static int parse_event_terms(struct parser *p, const char *ev, size_t len, const char *slash,
			     struct perf_event_attr *attr)
{
	struct evsel_cfg cfg = { 0 };
	const char *after, *end = ev + len;
	char name[256] = "";
	int err = parse_slash_terms(p, slash, end, &cfg, name, sizeof(name), NULL, 0, &after);

	if (err)
		return err;
	if (after < end) {
		int bad;

		if (*after == ':')
			after++;
		bad = apply_modifiers(attr, after, (size_t)(end - after));
		if (bad >= 0)
			return parse_fail(p, after + bad, EINVAL, "unknown modifier '%c'", after[bad]);
	}
	err = name[0] ? add_event(p, attr, name, strlen(name), NULL) : add_event(p, attr, ev, len, NULL);
	if (!err)
		set_cfg(p, &cfg);
	return err;
}

/* One event (no braces, no commas outside PMU terms). */
static int parse_event(struct parser *p, const char *ev, size_t len)
{
	const char *end = ev + len, *colon = memchr(ev, ':', len), *slash = memchr(ev, '/', len);
	size_t base_len = colon ? (size_t)(colon - ev) : len;
	struct perf_event_attr attr = { 0 };
	int bad;

	if (!len)
		return parse_fail(p, ev, EINVAL, "empty event");
	if (slash && (!colon || slash < colon)) {
		if (event_names__lookup(ev, (size_t)(slash - ev), &attr) == 0)
			return parse_event_terms(p, ev, len, slash, &attr);
		return parse_pmu(p, ev, len, slash);
	}
	if (event_names__lookup(ev, base_len, &attr) != 0) {
		if (colon)
			return parse_tracepoint(p, ev, len, colon);
		return parse_fail(p, ev, ENOENT, "unknown event '%.*s' (list the events with 'plist')",
				  (int)len, ev);
	}
	if (colon) {
		bad = apply_modifiers(&attr, colon + 1, (size_t)(end - colon - 1));
		if (bad >= 0)
			return parse_fail(p, colon + 1 + bad, EINVAL, "unknown modifier '%c'", colon[1 + bad]);
	}
	return add_event(p, &attr, ev, len, NULL);
}

/* The end of one item starting at s: a ',' outside braces and PMU slashes, or the end. */
static const char *item_end(const char *s)
{
	int depth = 0;
	bool in_pmu = false;

	for (; *s; s++) {
		if (*s == '/')
			in_pmu = !in_pmu;
		else if (*s == '{' && !in_pmu)
			depth++;
		else if (*s == '}' && !in_pmu)
			depth--;
		else if (*s == ',' && !depth && !in_pmu)
			break;
	}
	return s;
}

static int parse_group(struct parser *p, const char *s, const char *end)
{
	const char *close = end - 1, *mods = NULL;
	int first = p->evlist->nr, err;

	/* '{' ... '}' [':' mods] */
	while (close > s && *close != '}')
		close--;
	if (*close != '}')
		return parse_fail(p, s, EINVAL, "missing '}'");
	if (close + 1 < end) {
		if (close[1] != ':')
			return parse_fail(p, close + 1, EINVAL, "expected ':' after '}'");
		mods = close + 2;
	}
	for (const char *q = s + 1; q < close;) {
		const char *e = item_end(q);

		if (e > close)
			e = close;
		if (*q == '{')
			return parse_fail(p, q, EINVAL, "nested groups are not allowed");
		err = parse_event(p, q, (size_t)(e - q));
		if (err)
			return err;
		q = e + 1;
	}
	if (p->evlist->nr == first)
		return parse_fail(p, s, EINVAL, "empty group");
	for (int i = first; i < p->evlist->nr; i++) {
		struct evsel *evsel = p->evlist->entries[i];

		evsel->leader_idx = first;
		if (mods) {
			int bad = apply_modifiers(&evsel->attr, mods, (size_t)(end - mods));
			size_t nl = strlen(evsel->name);
			char *name;

			if (bad >= 0)
				return parse_fail(p, mods + bad, EINVAL, "unknown modifier '%c'", mods[bad]);
			name = realloc(evsel->name, nl + (size_t)(end - mods) + 2);
			if (!name)
				return -ENOMEM;
			snprintf(name + nl, (size_t)(end - mods) + 2, "%s%.*s",
				 strchr(name, ':') && evsel->attr.type != PERF_TYPE_TRACEPOINT ? "" : ":",
				 (int)(end - mods), mods);
			evsel->name = name;
		}
	}
	p->evlist->entries[first]->nr_members = p->evlist->nr - first;
	return 0;
}

int evlist__parse(struct evlist *evlist, const char *spec, struct error *err)
{
	struct parser p = { .evlist = evlist, .spec = spec, .err = err };
	const char *s = spec;

	if (!*s)
		return parse_fail(&p, s, EINVAL, "empty event list");
	while (*s) {
		const char *e = item_end(s);
		int ret;

		if (*s == '{')
			ret = parse_group(&p, s, e);
		else
			ret = parse_event(&p, s, (size_t)(e - s));
		if (ret)
			return ret;
		s = *e ? e + 1 : e;
		if (*e && !*s)
			return parse_fail(&p, e, EINVAL, "trailing ','");
	}
	return 0;
}
