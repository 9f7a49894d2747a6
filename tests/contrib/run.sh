#!/bin/sh
# The Prometheus rules shipped in contrib/prometheus/ are what promtool
# accepts.  Appends "rules PASSED FAILED" to VPDN_RESULTS; without promtool
# (Debian's prometheus, which scripts/install-deps.sh installs) it says so
# and counts nothing, as the netns scenarios do for a missing tool.
set -u
dir=$(dirname "$0")/../../contrib/prometheus
results=${VPDN_RESULTS:-/tmp/vpdn-results}
if ! command -v promtool >/dev/null 2>&1; then
	echo "SKIP - rules: promtool not installed"
	echo "rules 0 0" >>"$results"
	exit 0
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
