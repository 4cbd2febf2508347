#!/bin/sh
# preport --stats, --task, -F and the compressed line of --header-only, against perf report on the same
# files: a perf record -z file (COMPRESSED records counted with what is inside them), a two-
# event precord file, and a precord -z file whose ratio perf reads as we print it.
. "$(dirname "$0")/lib.sh"
SPIN=$PROGS/sym_spin

perf record -z -g -e cpu-clock -o "$TMP/z.data" -- "$SPIN" 2>/dev/null
$BIN/precord -e cpu-clock,task-clock -o "$TMP/two.data" -- "$SPIN" 2>/dev/null
$BIN/precord -z -e cpu-clock -o "$TMP/oz.data" -- "$SPIN" 2>/dev/null
for f in z two oz; do
	$BIN/preport --stats -i "$TMP/$f.data" >"$TMP/ours" 2>&1; rc=$?
	perf report --stats -i "$TMP/$f.data" >"$TMP/perf" 2>/dev/null
	is "$rc:$(ndiff "$TMP/ours" "$TMP/perf")" "0:0" "preport --stats prints perf report --stats' lines for $f.data"
done
grep -q '^      COMPRESSED events:' "$TMP/ours"; ok $? "COMPRESSED records are counted"
for f in z oz; do
	a=$($BIN/preport --header-only -i "$TMP/$f.data" | grep '^# compressed :')
	b=$(perf report --header-only -i "$TMP/$f.data" 2>/dev/null | grep '^# compressed :')
	is "$a" "$b" "--header-only: '$b' for $f.data"
done
case "$b" in *"ratio = 0") ok 1 "precord -z records a ratio";; *) ok 0 "precord -z records a ratio";; esac

# -F: the columns perf -F prints, on a recording without call chains
for fl in overhead,sample,period,comm,dso overhead,period,dso overhead,pid; do
	$BIN/preport -i "$TMP/two.data" --stdio -F $fl 2>&1 | no_tip >"$TMP/ours"
	perf report -i "$TMP/two.data" --stdio -F $fl 2>/dev/null | no_tip >"$TMP/perf"
	is "$(ndiff "$TMP/ours" "$TMP/perf")" 0 "preport -F $fl prints perf report -F's lines"
done
# -F on recordings with call chains: perf keeps children mode (rows of callers with no self
# time, the children-mode graph under each row with the row's own frame), orders rows by
# self, and shows the Children column only for overhead_children
$BIN/precord -g -e cpu-clock -o "$TMP/g.data" -- "$PROGS/demo" >/dev/null 2>&1
for f in z g; do
	# comm among the keys only on precord's file: perf's file of an ASan-built workload has
	# garbage frames, whose 0.00% rows perf orders otherwise under comm (docs/perf-compat-cli.md)
	cm=; [ $f = g ] && cm=comm,
	for fl in "overhead,sym" "overhead,overhead_children,dso,sym" "overhead,sample,${cm}sym -g callee" \
		  "overhead,sym --percent-limit 1" "overhead,period,sym --no-children"; do
		# PLT rows aside: perf names some libc PLT entries "@plt" alone and stretches the
		# program's _init over its .plt (any report mode; docs/compat.md, plt-name)
		$BIN/preport -i "$TMP/$f.data" --stdio -F $fl 2>&1 | no_tip | grep -v '@plt\|\] _init$' >"$TMP/ours"
		perf report -i "$TMP/$f.data" --stdio -F $fl 2>/dev/null | no_tip | grep -v '@plt\|\] _init$' >"$TMP/perf"
		is "$(ndiff "$TMP/ours" "$TMP/perf"):$(grep -c -- '---' "$TMP/ours")" \
		   "0:$(grep -c -- '---' "$TMP/perf")" "preport -F $fl with call graphs ($f.data): perf report's lines" ||
			diff_diag 8 "$TMP/perf" "$TMP/ours"
	done
done
$BIN/preport -i "$TMP/two.data" -F sym,overhead >/dev/null 2>"$TMP/err"; rc=$?
grep -q 'before the sort keys' "$TMP/err"; is "$rc:$?" "129:0" "-F in an order preport cannot print: one line, exit 129 (a usage error)"

# --sort socket and dso_size (the kernel's map size aside: ours reaches up to the modules)
for k in socket,cpu dso,dso_size; do
	$BIN/preport -i "$TMP/two.data" --stdio --no-children --sort $k 2>&1 | no_tip | grep -v kallsyms >"$TMP/ours"
	perf report -i "$TMP/two.data" --stdio --no-children --sort $k 2>/dev/null | no_tip | grep -v kallsyms >"$TMP/perf"
	is "$(ndiff "$TMP/ours" "$TMP/perf")" 0 "preport --sort $k prints perf report's lines" ||
		diff_diag 8 "$TMP/perf" "$TMP/ours"
done

$BIN/precord -e cpu-clock -o "$TMP/d.data" -- "$PROGS/demo" >/dev/null 2>&1
# perf 6.1 keeps some rows of one key apart (two "688" rows for elf_load and
# next_uptodate_folio, both 688 bytes), and a split-off part moves a big row's share by up
# to a few tenths. So both
# sides' rows of one key are summed first; then the header, the keys of the rows of 1% or
# more and their shares within 0.1 are compared, in key order.
big() { no_tip | awk '!/%/ { print; next }
	{ v = $1 + 0; k = $0; sub(/^ *[^ ]+/, "", k); if (!(k in sum)) keys[n++] = k; sum[k] += v }
	END { fflush(); for (i = 0; i < n; i++) if (sum[keys[i]] >= 1) printf "%.2f%s\n", sum[keys[i]], keys[i] | "sort -k2"
	      close("sort -k2") }'; }
# near A B: the lines of A and B, shares within 0.1 of each other, the rest equal: how many differ
near() { paste -d'\n' "$1" "$2" | awk 'NR % 2 { a = $0; split($0, x); next }
	{ split($0, y); fa = a; fb = $0; sub(/^ *[^ ]+/, "", fa); sub(/^ *[^ ]+/, "", fb)
	  d = x[1] - y[1]; if (d < 0) d = -d; if (fa != fb || d > 0.1) n++ }
	END { print n + 0 + (NR % 2) }'; [ "$(wc -l <"$1")" = "$(wc -l <"$2")" ] || echo "lines"; }
for k in symbol_size dso,symbol_size time comm,time; do
	$BIN/preport -i "$TMP/d.data" --stdio --no-children --sort $k 2>&1 | big >"$TMP/ours"
	perf report -i "$TMP/d.data" --stdio --no-children --sort $k 2>/dev/null | big >"$TMP/perf"
	is "$(near "$TMP/ours" "$TMP/perf")" 0 "preport --sort $k prints perf report's lines" ||
		diff_diag 8 "$TMP/perf" "$TMP/ours"
done
# perf's time column is 12 wide however long the machine has been up: a time of a few
# seconds is not padded, one past 99999 s is cut to 12 characters
for at in 5 200000; do
	"$(dirname "$0")/shift_times.py" "$TMP/d.data" "$TMP/t$at.data" $at
	$BIN/preport -i "$TMP/t$at.data" --stdio --no-children --sort comm,time 2>&1 | no_tip >"$TMP/ours"
	perf report -i "$TMP/t$at.data" --stdio --no-children --sort comm,time 2>/dev/null | no_tip >"$TMP/perf"
	# (every row is the workload's, at a time from $at s on: the recording may last over 1 s)
	in=$(awk -v at=$at '/%/ && $2 == "demo" && $3 + 0 >= at && $3 + 0 < at + 100 { n++ } END { print n + 0 }' "$TMP/perf")
	is "$(ndiff "$TMP/ours" "$TMP/perf"):$in" "0:$(grep -c '%' "$TMP/perf")" \
		"preport --sort comm,time of a file whose samples start $at s after boot: perf report's lines" ||
		diff_diag 8 "$TMP/perf" "$TMP/ours"
done
$BIN/precord -a -e cpu-clock -o "$TMP/a.data" -- sleep 0.3 >/dev/null 2>&1
$BIN/preport -i "$TMP/a.data" --stdio --no-children --sort socket,cpu 2>&1 | no_tip >"$TMP/ours"
perf report -i "$TMP/a.data" --stdio --no-children --sort socket,cpu 2>/dev/null | no_tip >"$TMP/perf"
is "$(ndiff "$TMP/ours" "$TMP/perf"):$(grep -c '%' "$TMP/perf")" "0:$(grep -c '%' "$TMP/perf")" "preport --sort socket,cpu of a -a recording: perf's rows"

# --task: the process/thread tree of a program that starts threads and execs a child
$BIN/precord -e cpu-clock -o "$TMP/f.data" -- "$PROGS/rec_fork" >/dev/null 2>&1
perf record -e cpu-clock -o "$TMP/pf.data" -- "$PROGS/rec_fork" >/dev/null 2>&1
for f in f pf; do
	$BIN/preport --task -i "$TMP/$f.data" >"$TMP/ours" 2>&1; rc=$?
	perf report --task -i "$TMP/$f.data" >"$TMP/perf" 2>/dev/null
	is "$rc:$(ndiff "$TMP/ours" "$TMP/perf"):$(grep -c '|' "$TMP/perf")" "0:0:$(grep -c '|' "$TMP/perf")" "preport --task prints perf report --task's tree for $f.data"
done
grep -q '^ *[0-9]* *[0-9]* *[0-9]* |  *rec_loop$' "$TMP/ours"; ok $? "the exec'd child sits under its parent with its new name"

done_testing
