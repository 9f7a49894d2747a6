#!/bin/bash
# The whole VPDN chain: PCs speak PPP over PPPoE over Ethernet to the LAC,
# which finds each user's enterprise by realm and carries the session over
# L2TP to that enterprise's LNS.
#
#   pc-a eth0 --+                     10.210.1.1 ==== 10.210.1.2 lns-a 10.210.11.1 ==== 10.210.11.2 intra-a
#   pc-b eth0 --+-- br0 (lac, PPPoE)
#   pc-x eth0 --+                     10.210.2.1 ==== 10.210.2.2 lns-b 10.210.12.1 ==== 10.210.12.2 intra-b
#
# No IP on the Ethernet side: PPPoE needs none; each PC's only address is
# the one IPCP gives its TUN, so every ping below went PC -> PPPoE -> LAC ->
# L2TP -> LNS -> intranet and back.
#
# Cases: the demo (alice@corp-a.example and alice@corp-b.example at the same
# time: two tunnels, one per LNS, addresses from each enterprise's own pool,
# pings, session counts, both tunnels gone after the hang-up with
# tunnel-idle-timeout = 0); LAC-side authentication (a realm with `users`, a
# wrong password: PADT, no tunnel); an unknown realm (refused, the LAC log
# names it, no tunnel); failover (lns = DEAD, GOOD); LNS restart (kill -9:
# the LAC notices by Hello/retransmission timeout and sends PADT, the PC
# redials, the restarted LNS gets a new tunnel).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-lac.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
command -v tshark >/dev/null || skip_all "tshark not installed"
setup_trap

TOOLS="$NETNS_DIR/tools"
LAC_MAC=02:00:00:00:0a:c0
A_LAC=10.210.1.1 A_LNS=10.210.1.2 A_DEAD=10.210.1.99 A_IN=10.210.11.1 A_HOST=10.210.11.2
B_LAC=10.210.2.1 B_LNS=10.210.2.2 B_IN=10.210.12.1 B_HOST=10.210.12.2
A_POOL_LO=10.9.1.10 A_POOL_HI=10.9.1.50
B_POOL_LO=10.9.2.10 B_POOL_HI=10.9.2.50

# ---- helpers ----------------------------------------------------------------

topology()
{
	local n
	for n in lac lns-a lns-b intra-a intra-b pc-a pc-b pc-x; do
		create_ns $n || return 1
		router_sysctls $n
	done
	lac_pppoe_lan $LAC_MAC pc-a pc-b pc-x || return 1
	connect_ns lac $A_LAC lns-a $A_LNS || return 1
	connect_ns lac $B_LAC lns-b $B_LNS || return 1
	connect_ns lns-a $A_IN intra-a $A_HOST || return 1
	connect_ns lns-b $B_IN intra-b $B_HOST || return 1
	ip -n "$(ns intra-a)" route add 10.9.1.0/24 via $A_IN
	ip -n "$(ns intra-b)" route add 10.9.2.0/24 via $B_IN
}

# lac_sessions N: the LAC has exactly N live sessions, all established.
lac_sessions()
{
	jtrue "$(show_json lac lac sessions)" \
	    "len($(live_expr sessions)) == $1 and all(s['state'] == 'established' for s in $(live_expr sessions))"
}

if_has_addr()
{
	ip -n "$(ns "$1")" -4 -o addr show dev "$2" 2>/dev/null |
	    grep -q " inet $3[/ ]"
}

# lac_sent_padt FILE: the capture has a PADT from the LAC.
lac_sent_padt()
{
	tmatch "$1" "pppoe.code == 0xa7 && eth.src == $LAC_MAC"
}

# lns_conf NAME LISTEN SECRET LOCAL POOL_LO POOL_HI TUN
lns_conf()
{
	vpdnd_global_conf "$1" "$2:1701" "$1.test" debug 1 2
	echo
	proxy_lns_section "$3" "$4" "$5-$6" "$TMPD/$1.users" "$7"
}

lac_conf()
{
	vpdnd_global_conf lac 0.0.0.0:1701 lac.test debug 1 2
	echo
	pppoe_lac_section internet
	cat <<EOT

[realm corp-a.example]
lns = $A_LNS
tunnel-secret = secret-a

[realm corp-b.example]
lns = $B_LNS
tunnel-secret = secret-b

# The LAC checks these users itself before it opens anything.
[realm corp-c.example]
lns = $A_LNS
tunnel-secret = secret-a
users = $TMPD/lac-c.users

# The first LNS never answers (no host has that address).
[realm corp-f.example]
lns = $A_DEAD, $A_LNS
tunnel-secret = secret-a
EOT
}

# ---- main -------------------------------------------------------------------

topology || exit 1
cat >"$TMPD/lns-a.users" <<EOT
alice@corp-a.example  alice-a-pw
bob@corp-c.example    bob-pw
dave@corp-f.example   dave-pw
erin@corp-a.example   erin-pw
EOT
echo "alice@corp-b.example  alice-b-pw" >"$TMPD/lns-b.users"
echo "bob@corp-c.example  bob-pw" >"$TMPD/lac-c.users"
lns_conf lns-a $A_LNS secret-a 10.9.1.1 $A_POOL_LO $A_POOL_HI vpdn-a >"$TMPD/lns-a.conf"
lns_conf lns-b $B_LNS secret-b 10.9.2.1 $B_POOL_LO $B_POOL_HI vpdn-b >"$TMPD/lns-b.conf"
lac_conf >"$TMPD/lac.conf"

start_vpdnd lns-a lns-a "$TMPD/lns-a.conf"
log_test "LNS A starts" $?
LNSA_PID=$VPDND_PID
start_vpdnd lns-b lns-b "$TMPD/lns-b.conf"
log_test "LNS B starts" $?
LNSB_PID=$VPDND_PID
start_vpdnd lac lac "$TMPD/lac.conf"
log_test "LAC starts (PPPoE on br0)" $?
LAC_PID=$VPDND_PID

# --- the demo: one user name, two realms, two enterprises ---------------------
case_begin
pppoe_pc_conf pc-a alice@corp-a.example alice-a-pw ppp-a 10.210.11.0/24 no >"$TMPD/pc-a.conf"
pppoe_pc_conf pc-b alice@corp-b.example alice-b-pw ppp-b 10.210.12.0/24 no >"$TMPD/pc-b.conf"
start_vpdnd pc-a pc-a "$TMPD/pc-a.conf"
PCA_PID=$VPDND_PID
start_vpdnd pc-b pc-b "$TMPD/pc-b.conf"
PCB_PID=$VPDND_PID
wait_for 30 pc_up pc-a ppp-a
up_a=$?
log_test "demo: alice@corp-a.example reaches PPP phase network" $up_a
wait_for 30 pc_up pc-b ppp-b
up_b=$?
log_test "demo: alice@corp-b.example reaches PPP phase network" $up_b
wait_for 5 vpdnd_all_network lns-a lns-a 1 &&
    jtrue "$(show_json lns-a lns-a sessions)" "d['sessions'][0]['user'] == 'alice@corp-a.example'"
log_test "demo: LNS A has 1 session, alice@corp-a.example" $?
wait_for 5 vpdnd_all_network lns-b lns-b 1 &&
    jtrue "$(show_json lns-b lns-b sessions)" "d['sessions'][0]['user'] == 'alice@corp-b.example'"
log_test "demo: LNS B has 1 session, alice@corp-b.example" $?
[ "$(live_count lns-a lns-a tunnels)" = 1 ] && [ "$(live_count lns-b lns-b tunnels)" = 1 ]
log_test "demo: each LNS has exactly 1 tunnel" $?
aa=$(pc_addr pc-a ppp-a)
ab=$(pc_addr pc-b ppp-b)
la=$(jval "$(show_json lns-a lns-a sessions)" "d['sessions'][0]['address']")
lb=$(jval "$(show_json lns-b lns-b sessions)" "d['sessions'][0]['address']")
in_range "$aa" $A_POOL_LO $A_POOL_HI && [ "$aa" = "$la" ]
log_test "demo: PC A has $aa from corp-a's pool (LNS A says $la)" $?
in_range "$ab" $B_POOL_LO $B_POOL_HI && [ "$ab" = "$lb" ]
log_test "demo: PC B has $ab from corp-b's pool (LNS B says $lb)" $?
wait_for 5 lac_sessions 2
log_test "demo: LAC has 2 established sessions" $?
j=$(show_json lac lac sessions)
jtrue "$j" "sorted(s['user'] for s in d['sessions']) == ['alice@corp-a.example', 'alice@corp-b.example'] and all(s['role'] == 'lac' for s in d['sessions'])"
log_test "demo: LAC sessions: role lac, users alice@corp-a and alice@corp-b" $?
j=$(show_json lac lac tunnels)
jtrue "$j" "len(d['tunnels']) == 2 and all(t['role'] == 'lac' and t['state'] == 'established' and t['sessions'] == 1 for t in d['tunnels']) and sorted(t['peer'] for t in d['tunnels']) == ['$A_LNS:1701', '$B_LNS:1701']"
rc=$?
[ $rc -ne 0 ] && log "LAC tunnels: $j"
log_test "demo: LAC has 2 tunnels (role lac), one per LNS, 1 session each" $rc
if [ $up_a = 0 ]; then
	run_cmd pc-a python3 "$TOOLS/ping.py" -c 3 -i 0.2 -W 2 $A_HOST
	log_test "demo: PC A pings intranet A ($A_HOST)" $?
	! in_ns pc-a python3 "$TOOLS/ping.py" -c 1 -W 1 $B_HOST >/dev/null 2>&1
	log_test "demo: PC A has no path to intranet B" $?
else
	log_test "demo: PC A pings intranet A (no session)" 1
fi
if [ $up_b = 0 ]; then
	run_cmd pc-b python3 "$TOOLS/ping.py" -c 3 -i 0.2 -W 2 $B_HOST
	log_test "demo: PC B pings intranet B ($B_HOST)" $?
else
	log_test "demo: PC B pings intranet B (no session)" 1
fi
j=$(show_json lns-a lns-a sessions)
jtrue "$j" "d['sessions'][0]['rx_packets'] >= 3 and d['sessions'][0]['tx_packets'] >= 3"
log_test "demo: LNS A's session counted the pings" $?
kpath_check lac lac demo 12
if dp_kernel; then
	! grep -q "IPv4 forwarding is off" "$TMPD/lac.log"
	log_test "demo: with forwarding on, the LAC has no forwarding warning" $?
fi
kpath_check lns-a lns-a demo 4
kpath_check lns-b lns-b demo 4
vpdnd_sane pc-a "$PCA_PID"
log_test "demo: PC A hangs up (exit 0 on SIGTERM, no sanitizer report)" $?
vpdnd_sane pc-b "$PCB_PID"
log_test "demo: PC B hangs up (exit 0 on SIGTERM, no sanitizer report)" $?
wait_for 10 vpdnd_none_live lac lac sessions
log_test "demo: LAC has no session left" $?
wait_for 10 vpdnd_none_live lac lac tunnels
log_test "demo: both LAC tunnels torn down (tunnel-idle-timeout = 0)" $?
wait_for 10 vpdnd_none_live lns-a lns-a tunnels && wait_for 10 vpdnd_none_live lns-b lns-b tunnels &&
    vpdnd_none_live lns-a lns-a sessions && vpdnd_none_live lns-b lns-b sessions
log_test "demo: both LNSes have no tunnel and no session left" $?
kpath_no_entries lac demo
kpath_no_entries lns-a demo
kpath_no_entries lns-b demo
case_end lac lns-a lns-b pc-a pc-b

# A PC in namespace pc-x for one case, captured on its Ethernet side.
# pc_x_start TAG USER PASSWORD REDIAL
pc_x_start()
{
	pppoe_pc_conf "pc-$1" "$2" "$3" ppp-x 10.210.11.0/24 "$4" >"$TMPD/pc-$1.conf"
	start_pppoe_capture pc-x eth0 "$TMPD/pc-$1.pcap" || log "capture did not start ($1)"
	start_vpdnd pc-x "pc-$1" "$TMPD/pc-$1.conf"
	PC_PID=$VPDND_PID
}

# tunnels_to PEER: the LAC's live tunnels to PEER (any port).
tunnels_to()
{
	jval "$(show_json lac lac tunnels)" \
	    "len([t for t in $(live_expr tunnels) if t['peer'].rsplit(':', 1)[0] == '$1'])"
}

# --- LAC-side authentication: wrong password ---------------------------------
case_begin
pc_x_start authfail bob@corp-c.example wrong-pw no
wait_for 15 grep -q -i -E "bob@corp-c.example.*(fail|refus|reject|denied|wrong|invalid|bad)|(fail|refus|reject|denied|wrong|invalid|bad).*bob@corp-c.example" "$TMPD/lac.log"
log_test "auth failure: LAC logs a failure naming bob@corp-c.example" $?
sleep 2
stop_capture
lac_refused "$TMPD/pc-authfail.pcap" $LAC_MAC
log_test "auth failure: the LAC sent CHAP Failure; the session ended with PADT" $?
# The demo's tunnels may still be held in "closing" (RFC 2661 §5.7).
jtrue "$(show_json lac lac tunnels)" "len($(live_expr tunnels)) == 0"
log_test "auth failure: the LAC opened no tunnel" $?
jtrue "$(show_json lns-a lns-a tunnels)" "len($(live_expr tunnels)) == 0" &&
    ! grep -q "bob@corp-c" "$TMPD/lns-a.log"
log_test "auth failure: LNS A never heard of bob" $?
! pc_up pc-x ppp-x
log_test "auth failure: the PC has no session" $?
vpdnd_sane pc-authfail "$PC_PID"
log_test "auth failure: PC exits cleanly" $?
case_end lac pc-authfail

# --- unknown realm -------------------------------------------------------------
case_begin
pc_x_start norealm carol@nowhere.example carol-pw no
wait_for 15 grep -q "nowhere.example" "$TMPD/lac.log"
log_test "unknown realm: the LAC log names nowhere.example" $?
sleep 2
stop_capture
lac_refused "$TMPD/pc-norealm.pcap" $LAC_MAC
log_test "unknown realm: the LAC sent CHAP Failure; the session ended with PADT" $?
jtrue "$(show_json lac lac tunnels)" "len($(live_expr tunnels)) == 0" &&
    jtrue "$(show_json lac lac sessions)" "len($(live_expr sessions)) == 0"
log_test "unknown realm: no tunnel, no session on the LAC" $?
! pc_up pc-x ppp-x
log_test "unknown realm: the PC has no session" $?
vpdnd_sane pc-norealm "$PC_PID"
log_test "unknown realm: PC exits cleanly" $?
case_end lac pc-norealm

# --- failover: lns = DEAD, GOOD ---------------------------------------------
case_begin
pc_x_start failover dave@corp-f.example dave-pw no
wait_for 60 pc_up pc-x ppp-x
log_test "failover: dave@corp-f.example reaches PPP phase network" $?
a=$(pc_addr pc-x ppp-x)
in_range "$a" $A_POOL_LO $A_POOL_HI
log_test "failover: address $a from LNS A's pool" $?
[ "$(tunnels_to $A_LNS)" = 1 ] && [ "$(tunnels_to $A_DEAD)" = 0 ]
log_test "failover: the LAC's tunnel is to $A_LNS, none to $A_DEAD" $?
wait_for 5 vpdnd_all_network lns-a lns-a 1 &&
    jtrue "$(show_json lns-a lns-a sessions)" "d['sessions'][0]['user'] == 'dave@corp-f.example'"
log_test "failover: LNS A has dave's session" $?
grep -q "$A_DEAD" "$TMPD/lac.log"
log_test "failover: the LAC log mentions the dead LNS $A_DEAD" $?
run_cmd pc-x python3 "$TOOLS/ping.py" -c 2 -i 0.2 -W 2 $A_HOST
log_test "failover: ping intranet A" $?
vpdnd_sane pc-failover "$PC_PID"
log_test "failover: PC exits cleanly" $?
stop_capture
wait_for 10 vpdnd_none_live lac lac tunnels
log_test "failover: the LAC's tunnel is gone after the hang-up" $?
case_end lac lns-a pc-failover

# --- LNS restart: kill -9, the LAC notices, PADT, redial, new tunnel ---------
case_begin
wait_for 10 vpdnd_none_live lns-a lns-a tunnels
pc_x_start restart erin@corp-a.example erin-pw yes
wait_for 30 pc_up pc-x ppp-x
up=$?
log_test "restart: erin@corp-a.example is up before the LNS dies" $up
old_tid=$(jval "$(show_json lac lac tunnels)" "$(live_expr tunnels)[0]['local_id']")
kill -KILL "$LNSA_PID"
stop_pid "$LNSA_PID"
t0=$(date +%s)
wait_for 30 vpdnd_none_live lac lac tunnels
log_test "restart: the LAC drops the dead LNS's tunnel ($(($(date +%s) - t0)) s)" $?
wait_for 10 vpdnd_none_live lac lac sessions
log_test "restart: ... and its session" $?
sleep 1
stop_capture
lac_sent_padt "$TMPD/pc-restart.pcap"
log_test "restart: the LAC sent PADT to the PC" $?
cp "$TMPD/lns-a.users" "$TMPD/lns-a2.users"
lns_conf lns-a2 $A_LNS secret-a 10.9.1.1 $A_POOL_LO $A_POOL_HI vpdn-a >"$TMPD/lns-a2.conf"
start_vpdnd lns-a lns-a2 "$TMPD/lns-a2.conf"
log_test "restart: LNS A starts again" $?
LNSA_PID=$VPDND_PID
# The PC redials with back-off (1 s doubling); a dial that came while the
# LNS was down fails and is retried.
wait_for 90 pc_up pc-x ppp-x
log_test "restart: the PC's redial is up again" $?
wait_for 5 vpdnd_all_network lns-a lns-a2 1
log_test "restart: the new LNS A has the session" $?
j=$(show_json lac lac tunnels)
jtrue "$j" "len($(live_expr tunnels)) == 1 and $(live_expr tunnels)[0]['state'] == 'established' and $(live_expr tunnels)[0]['local_id'] != ${old_tid:-0}"
log_test "restart: the LAC built a new tunnel (old id $old_tid)" $?
run_cmd pc-x python3 "$TOOLS/ping.py" -c 2 -i 0.2 -W 2 $A_HOST
log_test "restart: ping intranet A through the new tunnel" $?
kpath_check lac lac restart 4
kpath_check lns-a lns-a2 restart 2
vpdnd_sane pc-restart "$PC_PID"
log_test "restart: PC exits cleanly" $?
wait_for 10 vpdnd_none_live lac lac tunnels
log_test "restart: the LAC's tunnel is gone after the hang-up" $?
case_end lac lns-a lns-a2 pc-restart

vpdnd_sane lac "$LAC_PID"
log_test "LAC exits 0 on SIGTERM, no sanitizer report" $?
vpdnd_sane lns-a2 "$LNSA_PID"
log_test "LNS A exits 0 on SIGTERM, no sanitizer report" $?
vpdnd_sane lns-b "$LNSB_PID"
log_test "LNS B exits 0 on SIGTERM, no sanitizer report" $?
finish
