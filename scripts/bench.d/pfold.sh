#!/bin/sh
# pfold rows for make bench:
#  1. pfold vs perf report --stdio --no-children -g folded on the same perf record -a -g
#     file of about 300K samples (two sym_spin processes, -F 20000, ~10 s); wall time and
#     peak RSS, medians of 5 interleaved runs (timecmp.py). Goal (issue 6): <= 0.5x.
#  2. pfold --svg on folded text with 100,000 distinct stacks (generated, seeded, 4-40
#     frames deep over 3000 names, sorted as folded text is). Goal:
#     under a second. Its counterpart is flamegraph.pl when that is on PATH, else sort(1)
#     of the same input (the cost of merely reading and ordering the text).
BIN=${1:-$(pwd)/build}
PROGS=${PROGS:-$BIN/tests/progs}
TIMECMP=${TIMECMP:-$(dirname "$0")/../timecmp.py}
D=$(mktemp -d /tmp/bench-pfold.XXXXXX)
trap 'rm -rf "$D"' EXIT
if perf record -q -a -g -F 20000 -o "$D/big.data" -- \
	sh -c "$PROGS/sym_spin 10000 & $PROGS/sym_spin 10000 & wait" >/dev/null 2>&1; then
	n=$(perf script -i "$D/big.data" -F event 2>/dev/null | wc -l)
	"$TIMECMP" "pfold vs perf report -g folded (${n} samples)" 5 \
		"$BIN/pfold -i $D/big.data" "perf report -i $D/big.data --stdio --no-children -g folded"
else
	echo "pfold: perf record -a -g failed, no folded row" >&2
fi
python3 - "$D/100k.folded" <<'PY'
import random, sys
rng = random.Random(6)
names = ['fn_%04d_%s' % (i, rng.choice(['alloc', 'parse', 'hash', 'lookup', 'write', 'read']))
         for i in range(3000)]
seen = set()
while len(seen) < 100000:
    depth = rng.randint(4, 40)
    seen.add(';'.join(['app'] + [names[int(rng.paretovariate(1.2)) % len(names)] for _ in range(depth)]))
# sorted, as stackcollapse-perf.pl and pfold write folded text
with open(sys.argv[1], 'w') as out:
    for st in sorted(seen):
        out.write('%s %d\n' % (st, rng.randint(1, 500)))
PY
if command -v flamegraph.pl >/dev/null 2>&1; then
	"$TIMECMP" "pfold --svg vs flamegraph.pl (100K stacks)" 5 \
		"$BIN/pfold --svg -i $D/100k.folded -o $D/ours.svg" "flamegraph.pl $D/100k.folded"
else
	"$TIMECMP" "pfold --svg (100K stacks) vs sort(1)" 5 \
		"$BIN/pfold --svg -i $D/100k.folded -o $D/ours.svg" "sort -o $D/sorted.txt $D/100k.folded"
fi
exit 0
