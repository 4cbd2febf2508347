#!/bin/sh
# Lists functions longer than N lines (default 120) in the library and the commands: a
# function starts at a line "name(...)" at column 0 followed by "{" at column 0 and ends at
# the next "}" at column 0.
max=${1:-120}
cd "$(dirname "$0")/.." || exit 1
find util perfdata symbols unwind sampler report cmd -name '*.c' ! -path '*/gen/*' | sort |
while read -r f; do
	awk -v f="$f" -v max="$max" '
		/^[A-Za-z_].*\(/ && !/;$/ { cand = $0; cl = NR }
		/^\{/ { if (cand != "") { start = cl; name = cand } }
		/^\}/ { if (start) { n = NR - start + 1; if (n > max) printf "%s:%d: %d lines: %s\n", f, start, n, name; start = 0; cand = "" } }
	' "$f"
done
