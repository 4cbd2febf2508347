#!/bin/sh
# DWARF unwinding of sampled user stacks against perf on the same files: a 6-deep chain
# through a shared library built -O2 -fomit-frame-pointer (frame-pointer chains break,
# DWARF chains must be complete), pscript/pfold/preport equal to perf script/perf report, compact
# and -z recordings that perf reads, stacks cut by a small copy, the hybrid over code
# without CFI, and the unwind-quality table of preport --unwind-stats.
. "$(dirname "$0")/lib.sh"

SRC=$(cd "$(dirname "$0")/../progs" && pwd)/unw_chain.c
build() {	# build DIR LIBFLAGS: libunw.so with LIBFLAGS, unw_chain -O2 -fomit-frame-pointer
	mkdir -p "$1"
	cc $2 -shared -fPIC -DUNW_LIB -o "$1/libunw.so" "$SRC" &&
	cc -O2 -fomit-frame-pointer -g -DUNW_MAIN -o "$1/unw_chain" "$SRC" -L"$1" -lunw -Wl,-rpath,"$1"
}
if ! build "$TMP/o2" "-O2 -fomit-frame-pointer -g"; then
	plan 1; skip "no C compiler"; exit 0
fi
X=$TMP/o2/unw_chain

# chains SCRIPT-OUTPUT: "total full" for samples whose leaf is lib_leaf: full = the whole
# chain lib_leaf..main down to _start
chains() {
	awk '/cpu-clock/ { inb = 1; n = 0; next }
	     inb && NF == 0 { if (n) { t++; if (seq == "lib_leaf lib_mid lib_enter stage run main" && last == "_start") f++ } inb = 0; next }
	     inb { sym = $2; sub(/\+0x.*/, "", sym); if (n == 0 && sym != "lib_leaf") { inb = 0; next }
	           if (n == 0) seq = sym; else if (n < 6) seq = seq " " sym; last = sym; n++ }
	     END { print t + 0, f + 0 }' "$1"
}
pct_ok() { awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN { exit !(b > 0 && a * 100 >= b * p) }'; }
clean_read() {	# clean_read FILE DESC: perf report and perf script without a word on stderr
	perf report -i "$1" --stdio > /dev/null 2> "$TMP/r.err"; r=$?
	perf script -i "$1" > /dev/null 2> "$TMP/s.err"; s=$?
	grep -v 'lost .* chunks\|Check IO/CPU overload\|^Warning:$\|^$' "$TMP/r.err" "$TMP/s.err" > "$TMP/rs.err"
	[ $r -eq 0 ] && [ $s -eq 0 ] && [ ! -s "$TMP/rs.err" ]; ok $? "perf reads $2 cleanly"
	head -3 "$TMP/rs.err" | sed 's/^/# /'
}
# The checks against perf's inlined levels (perf 6.1's default on dwarf files; its inline chains
# come from addr2line) run once more when they fail (retry_nondeterministic, lib.sh); the
# --no-inline ones do not.
# on_inline INL CHECK ARGS...: CHECK INL ARGS..., retried for perf's addr2line where INL is ""
on_inline() {
	oi_inl=$1 oi_check=$2; shift 2
	if [ -z "$oi_inl" ]; then retry_nondeterministic perf-addr2line "$oi_check" "" "$@"
	else "$oi_check" "$oi_inl" "$@"; fi
}
script_check() {	# script_check INL FILE DESC: pscript INL == perf script INL
	perf script $1 -i "$2" > "$TMP/perf.scr" 2>/dev/null
	"$BIN/pscript" $1 -i "$2" > "$TMP/ours.scr" 2>"$TMP/ours.err"
	plt_names "$TMP/perf.scr" "$TMP/ours.scr"
	if [ -z "$1" ]; then
		is "$(ndiff "$TMP/ours.scr" "$TMP/perf.scr")" 0 "pscript prints perf script's unwound chains, inline chains included, on $3"
	else
		is "$(ndiff "$TMP/ours.scr" "$TMP/perf.scr")" 0 "pscript --no-inline prints perf script --no-inline's on $3"
	fi
}
same_script() {	# same_script FILE DESC: pscript == perf script (unwound frames show their
	# inline chains), pscript --no-inline == perf script --no-inline
	for inl in "" --no-inline; do on_inline "$inl" script_check "$1" "$2"; done
}
fold_check() {	# fold_check INL FILE DESC: pfold INL == perf report INL's folded chains
	perf report -i "$2" --stdio --no-children $1 --sort comm -g folded,0,caller,count \
		-t '|' > "$TMP/perf.fold" 2>/dev/null
	"$BIN/pfold" -i "$2" $1 > "$TMP/ours.fold" 2>/dev/null
	python3 "$FOLDED" cmp "$TMP/perf.fold" "$TMP/ours.fold" --strip-inlined --plt --show 5 > "$TMP/fold.out"; rc=$?
	cat "$TMP/fold.out"
	ok $rc "pfold${1:+ $1}'s stacks equal perf report${1:+ $1}'s on $3"
}
same_fold() {	# same_fold FILE DESC: pfold == perf report's folded chains, inlined levels
	# (perf 6.1's default on dwarf files, named without perf's " (inlined)" as
	# stackcollapse-perf.pl names them) and --no-inline
	if [ ! -x "$BIN/pfold" ]; then skip "no pfold"; skip "no pfold"; return; fi
	for inl in "" --no-inline; do on_inline "$inl" fold_check "$1" "$2"; done
}
report_check() {	# report_check INL FILE DESC: preport INL's entries and folded chains
	# == perf report INL's (as sets of lines)
	perf report -i "$2" --stdio --no-children $1 --sort comm,dso,sym -g folded,0,caller,count \
		2>/dev/null | no_comments > "$TMP/perf.rep"
	"$BIN/preport" -i "$2" --stdio --no-children $1 --sort comm,dso,sym -g folded,0,caller,count \
		2>/dev/null | no_comments > "$TMP/ours.rep"
	# sorted after the PLT names are made one: perf's "@plt" and our "__tunable_get_val@plt"
	# sort to different places among other lines
	plt_names "$TMP/perf.rep" "$TMP/ours.rep"
	sort -o "$TMP/perf.rep" "$TMP/perf.rep"
	sort -o "$TMP/ours.rep" "$TMP/ours.rep"
	n=$(ndiff "$TMP/ours.rep" "$TMP/perf.rep")
	[ "$n" -eq 0 ] || diff_diag 10 "$TMP/perf.rep" "$TMP/ours.rep"
	[ -s "$TMP/perf.rep" ] && [ "$n" -eq 0 ]; ok $? "preport${1:+ $1}'s entries and folded chains equal perf report${1:+ $1}'s on $3 ($n lines differ)"
}
same_report() {	# same_report FILE DESC: preport's folded call graph == perf report's (as sets of
	# lines), with inlined levels (perf 6.1's default on dwarf files) and --no-inline
	if ! "$BIN/preport" -h > /dev/null 2>&1; then skip "no preport"; skip "no preport"; return; fi
	for inl in "" --no-inline; do on_inline "$inl" report_check "$1" "$2"; done
}

# 1. precord's dwarf recording of the -O2 -fomit-frame-pointer chain
"$BIN/precord" -q -F 2000 --call-graph dwarf -o "$TMP/d.data" "$X" 0.6 > /dev/null 2>&1
ok $? "precord --call-graph dwarf records the -O2 -fomit-frame-pointer program"
clean_read "$TMP/d.data" "precord's dwarf file"
"$BIN/pscript" -i "$TMP/d.data" > "$TMP/d.scr"
set -- $(chains "$TMP/d.scr")
diag "DWARF: $2 of $1 lib_leaf samples unwound lib_leaf..main.._start"
pct_ok "$2" "$1" 99; ok $? "DWARF chains complete in at least 99% of the samples ($2/$1)"
same_script "$TMP/d.data" "precord's dwarf file"
same_fold "$TMP/d.data" "precord's dwarf file"
same_report "$TMP/d.data" "precord's dwarf file"

# 2. frame pointers on the same binary are broken
"$BIN/precord" -q -F 2000 -g -o "$TMP/g.data" "$X" 0.3 > /dev/null 2>&1
"$BIN/pscript" -i "$TMP/g.data" > "$TMP/g.scr"
set -- $(chains "$TMP/g.scr")
diag "frame pointers: $2 of $1 lib_leaf samples reach main"
[ "$1" -gt 0 ] && ! pct_ok "$2" "$1" 50; ok $? "frame-pointer chains of the same program are broken ($2/$1 complete)"

# 3. perf's own dwarf recording of the same program
perf record -q -F 2000 --call-graph dwarf -o "$TMP/p.data" "$X" 0.6 > /dev/null 2>&1
same_script "$TMP/p.data" "perf's dwarf file"
same_fold "$TMP/p.data" "perf's dwarf file"
same_report "$TMP/p.data" "perf's dwarf file"

# 4. compact: bytes per sample against perf's for the same workload
bps() { awk -v s="$(stat -c %s "$1")" -v n="$(perf_nsamples "$1")" 'BEGIN { printf "%d", n ? s / n : 0 }'; }
ours_b=$(bps "$TMP/d.data"); perf_b=$(bps "$TMP/p.data")
diag "bytes per sample: precord $ours_b, perf $perf_b"
pct_ok "$perf_b" "$ours_b" 400; ok $? "precord's dwarf file takes at most 0.25x perf's bytes per sample"

# 5. -z: zstd-compressed records that perf reads; perf's -z files read by us
"$BIN/precord" -q -z -F 2000 --call-graph dwarf -o "$TMP/z.data" "$X" 0.3 > /dev/null 2>&1
ok $? "precord -z --call-graph dwarf exits 0"
clean_read "$TMP/z.data" "precord's -z file"
perf report --header-only -i "$TMP/z.data" 2>/dev/null | grep -q '^# compressed : Zstd'
ok $? "the COMPRESSED feature says zstd"
same_script "$TMP/z.data" "precord's -z file"
perf record -q -z -F 2000 --call-graph dwarf -o "$TMP/pz.data" "$X" 0.3 > /dev/null 2>&1
same_script "$TMP/pz.data" "perf's -z dwarf file"
same_fold "$TMP/pz.data" "perf's -z dwarf file"

# 5b. the walk gives back the file's pages it is done with: pfold's peak RSS on a dwarf file
# of 2.5 s grows over its peak on a small -z file by less than half the file's size
perf record -q -F 2000 --call-graph dwarf -o "$TMP/big.data" "$X" 2.5 > /dev/null 2>&1
if [ -x "$PROGS/runrss" ] && [ -x "$BIN/pfold" ] && [ -s "$TMP/big.data" ]; then
	"$PROGS/runrss" "$TMP/rss.small" "$BIN/pfold" -i "$TMP/pz.data" > /dev/null 2>&1
	"$PROGS/runrss" "$TMP/rss.big" "$BIN/pfold" -i "$TMP/big.data" > /dev/null 2>&1
	kb=$(( $(stat -c %s "$TMP/big.data") / 1024 )); small=$(cat "$TMP/rss.small"); big=$(cat "$TMP/rss.big")
	diag "pfold peak RSS: $small KB on the -z file, $big KB on a $kb KB dwarf file"
	# (a loaded machine gives the program less CPU, so fewer samples: 4 MB at the least)
	[ "$kb" -gt 4096 ] && [ $((big - small)) -lt $((kb / 2)) ]; ok $? "pfold's peak RSS grows by less than half the dwarf file's size ($((big - small)) KB of $kb KB)"
	rm -f "$TMP/big.data"
else
	skip "no runrss, pfold or perf dwarf file"
fi

# 6. stacks deeper than the copy are cut, and the fix says so
"$BIN/precord" -q -F 2000 --call-graph dwarf,1024 -o "$TMP/c.data" "$X" 0.3 deep 40 > /dev/null 2>&1
"$BIN/pscript" -i "$TMP/c.data" > "$TMP/c.scr"
# samples in lib_leaf (under 40 deep frames) whose chain still reaches main
set -- $(awk '/cpu-clock/ { l = 0; m = 0; next } / lib_leaf\+/ { l = 1 } / main\+/ { m = 1 }
	NF == 0 { if (l) { n++; if (m) k++ } l = 0 } END { print n + 0, k + 0 }' "$TMP/c.scr")
n=$1 m=$2
diag "1024-byte copy, 40 frames of 256 bytes: $n lib_leaf frames, $m reach main"
[ "$n" -gt 0 ] && [ "$m" -eq 0 ]; ok $? "a 1024-byte copy cannot reach main through 40 x 256 bytes"
if "$BIN/preport" -i "$TMP/c.data" --unwind-stats > "$TMP/c.st" 2>/dev/null; then
	sed 's/^/# /' "$TMP/c.st" | head -8
	grep -q 'raise --call-graph dwarf,2048' "$TMP/c.st"; ok $? "--unwind-stats: cut stacks with the fix 'raise --call-graph dwarf,2048'"
	"$BIN/preport" -i "$TMP/d.data" --unwind-stats > "$TMP/d.st" 2>/dev/null
	grep -q '^# complete 99\.\|^# complete 100\.' "$TMP/d.st"; ok $? "--unwind-stats: the -O2 program complete in 99% or more"
else
	skip "preport has no --unwind-stats yet"; skip "preport has no --unwind-stats yet"
fi

# 7. hybrid: a library without CFI but with frame pointers is bridged by them
build "$TMP/fp" "-O2 -fno-omit-frame-pointer -fno-asynchronous-unwind-tables -fno-unwind-tables"
if readelf -wf "$TMP/fp/libunw.so" 2>/dev/null | grep -q 'pc=.*lib_leaf'; then :; fi
"$BIN/precord" -q -F 2000 --call-graph dwarf -o "$TMP/h.data" "$TMP/fp/unw_chain" 0.3 > /dev/null 2>&1
"$BIN/pscript" -i "$TMP/h.data" > "$TMP/h.scr"
set -- $(chains "$TMP/h.scr")
diag "no CFI in libunw.so, frame pointers there: $2 of $1 complete"
pct_ok "$2" "$1" 95; ok $? "hybrid: frame pointers bridge code without CFI ($2/$1 complete)"

# 8. no CFI and no frame pointers: stopped, with the fix
build "$TMP/nf" "-O2 -fomit-frame-pointer -fno-asynchronous-unwind-tables -fno-unwind-tables"
"$BIN/precord" -q -F 2000 --call-graph dwarf -o "$TMP/n.data" "$TMP/nf/unw_chain" 0.3 > /dev/null 2>&1
"$BIN/pscript" -i "$TMP/n.data" > "$TMP/n.scr"
set -- $(chains "$TMP/n.scr")
[ "$1" -gt 0 ] && [ "$2" -eq 0 ]; ok $? "without CFI and frame pointers the chain stops in the library ($2/$1 complete)"
if "$BIN/preport" -i "$TMP/n.data" --unwind-stats > "$TMP/n.st" 2>/dev/null; then
	grep -q 'libunw.so.*build .*with unwind tables' "$TMP/n.st"; ok $? "--unwind-stats names the library without CFI and the fix"
else
	skip "preport has no --unwind-stats yet"
fi

done_testing
