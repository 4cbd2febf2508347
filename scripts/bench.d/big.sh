#!/bin/sh
# Big-recording rows for make bench (issue 22): one perf record -a -g file of a busy machine
# (hashing, an interpreter, short-lived processes; -F 5000 for 30 s on every CPU, about
# 300K samples), ours vs perf on the same file, medians of interleaved runs (timecmp.py):
#   preport (children, call graphs)  vs perf report --stdio     goal <= 0.08x time and RSS
#   pfold                            vs perf report -g folded   goal <= 0.1x
#   pscript                          vs perf script             goal <= 0.15x
# and the floor, goal <= 5x: pfold and pscript against the issue's trivial pass over the file,
# which reads every record and touches every byte (tests/progs/record_pass), and against cat,
# which only copies the page-cached bytes. Runs: 1 for preport (perf report takes seconds),
# 3 for pfold and pscript against perf, 5 against the floor.
# BIG_SECONDS / BIG_FREQ make the file smaller or larger.
BIN=${1:-$(pwd)/build}
PROGS=${PROGS:-$BIN/tests/progs}
TIMECMP=${TIMECMP:-$(dirname "$0")/../timecmp.py}
SECS=${BIG_SECONDS:-30}
FREQ=${BIG_FREQ:-5000}
D=$(mktemp -d /tmp/bench-big.XXXXXX)
trap 'rm -rf "$D"' EXIT
cat > "$D/busy.sh" <<SH
end=\$((\$(date +%s) + $SECS))
head -c 2000000000 /dev/zero | sha256sum >/dev/null &
python3 -c 'import time
t = time.time() + $SECS
d = {}
while time.time() < t:
    for i in range(1000): d[i % 97] = str(i) * 3' &
while [ \$(date +%s) -lt \$end ]; do /bin/true; ls / >/dev/null; done
kill %1 2>/dev/null
wait
SH
perf record -q -a -g -F "$FREQ" -o "$D/big.data" -- sh "$D/busy.sh" >/dev/null 2>&1 || {
	echo "big: perf record -a -g failed, no rows" >&2; exit 0; }
n=$(perf script -i "$D/big.data" -F event 2>/dev/null | wc -l)
"$TIMECMP" "preport vs perf report (busy -a -g, ${n} samples)" 1 \
	"$BIN/preport -i $D/big.data --stdio" "perf report -i $D/big.data --stdio"
"$TIMECMP" "pfold vs perf report -g folded (busy, ${n})" 3 \
	"$BIN/pfold -i $D/big.data" "perf report -i $D/big.data --stdio --no-children -g folded"
"$TIMECMP" "pscript vs perf script (busy, ${n})" 3 \
	"$BIN/pscript -i $D/big.data" "perf script -i $D/big.data"
"$TIMECMP" "pfold vs floor (cat, busy, ${n})" 5 "$BIN/pfold -i $D/big.data" "cat $D/big.data"
"$TIMECMP" "pscript vs floor (cat, busy, ${n})" 5 "$BIN/pscript -i $D/big.data" "cat $D/big.data"
"$TIMECMP" "pfold vs floor (record pass, busy, ${n})" 5 "$BIN/pfold -i $D/big.data" \
	"$PROGS/record_pass $D/big.data"
"$TIMECMP" "pscript vs floor (record pass, busy, ${n})" 5 "$BIN/pscript -i $D/big.data" \
	"$PROGS/record_pass $D/big.data"
