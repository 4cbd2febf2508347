# Shared TAP helpers for the end-to-end tests. Source it; BIN and PROGS come from the Makefile.
# Tests run the real commands on the real kernel; perf is the oracle where it answers the same question.
: "${BIN:=$(cd "$(dirname "$0")/../.." && pwd)/build}"
: "${PROGS:=$BIN/tests/progs}"
E2E_DIR=$(cd "$(dirname "$0")" && pwd)
# folded.py (folded stacks: pfold's, perf report's, their comparison, SVG frame colors) for the
# tests' python; run as `python3 "$FOLDED" cmp ...`
FOLDED=$E2E_DIR/folded.py
# (no __pycache__ left in the source tree)
PYTHONPATH=$E2E_DIR${PYTHONPATH:+:$PYTHONPATH} PYTHONDONTWRITEBYTECODE=1
export PYTHONPATH PYTHONDONTWRITEBYTECODE
# a machine's /etc/profile.d may point the tools at a debuginfod server: only debuginfod.t,
# with its own server on 127.0.0.1, asks one
unset DEBUGINFOD_URLS
T_NUM=0
T_FAILED=0
TMP=$(mktemp -d /tmp/e2e.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

plan() { echo "1..$1"; }
# The diag lines since the last verdict are kept: a failed check copies them to stderr, which
# prove shows without -v (CI's log), as it does the diag lines right after a failed check.
T_LAST_BAD=0
t_verdict() {	# t_verdict 0|1: after each check
	if [ "$1" -ne 0 ] && [ -s "$TMP/.diag" ]; then cat "$TMP/.diag" >&2; fi
	: >"$TMP/.diag"
	T_LAST_BAD=$1
}
ok() {	# ok COND-STATUS DESCRIPTION
	T_NUM=$((T_NUM + 1))
	if [ "$1" -eq 0 ]; then echo "ok $T_NUM - $2"; t_verdict 0
	else echo "not ok $T_NUM - $2"; T_FAILED=1; t_verdict 1; return 1; fi
}
check() {	# check DESCRIPTION CMD...: ok when CMD exits 0
	desc=$1; shift
	if "$@"; then ok 0 "$desc"; else ok 1 "$desc"; fi
}
is() {	# is GOT WANT DESCRIPTION
	T_NUM=$((T_NUM + 1))
	if [ "$1" = "$2" ]; then echo "ok $T_NUM - $3"; t_verdict 0
	else echo "not ok $T_NUM - $3"; t_verdict 1
		printf "#   got:  '%s'\n#   want: '%s'\n" "$1" "$2" >&2; T_FAILED=1; return 1; fi
}
skip() {	# skip REASON: one skipped test
	T_NUM=$((T_NUM + 1))
	echo "ok $T_NUM # SKIP $1"
}
diag() {
	echo "# $*"
	if [ "$T_LAST_BAD" -eq 1 ]; then echo "# $*" >&2; else echo "# $*" >>"$TMP/.diag"; fi
}
done_testing() { echo "1..$T_NUM"; exit $T_FAILED; }

# Within PCT percent of each other (floats).
within_pct() { awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; m = (a > b ? a : b); exit !(m == 0 || d <= m * p / 100) }'; }

has_pmu() { perf stat -e instructions true 2>&1 | grep -q '<not supported>' && return 1; return 0; }
tracefs_dir() {
	for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
		[ -e "$d/available_events" ] && { echo "$d"; return 0; }
	done
	return 1
}

# build_inl N: $TMP/inl and $TMP/libinl.so from tests/e2e/inl.c, N iterations by default;
# non-zero when they cannot be built
build_inl() {
	cc -O2 -g -fomit-frame-pointer -shared -fPIC -DLIB -o "$TMP/libinl.so" "$(dirname "$0")/inl.c" &&
	cc -O2 -g -fomit-frame-pointer -DINL_N="$1" -o "$TMP/inl" "$(dirname "$0")/inl.c" \
		-L"$TMP" -linl -Wl,-rpath,"$TMP"
}

# --- normalizers shared by the files --------------------------------------------------------
# no_tip: perf report's text without the random "# (Tip: ...)" line it ends with (a filter)
no_tip() { grep -v '^# (Tip'; }
# no_comments: without '#' lines and empty lines (a filter): the rows of perf report's text
no_comments() { grep -v '^#' | grep -v '^$'; }
# drop_column: "file:line:column" -> "file:line", eu-addr2line's answer as perf prints a srcline
drop_column() { sed -E 's/:([0-9]+):[0-9]+$/:\1/'; }
# ndiff A B: how many lines differ between files A and B
ndiff() { diff "$1" "$2" | grep -c '^[<>]'; }
# diff_diag N A B: the first N lines of diff A B as TAP comments (B may be -, stdin)
diff_diag() {	# diff_diag N A B: the first N lines of the difference, as diag lines
	diff "$2" "$3" | head -n "$1" >"$TMP/.diff"
	while IFS= read -r l; do diag "$l"; done <"$TMP/.diff"
}
# plt_names FILE...: PLT slots spelled PLT in place, where our output is compared with perf
# 6.1's (it names libc's slots by relocation index, often "@plt" alone, and the program's
# _init; we x@plt: docs/compat.md, plt-name)
plt_names() {
	sed -i -E 's/[A-Za-z0-9_.]*@plt/PLT/g; s/(^|[ ;])_init($|[ ;+])/\1PLT\2/g' "$@"
	plt_frames "$@"
}
# plt_frames FILE...: script frame lines ("ADDR NAME (DSO)", ADDR relative to the DSO) whose
# address lies in one of the DSO's PLT sections (.plt, .plt.sec, .plt.got) name it "PLT": we
# name every slot after the function it jumps to, where perf says _init+N, x@plt or, in
# .plt.got, [unknown] (docs/compat.md, plt-name), and samples land in slots by chance.
plt_frames() {
	_dsos=$(sed -n -E 's/^[[:space:]]+[0-9a-f]+ .* \((\/[^()]*)\)$/\1/p' "$@" | sort -u)
	_ranges=$(for _d in $_dsos; do
		[ -f "$_d" ] && readelf -SW "$_d" 2>/dev/null |
			sed -n -E "s|.*\] (\.plt[.a-z]*) +[A-Z]+ +([0-9a-f]+) +[0-9a-f]+ +([0-9a-f]+).*|$_d \2 \3|p"
	done)
	[ -n "$_ranges" ] || return 0
	for _f in "$@"; do
		printf '%s\n' "$_ranges" | awk '
			function hex(s,   i, v) { v = 0; for (i = 1; i <= length(s); i++)
				v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }
			FNR == NR { n++; d[n] = $1; lo[n] = hex($2); hi[n] = hex($2) + hex($3); next }
			/^[[:space:]]+[0-9a-f]+ .* \(\/[^()]*\)$/ {
				match($0, /^[[:space:]]+[0-9a-f]+ /); a = hex($1)
				dso = $NF; gsub(/[()]/, "", dso)
				for (i = 1; i <= n; i++)
					if (d[i] == dso && a >= lo[i] && a < hi[i]) {
						print substr($0, 1, RSTART + RLENGTH - 1) "PLT (" dso ")"; next
					}
			}
			{ print }' - "$_f" > "$_f.plt" && mv "$_f.plt" "$_f"
	done
}
# plt_rows_apart FILE...: after plt_names, the report rows of PLT slots dropped in place, with
# the call-graph lines under them. Rows of equal share come out in the order of their names,
# and perf names some libc slots "@plt" where we print x@plt: such a row sits elsewhere among
# its ties (docs/compat.md, plt-name). The empty line that ends a row's call graph goes with
# it; a row without one keeps the empty lines after it (the last row's are the report's end).
plt_rows_apart() {
	for _f in "$@"; do
		awk '/^ *[0-9.]+%/ { skip = / PLT$/; cg = 0; if (skip) next }
		     skip && /^$/ { skip = 0; if (cg) next }
		     skip { cg = 1; next }
		     { print }' "$_f" >"$_f.rows" && mv "$_f.rows" "$_f"
	done
}
# perf_split_apart PERF OURS: report rows (-g none) that perf 6.1 split dropped from both files:
# a symbol perf shows in several rows whose children percentages add up (within their
# rounding) to our one row. perf's entry tree compares unresolved entries by address and
# resolved ones by DSO and symbol start, which is not a total order: one entry sometimes lands
# in two nodes (docs/compat.md, perf-split; `clone3` at 74.54% and 0.29%, ours 74.82%).
perf_split_apart() {
	[ -s "$1" ] && [ -s "$2" ] || return 0	# (awk counts the files by their first lines)
	awk -v P="$1" -v O="$2" '
		function key(l) { sub(/^ *([0-9.]+% +)+([0-9]+ +)?/, "", l); return l }
		FNR == 1 { f++ }
		{ line[f, FNR] = $0; nl[f] = FNR }
		$1 ~ /^[0-9.]+%$/ { k = key($0); if (f == 1) { c[k]++; s[k] += $1 } else { o[k] = $1; oc[k]++ } }
		END {
			for (k in c)
				if (c[k] > 1 && oc[k] == 1 && s[k] - o[k] <= 0.01 * c[k] && o[k] - s[k] <= 0.01 * c[k])
					drop[k] = 1
			for (g = 1; g <= 2; g++) {
				out = (g == 1 ? P : O) ".split"
				printf "" > out
				for (i = 1; i <= nl[g]; i++) {
					l = line[g, i]; split(l, w, " ")
					if (w[1] ~ /^[0-9.]+%$/ && (key(l) in drop)) continue
					print l > out
				}
				close(out)
			}
		}' "$1" "$2" && mv "$1.split" "$1" && mv "$2.split" "$2"
}
# perf_nsamples FILE: the samples of a perf.data file, as perf script counts them
perf_nsamples() { perf script -i "$1" -F comm 2>/dev/null | wc -l; }
# perf_period_sum FILE: the sum of their periods
perf_period_sum() { perf script -i "$1" -F period 2>/dev/null | awk '{ s += $1 } END { print s }'; }
# folded_total FILE: the samples of folded text ("stack count" lines)
folded_total() { awk '{ s += $NF } END { print s + 0 }' "$1"; }

# --- the only retries: named causes of nondeterminism that is not ours ------------------------
# retry_nondeterministic CAUSE CHECK [ARGS...]: run CHECK, a function of the file that reports
# its verdicts with ok/is/skip and compares with output known to vary from run to run for CAUSE,
# one of:
#   perf-addr2line  perf 6.1 takes source lines and inline chains from binutils addr2line,
#                   which it drives through a pipe: the same address gets another answer (or
#                   none) from run to run, and so do perf's srcline rows and inlined levels
#   chromium        a headless Chromium screenshot: under a loaded machine a run has returned a
#                   picture without the page's highlight
#   vm-clock        the kernel's cpu-clock samples of a thread against the thread's own
#                   cpu-clock count: on a loaded VM host they drift apart by a few percent now
#                   and then (the check records again when it runs the second time)
# When a verdict of CHECK is "not ok", its verdicts are withdrawn: they go to stderr as comments
# under one line that names CAUSE (and to $E2E_RETRY_LOG when set, for make check's summary),
# and CHECK runs once more; the second run's verdicts stand. Any other check that fails fails
# its file: nothing else is run twice.
retry_nondeterministic() {
	case $1 in
	perf-addr2line) _rt_why="perf's srcline/inline output comes from its addr2line exchange, which varies from run to run" ;;
	chromium) _rt_why="headless Chromium screenshots vary under load" ;;
	vm-clock) _rt_why="the kernel's cpu-clock samples drift from the counted clock on a loaded VM host" ;;
	*) echo "lib.sh: retry_nondeterministic: '$1' is not a named cause" >&2; exit 2 ;;
	esac
	_rt_cause=$1; shift
	_rt_num=$T_NUM _rt_failed=$T_FAILED _rt_out=$TMP/retry.$T_NUM
	"$@" >"$_rt_out"	# a function with a redirection runs in this shell: T_NUM counts on
	if ! grep -q '^not ok' "$_rt_out"; then
		cat "$_rt_out"
		return 0
	fi
	{
		echo "# RETRY ($_rt_cause: $_rt_why): the first run said"
		sed 's/^/#   /' "$_rt_out"
	} >&2
	if [ -n "${E2E_RETRY_LOG:-}" ]; then
		grep '^not ok' "$_rt_out" | sed "s|^not ok [0-9]* - |$(basename "$0"): $_rt_cause: |" >>"$E2E_RETRY_LOG"
	fi
	T_NUM=$_rt_num T_FAILED=$_rt_failed
	E2E_RETRYING=1
	"$@"
	E2E_RETRYING=
}
