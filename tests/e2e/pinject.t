#!/bin/sh
# pinject against perf inject on the same input: a -z recording comes out decompressed with
# the same samples and report; -b adds the build-ids perf inject -b finds for the DSOs hit;
# pipes in and out (perf record -o - | pinject -b | perf report -i -); -s against perf inject -s;
# the progress line of a walk of over a second on a terminal.
. "$(dirname "$0")/lib.sh"
SPIN=$PROGS/sym_spin

perf record -z -g -e cpu-clock -o "$TMP/z.data" -- "$SPIN" 2>/dev/null
$BIN/pinject -i "$TMP/z.data" -o "$TMP/zi.data"; rc=$?
is "$rc" 0 "pinject -i Z -o OUT exits 0"
perf report --header-only -i "$TMP/zi.data" 2>/dev/null | grep -q '^# missing features:.* COMPRESSED'
ok $? "the output is not compressed"
is "$(perf_nsamples "$TMP/zi.data")" "$(perf_nsamples "$TMP/z.data")" "perf script sees every sample of the input"
perf report -i "$TMP/z.data" --stdio --no-children --sort comm,dso,sym 2>/dev/null | no_comments >"$TMP/z.rep"
perf report -i "$TMP/zi.data" --stdio --no-children --sort comm,dso,sym 2>/dev/null | no_comments >"$TMP/zi.rep"
is "$(ndiff "$TMP/z.rep" "$TMP/zi.rep")" 0 "perf report of the output is the input's"
$BIN/preport -i "$TMP/zi.data" --stdio --no-children --sort comm,dso,sym 2>/dev/null | no_comments >"$TMP/ours.rep"
is "$(head -1 "$TMP/ours.rep" | awk '{print $NF}')" "$(head -1 "$TMP/z.rep" | awk '{print $NF}')" "preport reads it"

perf record --no-buildid -e cpu-clock -o "$TMP/nb.data" -- "$SPIN" 2>/dev/null
$BIN/pinject -b -i "$TMP/nb.data" -o "$TMP/ours.data"; rc=$?
perf inject -b -i "$TMP/nb.data" -o "$TMP/perf.data" 2>/dev/null
perf buildid-list -i "$TMP/ours.data" 2>/dev/null | grep ' /' | sort >"$TMP/ours.ids"
perf buildid-list -i "$TMP/perf.data" 2>/dev/null | grep ' /' | sort >"$TMP/perf.ids"
is "$rc:$(ndiff "$TMP/ours.ids" "$TMP/perf.ids")" "0:0" "-b: the build-ids perf inject -b adds for the files hit ($(wc -l <"$TMP/ours.ids" | tr -d ' '))"
grep -q sym_spin "$TMP/ours.ids"; ok $? "the workload is among them"

perf record -o - -e cpu-clock -- "$SPIN" 2>/dev/null | $BIN/pinject -b | tee "$TMP/p.pipe" |
	perf report -i - --stdio --sort sym 2>/dev/null | grep '%' | head -1 >"$TMP/top"
grep -q spin_leaf "$TMP/top"; ok $? "perf record -o - | pinject -b | perf report -i -"
perf buildid-list -i - <"$TMP/p.pipe" 2>/dev/null | grep -q sym_spin; ok $? "the stream carries the build-ids"
$BIN/pinject -i "$TMP/nope.data" -o "$TMP/x.data" 2>"$TMP/err"; rc=$?
grep -q 'nope.data' "$TMP/err"; is "$rc:$?" "1:0" "a missing input: one line, exit 1"

# -s: sched_switch samples merged with sched_stat_* ones, against perf inject -s on the same
# recording. sched_stat_sleep/wait/iowait/blocked exist only with CONFIG_SCHEDSTATS;
# without them sched_stat_runtime, which perf inject -s merges the same way (any
# sched:sched_stat_* event), stands in.
if TD=$(tracefs_dir); then
	STAT=sched_stat_runtime
	[ -d "$TD/events/sched/sched_stat_sleep" ] && STAT=sched_stat_sleep
	[ $STAT = sched_stat_runtime ] && diag "no sched_stat_sleep here (CONFIG_SCHEDSTATS off): sched_stat_runtime stands in"
	EVS=sched:sched_switch,sched:$STAT,sched:sched_process_exit
	SLEEPS='for i in 1 2 3 4 5; do sleep 0.01; done'
	# perf inject's documented command line: one -e per event
	$BIN/precord -e sched:sched_switch -e sched:$STAT -e sched:sched_process_exit -g -c 1 \
		-o "$TMP/ss.data" -- sh -c "$SLEEPS" 2>/dev/null
	is "$(perf evlist -i "$TMP/ss.data" 2>/dev/null | grep -c '^sched:')" 3 "precord takes -e more than once, as perf record"
	$BIN/pinject -s -i "$TMP/ss.data" -o "$TMP/ss_ours.data"; rc=$?
	perf inject -s -i "$TMP/ss.data" -o "$TMP/ss_perf.data" 2>/dev/null
	F=comm,tid,time,period,event,ip,sym
	perf script -i "$TMP/ss_ours.data" -F $F 2>/dev/null >"$TMP/ss_ours.scr"
	perf script -i "$TMP/ss_perf.data" -F $F 2>/dev/null >"$TMP/ss_perf.scr"
	n=$(grep -c 'sched:sched_switch:' "$TMP/ss_ours.scr")
	is "$rc:$(ndiff "$TMP/ss_ours.scr" "$TMP/ss_perf.scr"):$([ "$n" -gt 0 ] && echo merged)" "0:0:merged" \
		"-s: perf script of the output is perf inject -s's, line for line ($n merged samples)"
	grep -q "sched:$STAT:" "$TMP/ss_ours.scr"; is "$?" 1 "no $STAT sample is left unmerged, as with perf"
	perf report -i "$TMP/ss_perf.data" --stdio --show-total-period --no-children --sort comm,sym 2>/dev/null | no_tip >"$TMP/ss_perf.rep"
	$BIN/preport -i "$TMP/ss_ours.data" --stdio --show-total-period --no-children --sort comm,sym 2>/dev/null | no_tip >"$TMP/ss_ours.rep"
	# a switch from a page fault in a libc PLT slot: perf names the slot "@plt" (docs/compat.md, plt-name)
	plt_names "$TMP/ss_ours.rep" "$TMP/ss_perf.rep"
	plt_rows_apart "$TMP/ss_ours.rep" "$TMP/ss_perf.rep"
	is "$(ndiff "$TMP/ss_ours.rep" "$TMP/ss_perf.rep")" 0 "preport of pinject -s's output is perf report of perf inject -s's" ||
		diff_diag 20 "$TMP/ss_ours.rep" "$TMP/ss_perf.rep"
	$BIN/precord -o - -e $EVS -g -c 1 -- sh -c "$SLEEPS" 2>/dev/null | $BIN/pinject -s |
		perf script -i - -F event 2>/dev/null | sort | uniq -c >"$TMP/ss_pipe"
	grep -q 'sched:sched_switch:' "$TMP/ss_pipe" && ! grep -q "sched:$STAT:" "$TMP/ss_pipe"
	ok $? "precord -o - | pinject -s | perf script -i -: merged samples only"
else
	for i in 1 2 3 4 5; do skip "tracefs is not mounted: no sched tracepoints"; done
fi

# The progress line (issue 22: in every reading tool): on a terminal, once the walk has taken
# a second. The walk's output goes into a pipe that is read only after 1.5 s: the writes
# block (a 1 MB buffer and the pipe's) with most of the 40000 records still to come. Never
# when stderr is not a terminal.
if command -v script >/dev/null &&
   perf record -q -g -e page-faults -c 1 -o "$TMP/pf.data" -- "$PROGS/faults" 40000 0 >/dev/null 2>&1; then
	script -qc "'$BIN/pinject' -i '$TMP/pf.data' -o - | (sleep 1.5; cat >/dev/null)" /dev/null \
		>"$TMP/tty" 2>&1
	grep -q '\[ pinject: [0-9]* records, [0-9]*% of [0-9]* MB, [0-9.KM]* records/s \]' "$TMP/tty"
	ok $? "a progress line on a terminal for a walk of over a second" || diag "$(cat -v "$TMP/tty")"
	"$BIN/pinject" -i "$TMP/pf.data" -o - 2>"$TMP/err" | (sleep 1.5; cat >/dev/null)
	is "$(wc -c <"$TMP/err" | tr -d ' ')" 0 "no progress line when stderr is not a terminal"
else
	skip "no script(1), or perf record -e page-faults failed: no terminal to draw on"
	skip "no script(1), or perf record -e page-faults failed"
fi

done_testing
