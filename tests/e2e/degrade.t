#!/bin/sh
# Degrade, don't refuse (docs/robustness.md): files with a bad feature section, killed
# recordings (perf record and precord, -z included), data cut by a full disk, read in full or up
# to the cut by all four readers (exit 0, one warning saying what is missing or left unread);
# every loss counted (PERF_FORMAT_LOST -> LOST_SAMPLES, as perf 6.1 writes them); pfold's input
# never hangs nor grows (devices, endless lines, FIFOs, stdin, directories, empty input).
. "$(dirname "$0")/lib.sh"
SPIN=$PROGS/sym_spin
LOOP=$PROGS/rec_loop

# nsamples READER FILE: the samples a reader of ours reports (pscript: one line per sample)
nsamples() {
	case $1 in
	pscript) "$BIN/pscript" -F comm -i "$2" 2>/dev/null | grep -c . ;;
	preport) "$BIN/preport" -i "$2" --stdio --no-children -n --sort comm 2>/dev/null | no_comments |
		awk '/^ +[0-9.]+% +[0-9]+ / { s += $2 } END { print s + 0 }' ;;
	pfold) "$BIN/pfold" -i "$2" 2>/dev/null | awk '{ s += $NF } END { print s + 0 }' ;;
	esac
}
# kill_when FILE BYTES PID: SIGKILL the recorder PID once FILE holds BYTES (or after 10 s),
# reap it, and end the workload it leaves behind
kill_when() {
	i=0
	while [ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -lt "$2" ] && [ $i -lt 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
	kids=$(pgrep -P "$3")
	kill -9 "$3"; wait "$3" 2>/dev/null
	[ -n "$kids" ] && kill $kids 2>/dev/null
}
u64() { python3 -c 'import struct,sys; b=open(sys.argv[1],"rb").read(); print(struct.unpack_from("<Q", b, int(sys.argv[2]))[0])' "$@"; }

perf record -q -g -o "$TMP/good.data" "$SPIN" 200 >/dev/null 2>&1
[ -s "$TMP/good.data" ] || { skip "perf record failed"; done_testing; }
good=$(perf_nsamples "$TMP/good.data")
doff=$(u64 "$TMP/good.data" 40); dsize=$(u64 "$TMP/good.data" 48)

# --- 1. one bad feature section: named once, left out, the data used -----------------------
# the first feature's index entry points past the end of the file (BUILD_ID, perf's first)
python3 - "$TMP/good.data" "$TMP/badfeat.data" <<'EOF'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
doff, dsize = struct.unpack_from("<QQ", b, 40)
struct.pack_into("<Q", b, doff + dsize, len(b) + (1 << 30))
open(sys.argv[2], "wb").write(b)
EOF
for r in pscript preport pfold; do
	n=$(nsamples $r "$TMP/badfeat.data")
	is "$n" "$good" "$r: a bad feature section costs that feature only ($good samples)"
done
"$BIN/pscript" -i "$TMP/badfeat.data" >/dev/null 2>"$TMP/err"; rc=$?
is "$rc" 0 "pscript: exit 0"
is "$(grep -c 'feature build_id ignored' "$TMP/err")" 1 "the feature is named once"
sym=spin_leaf
"$BIN/pannotate" -i "$TMP/badfeat.data" --stdio "$sym" >"$TMP/ann.out" 2>/dev/null; rc=$?
is "$rc" 0 "pannotate reads it too ($sym)"

# a bad build-id table entry (the second one's size runs past the section) and an unknown
# feature bit (200, its index entry added after the known ones, the sections after it moved):
# exit 0, every sample, one warning naming what was left out
python3 - "$TMP/good.data" "$TMP" <<'EOF'
import struct, sys
src, tmp = sys.argv[1:3]
g = open(src, "rb").read()
doff, dsize = struct.unpack_from("<QQ", g, 40)
feats = struct.unpack_from("<4Q", g, 72)
idx = doff + dsize
b = bytearray(g)
off, size = struct.unpack_from("<QQ", b, idx)		# BUILD_ID: perf's first section
first = struct.unpack_from("<IHH", b, off)[2]
struct.pack_into("<H", b, off + first + 6, 0xfff8)
open(tmp + "/badbid.data", "wb").write(b)
b = bytearray(g)
n = sum(bin(f).count("1") for f in feats)
ent = [struct.unpack_from("<QQ", b, idx + 16 * i) for i in range(n)]
b[idx + 16 * n:idx + 16 * n] = bytes(16)
for i, (o, sz) in enumerate(ent):
    struct.pack_into("<QQ", b, idx + 16 * i, o + 16, sz)
struct.pack_into("<QQ", b, idx + 16 * n, len(b), 16)
b += b"\xab" * 16
struct.pack_into("<Q", b, 72 + 24, feats[3] | 1 << 8)
open(tmp + "/unkbit.data", "wb").write(b)
EOF
for f in badbid unkbit; do
	case $f in
	badbid) want="feature build_id ignored (.*build-id entry of 65528 bytes)" ;;
	unkbit) want="feature bit 200 unknown to this reader, skipped" ;;
	esac
	for r in pscript preport pfold; do
		n=$(nsamples $r "$TMP/$f.data")
		"$BIN/$r" -i "$TMP/$f.data" >/dev/null 2>"$TMP/err"; rc=$?
		[ $rc = 0 ] && [ "$n" = "$good" ] && [ "$(grep -c "$want" "$TMP/err")" = 1 ]
		ok $? "$f: $r exit $rc, $n of $good samples, one warning: $(head -1 "$TMP/err" | sed 's/^[a-z]*: warning: [^ ]* //')"
	done
done
host=$(perf report -i "$TMP/good.data" --header-only 2>/dev/null | sed -n 's/^# hostname : //p')
"$BIN/preport" -i "$TMP/unkbit.data" --header-only 2>/dev/null | grep -qx "# hostname : $host"
ok $? "unkbit: the known features after the index entry still read (hostname $host)"

# --- 2. perf record killed with SIGKILL: data size 0, the last record maybe cut --------------
perf record -q -g -m 8 -o "$TMP/pkill.data" -- "$LOOP" 4 >/dev/null 2>&1 & rec=$!
kill_when "$TMP/pkill.data" 100000 $rec
is "$(u64 "$TMP/pkill.data" 48)" 0 "a killed perf record leaves data size 0"
theirs=$(perf_nsamples "$TMP/pkill.data")
"$BIN/pscript" -F comm -i "$TMP/pkill.data" >"$TMP/pk.out" 2>"$TMP/err"; rc=$?
ours=$(grep -c . "$TMP/pk.out")
is "$rc" 0 "pscript reads it (exit 0)"
[ "$ours" -gt 0 ] && [ "$ours" -ge "$theirs" ]; ok $? "with its samples ($ours; perf 6.1: $theirs)"
grep -q 'recording was not finished.*data size is 0.*missing features: build_id, hostname' "$TMP/err"
ok $? "one warning: not finished, and which features are missing"
diag "$(head -2 "$TMP/err")"

# --- 3. precord killed with SIGKILL: a readable file, the warning names what it lacks -------
"$BIN/precord" -q -g -o "$TMP/qkill.data" -- "$LOOP" 4 >/dev/null 2>&1 & rec=$!
kill_when "$TMP/qkill.data" 100000 $rec
"$BIN/preport" -i "$TMP/qkill.data" --stdio >/dev/null 2>"$TMP/err"; rc=$?
is "$rc" 0 "preport reads a killed precord file"
grep -q 'recording was not finished.*missing features: build_id, hostname, osrelease, arch, cmdline, event_desc' "$TMP/err"
ok $? "and says it was not finished, naming the missing features"
ours=$(nsamples preport "$TMP/qkill.data"); theirs=$(perf_nsamples "$TMP/qkill.data")
[ "$ours" -gt 0 ] && [ "$ours" -ge "$theirs" ]; ok $? "with at least the samples perf reads ($ours; perf: $theirs)"

# --- 4. -z killed with SIGKILL stays readable by perf -----------------------------------------
"$BIN/precord" -q -z -g -o "$TMP/zkill.data" -- "$LOOP" 4 >/dev/null 2>&1 & rec=$!
kill_when "$TMP/zkill.data" 20000 $rec
perf report -i "$TMP/zkill.data" --stdio >"$TMP/zr.out" 2>"$TMP/zr.err"; rc=$?
theirs=$(perf_nsamples "$TMP/zkill.data")
is "$rc" 0 "perf report reads a killed precord -z file"
[ "$theirs" -gt 100 ]; ok $? "perf decompresses its samples ($theirs)"
is "$(nsamples pscript "$TMP/zkill.data")" "$theirs" "pscript reads as many"
perf report --header-only -i "$TMP/zkill.data" 2>/dev/null | grep -q 'compressed : Zstd'
ok $? "the compression feature is there"

# --- 5. out of disk / cut copy: data size kept, file cut in the middle of a record ----------
cut=$((doff + dsize / 2 + 5))
head -c $cut "$TMP/good.data" >"$TMP/cut.data"
for r in pscript preport pfold; do
	"$BIN/$r" -i "$TMP/cut.data" >/dev/null 2>"$TMP/err.$r"; rc=$?
	is "$rc" 0 "$r: a cut file reads up to the cut (exit 0)"
done
grep -q 'bytes of data left unread' "$TMP/err.pscript"; ok $? "and says how many bytes were left unread"
n=$(nsamples pscript "$TMP/cut.data")
[ "$n" -gt $((good / 4)) ] && [ "$n" -lt "$good" ]; ok $? "the whole records before the cut ($n of $good)"
unread=$(sed -n 's/.* \([0-9]*\) bytes of data left unread/\1/p' "$TMP/err.pscript")
at=$(sed -n 's/.* at offset \([0-9]*\): [0-9]* bytes of data left unread/\1/p' "$TMP/err.pscript")
is "$((at + unread))" "$cut" "cut offset + bytes unread = the file's end"

# --- 6. every loss counted: a 1-page ring at a high rate -------------------------------------
"$LOOP" 1 >/dev/null & busy=$!
"$BIN/precord" -m 1 -c 20000 -g -a -o "$TMP/lost.data" -- sleep 0.5 2>"$TMP/lost.err"
perf record -q -m 1 -c 20000 -g -a -o "$TMP/plost.data" -- sleep 0.5 >/dev/null 2>&1
wait $busy
kernel=$(sed -n 's/.*lost \([0-9]*\) samples in .*kernel.*/\1/p' "$TMP/lost.err")
ls_sum=$(perf script -D -i "$TMP/lost.data" 2>/dev/null | sed -n 's/.*PERF_RECORD_LOST_SAMPLES: .*lost samples :\([0-9]*\)/\1/p' | awk '{ s += $1 } END { print s + 0 }')
lost_recs=$(perf script -D -i "$TMP/lost.data" 2>/dev/null | sed -n 's/.*PERF_RECORD_LOST lost \([0-9]*\).*/\1/p; s/.*PERF_RECORD_LOST: .*lost \([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
ours=$("$BIN/preport" -i "$TMP/lost.data" --stdio 2>/dev/null | sed -n 's/^# Total Lost Samples: //p' | head -1)
theirs=$(perf report -i "$TMP/lost.data" --stdio 2>/dev/null | sed -n 's/^# Total Lost Samples: //p' | head -1)
[ "${kernel:-0}" -gt 0 ]; ok $? "a 1-page ring loses samples (kernel's count: ${kernel:-0})"
is "$ls_sum" "$kernel" "the LOST_SAMPLES records carry the kernel's count"
is "$ours" "$kernel" "preport's Total Lost Samples is the kernel's count"
is "$theirs" "$kernel" "and perf report says the same of our file"
[ "$kernel" -ge "$lost_recs" ]; ok $? "it covers the LOST records of the rings ($lost_recs)"
p_theirs=$(perf report -i "$TMP/plost.data" --stdio 2>/dev/null | sed -n 's/^# Total Lost Samples: //p' | head -1)
p_ours=$("$BIN/preport" -i "$TMP/plost.data" --stdio 2>/dev/null | sed -n 's/^# Total Lost Samples: //p' | head -1)
[ "${p_theirs:-0}" -gt 0 ]; ok $? "perf record on the same load loses samples too (${p_theirs:-0})"
is "$p_ours" "$p_theirs" "preport counts perf's LOST_SAMPLES as perf does"

# two events on a 1-page ring: --stats gives each its LOST_SAMPLES line, as perf report --stats
# does (the sum of the lost counts of its LOST_SAMPLES records), for our file and for perf's
per_event() { sed -n '/^Aggregated stats:$/d; /^[^ ].* stats:$/,$p'; }
for rec in precord perf; do
	if [ $rec = precord ]; then R=$BIN/precord; else R="perf record"; fi
	$R -q -m 1 -e cpu-clock,task-clock -c 20000 -g -o "$TMP/lost2.$rec" -- "$LOOP" 0.5 >/dev/null 2>"$TMP/lost2.err"
	perf report -i "$TMP/lost2.$rec" --stats 2>/dev/null | per_event >"$TMP/st.perf"
	"$BIN/preport" -i "$TMP/lost2.$rec" --stats 2>/dev/null | per_event >"$TMP/st.ours"
	per=$(awk '/LOST_SAMPLES events:/ { n++; s += $3 } END { print n + 0, s + 0 }' "$TMP/st.ours")
	total=$("$BIN/preport" -i "$TMP/lost2.$rec" --stdio 2>/dev/null | sed -n 's/^# Total Lost Samples: //p' | head -1)
	[ "${per%% *}" = 2 ] && [ "${per#* }" = "${total:-x}" ] && [ "$total" -gt 0 ]
	ok $? "$rec -m 1, two events: preport --stats has two LOST_SAMPLES lines ($per) adding up to the total lost (${total:-?})"
	cmp -s "$TMP/st.perf" "$TMP/st.ours"
	ok $? "the per-event stats of the $rec file are perf report --stats' lines" || diff_diag 8 "$TMP/st.perf" "$TMP/st.ours"
done

# --- 7. pfold's input: read once, never hang, never grow ------------------------------------
F=$BIN/pfold
"$F" -i "$TMP/good.data" >"$TMP/good.folded" 2>/dev/null
timeout 10 "$F" -i /dev/zero >/dev/null 2>"$TMP/err"; rc=$?
[ $rc -eq 1 ] && grep -q '/dev/zero is not a regular file, pipe or FIFO' "$TMP/err"; ok $? "pfold -i /dev/zero: one line, exit 1"
head -c 50000000 /dev/zero | /usr/bin/time -f '%M' -o "$TMP/rss" timeout 20 "$F" -i - >/dev/null 2>"$TMP/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'binary data or a line longer than' "$TMP/err"; ok $? "50 MB of zeros on stdin: one line, exit 1"
rss=$(tail -1 "$TMP/rss")
[ "$rss" -lt 65536 ]; ok $? "in bounded memory ($rss KiB)"
yes abc | tr -d '\n' | head -c 30000000 | timeout 20 "$F" -i - >/dev/null 2>"$TMP/err"; rc=$?
is "$rc" 1 "an endless line ends with an error"
mkfifo "$TMP/fifo"
cat "$TMP/good.folded" >"$TMP/fifo" & timeout 20 "$F" -i "$TMP/fifo" >"$TMP/fifo.out" 2>&1; rc=$?
is "$rc:$(folded_total "$TMP/fifo.out")" "0:$(folded_total "$TMP/good.folded")" "folded text through a FIFO"
cat "$TMP/good.data" >"$TMP/fifo" & timeout 20 "$F" -i "$TMP/fifo" >"$TMP/fifo.out" 2>/dev/null; rc=$?
cmp -s "$TMP/fifo.out" "$TMP/good.folded"; ok $? "a perf.data file through a FIFO folds as the file does"
cat "$TMP/good.folded" | timeout 20 "$F" -i - >"$TMP/stdin.out" 2>&1
cmp -s "$TMP/stdin.out" "$TMP/good.folded"; ok $? "folded text on stdin (-i -)"
timeout 20 "$F" -i - <"$TMP/good.data" >"$TMP/stdin.out" 2>/dev/null
cmp -s "$TMP/stdin.out" "$TMP/good.folded"; ok $? "a perf.data file on stdin (-i -)"
timeout 10 "$F" -i "$TMP" >/dev/null 2>"$TMP/err"; rc=$?
[ $rc -eq 1 ] && grep -q "is a directory" "$TMP/err"; ok $? "pfold -i DIR says it is a directory"
: >"$TMP/empty"
timeout 10 "$F" -i "$TMP/empty" >/dev/null 2>"$TMP/err"; rc=$?
[ $rc -eq 1 ] && grep -q "empty.*nothing to fold" "$TMP/err"; ok $? "empty input: said, exit 1"
printf '' | timeout 10 "$F" -i - >/dev/null 2>"$TMP/err"; rc=$?
[ $rc -eq 1 ] && grep -q "<stdin> is empty" "$TMP/err"; ok $? "empty stdin: said, exit 1"

# --- 8. pipe-mode streams (perf record -o -) read by all readers ---------------------------
perf record -q -g -o - "$SPIN" 150 2>/dev/null >"$TMP/pipe.data"
# the fields that need no symbols (a sample in a PLT is named differently by perf 6.1)
"$BIN/pscript" -F comm,tid,time,period -i "$TMP/pipe.data" 2>"$TMP/err" | sed 's/^ *//' >"$TMP/pipe.ours"
rc=$(grep -c . "$TMP/err")
# (perf script -F prints the call chains of a pipe-mode file all the same: the sample lines)
# (and without the comm column's padding)
perf script -F comm,tid,time,period -i "$TMP/pipe.data" 2>/dev/null | grep '^ *sym_spin ' | sed 's/^ *//' >"$TMP/pipe.theirs"
[ $rc -eq 0 ] && [ -s "$TMP/pipe.ours" ] && cmp -s "$TMP/pipe.ours" "$TMP/pipe.theirs"
ok $? "pscript reads a pipe-mode file as perf script does ($(grep -c . "$TMP/pipe.theirs") lines)" ||
	diff_diag 10 "$TMP/pipe.ours" "$TMP/pipe.theirs"
pipe_n=$(grep -c . "$TMP/pipe.theirs")
is "$(nsamples preport "$TMP/pipe.data")" "$pipe_n" "preport counts its samples"
cat "$TMP/pipe.data" | timeout 20 "$F" -i - >"$TMP/pipe.folded" 2>/dev/null; rc=$?
"$F" -i "$TMP/pipe.data" >"$TMP/pipe.file.folded" 2>/dev/null
[ $rc -eq 0 ] && [ -s "$TMP/pipe.folded" ] && cmp -s "$TMP/pipe.folded" "$TMP/pipe.file.folded"
ok $? "pfold -i - folds a pipe-mode stream as the same stream saved to a file"
is "$(folded_total "$TMP/pipe.folded")" "$pipe_n" "every sample of it"
# (5 bytes past a multiple of 8: inside a record, as every record is a multiple of 8 bytes)
head -c $(($(stat -c %s "$TMP/pipe.data") * 2 / 3 / 8 * 8 + 5)) "$TMP/pipe.data" >"$TMP/pipecut.data"
"$BIN/pscript" -i "$TMP/pipecut.data" >/dev/null 2>"$TMP/err"; rc=$?
[ $rc -eq 0 ] && grep -q "bytes of data left unread" "$TMP/err"; ok $? "a cut stream is read up to the cut"
done_testing
