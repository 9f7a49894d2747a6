#!/bin/sh
# `make install` into a scratch DESTDIR: the exact file list with modes, the
# installed vpdnd is the release variant (no sanitizer runtime) and runs,
# the unit's ExecStart points at the installed daemon, the unit passes
# `systemd-analyze verify` where systemd is available, and uninstall removes
# every file again.
# Usage: tests/install.sh [INSTALL_O]   (release build directory)
cd "$(dirname "$0")/.." || exit 2
inst_o=${1:-build/release}
passed=0 failed=0
pass() { echo "ok   install: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL install: $1${2:+: $2}"; failed=$((failed + 1)); }

dest=$(mktemp -d) || exit 2
log=$(mktemp) || exit 2
trap 'rm -rf "$dest" "$log"' EXIT
prefix=/usr/local

if make --no-print-directory INSTALL_O="$inst_o" DESTDIR="$dest" \
    PREFIX=$prefix install >"$log" 2>&1; then
	pass "make install DESTDIR=... exits 0"
else
	fail "make install" "$(tail -5 "$log")"
fi

want="0755 $prefix/bin/vpdnctl
0755 $prefix/sbin/vpdnd
0644 $prefix/lib/systemd/system/vpdnd.service
0644 $prefix/share/man/man5/vpdn.conf.5
0644 $prefix/share/man/man8/vpdnctl.8
0644 $prefix/share/man/man8/vpdnd.8"
for f in examples/* examples/ipsec/*; do
	[ -f "$f" ] || continue
	want="$want
0644 $prefix/share/doc/vpdn/$f"
done
want=$(echo "$want" | sort -k2)
got=$(cd "$dest" && find . -type f -printf '%m /%P\n' |
    sed 's/^\([0-7][0-7][0-7]\) /0\1 /' | sort -k2)
if [ "$got" = "$want" ]; then
	pass "file list and modes"
else
	fail "file list and modes" "$(printf 'want:\n%s\ngot:\n%s' "$want" "$got")"
fi

d="$dest$prefix/sbin/vpdnd"
if [ -x "$d" ] && "$d" --version | grep -q '^vpdnd '; then
	pass "installed vpdnd --version"
else
	fail "installed vpdnd --version"
fi
if [ -x "$d" ] && ! nm -D "$d" 2>/dev/null | grep -q __asan_; then
	pass "installed vpdnd is the release variant (no ASan)"
else
	fail "installed vpdnd is the release variant (no ASan)"
fi
if [ -x "$d" ] && "$d" -C -c "$dest$prefix/share/doc/vpdn/examples/lns.conf"
then
	pass "installed vpdnd -C accepts the installed lns.conf"
else
	fail "installed vpdnd -C accepts the installed lns.conf"
fi

unit="$dest$prefix/lib/systemd/system/vpdnd.service"
if grep -q "^ExecStart=$prefix/sbin/vpdnd -c " "$unit" &&
    grep -q '^CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW CAP_NET_BIND_SERVICE$' "$unit" &&
    grep -q '^ExecReload=/bin/kill -HUP \$MAINPID$' "$unit"; then
	pass "unit: ExecStart, capabilities, ExecReload"
else
	fail "unit: ExecStart, capabilities, ExecReload"
fi
# verify resolves ExecStart against the real root: point it at the DESTDIR
# copy.  Any output (an unknown key, an invalid value) or a non-zero exit is
# a failure; --man=no because the pages are not installed on this root.
# verify also loads the system's own units (multi-user.target wants them):
# their complaints (e.g. freeradius.service's MemoryLimit=) are not ours,
# so only lines naming our unit count.
if command -v systemd-analyze >/dev/null 2>&1; then
	vunit="$dest/vpdnd.service"
	if [ -f "$unit" ] && sed "s|$prefix/sbin/vpdnd|$d|g" "$unit" >"$vunit" &&
	    systemd-analyze verify --man=no "$vunit" >"$log" 2>&1 &&
	    ! grep -q "vpdnd" "$log"; then
		pass "systemd-analyze verify"
	else
		fail "systemd-analyze verify" "$(head -5 "$log")"
	fi
else
	echo "skip install: systemd-analyze verify (no systemd-analyze)"
fi

make --no-print-directory INSTALL_O="$inst_o" DESTDIR="$dest" PREFIX=$prefix \
    uninstall >"$log" 2>&1
rm -f "$dest/vpdnd.service"
left=$(find "$dest" -type f | head -5)
if [ -z "$left" ]; then
	pass "make uninstall removes every file"
else
	fail "make uninstall removes every file" "$left"
fi

echo "install $passed $failed" >> "${VPDN_RESULTS:-/tmp/vpdn-results}"
echo "install tests: $passed passed, $failed failed"
[ $failed -eq 0 ]
