#!/usr/bin/env python3
"""Runs the `$ ` examples of a Markdown file in order, as a reader would type them, and checks
that each still runs and that its output still has the shape shown.

An example is a line starting with "$ " inside a fenced code block; the lines after it, up to
the next "$ " line or the end of the block, are its shown output. Each command runs through
bash in one scratch directory (state carries over from one example to the next), with the
commands under test first on PATH and build/tests/progs reachable as in the repository root.

Checks, per example:
  - it runs: exit status 0, or non-zero where the shown output has one of our commands'
    error lines ("pstat: ..." that is not a warning);
  - its shape: every shown line (blank lines and "..." lines skipped) matches, in order, a
    line of the real output (stdout and stderr together) once numbers, hex addresses, runs
    of dots and of blanks and the repository's path are normalized: same words, same
    columns, same header lines.

Each FILE runs in a directory of its own under SCRATCH, made to look like the repository root
after `make demo` (links to the repository's files, build/tests -> $BIN/tests), as a reader
starts each document afresh.

Usage: readme_examples.py SCRATCH FILE... [--print]   (TAP on stdout; --print: real outputs)
"""
import os
import re
import subprocess
import sys

CMDS = ('pstat', 'precord', 'preport', 'pscript', 'pfold', 'pannotate', 'plist', 'pprobe')


def examples(path):
    """[(line number, command, [shown lines])] in file order."""
    out, in_block, cur = [], False, None
    with open(path, encoding='utf-8') as f:
        for no, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if line.startswith('```'):
                in_block = not in_block
                cur = None
                continue
            if not in_block:
                continue
            if line.startswith('$ '):
                cur = (no, line[2:], [])
                out.append(cur)
            elif cur is not None:
                cur[2].append(line)
    return out


def shape(line):
    # the programs' paths, wherever the repository is (and build-asan/ for build/)
    s = re.sub(r'/\S*/build[-\w]*/tests/progs/', 'PROGS/', line)
    s = re.sub(r'\b\d+(?:\.\d+)?[KMGx]\b', 'N', s)               # 2K samples, 0.3x
    s = re.sub(r'\b0x[0-9a-fA-F]+\b', 'N', s)
    s = re.sub(r'\b[0-9a-f]*[0-9][0-9a-f]*\b', 'N', s)       # decimal and bare hex words
    s = re.sub(r'N(?:[.,:]N)+', 'N', s)                       # 1.5, 1,234, 12:34:56
    s = re.sub(r'N [KMG]/', 'N /', s)                         # 85.751 K/sec
    s = re.sub(r'\.{2,}', '..', s)                            # column rules
    s = re.sub(r'-{3,}', '---', s)
    s = re.sub(r'\s+', ' ', s).strip()
    return re.sub(r' \( \+- N% \)$', '', s)      # pstat -r leaves out a noise of 0, as perf


def expect_failure(shown):
    """An example shown with one of our error lines is expected to exit non-zero."""
    for l in shown:
        m = re.match(r'(\w+): (.*)', l)
        if m and m.group(1) in CMDS and not m.group(2).startswith('warning'):
            return True
    return False


def check_shape(shown, real):
    """None when every shown line has its match in order; else the first one missing."""
    want = [l for l in shown if l.strip() and l.strip() != '...']
    got = [shape(l) for l in real.splitlines() if l.strip()]
    i = 0
    for w in want:
        sw = shape(w)
        while i < len(got) and got[i] != sw:
            i += 1
        if i == len(got):
            return w
        i += 1
    return None


def make_scratch(scratch, bindir):
    """The repository root as a reader has it after make demo: its files and folders (links,
    read-only by convention) and build/tests, the example programs."""
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.makedirs(os.path.join(scratch, 'build'))
    os.symlink(os.path.join(bindir, 'tests'), os.path.join(scratch, 'build', 'tests'))
    for name in os.listdir(repo):
        if name.startswith(('.', 'build', 'perf.data')):
            continue
        os.symlink(os.path.join(repo, name), os.path.join(scratch, name))


def main():
    args = [a for a in sys.argv[1:] if a != '--print']
    show = '--print' in sys.argv[1:]
    root, files = args[0], args[1:]
    env = dict(os.environ)
    env['PATH'] = env['BIN'] + ':' + env['PATH']
    env['LC_ALL'] = 'C.UTF-8'
    todo = []
    for path in files:
        scratch = os.path.join(root, os.path.basename(path))
        make_scratch(scratch, env['BIN'])
        todo += [(path, scratch, ex) for ex in examples(path)]
    print('1..%d' % len(todo))
    failed = 0
    for n, (path, scratch, (no, cmd, shown)) in enumerate(todo, 1):
        try:
            p = subprocess.run(['bash', '-c', cmd], cwd=scratch, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
            real, rc = p.stdout.decode('utf-8', 'replace'), p.returncode
        except subprocess.TimeoutExpired:
            real, rc = '(timed out after 120 s)', 124
        if show:
            print('## %s:%d (exit %d)\n$ %s\n%s' % (os.path.basename(path), no, rc, cmd, real))
        fail = expect_failure(shown)
        ran = (rc != 0) if fail else (rc == 0)
        missing = check_shape(shown, real) if ran else None
        ok = ran and missing is None
        failed |= not ok
        print('%s %d - %s:%d $ %s' % ('ok' if ok else 'not ok', n, os.path.basename(path), no, cmd))
        if not ran:
            print('# exit %d, %s expected' % (rc, 'non-zero' if fail else '0'))
        if missing is not None:
            print('# shown line not found (in order): %s' % missing)
            print('# its shape: %s' % shape(missing))
        if not ok:
            for l in real.splitlines()[:30]:
                print('#   | ' + l)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
