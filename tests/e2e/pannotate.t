#!/bin/sh
# pannotate end to end. Oracles: perf annotate --stdio 6.1 on the same file (which symbols,
# in which order, every instruction address, percentages within 0.01 points, -n counts
# exactly, the other percent types, the source lines between instructions), capstone itself through a small C program built here
# (instruction text of the same bytes, AT&T and Intel), objdump (the bytes are the file's),
# and eu-addr2line (the source line of every instruction). Files: perf record and precord
# of a PIE, perf record of a non-PIE executable and of a program whose hot code is in a
# shared library. Kernel symbols: perf's answer where /proc/kcore or a vmlinux is there,
# else one line saying why. Bad input: one line, non-zero exit.
. "$(dirname "$0")/lib.sh"
PA=$BIN/pannotate
CC=${CC:-cc}
SRC=$(cd "$(dirname "$0")/../progs" && pwd)/ann_spread.c
P=$PROGS/ann_spread

for t in perf python3 objdump eu-addr2line; do
	command -v $t >/dev/null 2>&1 || { skip "no $t"; done_testing; }
done

# rows FILE: "DSO EVENT START ADDR VALUE" for each instruction line of perf annotate --stdio's
# layout (perf's or ours); START is the symbol's address from its "<sym>:" line. Left out:
# PLT samples. perf 6.1 extends the zero-size _init over .plt and gives it the samples of
# the PLT entries (see pscript.t), where we have name@plt symbols; so blocks of _init and of
# @plt symbols are not compared (they are counted in $TMP/plt.skipped).
rows() {
	rows_all "$1" | awk '$6 == "_init" || $6 ~ /@plt$/ { if (!seen[$3]++) print >>"'"$TMP/plt.skipped"'"; next }
		{ print $1, $2, $3, $4, $5 }'
}
rows_all() {
	awk '/^ (Percent|Samples) \|/ {
		dso = $0; sub(/.*Disassembly of /, "", dso); ev = dso; sub(/ for .*/, "", dso)
		if (dso ~ /^perf-vdso\.so-/) dso = "[vdso]"
		sub(/.* for /, "", ev); sub(/ \([0-9]+ samples.*/, "", ev); start = ""; next }
	start == "" && /^ +: .* <.*>:$/ {	# (no {16}: mawk has no intervals)
		for (i = 1; i <= NF; i++) if (length($i) == 16 && $i ~ /^[0-9a-f]+$/) start = $i
		sub(/^0+/, "", start); name = $0; sub(/^[^<]*</, "", name); sub(/>:$/, "", name); next }
	/^ *[0-9.]+ : +[0-9a-f]+:/ { a = $3; sub(/:$/, "", a); print dso, ev, start, a, $1, name }' "$1"
}

# same_as_perf NAME FILE TOL [options]: pannotate and perf annotate --stdio agree
same_as_perf() {
	name=$1; f=$2; tol=$3; shift 3
	"$PA" -i "$f" --stdio "$@" >"$f.ours" 2>"$f.ours.err"; rc=$?
	perf annotate -i "$f" --stdio "$@" >"$f.perf" 2>/dev/null
	if [ $rc -ne 0 ]; then
		ok 1 "$name: pannotate exits 0"; sed 's/^/# /' "$f.ours.err" | head -3; return
	fi
	rm -f "$TMP/plt.skipped"
	rows "$f.ours" >"$f.or"; rows "$f.perf" >"$f.pr"
	[ -s "$TMP/plt.skipped" ] && diag "$name: not compared (PLT, see rows()): $(awk '{ print $6 }' "$TMP/plt.skipped" | tr '\n' ' ')"
	if [ ! -s "$f.pr" ]; then skip "$name: perf annotate printed nothing"; return; fi
	cut -d' ' -f1-3 "$f.or" | uniq >"$f.ob"; cut -d' ' -f1-3 "$f.pr" | uniq >"$f.pb"
	nb=$(wc -l <"$f.pb")
	if cmp -s "$f.ob" "$f.pb"; then ok 0 "$name: the same $nb symbols as perf annotate, in its order"
	else ok 1 "$name: the same symbols as perf annotate, in its order"
		diff_diag 6 "$f.pb" "$f.ob"; fi
	n=$(wc -l <"$f.pr")
	if cut -d' ' -f1-4 "$f.or" | cmp -s - "$(cut -d' ' -f1-4 "$f.pr" >"$f.pa"; echo "$f.pa")"; then
		ok 0 "$name: the same $n instruction addresses"
		bad=$(paste -d' ' "$f.or" "$f.pr" | awk -v t="$tol" '{ d = $5 - $10; if (d < 0) d = -d; if (d > t) n++ } END { print n + 0 }')
		is "$bad" 0 "$name: every value within $tol of perf's"
		paste -d' ' "$f.or" "$f.pr" | awk -v t="$tol" '{ d = $5 - $10; if (d < 0) d = -d; if (d > t) print "# " $0 }' | head -5
	else
		ok 1 "$name: the same instruction addresses ($(wc -l <"$f.or") vs $n)"
		cut -d' ' -f1-4 "$f.or" | diff_diag 6 "$f.pa" -
	fi
	# objdump -S -l's lines between the instructions (source with perf's numbering, function
	# and file:line lines), where perf shows them; differences compat_cmp.py explains listed
	python3 "$E2E_DIR/compat_cmp.py" annotate-src "$f.perf" "$f.ours" - >"$f.src" 2>&1
	ok $? "$name: the source, function and file:line lines of perf annotate, numbered as perf numbers them"
	grep '^#' "$f.src" | head -8
}

# --- programs and recordings -------------------------------------------------------------
$CC -O1 -g -fno-omit-frame-pointer -fno-inline -no-pie -o "$TMP/nopie" "$SRC"
$CC -O1 -g -fno-omit-frame-pointer -fno-inline -fPIC -shared -Dmain=ann_spread_main -o "$TMP/libann.so" "$SRC"
cat >"$TMP/drive.c" <<'EOF'
int ann_spread_main(int argc, char **argv);
int main(int argc, char **argv) { return ann_spread_main(argc, argv); }
EOF
$CC -O1 -g -o "$TMP/drive" "$TMP/drive.c" -L"$TMP" -lann -Wl,-rpath,"$TMP"
cat >"$TMP/cpp.cc" <<'EOF'
namespace ns { template <typename T> struct Acc { T v;
	__attribute__((noinline)) T spin(long n) { for (long i = 0; i < n; i++) v = v * 3 + i; return v; } }; }
int main() { ns::Acc<long> a{1}; long s = 0; for (int k = 0; k < 12; k++) s += a.spin(5000000); return (int)(s & 1); }
EOF
CXX=${CXX:-c++}
$CXX -O1 -g -o "$TMP/cpp" "$TMP/cpp.cc" 2>/dev/null && perf record -q -o "$TMP/cpp.data" "$TMP/cpp" >/dev/null 2>&1
perf record -q -o "$TMP/perf.data" "$P" 0.5 >/dev/null 2>&1
"$BIN/precord" -q -o "$TMP/prec.data" "$P" 0.5 >/dev/null 2>&1
perf record -q -o "$TMP/nopie.data" "$TMP/nopie" 0.3 >/dev/null 2>&1
perf record -q -o "$TMP/lib.data" "$TMP/drive" 0.3 >/dev/null 2>&1
for f in perf prec nopie lib; do [ -s "$TMP/$f.data" ] || { ok 1 "recording $f.data"; done_testing; }; done

# --- perf annotate as the oracle ---------------------------------------------------------
same_as_perf "perf record file (PIE)" "$TMP/perf.data" 0.01
cp "$TMP/perf.data.ours" "$TMP/full.ours"; cp "$TMP/perf.data.or" "$TMP/full.or"
same_as_perf "precord file" "$TMP/prec.data" 0.01
same_as_perf "non-PIE executable" "$TMP/nopie.data" 0.01 ann_hot
same_as_perf "shared library" "$TMP/lib.data" 0.01 ann_hot
grep -q 'Disassembly of libann.so' "$TMP/lib.data.ours"; ok $? "the library's symbol is annotated as libann.so's"
if [ -s "$TMP/cpp.data" ]; then
	same_as_perf "C++ symbol by its demangled name" "$TMP/cpp.data" 0.01 'ns::Acc<long>::spin'
	# objdump -C's spelling, with the parameter list, in perf's and in ours
	want=$(grep -o '<ns::Acc<long>::spin[^>]*>:$' "$TMP/cpp.data.perf" | head -1)
	[ -n "$want" ] && grep -qF "$want" "$TMP/cpp.data.ours"; ok $? "C++ names demangled as perf prints them ($want)"
else
	skip "no C++ compiler"
fi
# libc's calls through PLT slots of IRELATIVE relocations (the ifuncs it calls itself: memcpy,
# strchrnul, ...): objdump, and so perf annotate, names the slot "*ABS*+0x9d670@plt" (the
# resolver's address, the relocation's addend); a printf-heavy program makes vfprintf hot
cat >"$TMP/pf.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv)
{
	char buf[256];
	unsigned long sum = 0;
	long n = (long)(atof(argv[1]) * 1500000);

	for (long i = 0; i < n; i++) {
		int k = snprintf(buf, sizeof(buf), "%ld %s %x %5.2f|%-8s|", i, "abc", (unsigned)i, i * 0.5, "q");
		sum += (unsigned long)k + (unsigned char)buf[k / 2];
	}
	return (int)(sum & 1);
}
EOF
$CC -O1 -o "$TMP/pf" "$TMP/pf.c" && perf record -q -o "$TMP/pf.data" "$TMP/pf" 0.3 >/dev/null 2>&1
psym=
for s in $(perf report -i "$TMP/pf.data" --stdio --sort dso,sym 2>/dev/null |
	   awk '$2 == "libc.so.6" && $3 == "[.]" { print $4 }' | head -4); do
	perf annotate -i "$TMP/pf.data" --stdio "$s" >"$TMP/pf.perf" 2>/dev/null
	grep -q '<\*ABS\*+0x[0-9a-f]*@plt>' "$TMP/pf.perf" && { psym=$s; break; }
done
if [ -z "$psym" ]; then
	skip "no hot libc function with calls through IRELATIVE PLT slots"
else
	"$PA" -i "$TMP/pf.data" --stdio "$psym" >"$TMP/pf.ours" 2>&1
	plt_lines() { grep -E '^ +[0-9.]+ : +[0-9a-f]+: .*<[^>]*@plt>$' "$1" | sed -E 's/^ +[0-9.]+ : +//'; }
	plt_lines "$TMP/pf.perf" >"$TMP/pf.pl"; plt_lines "$TMP/pf.ours" >"$TMP/pf.ol"
	check "libc's $psym: its $(grep -c 'ABS' "$TMP/pf.pl") calls to IRELATIVE PLT slots (and every other PLT target) named as perf annotate names them" \
		cmp -s "$TMP/pf.pl" "$TMP/pf.ol" || diff_diag 6 "$TMP/pf.pl" "$TMP/pf.ol"
	python3 "$E2E_DIR/compat_cmp.py" annotate "$TMP/pf.perf" "$TMP/pf.ours" libc.so.6 >"$TMP/pf.cmp" 2>&1
	ok $? "libc's $psym: perf annotate's text, line for line, but for compat_cmp.py's classes"
	grep '^#' "$TMP/pf.cmp" | head -8
fi
same_as_perf "-n sample counts" "$TMP/perf.data" 0 -n ann_hot
same_as_perf "--percent-type local-hits" "$TMP/perf.data" 0.01 --percent-type local-hits ann_warm
same_as_perf "--percent-type global-period" "$TMP/perf.data" 0.01 --percent-type global-period
# perf's base for the global types is only the named symbol's samples when one is named
same_as_perf "--percent-type global-period of one symbol" "$TMP/perf.data" 0.01 --percent-type global-period ann_warm
# perf 6.1 prints 0.00 for every global-hits line; check ours against perf report -n instead:
# a symbol's global-hits shares add up to its samples over all the event's samples
"$PA" -i "$TMP/perf.data" --json --percent-type global-hits 2>/dev/null |
	python3 -c 'import json, sys; print(sum(i["percent"] for s in json.load(sys.stdin) if s["symbol"] == "ann_hot" for i in s["instructions"]))' >"$TMP/gh.ours"
perf report -i "$TMP/perf.data" --stdio -n --sort sym 2>/dev/null |
	awk '/^ +[0-9.]+%/ { t += $2 } $NF == "ann_hot" { n = $2 } END { if (t > 0) print 100 * n / t }' >"$TMP/gh.perf"
if [ -s "$TMP/gh.perf" ]; then
	awk -v a="$(cat "$TMP/gh.ours")" -v b="$(cat "$TMP/gh.perf")" 'BEGIN { d = a - b; exit !(d < 0.0001 && d > -0.0001) }'
	ok $? "--percent-type global-hits: ann_hot's shares add up to its share of samples ($(cat "$TMP/gh.ours") vs $(cat "$TMP/gh.perf") from perf report -n)"
else
	skip "perf report -n gave no sample total"
fi
head -1 "$TMP/full.ours" | grep -q 'of ann_spread for cpu-clock'; ok $? "the hottest symbol comes first"
hot=$(awk '$1 == "ann_spread" && $5 + 0 > 0' "$TMP/full.or" | wc -l)
[ "$hot" -ge 5 ]; ok $? "samples spread over $hot instructions of the program (not a trivial profile)"

# --- capstone, objdump and eu-addr2line as oracles ---------------------------------------
cat >"$TMP/cs.c" <<'EOF'
/* "ADDR HEXBYTES..." lines in, "ADDR<TAB>mnemonic<TAB>operands" out: capstone on its own */
#include <capstone/capstone.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv)
{
	char line[512];
	csh h;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK) return 1;
	cs_option(h, CS_OPT_SYNTAX, argc > 1 && !strcmp(argv[1], "intel") ? CS_OPT_SYNTAX_INTEL : CS_OPT_SYNTAX_ATT);
	while (fgets(line, sizeof(line), stdin)) {
		unsigned char b[16]; size_t n = 0, c; char *p, *e; cs_insn *in;
		unsigned long long a = strtoull(line, &p, 16);
		while (n < 16) { unsigned long v = strtoul(p, &e, 16); if (e == p) break; b[n++] = (unsigned char)v; p = e; }
		c = cs_disasm(h, b, n, a, 1, &in);
		if (c == 1 && in->size == n) printf("%llx\t%s\t%s\n", a, in->mnemonic, in->op_str);
		else printf("%llx\t(bad)\t\n", a);
		if (c) cs_free(in, c);
	}
	cs_close(&h);
	return 0;
}
EOF
if ! $CC -o "$TMP/cs" "$TMP/cs.c" $(pkg-config --cflags --libs capstone) 2>"$TMP/cs.err"; then
	skip "cannot build the capstone helper: $(head -1 "$TMP/cs.err")"
else
	# json FILE FIELDS...: tab-separated instruction fields of pannotate --json
	json() { python3 -c '
import json, sys
for s in json.load(open(sys.argv[1])):
    for i in s["instructions"]:
        print("\t".join(str(i.get(k, s.get(k, ""))) for k in sys.argv[2:]))' "$@"; }
	for syn in att intel; do
		"$PA" -i "$TMP/perf.data" --json -M $syn --layout extended >"$TMP/$syn.json" 2>/dev/null
		json "$TMP/$syn.json" addr bytes | sed 's/^0x//; s/\t/ /' | "$TMP/cs" $syn >"$TMP/$syn.cs"
		json "$TMP/$syn.json" addr mnemonic ops | sed 's/^0x//' >"$TMP/$syn.ours"
		n=$(wc -l <"$TMP/$syn.ours"); nbad=$(grep -c '(bad)' "$TMP/$syn.ours")
		[ "$n" -gt 100 ] && cmp -s "$TMP/$syn.ours" "$TMP/$syn.cs"
		ok $? "-M $syn: all $n instructions' text equals capstone's for the same bytes ($nbad it cannot decode)"
		diff_diag 4 "$TMP/$syn.cs" "$TMP/$syn.ours"
	done
	json "$TMP/att.json" addr bytes dso symbol >"$TMP/bytes"
	# the bytes are the file's: objdump -d -w of the program over the symbols annotated there
	awk -F'\t' '$3 ~ /ann_spread$/ { sub(/^0x/, "", $1); print $1 "\t" $2 }' "$TMP/bytes" | sort >"$TMP/b.ours"
	lo=$(head -1 "$TMP/b.ours" | cut -f1)
	objdump -d -w "$P" | awk -F'\t' '/^ +[0-9a-f]+:\t/ { a = $1; gsub(/[ :]/, "", a); b = $2; sub(/ +$/, "", b); print a "\t" b }' |
		sort >"$TMP/b.objdump"
	n=$(wc -l <"$TMP/b.ours")
	missing=$(join -t '	' -v 1 "$TMP/b.ours" "$TMP/b.objdump" | wc -l)
	differ=$(join -t '	' "$TMP/b.ours" "$TMP/b.objdump" | awk -F'\t' '$2 != $3' | wc -l)
	[ "$n" -gt 30 ] && [ "$missing" -eq 0 ] && [ "$differ" -eq 0 ]
	ok $? "the bytes of the program's $n annotated instructions are objdump's, at its addresses (from $lo)"

	# source lines: eu-addr2line of each instruction address, per DSO file
	json "$TMP/att.json" dso addr srcline >"$TMP/src.ours"
	: >"$TMP/src.eu"
	for dso in $(cut -f1 "$TMP/src.ours" | sort -u); do
		[ -f "$dso" ] || continue
		awk -F'\t' -v d="$dso" '$1 == d { print $2 }' "$TMP/src.ours" >"$TMP/addrs"
		eu-addr2line -e "$dso" $(cat "$TMP/addrs") 2>/dev/null | drop_column |
			paste "$TMP/addrs" - | sed "s|^|$dso	|" >>"$TMP/src.eu"
	done
	sort -o "$TMP/src.eu" "$TMP/src.eu"
	awk -F'\t' '$1 !~ /^\[/ { s = $3; if (s == "") s = "??:0"; print $1 "\t" $2 "\t" s }' "$TMP/src.ours" | sort >"$TMP/src.o"
	n=$(grep -vc '??:0' "$TMP/src.eu")
	[ "$n" -gt 30 ] && cmp -s "$TMP/src.o" "$TMP/src.eu"
	ok $? "the source line of each of $(wc -l <"$TMP/src.eu") instructions equals eu-addr2line's ($n have one)"
	diff_diag 4 "$TMP/src.eu" "$TMP/src.o"
	grep -q "^ *: [0-9]* *acc += v;" "$TMP/full.ours"; ok $? "source text between the instructions"
fi

# --- output options ----------------------------------------------------------------------
"$PA" -i "$TMP/perf.data" --no-source ann_hot >"$TMP/nosrc" 2>/dev/null
! grep -q 'ann_spread.c:' "$TMP/nosrc" && [ "$(rows "$TMP/nosrc" | wc -l)" -gt 20 ]
ok $? "--no-source: instructions only"
"$PA" -i "$TMP/perf.data" --asm-raw ann_hot >"$TMP/raw" 2>/dev/null
grep -Eq '^ +[0-9.]+ : +[0-9a-f]+:   ([0-9a-f]{2} )+ +[a-z]' "$TMP/raw"; ok $? "--asm-raw: the bytes before the text"
# perf's --asm-raw is objdump's: 7 bytes a line, a longer instruction's rest on lines of their own
perf annotate -i "$TMP/perf.data" --stdio --asm-raw >"$TMP/raw.perf" 2>/dev/null
"$PA" -i "$TMP/perf.data" --stdio --asm-raw >"$TMP/raw.ours" 2>/dev/null
python3 "$E2E_DIR/compat_cmp.py" annotate "$TMP/raw.perf" "$TMP/raw.ours" ann_spread >"$TMP/raw.cmp" 2>&1
rc=$?
ok $rc "--asm-raw: perf annotate --asm-raw's text, line for line, but for compat_cmp.py's classes"
grep "^#" "$TMP/raw.cmp" | tail -1 | sed "s/^# /# --asm-raw: /"
[ $rc = 0 ] || grep "^#" "$TMP/raw.cmp" | head -20 >&2
grep -Eq 'j[a-z]+ +[0-9a-f]+ <ann_hot\+0x[0-9a-f]+>$' "$TMP/nosrc"
ok $? "jumps inside the symbol name their target as objdump does (addr <sym+0xoff>)"
grep -Eq 'call +[0-9a-f]+ <ann_store>$' "$TMP/nosrc"; ok $? "calls name their target"
"$PA" -i "$TMP/perf.data" --no-source --layout extended ann_hot >"$TMP/ext" 2>/dev/null
grep -Eq 'j[a-z]+ +0x[0-9a-f]+ <\.L[0-9]+>$' "$TMP/ext" && grep -Eq '^ +: +\.L[0-9]+:$' "$TMP/ext" &&
	grep -Eq 'callq +0x[0-9a-f]+ <ann_store>$' "$TMP/ext"
ok $? "--layout extended: jumps inside the symbol go to labels that are shown, capstone's text"
"$PA" -i "$TMP/perf.data" --stdio-color=always ann_hot >"$TMP/color" 2>/dev/null
grep -q "$(printf '\033\\[31m')" "$TMP/color" && grep -q "$(printf '\033\\[1m')" "$TMP/color"
ok $? "--stdio-color=always: hot instructions in red, the hottest in bold"
! grep -q "$(printf '\033')" "$TMP/nosrc"; ok $? "no colour codes when the output is not a terminal"
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert len(d) >= 3 and all(len(s["instructions"]) for s in d)' \
	"$TMP/att.json" 2>/dev/null; ok $? "--json is one valid JSON document"

# --- kernel symbols ----------------------------------------------------------------------
perf record -q -o "$TMP/k.data" "$PROGS/writes" 300000 >/dev/null 2>&1
ksym=$(perf report -i "$TMP/k.data" --stdio --sort sym 2>/dev/null | awk '$2 == "[k]" { print $3; exit }')
if [ -z "$ksym" ]; then
	skip "no kernel samples recorded"
elif [ -r /proc/kcore ] || perf annotate -i "$TMP/k.data" --stdio "$ksym" 2>/dev/null | grep -q ' : '; then
	same_as_perf "kernel symbol $ksym" "$TMP/k.data" 0.01 "$ksym"
else
	"$PA" -i "$TMP/k.data" "$ksym" >"$TMP/k.out" 2>"$TMP/k.err"; rc=$?
	[ $rc -eq 1 ] && [ "$(wc -l <"$TMP/k.err")" -eq 1 ] && grep -q 'vmlinux' "$TMP/k.err" && grep -q 'kcore' "$TMP/k.err"
	ok $? "kernel symbol $ksym without /proc/kcore or vmlinux: one line saying why, exit 1"
	diag "$(cat "$TMP/k.err")"
	"$PA" -i "$TMP/k.data" >"$TMP/k.all" 2>"$TMP/k.err"; rc=$?
	[ $rc -eq 0 ] && [ "$(grep -c 'kernel.kallsyms' "$TMP/k.err")" -eq 1 ] && grep -q 'Disassembly of' "$TMP/k.all"
	ok $? "all symbols: user ones annotated, one line for the kernel's"
fi
if [ -n "$ksym" ]; then
	"$PA" -i "$TMP/k.data" -k "$P" "$ksym" >/dev/null 2>"$TMP/k.err"; rc=$?
	[ $rc -eq 1 ] && grep -q 'not the recorded kernel' "$TMP/k.err"; ok $? "-k with another image is refused"
fi
# The vmlinux path without a real vmlinux: an image made here with the recorded kernel's
# build-id, _text and the symbol linked 2 MiB above where the recording saw them (as KASLR
# would), the symbol's bytes all NOPs (one instruction per byte). pannotate -k must read it
# at the moved addresses and give each address the samples perf script shows there.
kid=$(perf buildid-list -i "$TMP/k.data" 2>/dev/null | awk '$2 == "[kernel.kallsyms]" { print $1 }')
ks=$(awk -v s="$ksym" '$3 == s { print $1; exit }' /proc/kallsyms)
kt=$(awk '$3 == "_text" { print $1; exit }' /proc/kallsyms)
kn=$(awk -v a="$ks" '$1 > a && $1 != a { print $1 }' /proc/kallsyms | sort | head -1)
# (the shell's arithmetic is signed 64-bit: work on the low 32 bits of ffffffff8xxxxxxx)
if [ -z "$ksym" ] || [ -z "$kid" ] || [ -z "$ks" ] || [ -z "$kn" ] || [ -z "$kt" ] ||
   [ "${ks#ffffffff8}" = "$ks" ] || [ "${kn#ffffffff8}" = "$kn" ] || [ "${kt#ffffffff8}" = "$kt" ] ||
   ! command -v ld >/dev/null 2>&1; then
	skip "no kernel text symbol, build-id, kallsyms addresses or ld for a made-up vmlinux"
else
	ks=${ks#ffffffff}; kn=${kn#ffffffff}; kt=${kt#ffffffff}
	size=$(( 0x$kn - 0x$ks ))
	shift_=0x200000
	printf '.section .text.head,"ax"\n.globl _text\n_text: nop\n.section .text.sym,"ax"\n.globl %s\n.type %s,@function\n%s:\nnop\nnop\n.fill %d,1,0x90\n.size %s, %d\n' \
		"$ksym" "$ksym" "$ksym" $((size - 2)) "$ksym" "$size" >"$TMP/fk.s"
	printf 'SECTIONS { . = 0xffffffff%08x; .text.head : { *(.text.head) } . = 0xffffffff%08x; .text.sym : { *(.text.sym) } .note.gnu.build-id : { *(.note.gnu.build-id) } }\n' \
		$(( 0x$kt + shift_ )) $(( 0x$ks + shift_ )) >"$TMP/fk.ld"
	if [ "$size" -gt 2 ] && as -g -o "$TMP/fk.o" "$TMP/fk.s" 2>/dev/null && ld -o "$TMP/vmlinux" --build-id=0x"$kid" -T "$TMP/fk.ld" "$TMP/fk.o" 2>/dev/null; then
		"$PA" -i "$TMP/k.data" -k "$TMP/vmlinux" -n --no-source "$ksym" >"$TMP/kv.out" 2>"$TMP/kv.err"; rc=$?
		awk '/^ *[0-9]+ : +[0-9a-f]+: +nop$/ { a = $3; sub(/:$/, "", a); if ($1 > 0) print a, $1; n++ } END { print "n", n + 0 }' "$TMP/kv.out" >"$TMP/kv.ours"
		perf script -i "$TMP/k.data" -F ip,sym 2>/dev/null | awk -v s="$ksym" '$2 == s { c[$1]++ } END { for (a in c) print a, c[a] }' |
			sort >"$TMP/kv.perf"
		grep -v '^n ' "$TMP/kv.ours" | sort >"$TMP/kv.o"
		[ $rc -eq 0 ] && [ "$(awk '/^n / { print $2 }' "$TMP/kv.ours")" -eq "$size" ] && [ -s "$TMP/kv.perf" ] && cmp -s "$TMP/kv.o" "$TMP/kv.perf"
		ok $? "-k VMLINUX (KASLR-moved): all $size bytes of $ksym read, each address's samples equal perf script's"
		[ $rc -eq 0 ] || diag "$(head -2 "$TMP/kv.err")"
		# its DWARF (as -g): the source line of each instruction, at the image's addresses
		"$PA" -i "$TMP/k.data" -k "$TMP/vmlinux" --json "$ksym" 2>/dev/null | python3 -c '
import json, sys
for i in json.load(sys.stdin)[0]["instructions"]:
    print("%x" % (int(i["addr"], 16) + 0x200000), i.get("srcline", "??:0"))' >"$TMP/kv.src"
		eu-addr2line -e "$TMP/vmlinux" $(sed 's/^/0x/; s/ .*//' "$TMP/kv.src") 2>/dev/null |
			drop_column | paste -d' ' "$TMP/kv.src" - | awk '$2 != $3 { n++ } END { print NR, n + 0 }' >"$TMP/kv.cmp"
		set -- $(cat "$TMP/kv.cmp")
		[ "$1" -eq "$size" ] && [ "$2" -eq 0 ] && grep -q 'fk.s:[0-9]' "$TMP/kv.src"
		ok $? "-k VMLINUX with DWARF: the source line of each of $1 instructions equals eu-addr2line's ($2 differ)"
	else
		skip "as/ld could not make the image"
	fi
fi

# --- bad input ---------------------------------------------------------------------------
err_case() {	# err_case DESC WANT_RC PATTERN ARGS...
	desc=$1; want=$2; pat=$3; shift 3
	"$PA" "$@" >/dev/null 2>"$TMP/e.err"; rc=$?
	# a usage error (129) adds the pointer to --help on a second line
	lines=1; [ "$want" -eq 129 ] && lines=2
	[ $rc -eq "$want" ] && [ "$(wc -l <"$TMP/e.err")" -eq $lines ] && head -1 "$TMP/e.err" | grep -q "$pat"
	ok $? "$desc: one line, exit $want"
	[ $rc -eq "$want" ] || diag "rc $rc: $(head -2 "$TMP/e.err")"
}
err_case "missing file" 1 "No such file" -i "$TMP/nope.data"
err_case "unknown symbol" 1 "no samples in a symbol named 'no_such_fn'" -i "$TMP/perf.data" no_such_fn
err_case "bad -M" 129 "att or intel" -i "$TMP/perf.data" -M masm
err_case "bad --percent-type" 129 "local-period" -i "$TMP/perf.data" --percent-type most
# cut in the middle of the data section (not at a fixed size: the first 3000 bytes may hold only
# kernel samples, and then there is nothing to annotate)
cut=$(od -An -t u8 -j 40 -N 16 "$TMP/perf.data" | awk '{ print $1 + int($2 / 2) }')
head -c "$cut" "$TMP/perf.data" >"$TMP/cut.data"
# a truncated file is read up to the cut, with a warning that says so (issue 21), exit 0
"$PA" -i "$TMP/cut.data" >/dev/null 2>"$TMP/e.err"; rc=$?
# (perf writes each CPU's ring in turn: the first half may hold samples whose MMAP is in the
# second half; then nothing resolves and the one-line "nothing to annotate" error is right; or
# the first half holds only kernel samples, and without a vmlinux or /proc/kcore the error
# says that the kernel cannot be annotated)
{ [ $rc -eq 0 ] || { [ $rc -eq 1 ] && grep -Eq "falls in a known symbol; nothing to annotate|cannot annotate: \[kernel\.kallsyms\]" "$TMP/e.err"; }; } &&
	grep -q "cut.data: data section claims .* (truncated file): reading what is there" "$TMP/e.err"
ok $? "truncated file: read up to the cut with one warning naming it; exit 0 (or 1 with nothing to annotate)"
[ $rc -eq 0 ] || diag "rc $rc: $(head -2 "$TMP/e.err")"
: >"$TMP/empty.data"
err_case "empty file" 1 "empty.data" -i "$TMP/empty.data"
# objdump -l names the function ("name():") from DWARF or a .symtab: a stripped library
# without debug info (libstdc++ here) gets no such line, one with a debug file (ld.so) does
if command -v g++ >/dev/null 2>&1; then
	cat >"$TMP/fc.cc" <<'EOF'
#include <future>
int main() { const void *p = 0; for (long i = 0; i < 60000000; i++) { p = &std::future_category(); asm volatile("" :: "r"(p)); } return p == 0; }
EOF
	g++ -O1 -o "$TMP/fc" "$TMP/fc.cc" && perf record -q -o "$TMP/fc.data" "$TMP/fc" >/dev/null 2>&1
	sym='std::future_category'
	perf annotate -i "$TMP/fc.data" --stdio "$sym" 2>/dev/null >"$TMP/fc.perf"
	"$PA" -i "$TMP/fc.data" --stdio "$sym" 2>/dev/null >"$TMP/fc.ours"
	if grep -q 'future_category' "$TMP/fc.perf"; then
		cmp -s "$TMP/fc.perf" "$TMP/fc.ours"
		ok $? "a stripped library's function without debug info: objdump's lines as perf shows them (no 'name():' line)"
		diff_diag 6 "$TMP/fc.ours" "$TMP/fc.perf"
	else
		skip "no sample in std::future_category (libstdc++'s symbol is named otherwise here?)"
	fi
fi
# x87 compares into EFLAGS: objdump names the implicit %st ("fucomi %st(1),%st")
cat >"$TMP/x87.c" <<'EOF'
int main(void) { for (long i = 0; i < 20000000; i++) __asm__ volatile("fldz; fldz; fucomi %st(1),%st; fucomip %st(1),%st; fcomi %st(1),%st; fcomip %st(1),%st; fstp %st(0)"); return 0; }
EOF
if cc -O1 -o "$TMP/x87" "$TMP/x87.c" 2>/dev/null && perf record -q -o "$TMP/x87.data" "$TMP/x87" >/dev/null 2>&1; then
	perf annotate -i "$TMP/x87.data" --stdio main 2>/dev/null | grep -E 'f(u)?comi' >"$TMP/x87.perf"
	"$PA" -i "$TMP/x87.data" --stdio main 2>/dev/null | grep -E 'f(u)?comi' >"$TMP/x87.ours"
	[ "$(wc -l <"$TMP/x87.perf")" -eq 4 ] && cmp -s "$TMP/x87.perf" "$TMP/x87.ours"
	ok $? "x87 fcomi/fucomi(p): the four lines as perf annotate prints them"
	diff_diag 6 "$TMP/x87.ours" "$TMP/x87.perf"
fi
# a function outside .text (a section of its own, as _fini is in .fini): objdump's head names
# that section, and so does perf annotate's
cat >"$TMP/sec.c" <<'EOF'
__attribute__((noinline, section(".hot_sec"))) long hot_in_sec(long n) { long s = 0; for (long i = 0; i < n; i++) { s += i * i; __asm__ volatile("" : "+r"(s)); } return s; }
int main(void) { return (int)(hot_in_sec(300000000) & 1); }
EOF
if cc -O1 -o "$TMP/sec" "$TMP/sec.c" 2>/dev/null && perf record -q -o "$TMP/sec.data" "$TMP/sec" >/dev/null 2>&1; then
	perf annotate -i "$TMP/sec.data" --stdio hot_in_sec 2>/dev/null >"$TMP/sec.perf"
	"$PA" -i "$TMP/sec.data" --stdio hot_in_sec 2>/dev/null >"$TMP/sec.ours"
	grep -q 'Disassembly of section .hot_sec:' "$TMP/sec.perf" && cmp -s "$TMP/sec.perf" "$TMP/sec.ours"
	ok $? "a function in a section of its own: perf annotate's text, section name included"
	diff_diag 6 "$TMP/sec.ours" "$TMP/sec.perf"
fi
# a function across 0x10000: perf right-aligns every address to the widest, but the text after
# each starts at the tab stop after that address's own digits (objdump's line, its leading
# spaces cut); with --asm-raw, an 8-byte instruction's last byte is a line of its own
cat >"$TMP/span.c" <<'EOF'
#include <stdlib.h>
__attribute__((noinline)) void filler(void) { __asm__ volatile(".skip %c0, 0x90" :: "i"(FILL)); }
__attribute__((noinline)) long span_hot(long n) { long s = 0; for (long i = 0; i < n; i++) { s += i * i; __asm__ volatile("movabsq $0x1122334455667788, %%rax" ::: "rax"); __asm__ volatile("" : "+r"(s)); s ^= i >> 3; } return s; }
int main(int c, char **v) { filler(); return (int)(span_hot(c > 1 ? atol(v[1]) : 100000000) & 1); }
EOF
span_at() { nm -S "$TMP/span" | awk '$4 == "span_hot" { print $1, $2 }'; }
if cc -O1 -fno-toplevel-reorder -DFILL=16 -o "$TMP/span" "$TMP/span.c" 2>/dev/null; then
	set -- $(span_at)
	fill=$(( 0x10000 - 0x$1 - 0x$2 / 2 + 16 ))
	cc -O1 -fno-toplevel-reorder -DFILL=$fill -o "$TMP/span" "$TMP/span.c"
	set -- $(span_at)
	[ $(( 0x$1 )) -lt 65536 ] && [ $(( 0x$1 + 0x$2 )) -gt 65536 ]
	ok $? "span_hot is built across 0x10000 ($1, size $2)"
	perf record -q -o "$TMP/span.data" "$TMP/span" >/dev/null 2>&1
	for raw in "" --asm-raw; do
		perf annotate -i "$TMP/span.data" --stdio $raw span_hot 2>/dev/null >"$TMP/span.perf"
		"$PA" -i "$TMP/span.data" --stdio $raw span_hot 2>/dev/null >"$TMP/span.ours"
		grep -q ' fff[0-9a-f]: ' "$TMP/span.perf" && grep -q ' 1000[0-9a-f]: ' "$TMP/span.perf" &&
			cmp -s "$TMP/span.perf" "$TMP/span.ours"
		ok $? "a function across 0x10000${raw:+ ($raw)}: perf annotate's text, byte for byte"
		diff_diag 6 "$TMP/span.ours" "$TMP/span.perf"
	done
fi
# a program with only dynamic symbols and version sections (bash): objdump, and so perf
# annotate, spells the global version index "Base" ("<xmalloc@@Base>:")
BASH=$(command -v bash)
if [ -n "$BASH" ] && perf record -q -o "$TMP/bash.data" -- "$BASH" -c 'for i in $(seq 1 20000); do x=$((i*i)); done' >/dev/null 2>&1; then
	perf annotate -i "$TMP/bash.data" --stdio --dsos bash >"$TMP/bash.perf" 2>/dev/null
	"$PA" -i "$TMP/bash.data" --stdio --dsos bash >"$TMP/bash.ours" 2>/dev/null
	python3 "$E2E_DIR/compat_cmp.py" annotate "$TMP/bash.perf" "$TMP/bash.ours" bash >"$TMP/bash.cmp" 2>&1
	rc=$?
	grep -q '@@Base>:$' "$TMP/bash.perf" || rc=1
	ok $rc "bash's symbols as perf annotate names them (@@Base), line for line but for compat_cmp.py's classes"
	[ $rc = 0 ] || grep '^#' "$TMP/bash.cmp" | head -12 >&2
fi
done_testing
