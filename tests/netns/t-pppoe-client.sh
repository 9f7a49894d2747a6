#!/bin/bash
# The client role over PPPoE (`[client NAME]` with `pppoe-interface`): vpdnd
# is the PPPoE host, tools/pppoe_ac.py a minimal access concentrator (RFC
# 2516 discovery, a PPP server with PAP and IPCP) on the other end of a veth.
#
#   host (vpdnd, TUN vpdn-pc) ==veth (Ethernet only)== ac (pppoe_ac.py)
#
# Cases: discovery and PPP reach the network phase and the TUN gets the
# address IPCP gave, with the peer reachable through it (ICMP answered by
# the AC); the session is not an L2TP session (`show sessions` is empty);
# a PADT from the AC tears the call down (TUN gone) and the client redials
# to a new session; SIGTERM ends the session with an LCP Terminate-Request
# and a PADT and vpdnd exits 0 with no sanitizer report; a wrong password
# (PAP Nak) ends PPP, and the client sends PADT itself and redials; a
# reload (SIGHUP) keeps an unchanged section's call and hangs up a changed
# one with PADT, dialling it again with the new settings (routes).
. "$(dirname "$0")/lib.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
setup_trap

TOOLS="$NETNS_DIR/tools"
H_IF=$(veth_name ac) AC_IF=$(veth_name host)
AC_IP=10.204.0.1 HOST_IP=10.204.0.2 PC_IF=vpdn-pc

topology()
{
	create_ns host || return 1
	create_ns ac || return 1
	# The veth carries PPPoE only; these addresses are never used.
	connect_ns host 10.204.9.2 ac 10.204.9.1 || return 1
}

# start_ac NAME: the access concentrator, logging to $TMPD/NAME.log.
start_ac()
{
	start_bg ac "$TMPD/$1.log" python3 "$TOOLS/pppoe_ac.py" \
	    --iface "$AC_IF" --ac-name test-ac --user alice --password secret \
	    --local $AC_IP --peer $HOST_IP
	AC_PID=$BG_PID
	wait_for 5 grep -q READY "$TMPD/$1.log"
}

# host_conf NAME PASSWORD
host_conf()
{
	vpdnd_global "$1" 127.0.0.1 host.test
	cat <<EOT

[client isp]
pppoe-interface = $H_IF
user = alice
password = $2
auth = pap
interface = $PC_IF
redial = yes
EOT
}

# count FILE PATTERN: how many lines of FILE match PATTERN.
count()
{
	grep -c -E "$2" "$1" 2>/dev/null
}

tun_has_addr()
{
	in_ns host ip -4 addr show dev $PC_IF 2>/dev/null | grep -q "inet $HOST_IP "
}

tun_gone()
{
	! in_ns host ip link show dev $PC_IF >/dev/null 2>&1
}

# at_least N FILE PATTERN: FILE has N or more lines matching PATTERN.
at_least()
{
	[ "$(count "$2" "$3")" -ge "$1" ]
}

topology || { log_test "topology" 1; finish; }

# ---- up, PADT from the AC, redial, SIGTERM ------------------------------------
case_begin
start_ac ac
log_test "access concentrator ready" $?
host_conf pc secret >"$TMPD/pc.conf"
start_vpdnd host pc "$TMPD/pc.conf"
log_test "vpdnd starts as a PPPoE client" $?
PC_PID=$VPDND_PID

wait_for 15 tun_has_addr
log_test "IPCP address $HOST_IP on $PC_IF" $?
grep -q "IPCP-up $HOST_IP" "$TMPD/ac.log"
log_test "AC saw LCP, PAP and IPCP open" $?
grep -q -E "PPPoE session [0-9]+ with test-ac" "$TMPD/pc.log"
log_test "client logs the PPPoE session and AC name" $?
in_ns host ip -4 route show dev $PC_IF | grep -q "$AC_IP"
log_test "route to the peer through $PC_IF" $?
run_cmd host ping -c 2 -W 2 -I $PC_IF $AC_IP
log_test "ping the AC through PPP over PPPoE" $?
j=$(vpdnctl_in host pc show sessions --json)
[ "$(json_count "$j" sessions)" = 0 ]
log_test "a PPPoE call is not an L2TP session (show sessions empty)" $?
# client_is DIALS: `show clients --json` shows the PPPoE call up, with the
# Session-ID of the AC's last PADS.
client_is()
{
	vpdnctl_in host pc show clients --json | python3 -c '
import json, sys
c = json.load(sys.stdin)["clients"]
assert len(c) == 1, c
c = c[0]
want = {"name": "isp", "transport": "pppoe", "server": sys.argv[1],
        "state": "up", "ppp_phase": "network", "interface": sys.argv[2],
        "address": sys.argv[3], "peer_address": sys.argv[4],
        "tunnel_id": 0, "session_id": int(sys.argv[5]),
        "dials": int(sys.argv[6])}
bad = {k: (c.get(k), v) for k, v in want.items() if c.get(k) != v}
assert not bad, bad
assert c["rx_frames"] > 0 and c["tx_frames"] > 0, c
' "$H_IF" "$PC_IF" "$HOST_IP" "$AC_IP" \
	    "$(grep "^PADS sid=" "$TMPD/ac.log" | tail -1 | sed 's/.*sid=//')" "$1"
}
client_is 1
log_test "show clients lists the PPPoE call: Session-ID, addresses, counters" $?

kill -USR1 "$AC_PID"
wait_for 5 grep -q "PADT from access concentrator" "$TMPD/pc.log"
log_test "client sees the AC's PADT" $?
wait_for 5 tun_gone
log_test "PADT closes $PC_IF" $?
wait_for 15 at_least 2 "$TMPD/ac.log" "^PADS sid="
log_test "client redials: a second PADS" $?
wait_for 10 tun_has_addr
log_test "redialled call has $HOST_IP on $PC_IF again" $?
client_is 2
log_test "show clients: the redialled call, its new Session-ID, 2 dials" $?
sid=$(grep "^PADS sid=" "$TMPD/ac.log" | tail -1 | sed 's/.*sid=//')

vpdnd_sane pc "$PC_PID"
log_test "SIGTERM: vpdnd exits 0 with no sanitizer report" $?
wait_for 3 grep -q "^PADT-rx sid=$sid" "$TMPD/ac.log"
log_test "SIGTERM sends PADT for session $sid" $?
grep -A1 "LCP-termreq" "$TMPD/ac.log" | grep -q "^PADT-rx sid=$sid"
log_test "LCP Terminate-Request precedes the PADT" $?
case_end pc ac

# ---- PPP fails (wrong password): the client sends PADT and redials ----------
case_begin
host_conf bad wrong >"$TMPD/bad.conf"
n0=$(count "$TMPD/ac.log" "^PADT-rx")
start_vpdnd host bad "$TMPD/bad.conf"
log_test "vpdnd starts with a wrong password" $?
BAD_PID=$VPDND_PID
wait_for 10 grep -q "^PAP-nak alice" "$TMPD/ac.log"
log_test "AC refuses the password" $?
wait_for 5 at_least $((n0 + 1)) "$TMPD/ac.log" "^PADT-rx"
log_test "PPP down: the client sends PADT" $?
wait_for 10 grep -q "redialling in" "$TMPD/bad.log"
log_test "the client redials after PPP failed" $?
tun_gone
log_test "no TUN without IPCP" $?
vpdnd_sane bad "$BAD_PID"
log_test "vpdnd (wrong password) exits cleanly" $?
case_end bad ac

# ---- reload: unchanged keeps the call, changed hangs up and redials --------
case_begin
host_conf rl secret >"$TMPD/rl.conf"
start_vpdnd host rl "$TMPD/rl.conf"
log_test "vpdnd starts (reload case)" $?
RL_PID=$VPDND_PID
wait_for 15 tun_has_addr
log_test "reload case: call up" $?
pads0=$(count "$TMPD/ac.log" "^PADS sid=")
padt0=$(count "$TMPD/ac.log" "^PADT-rx")
kill -HUP "$RL_PID"
sleep 1.5
[ "$(count "$TMPD/ac.log" "^PADS sid=")" = "$pads0" ] && tun_has_addr
log_test "reload with the same section keeps the PPPoE call" $?
echo "routes = 10.204.5.0/24" >>"$TMPD/rl.conf"
kill -HUP "$RL_PID"
wait_for 5 at_least $((padt0 + 1)) "$TMPD/ac.log" "^PADT-rx"
log_test "reload with a changed section sends PADT" $?
wait_for 10 at_least $((pads0 + 1)) "$TMPD/ac.log" "^PADS sid="
log_test "the changed section dials a new session" $?
wait_for 10 sh -c "ip netns exec $(ns host) ip -4 route show dev $PC_IF | grep -q 10.204.5.0/24"
log_test "the new call routes 10.204.5.0/24 through $PC_IF" $?
vpdnd_sane rl "$RL_PID"
log_test "vpdnd (reload case) exits cleanly" $?
case_end rl ac

stop_pid "$AC_PID" TERM 3
finish
