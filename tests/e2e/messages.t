#!/bin/sh
# Messages that say what is wrong and what to do (docs/robustness.md), and one exit-code rule
# across the commands that run a program, a shell's: 127 not found, 126 not executable, the
# program's status, 128+N when signal N killed it. Numbers perf clamps or rounds (-F above the
# kernel's limit, -m not a power of two, -z above 22) are clamped the same way, with a note.
. "$(dirname "$0")/lib.sh"
P=$BIN/precord
S=$BIN/pstat

# one_line DESCRIPTION PATTERN CMD...: non-zero exit, one line (warnings aside) matching PATTERN;
# a usage error (129, issue 23) adds the pointer to --help
one_line() {
	d=$1; pat=$2; shift 2
	"$@" >"$TMP/o" 2>"$TMP/e"; rc=$?
	if [ $rc -ne 0 ] && grep -q -- "$pat" "$TMP/e" &&
	   [ "$(grep -v 'warning' "$TMP/e" | grep -vc "^see '[a-z]* --help' for the options$")" -eq 1 ]; then
		ok 0 "$d"
	else
		ok 1 "$d"; diag "rc=$rc"; sed 's/^/# /' "$TMP/e"
	fi
}

# --- exit codes: what sh says for the same command ---------------------------------------------
printf 'echo hi\n' >"$TMP/noexec"; chmod 644 "$TMP/noexec"
for cmd in "/no/such/cmd" "$TMP/noexec" "sh -c 'exit 7'" "sh -c 'kill -9 \$\$'" "sh -c 'kill -TERM \$\$'" true; do
	sh -c "$cmd" >/dev/null 2>&1; want=$?
	eval "$P -q -o \"\$TMP/x.data\" -- $cmd" >/dev/null 2>&1; got=$?
	is "$got" "$want" "precord -- $cmd: exit $want, as sh"
	eval "$S -- $cmd" >/dev/null 2>&1; got=$?
	is "$got" "$want" "pstat -- $cmd: exit $want, as sh"
done
one_line "not found: one line naming PATH" "cannot run '/no/such/cmd': No such file or directory (not found" \
	$P -q -o "$TMP/x.data" -- /no/such/cmd
one_line "not executable: one line with the fix" "Permission denied (not executable: chmod +x" \
	$P -q -o "$TMP/x.data" -- "$TMP/noexec"

# --- -C with a CPU that does not exist ----------------------------------------------------------
online=$(cat /sys/devices/system/cpu/online)
one_line "precord -C 99: the CPU does not exist, and which do" \
	"precord: -C 99: CPU 99 does not exist (this machine has CPUs $online)" $P -C 99 -o "$TMP/x.data" -- true
one_line "pstat -C 99: the same" "pstat: -C 99: CPU 99 does not exist (this machine has CPUs $online)" \
	$S -a -C 99 -- true

# --- -o F when F.old is a directory ---------------------------------------------------------------
echo old >"$TMP/F"; mkdir "$TMP/F.old"
one_line "-o F with F.old a directory says so" "F.old is a directory; remove or rename it" \
	$P -q -o "$TMP/F" -- true
is "$(cat "$TMP/F")" "old" "and F is left alone"

# --- empty event specs quoted as given ----------------------------------------------------------
one_line "-e '' is quoted" "precord: invalid event '' " $P -e '' -o "$TMP/x.data" -- true
one_line "-e ' ' is quoted" "precord: invalid event ' ' " $P -e ' ' -o "$TMP/x.data" -- true
$S -e '' -- true >/dev/null 2>"$TMP/e"; rc=$?
[ $rc -ne 0 ] && grep -q "pstat: event syntax error: ''$" "$TMP/e"; ok $? "pstat -e '' is quoted (perf's two-line pointer form)"

# a lone comma and a trailing one: quoted as given, the byte named (pstat: pointed at)
one_line "-e ',' is quoted, the empty event named" "precord: invalid event ',' (at byte 0): empty event" \
	$P -e ',' -o "$TMP/x.data" -- true
one_line "-e 'cpu-clock,' is quoted, the trailing comma named" \
	"precord: invalid event 'cpu-clock,' (at byte 9): trailing ','" $P -e 'cpu-clock,' -o "$TMP/x.data" -- true
for spec in ',' 'cpu-clock,'; do
	$S -e "$spec" -- true >/dev/null 2>"$TMP/e"; rc=$?
	# the pointer's backslash stands under the comma: the quote's column + the comma's byte
	want=$(( $(head -1 "$TMP/e" | sed "s/'.*//" | wc -c) + ${#spec} - 1 ))
	at=$(sed -n '2s/\\.*//p' "$TMP/e" | wc -c)
	[ $rc -ne 0 ] && [ "$(head -1 "$TMP/e")" = "pstat: event syntax error: '$spec'" ] && [ $((at - 1)) = "$want" ]
	ok $? "pstat -e '$spec': quoted, the pointer under the comma (column $((at - 1)))"
done

# --- numbers perf clamps or rounds ----------------------------------------------------------------
max=$(cat /proc/sys/kernel/perf_event_max_sample_rate)
over=$((max * 10))
$P -F $over -e cpu-clock -o "$TMP/f.data" -- true 2>"$TMP/e"; rc=$?
is "$rc" 0 "-F $over (above the limit $max): recorded anyway"
grep -q -- "-F $over is above kernel.perf_event_max_sample_rate ($max): sampling at $max Hz" "$TMP/e"
ok $? "with a note saying what was used"
perf record -q -F $over -e cpu-clock -o "$TMP/pf.data" -- true >/dev/null 2>&1
freq() { perf report --header-only -i "$1" 2>/dev/null | sed -n 's/.*sample_freq } = \([0-9]*\).*/\1/p' | head -1; }
is "$(freq "$TMP/f.data")" "$(freq "$TMP/pf.data")" "the same frequency as perf record uses ($max)"
$P -m 3 -o "$TMP/m.data" -- true 2>"$TMP/e"; rc=$?
perf record -m 3 -o "$TMP/pm.data" -- true 2>"$TMP/pe" >/dev/null
theirs=$(sed -n 's/.*rounding mmap pages size to .* (\([0-9]*\) pages).*/\1/p' "$TMP/pe")
ours=$(sed -n 's/.*-m 3: using \([0-9]*\) pages.*/\1/p' "$TMP/e")
is "$rc:$ours" "0:${theirs:-4}" "-m 3 is rounded up to a power of two as perf does (${theirs:-?} pages)"
$P -z30 -e cpu-clock -o "$TMP/z.data" -- true 2>"$TMP/e"; rc=$?
is "$rc" 0 "-z30: recorded anyway"
grep -q -- "-z 30: zstd levels go up to 22: using 22" "$TMP/e"; ok $? "with a note"
perf report --header-only -i "$TMP/z.data" 2>/dev/null | grep -q "compressed : Zstd, level = 22"
ok $? "level 22 is what the file says"

# --- permission messages (an unprivileged user) -------------------------------------------------
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	NB="setpriv --reuid=65534 --regid=65534 --clear-groups"
	par=$(cat /proc/sys/kernel/perf_event_paranoid)
	if [ "$par" -ge 1 ]; then
		$NB $S -a -- true >/dev/null 2>"$TMP/e"
		grep -q "kernel.perf_event_paranoid is $par (" "$TMP/e"; ok $? "paranoid: the current value and what it allows"
		grep -q "kernel.perf_event_paranoid=$par\b" "$TMP/e"; [ $? -ne 0 ]; ok $? "never suggests the value already set"
		grep -q "CAP_PERFMON" "$TMP/e" && grep -q "root" "$TMP/e" && grep -q "kernel.perf_event_paranoid=0 (allows CPU-wide" "$TMP/e"
		ok $? "each fix said: root, CAP_PERFMON, a lower value and what it allows"
		diag "$(cat "$TMP/e")"
	else
		skip "perf_event_paranoid is $par (< 1)"; skip "paranoid"; skip "paranoid"
	fi
	T=$(tracefs_dir)
	if [ -n "$T" ] && ! $NB test -x "$T"; then
		one_line "unreadable tracefs: a permission problem, with the path and the fix" \
			"no permission to read the tracepoints in tracefs ($T is mode" \
			$NB $P -e sched:sched_switch -o /tmp/nb.$$.data -- true
		grep -q "not mounted" "$TMP/e"; [ $? -ne 0 ]; ok $? "not 'tracefs is not mounted'"
		one_line "pstat says the same" "pstat: 'sched:sched_switch': no permission to read the tracepoints" \
			$NB $S -e sched:sched_switch -- true
		rm -f /tmp/nb.$$.data
	else
		skip "tracefs is not mounted here or is readable by nobody"; skip "tracefs"; skip "tracefs"
	fi
else
	skip "needs root and setpriv"; skip "unprivileged"; skip "unprivileged"; skip "u"; skip "u"; skip "u"
fi
done_testing
