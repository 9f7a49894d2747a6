#!/bin/sh
# Prints the one closing line CI reads: "N passed, N failed" over all suites.
f="${VPDN_RESULTS:-/tmp/vpdn-results}"
[ -f "$f" ] || { echo "0 passed, 1 failed"; exit 1; }
awk '{p += $2; x += $3} END {printf "%d passed, %d failed\n", p, x}' "$f"
rm -f "$f"
