#!/bin/bash
# IPv6 for subscribers (issue 15): a vpdnd client dials a vpdnd LNS with
# `ipv6 = yes`; IPv6CP opens beside IPCP, the LNS's Router Advertisement
# gives the client's kernel its SLAAC address in the session's /64 (from
# ipv6-pool) and a default route, and ping6 and a TCP transfer reach the
# LNS's side.  A source outside the /64 is dropped and counted.  A second
# client without IPv6 rejects IPv6CP and keeps IPv4 (IPv4-only session).
# The capture shows IPv6CP and ICMPv6 inside L2TP, dissecting without
# expert warnings.  With `dataplane = kernel` (when the programs load) the
# dual-stack session is in the fast path for IPv4 and IPv6: ping6 and TCP
# between the client and an intranet host behind the LNS (2001:db8:fe::2,
# reached through `fastpath-ingress`) pass without crossing vpdnd (the
# session's packet counters grow, the LNS TUN's do not), RAs keep coming
# from vpdnd, and a spoofed source is still dropped and counted by vpdnd,
# to which the programs pass it.  (IPv6-only sessions are in t-ipv6-only.sh,
# the NCP rules in detail in tests/unit/test_roles_lns_ipv6.c.)
. "$(dirname "$0")/lib.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
require_cmds tshark ping
setup_trap

PC=10.200.15.2 LNS=10.200.15.1
TARGET6=2001:db8:ffff::1
XFER_BYTES=2000000
create_ns pc || exit 1
create_ns lns || exit 1
connect_ns pc $PC lns $LNS || exit 1
# The LNS's side of the network: one address the subscribers reach.
in_ns lns ip -6 addr add $TARGET6/128 dev lo || exit 1

corp_users "$TMPD/users" v6 v4
vpdnd_global_conf lns $LNS:1701 lns.test debug 1 2 >"$TMPD/lns.conf"
cat >>"$TMPD/lns.conf" <<EOT

[lns]
local-address = 10.9.15.1
pool = 10.9.15.10-10.9.15.20
users = $TMPD/users
ipv6-pool = 2001:db8:100::/48
dns6 = 2001:db8::53
EOT
corp_clients_conf pc $PC:1701 $LNS "" v6 v4 | grep -v '^tunnel-secret = $' \
    >"$TMPD/pc.conf"
# [client v6] asks for IPv6; [client v4] does not.
sed -i '/^\[client v6\]/a ipv6 = yes\nroutes6 = 2001:db8:ffff::/48' "$TMPD/pc.conf"

CAP="$TMPD/ipv6.pcap"
start_capture lns "$(veth_name pc)" "$CAP" || log "capture did not start"

case_begin
start_vpdnd lns lns "$TMPD/lns.conf"
LNS_PID=$VPDND_PID
start_vpdnd pc pc "$TMPD/pc.conf"
PC_PID=$VPDND_PID

slaac_addr()
{
	in_ns pc ip -6 -o addr show dev vpdn-v6 scope global 2>/dev/null |
	    awk '{ sub("/.*", "", $4); print $4; exit }'
}
has_slaac() { case "$(slaac_addr)" in 2001:db8:100:*) return 0 ;; esac; return 1; }
wait_for 20 has_slaac
log_test "the client's kernel forms a SLAAC address from the LNS's RA" $?
ADDR6=$(slaac_addr)

in_ns pc ip -6 route show default | grep -q "dev vpdn-v6"
log_test "the RA's router lifetime gives the client a default route" $?
in_ns pc ip -6 route show 2001:db8:ffff::/48 | grep -q "dev vpdn-v6"
log_test "routes6: 2001:db8:ffff::/48 into the tunnel" $?

SESS=$(vpdnctl_in lns lns show sessions --json)
PFX=$(printf '%s' "$SESS" | python3 -c '
import json, sys
for s in json.load(sys.stdin)["sessions"]:
    if s["user"] == "v6@corp.example":
        print(s["ipv6_prefix"])')
python3 -c '
import ipaddress, sys
assert ipaddress.ip_address(sys.argv[1]) in ipaddress.ip_network(sys.argv[2]), sys.argv
assert ipaddress.ip_network(sys.argv[2]).subnet_of(ipaddress.ip_network("2001:db8:100::/48"))
' "$ADDR6" "$PFX"
log_test "show sessions: the session's /64 ($PFX) holds the address $ADDR6" $?
vpdnctl_in lns lns show sessions | awk -v p="$PFX" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == "IPV6-PREFIX") c = i; next }
    c && $c == p { r = 1 }
    END { exit !(c && r) }'
log_test "show sessions (table): the IPV6-PREFIX column shows it" $?

printf '%s' "$SESS" | python3 -c '
import json, sys
s = {x["user"]: x for x in json.load(sys.stdin)["sessions"]}
v4 = s["v4@corp.example"]
assert v4["ppp_phase"] == "network" and v4["ipv6_prefix"] == "", v4
'
log_test "the client without IPv6 keeps an IPv4-only session" $?

in_ns pc ping -c 2 -W 2 -I vpdn-v4 10.9.15.1 >/dev/null
log_test "IPv4 works on the IPv4-only session" $?

in_ns pc ping -6 -c 3 -W 2 $TARGET6 >/dev/null
log_test "ping6 from the SLAAC address to the LNS's side" $?

vpdnctl_in pc pc show clients --json | python3 -c '
import json, sys
c = {x["name"]: x for x in json.load(sys.stdin)["clients"]}
assert c["v6"]["ipv6_prefix"] == sys.argv[1], c["v6"]
assert c["v6"]["ipv6_link_local"].startswith("fe80::"), c["v6"]
assert c["v4"]["ipv6_prefix"] == "", c["v4"]
' "$PFX"
log_test "show clients: the RA's prefix and the link-local address" $?

vpdnctl_in lns lns show pool --json | python3 -c '
import json, sys
p = json.load(sys.stdin)["ipv6_pools"]
assert p == [{"prefix": "2001:db8:100::/48", "size": 65536, "used": 1}], p
'
log_test "show pool: the ipv6-pool with one /64 in use" $?

# A source outside the session's /64: dropped by the LNS and counted.
in_ns pc ip -6 addr add 2001:db8:dead::1/128 dev vpdn-v6 nodad
in_ns pc ping -6 -c 2 -W 1 -I 2001:db8:dead::1 $TARGET6 >/dev/null 2>&1
[ $? -ne 0 ]
log_test "a packet from outside the /64 does not get through" $?
# Gone again: source address selection would prefer it (RFC 6724 rule 8).
in_ns pc ip -6 addr del 2001:db8:dead::1/128 dev vpdn-v6
vpdnctl_in lns lns show stats --json | python3 -c '
import json, sys
v = json.load(sys.stdin)["ipv6"]
assert v["spoofed"] >= 2 and v["rx-packets"] > 0 and v["tx-packets"] > 0, v
assert v["ra"] >= 1 and v["pool-used"] == 1, v
'
log_test "show stats: the spoofed packets counted, IPv6 both ways" $?

# Outside the capture: a full TCP window is a tshark note on any bulk
# transfer, not a dissection problem.
stop_capture
xfer pc lns $TARGET6 5015 tcp6
log_test "a TCP transfer over IPv6 end to end ($XFER_BYTES bytes)" $?
case_end lns pc

# ---- dataplane = kernel: IPv4 and IPv6 in the fast path ----
INTRA6=2001:db8:fe::2 LNS_IN6=2001:db8:fe::1 L_TUN=vpdn-l6

# tun_pkts: "RX TX" packets of the LNS's TUN: what vpdnd wrote into the
# kernel and what the kernel routed to vpdnd.
tun_pkts()
{
	in_ns lns cat /sys/class/net/$L_TUN/statistics/rx_packets \
	    /sys/class/net/$L_TUN/statistics/tx_packets | tr '\n' ' '
}

# v6_pkts: "RX TX" of the dual-stack session (both paths together).
v6_pkts()
{
	vpdnctl_in lns lns-k show sessions --json | python3 -c '
import json, sys
s = {x["user"]: x for x in json.load(sys.stdin)["sessions"]}["v6@corp.example"]
print(s["rx_packets"], s["tx_packets"])'
}

v6_spoofed()
{
	vpdnctl_in lns lns-k show stats --json | python3 -c '
import json, sys
print(json.load(sys.stdin)["ipv6"]["spoofed"])'
}

kernel_case()
{
	local conf="$TMPD/lns-k.conf" in_if
	# An intranet behind the LNS (before vpdnd starts: the fast path
	# forwards only through interfaces present then).
	create_ns intra || return 1
	connect_ns lns 10.200.16.1 intra 10.200.16.2 || return 1
	in_if=$(veth_name intra)
	# The LNS routes: IPv6 to the intranet, and IPv4 (the programs'
	# outer lookups towards the client, as the kernel's forwarding).
	router_sysctls lns
	in_ns lns sysctl -qw net.ipv6.conf.all.forwarding=1
	in_ns lns ip -6 addr add $LNS_IN6/64 dev "$in_if" nodad
	in_ns intra ip -6 addr add $INTRA6/64 dev "$(veth_name lns)" nodad
	in_ns intra ip -6 route add 2001:db8:100::/48 via $LNS_IN6
	sed -e "s/^\[lns\]\$/dataplane = kernel\nfastpath-ingress = $in_if\n\n[lns]\ninterface = $L_TUN/" \
	    -e "s|$TMPD/lns.sock|$TMPD/lns-k.sock|" "$TMPD/lns.conf" >"$conf"
	stop_pid "$LNS_PID" TERM 10
	stop_pid "$PC_PID" TERM 10
	if ! start_vpdnd lns lns-k "$conf" >/dev/null 2>&1; then
		cat "$TMPD/lns-k.check" "$TMPD/lns-k.log" | tail -n 5 | sed "s/^/#   /"
		log "skip: dataplane = kernel does not start here" \
		    "($(grep -o "dataplane = kernel: .*" "$TMPD/lns-k.log" | head -1))"
		return 0
	fi
	LNS_PID=$VPDND_PID
	start_vpdnd pc pc "$TMPD/pc.conf"
	PC_PID=$VPDND_PID
	wait_for 20 has_slaac
	log_test "kernel: SLAAC address from the RA with dataplane = kernel" $?
	vpdnctl_in lns lns-k show sessions --json | python3 -c '
import json, sys
s = {x["user"]: x for x in json.load(sys.stdin)["sessions"]}
assert s["v6@corp.example"]["path"] == "kernel", s
assert s["v6@corp.example"]["ipv6_prefix"] != "", s
'
	log_test "kernel: the dual-stack session is in the fast path" $?
	in_ns pc ping -6 -c 3 -W 2 $TARGET6 >/dev/null
	log_test "kernel: ping6 to the LNS itself (the user path's)" $?
	# Neighbours resolved on every hop first: until then the programs
	# leave packets to the stack, as they should.
	in_ns pc ping -6 -c 3 -i 0.2 -W 2 $INTRA6 >/dev/null 2>&1
	in_ns intra ping -6 -c 3 -i 0.2 -W 2 "$(slaac_addr)" >/dev/null 2>&1
	sleep 0.5
	read -r t_rx0 t_tx0 <<<"$(tun_pkts)"
	read -r s_rx0 s_tx0 <<<"$(v6_pkts)"
	in_ns pc ping -6 -c 20 -i 0.05 -W 2 $INTRA6 >/dev/null
	log_test "kernel: 20 ping6 from the client to the intranet host" $?
	in_ns intra ping -6 -c 20 -i 0.05 -W 2 "$(slaac_addr)" >/dev/null
	log_test "kernel: 20 ping6 from the intranet host to the client" $?
	read -r t_rx1 t_tx1 <<<"$(tun_pkts)"
	read -r s_rx1 s_tx1 <<<"$(v6_pkts)"
	log "session rx/tx $s_rx0/$s_tx0 -> $s_rx1/$s_tx1, TUN rx/tx $t_rx0/$t_tx0 -> $t_rx1/$t_tx1"
	[ $((s_rx1 - s_rx0)) -ge 40 ] && [ $((s_tx1 - s_tx0)) -ge 40 ]
	log_test "kernel: the session counted the 80 IPv6 packets" $?
	[ $((t_rx1 - t_rx0)) -lt 5 ] && [ $((t_tx1 - t_tx0)) -lt 5 ]
	log_test "kernel: they did not cross vpdnd (the TUN's counters stayed)" $?
	xfer pc intra $INTRA6 5016 tcp6k
	log_test "kernel: TCP over IPv6 client -> intranet ($XFER_BYTES bytes)" $?
	xfer intra pc "$(slaac_addr)" 5017 tcp6k2
	log_test "kernel: TCP over IPv6 intranet -> client ($XFER_BYTES bytes)" $?
	# Over the session's MTU (the TUN's): the programs leave it to the
	# stack, whose route into the TUN answers Packet Too Big (RFC 4443
	# §3.2) and the sender learns the path MTU (RFC 8201).
	mtu=$(in_ns intra python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, 23, 2)   # IPV6_MTU_DISCOVER = IPV6_PMTUDISC_DO
s.connect((sys.argv[1], 9))
mtu = 1500
for _ in range(20):
    try:
        s.send(b"x" * 1452)
    except OSError:
        pass
    time.sleep(0.1)
    mtu = s.getsockopt(socket.IPPROTO_IPV6, 24)  # IPV6_MTU
    if mtu < 1500:
        break
print(mtu)
sys.exit(0 if mtu < 1500 else 1)' "$(slaac_addr)")
	log_test "kernel: 1500-byte IPv6 towards the user gets Packet Too Big (PMTU $mtu)" $?
	sp0=$(v6_spoofed)
	in_ns pc ip -6 addr add 2001:db8:dead::1/128 dev vpdn-v6 nodad
	in_ns pc ping -6 -c 3 -W 1 -I 2001:db8:dead::1 $INTRA6 >/dev/null 2>&1
	[ $? -ne 0 ]
	log_test "kernel: a spoofed source does not get through" $?
	in_ns pc ip -6 addr del 2001:db8:dead::1/128 dev vpdn-v6
	[ "$(v6_spoofed)" -ge $((sp0 + 3)) ]
	log_test "kernel: vpdnd counted the spoofed packets the programs passed up" $?
	in_ns pc ping -c 3 -W 2 -I vpdn-v6 10.9.15.1 >/dev/null
	log_test "kernel: IPv4 still works on the same session" $?
	case_end lns-k pc
}
kernel_case

[ "$(tshark -n -r "$CAP" -Y ipv6cp 2>/dev/null | wc -l)" -gt 0 ]
log_test "the capture holds IPv6CP inside L2TP" $?
[ "$(tshark -n -r "$CAP" -Y 'icmpv6.type == 134' 2>/dev/null | wc -l)" -gt 0 ]
log_test "the capture holds the LNS's Router Advertisements inside L2TP" $?
expert_clean "$CAP" $LNS
log_test "what the LNS sent dissects with no expert warning" $?
expert_clean "$CAP" $PC
log_test "what the client sent dissects with no expert warning" $?
finish
