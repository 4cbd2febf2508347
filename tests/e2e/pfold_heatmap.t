#!/bin/sh
# pfold --heatmap: a self-contained page rendered in headless Chromium. Its cells hold every
# sample (their counts sum to the file's), per second as pscript's times say, under the CPU
# and process filters as pscript's cpu and pid fields say; a range selected through the
# page's URL API shows a flame graph whose every width is what `pfold --time` gives for the
# --time argument the page prints. Also --time itself (seconds and percentages), its errors,
# and the header facts in the page and in the SVG.
. "$(dirname "$0")/lib.sh"

W=$PROGS/fold_work
perf record -q -a -g -F 1000 -o "$TMP/perf.data" -- sh -c "$PROGS/sym_spin 700 & $W 400 300 200; wait" \
	>/dev/null 2>&1
"$BIN/pfold" --heatmap -i "$TMP/perf.data" -o "$TMP/heat.html"
ok $? "pfold --heatmap -i FILE -o OUT.html"
! grep -Eq '<(script|link|img)[^>]* (src|href)=' "$TMP/heat.html"
ok $? "self-contained: no external script, style or image"
host=$(perf report -i "$TMP/perf.data" --header-only 2>/dev/null | sed -n 's/^# hostname : //p')
nall=$(perf_nsamples "$TMP/perf.data")
grep -q "host: $host" "$TMP/heat.html" && grep -q "$nall samples" "$TMP/heat.html" &&
	grep -q 'cmdline: [^|]*perf record' "$TMP/heat.html"
ok $? "the page prints the header facts (host $host, command line, $nall samples)"
"$BIN/pfold" --svg -i "$TMP/perf.data" -o "$TMP/all.svg"
grep -q "<text id=\"facts\"[^>]*>cmdline: [^<]*host: $host[^<]*$nall samples | 0 lost<" "$TMP/all.svg"
ok $? "the SVG flame graph prints them too"
date=$(perf report -i "$TMP/perf.data" --header-only 2>/dev/null | sed -n 's/^# captured on *: //p')
ev=$(perf report -i "$TMP/perf.data" --header-only 2>/dev/null | sed -n 's/^# event : name = \([^,]*\),.*/\1/p' | head -1)
grep -qF "captured on $date | event: $ev |" "$TMP/heat.html" && grep -qF "captured on $date | event: $ev |" "$TMP/all.svg"
ok $? "page and SVG: the date perf report --header-only gives ($date) and the event ($ev)"
# offline: a URL only as an XML namespace name (xmlns="..."), never anything to fetch
for f in heat.html all.svg; do
	grep -o '.\{0,24\}[a-z]*://[^"\\ ]*' "$TMP/$f" | grep -v 'xmlns\(:xlink\)\?=\\\?"http://www\.w3\.org/'
done > "$TMP/urls.txt"
is "$(cat "$TMP/urls.txt")" "" "page and SVG carry no URL but xmlns namespace names"

CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$CHROME" ]; then
	for i in 1 2 3 4 5 6 7 8; do skip "chromium not installed"; done
else
	CH=0
	dom() {	# dom QUERY OUT [PAGE]: the page's DOM after its script ran (PAGE: heat.html)
		CH=$((CH + 1))
		timeout 90 "$CHROME" --headless --no-sandbox --disable-gpu --virtual-time-budget=3000 \
			--user-data-dir="$TMP/chrome$CH" --dump-dom "file://$TMP/${3:-heat.html}$1" \
			>"$2" 2>"$TMP/chrome$CH.err"
		rc=$?
		grep -q 'id="heatsvg"' "$2" ||
			echo "# Chromium gave no drawn page for '$1' (exit $rc): $(tail -1 "$TMP/chrome$CH.err" | cut -c1-200)" >&2
	}
	# per second (column) sums of the drawn cells, and the total
	cat > "$TMP/cells.py" <<'PY'
import re, sys, collections
dom = open(sys.argv[1]).read()
base = int(re.search(r'"base_s":(\d+)', open(sys.argv[2]).read()).group(1))
col = collections.Counter()
for c, n in re.findall(r'class="cell" data-cell="\d+" data-col="(\d+)" data-n="(\d+)"', dom):
    col[base + int(c)] += int(n)
for s in sorted(col):
    print(s, col[s])
PY
	dom "" "$TMP/dom.html"
	python3 "$TMP/cells.py" "$TMP/dom.html" "$TMP/heat.html" > "$TMP/page_sec.txt"
	"$BIN/pscript" -i "$TMP/perf.data" -F time 2>/dev/null |
		awk '{ sub(":", "", $1); split($1, t, "."); n[t[1]]++ } END { for (s in n) print s, n[s] }' |
		sort -n > "$TMP/pscript_sec.txt"
	is "$(folded_total "$TMP/page_sec.txt")" "$nall" "the cells' counts sum to the sample count ($nall)"
	ndiff "$TMP/page_sec.txt" "$TMP/pscript_sec.txt" >/dev/null
	is "$(ndiff "$TMP/page_sec.txt" "$TMP/pscript_sec.txt")" 0 \
		"per-second counts equal pscript's ($(tr '\n' ' ' < "$TMP/page_sec.txt"))"
	# filters: CPU 1, and the fold_work process
	dom "?cpu=1" "$TMP/cpu.html"
	want=$("$BIN/pscript" -i "$TMP/perf.data" -F cpu 2>/dev/null | grep -c '^\[001\]')
	got=$(python3 "$TMP/cells.py" "$TMP/cpu.html" "$TMP/heat.html" | awk '{ s += $2 } END { print s + 0 }')
	is "$got" "$want" "?cpu=1: the cells hold CPU 1's $want samples"
	pid=$("$BIN/pscript" -i "$TMP/perf.data" -F comm,pid 2>/dev/null | awk '$1 == "fold_work" { print $2; exit }')
	dom "?pid=$pid" "$TMP/pid.html"
	want=$("$BIN/pscript" -i "$TMP/perf.data" -F pid 2>/dev/null | awk -v p="$pid" '$1 == p' | wc -l)
	got=$(python3 "$TMP/cells.py" "$TMP/pid.html" "$TMP/heat.html" | awk '{ s += $2 } END { print s + 0 }')
	is "$got" "$want" "?pid=$pid (fold_work): the cells hold its $want samples"
	# a range: from 10 cells after the first sample, 25 cells (500 ms)
	lo=$(grep -o '"cells":\[[0-9]*' "$TMP/heat.html" | grep -o '[0-9]*$')
	lo=$((lo + 10)); hi=$((lo + 24))
	dom "?range=$lo,$hi" "$TMP/range.html"
	targ=$(grep -o '<code id="timearg">--time [0-9.,]*' "$TMP/range.html" | sed 's/.*--time //')
	"$BIN/pfold" --time "$targ" -i "$TMP/perf.data" > "$TMP/range.txt"
	python3 - "$TMP/range.html" "$TMP/range.txt" <<'PY'
# every drawn frame of the page's range graph: width = inclusive count / total * 1180
import collections, re, sys
from folded import load
dom, folded = open(sys.argv[1]).read(), load(sys.argv[2])
svg = dom[dom.index('<svg id="flamesvg"'):]
incl, total = collections.Counter(), 0
for st, n in folded.items():
    fr = st.split(';')
    for i in range(1, len(fr) + 1):
        incl[tuple(fr[:i])] += n
    total += n
frames = [(t[:t.rindex(' (')], float(x), float(w), float(y)) for t, x, y, w in
          re.findall(r'<g class="f"><title>([^<]*)</title><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)"', svg)]
frames = [(n.replace('&amp;', '&').replace('&lt;', '<').replace('&gt;', '>'), x, w, y) for n, x, w, y in frames]
ys = sorted(set(f[3] for f in frames))
depth = {y: len(ys) - 1 - i for i, y in enumerate(ys)}
level = collections.defaultdict(list)
for f in frames:
    level[depth[f[3]]].append(f)
scale, paths, bad = 1180.0 / total, {}, 0
for d in sorted(level):
    for f in level[d]:
        if d == 0:
            path = ()
        else:
            par = [p for p in level[d - 1] if p[1] - 0.02 <= f[1] and f[1] + f[2] <= p[1] + p[2] + 0.02]
            if len(par) != 1:
                bad += 1
                continue
            path = paths[par[0]] + (f[0],)
        paths[f] = path
        want = (total if d == 0 else incl[path]) * scale
        if abs(f[2] - want) > 0.011:
            bad += 1
drawn = sum(1 for v in incl.values() if v * scale >= 0.1)
print('# range graph: %d samples, %d frames drawn (%d expected), %d bad' % (total, len(frames) - 1, drawn, bad))
sys.exit(0 if total and bad == 0 and len(frames) - 1 == drawn else 1)
PY
	ok $? "?range=$lo,$hi: the flame graph's widths equal pfold --time $targ"
	# the same --time in preport and pscript: as many samples as the range's cells hold
	cellsum=$(python3 - "$TMP/range.html" "$lo" "$hi" <<'PY'
import re, sys
lo, hi = int(sys.argv[2]), int(sys.argv[3])
print(sum(int(n) for c, n in re.findall(r'class="cell" data-cell="(\d+)" data-col="\d+" data-n="(\d+)"',
                                         open(sys.argv[1]).read()) if lo <= int(c) <= hi))
PY
)
	nps=$("$BIN/pscript" --time "$targ" -i "$TMP/perf.data" -F time 2>/dev/null | wc -l)
	nrep=$("$BIN/preport" --time "$targ" -i "$TMP/perf.data" --stdio --no-children -n --sort comm -g none \
		--percent-limit 0 2>/dev/null | awk '/^ *[0-9.]+% / { s += $2 } END { print s + 0 }')
	[ "$cellsum" -gt 0 ] && [ "$nps" = "$cellsum" ] && [ "$nrep" = "$cellsum" ]
	ok $? "--time $targ: pscript prints $nps samples, preport counts $nrep, the range's cells hold $cellsum"
	# search in the range graph from the URL: exactly the matching frames highlighted, and
	# the matched share = the share of the range's samples with a match on their stack
	re='^(work_a|spin_leaf)$'
	# and zoom: a click on the range graph's widest spin_outer frame (the page's own handler),
	# run by a script added at the end of a copy of the page; one Chromium run for both
	cp "$TMP/heat.html" "$TMP/zoom.html"
	cat >> "$TMP/zoom.html" <<'JS'
<script>
var t = null;
document.querySelectorAll('#flamesvg g.f').forEach(function (g) { if (g.fname === 'spin_outer' && (!t || g.fw > t.fw)) t = g; });
if (t) { t.setAttribute('data-clicked', '1'); t.dispatchEvent(new MouseEvent('click', { bubbles: true })); }
</script>
JS
	dom "?range=$lo,$hi&s=$re" "$TMP/zoom.dom" zoom.html
	python3 - "$TMP/zoom.dom" "$TMP/range.txt" "$re" <<'PY'
import html, re, sys
from folded import load
dom, rx = open(sys.argv[1]).read(), re.compile(sys.argv[3])
svg = dom[dom.index('<svg id="flamesvg"'):]
frames = [(html.unescape(t[:t.rindex(' (')]), f) for t, f in
          re.findall(r'<g class="f"><title>([^<]*)</title><rect [^>]*fill="([^"]*)"', svg)]
wrong = [n for n, f in frames if (f == 'rgb(230,0,230)') != bool(rx.search(n))]
lit = sum(1 for n, f in frames if f == 'rgb(230,0,230)')
hit = total = 0
for st, n in load(sys.argv[2]).items():
    total += n
    hit += n if any(rx.search(f) for f in st.split(';')[1:]) else 0
m = re.search(r'id="matched"[^>]*>Matched: ([\d.]+)%<', svg)
got, want = (float(m.group(1)) if m else -1), 100.0 * hit / total if total else 0
print('# %d frames highlighted, %d wrongly lit or unlit; matched %.2f%%, pfold --time gives %.2f%%'
      % (lit, len(wrong), got, want))
sys.exit(0 if lit and not wrong and abs(got - want) <= 0.02 else 1)
PY
	ok $? "?range=$lo,$hi&s=$re: the matching frames highlighted, the matched share pfold --time's"
	python3 - "$TMP/range.html" "$TMP/zoom.dom" <<'PY'
# frame by frame, before (the range's DOM) and after the click: the clicked frame spans the
# graph (x 10, width 1180), the frames above it within its span stretched by 1180 / its
# width from its left edge, the frames below it that cover it are full-width faded
# parents, everything else hidden; "Reset Zoom" shown
import re, sys
def frames(path):
    svg = open(path).read()
    svg = svg[svg.index('<svg id="flamesvg"'):]
    return svg, [(cls, float(x), float(y), float(w), rest) for cls, rest, x, y, w in re.findall(
        r'<g class="(f[^"]*)"([^>]*)><title>[^<]*</title><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)"', svg)]
_, before = frames(sys.argv[1])
svg, after = frames(sys.argv[2])
ti = [i for i, f in enumerate(after) if 'data-clicked' in f[4]]
if len(before) != len(after) or len(ti) != 1:
    print('# %d frames before, %d after, %d clicked' % (len(before), len(after), len(ti)))
    sys.exit(1)
_, tx, ty, tw, _ = before[ti[0]]
scale, bad, seen = 1180.0 / tw, [], {'zoomed': 0, 'parent': 0, 'hide': 0}
for (_, x, y, w, _), (cls, x2, y2, w2, _) in zip(before, after):
    inside, covers = x >= tx - 0.011 and x + w <= tx + tw + 0.011, x <= tx + 0.011 and x + w >= tx + tw - 0.011
    if y <= ty and inside:		# the clicked frame and what sits on it
        want, kind = (10 + (x - tx) * scale, w * scale), 'zoomed'
        ok = 'hide' not in cls and 'parent' not in cls and abs(x2 - want[0]) < 0.02 and abs(w2 - want[1]) < 0.02 + w2 * 1e-4
    elif y > ty and covers:		# its callers
        kind = 'parent'
        ok = 'parent' in cls and abs(x2 - 10) < 0.01 and abs(w2 - 1180) < 0.01
    else:
        kind = 'hide'
        ok = 'hide' in cls
    seen[kind] += 1
    if not ok:
        bad.append((kind, x, w, cls, x2, w2))
unzoom = re.search(r'<text id="unzoom" class="([^"]*)"', svg)
print('# zoomed %(zoomed)d, parents %(parent)d, hidden %(hide)d' % seen, '; bad:', bad[:3])
sys.exit(0 if not bad and seen['zoomed'] >= 2 and seen['parent'] >= 2 and unzoom and 'hide' not in unzoom.group(1) else 1)
PY
	ok $? "?range=$lo,$hi, a click on spin_outer: zoomed to it (its frames stretched, callers faded, the rest hidden)"
fi

# --time on its own
first=$("$BIN/pscript" -i "$TMP/perf.data" -F time 2>/dev/null | head -1 | tr -d ' :')
n1=$("$BIN/pfold" --time "$first,${first}999" -i "$TMP/perf.data" | awk '{ s += $NF } END { print s + 0 }')
want=$("$BIN/pscript" -i "$TMP/perf.data" -F time 2>/dev/null | tr -d ' :' | grep -c "^$first\$")
is "$n1" "$want" "--time $first,${first}999: the samples of that microsecond, as pscript prints their times"
a=$("$BIN/pfold" --time 0%-50% -i "$TMP/perf.data" | awk '{ s += $NF } END { print s + 0 }')
b=$("$BIN/pfold" --time 50%/2 -i "$TMP/perf.data" | awk '{ s += $NF } END { print s + 0 }')
is "$((a + b))" "$nall" "--time 0%-50% ($a) and 50%/2 ($b) share the samples"
out=$("$BIN/pfold" --time 5,x -i "$TMP/perf.data" 2>&1); rc=$?
[ $rc -ne 0 ] && echo "$out" | grep -q "bad --time '5,x' (expected START,END"
ok $? "a bad --time says what it expects"
"$BIN/pfold" -i "$TMP/perf.data" > "$TMP/all.txt"
out=$("$BIN/pfold" --heatmap -i "$TMP/all.txt" 2>&1); rc=$?
[ $rc -ne 0 ] && echo "$out" | grep -q -- '--heatmap needs a perf.data file'
ok $? "--heatmap on folded text: a clear error"
done_testing
