#!/bin/sh
# Event groups in precord's files: the GROUP_DESC feature, so that perf report and preport show
# a {a,b} group as one section with a column per member, exactly as for perf's own group files.
. "$(dirname "$0")/lib.sh"
$BIN/precord -q -e '{cpu-clock,task-clock}' -g -o "$TMP/grp.data" "$PROGS/faults" 10 300 2>"$TMP/err"
is "$?" 0 "precord records a group"
perf report --header-only -i "$TMP/grp.data" >"$TMP/h" 2>&1
check "perf report --header-only shows the group" grep -q '^# group: {cpu-clock,task-clock}' "$TMP/h"
# perf ends with a random "Tip" line: leave it out of the comparison
perf report -i "$TMP/grp.data" --stdio --no-children -g none 2>&1 | no_tip >"$TMP/p"
$BIN/preport -i "$TMP/grp.data" --stdio --no-children -g none 2>&1 | no_tip >"$TMP/o"
check "perf report shows it as one group section" grep -q "of events 'anon group { cpu-clock, task-clock }'" "$TMP/p"
check "preport's grouped output equals perf report's" cmp -s "$TMP/o" "$TMP/p"
$BIN/precord -q -e cpu-clock,task-clock -o "$TMP/two.data" "$PROGS/faults" 10 100 2>/dev/null
perf report --header-only -i "$TMP/two.data" >"$TMP/h2" 2>&1
ok $(! grep -q '^# group:' "$TMP/h2"; echo $?) "two events without braces are no group"
done_testing
