#!/bin/bash
# LNS selection on the LAC (issue #17, vpdn.conf(5) lns-selection,
# lns-holddown, max-sessions-per-tunnel) with real daemons: one vpdnd LAC,
# two vpdnd LNSes of one realm.
#
#   pcs eth1..ethN ==veth== p1..pN -- br0 (lac, PPPoE) 10.221.1.1 ==== 10.221.1.2 lns1
#                                                      10.221.2.1 ==== 10.221.2.2 lns2
#
# 1. balanced: N calls (LAC_SELECT_USERS, default 100) split between the
#    two LNSes, each with 40-60 % of them; `show lns` on the LAC agrees.
# 2. hold-down: lns2 is killed (SIGKILL); of the next calls, those that
#    try lns2 fail over to lns1 once its SCCRQ times out and lns2 is held
#    down; the 20 calls after that send lns2 nothing (its interface counts
#    no L2TP datagram) although balanced prefers it (no session); after
#    lns-holddown (40 s here) a restarted lns2 takes calls again.
# 3. max-sessions-per-tunnel = 10 in a second realm: 25 calls ride in 3
#    tunnels to lns1.
# The PCs are [client] sections of vpdnd instances in namespace "pcs", one
# veth (one MAC) each; each batch is its own vpdnd with its own sections.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-lac.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
require_cmds tshark
setup_trap

N=${LAC_SELECT_USERS:-100}
[ "$N" -ge 30 ] || N=30
# long enough for the 20 calls below on a loaded machine (they took 16 s)
HOLD=40
LAC1=10.221.1.1 LNS1=10.221.1.2 LAC2=10.221.2.1 LNS2=10.221.2.2
NVETH=$((N > 65 ? N : 65))

topology()
{
	local n i
	for n in pcs lac lns1 lns2; do
		create_ns $n || return 1
	done
	lac_bridge 02:00:00:00:0a:c2 || return 1
	for i in $(seq "$NVETH"); do
		ip -n "$(ns lac)" link add p$i type veth peer name eth$i \
		    netns "$(ns pcs)" || return 1
		ip -n "$(ns lac)" link set p$i master br0 up || return 1
		ip -n "$(ns pcs)" link set eth$i up || return 1
	done
	connect_ns lac $LAC1 lns1 $LNS1 && connect_ns lac $LAC2 lns2 $LNS2
}

# pcs_conf NAME FIRST LAST REALM: a vpdnd config in "pcs" whose [client]
# sections dial as userI@REALM on ethFIRST..ethLAST (its own control
# socket and L2TP port: batches run side by side).
pcs_conf()
{
	local name=$1 i
	vpdnd_global_conf "$name" 127.0.0.1:$((2000 + $2)) "$name.test" info
	for i in $(seq "$2" "$3"); do
		cat <<EOT

[client u$i]
pppoe-interface = eth$i
user = user$i@$4
password = pw-$i
auth = chap-md5
interface = ppp$i
default-route = no
redial = no
EOT
	done
}

# start_pcs NAME FIRST LAST REALM: starts that batch; PCS_PID.
start_pcs()
{
	pcs_conf "$@" >"$TMPD/$1.conf"
	start_vpdnd pcs "$1" "$TMPD/$1.conf"
	PCS_PID=$VPDND_PID
}

# lns_sessions NAME: sessions in phase network on LNS NAME (0 when it
# does not answer: killed).
lns_sessions()
{
	local v
	v=$(jval "$(show_json "$1" "$1" sessions)" \
	    "len([s for s in d.get('sessions', []) if s['ppp_phase'] == 'network'])")
	echo "${v:-0}"
}

# total_is N: the two LNSes carry N sessions in phase network together.
total_is()
{
	[ $(($(lns_sessions lns1) + $(lns_sessions lns2))) -eq "$1" ]
}

# lns_view FIELD ADDR: FIELD of the LAC's `show lns` entry for ADDR:1701.
lns_view()
{
	jval "$(show_json lac lac lns)" \
	    "[e['$1'] for e in d['lns'] if e['address'] == '$2:1701'][0]"
}

# udp_frames FILE: L2TP datagrams (UDP to port 1701) in the capture FILE.
udp_frames()
{
	tshark -n -r "$1" -Y "udp.dstport == 1701" -T fields -e frame.number \
	    2>/dev/null | wc -l
}

topology || exit 1
: >"$TMPD/lns.users"
for i in $(seq "$NVETH"); do
	echo "user$i@corp.example  pw-$i" >>"$TMPD/lns.users"
	echo "user$i@ten.example  pw-$i" >>"$TMPD/lns.users"
done
for n in 1 2; do
	{
		vpdnd_global_conf lns$n 10.221.$n.2:1701 lns$n.test info 5
		echo
		proxy_lns_section sel-secret 10.9.$((5 + n)).1 \
		    10.9.$((5 + n)).10-10.9.$((5 + n)).250 "$TMPD/lns.users" \
		    vpdn-lns$n
	} >"$TMPD/lns$n.conf"
done
{
	# retransmit-max 2: an SCCRQ to a dead LNS is given up in seconds
	vpdnd_global_conf lac 0.0.0.0:1701 lac.test info 5 2
	echo
	pppoe_lac_section
	cat <<EOT
max-sessions-per-mac = 0
discovery-rate = 100000
lns-selection = balanced
lns-holddown = $HOLD

[realm corp.example]
lns = $LNS1, $LNS2
tunnel-secret = sel-secret

[realm ten.example]
lns = $LNS1
tunnel-secret = sel-secret
max-sessions-per-tunnel = 10
EOT
} >"$TMPD/lac.conf"

case_begin
start_vpdnd lns1 lns1 "$TMPD/lns1.conf"
log_test "LNS 1 starts" $?
LNS1_PID=$VPDND_PID
start_vpdnd lns2 lns2 "$TMPD/lns2.conf"
log_test "LNS 2 starts" $?
LNS2_PID=$VPDND_PID
start_vpdnd lac lac "$TMPD/lac.conf"
log_test "LAC starts" $?
LAC_PID=$VPDND_PID

# ---- 1. balanced ----
t0=$(date +%s)
start_pcs pcs-a 1 "$N" corp.example
log_test "PCs: one vpdnd with $N PPPoE [client] sections starts" $?
PCA=$PCS_PID
wait_for 180 total_is "$N"
rc=$?
n1=$(lns_sessions lns1) n2=$(lns_sessions lns2)
log_test "$N calls reach PPP phase network on the LNSes ($(($(date +%s) - t0)) s: lns1 $n1, lns2 $n2)" $rc
lo=$((N * 40 / 100)) hi=$((N * 60 / 100))
[ "$n1" -ge $lo ] && [ "$n1" -le $hi ] && [ "$n2" -ge $lo ] && [ "$n2" -le $hi ]
log_test "balanced: each LNS carries $lo-$hi of $N calls" $?
j=$(show_json lac lac lns)
jtrue "$j" "sorted((e['address'], e['state'], e['sessions'], e['tunnels']) for e in d['lns']) == [('$LNS1:1701', 'up', $n1, 1), ('$LNS2:1701', 'up', $n2, 1)] and all(e['realms'] == 'corp.example' for e in d['lns'])"
rc=$?
[ $rc -ne 0 ] && log "LAC show lns: $j"
log_test "LAC: show lns --json lists both LNSes up with their sessions and tunnels" $rc
vpdnctl_in lac lac show lns | grep -q "^$LNS1:1701 .* up "
log_test "LAC: show lns (table) has a row for LNS 1" $?
vpdnd_sane pcs-a "$PCA"
log_test "the $N PCs hang up" $?
wait_for 30 total_is 0 && wait_for 10 vpdnd_none_live lac lac tunnels
log_test "LAC: no tunnel left after the last call" $?

# ---- 2. hold-down ----
stop_pid "$LNS2_PID" KILL 5
log_test "LNS 2 is killed (SIGKILL)" 0
start_pcs pcs-b 1 10 corp.example
PCB=$PCS_PID
# balanced: about half of these try lns2 first and fail over to lns1
wait_for 60 total_is 10
log_test "10 calls with LNS 2 dead: all placed on LNS 1 ($(lns_sessions lns1))" $?
[ "$(lns_view state $LNS2)" = held-down ] && [ "$(lns_view failures $LNS2)" -ge 1 ]
log_test "LAC: LNS 2 is held down ($(lns_view last_failure $LNS2))" $?
start_capture lns2 "$(veth_name lac)" "$TMPD/lns2.pcap"
start_pcs pcs-c 11 30 corp.example
PCC=$PCS_PID
wait_for 60 total_is 30
log_test "20 more calls: all on LNS 1" $?
stop_capture
[ "$(lns_view state $LNS2)" = held-down ]
log_test "LAC: LNS 2 is still held down after those 20 calls" $?
frames=$(udp_frames "$TMPD/lns2.pcap")
[ "$frames" = 0 ]
log_test "LNS 2 held down: no L2TP datagram sent to it by those 20 calls ($frames)" $?
until_s=$(lns_view held_for_s $LNS2)
start_vpdnd lns2 lns2 "$TMPD/lns2.conf"
log_test "LNS 2 restarts" $?
LNS2_PID=$VPDND_PID
sleep $((until_s + 1))
[ "$(lns_view state $LNS2)" = up ]
log_test "LAC: LNS 2's hold-down ended (state up)" $?
start_pcs pcs-d 31 40 corp.example
PCD=$PCS_PID
wait_for 60 total_is 40
rc=$?
n2=$(lns_sessions lns2)
[ $rc -eq 0 ] && [ "$n2" -ge 5 ]
log_test "LNS 2 taken back: the next 10 calls go to it ($n2 sessions)" $?
for p in "$PCB" "$PCC" "$PCD"; do
	stop_pid "$p" TERM 10
done
wait_for 30 total_is 0 && wait_for 10 vpdnd_none_live lac lac tunnels
log_test "every PC hung up, no tunnel left" $?

# ---- 3. max-sessions-per-tunnel ----
start_pcs pcs-e 41 65 ten.example
PCE=$PCS_PID
wait_for 90 total_is 25
log_test "25 calls of realm ten.example reach phase network" $?
j=$(show_json lac lac tunnels)
jtrue "$j" "len([t for t in d['tunnels'] if t['state'] == 'established']) == 3 and sorted(t['sessions'] for t in d['tunnels']) == [5, 10, 10]"
rc=$?
[ $rc -ne 0 ] && log "LAC tunnels: $j"
log_test "max-sessions-per-tunnel = 10: 25 calls ride in 3 tunnels (10, 10, 5)" $rc
jtrue "$(show_json lns1 lns1 tunnels)" "len(d['tunnels']) == 3"
log_test "LNS 1 sees the 3 tunnels from the one LAC" $?
[ "$(lns_view tunnels $LNS1)" = 3 ] && [ "$(lns_view sessions $LNS1)" = 25 ]
log_test "LAC: show lns counts 3 tunnels and 25 sessions for LNS 1" $?
vpdnd_sane pcs-e "$PCE"
log_test "the 25 PCs hang up" $?

vpdnd_sane lac "$LAC_PID"
log_test "LAC exits 0 on SIGTERM, no sanitizer report" $?
vpdnd_sane lns1 "$LNS1_PID"
log_test "LNS 1 exits 0 on SIGTERM, no sanitizer report" $?
vpdnd_sane lns2 "$LNS2_PID"
log_test "LNS 2 exits 0 on SIGTERM, no sanitizer report" $?
case_end lac lns1 lns2 pcs-a pcs-b pcs-c pcs-d pcs-e
finish
