#!/bin/sh
# pprobe against perf probe 6.1 on the same command lines: the uprobe definitions written to
# tracefs (byte for byte), the messages, -l/-L/-V/-F, -d, all-or-nothing adds, exact counts.
# The probed binary is a copy, so its group (probe_pprobed) is this test's alone.
. "$(dirname "$0")/lib.sh"
T=$(tracefs_dir) || { plan 1; skip "tracefs is not mounted"; exit 0; }
[ -w "$T/uprobe_events" ] || { plan 1; skip "no uprobe_events in tracefs (CONFIG_UPROBE_EVENTS)"; exit 0; }
B=$TMP/pprobed
cp "$PROGS/probed" "$B"
G=probe_pprobed
P=$BIN/pprobe
clean() { $P -q -d "$G:*" >/dev/null 2>&1; perf probe -q -d "$G:*" >/dev/null 2>&1; }
trap 'clean; rm -rf "$TMP"' EXIT
clean
defs() { grep " $B:" "$T/uprobe_events"; }

# --- the same definitions, the same tracefs lines and messages
for d in target 'tgt2=target%return $retval' 'tgt3=target $params' 'tgt4=target x:s32 y=x:x64' \
	'target+4' 't5=main;sum+=*' 'probed.c:13' 'target@probed.c' 'tgt6=target +0(%sp):u64 $stack1' 'tgt7=target x:u8' \
	'tgt8=greet:5' 'greet:6' 'tgt9=greet who:string' 'tgt10=greet:5 who:string n'; do
	perf probe -x "$B" "$d" >/dev/null 2>"$TMP/p.err"; prc=$?
	defs >"$TMP/p.def"; clean
	$P -x "$B" "$d" >/dev/null 2>"$TMP/o.err"; orc=$?
	defs >"$TMP/o.def"
	is "$orc" "$prc" "pprobe -x BIN '$d': perf's exit status"
	is "$(cat "$TMP/o.def")" "$(cat "$TMP/p.def")" "'$d': the tracefs definition perf writes"
	is "$(head -2 "$TMP/o.err")" "$(head -2 "$TMP/p.err")" "'$d': 'Added new event:' and the event line as perf's"
	clean
done
$P -x "$B" target 2>"$TMP/o.err" >/dev/null
check "the hint names our commands" grep -q "precord -e $G:target" "$TMP/o.err"

# --- -l and -d: perf lists ours, we list perf's; removal messages
$P -q -x "$B" 'tgt2=target%return $retval'
$P -l >"$TMP/o.l"; perf probe -l 2>/dev/null >"$TMP/p.l"
is "$(grep "$G:" "$TMP/o.l")" "$(grep "$G:" "$TMP/p.l")" "-l lists as perf probe -l (on FUNC@SRC in PATH with ARGS)"
clean
perf probe -q -x "$B" 'tgt3=target $params'
$P -l >"$TMP/o.l"; perf probe -l 2>/dev/null >"$TMP/p.l"
is "$(grep "$G:" "$TMP/o.l")" "$(grep "$G:" "$TMP/p.l")" "-l lists perf's probe as perf does"
$P -d tgt3 2>"$TMP/o.err"
is "$(cat "$TMP/o.err")" "Removed event: $G:tgt3" "-d EVENT (no group) removes perf's probe, with perf's message"
is "$(defs | wc -l)" 0 "and nothing of it is left"
$P -q -x "$B" target; $P -q -x "$B" 'tgt2=target%return'
perf probe -d "$G:tgt*" 2>"$TMP/p.err" >/dev/null
$P -d "$G:*" 2>"$TMP/o.err" >/dev/null
is "$(cat "$TMP/o.err" "$TMP/p.err" | sort | tr '\n' ' ')" "Removed event: $G:target Removed event: $G:tgt2__return " \
	"-d with globs: each removed once, perf's message"

# --- all or nothing; dry run; quiet
$P -x "$B" -a t1=main -a nosuchfunc 2>"$TMP/o.err"; rc=$?
is "$rc:$(defs | wc -l)" "1:0" "a failed second -a removes the first: nothing left, exit 1"
check "naming the missing function" grep -q "no function 'nosuchfunc'" "$TMP/o.err"
$P -n -x "$B" target 2>"$TMP/o.err"
is "$(defs | wc -l):$(head -1 "$TMP/o.err")" "0:Added new event:" "-n says what it would add, adds nothing"
$P -q -x "$B" target >"$TMP/o.out" 2>&1
is "$(wc -c <"$TMP/o.out"):$(defs | wc -l)" "0:1" "-q adds silently"
$P -x "$B" target 2>"$TMP/o.err"; rc=$?
is "$rc" 1 "a taken name fails"
$P -q -f -x "$B" target; rc=$?
is "$rc:$(defs | awk '{ print $1 }' | tr '\n' ' ')" "0:p:$G/target p:$G/target_1 " "-f adds it as target_1, as perf"
clean
$P -x "$B" 'target s=x:string' 2>"$TMP/o.err"; rc=$?
is "$rc:$(defs | wc -l)" "1:0" "string of an int variable is refused"
$P -x "$B" 'target:1' 2>"$TMP/o.err"; orc=$?
perf probe -x "$B" 'target:1' >/dev/null 2>&1; prc=$?
is "$orc:$([ $prc -ne 0 ] && echo failed)" "1:failed" "FUNC:RLN on a line without code of its own fails, as perf's"
clean

# --- -V, -L, -F as perf prints them
is "$($P -x "$B" -V target)" "$(perf probe -x "$B" -V target 2>&1)" "-V target: perf's variables"
for f in main target greet; do
	is "$($P -x "$B" -L $f)" "$(perf probe -x "$B" -L $f 2>&1)" "-L $f: perf's source lines, numbered where a probe can go"
done
is "$($P -x "$B" -F)" "$(perf probe -x "$B" -F 2>&1)" "-F: perf's function list"
is "$($P -x "$B" -F 'ma*')" "$(perf probe -x "$B" -F 'ma*' 2>&1)" "-F FILTER: perf's"

# --- counts exact through pstat, on our probe and on perf's
$P -q -x "$B" 'tgt3=target $params'
is "$($BIN/pstat -x, -e $G:tgt3 "$B" 777 2>&1 | cut -d, -f1)" 777 "pstat counts our probe exactly (777 calls)"
clean
perf probe -q -x "$B" 'tgt3=target $params'
is "$($BIN/pstat -x, -e $G:tgt3 "$B" 555 2>&1 | cut -d, -f1)" 555 "and perf's probe (555 calls)"
clean

# --- FUNC:RLN and a :string argument at work: greet:5 (n++) runs once per character of the
# string greet(WHO) gets, N times; the string fetched is WHO
$P -q -x "$B" 'tgt8=greet:5'; $P -q -x "$B" 'tgt9=greet who:string'
is "$($BIN/pstat -x, -e $G:tgt8 -e $G:tgt9 "$B" 7 hello 2>&1 | cut -d, -f1 | tr '\n' ' ')" "35 7 " \
	"greet:5 counts 7 x 5 characters, greet 7 calls"
$BIN/precord -q -o "$TMP/s.data" -e $G:tgt9 "$B" 3 'hi there' >/dev/null 2>&1
is "$($BIN/pscript -i "$TMP/s.data" 2>/dev/null | grep -o 'who_string=.*' | sort | uniq -c | awk '{ $1 = $1; print }')" \
	'3 who_string="hi there"' "who:string fetches greet's string, each call"
clean
# a variable at a line is read where the line's code has it (the location list at that
# address, not at the entry): n at greet:5 steps by one per character, the same in each call
$P -q -x "$B" 'tgt10=greet:5 n'
$BIN/precord -q -o "$TMP/n.data" -e $G:tgt10 "$B" 2 abc >/dev/null 2>&1
v=$($BIN/pscript -i "$TMP/n.data" 2>/dev/null | grep -o ' n=[0-9-]*' | cut -d= -f2 | tr '\n' ' ')
ok $(echo "$v" | awk '{ exit !(NF == 6 && $2 == $1 + 1 && $3 == $2 + 1 && $4 == $1 && $5 == $2 && $6 == $3) }'; echo $?) \
	"greet:5 n: the variable's value at that line, one more each character, in each of 2 calls ($v)"
clean
$P -x "$B" 'tgt11=main:6 n' 2>"$TMP/o.err"; orc=$?
perf probe -x "$B" 'tgt11=main:6 n' >/dev/null 2>&1; prc=$?
is "$orc:$(wc -l <"$TMP/o.err"):$([ $prc -ne 0 ] && echo failed):$(defs | wc -l)" "1:1:failed:0" \
	"a variable with no location at the line: one line, exit 1, as perf fails; nothing added"
clean

# --- kprobes, -m, usage
if [ -e "$T/kprobe_events" ]; then
	$P -q do_sys_openat2 && is "$(grep -c 'probe/do_sys_openat2' "$T/kprobe_events")" 1 "a kprobe"
	$P -q -d probe:do_sys_openat2
else
	skip "this kernel has no kprobes (no kprobe_events in tracefs)"
fi
$P -m ext4 ext4_sync_fs 2>"$TMP/err"; rc=$?
is "$rc:$(wc -l <"$TMP/err")" "1:1" "-m: one line, exit 1"
$P --bogus 2>/dev/null; is "$?" 129 "an unknown option exits 129"
$P -V target 2>"$TMP/err"; rc=$?
is "$rc:$(wc -l <"$TMP/err"):$(tail -1 "$TMP/err" | grep -c -- "--help")" "129:2:1" "-V without -x: one line and the --help pointer, exit 129"
done_testing
