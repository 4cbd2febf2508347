#!/bin/sh
# pbuildid-cache against perf buildid-cache on the same cache directory: what one adds the
# other lists (perf's layout), -r/-p take entries out, -M lists a recording's missing
# build-ids as perf does; precord fills the cache with the DSOs it hit (not with
# --no-buildid-cache); preport finds a rebuilt binary's recorded copy there, as perf does.
. "$(dirname "$0")/lib.sh"
BC=$BIN/pbuildid-cache
SPIN=$PROGS/sym_spin
LOOP=$PROGS/rec_loop
D=$TMP/cache
export PERF_BUILDID_DIR="$D"	# ours; perf takes --buildid-dir

$BC -v -a "$SPIN,$LOOP" 2>"$TMP/add.err"; rc=$?
is "$rc:$(grep -c ': Ok$' "$TMP/add.err")" "0:2" "-a FILE,FILE adds both (-v says so as perf does)"
perf --buildid-dir "$D" buildid-cache -l 2>/dev/null | sort >"$TMP/perf.l"
$BC -l | sort >"$TMP/ours.l"
is "$(ndiff "$TMP/ours.l" "$TMP/perf.l"):$(wc -l <"$TMP/ours.l" | tr -d ' ')" "0:2" "perf lists what pbuildid-cache added, as pbuildid-cache does"
want=$(file -L "$SPIN" | sed -n 's/.*BuildID\[sha1\]=\([0-9a-f]*\).*/\1/p')
grep -q "^$want $SPIN\$" "$TMP/ours.l"; ok $? "the entry is the file's real build-id and path"
rm -rf "$D"
perf --buildid-dir "$D" buildid-cache -a "$SPIN" 2>/dev/null
is "$($BC -l)" "$want $SPIN" "pbuildid-cache lists what perf added"
$BC -a "$LOOP"; $BC -r "$SPIN"; rc=$?
is "$rc:$($BC -l | wc -l | tr -d ' ')" "0:1" "-r removes the file's entry"
is "$(perf --buildid-dir "$D" buildid-cache -l 2>/dev/null | grep -c sym_spin)" 0 "perf no longer lists it"
$BC -p "$LOOP"; rc=$?
is "$rc:$($BC -l | wc -l | tr -d ' ')" "0:0" "-p purges every entry of the path"
$BC -a /nonexistent 2>"$TMP/bad.err"; rc=$?
grep -q '/nonexistent: No such file' "$TMP/bad.err"; is "$rc:$?" "1:0" "a missing file: one line, exit 1"

# precord fills the cache; -M as perf
$BIN/precord -e cpu-clock -o "$TMP/s.data" -- "$SPIN" 2>/dev/null
$BC -l | grep -q "^$want $SPIN\$"; ok $? "precord adds the DSOs it hit to the cache"
# (sym_spin may get no sample in libc: a program that spends half its time there)
$BIN/precord -e cpu-clock -o "$TMP/s2.data" -- awk 'BEGIN { for (i = 0; i < 300000; i++) s = sprintf("%d", i) }' 2>/dev/null
$BC -l | grep -q 'libc.so'; ok $? "the libraries too"
$BC -M "$TMP/s.data" | sort >"$TMP/ours.M"
perf --buildid-dir "$D" buildid-cache -M "$TMP/s.data" 2>/dev/null | sort >"$TMP/perf.M"
is "$(ndiff "$TMP/ours.M" "$TMP/perf.M")" 0 "-M lists the recording's missing build-ids as perf does ($(wc -l <"$TMP/ours.M" | tr -d ' '))"
rm -rf "$D"
$BIN/precord --no-buildid-cache -e cpu-clock -o "$TMP/s.data" -- "$SPIN" 2>/dev/null
is "$($BC -l | wc -l | tr -d ' ')" 0 "--no-buildid-cache leaves the cache alone"

# a rebuilt binary: the recorded one comes from the cache
mkdir -p "$TMP/w"; cp "$SPIN" "$TMP/w/app"
$BIN/precord -e cpu-clock -o "$TMP/w.data" -- "$TMP/w/app" 2>/dev/null
rm "$TMP/w/app"; cp "$LOOP" "$TMP/w/app"
$BIN/preport -i "$TMP/w.data" --stdio --sort sym 2>/dev/null | grep '%' | head -1 >"$TMP/ours.top"
perf --buildid-dir "$D" report -i "$TMP/w.data" --stdio --sort sym 2>/dev/null | grep '%' | head -1 >"$TMP/perf.top"
grep -q spin_leaf "$TMP/ours.top"; ok $? "preport resolves the rebuilt binary's samples from the cache"
is "$(awk '{print $NF}' "$TMP/ours.top")" "$(awk '{print $NF}' "$TMP/perf.top")" "as perf does"
PERF_BUILDID_DIR=$TMP/empty $BIN/preport -i "$TMP/w.data" --stdio --sort sym 2>/dev/null | grep '%' | head -1 | grep -q spin_leaf
[ $? -ne 0 ]; ok $? "without the cache the rebuilt binary does not resolve (the cache was used)"

done_testing
