#!/bin/sh
# pfold's folded stacks against perf on the same files: the (stack, count) multiset of
# `perf report --stdio --no-children --sort comm -g folded,0,caller,count` (one entry per
# comm, chains in caller order), mapped to FlameGraph's layout: the comm as the first
# frame (spaces to '_'), names tidied as stackcollapse-perf.pl tidies them, and a frame
# without a symbol (perf prints its address, stackcollapse "[dso]") compared as one token.
# perf prints no chain for a sample whose callchain is empty; pfold folds it to the bare
# comm, as stackcollapse-perf.pl does, so those are checked against perf script's count.
. "$(dirname "$0")/lib.sh"

# cmp_perf NAME FILE MODE ONLY [PFOLD OPTS...]: perf report vs pfold on FILE
cmp_perf() {
	name=$1 file=$2 mode=$3 only=$4
	shift 4
	sort=comm pidopt=
	[ "$mode" = pid ] && sort=pid pidopt=--pid
	perf report -i "$file" --stdio --no-children --no-inline --sort $sort \
		-g folded,0,caller,count -t '|' > "$TMP/perf.txt" 2>/dev/null
	"$BIN/pfold" -i "$file" "$@" > "$TMP/ours.txt" 2> "$TMP/err.txt"
	python3 "$FOLDED" cmp "$TMP/perf.txt" "$TMP/ours.txt" --tidy --plt $pidopt \
		${only:+--only "$only"} > "$TMP/cmp.out"
	rc=$?
	grep '^#' "$TMP/cmp.out"
	ok $rc "$name"
}

W=$PROGS/fold_work
perf record -q -g -o "$TMP/perf.data" "$W" 150 100 50 >/dev/null 2>&1
cmp_perf "perf record -g file: stacks and counts equal perf report's folded chains" "$TMP/perf.data" comm ""
is "$(folded_total "$TMP/ours.txt")" "$(perf_nsamples "$TMP/perf.data")" "every sample folded (perf script's count)"
grep -q '^fold_work;__libc_start_call_main;main;work_a [0-9]' "$TMP/ours.txt"
ok $? "the hot stack reads comm;outermost;...;leaf"

# byte-order sort, one line per distinct stack, "stack count"
LC_ALL=C sort -c "$TMP/ours.txt" 2>/dev/null
ok $? "lines sorted as stackcollapse-perf.pl sorts them (byte order)"
is "$(cut -d' ' -f1 "$TMP/ours.txt" | sort | uniq -d | wc -l)" 0 "each stack once"
is "$(grep -cv '^[^ ]* [0-9][0-9]*$' "$TMP/ours.txt")" 0 "every line is 'stack count'"

if "$BIN/precord" -q -g -o "$TMP/prec.data" "$W" 100 100 50 >/dev/null 2>&1; then
	cmp_perf "precord -g file: equal to perf report's folded chains" "$TMP/prec.data" comm ""
	is "$(folded_total "$TMP/ours.txt")" "$(perf_nsamples "$TMP/prec.data")" "precord file: every sample folded"
else
	skip "precord failed to record"; skip "precord failed to record"
fi

cmp_perf "--pid: comm-PID root frames equal perf's --sort pid entries" "$TMP/perf.data" pid "" --pid
pid=$(perf script -i "$TMP/perf.data" -F pid 2>/dev/null | tail -1 | tr -d ' ')
tid=$(perf script -i "$TMP/perf.data" -F tid 2>/dev/null | tail -1 | tr -d ' ')
"$BIN/pfold" -i "$TMP/perf.data" --tid | grep -q "^fold_work-$pid/$tid;__libc_start_call_main;main;work_b "
ok $? "--tid: root frame comm-PID/TID"

# --period: perf report's value=period
perf report -i "$TMP/perf.data" --stdio --no-children --no-inline --sort comm \
	-g folded,0,caller,period -t '|' > "$TMP/perf.txt" 2>/dev/null
"$BIN/pfold" -i "$TMP/perf.data" --period > "$TMP/ours.txt"
python3 "$FOLDED" cmp "$TMP/perf.txt" "$TMP/ours.txt" --tidy --plt > "$TMP/cmp.out"
ok $? "--period: summed periods equal perf report's period values"
perf_total=$(perf_period_sum "$TMP/perf.data")
is "$(folded_total "$TMP/ours.txt")" "$perf_total" "--period: total equals the sum of perf script's periods"

# system-wide: compare the stacks of our workloads (other processes of the machine are
# symbolized by the shared symbols layer and may differ from perf where perf 6.1 leaves
# PLT stubs of stripped binaries unnamed); the whole-file totals must still agree
perf record -q -a -g -F 1000 -o "$TMP/sys.data" -- sh -c "$PROGS/sym_spin 300 & $W 150 100 0; wait" >/dev/null 2>&1
cmp_perf "-a -g file: our workloads' stacks equal perf's" "$TMP/sys.data" comm "^(sym_spin|fold_work)$"
is "$(folded_total "$TMP/ours.txt")" "$(perf_nsamples "$TMP/sys.data")" "-a -g file: every sample folded"

# --kernel: kernel frames get _[k], and removing it gives the plain output back
"$BIN/pfold" -i "$TMP/sys.data" --kernel > "$TMP/k.txt"
"$BIN/pfold" -i "$TMP/sys.data" > "$TMP/plain.txt"
[ -s "$TMP/plain.txt" ] && [ "$(sed 's/_\[k\]//g' "$TMP/k.txt" | md5sum)" = "$(md5sum < "$TMP/plain.txt")" ]
ok $? "--kernel only adds _[k]"
nk=$(tr ';' '\n' < "$TMP/k.txt" | grep -c '_\[k\]')
[ "$nk" -gt 0 ]
ok $? "--kernel: kernel frames marked ($nk)"
if [ -r /proc/kallsyms ] && [ "$(awk 'NR==1 { print $1 }' /proc/kallsyms)" != 0000000000000000 ]; then
	tr ';' '\n' < "$TMP/k.txt" | sed -n 's/ [0-9]*$//; s/_\[k\]$//p' | grep -v '^\[' | sort -u > "$TMP/kf.txt"
	awk '{ print $3 }' /proc/kallsyms | sort -u > "$TMP/ks.txt"
	[ -s "$TMP/kf.txt" ] && [ "$(comm -23 "$TMP/kf.txt" "$TMP/ks.txt" | wc -l)" = 0 ]
	ok $? "--kernel: every _[k] frame is a kallsyms symbol"
	tr ';' '\n' < "$TMP/k.txt" | grep -q '^spin_leaf_\[k\]'
	ok $((!$?)) "--kernel: user frames unmarked"
else
	skip "kallsyms hidden"; skip "kallsyms hidden"
fi

# --addrs: frames without a symbol read "[dso <addr>]" with the address perf script
# prints for them (stackcollapse-perf.pl --addrs), counted per sample, in our workloads'
# samples (another process of the machine may sit in a .plt.got slot, which perf 6.1 leaves
# unnamed and we name, as the stacks' comparison above says)
cat > "$TMP/addrs.py" <<'EOF'
import collections, re, sys
from folded import load, tidy
MINE = ('sym_spin', 'fold_work')
perf, comm, nall = collections.Counter(), None, [0, 0]
for line in open(sys.argv[1], errors='replace'):
    line = line.rstrip('\n')
    if line and not line[0].isspace():
        comm = line.split()[0]
        continue
    m = re.match(r'^\s+([0-9a-f]+) \[unknown\] \((.*)\)$', line)
    if m:
        nall[0] += 1
    if m and comm in MINE:
        dso = m.group(2)
        what = 'unknown' if dso == '[unknown]' else dso.rsplit('/', 1)[-1]
        perf[tidy('[%s <%s>]' % (what, m.group(1)))] += 1
ours = collections.Counter()
for st, n in load(sys.argv[2]).items():
    fr = st.split(';')
    nall[1] += n * sum(f.startswith('[') for f in fr[1:])
    if fr[0] not in MINE:
        continue
    for f in fr[1:]:
        if f.startswith('['):
            ours[f] += n
bad = [k for k in set(perf) | set(ours) if perf[k] != ours[k]]
for k in bad[:5]:
    print('# perf script %d pfold %d: %s' % (perf[k], ours[k], k))
print('# %d unresolved frames in our workloads, %d distinct; %d and %d in the whole file (perf, ours)' %
      (sum(ours.values()), len(ours), nall[0], nall[1]))
sys.exit(0 if nall[0] and nall[1] and not bad else 1)
EOF
perf script -i "$TMP/sys.data" -F comm,ip,sym,dso 2>/dev/null > "$TMP/script.txt"
"$BIN/pfold" -i "$TMP/sys.data" --addrs > "$TMP/ours.txt"
python3 "$TMP/addrs.py" "$TMP/script.txt" "$TMP/ours.txt" >"$TMP/addrs.out"
rc=$?
cat "$TMP/addrs.out"
ok $rc "--addrs: '[dso <addr>]' frames are perf script's unresolved frames" || cat "$TMP/addrs.out" >&2

# --inline: the inlined function as its own frame, where addr2line -i sees it
perf record -q -g -o "$TMP/inl.data" "$W" 0 0 150 >/dev/null 2>&1
"$BIN/pfold" -i "$TMP/inl.data" --inline > "$TMP/inl.txt"
"$BIN/pfold" -i "$TMP/inl.data" > "$TMP/noinl.txt"
n_inl=$(awk '/;main;phase_c;inl_mix /{ s += $NF } END { print s + 0 }' "$TMP/inl.txt")
n_c=$(awk '/;main;phase_c /{ s += $NF } END { print s + 0 }' "$TMP/noinl.txt")
# oracle: leaf addresses in phase_c that addr2line -i places inside inl_mix
perf script -i "$TMP/inl.data" -F ip,sym 2>/dev/null | awk 'BEGIN { RS = ""; FS = "\n" } { split($1, a, " "); if (a[2] == "phase_c") print a[1] }' > "$TMP/leafs.txt"
want=0
for a in $(sort "$TMP/leafs.txt" | uniq -c | awk '{ print $2 ":" $1 }'); do
	addr=${a%%:*} cnt=${a##*:}
	if addr2line -i -f -e "$W" "0x$addr" | grep -qx inl_mix; then want=$((want + cnt)); fi
done
[ "$n_inl" -gt 0 ] && [ "$n_inl" = "$want" ]
ok $? "--inline: $n_inl samples in phase_c;inl_mix, addr2line -i says $want (of $n_c in phase_c)"

# -e: one event of several; the default is the first sampled
perf record -q -g -e cpu-clock -e page-faults -o "$TMP/two.data" "$W" 100 0 0 >/dev/null 2>&1
n_pf=$(perf script -i "$TMP/two.data" -F event 2>/dev/null | grep -c page-faults)
"$BIN/pfold" -i "$TMP/two.data" -e page-faults > "$TMP/pf.txt"
is "$(folded_total "$TMP/pf.txt")" "$n_pf" "-e page-faults: only its samples ($n_pf)"
n_cc=$(perf script -i "$TMP/two.data" -F event 2>/dev/null | grep -c cpu-clock)
"$BIN/pfold" -i "$TMP/two.data" -e cpu-clock > "$TMP/cc.txt"
is "$(folded_total "$TMP/cc.txt")" "$n_cc" "-e cpu-clock (event named cpu-clock:u... or cpu-clock) selects it"
first=$(perf script -i "$TMP/two.data" -F event 2>/dev/null | head -1 | tr -d ' :')
"$BIN/pfold" -i "$TMP/two.data" > "$TMP/dflt.txt" 2> "$TMP/err.txt"
case $first in page-faults*) want=$n_pf ;; *) want=$n_cc ;; esac
is "$(folded_total "$TMP/dflt.txt")" "$want" "no -e: the first sampled event ($first)"
grep -q "other events were skipped" "$TMP/err.txt"
ok $? "no -e: a note says the other event was skipped"

# a file without call graphs: the sampled function alone under the comm
perf record -q -o "$TMP/flat.data" "$W" 100 0 0 >/dev/null 2>&1
"$BIN/pfold" -i "$TMP/flat.data" > "$TMP/flat.txt"
grep -q '^fold_work;work_a [0-9]' "$TMP/flat.txt"
ok $? "no -g: comm;sampled function"
is "$(folded_total "$TMP/flat.txt")" "$(perf_nsamples "$TMP/flat.data")" "no -g: every sample folded"

# folded text in, folded text out (as flamegraph.pl's input)
"$BIN/pfold" -i "$TMP/noinl.txt" > "$TMP/again.txt"
cmp -s "$TMP/noinl.txt" "$TMP/again.txt"
ok $? "folded text read back gives the same text"

if command -v flamegraph.pl >/dev/null 2>&1; then
	"$BIN/pfold" -i "$TMP/perf.data" | flamegraph.pl > "$TMP/fg.svg" 2>/dev/null
	grep -q 'work_a' "$TMP/fg.svg"
	ok $? "pfold | flamegraph.pl draws the stacks"
else
	skip "flamegraph.pl not on PATH"
fi

# bad input: one line, exit 1, no crash
"$BIN/pfold" -i "$TMP/nope.data" > /dev/null 2> "$TMP/err.txt"
rc=$?
[ $rc = 1 ] && [ "$(wc -l < "$TMP/err.txt")" = 1 ] && grep -q "precord -g" "$TMP/err.txt"
ok $? "missing file: one line that says how to record one"
"$BIN/pfold" -i "$TMP/two.data" -e cycles > /dev/null 2> "$TMP/err.txt"
[ $? = 1 ] && grep -q "has no event 'cycles' (it has: " "$TMP/err.txt"
ok $? "unknown -e: names the events the file has"
# cut inside a record of the data section (records are 8-byte multiples: 5 bytes past a
# multiple of 8 from the data's start is inside one)
cut=$(od -An -t u8 -j 40 -N 16 "$TMP/perf.data" | awk '{ print $1 + int($2 / 16) * 8 + 5 }')
head -c "$cut" "$TMP/perf.data" > "$TMP/cut.data"
"$BIN/pfold" -i "$TMP/cut.data" > /dev/null 2> "$TMP/err.txt"
[ $? = 0 ] && grep -q "cut.data: data section claims .* (truncated file): reading what is there" "$TMP/err.txt" &&
	grep -q "bytes of data left unread" "$TMP/err.txt"
ok $? "truncated perf.data: read up to the cut, the truncation and the bytes left unread said, exit 0"
printf 'a;b 3\nnot a folded line\n' > "$TMP/bad.txt"
"$BIN/pfold" -i "$TMP/bad.txt" > /dev/null 2> "$TMP/err.txt"
[ $? = 1 ] && grep -q "bad.txt:2: not a folded stack line" "$TMP/err.txt"
ok $? "bad folded text: names the line"
"$BIN/pfold" --diff "$TMP/perf.data" > /dev/null 2>&1
is $? 129 "--diff with one file: usage error"
"$BIN/pfold" --colors rainbow --svg -i "$TMP/perf.data" > /dev/null 2>&1
is $? 129 "unknown --colors: usage error"

done_testing
