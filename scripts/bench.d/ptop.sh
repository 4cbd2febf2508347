#!/bin/sh
# ptop row for make bench: ptop's own CPU time (user+sys, all its threads) against perf top's
# over 10 s of -F 4000 -a -g while a busy program runs (sym_spin), each run three times,
# medians. ptop --stdio -d 2 -n 5 is 10 s; perf top --stdio is stopped with SIGINT after 10 s
# (its stdin a pipe that stays open: at end of input it would loop in its key menu). This
# machine has no PMU: both sample cpu-clock. Goal (issue 17): at most 0.5x perf top's.
BIN=${1:-$(pwd)/build}
PROGS=${PROGS:-$BIN/tests/progs}
"$PROGS/sym_spin" 70000 & spin=$!
trap 'kill $spin 2>/dev/null' EXIT
python3 - "$BIN/ptop" <<'PY'
import resource, statistics, subprocess, sys
ptop = sys.argv[1]
def cpu_ms(args, stdin=None):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(args, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return 1000.0 * ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
def perf_top():
    feeder = subprocess.Popen(["sleep", "14"], stdout=subprocess.PIPE)
    try:
        return cpu_ms(["timeout", "-s", "INT", "10", "perf", "top", "--stdio", "-F", "4000", "-a", "-g",
                       "-d", "2"], stdin=feeder.stdout)
    finally:
        feeder.kill()
        feeder.wait()
o, p = [], []
for _ in range(3):
    o.append(cpu_ms([ptop, "--stdio", "-F", "4000", "-a", "-g", "-d", "2", "-n", "5"]))
    p.append(perf_top())
om, pm = statistics.median(o), statistics.median(p)
print(f"{'ptop vs perf top -F4000 -a -g 10s (cpu ms)':<40} {om:10.2f} {pm:10.2f} {om / pm:8.3f}x {'-':>10} {'-':>10} {'-':>9}")
PY
