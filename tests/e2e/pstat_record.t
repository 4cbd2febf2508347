#!/bin/sh
# pstat record / pstat report against perf stat record / perf stat report, files both ways:
# perf reads what pstat record writes, pstat report reads what perf stat record writes, and
# both reports of one file are the same text.
. "$(dirname "$0")/lib.sh"
P=$BIN/pstat
W="$PROGS/faults 3000 20"

# --- ours written, read by perf and by us
$P record -o "$TMP/o.data" -x, -e task-clock,page-faults $W 2>"$TMP/o.csv"; rc=$?
is "$rc" 0 "pstat record exits 0"
perf stat report -i "$TMP/o.data" >"$TMP/p.rep" 2>&1; prc=$?
is "$prc" 0 "perf stat report reads pstat record's file"
faults=$(awk -F, '$3 == "page-faults" { print $1 }' "$TMP/o.csv")
ok $([ "$faults" -ge 3000 ]; echo $?) "the recording counted the 3000 faults ($faults)"
is "$(awk '$2 == "page-faults" { print $1 }' "$TMP/p.rep")" "$faults" "perf stat report shows the count pstat printed"
check "and task-clock in msec" grep -qE '^ +[0-9.]+ msec task-clock' "$TMP/p.rep"
$P report -i "$TMP/o.data" >"$TMP/o.rep" 2>&1
is "$(cat "$TMP/o.rep")" "$(cat "$TMP/p.rep")" "pstat report prints exactly what perf stat report prints"

# --- perf's written, read by us
perf stat record -o "$TMP/p.data" -e task-clock,page-faults,context-switches $W 2>/dev/null
$P report -i "$TMP/p.data" >"$TMP/o.rep" 2>&1; rc=$?
perf stat report -i "$TMP/p.data" >"$TMP/p.rep" 2>&1
is "$rc" 0 "pstat report reads perf stat record's file"
is "$(cat "$TMP/o.rep")" "$(cat "$TMP/p.rep")" "and prints what perf stat report prints"

# --- -A, system wide, both ways
$P record -o "$TMP/oa.data" -a -A -e cpu-clock sleep 0.1 2>/dev/null
perf stat record -o "$TMP/pa.data" -a -A -e cpu-clock sleep 0.1 2>/dev/null
for f in oa pa; do
	$P report -i "$TMP/$f.data" >"$TMP/o.rep" 2>&1
	perf stat report -i "$TMP/$f.data" >"$TMP/p.rep" 2>&1
	is "$(cat "$TMP/o.rep")" "$(cat "$TMP/p.rep")" "-A: the ${f%a} file's per-CPU report as perf's"
	is "$(grep -c '^CPU' "$TMP/o.rep")" "$(nproc)" "-A: one row per CPU"
done
$P report -x, -i "$TMP/pa.data" 2>"$TMP/o.csv"
is "$(awk -F, '{ print NF }' "$TMP/o.csv" | sort -u)" 8 "pstat report -x, -A: the CSV fields of pstat -x, -A"

# --- pipe mode, both ways
$P record -o - -e task-clock,page-faults $W 2>"$TMP/o.csv" | perf stat report -i - >"$TMP/p.rep" 2>&1
check "perf stat report -i - reads pstat record -o - (the pipe format)" grep -qE '^ +[0-9]+ +page-faults' "$TMP/p.rep"
$P record -o - -e task-clock,page-faults $W 2>/dev/null >"$TMP/o.pipe"
$P report -i - <"$TMP/o.pipe" >"$TMP/o.rep" 2>&1
perf stat report -i - <"$TMP/o.pipe" >"$TMP/p.rep" 2>&1
is "$(cat "$TMP/o.rep")" "$(cat "$TMP/p.rep")" "pstat report -i - prints what perf stat report -i - prints on our stream"
perf stat record -o - -a -A -e cpu-clock sleep 0.05 2>/dev/null >"$TMP/p.pipe"
$P report -i - <"$TMP/p.pipe" >"$TMP/o.rep" 2>&1
perf stat report -i - <"$TMP/p.pipe" >"$TMP/p.rep" 2>&1
is "$(cat "$TMP/o.rep")" "$(cat "$TMP/p.rep")" "and on perf stat record -o - -a -A's stream"
echo garbage | $P report -i - 2>"$TMP/err"; rc=$?
is "$rc:$(wc -l <"$TMP/err")" "1:1" "a stream that is not perf.data: one line, exit 1"

# --- not a stat file
$BIN/precord -q -o "$TMP/rec.data" -e cpu-clock true >/dev/null 2>&1
$P report -i "$TMP/rec.data" 2>"$TMP/err"; rc=$?
is "$rc:$(wc -l <"$TMP/err")" "1:1" "a sampling file: one line, exit 1"
$P report -i /nonexistent 2>"$TMP/err"; rc=$?
is "$rc:$(wc -l <"$TMP/err")" "1:1" "a missing file: one line, exit 1"
$P record -o "$TMP/x.data" -I 100 -e task-clock true 2>"$TMP/err"; rc=$?
is "$rc:$(wc -l <"$TMP/err"):$(tail -1 "$TMP/err" | grep -c -- "--help")" "129:2:1" "record with -I: one line and the --help pointer, exit 129"
done_testing
