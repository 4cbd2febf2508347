#!/bin/sh
# Issue 23: --help, the README and the option parsers agree. For every command (cmd/*.c):
#   - every option its --help lists is documented: in the command's README section, or for a
#     long option anywhere in README.md or docs/*.md (features documented in their own file);
#   - every option --help lists, and every option of the command's README option table, is
#     accepted by the command: given with a value and followed by an unknown option, the
#     command stops at the unknown one (exit 129), never at the option under test
#     ("unrecognized option" / "invalid option").
# Also: a usage error is one line plus "see 'PROG --help'" and exit 129 in every command.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$E2E_DIR/../.." && pwd)
export BIN ROOT
cd "$TMP" || exit 1
python3 - <<'EOF'
import glob, os, re, subprocess, sys

BIN, ROOT = os.environ['BIN'], os.environ['ROOT']
cmds = sorted(os.path.basename(p)[:-2] for p in glob.glob(os.path.join(ROOT, 'cmd', '*.c')))
readme = open(os.path.join(ROOT, 'README.md'), encoding='utf-8').read()
docs = ''.join(open(p, encoding='utf-8').read() for p in sorted(glob.glob(os.path.join(ROOT, 'docs', '*.md'))))
OPT = re.compile(r'(?<![\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?![\w-])')
n, failed = 0, 0


def ok(cond, desc, diag=''):
    global n, failed
    n += 1
    print('%s %d - %s' % ('ok' if cond else 'not ok', n, desc))
    if not cond:
        failed = 1
        for l in diag.splitlines()[:6]:
            print('#   ' + l)


def section(cmd):
    """The command's reference section: from '## CMD' to the next heading (code blocks,
    whose output lines may start with '#', left out)."""
    text = re.sub(r'^```.*?^```', '', readme, flags=re.S | re.M)
    m = re.search(r'^## %s\s*$(.*?)(?=^#{1,2} |\Z)' % re.escape(cmd), text, re.S | re.M)
    return m.group(1) if m else ''


def run(argv):
    try:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=20)
        return p.returncode, p.stdout.decode('utf-8', 'replace')
    except subprocess.TimeoutExpired:
        return 124, 'timed out'


def accepted(cmd, opt):
    """The command's parser knows opt: it goes on to the unknown option after it."""
    exe = os.path.join(BIN, cmd)
    arg = opt + '=1' if opt.startswith('--') else opt + '1'
    rc, out = run([exe, arg, '--zz-not-an-option'])
    name = opt.lstrip('-')
    refused = re.search(r"(unrecognized option '%s|invalid option -- '%s'|unknown option '%s)" %
                        (re.escape(opt), re.escape(name), re.escape(opt)), out)
    return not refused and rc in (0, 129), 'exit %d: %s' % (rc, out)


for cmd in cmds:
    exe = os.path.join(BIN, cmd)
    if not os.access(exe, os.X_OK):
        ok(False, '%s is built' % cmd)
        continue
    rc, helptext = run([exe, '--help'])
    ok(rc == 0 and helptext.strip(), '%s --help prints the options, exit 0' % cmd, helptext)
    # options of this command: not those of another command it mentions ("pstat -e EVENT",
    # "as perf -z") nor a compiler's ("needs -g")
    own = [re.split(r'\b(?:%s|perf|cc)\b' % '|'.join(c for c in cmds if c != cmd),
                    re.sub(r'\(needs [^)]*\)', '', l))[0] for l in helptext.splitlines()]
    listed = sorted(set(OPT.findall('\n'.join(own))))
    sec = section(cmd)
    ok(bool(sec), 'README has a section for %s' % cmd)
    for opt in listed:
        mention = re.compile(r'(?<![\w-])%s(?![\w-])' % re.escape(opt))
        doc = bool(mention.search(sec)) or (opt.startswith('--') and bool(mention.search(readme + docs)))
        ok(doc, '%s %s (in --help) is documented' % (cmd, opt))
        good, why = accepted(cmd, opt)
        ok(good, '%s %s (in --help) is accepted' % (cmd, opt), why)
    table = []
    for line in sec.splitlines():
        if line.startswith('| `'):
            table += OPT.findall(line.split('|')[1])
    for opt in sorted(set(table) - set(listed)):
        good, why = accepted(cmd, opt)
        ok(good, '%s %s (in the README) is accepted' % (cmd, opt), why)
    # a usage error: one line, the pointer to --help, 129
    rc, out = run([exe, '--zz-not-an-option'])
    lines = [l for l in out.splitlines() if l.strip()]
    ok(rc == 129 and len(lines) == 2 and lines[1] == "see '%s --help' for the options" % cmd,
       '%s: a usage error is one line, "see --help" and exit 129' % cmd, 'exit %d\n%s' % (rc, out))
print('1..%d' % n)
sys.exit(failed)
EOF
