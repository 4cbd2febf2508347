#!/bin/sh
# The perf.data reader trusts no length: a corpus of broken files made from a real
# recording (truncated at many points, random byte flips, lying sizes and offsets in the
# header, attrs, records and feature index) must give a clear one-line error or clean
# output: exit 0 or 1, never a crash or a sanitizer report (run again under ASan+UBSan).
# What can be read is read (docs/robustness.md): a cut data section is read up to the cut
# with a warning, exit 0; only a header or attrs that make no sense are refused.
. "$(dirname "$0")/lib.sh"
PS=$BIN/pscript
F=$TMP/good.data

perf record -q -g -e cpu-clock:u -o "$F" "$PROGS/sym_spin" 150 >/dev/null 2>&1
if [ ! -s "$F" ]; then skip "perf record failed"; done_testing; fi
"$PS" -i "$F" >"$TMP/good.out" 2>"$TMP/good.err"; rc=$?
is "$rc" 0 "the intact file reads"
size=$(stat -c %s "$F")
# header fields
u64() { perl -e 'open F, "<", $ARGV[0]; binmode F; seek F, $ARGV[1], 0; read F, $b, 8; print unpack("Q<", $b)' "$F" "$1"; }
data_off=$(u64 40); data_size=$(u64 48); attrs_off=$(u64 24)
feat_off=$((data_off + data_size))
diag "size $size data [$data_off, +$data_size) attrs at $attrs_off"

# patch SRC DST OFF FORMAT VALUE: copy SRC to DST with a packed value written at OFF
patch() {
	perl -e 'my ($s, $d, $o, $f, $v) = @ARGV; open I, "<", $s; binmode I; local $/; my $b = <I>;
		my $p = pack($f, $v); substr($b, $o, length $p) = $p if $o + length $p <= length $b;
		open O, ">", $d; binmode O; print O $b' "$@"
}

bad=0; crashes=0; n=0; unclear=0
# try FILE WHAT: exit 0 or 1; on 1 the message is one line naming the file
try() {
	n=$((n + 1))
	timeout 20 "$PS" -i "$1" >/dev/null 2>"$TMP/err"; rc=$?
	if grep -q 'AddressSanitizer\|runtime error\|LeakSanitizer' "$TMP/err" || [ $rc -gt 1 ]; then
		crashes=$((crashes + 1))
		diag "CRASH rc=$rc on $2: $(head -c 300 "$TMP/err")"
		cp "$1" "$TMP/crash.$n.data"
		return
	fi
	if [ $rc -eq 1 ]; then
		bad=$((bad + 1))
		if ! grep -q "^pscript: .*$(basename "$1")" "$TMP/err"; then
			unclear=$((unclear + 1))
			diag "unclear message on $2: $(head -c 200 "$TMP/err")"
		fi
	fi
}

# 1. truncated at many points: every byte of the header, the attrs, then steps through
#    the data and the feature sections
for off in 0 7 8 15 16 40 48 71 72 100 103 104 $((attrs_off + 8)) $((attrs_off + 100)) \
	$((data_off)) $((data_off + 4)) $((data_off + 8)) $((feat_off - 1)) $((feat_off + 8)) \
	$((feat_off + 100)) $((size - 1)); do
	[ "$off" -lt "$size" ] || continue
	head -c "$off" "$F" >"$TMP/t.data"; try "$TMP/t.data" "truncated at $off"
done
step=$((data_size / 40 + 1)); off=$data_off
while [ $off -lt $size ]; do
	head -c "$off" "$F" >"$TMP/t.data"; try "$TMP/t.data" "truncated at $off"
	off=$((off + step))
done

# 2. lying sizes and offsets
big=18446744073709551615
for spec in "8 Q< 72" "8 Q< 4096" "16 Q< 0" "16 Q< 8" "16 Q< $big" "24 Q< $big" "32 Q< $big" \
	"32 Q< 0" "40 Q< $big" "40 Q< $((size - 8))" "48 Q< $big" "48 Q< 0" "48 Q< $((size))" \
	"40 Q< 1" "72 Q< $big" "$((attrs_off + 4)) L< 4096" "$((attrs_off + 4)) L< 1" \
	"$((attrs_off + 128)) Q< $big" "$((attrs_off + 136)) Q< $big" "$((attrs_off + 24)) Q< $big" \
	"$((data_off + 6)) S< 0" "$((data_off + 6)) S< 65535" "$((data_off + 6)) S< 9" \
	"$((data_off)) L< 9" "$((data_off)) L< 81" "$((data_off)) L< 71" "$((data_off)) L< 66" \
	"$feat_off Q< $big" "$((feat_off + 8)) Q< $big" "$((feat_off + 16)) Q< 0" \
	"$((feat_off + 24)) Q< $big" "$((feat_off + 40)) Q< 1"; do
	set -- $spec
	patch "$F" "$TMP/l.data" "$1" "$2" "$3"; try "$TMP/l.data" "value $3 at offset $1"
done
# every record's size field in the first 25 records set to 8, then to its double
perl -e 'open F, "<", $ARGV[0]; binmode F; local $/; $b = <F>; $o = $ARGV[1]; $e = $ARGV[2];
	for ($i = 0; $i < 25 && $o + 8 <= $e; $i++) { ($t, $m, $s) = unpack("L<S<S<", substr($b, $o, 8));
	print "$o\n"; last if $s < 8; $o += $s; }' "$F" "$data_off" "$feat_off" >"$TMP/recs"
while read -r roff; do
	patch "$F" "$TMP/r.data" $((roff + 6)) "S<" 8; try "$TMP/r.data" "record at $roff sized 8"
	patch "$F" "$TMP/r.data" $((roff + 6)) "S<" 4000; try "$TMP/r.data" "record at $roff sized 4000"
	patch "$F" "$TMP/r.data" $((roff + 8)) "Q<" 18446744073709551615; try "$TMP/r.data" "record at $roff body ~0"
done <"$TMP/recs"

# 3. random byte flips (seeded, so a failure can be replayed)
for seed in $(seq 1 80); do
	perl -e 'srand($ARGV[2]); open I, "<", $ARGV[0]; binmode I; local $/; $b = <I>;
		for (1 .. 1 + int(rand(8))) { $o = int(rand(length $b)); substr($b, $o, 1) = chr(int(rand(256))); }
		open O, ">", $ARGV[1]; binmode O; print O $b' "$F" "$TMP/f.data" "$seed"
	try "$TMP/f.data" "flip seed $seed"
done

diag "$n broken files, $bad rejected with an error, $crashes crashes"
is "$crashes" 0 "no crash, hang or sanitizer report on $n broken files"
is "$unclear" 0 "every rejection is one message naming the file"
[ "$bad" -gt 20 ]; ok $? "broken files are rejected ($bad of $n)"
head -c $((attrs_off + 20)) "$F" >"$TMP/cut.data"
"$PS" -i "$TMP/cut.data" >/dev/null 2>"$TMP/err"
grep -q 'cut.data: corrupt at offset [0-9]*: ' "$TMP/err"; ok $? "a file cut in its attrs says 'FILE: corrupt at offset N: what'"
diag "$(cat "$TMP/err")"
head -c $((data_off + data_size / 2 + 3)) "$F" >"$TMP/cut.data"
"$PS" -i "$TMP/cut.data" >/dev/null 2>"$TMP/err"; rc=$?
is "$rc" 0 "a file cut in its data reads (exit 0)"
grep -q 'cut.data: .* at offset [0-9]*: [0-9]* bytes of data left unread' "$TMP/err"
ok $? "and says how many bytes were left unread"
diag "$(cat "$TMP/err")"
done_testing
