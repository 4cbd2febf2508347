#!/bin/sh
# make demo: count the bundled example with pstat, record it with call graphs with precord,
# and draw its flame graph with pfold. Steps whose command is not built yet say so.
BIN=${1:-$(pwd)/build}
PROG=$BIN/tests/progs/demo
OUT=$(pwd)/build/demo
mkdir -p "$OUT"
echo "== pstat $PROG"
"$BIN/pstat" "$PROG" || exit 1
if [ -x "$BIN/precord" ]; then
	echo "== precord -g -o $OUT/perf.data $PROG"
	"$BIN/precord" -g -o "$OUT/perf.data" "$PROG" || exit 1
else
	echo "== precord: not built in this tree yet"
fi
if [ -x "$BIN/pfold" ] && [ -f "$OUT/perf.data" ]; then
	echo "== pfold --svg -i $OUT/perf.data -o $OUT/flame.svg"
	"$BIN/pfold" --svg -i "$OUT/perf.data" -o "$OUT/flame.svg" || exit 1
	echo "flame graph: $OUT/flame.svg"
else
	echo "== pfold: not built in this tree yet (no flame graph)"
fi
