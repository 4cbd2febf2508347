#!/bin/sh
# preport rows for make bench (issue 5), medians of interleaved runs (timecmp.py), output to
# /dev/null: preport --stdio vs perf report --stdio with children and call graphs on the same
# ~300K-sample -a -g file (two sym_spin, -F 20000, ~8 s); and --sort srcline on a ~300K-sample
# -g file of rep_tree (built with -g). Goals: <= 0.33x time and <= 1x peak RSS; srcline <= 0.05x.
BIN=${1:-$(pwd)/build}
PROGS=${PROGS:-$BIN/tests/progs}
TIMECMP=${TIMECMP:-$(dirname "$0")/../timecmp.py}
D=$(mktemp -d /tmp/bench-preport.XXXXXX)
trap 'rm -rf "$D"' EXIT
perf record -q -a -g -F 20000 -o "$D/ag.data" -- \
	sh -c "$PROGS/sym_spin 8000 & $PROGS/sym_spin 8000 & wait" >/dev/null 2>&1 || {
	echo "preport: perf record -a -g failed, no rows" >&2; exit 0; }
n=$(perf script -i "$D/ag.data" -F event 2>/dev/null | wc -l)
"$TIMECMP" "preport vs perf report (-a -g, ${n} samples)" 5 \
	"$BIN/preport -i $D/ag.data --stdio" "perf report -i $D/ag.data --stdio"
perf record -q -g -F 20000 -o "$D/g.data" "$PROGS/rep_tree" 16000 >/dev/null 2>&1
n=$(perf script -i "$D/g.data" -F event 2>/dev/null | wc -l)
# perf runs addr2line once per address here (about 4 minutes a run): one timed run each
"$TIMECMP" "preport --sort srcline (-g, ${n} samples)" 1 \
	"$BIN/preport -i $D/g.data --stdio --sort srcline" "perf report -i $D/g.data --stdio --sort srcline"
