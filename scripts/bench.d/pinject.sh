#!/bin/sh
# pinject rows for make bench: pinject vs perf inject on the same inputs, written to a file:
# a perf record -z -g -a file (two sym_spin processes, -F 20000, ~5 s: decompressed on the
# way), and a precord -k 1 -g recording of tests/progs/jitdump_prog (-F 10000, 3 s: --jit,
# two .so files written). Wall time and peak RSS, medians of 5 interleaved runs (timecmp.py).
BIN=${1:-$(pwd)/build}
PROGS=${PROGS:-$BIN/tests/progs}
TIMECMP=${TIMECMP:-$(dirname "$0")/../timecmp.py}
D=$(mktemp -d /tmp/bench-pinject.XXXXXX)
trap 'rm -rf "$D"' EXIT
perf record -q -z -a -g -F 20000 -o "$D/z.data" -- \
	sh -c "$PROGS/sym_spin 5000 & $PROGS/sym_spin 5000 & wait" >/dev/null 2>&1 || {
	echo "pinject: perf record -z -a -g failed, no rows" >&2; exit 0; }
n=$(perf script -i "$D/z.data" -F event 2>/dev/null | wc -l)
"$TIMECMP" "pinject vs perf inject (-z -a -g, ${n} samples)" 5 \
	"$BIN/pinject -i $D/z.data -o $D/out1.data" "perf inject -i $D/z.data -o $D/out2.data"
"$BIN/precord" -q -k 1 -g -F 10000 -o "$D/jit.data" -- "$PROGS/jitdump_prog" "$D" 3 >/dev/null 2>&1 || {
	echo "pinject: precord -k 1 of jitdump_prog failed, no --jit row" >&2; exit 0; }
n=$(perf script -i "$D/jit.data" -F event 2>/dev/null | wc -l)
"$TIMECMP" "pinject --jit vs perf inject --jit (${n} samples)" 5 \
	"$BIN/pinject --jit -i $D/jit.data -o $D/out3.data" "perf inject --jit -i $D/jit.data -o $D/out4.data"
