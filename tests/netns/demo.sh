#!/bin/bash
# make demo: a client (voluntary tunnelling) dials an LNS, which routes it
# into an intranet; three network namespaces:
#
#   pc 10.200.9.2 ==== 10.200.9.1 lns 10.200.8.1 ==== 10.200.8.2 intranet
#      vpdn-corp (TUN, pool address)  vpdn0 (TUN)
#
# Prints both daemons' tunnel and session tables and the LNS's pool, pings
# the intranet host through the tunnel, then hangs the client up and shows
# the LNS's tables empty again.
BUILD=${1:-build/debug}
VPDND=$(realpath "$BUILD/vpdnd")
VPDNCTL=$(realpath "$BUILD/vpdnctl")
export VPDN_RESULTS=/dev/null	# the demo is not a test suite
. "$(dirname "$0")/lib.sh"
setup_trap

say()
{
	printf '\n=== %s\n' "$*"
}

create_ns pc || exit 1
create_ns lns || exit 1
create_ns intranet || exit 1
connect_ns pc 10.200.9.2 lns 10.200.9.1
connect_ns lns 10.200.8.1 intranet 10.200.8.2
in_ns lns sysctl -qw net.ipv4.ip_forward=1
ip -n "$(ns intranet)" route add 10.9.0.0/24 via 10.200.8.1
echo "alice@corp.example  alice-password  *" >"$TMPD/users"

cat >"$TMPD/lns.conf" <<CONF
[global]
listen = 10.200.9.1:1701
hostname = lns.demo
control-socket = $TMPD/lns.sock
hello-interval = 10

[lns]
tunnel-secret = demo-secret
local-address = 10.9.0.1
pool = 10.9.0.10-10.9.0.250
dns = 10.9.0.53
auth = mschap-v2
users = $TMPD/users
CONF
cat >"$TMPD/pc.conf" <<CONF
[global]
listen = 10.200.9.2:1701
hostname = pc.demo
control-socket = $TMPD/pc.sock

[client corp]
lns = 10.200.9.1
user = alice@corp.example
password = alice-password
tunnel-secret = demo-secret
routes = 10.200.8.0/24
redial = no
CONF

say "starting the LNS in namespace $(ns lns) (10.200.9.1)"
start_vpdnd lns lns "$TMPD/lns.conf" || { cat "$TMPD/lns.log"; exit 1; }
say "starting the client in namespace $(ns pc) (10.200.9.2), dialling the LNS"
start_vpdnd pc pc "$TMPD/pc.conf" || { cat "$TMPD/pc.log"; exit 1; }
CLIENT_PID=$VPDND_PID

network_up()
{
	vpdnctl_in lns lns show sessions --json 2>/dev/null | grep -q '"ppp_phase":"network"'
}
if ! wait_for 20 network_up; then
	echo "the session did not come up; logs:"
	cat "$TMPD/lns.log" "$TMPD/pc.log"
	exit 1
fi

say "LNS: vpdnctl show tunnels"
vpdnctl_in lns lns show tunnels
say "LNS: vpdnctl show sessions"
vpdnctl_in lns lns show sessions
say "client: vpdnctl show tunnels"
vpdnctl_in pc pc show tunnels
say "client: vpdnctl show sessions --json"
vpdnctl_in pc pc show sessions --json
say "LNS: vpdnctl show pool"
vpdnctl_in lns lns show pool
say "client: ip addr show vpdn-corp"
in_ns pc ip -brief addr show vpdn-corp
say "client: ping the intranet host 10.200.8.2 through the tunnel"
in_ns pc ping -c 3 -i 0.3 10.200.8.2
echo "ping exit status: $?"

say "hanging up: SIGTERM to the client (it sends StopCCN)"
stop_pid "$CLIENT_PID" TERM 10
echo "client exited with status $?"
wait_for 10 vpdnd_state_is lns lns tunnels 0 x
say "LNS: vpdnctl show tunnels (after the hang-up)"
vpdnctl_in lns lns show tunnels
say "LNS log"
cat "$TMPD/lns.log"
FINISHED=1
