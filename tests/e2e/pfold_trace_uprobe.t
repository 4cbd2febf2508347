#!/bin/sh
# pfold --chrome-trace with a uprobe: pprobe puts a uprobe on target() of a copy of probed
# (tests/progs/probed.c calls it exactly N times), precord records it with cpu-clock and -g;
# every uprobe hit is an instant event ("ph":"i") named by the probe, on probed's thread, at
# the time perf script prints (microseconds), with function "target" -- N of them, as many
# as perf script prints -- and the cpu-clock samples are slices as usual.
. "$(dirname "$0")/lib.sh"
T=$(tracefs_dir) || { plan 1; skip "tracefs is not mounted (scripts/setup-tracefs.sh)"; exit 0; }
[ -w "$T/uprobe_events" ] || { plan 1; skip "no uprobe_events in tracefs (CONFIG_UPROBE_EVENTS)"; exit 0; }
B=$TMP/pfoldprobed
cp "$PROGS/probed" "$B"
G=probe_pfoldprobed
trap '"$BIN/pprobe" -q -d "$G:*" >/dev/null 2>&1; rm -rf "$TMP"' EXIT
"$BIN/pprobe" -q -d "$G:*" >/dev/null 2>&1
if ! "$BIN/pprobe" -q -x "$B" target 2>"$TMP/probe.err"; then
	plan 1; skip "pprobe could not add a uprobe: $(head -1 "$TMP/probe.err")"; exit 0
fi
N=3000
"$BIN/precord" -q -g -e cpu-clock -e "$G:target" -o "$TMP/perf.data" "$B" $N >/dev/null 2>"$TMP/rec.err"
ok $? "precord -g -e cpu-clock -e $G:target probed $N"
"$BIN/pfold" --chrome-trace -i "$TMP/perf.data" -o "$TMP/t.json"
ok $? "pfold --chrome-trace -i FILE -o OUT.json"
perf script -i "$TMP/perf.data" -F tid,time,event 2>/dev/null | awk -v e="$G:target:" '$3 == e' |
	tr -d ':' | awk '{ print $1, $2 }' > "$TMP/perf.txt"
is "$(wc -l < "$TMP/perf.txt")" "$N" "perf script prints the $N uprobe hits"
python3 - "$TMP/t.json" "$TMP/perf.txt" "$G:target" <<'PY'
# the instants against perf script's (tid, time) list, in order; their names and functions
import json, sys
d = json.load(open(sys.argv[1]))
inst = [e for e in d['traceEvents'] if e['ph'] == 'i']
# perf script prints whole microseconds (cut, not rounded); the trace keeps the nanoseconds
want = [(int(t), int(s.replace('.', ''))) for t, s in (l.split() for l in open(sys.argv[2]))]
got = sorted((e['tid'], int(e['ts'])) for e in inst)
bad = []
if got != sorted(want):
    bad.append('(tid, us) differ from perf script: %d vs %d, first %s' %
               (len(got), len(want), [x for x in got if x not in set(want)][:3]))
names = set(e['name'] for e in inst)
funcs = set(e['args'].get('function') for e in inst)
if names != {sys.argv[3]}:
    bad.append('names %s' % sorted(names)[:3])
if funcs != {'target'}:
    bad.append('functions %s' % sorted(map(str, funcs))[:3])
slices = sum(1 for e in d['traceEvents'] if e['ph'] == 'B')
print('# %d instants (%s, function %s), %d slices%s' % (len(inst), ', '.join(sorted(names)),
      ', '.join(sorted(map(str, funcs))), slices, ''.join('; ' + b for b in bad)))
sys.exit(1 if bad or not slices else 0)
PY
ok $? "every uprobe hit an instant event: the probe's name, function target, perf script's thread and time"
done_testing
