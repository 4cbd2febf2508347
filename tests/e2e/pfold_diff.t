#!/bin/sh
# pfold --diff: two recordings of fold_work with the hot function swapped (work_a 200 ms
# and work_b 60 ms, then the other way round). The folded text has difffolded.pl's
# two-count form and its columns are each file's own pfold counts; the differential
# flame graph paints work_a blue (its share shrank) and work_b red (grew).
. "$(dirname "$0")/lib.sh"

W=$PROGS/fold_work
perf record -q -g -o "$TMP/before.data" "$W" 200 60 0 >/dev/null 2>&1
perf record -q -g -o "$TMP/after.data" "$W" 60 200 0 >/dev/null 2>&1
"$BIN/pfold" -i "$TMP/before.data" > "$TMP/b.txt"
"$BIN/pfold" -i "$TMP/after.data" > "$TMP/a.txt"
"$BIN/pfold" --diff "$TMP/before.data" "$TMP/after.data" > "$TMP/d.txt"
ok $? "pfold --diff BEFORE AFTER"

python3 - "$TMP/b.txt" "$TMP/a.txt" "$TMP/d.txt" <<'EOF'
import collections, sys
from folded import load
b, a = load(sys.argv[1]), load(sys.argv[2])
d1, d2, n = collections.Counter(), collections.Counter(), 0
for line in open(sys.argv[3]):
    st, x, y = line.rstrip('\n').rsplit(' ', 2)
    d1[st] += int(x); d2[st] += int(y); n += 1
ok = n == len(set(b) | set(a)) and all(d1[k] == b[k] and d2[k] == a[k] for k in set(b) | set(a))
print('# %d stacks; before %d samples, after %d' % (n, sum(b.values()), sum(a.values())))
sys.exit(0 if ok else 1)
EOF
ok $? "two-count lines: each column is that file's folded counts (0 where absent)"
LC_ALL=C sort -c "$TMP/d.txt" 2>/dev/null
ok $? "two-count lines sorted like the one-count form"

"$BIN/pfold" --diff "$TMP/b.txt" "$TMP/a.txt" > "$TMP/d2.txt"
cmp -s "$TMP/d.txt" "$TMP/d2.txt"
ok $? "--diff of the two folded files gives the same text"

"$BIN/pfold" --diff --svg "$TMP/before.data" "$TMP/after.data" -o "$TMP/diff.svg"
ok $? "pfold --diff --svg"
xmllint --noout "$TMP/diff.svg" 2>/dev/null
ok $? "differential SVG is well-formed"

cat > "$TMP/colors.py" <<'EOF'
import sys
from folded import svg_fills
fills = {}
for name, fill in svg_fills(sys.argv[1]):
    if name in ('work_a', 'work_b', 'main'):
        fills.setdefault(name, []).append(fill)
def red(c): return c[0] == 255 and c[2] < 200
def blue(c): return c[2] == 255 and c[0] < 200
print('# fills: %s' % {k: v[0] for k, v in fills.items()})
want = sys.argv[2]
ok = 'work_a' in fills and 'work_b' in fills
if want == 'normal':
    ok = ok and all(blue(c) for c in fills['work_a']) and all(red(c) for c in fills['work_b'])
else:
    ok = ok and all(red(c) for c in fills['work_a']) and all(blue(c) for c in fills['work_b'])
ok = ok and all(not red(c) and not blue(c) for c in fills.get('main', []))
sys.exit(0 if ok else 1)
EOF
python3 "$TMP/colors.py" "$TMP/diff.svg" normal
ok $? "work_a (share shrank) is blue, work_b (grew) red, main (unchanged) pale"
"$BIN/pfold" --diff --svg "$TMP/after.data" "$TMP/before.data" > "$TMP/rev.svg"
python3 "$TMP/colors.py" "$TMP/rev.svg" reversed
ok $? "swapping the files swaps red and blue"
grep -q '<text id="title" [^>]*>Differential Flame Graph<' "$TMP/diff.svg"
ok $? "titled Differential Flame Graph"

done_testing
