#!/bin/sh
# Off-CPU time in the heat map page and in speedscope, against pfold --period and against
# ground truth by construction: offcpu4 (tests/progs/offcpu4.c) runs a thread that nanosleeps
# 0.5 s, one blocked on a mutex another thread holds for 0.5 s of CPU, one blocked on a pipe,
# and prints what each really waited. precord --off-cpu -g records it; an offcpu-time sample
# carries the whole wait as its period (ns) and is stamped when the thread runs again.
# Heat map (headless Chromium): the cells' values are nanoseconds, on and off CPU; every
# second's cells sum to pfold --period --time for that second; the cell where the sleeper's
# wait ended holds at least that wait, the heaviest cell is drawn darkest; the whole run's
# flame graph gives the nanosleep and mutex stacks the time the threads measured (5%).
# speedscope: the sleeper's and the locker's profiles weigh their waits as the threads measured
# them, and every thread's stacks and weights equal pfold --tid --period.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/offcpu_lib.sh"

"$BIN/precord" --off-cpu -g -o "$TMP/oc.data" "$W" 0.5 > "$TMP/truth.txt" 2> "$TMP/rec.err"
ok $? "precord --off-cpu -g records offcpu4 0.5"
diag "offcpu4 measured: $(tr '\n' ' ' < "$TMP/truth.txt")"
"$BIN/pfold" --period -i "$TMP/oc.data" > "$TMP/period.txt"
"$BIN/pfold" --heatmap -i "$TMP/oc.data" -o "$TMP/heat.html"
ok $? "pfold --heatmap on an --off-cpu recording"
grep -q '"unit":"nanoseconds"' "$TMP/heat.html"
ok $? "the page's values are nanoseconds (on-CPU periods and off-CPU waits alike)"
# the sleeper's wait: its offcpu-time sample (the one of ~0.5 s) and the cell it fell in
read -r stime speriod <<EOF
$("$BIN/pscript" -i "$TMP/oc.data" -F comm,time,event,period 2>/dev/null |
	awk '$1 == "sleeper" && $4 == "offcpu-time:" && $3 > m { m = $3; t = $2 } END { sub(":", "", t); print t, m }')
EOF
diag "the sleeper's longest wait: $speriod ns, ended at $stime"

CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$CHROME" ]; then
	for i in 1 2 3; do skip "chromium not installed"; done
else
	timeout 90 "$CHROME" --headless --no-sandbox --disable-gpu --virtual-time-budget=3000 \
		--user-data-dir="$TMP/chrome" --dump-dom "file://$TMP/heat.html" >"$TMP/dom.html" 2>"$TMP/chrome.err" ||
		diag "Chromium exited $?: $(tail -1 "$TMP/chrome.err" | cut -c1-200)"
	python3 - "$TMP/dom.html" "$TMP/heat.html" "$stime" > "$TMP/cells.txt" <<'PY'
# "sec SUM" per column, then "sleepcell VALUE", "maxfill FILL", "maxval VALUE"
import collections, re, sys
dom = open(sys.argv[1]).read()
base = int(re.search(r'"base_s":(\d+)', open(sys.argv[2]).read()).group(1))
col, cell, fill = collections.Counter(), {}, {}
for c, k, n, f in re.findall(r'class="cell" data-cell="(\d+)" data-col="(\d+)" data-n="(\d+)"[^>]*fill="([^"]*)"', dom):
    col[base + int(k)] += int(n)
    cell[int(c)] = int(n)
    fill[int(c)] = f
s, frac = sys.argv[3].split('.')
sc = (int(s) - base) * 50 + int(frac.ljust(9, '0')) // 20000000
for s in sorted(col):
    print('sec', s, col[s])
top = max(cell, key=cell.get) if cell else -1
print('sleepcell', cell.get(sc, 0))
print('maxfill', fill.get(top, 'none'))
print('maxval', cell.get(top, 0))
PY
	bad=0 secs=""
	while read -r _ s n; do
		want=$("$BIN/pfold" --period --time "$s.000000000,$s.999999999" -i "$TMP/oc.data" | awk '{ t += $NF } END { printf "%.0f", t }')
		[ "$n" = "$want" ] || { bad=$((bad + 1)); diag "second $s: cells $n ns, pfold --period --time $want ns"; }
		secs="$secs $s:$n"
	done <<EOF
$(grep '^sec ' "$TMP/cells.txt")
EOF
	total=$(grep '^sec ' "$TMP/cells.txt" | awk '{ t += $3 } END { printf "%.0f", t }')
	[ "$bad" = 0 ] && [ -n "$secs" ] && [ "$total" = "$(awk '{ t += $NF } END { printf "%.0f", t }' "$TMP/period.txt")" ]
	ok $? "every second's cells sum to pfold --period --time's ns for it, all to pfold --period's ($total ns)"
	sleepcell=$(awk '$1 == "sleepcell" { print $2 }' "$TMP/cells.txt")
	awk -v c="$sleepcell" -v w="$speriod" -v t="$(truth sleeper)" 'BEGIN { exit !(c >= w && w >= 0.95 * t * 1e9) }'
	ok $? "the cell where the sleeper woke holds its wait: $sleepcell ns >= $speriod ns (it measured $(truth sleeper) s)"
	is "$(awk '$1 == "maxfill" { print $2 }' "$TMP/cells.txt")" "rgb(180,0,0)" \
		"the heaviest cell ($(awk '$1 == "maxval" { print $2 }' "$TMP/cells.txt") ns) is drawn darkest"
	# the whole run's range graph, drawn on load: frames titled "NAME (N nanoseconds, P%)"
	frame_ns() { grep -o "<title>$1[^ <]* ([0-9,]* nanoseconds" "$TMP/dom.html" | grep -o '[0-9,]* nano' |
		tr -d ', nano' | awk '{ s += $1 } END { printf "%.0f", s }'; }
	near "the page's flame graph: clock_nanosleep (the sleeper's wait)" "$(frame_ns clock_nanosleep)" \
		"$(truth sleeper)" 5
	near "the page's flame graph: __GI___lll_lock_wait (the locker's wait)" "$(frame_ns __GI___lll_lock_wait)" \
		"$(truth locker)" 5
fi

"$BIN/pfold" --speedscope -i "$TMP/oc.data" -o "$TMP/p.json"
ok $? "pfold --speedscope on an --off-cpu recording"
"$BIN/pfold" --tid --period -i "$TMP/oc.data" > "$TMP/tid.txt"
python3 - "$TMP/p.json" "$TMP/tid.txt" > "$TMP/ss.txt" <<'PY'
# per thread: stacks and weights against folded --tid --period; the waits of two threads
import collections, json, sys
from folded import load
d = json.load(open(sys.argv[1]))
frames = d['shared']['frames']
got, wait, bad = collections.Counter(), collections.Counter(), []
for p in d['profiles']:
    if p['unit'] != 'nanoseconds':
        bad.append('unit ' + p['unit'])
    comm, ids = p['name'].rsplit(' ', 1)
    for st, w in zip(p['samples'], p['weights']):
        names = [frames[i]['name'] for i in st]
        got[';'.join([ids] + names)] += w
        for key, fn in (('sleeper', 'clock_nanosleep'), ('locker', '__GI___lll_lock_wait')):
            if comm == key and any(n.startswith(fn) for n in names) and names[-1].startswith('[off-cpu'):
                wait[key] += w
# keyed by pid/tid: a thread named by pthread_setname_np after its first samples has one
# name in speedscope (its profile's) and the name of the moment in folded text
want = collections.Counter()
for st, w in load(sys.argv[2]).items():
    want[st.split(';', 1)[0].rsplit('-', 1)[1] + st[st.index(';'):] if ';' in st else st.rsplit('-', 1)[1]] += w
if got != want:
    bad.append('%d stacks differ from folded --tid --period' % len(set(got.items()) ^ set(want.items())))
print('# %d profiles%s' % (len(d['profiles']), ''.join('; ' + b for b in bad)))
print('sleeper', wait['sleeper'])
print('locker', wait['locker'])
sys.exit(1 if bad else 0)
PY
rc=$?
grep '^#' "$TMP/ss.txt"
ok $rc "speedscope: every thread's stacks and ns weights equal pfold --tid --period"
near "speedscope: the sleeper's off-CPU weight under clock_nanosleep" "$(awk '$1 == "sleeper" { print $2 }' "$TMP/ss.txt")" \
	"$(truth sleeper)" 5
near "speedscope: the locker's off-CPU weight under __GI___lll_lock_wait" "$(awk '$1 == "locker" { print $2 }' "$TMP/ss.txt")" \
	"$(truth locker)" 5
done_testing
