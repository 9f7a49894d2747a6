#!/bin/bash
# Two users on one LNS, each in its own namespace, and an intranet behind it:
#
#   c1 10.202.1.2 ==veth== 10.202.1.1 lns 10.202.0.1 ==veth== 10.202.0.2 intranet
#   c2 10.202.2.2 ==veth== 10.202.2.1 /
#
# Both clients route the pool and the intranet through their TUN.  Cases:
# every TUN device vpdnd made (the LNS's and each client's) has the
# configured txqueuelen (tun-txqueuelen, default 5000) and `show stats`
# reports the TUN counters; with isolate-sessions off one user pings the
# other through the LNS; after a reload with isolate-sessions = yes that
# ping fails and is counted as isolated, while the intranet still reaches
# both users and they still reach the intranet.
. "$(dirname "$0")/lib.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
setup_trap

TOOLS="$NETNS_DIR/tools"
L_IN=10.202.0.1 HOST=10.202.0.2
POOL=10.202.100.10-10.202.100.20
L_IF=vpdn-lnsi

topology()
{
	local n
	for n in c1 c2 lns intranet; do
		create_ns $n || return 1
		router_sysctls $n
	done
	connect_ns c1 10.202.1.2 lns 10.202.1.1 || return 1
	connect_ns c2 10.202.2.2 lns 10.202.2.1 || return 1
	connect_ns lns $L_IN intranet $HOST || return 1
	ip -n "$(ns intranet)" route add 10.202.100.0/24 via $L_IN
}

# lns_conf: isolate-sessions left at its default (no).
lns_conf()
{
	vpdnd_global_conf lns 0.0.0.0:1701 lns.test debug 1 2
	cat <<EOT

[lns]
local-address = 10.202.100.1
pool = $POOL
auth = pap
users = $TMPD/users
interface = $L_IF
EOT
}

# client_conf NAME USER CLIENT_ADDR LNS_ADDR TUN
client_conf()
{
	ppp_client_conf "$1" "$3:1701" "$4" "$2" "$2-pw" pap "$5" \
	    "10.202.0.0/24, 10.202.100.0/24"
}

# session_addr NS NAME: the address of the (only) session.
session_addr()
{
	json_field "$(vpdnctl_in "$1" "$2" show sessions --json)" sessions 0 address
}

# qlen NS IFACE: the device's txqueuelen.
qlen()
{
	ip -n "$(ns "$1")" -o link show dev "$2" 2>/dev/null |
	    sed -n 's/.* qlen \([0-9]*\).*/\1/p'
}

# tun_stat FIELD: the LNS's `show stats --json` tun.FIELD.
tun_stat()
{
	vpdnctl_in lns lns show stats --json 2>/dev/null | python3 -c '
import json, sys
print(json.load(sys.stdin)["tun"][sys.argv[1]])' "$1"
}

ping1()
{
	run_cmd "$1" python3 "$TOOLS/ping.py" -c 2 -i 0.2 -W 2 "$2"
}

no_ping()
{
	! in_ns "$1" python3 "$TOOLS/ping.py" -c 2 -i 0.2 -W 1 "$2" >/dev/null 2>&1
}

topology || exit 1
cat >"$TMPD/users" <<EOT
alice   alice-pw
bob     bob-pw
EOT

case_begin
lns_conf >"$TMPD/lns.conf"
client_conf c1 alice 10.202.1.2 10.202.1.1 vpdn-c1 >"$TMPD/c1.conf"
client_conf c2 bob 10.202.2.2 10.202.2.1 vpdn-c2 >"$TMPD/c2.conf"
start_vpdnd lns lns "$TMPD/lns.conf"
LNS_PID=$VPDND_PID
start_vpdnd c1 c1 "$TMPD/c1.conf"
C1_PID=$VPDND_PID
start_vpdnd c2 c2 "$TMPD/c2.conf"
C2_PID=$VPDND_PID
wait_for 15 vpdnd_all_network lns lns 2 && wait_for 5 vpdnd_all_network c1 c1 1 &&
    wait_for 5 vpdnd_all_network c2 c2 1
up=$?
log_test "two sessions reach PPP phase network" $up
[ $up = 0 ] || { case_end lns c1 c2; finish; }
A1=$(session_addr c1 c1) A2=$(session_addr c2 c2)

q="$(qlen lns $L_IF) $(qlen c1 vpdn-c1) $(qlen c2 vpdn-c2)"
[ "$q" = "5000 5000 5000" ]
log_test "TUN devices of the LNS and the clients have txqueuelen 5000 ($q)" $?
for f in kernel-tx-dropped kernel-rx-dropped write-full write-errors isolated; do
	[ -n "$(tun_stat $f)" ] || break
done
[ "$(tun_stat isolated)" = 0 ] &&
    vpdnctl_in lns lns show stats | grep -q "^kernel-tx-dropped "
log_test "show stats reports the TUN counters (table and JSON)" $?

ping1 c1 "$A2"
log_test "isolate-sessions off (default): alice ($A1) pings bob ($A2) through the LNS" $?
ping1 intranet "$A1" && ping1 intranet "$A2"
log_test "isolate-sessions off (default): the intranet reaches both users" $?

echo "isolate-sessions = yes" >>"$TMPD/lns.conf"	# [lns] is the last section
kill -HUP "$LNS_PID"
wait_for 5 grep -q "configuration reloaded" "$TMPD/lns.log" &&
    vpdnd_all_network lns lns 2
log_test "reload with isolate-sessions = yes keeps both sessions" $?
no_ping c1 "$A2" && no_ping c2 "$A1"
log_test "isolate-sessions = yes: alice and bob cannot reach each other" $?
n=$(tun_stat isolated)
[ "$n" -ge 4 ] 2>/dev/null
log_test "isolate-sessions = yes: the dropped packets are counted ($n)" $?
ping1 intranet "$A1" && ping1 intranet "$A2" && ping1 c1 $HOST && ping1 c2 $HOST
log_test "isolate-sessions = yes: the intranet and the users still reach each other" $?
kpath_check lns lns isolate 8

vpdnd_sane c1 "$C1_PID" && vpdnd_sane c2 "$C2_PID"
log_test "clients exit 0 on SIGTERM, no sanitizer report" $?
vpdnd_sane lns "$LNS_PID"
log_test "LNS exits 0 on SIGTERM, no sanitizer report" $?
case_end lns c1 c2

finish
