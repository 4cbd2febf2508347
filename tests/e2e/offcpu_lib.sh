# Shared by offcpu.t and offcpu_dwarf.t: the sched_switch check and the ground-truth helpers
# for offcpu4 (tests/progs/offcpu4.c), whose threads print what they really waited or spun.
W=$PROGS/offcpu4
if ! tracefs_dir >/dev/null || [ ! -e "$(tracefs_dir)/events/sched/sched_switch/format" ]; then
	plan 1
	skip "no sched:sched_switch tracepoint (tracefs not mounted: scripts/setup-tracefs.sh)"
	exit 0
fi

# truth NAME: the seconds offcpu4 measured for thread NAME
truth() { awk -v n="$1" '$1 == n { print $2 }' "$TMP/truth.txt"; }
# folded_sum FILE AWK-CONDITION: summed counts of the folded lines matching (stack is $1)
folded_sum() { awk "$2 { s += \$NF } END { printf \"%.0f\", s + 0 }" "$1"; }
# near NAME GOT_NS WANT_S PCT: a TAP line, GOT nanoseconds within PCT% of WANT seconds
near() {
	want_ns=$(awk -v s="$3" 'BEGIN { printf "%.0f", s * 1e9 }')
	diag "$1: profile $2 ns, truth $want_ns ns"
	within_pct "$2" "$want_ns" "$4"
	ok $? "$1 within $4% of the truth"
}
