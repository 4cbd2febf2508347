"""compat_cxx.t's comparisons of our tools with perf 6.1 on one file, modulo the differences
docs/compat.md keeps (each counted, by class, and listed):

    python3 compat_cmp.py script|report|fold|annotate|annotate-src PERF_OUT OURS_OUT DSO_BASENAME [UNWIND]

(script writes to UNWIND how many samples' chains end differently and how many samples there
are; report and fold read it: those samples may move that many percentage points)

prints "# class: count" lines and the first unexplained differences, and exits 1 when any
difference is unexplained (or perf's side is empty). Classes:
    plt-name      a PLT slot of the program: perf 6.1 names it after _init (ld.bfd: the
                  zero-size symbol stretched over .plt) or not at all (lld: [unknown], an
                  address); a library's (libc): perf by its relocation's index, wrong where
                  IRELATIVE relocations come last; we name it x@plt, after the relocation
                  the slot jumps through
    unwind-end    (DWARF) the two unwinders stop at different frames of a sample (one chain
                  is the other's beginning): code without CFI on exit paths (_fini), stacks
                  the kernel copied in part; report and fold differences are allowed only as
                  large as those samples can make them
    cut-stack-end (DWARF) perf ends some stacks whose copy was cut with a frame at address
                  0xffffffffffffffff; we end them at the last frame unwound
    stack-end     (DWARF) perf's chain ends with a frame in the [stack] mapping (a return
                  address read from the wrong slot: no code is there) where ours goes on;
                  counted with unwind-end for the report and fold tolerance
    perf-split    preport: perf 6.1 shows one entry as several rows (its entry tree's
                  comparator is not a total order); their sum equals our one row
    addr2line-first  (DWARF) binutils' addr2line, which perf 6.1 runs as one long-lived
                  process, answers the first question about a function DWARF names without a
                  linkage name (an inlined atoi) with the ELF symbol covering the address
                  ("main") and later ones with DWARF's name: perf repeats the frame where we
                  show "atoi (inlined)" (its answer depends on the order of its questions)
    got-name      pannotate: objdump names a GOT slot after its dynamic relocation
                  ("plt_a@Base", "strtol@GLIBC_2.2.5"); we name the nearest symbol
    capstone-evex pannotate: an AVX-512 instruction (mask registers, zmm, EVEX-only
                  registers, vpternlogd/q) that capstone 4 cannot decode: "(bad)" where
                  objdump has its text
    vdso-name     pannotate: perf names the vdso after its temporary copy
                  (perf-vdso.so-XXXXXX, random), or [vdso] when its build-id cache has it,
                  and objdump versions the symbols' names differently on the two copies
                  (__vdso_clock_gettime@@LINUX_2.6 or bare, LINUX_2.6@@LINUX_2.6); we print
                  [vdso] and the versioned name; objdump also names addresses outside every
                  vdso symbol (<__vdso_getrandom+0xffffffffffff90a0>, <LINUX_2.6+0x7a0>), we
                  don't
    bfd-file      pannotate: a "file:line" line perf shows (a relative path, as in glibc's
                  debug info) naming another file of the line table than libdw does, with
                  the same line (binutils' DWARF 5 file table reading; eu-addr2line agrees
                  with us)
"""
import collections
import difflib
import re
import sys

import folded

PLT_PERF = re.compile(r'^(_init|_fini)(\+0x[0-9a-f]+)?$|^\[unknown\]$|^(0x)?[0-9a-f]+$|'
                      r'^[^ ]*@plt(\+0x[0-9a-f]+)?$')


def is_plt_ours(tok):
    return re.match(r'^[^ ]*@plt(\+0x[0-9a-f]+)?$', tok) is not None


def script_blocks(path):
    """perf script -g's text: a list of samples (blank-line separated), each a list of lines."""
    blocks, cur = [], []
    for line in open(path, errors='replace'):
        line = line.rstrip('\n')
        if not line.strip():
            if cur:
                blocks.append(cur)
            cur = []
            continue
        cur.append(line)
    if cur:
        blocks.append(cur)
    return blocks


FRAME = re.compile(r'^\s+([0-9a-f]+) (.*?) \((.*)\)$')


def frame_parts(line):
    m = FRAME.match(line)
    if not m:
        return None
    sym = m.group(2)
    if sym.endswith(' (inlined)'):
        return m.group(1), sym[:-10], 'inlined'
    return m.group(1), sym, m.group(3)


def plt_line_pair(p, o, dso):
    fp, fo = frame_parts(p), frame_parts(o)
    # the program's slots (perf: _init, [unknown]) and libraries' (perf 6.1 names a
    # library's slots by relocation index: another x@plt, or "@plt"; and no .plt.got slot:
    # [unknown] in the same DSO)
    return (fp and fo and fp[0] == fo[0] and is_plt_ours(fo[1]) and
            (fo[2].endswith('/' + dso) or fp[1].split('+')[0].endswith('@plt') or
             (fp[1] == '[unknown]' and fp[2] == fo[2])) and
            PLT_PERF.match(fp[1]) is not None)


def first_query(p, o, k):
    """perf's level k repeats its next (the frame's symbol, not inlined) where ours names the
    inlined function DWARF gives: binutils' addr2line answers the first question about a
    function DWARF names without a linkage name with the symbol covering the address."""
    fp, fo = frame_parts(p[k]), frame_parts(o[k])
    return (fp and fo and k + 1 < len(p) and p[k] == p[k + 1] and fo[2] == 'inlined' and
            fp[0] == fo[0] and o[k + 1] == p[k + 1])


def cmp_script(perf, ours, dso):
    pb, ob = script_blocks(perf), script_blocks(ours)
    cls, bad = collections.Counter(), []
    if not pb:
        print('# perf script printed nothing')
        return 1
    if len(pb) != len(ob):
        print('# %d samples in perf script, %d in ours' % (len(pb), len(ob)))
        return 1
    for p, o in zip(pb, ob):
        if p == o:
            continue
        if len(p) > 1 and re.match(r'^\s+ffffffffffffffff \[unknown\] \(\[unknown\]\)$', p[-1]):
            p = p[:-1]
            if p == o:
                cls['cut-stack-end'] += 1
                continue
            # perf's unwinder gave up there and ours went on (or stopped sooner): the
            # chains end differently, the unwind-end class below
        if len(p) > 1 and p[-1].rstrip().endswith(' ([stack])') and len(p) - 1 <= len(o) and \
                all(a == b or plt_line_pair(a, b, dso) for a, b in zip(p[:-1], o)):
            cls['stack-end'] += 1
            continue
        if len(p) == len(o) and all(a == b or plt_line_pair(a, b, dso) for a, b in zip(p, o)):
            cls['plt-name'] += 1
            continue
        if len(p) != len(o) and p[0] == o[0]:
            short, long_ = (p, o) if len(p) < len(o) else (o, p)
            if all(a == b or plt_line_pair(a, b, dso) or plt_line_pair(b, a, dso)
                   for a, b in zip(short, long_)):
                cls['unwind-end'] += 1
                continue
        if len(p) == len(o) and all(a == b or plt_line_pair(a, b, dso) or first_query(p, o, k)
                                    for k, (a, b) in enumerate(zip(p, o))):
            cls['addr2line-first'] += 1
            continue
        bad.append((p, o))
    if UNWIND_OUT:
        with open(UNWIND_OUT, 'w') as f:
            f.write('%d %d\n' % (cls['unwind-end'] + cls['stack-end'], len(pb)))
    return report(cls, bad, len(pb), 'samples')


UNWIND_OUT = None	# script: where to write "unwind-end samples, all samples"
TOL_SAMPLES = 0		# report, fold: samples whose chains end differently (from script)
TOL_TOTAL = 0


def tolerance():
    """Percentage points that TOL_SAMPLES samples can move, 0 when none."""
    return 100.0 * TOL_SAMPLES / TOL_TOTAL if TOL_SAMPLES and TOL_TOTAL else 0.0


def report(cls, bad, total, what):
    for k in sorted(cls):
        if cls[k]:
            print('# %s: %d' % (k, cls[k]))
    for p, o in bad[:3]:
        if isinstance(p, list) and isinstance(o, list):
            # two blocks of text: their first line, then where they differ
            print('# unexplained: ' + p[0].strip())
            for x in list(difflib.unified_diff(p, o, 'perf', 'ours', n=2, lineterm=''))[:30]:
                print('#   ' + x)
            continue
        print('# unexplained: perf:')
        for x in (p if isinstance(p, list) else [p])[:12]:
            print('#   ' + x)
        print('# ours:')
        for x in (o if isinstance(o, list) else [o])[:12]:
            print('#   ' + x)
    print('# %d %s compared: %d explained differences, %d unexplained' %
          (total, what, sum(cls.values()), len(bad)))
    return 1 if bad else 0


def report_blocks(path, dso):
    """perf report --stdio's entries: {row key: (percentages, text of the block)}; the PLT
    rows of each DSO (ours x@plt, perf _init, [unknown] or an address) summed under one key."""
    out = collections.OrderedDict()
    key = None
    for line in open(path, errors='replace'):
        line = line.rstrip('\n')
        if line.startswith('#') or line.startswith('# (Tip'):
            continue
        m = re.match(r'^((?:\s+[0-9.]+%)+)\s+(\S+)\s+(\S+)\s+\[(.)\]\s+(.*?)\s*$', line)
        if m:
            pcts = [float(x.rstrip('%')) for x in m.group(1).split()]
            sym = m.group(5)
            # (a library's too: perf names no .plt.got slot, "0x...46a0" in ls, where ours
            # has malloc@plt)
            plt = is_plt_ours(sym) or PLT_PERF.match(sym) is not None
            key = (m.group(2), m.group(3), 'PLT' if plt else sym)
            if key in out:
                old = out[key]
                out[key] = ([a + b for a, b in zip(old[0], pcts)], old[1] + [line], old[2], old[3] + 1)
            else:
                out[key] = (pcts, [line], plt, 1)
            continue
        if key and line.strip():
            out[key][1].append(line)
    return out


def mentions_plt(lines, dso):
    return any('@plt' in x or re.search(r'\b_init\b|\[unknown\]|\b0x[0-9a-f]{6,}\b', x) for x in lines)


def cmp_report(perf, ours, dso):
    pr, orr = report_blocks(perf, dso), report_blocks(ours, dso)
    cls, bad = collections.Counter(), []
    if not pr:
        print('# perf report printed no rows')
        return 1
    for k in set(pr) | set(orr):
        if k not in pr and k[2].endswith(' (inlined)') and orr[k][0][-1] <= 0.5:
            cls['addr2line-first'] += 1	# (see first_query: perf has no such level)
            continue
        if (k not in pr or k not in orr) and tolerance() and \
                (pr.get(k) or orr.get(k))[0][0] <= tolerance() + 0.011:
            cls['unwind-end'] += 1
            continue
        if k not in pr or k not in orr:
            bad.append(('row only in %s: %s' % ('ours' if k in orr else 'perf', ' '.join(k)), ''))
            continue
        (pp, pt, pplt, pn), (op, ot, oplt, on) = pr[k], orr[k]
        if k[2] == 'PLT':
            # perf: an unresolved slot is two rows (self at the map address, children at
            # the absolute one) or _init's; ours: one row per x@plt
            cls['plt-name'] += 1
            continue
        if any(abs(a - b) > 0.011 for a, b in zip(pp, op)) and \
                all(abs(a - b) <= tolerance() + 0.011 for a, b in zip(pp, op)):
            cls['unwind-end'] += 1
            continue
        if any(abs(a - b) > 0.011 for a, b in zip(pp, op)):
            bad.append(('%s: perf %s, ours %s' % (' '.join(k), pp, op), ''))
            continue
        if pt == ot:
            continue
        if pn > 1 and on == 1:
            cls['perf-split'] += 1
            continue
        if k[2] == 'PLT' or mentions_plt(pt + ot, dso):
            cls['plt-name'] += 1
            continue
        if tolerance():
            cls['unwind-end'] += 1
            continue
        bad.append((pt, ot))
    return report(cls, bad, len(pr), 'entries')


def cmp_fold(perf, ours, dso):
    def norm(c):
        out = collections.Counter()
        for st, n in c.items():
            out[';'.join('PLT' if f in ('PLT', '?') else f for f in st.split(';'))] += n
        return out
    p = folded.perf_report(perf, tidy_names=True, plt_token=True)
    o = folded.pfold(ours, plt_token=True)[0]
    if not p:
        print('# perf printed no folded chains')
        return 1
    cls, bad = collections.Counter(), []
    if p != o:
        np_, no = norm(p), norm(o)
        diff = set(k for k in set(p) | set(o) if p.get(k) != o.get(k))
        moved = sum(abs(np_.get(k, 0) - no.get(k, 0)) for k in set(np_) | set(no))
        if np_ == no:
            cls['plt-name'] = len(diff)
        elif moved <= 2 * TOL_SAMPLES:
            cls['unwind-end'] = len(diff)
        else:
            for k in sorted(set(np_) | set(no)):
                if np_.get(k) != no.get(k):
                    bad.append(('%s %s' % (k, np_.get(k)), '%s %s' % (k, no.get(k))))
    return report(cls, bad, len(p), 'stacks')


INSN = re.compile(r'^\s+[0-9.]+ : +[0-9a-f]+:')


VDSO_VER = re.compile(r'@@LINUX_[0-9.]+')


def annotate_blocks(path):
    """pannotate/perf annotate --stdio text: [(symbol head, instruction lines, other lines)]."""
    out, cur = [], None
    for line in open(path, errors='replace'):
        line = line.rstrip('\n')
        if re.match(r'^ (Percent|Samples) \|', line):
            cur = [line, '', [], [], []]
            out.append(cur)
            continue
        if cur is None or line.startswith('---'):
            continue
        m = re.match(r'^\s+: 5 +([0-9a-f]{16} <.*>:)$', line)
        cur[4].append(line)
        if m and not cur[1]:
            cur[1] = m.group(1)
        elif INSN.match(line):
            cur[2].append(line)
        else:
            cur[3].append(line)
    return out


def insn_addr(line):
    return line.split(':')[1].split()[0]


def cmp_annotate_src(perf, ours, dso):
    """only the lines between instructions (and which instruction each precedes)"""
    def strip(path):
        return [[b[0], b[1], [insn_addr(i) for i in b[2]], b[3],
                 [insn_addr(i) if INSN.match(i) else i for i in b[4]]] for b in annotate_blocks(path)]
    return cmp_annotate(perf, ours, dso, strip)


def cmp_annotate(perf, ours, dso, blocks=annotate_blocks):
    pb = [b for b in blocks(perf)]
    ob = [b for b in blocks(ours)]
    cls, bad = collections.Counter(), []
    if not pb:
        print('# perf annotate printed nothing')
        return 1
    # perf stretches _init over .plt (the program's and libraries'): _init blocks and
    # our x@plt blocks are the PLT's on both sides
    plt_p = [b for b in pb if re.search(r'<_init>:|@plt>:', b[1])]
    plt_o = [b for b in ob if re.search(r'<_init>:|@plt>:', b[1])]
    cls['plt-name'] = len(plt_p) + len(plt_o)
    pb = [b for b in pb if b not in plt_p]
    ob = [b for b in ob if b not in plt_o]
    ok_blocks = 0
    for p, o in zip(pb, ob):
        # (perf names the vdso after its temporary copy, or [vdso] when its build-id cache
        # has it; objdump's names are versioned either way)
        vdso = re.search(r' of (perf-vdso\.so-\w+|\[vdso\]) for ', p[0])
        if vdso:
            cls['vdso-name'] += 1
            # (the versions on both sides: objdump on the build-id cache's copy names the
            # function bare and its version's symbol LINUX_2.6@@LINUX_2.6)
            p = [re.sub(r' of perf-vdso\.so-\w+ for ', ' of [vdso] for ', p[0]),
                 VDSO_VER.sub('', p[1]), [VDSO_VER.sub('', i) for i in p[2]], p[3],
                 [VDSO_VER.sub('', i) for i in p[4]]]
            o = [o[0], VDSO_VER.sub('', o[1]), [VDSO_VER.sub('', i) for i in o[2]], o[3],
                 [VDSO_VER.sub('', i) for i in o[4]]]
        if p[1] != o[1] or p[0] != o[0] or len(p[2]) != len(o[2]):
            bad.append(([p[0], p[1]] + p[2][:3], [o[0], o[1]] + o[2][:3]))
            continue
        for a, b in zip(p[2], o[2]):
            if a == b:
                continue
            if vdso and re.sub(r' <[^>]*>$', '', a) == b:
                cls['vdso-name'] += 1	# objdump's names outside the vdso's symbols
                continue
            if re.search(r':\s+([0-9a-f]{2} )*\s*\(bad\)$', b) and \
                    re.search(r'%k[0-7]|%[xyz]mm(1[6-9]|2[0-9]|3[01])\b|%zmm|\{|\svpternlog[dq]\s', a):
                cls['capstone-evex'] += 1
                continue
            ca, cb = a.split('        # '), b.split('        # ')
            if len(ca) == 2 and len(cb) == 2 and ca[0] == cb[0] and ca[1].split()[0] == cb[1].split()[0] \
                    and re.search(r'@(Base|GLIBC|GLIBCXX|CXXABI)', ca[1]):
                cls['got-name'] += 1
                continue
            bad.append((a, b))
        # objdump -S -l's lines between the instructions, where they are and as numbered
        if len(p[4]) != len(o[4]):
            d = next((i for i, (a, b) in enumerate(zip(p[4], o[4])) if a != b), min(len(p[4]), len(o[4])))
            bad.append(([p[1]] + p[4][d:d + 3], [o[1]] + o[4][d:d + 3]))
            continue
        for a, b in zip(p[4], o[4]):
            if a == b or INSN.match(a) or re.match(r'^[0-9a-f]+$', a):
                continue
            fa = re.match(r'^\s+: (\d+ +)[^/ ][^ ]*(:\d+( \(discriminator \d+\))?)$', a)
            fb = re.match(r'^\s+: (\d+ +)[^/ ][^ ]*(:\d+( \(discriminator \d+\))?)$', b)
            if fa and fb and fa.groups() == fb.groups():
                cls['bfd-file'] += 1
                continue
            bad.append((a, b))
        ok_blocks += 1
    if len(pb) != len(ob):
        bad.append(('%d symbols in perf annotate' % len(pb), '%d in ours' % len(ob)))
    return report(cls, bad, len(pb) + len(plt_p), 'symbols')


def main(argv):
    global UNWIND_OUT, TOL_SAMPLES, TOL_TOTAL
    cmd, perf, ours, dso = argv[1:5]
    if len(argv) > 5 and cmd == 'script':
        UNWIND_OUT = argv[5]
    elif len(argv) > 5:
        try:
            TOL_SAMPLES, TOL_TOTAL = map(int, open(argv[5]).read().split())
        except (OSError, ValueError):
            pass
    return {'script': cmp_script, 'report': cmp_report, 'fold': cmp_fold,
            'annotate': cmp_annotate, 'annotate-src': cmp_annotate_src}[cmd](perf, ours, dso)


if __name__ == '__main__':
    sys.exit(main(sys.argv))
