#!/bin/bash
# Runs every tests/netns/t-*.sh against the binaries in build directory $1
# (VPDND=$1/vpdnd VPDNCTL=$1/vpdnctl), prints one line per scenario with its
# duration, and exits non-zero if any scenario failed.  Each scenario appends
# "netns PASSED FAILED" to $VPDN_RESULTS for tests/summary.sh.
set -u
# run.sh BUILD_DIR [--valgrind] [SCENARIO...]: with --valgrind, vpdnd runs
# under tools/vg-vpdnd; with scenario names, only those run.  With
# VPDN_TEST_DATAPLANE=kernel in the environment every vpdnd runs with that
# `dataplane` (lib.sh: dp_conf) and the run reports as "[kernel]".
if [ $# -lt 1 ] || [ ! -d "$1" ]; then
	echo "usage: $0 BUILD_DIR [--valgrind] [t-NAME.sh...]" >&2
	exit 2
fi
if [ "$(id -u)" != 0 ]; then
	echo "netns tests need root (ip netns)" >&2
	echo "netns 0 1" >>"${VPDN_RESULTS:-/tmp/vpdn-results}"
	exit 1
fi
build=$(cd "$1" && pwd)
shift
export VPDND="$build/vpdnd" VPDNCTL="$build/vpdnctl"
export VPDN_RESULTS="${VPDN_RESULTS:-/tmp/vpdn-results}"
# Namespaces of this run are named vnt<runpid>x<scriptpid>-NAME.
export VPDN_NETNS_TAG="vnt$$x"
here=$(cd "$(dirname "$0")" && pwd)
if [ "${1:-}" = --valgrind ]; then
	shift
	export VPDND_REAL="$VPDND" VPDND="$here/tools/vg-vpdnd"
fi
scenarios=""
for t in "$@"; do
	scenarios="$scenarios $here/$t"
done
[ -n "$scenarios" ] || scenarios=$(ls "$here"/t-*.sh)
failed_scripts=0
for t in $scenarios; do
	[ -e "$t" ] || continue
	start=$(date +%s)
	"$t"
	rc=$?
	echo "# $(basename "$t")${VPDN_TEST_DATAPLANE:+ [$VPDN_TEST_DATAPLANE]}: exit $rc in $(($(date +%s) - start)) s"
	if [ $rc -ne 0 ]; then
		failed_scripts=$((failed_scripts + 1))
	fi
done
# Every scenario must remove what it created, even when it failed.
left=$(ip netns list 2>/dev/null | grep -c "^$VPDN_NETNS_TAG")
if [ "$left" -ne 0 ]; then
	echo "FAIL - netns: $left namespaces left behind:" >&2
	ip netns list | grep "^$VPDN_NETNS_TAG" >&2
	echo "netns${VPDN_TEST_DATAPLANE:+-$VPDN_TEST_DATAPLANE} 0 1" >>"$VPDN_RESULTS"
	failed_scripts=$((failed_scripts + 1))
fi
echo "netns${VPDN_TEST_DATAPLANE:+ [$VPDN_TEST_DATAPLANE]}: $failed_scripts scenario(s) failed"
[ $failed_scripts -eq 0 ]
