#!/bin/sh
# pstat -G and --for-each-cgroup on cgroup v2 groups made here: a workload moves itself into
# group A and faults 4000 pages; A counts them (as perf stat counts them), B counts nothing.
. "$(dirname "$0")/lib.sh"
P=$BIN/pstat
ROOT=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -z "$ROOT" ] || ! mkdir "$ROOT/pstat_t$$_a" 2>/dev/null; then
	plan 1; skip "no writable cgroup v2 hierarchy (mount -t cgroup2 none /sys/fs/cgroup, as root)"; exit 0
fi
A=pstat_t$$_a; B=pstat_t$$_b
mkdir "$ROOT/$B"
trap 'rmdir "$ROOT/$A" "$ROOT/$B" 2>/dev/null; rm -rf "$TMP"' EXIT
W="echo \$\$ > $ROOT/$A/cgroup.procs && exec $PROGS/faults 4000 50"

$P -x, -a -e page-faults,cpu-clock -G $A sh -c "$W" 2>"$TMP/o.csv"; orc=$?
perf stat -x, -a -e page-faults,cpu-clock -G $A sh -c "$W" 2>"$TMP/p.csv"; prc=$?
is "$orc" "$prc" "-G: exit status as perf's"
is "$(awk -F, '{ print NF ":" $3 ":" $4 }' "$TMP/o.csv")" "$(awk -F, '{ print NF ":" $3 ":" $4 }' "$TMP/p.csv")" \
	"-G -x,: perf's fields, the cgroup after the event"
o=$(awk -F, '$3 == "page-faults" { print $1 }' "$TMP/o.csv"); p=$(awk -F, '$3 == "page-faults" { print $1 }' "$TMP/p.csv")
diag "page-faults in $A: ours $o perf $p"
ok $([ "$o" -ge 4000 ] && [ "$o" -lt 4600 ]; echo $?) "-G $A: the workload's 4000 faults and its start-up ($o)"
check "within 5% of perf's count ($p)" within_pct "$o" "$p" 5

$P -x, -a -e page-faults --for-each-cgroup $A,$B sh -c "$W" 2>"$TMP/o.csv"
perf stat -x, -a -e page-faults --for-each-cgroup $A,$B sh -c "$W" 2>"$TMP/p.csv"
is "$(cut -d, -f3,4 "$TMP/o.csv" | tr '\n' ' ')" "$(cut -d, -f3,4 "$TMP/p.csv" | tr '\n' ' ')" \
	"--for-each-cgroup: one row per event and cgroup, in perf's order"
is "$(awk -F, -v b=$B '$4 == b { print $1 }' "$TMP/o.csv")" "$(awk -F, -v b=$B '$4 == b { print $1 }' "$TMP/p.csv")" \
	"$B counts what perf counts there (nothing)"
o=$(awk -F, -v a=$A '$4 == a { print $1 }' "$TMP/o.csv")
ok $([ "$o" -ge 4000 ] && [ "$o" -lt 4600 ]; echo $?) "--for-each-cgroup: $A has the 4000 faults ($o)"

$P -j -a -e page-faults --for-each-cgroup $A sh -c "$W" 2>"$TMP/o.json"
perf stat -j -a -e page-faults --for-each-cgroup $A sh -c "$W" 2>"$TMP/p.json"
keys() { python3 -c 'import json, sys; print(" ".join(json.loads(open(sys.argv[1]).readline()).keys()))' "$1"; }
is "$(keys "$TMP/o.json")" "$(keys "$TMP/p.json")" "-j: perf's keys, in perf's order"
$P -a -e page-faults,cpu-clock --for-each-cgroup $B sleep 0.05 2>"$TMP/o.txt"
perf stat -a -e page-faults,cpu-clock --for-each-cgroup $B sleep 0.05 2>"$TMP/p.txt"
is "$(grep "$B" "$TMP/o.txt")" "$(grep "$B" "$TMP/p.txt")" "the table's <not counted> rows as perf prints them"

$P -a -e cpu-clock -G nosuch_$$ true 2>"$TMP/err"; rc=$?
is "$rc:$(wc -l <"$TMP/err")" "1:1" "a cgroup that does not exist: one line, exit 1"
$P -e cpu-clock -G $A true 2>"$TMP/err"; rc=$?
is "$rc:$(wc -l <"$TMP/err"):$(tail -1 "$TMP/err" | grep -c -- "--help")" "129:2:1" "-G without -a: one line and the --help pointer, exit 129"
done_testing
