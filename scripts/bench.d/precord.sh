#!/bin/sh
# precord rows for make bench: a CPU-bound workload (rec_loop -n 800, about 2 s) recorded with
# -F 4000 -g by precord and by perf record, and run unprofiled. Wall time (timecmp.py, medians),
# CPU time of recorder + workload (user+sys, medians), and the size of the files written.
# Goals (issue 3): precord at most 5% over unprofiled, at most 0.75x perf record's wall time.
BIN=${1:-$(pwd)/build}
PROGS=${PROGS:-$BIN/tests/progs}
TIMECMP=${TIMECMP:-$(dirname "$0")/../timecmp.py}
W="$PROGS/rec_loop -n 800"
D=$(mktemp -d /tmp/bench-precord.XXXXXX)
trap 'rm -rf "$D"' EXIT
OURS="$BIN/precord -q -F 4000 -g -o $D/ours.data $W"
PERF="perf record -q -F 4000 -g -o $D/perf.data $W"

"$TIMECMP" "precord -F4000 -g vs perf record (wall)" 5 "$OURS" "$PERF"
"$TIMECMP" "precord -F4000 -g vs unprofiled (wall)" 5 "$OURS" "$W"
"$TIMECMP" "perf record -F4000 -g vs unprofiled" 5 "$PERF" "$W"
python3 - "$OURS" "$PERF" "$W" "$D" <<'PY'
import os, resource, shlex, statistics, subprocess, sys
ours, perf, plain, d = sys.argv[1:5]
def cpu_ms(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(shlex.split(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return 1000.0 * ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
o, p, u = [], [], []
for _ in range(5):
    o.append(cpu_ms(ours)); p.append(cpu_ms(perf)); u.append(cpu_ms(plain))
om, pm, um = statistics.median(o), statistics.median(p), statistics.median(u)
def row(name, a, b, unit=""):
    print(f"{name:<40} {a:10.2f} {b:10.2f} {a / b:8.3f}x {'-':>10} {'-':>10} {'-':>9}")
row("precord vs perf record (cpu ms)", om, pm)
row("precord vs unprofiled (cpu ms)", om, um)
so, sp = os.path.getsize(f"{d}/ours.data") / 1024, os.path.getsize(f"{d}/perf.data") / 1024
row("precord vs perf record (file kB)", so, sp)
PY
