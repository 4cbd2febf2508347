#!/bin/sh
# pannotate rows for make bench: pannotate vs perf annotate --stdio on the same perf record
# file (ann_spread for 3 s at -F 20000, some 40-60K samples in a dozen symbols of the program,
# libc, ld.so and the kernel), output to /dev/null: every symbol (perf runs objdump once per
# symbol), and the hot symbol alone. Wall time and peak RSS, medians of 5 interleaved runs.
BIN=${1:-$(pwd)/build}
PROGS=${PROGS:-$BIN/tests/progs}
TIMECMP=${TIMECMP:-$(dirname "$0")/../timecmp.py}
D=$(mktemp -d /tmp/bench-pannotate.XXXXXX)
trap 'rm -rf "$D"' EXIT
perf record -q -F 20000 -o "$D/ann.data" -- "$PROGS/ann_spread" 3 >/dev/null 2>&1 || {
	echo "pannotate: perf record failed, no rows" >&2; exit 0; }
n=$(perf script -i "$D/ann.data" -F event 2>/dev/null | wc -l)
"$TIMECMP" "pannotate vs perf annotate (${n} samples)" 5 \
	"$BIN/pannotate -i $D/ann.data --stdio" "perf annotate -i $D/ann.data --stdio"
"$TIMECMP" "pannotate ann_hot vs perf annotate ann_hot" 5 \
	"$BIN/pannotate -i $D/ann.data --stdio ann_hot" "perf annotate -i $D/ann.data --stdio ann_hot"
