#!/bin/sh
# The header features of precord's files are perf 6.1's: on this machine's real topology,
# `preport --header-only` and `perf report --header-only` list the same sections for a precord
# file and a perf file recorded here, perf -I decodes our NUMA, cache and memory topology as it
# decodes its own, and the event that replaces cycles on a machine without a PMU has perf's name.
. "$(dirname "$0")/lib.sh"

perf record -q -o "$TMP/perf.data" -- "$PROGS/rec_loop" 0.2 >/dev/null 2>"$TMP/perf.err"
is "$?" 0 "perf records the workload"
$BIN/precord -q -o "$TMP/ours.data" -- "$PROGS/rec_loop" 0.2 >/dev/null 2>"$TMP/ours.err"
is "$?" 0 "precord records the workload"

# sections: the key of every "# key : value" line, the "info available" lines, the missing list;
# values (times, sizes, command lines, ids, the version) differ by nature
sections() {
	grep '^# ' | grep -v '^# ========' | sed -E '/^# missing features:/!s/^# ([^:]*[^ ]) *:( .*)?$/# \1/'
}
for f in perf ours; do
	$BIN/preport -i "$TMP/$f.data" --header-only 2>"$TMP/$f.rerr" | sections >"$TMP/$f.psec"
	perf report -i "$TMP/$f.data" --header-only 2>"$TMP/$f.perr" | sections >"$TMP/$f.fsec"
done
check "preport --header-only shows the same sections for both files" cmp -s "$TMP/ours.psec" "$TMP/perf.psec" ||
	diff_diag 20 "$TMP/ours.psec" "$TMP/perf.psec"
check "perf report --header-only shows the same sections for both files" cmp -s "$TMP/ours.fsec" "$TMP/perf.fsec" ||
	diff_diag 20 "$TMP/ours.fsec" "$TMP/perf.fsec"
for s in NUMA_TOPOLOGY CACHE MEM_TOPOLOGY; do
	check "precord's file has $s, as perf's has" grep -q "^# $s info available" "$TMP/ours.fsec"
done
check "perf reads precord's features without a word on stderr" test ! -s "$TMP/ours.perr"
check "preport reads them without a word on stderr" test ! -s "$TMP/ours.rerr"

# -I: perf decodes our topology sections into the lines it prints for its own file. Free memory
# is sampled at the end of each recording: its value is left out.
topo() {
	perf report -i "$1" --header-only -I 2>/dev/null |
		grep -E '^# (sibling|CPU [0-9]|node[0-9]|memory nodes|  *[0-9]+ \[|CPU cache|  *L[0-9])' |
		sed -E 's/free = [0-9]+ kB/free = N kB/'
}
topo "$TMP/perf.data" >"$TMP/perf.topo"
topo "$TMP/ours.data" >"$TMP/ours.topo"
check "perf -I decodes precord's CPU, NUMA, cache and memory topology as its own" \
	cmp -s "$TMP/ours.topo" "$TMP/perf.topo" || diff_diag 20 "$TMP/ours.topo" "$TMP/perf.topo"
grep -q '^# node0 meminfo' "$TMP/ours.topo"; ok $? "the NUMA node with its memory is there"
want=$(awk '/MemTotal/ { print $4 }' /sys/devices/system/node/node0/meminfo)
got=$(sed -nE 's/^# node0 meminfo  : total = ([0-9]+) kB.*/\1/p' "$TMP/ours.topo")
is "$got" "$want" "node0's total memory is sysfs's"

# -k mono: the clock in the event's attr (clockid = 1) and the CLOCKID and CLOCK_DATA sections
# (resolution, clock name, reference time) read as perf reads them, from both recorders' files
perf record -q -k mono -o "$TMP/perf-mono.data" -- "$PROGS/rec_loop" 0.1 >/dev/null 2>&1
is "$?" 0 "perf records with -k mono"
$BIN/precord -q -k mono -o "$TMP/ours-mono.data" -- "$PROGS/rec_loop" 0.1 >/dev/null 2>&1
is "$?" 0 "precord records with -k mono"
for f in perf ours; do
	$BIN/preport -i "$TMP/$f-mono.data" --header-only >"$TMP/$f-mono.p" 2>&1
	perf report -i "$TMP/$f-mono.data" --header-only >"$TMP/$f-mono.f" 2>&1
	[ $f = ours ] && f_=precord || f_=perf
	check "$f_'s -k mono file: preport --header-only prints perf's header, line for line" \
		cmp -s "$TMP/$f-mono.p" "$TMP/$f-mono.f" || diff_diag 20 "$TMP/$f-mono.p" "$TMP/$f-mono.f"
	check "$f_'s -k mono file: the event's attr names its clock" grep -q '^# event : .*, clockid = 1$' "$TMP/$f-mono.p"
	check "$f_'s -k mono file: clock id, resolution and reference time are shown" \
		sh -c "grep -q '^# clockid: monotonic (1)\$' '$TMP/$f-mono.p' &&
		       grep -q '^# clockid frequency: [0-9]* MHz\$' '$TMP/$f-mono.p' &&
		       grep -q '^# reference time: .* (TOD) = [0-9]*\.[0-9]\{9\} (monotonic)\$' '$TMP/$f-mono.p'"
done

# --call-graph dwarf: the registers and stack bytes copied at each sample in the event's attr
$BIN/precord -q --call-graph dwarf -o "$TMP/ours-dwarf.data" -- "$PROGS/rec_loop" 0.05 >/dev/null 2>&1
$BIN/preport -i "$TMP/ours-dwarf.data" --header-only >"$TMP/dw.p" 2>&1
perf report -i "$TMP/ours-dwarf.data" --header-only >"$TMP/dw.f" 2>&1
cmp -s "$TMP/dw.p" "$TMP/dw.f" && grep -q '^# event : .*, sample_regs_user = 0x[0-9a-f]*, sample_stack_user = [0-9]*$' "$TMP/dw.p"
ok $? "precord --call-graph dwarf file: preport --header-only prints perf's header, sample_regs_user and sample_stack_user included" ||
	diff_diag 20 "$TMP/dw.p" "$TMP/dw.f"

# the event: perf names the default cycles event that fell back to cpu-clock 'cpu-clock:ppp'
if has_pmu; then
	skip "this machine has a hardware PMU: cycles does not fall back"
else
	is "$(perf evlist -i "$TMP/ours.data" 2>/dev/null)" "$(perf evlist -i "$TMP/perf.data" 2>/dev/null)" \
		"the fallback event is named as perf names it ($(perf evlist -i "$TMP/perf.data" 2>/dev/null))"
fi
done_testing
