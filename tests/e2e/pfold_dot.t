#!/bin/sh
# preport --dot / pfold --dot: Graphviz's dot parses the graph; every function node's total
# and self percentages are preport's Children and Self columns (perf report's too), every
# edge's share is the callee's share under that caller; thresholds leave out what is under
# them; -o FILE.svg is rendered by dot.
. "$(dirname "$0")/lib.sh"

command -v dot >/dev/null 2>&1 || { echo "1..0 # SKIP Graphviz's dot is not installed (scripts/deps.sh)"; exit 0; }
W=$PROGS/fold_work
perf record -q -g -o "$TMP/perf.data" "$W" 150 100 50 >/dev/null 2>&1
"$BIN/preport" --dot -i "$TMP/perf.data" > "$TMP/g.dot"
ok $? "preport --dot -i FILE"
dot -Tjson "$TMP/g.dot" > "$TMP/g.json" 2>"$TMP/dot.err"
ok $? "dot parses it ($(grep -c ' -> ' "$TMP/g.dot") edges, $(grep -c 'label="[^"]*%\\n(' "$TMP/g.dot") nodes)"
"$BIN/preport" -i "$TMP/perf.data" --stdio --children --sort sym -g none 2>/dev/null | no_comments > "$TMP/rep.txt"
cat > "$TMP/nodes.py" <<'PY'
# nodes "name\nTOTAL%\n(SELF%)" against preport's "Children Self [x] name" rows
import json, re, sys
g = json.load(open(sys.argv[1]))
rep = {}
for line in open(sys.argv[2]):
    m = re.match(r'\s*([\d.]+)%\s+([\d.]+)%\s+\[.\]\s+(.*\S)', line)
    if m:
        rep.setdefault(m.group(3), (float(m.group(1)), float(m.group(2))))
thres = float(sys.argv[3])
nodes, bad = 0, 0
for o in g.get('objects', []):
    m = re.match(r'(.*)\\n([\d.]+)%\\n\(([\d.]+)%\)$', o.get('label', ''))
    if not m:
        continue
    nodes += 1
    name, tot, self_ = m.group(1), float(m.group(2)), float(m.group(3))
    if tot < thres:
        bad += 1
        print('# %s under the threshold' % name)
    want = rep.get(name)
    if name.startswith('[') or re.match(r'^(0x)?[0-9a-f]+$', name):
        continue	# frames without a symbol are named differently
    if not want or abs(want[0] - tot) > 0.011 or abs(want[1] - self_) > 0.011:
        bad += 1
        print('# %s: dot %.2f%%/%.2f%%, preport %s' % (name, tot, self_, want))
# every function of preport's over the threshold is a node
nosym = lambda n: n.startswith('[') or re.match(r'^(0x)?[0-9a-f]+$', n)	# named differently
missing = [n for n, (c, s) in rep.items() if c >= thres + 0.01 and not nosym(n)
           and not any(re.match(re.escape(n) + r'\\n', o.get('label', '')) for o in g['objects'])]
print('# %d nodes, %d bad, missing: %s' % (nodes, bad, missing))
sys.exit(1 if bad or missing or nodes < 4 else 0)
PY
python3 "$TMP/nodes.py" "$TMP/g.json" "$TMP/rep.txt" 0.5
ok $? "node total/self percentages equal preport's Children/Self; every function over 0.5% is there"
perf report -i "$TMP/perf.data" --stdio --children --sort sym -g none 2>/dev/null | no_comments > "$TMP/perf.txt"
python3 "$TMP/nodes.py" "$TMP/g.json" "$TMP/perf.txt" 0.5
ok $? "... and perf report's"
# edges: caller -> callee carries the share of the samples whose stack enters the callee
# from that caller (the callee's first time on the stack), from pfold's folded periods
"$BIN/pfold" --period -i "$TMP/perf.data" > "$TMP/period.txt"
python3 - "$TMP/g.dot" "$TMP/period.txt" <<'PY'
import collections, re, sys
from folded import load
dot = open(sys.argv[1]).read()
names = {i: n for i, n in re.findall(r'  n(\d+) \[label="(.*?)\\n', dot)}
edges = {(names[a], names[b]): float(p) for a, b, p in re.findall(r'  n(\d+) -> n(\d+) \[label="([\d.]+)%"', dot)}
want, total = collections.Counter(), 0
for st, w in load(sys.argv[2]).items():
    fr = st.split(';')[1:]
    total += w
    for i in range(1, len(fr)):
        if fr[i] not in fr[:i]:
            want[(fr[i - 1], fr[i])] += w
bad = [(e, p, 100.0 * want[e] / total) for e, p in edges.items() if abs(p - 100.0 * want[e] / total) > 0.006]
print('# %d edges, %d differ: %s' % (len(edges), len(bad), bad[:3]))
sys.exit(1 if bad or len(edges) < 3 else 0)
PY
ok $? "every edge's share is the folded text's for that call"
"$BIN/preport" --dot --node-thres 10 --edge-thres 25 -i "$TMP/perf.data" > "$TMP/t.dot"
dot -Tjson "$TMP/t.dot" > "$TMP/t.json" && python3 "$TMP/nodes.py" "$TMP/t.json" "$TMP/rep.txt" 10 &&
	python3 - "$TMP/t.dot" <<'PY'
import re, sys
e = [float(x) for x in re.findall(r' -> n\d+ \[label="([\d.]+)%"', open(sys.argv[1]).read())]
sys.exit(0 if e and min(e) >= 25 else 1)
PY
ok $? "--node-thres 10 --edge-thres 25 leave out what is under them"
# pfold weighs samples (its folded counts) unless --period; with it, preport's graph
"$BIN/pfold" --dot --period -i "$TMP/perf.data" | grep -v '^  graph ' > "$TMP/p.dot"
grep -v '^  graph ' "$TMP/g.dot" > "$TMP/g2.dot"
is "$(ndiff "$TMP/p.dot" "$TMP/g2.dot")" 0 "pfold --dot --period draws preport --dot's graph"
"$BIN/pfold" --dot -i "$TMP/perf.data" -o "$TMP/g.svg" && xmllint --noout "$TMP/g.svg" 2>/dev/null &&
	grep -q '>work_a<' "$TMP/g.svg"
ok $? "pfold --dot -o FILE.svg: rendered by dot"
"$BIN/pfold" --dot -i "$TMP/perf.data" -o "$TMP/g.png" &&
	[ "$(head -c 8 "$TMP/g.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]
ok $? "pfold --dot -o FILE.png: a PNG file (its magic bytes), $(stat -c %s "$TMP/g.png" 2>/dev/null) bytes"
# heat colours: a hotter node (larger total share) never gets a colder hue (blue 240 degrees
# down to red 0), and the hottest node is redder than the coldest; edges likewise
python3 - "$TMP/g.dot" <<'PY'
import colorsys, re, sys
dot = open(sys.argv[1]).read()
def hue(c):
    return colorsys.rgb_to_hsv(*(int(c[i:i + 2], 16) / 255.0 for i in (1, 3, 5)))[0] * 360
nodes = sorted((float(t), c) for t, c in re.findall(r'\\n([\d.]+)%\\n\([\d.]+%\)", fillcolor="(#[0-9a-f]{6})"', dot))
edges = sorted((float(p), c) for p, c in re.findall(r' -> n\d+ \[label="([\d.]+)%", color="(#[0-9a-f]{6})"', dot))
bad = []
for kind, xs in (('node', nodes), ('edge', edges)):
    for (p1, c1) in xs:
        for (p2, c2) in xs:
            if p2 > p1 + 0.5 and hue(c2) > hue(c1) + 0.5:
                bad.append('%s %.2f%% %s is colder than %.2f%% %s' % (kind, p2, c2, p1, c1))
(cold_p, cold), (hot_p, hot) = nodes[0], nodes[-1]
rgb = lambda c: [int(c[i:i + 2], 16) for i in (1, 3, 5)]
redder = rgb(hot)[0] > rgb(cold)[0] and rgb(hot)[2] < rgb(cold)[2]
print('# hottest node %.2f%% %s (hue %.0f), coldest %.2f%% %s (hue %.0f); %d nodes, %d edges; %s'
      % (hot_p, hot, hue(hot), cold_p, cold, hue(cold), len(nodes), len(edges), bad[:2] or 'in order'))
sys.exit(0 if redder and not bad and len(nodes) >= 4 and hot_p > cold_p + 10 else 1)
PY
ok $? "heat colours: the hotter a node or edge, the redder (the hottest red, the coldest blue)"
out=$(PATH=/nonexistent "$BIN/pfold" --dot -i "$TMP/perf.data" -o "$TMP/x.png" 2>&1); rc=$?
[ $rc -ne 0 ] && echo "$out" | grep -q "Graphviz's dot is not installed"
ok $? "without Graphviz, -o FILE.png says so"
out=$("$BIN/preport" --dot --comms x -i "$TMP/perf.data" 2>&1); rc=$?
[ $rc -ne 0 ] && echo "$out" | grep -q 'drop the --comms'
ok $? "preport --dot with a filter: a clear error"
done_testing
