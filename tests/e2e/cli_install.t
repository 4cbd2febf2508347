#!/bin/sh
# plist --raw-dump against perf list --raw-dump, every listed name accepted by pstat; make install
# (commands, man pages from --help, bash completion) into a DESTDIR; the completion script.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
L=$BIN/plist

# --- --raw-dump: perf's names (the tool events duration_time, user_time and system_time in sw)
for k in hw sw cache pmu tracepoint; do
	ours=$($L --raw-dump $k | tr ' ' '\n' | sort)
	theirs=$(perf list --raw-dump $k 2>/dev/null | tr ' ' '\n' | sort)
	is "$ours" "$theirs" "plist --raw-dump $k: perf list's names ($(echo "$ours" | grep -c .))"
done
check "--raw-dump: space-separated, no newline, as perf" sh -c "$L --raw-dump sw | od -c | tail -2 | head -1 | grep -qv '\\\\n'"
# every name is accepted by pstat -e (tracepoints: a sample of them, opening all takes long)
names=$( { $L --raw-dump hw; $L --raw-dump sw; $L --raw-dump cache; $L --raw-dump pmu; } | tr ' ' '\n' | grep .)
tps=$($L --raw-dump tracepoint | tr ' ' '\n' | grep . | awk 'NR % 97 == 1')
bad=""
for n in $names $tps; do
	$BIN/pstat -x, -e "$n" true 2>"$TMP/err" >/dev/null || bad="$bad $n"
done
is "$bad" "" "pstat -e accepts every name --raw-dump prints"
bad=""
for m in $($L --raw-dump metrics) $($L --raw-dump metricgroups); do
	$BIN/pstat -x, -M "$m" true 2>/dev/null >/dev/null || bad="$bad $m"
done
is "$bad" "" "pstat -M accepts every metric and group --raw-dump metrics/metricgroups prints"
check "there are metrics ($($L --raw-dump metrics))" [ -n "$($L --raw-dump metrics)" ]
$BIN/pstat -M IPC true 2>"$TMP/err"; rc=$?
is "$rc:$(wc -l <"$TMP/err"):$(tail -1 "$TMP/err" | grep -c -- "--help")" "129:2:1" "pstat -M IPC (no PMU metric here): one line and the --help pointer, exit 129"
$L --raw-dump bogus 2>"$TMP/err"; rc=$?
is "$rc:$(wc -l <"$TMP/err"):$(tail -1 "$TMP/err" | grep -c -- "--help")" "129:2:1" "plist --raw-dump bogus: one line and the --help pointer, exit 129"

ALL="pstat precord preport pannotate pfold pscript plist pprobe ptop pinject pbuildid-cache parchive"

# --- --list-opts: every command answers it (cmd/common), its long options, --help among them
for c in $ALL; do
	lo=$("$BIN/$c" --list-opts); rc=$?
	bad=$(echo "$lo" | tr ' ' '\n' | grep . | grep -v -- '^--[a-z][a-z0-9_-]*$')
	# the options --help describes (at the start of its lines, not those it names in passing)
	miss=$("$BIN/$c" --help 2>&1 | grep -oE -- '^ +(-[a-zA-Z0-9], )?--[a-z][a-z0-9_-]+' | grep -oE -- '--[a-z0-9_-]+' |
		sort -u | while read -r o; do
		echo " $lo " | grep -qF -- " $o " || echo "$o"; done)
	is "$rc:$bad:$miss" "0::" "$c --list-opts: exit 0, '--NAME ' words, every long option of --help ($(echo $lo | wc -w))"
done

# --- man pages from --help
for c in pstat pprobe plist; do
	"$ROOT/scripts/help2man.sh" "$BIN/$c" >"$TMP/$c.1"
	check "$c.1 renders without troff errors" sh -c "man -l '$TMP/$c.1' 2>&1 >/dev/null | grep -v 'cannot adjust' | grep -q . && exit 1; exit 0"
	# every long option of --help is in the page
	miss=$("$BIN/$c" --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u | while read -r o; do
		grep -qF -- "$(echo "$o" | sed 's/-/\\-/g')" "$TMP/$c.1" || echo "$o"; done)
	is "$miss" "" "$c.1 has every option of $c --help"
done

# --- make install into a DESTDIR (from the build this test runs)
if [ "$BIN" = "$ROOT/build" ]; then
	make -s -C "$ROOT" install DESTDIR="$TMP/root" PREFIX=/usr >"$TMP/inst.log" 2>&1
	is "$?" 0 "make install DESTDIR=... PREFIX=/usr"
	for c in $ALL; do
		ok $([ -x "$TMP/root/usr/bin/$c" ] && [ -s "$TMP/root/usr/share/man/man1/$c.1" ] &&
			[ -s "$TMP/root/usr/share/bash-completion/completions/$c" ]; echo $?) \
			"installed: bin/$c, man1/$c.1, completions/$c"
	done
else
	skip "make install installs ./build, this run tests $BIN"
fi

# --- bash completion: options, events, metrics, tracepoints after ':'
if command -v bash >/dev/null; then
	cat >"$TMP/comp.sh" <<'EOS'
PATH=$BIN:$PATH
. "$ROOT/completion/profiler.bash"
t() { COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}; read -ra COMP_WORDS <<<"$COMP_LINE"
	[[ $COMP_LINE == *" " ]] && COMP_WORDS+=(""); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	_profiler_complete; echo "${COMPREPLY[*]}"; }
echo "1:$(t 'pstat --per-c')"
echo "2:$(t 'pstat -e page-faults,task-c')"
echo "3:$(t 'pstat -M cpus_u')"
echo "4:$(t 'pstat -e sched:sched_swi')"
echo "5:$(t 'preport --sor')"
echo "6:$(t 'plist --raw-dump metricg')"
echo "7:$(t 'ptop -e page-fa')"
mkdir -p "$TMP/cdir" && : >"$TMP/cdir/some.elf"
echo "8:$(t "pbuildid-cache -a $TMP/cdir/so")"
for c in $ALL; do
	echo "reg:$c:$(complete -p "$c" 2>/dev/null | grep -c _profiler_complete)"
	echo "help:$c:$(t "$c --hel")"
done
EOS
	BIN=$BIN ROOT=$ROOT TMP=$TMP ALL=$ALL bash "$TMP/comp.sh" >"$TMP/comp.out" 2>&1
	is "$(grep '^1:' "$TMP/comp.out")" "1:--per-core --per-cache" "completion: pstat's options"
	is "$(grep '^2:' "$TMP/comp.out")" "2:page-faults,task-clock" "completion: an event after a comma"
	is "$(grep '^3:' "$TMP/comp.out")" "3:cpus_utilized" "completion: -M metric names"
	if tracefs_dir >/dev/null; then
		is "$(grep '^4:' "$TMP/comp.out")" "4:sched_switch" "completion: a tracepoint after its ':'"
	else
		skip "tracefs is not mounted"
	fi
	is "$(grep '^5:' "$TMP/comp.out")" "5:--sort" "completion: preport's options from its --help"
	is "$(grep '^6:' "$TMP/comp.out")" "6:metricgroups" "completion: --raw-dump kinds"
	is "$(grep '^7:' "$TMP/comp.out")" "7:page-faults" "completion: ptop -e events"
	is "$(grep '^8:' "$TMP/comp.out")" "8:$TMP/cdir/some.elf" "completion: pbuildid-cache -a files"
	for c in $ALL; do
		is "$(grep "^reg:$c:" "$TMP/comp.out"):$(grep "^help:$c:" "$TMP/comp.out")" "reg:$c:1:help:$c:--help" \
			"completion: $c registered, its options from --list-opts"
	done
fi
done_testing
