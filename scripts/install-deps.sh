#!/bin/sh
# Installs the Debian packages that building, testing and the demo need, so
# `make test`, `make demo`, `make bench` and `make coverage` work on a fresh
# Debian 12 machine as root.
set -e
PKGS="build-essential pkg-config libev-dev libcmocka-dev libbsd-dev libmnl-dev
nettle-dev iproute2 nftables xl2tpd tshark valgrind util-linux procps
binutils groff-base man-db curl systemd iputils-ping python3 python3-yaml libcap-dev
strongswan-charon strongswan-swanctl libcharon-extra-plugins libstrongswan-extra-plugins
clang libclang-rt-14-dev cppcheck clang-tidy clang-format freeradius freeradius-utils gnuplot-nox
llvm libbpf-dev bpftool linux-libc-dev
dpkg-dev debhelper lintian adduser
gcovr iperf3 postgresql isc-dhcp-client sqlite3
freeradius-postgresql prometheus prometheus-postgres-exporter"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing (run as root)" >&2
	exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
