#!/bin/sh
# Event names with modifiers as perf 6.1 writes them. Same command line by perf record and by
# precord (-e cycles:MODS, which a machine without a hardware PMU samples as cpu-clock and
# perf then names after the event's attr: "cpu-clock:uH", "cpu-clock:ppH"); the name preport
# --header-only prints, pscript's event column, and the attr bits the modifiers set
# (exclude_guest above all) must be perf's.
. "$(dirname "$0")/lib.sh"
command -v perf >/dev/null 2>&1 || { skip "no perf"; done_testing; }
P=$PROGS/ann_spread
for m in u pp k uk upp ppp P G uG H; do
	perf record -q -e "cycles:$m" -o "$TMP/p.data" "$P" 0.05 >/dev/null 2>&1
	"$BIN/precord" -q -e "cycles:$m" -o "$TMP/o.data" "$P" 0.05 >/dev/null 2>&1
	if [ ! -s "$TMP/p.data" ]; then skip "perf record -e cycles:$m failed"; continue; fi
	[ -s "$TMP/o.data" ]; ok $? "precord -e cycles:$m records"
	perf report --header-only -i "$TMP/p.data" 2>/dev/null | grep '^# event : name = ' >"$TMP/p.h"
	"$BIN/preport" --header-only -i "$TMP/o.data" 2>/dev/null | grep '^# event : name = ' >"$TMP/o.h"
	want=$(sed 's/, , id = {[^}]*}//; s/, ksymbol = 1//; s/, bpf_event = 1//' "$TMP/p.h")
	got=$(sed 's/, , id = {[^}]*}//; s/, ksymbol = 1//; s/, bpf_event = 1//' "$TMP/o.h")
	is "$got" "$want" "cycles:$m: preport --header-only's event line is perf's ($(sed 's/.*name = //; s/,.*//' "$TMP/p.h"))"
	pn=$(perf script -F event -i "$TMP/p.data" 2>/dev/null | sort -u | tr -d ' ')
	on=$("$BIN/pscript" -F event -i "$TMP/o.data" 2>/dev/null | sort -u | tr -d ' ')
	[ -n "$pn" ]; ok $? "cycles:$m: perf script names the event ($pn)"
	is "$on" "$pn" "cycles:$m: pscript names the event as perf script does"
done
# an unprivileged user (perf_event_paranoid 2): the default event counts user space from the
# start ("cpu-clock:uhppp" after the fallback from cycles), an -e event falls back to ":u"
# with exclude_guest ("cpu-clock:uH" from cycles): perf evlist -v's lines equal perf's
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && [ "$(cat /proc/sys/kernel/perf_event_paranoid)" -ge 2 ]; then
	NB="setpriv --reuid=65534 --regid=65534 --clear-groups"
	mkdir -p "$TMP/nb" && chmod 777 "$TMP/nb"
	for ev in "" "-e cycles" "-e cpu-clock" "-e task-clock" "-e cycles:pp"; do
		rm -f "$TMP/nb/p.data" "$TMP/nb/o.data"
		# shellcheck disable=SC2086
		(cd "$TMP/nb" && $NB perf record -q $ev -o p.data "$P" 0.05 && $NB "$BIN/precord" -q $ev -o o.data "$P" 0.05) >/dev/null 2>&1
		if [ ! -s "$TMP/nb/p.data" ]; then skip "perf record $ev as nobody failed"; continue; fi
		attrs() { perf evlist -v -f -i "$1" 2>/dev/null | tr ',' '\n' | grep -E 'exclude|precise|: type' | tr -d '\n'; }
		is "$(attrs "$TMP/nb/o.data")" "$(attrs "$TMP/nb/p.data")" "unprivileged precord ${ev:-(default event)}: the event's name and exclude/precise bits are perf's"
	done
else
	skip "needs root, setpriv and perf_event_paranoid >= 2 to record as an unprivileged user"
fi
done_testing
