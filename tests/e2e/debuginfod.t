#!/bin/sh
# debuginfod: a stripped binary whose debug file (and source) only Debian's real debuginfod
# server has, started here on 127.0.0.1. With DEBUGINFOD_URLS the readers resolve symbols,
# source lines, DWARF-unwound chains and pannotate's source exactly as they do with the
# unstripped binary in place (the reference, same build-id); perf 6.1 (built without
# debuginfod) agrees with that reference. --no-debuginfod, a stopped server and a silent one:
# [unknown] frames, one warning line, no wait past DEBUGINFOD_TIMEOUT.
. "$(dirname "$0")/lib.sh"
if ! command -v debuginfod >/dev/null 2>&1; then
	plan 1; skip "no debuginfod binary (Debian package debuginfod; scripts/deps.sh installs it)"; exit 0
fi
B=$BIN
D=$TMP/dfd
mkdir -p "$D/build" "$D/hidden" "$D/srv"
export PERF_BUILDID_DIR="$D/bid"	# precord's build-id cache copies stay private
export DEBUGINFOD_CACHE_PATH="$D/cache"
unset DEBUGINFOD_URLS DEBUGINFOD_TIMEOUT
cp "$E2E_DIR/../progs/unw_chain.c" "$D/build/dfd_chain.c"
(cd "$D/build" && cc -O2 -g -fomit-frame-pointer -Wl,--build-id -o ../dfd_chain.full dfd_chain.c) || {
	plan 1; skip "cannot build the test program"; exit 0; }
objcopy --only-keep-debug "$D/dfd_chain.full" "$D/srv/dfd_chain.debug"
cp "$D/dfd_chain.full" "$D/dfd_chain"
strip --strip-all "$D/dfd_chain"
cp "$D/dfd_chain" "$D/srv/dfd_chain.exe"	# the server has the executable too
# its twin without .eh_frame for its own code: the CFI is only in the debug file's .debug_frame
(cd "$D/build" && cc -O2 -g -fomit-frame-pointer -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-o ../dfd_nocfi dfd_chain.c)
objcopy --only-keep-debug "$D/dfd_nocfi" "$D/srv/dfd_nocfi.debug"
strip --strip-all "$D/dfd_nocfi"
# the source only the server sees: its own mount namespace binds hidden/ over build/
mv "$D/build/dfd_chain.c" "$D/hidden/"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
unshare -m sh -c "mount --bind '$D/hidden' '$D/build' && exec debuginfod -F -d '$D/db.sqlite' -p $port -g 0 -t 0 '$D/srv'" \
	>"$D/server.log" 2>&1 &
srv=$!
trap 'kill $srv 2>/dev/null; rm -rf "$TMP"' EXIT
URL=http://127.0.0.1:$port
id=$(file "$D/dfd_chain" | sed -n 's/.*BuildID\[sha1\]=\([0-9a-f]*\).*/\1/p')

# 4 MB rings: a sanitizer build of precord on a loaded machine lost DWARF samples with the
# default 512 KB, and every reader then warned of the loss, which the checks of stderr count
$B/precord -m 1024 --call-graph dwarf -e cpu-clock -o "$D/s.data" -- "$D/dfd_chain" 0.3 2>/dev/null
$B/precord -m 1024 --call-graph dwarf -e cpu-clock -o "$D/nocfi.data" -- "$D/dfd_nocfi" 0.2 2>/dev/null
# wait (10 s at most) until the server's first scan has indexed the debug file and source
i=0
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/buildid/$id/source$D/build/dfd_chain.c")" = 200 ]; do
	i=$((i + 1)); [ $i -gt 100 ] && break; sleep 0.1
done
is "$(curl -s -o /dev/null -w '%{http_code}' "$URL/buildid/$id/debuginfo")" 200 "the server has the debug file (scan done)"
[ -e "$D/build/dfd_chain.c" ]; is "$?" 1 "the source is not here, only in the server's namespace"

REP="--stdio --no-children --sort sym,srcline -g caller"
run_all() {	# run_all TAG [ARGS]: the four readers' output into $D/TAG.*
	tag=$1; shift
	$B/preport -i "$D/s.data" $REP "$@" >"$D/$tag.rep" 2>"$D/$tag.rep.err"
	$B/pscript -i "$D/s.data" -F ip,sym,srcline "$@" >"$D/$tag.scr" 2>"$D/$tag.scr.err"
	$B/pfold -i "$D/s.data" "$@" >"$D/$tag.fold" 2>"$D/$tag.fold.err"
	$B/pannotate -i "$D/s.data" --stdio "$@" lib_leaf >"$D/$tag.ann" 2>"$D/$tag.ann.err"
}
# the reference: the unstripped binary (same build-id) and its source in place
cp "$D/dfd_chain" "$D/dfd_chain.stripped"
cp "$D/dfd_chain.full" "$D/dfd_chain"; cp "$D/hidden/dfd_chain.c" "$D/build/"
run_all ref
perf report -i "$D/s.data" --stdio --no-children --sort sym -g none 2>/dev/null | no_comments >"$D/perf.rep"
cp "$D/dfd_chain.stripped" "$D/dfd_chain"; rm "$D/build/dfd_chain.c"
grep -q 'lib_leaf.*dfd_chain.c:' "$D/ref.rep"; ok $? "reference: lib_leaf with its source line"

run_all off --no-debuginfod
# the server answers here and below, however slowly: a sanitizer pass beside other tests once
# took more than the readers' default 5 s over the vdso's query ("Timer expired")
export DEBUGINFOD_URLS=$URL DEBUGINFOD_TIMEOUT=60
run_all dfd
# objdump -l's "func():" lines follow the runtime file's own .symtab, which the stripped one
# lacks (symbols/srcline.c, srcline__own_symtab_covers): compared without them
for t in ref dfd; do grep -Ev '^ +: [0-9]+ +[A-Za-z_0-9]+\(\):$' "$D/$t.ann" >"$D/$t.ann.nofunc"; done
for t in rep scr fold ann.nofunc; do
	is "$(ndiff "$D/dfd.$t" "$D/ref.$t")" 0 "$t: the stripped binary with debuginfod reads as the unstripped one" ||
		diff_diag 6 "$D/dfd.$t" "$D/ref.$t"
done
grep -q 'lib_mid$' "$D/dfd.rep" && grep -q ' run$' "$D/dfd.rep"
ok $? "preport: the DWARF-unwound chain lib_leaf <- lib_mid <- ... <- run resolves"
grep -q 'double end = now() + secs;' "$D/dfd.ann"; ok $? "pannotate: source text fetched from the server"
cat "$D"/dfd.*.err >"$D/dfd.err"
is "$(wc -c <"$D/dfd.err" | tr -d ' ')" 0 "no warning when the server answers"
ls "$D/cache/$id/debuginfo" >/dev/null 2>&1; ok $? "libdebuginfod cached the debug file under DEBUGINFOD_CACHE_PATH"
# the rows of the program's own functions (perf 6.1 names a stray PLT sample _init)
$B/preport -i "$D/s.data" --stdio --no-children --sort sym -g none | no_comments | grep -E 'lib_|stage|run|main' >"$D/dfd.sym"
grep -E 'lib_|stage|run|main' "$D/perf.rep" >"$D/perf.sym"
is "$(ndiff "$D/dfd.sym" "$D/perf.sym")" 0 "preport --sort sym with debuginfod = perf report with the unstripped binary" ||
	diff_diag 6 "$D/dfd.sym" "$D/perf.sym"

# CFI: the twin's stacks unwind only with .debug_frame from the server
nocfi_chain() {	# samples whose folded stack runs from main to lib_leaf
	$B/pfold -i "$D/nocfi.data" "$@" 2>/dev/null | grep ';main;run;stage;lib_enter;lib_mid;lib_leaf' |
		awk '{ s += $NF } END { print s + 0 }'; }
# (of the samples with a lib_leaf frame: under load more of the program's samples fall elsewhere, in
# its start-up or the kernel)
n=$(nocfi_chain); all=$($B/pfold -i "$D/nocfi.data" | awk '/^dfd_nocfi;/ && /;lib_leaf[; ]/ { s += $NF } END { print s + 0 }')
awk -v n="$n" -v a="$all" 'BEGIN { exit !(a > 20 && n >= a * 0.9) }'
ok $? "DWARF unwinding with .debug_frame from the server: $n of $all samples with a lib_leaf frame unwind main;run;stage;lib_enter;lib_mid;lib_leaf"
is "$(nocfi_chain --no-debuginfod)" 0 "the same without the server: no CFI, no chain"
grep -q lib_leaf "$D/off.rep"; is "$?" 1 "--no-debuginfod: lib_leaf stays unresolved"

# the binary deleted here and not in the build-id cache: the executable comes from the server
mv "$D/dfd_chain" "$D/dfd_chain.away"; mv "$PERF_BUILDID_DIR" "$D/bid.away"
DEBUGINFOD_CACHE_PATH="$D/cache.exe" $B/preport -i "$D/s.data" --stdio --no-children --sort sym,srcline -g none \
	2>"$D/exe.err" | grep -c 'lib_leaf  *dfd_chain.c:' >"$D/exe.n"
is "$([ "$(cat "$D/exe.n")" -ge 1 ] && echo rows):$(wc -c <"$D/exe.err" | tr -d ' ')" "rows:0" \
	"deleted binary: executable and debug file from the server, lib_leaf's lines resolve"
ls "$D/cache.exe/$id/executable" >/dev/null 2>&1; ok $? "the executable was fetched (and cached)"
mv "$D/dfd_chain.away" "$D/dfd_chain"; mv "$D/bid.away" "$PERF_BUILDID_DIR"
cat "$D"/off.rep.err "$D"/off.scr.err "$D"/off.fold.err >"$D/off.err"
is "$(wc -c <"$D/off.err" | tr -d ' ')" 0 "--no-debuginfod: nothing said, no server asked"
grep -q "no samples in a symbol named 'lib_leaf'" "$D/off.ann.err"; ok $? "--no-debuginfod: pannotate finds no lib_leaf"

# the server stopped: a fresh cache, so nothing is already here
kill $srv; wait $srv 2>/dev/null
unset DEBUGINFOD_TIMEOUT
export DEBUGINFOD_CACHE_PATH="$D/cache2"
run_all dead
for t in rep scr fold ann; do
	n=$(grep -c 'debuginfod' "$D/dead.$t.err"); l=$(grep -vc 'no samples in a symbol' "$D/dead.$t.err")
	is "$n:$l" "1:1" "server stopped, $t: one one-line warning"
done
grep -q lib_leaf "$D/dead.rep"; is "$?" 1 "server stopped: [unknown] frames, no symbols from nowhere"
grep -q 'Connection refused' "$D/dead.rep.err"; ok $? "the warning says why ($(cut -c1-60 "$D/dead.rep.err")...)"

# a server that accepts and never answers: given up after DEBUGINFOD_TIMEOUT, asked once
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16)
print(s.getsockname()[1], flush=True); time.sleep(60)' >"$D/silent.port" &
sil=$!
trap 'kill $sil 2>/dev/null; rm -rf "$TMP"' EXIT
i=0; while [ ! -s "$D/silent.port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
export DEBUGINFOD_URLS=http://127.0.0.1:$(cat "$D/silent.port") DEBUGINFOD_TIMEOUT=1
export DEBUGINFOD_CACHE_PATH="$D/cache3"
t0=$(date +%s.%N)
$B/preport -i "$D/s.data" --stdio --no-debuginfod >/dev/null 2>&1
base=$(echo "$(date +%s.%N) - $t0" | bc)
t0=$(date +%s.%N)
$B/preport -i "$D/s.data" --stdio >/dev/null 2>"$D/silent.err"; rc=$?
el=$(echo "$(date +%s.%N) - $t0" | bc)
is "$rc:$(wc -l <"$D/silent.err" | tr -d ' ')" "0:1" "silent server: exit 0, one warning ($(cut -c1-70 "$D/silent.err"))"
# one timeout (1 s, libdebuginfod's check ticks add a little), not one per DSO or per retry
awk -v e="$el" -v b="$base" 'BEGIN { exit !(e < b + 2.5) }'
ok $? "silent server: done in ${el}s, ${base}s without asking (DEBUGINFOD_TIMEOUT=1, asked once)"
kill $sil 2>/dev/null
done_testing
