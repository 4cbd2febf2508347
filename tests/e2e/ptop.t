#!/bin/sh
# ptop end to end: --stdio against preport (and perf report) on the recording of the same
# seconds (--record), the filters and targets against what they must leave out, lost samples
# with a one-page ring, bad input; then the full screen under tmux as a person uses it
# (send-keys to type, capture-pane to read): the busy program on top within two refreshes,
# the arrows select it, Enter shows its callers, s filters, P writes the view, a annotates,
# a resize redraws, q and Ctrl-C give the terminal back.
. "$(dirname "$0")/lib.sh"
PT=$BIN/ptop
SPIN=$PROGS/sym_spin

# the machine is shared with other work: the busy program gets a raised priority (one CPU of
# two), so that it is the hottest thing here whatever else runs
nice -n -10 "$SPIN" 300000 & spin=$!
"$SPIN" 300000 & spin2=$!
trap 'kill $spin $spin2 2>/dev/null; tmux -L "ptop$$" kill-server 2>/dev/null; [ -n "$KEEP" ] || rm -rf "$TMP"' EXIT
sleep 0.2

# rows FILE: the table rows of the last refresh as "pct<TAB>dso sym"
last_rows() {
	awk '/^   PTop:/ { n = 0; delete r } /^ +[0-9.]+%  / { p = $1; sub(/%/, "", p); $1 = ""; if ($2 ~ /^[0-9.]+%$/) $2 = ""; sub(/^ +/, ""); r[++n] = p "\t" $0 }
	     END { for (i = 1; i <= n; i++) print r[i] }' "$1"
}
# report_rows FILE: preport's/perf report's rows the same way
report_rows() {
	awk '/^#/ || /^$/ { next } /^ +[0-9.]+%  / { p = $1; sub(/%/, "", p); $1 = ""; sub(/^ /, ""); print p "\t" $0 }' "$1"
}

# --- 1. --stdio -n 3 against preport and perf report on the same seconds -----------------------
"$PT" --stdio -n 3 -d 0.5 -E 10 --record "$TMP/t.data" >"$TMP/s.out" 2>"$TMP/s.err"
is "$?" 0 "ptop --stdio -n 3 exits 0"
is "$(grep -c '^   PTop:' "$TMP/s.out")" 3 "three refreshes printed"
head -1 "$TMP/s.out" | grep -q 'samples/sec.*lost: [0-9]*.*cpu-clock.*(all, [0-9]* CPUs).*ptop: [0-9.]*% CPU'
ok $? "header: rate, lost samples, event, target, own CPU use"
last_rows "$TMP/s.out" >"$TMP/s.rows"
"$BIN/preport" -i "$TMP/t.data" --stdio --sort dso,sym >"$TMP/r.out" 2>/dev/null
report_rows "$TMP/r.out" >"$TMP/r.rows"
perf report -i "$TMP/t.data" --stdio --sort dso,sym 2>"$TMP/perf.err" >"$TMP/p.out"
report_rows "$TMP/p.out" >"$TMP/p.rows"
top=$(head -1 "$TMP/s.rows" | cut -f2)
head -3 "$TMP/s.rows" | cut -f2 | grep -qxF "sym_spin [.] spin_leaf"
ok $? "the busy program's hot symbol is among the top 3" || head -5 "$TMP/s.rows" | sed 's/^/# /'
# the machine is shared: whatever is on top, preport and perf report must agree with ptop on it
pct_of() { awk -F'\t' -v k="$2" '$2 == k { print $1; exit }' "$1"; }
pt=$(pct_of "$TMP/s.rows" "$top"); pr=$(pct_of "$TMP/r.rows" "$top"); pp=$(pct_of "$TMP/p.rows" "$top")
awk -v a="$pt" -v b="${pr:--100}" 'BEGIN { d = a - b; exit !(d <= 6 && d >= -6) }'
ok $? "ptop's top entry ($top) within 6 points of preport's share on the --record file ($pt% vs ${pr:-none}%)"
awk -v a="$pt" -v b="${pp:--100}" 'BEGIN { d = a - b; exit !(d <= 6 && d >= -6) }'
ok $? "perf report reads the --record file: same entry within 6 points ($pt% vs ${pp:-none}%)"
is "$(head -1 "$TMP/r.rows" | cut -f2)" "$(head -1 "$TMP/p.rows" | cut -f2)" "preport and perf report agree on the file's top entry"
check "perf report gives no warning on the --record file" test ! -s "$TMP/perf.err"
# the other entries ptop shows at >= 3% are among preport's top 10
miss=0
while IFS="$(printf '\t')" read -r p k; do
	awk -v p="$p" 'BEGIN { exit !(p >= 3) }' || continue
	head -10 "$TMP/r.rows" | cut -f2 | grep -qxF "$k" || { miss=$((miss + 1)); diag "not in preport's top 10: $k ($p%)"; }
done <"$TMP/s.rows"
is "$miss" 0 "ptop's entries over 3% are among preport's top 10"

# --- 1b. -g: the Children column (on by default, as perf top) against preport's on the file ----
"$PT" --stdio -g -n 2 -d 0.5 -E 12 --record "$TMP/g.data" >"$TMP/g.out" 2>/dev/null
grep -q '^# Children      Self  Shared Object' "$TMP/g.out"; ok $? "-g: Children and Self columns"
# rows as "children<TAB>self<TAB>dso sym", of ptop's last refresh and of preport
awk '/^   PTop:/ { n = 0; delete r } /^ +[0-9.]+%  +[0-9.]+%  / { c = $1; s = $2; sub(/%/, "", c); sub(/%/, "", s); $1 = $2 = ""; sub(/^  /, ""); r[++n] = c "\t" s "\t" $0 }
     END { for (i = 1; i <= n; i++) print r[i] }' "$TMP/g.out" >"$TMP/g.rows"
"$BIN/preport" -i "$TMP/g.data" --stdio --sort dso,sym -g none 2>/dev/null |
	awk '/^#/ || /^$/ { next } /^ +[0-9.]+%  +[0-9.]+%  / { c = $1; s = $2; sub(/%/, "", c); sub(/%/, "", s); $1 = $2 = ""; sub(/^  /, ""); print c "\t" s "\t" $0 }' >"$TMP/gr.rows"
col_of() { awk -F'\t' -v k="$2" -v c="$3" '$3 == k { print $c; exit }' "$1"; }
for k in "sym_spin [.] spin_outer" "$(head -1 "$TMP/g.rows" | cut -f3)"; do
	a=$(col_of "$TMP/g.rows" "$k" 1); b=$(col_of "$TMP/gr.rows" "$k" 1)
	awk -v a="${a:-200}" -v b="${b:--100}" 'BEGIN { d = a - b; exit !(d <= 8 && d >= -8) }'
	ok $? "-g: Children of $k within 8 points of preport's ($a% vs ${b:-none}%)"
done
a=$(col_of "$TMP/g.rows" "sym_spin [.] spin_outer" 2)
awk -v a="${a:-100}" 'BEGIN { exit !(a < 1) }'; ok $? "-g: spin_outer's Self is near 0 (it only calls): $a%"
# a children row's graph is in caller order, as preport prints it: from the entry to what it calls
grep -A4 'sym_spin  *\[\.\] spin_outer$' "$TMP/g.out" | tail -n +2 | tr -d ' |-' | sed 's/^[0-9.]*%//' | grep -v '^$' | head -2 | tr '\n' ' ' >"$TMP/g.graph"
is "$(cat "$TMP/g.graph")" "spin_outer spin_leaf " "-g: spin_outer's graph goes from it to its callee (caller order)" ||
	grep -A5 'spin_outer$' "$TMP/g.out" | sed 's/^/# /'

# --- 2. filters and targets -----------------------------------------------------------------
run() {
	"$PT" --stdio -n 1 -d 0.3 "$@" 2>"$TMP/e.err" >"$TMP/f.out"
	grep -v 'sampling cpu-clock instead' "$TMP/e.err" | sed "s/^/# ptop $*: /"
	last_rows "$TMP/f.out"
}
rows=$(run -K --percent-limit 5)
echo "$rows" | grep -q '\[k\]'; ok $((!$?)) "-K: no kernel rows"
echo "$rows" | grep -q 'spin_leaf'; ok $? "-K: user rows still there"
is "$(echo "$rows" | awk -F'\t' '$1 < 5' | wc -l)" 0 "--percent-limit 5: no row under 5%"
rows=$(run -U)
echo "$rows" | grep -q '\[\.\]'; ok $((!$?)) "-U: no user rows"
rows=$(run --comm sym_spin --sort comm,dso,sym)
is "$(echo "$rows" | cut -f2 | awk '{ print $1 }' | sort -u)" "sym_spin" "--comm: only that command's rows"
rows=$(run --dso sym_spin)
is "$(echo "$rows" | cut -f2 | awk '{ print $1 }' | sort -u)" "sym_spin" "--dso: only that DSO's rows"
rows=$(run -p "$spin" --sort pid,sym)
is "$(echo "$rows" | cut -f2 | awk '{ print $1 }' | sort -u)" "$spin:sym_spin" "-p: only that process"
head -1 "$TMP/f.out" | grep -q "(pid $spin)"; ok $? "-p: the header names the target"
rows=$(run -t "$spin2" --sort tid)
is "$(echo "$rows" | cut -f2 | sort -u)" "$spin2:sym_spin" "-t: only that thread"
rows=$(run -C 0 --sort cpu)
is "$(echo "$rows" | cut -f2 | sort -u)" "000" "-C 0: only CPU 0"
rows=$(run -u root --sort comm -E 50)
nobody=$(echo "$rows" | cut -f2 | grep -c '^sshd\|^systemd-journal' )
echo "$rows" | cut -f2 | grep -qx 'sym_spin'; ok $? "-u root: root's busy program is there"
rows=$(run -u nobody)
is "$rows" "" "-u nobody: nobody runs anything here, nothing shown"
rows=$(run -e task-clock -c 1000000 -z)
head -1 "$TMP/f.out" | grep -q '\[c=1000000 task-clock\]'; ok $? "-e task-clock -c: in the header"
echo "$rows" | head -5 | grep -q spin_leaf; ok $? "-e task-clock -c -z: the busy symbol among the top 5" || echo "$rows" | head -5 | sed 's/^/# /' 
rows=$(run -g --symbols spin_leaf)
is "$(echo "$rows" | cut -f2 | sort -u)" "sym_spin [.] spin_leaf" "--symbols: only that symbol"
grep -A6 'spin_leaf$' "$TMP/f.out" | grep -q 'spin_outer'; ok $? "-g: the call graph under the entry names its caller"
run -g --call-graph dwarf --no-children -E 1 --sort sym --symbols spin_leaf >/dev/null
grep -A6 'spin_leaf$' "$TMP/f.out" | grep -q 'spin_mid\|spin_outer'; ok $? "--call-graph dwarf: callers unwound"
grep -q '^# Overhead  Symbol' "$TMP/f.out"; ok $? "--no-children: one Overhead column"

# --sort parent with --parent: the parent column as preport and perf report give it on the
# --record file of the same seconds (the first chain frame matching, leaf first without children)
"$PT" --stdio -g --no-children -n 2 -d 0.5 -E 20 --sort parent,sym --parent 'spin_(mid|outer)' \
	--record "$TMP/par.data" >"$TMP/par.out" 2>/dev/null
grep -q '^# Overhead  Parent symbol  Symbol' "$TMP/par.out"; ok $? "--sort parent,sym: the Parent symbol column"
last_rows "$TMP/par.out" >"$TMP/par.rows"
par_of() { awk -F'\t' '$2 ~ / \[\.\] spin_leaf$/ { sub(/ .*/, "", $2); print $2; exit }' "$1"; }
"$BIN/preport" -i "$TMP/par.data" --stdio -g none --no-children --sort parent,sym --parent 'spin_(mid|outer)' 2>/dev/null |
	report_rows /dev/stdin >"$TMP/parr.rows"
perf report -i "$TMP/par.data" --stdio -g none --no-children --sort parent,sym --parent 'spin_(mid|outer)' 2>/dev/null |
	report_rows /dev/stdin >"$TMP/parp.rows"
p1=$(par_of "$TMP/par.rows"); p2=$(par_of "$TMP/parr.rows"); p3=$(par_of "$TMP/parp.rows")
is "$p1" "$p3" "--sort parent: spin_leaf's parent as perf report gives it on the file ($p1)"
is "$p1" "$p2" "--sort parent: and as preport gives it"
pt=$(pct_of "$TMP/par.rows" "$p1 [.] spin_leaf"); pp=$(pct_of "$TMP/parp.rows" "$p1 [.] spin_leaf")
awk -v a="${pt:-200}" -v b="${pp:--100}" 'BEGIN { d = a - b; exit !(d <= 6 && d >= -6) }'
ok $? "--sort parent: its share within 6 points of perf report's ($pt% vs ${pp:-none}%)"
grep -q '\[other\]' "$TMP/par.out"; ok $? "--sort parent: samples with no matching frame are [other]"

# (decay and -z on known samples: tests/unit/test_top.c)

# a process started while ptop runs, its hot code in a library it dlopen()s: resolved as it comes
cat >"$TMP/lib.c" <<'EOF'
volatile unsigned long lib_sink;
void lib_work(int n) { for (int i = 0; i < n; i++) lib_sink += (unsigned long)i * 7; }
EOF
cc -O1 -g -fPIC -shared -o "$TMP/libtopdl.so" "$TMP/lib.c"
"$PT" --stdio -n 2 -d 1 --comm sym_dlopen -E 5 >"$TMP/dl.out" 2>/dev/null & ptop=$!
sleep 0.7
"$PROGS/sym_dlopen" "$TMP/libtopdl.so" lib_work 100000 & dl=$!
wait $ptop; kill $dl 2>/dev/null; wait $dl 2>/dev/null
last_rows "$TMP/dl.out" | head -1 | cut -f2 | grep -qx 'libtopdl.so *\[\.\] lib_work'
ok $? "a process started meanwhile, its dlopen()ed library's symbol resolved" || sed 's/^/# /' "$TMP/dl.out" | tail -5

# --- 3. lost samples with a one-page ring ---------------------------------------------------
"$PT" --stdio -n 1 -d 0.5 -m 1 -F 20000 -g -E 1 >"$TMP/l.out" 2>/dev/null
lost=$(tail -n +1 "$TMP/l.out" | grep '^   PTop:' | tail -1 | sed 's/.*lost: \([0-9]*\).*/\1/')
test "${lost:-0}" -gt 0; ok $? "-m 1 -F 20000 -g: lost samples shown in the header ($lost)"

# --- 4. bad input ---------------------------------------------------------------------------
bad() {	# bad DESCRIPTION WORD ARGS...: exit 1, one line naming WORD
	desc=$1; word=$2; shift 2
	"$PT" --stdio -n 1 "$@" >/dev/null 2>"$TMP/b.err"; rc=$?
	if [ $rc -eq 1 ] && [ "$(wc -l <"$TMP/b.err")" -eq 1 ] && grep -q -- "$word" "$TMP/b.err"; then ok 0 "$desc"
	else ok 1 "$desc"; sed 's/^/# /' "$TMP/b.err"; fi
}
usage() {	# usage DESCRIPTION WORD ARGS...: a usage error, exit 129, a line naming WORD and "see --help"
	desc=$1; word=$2; shift 2
	"$PT" --stdio -n 1 "$@" >/dev/null 2>"$TMP/b.err"; rc=$?
	if [ $rc -eq 129 ] && [ "$(wc -l <"$TMP/b.err")" -eq 2 ] && head -1 "$TMP/b.err" | grep -q -- "$word" &&
		tail -1 "$TMP/b.err" | grep -q "see 'ptop --help'"; then ok 0 "$desc"
	else ok 1 "$desc"; echo "# exit $rc"; sed 's/^/# /' "$TMP/b.err"; fi
}
usage "-d 0: a usage error" "-d wants" -d 0
usage "--sort nonsense: a usage error (one line, see --help, 129)" "nonsense" --sort nonsense
bad "-p of no process: one-line error" "no such target" -p 999999999
usage "-u of no user: a usage error" "no such user" -u no_such_user_here
usage "a command: a usage error" "takes no command" true
usage "-e nonsense: a usage error (one line, see --help, 129)" "invalid event" -e nonsense_event

# --- 5. the full screen under tmux ------------------------------------------------------------
if ! command -v tmux >/dev/null; then
	skip "tmux is not installed (scripts/deps.sh installs it)"
	done_testing
fi
T="tmux -L ptop$$"
$T -f /dev/null new-session -d -s t -x 120 -y 30 "cd $TMP && $PT -g --no-children -d 0.5; echo PTOP-EXIT=\$?; sleep 300"
cap() { $T capture-pane -p -t t; }
# poll TRIES CMD...: run CMD every 0.1 s until it succeeds, at most TRIES times
poll() { n=$1; shift; while [ "$n" -gt 0 ]; do "$@" && return 0; sleep 0.1; n=$((n - 1)); done; return 1; }
# the busy program on top within two refreshes: the first one (after listing the running
# processes, which takes a while on a loaded machine), then one more
for i in $(seq 1 80); do cap | grep -q 'samples/sec' && break; sleep 0.1; done
on_top() { cap >"$TMP/c1"; grep -A3 'Overhead' "$TMP/c1" | grep -q 'sym_spin .*spin_leaf'; }
poll 30 on_top
# (the machine is shared with other work: on top, or within the first three rows)
grep -A3 'Overhead' "$TMP/c1" | grep -q 'sym_spin .*spin_leaf'
ok $? "screen: the busy program on top within two refreshes" || sed 's/^/# /' "$TMP/c1" | head -5
grep -q '^   PTop: .*samples/sec' "$TMP/c1"; ok $? "screen: the header line"
# select the busy program's row as a person would: Home, then Down to it (the shown row in
# reverse video; tried again when a refresh reordered the rows meanwhile)
select_spin() {
	for try in 1 2 3 4 5 6; do
		n=$(cap | awk '/Overhead/ { h = 1; next } h && /^ +[0-9.]+%  / { i++; if (/spin_leaf/) { print i - 1; exit } }')
		if [ -n "$n" ]; then
			$T send-keys -t t Home
			k=0; while [ "$k" -lt "$n" ]; do $T send-keys -t t Down; k=$((k + 1)); done
			sleep 0.15
			$T capture-pane -e -p -t t | grep -aE "$(printf '\033')\[([0-9]+;)*7m" | grep -q spin_leaf && return 0
		fi
		sleep 0.3
	done
	return 1
}
select_spin; ok $? "screen: arrow keys select the busy program's row"
$T send-keys -t t Enter
callers() { cap >"$TMP/c2"; grep -A5 'spin_leaf$' "$TMP/c2" | grep -q 'spin_outer'; }
poll 30 callers
grep -A5 'spin_leaf$' "$TMP/c2" | grep -q 'spin_outer'; ok $? "screen: Enter shows the entry's callers" ||
	sed 's/^/# /' "$TMP/c2" | head -10
$T send-keys -t t s
only_sym() { cap >"$TMP/c3"; [ "$(grep -E '^ +[0-9.]+%  ' "$TMP/c3" | awk '{ print $NF }' | sort -u)" = spin_leaf ]; }
poll 30 only_sym
is "$(grep -E '^ +[0-9.]+%  ' "$TMP/c3" | awk '{ print $NF }' | sort | uniq -c | awk '{ print $1 " " $2 }')" "1 spin_leaf" "screen: s shows only the selected symbol's entries" || sed "s/^/# /" "$TMP/c3" | head -12
$T send-keys -t t P
poll 30 grep -q spin_leaf "$TMP/ptop.snapshot" 2>/dev/null
grep -q 'spin_leaf' "$TMP/ptop.snapshot" 2>/dev/null; ok $? "screen: P writes the view to ptop.snapshot"
$T send-keys -t t s; sleep 0.2; $T send-keys -t t a
# the annotation is built when a is pressed (disassembly, source lines): wait for it, up to 15 s
for i in $(seq 1 150); do
	sleep 0.1; cap >"$TMP/c4"
	grep -q 'Percent\|%.*:\s' "$TMP/c4" && grep -qi 'spin_leaf' "$TMP/c4" && break
done
grep -q 'Percent\|%.*:\s' "$TMP/c4" && grep -qi 'spin_leaf' "$TMP/c4"
ok $? "screen: a shows the symbol's annotation" || sed 's/^/# /' "$TMP/c4" | head -8
$T send-keys -t t q; sleep 0.2
$T resize-window -t t -x 70 -y 16
redrawn() { cap >"$TMP/c5"; [ "$(awk 'length > 70' "$TMP/c5" | wc -l)" -eq 0 ] && tail -1 "$TMP/c5" | grep -q 'q quit'; }
poll 30 redrawn
is "$(awk 'length > 70' "$TMP/c5" | wc -l | tr -d ' ')" 0 "resize: redrawn within the new width"
tail -1 "$TMP/c5" | grep -q 'q quit'; ok $? "resize: the status line on the new last row"
$T send-keys -t t q
exited() { cap >"$TMP/c6"; grep -q 'PTOP-EXIT=' "$TMP/c6"; }
poll 30 exited
grep -q 'PTOP-EXIT=0' "$TMP/c6"; ok $? "q: ptop exits 0"
is "$($T display -p -t t '#{alternate_on}')" 0 "q: the terminal is back (no alternate screen)"
grep -q 'Overhead' "$TMP/c6"; ok $((!$?)) "q: the screen's content is gone"
# Ctrl-C gives the terminal back too
$T new-session -d -s t2 -x 100 -y 20 "$PT -d 0.5; echo PTOP-EXIT=\$?; sleep 60"
for i in $(seq 1 80); do $T capture-pane -p -t t2 | grep -q 'samples/sec' && break; sleep 0.1; done
$T send-keys -t t2 C-c
poll 30 sh -c "$T capture-pane -p -t t2 | grep -q PTOP-EXIT="
$T capture-pane -p -t t2 | grep -q 'PTOP-EXIT=0'; ok $? "Ctrl-C: ptop exits 0"
is "$($T display -p -t t2 '#{alternate_on}')" 0 "Ctrl-C: the terminal is back"
done_testing
