#!/bin/sh
# precord --off-cpu (issue 16) against ground truth by construction: offcpu4 runs four threads
# that each take about a second (a spinner holding a mutex for 1 s of CPU, a 1 s nanosleep that
# then writes a pipe, a thread blocked on the mutex, a thread blocked reading the pipe) and
# prints what each really waited or spun (its own clocks): the profile's off-CPU time under the
# nanosleep, mutex and pipe-read stacks and the spinner's on-CPU time must be within 5% of those,
# and those within 5% of 1 s where the machine's load cannot stretch them. (Frame-pointer
# chains lose the caller of a frameless libc wrapper: the stacks are named by the thread's
# function and the call it waits in, e.g. sleeper;clock_nanosleep.) perf 6.1 is the
# oracle for the file: perf report and perf script read it without a warning and perf report's
# off-CPU totals per symbol equal preport's.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/offcpu_lib.sh"

"$BIN/precord" --off-cpu -o "$TMP/oc.data" "$W" > "$TMP/truth.txt" 2> "$TMP/rec.err"
ok $? "precord --off-cpu records offcpu4"
grep '^\[ precord: off-CPU' "$TMP/rec.err" | sed 's/^/# /'
grep -q '^\[ precord: off-CPU: [0-9]* switches, [0-9]* waits in [1-9][0-9]* offcpu-time samples' "$TMP/rec.err"
ok $? "the summary counts switches, waits and offcpu-time samples"

# the spinner's CPU time and the sleeper's timer are 1 s by construction; the pipe wait adds
# two wakeups and the mutex wait is the spinner's wall time, which a busy machine stretches:
# the profile is compared with what each really was
for n in sleeper spinner; do
	within_pct "$(truth $n)" 1 5
	ok $? "offcpu4's $n took 1 s within 5% (measured $(truth $n) s)"
done
diag "reader waited $(truth reader) s, locker $(truth locker) s, the spinner's cpu-clock $(truth spinner_clock) s"

"$BIN/pfold" -i "$TMP/oc.data" > "$TMP/oc.folded" 2> "$TMP/fold.err"
ok $? "pfold folds the on- and off-CPU stacks"
near "off-CPU under the nanosleep stack (sleeper;clock_nanosleep)" \
	"$(folded_sum "$TMP/oc.folded" '/^sleeper;start_thread;sleeper;clock_nanosleep.*\[off-cpu:sleeping\] [0-9]+$/')" \
	"$(truth sleeper)" 5
near "off-CPU under the mutex stack (locker;__lll_lock_wait)" \
	"$(folded_sum "$TMP/oc.folded" '/^locker;start_thread;locker;__GI___lll_lock_wait;.*\[off-cpu:/')" \
	"$(truth locker)" 5
near "off-CPU under the pipe-read stack (reader;read)" \
	"$(folded_sum "$TMP/oc.folded" '/^reader;start_thread;reader;read;.*\[off-cpu:/')" "$(truth reader)" 5
# against the spinner's own cpu-clock count: the sampling's clock, which a busy VM host stretches
# past the thread's CPU clock (one run read 1.096 s of samples against 1.000 s of CPU clock).
# The samples the kernel takes of it drift from its count on a loaded host too (0.953 s against
# 1.004 s in make check's sanitizer phase, 1.000 s against 1.000 s here): a failing comparison
# records once more and compares again (retry_nondeterministic vm-clock)
spinner_on_cpu() {
	if [ -n "${E2E_RETRYING:-}" ]; then
		"$BIN/precord" --off-cpu -o "$TMP/oc.data" "$W" > "$TMP/truth.txt" 2>/dev/null
		"$BIN/pfold" -i "$TMP/oc.data" > "$TMP/oc.folded" 2>/dev/null
	fi
	near "on-CPU time of the spinner (spin_cpu)" \
		"$(folded_sum "$TMP/oc.folded" '/^spinner;/ && /;spin_cpu/ && !/\[off-cpu/')" \
		"$(truth spinner_clock)" 5
}
retry_nondeterministic vm-clock spinner_on_cpu
grep -q '^sleeper;.*;clock_nanosleep.*;schedule;__schedule;\[off-cpu:sleeping\] ' "$TMP/oc.folded"
ok $? "the nanosleep stack runs from the thread through clock_nanosleep to schedule, state sleeping"

# the SVG: frames all off-CPU in blues, the spinner's on-CPU frames warm
"$BIN/pfold" -i "$TMP/oc.data" --svg -o "$TMP/oc.svg" 2>/dev/null
python3 - "$TMP/oc.svg" > "$TMP/svg.out" <<'PY'
import re, sys
blue = lambda r, g, b: b > r + 40
cold = warm = bad = 0
for name, r, g, b in re.findall(r'<title>(\S+) \([^<]*</title><rect [^>]*fill="rgb\((\d+),(\d+),(\d+)\)"', open(sys.argv[1]).read()):
    c = blue(int(r), int(g), int(b))
    if name.startswith("[off-cpu"):
        cold += c; bad += not c
    elif name == "spin_cpu":
        warm += not c; bad += c
print(cold, warm, bad)
PY
read cold warm bad < "$TMP/svg.out"
[ "${cold:-0}" -ge 3 ] && [ "${warm:-0}" -ge 1 ] && [ "${bad:-1}" = 0 ]
ok $? "pfold --svg: off-CPU-only frames in blues ($cold), the spinner's spin_cpu warm ($warm), $bad wrong"

# perf 6.1 reads the file as an ordinary event
perf report -i "$TMP/oc.data" --stdio > /dev/null 2> "$TMP/perf-report.err"
is "$(cat "$TMP/perf-report.err")" "" "perf report reads the --off-cpu file without a warning"
perf script -i "$TMP/oc.data" > "$TMP/perf-script.txt" 2> "$TMP/perf-script.err"
is "$(cat "$TMP/perf-script.err")" "" "perf script reads it without a warning"
perf report -i "$TMP/oc.data" --header-only 2>/dev/null | grep -q '^# event : name = offcpu-time,'
ok $? "perf report --header-only names the event offcpu-time"
# the offcpu-time section, inclusive totals per symbol, by perf and by preport
offcpu_section() { sed -n "/of event 'offcpu-time'/,\$p" | grep -v '^# (Tip' | no_comments; }
perf report -i "$TMP/oc.data" --stdio --children --sort sym -g none --show-total-period \
	--percent-limit 0 2>/dev/null | offcpu_section > "$TMP/perf-sym.txt"
"$BIN/preport" -i "$TMP/oc.data" --stdio --children --sort sym -g none --show-total-period \
	--percent-limit 0 --no-time-ms 2>/dev/null | offcpu_section > "$TMP/ours-sym.txt"
plt_names "$TMP/perf-sym.txt" "$TMP/ours-sym.txt"	# a sample in a libc slot: perf's "@plt" (docs/compat.md, plt-name)
plt_rows_apart "$TMP/perf-sym.txt" "$TMP/ours-sym.txt"	# (which sorts elsewhere among its ties)
perf_split_apart "$TMP/perf-sym.txt" "$TMP/ours-sym.txt"	# one entry perf shows as two rows
if [ -s "$TMP/perf-sym.txt" ] && [ "$(ndiff "$TMP/perf-sym.txt" "$TMP/ours-sym.txt")" = 0 ]; then
	ok 0 "off-CPU totals per symbol: preport's lines equal perf report's ($(wc -l < "$TMP/perf-sym.txt") symbols)"
else
	diff_diag 10 "$TMP/perf-sym.txt" "$TMP/ours-sym.txt"
	ok 1 "off-CPU totals per symbol: preport's lines equal perf report's"
fi
perf_sum=$(grep -A1 ' offcpu-time:' "$TMP/perf-script.txt" | awk '/ offcpu-time:/ { s += $(NF - 1) } END { print s + 0 }')
ours_sum=$("$BIN/pscript" -i "$TMP/oc.data" 2>/dev/null | awk '/ offcpu-time:/ { s += $(NF - 1) } END { print s + 0 }')
is "$ours_sum" "$perf_sum" "pscript's offcpu-time periods add up to perf script's"
"$BIN/pscript" -i "$TMP/oc.data" > "$TMP/pscript.txt" 2>/dev/null
plt_names "$TMP/perf-script.txt" "$TMP/pscript.txt"	# CI's perf names some libc slots "@plt"
is "$(ndiff "$TMP/perf-script.txt" "$TMP/pscript.txt")" 0 "pscript prints the file as perf script does (BPF output dump included)" ||
	diff_diag 10 "$TMP/perf-script.txt" "$TMP/pscript.txt"

# preport: two events, the state key, times in ms
"$BIN/preport" -i "$TMP/oc.data" --stdio --no-children --sort comm,state -g none > "$TMP/state.txt" 2>&1
grep -q "of event 'cpu-clock:ppp'" "$TMP/state.txt" && grep -q "of event 'offcpu-time'" "$TMP/state.txt"
ok $? "preport shows on-CPU and off-CPU as two events"
ms=$(awk '/ sleeper +sleeping/ { print $2 }' "$TMP/state.txt")
within_pct "${ms:-0}" "$(awk -v s="$(truth sleeper)" 'BEGIN { print s * 1000 }')" 5
ok $? "--sort comm,state: sleeper sleeping for ${ms:-?} ms in the Time (ms) column"
grep -q '^ *[0-9.]*% *[0-9.]* *spinner *running' "$TMP/state.txt"
ok $? "on-CPU samples have the state 'running'"
"$BIN/preport" -i "$TMP/oc.data" --stdio --no-children --sort comm -g none --group 2>/dev/null |
	grep -q "of events 'cpu-clock:ppp, offcpu-time'"
ok $? "preport --group shows both side by side"

# --off-cpu-thresh drops the short waits
"$BIN/precord" -q --off-cpu --off-cpu-thresh 2000000 -o "$TMP/th.data" "$W" > /dev/null 2>&1
short=$(perf script -i "$TMP/th.data" -F period,event 2>/dev/null | awk '/offcpu-time/ && $1 < 2000000' | wc -l)
long=$(perf script -i "$TMP/th.data" -F period,event 2>/dev/null | awk '/offcpu-time/ && $1 >= 2000000' | wc -l)
[ "$short" = 0 ] && [ "$long" -ge 3 ]
ok $? "--off-cpu-thresh 2000000: no wait under 2 ms kept, $long waits over it"

# wakers: who ended the mutex and pipe waits
"$BIN/precord" -q --off-cpu=wakers -o "$TMP/wk.data" "$W" > "$TMP/truth.txt" 2>/dev/null
"$BIN/pfold" -i "$TMP/wk.data" --wakers > "$TMP/wk.folded" 2>/dev/null
near "the mutex wait's waker stack: the spinner's unlock" \
	"$(folded_sum "$TMP/wk.folded" '/^locker;\[woken-by\];spinner;start_thread;spinner;.*lll_lock_wake.*try_to_wake_up/')" \
	"$(truth locker)" 5
near "the pipe wait's waker stack: the sleeper's write" \
	"$(folded_sum "$TMP/wk.folded" '/^reader;\[woken-by\];sleeper;start_thread;sleeper;.*write.*try_to_wake_up/')" \
	"$(truth reader)" 5
"$BIN/preport" -i "$TMP/wk.data" --stdio --no-children --sort waker,wakee -g none 2>/dev/null |
	grep -q '^ *[0-9.]*% *[0-9.]* *spinner *locker'
ok $? "preport --sort waker,wakee: spinner woke locker"
perf script -i "$TMP/wk.data" > "$TMP/wk-perf.txt" 2> "$TMP/wk.err"
is "$(cat "$TMP/wk.err")" "" "perf script reads the wakers file without a warning"
"$BIN/pscript" -i "$TMP/wk.data" > "$TMP/wk-ours.txt" 2>/dev/null
# (PLT slots spelled one way: docs/compat.md, plt-name)
plt_names "$TMP/wk-perf.txt" "$TMP/wk-ours.txt"
is "$(ndiff "$TMP/wk-perf.txt" "$TMP/wk-ours.txt")" 0 "pscript prints the weighted sched_waking samples as perf script does" ||
	diff_diag 8 "$TMP/wk-perf.txt" "$TMP/wk-ours.txt"

# wall-clock: every thread sampled at -F whether it runs or not
"$BIN/precord" -q --wall -F 1000 -o "$TMP/wall.data" "$W" > "$TMP/truth.txt" 2>/dev/null
"$BIN/pfold" -i "$TMP/wall.data" > "$TMP/wall.folded" 2>/dev/null
near "--wall: the sleeper's nanosleep in 1 ms ticks" \
	"$(folded_sum "$TMP/wall.folded" '/^sleeper;start_thread;sleeper;clock_nanosleep/')" "$(truth sleeper)" 5
is "$(perf script -i "$TMP/wall.data" -F period,event 2>/dev/null | awk '/offcpu-time/ { print $1 }' | sort -u)" \
	1000000 "--wall -F 1000: every off-CPU sample is one 1 ms period"

# -a at a busy moment: whatever is lost is counted, and perf counts the same
"$PROGS/pingpong" 200000 & pp=$!
sleep 0.2
"$BIN/precord" -a --off-cpu -m 4 -o "$TMP/busy.data" -- sleep 0.5 > /dev/null 2> "$TMP/busy.err"
ok $? "precord -a --off-cpu during 100K switches/s"
wait $pp
lost=$(sed -n 's/.*lost [0-9]* samples in \([0-9]*\) LOST records.*/\1/p' "$TMP/busy.err")
perf_lost=$(perf report -i "$TMP/busy.data" --stats 2>/dev/null | awk '/LOST events:/ { print $3 }')
is "${lost:-0}" "${perf_lost:-0}" "LOST records counted by precord equal perf's (${lost:-0})"
grep -q '^\[ precord: off-CPU: [0-9]* switches' "$TMP/busy.err"
ok $? "the summary says how many switches were seen (and how many went unpaired)"
grep '^\[ precord: off-CPU' "$TMP/busy.err" | sed 's/^/# /'
# the run was busy, and the summary's arithmetic holds: the waits it counts are the ones the
# file's offcpu-time samples sum (their RAW nr), and every switch-out seen became a wait, was
# left unpaired, or was a thread's last (an EXIT record; a lost record may hide one)
summ=$(grep '^\[ precord: off-CPU' "$TMP/busy.err")
sw=$(echo "$summ" | sed -n 's/.* \([0-9]*\) switches, .*/\1/p')
wt=$(echo "$summ" | sed -n 's/.* \([0-9]*\) waits in .*/\1/p')
ns=$(echo "$summ" | sed -n 's/.* \([0-9]*\) offcpu-time samples.*/\1/p')
up=$(echo "$summ" | sed -n 's/.* \([0-9]*\) switches unpaired.*/\1/p')
dr=$(echo "$summ" | sed -n 's/.* \([0-9]*\) waits under the threshold.*/\1/p')
"$BIN/pscript" -i "$TMP/busy.data" -F comm,event,bpf-output 2>/dev/null | python3 -c '
import sys
n = s = pp = 0
comm = ""
for l in sys.stdin:
    if "offcpu-time:" in l:
        comm = l.split()[0]
    elif "BPF output: 0000:" in l:
        b = l.split("0000:")[1].split()[:8]
        k = int("".join(reversed(b[4:8])), 16)
        s += k; n += 1; pp += k if comm == "pingpong" else 0
print(n, s, pp)' > "$TMP/busy.nr"
read fn fw fpp < "$TMP/busy.nr"
# (2000 waits of pingpong's threads in 0.5 s: 4000 switches/s, where 100K are asked for and a
# busy CI machine gives 20K)
[ "${sw:-0}" -ge 2000 ] && [ "${fpp:-0}" -ge 2000 ]
ok $? "the -a run was busy: ${sw:-0} switches seen, ${fpp:-0} waits of pingpong's threads (at least 2000)"
[ "$fn" = "$ns" ] && [ "$fw" = "$wt" ]
ok $? "the summary's $wt waits in $ns samples are the file's: $fw waits (RAW nr summed) in $fn samples"
exits=$(perf report -i "$TMP/busy.data" --stats 2>/dev/null | awk '$1 == "EXIT" { print $3 }')
lostr=$(perf report -i "$TMP/busy.data" --stats 2>/dev/null | awk '$1 == "LOST" { print $3 }')
rest=$((sw - wt - ${dr:-0}))
[ "$rest" -ge 0 ] && [ "$rest" -le $((${up:-0} + ${exits:-0} + ${lostr:-0})) ]
ok $? "switches - waits - dropped = $rest, at most the ${up:-0} unpaired + ${exits:-0} exits + ${lostr:-0} LOST records"
perf script -i "$TMP/busy.data" > /dev/null 2> "$TMP/busy-script.err"
! grep -qi 'out of order' "$TMP/busy-script.err"
ok $? "no out-of-order events for perf script in the -a file"

"$BIN/precord" --off-cpu=bad true > /dev/null 2> "$TMP/bad.err"
rc=$?
[ $rc -ne 0 ] && grep -q "=wakers" "$TMP/bad.err"
ok $? "--off-cpu=bad: a one-line error that names =wakers"
done_testing
