#!/bin/sh
# pstat's aggregation modes and interval/timeout/delay options against perf stat 6.1 on the same
# command lines (software events: this machine may have no PMU): CSV field counts, JSON keys,
# the unit columns and the table's layout, values within the noise, exit codes.
. "$(dirname "$0")/lib.sh"
P=$BIN/pstat
EV=task-clock,page-faults

# CSV lines of a file: field count and the first N fields joined (the unit columns)
csv_shape() { awk -F, -v n="$2" '{ s = NF; for (i = 1; i <= n; i++) s = s "," $i; print s }' "$1"; }
# JSON lines: the sorted keys of each line
json_keys() { python3 -c '
import json, sys
for l in open(sys.argv[1]):
    print(" ".join(sorted(json.loads(l).keys())))' "$1"; }
# the table's rows: where the event name starts and the unit columns before the count
std_shape() { grep -E "$2" "$1" | awk -v ev="$3" '{ print index($0, ev) ":" $1 }'; }

# --- topology modes, system wide: CSV, JSON and table shapes equal perf's
for m in --per-socket --per-die --per-core --per-node -A; do
	case $m in -A) ncol=1 ;; *) ncol=2 ;; esac
	$P -x, $m -a -e $EV sleep 0.05 2>"$TMP/o.csv"; orc=$?
	perf stat -x, $m -a -e $EV sleep 0.05 2>"$TMP/p.csv"; prc=$?
	is "$orc" "$prc" "$m -x,: exit status as perf's ($prc)"
	is "$(csv_shape "$TMP/o.csv" $ncol)" "$(csv_shape "$TMP/p.csv" $ncol)" "$m -x,: field counts and unit columns as perf's"
	is "$(cut -d, -f$((ncol + 3)) "$TMP/o.csv" | tr '\n' ' ')" "$(cut -d, -f$((ncol + 3)) "$TMP/p.csv" | tr '\n' ' ')" \
		"$m -x,: events in perf's order"
	$P -j $m -a -e $EV sleep 0.05 2>"$TMP/o.json"
	perf stat -j $m -a -e $EV sleep 0.05 2>"$TMP/p.json"
	is "$(json_keys "$TMP/o.json")" "$(json_keys "$TMP/p.json")" "$m -j: JSON keys as perf's"
	$P $m -a -e $EV sleep 0.05 2>"$TMP/o.txt"
	perf stat $m -a -e $EV sleep 0.05 2>"$TMP/p.txt"
	is "$(std_shape "$TMP/o.txt" 'task-clock|page-faults' task-clock)" \
		"$(std_shape "$TMP/p.txt" 'task-clock|page-faults' task-clock)" "$m: table columns as perf's"
done

# ground truth: every CPU is counted the whole time, so task-clock per CPU ~ the elapsed time
ncpu=$(nproc)
$P -x, -A -a -e cpu-clock sleep 0.3 2>"$TMP/o.csv"
check "-A: each CPU's cpu-clock is ~300 ms (the elapsed time)" awk -F, '
	{ n++; if ($2 < 270 || $2 > 360) bad = 1 } END { exit bad || n != '"$ncpu"' }' "$TMP/o.csv"
$P -x, --per-socket -a -e cpu-clock sleep 0.3 2>"$TMP/o.csv"
check "--per-socket: the sockets' CPUs add up to all $ncpu" awk -F, '{ s += $2 } END { exit s != '"$ncpu"' }' "$TMP/o.csv"

# --- --per-thread on a process: one row per thread, busiest first; the same threads as perf
"$PROGS/stat_threads" 3 10 >"$TMP/pid" & tp=$!
sleep 0.2
pid=$(cat "$TMP/pid")
$P -x, --per-thread -p "$pid" -e task-clock,context-switches sleep 0.3 2>"$TMP/o.csv"
perf stat -x, --per-thread -p "$pid" -e task-clock,context-switches sleep 0.3 2>"$TMP/p.csv"
is "$(cut -d, -f1 "$TMP/o.csv" | sort | tr '\n' ' ')" "$(cut -d, -f1 "$TMP/p.csv" | sort | tr '\n' ' ')" \
	"--per-thread -x,: the same comm-tid rows as perf"
is "$(awk -F, '{ print NF }' "$TMP/o.csv" | sort -u)" "$(awk -F, '{ print NF }' "$TMP/p.csv" | sort -u)" \
	"--per-thread -x,: perf's field count"
# worker i spins (i+1) ms per 10 ms: task-clock rows come busiest first, main thread last
check "--per-thread: task-clock rows busiest first, the sleeping main thread last" awk -F, '
	$4 == "task-clock" { if (n && $2 != "<not counted>" && prev != "<not counted>" && $2 + 0 > prev + 0) bad = 1; prev = $2; last = $1; n++ }
	END { exit bad || n != 4 || last != "stat_threads-'"$pid"'" }' "$TMP/o.csv"
$P -j --per-thread -p "$pid" -e task-clock sleep 0.2 2>"$TMP/o.json"
perf stat -j --per-thread -p "$pid" -e task-clock sleep 0.2 2>"$TMP/p.json"
is "$(json_keys "$TMP/o.json" | sort -u)" "$(json_keys "$TMP/p.json" | sort -u)" "--per-thread -j: perf's keys"
$P --per-thread -p "$pid" -e task-clock sleep 0.2 2>"$TMP/o.txt"
perf stat --per-thread -p "$pid" -e task-clock sleep 0.2 2>"$TMP/p.txt"
check "--per-thread: four threads in the table" [ "$(grep -c "stat_threads-" "$TMP/o.txt")" -eq 4 ]
is "$(std_shape "$TMP/o.txt" "stat_threads-$pid " task-clock | sort -u)" \
	"$(std_shape "$TMP/p.txt" "stat_threads-$pid " task-clock | sort -u)" "--per-thread: the table's comm-pid column as perf's"
kill $tp; wait $tp 2>/dev/null

# --- -I with --interval-count, --summary, --no-csv-summary
for f in "" "--no-csv-summary"; do
	$P -x, -I 100 --interval-count 2 --summary $f -e $EV sleep 0.5 2>"$TMP/o.csv"
	perf stat -x, -I 100 --interval-count 2 --summary $f -e $EV sleep 0.5 2>"$TMP/p.csv"
	is "$(awk -F, '{ print NF ($1 ~ /summary/ ? "s" : "") }' "$TMP/o.csv" | tr '\n' ' ')" \
		"$(awk -F, '{ print NF ($1 ~ /summary/ ? "s" : "") }' "$TMP/p.csv" | tr '\n' ' ')" \
		"-I --interval-count 2 --summary $f -x,: perf's lines and fields"
done
$P -j -I 100 --interval-count 1 --summary -e $EV sleep 0.3 2>"$TMP/o.json"
perf stat -j -I 100 --interval-count 1 --summary -e $EV sleep 0.3 2>"$TMP/p.json"
is "$(json_keys "$TMP/o.json")" "$(json_keys "$TMP/p.json")" "-I --summary -j: perf's keys, the totals without 'interval'"
$P -I 100 --interval-count 3 -a -e cpu-clock sleep 0.6 2>"$TMP/o.txt"
is "$(grep -c cpu-clock "$TMP/o.txt")" 3 "--interval-count 3 -a: three intervals, then the end"
$P -I 100 --interval-count 1 --interval-clear -e task-clock sleep 0.2 2>"$TMP/o.txt"
check "--interval-clear: the screen is cleared before the interval" grep -q "$(printf '\033\\[H\033\\[2J')" "$TMP/o.txt"

# --- --timeout, -D, --quiet, --all-user / --all-kernel
start=$(date +%s%N)
$P --timeout 200 -x, -e task-clock sleep 5 2>"$TMP/o.csv"; orc=$?
ms=$((($(date +%s%N) - start) / 1000000))
perf stat --timeout 200 -x, -e task-clock sleep 5 2>/dev/null; prc=$?
is "$orc" "$prc" "--timeout: perf's exit status ($prc)"
ok $([ "$ms" -ge 190 ] && [ "$ms" -lt 1500 ]; echo $?) "--timeout 200 stops 'sleep 5' after ~200 ms ($ms ms)"
$P -D 300 -e task-clock sleep 0.5 2>"$TMP/o.txt"
perf stat -D 300 -e task-clock sleep 0.5 2>"$TMP/p.txt"
is "$(grep Events "$TMP/o.txt" | tr '\n' ' ')" "$(grep Events "$TMP/p.txt" | tr '\n' ' ')" "-D: perf's 'Events disabled/enabled' lines"
el=$(awk '/seconds time elapsed/ { print $1 }' "$TMP/o.txt")
check "-D 300 on 'sleep 0.5': the time elapsed counts from the enabling (~0.2 s: $el)" \
	awk -v e="$el" 'BEGIN { exit !(e > 0.1 && e < 0.45) }'
$P --quiet -e task-clock sh -c 'exit 3' 2>"$TMP/o.txt"; orc=$?
is "$orc" 3 "--quiet: the command's exit status"
is "$(wc -c <"$TMP/o.txt")" 0 "--quiet: no output"
for lv in --all-user --all-kernel; do
	$P -x, $lv -e page-faults "$PROGS/faults" 5000 0 2>"$TMP/o.csv"
	perf stat -x, $lv -e page-faults "$PROGS/faults" 5000 0 2>"$TMP/p.csv"
	o=$(cut -d, -f1 "$TMP/o.csv"); p=$(cut -d, -f1 "$TMP/p.csv")
	diag "$lv page-faults: ours $o perf $p"
	ok $(awk -v a="$o" -v b="$p" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 20 || d <= b * 0.03) }'; echo $?) \
		"$lv: page-faults as perf counts them ($o vs $p)"
done

# --- usage errors: one line, exit 129
for args in "--per-core -e task-clock true" "--per-thread -e task-clock true" "--interval-count 2 true" \
	"--timeout 5 true" "-I 100 --timeout 200 true" "--per-cache=L9 -a true"; do
	$P $args 2>"$TMP/err"; rc=$?
	is "$rc:$(wc -l <"$TMP/err"):$(tail -1 "$TMP/err" | grep -c -- "--help")" "129:2:1" "pstat $args: one line and the --help pointer, exit 129"
done
if ls /sys/devices/system/cpu/cpu0/cache/index0/level >/dev/null 2>&1; then
	$P -x, --per-cache -a -e cpu-clock sleep 0.1 2>"$TMP/o.csv"
	check "--per-cache: units named S-D-L-ID" grep -qE '^S[0-9]+-D[0-9]+-L[0-9]-ID[0-9]+,' "$TMP/o.csv"
else
	$P --per-cache -a -e cpu-clock sleep 0.1 2>"$TMP/err"; rc=$?
	is "$rc:$(wc -l <"$TMP/err")" "1:1" "--per-cache without a cache topology in sysfs: one line, exit 1 (perf 6.1 has no --per-cache)"
fi
done_testing
