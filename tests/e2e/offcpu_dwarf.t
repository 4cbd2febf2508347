#!/bin/sh
# precord --off-cpu --call-graph dwarf (issue 16): the waits' user stacks are unwound by DWARF
# from the user regs and stack copied at each switch-out, as perf's -e sched:sched_switch
# --call-graph dwarf does; frame-pointer chains lose the callers of frameless libc wrappers
# (sleeper;clock_nanosleep), DWARF keeps them (sleeper;sleep_1s;__GI___nanosleep). Ground truth
# by construction: offcpu4's threads measure their own waits (see tests/progs/offcpu4.c). perf
# 6.1 is the oracle for the file: it reads it without a warning and unwinds the same stacks
# (per-symbol off-CPU totals and perf script's stacks equal ours). Also the wakers' stacks.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/offcpu_lib.sh"

# -m 1024 (4 MB per CPU): each sample and switch carries 8 KB of stack, and the default 512 KB
# ring filled while CI's parallel phase kept the recorder off the CPU (one chunk lost, which
# perf then warns about: the file's format is what the checks below are about)
"$BIN/precord" --off-cpu --call-graph dwarf -F 1000 -m 1024 -o "$TMP/oc.data" "$W" > "$TMP/truth.txt" 2> "$TMP/rec.err"
ok $? "precord --off-cpu --call-graph dwarf records offcpu4"
grep '^\[ precord:' "$TMP/rec.err" | sed 's/^/# /'
perf report -i "$TMP/oc.data" --header-only 2>/dev/null | grep '^# event : name = offcpu-time,' > "$TMP/attr.txt"
grep -q 'REGS_USER|STACK_USER' "$TMP/attr.txt" && grep -q 'exclude_callchain_user = 1' "$TMP/attr.txt"
ok $? "offcpu-time carries user regs and stack, its call chain the kernel part only (as sched_switch's)"

"$BIN/pfold" -i "$TMP/oc.data" > "$TMP/oc.folded" 2> "$TMP/fold.err"
ok $? "pfold unwinds the on- and off-CPU stacks"
near "off-CPU under sleeper;sleep_1s;...nanosleep" \
	"$(folded_sum "$TMP/oc.folded" '/^sleeper;.*;sleeper;sleep_1s;[^;]*nanosleep;.*;schedule;__schedule;\[off-cpu:sleeping\] [0-9]+$/')" \
	"$(truth sleeper)" 5
near "off-CPU under locker;lock_wait;...lll_lock_wait" \
	"$(folded_sum "$TMP/oc.folded" '/^locker;.*;locker;lock_wait;.*lll_lock_wait;.*\[off-cpu:/')" \
	"$(truth locker)" 5
near "off-CPU under reader;pipe_wait;...read" \
	"$(folded_sum "$TMP/oc.folded" '/^reader;.*;reader;pipe_wait;.*read;.*\[off-cpu:/')" "$(truth reader)" 5

perf report -i "$TMP/oc.data" --stdio > /dev/null 2> "$TMP/perf-report.err"
is "$(cat "$TMP/perf-report.err")" "" "perf report reads the file without a warning"
perf script -i "$TMP/oc.data" > "$TMP/perf-script.txt" 2> "$TMP/perf-script.err"
is "$(cat "$TMP/perf-script.err")" "" "perf script reads it without a warning"
grep -A16 ' offcpu-time:' "$TMP/perf-script.txt" | grep -q ' sleep_1s[+ ]'
ok $? "perf script unwinds an offcpu-time sample through sleep_1s"
offcpu_section() { sed -n "/of event 'offcpu-time'/,\$p" | grep -v '^# (Tip' | no_comments; }
perf report -i "$TMP/oc.data" --stdio --children --sort sym -g none --show-total-period \
	--percent-limit 0 2>/dev/null | offcpu_section > "$TMP/perf-sym.txt"
"$BIN/preport" -i "$TMP/oc.data" --stdio --children --sort sym -g none --show-total-period \
	--percent-limit 0 --no-time-ms 2>/dev/null | offcpu_section > "$TMP/ours-sym.txt"
plt_names "$TMP/perf-sym.txt" "$TMP/ours-sym.txt"	# a sample in a libc slot: perf's "@plt" (docs/compat.md, plt-name)
plt_rows_apart "$TMP/perf-sym.txt" "$TMP/ours-sym.txt"	# (which sorts elsewhere among its ties)
perf_split_apart "$TMP/perf-sym.txt" "$TMP/ours-sym.txt"	# one entry perf shows as two rows
if grep -q ' sleep_1s$' "$TMP/perf-sym.txt" && [ "$(ndiff "$TMP/perf-sym.txt" "$TMP/ours-sym.txt")" = 0 ]; then
	ok 0 "off-CPU totals per symbol: preport's equal perf report's ($(wc -l < "$TMP/perf-sym.txt") symbols, sleep_1s among them)"
else
	diff_diag 10 "$TMP/perf-sym.txt" "$TMP/ours-sym.txt"
	ok 1 "off-CPU totals per symbol: preport's equal perf report's"
fi
"$BIN/pscript" -i "$TMP/oc.data" > "$TMP/pscript.txt" 2>/dev/null
plt_names "$TMP/perf-script.txt" "$TMP/pscript.txt"	# perf names some libc slots "@plt"
is "$(ndiff "$TMP/perf-script.txt" "$TMP/pscript.txt")" 0 "pscript prints the file (DWARF-unwound stacks) as perf script does" ||
	diff_diag 12 "$TMP/perf-script.txt" "$TMP/pscript.txt"

# wakers with DWARF: the waker's user stack names the function that woke
"$BIN/precord" -q --off-cpu=wakers --call-graph dwarf -F 1000 -m 1024 -o "$TMP/wk.data" "$W" > "$TMP/truth.txt" 2>/dev/null
"$BIN/pfold" -i "$TMP/wk.data" --wakers > "$TMP/wk.folded" 2>/dev/null
near "the mutex wait's waker stack: the spinner's spin_unlock" \
	"$(folded_sum "$TMP/wk.folded" '/^locker;\[woken-by\];spinner;.*;spinner;spin_unlock;.*lll_lock_wake.*try_to_wake_up/')" \
	"$(truth locker)" 5
near "the pipe wait's waker stack: the sleeper's pipe_write" \
	"$(folded_sum "$TMP/wk.folded" '/^reader;\[woken-by\];sleeper;.*;sleeper;pipe_write;.*write.*try_to_wake_up/')" \
	"$(truth reader)" 5
perf script -i "$TMP/wk.data" > "$TMP/wk-perf.txt" 2> "$TMP/wk.err"
is "$(cat "$TMP/wk.err")" "" "perf script reads the wakers file without a warning"
"$BIN/pscript" -i "$TMP/wk.data" > "$TMP/wk-ours.txt" 2>/dev/null
plt_names "$TMP/wk-perf.txt" "$TMP/wk-ours.txt"
is "$(ndiff "$TMP/wk-perf.txt" "$TMP/wk-ours.txt")" 0 "pscript prints the wakers file as perf script does" ||
	diff_diag 12 "$TMP/wk-perf.txt" "$TMP/wk-ours.txt"
done_testing
