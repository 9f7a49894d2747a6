#!/bin/sh
# The Debian package end to end (root): `make deb` builds it and lintian
# accepts it, `dpkg -i` installs it on this machine, the installed files
# are checked (vpdnd -C on every example in /etc/vpdn, systemd-analyze
# verify on the unit, man -w, --version, hardening, no sanitizer runtime),
# then `dpkg --purge` removes it and nothing it installed or created is
# left, except the vpdn account, which Debian Policy 9.2.2 keeps on purge;
# the test removes that account itself if it created it, so the machine
# ends as it started.
# Nothing is skipped: a missing tool or a machine where the package cannot
# be installed safely (vpdn already installed, /etc/vpdn already there) is a
# failure.  Runs of this test in other trees wait for each other (one
# package name per machine); the trap purges on any exit.
# Usage: tests/pkg/t-deb.sh [DEB_O]   (build/deb)
cd "$(dirname "$0")/../.." || exit 2
out=${1:-build/deb}
passed=0 failed=0
pass() { echo "ok   deb: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL deb: $1${2:+: $2}"; failed=$((failed + 1)); }
finish() {
	echo "deb $passed $failed" >>"${VPDN_RESULTS:-/tmp/vpdn-results}"
	echo "deb tests: $passed passed, $failed failed"
	[ $failed -eq 0 ]
	exit
}

tmp=$(mktemp -d) || exit 2
installed=0 made_user=0
# dpkg takes its lock without waiting; an apt run elsewhere on the machine
# (another tree's install-deps) holds it for a while.
dpkg_locked() {
	n=0
	while ! dpkg "$@" >"$tmp/dpkg.log" 2>&1; do
		grep -q 'lock.*locked\|database is locked' "$tmp/dpkg.log" && [ $n -lt 300 ] || return 1
		sleep 1
		n=$((n + 1))
	done
}
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	if [ "$installed" -eq 1 ]; then
		dpkg_locked --purge vpdn || cat "$tmp/dpkg.log"
	fi
	[ "$made_user" -eq 1 ] && remove_account
	rm -rf "$tmp"
}
# deluser complains about tools it would use for a full removal (crontab).
remove_account() {
	if getent passwd vpdn >/dev/null; then
		deluser --system --quiet vpdn >>"$tmp/deluser.log" 2>&1
	fi
	if getent group vpdn >/dev/null; then
		delgroup --system --quiet vpdn >>"$tmp/deluser.log" 2>&1
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

if [ "$(id -u)" != 0 ]; then
	fail "needs root (dpkg -i)"
	finish
fi
missing=""
for t in dpkg-buildpackage dh lintian systemd-analyze man flock adduser \
    deluser readelf nm; do
	command -v "$t" >/dev/null 2>&1 || missing="$missing $t"
done
if [ -n "$missing" ]; then
	fail "tools missing (make deps):$missing"
	finish
fi

# One run per machine at a time: the package and its paths are global.
exec 9>/run/lock/vpdn-t-deb.lock
if ! flock -w 900 9; then
	fail "another run held /run/lock/vpdn-t-deb.lock for 15 min"
	finish
fi
if dpkg-query -W -f='${db:Status-Status}' vpdn 2>/dev/null |
    grep -qv '^not-installed$'; then
	fail "vpdn is installed on this machine; the test would replace it"
	finish
fi
if [ -e /etc/vpdn ]; then
	fail "/etc/vpdn exists (not from the package); the test would purge it"
	finish
fi
getent passwd vpdn >/dev/null || made_user=1

start=$(date +%s)
if scripts/build-deb.sh "$out" 2 >"$tmp/build.log" 2>&1; then
	pass "make deb builds the package ($(($(date +%s) - start)) s)"
else
	fail "make deb" "$(tail -20 "$tmp/build.log")"
	finish
fi
version=$(dpkg-parsechangelog -S Version)
deb="$out/vpdn_${version}_$(dpkg-architecture -qDEB_HOST_ARCH).deb"
# build-deb.sh fails on any lintian error or warning; info lines and
# overrides are not findings.
if ! grep -q '^[EW]: ' "$out/lintian.log"; then
	pass "lintian: no errors, no warnings"
else
	fail "lintian" "$(grep '^[EW]: ' "$out/lintian.log")"
fi
# The package build compiles the programs, not the tests.
if grep -q 'tests/' "$out/build.log"; then
	fail "the package build compiles no tests" "$(grep -m3 'tests/' "$out/build.log")"
else
	pass "the package build compiles no tests"
fi
depends=$(dpkg-deb -f "$deb" Depends)
case "$depends" in
*libasan* | *libubsan*) fail "Depends has no sanitizer runtime" "$depends" ;;
*) pass "Depends has no sanitizer runtime" ;;
esac

if dpkg_locked -i "$deb"; then
	installed=1
	pass "dpkg -i"
else
	# A half-configured package is still there: purge it on exit.
	installed=1
	fail "dpkg -i" "$(tail -10 "$tmp/dpkg.log")"
	finish
fi
# Every path the package owns, for the check after purge.
dpkg -L vpdn >"$tmp/files"

for p in vpdnd vpdnctl; do
	b=/usr/sbin/$p
	[ $p = vpdnctl ] && b=/usr/bin/$p
	if [ "$("$b" --version 2>&1)" = "$p ${version%-*}" ]; then
		pass "$b --version reports the package version"
	else
		fail "$b --version" "$("$b" --version 2>&1)"
	fi
done
if scripts/check-hardening.sh /usr/sbin/vpdnd /usr/bin/vpdnctl \
    >"$tmp/harden.log" 2>&1; then
	pass "installed binaries are hardened (PIE, RELRO, BIND_NOW, SSP, FORTIFY)"
else
	fail "hardening" "$(cat "$tmp/harden.log")"
fi
if ! nm -D /usr/sbin/vpdnd 2>/dev/null | grep -q __asan_; then
	pass "installed vpdnd has no ASan"
else
	fail "installed vpdnd has no ASan"
fi
# The fast path's BPF object is embedded through its skeleton; its licence
# section is the one string of it that is stable.
if grep -aq 'Dual BSD/GPL' /usr/sbin/vpdnd; then
	pass "installed vpdnd embeds the BPF fast path"
else
	fail "installed vpdnd embeds the BPF fast path"
fi

n=0
for f in /etc/vpdn/*.conf; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	if /usr/sbin/vpdnd -C -c "$f" >"$tmp/c.log" 2>&1; then
		pass "vpdnd -C accepts $f"
	else
		fail "vpdnd -C $f" "$(cat "$tmp/c.log")"
	fi
done
[ $n -eq 3 ] || fail "three example configurations in /etc/vpdn" "found $n"
conffiles=$(dpkg-query -W -f='${Conffiles}\n' vpdn | awk 'NF {print $1}' |
    sort | tr '\n' ' ')
want="/etc/vpdn/client.conf /etc/vpdn/lac.conf /etc/vpdn/lns.conf /etc/vpdn/users "
if [ "$conffiles" = "$want" ]; then
	pass "the examples in /etc/vpdn are conffiles"
else
	fail "conffiles" "$conffiles"
fi

pw=$(getent passwd vpdn)
uid=$(echo "$pw" | cut -d: -f3)
shell=$(echo "$pw" | cut -d: -f7)
if [ -n "$pw" ] && [ "$uid" -lt 1000 ] && [ "$shell" = /usr/sbin/nologin ] &&
    getent group vpdn >/dev/null; then
	pass "postinst made the system account and group vpdn"
else
	fail "system account vpdn" "$pw"
fi
if [ "$(stat -c '%U:%G %a' /etc/vpdn)" = "root:vpdn 750" ] &&
    dpkg-statoverride --list /etc/vpdn >/dev/null; then
	pass "/etc/vpdn is root:vpdn 0750 (statoverride)"
else
	fail "/etc/vpdn ownership" "$(stat -c '%U:%G %a' /etc/vpdn)"
fi

unit=/lib/systemd/system/vpdnd.service
if [ -L /etc/systemd/system/multi-user.target.wants/vpdnd.service ]; then
	pass "dh_installsystemd enabled the unit"
else
	fail "dh_installsystemd enabled the unit"
fi
# verify works without systemd as PID 1.  It also loads the system's own
# units (multi-user.target wants them), whose complaints are not ours: only
# lines naming our unit count.  The Documentation= man pages are checked
# too (--man=yes, the default), so this needs the installed pages.
if [ -f "$unit" ] && grep -q '^ExecStart=/usr/sbin/vpdnd -c ' "$unit" &&
    systemd-analyze verify "$unit" >"$tmp/verify.log" 2>&1 &&
    ! grep -q vpdnd "$tmp/verify.log"; then
	pass "systemd-analyze verify $unit"
else
	fail "systemd-analyze verify" "$(head -5 "$tmp/verify.log")"
fi
for page in "8 vpdnd" "8 vpdnctl" "5 vpdn.conf"; do
	# shellcheck disable=SC2086 # "SECTION NAME", split on purpose
	p=$(man -w $page 2>/dev/null)
	case "$p" in
	/usr/share/man/*) pass "man -w $page: $p" ;;
	*) fail "man -w $page" "$p" ;;
	esac
done
if dpkg --verify vpdn >"$tmp/verify.log" 2>&1 && [ ! -s "$tmp/verify.log" ]; then
	pass "dpkg --verify: installed files match the package"
else
	fail "dpkg --verify" "$(head -5 "$tmp/verify.log")"
fi

if dpkg_locked --purge vpdn; then
	installed=0
	pass "dpkg --purge"
else
	fail "dpkg --purge" "$(tail -10 "$tmp/dpkg.log")"
fi
status=$(dpkg-query -W -f='${db:Status-Status}' vpdn 2>/dev/null)
if [ -z "$status" ] || [ "$status" = not-installed ]; then
	pass "dpkg knows vpdn no more"
else
	fail "dpkg status after purge" "$status"
fi
# What the package listed is gone, but for directories other packages
# share (/usr/sbin, /lib/systemd/system, ...).
left=""
while read -r f; do
	[ "$f" = /. ] && continue
	[ -e "$f" ] || [ -L "$f" ] || continue
	[ -d "$f" ] && dpkg-query -S "$f" >/dev/null 2>&1 && continue
	left="$left $f"
done <"$tmp/files"
# What the maintainer scripts made: the statoverride, the unit's
# enablement and deb-systemd-helper's record of it.
dpkg-statoverride --list /etc/vpdn >/dev/null 2>&1 && left="$left statoverride:/etc/vpdn"
for f in /etc/systemd/system/*.wants/vpdnd.service \
    /var/lib/systemd/deb-systemd-helper-enabled/vpdnd.service.dsh-also \
    /var/lib/systemd/deb-systemd-helper-enabled/*.wants/vpdnd.service \
    /var/lib/dpkg/info/vpdn.*; do
	[ -e "$f" ] || [ -L "$f" ] && left="$left $f"
done
if [ -z "$left" ]; then
	pass "purge leaves nothing the package installed or made"
else
	fail "purge leaves nothing behind" "$left"
fi
if getent passwd vpdn >/dev/null; then
	pass "purge keeps the vpdn account (Debian Policy 9.2.2)"
else
	fail "purge keeps the vpdn account (Debian Policy 9.2.2)"
fi
if [ $made_user -eq 1 ]; then
	remove_account
	if ! getent passwd vpdn >/dev/null && ! getent group vpdn >/dev/null; then
		pass "the vpdn account this test made is removed again"
	else
		fail "removing the vpdn account" "$(cat "$tmp/deluser.log")"
	fi
fi
finish
