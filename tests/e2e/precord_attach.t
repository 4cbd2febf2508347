#!/bin/sh
# precord -p PID -- CMD, -t TID -- CMD and -a -- CMD: the command only times the recording, as
# with perf record. Ground truth: a busy process attached for the 0.6 s a sleep lasts gives
# samples spread over about 0.6 s, and perf on the same command line gets as many (within the
# noise of a shared machine); the exit code is the command's.
. "$(dirname "$0")/lib.sh"
LOOP=$PROGS/rec_loop

# span FILE: seconds between the first and the last sample, from perf script
span() { perf script -i "$1" -F time 2>/dev/null | tr -d ':' | awk 'NR == 1 { a = $1 } { b = $1 } END { printf "%.2f\n", b - a }'; }
n_samples() { perf script -i "$1" -F comm 2>/dev/null | grep -c rec_loop; }

"$LOOP" 20 & L=$!
trap 'kill $L 2>/dev/null; rm -rf "$TMP"' EXIT
sleep 0.2

for how in "-p $L" "-t $L"; do
	opt=${how%% *}
	start=$(date +%s.%N)
	$BIN/precord -e cpu-clock -F 1000 $how -o "$TMP/ours$opt.data" -- sh -c 'sleep 0.6; exit 4' 2>"$TMP/err"
	rc=$?; end=$(date +%s.%N)
	is "$rc" 4 "precord $opt PID -- CMD exits with the command's status"
	awk -v a="$start" -v b="$end" 'BEGIN { exit !(b - a >= 0.55 && b - a < 3) }'
	ok $? "precord $opt PID -- CMD records for as long as CMD runs ($(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }') s)"
	perf record -e cpu-clock -F 1000 $how -o "$TMP/perf$opt.data" -- sleep 0.6 2>/dev/null
	n_ours=$(n_samples "$TMP/ours$opt.data"); n_perf=$(n_samples "$TMP/perf$opt.data")
	[ "$n_ours" -gt 0 ]; ok $? "precord $opt PID -- CMD samples the target ($n_ours samples; perf: $n_perf)"
	s_ours=$(span "$TMP/ours$opt.data"); s_perf=$(span "$TMP/perf$opt.data")
	# (at most the time precord ran: a loaded machine starts the shell and sleep late)
	awk -v s="$s_ours" -v a="$start" -v b="$end" 'BEGIN { exit !(s >= 0.35 && s <= b - a + 0.02) }'
	ok $? "the samples span the command's 0.6 s, within the recording's $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }') s (ours $s_ours s, perf $s_perf s)"
	within_pct "$n_ours" "$n_perf" 60; ok $? "as many samples as perf within the machine's noise ($n_ours vs $n_perf)"
done

$BIN/precord -e cpu-clock -F 1000 -a -o "$TMP/ours-a.data" -- sleep 0.6 2>/dev/null
is "$?" 0 "precord -a -- CMD exits 0"
s=$(span "$TMP/ours-a.data"); n=$(n_samples "$TMP/ours-a.data")
awk -v s="$s" 'BEGIN { exit !(s >= 0.35 && s <= 0.75) }'
ok $? "precord -a -- CMD: samples over the command's 0.6 s ($s s), the busy process in them ($n)"

done_testing
