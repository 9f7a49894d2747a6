#!/bin/bash
# The LAC routes users by RADIUS (RFC 2868 tunnel attributes, RFC
# 2809): the LAC has `radius = yes` and no [realm] at all; FreeRADIUS on the
# LAC's loopback (generated config, as in t-radius.sh) answers each user's
# CHAP with Tunnel-Type L2TP, Tunnel-Medium-Type IPv4, Tunnel-Server-
# Endpoint, Tunnel-Password and Tunnel-Assignment-Id, and that decides the
# LNS and the tunnel secret.
#
#   pc-a eth0 --+
#   pc-b eth0 --+-- br0 lac [freeradius 127.0.0.1] 10.211.1.1 ==== 10.211.1.2 lns
#   pc-x eth0 --+
#
# Cases: alice@corp.example reaches the LNS named by RADIUS and gets an
# address from its pool; bob@corp.example has the same Tunnel-Assignment-Id
# and a more preferred tag pointing at a dead endpoint: the LAC tries the
# dead one first (Tunnel-Preference), fails over to the live one and joins
# alice's tunnel (1 tunnel, 2 sessions on the LAC and the LNS); alice is
# accepted only with her PC's MAC as Calling-Station-Id and eve (whose
# check item names another MAC) is refused; mallory
# (Access-Reject) gets CHAP Failure and PADT, and no tunnel is opened for
# her; carol has another Tunnel-Assignment-Id: a second tunnel to the same
# LNS (RFC 2868 §3.7); nobody is accepted without tunnel attributes and
# the LAC has no realm for her: refused as from an unknown realm.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-radius.sh"
. "$(dirname "$0")/lib-lac.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
command -v freeradius >/dev/null || skip_all "no freeradius"
command -v tshark >/dev/null || skip_all "tshark not installed"
setup_trap

LAC_MAC=02:00:00:00:0a:c1
LAC_ADDR=10.211.1.1 LNS_ADDR=10.211.1.2 DEAD=10.211.1.99
POOL_LO=10.9.11.10 POOL_HI=10.9.11.50
RADDB="$TMPD/raddb"
SECRET=testing123
TSECRET=tunnel-pw-from-radius

# ---- helpers ----------------------------------------------------------------

topology()
{
	local n
	for n in lac lns pc-a pc-b pc-x; do
		create_ns $n || return 1
		router_sysctls $n
	done
	lac_pppoe_lan $LAC_MAC pc-a pc-b pc-x || return 1
	connect_ns lac $LAC_ADDR lns $LNS_ADDR
}

# established NS NAME N: exactly N live sessions, all established.
established()
{
	jtrue "$(show_json "$1" "$2" sessions)" \
	    "len($(live_expr sessions)) == $3 and all(s['state'] == 'established' for s in $(live_expr sessions))"
}

# pc_mac NS: the MAC of the PC's eth0, as the LAC sends it in
# Calling-Station-Id (RFC 2865 §5.31: lower-case, colons).
pc_mac()
{
	in_ns "$1" cat /sys/class/net/eth0/address
}

# The users FreeRADIUS knows, with their tunnel attributes (lib-radius.sh
# writes the rest of its configuration).  alice is accepted only from
# pc-a's MAC (Calling-Station-Id check item), eve only from a MAC nobody
# has.
raddb()
{
	# bob's tag 2 is preferred (RFC 2868 §3.8) but nobody answers there.
	radius_raddb "$RADDB" "$SECRET" "$TMPD/detail" no <<EOT
alice@corp.example	Cleartext-Password := "alice-pw", Calling-Station-Id == "$(pc_mac pc-a)", NAS-Port-Type == Ethernet
	Tunnel-Type:1 = L2TP,
	Tunnel-Medium-Type:1 = IPv4,
	Tunnel-Server-Endpoint:1 = "$LNS_ADDR",
	Tunnel-Password:1 = "$TSECRET",
	Tunnel-Assignment-Id:1 = "corp-1",
	Tunnel-Preference:1 = 10

bob@corp.example	Cleartext-Password := "bob-pw"
	Tunnel-Type:1 = L2TP,
	Tunnel-Medium-Type:1 = IPv4,
	Tunnel-Server-Endpoint:1 = "$LNS_ADDR:1701",
	Tunnel-Password:1 = "$TSECRET",
	Tunnel-Assignment-Id:1 = "corp-1",
	Tunnel-Preference:1 = 10,
	Tunnel-Type:2 = L2TP,
	Tunnel-Medium-Type:2 = IPv4,
	Tunnel-Server-Endpoint:2 = "$DEAD",
	Tunnel-Password:2 = "$TSECRET",
	Tunnel-Assignment-Id:2 = "corp-1",
	Tunnel-Preference:2 = 1

carol@corp.example	Cleartext-Password := "carol-pw"
	Tunnel-Type:1 = L2TP,
	Tunnel-Medium-Type:1 = IPv4,
	Tunnel-Server-Endpoint:1 = "$LNS_ADDR",
	Tunnel-Password:1 = "$TSECRET",
	Tunnel-Assignment-Id:1 = "corp-2"

nobody@corp.example	Cleartext-Password := "nobody-pw"

mallory@corp.example	Auth-Type := Reject

eve@corp.example	Cleartext-Password := "eve-pw", Calling-Station-Id == "02:00:00:00:00:99"
	Tunnel-Type:1 = L2TP,
	Tunnel-Medium-Type:1 = IPv4,
	Tunnel-Server-Endpoint:1 = "$LNS_ADDR",
	Tunnel-Password:1 = "$TSECRET",
	Tunnel-Assignment-Id:1 = "corp-1"
EOT
}

lns_conf()
{
	vpdnd_global_conf lns $LNS_ADDR:1701 lns.test debug 1 2
	echo
	proxy_lns_section "$TSECRET" 10.9.11.1 $POOL_LO-$POOL_HI \
	    "$TMPD/lns.users" vpdn-l
}

lac_conf()
{
	vpdnd_global_conf lac 0.0.0.0:1701 lac.test debug 1 2
	echo
	pppoe_lac_section
	cat <<EOT
radius = yes

[radius]
server = 127.0.0.1
secret = $SECRET
nas-identifier = lac-test
EOT
}

# pc_conf NAME USER PASSWORD
pc_conf()
{
	pppoe_pc_conf "$1" "$2" "$3" ppp-x 10.211.1.0/24 no
}

# ---- main -------------------------------------------------------------------

topology || exit 1
raddb
cat >"$TMPD/lns.users" <<EOT
alice@corp.example  alice-pw
bob@corp.example    bob-pw
carol@corp.example  carol-pw
nobody@corp.example nobody-pw
EOT
lns_conf >"$TMPD/lns.conf"
lac_conf >"$TMPD/lac.conf"
grep -q '^\[realm' "$TMPD/lac.conf"
[ $? -ne 0 ]
log_test "the LAC's configuration has no [realm] section" $?

start_freeradius lac "$RADDB"
log_test "FreeRADIUS starts on the LAC's loopback" $?
start_vpdnd lns lns "$TMPD/lns.conf"
log_test "LNS starts" $?
LNS_PID=$VPDND_PID
start_vpdnd lac lac "$TMPD/lac.conf"
log_test "LAC starts (radius = yes, no realm)" $?
LAC_PID=$VPDND_PID

# --- alice: routed by Tunnel-Server-Endpoint ----------------------------------
case_begin
pc_conf pc-a alice@corp.example alice-pw >"$TMPD/pc-a.conf"
start_vpdnd pc-a pc-a "$TMPD/pc-a.conf"
PCA_PID=$VPDND_PID
wait_for 30 pc_up pc-a ppp-x
log_test "alice: PPP reaches phase network through the LNS RADIUS named" $?
aa=$(pc_addr pc-a ppp-x)
in_range "$aa" $POOL_LO $POOL_HI
log_test "alice: PC has $aa from the LNS's pool" $?
wait_for 5 established lns lns 1 &&
    jtrue "$(show_json lns lns sessions)" "d['sessions'][0]['user'] == 'alice@corp.example' and d['sessions'][0]['address'] == '$aa'"
log_test "alice: the LNS has her session with that address" $?
grep -q "alice@corp.example.*authenticated; RADIUS names 1 LNS tunnel" "$TMPD/lac.log"
log_test "alice: the LAC routed her by RADIUS's tunnel attributes" $?
in_ns pc-a ping -c 2 -i 0.2 -W 2 $LNS_ADDR >/dev/null 2>&1 ||
    in_ns pc-a ping -c 2 -i 0.2 -W 2 10.9.11.1 >/dev/null 2>&1
log_test "alice: ping through the tunnel" $?
case_end lac lns pc-a radius

# --- bob: same Tunnel-Assignment-Id, preferred tag dead: failover, shared ----
case_begin
pc_conf pc-b bob@corp.example bob-pw >"$TMPD/pc-b.conf"
start_vpdnd pc-b pc-b "$TMPD/pc-b.conf"
PCB_PID=$VPDND_PID
wait_for 45 pc_up pc-b ppp-x
log_test "bob: PPP reaches phase network" $?
grep -q "bob@corp.example.*RADIUS names 2 LNS tunnels, first $DEAD:1701" "$TMPD/lac.log"
log_test "bob: the LAC tried the preferred (lower Tunnel-Preference) endpoint $DEAD first" $?
grep -q "bob@corp.example\": LNS $DEAD did not set up a tunnel; trying $LNS_ADDR" "$TMPD/lac.log"
log_test "bob: failover to the next tunnel of the reply" $?
wait_for 10 established lac lac 2 && [ "$(live_count lac lac tunnels)" = 1 ]
log_test "bob: the LAC has 1 tunnel and 2 sessions (Tunnel-Assignment-Id shared)" $?
wait_for 5 established lns lns 2 && [ "$(live_count lns lns tunnels)" = 1 ]
log_test "bob: the LNS has 1 tunnel and 2 sessions" $?
ab=$(pc_addr pc-b ppp-x)
in_range "$ab" $POOL_LO $POOL_HI && [ "$ab" != "$aa" ]
log_test "bob: PC has $ab from the LNS's pool" $?
case_end lac lns pc-b

# --- mallory: Access-Reject -> CHAP Failure + PADT, no tunnel ------------------
case_begin
pc_conf pc-x mallory@corp.example whatever >"$TMPD/pc-x.conf"
start_pppoe_capture pc-x eth0 "$TMPD/pc-x.pcap" || log "capture did not start"
start_vpdnd pc-x pc-x "$TMPD/pc-x.conf"
PCX_PID=$VPDND_PID
wait_for 15 grep -q "Login incorrect.*mallory@corp.example" "$TMPD/radius.log"
log_test "mallory: FreeRADIUS rejects her (Access-Reject)" $?
wait_for 15 grep -q "call of \"mallory@corp.example\".*ended\|call of \"?\".*ended" "$TMPD/lac.log"
sleep 2
stop_capture
lac_refused "$TMPD/pc-x.pcap" $LAC_MAC
log_test "mallory: CHAP Failure from the LAC, the session ended with PADT" $?
! pc_up pc-x ppp-x && [ "$(live_count lac lac tunnels)" = 1 ] &&
    ! grep -q "mallory" "$TMPD/lns.log"
log_test "mallory: no session, no new tunnel, the LNS never heard of her" $?
vpdnd_sane pc-x "$PCX_PID"
log_test "mallory: PC exits cleanly" $?
case_end lac pc-x radius

# --- eve: her Calling-Station-Id check item names another MAC: refused --------
case_begin
pc_conf pc-eve eve@corp.example eve-pw >"$TMPD/pc-eve.conf"
start_vpdnd pc-x pc-eve "$TMPD/pc-eve.conf"
PCE_PID=$VPDND_PID
wait_for 15 grep -q "Login incorrect.*eve@corp.example" "$TMPD/radius.log"
log_test "eve: FreeRADIUS refuses her (Calling-Station-Id is pc-x's MAC, not hers)" $?
wait_for 15 grep -q "call of \"eve@corp.example\".*ended" "$TMPD/lac.log"
! pc_up pc-x ppp-x && [ "$(live_count lac lac tunnels)" = 1 ] &&
    ! grep -q "eve@corp" "$TMPD/lns.log"
log_test "eve: no session, no new tunnel" $?
vpdnd_sane pc-eve "$PCE_PID"
log_test "eve: PC exits cleanly" $?
case_end lac pc-eve radius

# --- carol: another Tunnel-Assignment-Id, another tunnel ----------------------
case_begin
pc_conf pc-carol carol@corp.example carol-pw >"$TMPD/pc-carol.conf"
start_vpdnd pc-x pc-carol "$TMPD/pc-carol.conf"
PCC_PID=$VPDND_PID
wait_for 30 pc_up pc-x ppp-x
log_test "carol: PPP reaches phase network" $?
wait_for 10 established lac lac 3 && [ "$(live_count lac lac tunnels)" = 2 ] &&
    [ "$(live_count lns lns tunnels)" = 2 ]
log_test "carol: Tunnel-Assignment-Id corp-2 gets its own tunnel (LAC: 2 tunnels, 3 sessions)" $?
vpdnd_sane pc-carol "$PCC_PID"
log_test "carol: PC hangs up cleanly" $?
wait_for 10 established lac lac 2 && wait_for 10 eval '[ "$(live_count lac lac tunnels)" = 1 ]'
log_test "carol: her tunnel goes with her; alice's and bob's stays" $?
case_end lac lns pc-carol

# --- nobody: accepted, no tunnel attributes, no realm: unknown realm -----------
case_begin
pc_conf pc-nobody nobody@corp.example nobody-pw >"$TMPD/pc-nobody.conf"
start_pppoe_capture pc-x eth0 "$TMPD/pc-nobody.pcap" || log "capture did not start"
start_vpdnd pc-x pc-nobody "$TMPD/pc-nobody.conf"
PCN_PID=$VPDND_PID
wait_for 15 grep -q "refusing \"nobody@corp.example\": RADIUS named no L2TP tunnel and realm \"corp.example\" is unknown" "$TMPD/lac.log"
log_test "nobody: Access-Accept without tunnel attributes and no realm: refused as unknown realm" $?
sleep 2
stop_capture
lac_refused "$TMPD/pc-nobody.pcap" $LAC_MAC
log_test "nobody: CHAP Failure from the LAC, PADT" $?
! pc_up pc-x ppp-x && [ "$(live_count lac lac tunnels)" = 1 ]
log_test "nobody: no session, no new tunnel" $?
vpdnd_sane pc-nobody "$PCN_PID"
log_test "nobody: PC exits cleanly" $?
case_end lac pc-nobody

# --- hang-up: the shared tunnel goes with the last session --------------------
case_begin
vpdnd_sane pc-a "$PCA_PID"
log_test "alice: PC hangs up cleanly" $?
wait_for 10 established lac lac 1 && [ "$(live_count lac lac tunnels)" = 1 ]
log_test "after alice: the tunnel stays for bob" $?
vpdnd_sane pc-b "$PCB_PID"
log_test "bob: PC hangs up cleanly" $?
wait_for 10 vpdnd_none_live lac lac tunnels
log_test "the LAC's tunnel is gone with its last session" $?
case_end lac lns

vpdnd_sane lac "$LAC_PID"
log_test "LAC exits 0 on SIGTERM, no sanitizer report" $?
vpdnd_sane lns "$LNS_PID"
log_test "LNS exits 0 on SIGTERM, no sanitizer report" $?
finish
