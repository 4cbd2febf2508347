#!/bin/sh
# USDT/SDT markers: plist sdt and --raw-dump sdt, pprobe -x BIN sdt_PROVIDER:NAME against perf
# probe (the same uprobe definition, arguments from the note), exact counts through pstat and
# precord, and libc's own markers where this libc has them.
. "$(dirname "$0")/lib.sh"
T=$(tracefs_dir) || { plan 1; skip "tracefs is not mounted"; exit 0; }
B=$TMP/sdt_marks
cp "$PROGS/sdt_marks" "$B"
"$B" 1 2>/dev/null
if [ $? -eq 2 ]; then plan 1; skip "sdt_marks was built without <sys/sdt.h> (apt-get install systemtap-sdt-dev)"; exit 0; fi
clean() { $BIN/pprobe -q -d 'sdt_ptest:*' >/dev/null 2>&1; perf probe -q -d 'sdt_ptest:*' >/dev/null 2>&1; }
# perf probe takes markers from its build-id cache: the binary goes there first, as perf's docs say
perf buildid-cache --add "$B" >/dev/null 2>&1
trap 'clean; $BIN/pprobe -q -d "probe_libc:jl_*" >/dev/null 2>&1; perf buildid-cache --remove "$B" >/dev/null 2>&1; rm -rf "$TMP"' EXIT
clean

# --- listing
is "$($BIN/plist --raw-dump sdt -x "$B" | tr ' ' '\n' | grep ptest | sort -u | tr '\n' ' ')" "sdt_ptest:done sdt_ptest:tick " \
	"plist --raw-dump sdt -x BIN: the binary's markers"
check "plist -x BIN sdt: NAME@PATH(BUILDID) [SDT event], as perf list" \
	grep -qE "^  sdt_ptest:tick@$B\([0-9a-f]{12}\) +\[SDT event\]$" "$($BIN/plist -x "$B" sdt >"$TMP/l"; echo "$TMP/l")"
# a private build-id cache (HOME), whatever is left in ~/.debug: the binary with markers, one
# without (an empty probes file); and a second cache whose entry has lost its .build-id link,
# which perf lists nothing from
H=$TMP/home; H2=$TMP/home2; mkdir -p "$H" "$H2"
cp /bin/true "$TMP/nomarks"
for f in "$B" "$TMP/nomarks"; do HOME=$H perf buildid-cache --add "$f" >/dev/null 2>&1; done
HOME=$H $BIN/plist --raw-dump sdt >"$TMP/o.raw"; HOME=$H perf list --raw-dump sdt >"$TMP/p.raw" 2>/dev/null
is "$(od -c "$TMP/o.raw")" "$(od -c "$TMP/p.raw")" "--raw-dump sdt, a private cache: perf's bytes ($(cat "$TMP/o.raw"))"
HOME=$H $BIN/plist sdt >"$TMP/o.l"; HOME=$H perf list sdt >"$TMP/p.l" 2>/dev/null
is "$(cat "$TMP/o.l")" "$(cat "$TMP/p.l")" "plist sdt, a private cache: perf list sdt's lines"
HOME=$H $BIN/plist --raw-dump >"$TMP/o.raw"; HOME=$H perf list --raw-dump >"$TMP/p.raw" 2>/dev/null
ok $(cmp -s "$TMP/o.raw" "$TMP/p.raw"; echo $?) "bare --raw-dump: perf's bytes, the cache's markers last"
HOME=$H2 perf buildid-cache --add "$B" >/dev/null 2>&1
rm -f "$H2"/.debug/.build-id/*/*
is "$(HOME=$H2 $BIN/plist --raw-dump sdt):$(ls "$H2"/.debug"$B"/*/probes | wc -l)" "$(HOME=$H2 perf list --raw-dump sdt 2>/dev/null):1" \
	"--raw-dump sdt: an entry without its .build-id link is left out, as perf leaves it"

# --- the same definition as perf probe writes, arguments from the note
perf probe -x "$B" sdt_ptest:tick >/dev/null 2>"$TMP/p.err"; prc=$?
grep "sdt_ptest/tick " "$T/uprobe_events" >"$TMP/p.def"; clean
$BIN/pprobe -x "$B" sdt_ptest:tick >/dev/null 2>"$TMP/o.err"; rc=$?
grep "sdt_ptest/tick " "$T/uprobe_events" >"$TMP/o.def"
is "$rc" 0 "pprobe -x BIN sdt_ptest:tick"
if [ $prc -eq 0 ]; then
	is "$(cat "$TMP/o.def")" "$(cat "$TMP/p.def")" "the uprobe perf probe writes (address, arg1..3 with the note's sizes)"
	is "$(head -2 "$TMP/o.err")" "$(head -2 "$TMP/p.err")" "'Added new event:' and the event line as perf's"
else
	skip "perf probe did not find the marker in its build-id cache: $(tail -1 "$TMP/p.err")"
	skip "perf probe failed"
fi

# --- counts exact
is "$($BIN/pstat -x, -e sdt_ptest:tick "$B" 1234 2>&1 | cut -d, -f1)" 1234 "pstat counts the marker exactly (1234)"
$BIN/precord -q -o "$TMP/r.data" -e sdt_ptest:tick "$B" 321 >/dev/null 2>&1
n=$($BIN/pscript -i "$TMP/r.data" 2>/dev/null | grep -c 'sdt_ptest:tick')
is "$n" 321 "precord -e sdt_ptest:tick records every firing (321)"
check "with the marker's arguments (arg2 = 2*arg1)" sh -c "$BIN/pscript -i '$TMP/r.data' 2>/dev/null | grep 'sdt_ptest:tick' |
	awk '{ for (i = 1; i <= NF; i++) { if (\$i ~ /^arg1=/) a = substr(\$i, 6); if (\$i ~ /^arg2=/) b = substr(\$i, 6) } if (b != 2 * a) bad = 1 } END { exit bad }'"
$BIN/pprobe -q -d 'sdt_ptest:*'
$BIN/pprobe -x "$B" sdt_ptest:nosuch 2>"$TMP/err"; rc=$?
is "$rc:$(wc -l <"$TMP/err"):$(grep -c sdt_ptest "$T/uprobe_events")" "1:1:0" "an unknown marker: one line, exit 1, nothing added"

# --- libc's markers (setjmp, longjmp, ...): jmp_loop N calls each N times. libc calls setjmp
# once itself at start, so setjmp's exact count is N more than with N = 0.
J=$PROGS/jmp_loop
LIBC=$(ldd "$J" | awk '/libc\.so/ { print $3 }')
jcount() {	# jcount EVENT N: the event's count over jmp_loop N
	$BIN/pstat -x, -e "$1" "$J" "$2" 2>&1 | cut -d, -f1
}
# the program's counts, through plain uprobes on libc's functions (any libc)
if $BIN/pprobe -q -x "$LIBC" 'jl_set=_setjmp' && $BIN/pprobe -q -x "$LIBC" 'jl_long=longjmp'; then
	s0=$(jcount probe_libc:jl_set 0); s=$(jcount probe_libc:jl_set 1500); l=$(jcount probe_libc:jl_long 1500)
	is "$((s - s0)):$l" "1500:1500" "jmp_loop 1500: _setjmp and longjmp entered 1500 times each (uprobes on libc)"
else
	skip "no uprobe on $LIBC's _setjmp/longjmp"
fi
$BIN/pprobe -q -d 'probe_libc:jl_*' >/dev/null 2>&1
if [ -n "$LIBC" ] && $BIN/plist --raw-dump sdt -x "$LIBC" | grep -q 'sdt_libc:setjmp'; then
	$BIN/pprobe -q -x "$LIBC" sdt_libc:setjmp && $BIN/pprobe -q -x "$LIBC" sdt_libc:longjmp
	s0=$(jcount sdt_libc:setjmp 0); s=$(jcount sdt_libc:setjmp 1000); l=$(jcount sdt_libc:longjmp 1000)
	is "$((s - s0)):$l" "1000:1000" "libc's sdt_libc:setjmp and sdt_libc:longjmp count jmp_loop's 1000 calls exactly"
	$BIN/pprobe -q -d 'sdt_libc:*'
else
	skip "this libc ($LIBC) has no SDT notes (built without systemtap-sdt-dev): sdt_libc:setjmp/longjmp untested"
fi
done_testing
