#!/bin/sh
# pinject --jit against perf inject --jit on the same recording of a small JIT
# (tests/progs/jitdump_prog: two functions written into executable memory and described in
# jit-PID.dump in perf's jitdump format, jit_hot run about 3x as long as jit_cold), recorded
# by precord -k 1 -g: the .so files beside the dump, the report of the output by preport and
# by perf report, and perf inject --jit's report of the same input; pipes; a recording
# without -k refused by both.
. "$(dirname "$0")/lib.sh"
JIT=$PROGS/jitdump_prog
D=$TMP/jit
mkdir -p "$D"
if [ "$(uname -m)" != x86_64 ]; then
	skip "jitdump_prog writes x86-64 code"
	done_testing
fi

# top2 FILE: "dso sym pct" of the first two rows of a --sort dso,sym report
top2() { no_comments <"$1" | grep '%' | head -2 | awk '{ print $2, $NF, $1 }'; }

$BIN/precord -k 1 -g -o "$D/rec.data" -- "$JIT" "$D" 1 2>/dev/null; rc=$?
is "$rc" 0 "precord -k 1 -g records the JIT"
perf evlist -v -i "$D/rec.data" 2>/dev/null | tr ',' '\n' | grep -c '^ *use_clockid: 1$\|^ *clockid: 1$' | grep -qx 2
ok $? "precord -k 1 sets use_clockid and clockid 1 (CLOCK_MONOTONIC), as perf record -k 1"
$BIN/preport -i "$D/rec.data" --stdio --no-children --sort sym 2>/dev/null | grep -q jit_hot
is "$?" 1 "before pinject --jit, no report names the JIT'd functions"

$BIN/pinject --jit -i "$D/rec.data" -o "$D/ours.data" 2>"$TMP/err"; rc=$?
is "$rc:$(wc -c <"$TMP/err" | tr -d ' ')" "0:0" "pinject --jit -i REC -o OUT exits 0, quietly"
is "$(ls "$D" | grep -c '^jitted-[0-9]*-[12]\.so$')" 2 "one jitted-PID-N.so per function, beside the dump"
readelf -s "$D"/jitted-*-1.so 2>/dev/null | grep -q ' FUNC .* jit_hot$'
ok $? "jitted-PID-1.so is an ELF file with the function's symbol"
$BIN/preport -i "$D/ours.data" --stdio --no-children --sort dso,sym 2>/dev/null >"$TMP/ours.rep"
perf report -i "$D/ours.data" --stdio --no-children --sort dso,sym 2>/dev/null >"$TMP/perf_ours.rep"
top2 "$TMP/ours.rep" >"$TMP/ours.top"
top2 "$TMP/perf_ours.rep" >"$TMP/perf_ours.top"
is "$(awk '{ print $2 }' "$TMP/ours.top" | tr '\n' ' ')" "jit_hot jit_cold " "preport: the JIT'd functions are the top two, hot first"
is "$(ndiff "$TMP/ours.top" "$TMP/perf_ours.top")" 0 "perf report of pinject's output: the same rows ($(head -1 "$TMP/ours.top"))"
$BIN/preport -i "$D/ours.data" --stdio --children --sort sym -g caller 2>/dev/null >"$TMP/ours.cg"
perf report -i "$D/ours.data" --stdio --children --sort sym -g caller 2>/dev/null >"$TMP/perf.cg"
n_ours=$(grep -c -- '--jit_hot' "$TMP/ours.cg"); n_perf=$(grep -c -- '--jit_hot' "$TMP/perf.cg")
is "$([ "$n_ours" -gt 0 ] && echo "$n_ours")" "$n_perf" "call graphs: the JIT frame is in the chains, as perf shows it"

# the oracle: perf inject --jit on the same input (it writes its own .so files over ours,
# which both reports above have read already)
perf inject --jit -i "$D/rec.data" -o "$D/perf.data" 2>/dev/null
perf report -i "$D/perf.data" --stdio --no-children --sort dso,sym 2>/dev/null >"$TMP/perf.rep"
top2 "$TMP/perf.rep" >"$TMP/perf.top"
is "$(ndiff "$TMP/ours.top" "$TMP/perf.top")" 0 "perf inject --jit's output reports the same top rows"
diff_diag 6 "$TMP/ours.top" "$TMP/perf.top"

# pipes both ways
$BIN/precord -k mono -o - -- "$JIT" "$D" 0.3 2>/dev/null | $BIN/pinject --jit |
	perf report -i - --stdio --no-children --sort sym 2>/dev/null | no_comments | grep '%' | head -1 >"$TMP/pipe.top"
grep -q jit_hot "$TMP/pipe.top"; ok $? "precord -k mono -o - | pinject --jit | perf report -i -"

# a dump gone since: a warning, the rest goes out
mkdir -p "$D/away" && mv "$D"/jit-*.dump "$D/away/"
$BIN/pinject --jit -i "$D/rec.data" -o "$D/nodump.data" 2>"$TMP/err"; rc=$?
grep -q 'jit-[0-9]*\.dump: No such file.*left out' "$TMP/err"
is "$rc:$?:$(perf_nsamples "$D/nodump.data")" "0:0:$(perf_nsamples "$D/rec.data")" \
	"a jitdump gone since the recording: one warning, every sample still written"

# the clocks must agree
$BIN/precord -o "$D/nok.data" -- "$JIT" "$D" 0.1 2>/dev/null
$BIN/pinject --jit -i "$D/nok.data" -o "$D/x.data" 2>"$TMP/err"; rc=$?
perf inject --jit -i "$D/nok.data" -o "$D/y.data" 2>/dev/null; prc=$?
grep -q 'k 1' "$TMP/err"
is "$rc:$?:$(wc -l <"$TMP/err" | tr -d ' '):$([ "$prc" -ne 0 ] && echo refused)" "1:0:1:refused" \
	"a recording without -k: one line saying to record with -k 1, exit 1 (perf inject refuses it too)"

done_testing
