#!/bin/sh
# pfold --svg: well-formed XML, every frame's width proportional to its inclusive count
# (recomputed from pfold's folded text), icicle layout, palettes; rendered in headless
# Chromium to a non-blank picture, and search run from the page (?s=REGEX) highlights
# exactly the matching frames with the matched share perf report gives the function (Children).
. "$(dirname "$0")/lib.sh"

W=$PROGS/fold_work
perf record -q -g -o "$TMP/perf.data" "$W" 150 100 50 >/dev/null 2>&1
"$BIN/pfold" -i "$TMP/perf.data" > "$TMP/folded.txt"
"$BIN/pfold" --svg -i "$TMP/perf.data" -o "$TMP/flame.svg"
ok $? "pfold --svg -i FILE -o OUT.svg (make demo's spelling)"
if command -v xmllint >/dev/null 2>&1; then
	xmllint --noout "$TMP/flame.svg"
	ok $? "the SVG is well-formed XML (xmllint)"
else
	skip "xmllint not installed"
fi

cat > "$TMP/geom.py" <<'EOF'
# Rebuild every frame's inclusive count from the folded text and check each drawn
# rectangle: width = count / total * (image width - 2 * 10), its depth from y.
import collections, re, sys
import xml.etree.ElementTree as ET
from folded import load
folded, svg, icicle = sys.argv[1], sys.argv[2], sys.argv[3] == '1'
incl = collections.Counter()
total = 0
for st, n in load(folded).items():
    fr = st.split(';')
    for i in range(1, len(fr) + 1):
        incl[tuple(fr[:i])] += n
    total += n
ns = {'s': 'http://www.w3.org/2000/svg'}
root = ET.parse(svg).getroot()
W = float(root.get('width')); H = float(root.get('height'))
scale = (W - 20) / total
frames = []
for g in root.iter('{http://www.w3.org/2000/svg}g'):
    if g.get('class') != 'f':
        continue
    t = g.find('s:title', ns).text
    r = g.find('s:rect', ns)
    frames.append((t[:t.rindex(' (')], float(r.get('x')), float(r.get('width')), float(r.get('y'))))
ys = sorted(set(f[3] for f in frames))
depth_of = {y: (i if icicle else len(ys) - 1 - i) for i, y in enumerate(ys)}
# rebuild paths: a frame's parent is the frame one level closer to the root covering it
bylevel = collections.defaultdict(list)
for f in frames:
    bylevel[depth_of[f[3]]].append(f)
paths = {}
bad = 0
for d in sorted(bylevel):
    for f in bylevel[d]:
        if d == 0:
            path = ()
        else:
            par = [p for p in bylevel[d - 1] if p[1] - 0.02 <= f[1] and f[1] + f[2] <= p[1] + p[2] + 0.02]
            if len(par) != 1:
                bad += 1
                continue
            path = paths[par[0]] + (f[0],)
        paths[f] = path
        want = (total if d == 0 else incl[path]) * scale
        if abs(f[2] - want) > 0.011:
            bad += 1
            if bad < 5:
                print('# %s: width %.2f, count gives %.2f' % (';'.join(path), f[2], want))
drawn = sum(1 for k, v in incl.items() if v * scale >= 0.1)
print('# %d frames drawn, %d stacks prefixes wide enough, %d bad' % (len(frames) - 1, drawn, bad))
sys.exit(0 if bad == 0 and len(frames) - 1 == drawn else 1)
EOF
python3 "$TMP/geom.py" "$TMP/folded.txt" "$TMP/flame.svg" 0
ok $? "every rectangle's width matches its count; frames under 0.1 px left out"
"$BIN/pfold" --svg --icicle -i "$TMP/perf.data" > "$TMP/icicle.svg"
python3 "$TMP/geom.py" "$TMP/folded.txt" "$TMP/icicle.svg" 1
ok $? "--icicle: same widths, root at the top"
grep -q '<text id="title" [^>]*>Icicle Graph<' "$TMP/icicle.svg"
ok $? "--icicle: titled Icicle Graph"
"$BIN/pfold" --svg --minwidth 50 -i "$TMP/perf.data" > "$TMP/wide.svg"
n_all=$(grep -c '<g class="f">' "$TMP/flame.svg")
n_wide=$(grep -c '<g class="f">' "$TMP/wide.svg")
[ "$n_wide" -lt "$n_all" ] && [ "$n_wide" -ge 4 ]
ok $? "--minwidth 50 drops narrow frames ($n_all -> $n_wide)"
grep -q 'cpu-clock' "$TMP/flame.svg"
ok $? "the event name is in the subtitle"
"$BIN/pfold" --svg --title 'a <b> & c' -i "$TMP/perf.data" > "$TMP/t.svg"
grep -q '>a &lt;b&gt; &amp; c<' "$TMP/t.svg"
ok $? "--title is escaped"
for pal in dso kernel; do
	"$BIN/pfold" --svg --colors $pal -i "$TMP/perf.data" > "$TMP/$pal.svg" &&
		xmllint --noout "$TMP/$pal.svg" 2>/dev/null
	ok $? "--colors $pal"
done
# kernel palette: kernel frames orange (blue channel 60; warm user colors stay below 41), user frames otherwise
python3 - "$TMP/kernel.svg" <<'EOF'
import sys
from folded import svg_fills
k, u, bad = set(), set(), 0
for name, fill in svg_fills(sys.argv[1]):
    orange = fill[2] == 60
    if name in ('pvm_irq_enable', 'asm_exc_page_fault', 'exc_page_fault', 'do_syscall_64'):
        k.add(name); bad += not orange
    if name in ('work_a', 'work_b', 'main', 'phase_c'):
        u.add(name); bad += orange
sys.exit(0 if len(u) == 4 and k and not bad else 1)
EOF
ok $? "--colors kernel: kernel frames orange, user frames not"

# symbols with XML-special and non-UTF-8 bytes stay well-formed (folded text in)
printf 'p;a<b>&c"d\x27;f\xff\x01 3\np;ok 2\n' > "$TMP/odd.txt"
"$BIN/pfold" --svg -i "$TMP/odd.txt" > "$TMP/odd.svg" && xmllint --noout "$TMP/odd.svg" 2>/dev/null
ok $? "odd names (markup, bad UTF-8, control bytes) keep the SVG well-formed"

CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$CHROME" ]; then
	skip "chromium not installed"; skip "chromium not installed"; skip "chromium not installed"
	skip "chromium not installed"; skip "chromium not installed"
	done_testing
fi
# each run gets a profile of its own: a run that finds the previous one's profile still
# locked (its processes not gone yet) can hand its URL to it and exit without a screenshot
CH=0
chrome() { CH=$((CH + 1)); timeout 90 "$CHROME" --headless --no-sandbox --disable-gpu --hide-scrollbars \
	--virtual-time-budget=3000 --user-data-dir="$TMP/chrome$CH" "$@" 2>"$TMP/chrome$CH.err"; }
# shot URL PNG: screenshot, then 'COLORS HIGHLIGHTED' from it; a run that wrote no picture
# (Chromium killed or starved under a loaded make check) is said so. The checks on a shot are
# run again once when they fail (retry_nondeterministic chromium, lib.sh)
# The window is as tall as the picture: a recording with one deep stack (a kernel stack of
# 40 frames under load) makes the graph taller than 600 pixels, and a window of 600 showed
# only its top, the deep frames, with no work_ frame to highlight (CI: 303 colors, none lit)
shot() {
	rm -f "$2"
	h=$(sed -n 's/^<svg [^>]* height="\([0-9]*\)".*/\1/p' "$TMP/page.svg" | head -1)
	[ "${h:-0}" -ge 600 ] 2>/dev/null || h=600
	[ "$h" -le 8000 ] || h=8000
	chrome --window-size=1200,$h --screenshot="$2" "$1" >/dev/null
	rc=$?
	[ -s "$2" ] ||
		echo "# Chromium wrote no $(basename "$2") (exit $rc): $(tail -1 "$TMP/chrome$CH.err" | cut -c1-200)" >&2
	python3 "$TMP/png.py" "$2" 230,0,230 2>/dev/null
}

cat > "$TMP/png.py" <<'EOF'
# Minimal PNG reader (8-bit RGB/RGBA): prints distinct colors and pixels of a given color.
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n'
pos, idat = 8, b''
while pos < len(data):
    n, typ = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if typ == b'IHDR':
        w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
    elif typ == b'IDAT':
        idat += body
    pos += 12 + n
bpp = {2: 3, 6: 4}[ctype]
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
colors, hits, want = set(), 0, tuple(int(x) for x in sys.argv[2].split(','))
i = 0
for y in range(h):
    f = raw[i]; row = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = row[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1: row[x] = (row[x] + a) & 255
        elif f == 2: row[x] = (row[x] + b) & 255
        elif f == 3: row[x] = (row[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            row[x] = (row[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp):
        px = tuple(row[x:x + 3])
        colors.add(px)
        hits += px == want
    prev = row
print(len(colors), hits)
EOF
cp "$TMP/flame.svg" "$TMP/page.svg"
plain_shot() {
	set -- $(shot "file://$TMP/page.svg" "$TMP/plain.png")
	[ "${1:-0}" -gt 20 ] && [ "${2:-1}" = 0 ]
	ok $? "headless Chromium renders it: ${1:-0} colors, no highlight before a search"
}
search_shot() {
	set -- $(shot "file://$TMP/page.svg?s=^work_" "$TMP/search.png")
	[ "${2:-0}" -gt 500 ]
	ok $? "search from the page paints the matches (${2:-0} highlighted pixels, ${1:-0} colors)"
}
retry_nondeterministic chromium plain_shot
retry_nondeterministic chromium search_shot

# the page's own search(): which frames it highlighted and the share it reports
chrome --dump-dom "file://$TMP/page.svg?s=^work_a$" > "$TMP/dom.txt"
hl=$(grep -o '<title>[^<]*</title><rect [^>]*fill="rgb(230,0,230)"' "$TMP/dom.txt" | sed 's/<title>\([^ ]*\) .*/\1/' | sort -u | tr '\n' ' ')
is "$hl" "work_a " "search('^work_a\$') highlights exactly the work_a frames"
got=$(grep -o 'Matched: [0-9.]*%' "$TMP/dom.txt" | grep -o '[0-9.]*')
want=$(perf report -i "$TMP/perf.data" --stdio --children --sort sym -g none 2>/dev/null |
	awk '$NF == "work_a" { sub("%", "", $1); print $1 }')
within_pct "${got:-0}" "${want:-1}" 0.5
ok $? "matched share ${got:-none}% = perf report's work_a Children share ${want:-none}%"

# zoom on a frame whose last callee ends where it ends: the drawn x and width are rounded to
# 0.01, so r;p;c2 (x 206.67, width 196.67) sticks out of r;p (10.00, 393.33) by 0.01; a click
# on p (run by a script added to a copy of the SVG) stretches both callees (the 0.01 times the
# zoom factor 3 past the edge), hides r;q
printf 'r;p;c1 1\nr;p;c2 1\nr;q 4\n' > "$TMP/z.txt"
"$BIN/pfold" --svg -i "$TMP/z.txt" | sed 's|</svg>|<script><![CDATA[window.addEventListener("load", function () { setTimeout(function () { frames.forEach(function (g) { if (g.fname === "p") g.dispatchEvent(new MouseEvent("click")); }); }, 0); });]]></script></svg>|' > "$TMP/z.svg"
chrome --dump-dom "file://$TMP/z.svg" > "$TMP/z.dom"
python3 - "$TMP/z.dom" <<'PY'
import re, sys
f = {n: (c, float(x), float(w)) for c, n, x, w in re.findall(
    r'<g class="(f[^"]*)"><title>(\w+) [^<]*</title><rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', open(sys.argv[1]).read())}
print('# after the click: %s' % f)
ok = all(n in f and 'hide' not in f[n][0] for n in ('p', 'c1', 'c2')) and 'hide' in f.get('q', ('',))[0]
ok = ok and abs(f['p'][1] - 10) < 0.01 and abs(f['p'][2] - 1180) < 0.01 and abs(f['c2'][1] + f['c2'][2] - 1190) < 0.06
sys.exit(0 if ok else 1)
PY
ok $? "click-to-zoom keeps a callee that ends where its caller ends (0.01 of rounding out)"

done_testing
