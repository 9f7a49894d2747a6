#!/bin/bash
# make demo: the VPDN chain (PC -> PPPoE -> LAC -> L2TP -> LNS) in network
# namespaces.  Two PCs dial one LAC with PPPoE; both users are called alice,
# one of corp-a.example and one of corp-b.example, so the LAC sends each
# over L2TP to her own enterprise's LNS, which gives her an address from its
# own pool and routes her into its intranet:
#
#   pc-a eth0 --+                      10.210.1.1 ==== 10.210.1.2 lns-a 10.210.11.1 ==== 10.210.11.2 intra-a
#               +-- br0 (lac, PPPoE)        vpdn-a, pool 10.9.1.10-50
#   pc-b eth0 --+                      10.210.2.1 ==== 10.210.2.2 lns-b 10.210.12.1 ==== 10.210.12.2 intra-b
#                                           vpdn-b, pool 10.9.2.10-50
#
# The PCs are vpdnd in its client role over PPPoE (pppd cannot run here).
# Prints the LAC's tunnels and sessions and both LNSes' session tables, pings
# each intranet from its PC, hangs both PCs up (SIGTERM: PADT) and shows the
# LAC's tunnels gone (tunnel-idle-timeout = 0).
BUILD=${1:-build/debug}
VPDND=$(realpath "$BUILD/vpdnd")
VPDNCTL=$(realpath "$BUILD/vpdnctl")
export VPDN_RESULTS=/dev/null	# the demo is not a test suite
. "$(dirname "$0")/lib.sh"
setup_trap
TOOLS="$NETNS_DIR/tools"

say()
{
	printf '\n=== %s\n' "$*"
}

fail()
{
	local f
	echo "$*; logs:"
	for f in lac lns-a lns-b pc-a pc-b; do
		[ -f "$TMPD/$f.log" ] || continue
		echo "---- $f.log"
		tail -40 "$TMPD/$f.log"
	done
	exit 1
}

for n in lac lns-a lns-b intra-a intra-b pc-a pc-b; do
	create_ns $n || exit 1
	in_ns $n sysctl -qw net.ipv4.ip_forward=1
done
ip -n "$(ns lac)" link add br0 type bridge || exit 1
ip -n "$(ns lac)" link set br0 up
for pc in pc-a pc-b; do
	ip -n "$(ns lac)" link add "p-$pc" type veth peer name eth0 netns "$(ns $pc)" || exit 1
	ip -n "$(ns lac)" link set "p-$pc" master br0 up
	ip -n "$(ns $pc)" link set eth0 up
done
connect_ns lac 10.210.1.1 lns-a 10.210.1.2
connect_ns lac 10.210.2.1 lns-b 10.210.2.2
connect_ns lns-a 10.210.11.1 intra-a 10.210.11.2
connect_ns lns-b 10.210.12.1 intra-b 10.210.12.2
ip -n "$(ns intra-a)" route add 10.9.1.0/24 via 10.210.11.1
ip -n "$(ns intra-b)" route add 10.9.2.0/24 via 10.210.12.1
echo "alice@corp-a.example  alice-a-password" >"$TMPD/lns-a.users"
echo "alice@corp-b.example  alice-b-password" >"$TMPD/lns-b.users"

# lns_conf NAME ADDR SECRET NET (10.9.NET.0/24)
lns_conf()
{
	cat <<CONF
[global]
listen = $2:1701
hostname = $1.demo
control-socket = $TMPD/$1.sock
hello-interval = 10

[lns]
tunnel-secret = $3
local-address = 10.9.$4.1
pool = 10.9.$4.10-10.9.$4.50
auth = chap-md5, pap
users = $TMPD/$1.users
accept-proxy-auth = yes
interface = vpdn-${1#lns-}
CONF
}
lns_conf lns-a 10.210.1.2 secret-a 1 >"$TMPD/lns-a.conf"
lns_conf lns-b 10.210.2.2 secret-b 2 >"$TMPD/lns-b.conf"

cat >"$TMPD/lac.conf" <<CONF
[global]
hostname = lac.demo
control-socket = $TMPD/lac.sock
hello-interval = 10

[lac]
pppoe-interface = br0
ac-name = demo-lac
service-name = internet
auth = chap-md5
tunnel-idle-timeout = 0

[realm corp-a.example]
lns = 10.210.1.2
tunnel-secret = secret-a

[realm corp-b.example]
lns = 10.210.2.2
tunnel-secret = secret-b
CONF

# pc_conf NAME REALM PASSWORD INTRANET
pc_conf()
{
	cat <<CONF
[global]
listen = 127.0.0.1:1701
hostname = $1.demo
control-socket = $TMPD/$1.sock

[client isp]
pppoe-interface = eth0
user = alice@$2
password = $3
auth = chap-md5, pap
interface = ppp0
routes = $4
redial = no
CONF
}
pc_conf pc-a corp-a.example alice-a-password 10.210.11.0/24 >"$TMPD/pc-a.conf"
pc_conf pc-b corp-b.example alice-b-password 10.210.12.0/24 >"$TMPD/pc-b.conf"

say "starting LNS A (corp-a.example) and LNS B (corp-b.example)"
start_vpdnd lns-a lns-a "$TMPD/lns-a.conf" || fail "LNS A did not start"
start_vpdnd lns-b lns-b "$TMPD/lns-b.conf" || fail "LNS B did not start"
say "starting the LAC: PPPoE on br0, realms corp-a.example and corp-b.example"
start_vpdnd lac lac "$TMPD/lac.conf" || fail "the LAC did not start"
say "PC A dials as alice@corp-a.example, PC B as alice@corp-b.example (PPPoE)"
start_vpdnd pc-a pc-a "$TMPD/pc-a.conf" || fail "PC A did not start"
PCA_PID=$VPDND_PID
start_vpdnd pc-b pc-b "$TMPD/pc-b.conf" || fail "PC B did not start"
PCB_PID=$VPDND_PID

# network_up PC: IPCP gave the PC's TUN an address (a PPPoE call is no L2TP
# session, so the PC's own `show sessions` does not list it).
network_up()
{
	ip -n "$(ns "$1")" -4 -o addr show dev ppp0 2>/dev/null | grep -q " inet "
}
wait_for 30 network_up pc-a || fail "PC A's session did not come up"
wait_for 30 network_up pc-b || fail "PC B's session did not come up"

say "LAC: vpdnctl show tunnels (one per LNS)"
vpdnctl_in lac lac show tunnels
say "LAC: vpdnctl show sessions"
vpdnctl_in lac lac show sessions
say "LNS A: vpdnctl show sessions"
vpdnctl_in lns-a lns-a show sessions
say "LNS B: vpdnctl show sessions"
vpdnctl_in lns-b lns-b show sessions
say "PC A: ip addr show ppp0 (from corp-a's pool)"
in_ns pc-a ip -brief addr show ppp0
say "PC B: ip addr show ppp0 (from corp-b's pool)"
in_ns pc-b ip -brief addr show ppp0
say "PC A: ping intranet A's host 10.210.11.2"
in_ns pc-a python3 "$TOOLS/ping.py" -c 3 -i 0.3 10.210.11.2
echo "ping exit status: $?"
say "PC B: ping intranet B's host 10.210.12.2"
in_ns pc-b python3 "$TOOLS/ping.py" -c 3 -i 0.3 10.210.12.2
echo "ping exit status: $?"

say "hanging up: SIGTERM to both PCs (each sends PADT)"
stop_pid "$PCA_PID" TERM 10
echo "PC A exited with status $?"
stop_pid "$PCB_PID" TERM 10
echo "PC B exited with status $?"
wait_for 10 vpdnd_none_live lac lac tunnels
say "LAC: vpdnctl show tunnels (after the hang-up: both torn down)"
vpdnctl_in lac lac show tunnels
say "LAC: vpdnctl show sessions (after the hang-up)"
vpdnctl_in lac lac show sessions
say "LAC log"
cat "$TMPD/lac.log"
FINISHED=1
