#!/bin/sh
# pinject against perf inject on the same input: a -z recording comes out decompressed with
# the same samples and report; -b adds the build-ids perf inject -b finds for the DSOs hit;
# pipes in and out (perf record -o - | pinject -b | perf report -i -).
. "$(dirname "$0")/lib.sh"
SPIN=$PROGS/sym_spin

perf record -z -g -e cpu-clock -o "$TMP/z.data" -- "$SPIN" 2>/dev/null
$BIN/pinject -i "$TMP/z.data" -o "$TMP/zi.data"; rc=$?
is "$rc" 0 "pinject -i Z -o OUT exits 0"
perf report --header-only -i "$TMP/zi.data" 2>/dev/null | grep -q '^# missing features:.* COMPRESSED'
ok $? "the output is not compressed"
is "$(perf_nsamples "$TMP/zi.data")" "$(perf_nsamples "$TMP/z.data")" "perf script sees every sample of the input"
perf report -i "$TMP/z.data" --stdio --no-children --sort comm,dso,sym 2>/dev/null | no_comments >"$TMP/z.rep"
perf report -i "$TMP/zi.data" --stdio --no-children --sort comm,dso,sym 2>/dev/null | no_comments >"$TMP/zi.rep"
is "$(ndiff "$TMP/z.rep" "$TMP/zi.rep")" 0 "perf report of the output is the input's"
$BIN/preport -i "$TMP/zi.data" --stdio --no-children --sort comm,dso,sym 2>/dev/null | no_comments >"$TMP/ours.rep"
is "$(head -1 "$TMP/ours.rep" | awk '{print $NF}')" "$(head -1 "$TMP/z.rep" | awk '{print $NF}')" "preport reads it"

perf record --no-buildid -e cpu-clock -o "$TMP/nb.data" -- "$SPIN" 2>/dev/null
$BIN/pinject -b -i "$TMP/nb.data" -o "$TMP/ours.data"; rc=$?
perf inject -b -i "$TMP/nb.data" -o "$TMP/perf.data" 2>/dev/null
perf buildid-list -i "$TMP/ours.data" 2>/dev/null | grep ' /' | sort >"$TMP/ours.ids"
perf buildid-list -i "$TMP/perf.data" 2>/dev/null | grep ' /' | sort >"$TMP/perf.ids"
is "$rc:$(ndiff "$TMP/ours.ids" "$TMP/perf.ids")" "0:0" "-b: the build-ids perf inject -b adds for the files hit ($(wc -l <"$TMP/ours.ids" | tr -d ' '))"
grep -q sym_spin "$TMP/ours.ids"; ok $? "the workload is among them"

perf record -o - -e cpu-clock -- "$SPIN" 2>/dev/null | $BIN/pinject -b | tee "$TMP/p.pipe" |
	perf report -i - --stdio --sort sym 2>/dev/null | grep '%' | head -1 >"$TMP/top"
grep -q spin_leaf "$TMP/top"; ok $? "perf record -o - | pinject -b | perf report -i -"
perf buildid-list -i - <"$TMP/p.pipe" 2>/dev/null | grep -q sym_spin; ok $? "the stream carries the build-ids"
$BIN/pinject -i "$TMP/nope.data" -o "$TMP/x.data" 2>"$TMP/err"; rc=$?
grep -q 'nope.data' "$TMP/err"; is "$rc:$?" "1:0" "a missing input: one line, exit 1"

done_testing
