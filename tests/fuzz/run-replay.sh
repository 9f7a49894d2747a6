#!/bin/sh
# run-replay.sh BIN_DIR TARGET... — replays every committed corpus file and
# crash reproducer of each target once through its sanitizer build; records
# "fuzz PASSED FAILED" (one test per target) for tests/summary.sh.
dir=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
passed=0 failed=0
for t in "$@"; do
	set --
	[ -d "$here/corpus/$t" ] && set -- "$@" "$here/corpus/$t"
	[ -d "$here/crashes/$t" ] && set -- "$@" "$here/crashes/$t"
	out=$("$dir/$t" "$@" 2>&1); rc=$?
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
		echo "$out" | grep -v '^replay: ' | tail -1 | sed "s|^$dir/||"
	else
		failed=$((failed + 1))
		echo "$t: FAILED (rc $rc)"
		echo "$out" | grep '^replay: ' | tail -1
		echo "$out" | grep -E 'ERROR|SUMMARY|invariant|runtime error' | head -20
	fi
done
echo "fuzz $passed $failed" >> "${VPDN_RESULTS:-/tmp/vpdn-results}"
echo "fuzz replay: $passed passed, $failed failed"
[ $failed -eq 0 ]
