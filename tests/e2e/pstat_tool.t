#!/bin/sh
# perf's tool events duration_time, user_time and system_time in pstat and plist: ground truth
# (a 0.5 s sleep; a spinner whose CPU time task-clock measures in the same run, a child
# included), and perf stat 6.1's layouts on the same command lines (table, -x, -j, -I, -r, -A),
# plist --raw-dump's names, pstat record/report.
. "$(dirname "$0")/lib.sh"
P=$BIN/pstat
EV=duration_time,user_time,system_time

# --- ground truth: sleep 0.5 lasts 0.5 s and uses almost no CPU
$P -x, -e $EV sleep 0.5 2>"$TMP/o.csv"; rc=$?
is "$rc" 0 "pstat -e $EV sleep 0.5: exit 0"
check "duration_time of sleep 0.5 is 0.5 s within 50 ms (a loaded machine)" awk -F, '
	$3 == "duration_time" { d = $1 } END { exit !(d >= 0.5e9 && d < 0.55e9) }' "$TMP/o.csv"
$P -e $EV sleep 0.1 2>"$TMP/o.txt"
is "$(awk '$3 == "duration_time" { printf "%.9f", $1 / 1e9 }' "$TMP/o.txt")" "$(awk '/seconds time elapsed/ { print $1 }' "$TMP/o.txt")" \
	"duration_time is the time elapsed of the footer, to the ns"
check "user_time + system_time of sleep 0.5 under 30 ms" awk -F, '
	$3 ~ /_time$/ && $3 != "duration_time" && $1 != "<not counted>" { s += $1 } END { exit !(s < 30e6) }' "$TMP/o.csv"
is "$(cut -d, -f2,3 "$TMP/o.csv" | tr '\n' ' ')" "ns,duration_time ns,user_time ns,system_time " "unit ns, perf's order"

# --- a spinner (0.3 s) that forks a child spinning too: user+system = the CPU time task-clock
# (which follows the child) counted, children included
$P -x, -e task-clock,$EV "$PROGS/rec_fork" 2>"$TMP/o.csv" >/dev/null
check "rec_fork: user_time + system_time ~ task-clock (children included, within 10% + 10 ms)" awk -F, '
	$3 == "task-clock" { tc = $1 * 1e6 } $3 == "user_time" || $3 == "system_time" { if ($1 != "<not counted>") s += $1 }
	$3 == "user_time" { u = $1 }
	END { d = s - tc; if (d < 0) d = -d; exit !(tc > 50e6 && u > 0.7 * tc && d <= 0.1 * tc + 10e6) }' "$TMP/o.csv"
sed 's/^/# /' "$TMP/o.csv"

# --- layouts equal perf stat's (values differ run to run: compare shapes)
csv_shape() { awk -F, '{ print NF ":" $(NF - 5) ":" $(NF - 4) }' "$1"; }
shape() { awk '{ print length($0) ":" $2 ":" $3 }' "$1"; }   # line width and unit/name columns
json_keys() { python3 -c '
import json, sys
for l in open(sys.argv[1]):
    d = json.loads(l); print(" ".join(sorted(d.keys())), d["unit"], d["event"])' "$1"; }
for opts in "" "-a -A" "-r 2" "-I 200"; do
	for tc in "" ",task-clock"; do
		$P -x, $opts -e $EV$tc sleep 0.3 2>"$TMP/o.csv"
		perf stat -x, $opts -e $EV$tc sleep 0.3 2>"$TMP/p.csv"
		# -I: how many intervals a 0.3 s run gets depends on the machine's load: the first
		# interval's lines are compared
		case $opts in -I*) for f in o p; do
			awk -F, 'NR == 1 { t = $1 } $1 == t' "$TMP/$f.csv" >"$TMP/$f.1" && mv "$TMP/$f.1" "$TMP/$f.csv"
		done ;; esac
		is "$(awk -F, '{ print NF }' "$TMP/o.csv" | sort -u | tr '\n' ' ')/$(wc -l <"$TMP/o.csv")" \
			"$(awk -F, '{ print NF }' "$TMP/p.csv" | sort -u | tr '\n' ' ')/$(wc -l <"$TMP/p.csv")" \
			"-x, $opts -e $EV$tc: perf's field counts and lines"
		is "$(grep -o 'ns,[a-z_]*_time,' "$TMP/o.csv" | tr '\n' ' ')" "$(grep -o 'ns,[a-z_]*_time,' "$TMP/p.csv" | tr '\n' ' ')" \
			"-x, $opts -e $EV$tc: unit and event columns as perf's"
	done
	for tc in "" ",task-clock"; do
		$P $opts -e $EV$tc sleep 0.3 2>"$TMP/o.txt"
		perf stat $opts -e $EV$tc sleep 0.3 2>"$TMP/p.txt"
		# -I: the number of intervals depends on the load, as above: the first interval's rows
		case $opts in -I*) for f in o p; do
			awk '/_time/ && t == "" { t = $1 } !/_time/ || $1 == t' "$TMP/$f.txt" >"$TMP/$f.1" &&
				mv "$TMP/$f.1" "$TMP/$f.txt"
		done ;; esac
		# a row's width depends on whether it was counted (user_time of sleep may be 0)
		is "$(awk '/_time/ && !/not counted/ { print length($0) }' "$TMP/o.txt" | sort -u | tr '\n' ' ')" \
		   "$(awk '/_time/ && !/not counted/ { print length($0) }' "$TMP/p.txt" | sort -u | tr '\n' ' ')" \
			"table $opts -e $EV$tc: counted tool rows as wide as perf's"
		is "$(grep -c '_time' "$TMP/o.txt")" "$(grep -c '_time' "$TMP/p.txt")" "table $opts -e $EV$tc: as many tool rows as perf"
	done
done
# --per-core / --per-socket: the tool events count on the first CPU's unit (aggregate number 1), 0 elsewhere
for m in --per-core --per-socket; do
	$P -x, $m -a -e $EV,task-clock sleep 0.1 2>"$TMP/o.csv"
	perf stat -x, $m -a -e $EV,task-clock sleep 0.1 2>"$TMP/p.csv"
	is "$(awk -F, '{ print $1, $2, $4, $5 }' "$TMP/o.csv")" "$(awk -F, '{ print $1, $2, $4, $5 }' "$TMP/p.csv")" \
		"-x, $m: units, aggregate numbers and events as perf's"
done
# -p of a 4-thread process: perf counts duration_time once per thread (their sum), --per-thread each
"$PROGS/stat_threads" 3 10 >"$TMP/pid" & tp=$!
sleep 0.2
pid=$(cat "$TMP/pid")
$P -x, -e duration_time -p "$pid" sleep 0.2 2>"$TMP/o.csv"
# (each thread's share is the 0.2 s of sleep plus start-up, longer on a loaded machine: 4x it,
# not 1x, is what's checked)
check "-p of 4 threads: duration_time is 4 x 0.2 s, as perf sums it" awk -F, '{ exit !($1 > 0.8e9 && $1 < 1.4e9) }' "$TMP/o.csv" ||
	diag "$(cat "$TMP/o.csv")"
$P -x, --per-thread -e duration_time -p "$pid" sleep 0.2 2>"$TMP/o.csv"
perf stat -x, --per-thread -e duration_time -p "$pid" sleep 0.2 2>"$TMP/p.csv"
is "$(cut -d, -f1,3,4 "$TMP/o.csv" | sort)" "$(cut -d, -f1,3,4 "$TMP/p.csv" | sort)" "--per-thread: every thread has its duration_time row, as perf"
kill "$tp" 2>/dev/null; wait "$tp" 2>/dev/null
$P -j -e $EV,task-clock sleep 0.2 2>"$TMP/o.json"
perf stat -j -e $EV,task-clock sleep 0.2 2>"$TMP/p.json"
is "$(json_keys "$TMP/o.json")" "$(json_keys "$TMP/p.json")" "-j: perf's keys, units and events"
$P -x, -I 100 -e $EV sleep 0.35 2>"$TMP/o.csv"
# (a loaded machine wakes the interval timer late and stretches the run: a 5th interval, some
# over 100 ms; what is checked is that each row is its interval's length, not the run's)
check "-I 100: each interval's duration_time is its length (~100 ms, the last shorter)" awk -F, '
	$4 == "duration_time" { n++; d[n] = $2 } END { if (n < 4 || n > 6) exit 1; for (i = 1; i < n; i++) if (d[i] < 80e6 || d[i] > 180e6) exit 1; exit !(d[n] > 0 && d[n] < 120e6) }' "$TMP/o.csv" ||
	diag "$(grep duration_time "$TMP/o.csv" | tr '\n' ' ')"
check "-I: user_time and system_time are not counted in the intervals, as perf" awk -F, '
	$4 == "user_time" || $4 == "system_time" { n++; if ($2 != "<not counted>") exit 1 } END { exit n < 6 }' "$TMP/o.csv"

# --- plist: perf's names and place
is "$($BIN/plist --raw-dump sw)" "$(perf list --raw-dump sw 2>/dev/null)" "plist --raw-dump sw equals perf's"
is "$($BIN/plist sw | grep 'Tool event' | tr -s ' ')" "$(perf list sw 2>/dev/null | grep 'Tool event' | tr -s ' ')" "plist sw: the Tool event lines as perf's"

# --- pstat record / report: perf stat report reads ours with the ns unit
$P record -o "$TMP/s.data" -e $EV,task-clock sleep 0.1 >/dev/null 2>&1
$P report -i "$TMP/s.data" 2>"$TMP/o.txt" >&2
perf stat report -i "$TMP/s.data" 2>"$TMP/p.txt" >&2
is "$(grep _time "$TMP/o.txt")" "$(grep _time "$TMP/p.txt")" "pstat report = perf stat report on our record"
# (sleep 0.1 and its start-up: longer on a loaded machine, never shorter)
check "the recorded duration_time is in ns, ~0.1 s" awk '$3 == "duration_time" { d = $1 } END { exit !(d > 0.1e9 && d < 0.6e9) }' "$TMP/o.txt"
$P record -o "$TMP/a.data" -A -a -e duration_time,task-clock sleep 0.1 >/dev/null 2>&1
$P report -i "$TMP/a.data" 2>"$TMP/o.txt" >&2
perf stat report -i "$TMP/a.data" 2>"$TMP/p.txt" >&2
is "$(grep CPU "$TMP/o.txt")" "$(grep CPU "$TMP/p.txt")" "-A record: pstat report = perf stat report (duration_time on CPU0 only)"
done_testing
