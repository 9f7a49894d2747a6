#!/bin/sh
# Prints the totals of every suite of this run and, last, the one closing
# line CI reads: "N passed, N failed".  Exits 1 if anything failed or no
# suite reported at all.
f="${VPDN_RESULTS:-/tmp/vpdn-results}"
[ -s "$f" ] || { echo "no suite reported results"; echo "0 passed, 1 failed"; exit 1; }
echo "---- totals by suite"
awk '{p[$1] += $2; x[$1] += $3} END {for (s in p) printf "%-12s %6d passed, %d failed\n", s, p[s], x[s]}' "$f" | sort
awk '{p += $2; x += $3} END {printf "%d passed, %d failed\n", p, x; exit x > 0}' "$f"
