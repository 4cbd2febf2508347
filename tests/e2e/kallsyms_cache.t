#!/bin/sh
# The caches of the running kernel's symbols and of ELF files' symbol tables (issue 22,
# symbols/kallsyms_cache.h, symbols/elf_symcache.h): the first run writes them under
# $XDG_CACHE_HOME/pstat, the next reads them (a symbol built when a lookup first lands on
# it), and both print what a run without any cache prints, byte for byte; damaged cache
# files are not used.
. "$(dirname "$0")/lib.sh"
PR=$BIN/preport
if ! perf record -q -a -g -o "$TMP/ag.data" -- sh -c 'ls -R /usr/share/doc >/dev/null; sleep 0.3' \
	>/dev/null 2>&1; then
	skip "perf record -a -g failed"
	done_testing
fi
C=$TMP/cache
nocache() { env -u XDG_CACHE_HOME HOME=/nonexistent "$@"; }
nocache "$PR" -i "$TMP/ag.data" --stdio >"$TMP/none" 2>&1
nocache "$BIN/pscript" -i "$TMP/ag.data" >"$TMP/none.s" 2>&1
nocache "$BIN/pfold" -i "$TMP/ag.data" >"$TMP/none.f" 2>&1
XDG_CACHE_HOME=$C "$PR" -i "$TMP/ag.data" --stdio >"$TMP/first" 2>&1
f=$(ls "$C"/pstat/kallsyms*-* 2>/dev/null | head -1)
ok "$([ -s "$f" ]; echo $?)" "the first run wrote the cache ($f)"
ne=$(ls "$C"/pstat/ | grep -c '^elfsyms2-')
ok "$([ "$ne" -gt 0 ]; echo $?)" "the first run wrote the ELF symbol tables it read ($ne files)"
grep -q '\[k\] [a-z_]' "$TMP/none"
ok $? "the report has kernel symbols"
XDG_CACHE_HOME=$C "$PR" -i "$TMP/ag.data" --stdio >"$TMP/second" 2>&1
XDG_CACHE_HOME=$C "$BIN/pscript" -i "$TMP/ag.data" >"$TMP/second.s" 2>&1
XDG_CACHE_HOME=$C "$BIN/pfold" -i "$TMP/ag.data" >"$TMP/second.f" 2>&1
check "preport without a cache = writing it" cmp -s "$TMP/none" "$TMP/first"
check "preport reading the cache = without" cmp -s "$TMP/none" "$TMP/second"
check "pscript reading the cache = without" cmp -s "$TMP/none.s" "$TMP/second.s"
check "pfold reading the cache = without" cmp -s "$TMP/none.f" "$TMP/second.f"
if [ -n "$f" ]; then
	for g in "$f" "$C"/pstat/elfsyms2-*; do
		head -c $(($(stat -c %s "$g") / 2)) "$g" >"$g.cut" && mv "$g.cut" "$g"
	done
	XDG_CACHE_HOME=$C "$PR" -i "$TMP/ag.data" --stdio >"$TMP/third" 2>&1
	check "damaged caches are not used" cmp -s "$TMP/none" "$TMP/third"
	XDG_CACHE_HOME=$C "$BIN/pfold" -i "$TMP/ag.data" >"$TMP/fourth.f" 2>&1
	check "pfold after they were written again = without" cmp -s "$TMP/none.f" "$TMP/fourth.f"
fi
done_testing
