#!/bin/bash
# The LAC's RADIUS accounting (RFC 2866, RFC 2867 §4.1): the LAC has
# `radius = yes`, FreeRADIUS on its loopback authenticates each PPPoE user,
# names the LNS with RFC 2868 tunnel attributes and writes the LAC's
# accounting records to a detail file, which this scenario reads.
#
#   pc-a eth0 --+
#   pc-b eth0 --+-- br0 lac [freeradius 127.0.0.1] 10.213.1.1 ==== 10.213.1.2 lns
#   pc-c eth0 --+
#
# Cases: Accounting-On when the LAC starts; alice: Start once her call is
# handed over to the LNS (Calling-Station-Id = her MAC, NAS-Port-Type
# Ethernet, Tunnel-Type L2TP, Tunnel-Medium-Type IPv4, both tunnel
# endpoints, Acct-Tunnel-Connection, Class echoed), an Interim-Update after
# the reply's Acct-Interim-Interval (10 s, although [radius] says 3600), a
# ping of known size through LAC and LNS, then her PC hangs up (LCP
# Terminate + PADT): Stop with Acct-Terminate-Cause User-Request and
# counters that match the ping; bob: the LNS disconnects his session (CDN):
# Stop with NAS-Request; dave: `vpdnctl disconnect user` on the LAC while
# carol is up too: his call alone ends (CDN result 3 to the LNS, PADT to his
# PC), Stop with Admin-Reset; carol: the LAC gets SIGTERM: Stop with
# NAS-Request, then one Accounting-Off, after the last Stop.
. "$(dirname "$0")/lib.sh"
# FreeRADIUS's generated raddb and the PPPoE PCs/LAC sections are shared
# with t-radius.sh and t-lac-radius.sh.
for l in lib-radius.sh lib-lac.sh; do
	[ -f "$NETNS_DIR/$l" ] || { echo "FAIL - $TEST_NAME: $l missing"; rm -rf "$TMPD"; exit 1; }
	. "$NETNS_DIR/$l"
done
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
command -v freeradius >/dev/null || skip_all "no freeradius"
setup_trap

LAC_MAC=02:00:00:00:0a:c3
LAC_ADDR=10.213.1.1 LNS_ADDR=10.213.1.2
LNS_LOCAL=10.9.13.1 POOL_LO=10.9.13.10 POOL_HI=10.9.13.50
RADDB="$TMPD/raddb"
DETAIL="$TMPD/detail"
SECRET=testing123
TSECRET=tunnel-pw-lac-acct

# ---- helpers ----------------------------------------------------------------

topology()
{
	local n
	for n in lac lns pc-a pc-b pc-c; do
		create_ns $n || return 1
		router_sysctls $n
	done
	lac_bridge $LAC_MAC || return 1
	for n in pc-a pc-b pc-c; do
		eth_link $n || return 1
	done
	connect_ns lac $LAC_ADDR lns $LNS_ADDR
}

# tunnel_reply CLASS: the reply items that send a user to the LNS.
tunnel_reply()
{
	cat <<EOT
	Tunnel-Type:1 = L2TP,
	Tunnel-Medium-Type:1 = IPv4,
	Tunnel-Server-Endpoint:1 = "$LNS_ADDR",
	Tunnel-Password:1 = "$TSECRET",
	Class = "$1"
EOT
}

raddb()
{
	radius_raddb "$RADDB" "$SECRET" "$DETAIL" no <<EOT
alice@corp.example	Cleartext-Password := "alice-pw"
	Acct-Interim-Interval = 10,
$(tunnel_reply plan-alice)

bob@corp.example	Cleartext-Password := "bob-pw"
$(tunnel_reply plan-bob)

carol@corp.example	Cleartext-Password := "carol-pw"
$(tunnel_reply plan-carol)

dave@corp.example	Cleartext-Password := "dave-pw"
$(tunnel_reply plan-dave)
EOT
}

lns_conf()
{
	vpdnd_global_conf lns $LNS_ADDR:1701 lns.test debug 1 2
	echo
	proxy_lns_section "$TSECRET" $LNS_LOCAL $POOL_LO-$POOL_HI \
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
accounting-server = 127.0.0.1:1813
secret = $SECRET
nas-identifier = lac-acct
interim-interval = 3600
EOT
}

# dial PC USER PASSWORD: the PC's vpdnd dials the LAC (no redial); PC_PID.
dial()
{
	pppoe_pc_conf "$1" "$2" "$3" ppp-x 10.213.1.0/24 no >"$TMPD/$1.conf"
	start_vpdnd "$1" "$1" "$TMPD/$1.conf"
	PC_PID=$VPDND_PID
}

# record STATUS USER: the last detail record of USER with that status, one
# attribute per line (tags as in "Tunnel-Type:0" dropped from the names).
record()
{
	awk -v st="$1" -v u="\"$2\"" '
	/^[A-Z][a-z][a-z] / { if (rec != "" && s && m) last = rec; rec = ""; s = 0; m = 0 }
	{ sub(/:[0-9]+ =/, " ="); rec = rec $0 "\n" }
	$1 == "Acct-Status-Type" && $3 == st { s = 1 }
	$1 == "User-Name" && $3 == u { m = 1 }
	END { if (rec != "" && s && m) last = rec; printf "%s", last }' "$DETAIL" 2>/dev/null
}

has_record()
{
	[ -n "$(record "$1" "$2")" ]
}

# nas_records STATUS: how many Accounting-On/-Off records there are.
nas_records()
{
	grep -c "Acct-Status-Type = $1\$" "$DETAIL" 2>/dev/null
}

# attr RECORD NAME: the value (quotes removed, the rest of the line).
attr()
{
	printf '%s' "$1" | awk -v a="$2" '$1 == a { $1 = ""; $2 = ""; v = substr($0, 3); gsub(/"/, "", v); print v; exit }'
}

pc_mac()
{
	ip -n "$(ns "$1")" -o link show eth0 | grep -o 'link/ether [0-9a-f:]*' | awk '{ print $2 }'
}

# ---- main -------------------------------------------------------------------

topology || { log "cannot build the topology"; finish; }
raddb
cat >"$TMPD/lns.users" <<EOT
alice@corp.example  alice-pw
bob@corp.example    bob-pw
carol@corp.example  carol-pw
dave@corp.example   dave-pw
EOT
lns_conf >"$TMPD/lns.conf"
lac_conf >"$TMPD/lac.conf"

start_freeradius lac "$RADDB"
log_test "FreeRADIUS starts on the LAC's loopback" $?
start_vpdnd lns lns "$TMPD/lns.conf"
log_test "LNS starts (no RADIUS)" $?
LNS_PID=$VPDND_PID
start_vpdnd lac lac "$TMPD/lac.conf"
log_test "LAC starts with radius = yes and an accounting-server" $?
LAC_PID=$VPDND_PID
wait_for 5 eval '[ "$(nas_records Accounting-On)" = 1 ]'
log_test "RFC 2866 §5.1: one Accounting-On from the LAC" $?

# --- alice: Start, Interim-Update, ping, hang-up → User-Request ---------------
case_begin
dial pc-a alice@corp.example alice-pw
PCA_PID=$PC_PID
wait_for 30 pc_up pc-a ppp-x
log_test "alice: PPP up through the LAC to the LNS" $?
wait_for 5 has_record Start alice@corp.example
log_test "alice: Start record once the call is handed over" $?
start=$(record Start alice@corp.example)
sid=$(attr "$start" Acct-Session-Id)
mac=$(pc_mac pc-a)
[ -n "$sid" ] && [ "$(attr "$start" NAS-Identifier)" = lac-acct ] &&
    [ "$(attr "$start" NAS-Port-Type)" = Ethernet ] &&
    [ "$(attr "$start" Calling-Station-Id)" = "$mac" ] &&
    [ "$(attr "$start" Service-Type)" = Framed-User ] &&
    [ "$(attr "$start" Framed-Protocol)" = PPP ]
log_test "alice: Start has Acct-Session-Id $sid, NAS-Identifier, NAS-Port-Type Ethernet, Calling-Station-Id $mac" $?
[ "$(attr "$start" Tunnel-Type)" = L2TP ] &&
    [ "$(attr "$start" Tunnel-Medium-Type)" = IPv4 ] &&
    [ "$(attr "$start" Tunnel-Client-Endpoint)" = $LAC_ADDR ] &&
    [ "$(attr "$start" Tunnel-Server-Endpoint)" = $LNS_ADDR ] &&
    [ -n "$(attr "$start" Acct-Tunnel-Connection)" ]
log_test "alice: RFC 2867 tunnel attributes (L2TP, IPv4, $LAC_ADDR -> $LNS_ADDR, Acct-Tunnel-Connection $(attr "$start" Acct-Tunnel-Connection))" $?
printf '%s' "$start" | grep -q "Class = 0x$(printf plan-alice | od -An -tx1 | tr -d ' \n')" ||
    [ "$(attr "$start" Class)" = plan-alice ]
log_test "alice: Class echoed (RFC 2865 §5.25)" $?
! printf '%s' "$start" | grep -q -E "Acct-(Input|Output)-Octets|Acct-Terminate-Cause"
log_test "alice: no counters or cause in Start" $?
# 10 pings of 1000 octets of payload: 1028-octet IP datagrams each way,
# 1030-octet PPP frames (protocol field) on the user's PPPoE session.
in_ns pc-a ping -q -c 10 -i 0.1 -W 2 -s 1000 $LNS_ADDR >"$TMPD/ping.out" 2>&1
log_test "alice: 10 pings of 1000 octets through LAC and LNS" $?
# In the kernel-mode run the counters below are the programs' (merged).
kpath_check lac lac alice 10
wait_for 15 has_record Interim-Update alice@corp.example
log_test "alice: Interim-Update after the reply's Acct-Interim-Interval (10 s, not 3600)" $?
interim=$(record Interim-Update alice@corp.example)
interim_in=$(attr "$interim" Acct-Input-Octets)
[ "$(attr "$interim" Acct-Session-Id)" = "$sid" ] &&
    [ "${interim_in:-0}" -ge 10280 ]
log_test "alice: the Interim-Update carries her session id and the octets so far ($interim_in)" $?
vpdnd_sane pc-a "$PCA_PID"
log_test "alice: PC hangs up (LCP Terminate, PADT)" $?
wait_for 10 has_record Stop alice@corp.example
log_test "alice: Stop record" $?
stop=$(record Stop alice@corp.example)
[ "$(attr "$stop" Acct-Session-Id)" = "$sid" ] &&
    [ "$(attr "$stop" Acct-Terminate-Cause)" = User-Request ]
log_test "alice: Stop with the same Acct-Session-Id and Acct-Terminate-Cause User-Request" $?
in=$(attr "$stop" Acct-Input-Octets) out=$(attr "$stop" Acct-Output-Octets)
ip=$(attr "$stop" Acct-Input-Packets) op=$(attr "$stop" Acct-Output-Packets)
t=$(attr "$stop" Acct-Session-Time)
# PPP frames relayed after the hand-over: the pings plus IPCP, LCP echoes,
# the Terminate exchange (a few hundred octets at most).
[ "${in:-0}" -ge 10280 ] && [ "$in" -le 13300 ] &&
    [ "${out:-0}" -ge 10280 ] && [ "$out" -le 13300 ] &&
    [ "${ip:-0}" -ge 10 ] && [ "$ip" -le 40 ] &&
    [ "${op:-0}" -ge 10 ] && [ "$op" -le 40 ] &&
    [ "$(attr "$stop" Acct-Input-Gigawords)" = 0 ] && [ "${t:-0}" -ge 10 ]
log_test "alice: counters match the pings (in=$in/$ip out=$out/$op, $t s, Gigawords 0)" $?
[ "$(attr "$stop" Calling-Station-Id)" = "$mac" ] &&
    [ "$(attr "$stop" Tunnel-Server-Endpoint)" = $LNS_ADDR ] &&
    [ "$(attr "$stop" Acct-Tunnel-Connection)" = "$(attr "$start" Acct-Tunnel-Connection)" ]
log_test "alice: Stop repeats the line and tunnel attributes" $?
case_end lac lns pc-a radius

# --- bob: the LNS disconnects him (CDN) → NAS-Request -------------------------
case_begin
dial pc-b bob@corp.example bob-pw
PCB_PID=$PC_PID
wait_for 30 pc_up pc-b ppp-x
log_test "bob: PPP up" $?
wait_for 5 has_record Start bob@corp.example
log_test "bob: Start record" $?
bsid=$(jval "$(show_json lns lns sessions)" "[s['local_id'] for s in d['sessions'] if s['user'] == 'bob@corp.example' and s['state'] == 'established'][0]")
vpdnctl_in lns lns disconnect session "$bsid" >/dev/null
log_test "bob: the LNS disconnects his session $bsid (CDN)" $?
wait_for 10 has_record Stop bob@corp.example
log_test "bob: Stop record" $?
bstop=$(record Stop bob@corp.example)
[ "$(attr "$bstop" Acct-Terminate-Cause)" = NAS-Request ] &&
    [ "$(attr "$bstop" Acct-Session-Id)" = "$(attr "$(record Start bob@corp.example)" Acct-Session-Id)" ] &&
    [ "$(attr "$bstop" Acct-Session-Id)" != "$sid" ]
log_test "bob: Acct-Terminate-Cause NAS-Request, his own Acct-Session-Id" $?
wait_for 10 eval '! pc_up pc-b ppp-x'
log_test "bob: his PC got PADT" $?
stop_pid "$PCB_PID"
case_end lac lns pc-b

# --- dave: vpdnctl disconnect user on the LAC → CDN 3, PADT, Admin-Reset ----
case_begin
dial pc-c carol@corp.example carol-pw
PCC_PID=$PC_PID
wait_for 30 pc_up pc-c ppp-x
log_test "carol: PPP up" $?
wait_for 5 has_record Start carol@corp.example
log_test "carol: Start record" $?
dial pc-b dave@corp.example dave-pw
PCD_PID=$PC_PID
wait_for 30 pc_up pc-b ppp-x
log_test "dave: PPP up" $?
wait_for 5 has_record Start dave@corp.example
log_test "dave: Start record" $?
out=$(vpdnctl_in lac lac disconnect user dave@corp.example)
rc=$?
[ $rc = 0 ] && printf '%s' "$out" | grep -q "disconnected 1 session of dave@corp.example"
log_test "dave: the LAC disconnects his one call ($out)" $?
wait_for 10 has_record Stop dave@corp.example
log_test "dave: Stop record" $?
[ "$(attr "$(record Stop dave@corp.example)" Acct-Terminate-Cause)" = Admin-Reset ]
log_test "dave: Acct-Terminate-Cause Admin-Reset (RFC 2866 §5.10)" $?
wait_for 10 eval '! pc_up pc-b ppp-x'
log_test "dave: his PC got PADT" $?
wait_for 5 grep -q "recv CDN result 3 " "$TMPD/lns.log"
log_test "dave: the LNS got CDN result 3 (administrative)" $?
sleep 1
pc_up pc-c ppp-x && ! has_record Stop carol@corp.example &&
    jtrue "$(show_json lac lac sessions)" "[s['user'] for s in $(live_expr sessions)] == ['carol@corp.example']"
log_test "dave: carol's call is untouched" $?
stop_pid "$PCD_PID"
case_end lac lns pc-b pc-c

# --- carol: SIGTERM on the LAC → Stop NAS-Request, then one Accounting-Off ------
case_begin
vpdnd_sane lac "$LAC_PID"
log_test "LAC exits 0 on SIGTERM, no sanitizer report" $?
wait_for 5 has_record Stop carol@corp.example
[ "$(attr "$(record Stop carol@corp.example)" Acct-Terminate-Cause)" = NAS-Request ]
log_test "carol: SIGTERM sends her Stop with NAS-Request" $?
wait_for 5 eval '[ "$(nas_records Accounting-Off)" = 1 ]' &&
    [ "$(nas_records Accounting-On)" = 1 ]
log_test "RFC 2866 §5.1: one Accounting-Off, one Accounting-On in all" $?
awk '/Acct-Status-Type = / { print $3 }' "$DETAIL" | tail -2 | tr '\n' ' ' |
    grep -q '^Stop Accounting-Off $'
log_test "Accounting-Off comes after the last Stop" $?
stop_pid "$PCC_PID"
case_end lac lns pc-c radius

vpdnd_sane lns "$LNS_PID"
log_test "LNS exits 0 on SIGTERM, no sanitizer report" $?
finish
