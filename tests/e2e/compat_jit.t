#!/bin/sh
# JIT code named in /tmp/perf-PID.map: preport names its DSO "[JIT] tid PID" as perf report
# does, in the dso column, the dso sort key and the --dsos filter; pscript keeps the map's path
# as perf script does.
. "$(dirname "$0")/lib.sh"
perf record -q -o "$TMP/jit.data" "$PROGS/jit_map" 0.3 >"$TMP/path" 2>/dev/null
is "$?" 0 "perf records the JIT workload"
map=$(cat "$TMP/path")
pid=$(echo "$map" | sed -E 's/.*perf-([0-9]+)\.map/\1/')
trap 'rm -rf "$TMP" "$map"' EXIT
for opts in "" "--sort dso" "--sort dso,sym -g none" "--no-children --sort comm,dso,sym"; do
	# shellcheck disable=SC2086
	perf report -i "$TMP/jit.data" --stdio $opts 2>/dev/null | no_tip >"$TMP/p"
	# shellcheck disable=SC2086
	$BIN/preport -i "$TMP/jit.data" --stdio $opts 2>&1 | no_tip >"$TMP/o"
	# (a sample in libc's __tunable_get_val@plt: "@plt" to perf, a row among its ties elsewhere)
	plt_names "$TMP/o" "$TMP/p"
	plt_rows_apart "$TMP/o" "$TMP/p"
	check "preport ${opts:-(default)} equals perf report's" cmp -s "$TMP/o" "$TMP/p" || diff_diag 10 "$TMP/o" "$TMP/p"
done
grep -q "\[JIT\] tid $pid .*jit_spin" "$TMP/o"; ok $? "the JIT symbol's row names [JIT] tid $pid"
perf report -i "$TMP/jit.data" --stdio --dsos "[JIT] tid $pid" 2>/dev/null | no_tip >"$TMP/p"
$BIN/preport -i "$TMP/jit.data" --stdio --dsos "[JIT] tid $pid" 2>&1 | no_tip >"$TMP/o"
check "--dsos '[JIT] tid $pid' keeps the same rows as perf's" cmp -s "$TMP/o" "$TMP/p" || diff_diag 10 "$TMP/o" "$TMP/p"
perf script -i "$TMP/jit.data" 2>/dev/null >"$TMP/p"
$BIN/pscript -i "$TMP/jit.data" 2>&1 >"$TMP/o"
plt_names "$TMP/o" "$TMP/p"	# a sample in libc's __tunable_get_val@plt: "@plt" to perf
check "pscript equals perf script (the map's path in parentheses)" cmp -s "$TMP/o" "$TMP/p" || diff_diag 10 "$TMP/o" "$TMP/p"
grep -q "jit_spin+0x[0-9a-f]* ($map)" "$TMP/o"; ok $? "pscript names jit_spin in $map"
done_testing
