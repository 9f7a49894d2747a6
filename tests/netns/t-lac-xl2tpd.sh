#!/bin/bash
# Interop: vpdnd as LAC (a PC dials it with PPPoE) against xl2tpd as LNS,
# for the control plane.  xl2tpd's pppd is the sleeping
# stand-in (this machine has no /dev/ppp), so the PC never gets past IPCP;
# what is checked is L2TP: the tunnel (with Challenge/Response) and the
# session come up on both sides, the LAC's ICRQ carries a Calling Number and
# its ICCN the proxy LCP and proxy authentication AVPs (RFC 2661 §4.4.5,
# types 26-33) of the PPP the LAC did with the PC, the hang-up sends CDN
# and StopCCN (tunnel-idle-timeout = 0), and every message the LAC sent
# dissects without an expert warning.
#
#   pc eth0 ==veth== br0 (lac) 10.230.1.1 ==veth== 10.230.1.2 lns (xl2tpd)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-lac.sh"
require_cmds xl2tpd tshark
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
setup_trap

LAC_ADDR=10.230.1.1 LNS_ADDR=10.230.1.2 SECRET=xl-s3cret

create_ns pc || exit 1
create_ns lac || exit 1
create_ns lns || exit 1
lac_pppoe_lan 02:00:00:00:0a:c2 pc || exit 1
connect_ns lac $LAC_ADDR lns $LNS_ADDR || exit 1

# sent_avp_types TYPE: the AVP types of every message of TYPE that the LAC sent,
# one a line.
sent_avp_types()
{
	tshark -n -r "$CAP" -Y "l2tp && ip.src == $LAC_ADDR && l2tp.avp.message_type == $1" \
	    -T fields -e l2tp.avp.type 2>/dev/null | tr ',' '\n' | sort -un
}

cat >"$TMPD/lac.conf" <<EOT
$(vpdnd_global lac $LAC_ADDR vpdnd-lac)

$(pppoe_lac_section internet)

[realm corp.example]
lns = $LNS_ADDR
tunnel-secret = $SECRET
EOT
cat >"$TMPD/pc.conf" <<EOT
$(vpdnd_global_conf pc 127.0.0.1:1701 pc.test debug)

[client dial]
pppoe-interface = eth0
user = alice@corp.example
password = alice-pw
auth = chap-md5
interface = ppp-pc
default-route = no
redial = no
EOT
render "$XL2TPD_TPL/secrets.in" "$TMPD/secrets" SECRET=$SECRET
render "$XL2TPD_TPL/lns.conf.in" "$TMPD/xl2tpd.conf" LOCAL=$LNS_ADDR \
    SECRETS="$TMPD/secrets" HOSTNAME=xl2tpd-lns CHALLENGE=yes HIDDEN=no \
    PPPOPT="$XL2TPD_TPL/ppp-options"

case_begin
CAP="$TMPD/lac.pcap"
start_capture lac "$(veth_name lns)" "$CAP" || log "capture did not start"
start_xl2tpd lns xlns "$TMPD/xl2tpd.conf" "$TMPD/secrets"
XPID=$XL2TPD_PID
start_vpdnd lac lac "$TMPD/lac.conf"
log_test "LAC starts" $?
LAC_PID=$VPDND_PID
start_vpdnd pc pc "$TMPD/pc.conf"
log_test "PC starts and dials with PPPoE" $?
PC_PID=$VPDND_PID

wait_for 20 vpdnd_state_is lac lac tunnels 1 established
rc=$?
log_test "LAC: 1 established tunnel to xl2tpd" $rc
[ $rc -eq 0 ] && wait_for 10 vpdnd_state_is lac lac sessions 1 established
log_test "LAC: 1 established session" $?
wait_for 10 grep -q "Call established" "$TMPD/xlns.log"
log_test "xl2tpd reports the call established" $?
j=$(vpdnctl_in lac lac show tunnels --json 2>/dev/null)
[ "$(json_field "$j" tunnels 0 role 2>/dev/null)" = lac ] &&
    [ "$(json_field "$j" tunnels 0 peer_hostname 2>/dev/null)" = xl2tpd-lns ] &&
    [ "$(json_field "$j" tunnels 0 peer 2>/dev/null)" = "$LNS_ADDR:1701" ]
log_test "LAC show tunnels: role lac, peer $LNS_ADDR:1701, peer_hostname xl2tpd-lns" $?
j=$(vpdnctl_in lac lac show sessions --json 2>/dev/null)
[ "$(json_field "$j" sessions 0 role 2>/dev/null)" = lac ] &&
    [ "$(json_field "$j" sessions 0 user 2>/dev/null)" = alice@corp.example ]
log_test "LAC show sessions: role lac, user alice@corp.example" $?

# Hang-up: the PC's SIGTERM sends PADT; the LAC clears the call (CDN) and,
# its last session gone, the tunnel (StopCCN).
vpdnd_sane pc "$PC_PID"
log_test "PC hangs up (exit 0 on SIGTERM, no sanitizer report)" $?
wait_for 10 vpdnd_none_live lac lac sessions
log_test "LAC: session gone after the PADT" $?
wait_for 10 vpdnd_none_live lac lac tunnels
log_test "LAC: tunnel torn down after its last session" $?
wait_for 10 grep -q "Connection closed to $LAC_ADDR" "$TMPD/xlns.log"
log_test "xl2tpd sees the tunnel closed by the LAC" $?
vpdnd_sane lac "$LAC_PID"
log_test "LAC exits 0 on SIGTERM, no sanitizer report" $?
stop_pid "$XPID"
stop_capture

has_msg "$CAP" $LAC_ADDR 1 3 10 12 14 4
log_test "LAC sent SCCRQ, SCCCN, ICRQ, ICCN, CDN, StopCCN" $?
# RFC 2661 §5.1.1: our Challenge in SCCRQ, the response to xl2tpd's in SCCCN.
msg_has_avp "$CAP" $LAC_ADDR "$SECRET" SCCRQ 11 && msg_has_avp "$CAP" $LAC_ADDR "$SECRET" SCCCN 13
log_test "LAC: Challenge in SCCRQ, Challenge Response in SCCCN" $?
icrq=$(sent_avp_types 10)
echo "$icrq" | grep -qx 22
log_test "LAC: ICRQ carries Calling Number (AVP 22)" $?
iccn=$(sent_avp_types 12)
missing=""
# 24 Tx Connect Speed and 19 Framing Type are ICCN MUSTs (§6.13); 26-28
# proxy LCP, 29-33 proxy authentication (CHAP: type, name, challenge, ID,
# response).
for t in 19 24 26 27 28 29 30 31 32 33; do
	echo "$iccn" | grep -qx $t || missing="$missing $t"
done
[ -n "$iccn" ] && [ -z "$missing" ]
rc=$?
[ $rc -ne 0 ] && log "ICCN AVP types: $(echo $iccn); missing:$missing"
log_test "LAC: ICCN carries AVPs 19, 24 and proxy AVPs 26-33" $rc
tmatch "$CAP" "ip.src == $LAC_ADDR && l2tp.avp.message_type == 12 && l2tp.avp.proxy_authen_type == 2 && l2tp.avp.proxy_authen_name == \"alice@corp.example\""
log_test "LAC: Proxy Authen Type CHAP (2), Proxy Authen Name alice@corp.example" $?
expert_clean "$CAP" $LAC_ADDR
log_test "LAC's L2TP messages dissect with no expert warning" $?
case_end lac pc xlns
finish
