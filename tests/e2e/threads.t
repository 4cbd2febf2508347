#!/bin/sh
# -j/--threads (issue 22): with 2 threads the file is read, decompressed and parsed on a second
# thread while the first replays and aggregates; the output of preport, pfold, pscript and
# pannotate is the one-thread output byte for byte (stdout and stderr) on perf's and our
# recordings: -g, -a -g with short-lived processes, -z (compressed), tracepoints with call
# chains, --call-graph dwarf (the -a -g file's report has some 650 rows: with 2 threads preport
# also sorts their call graphs on a second thread, from 256 rows on). Also: -j takes only a
# positive number; no progress line where there should be none.
. "$(dirname "$0")/lib.sh"
perf record -q -g -F 4000 -o "$TMP/perf-g.data" "$PROGS/rep_tree" 1000 >/dev/null 2>&1
perf record -q -a -g -z -F 4000 -o "$TMP/perf-agz.data" -- \
	sh -c "$PROGS/rep_tree 800 & for i in 1 2 3 4 5 6 7 8; do ls / >/dev/null; sh -c true; done; wait" \
	>/dev/null 2>&1
perf record -q -a -g -e sched:sched_switch -e sched:sched_process_exec -o "$TMP/perf-tp.data" -- \
	sh -c 'for i in 1 2 3 4 5 6; do ls / >/dev/null; sleep 0.01; done' >/dev/null 2>&1
perf record -q --call-graph dwarf -o "$TMP/perf-dwarf.data" "$PROGS/unw_chain" >/dev/null 2>&1
"$BIN/precord" -q -g -F 4000 -o "$TMP/our-fork.data" "$PROGS/rec_fork" >/dev/null 2>&1
"$BIN/precord" -q --call-graph dwarf -o "$TMP/our-dwarf.data" "$PROGS/unw_chain" >/dev/null 2>&1

# same FILE DESC TOOL ARGS...: TOOL's output with -j 1 and -j 2 are equal and not empty
same() {
	f=$1 d=$2; shift 2
	"$BIN/$@" -i "$TMP/$f.data" -j 1 >"$TMP/a" 2>&1
	"$BIN/$@" -i "$TMP/$f.data" --threads 2 >"$TMP/b" 2>&1
	lines=$(wc -l <"$TMP/b")
	ok "$(cmp -s "$TMP/a" "$TMP/b" && [ "$lines" -gt 3 ]; echo $?)" \
		"$f, $d: -j 1 and -j 2 print the same ($lines lines)"
}
for f in perf-g perf-agz perf-tp perf-dwarf our-fork our-dwarf; do
	if [ ! -s "$TMP/$f.data" ]; then
		skip "$f: the recording failed"
		continue
	fi
	same $f "preport" preport --stdio
	case $f in perf-agz|perf-tp|our-fork)
		same $f "preport --no-children --sort pid,sym -g caller" preport --stdio --no-children --sort pid,sym -g caller
	esac
	same $f "pfold" pfold
	same $f "pscript" pscript
done
if [ -s "$TMP/perf-agz.data" ]; then
	rows=$("$BIN/preport" -i "$TMP/perf-agz.data" --stdio 2>/dev/null | grep -cE '^ +[0-9.]+% +[0-9.]+%')
	diag "perf-agz: $rows rows (preport -j 2 sorts call graphs on a second thread from 256 on)"
fi
for f in perf-g our-dwarf; do
	[ -s "$TMP/$f.data" ] && same $f "pannotate" pannotate --stdio
done
if [ -s "$TMP/perf-agz.data" ]; then
	n=$("$BIN/pscript" -i "$TMP/perf-agz.data" -G -j 1 | wc -l)
	diag "perf-agz: $n samples (more than the $((8 * 512)) records the batch ring holds)"
	"$BIN/preport" -i "$TMP/perf-agz.data" --stdio -j 1 --sort comm >"$TMP/a" 2>&1
	PREPORT_NO_INTERN=1 "$BIN/preport" -i "$TMP/perf-agz.data" --stdio -j 2 --sort comm >"$TMP/b" 2>&1
	ok "$(cmp -s "$TMP/a" "$TMP/b"; echo $?)" "perf-agz: -j 2 without interning equals -j 1 with it"
fi
# the progress line: never when stderr is not a terminal (the runs above: their stderr went
# to a file), and on a terminal not for a walk under a second (its wording and timing:
# test_session's test_progress)
if [ -s "$TMP/perf-g.data" ] && command -v script >/dev/null; then
	script -qc "'$BIN/pfold' -i '$TMP/perf-g.data' -j 2 >/dev/null" /dev/null >"$TMP/tty" 2>&1
	ok "$(! grep -q 'records/s' "$TMP/tty" "$TMP/a" "$TMP/b"; echo $?)" \
		"no progress line for a short walk on a terminal, nor into a file"
fi
for bad in 0 -1 x 2x; do
	"$BIN/pfold" -i "$TMP/perf-g.data" -j "$bad" >/dev/null 2>"$TMP/err"
	st=$?
	ok "$([ $st = 129 ] && grep -q 'threads' "$TMP/err"; echo $?)" "pfold -j $bad: usage error ($st)"
done
done_testing
