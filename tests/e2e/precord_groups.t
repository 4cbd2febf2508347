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
# the section's header lines as they are; its rows with a PLT slot's name as one class (perf
# 6.1 says _init or @plt where we say x@plt, docs/compat.md plt-name: a sample lands in one
# by chance, and the name also moves its row among the ties and the column's width)
grep '^# [SE]' "$TMP/o" >"$TMP/o.head"; grep '^# [SE]' "$TMP/p" >"$TMP/p.head"
no_comments <"$TMP/o" >"$TMP/o.rows"; no_comments <"$TMP/p" >"$TMP/p.rows"
plt_names "$TMP/o.rows" "$TMP/p.rows"
sed -E 's/ +/ /g; s/ $//' "$TMP/o.rows" | sort >"$TMP/o.sorted"
sed -E 's/ +/ /g; s/ $//' "$TMP/p.rows" | sort >"$TMP/p.sorted"
if [ -s "$TMP/p.head" ] && cmp -s "$TMP/o.head" "$TMP/p.head" && cmp -s "$TMP/o.sorted" "$TMP/p.sorted"; then
	ok 0 "preport's grouped output equals perf report's (header lines, rows)"
else
	ok 1 "preport's grouped output equals perf report's (header lines, rows)"
	diff_diag 10 "$TMP/o.head" "$TMP/p.head"
	diff_diag 20 "$TMP/o.sorted" "$TMP/p.sorted"
fi
$BIN/precord -q -e cpu-clock,task-clock -o "$TMP/two.data" "$PROGS/faults" 10 100 2>/dev/null
perf report --header-only -i "$TMP/two.data" >"$TMP/h2" 2>&1
ok $(! grep -q '^# group:' "$TMP/h2"; echo $?) "two events without braces are no group"
done_testing
