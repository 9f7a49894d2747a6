#!/bin/bash
# Tunnel switching (multihop, roles/switch.c): the PC's PPPoE call goes to
# the LAC, which carries it over L2TP to the switch (a vpdnd with [switch]),
# which places it again towards the realm's LNS without running PPP; PPP
# runs end to end between the PC and the LNS.
#
#   pc eth0 -- br0 (lac) 10.211.1.1 ==== 10.211.1.2 sw 10.211.2.1 ==== 10.211.2.2 lns 10.211.3.1 ==== 10.211.3.2 intra
#
# Checks: the PC's call reaches the network phase with an address of the
# LNS's pool; ping to the intranet; the switch shows one switched call (two
# halves linked by switched_to), never starts PPP and sends no LCP frame of
# its own (every LCP frame it sends the LNS is one the LAC sent it, and
# back); its outgoing ICRQ/ICCN carry the LAC's Calling Number and proxy
# AVPs and dissect with no expert warning; a user of a realm the switch has
# no [realm] for is refused with CDN result 5; hang-up at the PC clears both
# halves (no session left on the LAC, the switch and the LNS).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-lac.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
command -v tshark >/dev/null || skip_all "tshark not installed"
command -v curl >/dev/null || skip_all "curl not installed"
setup_trap

TOOLS="$NETNS_DIR/tools"
LAC_MAC=02:00:00:00:0b:c0
LAC_A=10.211.1.1 SW_A=10.211.1.2 SW_B=10.211.2.1 LNS_B=10.211.2.2
LNS_IN=10.211.3.1 HOST=10.211.3.2
POOL_LO=10.9.7.10 POOL_HI=10.9.7.50

topology()
{
	local n
	for n in lac sw lns intra pc; do
		create_ns $n || return 1
		router_sysctls $n
	done
	lac_pppoe_lan $LAC_MAC pc || return 1
	connect_ns lac $LAC_A sw $SW_A || return 1
	connect_ns sw $SW_B lns $LNS_B || return 1
	connect_ns lns $LNS_IN intra $HOST || return 1
	ip -n "$(ns intra)" route add 10.9.7.0/24 via $LNS_IN
}

lac_conf()
{
	vpdnd_global_conf lac 0.0.0.0:1701 lac.test debug 1 2
	echo
	pppoe_lac_section internet
	cat <<EOT

# Both realms go to the switch; only corp.example goes further.
[realm corp.example]
lns = $SW_A
tunnel-secret = secret-1

[realm other.example]
lns = $SW_A
tunnel-secret = secret-1
EOT
}

sw_conf()
{
	vpdnd_global_conf sw 0.0.0.0:1701 switch.test debug 1 2
	cat <<EOT
metrics = 127.0.0.1:9711

# Tunnels from the LAC are accepted as an LNS accepts them; calls of the
# [realm]s are switched, others refused (local-sessions = no).
[lns]
tunnel-secret = secret-1
local-address = 10.9.8.1
pool = 10.9.8.10-10.9.8.20
auth = chap-md5
users = $TMPD/sw.users
interface = vpdn-sw

[lac]
auth = chap-md5
tunnel-idle-timeout = 0

[switch]
local-sessions = no

[realm corp.example]
lns = $LNS_B
tunnel-secret = secret-2
EOT
}

lns_conf()
{
	vpdnd_global_conf lns "$LNS_B:1701" lns.test debug 1 2
	echo
	proxy_lns_section secret-2 10.9.7.1 "$POOL_LO-$POOL_HI" "$TMPD/lns.users" vpdn-l
}

# sw_switched: the switch shows one switched call: two established
# sessions, each naming the other in switched_to.
sw_switched()
{
	local s0="d['sessions'][0]" s1="d['sessions'][1]"
	jtrue "$(show_json sw sw sessions)" "len(d['sessions']) == 2 and all(s['state'] == 'established' and s['ppp_phase'] == 'switched' for s in d['sessions']) and ${s0}['switched_to'] == {'tunnel_local_id': ${s1}['tunnel_local_id'], 'local_id': ${s1}['local_id']} and ${s1}['switched_to'] == {'tunnel_local_id': ${s0}['tunnel_local_id'], 'local_id': ${s0}['local_id']}"
}

# lcp_frames FILE SRC: "code id" of every LCP frame SRC sent in FILE, sorted.
lcp_frames()
{
	tshark -n -r "$1" -Y "l2tp && ip.src == $2 && lcp" -T fields \
	    -e ppp.code -e ppp.identifier 2>/dev/null | sort -u
}

# avp_field FILE SRC TYPE FIELD: FIELD of the first message TYPE from SRC.
avp_field()
{
	tshark -n -r "$1" -Y "l2tp && ip.src == $2 && l2tp.avp.message_type == $3" \
	    -T fields -e "$4" 2>/dev/null | head -1
}

topology || exit 1
echo "alice@corp.example  alice-pw" >"$TMPD/lns.users"
: >"$TMPD/sw.users"
lac_conf >"$TMPD/lac.conf"
sw_conf >"$TMPD/sw.conf"
lns_conf >"$TMPD/lns.conf"

start_vpdnd lns lns "$TMPD/lns.conf"
log_test "LNS starts" $?
LNS_PID=$VPDND_PID
start_vpdnd sw sw "$TMPD/sw.conf"
log_test "switch starts ([lns] + [lac] without PPPoE + [switch])" $?
SW_PID=$VPDND_PID
start_vpdnd lac lac "$TMPD/lac.conf"
log_test "LAC starts (PPPoE on br0)" $?
LAC_PID=$VPDND_PID

# --- the switched call --------------------------------------------------------
case_begin
start_capture sw "$(veth_name lac)" "$TMPD/sw-in.pcap" || log "capture (LAC side) did not start"
CAP_IN=$CAP_PID
start_capture sw "$(veth_name lns)" "$TMPD/sw-out.pcap" || log "capture (LNS side) did not start"
CAP_OUT=$CAP_PID
pppoe_pc_conf pc alice@corp.example alice-pw ppp-x 10.211.3.0/24 no >"$TMPD/pc.conf"
start_vpdnd pc pc "$TMPD/pc.conf"
PC_PID=$VPDND_PID
wait_for 30 pc_up pc ppp-x
up=$?
log_test "switched: the PC reaches PPP phase network" $up
a=$(pc_addr pc ppp-x)
in_range "$a" $POOL_LO $POOL_HI
log_test "switched: the PC has $a from the LNS's pool" $?
wait_for 5 vpdnd_all_network lns lns 1 &&
    jtrue "$(show_json lns lns sessions)" "d['sessions'][0]['user'] == 'alice@corp.example'"
log_test "switched: the LNS has alice@corp.example's session in the network phase" $?
wait_for 5 sw_switched
rc=$?
[ $rc -ne 0 ] && log "switch sessions: $(show_json sw sw sessions)"
log_test "switched: the switch shows one switched call, its halves linked (switched_to)" $rc
[ "$(live_count sw sw tunnels)" = 2 ]
log_test "switched: the switch has 2 tunnels (from the LAC, to the LNS)" $?
if [ $up = 0 ]; then
	run_cmd pc python3 "$TOOLS/ping.py" -c 3 -i 0.2 -W 2 $HOST
	log_test "switched: the PC pings the intranet ($HOST) through LAC, switch and LNS" $?
else
	log_test "switched: the PC pings the intranet (no session)" 1
fi
jtrue "$(show_json sw sw sessions)" "all(s['rx_packets'] >= 3 and s['tx_packets'] >= 3 for s in d['sessions'])"
log_test "switched: both halves on the switch counted the pings" $?
in_ns sw curl -s -f --max-time 5 http://127.0.0.1:9711/metrics 2>/dev/null >"$TMPD/sw.metrics"
grep -qx 'vpdn_switch_calls 1' "$TMPD/sw.metrics" &&
    grep -qx 'vpdn_switch_calls_total{result="connected"} 1' "$TMPD/sw.metrics"
log_test "switched: metrics: vpdn_switch_calls 1, one connected" $?
! grep -q -E "starting PPP|ppp[: ]" "$TMPD/sw.log"
log_test "switched: the switch never started PPP (no PPP/LCP line in its log)" $?

# --- refused realm ------------------------------------------------------------
echo "bob@other.example  bob-pw" >>"$TMPD/lns.users"
pppoe_pc_conf pc-bob bob@other.example bob-pw ppp-b 10.211.3.0/24 no >"$TMPD/pc-bob.conf"
# a second PC on the same LAN would need a second namespace; the LAC's
# own users are not checked (no users file): the call reaches the switch
create_ns pc2 && eth_link pc2
start_vpdnd pc2 pc-bob "$TMPD/pc-bob.conf"
PC2_PID=$VPDND_PID
wait_for 20 grep -q 'refusing "bob@other.example"' "$TMPD/sw.log"
log_test "refused: the switch refuses bob@other.example (no [realm] for it)" $?
stop_pid "$PC2_PID" TERM 5

# --- hang-up ------------------------------------------------------------------
vpdnd_sane pc "$PC_PID"
log_test "hang-up: the PC hangs up (exit 0 on SIGTERM, no sanitizer report)" $?
wait_for 10 vpdnd_none_live lac lac sessions
log_test "hang-up: the LAC has no session left" $?
wait_for 10 vpdnd_none_live sw sw sessions
log_test "hang-up: the switch has no session left (both halves cleared)" $?
wait_for 10 vpdnd_none_live lns lns sessions
log_test "hang-up: the LNS has no session left" $?
stop_pid "$CAP_OUT" INT 5
stop_pid "$CAP_IN" INT 5

# --- on the wire ----------------------------------------------------------------
expert_clean "$TMPD/sw-out.pcap" $SW_B
log_test "wire: the switch's messages to the LNS dissect with no expert warning" $?
has_msg "$TMPD/sw-out.pcap" $SW_B 10 12
log_test "wire: the switch sent the LNS ICRQ and ICCN" $?
cn_in=$(avp_field "$TMPD/sw-in.pcap" $LAC_A 10 l2tp.avp.calling_number)
cn_out=$(avp_field "$TMPD/sw-out.pcap" $SW_B 10 l2tp.avp.calling_number)
[ -n "$cn_in" ] && [ "$cn_in" = "$cn_out" ]
log_test "wire: the switch's ICRQ carries the LAC's Calling Number ($cn_in)" $?
# RFC 2661 §4.4.5: the opaque proxy AVPs are the LAC's, byte for byte
for f in l2tp.avp.initial_received_lcp_confreq l2tp.avp.last_sent_lcp_confreq \
    l2tp.avp.last_received_lcp_confreq l2tp.avp.proxy_authen_name \
    l2tp.avp.proxy_authen_challenge l2tp.avp.proxy_authen_response; do
	a=$(avp_field "$TMPD/sw-in.pcap" $LAC_A 12 $f)
	b=$(avp_field "$TMPD/sw-out.pcap" $SW_B 12 $f)
	[ -n "$a" ] && [ "$a" = "$b" ] || { log "$f: LAC sent '$a', switch '$b'"; false; } || break
done
log_test "wire: the switch's ICCN repeats the LAC's proxy AVPs byte for byte" $?
tmatch "$TMPD/sw-in.pcap" "ip.src == $SW_A && l2tp.avp.message_type == 14 && l2tp.result_code == 5"
log_test "wire: bob@other.example's call got CDN result 5 from the switch" $?
for t in 26 27 28 29 30 32 33; do
	msg_has_avp "$TMPD/sw-out.pcap" $SW_B "" 12 $t || { log "ICCN without AVP $t"; false; } || break
done
log_test "wire: the switch's ICCN carries the proxy LCP and authentication AVPs" $?
lcp_frames "$TMPD/sw-out.pcap" $SW_B >"$TMPD/lcp-sw-out"
lcp_frames "$TMPD/sw-in.pcap" $LAC_A >"$TMPD/lcp-lac"
lcp_frames "$TMPD/sw-in.pcap" $SW_A >"$TMPD/lcp-sw-in"
lcp_frames "$TMPD/sw-out.pcap" $LNS_B >"$TMPD/lcp-lns"
[ -s "$TMPD/lcp-sw-out" ] && [ -s "$TMPD/lcp-sw-in" ] &&
    [ -z "$(comm -23 "$TMPD/lcp-sw-out" "$TMPD/lcp-lac")" ] &&
    [ -z "$(comm -23 "$TMPD/lcp-sw-in" "$TMPD/lcp-lns")" ]
log_test "wire: every LCP frame the switch sent was relayed (none of its own)" $?
case_end lac sw lns pc

vpdnd_sane lac "$LAC_PID"
log_test "LAC exits 0 on SIGTERM, no sanitizer report" $?
vpdnd_sane sw "$SW_PID"
log_test "switch exits 0 on SIGTERM, no sanitizer report" $?
vpdnd_sane lns "$LNS_PID"
log_test "LNS exits 0 on SIGTERM, no sanitizer report" $?
finish
