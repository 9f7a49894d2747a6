#!/bin/bash
# DHCPv6 prefix delegation (issue 15, RFC 8415 IA_PD): a vpdnd client dials
# a vpdnd LNS with a delegated-prefix-pool; on the client's TUN a DHCPv6
# client that is not ours (ISC dhclient -6 -P) obtains a /56 through the
# session from the LNS's per-session server.  The LNS shows it in `show
# sessions` and `show pool`, routes it to the session, lets packets sourced
# from it through to its side and drops (and counts) one from outside it.
# Then vpdnd's own client with `request-prefix = yes` and `lan-interface`
# gets a prefix the same way, numbers its LAN with the first /64 ::1, and a
# host on that LAN reaches the LNS's side through it, as behind a CPE.
# The capture shows DHCPv6 inside L2TP dissecting without expert warnings.
. "$(dirname "$0")/lib.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
require_cmds tshark ping dhclient
setup_trap

PC=10.200.16.2 LNS=10.200.16.1
TARGET6=2001:db8:ffff::1
create_ns pc || exit 1
create_ns lns || exit 1
create_ns home || exit 1
connect_ns pc $PC lns $LNS || exit 1
connect_ns pc 192.168.16.1 home 192.168.16.2 || exit 1
in_ns lns ip -6 addr add $TARGET6/128 dev lo || exit 1

corp_users "$TMPD/users" v6
vpdnd_global_conf lns $LNS:1701 lns.test debug 1 2 >"$TMPD/lns.conf"
cat >>"$TMPD/lns.conf" <<EOT

[lns]
local-address = 10.9.16.1
pool = 10.9.16.10-10.9.16.20
users = $TMPD/users
ipv6-pool = 2001:db8:100::/48
dns6 = 2001:db8::53
delegated-prefix-pool = 2001:db8:200::/40
delegated-prefix-length = 56
EOT
corp_clients_conf pc $PC:1701 $LNS "" v6 | grep -v '^tunnel-secret = $' \
    >"$TMPD/pc.conf"
sed -i '/^\[client v6\]/a ipv6 = yes\nroutes6 = 2001:db8:ffff::/48' "$TMPD/pc.conf"

CAP="$TMPD/pd.pcap"
start_capture lns "$(veth_name pc)" "$CAP" || log "capture did not start"

case_begin
start_vpdnd lns lns "$TMPD/lns.conf"
start_vpdnd pc pc "$TMPD/pc.conf"
PC_PID=$VPDND_PID

has_ll()
{
	in_ns pc ip -6 -o addr show dev vpdn-v6 scope link 2>/dev/null |
	    grep -q fe80::
}
wait_for 20 has_ll
log_test "the session's IPv6 is up (link-local address on vpdn-v6)" $?

# ISC dhclient refuses a TUN device ("Unsupported device type 65534"), so
# it runs on a veth pair in the client's namespace and tc joins that to the
# TUN for DHCPv6 alone: what dhclient sends to port 547 leaves by vpdn-v6
# (mirred pulls the Ethernet header), what comes back from the session to
# port 546 is taken in on dh0.  The messages are dhclient's, unchanged.
in_ns pc ip link add name dh0 type veth peer name dh1 || exit 1
in_ns pc sysctl -qw net.ipv6.conf.dh0.accept_dad=0
in_ns pc ip link set dh0 up
in_ns pc ip link set dh1 up
in_ns pc tc qdisc add dev dh1 clsact
in_ns pc tc qdisc add dev vpdn-v6 clsact
in_ns pc tc filter add dev dh1 ingress protocol ipv6 u32 match ip6 protocol 17 0xff \
    match ip6 dport 547 0xffff action mirred egress redirect dev vpdn-v6
in_ns pc tc filter add dev vpdn-v6 ingress protocol ipv6 u32 match ip6 protocol 17 0xff \
    match ip6 dport 546 0xffff action mirred ingress redirect dev dh0
log_test "tc joins a veth for dhclient to the client's TUN" $?
LEASES="$TMPD/dhclient6.leases"
: >"$LEASES"
start_bg pc "$TMPD/dhclient.log" dhclient -6 -P -d -v -1 -lf "$LEASES" \
    -pf "$TMPD/dhclient.pid" -sf /bin/true dh0
DH_PID=$BG_PID
has_lease() { grep -q 'iaprefix 2001:db8:2' "$LEASES" 2>/dev/null; }
wait_for 30 has_lease
log_test "dhclient -6 -P obtains a delegated prefix over the session" $?
DPFX=$(grep -o 'iaprefix [0-9a-f:]*/[0-9]*' "$LEASES" | tail -1 | cut -d' ' -f2)
tail -n 5 "$TMPD/dhclient.log" | sed 's/^/#   /'

SESS=$(vpdnctl_in lns lns show sessions --json)
printf '%s' "$SESS" | python3 -c '
import ipaddress, json, sys
s = [x for x in json.load(sys.stdin)["sessions"] if x["user"] == "v6@corp.example"][0]
d = ipaddress.ip_network(s["delegated_prefix"])
assert d == ipaddress.ip_network(sys.argv[1]), (s, sys.argv)
assert d.prefixlen == 56 and d.subnet_of(ipaddress.ip_network("2001:db8:200::/40")), d
' "$DPFX"
log_test "show sessions --json: delegated_prefix is the lease's ($DPFX)" $?
vpdnctl_in lns lns show sessions | awk -v p="$DPFX" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == "DELEGATED") c = i; next }
    c && $c == p { r = 1 }
    END { exit !(c && r) }'
log_test "show sessions (table): the DELEGATED column shows it" $?
vpdnctl_in lns lns show pool --json | python3 -c '
import json, sys
p = json.load(sys.stdin)["delegated_pools"]
assert p == [{"prefix": "2001:db8:200::/40", "length": 56, "size": 65536, "used": 1}], p
'
log_test "show pool: the delegated-prefix-pool with one /56 in use" $?
in_ns lns ip -6 route show "$DPFX" | grep -q "dev vpdn0"
log_test "the LNS routes the delegated prefix to the subscribers' device" $?

# A host of the delegated prefix (as a CPE's LAN would number it).
HOST6=$(python3 -c 'import ipaddress,sys; print(ipaddress.ip_network(sys.argv[1])[1])' "$DPFX")
in_ns pc ip -6 addr add "$HOST6/128" dev lo
in_ns pc ping -6 -c 3 -W 2 -I "$HOST6" $TARGET6 >/dev/null
log_test "a packet from the delegated prefix ($HOST6) reaches the LNS's side" $?
in_ns pc ip -6 addr del "$HOST6/128" dev lo
SPOOF0=$(vpdnctl_in lns lns show stats --json | python3 -c '
import json, sys; print(json.load(sys.stdin)["ipv6"]["spoofed"])')
in_ns pc ip -6 addr add 2001:db8:2ff::1/128 dev lo
in_ns pc ping -6 -c 2 -W 1 -I 2001:db8:2ff::1 $TARGET6 >/dev/null 2>&1
[ $? -ne 0 ]
log_test "a packet from another /56 of the pool does not get through" $?
in_ns pc ip -6 addr del 2001:db8:2ff::1/128 dev lo
vpdnctl_in lns lns show stats --json | python3 -c '
import json, sys
v = json.load(sys.stdin)["ipv6"]
assert v["spoofed"] >= int(sys.argv[1]) + 2, v
assert v["dhcpv6-rx"] >= 2 and v["dhcpv6-tx"] >= 2, v
assert v["pd-pool-used"] == 1 and v["pd-pool-size"] == 65536, v
' "$SPOOF0"
log_test "show stats: spoofed counted; DHCPv6 messages and pool use" $?

stop_pid "$DH_PID" TERM 5
# The client hangs up: the delegation ends with the session.
stop_pid "$PC_PID" TERM 10
pool_free()
{
	vpdnctl_in lns lns show pool --json | python3 -c '
import json, sys
sys.exit(json.load(sys.stdin)["delegated_pools"][0]["used"] != 0)'
}
wait_for 10 pool_free
log_test "the session's end gives the /56 back" $?
grep -q "delegation of $DPFX ended" "$TMPD/lns.log" &&
    ! in_ns lns ip -6 route show "$DPFX" | grep -q .
log_test "... and takes its route away" $?
case_end lns pc

# ---- our client: request-prefix = yes, lan-interface ----
sed '/^\[client v6\]/a request-prefix = yes\nlan-interface = '"$(veth_name home)" \
    "$TMPD/pc.conf" >"$TMPD/pc-pd.conf"
# A CPE forwards; its TUN still takes the LNS's RAs.
in_ns pc sysctl -qw net.ipv6.conf.all.forwarding=1
in_ns pc sysctl -qw net.ipv6.conf.default.accept_ra=2
case_begin
start_vpdnd pc pc "$TMPD/pc-pd.conf"
PC_PID=$VPDND_PID
client_pd()
{
	vpdnctl_in pc pc show clients --json | python3 -c '
import json, sys
c = json.load(sys.stdin)["clients"][0]
sys.exit(c["delegated_prefix"] == "")'
}
wait_for 30 client_pd
log_test "request-prefix: our client is delegated a prefix" $?
CPFX=$(vpdnctl_in pc pc show clients --json | python3 -c '
import json, sys; print(json.load(sys.stdin)["clients"][0]["delegated_prefix"])')
vpdnctl_in lns lns show sessions --json | python3 -c '
import json, sys
s = json.load(sys.stdin)["sessions"]
assert [x["delegated_prefix"] for x in s] == [sys.argv[1]], s
' "$CPFX"
log_test "show clients and the LNS's show sessions agree ($CPFX)" $?
vpdnctl_in pc pc show clients | awk -v p="$CPFX" '
    NR == 1 && $NF == "DELEGATED" { h = 1 } NR == 2 && $NF == p { r = 1 }
    END { exit !(h && r) }'
log_test "show clients (table): the DELEGATED column shows it" $?
LAN1=$(python3 -c 'import ipaddress,sys; n=ipaddress.ip_network(sys.argv[1]); print(n.network_address + 1)' "$CPFX")
LAN2=$(python3 -c 'import ipaddress,sys; n=ipaddress.ip_network(sys.argv[1]); print(n.network_address + 2)' "$CPFX")
in_ns pc ip -6 addr show dev "$(veth_name home)" | grep -q "inet6 $LAN1/64"
log_test "lan-interface: $LAN1/64 on the LAN device" $?
in_ns home ip -6 addr add "$LAN2/64" dev "$(veth_name pc)" nodad
in_ns home ip -6 route add default via "$LAN1"
in_ns home ping -6 -c 3 -W 2 $TARGET6 >/dev/null
log_test "a LAN host ($LAN2) pings the LNS's side through the client" $?
stop_pid "$PC_PID" TERM 10
wait_for 10 pool_free
log_test "our client's end returns the prefix to the LNS's pool" $?
grep -q "delegation of $CPFX ended" "$TMPD/lns.log"
log_test "... after the Release or the session's end" $?
! in_ns pc ip -6 addr show dev "$(veth_name home)" | grep -q "inet6 $LAN1/64"
log_test "the LAN address went with the prefix" $?
case_end lns pc

stop_capture
[ "$(tshark -n -r "$CAP" -Y dhcpv6 2>/dev/null | wc -l)" -ge 4 ]
log_test "the capture holds DHCPv6 inside L2TP" $?
[ "$(tshark -n -r "$CAP" -Y 'dhcpv6.msgtype == 7 && dhcpv6.iaprefix.pref_addr' 2>/dev/null | wc -l)" -ge 1 ]
log_test "the capture holds a Reply with the IA Prefix" $?
expert_clean "$CAP" $LNS
log_test "what the LNS sent dissects with no expert warning" $?
expert_clean "$CAP" $PC
log_test "what the client sent dissects with no expert warning" $?
finish
