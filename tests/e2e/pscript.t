#!/bin/sh
# pscript end to end, perf 6.1 as the oracle: files recorded by perf record -g of a PIE
# calling into its own shared library (PLT included), -a -g with busy programs, a C++
# program with templates and namespaces, a program that dlopen()s a library, a stripped
# binary whose debug info sits in /usr/lib/debug/.build-id, and a tracepoint recording.
# pscript's lines must equal perf script's, PLT slots spelled alike on both sides (plt_names,
# docs/compat.md plt-name): at least 99.9% of the frames, the others listed with their
# samples; sample headers must all match.
. "$(dirname "$0")/lib.sh"
PS=$BIN/pscript
CC=${CC:-cc}
DBGFILE=
trap 'rm -rf "$TMP"; [ -n "$DBGFILE" ] && rm -f "$DBGFILE"' EXIT

# rec FILE ARGS...: perf record quietly
rec() { f=$1; shift; perf record -q -o "$f" "$@" >/dev/null 2>"$f.rec.err"; }

# same_as_perf NAME FILE [pscript/perf options]: compare pscript with perf script line by line
same_as_perf() {
	name=$1; f=$2; shift 2
	"$PS" -i "$f" "$@" >"$f.ours" 2>"$f.ours.err"; rc=$?
	perf script -i "$f" "$@" >"$f.perf" 2>/dev/null
	# a PLT slot: perf 6.1 names a library's by relocation index, often wrongly or not at
	# all ("@plt"), and a program's _init+N; we after the slot's relocation (docs/compat.md,
	# plt-name). A system-wide file taken while other programs start has many of them.
	plt_names "$f.ours" "$f.perf"
	if [ $rc -ne 0 ]; then
		ok 1 "$name: pscript exits 0"; sed 's/^/# /' "$f.ours.err" | head -3; return
	fi
	if [ ! -s "$f.perf" ]; then skip "$name: perf script printed nothing"; return; fi
	lo=$(wc -l <"$f.ours"); lp=$(wc -l <"$f.perf")
	if [ "$lo" -ne "$lp" ]; then
		ok 1 "$name: same number of lines as perf script ($lo vs $lp)"
		diff_diag 6 "$f.ours" "$f.perf"; return
	fi
	# pair the lines: headers must match, frames (tab-led lines) may differ (listed)
	awk -v name="$name" 'NR == FNR { p[FNR] = $0; next }
	{
		frame = ($0 ~ /^\t/)
		if (frame) nf++
		else hdr = $0
		if ($0 != p[FNR]) {
			if (frame) { df++; print "D\t" $0 "\t" p[FNR] "\t| in: " hdr }
			else { dh++; print "H\t" $0 "\t" p[FNR] }
		}
	}
	END { printf "S\t%d\t%d\t%d\n", nf, df, dh }' "$f.perf" "$f.ours" >"$f.cmp"
	set -- $(awk -F'\t' '$1 == "S" { print $2, $3, $4 }' "$f.cmp")
	nf=$1; df=$2; dh=$3
	is "$dh" 0 "$name: every sample header equals perf script's"
	cmp_diag H
	if [ "$nf" -gt 0 ]; then
		awk -v n="$nf" -v d="$df" 'BEGIN { exit !((n - d) * 1000 >= n * 999) }'
		ok $? "$name: $((nf - df)) of $nf frames equal perf script's (>= 99.9%)"
		cmp_diag D
	fi
}

# cmp_diag H|D: the first differing header (H) or frame (D) lines of same_as_perf's last
# comparison, after its check (a failed check's log shows them), with the sample header
# before each frame
cmp_diag() {
	# (tabs are IFS white space: the frames' leading tabs go with the separators)
	awk -F'\t' -v k="$1" '$1 == k { print }' "$f.cmp" | head -12 | while IFS='	' read -r k ours perf in; do
		diag "  $k ours: $ours | perf: $perf ${in}"
	done
}

# --- programs, built here ----------------------------------------------------------------
cat >"$TMP/lib.c" <<'EOF'
volatile long lib_sink;
__attribute__((noinline)) int lib_tiny(int x) { return x + 1; }
__attribute__((noinline)) void lib_work(int n) { for (int i = 0; i < n; i++) lib_sink += i * 7; }
EOF
cat >"$TMP/main.c" <<'EOF'
#include <stdlib.h>
int lib_tiny(int); void lib_work(int);
__attribute__((noinline)) static long drive(long n) { long s = 0; for (long i = 0; i < n; i++) s += lib_tiny((int)i); return s; }
int main(int argc, char **argv) { long n = argc > 1 ? atol(argv[1]) : 30000000;
	for (int k = 0; k < 20; k++) { drive(n / 20); lib_work(1500000); } return 0; }
EOF
cat >"$TMP/busy.c" <<'EOF'
static volatile long x;
__attribute__((noinline)) void leaf(void) { for (long i = 0; i < 100000; i++) x += i; }
__attribute__((noinline)) void mid(void) { leaf(); }
int main(void) { for (int i = 0; i < 3000; i++) mid(); return 0; }
EOF
O="-O1 -g -fno-omit-frame-pointer"
$CC $O -fPIC -shared -o "$TMP/libsympie.so" "$TMP/lib.c" &&
$CC $O -fPIE -pie -o "$TMP/pie" "$TMP/main.c" -L"$TMP" -lsympie -Wl,-rpath,"$TMP"
check "a PIE and its shared library build" test -x "$TMP/pie"

# 1. PIE calling into its own shared library
rec "$TMP/pie.data" -g "$TMP/pie" 20000000
same_as_perf "PIE + shared library" "$TMP/pie.data"
grep -q 'lib_work+0x[0-9a-f]* (.*/libsympie.so)' "$TMP/pie.data.ours"; ok $? "library frames resolve to lib_work in libsympie.so"
grep -q 'drive+0x[0-9a-f]* (.*/pie)' "$TMP/pie.data.ours"; ok $? "PIE frames resolve to drive in the executable"

# 2. system wide with busy programs and a dlopen()ed library
rec "$TMP/all.data" -a -g -- sh -c "$PROGS/sym_spin 300 & $PROGS/sym_spin 300 &
	$PROGS/sym_dlopen $TMP/libsympie.so lib_work 150 & wait"
same_as_perf "-a -g with busy programs" "$TMP/all.data"
grep -q 'spin_leaf+0x[0-9a-f]* (.*/sym_spin)' "$TMP/all.data.ours"; ok $? "-a -g: spin_leaf frames found"
grep -q '\[[0-9][0-9][0-9]\]' "$TMP/all.data.ours"; ok $? "-a -g: the cpu column is printed"
# make bench's floor walks the same records (scripts/bench.d/big.sh)
rp=$("$PROGS/record_pass" "$TMP/all.data" | awk '{ print $4 }')
is "$rp" "$(perf script -i "$TMP/all.data" -F event 2>/dev/null | wc -l)" "record_pass (the bench floor) walks every sample of an -a -g file"

# 3. dlopen
rec "$TMP/dl.data" -g "$PROGS/sym_dlopen" "$TMP/libsympie.so" lib_work 300
same_as_perf "dlopen()ed library" "$TMP/dl.data"
grep -q 'lib_work+0x[0-9a-f]* (.*/libsympie.so)' "$TMP/dl.data.ours"; ok $? "dlopen: lib_work resolves in the dlopen()ed library"

# 4. C++ templates and namespaces, demangled and not
if command -v g++ >/dev/null 2>&1; then
	cat >"$TMP/cxx.cc" <<'EOF'
namespace ns { template<typename T> struct Acc { static volatile T v;
	__attribute__((noinline)) static void add(T x) { for (int i = 0; i < 100000; i++) v += x; } };
template<typename T> volatile T Acc<T>::v;
__attribute__((noinline)) void run(int n) { for (int i = 0; i < n; i++) { Acc<long>::add(i); Acc<double>::add(1.5); } } }
int main() { ns::run(500); return 0; }
EOF
	g++ $O -o "$TMP/cxx" "$TMP/cxx.cc"
	rec "$TMP/cxx.data" -g "$TMP/cxx"
	same_as_perf "C++ demangled" "$TMP/cxx.data"
	grep -q 'ns::Acc<double>::add+0x' "$TMP/cxx.data.ours"; ok $? "C++: ns::Acc<double>::add demangled as perf shows it"
	same_as_perf "C++ --no-demangle" "$TMP/cxx.data" --no-demangle
	grep -q '_ZN2ns3AccIdE3addEd+0x' "$TMP/cxx.data.ours"; ok $? "C++: --no-demangle keeps the mangled name"
else
	skip "C++: no g++"
fi

# 5. stripped binary, debug info in /usr/lib/debug/.build-id
$CC $O -Wl,--build-id -o "$TMP/stripped" "$TMP/busy.c"
bid=$(readelf -n "$TMP/stripped" 2>/dev/null | awk '/Build ID/ { print $3 }')
if [ -n "$bid" ] && [ -w /usr/lib/debug ] || mkdir -p /usr/lib/debug/.build-id 2>/dev/null; then
	DBGFILE=/usr/lib/debug/.build-id/$(echo "$bid" | cut -c1-2)/$(echo "$bid" | cut -c3-).debug
	mkdir -p "$(dirname "$DBGFILE")"
	objcopy --only-keep-debug "$TMP/stripped" "$DBGFILE" && strip -s "$TMP/stripped"
	readelf -S "$TMP/stripped" | grep -q '\.symtab'; ok $((! $?)) "the binary has no .symtab after strip"
	rec "$TMP/st.data" -g "$TMP/stripped"
	same_as_perf "stripped + /usr/lib/debug/.build-id" "$TMP/st.data"
	grep -q 'leaf+0x[0-9a-f]* (.*/stripped)' "$TMP/st.data.ours"; ok $? "stripped: leaf found through the build-id debug file"
else
	skip "stripped: cannot write /usr/lib/debug (not root)"
fi

# 6. no callchain, a field list, nanoseconds
rec "$TMP/flat.data" "$TMP/pie" 20000000
same_as_perf "no -g" "$TMP/flat.data"
same_as_perf "-F comm,pid,tid,time,event,ip,sym,dso" "$TMP/flat.data" -F comm,pid,tid,time,event,ip,sym,dso
same_as_perf "--ns and -F -period" "$TMP/all.data" --ns -F -period

# 6b. perf record -z: COMPRESSED (zstd) records
rec "$TMP/z.data" -z -g "$TMP/pie" 20000000
if [ -s "$TMP/z.data" ]; then
	same_as_perf "perf record -z (zstd records)" "$TMP/z.data"
else
	skip "perf record -z failed (perf built without zstd?)"
fi

# 7. tracepoints, fields decoded by libtraceevent
if tracefs_dir >/dev/null; then
	rec "$TMP/tp.data" -e sched:sched_switch -e sched:sched_process_exec -a -- sleep 0.2
	if [ -s "$TMP/tp.data" ] && perf script -i "$TMP/tp.data" >/dev/null 2>&1; then
		same_as_perf "tracepoints" "$TMP/tp.data"
		grep -q 'prev_comm=.*next_pid=' "$TMP/tp.data.ours"; ok $? "tracepoint fields decoded"
		rec "$TMP/tpg.data" -e sched:sched_switch -g -a -- sleep 0.2
		same_as_perf "tracepoints with callchains" "$TMP/tpg.data"
	else
		skip "tracepoints: perf record -e sched:sched_switch failed"
	fi
else
	skip "tracepoints: no tracefs"
fi

# 8. usage errors
"$PS" -i "$TMP/none.data" >/dev/null 2>"$TMP/err"; rc=$?
is "$rc" 1 "a missing file exits 1"
grep -q "none.data: No such file" "$TMP/err"; ok $? "and says which file"
"$PS" -i "$TMP/pie.data" -F bogus >/dev/null 2>"$TMP/err"; rc=$?
is "$rc" 129 "an unknown -F field is a usage error: exit 129, as perf script"
grep -q "unknown field 'bogus'" "$TMP/err"; ok $? "and names the field"
done_testing
