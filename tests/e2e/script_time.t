#!/bin/sh
# --time in perf's spellings shared by preport, pscript and pfold (report/session/time_range.c),
# and pscript's --reltime, --deltatime, -G: the same command line by perf 6.1 and by ours on the
# same file gives the same lines.
. "$(dirname "$0")/lib.sh"
F=$TMP/t.data
$BIN/precord -g -e cpu-clock -o "$F" -- "$PROGS/rec_loop" 0.6 2>/dev/null
t0=$(perf script -i "$F" -F time 2>/dev/null | head -1 | tr -d ' :')
mid=$(awk -v t="$t0" 'BEGIN { printf "%.6f,%.6f", t + 0.1, t + 0.3 }')
for o in "--reltime -F comm,tid,time" "--deltatime -F comm,time" "-G" "--time 10%/2" \
	 "--time 0%-25% -F comm,time,period" "--reltime --ns -F time" "--time $mid"; do
	$BIN/pscript -i "$F" $o >"$TMP/ours" 2>&1; rc=$?
	perf script -i "$F" $o >"$TMP/perf" 2>/dev/null
	# a sample in a PLT slot of libc: perf 6.1 names it by relocation index, often wrongly or
	# not at all ("@plt"), we after the slot's relocation (docs/compat.md, plt-name)
	sed -i -E 's/ [A-Za-z0-9_.]*@plt\+0x/ @plt+0x/' "$TMP/ours" "$TMP/perf"
	is "$rc:$(ndiff "$TMP/ours" "$TMP/perf"):$([ -s "$TMP/perf" ] && echo lines)" "0:0:lines" "pscript $o prints perf script's lines" ||
		diag "$(diff "$TMP/perf" "$TMP/ours" | head -6)"
done
for t in "10%/2" "0%-25%" "50%-100%" "$mid"; do
	$BIN/preport -i "$F" --stdio --no-children --sort sym --time "$t" 2>/dev/null | grep -E '^# Samples|%' | grep -v Lost >"$TMP/ours"
	perf report -i "$F" --stdio --no-children --sort sym --time "$t" 2>/dev/null | grep -E '^# Samples|%' | grep -v Lost >"$TMP/perf"
	is "$(head -2 "$TMP/ours")" "$(head -2 "$TMP/perf")" "preport --time $t: perf report's sample count and top row"
done
n=$($BIN/pfold -i "$F" --time 10%/2 | awk '{ s += $NF } END { print s + 0 }')
is "$n" "$(perf script -i "$F" --time 10%/2 -F time 2>/dev/null | wc -l | tr -d ' ')" "pfold --time 10%/2 folds the samples perf script shows"
$BIN/pscript -i "$F" --time 5 >/dev/null 2>"$TMP/err"; rc=$?
grep -q "bad --time '5'" "$TMP/err"; is "$rc:$?" "1:0" "a bad --time: one line saying what is expected, exit 1"
done_testing
