#!/bin/sh
# Per-event terms on symbolic events, tracepoints and PMU events: the same -e spec recorded by
# perf 6.1 and by precord gives the same event name, period or frequency, call-chain and
# stack-copy settings, max-stack and inherit in the file's attrs (perf evlist -v reads both),
# and perf reads precord's file. Bad terms: one line naming the term, exit 1.
. "$(dirname "$0")/lib.sh"
SPIN=$PROGS/sym_spin

# fields FILE: per event "name period-or-freq freq callchain regs stack max-stack inherit"
fields() {
	perf evlist -v -i "$1" 2>/dev/null | grep -v '^#' | while IFS= read -r l; do
		name=${l%%: type:*}
		pf=$(echo "$l" | sed -n 's/.*sample_freq }: \([0-9]*\).*/\1/p')
		fr=$(echo "$l" | grep -q ' freq: 1' && echo freq || echo period)
		cc=$(echo "$l" | grep -q 'CALLCHAIN' && echo cc || echo nocc)
		st=$(echo "$l" | sed -n 's/.*sample_stack_user: \([0-9]*\).*/stack=\1/p')
		ms=$(echo "$l" | sed -n 's/.*sample_max_stack: \([0-9]*\).*/max=\1/p')
		in=$(echo "$l" | grep -q ' inherit: 1' && echo inherit || echo noinherit)
		echo "$name $pf $fr $cc ${st:-nostack} ${ms:-nomax} $in"
	done
}

for spec in 'cpu-clock/period=100000,max-stack=3/' 'cpu-clock/name=foo,no-inherit,call-graph=dwarf,freq=99/' \
	    'task-clock/freq=200/,cpu-clock/period=500000,call-graph=no/' \
	    'cpu-clock/call-graph=dwarf,stack-size=4096/u' 'cpu-clock/max-stack=5/' \
	    'software/config=0,period=200000,max-stack=4/'; do
	$BIN/precord -e "$spec" -o "$TMP/o.data" -- true 2>"$TMP/o.err"; rc=$?
	perf record -e "$spec" -o "$TMP/p.data" -- true 2>/dev/null
	is "$rc" 0 "precord -e '$spec' exits 0"
	is "$(fields "$TMP/o.data")" "$(fields "$TMP/p.data")" "the attrs of '$spec' are perf's"
done
# -g with a term that turns chains off for one event
$BIN/precord -g -e 'cpu-clock/call-graph=no/' -o "$TMP/o.data" -- "$SPIN" 2>/dev/null
perf record -g -e 'cpu-clock/call-graph=no/' -o "$TMP/p.data" -- "$SPIN" 2>/dev/null
is "$(fields "$TMP/o.data")" "$(fields "$TMP/p.data")" "call-graph=no wins over -g, as in perf"
perf report -i "$TMP/o.data" --stdio >/dev/null 2>"$TMP/rep.err"; rc=$?
is "$rc:$(wc -c <"$TMP/rep.err" | tr -d ' ')" "0:0" "perf report reads it cleanly"

if tracefs_dir >/dev/null; then
	spec='sched:sched_switch/max-stack=3,call-graph=fp/'
	$BIN/precord -a -e "$spec" -o "$TMP/o.data" -- sleep 0.2 2>/dev/null; rc=$?
	perf record -a -e "$spec" -o "$TMP/p.data" -- sleep 0.2 2>/dev/null
	is "$rc" 0 "precord -e '$spec' exits 0"
	is "$(fields "$TMP/o.data" | head -1)" "$(fields "$TMP/p.data" | head -1)" "a tracepoint's terms are perf's"
	n=$(perf script -i "$TMP/o.data" 2>/dev/null | grep -c 'sched:sched_switch: prev_comm')
	[ "$n" -gt 0 ]; ok $? "perf script decodes the tracepoint recorded with terms ($n switches)"
	$BIN/precord -a -e 'sched:sched_switch/name=sw/' -o "$TMP/o.data" -- sleep 0.1 2>/dev/null
	perf script -i "$TMP/o.data" 2>/dev/null | grep -q ' sw: prev_comm='
	ok $? "name= on a tracepoint: perf script names it and still decodes its fields"
else
	skip "tracefs is not mounted"; skip "tracefs"; skip "tracefs"; skip "tracefs"
fi

$BIN/precord -e 'cpu-clock/bogus=1/' -o "$TMP/o.data" -- true 2>"$TMP/bad.err"; rc=$?
grep -q "unknown term 'bogus=1'" "$TMP/bad.err"; is "$rc:$?" "129:0" "an unknown term: one line naming it, exit 129 (a usage error, as perf)"
$BIN/precord -e 'cpu-clock/max-stack=x/' -o "$TMP/o.data" -- true 2>"$TMP/bad.err"; rc=$?
grep -q "bad value in term 'max-stack=x'" "$TMP/bad.err"; is "$rc:$?" "129:0" "a bad value: one line naming it, exit 129"

done_testing
