#!/bin/bash
# PPP end to end: a client namespace dials the LNS namespace, which routes
# the session into an intranet namespace.
#
#   client 10.201.1.2 ==veth== 10.201.1.1 lns 10.201.0.1 ==veth== 10.201.0.2 intranet
#          vpdn-c (TUN, pool address)       vpdn-lns (TUN, /32 per session)
#
# The client has no route to the intranet except `routes` through its TUN,
# and the intranet reaches the pool only through the LNS, so every ping and
# byte below went through PPP in L2TP.  Cases: for PAP, CHAP-MD5 and
# MS-CHAPv2 (forced with `auth =` on both ends) the session reaches IPCP's
# network phase with a pool address shown on both ends and on the client's
# TUN, ping and 10 MB TCP both ways with matching SHA-256; a user with a fixed
# address in the users file gets exactly it; a wrong password is refused
# (CDN, a log line naming the user); a client killed with SIGKILL is dropped
# by the LNS (Hello / LCP Echo) and its address returns to the pool; a
# datagram with a forged source address is not forwarded (anti-spoofing)
# while the same datagram with the session's address is.
. "$(dirname "$0")/lib.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
setup_trap

TOOLS="$NETNS_DIR/tools"
C_ADDR=10.201.1.2 L_ADDR=10.201.1.1
L_IN=10.201.0.1 HOST=10.201.0.2
POOL_LO=10.201.100.10 POOL_HI=10.201.100.20 FIXED=10.201.100.77
C_IF=vpdn-c L_IF=vpdn-lns
# shellcheck disable=SC2034  # read by xfer() in lib.sh
XFER_BYTES=$((10 * 1024 * 1024))

# ---- helpers ----------------------------------------------------------------

topology()
{
	create_ns client || return 1
	create_ns lns || return 1
	create_ns intranet || return 1
	router_sysctls client; router_sysctls lns; router_sysctls intranet
	connect_ns client $C_ADDR lns $L_ADDR || return 1
	connect_ns lns $L_IN intranet $HOST || return 1
	ip -n "$(ns intranet)" route add 10.201.100.0/24 via $L_IN
}

# lns_conf NAME AUTH: an LNS offering only AUTH, with fast Hello.
lns_conf()
{
	vpdnd_global_conf "$1" $L_ADDR:1701 lns.test debug 1 2
	cat <<EOT

[lns]
local-address = 10.201.100.1
pool = $POOL_LO-$POOL_HI
dns = 10.201.0.53
auth = $2
users = $TMPD/users
interface = $L_IF
mtu = 1400
EOT
}

# client_conf NAME USER PASSWORD AUTH
client_conf()
{
	ppp_client_conf "$1" $C_ADDR:1701 $L_ADDR "$2" "$3" "$4" $C_IF 10.201.0.0/24
}

# ppp_up NS NAME: exactly one session, in PPP phase network.  For wait_for.
ppp_up()
{
	vpdnd_all_network "$1" "$2" 1
}

# no_network_session NS NAME: no session of NAME is in phase network.
no_network_session()
{
	local j
	j=$(vpdnctl_in "$1" "$2" show sessions --json 2>/dev/null) || return 1
	! printf '%s' "$j" | grep -q '"ppp_phase":"network"'
}

# session_addr NS NAME: the address of the (only) session.
session_addr()
{
	json_field "$(vpdnctl_in "$1" "$2" show sessions --json)" sessions 0 address
}

# in_pool ADDR
in_pool()
{
	python3 -c '
import ipaddress as i, sys
a, lo, hi = (i.ip_address(x) for x in sys.argv[1:])
sys.exit(0 if lo <= a <= hi else 1)' "$1" $POOL_LO $POOL_HI 2>/dev/null
}

# pool_used NS NAME: the sum of "used" over `show pool --json`.
pool_used()
{
	vpdnctl_in "$1" "$2" show pool --json 2>/dev/null | python3 -c '
import json, sys
print(sum(p["used"] for p in json.load(sys.stdin)["pools"]))' 2>/dev/null
}

# if_has_addr NS IFACE ADDR
if_has_addr()
{
	ip -n "$(ns "$1")" -4 -o addr show dev "$2" 2>/dev/null |
	    grep -q " inet $3[/ ]"
}

# traffic_checks TAG ADDR: ping and 10 MB both ways between the client (at
# ADDR) and the intranet host.
traffic_checks()
{
	local tag=$1 addr=$2
	run_cmd client python3 "$TOOLS/ping.py" -c 3 -i 0.2 -W 2 $HOST
	log_test "$tag: ping from the client to the intranet host $HOST" $?
	xfer client intranet $HOST 5001 "$tag-up"
	log_test "$tag: 10 MB TCP client -> intranet, SHA-256 equal" $?
	xfer intranet client "$addr" 5002 "$tag-down"
	log_test "$tag: 10 MB TCP intranet -> client ($addr), SHA-256 equal" $?
}

# spoof_checks ADDR: a UDP datagram with source ADDR sent into the client's
# TUN reaches the intranet; the same with a source the session was not given
# does not.
spoof_checks()
{
	local addr=$1 got rpid
	rm -f "$TMPD/udp.ready"
	# The genuine datagram goes last and ends the wait: the forged ones,
	# sent before it on the same path, would have arrived by then (a fixed
	# 3 s window was too short on a loaded machine).
	in_ns intranet python3 "$TOOLS/udp_probe.py" recv 0.0.0.0 5003 30 \
	    --ready "$TMPD/udp.ready" --until genuine >"$TMPD/udp.recv" 2>&1 &
	rpid=$!
	wait_for 5 test -s "$TMPD/udp.ready"
	run_cmd client python3 "$TOOLS/udp_probe.py" send $C_IF 10.201.100.19 $HOST 5003 forged
	run_cmd client python3 "$TOOLS/udp_probe.py" send $C_IF 10.201.0.99 $HOST 5003 forged2
	run_cmd client python3 "$TOOLS/udp_probe.py" send $C_IF "$addr" $HOST 5003 genuine
	wait $rpid
	got=$(cat "$TMPD/udp.recv")
	echo "$got" | grep -qx "$addr genuine"
	log_test "anti-spoofing: a datagram from the session's own address arrives" $?
	! echo "$got" | grep -q forged
	rc=$?
	[ $rc -ne 0 ] && log "arrived: $(echo "$got" | tr '\n' ';')"
	log_test "anti-spoofing: datagrams with forged sources are dropped by the LNS" $rc
}

# ---- main -------------------------------------------------------------------

topology || exit 1
cat >"$TMPD/users" <<EOT
# name password [address|*]
alice   alice-pw
bob     bob-pw    *
fixed   fixed-pw  $FIXED
mallory right-pw
EOT

LNS_PID=""
# one_method AUTH: LNS and client both limited to AUTH.
one_method()
{
	local auth=$1 tag=$1 a c
	case_begin
	lns_conf "lns-$tag" "$auth" >"$TMPD/lns-$tag.conf"
	client_conf "cl-$tag" alice alice-pw "$auth" >"$TMPD/cl-$tag.conf"
	start_vpdnd lns "lns-$tag" "$TMPD/lns-$tag.conf"
	LNS_PID=$VPDND_PID
	start_vpdnd client "cl-$tag" "$TMPD/cl-$tag.conf"
	CL_PID=$VPDND_PID
	wait_for 15 ppp_up lns "lns-$tag"
	up=$?
	log_test "$tag: LNS session reaches PPP phase network" $up
	wait_for 5 ppp_up client "cl-$tag"
	log_test "$tag: client session reaches PPP phase network" $?
	grep -q -E "$tag.*alice.*authenticated" "$TMPD/lns-$tag.log"
	log_test "$tag: the LNS log shows alice authenticated with $tag" $?
	a=$(session_addr lns "lns-$tag" 2>/dev/null)
	c=$(session_addr client "cl-$tag" 2>/dev/null)
	in_pool "$a" && [ "$a" = "$c" ]
	log_test "$tag: both ends show the pool address ($a / $c)" $?
	[ $up = 0 ] && wait_for 5 if_has_addr client $C_IF "$c"
	log_test "$tag: client TUN $C_IF has $c" $?
	# Traffic needs a session; without one each check would only wait
	# out its timeout.
	if [ $up = 0 ]; then
		traffic_checks "$tag" "$c"
		kpath_check lns "lns-$tag" "$tag" 1000
		[ "$tag" = pap ] && spoof_checks "$c"
		j=$(vpdnctl_in lns "lns-$tag" show sessions --json)
		[ "$(json_field "$j" sessions 0 rx_bytes 2>/dev/null)" -gt $XFER_BYTES ] 2>/dev/null &&
		    [ "$(json_field "$j" sessions 0 tx_bytes 2>/dev/null)" -gt $XFER_BYTES ] 2>/dev/null
		log_test "$tag: LNS session counters show both transfers" $?
	else
		log "$tag: no session, traffic checks not run"
	fi
	vpdnd_sane "cl-$tag" "$CL_PID"
	log_test "$tag: client exits 0 on SIGTERM, no sanitizer report" $?
	wait_for 5 vpdnd_none_live lns "lns-$tag" sessions &&
	    [ "$(pool_used lns "lns-$tag")" = 0 ]
	log_test "$tag: LNS ends the session and frees its address" $?
	case_end "lns-$tag" "cl-$tag"
}

one_method pap
vpdnd_sane lns-pap "$LNS_PID"
log_test "pap: LNS exits 0 on SIGTERM, no sanitizer report" $?
one_method chap-md5
vpdnd_sane lns-chap-md5 "$LNS_PID"
log_test "chap-md5: LNS exits 0 on SIGTERM, no sanitizer report" $?
one_method mschap-v2
# The MS-CHAPv2 LNS stays up for the remaining cases.
LNS=lns-mschap-v2

# --- a fixed address from the users file -------------------------------------
case_begin
client_conf cl-fixed fixed fixed-pw mschap-v2 >"$TMPD/cl-fixed.conf"
start_vpdnd client cl-fixed "$TMPD/cl-fixed.conf"
CL_PID=$VPDND_PID
wait_for 15 ppp_up lns $LNS && wait_for 5 ppp_up client cl-fixed
log_test "fixed: session up" $?
[ "$(session_addr lns $LNS 2>/dev/null)" = $FIXED ] &&
    [ "$(session_addr client cl-fixed 2>/dev/null)" = $FIXED ] &&
    wait_for 5 if_has_addr client $C_IF $FIXED
log_test "fixed: user gets exactly $FIXED from the users file" $?
run_cmd client python3 "$TOOLS/ping.py" -c 1 -W 2 $HOST
log_test "fixed: ping the intranet from $FIXED" $?
vpdnd_sane cl-fixed "$CL_PID"
log_test "fixed: client exits cleanly" $?
wait_for 5 vpdnd_none_live lns $LNS sessions
case_end $LNS cl-fixed

# --- wrong password ----------------------------------------------------------
case_begin
client_conf cl-bad mallory wrong-pw mschap-v2 >"$TMPD/cl-bad.conf"
start_vpdnd client cl-bad "$TMPD/cl-bad.conf"
CL_PID=$VPDND_PID
wait_for 10 grep -q -i -E "mallory.*(fail|refus|reject|denied|wrong|invalid|bad)|(fail|refus|reject|denied|wrong|invalid|bad).*mallory" "$TMPD/$LNS.log"
log_test "wrong password: LNS logs a failure naming the user" $?
sleep 1
wait_for 5 vpdnd_none_live lns $LNS sessions
log_test "wrong password: no session left on the LNS" $?
j=$(vpdnctl_in lns $LNS show stats --json 2>/dev/null)
printf '%s' "$j" | python3 -c '
import json, sys
sys.exit(0 if sum(e["sent"] for e in json.load(sys.stdin)["cdn"]) >= 1 else 1)'
log_test "wrong password: LNS sent a CDN" $?
no_network_session client cl-bad && ! if_has_addr client $C_IF 10.201.100 &&
    ! in_ns client python3 "$TOOLS/ping.py" -c 1 -W 1 $HOST >/dev/null 2>&1
log_test "wrong password: the client has no session and no path to the intranet" $?
[ "$(pool_used lns $LNS)" = 0 ]
log_test "wrong password: no address taken from the pool" $?
vpdnd_sane cl-bad "$CL_PID"
log_test "wrong password: client exits cleanly" $?
wait_for 5 vpdnd_none_live lns $LNS tunnels
case_end $LNS cl-bad

# --- the client dies: Hello / LCP Echo time out, the address returns ----------
case_begin
client_conf cl-kill bob bob-pw mschap-v2 >"$TMPD/cl-kill.conf"
start_vpdnd client cl-kill "$TMPD/cl-kill.conf"
CL_PID=$VPDND_PID
wait_for 15 ppp_up lns $LNS
log_test "kill: session up before the client dies" $?
[ "$(pool_used lns $LNS)" = 1 ] &&
    vpdnctl_in lns $LNS show pool --json | grep -q '"user":"bob"'
log_test "kill: the pool shows one lease, to bob" $?
kill -KILL "$CL_PID"
t0=$(date +%s)
# Hello after 1 s of silence, 2 retransmissions with back-off: ~8 s.
wait_for 20 vpdnd_none_live lns $LNS sessions
log_test "kill: LNS drops the dead client's session ($(($(date +%s) - t0)) s)" $?
wait_for 5 test "$(pool_used lns $LNS)" = 0
log_test "kill: the address is back in the pool (used 0)" $?
stop_pid "$CL_PID"
case_end $LNS

vpdnd_sane $LNS "$LNS_PID"
log_test "LNS exits 0 on SIGTERM, no sanitizer report" $?

finish
