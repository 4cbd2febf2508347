#!/bin/sh
# Recording under pressure (make pressure; skipped in make check, it takes about 2 minutes):
# precord -F 20000 -a -g for 30 s with every CPU busy, then 10 s with a 1-page ring that must
# overflow. The samples and the lost counts precord reports are exactly what perf finds in the
# file (LOST records and the samples they stand for); precord's memory stays flat over the 30 s
# (resident set read from /proc while it records) and small. The numbers are printed.
. "$(dirname "$0")/lib.sh"
if [ "${PRESSURE:-0}" != 1 ]; then
	echo "1..0 # SKIP about 2 minutes: run it with make pressure (PRESSURE=1)"
	exit 0
fi
P=$BIN/precord
LOOP=$PROGS/rec_loop
ncpu=$(nproc)
rate=$(cat /proc/sys/kernel/perf_event_max_sample_rate)
[ "$rate" -ge 20000 ] || echo 20000 >/proc/sys/kernel/perf_event_max_sample_rate

kb_of() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$2/status" 2>/dev/null; }

# pressure SECS NAME [precord options]: record -a -g at 20 kHz with every CPU busy; sets
# samples, lost_s, lost_r (precord's numbers), rss_early, rss_late, hwm (kB)
pressure() {
	secs=$1 name=$2; shift 2
	pids=
	for i in $(seq "$ncpu"); do "$LOOP" $((secs + 1)) & pids="$pids $!"; done
	sleep 0.3
	"$P" -F 20000 -a -g "$@" -o "$TMP/$name.data" -- sleep "$secs" 2>"$TMP/$name.err" &
	rec=$!
	sleep 5; rss_early=$(kb_of VmRSS $rec)
	sleep $((secs - 7)); rss_late=$(kb_of VmRSS $rec); hwm=$(kb_of VmHWM $rec)
	wait $rec; rc=$?
	wait $pids
	samples=$(sed -n 's/.*(\([0-9]*\) samples).*/\1/p' "$TMP/$name.err")
	lost_s=$(sed -n 's/.*lost \([0-9]*\) samples in \([0-9]*\) LOST records.*/\1/p' "$TMP/$name.err")
	lost_r=$(sed -n 's/.*lost \([0-9]*\) samples in \([0-9]*\) LOST records.*/\2/p' "$TMP/$name.err")
	: "${lost_s:=0}" "${lost_r:=0}"
	diag "$name: rc $rc, $samples samples, lost $lost_s samples in $lost_r LOST records," \
	     "$(du -m "$TMP/$name.data" | cut -f1) MB; precord RSS $rss_early kB at 5 s," \
	     "$rss_late kB at $((secs - 2)) s, peak $hwm kB"
}

# the file's own count, by perf: samples and LOST records with the samples they lost
perf_counts() {
	perf script -i "$1" -F pid --show-lost-events 2>/dev/null |
		awk '/PERF_RECORD_LOST/ { r++; l += $NF; next } { s++ } END { printf "%d %d %d\n", s, l, r }'
}

pressure 30 busy
is "$rc" 0 "precord -F 20000 -a -g -- sleep 30 with $ncpu busy CPUs exits 0"
set -- $(perf_counts "$TMP/busy.data")
diag "perf script: $1 samples, $2 lost in $3 LOST records"
is "$1" "$samples" "perf script counts the samples precord reported"
is "$2 $3" "$lost_s $lost_r" "and the same lost samples and LOST records"
[ "$samples" -gt $((20000 * ncpu * 30 / 2)) ]; ok $? "at least half of 20 kHz x $ncpu CPUs x 30 s came in"
[ "$rss_late" -le $((rss_early + 4096)) ]; ok $? "precord's resident set does not grow with the recording ($rss_early -> $rss_late kB)"
[ "$hwm" -lt 65536 ]; ok $? "and stays small (peak $hwm kB < 64 MB)"

pressure 10 small -m 1
is "$rc" 0 "the same with a 1-page ring (-m 1) for 10 s exits 0"
[ "$lost_r" -gt 0 ]; ok $? "which overflows, and precord says so ($lost_s samples in $lost_r LOST records)"
set -- $(perf_counts "$TMP/small.data")
diag "perf script: $1 samples, $2 lost in $3 LOST records"
is "$2 $3" "$lost_s $lost_r" "perf finds exactly those lost samples and LOST records"
is "$1" "$samples" "and the samples precord reported"
perf report -i "$TMP/small.data" --stdio >/dev/null 2>"$TMP/small.rep"
chunks=$(sed -n 's/.*and lost \([0-9]*\) chunks.*/\1/p' "$TMP/small.rep")
is "$chunks" "$lost_r" "perf report's warning counts the same LOST records"

[ "$rate" -ge 20000 ] || echo "$rate" >/proc/sys/kernel/perf_event_max_sample_rate
done_testing
