#!/bin/sh
# Issue 9 end to end: plist against available_events and perf list, tracepoint counting with
# globs and --filter, --syscalls, uprobes through pprobe (exact call counts, $retval), the
# kprobe message, and pscript's tracepoint lines against perf script on precord's and perf's files.
. "$(dirname "$0")/lib.sh"
T=$(tracefs_dir) || { echo "1..0 # SKIP tracefs is not mounted"; exit 0; }
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root for tracepoints and uprobes"; exit 0; }
cleanup() { $BIN/pprobe -d 'probe_probed:*' >/dev/null 2>&1; rm -rf "$TMP"; }
trap cleanup EXIT

# --- plist
$BIN/plist tracepoint | awk '{ print $1 }' >"$TMP/tp"
# ftrace's own events with an id (function, print) are not in available_events; perf lists them
{ cat "$T/available_events"; for f in "$T"/events/ftrace/*/id; do [ -e "$f" ] && echo "ftrace:$(basename "$(dirname "$f")")"; done; } |
	sort >"$TMP/avail"
check "plist's tracepoints equal available_events (and ftrace's events with an id, as perf's)" cmp -s "$TMP/tp" "$TMP/avail"
names() { grep "\[$1\]" | sed -E 's/^  (.*[^ ]) +\[.*$/\1/'; }
is "$($BIN/plist sw | names 'Software event' | tr '\n' ',')" "$(perf list sw 2>/dev/null | names 'Software event' | tr '\n' ',')" \
	"plist's software events equal perf list's"
is "$($BIN/plist hw | names 'Hardware event' | tr '\n' ',')" "$(perf list hw 2>/dev/null | names 'Hardware event' | tr '\n' ',')" \
	"plist's hardware events equal perf list's ($(perf list hw 2>/dev/null | grep -c 'Hardware event') here)"
is "$($BIN/plist 'sched:sched_s*')" "$(perf list 'sched:sched_s*' 2>/dev/null)" "a glob filter lists what perf list lists"
is "$($BIN/plist syscalls | wc -l)" "$(grep -c 'syscalls:' "$T/available_events")" "plist syscalls lists every (raw_)syscalls: tracepoint"
$BIN/plist no-such-thing-xyz 2>"$TMP/err"
ok $([ $? -ne 0 ]; echo $?) "a filter matching nothing exits non-zero"

# --- counting tracepoints: --filter, --syscalls
for f in 'fd == 999' 'count == 1'; do
	ours=$($BIN/pstat -x, -e syscalls:sys_enter_write --filter "$f" "$PROGS/writes" 25 2>&1 | cut -d, -f1)
	theirs=$(perf stat -x, -e syscalls:sys_enter_write --filter "$f" "$PROGS/writes" 25 2>&1 | cut -d, -f1)
	is "$ours" "$theirs" "--filter '$f' counts what perf's does ($ours)"
done
$BIN/pstat -e syscalls:sys_enter_write --filter 'nosuchfield == 1' true 2>"$TMP/err"
ok $([ $? -ne 0 ]; echo $?) "a filter the kernel refuses fails"
check "with a one-line reason" grep -q "refused the filter 'nosuchfield == 1'" "$TMP/err"
$BIN/pstat -x, --syscalls "$PROGS/writes" 321 2>"$TMP/sc"
is "$(grep '^write,' "$TMP/sc")" "write,321" "--syscalls counts the 321 writes"
is "$(grep '^exit_group,' "$TMP/sc")" "exit_group,1" "and the one exit_group"
is "$(head -1 "$TMP/sc" | cut -d, -f1)" write "busiest first"

# --- uprobes
$BIN/pprobe -d 'probe_probed:*' >/dev/null 2>&1
quiet() { "$@" >/dev/null; }
check "pprobe adds a uprobe on a function" quiet $BIN/pprobe -x "$PROGS/probed" target
check "and a return probe with \$retval" quiet $BIN/pprobe -x "$PROGS/probed" 'target%return $retval'
line=$(grep -n 'int y = x \* 2;' "$(dirname "$0")/../progs/probed.c" | cut -d: -f1)
check "and a FILE:LINE probe" quiet $BIN/pprobe -x "$PROGS/probed" "probed.c:$line"
is "$($BIN/pstat -x, -e probe_probed:target "$PROGS/probed" 37 2>&1 | cut -d, -f1)" 37 "the uprobe counts exactly the 37 calls"
is "$($BIN/pstat -x, -e probe_probed:target__return "$PROGS/probed" 37 2>&1 | cut -d, -f1)" 37 "the return probe counts the 37 returns"
is "$($BIN/pstat -x, -e probe_probed:target_1 "$PROGS/probed" 37 2>&1 | cut -d, -f1)" 37 "the line probe counts 37"
is "$(perf stat -x, -e probe_probed:target "$PROGS/probed" 37 2>&1 | cut -d, -f1)" 37 "perf stat agrees on our probe"
$BIN/precord -q -e probe_probed:target__return -o "$TMP/ret.data" "$PROGS/probed" 20 2>/dev/null
$BIN/pscript -i "$TMP/ret.data" >"$TMP/ret.ours" 2>&1
perf script -i "$TMP/ret.data" >"$TMP/ret.perf" 2>&1
check "pscript's return-probe lines equal perf script's" cmp -s "$TMP/ret.ours" "$TMP/ret.perf"
vals=$(grep -o 'arg1=0x[0-9a-f]*' "$TMP/ret.ours" | sed 's/arg1=//' | while read v; do printf '%d\n' "$v"; done | sort -n | tr '\n' ' ')
want=$(i=0; while [ $i -lt 20 ]; do echo $((2 * i + 1)); i=$((i + 1)); done | sort -n | tr '\n' ' ')
is "$vals" "$want" "\$retval shows target()'s 20 return values"
$BIN/pprobe -l >"$TMP/l"
check "pprobe -l lists them" grep -q 'probe_probed:target__return' "$TMP/l"
$BIN/pprobe -d 'probe_probed:*' >"$TMP/d" 2>&1
is "$(grep -c 'Removed event' "$TMP/d")" 3 "pprobe -d removes all three"
is "$($BIN/plist 'probe_probed:*' 2>/dev/null | wc -l)" 0 "and they are gone from plist"
$BIN/pprobe -x "$PROGS/probed" nosuchfunc 2>"$TMP/err"
ok $([ $? -ne 0 ]; echo $?) "a function that does not exist fails"
check "naming it" grep -q "no function 'nosuchfunc'" "$TMP/err"
if [ -e "$T/kprobe_events" ]; then
	skip "this kernel has kprobes: the no-kprobes message is not reachable"
	skip "this kernel has kprobes"
else
	$BIN/pprobe do_sys_openat2 2>"$TMP/err"
	ok $([ $? -ne 0 ]; echo $?) "a kprobe on a kernel without kprobes fails"
	check "with the reason (CONFIG_KPROBES)" grep -q 'CONFIG_KPROBES is off' "$TMP/err"
fi

# after a failed comparison: the first lines that differ (ours <, perf's >), with the header
# of the sample each is in, for the log
diff_lines() {
	diff "$TMP/o" "$TMP/p" | head -12 | while IFS= read -r l; do diag "  $l"; done
	awk 'NR == FNR { p[FNR] = $0; next } !/^[[:space:]]/ { h = $0 }
	     $0 != p[FNR] { print "in: " h; n++ } n >= 3 { exit }' "$TMP/p" "$TMP/o" |
		while IFS= read -r l; do diag "  $l"; done
}

# --- pscript's tracepoint lines equal perf script's, on precord's and on perf's files
"$PROGS/faults" 10 2000 >/dev/null 2>&1 &
busy=$!
for ev in sched:sched_switch 'irq:*' 'syscalls:sys_enter_write,syscalls:sys_exit_write'; do
	for rec in precord perf; do
		f="$TMP/tp-$rec.data"
		# syscalls of the workload only: system-wide, the recorder's own writes would feed back
		case $ev in syscalls*) a= ;; *) a=-a ;; esac
		if [ $rec = precord ]; then
			$BIN/precord -q $a -e "$ev" -o "$f" -- sh -c "sleep 0.2; $PROGS/writes 50" 2>/dev/null
		else
			perf record -q $a -e "$ev" -o "$f" -- sh -c "sleep 0.2; $PROGS/writes 50" 2>/dev/null
		fi
		$BIN/pscript -i "$f" >"$TMP/o" 2>&1
		perf script -i "$f" >"$TMP/p" 2>"$TMP/perr"
		plt_names "$TMP/o" "$TMP/p"
		n=$(wc -l <"$TMP/p")
		check "$ev by $rec: pscript equals perf script ($n lines)" cmp -s "$TMP/o" "$TMP/p"
		cmp -s "$TMP/o" "$TMP/p" || diff_lines
		[ $rec = precord ] && is "$(cat "$TMP/perr")" "" "$ev: perf script reads precord's file without a word"
	done
done
$BIN/precord -q -a -g -e sched:sched_switch -o "$TMP/g.data" sleep 0.2 2>/dev/null
$BIN/pscript -i "$TMP/g.data" >"$TMP/o" 2>&1
perf script -i "$TMP/g.data" >"$TMP/p" 2>&1
# a process starting up on the machine meanwhile puts libc's PLT slots in the user stacks
# (5 of 60 such files while make check ran; docs/compat.md, plt-name)
plt_names "$TMP/o" "$TMP/p"
check "call chains on tracepoints (-g): pscript equals perf script" cmp -s "$TMP/o" "$TMP/p"
cmp -s "$TMP/o" "$TMP/p" || diff_lines
check "and there are chains" grep -q '__schedule' "$TMP/o"
kill $busy 2>/dev/null; wait $busy 2>/dev/null
done_testing
