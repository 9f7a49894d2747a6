#!/bin/sh
# run-fuzz.sh BUILD_DIR SECONDS TARGET... — runs each libFuzzer target for
# SECONDS over BUILD_DIR/corpus/<t> (scratch, where new inputs go) seeded
# with the committed tests/fuzz/corpus/<t>; crashes are written to
# BUILD_DIR/crashes/<t>/.  Targets run $(nproc) at a time.  Prints one line
# per target (execs, execs/s, corpus size, result); with FUZZ_RECORD set,
# appends "$FUZZ_RECORD PASSED FAILED" to ${VPDN_RESULTS:-/tmp/vpdn-results}.
dir=$1 secs=$2
shift 2
jobs=$(nproc 2>/dev/null || echo 1)
here=$(cd "$(dirname "$0")" && pwd)

run_one() {
	t=$1
	mkdir -p "$dir/corpus/$t" "$dir/crashes/$t" "$here/corpus/$t"
	"$dir/$t" -max_total_time="$secs" -print_final_stats=1 \
	    -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
	    -artifact_prefix="$dir/crashes/$t/" \
	    "$dir/corpus/$t" "$here/corpus/$t" > "$dir/$t.log" 2>&1
	echo $? > "$dir/$t.rc"
}

i=0
for t in "$@"; do
	run_one "$t" &
	i=$((i + 1))
	[ $((i % jobs)) -eq 0 ] && wait
done
wait

passed=0 failed=0
for t in "$@"; do
	log=$dir/$t.log
	rc=$(cat "$dir/$t.rc" 2>/dev/null || echo 1)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	cov=$(grep -ao 'cov: [0-9]*' "$log" | tail -1)
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1)); res=ok
	else
		failed=$((failed + 1)); res="CRASH (rc $rc)"
	fi
	printf '%-16s %10s execs %8s/s  %-10s %s\n' "$t" "${execs:-?}" \
	    "${rate:-?}" "${cov:-}" "$res"
	if [ "$rc" -ne 0 ]; then
		grep -aE 'ERROR|SUMMARY|invariant|runtime error|Test unit written' \
		    "$log" | head -20
	fi
done
[ -n "$FUZZ_RECORD" ] &&
	echo "$FUZZ_RECORD $passed $failed" >> "${VPDN_RESULTS:-/tmp/vpdn-results}"
[ $failed -eq 0 ]
