#!/bin/sh
# Issue 23: what readme.t does for README.md, for the docs the README links that readme.t does
# not run (cli, perf-compat-cli, containers, travel, compat): every `$ ` example runs as written
# after `make demo`, its output of the shape shown (readme_examples.py). docs/debuginfod.md is
# left out: its examples start a debuginfod server in the background on a fixed port (8002),
# never stop it, and race its first scan (tests/e2e/debuginfod.t tests the feature). Also:
# `make demo` itself (scripts/demo.sh, as the Makefile runs it) writes the perf.data and
# flame.svg the README promises, which perf reads and which have frames; and the links of
# README.md and of docs/*.md (#anchors, docs/ paths) lead somewhere.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$E2E_DIR/../.." && pwd)
export BIN PROGS

# --- make demo, from a directory of its own (the demo writes ./build/demo)
mkdir "$TMP/demo"
(cd "$TMP/demo" && "$ROOT/scripts/demo.sh" "$BIN") >"$TMP/demo.out" 2>&1
rc=$?
D=$TMP/demo/build/demo
[ $rc -eq 0 ] && grep -q "flame graph: $D/flame.svg" "$TMP/demo.out"
ok $? "make demo (scripts/demo.sh): exit $rc, says where the flame graph is" || sed 's/^/# /' "$TMP/demo.out"
perf report -i "$D/perf.data" --stdio --no-children -g none --sort sym >"$TMP/demo.rep" 2>/dev/null
prc=$?
top=$(grep -v '^#' "$TMP/demo.rep" | grep -m1 '%' | awk '{ print $NF }')
[ $prc -eq 0 ] && [ "$(perf_nsamples "$D/perf.data")" -gt 100 ] && [ "$top" = collide ]
ok $? "its build/demo/perf.data: perf report reads it (exit $prc), samples, top symbol '$top' (collide, as the README says)"
frames=$(grep -c '<title>' "$D/flame.svg" 2>/dev/null)
head -c 200 "$D/flame.svg" | grep -q '<svg' && grep -q '</svg>' "$D/flame.svg" &&
	[ "${frames:-0}" -ge 5 ] && grep -q '<title>collide ' "$D/flame.svg" && grep -q '<title>main ' "$D/flame.svg"
ok $? "its build/demo/flame.svg: an SVG with frames ($frames), main and collide among them"

# --- the docs' examples, each document in a scratch copy of the repository root after make demo
set --
for f in cli perf-compat-cli containers travel compat; do
	case $f in
	cli | containers)	# pprobe's uprobes, unshare and cgroup directories
		if [ "$(id -u)" -ne 0 ]; then skip "docs/$f.md: its examples need root"; continue; fi ;;
	esac
	set -- "$@" "$ROOT/docs/$f.md"
done
python3 "$E2E_DIR/readme_examples.py" "$TMP/run" "$@" --demo="$D" >"$TMP/ex.tap"
while IFS= read -r line; do
	case $line in
	"ok "*) ok 0 "${line#ok * - }" ;;
	"not ok "*) ok 1 "${line#not ok * - }" ;;
	"#"*) echo "$line" ;;
	esac
done <"$TMP/ex.tap"

# --- links: README.md's and docs/*.md's #anchors and paths resolve
python3 - "$ROOT" >"$TMP/links" <<'EOF'
import os, re, sys
root = sys.argv[1]

def slug(h):
    """GitHub's anchor of a heading: lower case, punctuation dropped, blanks to '-'."""
    h = re.sub(r'`|\*\*|\[([^]]*)\]\([^)]*\)', lambda m: m.group(1) or '', h.strip().lower())
    return re.sub(r'[^\w\- ]', '', h).replace(' ', '-')

def anchors(path):
    out, fence = set(), False
    for line in open(path, encoding='utf-8'):
        if line.startswith('```'):
            fence = not fence
        elif not fence and line.startswith('#'):
            s = slug(line.lstrip('#'))
            n = 1
            base = s
            while s in out:
                s = '%s-%d' % (base, n)
                n += 1
            out.add(s)
    return out

files = ['README.md'] + ['docs/' + f for f in sorted(os.listdir(os.path.join(root, 'docs'))) if f.endswith('.md')]
n = 0
for f in files:
    text = open(os.path.join(root, f), encoding='utf-8').read()
    text = re.sub(r'```.*?```', '', text, flags=re.S)
    for target in re.findall(r'\]\(([^)\s]+)\)', text):
        if re.match(r'[a-z]+:', target):
            continue                    # http:, https:, mailto:
        n += 1
        path, _, anchor = target.partition('#')
        dest = os.path.normpath(os.path.join(os.path.dirname(os.path.join(root, f)), path)) if path else os.path.join(root, f)
        if not os.path.exists(dest):
            print('BAD %s: (%s) no such file' % (f, target))
        elif anchor and dest.endswith('.md') and anchor not in anchors(dest):
            print('BAD %s: (%s) no such heading' % (f, target))
print('LINKS %d' % n)
EOF
n=$(sed -n 's/^LINKS //p' "$TMP/links")
! grep -q '^BAD' "$TMP/links" && [ "${n:-0}" -gt 10 ]
ok $? "the $n links of README.md and docs/*.md (#anchors, paths) lead somewhere" || grep '^BAD' "$TMP/links" | sed 's/^/# /'

done_testing
