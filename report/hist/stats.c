/* Owns preport --stats (report/hist/stats.h): one pass over the records counting types. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "perfdata/reader.h"
#include "report/hist/stats.h"

#define NR_TYPES 128

int hist_stats__print(const char *path, FILE *out, struct error *err)
{
	uint64_t counts[NR_TYPES] = { 0 }, total = 0, last_z = UINT64_MAX, *samples, *lost;
	struct pd_reader *r = pd_reader__open(path, err);
	struct pd_record rec;
	size_t nev;
	int ret;

	if (!r)
		return err->code ? err->code : -EINVAL;
	nev = pd_reader__nr_evsels(r);
	/* per event: its samples, and the samples the kernel dropped (LOST_SAMPLES records) */
	samples = calloc(2 * nev + 1, sizeof(*samples));
	lost = samples + nev;
	if (!samples) {
		pd_reader__close(r);
		return error__nomem(err);
	}
	while ((ret = pd_reader__next(r, &rec, err)) == 1) {
		uint32_t t = rec.hdr->type;

		if (rec.decoded && rec.offset != last_z) {
			counts[PD_RECORD_COMPRESSED]++;	/* the record the decoded ones came from */
			last_z = rec.offset;
		}
		if (t < NR_TYPES)
			counts[t]++;
		if (t == PERF_RECORD_SAMPLE && rec.evsel)
			samples[rec.evsel->idx]++;
		if (t == PERF_RECORD_LOST_SAMPLES && rec.evsel && rec.hdr->size >= 16)
			lost[rec.evsel->idx] += ((const uint64_t *)rec.hdr)[1];
	}
	if (ret == 0) {
		for (int t = 0; t < NR_TYPES; t++)
			total += counts[t];
		fprintf(out, "\nAggregated stats:\n%16s events: %10llu\n", "TOTAL", (unsigned long long)total);
		for (int t = 0; t < NR_TYPES; t++) {
			const char *name = pd_record__type_name((uint32_t)t);

			if (counts[t] && name)
				fprintf(out, "%16s events: %10llu  (%4.1f%%)\n", name, (unsigned long long)counts[t],
					100.0 * (double)counts[t] / (double)total);
		}
		/* perf's layout: an event with neither is left out, a zero line too */
		for (size_t i = 0; i < nev; i++) {
			if (!samples[i] && !lost[i])
				continue;
			fprintf(out, "%s stats:\n", pd_reader__evsel(r, i)->name);
			if (samples[i])
				fprintf(out, "%16s events: %10llu\n", "SAMPLE", (unsigned long long)samples[i]);
			if (lost[i])
				fprintf(out, "%16s events: %10llu\n", "LOST_SAMPLES", (unsigned long long)lost[i]);
		}
	}
	free(samples);
	pd_reader__close(r);
	return ret;
}
