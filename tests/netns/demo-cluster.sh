#!/bin/bash
# make demo-cluster: t-cluster.sh with more users, its narration shown: at
# each step the sessions per LNS and the SQL pool's leases, as the daemons
# and SQL give them and as Prometheus sees them ("== ..." lines), the failover time after kill -9 of an LNS and after a LAC
# restart ("# failover: ...", "# LAC restart: ..."), and every check.
build=${1:-build/debug}
here=$(cd "$(dirname "$0")" && pwd)
export VPDND="$(cd "$build" && pwd)/vpdnd" VPDNCTL="$(cd "$build" && pwd)/vpdnctl"
export CLUSTER_USERS=${CLUSTER_USERS:-30}
export VPDN_RESULTS=${VPDN_RESULTS:-$(mktemp /tmp/vpdn-demo-cluster.XXXXXX)}
echo "demo-cluster: $CLUSTER_USERS PPPoE users, 2 LACs, 3 LNSes, FreeRADIUS on PostgreSQL with sqlippool, Prometheus"
exec "$here/t-cluster.sh"
