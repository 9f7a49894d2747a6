#!/bin/bash
# The LAC honours Tunnel-Medium-Type IPv6 (RFC 2868 §3.2, value 2): an
# Access-Accept whose tunnel has an IPv6 Tunnel-Server-Endpoint makes the
# LAC open its tunnel over IPv6 UDP (both daemons listen on [::]:1701,
# dual-stack), and the PPP call runs through it end to end.
#
#   pc-a eth0 -- br0 lac [freeradius 127.0.0.1] fd17::1 ==== fd17::2 lns
#
# Checks: alice reaches PPP phase network with an address from the LNS's
# pool; the LAC's tunnel peer and the LNS's tunnel peer are IPv6
# addresses; `show lns` lists the IPv6 LNS with one session; ping passes
# through the tunnel.  The L2TP capture between LAC and LNS holds the
# control connection, LCP, IPCP and the ICMP echoes, all over IPv6 UDP and
# none over IPv4, and what either end sent dissects with no expert warning.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-radius.sh"
. "$(dirname "$0")/lib-lac.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
command -v freeradius >/dev/null || skip_all "no freeradius"
require_cmds tshark
setup_trap

LAC_MAC=02:00:00:00:0a:c3
LAC4=10.217.1.1 LNS4=10.217.1.2 LAC6=fd17::1 LNS6=fd17::2
POOL_LO=10.9.17.10 POOL_HI=10.9.17.50
RADDB="$TMPD/raddb"
SECRET=testing123
TSECRET=tunnel-pw-v6

topology()
{
	local n
	for n in lac lns pc-a; do
		create_ns $n || return 1
	done
	lac_pppoe_lan $LAC_MAC pc-a || return 1
	# an IPv4 link too: only the IPv6 address is named by RADIUS
	connect_ns lac $LAC4 lns $LNS4 && connect_ns6 lac $LAC6 lns $LNS6
}

topology || exit 1
CAP="$TMPD/lac-lns.pcap"
start_capture lac "$(veth_name lns)" "$CAP" || log "capture did not start"
radius_raddb "$RADDB" "$SECRET" "$TMPD/detail" no <<EOT
alice@corp.example	Cleartext-Password := "alice-pw"
	Tunnel-Type:1 = L2TP,
	Tunnel-Medium-Type:1 = IPv6,
	Tunnel-Server-Endpoint:1 = "$LNS6",
	Tunnel-Password:1 = "$TSECRET"
EOT
echo "alice@corp.example  alice-pw" >"$TMPD/lns.users"
{
	vpdnd_global_conf lns "[::]:1701" lns.test debug 5
	echo
	proxy_lns_section "$TSECRET" 10.9.17.1 $POOL_LO-$POOL_HI \
	    "$TMPD/lns.users" vpdn-l6
} >"$TMPD/lns.conf"
{
	vpdnd_global_conf lac "[::]:1701" lac.test debug 5
	echo
	pppoe_lac_section
	cat <<EOT
radius = yes

[radius]
server = 127.0.0.1
secret = $SECRET
nas-identifier = lac-v6
EOT
} >"$TMPD/lac.conf"

start_freeradius lac "$RADDB"
log_test "FreeRADIUS starts on the LAC's loopback" $?
start_vpdnd lns lns "$TMPD/lns.conf"
log_test "LNS starts on [::]:1701" $?
LNS_PID=$VPDND_PID
start_vpdnd lac lac "$TMPD/lac.conf"
log_test "LAC starts on [::]:1701 (radius = yes)" $?
LAC_PID=$VPDND_PID

case_begin
pppoe_pc_conf pc-a alice@corp.example alice-pw ppp-x 10.9.17.1/32 no \
    >"$TMPD/pc-a.conf"
start_vpdnd pc-a pc-a "$TMPD/pc-a.conf"
PCA_PID=$VPDND_PID
wait_for 30 pc_up pc-a ppp-x
log_test "alice: PPP reaches phase network through the IPv6 LNS RADIUS named" $?
aa=$(pc_addr pc-a ppp-x)
in_range "$aa" $POOL_LO $POOL_HI
log_test "alice: PC has $aa from the LNS's pool" $?
j=$(show_json lac lac tunnels)
jtrue "$j" "len(d['tunnels']) == 1 and d['tunnels'][0]['peer'] == '[$LNS6]:1701' and d['tunnels'][0]['state'] == 'established'"
rc=$?
[ $rc -ne 0 ] && log "LAC tunnels: $j"
log_test "LAC: the tunnel runs over IPv6 UDP to [$LNS6]:1701" $rc
j=$(show_json lns lns tunnels)
jtrue "$j" "len(d['tunnels']) == 1 and d['tunnels'][0]['peer'].startswith('[$LAC6]:')"
rc=$?
[ $rc -ne 0 ] && log "LNS tunnels: $j"
log_test "LNS: the tunnel comes from [$LAC6]" $rc
jtrue "$(show_json lac lac lns)" "[(e['address'], e['realms'], e['sessions']) for e in d['lns']] == [('[$LNS6]:1701', 'RADIUS', 1)]"
log_test "LAC: show lns lists the IPv6 LNS (realm RADIUS, 1 session)" $?
in_ns pc-a ping -c 2 -i 0.2 -W 2 10.9.17.1 >/dev/null 2>&1
log_test "alice: ping through the tunnel" $?
vpdnd_sane pc-a "$PCA_PID"
log_test "alice hangs up" $?
wait_for 10 vpdnd_none_live lac lac tunnels
log_test "LAC: the tunnel is gone after the call" $?
stop_capture
tmatch "$CAP" "ipv6.src == $LAC6 && l2tp.type == 1" &&
    tmatch "$CAP" "ipv6.src == $LNS6 && l2tp.type == 1"
log_test "capture: the control connection runs over IPv6 UDP both ways" $?
tmatch "$CAP" "ipv6 && l2tp && lcp" && tmatch "$CAP" "ipv6 && l2tp && ipcp" &&
    tmatch "$CAP" "ipv6 && l2tp && icmp.type == 8" &&
    tmatch "$CAP" "ipv6 && l2tp && icmp.type == 0"
log_test "capture: LCP, IPCP and the ICMP echoes travel inside L2TP over IPv6" $?
tmatch "$CAP" "eth.type == 0x0800 && l2tp"
[ $? -eq 1 ]
log_test "capture: no L2TP over the IPv4 link" $?
expert_clean "$CAP" $LAC6
log_test "capture: what the LAC sent dissects with no expert warning" $?
expert_clean "$CAP" $LNS6
log_test "capture: what the LNS sent dissects with no expert warning" $?
case_end lac lns pc-a radius

vpdnd_sane lac "$LAC_PID"
log_test "LAC exits 0 on SIGTERM, no sanitizer report" $?
vpdnd_sane lns "$LNS_PID"
log_test "LNS exits 0 on SIGTERM, no sanitizer report" $?
finish
