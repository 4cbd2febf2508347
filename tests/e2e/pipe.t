#!/bin/sh
# Pipe mode both ways: precord -o - into preport/pscript/pfold/pannotate -i - and into perf
# report/script -i -, and perf record -o - into ours; with -g, DWARF, -z and a tracepoint. The
# same stream is read by perf and by ours and compared: sample counts, top symbols and shares,
# perf script's lines; exit codes of both ends; the command's stdout kept out of the stream.
. "$(dirname "$0")/lib.sh"
SPIN=$PROGS/sym_spin

# top_row FILE: "symbol pct" of the first row of a --no-children --sort sym report
top_row() { grep '%' "$1" | grep -v '^#' | head -1 | awk '{ sub("%", "", $1); print $NF, $1 }'; }
# same_top DESC OURS PERFS: the same top symbol, shares within 1 point
same_top() {
	set -- "$1" "$(top_row "$2")" "$(top_row "$3")"
	a=${2% *}; b=${3% *}
	if [ -n "$a" ] && [ "$a" = "$b" ] && awk -v x="${2#* }" -v y="${3#* }" 'BEGIN { d = x - y; exit !(d < 1 && d > -1) }'; then
		ok 0 "$1 ($2)"
	else
		ok 1 "$1"; diag "ours: '$2' perf: '$3'"
	fi
}

# 1. precord -o - -g CMD | preport -i -: live pipe, both exit codes
{ $BIN/precord -o - -g -e cpu-clock -- sh -c "$SPIN; echo OUT-MARK; exit 3" 2>"$TMP/rec.err"
  echo $? >"$TMP/rec.rc"; } | tee "$TMP/our.pipe" |
	$BIN/preport -i - --stdio --no-children --sort sym >"$TMP/our.rep" 2>"$TMP/our.rep.err"
is "$?:$(cat "$TMP/rec.rc")" "0:3" "precord -o - CMD | preport -i -: preport exits 0, precord with the command's status"
is "$(head -c 8 "$TMP/our.pipe")" "PERFILE2" "the stream starts with perf's magic (the command's stdout is not in it)"
grep -q OUT-MARK "$TMP/rec.err"; ok $? "the command's stdout went to stderr, as with perf"
perf report -i - --stdio --no-children --sort sym <"$TMP/our.pipe" >"$TMP/perf.rep" 2>"$TMP/perf.rep.err"
is "$?" 0 "perf report -i - reads precord's stream"
same_top "preport -i - and perf report -i - agree on the top symbol of precord's stream" "$TMP/our.rep" "$TMP/perf.rep"
grep -q spin_leaf "$TMP/our.rep"; ok $? "the hot function of the workload is in the report"
n_ours=$($BIN/pscript -i - <"$TMP/our.pipe" | grep -c 'cpu-clock:')
n_perf=$(perf script -i - <"$TMP/our.pipe" 2>/dev/null | grep -c 'cpu-clock:')
is "$n_ours" "$n_perf" "pscript -i - and perf script -i - see the same samples ($n_perf)"
n_fold=$($BIN/pfold -i - <"$TMP/our.pipe" | awk '{ s += $NF } END { print s + 0 }')
is "$n_fold" "$n_perf" "pfold -i - folds every sample of the stream"
$BIN/pannotate -i - --stdio spin_leaf <"$TMP/our.pipe" >"$TMP/ann" 2>"$TMP/ann.err"
rc=$?; grep -q 'spin_leaf' "$TMP/ann"; is "$rc:$?" "0:0" "pannotate -i - annotates a symbol of the stream"
perf report --header-only -i - <"$TMP/our.pipe" >"$TMP/hdr" 2>&1
grep -q '^# cmdline : .*precord -o -' "$TMP/hdr" && grep -q '^# event : name = cpu-clock' "$TMP/hdr"
ok $? "perf report --header-only -i - shows the stream's features (cmdline, event names)"

# 2. perf record -o - -g | preport / pscript / pfold -i -
perf record -o - -g -e cpu-clock -- "$SPIN" 2>/dev/null | tee "$TMP/perf.pipe" |
	$BIN/preport -i - --stdio --no-children --sort sym >"$TMP/our2.rep" 2>"$TMP/our2.err"
is "$?" 0 "perf record -o - | preport -i - exits 0"
perf report -i - --stdio --no-children --sort sym <"$TMP/perf.pipe" >"$TMP/perf2.rep" 2>/dev/null
same_top "preport -i - and perf report -i - agree on perf's stream" "$TMP/our2.rep" "$TMP/perf2.rep"
$BIN/pscript -i - <"$TMP/perf.pipe" >"$TMP/our2.scr" 2>/dev/null
perf script -i - <"$TMP/perf.pipe" >"$TMP/perf2.scr" 2>/dev/null
is "$(grep -c 'cpu-clock:' "$TMP/our2.scr")" "$(grep -c 'cpu-clock:' "$TMP/perf2.scr")" \
	"pscript -i - and perf script -i - count the same samples of perf's stream"
# (PLT slots: perf 6.1 names libc's by relocation index, often "@plt", and the program's _init;
# docs/compat.md, plt-name)
sed -i -E 's/ ([A-Za-z0-9_.]*@plt|_init)(\+0x[0-9a-f]+)? / PLT /' "$TMP/our2.scr" "$TMP/perf2.scr"
is "$(ndiff "$TMP/our2.scr" "$TMP/perf2.scr")" 0 "pscript -i - prints perf script's lines for perf's stream" ||
	diff_diag 8 "$TMP/perf2.scr" "$TMP/our2.scr"
n_fold=$($BIN/pfold -i - <"$TMP/perf.pipe" | awk '{ s += $NF } END { print s + 0 }')
is "$n_fold" "$(grep -c 'cpu-clock:' "$TMP/perf2.scr")" "pfold -i - folds every sample of perf's stream"
$BIN/preport -i "$TMP/perf.pipe" --stdio --no-children --sort sym >"$TMP/our3.rep" 2>&1
is "$(ndiff "$TMP/our2.rep" "$TMP/our3.rep")" 0 "a pipe-format file read with -i FILE reports as the stream"
echo 'a;b;c 7' | $BIN/pfold -i - >"$TMP/folded"
is "$(cat "$TMP/folded")" "a;b;c 7" "pfold -i - still takes folded text"

# 3. DWARF and -z through the pipe, both ways
$BIN/precord -z --call-graph dwarf -o - -e cpu-clock -- "$SPIN" 2>/dev/null |
	perf report -i - --stdio --no-children --sort sym >"$TMP/z.rep" 2>/dev/null
rc=$?; grep -A4 'spin_leaf' "$TMP/z.rep" | grep -q spin_mid; is "$rc:$?" "0:0" "precord -z --call-graph dwarf -o - | perf report -i -: DWARF chains resolve"
perf record -z --call-graph dwarf -o - -e cpu-clock -- "$SPIN" 2>/dev/null |
	$BIN/preport -i - --stdio --no-children --sort sym >"$TMP/z2.rep" 2>/dev/null
rc=$?; grep -A4 'spin_leaf' "$TMP/z2.rep" | grep -q spin_mid; is "$rc:$?" "0:0" "perf record -z --call-graph dwarf -o - | preport -i -: DWARF chains resolve"

# 4. a tracepoint, -a, both ways
if tracefs_dir >/dev/null; then
	$BIN/precord -o - -a -e sched:sched_switch -- sleep 0.2 2>/dev/null >"$TMP/tp.pipe"
	perf script -i - <"$TMP/tp.pipe" >"$TMP/tp.perf" 2>"$TMP/tp.err"; rc=$?
	$BIN/pscript -i - <"$TMP/tp.pipe" >"$TMP/tp.ours" 2>/dev/null
	n=$(grep -c 'sched:sched_switch: prev_comm=' "$TMP/tp.perf")
	is "$rc:$([ "$n" -gt 0 ] && echo some)" "0:some" "perf script -i - decodes precord's tracepoint stream ($n switches)"
	is "$(ndiff "$TMP/tp.ours" "$TMP/tp.perf")" 0 "pscript -i - prints the same lines"
	perf record -o - -a -e sched:sched_switch -- sleep 0.2 2>/dev/null >"$TMP/tp2.pipe"
	$BIN/pscript -i - <"$TMP/tp2.pipe" >"$TMP/tp2.ours" 2>/dev/null; rc=$?
	perf script -i - <"$TMP/tp2.pipe" >"$TMP/tp2.perf" 2>/dev/null
	is "$rc:$(ndiff "$TMP/tp2.ours" "$TMP/tp2.perf")" "0:0" "pscript -i - prints perf script's lines for perf's tracepoint stream"
else
	skip "tracefs is not mounted: no tracepoints"
	skip "tracefs is not mounted"
	skip "tracefs is not mounted"
fi

# 5. what is not a stream
echo garbage | $BIN/preport -i - >/dev/null 2>"$TMP/bad.err"; rc=$?
grep -q '^preport: -: corrupt at offset 0: ' "$TMP/bad.err"; is "$rc:$?:$(wc -l <"$TMP/bad.err" | tr -d ' ')" "1:0:1" "garbage on stdin: one line saying so, exit 1"
$BIN/preport -i - </dev/null >/dev/null 2>"$TMP/empty.err"; rc=$?
grep -q 'file of 0 bytes is too small' "$TMP/empty.err"; is "$rc:$?" "1:0" "empty stdin: one line saying so, exit 1"

# 6. build-ids travel in the stream (HEADER_BUILD_ID records): a piped recording of a binary
# replaced since resolves through the build-id cache, as a file recording does
mkdir -p "$TMP/bid"; cp "$SPIN" "$TMP/bid/spin"
export PERF_BUILDID_DIR="$TMP/bidcache"
$BIN/precord -o - -e cpu-clock -- "$TMP/bid/spin" 2>/dev/null >"$TMP/bid.pipe"
$BIN/pbuildid-cache -a "$TMP/bid/spin"
rm "$TMP/bid/spin"; cp "$PROGS/demo" "$TMP/bid/spin"	# a new inode: the cache keeps the old one
$BIN/preport -i - --stdio --no-children --sort sym <"$TMP/bid.pipe" 2>/dev/null | grep '%' | head -1 >"$TMP/bid.top"
grep -q spin_leaf "$TMP/bid.top"; ok $? "a piped recording resolves by its build-ids from the cache (binary replaced since)"
unset PERF_BUILDID_DIR

done_testing
