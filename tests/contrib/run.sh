#!/bin/sh
# The Prometheus rules shipped in contrib/prometheus/ are what promtool
# accepts.  Appends "rules PASSED FAILED" to VPDN_RESULTS.  Without promtool
# (Debian's prometheus) it fails: a check that did not run is no pass.
# `make rules-test` runs it, and `make test` with it.
set -u
dir=$(dirname "$0")/../../contrib/prometheus
results=${VPDN_RESULTS:-/tmp/vpdn-results}
if ! command -v promtool >/dev/null 2>&1; then
	echo "FAIL - rules: promtool not installed (apt-get install prometheus)"
	echo "rules 0 1" >>"$results"
	exit 1
fi
pass=0 fail=0
for f in "$dir"/*.yml; do
	if promtool check rules "$f"; then
		echo "ok   promtool check rules $(basename "$f")"
		pass=$((pass + 1))
	else
		echo "FAIL promtool check rules $(basename "$f")"
		fail=$((fail + 1))
	fi
done
echo "rules $pass $fail" >>"$results"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
