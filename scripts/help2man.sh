#!/bin/sh
# help2man.sh BINARY: a man page (roff, section 1) on stdout made from BINARY --help, so that
# the page and the help text never disagree. Usage lines become the SYNOPSIS, option lines
# ("  -e, --event SPEC   text", continued on deeper-indented lines) the OPTIONS, the other
# lines the DESCRIPTION. Used by make install.
set -e
bin=$1
name=$(basename "$bin")
[ -x "$bin" ] || { echo "help2man.sh: '$bin' is not an executable: build it first (make all)" >&2; exit 1; }
"$bin" --help 2>&1 | awk -v name="$name" '
function esc(s) {
	gsub(/\\/, "\\e", s)
	gsub(/-/, "\\-", s)
	if (s ~ /^[.\047]/) s = "\\&" s
	return s
}
function flush_opt() {
	if (opt != "") { nopt++; optk[nopt] = opt; optv[nopt] = text }
	opt = ""; text = ""
}
BEGIN { nsyn = 0; ndesc = 0; nopt = 0; opt = "" }
/^[Uu]sage: / || (nsyn > 0 && nsyn == NR - 1 && /^       [a-z]/) {
	s = $0; sub(/^[Uu]sage: +/, "", s); sub(/^ +/, "", s)
	syn[++nsyn] = s; next
}
{ lead = match($0, /[^ ]/) - 1 }
lead >= 1 && lead <= 8 && substr($0, lead + 1, 1) == "-" {
	flush_opt()
	line = $0; sub(/^ +/, "", line)
	n = match(line, /  +|\t/)
	if (n) { opt = substr(line, 1, n - 1); text = substr(line, n); sub(/^[ \t]+/, "", text) }
	else { opt = line; text = "" }
	next
}
lead >= 9 && opt != "" {
	line = $0; sub(/^ +/, "", line); text = text " " line; next
}
/^$/ { flush_opt(); next }
{
	flush_opt()
	line = $0; sub(/^ +/, "", line)
	desc[++ndesc] = line
}
END {
	flush_opt()
	summary = ndesc ? desc[1] : "a command of the perf-compatible profiler"
	sub(/\.$/, "", summary)
	printf ".TH %s 1 \"\" \"profiler\" \"User Commands\"\n", toupper(name)
	printf ".SH NAME\n%s \\- %s\n", name, esc(summary)
	if (nsyn) {
		printf ".SH SYNOPSIS\n.nf\n"
		for (i = 1; i <= nsyn; i++) printf "%s\n", esc(syn[i])
		printf ".fi\n"
	}
	if (ndesc) {
		printf ".SH DESCRIPTION\n"
		for (i = 1; i <= ndesc; i++) printf "%s\n.br\n", esc(desc[i])
	}
	if (nopt) {
		printf ".SH OPTIONS\n"
		for (i = 1; i <= nopt; i++) printf ".TP\n.B \"%s\"\n%s\n", esc(optk[i]), esc(optv[i])
	}
	printf ".SH SEE ALSO\n"
	split("pannotate pfold plist pprobe precord preport pscript pstat", all, " ")
	sep = ""
	for (i = 1; i <= 8; i++) if (all[i] != name) { printf "%s\\fB%s\\fR(1)", sep, all[i]; sep = ", " }
	printf ", \\fBperf\\fR(1)\n"
}'
