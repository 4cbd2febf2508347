#!/bin/sh
# Same file, same answer: a C++ program with aliased allocation functions (operator new and
# new[] and xalloc at one address; operator delete and delete[], xfree and cfree_ at another)
# and hot calls through its PLT, linked by ld.bfd (g++) and by lld (clang++ -fuse-ld=lld),
# recorded by perf with -g and with --call-graph dwarf. pscript, preport (default and flat),
# pfold and pannotate must print what perf script, perf report, perf report -g folded and perf
# annotate print on the same file, except for the differences docs/compat.md keeps, which
# tests/e2e/compat_cmp.py counts by class and lists. Then every name@plt we synthesize, in
# these binaries, -z now and IBT (.plt.sec, .plt.got) variants and the system's libraries,
# equals objdump's label for the slot (objdump names a slot after the relocation it uses).
# Last, an assembly leaf with line info but no DWARF function keeps its own name in a DWARF
# chain (no "??+0x0 (inlined)" frame).
. "$(dirname "$0")/lib.sh"
SRC=$E2E_DIR/compat_cxx.cc
CMP=$E2E_DIR/compat_cmp.py

for t in perf g++ objdump python3; do
	command -v $t >/dev/null 2>&1 || { skip "no $t"; done_testing; }
done
CXXF="-O2 -g -fno-omit-frame-pointer"
g++ $CXXF -shared -fPIC -DLIB -o "$TMP/libcxplt.so" "$SRC" &&
	g++ $CXXF -o "$TMP/cx_bfd" "$SRC" -L"$TMP" -lcxplt -Wl,-rpath,"$TMP"
is "$?" 0 "g++/ld.bfd build the library and the program"
progs=cx_bfd
if command -v clang++ >/dev/null 2>&1 && command -v ld.lld >/dev/null 2>&1 &&
   clang++ $CXXF -fuse-ld=lld -o "$TMP/cx_lld" "$SRC" -L"$TMP" -lcxplt -Wl,-rpath,"$TMP" 2>"$TMP/lld.err"; then
	progs="cx_bfd cx_lld"
	ok 0 "clang++ -fuse-ld=lld builds the program"
else
	skip "no clang++/ld.lld to link with lld: $(head -1 "$TMP/lld.err" 2>/dev/null)"
fi

# compare TOOL NAME PERF OURS DSO: compat_cmp.py's verdict as one test, its classes as comments
# (script counts the samples whose chains end differently into $TMP/unwind; the others read it)
compare() {
	python3 "$CMP" "$1" "$3" "$4" "$5" "$TMP/unwind" >"$TMP/cmp.out" 2>&1
	rc=$?
	grep '^#' "$TMP/cmp.out" | head -20
	ok $rc "$2" || grep "^#" "$TMP/cmp.out" | head -40 >&2
}

# report_check FILE PROG CG: preport against perf report on FILE, children and flat
report_check() {
	perf report -i "$1" --stdio >"$TMP/p.rep" 2>/dev/null
	$BIN/preport -i "$1" --stdio >"$TMP/o.rep" 2>/dev/null
	compare report "$2 $3: preport (children, call graphs) equals perf report but for the kept differences" \
		"$TMP/p.rep" "$TMP/o.rep" "$2"
	perf report -i "$1" --stdio --no-children -g none >"$TMP/p.rep" 2>/dev/null
	$BIN/preport -i "$1" --stdio --no-children -g none >"$TMP/o.rep" 2>/dev/null
	compare report "$2 $3: flat preport equals flat perf report but for the kept differences" \
		"$TMP/p.rep" "$TMP/o.rep" "$2"
}

for p in $progs; do
	for cg in fp dwarf; do
		f=$TMP/$p.$cg.data
		opt=-g
		[ $cg = dwarf ] && opt="--call-graph dwarf"
		# shellcheck disable=SC2086
		perf record -q $opt -o "$f" "$TMP/$p" 120 >/dev/null 2>&1
		if [ ! -s "$f" ]; then ok 1 "perf record $opt $p"; continue; fi
		rm -f "$TMP/unwind"
		perf script -i "$f" >"$TMP/p.script" 2>/dev/null
		$BIN/pscript -i "$f" >"$TMP/o.script" 2>/dev/null
		cp "$TMP/o.script" "$TMP/$p.$cg.script"
		compare script "$p $cg: pscript equals perf script but for the kept differences" \
			"$TMP/p.script" "$TMP/o.script" $p
		# (a DWARF file's inlined levels in perf's reports come from its addr2line pipe)
		if [ $cg = dwarf ]; then
			retry_nondeterministic perf-addr2line report_check "$f" "$p" "$cg"
		else
			report_check "$f" "$p" "$cg"
		fi
		perf report -i "$f" --stdio --no-children --no-inline --sort comm -g folded,0,caller,count \
			-t '|' >"$TMP/p.fold" 2>/dev/null
		$BIN/pfold -i "$f" --no-inline >"$TMP/o.fold" 2>/dev/null
		compare fold "$p $cg: pfold equals perf's folded chains but for the kept differences" \
			"$TMP/p.fold" "$TMP/o.fold" $p
		if [ $cg = fp ]; then
			perf annotate -i "$f" --stdio >"$TMP/p.ann" 2>/dev/null
			$BIN/pannotate -i "$f" --stdio >"$TMP/o.ann" 2>/dev/null
			compare annotate "$p: pannotate equals perf annotate --stdio but for the kept differences" \
				"$TMP/p.ann" "$TMP/o.ann" $p
		fi
	done
	# the aliases, chosen after demangling as perf chooses them
	grep -q ' operator new\[\]+0x[0-9a-f]* ' "$TMP/$p.fp.script" &&
		grep -q ' operator delete\[\]+0x' "$TMP/$p.fp.script" &&
		! grep -Eq ' (xalloc|xfree|cfree_|operator new|operator delete)\+0x[0-9a-f]+ \(/' "$TMP/$p.fp.script"
	ok $? "$p: the aliased allocator's samples are in operator new[] and operator delete[], as perf names them"
	# --no-demangle: perf never demangles then, and chooses among the aliases by raw names
	if [ -s "$TMP/$p.fp.data" ]; then
		rm -f "$TMP/unwind"
		perf script -i "$TMP/$p.fp.data" --no-demangle >"$TMP/p.script" 2>/dev/null
		$BIN/pscript -i "$TMP/$p.fp.data" --no-demangle >"$TMP/o.script" 2>/dev/null
		compare script "$p fp --no-demangle: pscript equals perf script (raw names, aliases chosen by them) but for the kept differences" \
			"$TMP/p.script" "$TMP/o.script" $p
		# raw names: xalloc (no leading underscore) over _Znwm/_Znam, cfree_ (longer) over xfree
		! grep -q ' operator ' "$TMP/o.script" && grep -q ' _Z[^ ]*+0x' "$TMP/o.script" &&
			grep -q ' xalloc+0x' "$TMP/o.script" && grep -q ' cfree_+0x' "$TMP/o.script" &&
			! grep -Eq ' (_Zn[wa]m|_Zd[la]Pv|xfree)\+0x' "$TMP/o.script"
		ok $? "$p fp --no-demangle: names stay mangled, the allocator's are xalloc and cfree_"
	fi
done
# --- every synthesized PLT name against objdump's ------------------------------------------
ROOT=$(cd "$E2E_DIR/../.." && pwd)
cat >"$TMP/pltdump.c" <<'CEOF'
/* name@plt symbols of each DSO given, as "ADDR NAME" (symbols/ through libprof.a) */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "symbols/dso.h"
int main(int argc, char **argv)
{
	struct dsos *d = dsos__new();

	for (int i = 1; d && i < argc; i++) {
		struct dso *dso = dsos__findnew(d, argv[i], DSO_USER);

		if (!dso || dso__load(dso))
			return 1;
		dso__syms_all(dso);	/* a table from the symbol cache is built on use */
		for (size_t k = 0; k < dso->nr_syms; k++)
			if (strstr(dso->syms[k].name, "@plt"))
				printf("%s %" PRIx64 " %s\n", argv[i], dso->syms[k].start, dso->syms[k].name);
	}
	dsos__free(d);
	return 0;
}
CEOF
LIBS="$(pkg-config --libs libelf libdw libunwind capstone libtraceevent libzstd zlib libprotobuf-c 2>/dev/null) -liberty -lpthread -lm"
# shellcheck disable=SC2086
if ! cc -I"$ROOT" -o "$TMP/pltdump" "$TMP/pltdump.c" "$BIN/libprof.a" $LIBS 2>"$TMP/pd.err" &&
   ! cc -fsanitize=address,undefined -I"$ROOT" -o "$TMP/pltdump" "$TMP/pltdump.c" "$BIN/libprof.a" $LIBS 2>>"$TMP/pd.err"; then
	skip "cannot build the PLT dumper against $BIN/libprof.a: $(head -1 "$TMP/pd.err")"
else
	set --
	for p in $progs; do set -- "$@" "$TMP/$p"; done
	# shellcheck disable=SC2086
	g++ $CXXF -Wl,-z,now -o "$TMP/cx_now" "$SRC" -L"$TMP" -lcxplt -Wl,-rpath,"$TMP" 2>/dev/null && set -- "$@" "$TMP/cx_now"
	# shellcheck disable=SC2086
	g++ $CXXF -fcf-protection -Wl,-z,ibtplt -o "$TMP/cx_ibt" "$SRC" -L"$TMP" -lcxplt -Wl,-rpath,"$TMP" 2>/dev/null &&
		set -- "$@" "$TMP/cx_ibt"
	case $progs in *cx_lld*)
		# shellcheck disable=SC2086
		clang++ $CXXF -fuse-ld=lld -Wl,-z,now -o "$TMP/cx_lldnow" "$SRC" -L"$TMP" -lcxplt \
			-Wl,-rpath,"$TMP" 2>/dev/null && set -- "$@" "$TMP/cx_lldnow";;
	esac
	for l in libc.so.6 libm.so.6 libstdc++.so.6; do
		f=$(ldconfig -p 2>/dev/null | awk -v l="$l" '$1 == l && /x86-64/ { print $NF; exit }')
		[ -n "$f" ] && set -- "$@" "$(readlink -f "$f")"
	done
	"$TMP/pltdump" "$@" | sort >"$TMP/plt.ours"
	for f in "$@"; do
		objdump -d -j .plt -j .plt.sec -j .plt.got "$f" 2>/dev/null |
			sed -nE 's/^0*([0-9a-f]+) <(.*@plt)>:$/\1 \2/p' |
			sed -E 's/^([0-9a-f]+) \*ABS\*\+0x[0-9a-f]+@plt$/\1 @plt/' | sed "s|^|$f |"
	done | sort >"$TMP/plt.objdump"
	n=$(wc -l <"$TMP/plt.objdump")
	secs=$(for f in "$@"; do readelf -SW "$f" | grep -oE '\.plt(\.sec|\.got)?\b'; done | sort -u | tr '\n' ' ')
	[ "$n" -gt 100 ] && cmp -s "$TMP/plt.ours" "$TMP/plt.objdump"
	ok $? "every synthesized name@plt ($n in $# files; sections $secs) is objdump's for the slot"
	diff_diag 6 "$TMP/plt.objdump" "$TMP/plt.ours"
fi

# --- an assembly leaf: line info, no DWARF function -----------------------------------------
cat >"$TMP/leaf.S" <<'AEOF'
	.text
	.globl asm_leaf
asm_leaf:
	mov $20000, %ecx
1:	dec %ecx
	jnz 1b
	ret
	.section .note.GNU-stack,"",@progbits
AEOF
printf 'void asm_leaf(void);\nint main(void) { for (long i = 0; i < 40000; i++) asm_leaf(); return 0; }\n' >"$TMP/leafmain.c"
if cc -g -O2 -c -o "$TMP/leaf.o" "$TMP/leaf.S" 2>/dev/null && cc -g -O2 -o "$TMP/leaf" "$TMP/leafmain.c" "$TMP/leaf.o" 2>/dev/null &&
   perf record -q --call-graph dwarf -o "$TMP/leaf.data" "$TMP/leaf" >/dev/null 2>&1; then
	$BIN/pscript -i "$TMP/leaf.data" >"$TMP/leaf.ours" 2>/dev/null
	perf script -i "$TMP/leaf.data" 2>/dev/null | grep -c ' asm_leaf+' >"$TMP/leaf.np"
	n=$(grep -c ' asm_leaf+0x[0-9a-f]* (' "$TMP/leaf.ours")
	[ "$n" -gt 20 ] && [ "$n" = "$(cat "$TMP/leaf.np")" ] && ! grep -q '??+0x' "$TMP/leaf.ours"
	ok $? "a DWARF chain's assembly leaf keeps its symbol ($n samples, as perf's), no '??+0x0 (inlined)'"
else
	skip "cannot build or record the assembly leaf"
fi
done_testing
