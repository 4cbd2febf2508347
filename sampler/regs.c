/* Owns the register names of sampler/regs.h for x86_64. */
#include <asm/perf_regs.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sampler/regs.h"

static const struct {
	const char *name;
	int bit;
} regs[] = {
	{ "AX", PERF_REG_X86_AX }, { "BX", PERF_REG_X86_BX }, { "CX", PERF_REG_X86_CX },
	{ "DX", PERF_REG_X86_DX }, { "SI", PERF_REG_X86_SI }, { "DI", PERF_REG_X86_DI },
	{ "BP", PERF_REG_X86_BP }, { "SP", PERF_REG_X86_SP }, { "IP", PERF_REG_X86_IP },
	{ "FLAGS", PERF_REG_X86_FLAGS }, { "CS", PERF_REG_X86_CS }, { "SS", PERF_REG_X86_SS },
	{ "R8", PERF_REG_X86_R8 }, { "R9", PERF_REG_X86_R9 }, { "R10", PERF_REG_X86_R10 },
	{ "R11", PERF_REG_X86_R11 }, { "R12", PERF_REG_X86_R12 }, { "R13", PERF_REG_X86_R13 },
	{ "R14", PERF_REG_X86_R14 }, { "R15", PERF_REG_X86_R15 },
};
#define NR_REGS (sizeof(regs) / sizeof(regs[0]))

uint64_t regs__default_mask(void)
{
	uint64_t m = 0;

	for (size_t i = 0; i < NR_REGS; i++)
		m |= 1ULL << regs[i].bit;
	return m;
}

int regs__parse(const char *list, uint64_t *mask, char *bad, size_t bad_size)
{
	const char *p = list;

	*mask = 0;
	while (*p) {
		size_t len = strcspn(p, ",");
		size_t i;

		for (i = 0; i < NR_REGS; i++)
			if (strlen(regs[i].name) == len && !strncasecmp(p, regs[i].name, len))
				break;
		if (i == NR_REGS) {
			snprintf(bad, bad_size, "%.*s", (int)len, p);
			return -EINVAL;
		}
		*mask |= 1ULL << regs[i].bit;
		p += len;
		if (*p == ',')
			p++;
	}
	return *mask ? 0 : -EINVAL;
}

void regs__list(char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = 0;
	for (size_t i = 0; i < NR_REGS && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s ", regs[i].name);
}
