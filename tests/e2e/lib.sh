# Shared TAP helpers for the end-to-end tests. Source it; BIN and PROGS come from the Makefile.
# Tests run the real commands on the real kernel; perf is the oracle where it answers the same question.
: "${BIN:=$(cd "$(dirname "$0")/../.." && pwd)/build}"
: "${PROGS:=$BIN/tests/progs}"
T_NUM=0
T_FAILED=0
TMP=$(mktemp -d /tmp/e2e.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

plan() { echo "1..$1"; }
ok() {	# ok COND-STATUS DESCRIPTION
	T_NUM=$((T_NUM + 1))
	if [ "$1" -eq 0 ]; then echo "ok $T_NUM - $2"; else echo "not ok $T_NUM - $2"; T_FAILED=1; return 1; fi
}
check() {	# check DESCRIPTION CMD...: ok when CMD exits 0
	desc=$1; shift
	if "$@"; then ok 0 "$desc"; else ok 1 "$desc"; fi
}
is() {	# is GOT WANT DESCRIPTION
	T_NUM=$((T_NUM + 1))
	if [ "$1" = "$2" ]; then echo "ok $T_NUM - $3"
	else echo "not ok $T_NUM - $3"; printf "#   got:  '%s'\n#   want: '%s'\n" "$1" "$2" >&2; T_FAILED=1; return 1; fi
}
skip() {	# skip REASON: one skipped test
	T_NUM=$((T_NUM + 1))
	echo "ok $T_NUM # SKIP $1"
}
diag() { echo "# $*"; }
done_testing() { echo "1..$T_NUM"; exit $T_FAILED; }

# Within PCT percent of each other (floats).
within_pct() { awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; m = (a > b ? a : b); exit !(m == 0 || d <= m * p / 100) }'; }

has_pmu() { perf stat -e instructions true 2>&1 | grep -q '<not supported>' && return 1; return 0; }
tracefs_dir() {
	for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
		[ -e "$d/available_events" ] && { echo "$d"; return 0; }
	done
	return 1
}

# build_inl N: $TMP/inl and $TMP/libinl.so from tests/e2e/inl.c, N iterations by default;
# non-zero when they cannot be built
build_inl() {
	cc -O2 -g -fomit-frame-pointer -shared -fPIC -DLIB -o "$TMP/libinl.so" "$(dirname "$0")/inl.c" &&
	cc -O2 -g -fomit-frame-pointer -DINL_N="$1" -o "$TMP/inl" "$(dirname "$0")/inl.c" \
		-L"$TMP" -linl -Wl,-rpath,"$TMP"
}
