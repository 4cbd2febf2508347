#!/bin/sh
# perf record's options for what goes into the file, run by perf 6.1 and by precord on the
# same command line and compared: -d, --per-thread, --no-inherit/-i, -T, --user-regs,
# --intr-regs (the attrs perf evlist shows), --no-buildid and --buildid-all (perf's
# buildid-list), --max-size (stops early, says so), --switch-output by signal, size and time
# with --switch-max-files (perf's file names, every file readable by perf), --aio (a note).
. "$(dirname "$0")/lib.sh"
SPIN=$PROGS/sym_spin
LOOP=$PROGS/rec_loop

# attrs FILE: the attr facts the options change
attrs() {
	perf evlist -v -i "$1" 2>/dev/null | grep -v '^#' | tr ',' '\n' | sed 's/^ *//' |
		grep -E '^(inherit|mmap_data|sample_regs_user|sample_regs_intr): ' | tr '\n' ' '
	perf evlist -v -i "$1" 2>/dev/null | grep -v '^#' | grep -o 'ADDR\|DATA_SRC\|REGS_USER\|REGS_INTR' | tr '\n' ' '
}
for opt in -d --per-thread --no-inherit -i -T --user-regs=ax,bx,r15 --intr-regs; do
	$BIN/precord $opt -e cpu-clock -o "$TMP/o.data" -- true 2>/dev/null; rc=$?
	perf record $opt -e cpu-clock -o "$TMP/p.data" -- true 2>/dev/null
	is "$rc:$(attrs "$TMP/o.data")" "0:$(attrs "$TMP/p.data")" "precord $opt: the attrs perf record $opt writes"
done
$BIN/precord --intr-regs -e cpu-clock -o "$TMP/o.data" -- "$SPIN" 2>/dev/null
perf report -i "$TMP/o.data" --stdio >"$TMP/rep" 2>"$TMP/rep.err"; rc=$?
grep -q spin_leaf "$TMP/rep"; is "$rc:$?:$(wc -c <"$TMP/rep.err" | tr -d ' ')" "0:0:0" "perf reads samples with interrupt registers"
$BIN/preport -i "$TMP/o.data" --stdio 2>/dev/null | grep -q spin_leaf; ok $? "so does preport"
$BIN/precord --user-regs=zz -- true 2>"$TMP/err"; rc=$?
grep -q "unknown register 'zz'" "$TMP/err"; is "$rc:$?" "129:0" "an unknown register: one line with the list, exit 129 (a usage error, as perf)"

# build-ids
$BIN/precord --no-buildid -e cpu-clock -o "$TMP/o.data" -- "$SPIN" 2>/dev/null
perf report --header-only -i "$TMP/o.data" | grep -q '^# missing features:.* BUILD_ID'
ok $? "--no-buildid: the file has no build-id section, as perf's"
$BIN/precord --buildid-all -e cpu-clock -o "$TMP/o.data" -- "$SPIN" 2>/dev/null
perf record --buildid-all -e cpu-clock -o "$TMP/p.data" -- "$SPIN" 2>/dev/null
perf buildid-list -i "$TMP/o.data" | grep -v '\[vdso\]' | sort >"$TMP/o.ids"
perf buildid-list -i "$TMP/p.data" | grep -v '\[vdso\]' | sort >"$TMP/p.ids"
is "$(ndiff "$TMP/o.ids" "$TMP/p.ids")" 0 "--buildid-all lists perf's DSOs (ld.so, which got no sample, too; [vdso] aside)"
grep -q 'ld-linux' "$TMP/o.ids"; ok $? "a DSO without samples is listed"

# --max-size
start=$(date +%s.%N)
$BIN/precord --max-size=20K -a -e cpu-clock -o "$TMP/o.data" -- sleep 3 2>"$TMP/err"; rc=$?
end=$(date +%s.%N)
awk -v a="$start" -v b="$end" 'BEGIN { exit !(b - a < 2.5) }'
ok $? "--max-size=20K stops the recording before the command ends"
perf record --max-size=20K -a -e cpu-clock -o "$TMP/p.data" -- sleep 3 2>/dev/null; prc=$?
grep -q "size limit reached (20 KB), stopping session" "$TMP/err"; is "$rc:$?" "$prc:0" "and says so, ending the command, with perf's exit code ($prc)"
perf report -i "$TMP/o.data" --stdio >/dev/null 2>&1; ok $? "the file is complete (perf reads it)"

# --switch-output
cd "$TMP" || exit 1
$BIN/precord --switch-output -e cpu-clock -o sw.data -- "$LOOP" 1.2 2>"$TMP/err" & pid=$!
sleep 0.7; kill -USR2 $pid; wait $pid; rc=$?
n=$(ls sw.data.* 2>/dev/null | grep -cE '^sw\.data\.[0-9]{16}$')
is "$rc:$n" "0:2" "--switch-output: SIGUSR2 starts a new file; two files named OUTPUT.YYYYMMDDhhmmssCC"
grep -c '^\[ precord: Dump sw.data.[0-9]*' "$TMP/err" | grep -qx 2; ok $? "each is announced as perf does"
bad=0; tot=0
for f in sw.data.*; do
	c=$(perf script -i "$f" 2>/dev/null | grep -c 'loop_hot'); tot=$((tot + c))
	[ "$c" -gt 0 ] || bad=1
done
is "$bad" 0 "perf reads every file, each with the workload's samples resolved ($tot in all)"
rm -f sw.data.*
$BIN/precord --switch-output=200K --switch-max-files=2 -a -e cpu-clock -F 4000 -o sw.data -- "$LOOP" 1.5 2>"$TMP/err"
nd=$(grep -c '^\[ precord: Dump' "$TMP/err"); nf=$(ls sw.data.* | wc -l)
[ "$nd" -gt 2 ] && [ "$nf" -eq 2 ]; ok $? "--switch-output=SIZE rotates ($nd files) and --switch-max-files=2 keeps the newest two ($nf)"
rm -f sw.data.*
$BIN/precord --switch-output=1s -e cpu-clock -o sw.data -- "$LOOP" 1.6 2>/dev/null
is "$(ls sw.data.* | wc -l | tr -d ' ')" 2 "--switch-output=1s: a file per second"
rm -f sw.data.*
$BIN/precord --switch-output=1x -- true 2>"$TMP/err"; rc=$?
grep -q 'switch-output wants' "$TMP/err"; is "$rc:$?" "129:0" "a bad --switch-output value: one line, exit 129"

$BIN/precord --aio -e cpu-clock -o "$TMP/o.data" -- true 2>"$TMP/err"; rc=$?
grep -q 'aio.*ignored' "$TMP/err"; is "$rc:$?" "0:0" "--aio is accepted with a note"

done_testing
