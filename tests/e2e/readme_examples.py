#!/usr/bin/env python3
"""Runs the `$ ` examples of a Markdown file in order, as a reader would type them, and checks
that each still runs and that its output still has the shape shown.

An example is a line starting with "$ " inside a fenced code block; the lines after it, up to
the next "$ " line or the end of the block, are its shown output. Each command runs through
bash in one scratch directory (files, exported variables and the current directory carry over
from one example to the next, as in the reader's shell), with the
commands under test first on PATH and build/tests/progs reachable as in the repository root.

Checks, per example:
  - it runs: exit status 0, or non-zero where the shown output has one of our commands'
    error lines ("pstat: ..." that is not a warning);
  - its shape: the shown lines are the lines of the real output (stdout and stderr
    together), one for one and in order, once numbers, hex addresses, runs of dots and of
    blanks and the repository's path are normalized: same words, same columns, same header
    lines, no line more or less. Blank lines aside; a "..." line in the shown output stands
    for real lines left out (any number: elided rows, the rest of a long output), and our
    commands' warnings are skipped where not shown.

Each FILE runs in a directory of its own under SCRATCH, made to look like the repository root
after `make demo` (links to the repository's files, build/ with links to the commands of $BIN and to
$BIN/tests, build/demo a copy of --demo DIR), as a reader
starts each document afresh.

Usage: readme_examples.py SCRATCH FILE... [--demo=DIR] [--print]
  (TAP on stdout; --demo: DIR is what make demo wrote, build/demo; --print: real outputs)
"""
import os
import re
import shutil
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
    s = re.sub(r'/\S*/build[-\w]*/(?=p[a-z-]+ )', 'BUILD/', s)   # a command's path (a cmdline)
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


WARNING = re.compile(r'(%s): warning: ' % '|'.join(CMDS))


def check_shape(shown, real):
    """None when the shown lines are the real ones (shapes compared, blank lines aside), else
    the first shown line that is not where it should be. Shown lines follow each other in the
    real output as they do in the block; a "..." line stands for any number of real lines (at
    the start: lines before, at the end: lines after). Our warnings (this VM throttles, a
    machine may lack debug info) are skipped unless shown."""
    segs = [[]]
    for l in shown:
        if not l.strip():
            continue
        if l.strip() == '...':
            segs.append([])
        else:
            segs[-1].append(l)
    lead, trail = not segs[0], not segs[-1]
    segs = [g for g in segs if g]
    got = [l for l in real.splitlines() if l.strip()]
    warn = [bool(WARNING.match(l)) for l in got]
    if not segs and not any(l.strip() == '...' for l in shown):
        # no output shown: none printed (our warnings aside)
        return None if all(warn) else '(no output shown, but the real output has "%s")' % \
            got[warn.index(False)]
    got = [shape(l) for l in got]

    def match_at(seg, i):
        """The index after @seg matched from real line @i on, or -1."""
        for w in seg:
            sw = shape(w)
            while i < len(got) and got[i] != sw and warn[i]:
                i += 1
            if i == len(got) or got[i] != sw:
                return -1
            i += 1
        return i

    i = 0
    for k, seg in enumerate(segs):
        if k == 0 and not lead:
            j = match_at(seg, i)
        else:
            j = -1
            for start in range(i, len(got)):
                j = match_at(seg, start)
                if j >= 0:
                    break
        if j < 0:
            # the first line of the segment not where the block has it: from where its first
            # line is (the output's start when the block has no "..." before it)
            if k or lead:
                starts = [t for t in range(i, len(got)) if match_at(seg[:1], t) >= 0]
                return first_off(seg, starts[0], match_at) if starts else seg[0]
            return first_off(seg, i, match_at)
        i = j
    while i < len(got) and warn[i]:
        i += 1
    if segs and not trail and i < len(got):
        return '(end of the shown output: the real output goes on with "%s")' % real_line(real, got, i)
    return None


def first_off(seg, i, match_at):
    """The first line of @seg (anchored at real line @i) that does not match."""
    for n in range(1, len(seg) + 1):
        if match_at(seg[:n], i) < 0:
            return seg[n - 1]
    return seg[0]


def real_line(real, got, i):
    return [l for l in real.splitlines() if l.strip()][i]


def make_scratch(scratch, bindir, demo=None):
    """The repository root as a reader has it after make demo: its files and folders (links,
    read-only by convention), build/ with the commands and build/tests (the example
    programs), and a copy of @demo (what make demo wrote) as build/demo when given."""
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.makedirs(os.path.join(scratch, 'build'))
    for name in os.listdir(bindir):
        path = os.path.join(bindir, name)
        if name == 'tests' or (os.path.isfile(path) and os.access(path, os.X_OK)):
            os.symlink(path, os.path.join(scratch, 'build', name))
    if demo:
        shutil.copytree(demo, os.path.join(scratch, 'build', 'demo'))
    for name in os.listdir(repo):
        if name.startswith(('.', 'build', 'perf.data')):
            continue
        os.symlink(os.path.join(repo, name), os.path.join(scratch, name))


def main():
    args = [a for a in sys.argv[1:] if a != '--print' and not a.startswith('--demo=')]
    show = '--print' in sys.argv[1:]
    demo = ([a[7:] for a in sys.argv[1:] if a.startswith('--demo=')] or [None])[0]
    root, files = args[0], args[1:]
    env = dict(os.environ)
    env['PATH'] = env['BIN'] + ':' + env['PATH']
    env['LC_ALL'] = 'C.UTF-8'
    todo = []
    for path in files:
        scratch = os.path.join(root, os.path.basename(path))
        make_scratch(scratch, env['BIN'], demo)
        todo += [(path, scratch, ex) for ex in examples(path)]
    print('1..%d' % len(todo))
    failed = 0
    for n, (path, scratch, (no, cmd, shown)) in enumerate(todo, 1):
        # what the reader's shell keeps from one example to the next: exported variables
        # and the current directory
        state = scratch + '.state'
        script = ('. %s 2>/dev/null\n%s\n__rc=$?; { export -p; printf "cd %%q\\n" "$PWD"; } >%s; '
                  'exit $__rc' % (state, cmd, state))
        try:
            p = subprocess.run(['bash', '-c', script], cwd=scratch, env=env, stdin=subprocess.DEVNULL,
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
        # why, on stderr too: prove shows that part of a failing file (CI's log)
        diag = []
        if not ran:
            diag.append('# exit %d, %s expected' % (rc, 'non-zero' if fail else '0'))
        if missing is not None:
            diag.append('# shown line not where the block has it: %s' % missing)
            diag.append('# its shape: %s' % shape(missing))
        if not ok:
            diag += ['#   | ' + l for l in real.splitlines()[:30]]
        for l in diag:
            print(l)
            print(l, file=sys.stderr)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
