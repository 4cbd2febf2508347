#!/bin/sh
# Symbols that travel (docs/travel.md): a program copied to a private path, recorded, then
# deleted still resolves in preport, pscript, pfold and pannotate (the build-id cache that
# precord fills), byte for byte as before, DWARF unwinding included; parchive packs what a recording hit, and with the
# originals gone (cache and binary) --archive and --symfs give the recording host's output
# byte for byte, and perf reads the tar.bz2 unpacked as its cache; --embed-symbols[=lines]
# does it from the file alone, and perf 6.1 still reads that file; a rebuilt binary (same
# path, new build-id) is never used (one warning, no symbol of the new binary); --missing
# names a stripped binary, and preport's header says when a sampled DSO has no symbols.
. "$(dirname "$0")/lib.sh"
CC=${CC:-cc}
export PERF_BUILDID_DIR="$TMP/cache"
mkdir -p "$TMP/priv" "$TMP/src"
cat >"$TMP/src/trav.c" <<'EOF'
volatile unsigned long sink;
__attribute__((noinline)) void trav_leaf(int n) { for (int i = 0; i < n; i++) sink += (unsigned long)i * 7; }
__attribute__((noinline)) void trav_mid(int n) { trav_leaf(n); sink ^= 1; }
int main(void) { for (int k = 0; k < 2500; k++) trav_mid(100000); return 0; }
EOF
sed 's/trav_leaf/rebuilt_leaf/g; s/\* 7/* 9/' "$TMP/src/trav.c" >"$TMP/src/other.c"
build() { $CC -O1 -g -fno-omit-frame-pointer -o "$1" "$TMP/src/${2:-trav}.c"; }

# the four readers' outputs of FILE into PREFIX.{report,script,fold,annotate} (stderr: PREFIX.err)
readers() {
	f=$1; p=$2; shift 2
	"$BIN/preport" -i "$f" --stdio "$@" >"$p.report" 2>"$p.err"
	"$BIN/pscript" -i "$f" "$@" >"$p.script" 2>>"$p.err"
	"$BIN/pfold" -i "$f" "$@" >"$p.fold" 2>>"$p.err"
	"$BIN/pannotate" -i "$f" --stdio "$@" trav_leaf >"$p.annotate" 2>>"$p.err"
}
same4() {	# same4 HOSTPREFIX PREFIX DESCRIPTION
	bad=""
	for k in report script fold annotate; do cmp -s "$1.$k" "$2.$k" || bad="$bad $k"; done
	is "$bad" "" "$3: byte-identical output of preport, pscript, pfold, pannotate"
	[ -n "$bad" ] && diff "$1.report" "$2.report" | head -5 | sed 's/^/# /'
	return 0
}

# --- deleted after the recording: the build-id cache precord filled -----------------------
build "$TMP/priv/trav"
"$BIN/precord" -q -g -o "$TMP/host.data" "$TMP/priv/trav" 2>/dev/null
readers "$TMP/host.data" "$TMP/host"
grep -q 'trav_leaf' "$TMP/host.report" && grep -q 'trav_leaf' "$TMP/host.annotate"
ok $? "the recording resolves trav_leaf on the recording host"
! grep -q 'Missing' "$TMP/host.report"
ok $? "no 'Missing' header line when every sampled DSO has symbols"
id=$(file -L "$TMP/priv/trav" | sed -n 's/.*BuildID\[sha1\]=\([0-9a-f]*\).*/\1/p')
[ -e "$TMP/cache/.build-id/$(echo "$id" | cut -c1-2)/$(echo "$id" | cut -c3-)" ]
ok $? "precord put the sampled program into the build-id cache (perf's layout)"
cp "$TMP/priv/trav" "$TMP/trav.saved"
rm -f "$TMP/priv/trav"
readers "$TMP/host.data" "$TMP/del"
same4 "$TMP/host" "$TMP/del" "binary deleted, found by build-id in the cache"
is "$(grep -c 'trav_' "$TMP/del.script")" "$(grep -c 'trav_' "$TMP/host.script")" \
	"pscript: every sampled trav_ frame still named"

# DWARF unwinding of a deleted binary: its CFI comes from the cached copy too
$CC -O1 -g -fomit-frame-pointer -o "$TMP/priv/dw" "$TMP/src/trav.c"
"$BIN/precord" -q --call-graph dwarf -o "$TMP/dw.data" "$TMP/priv/dw" 2>/dev/null
"$BIN/pfold" -i "$TMP/dw.data" >"$TMP/dw.host" 2>/dev/null
rm -f "$TMP/priv/dw"
"$BIN/pfold" -i "$TMP/dw.data" >"$TMP/dw.del" 2>/dev/null
grep -q 'main;trav_mid;trav_leaf' "$TMP/dw.host" && cmp -s "$TMP/dw.host" "$TMP/dw.del"
ok $? "--call-graph dwarf: the deleted binary's stacks unwind as before (main;trav_mid;trav_leaf)"

# --- parchive, then the originals removed --------------------------------------------------
"$BIN/parchive" "$TMP/host.data" >"$TMP/par.out" 2>"$TMP/par.err"; rc=$?
is "$rc:$(test -s "$TMP/host.data.tar.zst" && echo yes)" "0:yes" "parchive writes FILE.tar.zst"
zstd -dc "$TMP/host.data.tar.zst" 2>/dev/null | tar -tf - >"$TMP/list" 2>/dev/null
grep -q "^\.build-id/$(echo "$id" | cut -c1-2)/$(echo "$id" | cut -c3-)\$" "$TMP/list" &&
	grep -q "priv/trav/$id/elf\$" "$TMP/list" && grep -q '^\[kernel.kallsyms\]/.*/kallsyms$' "$TMP/list"
ok $? "the archive holds perf's .build-id/xx/rest link, PATH/BUILDID/elf and the kernel's kallsyms"
"$BIN/parchive" --format tar.bz2 -q "$TMP/host.data"; rc=$?
is "$rc:$(bzip2 -t "$TMP/host.data.tar.bz2" 2>/dev/null && echo bz2)" "0:bz2" "--format tar.bz2 writes perf archive's format"
rm -rf "$TMP/cache"
readers "$TMP/host.data" "$TMP/gone"
grep -q 'trav_leaf' "$TMP/gone.report"
is "$?:$(grep -c '^# Missing symbols: .*priv/trav' "$TMP/gone.report")" "1:1" \
	"originals removed: no trav_leaf, and one header line names the DSO without symbols"
readers "$TMP/host.data" "$TMP/arch" --archive "$TMP/host.data.tar.zst"
same4 "$TMP/host" "$TMP/arch" "--archive FILE.tar.zst"
mkdir "$TMP/sfs" && zstd -dc "$TMP/host.data.tar.zst" | tar -xf - -C "$TMP/sfs"
readers "$TMP/host.data" "$TMP/sfs" --symfs "$TMP/sfs"
same4 "$TMP/host" "$TMP/sfs" "--symfs DIR (the archive unpacked)"
mkdir "$TMP/perfcache" && tar -xjf "$TMP/host.data.tar.bz2" -C "$TMP/perfcache"
perf --buildid-dir "$TMP/perfcache" report -i "$TMP/host.data" --stdio --sort sym 2>/dev/null | grep -q trav_leaf
ok $? "perf report resolves trav_leaf from the tar.bz2 unpacked as its build-id cache"
perf report -i "$TMP/host.data" --stdio >/dev/null 2>"$TMP/perf1.err"; rc=$?
is "$rc:$(grep -ci 'error\|incompatible\|invalid' "$TMP/perf1.err")" "0:0" "perf report -i reads the archived recording"
ls -d /tmp/psymfs.* 2>/dev/null | while read -r d; do [ "$d" -nt "$TMP/host.data.tar.zst" ] && echo "$d"; done >"$TMP/left"
is "$(wc -l <"$TMP/left" | tr -d ' ')" 0 "--archive leaves no unpacked directory behind"

# --- --embed-symbols=lines: the file alone ------------------------------------------------
cp "$TMP/trav.saved" "$TMP/priv/emb"
"$BIN/precord" -q -g -N --embed-symbols=lines -o "$TMP/emb.data" "$TMP/priv/emb" 2>/dev/null
readers "$TMP/emb.data" "$TMP/ehost"
"$BIN/preport" -i "$TMP/emb.data" --stdio --sort srcline >"$TMP/ehost.src" 2>/dev/null
rm -f "$TMP/priv/emb"
mv "$TMP/src/trav.c" "$TMP/src/trav.c.away"	# no source either: lines come from the file
readers "$TMP/emb.data" "$TMP/emb"
"$BIN/preport" -i "$TMP/emb.data" --stdio --sort srcline >"$TMP/emb.src" 2>/dev/null
mv "$TMP/src/trav.c.away" "$TMP/src/trav.c"
for k in report script fold; do cmp -s "$TMP/ehost.$k" "$TMP/emb.$k" || echo "$k"; done >"$TMP/ediff"
is "$(cat "$TMP/ediff")" "" "--embed-symbols: preport, pscript, pfold byte-identical from the file alone"
grep -q 'trav\.c:' "$TMP/emb.src" && cmp -s "$TMP/ehost.src" "$TMP/emb.src"
ok $? "--embed-symbols=lines: preport --sort srcline the same from the file alone (trav.c lines)"
cp "$TMP/trav.saved" "$TMP/priv/nob"	# no build-id section: the embedded symbols still found
"$BIN/precord" -q -g -N --no-buildid --embed-symbols -o "$TMP/nob.data" "$TMP/priv/nob" 2>/dev/null
rm -f "$TMP/priv/nob"
"$BIN/pfold" -i "$TMP/nob.data" 2>/dev/null | grep -q '^nob;.*main;.*trav_leaf '
ok $? "--no-buildid --embed-symbols: the file alone names main and trav_leaf"
perf report -i "$TMP/emb.data" --stdio >/dev/null 2>"$TMP/perf2.err"; r1=$?
perf script -i "$TMP/emb.data" >/dev/null 2>>"$TMP/perf2.err"; r2=$?
is "$r1:$r2:$(grep -ci 'error\|incompatible\|invalid\|unknown feature' "$TMP/perf2.err")" "0:0:0" \
	"perf report -i and perf script -i read the --embed-symbols file without errors"

# --- rebuilt: same path, another build-id -------------------------------------------------
build "$TMP/priv/reb"
"$BIN/precord" -q -g -N -o "$TMP/reb.data" "$TMP/priv/reb" 2>/dev/null
build "$TMP/priv/reb" other
"$BIN/preport" -i "$TMP/reb.data" --stdio >"$TMP/reb.report" 2>"$TMP/reb.err"
"$BIN/pscript" -i "$TMP/reb.data" >"$TMP/reb.script" 2>/dev/null
is "$(grep -c 'not the recorded file' "$TMP/reb.err"):$(wc -l <"$TMP/reb.err" | tr -d ' ')" "1:1" \
	"a rebuilt binary: one warning line on stderr"
grep -q 'rebuilt_leaf\|trav_leaf' "$TMP/reb.report" "$TMP/reb.script"
is "$?:$(grep -c '\[unknown\]' "$TMP/reb.script" | awk '{ print ($1 > 0) }')" "1:1" \
	"the new binary's symbols are never used: [unknown] frames instead"

# --- --missing ----------------------------------------------------------------------------
build "$TMP/priv/strp" && strip "$TMP/priv/strp"
"$BIN/precord" -q -g -N -o "$TMP/strp.data" "$TMP/priv/strp" 2>/dev/null
"$BIN/preport" -i "$TMP/strp.data" --missing >"$TMP/miss" 2>&1; rc=$?
grep -A1 "priv/strp (build-id" "$TMP/miss" | grep -q 'missing: symbols'
is "$rc:$?" "0:0" "--missing lists the stripped binary with what it lacks"
grep -q 'fix: build with -g' "$TMP/miss"
ok $? "--missing says what would fix it"
"$BIN/preport" -i "$TMP/host.data" --missing >"$TMP/miss2" 2>&1
grep -q "priv/trav (build-id $id)" "$TMP/miss2" && grep -q "parchive" "$TMP/miss2"
ok $? "--missing: a deleted binary with no cached copy, fixed by parchive on the recording host"
# libarchive is loaded when an archive is packed or read (symbols/archive_lib.c), not linked:
# it pulls libxml2, ICU and libstdc++ into every start (about 6 ms each here)
for c in preport pscript pfold parchive; do
	! readelf -d "$BIN/$c" | grep -q 'NEEDED.*libarchive'
	ok $? "$c does not link libarchive (the archives above were packed and read all the same)"
done
done_testing
