#!/bin/sh
# The streaming tools' memory stays flat under process churn (issue 22: "streaming tools
# flat"): pscript, pfold and pannotate free the threads and maps of exited processes once a
# second of recorded time has passed since their EXIT (report/session/session.h,
# SESSION_RECLAIM_ROUND_NS), and print what keeping them would give. preport frees their maps
# and keeps the threads (its entries point at them): it grows by a thread a process.
#
# The files: a perf record of a short program, then N short-lived processes appended one after
# another, 1 ms of recorded time each (hardening_gen.py churn: FORK, 4 libraries mapped, 2
# samples, EXIT), 20000 and 80000 of them. Every such process kept costs a thread, a maps and
# its 4 maps: this test fails on a build that keeps them (measured: 625-652 bytes a process,
# each tool, -j1 and -j2). Here peak RSS may grow by 200 bytes a process at most; seen: -36 to
# +53 (allocator and huge-page noise, a few MB either way: runs of 20000, 40000, 60000 and
# 100000 processes were not in that order). preport may grow by 400 bytes a process (seen:
# 120-180, a thread struct and its slot; 615 before). The files have no call chains, so no
# chain memo (bounded by itself) grows with them either.
#
# And the output: on a -g file of the same churn, pscript prints exactly what perf script
# prints (PLT slots spelled alike), and pfold --pid folds every process's samples as perf
# report does.
. "$(dirname "$0")/lib.sh"

G="python3 $(dirname "$0")/hardening_gen.py"
RUNRSS=$PROGS/runrss

perf record -q -F 999 -o "$TMP/base.data" -- "$PROGS/cpu_burn" 100 >/dev/null 2>&1
perf record -q -g -F 999 -o "$TMP/base_g.data" -- "$PROGS/cpu_burn" 100 >/dev/null 2>&1
$G churn "$TMP/base.data" "$TMP/c20k.data" 20000 &&
	$G churn "$TMP/base.data" "$TMP/c80k.data" 80000 &&
	$G churn "$TMP/base_g.data" "$TMP/g5k.data" 5000
ok $? "churn files made from perf record's (20000 and 80000 processes; 5000 with call chains)"

# what is freed, and that perf reads the files as they are meant
"$BIN/pscript" -vv -i "$TMP/c80k.data" >"$TMP/c80k.txt" 2>"$TMP/c80k.err"
is "$?" 0 "pscript reads the 80000-process file"
freed=$(sed -n 's/.*: \([0-9]*\) exited threads freed during the replay$/\1/p' "$TMP/c80k.err")
diag "pscript -vv: ${freed:-no} exited threads freed"
[ "${freed:-0}" -ge 77000 ]
ok $? "the exited processes were freed as the replay went (${freed:-0} of 80000; the last two seconds' stay)"
is "$(grep -c '^ *cpu_burn  *2[0-9]\{6\} ' "$TMP/c80k.txt")" 160000 \
	"their 160000 samples are printed under the comm they were forked with"

if ldd "$BIN/pscript" 2>/dev/null | grep -q 'libasan'; then
	skip "an ASan build keeps freed memory in quarantine: RSS says nothing (the run still checks every free)"
else
	for tool in pscript pfold "pannotate --stdio"; do
		for j in 1 2; do
			"$RUNRSS" "$TMP/r20" $BIN/$tool -j$j -i "$TMP/c20k.data" >/dev/null 2>&1
			"$RUNRSS" "$TMP/r80" $BIN/$tool -j$j -i "$TMP/c80k.data" >/dev/null 2>&1
			r20=$(cat "$TMP/r20") r80=$(cat "$TMP/r80")
			per=$(awk -v a="$r20" -v b="$r80" 'BEGIN { printf "%d", (b - a) * 1024 / 60000 }')
			[ -n "$r20" ] && [ -n "$r80" ] && [ "$per" -lt 200 ]
			ok $? "$tool -j$j: peak RSS ${r20} kB at 20000 processes, ${r80} kB at 80000 ($per bytes a process, bound 200)"
		done
	done
	# preport keeps each exited thread (its entries point at them), not its maps
	for j in 1 2; do
		"$RUNRSS" "$TMP/r20" "$BIN/preport" --stdio -j$j -i "$TMP/c20k.data" >/dev/null 2>&1
		"$RUNRSS" "$TMP/r80" "$BIN/preport" --stdio -j$j -i "$TMP/c80k.data" >/dev/null 2>&1
		r20=$(cat "$TMP/r20") r80=$(cat "$TMP/r80")
		per=$(awk -v a="$r20" -v b="$r80" 'BEGIN { printf "%d", (b - a) * 1024 / 60000 }')
		[ -n "$r20" ] && [ -n "$r80" ] && [ "$per" -lt 400 ]
		ok $? "preport -j$j: peak RSS ${r20} kB at 20000 processes, ${r80} kB at 80000 ($per bytes a process, bound 400)"
	done
fi

perf script -i "$TMP/g5k.data" >"$TMP/g.perf" 2>/dev/null
"$BIN/pscript" -i "$TMP/g5k.data" >"$TMP/g.ours" 2>"$TMP/g.err"
# the chain copied into every process may hold a PLT slot (docs/compat.md, plt-name)
plt_names "$TMP/g.perf" "$TMP/g.ours"
is "$(wc -l <"$TMP/g.ours")" "$(wc -l <"$TMP/g.perf")" "pscript prints as many lines as perf script on the -g churn file"
cmp -s "$TMP/g.perf" "$TMP/g.ours"
ok $? "and the same bytes"
perf report -i "$TMP/g5k.data" --stdio --no-children --no-inline --sort pid \
	-g folded,0,caller,count -t '|' >"$TMP/g.perf_fold" 2>/dev/null
"$BIN/pfold" --pid -i "$TMP/g5k.data" >"$TMP/g.fold" 2>"$TMP/g.ferr"
python3 "$FOLDED" cmp "$TMP/g.perf_fold" "$TMP/g.fold" --tidy --plt --pid >"$TMP/cmp.out"
rc=$?
grep '^#' "$TMP/cmp.out"
ok $rc "pfold --pid: every process's stacks and counts equal perf report's"

# A thread other than the main one execs a program that runs 2.5 s (exec_thread): the leader's
# EXIT comes first, then the exec'ing thread goes on under the leader's tid with no FORK. The
# leader is not freed while another thread holds its maps (thread.c, reclaimable), so the new
# program's samples keep its comm and maps; freed, they were ":PID" and [unknown] from the
# second round on.
perf record -q -g -o "$TMP/et.data" -- "$PROGS/exec_thread" "$PROGS/sym_spin" 2500 >/dev/null 2>&1
perf script -i "$TMP/et.data" 2>/dev/null | grep -v '^[[:space:]]' >"$TMP/et.perf"
"$BIN/pscript" -i "$TMP/et.data" 2>"$TMP/et.err" | grep -v '^[[:space:]]' >"$TMP/et.ours"
is "$(grep -c '^ *sym_spin ' "$TMP/et.ours")" "$(grep -c '^ *sym_spin ' "$TMP/et.perf")" \
	"a thread that execs: pscript puts as many samples under the new program's comm as perf"
cmp -s "$TMP/et.perf" "$TMP/et.ours"
ok $? "and every sample header is perf script's"
perf report -i "$TMP/et.data" --stdio --no-children --no-inline --sort comm \
	-g folded,0,caller,count -t '|' >"$TMP/et.perf_fold" 2>/dev/null
"$BIN/pfold" -i "$TMP/et.data" >"$TMP/et.fold" 2>/dev/null
# (the new program's only: perf cuts the comm column of the few samples before the exec)
python3 "$FOLDED" cmp "$TMP/et.perf_fold" "$TMP/et.fold" --tidy --plt --only sym_spin >"$TMP/cmp.out"
rc=$?
grep '^#' "$TMP/cmp.out"
ok $rc "pfold: the exec'd program's stacks and counts equal perf report's"
done_testing
