#!/bin/sh
# pfold --pprof: a gzip'd perftools.profiles.Profile. Decoded here by a protobuf wire
# reader written in the test (independent of protobuf-c), and by protoc --decode with
# report/fold/pprof.proto where protoc is installed: sample totals equal perf script's sample
# count (and summed periods with --period), every stack equals pfold's folded text once
# its leaf-first location ids are turned back into names, and the tables are consistent.
. "$(dirname "$0")/lib.sh"

W=$PROGS/fold_work
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
perf record -q -g -o "$TMP/perf.data" "$W" 120 80 40 >/dev/null 2>&1
"$BIN/pfold" -i "$TMP/perf.data" --pprof "$TMP/p.pb.gz"
ok $? "pfold --pprof FILE.pb.gz"
gzip -t "$TMP/p.pb.gz" 2>/dev/null
ok $? "gzip container is valid"
"$BIN/pfold" -i "$TMP/perf.data" > "$TMP/folded.txt"
nsamp=$(perf_nsamples "$TMP/perf.data")
psum=$(perf_period_sum "$TMP/perf.data")

cat > "$TMP/dec.py" <<'EOF'
import collections, gzip, sys

def varint(b, i):
    v = s = 0
    while True:
        c = b[i]; i += 1
        v |= (c & 0x7f) << s; s += 7
        if c < 0x80:
            return v, i

def fields(b):
    i, out = 0, []
    while i < len(b):
        key, i = varint(b, i)
        f, wt = key >> 3, key & 7
        if wt == 0:
            v, i = varint(b, i)
        elif wt == 2:
            n, i = varint(b, i); v = b[i:i + n]; i += n
        elif wt == 1:
            v = b[i:i + 8]; i += 8
        elif wt == 5:
            v = b[i:i + 4]; i += 4
        else:
            raise ValueError('wire type %d' % wt)
        out.append((f, wt, v))
    return out

def ints(wt, v):		# a repeated scalar: packed (wire type 2) or one value
    if wt == 0:
        return [v]
    r, i = [], 0
    while i < len(v):
        x, i = varint(v, i); r.append(x)
    return r

def sint(x):
    return x - (1 << 64) if x >= 1 << 63 else x

prof = fields(gzip.open(sys.argv[1]).read())
strings = [v.decode() for f, wt, v in prof if f == 6]
st = [dict((f, v) for f, wt, v in fields(v)) for f, wt, v in prof if f == 1]
funcs, locs, maps, samples = {}, {}, {}, []
for f, wt, v in prof:
    d = fields(v) if wt == 2 and f in (2, 3, 4, 5) else None
    if f == 5:
        m = dict((g, x) for g, w, x in d); funcs[m[1]] = strings[m.get(2, 0)]
    elif f == 4:
        m = dict((g, x) for g, w, x in d if g != 4)
        lines = [dict((g, x) for g, w, x in fields(x)) for g, w, x in d if g == 4]
        locs[m[1]] = (m.get(2, 0), m.get(3, 0), [l[1] for l in lines])
    elif f == 3:
        m = dict((g, x) for g, w, x in d); maps[m[1]] = m
    elif f == 2:
        ids, vals, labels = [], [], {}
        for g, w, x in d:
            if g == 1: ids += ints(w, x)
            elif g == 2: vals += [sint(y) for y in ints(w, x)]
            elif g == 3:
                l = dict((h, y) for h, ww, y in fields(x)); labels[strings[l[1]]] = strings[l.get(2, 0)]
        samples.append((ids, vals, labels))
types = ['%s/%s' % (strings[t.get(1, 0)], strings[t.get(2, 0)]) for t in st]
bad = 0
for lid, (mid, addr, fids) in locs.items():
    bad += any(fid not in funcs for fid in fids) or (mid and mid not in maps)
    if mid and addr:
        m = maps[mid]; bad += not (m.get(2, 0) <= addr < m.get(3, 0))
stacks = collections.Counter()
for ids, vals, labels in samples:
    names = [funcs[locs[i][2][0]] for i in reversed(ids)]	# leaf first in pprof
    stacks[';'.join([labels.get('comm', '?')] + names)] += vals[0]
print('types', ' '.join(types))
print('total', ' '.join(str(sum(s[1][k] for s in samples)) for k in range(len(st))))
print('badrefs', bad)
with open(sys.argv[2], 'w') as out:
    for k in sorted(stacks):
        out.write('%s %d\n' % (k, stacks[k]))
EOF
python3 "$TMP/dec.py" "$TMP/p.pb.gz" "$TMP/back.txt" > "$TMP/dec.out"
ok $? "the profile decodes (protobuf wire format read by the test)"
is "$(sed -n 's/^types //p' "$TMP/dec.out")" "samples/count" "sample type samples/count"
is "$(sed -n 's/^total //p' "$TMP/dec.out")" "$nsamp" "total samples = perf script's sample count ($nsamp)"
is "$(sed -n 's/^badrefs //p' "$TMP/dec.out")" 0 "every location names a function and a mapping that exist, addresses inside it"
LC_ALL=C sort "$TMP/folded.txt" > "$TMP/f.sorted"
LC_ALL=C sort "$TMP/back.txt" > "$TMP/b.sorted"
cmp -s "$TMP/f.sorted" "$TMP/b.sorted"
ok $? "stacks (comm label + locations leaf first) equal pfold's folded text"

"$BIN/pfold" -i "$TMP/perf.data" --period --pprof "$TMP/pp.pb.gz"
python3 "$TMP/dec.py" "$TMP/pp.pb.gz" "$TMP/back2.txt" > "$TMP/dec2.out"
ev=$(perf script -i "$TMP/perf.data" -F event 2>/dev/null | head -1 | sed 's/^ *//; s/: *$//')
is "$(sed -n 's/^types //p' "$TMP/dec2.out")" "samples/count $ev/nanoseconds" "--period: second type is the event in its unit"
is "$(sed -n 's/^total //p' "$TMP/dec2.out")" "$nsamp $psum" "--period: totals are the sample count and perf script's summed periods"

if command -v protoc >/dev/null 2>&1; then
	gzip -dc "$TMP/pp.pb.gz" | protoc --decode perftools.profiles.Profile \
		-I "$ROOT/report" "$ROOT/report/fold/pprof.proto" > "$TMP/protoc.txt" 2>&1
	ok $? "protoc --decode with report/fold/pprof.proto reads it"
	n=$(grep -c '^sample {' "$TMP/protoc.txt")
	is "$n" "$(wc -l < "$TMP/folded.txt")" "protoc sees one sample per distinct stack"
else
	skip "protoc not installed (protobuf-compiler)"; skip "protoc not installed"
fi

"$BIN/pfold" -i "$TMP/perf.data" --pprof "$TMP/nodir/x.pb.gz" 2> "$TMP/err.txt"
[ $? = 1 ] && grep -q "cannot write $TMP/nodir/x.pb.gz" "$TMP/err.txt"
ok $? "unwritable --pprof path: one line, exit 1"

done_testing
