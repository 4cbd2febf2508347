/* Owns PMU lookups in sysfs: the PMU's type, its format/ bit layouts and its events/ aliases. */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sampler/pmu.h"

#include "util/error.h"
#include "util/sysfs.h"

#define PMU_SYSFS "/sys/bus/event_source/devices"

/* A sysfs line without trailing blanks (some events/ files end in " \n"). */
static int read_line(const char *path, char *buf, size_t len)
{
	int ret = sysfs__read_str(path, buf, len);
	size_t n;

	if (ret)
		return ret;
	n = strlen(buf);
	while (n && buf[n - 1] == ' ')
		buf[--n] = 0;
	return 0;
}

static bool valid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.')
			return false;
	return true;
}

bool pmu__exists(const char *pmu)
{
	char path[256];

	if (!valid_name(pmu) || strlen(pmu) > 100)
		return false;
	snprintf(path, sizeof(path), PMU_SYSFS "/%s/type", pmu);
	return access(path, R_OK) == 0;
}

static __u64 *attr_field(struct perf_event_attr *attr, const char *name)
{
	if (!strcmp(name, "config"))
		return &attr->config;
	if (!strcmp(name, "config1"))
		return &attr->config1;
	if (!strcmp(name, "config2"))
		return &attr->config2;
	return NULL;
}

int pmu__format_apply(const char *format, unsigned long long val, struct perf_event_attr *attr)
{
	char field[16];
	const char *colon = strchr(format, ':'), *p;
	__u64 *dst;
	int vbit = 0;

	if (!colon || colon - format >= (long)sizeof(field))
		return -EINVAL;
	memcpy(field, format, colon - format);
	field[colon - format] = 0;
	dst = attr_field(attr, field);
	if (!dst)
		return -EINVAL;
	for (p = colon + 1; *p;) {
		char *end;
		long lo = strtol(p, &end, 10), hi = lo;

		if (end == p || lo < 0 || lo > 63)
			return -EINVAL;
		p = end;
		if (*p == '-') {
			hi = strtol(p + 1, &end, 10);
			if (end == p + 1 || hi < lo || hi > 63)
				return -EINVAL;
			p = end;
		}
		for (long b = lo; b <= hi; b++, vbit++) {
			__u64 bit = vbit < 64 ? (val >> vbit) & 1 : 0;

			*dst = (*dst & ~(1ULL << b)) | (bit << b);
		}
		if (*p == ',')
			p++;
		else if (*p)
			return -EINVAL;
	}
	/* a value wider than its field is a user error, as perf reports it */
	if (vbit < 64 && (val >> vbit))
		return -ERANGE;
	return 0;
}

static int parse_value(const char *s, unsigned long long *out)
{
	char *end;

	if (!*s)
		return -EINVAL;
	errno = 0;
	*out = strtoull(s, &end, 0);
	if (errno || *end)
		return -EINVAL;
	return 0;
}

static int apply_terms(const char *pmu, const char *terms, struct perf_event_attr *attr,
		       struct pmu_event_info *info, struct error *err, int depth);

/* An events/ALIAS file's terms, then its .scale and .unit. -ENOENT when there is no alias. */
static int apply_alias(const char *pmu, const char *key, struct perf_event_attr *attr,
		       struct pmu_event_info *info, struct error *err, int depth)
{
	char path[512], buf[512];
	int ret;

	snprintf(path, sizeof(path), PMU_SYSFS "/%s/events/%s", pmu, key);
	if (read_line(path, buf, sizeof(buf)))
		return -ENOENT;
	ret = apply_terms(pmu, buf, attr, info, err, depth + 1);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), PMU_SYSFS "/%s/events/%s.scale", pmu, key);
	if (read_line(path, buf, sizeof(buf)) == 0)
		info->scale = strtod(buf, NULL);
	snprintf(path, sizeof(path), PMU_SYSFS "/%s/events/%s.unit", pmu, key);
	if (read_line(path, buf, sizeof(buf)) == 0)
		snprintf(info->unit, sizeof(info->unit), "%s", buf);
	return 0;
}

static int apply_term(const char *pmu, const char *term, struct perf_event_attr *attr,
		      struct pmu_event_info *info, struct error *err, int depth)
{
	char key[128], path[512], buf[512];
	const char *eq = strchr(term, '=');
	unsigned long long val = 1;
	__u64 *dst;
	size_t klen = eq ? (size_t)(eq - term) : strlen(term);
	int ret;

	if (klen == 0 || klen >= sizeof(key))
		return error__set(err, -EINVAL, "bad term '%s'", term);
	memcpy(key, term, klen);
	key[klen] = 0;
	if (!strcmp(key, "name")) {
		if (!eq || !eq[1])
			return error__set(err, -EINVAL, "name= needs a value");
		snprintf(info->name, sizeof(info->name), "%s", eq + 1);
		return 0;
	}
	if (eq && parse_value(eq + 1, &val))
		return error__set(err, -EINVAL, "'%s' is not a number", eq + 1);
	if (!strcmp(key, "period")) {
		attr->sample_period = val;
		attr->freq = 0;
		return 0;
	}
	if (!strcmp(key, "freq")) {
		attr->sample_freq = val;
		attr->freq = 1;
		return 0;
	}
	dst = attr_field(attr, key);
	if (dst) {
		*dst = val;
		return 0;
	}
	if (!valid_name(key))
		goto unknown;
	snprintf(path, sizeof(path), PMU_SYSFS "/%s/format/%s", pmu, key);
	if (read_line(path, buf, sizeof(buf)) == 0) {
		ret = pmu__format_apply(buf, val, attr);
		if (ret == -ERANGE)
			error__set(err, ret, "value 0x%llx too big for '%s' (%s)", val, key, buf);
		else if (ret)
			error__set(err, ret, "cannot use format '%s' of %s", buf, key);
		return ret;
	}
	if (!eq && depth == 0) {
		ret = apply_alias(pmu, key, attr, info, err, depth);
		if (ret != -ENOENT)
			return ret;
	}
unknown:
	return error__set(err, -EINVAL, "unknown term '%s' for pmu '%s' (see %s/%s/format and events)",
			  key, pmu, PMU_SYSFS, pmu);
}

static int apply_terms(const char *pmu, const char *terms, struct perf_event_attr *attr,
		       struct pmu_event_info *info, struct error *err, int depth)
{
	const char *p = terms;

	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char term[256];
		int ret;

		if (len >= sizeof(term)) {
			ret = error__set(err, -EINVAL, "term too long");
			goto fail;
		}
		memcpy(term, p, len);
		term[len] = 0;
		if (len) {
			ret = apply_term(pmu, term, attr, info, err, depth);
			if (ret)
				goto fail;
		}
		p += len;
		if (*p == ',')
			p++;
		continue;
fail:
		if (err)
			err->pos = (int)(p - terms);
		return ret;
	}
	return 0;
}

int pmu__parse_terms(const char *pmu, const char *terms, struct perf_event_attr *attr,
		     struct pmu_event_info *info, struct error *err)
{
	char path[256];
	uint64_t type;

	if (err)
		err->pos = 0;
	info->name[0] = 0;
	info->unit[0] = 0;
	info->scale = 1.0;
	snprintf(path, sizeof(path), PMU_SYSFS "/%s/type", pmu);
	if (sysfs__read_u64(path, &type))
		return error__set(err, -ENOENT, "no PMU '%s' in " PMU_SYSFS, pmu);
	attr->type = (uint32_t)type;
	return apply_terms(pmu, terms, attr, info, err, 0);
}
