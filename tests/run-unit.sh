#!/bin/sh
# Runs every cmocka unit test binary given; prints cmocka's own summary lines
# per binary and records totals for tests/summary.sh.
passed=0 failed=0
for t in "$@"; do
	name=$(basename "$t")
	out=$("$t" 2>&1); rc=$?
	p=$(echo "$out" | grep -o '\[  PASSED  \] [0-9]* test' | grep -o '[0-9][0-9]*' | head -1)
	f=$(echo "$out" | grep -o '\[  FAILED  \] [0-9]* test' | grep -o '[0-9][0-9]*' | head -1)
	echo "$name: ${p:-0} passed, ${f:-0} failed"
	if [ $rc -ne 0 ] || [ -n "$f" ]; then
		echo "$out" | grep -E 'FAILED|ERROR|error|runtime error|Sanitizer' | head -40
		[ -z "$f" ] && f=1
	fi
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
done
echo "unit $passed $failed" >> "${VPDN_RESULTS:-/tmp/vpdn-results}"
echo "unit tests: $passed passed, $failed failed"
[ $failed -eq 0 ]
