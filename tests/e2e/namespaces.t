#!/bin/sh
# Containers and namespaces. A program run by `unshare -m -p -f --mount-proc` from a copy of
# its binary on a tmpfs mounted only inside that mount namespace (gone with it): precord reads
# it through /proc/PID/root while it runs, so the recording's build-id list names it and the
# build-id cache holds it; every sampled frame then resolves in preport, pscript, pfold and
# pannotate, as perf 6.1 resolves them from the same cache. The same for a chroot, and for a
# JIT map written as /tmp/perf-NSPID.map in the namespace's own /tmp. --namespaces writes
# PERF_RECORD_NAMESPACES (perf script shows the container's pid namespace) and the pids inside
# the namespace (preport --sort nspid against the program's own getpid()); --all-cgroups and
# preport --sort cgroup against perf report on the same file.
. "$(dirname "$0")/lib.sh"
B=$BIN
if [ "$(id -u)" != 0 ] || ! unshare -m -p -f --mount-proc true 2>/dev/null; then
	plan 1; skip "needs root and unshare -m -p -f (mount and pid namespaces)"; exit 0
fi
export PERF_BUILDID_DIR="$TMP/bid"	# ours; perf takes --buildid-dir
SPIN=$PROGS/sym_spin
NSDIR=$TMP/nsroot
mkdir -p "$NSDIR"
id_of() { file -L "$1" | sed -n 's/.*BuildID\[sha1\]=\([0-9a-f]*\).*/\1/p'; }
want=$(id_of "$SPIN")
# a sample in the program's PLT: perf 6.1 names it _init (ld.bfd), we x@plt (docs/compat.md,
# plt-name): both spelled PLT here
norm() { grep -v '^# (Tip' | grep -v '^$' | sed -E 's/([A-Za-z0-9_.]*@plt|_init)(\+0x[0-9a-f]+)?( |$)/PLT\3/'; }

# --- a binary that exists only inside the namespace ------------------------------------------
$B/precord -g -e cpu-clock --namespaces -o "$TMP/ns.data" -- unshare -m -p -f --mount-proc \
	sh -c "echo \$\$ >'$TMP/inner.pid' && mount -t tmpfs none '$NSDIR' && cp '$SPIN' '$NSDIR/nsprog' && exec '$NSDIR/nsprog' 300" \
	>/dev/null 2>"$TMP/rec.err"
is "$?" 0 "precord runs the namespaced program"
[ -e "$NSDIR/nsprog" ]; is "$?" 1 "its binary is not visible from here (a tmpfs of the namespace only)"
perf buildid-list -i "$TMP/ns.data" 2>/dev/null | grep -q "^$want $NSDIR/nsprog\$"
ok $? "the recording's build-id list names it with its real build-id (read through /proc/PID/root)"
[ -e "$PERF_BUILDID_DIR/.build-id/$(echo "$want" | cut -c1-2)/$(echo "$want" | cut -c3-)" ]
ok $? "precord copied it into the build-id cache from the namespace"

$B/preport -i "$TMP/ns.data" --stdio --no-children --sort comm,dso,sym -g none | norm >"$TMP/ours.rep"
perf --buildid-dir "$PERF_BUILDID_DIR" report -i "$TMP/ns.data" --stdio --no-children \
	--sort comm,dso,sym -g none 2>/dev/null | norm >"$TMP/perf.rep"
# nsprog's own rows (a stray sample in a library's PLT is named differently by perf 6.1)
grep ' nsprog  *nsprog ' "$TMP/ours.rep" >"$TMP/ours.nsrep"; grep ' nsprog  *nsprog ' "$TMP/perf.rep" >"$TMP/perf.nsrep"
is "$(ndiff "$TMP/ours.nsrep" "$TMP/perf.nsrep"):$(grep -c . <"$TMP/ours.nsrep")" "0:$(grep -c . <"$TMP/perf.nsrep")" \
	"preport = perf report on the same file and cache (nsprog's rows)" ||
	diff_diag 6 "$TMP/ours.rep" "$TMP/perf.rep"
grep -q 'nsprog  *nsprog  *\[\.\] spin_leaf' "$TMP/ours.rep"; ok $? "preport: nsprog's own samples resolve (spin_leaf)"
is "$(grep ' nsprog  *nsprog ' "$TMP/ours.rep" | grep -c '0x0')" 0 "preport: no unresolved address in nsprog"
# the call-chain lines of nsprog's samples (its header lines hold the comm only)
$B/pscript -i "$TMP/ns.data" -F comm,ip,sym,dso | awk '/^[^ \t]/ { keep = ($1 == "nsprog") } keep && /^[ \t]/' >"$TMP/ours.scr"
nfr=$(grep -c "$NSDIR/nsprog" "$TMP/ours.scr")
is "$([ "$nfr" -gt 10 ] && echo many):$(grep "$NSDIR/nsprog" "$TMP/ours.scr" | grep -c unknown)" "many:0" \
	"pscript: every frame in nsprog resolves ($nfr frames)"
perf --buildid-dir "$PERF_BUILDID_DIR" script -i "$TMP/ns.data" -F comm,ip,sym,dso 2>/dev/null |
	awk '/^[^ \t]/ { keep = ($1 == "nsprog") } keep && /^[ \t]/' >"$TMP/perf.scr"
# (PLT slots, as in norm)
sed -i -E 's/ ([A-Za-z0-9_.]*@plt|_init)(\+0x[0-9a-f]+)? / PLT /' "$TMP/ours.scr" "$TMP/perf.scr"
is "$(ndiff "$TMP/ours.scr" "$TMP/perf.scr"):$(grep -c . <"$TMP/perf.scr" | awk '{ print ($1 > 10) }')" 0:1 \
	"pscript = perf script for nsprog's call chains" ||
	diff_diag 6 "$TMP/ours.scr" "$TMP/perf.scr"
$B/pfold -i "$TMP/ns.data" | grep '^nsprog;' >"$TMP/ours.fold"
is "$(grep -c '\[nsprog\]' "$TMP/ours.fold")" 0 "pfold: no [nsprog] (unresolved) frame"
grep -q '^nsprog;.*main;spin_outer;.*spin_leaf ' "$TMP/ours.fold"; ok $? "pfold: main;spin_outer;...;spin_leaf"
$B/pannotate -i "$TMP/ns.data" --stdio spin_leaf >"$TMP/ours.ann" 2>"$TMP/ann.err"
grep -qE '^ +[0-9]+\.[0-9]+ : +[0-9a-f]+:' "$TMP/ours.ann"; ok $? "pannotate: spin_leaf's code from the cached copy"

# the namespaces: the program's pid namespace is not ours
ourpidns=$(stat -L -c %i /proc/self/ns/pid)
perf script -i "$TMP/ns.data" --show-namespace-events 2>/dev/null | grep -A2 'PERF_RECORD_NAMESPACES' >"$TMP/ns.ev"
grep -q "3/pid: [0-9]*/0x$(printf %x "$ourpidns")" "$TMP/ns.ev"; ok $? "--namespaces: perf script shows the host's pid namespace"
grep -o '3/pid: [0-9]*/0x[0-9a-f]*' "$TMP/ns.ev" | grep -vq "/0x$(printf %x "$ourpidns")\$"
ok $? "--namespaces: and the container's own"
perf evlist -v -i "$TMP/ns.data" 2>/dev/null | grep -q 'namespaces: 1'; ok $? "--namespaces sets attr.namespaces, as perf record --namespaces"
$B/pscript -i "$TMP/ns.data" --show-namespace-events -F comm,tid,time >"$TMP/ns.ours" 2>&1
perf script -i "$TMP/ns.data" --show-namespace-events -F comm,tid,time >"$TMP/ns.perf" 2>/dev/null
is "$(ndiff "$TMP/ns.ours" "$TMP/ns.perf"):$(grep -c PERF_RECORD_NAMESPACES "$TMP/ns.ours")" "0:$(grep -c PERF_RECORD_NAMESPACES "$TMP/ns.perf")" \
	"pscript --show-namespace-events = perf script's" || diff_diag 6 "$TMP/ns.ours" "$TMP/ns.perf"

# the pid inside the namespace (its shell printed $$ there, then became nsprog), beside the
# host's that perf shows; a task of ours (unshare) keeps its host pid; perf reads the section's
# file without a word
hpid=$(perf script -i "$TMP/ns.data" -F comm,pid 2>/dev/null | awk '$1 == "nsprog" { print $2; exit }')
ipid=$(cat "$TMP/inner.pid" 2>/dev/null)
$B/preport -i "$TMP/ns.data" --stdio --no-children --sort pid,nspid -g none 2>"$TMP/nspid.err" | norm >"$TMP/nspid.rep"
grep -Eq "^ +[0-9.]+% +$hpid:nsprog +$ipid:nsprog *\$" "$TMP/nspid.rep"
ok $? "--sort pid,nspid: nsprog is $hpid on the host (perf script's pid) and $ipid inside (its \$\$ there)" ||
	diag "$(cat "$TMP/nspid.rep" "$TMP/nspid.err")"
[ -n "$ipid" ] && [ "$ipid" != "$hpid" ]; ok $? "the two differ (pid $ipid inside, $hpid outside)"
upid=$(perf script -i "$TMP/ns.data" -F comm,pid 2>/dev/null | awk '$1 == "unshare" { print $2; exit }')
grep -Eq "^ +[0-9.]+% +$upid:unshare +$upid:unshare *\$" "$TMP/nspid.rep"
ok $? "--sort pid,nspid: unshare (in the host's pid namespace) is $upid in both columns"
is "$(grep -c . <"$TMP/nspid.err")" 0 "preport: no warning"
perf report -i "$TMP/ns.data" --stdio >/dev/null 2>"$TMP/perf.err"; rc1=$?
perf script -i "$TMP/ns.data" >/dev/null 2>>"$TMP/perf.err"; rc2=$?
is "$rc1:$rc2:$(grep -c . <"$TMP/perf.err")" "0:0:0" "perf 6.1 reads the file with the ns_pids section (exit 0, nothing on stderr)" ||
	diag "$(head -5 "$TMP/perf.err")"

# --- a JIT map in the namespace's own /tmp, under the namespace pid ----------------------------
# (its binary runs from the tmpfs, which the namespace's private /tmp then hides: cd first)
$B/precord -e cpu-clock -o "$TMP/jit.data" -- unshare -m -p -f --mount-proc sh -c \
	"mount -t tmpfs none '$NSDIR' && cp '$PROGS/jit_map' '$NSDIR/nsjit' && cd '$NSDIR' && mount -t tmpfs none /tmp && exec ./nsjit 0.3" \
	>/dev/null 2>&1
jpid=$(perf script -i "$TMP/jit.data" -F comm,pid 2>/dev/null | awk '$1 == "nsjit" { print $2; exit }')
[ -n "$jpid" ] && [ -s "/tmp/perf-$jpid.map" ]; ok $? "the namespace's /tmp/perf-1.map is copied to /tmp/perf-$jpid.map"
$B/preport -i "$TMP/jit.data" --stdio --no-children --sort comm,sym -g none | norm >"$TMP/jit.rep"
grep -q 'nsjit  *\[\.\] jit_spin' "$TMP/jit.rep"; ok $? "preport: the JIT code resolves (jit_spin)"
perf report -i "$TMP/jit.data" --stdio --no-children --sort comm,sym -g none 2>/dev/null | norm >"$TMP/jit.perf"
grep jit_spin "$TMP/jit.rep" >"$TMP/jit.rep1"; grep jit_spin "$TMP/jit.perf" >"$TMP/jit.perf1"
is "$(ndiff "$TMP/jit.rep1" "$TMP/jit.perf1")" 0 "preport = perf report on the JIT row" ||
	diff_diag 6 "$TMP/jit.rep" "$TMP/jit.perf"
$B/preport -i "$TMP/jit.data" --stdio --no-children --sort pid,nspid -g none | norm >"$TMP/jit.nspid"
grep -Eq "^ +[0-9.]+% +$jpid:nsjit +$jpid:nsjit *\$" "$TMP/jit.nspid"
ok $? "--sort nspid without --namespaces: the host pid ($jpid), nothing to say better" || diag "$(cat "$TMP/jit.nspid")"
[ -n "$jpid" ] && rm -f "/tmp/perf-$jpid.map"

# --- a chroot -----------------------------------------------------------------------------------
mkdir -p "$TMP/chroot"
if cc -static -O2 -g -fno-omit-frame-pointer -o "$TMP/chroot/spin" "$E2E_DIR/../progs/sym_spin.c" 2>/dev/null; then
	cid=$(id_of "$TMP/chroot/spin")
	$B/precord -g -e cpu-clock -o "$TMP/chroot.data" -- chroot "$TMP/chroot" /spin 300 >/dev/null 2>&1
	perf buildid-list -i "$TMP/chroot.data" 2>/dev/null | grep -q "^$cid /spin\$"
	ok $? "chroot: the build-id list names /spin with the chroot's file's build-id"
	$B/preport -i "$TMP/chroot.data" --stdio --no-children --sort comm,dso,sym -g none | norm >"$TMP/chroot.rep"
	grep -q 'spin  *spin  *\[\.\] spin_leaf' "$TMP/chroot.rep"; ok $? "chroot: preport resolves spin_leaf"
	perf --buildid-dir "$PERF_BUILDID_DIR" report -i "$TMP/chroot.data" --stdio --no-children \
		--sort comm,dso,sym -g none 2>/dev/null | norm >"$TMP/chroot.perf"
	grep ' spin  *spin ' "$TMP/chroot.rep" >"$TMP/chroot.rep1"; grep ' spin  *spin ' "$TMP/chroot.perf" >"$TMP/chroot.perf1"
	is "$(ndiff "$TMP/chroot.rep1" "$TMP/chroot.perf1")" 0 "chroot: preport = perf report (spin's rows)" ||
		diff_diag 6 "$TMP/chroot.rep" "$TMP/chroot.perf"
else
	skip "no static libc to build a chroot's program"; skip "chroot"; skip "chroot"
fi

# --- --all-cgroups and --sort cgroup --------------------------------------------------------------
cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
CG=$cg2/ptest_ns_$$
if [ -n "$cg2" ] && mkdir "$CG" 2>/dev/null; then
	$B/precord --all-cgroups -e cpu-clock -o "$TMP/cg.data" -- sh -c \
		"'$SPIN' 100; echo \$\$ > '$CG/cgroup.procs' && exec '$SPIN' 100" >/dev/null 2>&1
	for k in cgroup,comm comm,cgroup; do
		$B/preport -i "$TMP/cg.data" --stdio --no-children --sort $k | norm >"$TMP/cg.ours"
		perf report -i "$TMP/cg.data" --stdio --no-children --sort $k 2>/dev/null | norm >"$TMP/cg.perf"
		is "$(ndiff "$TMP/cg.ours" "$TMP/cg.perf")" 0 "--sort $k = perf report's" ||
			diff_diag 6 "$TMP/cg.ours" "$TMP/cg.perf"
	done
	grep -q "^ .*%  /ptest_ns_$$  *sym_spin" "$TMP/cg.ours" 2>/dev/null ||
		$B/preport -i "$TMP/cg.data" --stdio --sort cgroup,comm | grep -q "%  /ptest_ns_$$  *sym_spin"
	ok $? "the cgroup column names the workload's cgroup"
	$B/pscript -i "$TMP/cg.data" --show-cgroup-events -F comm,tid,time >"$TMP/cg.sours" 2>&1
	perf script -i "$TMP/cg.data" --show-cgroup-events -F comm,tid,time >"$TMP/cg.sperf" 2>/dev/null
	is "$(ndiff "$TMP/cg.sours" "$TMP/cg.sperf")" 0 "pscript --show-cgroup-events = perf script's" ||
		diff_diag 6 "$TMP/cg.sours" "$TMP/cg.sperf"
	$B/preport -i "$TMP/ns.data" --stdio --sort cgroup -g none | grep -q '100.00%  N/A'
	ok $? "a recording without --all-cgroups: N/A, as perf"
	rmdir "$CG" 2>/dev/null
else
	skip "no cgroup2 hierarchy to make a cgroup in"; skip "cgroup"; skip "cgroup"; skip "cgroup"; skip "cgroup"
fi
done_testing
