#!/bin/sh
# pstat -M and --metric-only against perf stat 6.1 on the same command lines: --metric-only
# without -M (perf's own metrics of the default events), its -A table and -x layouts with the
# CPU column, -I with the time column and a value in every interval, -j keyed by metric name;
# -M's values against ground truth (a program that burns a known CPU time); -M with an unknown
# metric; --no-merge accepted and changing nothing.
. "$(dirname "$0")/lib.sh"
P=$BIN/pstat
BURN=$PROGS/cpu_burn

# --- --metric-only without -M, -A: perf's header and rows, byte for byte (table and CSV)
$P --metric-only -a -A sleep 0.1 2>"$TMP/o.txt"; orc=$?
perf stat --metric-only -a -A sleep 0.1 2>"$TMP/p.txt"; prc=$?
is "$orc" "$prc" "--metric-only -a -A (no -M): exit status as perf's ($prc)"
is "$(sed -n '4,/^$/p' "$TMP/o.txt")" "$(sed -n '4,/^$/p' "$TMP/p.txt")" \
	"--metric-only -a -A: header and CPU rows as perf's table"
$P --metric-only -a -A -x, sleep 0.1 2>"$TMP/o.csv"
perf stat --metric-only -a -A -x, sleep 0.1 2>"$TMP/p.csv"
is "$(head -1 "$TMP/o.csv")" "$(head -1 "$TMP/p.csv")" "--metric-only -a -A -x,: perf's header (cpu, then the metrics)"
shape() { awk -F, -v c="$2" '{ print NF ":" $c }' "$1"; }
is "$(tail -n +2 "$TMP/o.csv" | shape /dev/stdin 1)" "$(tail -n +2 "$TMP/p.csv" | shape /dev/stdin 1)" \
	"--metric-only -a -A -x,: rows CPU0,... with perf's field counts"

# --- -I: the time column, perf's header, the first interval's rows as perf's
$P --metric-only -I 150 -a -A -x, sleep 0.2 2>"$TMP/oi.csv"
perf stat --metric-only -I 150 -a -A -x, sleep 0.2 2>"$TMP/pi.csv"
is "$(head -1 "$TMP/oi.csv")" "$(head -1 "$TMP/pi.csv")" "--metric-only -I -A -x,: perf's header ( time,cpu,...)"
first_iv() { awk -F, 'NR > 1 { if (t == "") t = $1; if ($1 == t) print NF ":" $2 }' "$1"; }
is "$(first_iv "$TMP/oi.csv")" "$(first_iv "$TMP/pi.csv")" "--metric-only -I -A -x,: an interval's rows as perf's"
$P --metric-only -I 150 -a -A sleep 0.2 2>"$TMP/oi.txt"
perf stat --metric-only -I 150 -a -A sleep 0.2 2>"$TMP/pi.txt"
is "$(head -1 "$TMP/oi.txt")" "$(head -1 "$TMP/pi.txt")" "--metric-only -I -A: perf's table header"
is "$(sed -n 2p "$TMP/oi.txt" | cut -c17-)" "$(sed -n 2p "$TMP/pi.txt" | cut -c17-)" \
	"--metric-only -I -A: a row as perf's after the timestamp"

# --- -M with --metric-only: a value in every interval, the header naming the metrics
# (450 ms: the last, partial interval ends mid-tick, with counts)
$P -M cpus_utilized,context_switches_per_sec --metric-only -I 100 -x, $BURN 450 2>"$TMP/mi.csv"
is "$(head -1 "$TMP/mi.csv")" " time,cpus_utilized,context_switches_per_sec," "-M --metric-only -I -x,: header names the metrics"
n=$(tail -n +2 "$TMP/mi.csv" | wc -l)
bad=$(tail -n +2 "$TMP/mi.csv" | awk -F, 'NF != 4 || $2 !~ /^[0-9.]+$/ || $3 !~ /^[0-9.]+$/ || $1 + 0 <= last { print } { last = $1 + 0 }')
ok $([ "$n" -ge 3 ] && [ -z "$bad" ]; echo $?) "-M --metric-only -I: $n intervals, each with both values, times rising${bad:+ (bad: $bad)}"
# as perf, every interval's metrics divide by the interval asked for, the partial last one too:
# the CPUs utilized of all intervals x 0.1 s add up to the CPU time burnt
cpu=$(tail -n +2 "$TMP/mi.csv" | awk -F, '{ s += $2 * 0.1 } END { printf "%.3f", s }')
ok $(within_pct "$cpu" 0.450 5; echo $?) "-M cpus_utilized -I 100: the intervals' values x 0.1 s add up to the CPU time burnt ($cpu s, 0.450)"
$P -M cpus_utilized --metric-only -a -A -x, sleep 0.1 2>"$TMP/ma.csv"
is "$(awk -F, '{ print NF ":" $1 }' "$TMP/ma.csv" | tr '\n' ' ')" \
	"3:cpu $(seq 0 $(($(nproc) - 1)) | sed 's/^/3:CPU/' | tr '\n' ' ')" "-M --metric-only -a -A -x,: cpu, header, a CPUn row per CPU"
$P -M cpus_utilized,page_faults_per_sec --metric-only -j -a -A sleep 0.1 2>"$TMP/ma.json"
keys=$(python3 -c '
import json, sys
for l in open(sys.argv[1]):
    d = json.loads(l); print(" ".join(d.keys()), all(float(d[k]) >= 0 for k in d))' "$TMP/ma.json" | sort -u)
is "$keys" "cpu cpus_utilized page_faults_per_sec True" "-M --metric-only -j -A: JSON lines keyed by cpu and metric name, numbers"
$P -M cpus_utilized --metric-only -j -I 100 $BURN 300 2>"$TMP/mj.json"
keys=$(python3 -c '
import json, sys
for l in open(sys.argv[1]):
    d = json.loads(l); print(" ".join(d.keys()))' "$TMP/mj.json" | sort -u)
is "$keys" "interval cpus_utilized" "-M --metric-only -j -I: interval and metric name keys"

# --- -M values against ground truth: a program that burns 400 ms of CPU, one that sleeps
$P -M cpus_utilized --metric-only $BURN 400 2>"$TMP/gt.txt"
v=$(sed -n 5p "$TMP/gt.txt" | awk '{ print $1 }')
el=$(awk '/seconds time elapsed/ { print $1 }' "$TMP/gt.txt")
cpu=$(awk -v v="$v" -v e="$el" 'BEGIN { printf "%.3f", v * e }')
ok $(within_pct "$cpu" 0.400 8; echo $?) "-M cpus_utilized x elapsed = the CPU time burnt: $v x $el s = $cpu s (0.400)"
$P -M cpus_utilized --metric-only -x, sleep 0.3 2>"$TMP/sl.csv"
v=$(sed -n 2p "$TMP/sl.csv" | cut -d, -f1)
ok $(awk -v v="$v" 'BEGIN { exit !(v >= 0 && v < 0.05) }'; echo $?) "-M cpus_utilized of a sleeping program is near 0 ($v)"
$P -M cpus_utilized -x, $BURN 200 2>"$TMP/m.csv"
tc=$(grep ',task-clock,' "$TMP/m.csv" | cut -d, -f1)
ok $(within_pct "$tc" 200 8; echo $?) "-M cpus_utilized counts task-clock: $tc msec of the 200 burnt"

# --- refusals: --per-thread (perf refuses it too), an unknown metric
$P --metric-only --per-thread -a sleep 0.01 2>"$TMP/err"; rc=$?
perf stat --metric-only --per-thread -a sleep 0.01 2>"$TMP/perr"; prc=$?
ok $([ "$rc" -ne 0 ] && [ "$prc" -ne 0 ]; echo $?) "--metric-only --per-thread: refused, as perf refuses it ($rc, perf $prc)"
is "$(head -1 "$TMP/err" | sed 's/^pstat: //')" "$(head -1 "$TMP/perr")" "--metric-only --per-thread: perf's message"
$P -M no_such_metric true 2>"$TMP/err"; rc=$?
is "$rc:$(head -1 "$TMP/err")" "129:pstat: Cannot find metric or group \`no_such_metric' (metrics here: plist --raw-dump metrics)" \
	"-M unknown: perf's message (with what to do), usage exit"

# --- --no-merge: accepted, the same events and fields as without it (one PMU per event here)
$P --no-merge -x, -e task-clock,page-faults $BURN 50 2>"$TMP/nm.csv"; rc=$?
$P -x, -e task-clock,page-faults $BURN 50 2>"$TMP/m.csv"
is "$rc:$(shape "$TMP/nm.csv" 3)" "0:$(shape "$TMP/m.csv" 3)" "--no-merge: accepted, same rows and fields as without"
perf stat --no-merge -x, -e task-clock,page-faults $BURN 50 2>"$TMP/pnm.csv"
is "$(shape "$TMP/nm.csv" 3)" "$(shape "$TMP/pnm.csv" 3)" "--no-merge -x,: perf's rows and fields"

done_testing
