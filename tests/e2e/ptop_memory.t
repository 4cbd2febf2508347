#!/bin/sh
# ptop's memory follows what is live (issue 17): under a fork storm (thousands of short-lived
# processes, half of them exec'ing, each inheriting 256 executable maps) sampled with
# `ptop --stdio -d 1 -p STORM` (children followed), ptop's resident memory after a warm-up
# stays flat, measured per child that came and went, while the view still shows the storm's
# hot symbol on top.
#
# The bound: a profiler that keeps exited processes keeps at least their maps, 256 of them
# (48 bytes each in the session, 20 more in the recorder's build-id tally): over 12 KiB per
# forked child. Kept threads, entries of ~0 share and their graphs are what ptop frees; what
# is left is allocator noise (reclaimed maps come and go in 12 KiB blocks) and entries of
# rarely hit kernel symbols that come in slowly: under 8 KiB per child over the last 8 s (two
# thirds of the cost of one kept child) holds here, also under the load of a whole make check
# (seen: 4.8 KiB), and fails on a ptop that keeps them (measured: 15-22 KiB per child).
. "$(dirname "$0")/lib.sh"

STORM=$PROGS/fork_storm
RUN=16		# seconds of storm; ptop samples the last 8 of them for the bound
"$STORM" $((RUN + 5)) >"$TMP/storm.out" & storm=$!
sleep 0.3
"$BIN/ptop" --stdio -d 1 -g --no-children -E 5 -p "$storm" >"$TMP/top.out" 2>"$TMP/top.err" & pt=$!
trap 'kill $storm $pt 2>/dev/null; [ -n "$KEEP" ] || rm -rf "$TMP"' EXIT

# every 0.5 s: seconds since start, ptop's VmRSS (kB), the storm's children so far
t0=$(date +%s.%N)
while :; do
	sleep 0.5
	rss=$(awk '/^VmRSS:/ { print $2 }' /proc/$pt/status 2>/dev/null) || break
	line=$(echo "$(date +%s.%N) $rss $(tail -1 "$TMP/storm.out")" | awk -v t0="$t0" '{ printf "%.1f %s %s\n", $1 - t0, $2, $3 }')
	echo "$line"
	[ "${line%%.*}" -lt $RUN ] || break
done >"$TMP/rss"
kill -INT $pt
wait $pt; rc=$?
wait $storm
is "$rc" 0 "ptop exits 0 on SIGINT"
grep -v 'sampling cpu-clock instead' "$TMP/top.err" | sed 's/^/# ptop: /'
diag "t(s) rss(kB) children: $(awk 'NR % 4 == 0 { printf "%s/%s/%s ", $1, $2, $3 }' "$TMP/rss")"

# the window: from 8 s before the last sample to the last
awk -v run=$RUN '
	{ t[NR] = $1; r[NR] = $2; c[NR] = $3 }
	END {
		for (i = 1; i <= NR && t[i] < t[NR] - 8; i++) ;
		kids = c[NR] - c[i]; grow = r[NR] - r[i]
		# the highest point of the window against its start: a slow climb shows too
		max = r[i]; for (j = i; j <= NR; j++) if (r[j] > max) max = r[j]
		printf "%d %d %d %.1f\n", kids, grow, max - r[i], t[NR] - t[i]
	}' "$TMP/rss" >"$TMP/win"
read kids grow peak span <"$TMP/win"
diag "last ${span}s: $kids children, RSS grew ${grow} kB (peak +${peak} kB)"
if ldd "$BIN/ptop" 2>/dev/null | grep -q 'libasan'; then
	skip "an ASan build keeps freed memory in quarantine: RSS says nothing (the run still checks every free)"
elif [ "${kids:-0}" -lt 200 ]; then
	skip "the machine is too busy: only ${kids:-0} children in 8 s (200 needed for the bound)"
else
	awk -v k="$kids" -v g="$peak" 'BEGIN { exit !(g * 1024 / k < 8192) }'
	ok $? "RSS flat under the storm: +${peak} kB over $kids children ($(awk -v k="$kids" -v g="$peak" 'BEGIN { printf "%.0f", g * 1024 / k }') bytes each, bound 8192)"
fi

# the last refresh's top rows: the storm's burner (children burn 2 ms each, the parent forks;
# on a loaded machine the kernel's fork and exit work can outweigh it)
top=$(awk '/^   PTop:/ { n = 0; r = "" } /^ +[0-9.]+%  / { if (n++ < 3) { $1 = ""; sub(/^ +/, ""); r = r $0 "|" } } END { print r }' "$TMP/top.out")
case "|$top" in *"|fork_storm [.] storm_burn|"*) ok 0 "the view still shows the hot symbol in its top three rows";;
*) ok 1 "the view still shows the hot symbol in its top three rows"; diag "top rows: $top";; esac
done_testing
