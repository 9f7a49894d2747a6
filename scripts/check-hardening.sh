#!/bin/sh
# check-hardening.sh BINARY... — verifies that release binaries carry the
# hardening of mk/flags.mk, reading the ELF with readelf (binutils):
#   PIE       ELF type DYN                         (-fPIE -pie)
#   RELRO     a GNU_RELRO program header           (-Wl,-z,relro)
#   BIND_NOW  BIND_NOW or FLAGS_1 NOW in .dynamic  (-Wl,-z,now)
#   SSP       __stack_chk_fail referenced          (-fstack-protector-strong)
#   FORTIFY   at least one __*_chk symbol          (-D_FORTIFY_SOURCE=2, -O2)
# Prints one line per missing property naming it; exits 1 if any is missing.
set -u
READELF=${READELF:-readelf}
if ! command -v "$READELF" >/dev/null 2>&1; then
	echo "check-hardening: $READELF not found (apt-get install binutils)" >&2
	exit 2
fi
if [ $# -eq 0 ]; then
	echo "usage: $0 BINARY..." >&2
	exit 2
fi
rc=0
missing() {
	echo "check-hardening: $1: missing $2" >&2
	rc=1
}
for bin in "$@"; do
	if ! hdr=$("$READELF" -h "$bin" 2>/dev/null); then
		echo "check-hardening: $bin: not an ELF file" >&2
		rc=1
		continue
	fi
	n=$rc
	rc=0
	echo "$hdr" | grep -Eq 'Type:[[:space:]]+DYN' ||
		missing "$bin" "PIE (ELF type is not DYN; build with -fPIE -pie)"
	"$READELF" -lW "$bin" | grep -q 'GNU_RELRO' ||
		missing "$bin" "RELRO (no GNU_RELRO segment; link with -Wl,-z,relro)"
	"$READELF" -dW "$bin" |
	    grep -Eq '\(BIND_NOW\)|\(FLAGS\).*BIND_NOW|\(FLAGS_1\).*NOW' ||
		missing "$bin" "BIND_NOW (no BIND_NOW or FLAGS_1 NOW; link with -Wl,-z,now)"
	syms=$("$READELF" --dyn-syms -W "$bin")
	echo "$syms" | grep -q '__stack_chk_fail' ||
		missing "$bin" "stack protector (__stack_chk_fail not referenced; -fstack-protector-strong)"
	echo "$syms" | grep -Eq '__[a-z0-9_]+_chk(@|[[:space:]]|$)' ||
		missing "$bin" "FORTIFY (no __*_chk symbol; -D_FORTIFY_SOURCE=2 with -O2)"
	[ $rc -eq 0 ] && echo "check-hardening: $bin: PIE, RELRO, BIND_NOW, stack protector, FORTIFY"
	[ $n -ne 0 ] && rc=1
done
exit $rc
