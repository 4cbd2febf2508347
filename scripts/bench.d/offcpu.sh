#!/bin/sh
# precord --off-cpu row for make bench (issue 16): the ping-pong workload (two threads passing a
# byte over pipes, about 100K context switches a second) recorded by precord --off-cpu and by
# perf record -e sched:sched_switch -g, each attached with -p to a running ping-pong so that the
# recorder's own CPU time (user+sys, wait4's rusage of the recorder alone) can be told from the
# workload's. Medians of 5. Goals: at most 0.5x perf's CPU time and 0.5x its file bytes.
BIN=${1:-$(pwd)/build}
PROGS=${PROGS:-$BIN/tests/progs}
D=$(mktemp -d /tmp/bench-offcpu.XXXXXX)
trap 'rm -rf "$D"' EXIT
python3 - "$BIN" "$PROGS" "$D" <<'PY'
import os, statistics, subprocess, sys, time
b, progs, d = sys.argv[1:4]
def rec_cpu(argv, out):
    w = subprocess.Popen([f"{progs}/pingpong", "300000"])
    time.sleep(0.2)
    r = subprocess.Popen(argv + ["-o", out, "-p", str(w.pid)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(r.pid, 0)
    w.wait()
    if status != 0:
        sys.exit(f"bench: {argv[0]} failed with status {status}")
    return 1000.0 * (ru.ru_utime + ru.ru_stime), os.path.getsize(out) / 1024
ours = [f"{b}/precord", "-q", "--off-cpu"]
perf = ["perf", "record", "-q", "-e", "sched:sched_switch", "-g"]
o, p = [], []
for _ in range(5):
    o.append(rec_cpu(ours, f"{d}/ours.data")); p.append(rec_cpu(perf, f"{d}/perf.data"))
def row(name, a, b):
    print(f"{name:<40} {a:10.2f} {b:10.2f} {a / b:8.3f}x {'-':>10} {'-':>10} {'-':>9}")
row("precord --off-cpu vs perf (rec. cpu ms)",
    statistics.median(x for x, _ in o), statistics.median(x for x, _ in p))
row("precord --off-cpu vs perf (file kB)",
    statistics.median(x for _, x in o), statistics.median(x for _, x in p))
PY
