#!/bin/sh
# pfold --speedscope and --chrome-trace. The speedscope file, checked field by field against
# its schema's rules and against pfold's own folded text (per thread, weights = periods in
# ns), is then opened by speedscope's real application (the npm package, served on
# 127.0.0.1) in headless Chromium: no error, and the totals and self times its sandwich
# table shows for the workload's functions are the ones the folded text gives. The trace
# events: well nested per thread, the workload's functions as slices, the tracepoint's
# samples as instant events (as many as perf script prints).
. "$(dirname "$0")/lib.sh"

W=$PROGS/fold_work
perf record -q -g -e cpu-clock -e sched:sched_process_exit -o "$TMP/perf.data" "$W" 150 100 50 \
	>/dev/null 2>&1 ||
	perf record -q -g -o "$TMP/perf.data" "$W" 150 100 50 >/dev/null 2>&1
"$BIN/pfold" --speedscope -i "$TMP/perf.data" -o "$TMP/p.json"
ok $? "pfold --speedscope -i FILE -o OUT.json"
"$BIN/pfold" --tid --period -e cpu-clock -i "$TMP/perf.data" > "$TMP/tid.txt" 2>/dev/null
python3 - "$TMP/p.json" "$TMP/tid.txt" <<'PY'
# the schema's rules, then every thread's stacks and weights against folded --tid --period
import collections, json, sys
from folded import load
d = json.load(open(sys.argv[1]))
frames = d['shared']['frames']
bad = []
if d.get('$schema') != 'https://www.speedscope.app/file-format-schema.json':
    bad.append('$schema')
got = collections.Counter()
order_ok = True
for p in d['profiles']:
    if p['type'] != 'sampled' or p['unit'] != 'nanoseconds' or p['startValue'] != 0:
        bad.append('profile header ' + p['name'])
    if len(p['samples']) != len(p['weights']) or p['endValue'] != sum(p['weights']):
        bad.append('samples/weights ' + p['name'])
    comm, ids = p['name'].rsplit(' ', 1)
    prev = None
    for st, w in zip(p['samples'], p['weights']):
        if any(not (0 <= i < len(frames)) for i in st):
            bad.append('frame index')
            break
        if st == prev:
            bad.append('equal neighbours not merged')
        prev = st
        got[';'.join(['%s-%s' % (comm, ids)] + [frames[i]['name'] for i in st])] += w
want = load(sys.argv[2])
if got != want:
    bad.append('stacks: %d differ' % len(set(got.items()) ^ set(want.items())))
# time order: the workload's phases come one after the other
main = max(d['profiles'], key=lambda p: p['endValue'])
first = {}
for i, st in enumerate(main['samples']):
    for f in ('work_a', 'work_b', 'phase_c'):
        if f in [frames[k]['name'] for k in st]:
            first.setdefault(f, i)
if not (first.get('work_a', 1e9) < first.get('work_b', -1) < first.get('phase_c', -1)):
    bad.append('time order %s' % first)
print('# %d profiles, %d frames; %s' % (len(d['profiles']), len(frames), ', '.join(bad) or 'all good'))
sys.exit(1 if bad else 0)
PY
ok $? "the file follows speedscope's schema; per thread, stacks and ns weights equal folded --tid --period; samples in time order"

CHROME=$(command -v chromium || command -v chromium-browser || true)
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/pfold-e2e/speedscope
APP=$CACHE/node_modules/speedscope/dist/release
if [ ! -f "$APP/index.html" ] && command -v npm >/dev/null 2>&1; then
	mkdir -p "$CACHE" &&
		timeout 120 npm install --silent --no-audit --no-fund --prefix "$CACHE" speedscope@1 \
			>"$TMP/npm.log" 2>&1
fi
if [ -z "$CHROME" ]; then
	skip "chromium not installed"
elif [ ! -f "$APP/index.html" ]; then
	skip "speedscope's npm package could not be installed into $CACHE (npm missing or the registry unreachable: $(tail -1 "$TMP/npm.log" 2>/dev/null | cut -c1-100))"
else
	mkdir "$TMP/www" && cp -r "$APP/." "$TMP/www/" && cp "$TMP/p.json" "$TMP/www/"
	(cd "$TMP/www" && exec python3 -m http.server 0 --bind 127.0.0.1) >"$TMP/http.log" 2>&1 &
	HTTP=$!
	trap 'kill $HTTP 2>/dev/null; rm -rf "$TMP"' EXIT
	for i in 1 2 3 4 5 6 7 8 9 10; do grep -qs 'port [0-9]' "$TMP/http.log" && break; sleep 0.3; done
	port=$(grep -o 'port [0-9]*' "$TMP/http.log" | grep -o '[0-9]*$')
	url="http://127.0.0.1:$port/index.html#profileURL=http://127.0.0.1:$port/p.json&view=sandwich"
	# a render that the headless browser had not finished (a loaded machine) shows no table,
	# or a table without its rows, yet: that is Chromium's timing, tried again up to 3 times;
	# wrong numbers fail at once, and so does a table still without the rows after 3 tries.
	# The table sorts by self time and puts in the page only the rows its window shows: main
	# (self 0) sits below every function with samples of its own, which a loaded machine's
	# recording has more of (kernel frames); at 900 pixels 44 rows showed, and CI's run once
	# left main out. 4000 pixels show about 200.
	for try in 1 2 3; do
		timeout 90 "$CHROME" --headless --no-sandbox --disable-gpu --virtual-time-budget=10000 \
			--window-size=1300,4000 --user-data-dir="$TMP/chrome$try" --dump-dom "$url" \
			>"$TMP/ss.html" 2>"$TMP/chrome.err" ||
			echo "# Chromium exited $?: $(tail -1 "$TMP/chrome.err" | cut -c1-200)" >&2
		python3 - "$TMP/ss.html" "$TMP/tid.txt" >"$TMP/ss.out" 2>&1 <<'PY'
# speedscope's sandwich table: "TOTAL (P%) SELF (P%) NAME" rows, times as it formats them
import collections, html, re, sys
from folded import load
t = open(sys.argv[1]).read()
t = re.sub(r'<(style|script)\b.*?</\1>', '', t, flags=re.S)
text = re.sub(r'\s+', ' ', html.unescape(re.sub(r'<[^>]+>', ' ', t)))
if 'Symbol Name' not in text or re.search(r'Something went wrong|[Ee]rror', text):
    print('# no sandwich table or an error: ' + text[:300])
    sys.exit(2)
unit = {'ns': 1e-6, 'µs': 1e-3, 'ms': 1.0, 's': 1e3}
rows = {}
for tot, tu, self_, su, name in re.findall(r'([\d.]+)(ns|µs|ms|s) \([^)]*\) ([\d.]+)(ns|µs|ms|s) \([^)]*\) (\S+)', text):
    rows.setdefault(name, (float(tot) * unit[tu], float(self_) * unit[su]))
total, selfw = collections.Counter(), collections.Counter()
for st, w in load(sys.argv[2]).items():
    fr = st.split(';')[1:]
    for f in set(fr):
        total[f] += w
    selfw[fr[-1]] += w
# a table whose rows were not in the page yet (CI's parallel phase once dumped the header
# and none of these four): a render not finished, tried again like a missing table
if not any(f in rows for f in ('work_a', 'work_b', 'phase_c', 'main')):
    print('# the sandwich table has none of the four rows yet: ' + text[:300])
    sys.exit(2)
bad = 0
for f in ('work_a', 'work_b', 'phase_c', 'main'):
    want = (total[f] / 1e6, selfw[f] / 1e6)
    got = rows.get(f)
    good = got and all(abs(g - w) <= 0.006 + w * 1e-4 for g, w in zip(got, want))
    print('# %s: speedscope shows %s ms, folded text gives %.3f/%.3f ms' % (f, got, *want))
    bad += not good
sys.exit(1 if bad else 0)
PY
	rc=$?; cat "$TMP/ss.out"; [ $rc -ne 2 ] && break
	done
	[ $rc -eq 0 ] || diag "$(cat "$TMP/ss.out"; tail -3 "$TMP/chrome.err")"
	[ $rc -eq 0 ]
	ok $? "speedscope's app opens the file with no error; its totals and self times for work_a, work_b, phase_c, main equal the folded text's"
fi

# trace events
"$BIN/pfold" --chrome-trace -i "$TMP/perf.data" -o "$TMP/t.json"
ok $? "pfold --chrome-trace -i FILE -o OUT.json"
ninst=$(perf script -i "$TMP/perf.data" -F event 2>/dev/null | grep -c 'sched:sched_process_exit')
python3 - "$TMP/t.json" "$ninst" "$TMP/tid.txt" <<'PY'
import collections, json, sys
from folded import load
d = json.load(open(sys.argv[1]))
ev, bad = d['traceEvents'], []
stacks, last, dur, inst = collections.defaultdict(list), {}, collections.Counter(), 0
for e in ev:
    k = (e['pid'], e['tid'])
    if e['ph'] == 'M':
        continue
    if e['ts'] < last.get(k, 0):
        bad.append('time goes back')
    last[k] = e['ts']
    if e['ph'] == 'B':
        stacks[k].append((e['name'], e['ts']))
    elif e['ph'] == 'E':
        if not stacks[k] or stacks[k][-1][0] != e['name']:
            bad.append('E without its B')
            break
        n, t0 = stacks[k].pop()
        dur[n] += e['ts'] - t0
    elif e['ph'] == 'i':
        inst += 1
if any(stacks.values()):
    bad.append('slices left open')
if inst != int(sys.argv[2]):
    bad.append('%d instants, perf script has %s' % (inst, sys.argv[2]))
# a slice lasts until the next sample or one period: the time in a function's slices is
# its samples' periods, less the periods cut short by an early next sample
per = collections.Counter()
for st, w in load(sys.argv[3]).items():
    for f in set(st.split(';')[1:]):
        per[f] += w / 1000.0
for f in ('work_a', 'work_b', 'phase_c'):
    if not (0.8 * per[f] <= dur[f] <= per[f] + 0.01):
        bad.append('%s: %.0f us of slices, %.0f us of periods' % (f, dur[f], per[f]))
print('# %d events, %d instants, work_a %.0f us%s' % (len(ev), inst, dur['work_a'],
      ''.join('; ' + b for b in bad)), file=sys.stderr if bad else sys.stdout)
sys.exit(1 if bad else 0)
PY
ok $? "trace events: B/E nested per thread in time order, the functions' slices last their samples' periods, $ninst tracepoint samples as instants"
done_testing
