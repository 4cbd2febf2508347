#!/bin/sh
# Issue 23's small surprises, each against perf 6.1 where perf answers the same question:
# preport -g ...,address names each frame with its source line; preport -q drops the header
# lines; -C without CPU samples and pscript -F fields the samples lack are refused naming the
# field; usage errors (bad options, sort keys, -g items, -F fields, events) exit 129 with one line
# under the command's name and "see --help"; an unknown event points to plist;
# a missing perf.data says how to make one in every reader; pannotate --stdio-color MODE SYM;
# a disk full before the first record says the file is empty; --unwind-stats advises a fix
# only where it matters.
. "$(dirname "$0")/lib.sh"

# A recording by perf of a program with a known call tree (main rep_tree.c:45/46/47).
perf record -q -g -o "$TMP/p.data" "$PROGS/rep_tree" 300 >/dev/null 2>&1
"$BIN/precord" -q -g -o "$TMP/o.data" "$PROGS/rep_tree" 300 >/dev/null 2>&1

# --- -g caller,address: each frame's source line, as perf prints it
for f in p o; do
	perf report -i "$TMP/$f.data" --stdio --no-children -g graph,0.5,caller,address >"$TMP/$f.ga.perf" 2>/dev/null
	"$BIN/preport" -i "$TMP/$f.data" --no-children -g graph,0.5,caller,address >"$TMP/$f.ga.ours" 2>"$TMP/err"
	grep -o '[a-z_]* rep_tree\.c:[0-9]*' "$TMP/$f.ga.perf" >"$TMP/$f.sl.perf"
	grep -o '[a-z_]* rep_tree\.c:[0-9]*' "$TMP/$f.ga.ours" >"$TMP/$f.sl.ours"
	n=$(wc -l <"$TMP/$f.sl.perf")
	[ "$n" -ge 3 ] && cmp -s "$TMP/$f.sl.perf" "$TMP/$f.sl.ours"
	ok $? "-g graph,0.5,caller,address on $f.data: the frames' source lines as perf prints them ($n, e.g. '$(head -1 "$TMP/$f.sl.ours")')" ||
		diff "$TMP/$f.sl.perf" "$TMP/$f.sl.ours" | head -5 | sed 's/^/# /'
	[ "$(wc -l <"$TMP/$f.ga.perf")" -eq "$(wc -l <"$TMP/$f.ga.ours")" ]
	ok $? "  and as many lines as perf's"
done
"$BIN/preport" -i "$TMP/p.data" --no-children -g graph,0.5,caller >"$TMP/gf.ours" 2>/dev/null
! grep -q 'rep_tree\.c:' "$TMP/gf.ours"; ok $? "-g ...,function (the default) names frames without source lines, as before"

# --- -q: no header lines, the rest as perf -q prints it
for args in "" "--no-children" "--no-children -g none -s dso,sym" "--header" "--header-only"; do
	# shellcheck disable=SC2086
	perf report -i "$TMP/p.data" --stdio -q $args >"$TMP/q.perf" 2>/dev/null
	# shellcheck disable=SC2086
	"$BIN/preport" -i "$TMP/p.data" -q $args >"$TMP/q.ours" 2>/dev/null
	# (a stray PLT sample: perf 6.1 names libc's slots by relocation index, often "@plt", and
	# the program's _init; docs/compat.md, plt-name)
	plt_names "$TMP/q.perf" "$TMP/q.ours"
	plt_rows_apart "$TMP/q.perf" "$TMP/q.ours"	# (and such a row sorts elsewhere among its ties)
	[ -s "$TMP/q.ours" ] && ! grep -q '^#' "$TMP/q.ours" && cmp -s "$TMP/q.perf" "$TMP/q.ours"
	ok $? "preport -q $args: no header lines, same text as perf report -q" ||
		diff_diag 5 "$TMP/q.perf" "$TMP/q.ours"
done

# --- fields the file does not have
perf report -i "$TMP/p.data" --stdio -C 0 >/dev/null 2>"$TMP/c.perf"
"$BIN/preport" -i "$TMP/p.data" -C 0 >"$TMP/c.out" 2>"$TMP/c.err"
rc=$?
grep -q 'does not contain CPU events' "$TMP/c.perf" && [ $rc -ne 0 ] && [ ! -s "$TMP/c.out" ] &&
	grep -q "does not contain CPU events.*remove -C" "$TMP/c.err"
ok $? "preport -C 0 on a file without CPU samples: refused as perf refuses it (exit $rc: $(cat "$TMP/c.err"))"
for field in cpu addr; do
	perf script -i "$TMP/p.data" -F "$field" >/dev/null 2>"$TMP/f.perf"
	"$BIN/pscript" -i "$TMP/p.data" -F "comm,$field" >"$TMP/f.out" 2>"$TMP/f.err"
	rc=$?
	grep -q "Cannot print '$field' field" "$TMP/f.perf" && [ $rc -ne 0 ] && [ ! -s "$TMP/f.out" ] &&
		grep -q "cannot print '$field' field" "$TMP/f.err"
	ok $? "pscript -F $field on a file without it: refused naming the field, as perf (exit $rc)"
done
"$BIN/precord" -q -a -o "$TMP/a.data" sleep 0.2 >/dev/null 2>&1
[ "$("$BIN/pscript" -i "$TMP/a.data" -F cpu 2>/dev/null | head -1 | tr -d ' ')" = "$(perf script -i "$TMP/a.data" -F cpu 2>/dev/null | head -1 | tr -d ' ')" ]
ok $? "pscript -F cpu on an -a file prints the CPU as perf does"

# --- usage errors and unknown events
for c in pstat precord preport pscript pfold pannotate plist pprobe; do
	"$BIN/$c" --zz-bogus >/dev/null 2>"$TMP/u.err"
	rc=$?
	[ $rc -eq 129 ] && [ "$(grep -c . "$TMP/u.err")" -eq 2 ] && tail -1 "$TMP/u.err" | grep -qx "see '$c --help' for the options" &&
		head -1 "$TMP/u.err" | grep -q "^$c: unrecognized option '--zz-bogus'"
	ok $? "$c --zz-bogus: one line under '$c:' (not its path), see --help, exit 129 (perf's code)" ||
		diag "exit $rc: $(cat "$TMP/u.err")"
done
"$BIN/pprobe" -x >/dev/null 2>"$TMP/u.err"
[ $? -eq 129 ] && head -1 "$TMP/u.err" | grep -q "^pprobe: option requires an argument -- 'x'"
ok $? "pprobe -x (no value): getopt's message under 'pprobe:'"
"$BIN/pstat" report --zz-bogus >/dev/null 2>"$TMP/u.err"
[ $? -eq 129 ] && [ "$(grep -c . "$TMP/u.err")" -eq 2 ] && head -1 "$TMP/u.err" | grep -q "^pstat: unrecognized option"
ok $? "pstat report --zz-bogus: under 'pstat:' (not 'report:'), one line, see --help" || diag "$(cat "$TMP/u.err")"

# values the commands check against their lists (sort keys, -g items, -F fields, events): a
# usage error before the file is read or anything is opened, with perf's code; perf report -s
# says "Unknown --sort key" and prints its usage but exits 0, which we do not copy
# usage_as_perf PERF_RC WORD CMD ARGS...: exit 129 (perf's PERF_RC where it is not 0), nothing
# on stdout, one line under CMD's name naming WORD, then see --help
usage_as_perf() {
	prc=$1; word=$2; c=$3; shift 3
	"$BIN/$c" "$@" >"$TMP/v.out" 2>"$TMP/v.err"; rc=$?
	[ $rc -eq 129 ] && { [ "$prc" -eq 0 ] || [ "$prc" -eq 129 ]; } && [ ! -s "$TMP/v.out" ] &&
		[ "$(grep -c . "$TMP/v.err")" -eq 2 ] && head -1 "$TMP/v.err" | grep -q "^$c: .*'$word'" &&
		tail -1 "$TMP/v.err" | grep -qx "see '$c --help' for the options"
	ok $? "$c $*: a usage error, exit 129 (perf: $prc), one line naming '$word'" ||
		diag "exit $rc: $(cat "$TMP/v.err")"
}
perf report -i "$TMP/p.data" --stdio -g bogus >/dev/null 2>&1
usage_as_perf $? bogus preport -i "$TMP/p.data" -g bogus
perf report -i "$TMP/p.data" --stdio -s nosuchkey >/dev/null 2>&1
usage_as_perf $? nosuchkey preport -i "$TMP/p.data" -s nosuchkey
usage_as_perf 0 nosuchkey preport -i "$TMP/p.data" -F overhead,nosuchkey
perf report -i "$TMP/none.data" --stdio -g bogus >/dev/null 2>&1
usage_as_perf $? bogus preport -i "$TMP/none.data" -g bogus
perf script -i "$TMP/p.data" -F nosuchfield >/dev/null 2>&1
usage_as_perf $? nosuchfield pscript -i "$TMP/p.data" -F nosuchfield
timeout 20 perf top -e bogus --stdio >/dev/null 2>&1 </dev/null
usage_as_perf $? bogus ptop -e bogus --stdio -n 1
timeout 20 perf top -s nosuchkey --stdio >/dev/null 2>&1 </dev/null
usage_as_perf $? nosuchkey ptop -s nosuchkey --stdio -n 1
"$BIN/precord" -F lots -o "$TMP/x.data" true >/dev/null 2>"$TMP/u.err"
[ $? -eq 129 ] && grep -q "^precord: -F wants a frequency" "$TMP/u.err" && ! grep -q '^  -' "$TMP/u.err"
ok $? "a bad option value: exit 129, one line, no whole help"
perf stat -e bogus true >/dev/null 2>&1
prc=$?
"$BIN/pstat" -e bogus true >/dev/null 2>"$TMP/e.err"
[ $? -eq $prc ] && grep -q "list the events with 'plist'" "$TMP/e.err" && ! grep -q 'perf list' "$TMP/e.err"
ok $? "pstat -e bogus: exit $prc as perf stat, and 'plist' to list the events"
"$BIN/precord" -e bogus -o "$TMP/x.data" true >/dev/null 2>"$TMP/e.err"
[ $? -eq 129 ] && grep -q "'plist'" "$TMP/e.err" && tail -1 "$TMP/e.err" | grep -qx "see 'precord --help' for the options"
ok $? "precord -e bogus: exit 129, 'plist', see --help"

# --- a missing perf.data, in every reader, run where there is none
for c in preport pscript pfold pannotate parchive; do
	(cd "$TMP" && "$BIN/$c" >/dev/null 2>"$TMP/m.err")
	[ $? -eq 1 ] && grep -q "cannot open perf.data: No such file or directory (record one with 'precord -g' or 'perf record -g')" "$TMP/m.err"
	ok $? "$c without perf.data says how to record one"
done

# --- pannotate --stdio-color MODE SYM, as --help shows it
"$BIN/precord" -q -o "$TMP/ann.data" "$PROGS/ann_spread" 0.3 >/dev/null 2>&1
"$BIN/pannotate" -i "$TMP/ann.data" --stdio-color always ann_warm >"$TMP/c1" 2>"$TMP/c1.err"
r1=$?
"$BIN/pannotate" -i "$TMP/ann.data" --stdio-color=always ann_warm >"$TMP/c2" 2>/dev/null
[ $r1 -eq 0 ] && grep -q "$(printf '\033')\[" "$TMP/c1" && cmp -s "$TMP/c1" "$TMP/c2" && [ "$(grep -c '<ann_[a-z_]*>:' "$TMP/c1")" -eq 1 ]
ok $? "pannotate --stdio-color always ann_warm: colored, that symbol only, as --stdio-color=always"
"$BIN/pannotate" -i "$TMP/ann.data" --stdio-color never ann_warm >"$TMP/c3" 2>/dev/null
! grep -q "$(printf '\033')" "$TMP/c3" && [ "$(grep -c '<ann_[a-z_]*>:' "$TMP/c3")" -eq 1 ]
ok $? "  and --stdio-color never ann_warm: plain"

# --- a full disk before the first record
if [ "$(id -u)" -eq 0 ] && mkdir "$TMP/full" && mount -t tmpfs -o size=64k tmpfs "$TMP/full" 2>/dev/null; then
	dd if=/dev/zero of="$TMP/full/fill" bs=4k count=64 2>/dev/null
	"$BIN/precord" -q -o "$TMP/full/p.data" "$PROGS/rec_loop" 0.1 >/dev/null 2>"$TMP/d.err"
	rc=$?
	size=$(stat -c %s "$TMP/full/p.data" 2>/dev/null || echo none)
	[ $rc -ne 0 ] && { [ "$size" = 0 ] || [ "$size" = none ]; } &&
		grep -q "disk full writing.*nothing readable was written" "$TMP/d.err" && ! grep -q "is readable\|are readable" "$TMP/d.err"
	ok $? "a disk full before the first record: says nothing readable was written (file size $size)" ||
		diag "$(cat "$TMP/d.err")"
	rm -f "$TMP/full/fill" "$TMP/full/p.data"
	dd if=/dev/zero of="$TMP/full/fill" bs=1k count=40 2>/dev/null
	# (a fixed amount of work, about 0.3 s of CPU: as many samples, over 24k of them, on a
	# loaded machine too)
	"$BIN/precord" -q -o "$TMP/full/q.data" "$PROGS/rec_loop" -n 150 >/dev/null 2>"$TMP/d.err"
	bytes=$(sed -n 's/.*the \([0-9]*\) bytes of records written so far are readable.*/\1/p' "$TMP/d.err")
	perf report -i "$TMP/full/q.data" --stdio >/dev/null 2>&1
	prc=$?
	[ -n "$bytes" ] && [ "$bytes" -gt 0 ] && [ $prc -eq 0 ]
	ok $? "a disk full later: says how many bytes of records are readable ($bytes), and perf reads them" ||
		diag "$(cat "$TMP/d.err")"
	# -a lists every process's maps before sampling: a disk that fills then is said the same way
	rm -f "$TMP/full/fill" "$TMP/full/q.data"
	dd if=/dev/zero of="$TMP/full/fill" bs=1k count=56 2>/dev/null
	"$BIN/precord" -q -a -o "$TMP/full/a.data" true >/dev/null 2>"$TMP/d.err"; rc=$?
	[ $rc -ne 0 ] && [ "$(wc -l <"$TMP/d.err")" -eq 1 ] && grep -q "^precord: disk full writing '.*a.data': " "$TMP/d.err"
	ok $? "a disk full while -a lists the processes: one line that says so (rc $rc)" || diag "$(cat "$TMP/d.err")"
	umount "$TMP/full"
else
	skip "needs root to mount a small tmpfs"
	skip "needs root to mount a small tmpfs"
fi

# --- --unwind-stats: a fix only where the early-ending stacks are at least 1% of all
"$BIN/precord" -q --call-graph dwarf,1024 -o "$TMP/cut.data" "$PROGS/unw_chain" 0.3 deep 40 >/dev/null 2>&1
"$BIN/preport" -i "$TMP/cut.data" --unwind-stats >"$TMP/us" 2>/dev/null
awk '/^# DWARF unwinding of/ { total = $5 }
     /^ +[0-9]/ { early = $1 * (100 - $2) / 100; fix = $NF != "-";
		  if (fix != (early * 100 >= total)) bad++; if (fix) n++ }
     END { exit !(total > 0 && n >= 1 && !bad) }' "$TMP/us"
ok $? "--unwind-stats: a fix on every DSO whose early-ending stacks are >= 1% of all, '-' on the others" ||
	sed 's/^/# /' "$TMP/us"
grep -q 'unw_chain  *raise --call-graph dwarf,2048' "$TMP/us"
ok $? "  the program cut by the 1024-byte copy gets 'raise --call-graph dwarf,2048'"

done_testing
