#!/bin/sh
# prove-retry.sh RETRYLOG [PROVE OPTIONS] FILES...: runs the TAP files with prove, once. A failed
# file is not run again: the only retries are inside the files, of single checks whose oracle is
# known to vary from run to run for a named cause that is not ours (perf 6.1's addr2line-based
# srcline and inline output, headless Chromium screenshots: retry_nondeterministic in
# tests/e2e/lib.sh). Such a check that fails runs once more, its first verdicts kept in the log;
# each one is listed in RETRYLOG and summed up here at the end.
log=$1
shift
rm -f "$log"
E2E_RETRY_LOG=$log
export E2E_RETRY_LOG
prove -f --timer "$@"
rc=$?
if [ -s "$log" ]; then
	echo "e2e: $(wc -l <"$log") check(s) failed once and ran again for a named cause (their first run is in the log above):"
	sed 's/^/e2e:   /' "$log"
fi
exit $rc
