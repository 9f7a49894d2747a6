#!/bin/bash
# make bench-cluster: the multi-box scenario (tests/netns/t-cluster.sh) at
# scale, on the release build: CLUSTER_USERS PPPoE users (100 unless
# given) over 2 LACs and 3 LNSes on FreeRADIUS with SQL and sqlippool.
# The users are the scenario's: one vpdnd with a PPPoE [client] per veth,
# all on one bridge; on 2 CPUs that emulation keeps up with 100 users and
# not with 1,000 (PPP times out in the establish phase), so 1,000 needs
# vpdn-bench's PPPoE generator in its place.
# Prints the setup rate through SQL-backed RADIUS, the failover time from
# kill -9 of the loaded LNS until every user is back with its distribution
# over the users that redialled, and the LAC restart time; the whole log
# goes to build/bench/cluster.log.  It measures; the scenario's own checks
# (no address twice, balanced accounting) still run and are reported.
set -u
bin=${BENCH_BIN:-build/bench}
here=$(cd "$(dirname "$0")" && pwd)
users=${CLUSTER_USERS:-100}
log="$bin/cluster.log"
export VPDND="$(cd "$bin" && pwd)/vpdnd" VPDNCTL="$(cd "$bin" && pwd)/vpdnctl"
export CLUSTER_USERS=$users CLUSTER_FAILOVER_BOUND=${CLUSTER_FAILOVER_BOUND:-120}
export VPDN_RESULTS=$(mktemp /tmp/vpdn-bench-cluster.XXXXXX)
"$here/../tests/netns/t-cluster.sh" >"$log" 2>&1
rc=$?
rm -f "$VPDN_RESULTS"
echo "cluster bench: $users users, 2 LACs, 3 LNSes ($(grep -m1 'SQL database' "$log" | sed 's/^# //'))"
grep -m1 "reach the network phase" "$log" | sed -E 's/.*\(([0-9.]+) s\).*/\1/' |
    awk -v n="$users" '{ printf "setup through SQL-backed RADIUS: %d users in %.1f s (%.0f sessions/s)\n", n, $1, n / $1 }'
grep -E "^# (failover|LAC restart):" "$log" | sed 's/^# //'
grep -E "^(ok|FAIL) " "$log" | awk '/^ok/ {p++} /^FAIL/ {f++; print} END {printf "scenario checks: %d passed, %d failed\n", p, f}'
exit $rc
