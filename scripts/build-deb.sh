#!/bin/sh
# `make deb`: builds the Debian package of the working tree (committed or
# not) and checks it with lintian.  dpkg-buildpackage writes beside the
# tree it builds and `make clean` removes build/, so it runs in a copy
# under OUT; the .deb (and its -dbgsym) end in OUT.
# Usage: scripts/build-deb.sh [OUT] [JOBS]     (build/deb, 2)
set -e
cd "$(dirname "$0")/.."
out=${1:-build/deb}
jobs=${2:-2}
version=$(dpkg-parsechangelog -S Version)
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
src="$out/src/vpdn-$version"

rm -rf "$out"
mkdir -p "$src"
# The tree without its build products and VCS data (.git is a file in a
# worktree).
tar -cf - --exclude=./build --exclude=./.git --exclude=./compile_commands.json . |
    tar -xf - -C "$src"
(cd "$src" && dpkg-buildpackage -b -us -uc -j"$jobs") >"$out/build.log" 2>&1 || {
	tail -30 "$out/build.log" >&2
	echo "build-deb: dpkg-buildpackage failed (log: $out/build.log)" >&2
	exit 1
}
deb="$out/src/vpdn_${version}_$arch.deb"
[ -f "$deb" ] || { echo "build-deb: no $deb" >&2; exit 1; }
mv "$out"/src/*.deb "$out"/src/*.buildinfo "$out"/src/*.changes "$out"/ 2>/dev/null || true
# Overrides (debian/vpdn.lintian-overrides) are installed in the package,
# so lintian reads them from it; whatever is left is a finding.
if ! lintian --fail-on error,warning --tag-display-limit 0 \
    "$out/vpdn_${version}_$arch.deb" >"$out/lintian.log" 2>&1; then
	cat "$out/lintian.log" >&2
	echo "build-deb: lintian findings (log: $out/lintian.log)" >&2
	exit 1
fi
echo "build-deb: $out/vpdn_${version}_$arch.deb (lintian clean)"
