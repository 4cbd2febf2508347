#!/bin/sh
# A corpus of damaged perf.data files, made by the tests' own mutator (corpus_gen.py) from
# fresh recordings of perf record and precord: flips, overwrites and truncation in every region
# of the file, swapped and duplicated records, feature-table damage, lying data sizes. All four
# readers read each file (corpus_check.py) with no crash, no hang, bounded memory, and at least
# as many samples as perf 6.1 reports for it where perf itself does not crash. The mutator's
# seed is fixed (CORPUS_SEED=N tries another); the corpus kept under tests/corpus (made by the
# same mutator from two small recordings, tests/corpus/README.md) is replayed with it.
. "$(dirname "$0")/lib.sh"
GEN=$E2E_DIR/corpus_gen.py
CHECK=$E2E_DIR/corpus_check.py

perf record -q -g -o "$TMP/perf.data" "$PROGS/sym_spin" 150 >/dev/null 2>&1
"$BIN/precord" -q -g -o "$TMP/prec.data" -- "$PROGS/sym_spin" 150 >/dev/null 2>&1
if [ ! -s "$TMP/perf.data" ] || [ ! -s "$TMP/prec.data" ]; then
	skip "a recording failed"; done_testing
fi
seed=${CORPUS_SEED:-21}
diag "mutator seed $seed (CORPUS_SEED=$seed replays it)"
python3 "$GEN" "$TMP/perf.data" "$TMP/corpus" "$seed" >"$TMP/names.perf"
# precord's file: the kinds of damage a killed or cut recording and a bad copy make
python3 "$GEN" "$TMP/prec.data" "$TMP/corpus-prec" "$seed" \
	'^(trunc-(data-1|midrecord)|datasize-zero-cut|feat-outside-0|dup-1|flip-data)' >"$TMP/names.prec"
n=$(cat "$TMP/names.perf" "$TMP/names.prec" | wc -l)
[ "$n" -gt 40 ]; ok $? "the mutator made $n damaged files"
python3 - "$E2E_DIR/../corpus" "$TMP/kept" >"$TMP/names.kept" <<'EOF'
import gzip, os, sys
src, dst = sys.argv[1:3]
for d in sorted(os.listdir(src)):
    if not os.path.isdir(os.path.join(src, d)):
        continue
    os.makedirs(os.path.join(dst, d))
    for f in sorted(os.listdir(os.path.join(src, d))):
        if f.endswith(".data.gz"):
            with gzip.open(os.path.join(src, d, f)) as z, open(os.path.join(dst, d, f[:-3]), "wb") as o:
                o.write(z.read())
            print(d + "/" + f[:-3])
EOF
kept=$(grep -c . "$TMP/names.kept")
[ "$kept" -gt 50 ] && grep -q '^perf/feat-unknownbit' "$TMP/names.kept" && grep -q '^precord/trunc-midrecord' "$TMP/names.kept"
ok $? "the corpus kept under tests/corpus: $kept files (perf's and precord's)"
for kind in trunc-header trunc-attrs trunc-data trunc-featidx trunc-featdata flip- over- swap- dup- feat-outside feat-unknownbit datasize-zero; do
	grep -q "^$kind" "$TMP/names.perf" || { ok 1 "no $kind file"; }
done

python3 "$CHECK" "$BIN" spin_leaf "$TMP"/corpus/*.data "$TMP"/corpus-prec/*.data \
	"$TMP"/kept/*/*.data >"$TMP/result" 2>&1
sum=$(tail -1 "$TMP/result")
diag "$sum"
grep -v '^files ' "$TMP/result" | head -20 | sed 's/^/# /'
get() { echo "$sum" | sed -n "s/.*\\b$1 \\([0-9]*\\).*/\\1/p"; }
is "$(get files)" "$((n + kept))" "every file was read by the four readers and perf"
is "$(get crashes)" 0 "no crash or sanitizer report"
is "$(get hangs)" 0 "no hang (20 s each)"
is "$(get memory)" 0 "no reader past 512 MiB"
is "$(get fewer)" 0 "never fewer samples than perf 6.1 reports for the same file"
[ "$(get warned)" -gt 0 ]; ok $? "the damage is said ($(get warned) reads warned)"
done_testing
