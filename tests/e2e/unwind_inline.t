#!/bin/sh
# Inlined frames in DWARF-unwound chains against perf script 6.1 on the same files: perf
# replaces each unwound user frame by its inline chain (innermost first, "name+off (inlined)"
# at the frame's ip, the function's own level last, named "(inlined)" too when DWARF's name is
# not the symbol's), leaves frame-pointer chains alone, and --no-inline turns it off. Checked
# on a C program with always_inline levels in the executable and in a shared library (-O2
# -fomit-frame-pointer), precord's and perf's dwarf recordings, per-level source lines, a
# C++ program (demangled and not), and a -g recording of the same program.
. "$(dirname "$0")/lib.sh"
PS=$BIN/pscript

if ! build_inl 8000000; then
	plan 1; skip "no C compiler"; exit 0
fi

same() {	# same DESC PERF-ARGS -- PSCRIPT-ARGS: outputs equal, line for line
	desc=$1; shift
	pa=; while [ "$1" != -- ]; do pa="$pa $1"; shift; done; shift
	perf script $pa > "$TMP/perf.out" 2>/dev/null
	"$PS" "$@" > "$TMP/ours.out" 2>"$TMP/ours.err"
	plt_names "$TMP/perf.out" "$TMP/ours.out"
	is "$(ndiff "$TMP/ours.out" "$TMP/perf.out")" 0 "$desc ($(wc -l < "$TMP/perf.out") lines)"
	diff_diag 6 "$TMP/ours.out" "$TMP/perf.out"
}
# where perf shows inlined levels or source lines it took them from addr2line: such a check
# runs once more when it fails (retry_nondeterministic, lib.sh); the others do not
same_inl() { retry_nondeterministic perf-addr2line same "$@"; }
# chain IP-SYMS FILE: samples with the levels "deep mid work" (or the library's) at one ip
chain() {
	awk -v want="$1" '
	/^\t/ { s = $2; sub(/\+0x.*/, "", s); if ($1 == ip) seq = seq " " s; else { ip = $1; seq = s }
		if (seq == want) n++; next }
	{ ip = ""; seq = "" }
	END { print n + 0 }' "$2"
}

srclines() {	# srclines FILE: pscript's source line of each level == perf script's
	perf script -F ip,sym,symoff,dso,srcline -i "$1" 2>/dev/null | grep 'inl\.c:' > "$TMP/perf.sl"
	"$PS" -F ip,sym,symoff,dso,srcline -i "$1" 2>/dev/null | grep 'inl\.c:' > "$TMP/ours.sl"
	n=$(ndiff "$TMP/ours.sl" "$TMP/perf.sl")
	[ -s "$TMP/perf.sl" ] && [ "$n" -eq 0 ]; ok $? "each level's source line (and its '(inlined)' mark) as perf's: $(wc -l < "$TMP/perf.sl") lines, $n differ"
}

for who in precord perf; do
	if [ $who = precord ]; then
		"$BIN/precord" -q -F 2000 --call-graph dwarf -o "$TMP/d.data" "$TMP/inl" > /dev/null 2>&1
	else
		perf record -q -F 2000 --call-graph dwarf -o "$TMP/d.data" "$TMP/inl" > /dev/null 2>&1
	fi
	check "$who --call-graph dwarf of the -O2 program with inlines" test -s "$TMP/d.data"
	same_inl "pscript == perf script on $who's dwarf file" -i "$TMP/d.data" -- -i "$TMP/d.data"
	cp "$TMP/ours.out" "$TMP/$who.scr"
	n=$(chain "deep mid work" "$TMP/ours.out"); m=$(chain "lib_deep lib_mid lib_work" "$TMP/ours.out")
	diag "$who: $n samples with deep/mid inlined in work, $m with lib_deep/lib_mid in lib_work"
	[ "$n" -gt 0 ] && [ "$m" -gt 0 ]; ok $? "inline chains in the executable and the library were sampled ($n, $m)"
	grep -q 'deep+0x[0-9a-f]* (inlined)$' "$TMP/ours.out"; ok $? "inlined levels read 'name+off (inlined)'"
	same "pscript --no-inline == perf script --no-inline on $who's file" \
		--no-inline -i "$TMP/d.data" -- --no-inline -i "$TMP/d.data"
	! grep -q '(inlined)' "$TMP/ours.out"; ok $? "--no-inline: no inlined level"
	# per-level source lines: binutils (perf) and libdw name some glibc files differently,
	# so the program's own lines are compared
	retry_nondeterministic perf-addr2line srclines "$TMP/d.data"
done

# frame pointers: perf 6.1 expands nothing there; pscript neither, unless --inline
cc -O2 -g -fno-omit-frame-pointer -DINL_N=8000000 -o "$TMP/fp" "$(dirname "$0")/inl.c" -L"$TMP" -linl -Wl,-rpath,"$TMP"
perf record -q -F 2000 -g -o "$TMP/g.data" "$TMP/fp" > /dev/null 2>&1
same "pscript == perf script on a -g file of the same program" -i "$TMP/g.data" -- -i "$TMP/g.data"
! grep -q '(inlined)' "$TMP/perf.out"; ok $? "perf script shows no inlined level on frame-pointer chains"
"$PS" --inline -i "$TMP/g.data" > "$TMP/g.inl" 2>/dev/null
n=$(chain "deep mid work" "$TMP/g.inl")
[ "$n" -gt 0 ]; ok $? "pscript --inline expands frame-pointer chains too ($n samples with deep/mid in work)"

# C++: levels named by their linkage names, demangled as perf demangles them (and not).
# The time must be spent in step()'s own instructions: with one add there, cpu-clock's
# samples landed on mid()'s load of x right after step()'s store (0 to 2 of ~400 samples
# in step); a loop of 8 dependent adds in step() gets it ~190.
cat > "$TMP/cx.cc" <<'EOF'
namespace app {
static volatile long x;
template <typename T> struct Acc {
	static inline __attribute__((always_inline)) void step(T i) { for (int k = 0; k < 8; k++) x += (long)(i * 3) ^ k; }
};
inline __attribute__((always_inline)) void mid(long i) { Acc<long>::step(i); x ^= i; }
__attribute__((noinline)) void work(long n) { for (long i = 0; i < n; i++) mid(i); }
}
int main() { app::work(30000000); return 0; }
EOF
if c++ -O2 -g -fomit-frame-pointer -o "$TMP/cx" "$TMP/cx.cc" 2>/dev/null; then
	perf record -q -F 2000 --call-graph dwarf -o "$TMP/cx.data" "$TMP/cx" > /dev/null 2>&1
	same_inl "C++: pscript == perf script" -i "$TMP/cx.data" -- -i "$TMP/cx.data"
	n=$(grep -c 'app::Acc<long>::step+0x[0-9a-f]* (inlined)' "$TMP/ours.out")
	[ "$n" -gt 0 ]; ok $? "C++: a template's inlined method by its demangled name ($n frames)"
	same_inl "C++: pscript --no-demangle == perf script --no-demangle" \
		--no-demangle -i "$TMP/cx.data" -- --no-demangle -i "$TMP/cx.data"
else
	skip "no C++ compiler"; skip "no C++ compiler"; skip "no C++ compiler"
fi
done_testing
