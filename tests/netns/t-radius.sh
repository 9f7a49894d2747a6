#!/bin/bash
# AAA against a real FreeRADIUS: the LNS namespace runs `freeradius -X` on
# its loopback with a generated configuration (clients.conf for 127.0.0.1,
# a users file with Cleartext-Password users, the detail module writing
# accounting to $TMPD/raddb/detail), and vpdnd authenticates and accounts
# through it.
#
#   client 10.202.1.2 ==veth== 10.202.1.1 lns [freeradius on 127.0.0.1]
#
# Cases: PAP, CHAP-MD5 and MS-CHAPv2 accepted (right password) and refused
# (wrong one); an Access-Accept without Message-Authenticator refused;
# Calling-Station-Id is the client's address (a check item
# accepts dave only from there, eve's names another address: refused);
# Framed-IP-Address from RADIUS; Start and Stop records with
# the same Acct-Session-Id, the Stop's Acct-Output-Octets/Input-Octets at
# least the ping payload sent and at most that plus what a few extra
# packets could add; Session-Timeout ends the session with Acct-Terminate-
# Cause = Session-Timeout; RADIUS stopped while a session ends, then started
# again: the Stop still arrives; a Disconnect-Request (radclient) for one
# Acct-Session-Id drops exactly that session; one without Event-Timestamp
# is not answered (RFC 5176 §6.3, required by default); the same signed
# Disconnect-Request for a user sent again after the user reconnected
# does not drop the new session (replay).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-radius.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
command -v freeradius >/dev/null || skip_all "no freeradius"
command -v radclient >/dev/null || skip_all "no radclient"
setup_trap

C_ADDR=10.202.1.2 L_ADDR=10.202.1.1
POOL_LO=10.202.100.10 POOL_HI=10.202.100.20 FIXED=10.202.100.77
RADDB="$TMPD/raddb"
DETAIL="$TMPD/detail"
SECRET=testing123
TOOLS="$NETNS_DIR/tools"

topology()
{
	create_ns client || return 1
	create_ns lns || return 1
	connect_ns client $C_ADDR lns $L_ADDR || return 1
	ip -n "$(ns lns)" link set lo up
	ip -n "$(ns client)" link set lo up
}

# The users FreeRADIUS knows (lib-radius.sh writes the rest of its
# configuration); MS-CHAP is among what it checks.
raddb()
{
	radius_raddb "$RADDB" "$SECRET" "$DETAIL" yes <<EOT
alice	Cleartext-Password := "wonderland"
	Class = "alice-class"

fixie	Cleartext-Password := "fixedpw"
	Framed-IP-Address = $FIXED,
	Framed-MTU = 1280,
	MS-Primary-DNS-Server = 10.201.0.53,
	MS-Secondary-DNS-Server = 10.201.0.54

shorty	Cleartext-Password := "shortpw"
	Session-Timeout = 3

idler	Cleartext-Password := "idlepw"
	Idle-Timeout = 14,
	Acct-Interim-Interval = 10

bob	Cleartext-Password := "builder"

carol	Cleartext-Password := "carolpw"

dave	Cleartext-Password := "davepw", Calling-Station-Id == "$C_ADDR", NAS-Port-Type == Virtual

eve	Cleartext-Password := "evepw", Calling-Station-Id == "10.202.9.9"

renny	Cleartext-Password := "renpw"

no-msgauth	Cleartext-Password := "oldpw"
EOT
}

start_radius()
{
	start_freeradius lns "$RADDB"
}

lns_conf()
{
	vpdnd_global_conf lns $L_ADDR:1701 lns.test debug 1 2
	cat <<EOT

[lns]
local-address = 10.202.100.1
pool = $POOL_LO-$POOL_HI
auth = pap, chap-md5, mschap-v2
radius = yes
interface = vpdn-lns
mtu = 1400

[radius]
server = 127.0.0.1
secret = $SECRET
nas-identifier = lns-test
dae-listen = 127.0.0.1
EOT
}

# client_conf NAME USER PASSWORD AUTH
client_conf()
{
	ppp_client_conf "$1" $C_ADDR:1701 $L_ADDR "$2" "$3" "$4" vpdn-c 10.202.200.0/24
}

# n_up NS NAME N: exactly N sessions in PPP phase network.
n_up()
{
	local j
	j=$(vpdnctl_in "$1" "$2" show sessions --json 2>/dev/null) || return 1
	[ "$(printf '%s' "$j" | grep -o '"ppp_phase":"network"' | wc -l)" = "$3" ]
}

# record STATUS USER: the last detail record of USER with that status, one
# attribute per line.
record()
{
	awk -v st="$1" -v u="\"$2\"" '
	/^[A-Z][a-z][a-z] / { if (rec != "" && s && m) last = rec; rec = ""; s = 0; m = 0 }
	{ rec = rec $0 "\n" }
	$1 == "Acct-Status-Type" && $3 == st { s = 1 }
	$1 == "User-Name" && $3 == u { m = 1 }
	END { if (rec != "" && s && m) last = rec; printf "%s", last }' "$DETAIL" 2>/dev/null
}

# has_record STATUS USER: for wait_for (evaluated at each poll).
has_record()
{
	[ -n "$(record "$1" "$2")" ]
}

# ids STATUS USER: the Acct-Session-Id of every record of USER with that
# status, one a line, in file order.
ids()
{
	awk -v st="$1" -v u="\"$2\"" '
	function flush() { if (s && m) print id; s = 0; m = 0; id = "" }
	/^[A-Z][a-z][a-z] / { flush() }
	$1 == "Acct-Status-Type" && $3 == st { s = 1 }
	$1 == "User-Name" && $3 == u { m = 1 }
	$1 == "Acct-Session-Id" { id = $3; gsub(/"/, "", id) }
	END { flush() }' "$DETAIL" 2>/dev/null
}

# n_records STATUS USER N: for wait_for.
n_records()
{
	[ "$(ids "$1" "$2" | wc -l)" = "$3" ]
}

attr()
{
	printf '%s' "$1" | awk -v a="$2" '$1 == a { v = $3; gsub(/"/, "", v); print v; exit }'
}

# dial NAME USER PASSWORD AUTH: a client vpdnd; CL_PID set.
dial()
{
	client_conf "$1" "$2" "$3" "$4" >"$TMPD/$1.conf"
	start_vpdnd client "$1" "$TMPD/$1.conf"
	CL_PID=$VPDND_PID
}

trap_finish() { :; }

topology || { log "cannot build the topology"; finish; }
raddb
start_radius
log_test "freeradius starts with the generated configuration" $?
lns_conf >"$TMPD/lns.conf"
start_vpdnd lns lns "$TMPD/lns.conf"
LNS_PID=$VPDND_PID
log_test "LNS starts with radius = yes" $?
wait_for 5 grep -q "Accounting-On" "$DETAIL"
log_test "Accounting-On in the detail file at LNS start" $?

# ---- each method, accepted and refused --------------------------------------
for m in pap chap-md5 mschap-v2; do
	dial "cl-$m" alice wonderland "$m"
	wait_for 15 n_up client "cl-$m" 1
	log_test "$m: alice accepted by RADIUS, PPP network phase" $?
	stop_pid "$CL_PID"
	wait_for 10 n_up lns lns 0
	dial "cl-$m-bad" alice wrong "$m"
	sleep 4
	! n_up client "cl-$m-bad" 1 && grep -q 'authentication of "alice" failed' "$TMPD/lns.log"
	log_test "$m: a wrong password is refused" $?
	stop_pid "$CL_PID"
	wait_for 10 n_up lns lns 0
done

# ---- Message-Authenticator required (RFC 2869 §5.14, Blast-RADIUS) ----------
# The server accepts no-msgauth's right password but signs the Access-Accept
# without Message-Authenticator: vpdnd drops it as a possible forgery.
dial cl-nomsgauth no-msgauth oldpw pap
wait_for 25 grep -q 'auth: pap: user "no-msgauth" failed' "$TMPD/lns.log" &&
    ! n_up client cl-nomsgauth 1
log_test "msgauth: an Access-Accept without Message-Authenticator is refused" $?
j=$(vpdnctl_in lns lns show stats --json)
jtrue "$j" 'd["security"]["radius-drop-msgauth"] >= 1'
log_test "msgauth: counted in show stats (radius-drop-msgauth)" $?
stop_pid "$CL_PID"
wait_for 10 n_up lns lns 0

# ---- Calling-Station-Id: a voluntary client is its address -------------------
# (RFC 2865 §5.31; the client sends no L2TP Calling Number.)  The users file
# accepts dave only from $C_ADDR and eve only from an address she is not at.
dial cl-csid dave davepw pap
wait_for 15 n_up client cl-csid 1
log_test "csid: dave accepted only with Calling-Station-Id = $C_ADDR" $?
stop_pid "$CL_PID"
wait_for 10 n_up lns lns 0
dial cl-csid-bad eve evepw pap
sleep 4
! n_up client cl-csid-bad 1 && grep -q 'authentication of "eve" failed' "$TMPD/lns.log"
log_test "csid: eve refused (her check item names another Calling-Station-Id)" $?
stop_pid "$CL_PID"
wait_for 10 n_up lns lns 0

# ---- accounting counters, Class ---------------------------------------------
dial cl-acct alice wonderland pap
wait_for 15 n_up client cl-acct 1
a=$(json_field "$(vpdnctl_in lns lns show sessions --json)" sessions 0 address)
wait_for 5 has_record Start alice
log_test "acct: Start record for alice" $?
# 20 pings of 1000 octets of payload: 1028-octet IP datagrams each way.
in_ns client ping -q -c 20 -i 0.05 -s 1000 10.202.100.1 >/dev/null 2>&1
log_test "acct: ping over the session" $?
stop_pid "$CL_PID"
wait_for 10 has_record Stop alice
log_test "acct: Stop record for alice" $?
start=$(record Start alice) stop=$(record Stop alice)
sid=$(attr "$start" Acct-Session-Id)
[ -n "$sid" ] && [ "$sid" = "$(attr "$stop" Acct-Session-Id)" ]
log_test "acct: Start and Stop share Acct-Session-Id ($sid)" $?
[ "$(attr "$stop" Framed-IP-Address)" = "$a" ] && [ "$(attr "$stop" Class)" != "" ]
log_test "acct: Stop has Framed-IP-Address $a and the Class echoed" $?
in=$(attr "$stop" Acct-Input-Octets) out=$(attr "$stop" Acct-Output-Octets)
ip=$(attr "$stop" Acct-Input-Packets)
# IP octets are counted: 20 x 1028 = 20560 each way; anything else the
# client's kernel sends over the TUN (at most a few small packets) is
# allowed up to 2000 octets.
[ "${in:-0}" -ge 20560 ] && [ "$in" -le 22560 ] &&
    [ "${out:-0}" -ge 20560 ] && [ "$out" -le 22560 ] && [ "${ip:-0}" -ge 20 ]
log_test "acct: octets match the pings (in=$in out=$out packets=$ip)" $?
[ "$(attr "$stop" Acct-Terminate-Cause)" = "Lost-Carrier" ] ||
    [ "$(attr "$stop" Acct-Terminate-Cause)" = "User-Request" ]
log_test "acct: client stop → $(attr "$stop" Acct-Terminate-Cause)" $?
[ "$(attr "$stop" Acct-Input-Gigawords)" = 0 ]
log_test "acct: Gigawords present (0)" $?

# ---- fixed address -----------------------------------------------------------
dial cl-fixed fixie fixedpw chap-md5
wait_for 15 n_up client cl-fixed 1
[ "$(json_field "$(vpdnctl_in lns lns show sessions --json)" sessions 0 address)" = $FIXED ]
log_test "Framed-IP-Address from RADIUS: fixie gets $FIXED" $?
in_ns lns ip route show $FIXED | grep -q "mtu 1280"
log_test "Framed-MTU from RADIUS: the user's route carries mtu 1280" $?
grep -q "DNS 10.201.0.53 10.201.0.54" "$TMPD/cl-fixed.log"
log_test "MS-Primary/Secondary-DNS-Server from RADIUS reach the client in IPCP" $?
stop_pid "$CL_PID"
wait_for 10 n_up lns lns 0

# ---- Session-Timeout -----------------------------------------------------------
dial cl-short shorty shortpw pap
wait_for 15 n_up client cl-short 1
log_test "timeout: shorty up" $?
wait_for 10 has_record Stop shorty
[ "$(attr "$(record Stop shorty)" Acct-Terminate-Cause)" = Session-Timeout ]
log_test "timeout: Session-Timeout ends it, Acct-Terminate-Cause = Session-Timeout" $?
stop_pid "$CL_PID"

# ---- Acct-Interim-Interval and Idle-Timeout from the reply ----------------------
dial cl-idle idler idlepw pap
wait_for 15 n_up client cl-idle 1
log_test "idle: idler up" $?
wait_for 14 has_record Interim-Update idler
log_test "idle: an Interim-Update after the reply's Acct-Interim-Interval (10 s)" $?
wait_for 12 has_record Stop idler
[ "$(attr "$(record Stop idler)" Acct-Terminate-Cause)" = Idle-Timeout ]
log_test "idle: no traffic for Idle-Timeout ends it, Acct-Terminate-Cause = Idle-Timeout" $?
stop_pid "$CL_PID"

# ---- RADIUS down then up: no record lost ---------------------------------------
dial cl-down bob builder pap
wait_for 15 n_up client cl-down 1
wait_for 5 has_record Start bob
stop_pid "$RADIUS_PID"
stop_pid "$CL_PID"
wait_for 10 n_up lns lns 0
sleep 2
test -z "$(record Stop bob)"
log_test "down: no Stop while the server is stopped" $?
start_radius
wait_for 30 has_record Stop bob
log_test "down: the Stop arrives once the server is back" $?

# ---- Disconnect-Request --------------------------------------------------------
dial cl-d1 alice wonderland pap
P1=$CL_PID
client_conf cl-d2 carol carolpw pap | sed "s/$C_ADDR:1701/$C_ADDR:1702/; s/^interface = vpdn-c/interface = vpdn-c2/; s/^routes = .*/routes = 10.202.201.0\/24/" >"$TMPD/cl-d2.conf"
start_vpdnd client cl-d2 "$TMPD/cl-d2.conf"
P2=$VPDND_PID
wait_for 15 n_up lns lns 2
log_test "dae: two sessions up" $?
wait_for 5 has_record Start carol
csid=$(attr "$(record Start carol)" Acct-Session-Id)
# RFC 5176 §6.3: without Event-Timestamp, silently discarded by default.
echo "Acct-Session-Id = \"$csid\"" | in_ns lns radclient -x -r 1 -t 1 127.0.0.1:3799 disconnect $SECRET >"$TMPD/dae0.out" 2>&1
! grep -q "^Received" "$TMPD/dae0.out" && n_up lns lns 2
log_test "dae: a Disconnect-Request without Event-Timestamp gets no answer" $?
echo "Acct-Session-Id = \"$csid\", Event-Timestamp = $(date +%s)" | in_ns lns radclient -x 127.0.0.1:3799 disconnect $SECRET >"$TMPD/dae.out" 2>&1
grep -q "Received Disconnect-ACK" "$TMPD/dae.out"
log_test "dae: Disconnect-Request for carol's session ACKed" $?
wait_for 10 n_up lns lns 1
log_test "dae: exactly one session left" $?
vpdnctl_in lns lns show sessions --json | grep -q '"user":"alice"'
log_test "dae: alice's session is the one still up" $?
wait_for 10 has_record Stop carol
[ "$(attr "$(record Stop carol)" Acct-Terminate-Cause)" = Admin-Reset ]
log_test "dae: carol's Stop says Admin-Reset" $?
echo "Acct-Session-Id = \"nosuch\", Event-Timestamp = $(date +%s)" | in_ns lns radclient -x 127.0.0.1:3799 disconnect $SECRET >"$TMPD/dae2.out" 2>&1
grep -q "Received Disconnect-NAK" "$TMPD/dae2.out" && grep -q "Session-Context-Not-Found" "$TMPD/dae2.out"
log_test "dae: unknown session → NAK Session-Context-Not-Found" $?
echo "Acct-Session-Id = \"$csid\", Event-Timestamp = $(date +%s)" | in_ns lns radclient -r 1 -t 1 127.0.0.1:3799 disconnect wrongsecret >"$TMPD/dae3.out" 2>&1
! grep -q "^Received" "$TMPD/dae3.out"
log_test "dae: a wrong secret gets no answer" $?
stop_pid "$P2"

# ---- Disconnect-Request replayed -------------------------------------------------
# The exact bytes of a signed Disconnect-Request naming the user, captured
# and sent again once alice is back with a new session: RFC 5176 §6.3 replay
# protection must keep the new session up (the copy only gets the first
# answer again).
in_ns lns python3 "$TOOLS/dae_send.py" new $SECRET 127.0.0.1 3799 alice "$TMPD/dae-alice.bin" >"$TMPD/dae4.out" 2>&1
grep -q "^reply 41" "$TMPD/dae4.out" && wait_for 10 n_up lns lns 0
log_test "replay: a Disconnect-Request for user alice ACKed, her session gone" $?
stop_pid "$P1"
dial cl-d3 alice wonderland pap
P1=$CL_PID
wait_for 15 n_up lns lns 1
log_test "replay: alice reconnected with a new session" $?
in_ns lns python3 "$TOOLS/dae_send.py" resend 127.0.0.1 3799 "$TMPD/dae-alice.bin" >"$TMPD/dae5.out" 2>&1
alice_gone() { ! n_up lns lns 1; }
! wait_for 8 alice_gone && n_up client cl-d3 1
rc=$?
log_test "replay: the same bytes again leave alice's new session up ($(cat "$TMPD/dae5.out"))" $rc
vpdnctl_in lns lns show stats --json | grep -q '"dae-replay":1'
log_test "replay: counted in show stats (dae-replay 1)" $?
# vpdnctl disconnect user on the LNS: the same cause as a Disconnect-Request
na=$(ids Stop alice | wc -l)
out=$(vpdnctl_in lns lns disconnect user alice)
printf '%s' "$out" | grep -q "disconnected 1 session of alice"
log_test "admin: vpdnctl disconnect user alice ends her one session ($out)" $?
wait_for 10 n_records Stop alice $((na + 1)) &&
    [ "$(attr "$(record Stop alice)" Acct-Terminate-Cause)" = Admin-Reset ]
log_test "admin: alice's Stop says Admin-Reset" $?
stop_pid "$P1"

# ---- LCP renegotiation: accounting follows the network phase -----------------
# RFC 1661 §4.3: the peer renegotiates LCP and authenticates again as the
# same user: Stop (User-Request) for the first record, Start with a new
# Acct-Session-Id for the second, and its Stop when the peer is gone.
case_begin
in_ns client python3 "$NETNS_DIR/tools/ppp_peer.py" reneg $L_ADDR $C_ADDR \
    renny:renpw renny:renpw --hold 2 >"$TMPD/reneg.out" 2>&1
[ "$(grep -c '^up renny' "$TMPD/reneg.out")" = 2 ]
log_test "reneg: renny comes up twice on one session" $?
wait_for 20 n_records Stop renny 2
log_test "reneg: two Stop records" $?
n_records Start renny 2
log_test "reneg: two Start records" $?
starts=$(ids Start renny | tr '\n' ' ') stops=$(ids Stop renny | tr '\n' ' ')
[ "$starts" = "$stops" ] && [ "$(ids Start renny | sort -u | wc -l)" = 2 ]
log_test "reneg: Start/Stop pairs with two different Acct-Session-Ids ($starts)" $?
awk '/^[A-Z][a-z][a-z] /{r=""} {r=r $0 "\n"} /Acct-Terminate-Cause = User-Request/{print r}' \
    "$DETAIL" | grep -q "$(ids Stop renny | head -1)"
log_test "reneg: the first record stops with User-Request" $?
case_end lns

# ---- Accounting-Off ------------------------------------------------------------
stop_pid "$LNS_PID" TERM 10
wait_for 5 grep -q "Accounting-Off" "$DETAIL"
log_test "Accounting-Off at LNS stop" $?
stop_pid "$RADIUS_PID"
finish
