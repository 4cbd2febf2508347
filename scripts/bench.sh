#!/bin/sh
# make bench: each of our commands against its perf counterpart on the same work, in one run.
# Rows: medians over repeated interleaved runs; ratios are ours/perf (below 1 means we are faster);
# the last column is the ratio of the fastest runs.
# Every scripts/bench.d/*.sh adds its own rows with scripts/timecmp.py.
set -e
BIN=${1:-$(pwd)/build}
export BIN PROGS="$BIN/tests/progs" TIMECMP="$(dirname "$0")/timecmp.py"
printf '%-40s %10s %10s %9s %10s %10s %9s %9s\n' row ours_ms perf_ms time ours_kB perf_kB rss min_time
"$TIMECMP" "pstat true vs perf stat true" 30 "$BIN/pstat true" "perf stat true"
"$TIMECMP" "pstat -e task-clock,page-faults (faults)" 10 \
	"$BIN/pstat -e task-clock,page-faults $PROGS/faults 2000 20" \
	"perf stat -e task-clock,page-faults $PROGS/faults 2000 20"
for row in "$(dirname "$0")"/bench.d/*.sh; do
	[ -x "$row" ] && "$row" "$BIN"
done
exit 0
