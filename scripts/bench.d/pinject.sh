#!/bin/sh
# pinject rows for make bench: pinject vs perf inject on the same inputs, written to a file:
# -b on a perf record -g -a file (two sym_spin processes, -F 20000, ~5 s: every sample read
# for the DSOs hit), and --jit on a precord -k 1 -g recording of tests/progs/jitdump_prog
# (-F 10000, 3 s: two .so files written). Not -z: perf inject 6.1 copies compressed data as
# it is, pinject decompresses it (16x the bytes written). Wall time and peak RSS, medians of
# 5 interleaved runs (timecmp.py).
BIN=${1:-$(pwd)/build}
PROGS=${PROGS:-$BIN/tests/progs}
TIMECMP=${TIMECMP:-$(dirname "$0")/../timecmp.py}
D=$(mktemp -d /tmp/bench-pinject.XXXXXX)
trap 'rm -rf "$D"' EXIT
perf record -q -a -g -F 20000 -o "$D/big.data" -- \
	sh -c "$PROGS/sym_spin 5000 & $PROGS/sym_spin 5000 & wait" >/dev/null 2>&1 || {
	echo "pinject: perf record -a -g failed, no rows" >&2; exit 0; }
n=$(perf script -i "$D/big.data" -F event 2>/dev/null | wc -l)
"$TIMECMP" "pinject -b vs perf inject -b (-a -g, ${n} samples)" 5 \
	"$BIN/pinject -b -i $D/big.data -o $D/out1.data" "perf inject -b -i $D/big.data -o $D/out2.data"
"$BIN/precord" -q -k 1 -g -F 10000 -o "$D/jit.data" -- "$PROGS/jitdump_prog" "$D" 3 >/dev/null 2>&1 || {
	echo "pinject: precord -k 1 of jitdump_prog failed, no --jit row" >&2; exit 0; }
n=$(perf script -i "$D/jit.data" -F event 2>/dev/null | wc -l)
"$TIMECMP" "pinject --jit vs perf inject --jit (${n} samples)" 5 \
	"$BIN/pinject --jit -i $D/jit.data -o $D/out3.data" "perf inject --jit -i $D/jit.data -o $D/out4.data"
