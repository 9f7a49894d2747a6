#!/bin/bash
# vpdnd against vpdnd: the client role (voluntary tunnelling) dialling the
# LNS role, in two namespaces over one veth link, IPv4 and IPv6.
#
# Cases: two [client] sections → two tunnels between the same two peers
# (RFC 2661 §3.1: IDs chosen by the receiver, several tunnels per peer pair),
# tunnel authentication with hidden AVPs, Hello on silence, administrative
# disconnect of a session → the client drops its tunnel, reload keeps the
# session, a wrong secret refused with StopCCN result 4, a dead peer
# detected by Hello + retransmission, SIGTERM closes every tunnel with StopCCN
# and exits 0, and the same over IPv6.
. "$(dirname "$0")/lib.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
setup_trap

PC4=10.200.2.2 LNS4=10.200.2.1
PC6=fd00:200:2::2 LNS6=fd00:200:2::1

create_ns_pair pc $PC4 lns $LNS4 || exit 1
connect_ns6 pc $PC6 lns $LNS6

# lns_conf NAME LISTEN SECRET: an LNS with Hello every second.
lns_conf()
{
	vpdnd_global_conf "$1" "$2" lns.test debug 1 2
	cat <<EOT

[lns]
tunnel-secret = $3
hide-avps = yes
local-address = 10.9.0.1
pool = 10.9.0.10-10.9.0.50
users = $TMPD/users
EOT
}

corp_users "$TMPD/users" alice bob carol dave eve

# stat_count NS NAME SECTION RESULT FIELD: `show stats --json` counter of a
# StopCCN/CDN result code (FIELD sent|rcvd), 0 if absent.
stat_count()
{
	vpdnctl_in "$1" "$2" show stats --json 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(sum(e[sys.argv[3]] for e in d[sys.argv[1]] if e["result"] == int(sys.argv[2])))' "$3" "$4" "$5"
}

# --- IPv4: two tunnels, auth + hidden AVPs, Hello, disconnect, reload -----
case_begin
lns_conf lns "$LNS4:1701" s3cret >"$TMPD/lns.conf"
corp_clients_conf pc "$PC4:1701" $LNS4 s3cret alice bob >"$TMPD/pc.conf"
start_capture lns "$(veth_name pc)" "$TMPD/v4.pcap"
start_vpdnd lns lns "$TMPD/lns.conf"
LNS_PID=$VPDND_PID
start_vpdnd pc pc "$TMPD/pc.conf"
PC_PID=$VPDND_PID

wait_for 15 vpdnd_state_is lns lns sessions 2 established
log_test "two client sessions established on the LNS" $?
j=$(vpdnctl_in lns lns show tunnels --json)
[ "$(json_count "$j" tunnels)" = 2 ] && json_all "$j" tunnels peer "$PC4:1701" &&
    json_all "$j" tunnels role lns && json_all "$j" tunnels state established
log_test "two tunnels between the same two peers, keyed by local ID" $?
a=$(json_field "$j" tunnels 0 local_id) b=$(json_field "$j" tunnels 1 local_id)
[ "$a" != "$b" ] && [ "$a" != 0 ] && [ "$b" != 0 ]
log_test "tunnel IDs are distinct and non-zero" $?
j=$(vpdnctl_in pc pc show sessions --json)
[ "$(json_count "$j" sessions)" = 2 ] && json_all "$j" sessions role client &&
    printf '%s' "$j" | grep -q '"user":"alice@corp.example"'
log_test "client shows its two sessions with their users" $?
wait_for 15 vpdnd_all_network lns lns 2
log_test "PPP reaches the network phase on both sessions" $?

sleep 2.5	# two Hello intervals of silence
SESS=$(json_field "$(vpdnctl_in lns lns show sessions --json)" sessions 0 local_id)
vpdnctl_in lns lns disconnect session "$SESS" >/dev/null
log_test "vpdnctl disconnect session answers OK" $?
wait_for 10 vpdnd_state_is pc pc tunnels 1 established
log_test "client drops the tunnel whose session was disconnected" $?
wait_for 10 vpdnd_state_is lns lns sessions 1 established
log_test "LNS keeps the other session" $?

kill -HUP "$LNS_PID"
sleep 1
j=$(vpdnctl_in lns lns show sessions --json)
[ "$(json_count "$j" sessions)" = 1 ] && json_all "$j" sessions state established
log_test "SIGHUP reload keeps the established session" $?
vpdnctl_in lns lns reload >/dev/null
log_test "vpdnctl reload answers OK" $?
echo "[global]" >"$TMPD/broken.conf"; echo "bogus-key = 1" >>"$TMPD/broken.conf"
cp "$TMPD/lns.conf" "$TMPD/lns.conf.good"
cp "$TMPD/broken.conf" "$TMPD/lns.conf"
out=$(vpdnctl_in lns lns reload 2>&1)
rc=$?
cp "$TMPD/lns.conf.good" "$TMPD/lns.conf"
[ $rc = 1 ] && echo "$out" | grep -q "lns.conf:2:" &&
    vpdnd_state_is lns lns sessions 1 established
log_test "a broken configuration is refused with FILE:LINE, sessions kept" $?

vpdnd_sane pc "$PC_PID"
log_test "client exits 0 on SIGTERM, no sanitizer report" $?
wait_for 10 vpdnd_none_live lns lns tunnels
log_test "SIGTERM of the client closed its tunnel on the LNS (StopCCN)" $?
stop_capture
has_msg "$TMPD/v4.pcap" $PC4 1 3 6 10 12 4 ZLB
log_test "client sent SCCRQ SCCCN HELLO ICRQ ICCN StopCCN ZLB" $?
has_msg "$TMPD/v4.pcap" $LNS4 2 6 11 14
log_test "LNS sent SCCRP HELLO ICRP CDN" $?
tmatch "$TMPD/v4.pcap" "ip.src == $LNS4 && l2tp.avp.hidden == 1"
log_test "LNS hid AVPs (hide-avps = yes)" $?
expert_clean "$TMPD/v4.pcap" $LNS4 && expert_clean "$TMPD/v4.pcap" $PC4
log_test "tshark: no expert warnings in either direction" $?
case_end lns pc

# --- wrong secret: StopCCN result 4 ----------------------------------------
case_begin
corp_clients_conf pc2 "$PC4:1701" $LNS4 wrong-secret eve >"$TMPD/pc2.conf"
start_vpdnd pc pc2 "$TMPD/pc2.conf"
PC_PID=$VPDND_PID
wait_for 10 test "$(stat_count pc pc2 stopccn 4 sent)" -ge 1
log_test "client refuses the LNS's wrong Challenge Response: StopCCN result 4" $?
wait_for 10 test "$(stat_count lns lns stopccn 4 rcvd)" -ge 1
log_test "LNS receives StopCCN result 4" $?
sleep 1
! vpdnctl_in lns lns show tunnels --json | grep -q '"state":"established"'
log_test "no tunnel established with a wrong secret" $?
vpdnd_sane pc2 "$PC_PID"
log_test "client exits cleanly" $?
case_end lns pc2

# --- dead peer: Hello unanswered → tunnel dropped ---------------------------
case_begin
corp_clients_conf pc3 "$PC4:1701" $LNS4 s3cret carol >"$TMPD/pc3.conf"
start_vpdnd pc pc3 "$TMPD/pc3.conf"
PC_PID=$VPDND_PID
wait_for 15 vpdnd_state_is lns lns sessions 1 established
log_test "session up before the peer dies" $?
kill -KILL "$PC_PID"
t0=$(date +%s)
# Hello after 1 s of silence, retransmitted after 1 s and 2 s, then given
# up after a further 4 s (retransmit-max = 2): about 8 s in all.
wait_for 20 vpdnd_state_is lns lns tunnels 0 x
rc=$?
log_test "LNS drops the dead peer's tunnel ($(($(date +%s) - t0)) s)" $rc
case_end lns pc3

vpdnd_sane lns "$LNS_PID"
log_test "LNS exits 0 on SIGTERM, no sanitizer report" $?

# --- SIGTERM with only closed tunnels left: exit at once, say only the truth
# The client's StopCCN leaves the LNS holding the tunnel for the RFC 2661
# §5.7 retransmission cycle; that hold waits for nothing from the peer, so
# a SIGTERM then must end the LNS at once, with no "unacknowledged" line.
case_begin
lns_conf lnsq "$LNS4:1701" s3cret >"$TMPD/lnsq.conf"
corp_clients_conf pcq "$PC4:1701" $LNS4 s3cret bob >"$TMPD/pcq.conf"
start_vpdnd lns lnsq "$TMPD/lnsq.conf"
LNS_PID=$VPDND_PID
start_vpdnd pc pcq "$TMPD/pcq.conf"
PC_PID=$VPDND_PID
wait_for 15 vpdnd_state_is lns lnsq sessions 1 established
log_test "session up before the client leaves" $?
vpdnd_sane pcq "$PC_PID"
log_test "client exits 0 on SIGTERM" $?
# `show tunnels` hides a tunnel once it is down; `show stats` counts it.
held_closed()
{
	vpdnctl_in lns lnsq show stats --json 2>/dev/null | python3 -c '
import json, sys
t = json.load(sys.stdin)["tunnels"]
sys.exit(0 if t["active"] == 1 and t["closed"] == 1 else 1)'
}
wait_for 5 held_closed
log_test "LNS holds the closed tunnel (RFC 2661 §5.7)" $?
t0=$(($(date +%s%N) / 1000000))
vpdnd_sane lnsq "$LNS_PID"
rc=$?
took=$(($(date +%s%N) / 1000000 - t0))
[ $rc = 0 ] && [ $took -lt 2000 ]
log_test "LNS holding only acknowledged tunnels exits on SIGTERM in $took ms (< 2000)" $?
! grep -E "did not acknowledge|still exchanging" "$TMPD/lnsq.log"
log_test "LNS does not log unacknowledged peers" $?
case_end lnsq pcq

# --- IPv6 -----------------------------------------------------------------
case_begin
lns_conf lns6 "[::]:1701" s3cret >"$TMPD/lns6.conf"
corp_clients_conf pc6 "[$PC6]:1701" "$LNS6" s3cret dave >"$TMPD/pc6.conf"
start_vpdnd lns lns6 "$TMPD/lns6.conf"
LNS_PID=$VPDND_PID
start_vpdnd pc pc6 "$TMPD/pc6.conf"
PC_PID=$VPDND_PID
wait_for 15 vpdnd_state_is lns lns6 sessions 1 established
log_test "IPv6: session established" $?
j=$(vpdnctl_in lns lns6 show tunnels --json)
[ "$(json_field "$j" tunnels 0 peer)" = "[$PC6]:1701" ]
log_test "IPv6: LNS shows the peer as [$PC6]:1701" $?
vpdnd_sane lns6 "$LNS_PID"
log_test "IPv6: LNS exits 0 on SIGTERM (StopCCN sent)" $?
wait_for 10 vpdnd_none_live pc pc6 tunnels
log_test "IPv6: client saw the StopCCN" $?
vpdnd_sane pc6 "$PC_PID"
log_test "IPv6: client exits 0" $?
case_end lns6 pc6

finish
