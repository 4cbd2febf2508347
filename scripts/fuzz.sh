#!/bin/sh
# Runs the libFuzzer harnesses. MODE: full (make fuzz: FUZZ_RUNS executions each, default 10^6)
# or short (make check: replay tests/fuzz/regress/*, then FUZZ_SECONDS, default 60). The three
# harnesses run at the same time.
# Seeds come from real files made here: perf.data files from perf record and precord (and, for
# the perfdata harness's framed cases, their feature sections and data sections cut or with
# lying sizes: tests/fuzz/framed_seeds.py), small ELF binaries with DWARF, and the event specs
# of tests/fuzz/seeds/events.txt.
set -e
MODE=$1 FZ=$2 BIN=$3
# a UBSan report is a finding too: stop there so libFuzzer saves the input
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SEEDS=$FZ/seeds
mkdir -p "$SEEDS/perfdata" "$SEEDS/elf" "$SEEDS/events"
if [ ! -e "$SEEDS/.done" ]; then
	( cd "$SEEDS/perfdata"
	  perf record -q -o perf-g.data -g -- "$BIN/tests/progs/writes" 10 >/dev/null 2>&1 || true
	  perf record -q -o perf-z.data -z -- "$BIN/tests/progs/writes" 10 >/dev/null 2>&1 || true
	  perf record -q -o perf-tp.data -e sched:sched_switch -a -- sleep 0.05 >/dev/null 2>&1 || true
	  "$BIN/precord" -q -o prec-g.data -g -- "$BIN/tests/progs/writes" 10 >/dev/null 2>&1 || true
	  "$BIN/precord" -q -o prec-dwarf.data --call-graph dwarf,1024 -- "$BIN/tests/progs/writes" 10 >/dev/null 2>&1 || true
	  "$BIN/precord" -q -N -o prec-embed.data -g --embed-symbols=lines -- "$BIN/tests/progs/writes" 10 >/dev/null 2>&1 || true )
	cp "$BIN/tests/progs/writes" "$BIN/tests/progs/probed" "$SEEDS/elf/"
	n=0
	while IFS= read -r line; do
		n=$((n + 1)); printf '%s' "$line" >"$SEEDS/events/seed$n"
	done <"$ROOT/tests/fuzz/seeds/events.txt"
	touch "$SEEDS/.done"
fi
# the framed cases of the perfdata harness (feature sections, truncated data sections)
if [ ! -e "$SEEDS/.framed" ] && [ -s "$SEEDS/perfdata/perf-g.data" ]; then
	python3 "$ROOT/tests/fuzz/framed_seeds.py" "$SEEDS/perfdata/perf-g.data" "$SEEDS/perfdata"
	# and a pipe-mode stream (perf record -o -), which the reader turns into a file first
	perf record -q -g -o - -- "$BIN/tests/progs/writes" 10 2>/dev/null >"$SEEDS/perfdata/perf-pipe.data" || true
	touch "$SEEDS/.framed"
fi
# run_one HARNESS: replay its regression inputs, then fuzz; what it says goes to $FZ/HARNESS.out
run_one() {
	h=$1 status=0
	f=$FZ/tests/fuzz/fuzz_$h
	reg=$ROOT/tests/fuzz/regress/$h
	corpus=$FZ/corpus/$h
	mkdir -p "$corpus" "$reg"
	if ls "$reg"/* >/dev/null 2>&1; then
		echo "fuzz: $h: replaying $(ls "$reg" | wc -l) regression inputs"
		"$f" -runs=0 "$reg"/* >"$FZ/$h.replay.log" 2>&1 || { echo "fuzz: $h: a regression input fails again (see $FZ/$h.replay.log)"; status=1; }
	fi
	if [ "$MODE" = full ]; then
		# FUZZ_RUNS_events=N etc. for one harness
		eval "runs=\${FUZZ_RUNS_$h:-\${FUZZ_RUNS:-1000000}}"
		limit="-runs=$runs"
	else
		limit="-max_total_time=${FUZZ_SECONDS:-60}"
	fi
	echo "fuzz: $h: $limit"
	before=$(ls "$reg" | wc -l)
	if ! "$f" $limit -max_len=262144 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$reg/" "$corpus" "$SEEDS/$h" >"$FZ/$h.log" 2>&1; then
		if [ "$(ls "$reg" | wc -l)" -gt "$before" ]; then
			echo "fuzz: $h: FOUND A CRASH, saved under tests/fuzz/regress/$h/ (log: $FZ/$h.log)"
			tail -30 "$FZ/$h.log"
		else
			echo "fuzz: $h: stopped early without a finding (interrupted?); log: $FZ/$h.log"
		fi
		status=1
	fi
	grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$FZ/$h.log" | sed "s/^/fuzz: $h: /"
	return $status
}

# the three harnesses run at once (each for the whole time or count), then report in order
pids=
for h in perfdata elf events; do
	run_one $h >"$FZ/$h.out" 2>&1 &
	pids="$pids $!"
done
status=0
for h in perfdata elf events; do
	set -- $pids; pid=$1; shift; pids="$*"
	wait "$pid" || status=1
	cat "$FZ/$h.out"
done
exit $status
