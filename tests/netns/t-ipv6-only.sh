#!/bin/bash
# IPv6-only and IPv4-only sessions end to end (issue 15), through the LNS
# directly and through the LAC, beside a vpdnd LNS with IPv6 on.  An
# IPv6-only caller (`ipv4 = no`) never opens IPCP and protocol-rejects the
# LNS's; the LNS keeps the session up on IPv6CP alone and gives the IPv4
# address it had set aside back to the pool.  An IPv4-only caller (no
# `ipv6`) protocol-rejects IPv6CP and keeps IPCP.  Each sends ping/ping6 and
# a TCP transfer (sha256 compared) to the LNS's side; `show pool`, `show
# sessions` and `show clients` read right; the captures (L2TP between the
# clients and the LNS, between the LAC and the LNS) hold the
# Protocol-Rejects and dissect without expert warnings.
#
#   pc-a eth0 --+-- br0 (lac) 10.218.1.1 ==== 10.218.1.2 (lns) 10.218.2.1 ==== 10.218.2.2 cl
#   pc-b eth0 --+
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-lac.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
require_cmds tshark ping python3
setup_trap

LAC_MAC=02:00:00:00:0a:c7
LAC=10.218.1.1 LNS=10.218.1.2 LNS_CL=10.218.2.1 CL=10.218.2.2
TARGET6=2001:db8:ffff::1 TARGET4=10.218.9.1
XFER_BYTES=1000000

for n in lac lns pc-a pc-b cl; do
	create_ns $n || exit 1
done
lac_pppoe_lan $LAC_MAC pc-a pc-b || exit 1
connect_ns lac $LAC lns $LNS || exit 1
connect_ns cl $CL lns $LNS_CL || exit 1
in_ns lns ip -6 addr add $TARGET6/128 dev lo || exit 1
in_ns lns ip addr add $TARGET4/32 dev lo || exit 1

# pc-a: IPv6-only through the LAC; pc-b: IPv4-only through the LAC; cl's
# v6o and v4o: the same straight to the LNS.
printf '%s\n' "a@corp.example pw-a" "b@corp.example pw-b" >"$TMPD/lns.users"
corp_users "$TMPD/lns.users" v6o v4o
{
	vpdnd_global_conf lns 0.0.0.0:1701 lns.test debug 1 2
	echo
	proxy_lns_section secret 10.9.18.1 10.9.18.10-10.9.18.50 \
	    "$TMPD/lns.users" vpdn-lns
	echo "ipv6-pool = 2001:db8:100::/48"
} >"$TMPD/lns.conf"
{
	vpdnd_global_conf lac 0.0.0.0:1701 lac.test debug 1 2
	echo
	pppoe_lac_section
	cat <<EOT

[realm corp.example]
lns = $LNS
tunnel-secret = secret
EOT
} >"$TMPD/lac.conf"
pppoe_pc_conf pc-a a@corp.example pw-a ppp-a $TARGET4/32 no >"$TMPD/pc-a.conf"
printf 'ipv6 = yes\nipv4 = no\n' >>"$TMPD/pc-a.conf"
pppoe_pc_conf pc-b b@corp.example pw-b ppp-b $TARGET4/32 no >"$TMPD/pc-b.conf"
corp_clients_conf cl $CL:1701 $LNS_CL secret v6o v4o >"$TMPD/cl.conf"
sed -i '/^\[client v6o\]/a ipv6 = yes\nipv4 = no\nroutes6 = 2001:db8:ffff::/48\nroutes = 10.218.9.0/24' \
    "$TMPD/cl.conf"
sed -i '/^\[client v4o\]/a routes = 10.218.9.0/24' "$TMPD/cl.conf"

CAP_LAC="$TMPD/lac-lns.pcap" CAP_CL="$TMPD/cl-lns.pcap"
start_capture lns "$(veth_name lac)" "$CAP_LAC" || log "capture did not start"
CAP_LAC_PID=$CAP_PID
start_capture lns "$(veth_name cl)" "$CAP_CL" || log "capture did not start"
CAP_CL_PID=$CAP_PID
case_begin
start_vpdnd lns lns "$TMPD/lns.conf" || exit 1
start_vpdnd lac lac "$TMPD/lac.conf" || exit 1
start_vpdnd pc-a pc-a "$TMPD/pc-a.conf"
start_vpdnd pc-b pc-b "$TMPD/pc-b.conf"
start_vpdnd cl cl "$TMPD/cl.conf"

# slaac NS DEV: the global address the kernel formed from the LNS's RA.
slaac()
{
	in_ns "$1" ip -6 -o addr show dev "$2" scope global 2>/dev/null |
	    awk '{ sub("/.*", "", $4); print $4; exit }'
}
has_slaac() { case "$(slaac "$1" "$2")" in 2001:db8:100:*) return 0 ;; esac; return 1; }

wait_for 30 has_slaac pc-a ppp-a
log_test "IPv6-only through the LAC: a SLAAC address from the RA" $?
[ -z "$(pc_addr pc-a ppp-a)" ]
log_test "IPv6-only through the LAC: no IPv4 address on the PC's TUN" $?
wait_for 30 has_slaac cl vpdn-v6o
log_test "IPv6-only to the LNS: a SLAAC address from the RA" $?
[ -z "$(pc_addr cl vpdn-v6o)" ]
log_test "IPv6-only to the LNS: no IPv4 address on the client's TUN" $?
wait_for 30 pc_up pc-b ppp-b
log_test "IPv4-only through the LAC: IPCP up" $?
wait_for 30 pc_up cl vpdn-v4o
log_test "IPv4-only to the LNS: IPCP up" $?

vpdnctl_in lns lns show sessions --json | python3 -c '
import json, sys
s = {x["user"]: x for x in json.load(sys.stdin)["sessions"]}
for u in ("a@corp.example", "v6o@corp.example"):
    assert s[u]["ppp_phase"] == "network", s[u]
    assert s[u]["address"] == "", s[u]
    assert s[u]["ipv6_prefix"].startswith("2001:db8:100:"), s[u]
for u in ("b@corp.example", "v4o@corp.example"):
    assert s[u]["ppp_phase"] == "network", s[u]
    assert s[u]["address"].startswith("10.9.18."), s[u]
    assert s[u]["ipv6_prefix"] == "", s[u]
'
log_test "show sessions: IPv6-only sessions without an address, IPv4-only ones without a /64" $?
vpdnctl_in lns lns show pool --json | python3 -c '
import json, sys
p = json.load(sys.stdin)
assert [x["used"] for x in p["pools"]] == [2], p["pools"]
assert sorted(x["user"] for x in p["leases"]) == ["b@corp.example", "v4o@corp.example"], p["leases"]
assert p["ipv6_pools"][0]["used"] == 2, p["ipv6_pools"]
'
log_test "show pool: two IPv4 leases (the IPv4-only sessions) and two /64s" $?
vpdnctl_in cl cl show clients --json | python3 -c '
import json, sys
c = {x["name"]: x for x in json.load(sys.stdin)["clients"]}
assert c["v6o"]["state"] == "up" and c["v6o"]["address"] == "", c["v6o"]
assert c["v6o"]["ipv6_prefix"].startswith("2001:db8:100:"), c["v6o"]
assert c["v4o"]["address"].startswith("10.9.18.") and c["v4o"]["ipv6_prefix"] == "", c["v4o"]
'
log_test "show clients: the IPv6-only call has a prefix and no address" $?

in_ns pc-a ping -6 -c 3 -W 2 $TARGET6 >/dev/null
log_test "ping6 from the IPv6-only PC through the LAC" $?
in_ns cl ping -6 -c 3 -W 2 $TARGET6 >/dev/null
log_test "ping6 from the IPv6-only client to the LNS's side" $?
in_ns pc-b ping -c 3 -W 2 $TARGET4 >/dev/null
log_test "ping from the IPv4-only PC through the LAC" $?
in_ns cl ping -c 3 -W 2 -I vpdn-v4o $TARGET4 >/dev/null
log_test "ping from the IPv4-only client to the LNS's side" $?

# Outside the captures: a full TCP window is a tshark note on any bulk
# transfer, not a dissection problem.
sleep 0.5
stop_pid "$CAP_LAC_PID" INT 5
stop_pid "$CAP_CL_PID" INT 5
xfer pc-a lns $TARGET6 5018 lac6
log_test "TCP over IPv6 from the IPv6-only PC through the LAC ($XFER_BYTES bytes, sha256)" $?
xfer cl lns $TARGET6 5019 cl6
log_test "TCP over IPv6 from the IPv6-only client ($XFER_BYTES bytes, sha256)" $?
xfer pc-b lns $TARGET4 5020 lac4
log_test "TCP over IPv4 from the IPv4-only PC through the LAC ($XFER_BYTES bytes, sha256)" $?
xfer cl lns $TARGET4 5021 cl4
log_test "TCP over IPv4 from the IPv4-only client ($XFER_BYTES bytes, sha256)" $?
case_end lns lac pc-a pc-b cl

# LCP Protocol-Reject (code 8) of IPCP (0x8021) and of IPv6CP (0x8057).
tmatch "$CAP_CL" "ip.src == $CL && lcp.rej_proto == 0x8021"
log_test "the IPv6-only client protocol-rejects the LNS's IPCP" $?
tmatch "$CAP_CL" "ip.src == $CL && lcp.rej_proto == 0x8057"
log_test "the IPv4-only client protocol-rejects the LNS's IPv6CP" $?
tmatch "$CAP_LAC" "ip.src == $LAC && lcp.rej_proto == 0x8021" &&
    tmatch "$CAP_LAC" "ip.src == $LAC && lcp.rej_proto == 0x8057"
log_test "through the LAC, the PCs' Protocol-Rejects of IPCP and IPv6CP reach the LNS" $?
[ "$(tshark -n -r "$CAP_CL" -Y ipv6cp 2>/dev/null | wc -l)" -gt 0 ] &&
    [ "$(tshark -n -r "$CAP_CL" -Y icmpv6 2>/dev/null | wc -l)" -gt 0 ]
log_test "the client capture holds IPv6CP and ICMPv6" $?
expert_clean "$CAP_CL" $LNS_CL && expert_clean "$CAP_CL" $CL
log_test "the client-LNS capture dissects with no expert warning" $?
expert_clean "$CAP_LAC" $LNS && expert_clean "$CAP_LAC" $LAC
log_test "the LAC-LNS capture dissects with no expert warning" $?
finish
