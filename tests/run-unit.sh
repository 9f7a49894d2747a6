#!/bin/sh
# Runs every cmocka unit test binary given; records totals for tests/summary.sh.
passed=0 failed=0
for t in "$@"; do
	out=$("$t" 2>&1); rc=$?
	echo "$out" | grep -E '^\[  (PASSED|FAILED) \]|^\[==========\]' | sed "s|^|$(basename "$t"): |"
	p=$(echo "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p')
	f=$(echo "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p')
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ $rc -ne 0 ] && [ -z "$f" ]; then
		echo "$out" | tail -20
		failed=$((failed + 1))
	fi
done
echo "unit $passed $failed" >> "${VPDN_RESULTS:-/tmp/vpdn-results}"
echo "unit tests: $passed passed, $failed failed"
[ $failed -eq 0 ]
