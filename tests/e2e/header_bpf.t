#!/bin/sh
# BPF programs in precord's files are perf 6.1's: with programs loaded before the recording
# (tests/progs/bpf_load: one with two JITed functions named by its BTF, one plain), `precord -a`
# and `perf record -a`, run at the same time, set ksymbol/bpf_event on the tracking event,
# synthesize the same KSYMBOL + BPF_EVENT records, and write BPF_PROG_INFO / BPF_BTF that perf
# decodes into the same bpf_prog_info / btf lines; a program loaded and unloaded while both
# record reaches both files as the kernel's records. preport and pscript read both files
# without a word on stderr, and print the BPF lines perf prints.
. "$(dirname "$0")/lib.sh"
command -v perf >/dev/null 2>&1 || { skip "no perf"; done_testing; }
[ "$(id -u)" -eq 0 ] || { skip "listing BPF programs needs root"; done_testing; }

"$PROGS/bpf_load" 8 >"$TMP/a.ids" 2>"$TMP/a.err" &
A=$!
for _ in $(seq 50); do [ -s "$TMP/a.ids" ] || ! kill -0 $A 2>/dev/null && break; sleep 0.1; done
if [ ! -s "$TMP/a.ids" ]; then
	skip "bpf() is not permitted here: $(cat "$TMP/a.err")"
	done_testing
fi
read -r A1 ABTF A2 <"$TMP/a.ids"

"$BIN/precord" -q -a -o "$TMP/o.data" -- sleep 2 >/dev/null 2>"$TMP/o.rec" &
O=$!
perf record -q -a -o "$TMP/p.data" -- sleep 2 >/dev/null 2>"$TMP/p.rec" &
P=$!
# while both record: a program that comes and goes
sleep 0.9
"$PROGS/bpf_load" 0.2 >"$TMP/b.ids" 2>/dev/null
read -r B1 BBTF B2 <"$TMP/b.ids"
wait $O; ok $? "precord -a records"
wait $P; ok $? "perf record -a records"
kill $A 2>/dev/null; wait $A 2>/dev/null

# 1. the tracking event asks for the kernel's KSYMBOL / BPF_EVENT records, as perf's does
for f in o p; do
	perf evlist -v -i "$TMP/$f.data" 2>/dev/null | grep 'mmap: 1' | grep -o 'ksymbol: 1, bpf_event: 1' >"$TMP/$f.attr"
done
check "the tracking event has ksymbol and bpf_event set, as perf record's" test -s "$TMP/o.attr"

# 2. the header: perf's lines for the programs loaded before (others on the machine may come
# and go meanwhile); one block per program, its sub-programs, then the BTF ids
bpf_lines() {	# bpf_lines CMD FILE: the bpf lines of a --header-only, one program a line
	$1 --header-only -i "$2" 2>/dev/null | grep -E '^# (bpf_prog_info|	sub_prog|btf info)' |
		awk '/bpf_prog_info/ { if (l != "") print l; l = $0; next }
		     /btf info/ { if (l != "") print l; l = ""; print; next } { l = l " |" $0 }
		     END { if (l != "") print l }'
}
ours_a() { grep -E "^# (bpf_prog_info ($A1|$A2):|btf info of id $ABTF\$)"; }
bpf_lines "perf report" "$TMP/p.data" >"$TMP/p.hdr"
bpf_lines "perf report" "$TMP/o.data" >"$TMP/o.hdr"
ours_a <"$TMP/p.hdr" >"$TMP/p.a"
ours_a <"$TMP/o.hdr" >"$TMP/o.a"
is "$(wc -l <"$TMP/p.a")" 3 "perf's header lists the 2 programs loaded before and their BTF"
is "$(cat "$TMP/o.a")" "$(cat "$TMP/p.a")" "perf report --header-only prints the same bpf_prog_info / btf lines for precord's file"
check "a BTF-named program's sub-programs carry their function names" grep -q "bpf_prog_[0-9a-f]*_bpf_main addr.*sub_prog 1: bpf_prog_[0-9a-f]*_bpf_sub addr" "$TMP/o.a"
for f in o p; do
	bpf_lines "$BIN/preport" "$TMP/$f.data" >"$TMP/$f.phdr"
	is "$(cat "$TMP/$f.phdr")" "$(cat "$TMP/$f.hdr")" "preport --header-only prints perf's BPF lines ($f.data)"
done

# 3. the records perf synthesizes for the programs loaded before (time 0), the same in ours
show() { "$@" --show-bpf-events 2>/dev/null | grep -E 'PERF_RECORD_(KSYMBOL|BPF_EVENT)'; }
synth_a() {	# the time-0 lines about A's programs, from their ids and addresses
	grep ' 0\.000000: ' | grep -E "id ($A1|$A2)\$|addr ($(grep -oE 'addr 0x[0-9a-f]+' "$TMP/p.a" |
		sed 's/addr 0x//' | paste -sd'|')) "
}
show perf script -i "$TMP/p.data" >"$TMP/p.ev"
show perf script -i "$TMP/o.data" >"$TMP/o.ev"
synth_a <"$TMP/p.ev" >"$TMP/p.synth"
synth_a <"$TMP/o.ev" >"$TMP/o.synth"
is "$(wc -l <"$TMP/p.synth")" 5 "perf synthesized 3 KSYMBOL and 2 BPF_EVENT records for them"
is "$(cat "$TMP/o.synth")" "$(cat "$TMP/p.synth")" "precord synthesized the same KSYMBOL and BPF_EVENT records"

# 4. the program loaded and unloaded while both recorded: its unload records are the kernel's,
# in both files. When two events ask for them, the kernel (6.18 here) sizes a later event's
# record with the trailers of the earlier ones added, and a reader takes time 0 and pid 0 from
# its end: precord cuts them back, perf writes them as they come.
# (each event's record is stamped on its own: times differ by a few ns, and are left out)
unload() {
	grep -E "PERF_RECORD_BPF_EVENT type 2, flags 0, id ($B1|$B2)\$|PERF_RECORD_KSYMBOL .*flags 0x1 " |
		grep -v ' 0\.000000: ' | sed -E 's/ [0-9]+\.[0-9]+: / /'
}
unload <"$TMP/p.ev" >"$TMP/p.unl"
unload <"$TMP/o.ev" >"$TMP/o.unl"
is "$(grep -c BPF_EVENT "$TMP/o.unl")/$(grep -c KSYMBOL "$TMP/o.unl")" 2/3 \
	"precord's file has the kernel's unload records of the 2 programs (3 functions) loaded meanwhile, times and tasks intact"
if [ "$(wc -l <"$TMP/p.unl")" -eq 5 ]; then
	is "$(cat "$TMP/o.unl")" "$(cat "$TMP/p.unl")" "the same unload records as perf's file (task, CPU, record)"
else
	skip "the kernel gave perf's event oversized unload records (time 0): nothing to compare"
fi

# 5. preport and pscript read both files quietly; pscript prints perf script's BPF lines
for f in o p; do
	show "$BIN/pscript" -i "$TMP/$f.data" >"$TMP/$f.pev"
	is "$(cat "$TMP/$f.pev")" "$(cat "$TMP/$f.ev")" "pscript --show-bpf-events prints perf script's lines ($f.data)"
	"$BIN/preport" -i "$TMP/$f.data" --stdio >/dev/null 2>"$TMP/$f.rerr"
	check "preport reads $f.data without a word on stderr" test ! -s "$TMP/$f.rerr"
	"$BIN/pscript" -i "$TMP/$f.data" >/dev/null 2>"$TMP/$f.serr"
	check "pscript reads $f.data without a word on stderr" test ! -s "$TMP/$f.serr"
done
perf report -i "$TMP/o.data" --stdio >/dev/null 2>"$TMP/o.perr"
check "perf report reads precord's file without a word on stderr" test ! -s "$TMP/o.perr"
[ -n "$ABTF" ] && [ "$ABTF" != 0 ]; ok $? "the kernel took the test program's BTF (id $ABTF)"
done_testing
