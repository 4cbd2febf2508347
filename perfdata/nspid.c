/* Owns the namespace-pids feature section's layout: writing it, checking and reading it.
 * See perfdata/nspid.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "perfdata/format.h"
#include "perfdata/nspid.h"
#include "perfdata/writer.h"

#define HDR_SIZE	16
#define ENT_SIZE	24

int pd_nspid__write(struct pd_writer *w, const struct pd_nspid *e, size_t nr)
{
	uint32_t hdr[4] = { PD_NSPID_MAGIC, 1, (uint32_t)nr, 0 };
	uint8_t *buf, *p;
	int ret;

	if (!nr)
		return 0;
	if (nr > UINT32_MAX / ENT_SIZE)
		return -E2BIG;
	buf = malloc(HDR_SIZE + nr * ENT_SIZE);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, hdr, HDR_SIZE);
	p = buf + HDR_SIZE;
	for (size_t i = 0; i < nr; i++, p += ENT_SIZE) {
		int32_t v[4] = { e[i].pid, e[i].tid, e[i].nspid, e[i].nstid };

		memcpy(p, v, 16);
		memcpy(p + 16, &e[i].pidns_ino, 8);
	}
	ret = pd_writer__add_feature(w, PD_FEAT_NS_PIDS, buf, HDR_SIZE + nr * ENT_SIZE);
	free(buf);
	return ret;
}

long pd_nspid__count(const void *sec, size_t size)
{
	uint32_t hdr[4];

	if (!sec || size < HDR_SIZE)
		return -EBADMSG;
	memcpy(hdr, sec, HDR_SIZE);
	if (hdr[0] != PD_NSPID_MAGIC || hdr[1] != 1 || (size - HDR_SIZE) / ENT_SIZE < hdr[2])
		return -EBADMSG;
	return (long)hdr[2];
}

void pd_nspid__get(const void *sec, size_t i, struct pd_nspid *out)
{
	const uint8_t *p = (const uint8_t *)sec + HDR_SIZE + i * ENT_SIZE;
	int32_t v[4];

	memcpy(v, p, 16);
	memcpy(&out->pidns_ino, p + 16, 8);
	out->pid = v[0];
	out->tid = v[1];
	out->nspid = v[2];
	out->nstid = v[3];
}
