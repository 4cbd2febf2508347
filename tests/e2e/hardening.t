#!/bin/sh
# Hardening, end to end: files (mode 0600 whatever the umask, no symlink followed at -o or at
# FILE.old, files of other users refused as perf refuses them unless -f, pstat -o on a full
# disk), an unprivileged user with perf_event_paranoid 2 (user space recorded and said so,
# kernel-only and other users' processes refused with the fix), and a storm of 1000 forked and
# exec'd processes: every COMM and MMAP recorded and every sample under the right command.
. "$(dirname "$0")/lib.sh"
P=$BIN/precord
LOOP=$PROGS/rec_loop
STORM=$PROGS/hard_storm
ROOT=$(id -u)

# err_is DESCRIPTION PATTERN CMD...: non-zero exit, PATTERN on stderr, in one line
err_is() {
	d=$1; pat=$2; shift 2
	"$@" >"$TMP/e.out" 2>"$TMP/e.err"; rc=$?
	if [ $rc -ne 0 ] && grep -q -- "$pat" "$TMP/e.err" && [ "$(grep -vc 'warning' "$TMP/e.err")" -eq 1 ]; then
		ok 0 "$d"
	else
		ok 1 "$d"; diag "rc=$rc"; sed 's/^/# /' "$TMP/e.err"
	fi
}

# --- files ---------------------------------------------------------------------------------
(umask 000; $P -q -o "$TMP/mode.data" true); ok $? "precord with umask 000"
is "$(stat -c %a "$TMP/mode.data")" 600 "perf.data is created with mode 0600 (umask 000)"

# a symlink planted at the output path, pointing where the attacker wants a file
ln -s "$TMP/victim-new" "$TMP/planted.data"
err_is "a symlink at -o to a missing file is refused" "symbolic link, not followed" \
	$P -q -o "$TMP/planted.data" true
[ ! -e "$TMP/victim-new" ]; ok $? "and nothing was created through it"
echo precious >"$TMP/victim"
ln -s "$TMP/victim" "$TMP/planted2.data"
err_is "a symlink at -o to an existing file is refused" "symbolic link, not followed" \
	$P -q -o "$TMP/planted2.data" true
is "$(cat "$TMP/victim")" precious "the file it points to is untouched"
[ -L "$TMP/planted2.data" ] && [ ! -e "$TMP/planted2.data.old" ]; ok $? "the link is neither renamed nor replaced"
# a symlink planted at FILE.old: the rename replaces the link, never writes through it
echo previous >"$TMP/o.data"
ln -s "$TMP/victim" "$TMP/o.data.old"
$P -q -o "$TMP/o.data" true; ok $? "precord over FILE with a symlink planted at FILE.old"
is "$(cat "$TMP/victim")" precious "the symlink's target is untouched"
[ ! -L "$TMP/o.data.old" ] && [ "$(cat "$TMP/o.data.old")" = previous ]; ok $? "FILE.old is the previous file"

# a file owned by another user (neither us nor root): refused as perf refuses it, -f reads it
if [ "$ROOT" = 0 ]; then
	# a fixed amount of work (not a time): a loaded machine still gives user samples to annotate
	$P -q -o "$TMP/own.data" -- "$LOOP" -n 60
	chown 65534 "$TMP/own.data"
	perf report -i "$TMP/own.data" --stdio >/dev/null 2>"$TMP/perf-own.err"; prc=$?
	[ $prc -ne 0 ] && grep -q 'not owned by current user or root (use -f to override)' "$TMP/perf-own.err"
	ok $? "oracle: perf report refuses a file of another user"
	for c in pscript preport pfold pannotate; do
		err_is "$c refuses it with perf's message" \
			"^$c: File $TMP/own.data not owned by current user or root (use -f to override)$" \
			"$BIN/$c" -i "$TMP/own.data"
		"$BIN/$c" -f -i "$TMP/own.data" >"$TMP/f.out" 2>"$TMP/f.err"
		rc=$?; [ $rc -eq 0 ] && [ -s "$TMP/f.out" ]; ok $? "$c -f reads it (rc $rc)" ||
			sed 's/^/# /' "$TMP/f.err" >&2
	done
	cp "$TMP/own.data" "$TMP/mine.data"; chown 0 "$TMP/mine.data"
	err_is "pfold --diff checks both files" "not owned by current user" \
		"$BIN/pfold" --diff "$TMP/mine.data" "$TMP/own.data"
	"$BIN/pscript" --force -i "$TMP/own.data" >/dev/null; ok $? "pscript --force"
	# a root-owned file is fine for an unprivileged reader, as for perf
	chmod 711 "$TMP"; cp "$TMP/mine.data" "$TMP/pub.data"; chmod 644 "$TMP/pub.data"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN/pscript" -i "$TMP/pub.data" >/dev/null 2>"$TMP/pub.err"
	ok $? "an unprivileged user reads a root-owned file without -f"
else
	for i in $(seq 13); do skip "needs root to chown"; done
fi

# pstat -o into a full filesystem: one line, non-zero exit (precord's case: precord_limits.t)
if [ "$ROOT" = 0 ] && mkdir -p "$TMP/full" && mount -t tmpfs -o size=8k tmpfs "$TMP/full" 2>/dev/null; then
	dd if=/dev/zero of="$TMP/full/fill" bs=1k count=8 2>/dev/null
	err_is "pstat -o on a full disk" "pstat: cannot write '$TMP/full/c.txt': No space left on device" \
		"$BIN/pstat" -e task-clock -o "$TMP/full/c.txt" true
	umount "$TMP/full"
else
	skip "needs root to mount a small tmpfs"
fi

# --- unprivileged, perf_event_paranoid 2 -----------------------------------------------------
if [ "$ROOT" = 0 ] && command -v setpriv >/dev/null; then
	old=$(cat /proc/sys/kernel/perf_event_paranoid)
	echo 2 >/proc/sys/kernel/perf_event_paranoid
	NB="setpriv --reuid=65534 --regid=65534 --clear-groups"
	mkdir "$TMP/nb"; chmod 777 "$TMP/nb"; chmod 711 "$TMP"
	$NB $P -e cpu-clock -g -o "$TMP/nb/u.data" -- "$LOOP" 0.3 2>"$TMP/nb.err"; rc=$?
	$NB $P -e cpu-clock:k -o "$TMP/nb/k.data" -- true 2>"$TMP/nbk.err"; krc=$?
	$NB "$BIN/pstat" -e cpu-clock:k true 2>"$TMP/nbsk.err"; skrc=$?
	$NB $P -o "$TMP/nb/p.data" -p 1 -- sleep 0.1 2>"$TMP/nbp.err"; prc=$?
	$NB "$BIN/pstat" -p 1 -- sleep 0.1 2>"$TMP/nbsp.err"; sprc=$?
	echo "$old" >/proc/sys/kernel/perf_event_paranoid
	is "$rc" 0 "an unprivileged user records its own command"
	check "and is told that kernel frames are left out, with the fix" \
		grep -q 'perf_event_paranoid is 2: sampling user space only (cpu-clock:u), without kernel frames; for them run as root or sysctl kernel.perf_event_paranoid=1' "$TMP/nb.err"
	perf script -f -i "$TMP/nb/u.data" -F event,ip,dso >"$TMP/nb.script" 2>/dev/null
	n=$(grep -c 'cpu-clock:u' "$TMP/nb.script")
	[ "$n" -gt 20 ]; ok $? "perf script sees its cpu-clock:u samples ($n)"
	! grep -q 'kernel.kallsyms' "$TMP/nb.script"; ok $? "no kernel frame in the file (perf script)"
	"$BIN/pscript" -f -i "$TMP/nb/u.data" >"$TMP/nb.ours" 2>/dev/null
	grep -q 'loop_hot' "$TMP/nb.ours" && ! grep -q 'kernel.kallsyms' "$TMP/nb.ours"
	ok $? "pscript: user frames resolved, no kernel frame"
	[ $krc -ne 0 ] && grep -q "no permission to sample 'cpu-clock:k': kernel.perf_event_paranoid is 2 (.*); run as root, .*CAP_PERFMON.*sysctl kernel.perf_event_paranoid=1 (allows" "$TMP/nbk.err"
	ok $? "precord -e cpu-clock:k is refused with the fix (not an empty recording)"
	[ $skrc -ne 0 ] && grep -q "no permission to count 'cpu-clock:k'.*perf_event_paranoid" "$TMP/nbsk.err"
	ok $? "pstat -e cpu-clock:k is refused with the fix"
	[ $prc -ne 0 ] && [ "$(grep -vc warning "$TMP/nbp.err")" -eq 1 ] && grep -q 'perf_event_paranoid' "$TMP/nbp.err"
	ok $? "precord -p of root's process: one line with the fix"; sed 's/^/# /' "$TMP/nbp.err"
	[ $sprc -ne 0 ] && [ "$(wc -l <"$TMP/nbsp.err")" -eq 1 ]
	ok $? "pstat -p of root's process: one line"; sed 's/^/# /' "$TMP/nbsp.err"
else
	for i in $(seq 9); do skip "needs root and setpriv"; done
fi

# --- a storm of 1000 forked and exec'd processes ----------------------------------------------
# ten command names w0..w9 (symlinks to hard_storm); wK spins (K+1) units of CPU in child_spin
mkdir "$TMP/st"
for k in 0 1 2 3 4 5 6 7 8 9; do ln -s "$STORM" "$TMP/st/w$k"; done
t0=$(date +%s.%N)
$P -o "$TMP/storm.data" -- "$STORM" 1000 "$TMP/st" 2 300 2>"$TMP/storm.err"; ok $? "precord -- hard_storm 1000 exits 0"
t1=$(date +%s.%N)
diag "$(tail -1 "$TMP/storm.err") in $(echo "$t1 - $t0" | bc) s"
! grep -q lost "$TMP/storm.err"; ok $? "nothing lost"
perf script -i "$TMP/storm.data" --show-task-events --show-mmap-events -F comm,pid >"$TMP/storm.ev" 2>/dev/null
execs=$(grep 'PERF_RECORD_COMM exec: w[0-9]:' "$TMP/storm.ev" | sed 's/.*exec: w[0-9]:\([0-9]*\)\/.*/\1/' | sort -u | wc -l)
is "$execs" 1000 "every exec's COMM is in the file (1000 processes)"
maps=$(grep 'PERF_RECORD_MMAP2.*r-xp .*/hard_storm$' "$TMP/storm.ev" | awk '{print $2}' | sort -u | wc -l)
is "$maps" 1001 "every process's executable MMAP2 is in the file (1000 children and the parent)"
ldmaps=$(grep 'PERF_RECORD_MMAP2.*r-xp .*ld-linux' "$TMP/storm.ev" | awk '{print $2}' | sort -u | wc -l)
is "$ldmaps" 1001 "and its dynamic loader's"
"$BIN/preport" -i "$TMP/storm.data" --sort comm --stdio 2>/dev/null | grep '%' | grep -v '^# (Tip' >"$TMP/storm.ours"
perf report -i "$TMP/storm.data" --sort comm --stdio 2>/dev/null | grep '%' | grep -v '^# (Tip' >"$TMP/storm.perf"
is "$(cat "$TMP/storm.ours")" "$(cat "$TMP/storm.perf")" "preport --sort comm equals perf report's" ||
	{ diff "$TMP/storm.ours" "$TMP/storm.perf" | sed 's/^/# /' >&2; perf report -i "$TMP/storm.data" --stats 2>&1 | sed 's/^/# /' >&2; }
"$BIN/preport" -i "$TMP/storm.data" --sort comm,sym --stdio 2>/dev/null | grep '%' >"$TMP/storm.sym"
# the shares of child_spin per command follow the work each did: wK holds (K+1)/55
awk '$4 == "child_spin" { sub("%", "", $1); s[$2] = $1; t += $1 }
     $2 == "hard_storm" && $4 == "child_spin" { bad = 1 }
     $2 ~ /^w/ && $4 == "storm" { bad = 1 }
     END { if (bad || t == 0) exit 1
	   for (k = 0; k < 10; k++) { want = (k + 1) / 55; got = s["w" k] / t
		printf "# w%d: %.3f of child_spin (want %.3f)\n", k, got, want
		if (got < want * 0.7 || got > want * 1.3) e = 1 }
	   exit e }' "$TMP/storm.sym" >"$TMP/storm.shares"; rc=$?
cat "$TMP/storm.shares"
ok $rc "each command's samples of child_spin follow its work (within 30%); none under the wrong command"
unk=$("$BIN/preport" -i "$TMP/storm.data" --sort comm,dso --stdio 2>/dev/null | awk '$2 ~ /^w/ && $3 == "[unknown]"' | wc -l)
is "$unk" 0 "no sample of a child lands outside a known map"

# --- a DSO without PLT slots (the vdso): pannotate annotates it (the sanitizer build once
# stopped on sorting its empty, NULL slot table) ----------------------------------------------
cat >"$TMP/vd.c" <<'EOF'
#include <time.h>
int main(void) { struct timespec t; long s = 0; for (long i = 0; i < 4000000; i++) { clock_gettime(CLOCK_MONOTONIC, &t); s += t.tv_nsec; } return (int)(s & 1); }
EOF
if cc -O1 -o "$TMP/vd" "$TMP/vd.c" 2>/dev/null && $P -q -o "$TMP/vd.data" -- "$TMP/vd" 2>/dev/null; then
	"$BIN/preport" -i "$TMP/vd.data" --stdio --sort dso,sym >"$TMP/vd.rep" 2>"$TMP/vd.err"
	ok $? "preport reads the vdso's symbols" || sed 's/^/# /' "$TMP/vd.err" >&2
	vsym=$(awk '$2 == "[vdso]" && $4 !~ /^0x/ { print $4; exit }' "$TMP/vd.rep")
	if [ -n "$vsym" ]; then
		"$BIN/pannotate" -i "$TMP/vd.data" --stdio "$vsym" >"$TMP/vd.out" 2>"$TMP/vd.err"; rc=$?
		[ $rc -eq 0 ] && grep -q "Disassembly of \[vdso\]" "$TMP/vd.out"
		ok $? "pannotate annotates the vdso's $vsym (rc $rc)" || sed 's/^/# /' "$TMP/vd.err" >&2
	else
		skip "no named vdso symbol got a sample (clock_gettime is not a vdso call here?)"
	fi
else
	skip "cannot build or record the clock_gettime loop"; skip "(same)"
fi

done_testing
