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

# The shipped examples must pass `vpdnd -C` (users files are not opened).
for conf in examples/*.conf examples/ipsec/lns.conf examples/ipsec/client.conf; do
	[ -e "$conf" ] || continue
	"$vpdnd" -C -c "$conf" >/dev/null 2>"$tmp"; rc=$?
	if [ $rc -eq 0 ]; then
		pass "$conf"
	else
		fail "$conf" "exit $rc: $(head -c 300 "$tmp")"
	fi
done

# Man pages: each renders with groff and man -l without a warning.
for page in man/*.5 man/*.8; do
	[ -e "$page" ] || continue
	{ groff -ww -z -man "$page"; MANWIDTH=80 man -l "$page" >/dev/null; } \
	    >"$tmp" 2>&1
	if [ -s "$tmp" ]; then
		fail "$page renders" "$(head -c 300 "$tmp")"
	else
		pass "$page renders"
	fi
done

# vpdn.conf.5 documents every key of src/config/schema.c in its section
# (".BR key" after '.SH "SECTION [section'), so the page cannot fall behind.
grep -o '\(ROW\|LIST\)([A-Z_]*, "[a-z0-9-]*"' src/config/schema.c |
    sed 's/.*(\([A-Z_]*\), "\(.*\)"/\1 \2/' | tr 'A-Z_' 'a-z-' >"$tmp"
if [ ! -s "$tmp" ]; then
	fail "man/vpdn.conf.5 keys" "no keys found in src/config/schema.c"
else
	missing=$(while read -r sec key; do
		awk -v sec="$sec" -v key="$key" '
		    /^\.SH/ { in_sec = index($0, "SECTION [" sec) > 0; next }
		    in_sec && ($1 == ".BR" || $1 == ".B") && $2 == key { found = 1 }
		    END { exit !found }' man/vpdn.conf.5 || printf ' [%s] %s' "$sec" "$key"
	done <"$tmp")
	if [ -n "$missing" ]; then
		fail "man/vpdn.conf.5 documents every key" "missing:$missing"
	else
		pass "man/vpdn.conf.5 documents all $(wc -l <"$tmp") keys"
	fi
fi

echo "config $passed $failed" >> "${VPDN_RESULTS:-/tmp/vpdn-results}"
echo "config tests: $passed passed, $failed failed"
[ $failed -eq 0 ]
