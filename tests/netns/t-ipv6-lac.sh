#!/bin/bash
# IPv6 through the LAC (issue 15): PCs dial a vpdnd LAC with PPPoE, which
# carries their sessions over L2TP to a vpdnd LNS with an ipv6-pool.  The
# LAC relays IPv6CP and IPv6 like any PPP traffic once it handed the call
# over: the dual-stack PC's kernel forms its SLAAC address from the LNS's
# RA and pings and transfers over IPv6 and IPv4; the PC without IPv6 stays
# IPv4-only.  The L2TP capture between LAC and LNS holds IPv6CP and ICMPv6
# and dissects without expert warnings.
#
#   pc-a eth0 --+-- br0 (lac) 10.216.1.1 ==== 10.216.1.2 lns
#   pc-b eth0 --+
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-lac.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
require_cmds tshark ping
setup_trap

LAC_MAC=02:00:00:00:0a:c6
LAC=10.216.1.1 LNS=10.216.1.2
TARGET6=2001:db8:ffff::1 TARGET4=10.216.9.1
XFER_BYTES=1000000

for n in lac lns pc-a pc-b; do
	create_ns $n || exit 1
done
lac_pppoe_lan $LAC_MAC pc-a pc-b || exit 1
connect_ns lac $LAC lns $LNS || exit 1
in_ns lns ip -6 addr add $TARGET6/128 dev lo || exit 1
in_ns lns ip addr add $TARGET4/32 dev lo || exit 1
ip -n "$(ns lns)" link set lo up

printf '%s\n' "a@corp.example pw-a" "b@corp.example pw-b" >"$TMPD/lns.users"
{
	vpdnd_global_conf lns $LNS:1701 lns.test debug 1 2
	echo
	proxy_lns_section secret 10.9.16.1 10.9.16.10-10.9.16.50 \
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
echo "ipv6 = yes" >>"$TMPD/pc-a.conf"
pppoe_pc_conf pc-b b@corp.example pw-b ppp-b $TARGET4/32 no >"$TMPD/pc-b.conf"

CAP="$TMPD/lac-lns.pcap"
start_capture lac "$(veth_name lns)" "$CAP" || log "capture did not start"
case_begin
start_vpdnd lns lns "$TMPD/lns.conf" || exit 1
start_vpdnd lac lac "$TMPD/lac.conf" || exit 1
start_vpdnd pc-a pc-a "$TMPD/pc-a.conf"
start_vpdnd pc-b pc-b "$TMPD/pc-b.conf"

slaac_addr()
{
	in_ns pc-a ip -6 -o addr show dev ppp-a scope global 2>/dev/null |
	    awk '{ sub("/.*", "", $4); print $4; exit }'
}
has_slaac() { case "$(slaac_addr)" in 2001:db8:100:*) return 0 ;; esac; return 1; }
wait_for 30 pc_up pc-a ppp-a && wait_for 20 has_slaac
log_test "dual-stack through the LAC: IPCP up and a SLAAC address from the RA" $?
wait_for 30 pc_up pc-b ppp-b
log_test "IPv4-only through the LAC: the PC without IPv6 is up" $?

in_ns pc-a ping -6 -c 3 -W 2 $TARGET6 >/dev/null
log_test "ping6 through PPPoE, the LAC and L2TP to the LNS" $?
in_ns pc-a ping -c 3 -W 2 $TARGET4 >/dev/null
log_test "ping (IPv4) from the dual-stack PC" $?
in_ns pc-b ping -c 3 -W 2 $TARGET4 >/dev/null
log_test "ping (IPv4) from the IPv4-only PC" $?

vpdnctl_in lns lns show sessions --json | python3 -c '
import json, sys
s = {x["user"]: x for x in json.load(sys.stdin)["sessions"]}
assert s["a@corp.example"]["ipv6_prefix"].startswith("2001:db8:100:"), s
assert s["b@corp.example"]["ipv6_prefix"] == "", s
'
log_test "the LNS shows the /64 for the dual-stack session only" $?

stop_capture
xfer pc-a lns $TARGET6 5016 lac6
log_test "a TCP transfer over IPv6 through the LAC ($XFER_BYTES bytes)" $?
# The transfer's acknowledgements alone are a hundred frames and more: the
# IPv6 went through the LAC's programs, both ways, although this LAC has
# IPv4 forwarding off on its PPPoE side (it needs none, vpdn.conf(5),
# dataplane).  The transfer ends on the LNS host itself, which the LNS's
# programs leave to the stack: there only the path is checked.
kpath_check lac lac lac6 100
kpath_check lns lns lac6 0
if dp_kernel; then
	! grep -q "IPv4 forwarding is off" "$TMPD/lac.log"
	log_test "lac6: the LAC has no forwarding warning (it needs no forwarding)" $?
fi
case_end lns lac pc-a pc-b

[ "$(tshark -n -r "$CAP" -Y ipv6cp 2>/dev/null | wc -l)" -gt 0 ] &&
    [ "$(tshark -n -r "$CAP" -Y icmpv6 2>/dev/null | wc -l)" -gt 0 ]
log_test "the L2TP capture holds IPv6CP and ICMPv6" $?
expert_clean "$CAP" $LAC
log_test "what the LAC relayed dissects with no expert warning" $?
expert_clean "$CAP" $LNS
log_test "what the LNS sent dissects with no expert warning" $?
finish
