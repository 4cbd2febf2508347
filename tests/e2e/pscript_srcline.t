#!/bin/sh
# Source lines and inlined frames, in-process through libdw, against eu-addr2line: for every
# sampled user address (leaves and callchain addresses of an -O2 program with inlined
# functions, and libc), pscript's srcline must be eu-addr2line's first answer and, with
# --inline, its whole inline chain (eu-addr2line -i), line by line (columns dropped).
. "$(dirname "$0")/lib.sh"
PS=$BIN/pscript
CC=${CC:-cc}

if ! command -v eu-addr2line >/dev/null 2>&1; then
	skip "no eu-addr2line (elfutils)"; done_testing
fi
cat >"$TMP/inl.c" <<'EOF'
static volatile long x;
static inline __attribute__((always_inline)) void deep(long i) { x += i * 3; }
static inline __attribute__((always_inline)) void mid(long i) { deep(i); x ^= i; }
__attribute__((noinline)) void work(long n) { for (long i = 0; i < n; i++) mid(i); }
__attribute__((noinline)) void outer(long n) { work(n); x++; }
int main(void) { outer(150000000); return 0; }
EOF
$CC -O2 -g -fno-omit-frame-pointer -o "$TMP/inl" "$TMP/inl.c"
perf record -q -g -o "$TMP/s.data" "$TMP/inl" >/dev/null 2>&1
check "perf record -g of an -O2 program with inlines" test -s "$TMP/s.data"

# chains FILE: "dso ip file:line|file:line..." per distinct frame, from pscript output: the
# levels of an inline chain are the lines of one ip, the inlined ones marked after their
# source line as perf marks them ("  file:line (inlined)", no DSO on the frame line)
chains() {
	awk '
	function out() { if (cur != "") print dso, cur, pend; cur = ""; pend = "" }
	/^\t/ {
		ip = $1; d = $NF; gsub(/[()]/, "", d)
		getline sl; sub(/^  /, "", sl)
		inl = sub(/ \(inlined\)$/, "", sl)
		if (ip != cur) { out(); cur = ip }
		pend = pend == "" ? sl : pend "|" sl
		if (!inl) { dso = d; out() }
		next
	}
	{ out() }
	END { out() }' "$1" | sort -u
}
"$PS" -i "$TMP/s.data" -F ip,sym,dso,srcline --full-source-path >"$TMP/flat.out" 2>"$TMP/err"
ok $? "pscript -F ip,sym,dso,srcline runs"
"$PS" -i "$TMP/s.data" -F ip,sym,dso,srcline --full-source-path --inline >"$TMP/inl.out" 2>>"$TMP/err"
ok $? "pscript --inline runs"
chains "$TMP/flat.out" | grep -v '^\[' >"$TMP/flat.ch"
chains "$TMP/inl.out" | grep -v '^\[' >"$TMP/inl.ch"

# the oracle: eu-addr2line -a -i per DSO, every address at once
: >"$TMP/oracle"
for dso in $(awk '{ print $1 }' "$TMP/inl.ch" | sort -u); do
	[ -f "$dso" ] || continue
	addrs=$(awk -v d="$dso" '$1 == d { print "0x" $2 }' "$TMP/inl.ch")
	eu-addr2line -a -i -e "$dso" $addrs 2>/dev/null | drop_column | awk -v d="$dso" '
		/^0x/ { if (a != "") print d, a, c; a = $0; sub(/^0x0*/, "", a); if (a == "") a = "0"; c = ""; next }
		{ c = (c == "" ? $0 : c "|" $0) }
		END { if (a != "") print d, a, c }' >>"$TMP/oracle"
done
total=$(wc -l <"$TMP/oracle")
[ "$total" -gt 5 ]; ok $? "eu-addr2line answered for $total sampled addresses"

# compare: flat srcline = first oracle line; --inline chain = all oracle lines
awk 'FILENAME == ARGV[1] { o[$1 " " $2] = $3; next }
     FILENAME == ARGV[2] { f[$1 " " $2] = $3; next }
     { i[$1 " " $2] = $3 }
     END {
	for (k in o) {
		if (o[k] ~ /^\?\?/) continue
		n++; first = o[k]; sub(/\|.*/, "", first)
		if (f[k] != first) { bf++; print "# flat " k ": ours " f[k] " eu " first }
		if (i[k] != o[k]) { bi++; print "# inline " k ": ours " i[k] " eu " o[k] }
		if (o[k] ~ /\|/) inl++
	}
	printf "R %d %d %d %d\n", n, bf, bi, inl
     }' "$TMP/oracle" "$TMP/flat.ch" "$TMP/inl.ch" >"$TMP/res"
grep '^#' "$TMP/res" | head -20
set -- $(awk '/^R/ { print $2, $3, $4, $5 }' "$TMP/res")
diag "$1 addresses with a source line, $4 of them inside inlined code"
is "$2" 0 "srcline of every sampled address equals eu-addr2line's"
is "$3" 0 "--inline chains equal eu-addr2line -i's"
[ "$4" -gt 0 ]; ok $? "inlined code was sampled (the chains are not trivially one deep)"
grep -q "inl.c:[0-9]" "$TMP/flat.out"; ok $? "the program's own lines are there"
"$PS" -i "$TMP/s.data" -F +srcline >"$TMP/short.out" 2>/dev/null
grep -q '^  inl.c:[0-9]*$' "$TMP/short.out"; ok $? "default srcline is the file name, as perf prints it"
done_testing
