#!/bin/sh
# coverage-report.sh BUILD_DIR FOLDER... — line coverage of each src/FOLDER
# and of all of them together, from the gcov counters under BUILD_DIR.
# gcovr reads the .gcda/.gcno files itself and writes a per-file JSON
# summary; the per-folder sums are made here because gcovr 5 has no such
# report.  A source file compiled but never run counts with 0 lines hit.
set -e
dir=$1
shift
command -v gcovr >/dev/null 2>&1 || {
	echo "coverage: gcovr not found (scripts/install-deps.sh installs it)" >&2
	exit 1
}
json="$dir/coverage.json"
gcovr -r . --filter 'src/' --json-summary -o "$json" "$dir"
python3 - "$json" "$@" <<'PY'
import json, sys
files = json.load(open(sys.argv[1]))["files"]
total = [0, 0]
print("%-16s %7s %7s %7s" % ("folder", "lines", "hit", "cover"))
for d in sys.argv[2:]:
    n = c = 0
    for f in files:
        if f["filename"].startswith("src/%s/" % d):
            n += f["line_total"]
            c += f["line_covered"]
    total[0] += n
    total[1] += c
    print("%-16s %7d %7d %6.1f%%" % ("src/" + d, n, c, 100.0 * c / n if n else 0))
n, c = total
print("%-16s %7d %7d %6.1f%%" % ("total", n, c, 100.0 * c / n if n else 0))
PY
