#!/usr/bin/env python3
"""Reads every file of a corpus (tests/e2e/corpus_gen.py) with the four readers of ours and with
perf 6.1, and prints one line per problem and a summary line for tests/e2e/corpus.t:

  corpus_check.py BIN SYMBOL FILE...

A problem is: a crash (a signal, an exit status other than 0 and 1, a sanitizer report), a
hang (more than TIMEOUT seconds), memory past RSS_LIMIT_KB, or fewer samples than perf 6.1
reports for the same file (pscript, preport, pfold; where perf itself did not crash: killed
by a signal or hung; an error exit counts the samples perf printed before it). pannotate is
held to the first three only: it shows one symbol.
Summary: "files N crashes C hangs H memory M fewer F perf_crashes P refused R warned W"
"""
import concurrent.futures
import os
import re
import subprocess
import sys

TIMEOUT = 20
RSS_LIMIT_KB = 512 * 1024


def run(argv):
    """(exit status or -signal, stdout, stderr, hung)."""
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = p.communicate(timeout=TIMEOUT)
        hung = False
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        hung = True
    return p.returncode, out.decode(errors="replace"), err.decode(errors="replace"), hung


def run_rss(argv):
    """run() with the child's peak RSS, measured by /usr/bin/time (one process each)."""
    rc, out, err, hung = run(["/usr/bin/time", "-f", "RSS %M"] + argv)
    rss = 0
    m = re.findall(r"^RSS (\d+)$", err, re.M)
    if m:
        rss = int(m[-1])
        err = re.sub(r"(Command (exited with non-zero status \d+|terminated by signal \d+)\n)?RSS \d+\n?$", "", err)
    sig = re.search(r"Command terminated by signal (\d+)", err)
    if sig:
        rc = -int(sig.group(1))
    return rc, out, err, rss, hung


def count(reader, out):
    if reader == "pscript" or reader == "perf":
        return sum(1 for line in out.splitlines() if line.strip())
    if reader == "preport":
        return sum(int(m.group(1)) for m in re.finditer(r"^ +[0-9.]+% +(\d+) ", out, re.M))
    if reader == "pfold":
        total = 0
        for line in out.splitlines():
            parts = line.rsplit(" ", 1)
            if len(parts) == 2 and parts[1].isdigit():
                total += int(parts[1])
        return total
    return None


def check(binp, sym, path):
    name = os.path.basename(path)
    cmds = {
        "pscript": [binp + "/pscript", "-F", "comm", "-i", path],
        "preport": [binp + "/preport", "--stdio", "--no-children", "-n", "--sort", "comm", "-i", path],
        "pfold": [binp + "/pfold", "-i", path],
        "pannotate": [binp + "/pannotate", "--stdio", "-i", path, sym],
    }
    res = {"problems": [], "perf_crash": False, "refused": 0, "warned": 0}
    prc, pout, _, phung = run(["perf", "script", "-F", "comm", "-i", path])
    perf_ok = not phung and prc >= 0  # an error exit: the samples perf printed before it count
    theirs = count("perf", pout) if perf_ok else None
    res["perf_crash"] = not perf_ok
    for reader, argv in cmds.items():
        rc, out, err, rss, hung = run_rss(argv)
        what = "%s %s" % (reader, name)
        if hung:
            res["problems"].append("hang: %s" % what)
            continue
        if rc < 0 or rc > 1 or re.search(r"AddressSanitizer|runtime error|LeakSanitizer", err):
            res["problems"].append("crash: %s rc=%s %s" % (what, rc, err.strip()[:200]))
            continue
        if rss > RSS_LIMIT_KB:
            res["problems"].append("memory: %s %d KiB" % (what, rss))
        if rc == 1 and reader != "pannotate":
            res["refused"] += 1
        if "warning" in err:
            res["warned"] += 1
        n = count(reader, out) if rc == 0 else (0 if reader != "pannotate" else None)
        if n is not None and theirs is not None and n < theirs:
            res["problems"].append("fewer: %s %d samples, perf %d: %s" % (what, n, theirs,
                                   err.strip().splitlines()[-1][:200] if err.strip() else ""))
    return name, res


def main():
    binp, sym, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    tot = dict(files=0, crashes=0, hangs=0, memory=0, fewer=0, perf_crashes=0, refused=0, warned=0)
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
        for name, res in ex.map(lambda f: check(binp, sym, f), files):
            tot["files"] += 1
            tot["perf_crashes"] += res["perf_crash"]
            tot["refused"] += res["refused"]
            tot["warned"] += res["warned"]
            for p in res["problems"]:
                print(p)
                key = {"crash": "crashes", "hang": "hangs", "memory": "memory", "fewer": "fewer"}[p.split(":")[0]]
                tot[key] += 1
    print(" ".join("%s %d" % kv for kv in tot.items()))


if __name__ == "__main__":
    main()
