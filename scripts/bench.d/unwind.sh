#!/bin/sh
# unwind rows for make bench (issue 7): DWARF unwinding of a ~50K-sample perf record
# --call-graph dwarf file of the -O2 -fomit-frame-pointer unw_chain program (6 frames through a
# shared library): pfold (every sample unwound, libdw backend, then the libunwind backend) vs
# perf report --stdio on the same file, wall time and peak RSS, medians of 3 interleaved runs;
# and the bytes per sample of precord --call-graph dwarf (and -z) against perf record's on the
# same workload. Goals: <= 0.5x perf's time and RSS, <= 0.25x perf's bytes.
BIN=${1:-$(pwd)/build}
PROGS=${PROGS:-$BIN/tests/progs}
TIMECMP=${TIMECMP:-$(dirname "$0")/../timecmp.py}
SRC=$(cd "$(dirname "$0")/../../tests/progs" && pwd)/unw_chain.c
D=$(mktemp -d /tmp/bench-unwind.XXXXXX)
trap 'rm -rf "$D"' EXIT
cc -O2 -fomit-frame-pointer -g -shared -fPIC -DUNW_LIB -o "$D/libunw.so" "$SRC" &&
cc -O2 -fomit-frame-pointer -g -DUNW_MAIN -o "$D/unw_chain" "$SRC" -L"$D" -lunw -Wl,-rpath,"$D" || {
	echo "unwind: cannot build unw_chain, no rows" >&2; exit 0; }
perf record -q -F 10000 --call-graph dwarf -o "$D/big.data" "$D/unw_chain" 5 >/dev/null 2>&1 || {
	echo "unwind: perf record --call-graph dwarf failed, no rows" >&2; exit 0; }
n=$(perf script -i "$D/big.data" -F event 2>/dev/null | wc -l)
"$TIMECMP" "unwind: pfold (libdw) vs perf report (${n})" 3 \
	"$BIN/pfold -i $D/big.data" "perf report --stdio -i $D/big.data"
"$TIMECMP" "unwind: pfold (libunwind) vs perf report" 3 \
	"env PROF_UNWINDER=libunwind $BIN/pfold -i $D/big.data" "perf report --stdio -i $D/big.data"
"$BIN/precord" -q -F 4000 --call-graph dwarf -o "$D/ours.data" "$D/unw_chain" 1 >/dev/null 2>&1
"$BIN/precord" -q -z -F 4000 --call-graph dwarf -o "$D/oursz.data" "$D/unw_chain" 1 >/dev/null 2>&1
perf record -q -F 4000 --call-graph dwarf -o "$D/perf.data" "$D/unw_chain" 1 >/dev/null 2>&1
perf record -q -z -F 4000 --call-graph dwarf -o "$D/perfz.data" "$D/unw_chain" 1 >/dev/null 2>&1
bps() { awk -v s="$(stat -c %s "$1")" -v n="$(perf script -i "$1" -F event 2>/dev/null | wc -l)" \
	'BEGIN { printf "%.1f", n ? s / n : 0 }'; }
row() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%-40s %10.1f %10.1f %8.3fx %10s %10s %9s\n", n, a, b, b ? a / b : 0, "-", "-", "-" }'; }
row "dwarf recording bytes/sample vs perf" "$(bps "$D/ours.data")" "$(bps "$D/perf.data")"
row "dwarf -z bytes/sample vs perf -z" "$(bps "$D/oursz.data")" "$(bps "$D/perfz.data")"
row "dwarf -z bytes/sample vs perf (no -z)" "$(bps "$D/oursz.data")" "$(bps "$D/perf.data")"
