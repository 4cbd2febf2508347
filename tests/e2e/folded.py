"""Folded stacks for the end-to-end tests, read one way everywhere: pfold's text ("comm;outer;...;leaf
COUNT" lines), perf report's folded call chains (--sort comm|pid -g folded,0,caller,count -t '|'),
the comparison of the two as (stack, count) multisets, and the frame colors of a flame graph SVG.

Imported by the tests' own scripts (lib.sh puts this folder on PYTHONPATH) and run as

    python3 folded.py cmp PERF_REPORT_OUTPUT PFOLD_OUTPUT [options]

which prints the stacks that differ (at most --show, as TAP comments) and a summary line, and
exits 1 when any stack differs or perf's side is empty. Options say how the two sides are
brought to one form:
    --strip-inlined   perf's " (inlined)" after an inlined level is dropped (pfold names the
                      level without it, as stackcollapse-perf.pl names perf script's)
    --tidy            perf's names tidied as stackcollapse-perf.pl tidies them
    --plt             a PLT slot ("_init", which perf 6.1 extends over .plt, or "x@plt") is
                      one token on both sides
    --pid             perf's "PID:comm" entries (--sort pid) read as pfold --pid's "comm-PID"
    --only REGEX      only stacks whose root frame (the comm) matches
    --bare skip|keep  pfold's bare "comm COUNT" lines (samples with an empty chain, which perf
                      report does not print) left out of the comparison (default) or kept
A frame without a symbol (perf prints its address, pfold "[dso]") is one token, "?".
"""
import collections
import re
import sys

ADDR = re.compile(r'^(0x[0-9a-f]+|0)$')
SVG_FRAME = re.compile(r'<title>([^<]*)</title><rect [^>]*fill="rgb\(([^)]*)\)"')


def load(path):
    """pfold's folded text: Counter of stack -> count (a stack listed twice is summed)."""
    out = collections.Counter()
    for line in open(path, errors='replace'):
        st, n = line.rstrip('\n').rsplit(' ', 1)
        out[st] += int(n)
    return out


def tidy(name):
    """A name as stackcollapse-perf.pl tidies it: no argument list, no quotes, ';' -> ':'."""
    name = name.replace(';', ':')
    if not re.search(r'\.\(.*\)\.', name):
        name = re.sub(r'\((?!anonymous namespace\)).*', '', name)
    return name.replace('"', '').replace("'", '')


def plt(name):
    return 'PLT' if name == '_init' or name.endswith('@plt') else name


def perf_report(path, strip_inlined=False, tidy_names=False, plt_token=False, pid=False):
    """perf report --stdio ... -g folded,0,caller,count -t '|': Counter of
    "comm;outer;...;leaf" -> count, the comm as FlameGraph's first frame (spaces to '_')."""
    out, comm = collections.Counter(), None
    for line in open(path, errors='replace'):
        line = line.rstrip('\n')
        m = re.match(r'^\s*[\d.]+%\s*\|(.*?)\s*$', line)
        if m:
            comm = m.group(1)
            if pid:			# "PID:comm" -> "comm-PID"
                p, c = comm.split(':', 1)
                comm = c + '-' + p.strip()
            comm = comm.replace(' ', '_')
            continue
        m = re.match(r'^(\d+) (.*)$', line)
        if not m:
            continue
        frames = []
        for f in m.group(2).split('|'):
            if strip_inlined:
                f = f.replace(' (inlined)', '')
            if ADDR.match(f):
                frames.append('?')
                continue
            if tidy_names:
                f = tidy(f)
            frames.append(plt(f) if plt_token else f)
        out[';'.join([comm] + frames)] += int(m.group(1))
    return out


def pfold(path, plt_token=False, bare='skip'):
    """pfold's folded text in the comparison's form: (Counter, samples on bare lines)."""
    out, nbare = collections.Counter(), 0
    for st, n in load(path).items():
        fr = st.split(';')
        if len(fr) == 1 and bare == 'skip':
            nbare += n
            continue
        fr = fr[:1] + ['?' if f.startswith('[') else plt(f) if plt_token else f for f in fr[1:]]
        out[';'.join(fr)] += n
    return out, nbare


def svg_fills(path):
    """[(frame name, (r, g, b))] for every frame drawn in a flame graph SVG."""
    return [(t[:t.rindex(' (')], tuple(int(v) for v in fill.split(',')))
            for t, fill in SVG_FRAME.findall(open(path).read())]


def cmp_main(argv):
    import argparse
    ap = argparse.ArgumentParser(prog='folded.py cmp')
    ap.add_argument('perf')
    ap.add_argument('ours')
    ap.add_argument('--strip-inlined', action='store_true')
    ap.add_argument('--tidy', action='store_true')
    ap.add_argument('--plt', action='store_true')
    ap.add_argument('--pid', action='store_true')
    ap.add_argument('--only', default='')
    ap.add_argument('--bare', choices=('skip', 'keep'), default='skip')
    ap.add_argument('--show', type=int, default=8)
    a = ap.parse_args(argv)
    p = perf_report(a.perf, a.strip_inlined, a.tidy, a.plt, a.pid)
    o, nbare = pfold(a.ours, a.plt, a.bare)
    if a.only:
        keep = re.compile(a.only)
        p = collections.Counter({k: v for k, v in p.items() if keep.match(k.split(';')[0])})
        o = collections.Counter({k: v for k, v in o.items() if keep.match(k.split(';')[0])})
    bad = [k for k in set(p) | set(o) if p[k] != o[k]]
    for k in sorted(bad)[:a.show]:
        print('# perf %d pfold %d: %s' % (p[k], o[k], k[:300]))
    print('# %d stacks, %d samples (perf: %d stacks, %d samples), %d bare, %d differ'
          % (len(o), sum(o.values()), len(p), sum(p.values()), nbare, len(bad)))
    return 1 if bad or not p else 0


if __name__ == '__main__':
    if len(sys.argv) < 2 or sys.argv[1] != 'cmp':
        sys.exit('usage: folded.py cmp PERF_REPORT_OUTPUT PFOLD_OUTPUT [options]')
    sys.exit(cmp_main(sys.argv[2:]))
