#!/bin/sh
# preport's interning of samples alike (issue 22: a chain resolved and inserted once, the
# other samples' periods added at the end) gives the output of the sample-by-sample path
# (PREPORT_NO_INTERN=1) byte for byte, in every call-graph mode and sort tried here, on
# perf's and our -g and -a -g files (short-lived processes: maps change between samples of
# one thread) and on a --call-graph dwarf file (not interned, mixed with nothing). With a
# budget of 1000 bytes for the keys' records (PREPORT_INTERN_BUDGET), the keys are dropped
# again and again while the -a -g file is read: the output is the same too.
. "$(dirname "$0")/lib.sh"
PR=$BIN/preport
perf record -q -g -F 4000 -o "$TMP/perf-g.data" "$PROGS/rep_tree" 1000 >/dev/null 2>&1
perf record -q -a -g -F 2000 -o "$TMP/perf-ag.data" -- \
	sh -c "$PROGS/rep_tree 800 & for i in 1 2 3 4 5 6 7 8; do ls / >/dev/null; sh -c true; done; wait" \
	>/dev/null 2>&1
"$BIN/precord" -q -g -F 4000 -o "$TMP/our-fork.data" "$PROGS/rec_fork" >/dev/null 2>&1
"$BIN/precord" -q --call-graph dwarf -o "$TMP/our-dwarf.data" "$PROGS/unw_chain" >/dev/null 2>&1
MODES="--children|--no-children|-g none|--sort pid,sym -g caller|--sort cpu,comm --no-children -g folded|-g address,0.1 --sort sym,parent --parent rep_|-g flat,0,caller,count|-g fractal,0.5,callee,period --sort dso,sym"
for f in perf-g perf-ag our-fork our-dwarf; do
	if [ ! -s "$TMP/$f.data" ]; then
		skip "$f: the recording failed"
		continue
	fi
	IFS='|'
	for m in $MODES; do
		IFS=' '
		# shellcheck disable=SC2086
		"$PR" -i "$TMP/$f.data" --stdio $m >"$TMP/a" 2>&1
		# shellcheck disable=SC2086
		PREPORT_NO_INTERN=1 "$PR" -i "$TMP/$f.data" --stdio $m >"$TMP/b" 2>&1
		lines=$(grep -c '%' "$TMP/b")
		ok "$(cmp -s "$TMP/a" "$TMP/b" && [ "$lines" -gt 0 ]; echo $?)" \
			"$f, $m: interned output equals the sample-by-sample one ($lines lines with %)"
		if [ "$f" = perf-ag ]; then
			# shellcheck disable=SC2086
			PREPORT_INTERN_BUDGET=1000 "$PR" -i "$TMP/$f.data" --stdio $m >"$TMP/c" 2>&1
			ok "$(cmp -s "$TMP/a" "$TMP/c"; echo $?)" \
				"$f, $m: the same with the keys dropped past a small budget"
		fi
		IFS='|'
	done
	IFS=' '
	if [ "$f" = perf-ag ]; then
		PREPORT_INTERN_BUDGET=1000 "$PR" -vv -i "$TMP/$f.data" --stdio >/dev/null 2>"$TMP/v"
		grep -q 'interned keys dropped [1-9][0-9]* times' "$TMP/v"
		st=$?
		ok $st "$f: the small budget was taken: the keys were $(grep -o 'dropped [0-9]*' "$TMP/v")"
	fi
done
# a budget that is not a number of bytes: a usage error naming it, no report
PREPORT_INTERN_BUDGET=64M "$PR" -i "$TMP/perf-g.data" --stdio >"$TMP/out" 2>"$TMP/err"
st=$?
[ $st = 129 ] && [ ! -s "$TMP/out" ] && grep -q "PREPORT_INTERN_BUDGET.*'64M'" "$TMP/err"
ok $? "PREPORT_INTERN_BUDGET=64M: usage error ($st) that names it, no report"
done_testing
