#!/bin/sh
# The Prometheus rules of contrib/prometheus/ are what promtool accepts, and
# every alert fires on the series that should raise it (promtool test rules
# on synthetic scrapes).  Appends "rules PASSED FAILED" to VPDN_RESULTS.
set -u
dir=$(dirname "$0")
rules="$dir/../../contrib/prometheus/vpdn-rules.yml"
pass=0 fail=0
report() { echo "rules $pass $fail" >>"${VPDN_RESULTS:-/tmp/vpdn-results}"; }
if ! command -v promtool >/dev/null 2>&1; then
	echo "FAIL promtool not installed (scripts/install-deps.sh installs prometheus)"
	fail=1; report; echo "$pass passed, $fail failed"; exit 1
fi
if promtool check rules "$rules"; then
	echo "ok   promtool check rules $(basename "$rules")"; pass=$((pass + 1))
else
	echo "FAIL promtool check rules $(basename "$rules")"; fail=$((fail + 1))
fi
if (cd "$dir" && promtool test rules vpdn-rules.test.yml); then
	echo "ok   promtool test rules vpdn-rules.test.yml"; pass=$((pass + 1))
else
	echo "FAIL promtool test rules vpdn-rules.test.yml"; fail=$((fail + 1))
fi
report
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
