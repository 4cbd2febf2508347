#!/bin/sh
# precord under load and when things go wrong: no lost samples at -F 20000 -a -g with both CPUs
# busy; a 1-page ring loses samples, and perf report and precord both count them; clear one-line
# errors with the fix and a non-zero exit (bad event, missing command, -F above the limit, no
# tracefs, no permission, mlock limit, disk full, no such process); -o keeps the old file.
. "$(dirname "$0")/lib.sh"
P=$BIN/precord
LOOP=$PROGS/rec_loop
ncpu=$(nproc)

# 1. -F 20000 -a -g for 5 s with every CPU busy: nothing lost
rate=$(cat /proc/sys/kernel/perf_event_max_sample_rate)
if [ "$rate" -lt 20000 ]; then
	skip "kernel.perf_event_max_sample_rate is $rate (< 20000)"; skip "rate"; skip "rate"
else
	pids=
	for i in $(seq "$ncpu"); do "$LOOP" 5.5 & pids="$pids $!"; done
	sleep 0.2
	$P -F 20000 -a -g -o "$TMP/hi.data" -- sleep 5 2>"$TMP/hi.err"; ok $? "precord -F 20000 -a -g -- sleep 5 exits 0"
	wait $pids
	grep -q 'lost' "$TMP/hi.err"; [ $? -ne 0 ]; ok $? "precord reports no lost samples"
	perf report -i "$TMP/hi.data" --stdio >/dev/null 2>"$TMP/hi.rep.err"
	[ ! -s "$TMP/hi.rep.err" ]; ok $? "perf report reads it with nothing lost and no warning"
	n=$(sed -n 's/.*(\([0-9]*\) samples).*/\1/p' "$TMP/hi.err")
	[ "${n:-0}" -gt $((20000 * ncpu * 5 / 2)) ]; ok $? "at least half the expected samples came in ($n)"
fi

# 2. a tiny ring at a high rate loses samples; both sides count the LOST records
"$LOOP" 1.5 & busy=$!
$P -m 1 -F 50000 -a -g -o "$TMP/lost.data" -- sleep 1 2>"$TMP/lost.err"; ok $? "precord -m 1 exits 0"
wait $busy
ours=$(sed -n 's/.*lost [0-9]* samples in \([0-9]*\) LOST records.*/\1/p' "$TMP/lost.err")
theirs=$(perf report -i "$TMP/lost.data" --stdio 2>&1 >/dev/null | sed -n 's/.*and lost \([0-9]*\) chunks.*/\1/p')
[ "${ours:-0}" -gt 0 ]; ok $? "precord warns about lost samples (${ours:-0} LOST records)"
is "$theirs" "$ours" "perf report counts the same LOST records"

# 3. errors: one line that says what to do, non-zero exit
err_is() {	# err_is DESCRIPTION PATTERN CMD...
	d=$1; pat=$2; shift 2
	"$@" >"$TMP/e.out" 2>"$TMP/e.err"; rc=$?
	# one line; a usage error (129, issue 23) adds the pointer to --help
	if [ $rc -ne 0 ] && grep -q "$pat" "$TMP/e.err" &&
	   [ "$(grep -v 'warning' "$TMP/e.err" | grep -vc "^see 'precord --help' for the options$")" -eq 1 ]; then
		ok 0 "$d"
	else
		ok 1 "$d"; diag "rc=$rc"; sed 's/^/# /' "$TMP/e.err"
	fi
}
err_is "unknown event" "precord: invalid event 'nosuchevent'" $P -e nosuchevent -o "$TMP/x.data" true
err_is "missing command" "precord: cannot run 'no-such-cmd': No such file" $P -o "$TMP/x.data" no-such-cmd
err_is "no such process" "no such target '999999999'" $P -p 999999999 -o "$TMP/x.data"
err_is "bad -m" "pages or a size" $P -m 3x -o "$TMP/x.data" true
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	err_is "tracefs not mounted" "mount -t tracefs nodev /sys/kernel/tracing" unshare -m sh -c \
		"umount /sys/kernel/tracing 2>/dev/null; umount /sys/kernel/debug/tracing 2>/dev/null; \
		 umount /sys/kernel/debug 2>/dev/null; exec $P -e sched:sched_switch -a -o $TMP/x.data -- true"
else
	skip "needs root and unshare to hide tracefs"
fi
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && [ "$(cat /proc/sys/kernel/perf_event_paranoid)" -ge 1 ]; then
	NB="setpriv --reuid=65534 --regid=65534 --clear-groups"
	err_is "no permission for -a" "perf_event_paranoid" $NB $P -a -o /tmp/precord-nb.$$.data -- true
	err_is "mlock limit" "locked-memory limit" $NB $P -m 8192 -o /tmp/precord-nb.$$.data /bin/true
	rm -f /tmp/precord-nb.$$.data
else
	skip "needs root, setpriv and perf_event_paranoid >= 1"; skip "permission"
fi
if [ "$(id -u)" = 0 ] && mkdir -p "$TMP/full" && mount -t tmpfs -o size=400k tmpfs "$TMP/full" 2>/dev/null; then
	"$LOOP" 2 & busy=$!
	err_is "disk full" "disk full writing" $P -a -g -o "$TMP/full/x.data" -- sleep 1.5
	kill $busy 2>/dev/null; wait $busy 2>/dev/null
	perf report -i "$TMP/full/x.data" --stdio >/dev/null 2>"$TMP/full.err"; ok $? "the part written before the disk filled is readable"
	umount "$TMP/full"
else
	skip "needs root to mount a small tmpfs"; skip "disk full"
fi

# 4. -o keeps an existing file as FILE.old
echo old >"$TMP/o.data"
$P -q -o "$TMP/o.data" true; ok $? "precord -o over an existing file"
is "$(cat "$TMP/o.data.old")" old "the previous file became FILE.old"

done_testing
