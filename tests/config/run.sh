#!/bin/sh
# Golden tests of the configuration loader through `vpdnd -C -c FILE`:
#   ok-*.conf  must load (exit 0);
#   bad-*.conf must be refused (exit 1) with stderr equal to bad-*.err, the
#              exact "tests/config/bad-x.conf:LINE: message" line.
# Usage: tests/config/run.sh PATH/TO/vpdnd   (runs from the repository root so
# that file names in messages match the goldens).
if [ $# -ne 1 ]; then
	echo "usage: $0 VPDND" >&2
	exit 2
fi
case "$1" in
/*) vpdnd="$1" ;;
*) vpdnd="$(pwd)/$1" ;;
esac
cd "$(dirname "$0")/../.." || exit 2
if [ ! -x "$vpdnd" ]; then
	echo "config tests: $vpdnd is not executable" >&2
	exit 2
fi

passed=0 failed=0
tmp=$(mktemp) || exit 2
trap 'rm -f "$tmp"' EXIT

pass() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

for conf in tests/config/ok-*.conf; do
	[ -e "$conf" ] || continue
	"$vpdnd" -C -c "$conf" >/dev/null 2>"$tmp"; rc=$?
	if [ $rc -eq 0 ]; then
		pass "$conf"
	else
		fail "$conf" "exit $rc: $(head -c 300 "$tmp")"
	fi
done

for conf in tests/config/bad-*.conf; do
	[ -e "$conf" ] || continue
	err="${conf%.conf}.err"
	"$vpdnd" -C -c "$conf" >/dev/null 2>"$tmp"; rc=$?
	if [ ! -f "$err" ]; then
		fail "$conf" "missing $err"
	elif [ $rc -ne 1 ]; then
		fail "$conf" "exit $rc, expected 1: $(head -c 300 "$tmp")"
	elif ! cmp -s "$tmp" "$err"; then
		fail "$conf" "expected '$(cat "$err")', got '$(head -c 300 "$tmp")'"
	else
		pass "$conf"
	fi
done

echo "config $passed $failed" >> "${VPDN_RESULTS:-/tmp/vpdn-results}"
echo "config tests: $passed passed, $failed failed"
[ $failed -eq 0 ]
