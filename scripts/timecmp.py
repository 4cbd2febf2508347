#!/usr/bin/env python3
"""Times two commands on the same work, interleaved, and prints one bench row:
   NAME  ours_ms  perf_ms  time_ratio  ours_rss_kb  perf_rss_kb  rss_ratio  min_time_ratio
Medians over RUNS runs each, and the ratio of the fastest runs (issue 22 asks for the min of
interleaved runs; the median is the stricter); peak RSS through tests/progs/runrss. Usage: timecmp.py NAME RUNS 'OURS CMD' 'PERF CMD'"""
import os, shlex, statistics, subprocess, sys, time

RUNRSS = os.path.join(os.environ.get("PROGS", "build/tests/progs"), "runrss")
RSSFILE = f"/tmp/bench-rss.{os.getpid()}"

def run(cmd):
    argv = [RUNRSS, RSSFILE] + shlex.split(cmd)
    t0 = time.perf_counter()
    status = subprocess.call(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t1 = time.perf_counter()
    if status != 0:
        sys.exit(f"bench: '{cmd}' failed with status {status}")
    with open(RSSFILE) as f:
        rss = int(f.read())
    return (t1 - t0) * 1000.0, rss

def main():
    name, runs, ours, perf = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    run(ours); run(perf)  # warm caches
    o, p = [], []
    for _ in range(runs):
        o.append(run(ours)); p.append(run(perf))
    om = statistics.median(t for t, _ in o); pm = statistics.median(t for t, _ in p)
    orss = statistics.median(r for _, r in o); prss = statistics.median(r for _, r in p)
    omin = min(t for t, _ in o); pmin = min(t for t, _ in p)
    print(f"{name:<40} {om:10.2f} {pm:10.2f} {om / pm:8.3f}x {orss:10.0f} {prss:10.0f} {orss / prss:8.3f}x"
          f" {omin / pmin:8.3f}x")

main()
