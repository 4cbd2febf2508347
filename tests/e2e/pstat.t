#!/bin/sh
# pstat end to end on the real kernel, with perf stat as the oracle where it answers the same question.
. "$(dirname "$0")/lib.sh"
P=$BIN/pstat

# --- exact tracepoint counts, equal to perf's
if tracefs_dir >/dev/null; then
	ours=$($P -x, -e syscalls:sys_enter_write "$PROGS/writes" 1234 2>&1 | cut -d, -f1)
	theirs=$(perf stat -x, -e syscalls:sys_enter_write "$PROGS/writes" 1234 2>&1 | cut -d, -f1)
	is "$ours" 1234 "syscalls:sys_enter_write counts exactly the 1234 writes"
	is "$ours" "$theirs" "and equals perf stat's count"
	n=$($P -x, -e 'syscalls:sys_enter_wri*' "$PROGS/writes" 77 2>&1 | grep -c 'syscalls:sys_enter_wri')
	ok $([ "$n" -ge 2 ]; echo $?) "a tracepoint glob expands to several events ($n)"
else
	skip "tracefs is not mounted"; skip "tracefs is not mounted"; skip "tracefs is not mounted"
fi

# --- page-faults and task-clock close to perf's (medians of 3 alternating runs). The faulting
# run and the CPU-time run are separate so that each quantity is deterministic.
median() { sort -n | sed -n 2p; }
for i in 1 2 3; do
	$P -x, -e page-faults "$PROGS/faults" 20000 0 2>>"$TMP/ours.csv"
	perf stat -x, -e page-faults "$PROGS/faults" 20000 0 2>>"$TMP/perf.csv"
	$P -x, -e task-clock "$PROGS/faults" 10 200 2>>"$TMP/ours.csv"
	perf stat -x, -e task-clock "$PROGS/faults" 10 200 2>>"$TMP/perf.csv"
done
of=$(grep ',page-faults,' "$TMP/ours.csv" | cut -d, -f1 | median)
pf=$(grep ',page-faults,' "$TMP/perf.csv" | cut -d, -f1 | median)
ot=$(grep ',task-clock,' "$TMP/ours.csv" | cut -d, -f1 | median)
pt=$(grep ',task-clock,' "$TMP/perf.csv" | cut -d, -f1 | median)
diag "page-faults ours $of perf $pf; task-clock ours $ot perf $pt msec"
check "page-faults within 2% of perf stat's" within_pct "$of" "$pf" 2
check "task-clock within 5% of perf stat's" within_pct "$ot" "$pt" 5

# --- the default table: perf's rows in perf's order
$P true 2>"$TMP/ours.txt"
perf stat true 2>"$TMP/perf.txt"
rows() { grep -E '^ +[0-9<]' "$1" | grep -v 'seconds' | sed -E 's/^ *([0-9.,]+|<not supported>|<not counted>) +(msec)? +([^ ]+).*/\3/'; }
is "$(rows "$TMP/ours.txt" | tr '\n' ' ')" "$(rows "$TMP/perf.txt" | tr '\n' ' ')" "default rows equal perf stat's, in order"
if has_pmu; then
	skip "this machine has a PMU: hardware rows are counted"
else
	is "$(grep -c '<not supported>' "$TMP/ours.txt")" "$(grep -c '<not supported>' "$TMP/perf.txt")" \
		"<not supported> exactly where perf prints it"
fi
for l in "seconds time elapsed" "seconds user" "seconds sys" "Performance counter stats for 'true':"; do
	check "footer/header has '$l'" grep -q "$l" "$TMP/ours.txt"
done
# the layout itself: the columns of a software row line up with perf's
ol=$(grep ' page-faults ' "$TMP/ours.txt" | sed -E 's/[0-9.]+/N/g')
pl=$(grep ' page-faults ' "$TMP/perf.txt" | sed -E 's/[0-9.]+/N/g')
is "$ol" "$pl" "page-faults row has perf's column layout"

# --- CSV and JSON parse
$P -x, -e task-clock,page-faults,cycles true 2>"$TMP/o.csv"
check "CSV: 7 fields per line, perf's column order" python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
assert len(rows) == 3, rows
assert all(len(r) == 7 for r in rows), rows
assert rows[0][1] == "msec" and rows[0][2] == "task-clock" and rows[0][6] == "CPUs utilized"
assert rows[1][2] == "page-faults" and int(rows[1][0]) > 0' "$TMP/o.csv"
$P -j -e task-clock,page-faults true 2>"$TMP/o.json"
check "JSON lines parse with perf's keys" python3 -c '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert [l["event"] for l in lines] == ["task-clock", "page-faults"], lines
assert float(lines[1]["counter-value"]) > 0 and lines[0]["unit"] == "msec"
assert "pcnt-running" in lines[0] and "metric-unit" in lines[0]' "$TMP/o.json"

# --- exit status, missing command, bad event
$P -e task-clock sh -c 'exit 3' 2>/dev/null
is "$?" 3 "exit status of the command propagates"
$P -e task-clock /nonexistent/cmd 2>"$TMP/err"
is "$?" 127 "a missing command exits 127"
is "$(wc -l <"$TMP/err")" 1 "with one line of error"
check "that names the command" grep -q "cannot run '/nonexistent/cmd'" "$TMP/err"
$P -e cycles,bogus-event true 2>"$TMP/err"
ok $([ $? -ne 0 ]; echo $?) "an unknown event fails"
check "the error names the bad part" grep -q "unknown event 'bogus-event'" "$TMP/err"
caret=$(sed -n 2p "$TMP/err" | awk '{ print index($0, "\\") }')
start=$(sed -n 1p "$TMP/err" | awk '{ print index($0, "bogus") }')
is "$caret" "$start" "and the pointer sits under it"

# --- permission: unprivileged user, paranoid 2, system-wide
old=$(cat /proc/sys/kernel/perf_event_paranoid)
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	echo 2 >/proc/sys/kernel/perf_event_paranoid
	setpriv --reuid=65534 --regid=65534 --clear-groups $P -a -e cpu-clock true 2>"$TMP/err"
	rc=$?
	setpriv --reuid=65534 --regid=65534 --clear-groups $P -e task-clock,page-faults true 2>"$TMP/user.txt"
	urc=$?
	echo "$old" >/proc/sys/kernel/perf_event_paranoid
	is "$urc" 0 "an unprivileged user counts its own command"
	check "user space only, said in the names as perf does" grep -q 'page-faults:u' "$TMP/user.txt"
	ok $([ $rc -ne 0 ]; echo $?) "-a as an unprivileged user fails"
	check "the message names perf_event_paranoid and its value" grep -q "perf_event_paranoid is 2" "$TMP/err"
	check "and the fixes: root, CAP_PERFMON, a lower value" grep -q "run as root, or give the program CAP_PERFMON .*sysctl kernel.perf_event_paranoid=0" "$TMP/err"
	is "$(wc -l <"$TMP/err")" 1 "in one line"
else
	for i in 1 2 3 4 5 6; do skip "needs root and setpriv"; done
fi

# --- Ctrl-C during -a prints the counts so far
$P -a -e cpu-clock,context-switches 2>"$TMP/sig.txt" &
pid=$!
sleep 0.5
kill -INT $pid
wait $pid
is "$?" 0 "SIGINT ends pstat -a cleanly"
check "and it printed the counts so far" grep -q 'msec cpu-clock' "$TMP/sig.txt"
check "with the elapsed time" grep -q 'seconds time elapsed' "$TMP/sig.txt"
$P -a -e cpu-clock sleep 30 2>"$TMP/sig2.txt" &
pid=$!
sleep 0.5
kill -INT $pid
wait $pid
check "SIGINT with a command also prints the counts" grep -q 'msec cpu-clock' "$TMP/sig2.txt"

# --- -r, -I, -A, -p, -C, groups, -o
$P -r 3 -e task-clock,page-faults "$PROGS/faults" 100 20 2>"$TMP/r.txt"
check "-r 3 says (3 runs)" grep -q "(3 runs):" "$TMP/r.txt"
check "-r prints the elapsed stddev" grep -Eq '\+- [0-9.]+ seconds time elapsed  \( \+- *[0-9.]+% \)' "$TMP/r.txt"
$P -I 100 -e task-clock "$PROGS/faults" 10 350 2>"$TMP/i.txt"
n=$(grep -c 'msec task-clock' "$TMP/i.txt")
last=$(grep 'msec task-clock' "$TMP/i.txt" | tail -1 | awk '{ print $1 }')
# one line per full 100 ms and one for the last, partial interval (however loaded the machine is)
want=$(awk -v t="$last" 'BEGIN { printf "%d", int(t / 0.1 + 0.999) }')
ok $([ "$n" -ge 3 ] && [ "$n" -ge $((want - 1)) ] && [ "$n" -le $((want + 1)) ]; echo $?) \
	"-I 100 prints a line per 100 ms of the run ($n lines over $last s)"
check "-I prints perf's interval header" grep -q '^#           time             counts unit events' "$TMP/i.txt"
$P -a -A -e cpu-clock sleep 0.1 2>"$TMP/a.txt"
is "$(grep -c '^CPU[0-9]' "$TMP/a.txt")" "$(grep -c ^processor /proc/cpuinfo)" "-a -A prints one row per CPU"
$P -C 0 -e cpu-clock sleep 0.1 2>"$TMP/c.txt"
check "-C 0 names its target as perf does" grep -q "for 'CPU(s) 0':" "$TMP/c.txt"
"$PROGS/faults" 10 300 &
bg=$!
$P -p $bg -e task-clock 2>"$TMP/p.txt"
check "-p counts a running process until it exits" grep -q "process id '$bg'" "$TMP/p.txt"
t=$(grep 'msec task-clock' "$TMP/p.txt" | awk '{ print $1 }')
check "and its task-clock is real ($t msec)" awk -v t="$t" 'BEGIN { exit !(t > 100) }'
wait $bg
$P -e '{task-clock,page-faults}' -o "$TMP/out.txt" true 2>"$TMP/err"
check "-o writes the table to the file" grep -q 'page-faults' "$TMP/out.txt"
is "$(cat "$TMP/err")" "" "and nothing to stderr"
check "-o starts with '# started on'" grep -q '^# started on' "$TMP/out.txt"
if pmu_ok=$(ls /sys/bus/event_source/devices/msr 2>/dev/null); then
	$P -e msr/tsc/ true 2>"$TMP/msr.txt"
	check "a sysfs PMU event counts (msr/tsc/)" grep -Eq '^ +[0-9]+ +msr/tsc/' "$TMP/msr.txt"
else
	skip "no msr PMU"
fi
# --- -t counts exactly the threads named
"$PROGS/faults" 10 300 &
bg=$!
$P -t $bg -e task-clock 2>"$TMP/t.txt"
check "-t counts a thread until it exits" grep -q "thread id '$bg'" "$TMP/t.txt"
wait $bg
$P -t 999999999 -e task-clock 2>"$TMP/err"
ok $([ $? -ne 0 ]; echo $?) "-t of a thread that does not exist fails"
check "with a one-line reason" grep -q "no such thread '999999999'" "$TMP/err"

# --- tracefs missing: the error says how to mount it (in a private mount namespace)
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && tracefs_dir >/dev/null; then
	unshare -m sh -c "umount /sys/kernel/tracing 2>/dev/null; umount /sys/kernel/debug/tracing 2>/dev/null;
		umount /sys/kernel/debug 2>/dev/null; $P -e sched:sched_switch true" 2>"$TMP/err"
	ok $([ $? -ne 0 ]; echo $?) "a tracepoint without tracefs fails"
	check "and says how to mount tracefs" grep -q "mount -t tracefs nodev /sys/kernel/tracing" "$TMP/err"
else
	skip "needs root, unshare and tracefs"; skip "needs root, unshare and tracefs"
fi
done_testing
