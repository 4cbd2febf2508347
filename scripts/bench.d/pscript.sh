#!/bin/sh
# pscript rows for make bench: pscript vs perf script on the same perf record -a -g file of
# about 300K samples (two sym_spin processes, -F 20000, ~10 s), output to /dev/null.
# Wall time and peak RSS, medians of 5 interleaved runs (timecmp.py). Goal (issue 4): <= 0.5x.
BIN=${1:-$(pwd)/build}
PROGS=${PROGS:-$BIN/tests/progs}
TIMECMP=${TIMECMP:-$(dirname "$0")/../timecmp.py}
D=$(mktemp -d /tmp/bench-pscript.XXXXXX)
trap 'rm -rf "$D"' EXIT
perf record -q -a -g -F 20000 -o "$D/big.data" -- \
	sh -c "$PROGS/sym_spin 10000 & $PROGS/sym_spin 10000 & wait" >/dev/null 2>&1 || {
	echo "pscript: perf record -a -g failed, no rows" >&2; exit 0; }
n=$(perf script -i "$D/big.data" -F event 2>/dev/null | wc -l)
"$TIMECMP" "pscript vs perf script (-a -g, ${n} samples)" 5 \
	"$BIN/pscript -i $D/big.data" "perf script -i $D/big.data"
