#!/bin/sh
# Issue 23: the README is a test. Every `$ ` example of README.md (and of the docs/ files written
# with it) runs as written, in order, in a scratch directory laid out as the repository root
# after `make demo`, and its output still has the shape shown (readme_examples.py: the exit
# status, then every shown line found in order once numbers and column widths are normalized).
# A README that no longer runs, or whose shown output went stale, fails here.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$E2E_DIR/../.." && pwd)
export BIN PROGS
set -- "$ROOT/README.md"
for f in design unwinding hardening benchmarks robustness; do
	[ -f "$ROOT/docs/$f.md" ] && set -- "$@" "$ROOT/docs/$f.md"
done
python3 "$E2E_DIR/readme_examples.py" "$TMP/run" "$@"
