#!/bin/bash
# The client's routes must never capture its own L2TP datagrams.  A laptop
# reaches its LNS through its default gateway (a router namespace); the
# client installs `default-route = yes`, or an IPCP peer address equal to
# the LNS's own address, or `routes` containing the LNS.  In each case the
# call comes up and stays up (one dial), the intranet behind the LNS answers
# through the tunnel, the L2TP packet rate stays that of a quiet call (a
# routing loop runs at 100k+ packets/s), and once the call or the daemon
# ends the routing table is exactly what it was before.
. "$(dirname "$0")/lib.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
setup_trap

PC=10.200.7.2 GW=10.200.7.1 RLNS=10.200.8.1 LNS=10.200.8.2
INTRANET=172.16.80.1
create_ns laptop || exit 1
create_ns router || exit 1
create_ns lns || exit 1
connect_ns laptop $PC router $GW || exit 1
connect_ns router $RLNS lns $LNS || exit 1
router_sysctls router
in_ns laptop ip route add default via $GW
in_ns lns ip route add default via $RLNS
# The intranet exists only behind the LNS: the router has no route to it,
# so an answer proves the tunnel carried the ping.
in_ns lns ip addr add $INTRANET/32 dev lo
# Packets the router receives from the laptop: the L2TP traffic on the link.
RX=/sys/class/net/$(veth_name laptop)/statistics/rx_packets
# Packets the laptop's kernel routes into the tunnel.
TUNTX=/sys/class/net/vpdn-corp/statistics/tx_packets

echo "dave@corp.example pw-dave" >"$TMPD/users"

# lns_conf LOCAL_ADDRESS POOL_PREFIX
lns_conf()
{
	vpdnd_global lns $LNS lns.test | sed 's/^hello-interval = .*/hello-interval = 2/'
	cat <<EOT

[lns]
local-address = $1
pool = $2.10-$2.20
users = $TMPD/users
EOT
}

# client_conf DEFAULT_ROUTE ROUTES
client_conf()
{
	vpdnd_global laptop $PC laptop.test | sed 's/^hello-interval = .*/hello-interval = 2/'
	cat <<EOT

[client corp]
lns = $LNS
user = dave@corp.example
password = pw-dave
redial = yes
default-route = $1
EOT
	[ -n "$2" ] && echo "routes = $2"
	return 0
}

network_up()
{
	vpdnctl_in laptop laptop show clients --json 2>/dev/null |
	    grep -q '"ppp_phase":"network"'
}

dials()
{
	json_field "$(vpdnctl_in laptop laptop show clients --json 2>/dev/null)" \
	    clients 0 dials 2>/dev/null
}

routes_now()
{
	in_ns laptop ip -4 route show table all | grep -v ' table local ' | sort
}

# call_up LABEL LNS_LOCAL_ADDRESS DEFAULT_ROUTE ROUTES: a fresh LNS and
# laptop, the routing table before in $before, the call up; the daemons'
# PIDs in $lns_pid and $pc_pid.
call_up()
{
	lns_conf "$2" 10.9.8 >"$TMPD/lns.conf"
	client_conf "$3" "$4" >"$TMPD/laptop.conf"
	before=$(routes_now)
	case_begin
	start_vpdnd lns lns "$TMPD/lns.conf"
	lns_pid=$VPDND_PID
	start_vpdnd laptop laptop "$TMPD/laptop.conf"
	pc_pid=$VPDND_PID
	wait_for 15 network_up
	log_test "$1: the call comes up" $?
}

# call_end LABEL: stops the LNS (the laptop is already stopped) and keeps
# the case's logs, so the next case starts with fresh ones.
call_end()
{
	stop_pid "$lns_pid" TERM 10
	case_end laptop lns
	mv "$TMPD/laptop.log" "$TMPD/laptop-$1.log"
	mv "$TMPD/lns.log" "$TMPD/lns-$1.log"
}

# run_case LABEL LNS_LOCAL_ADDRESS DEFAULT_ROUTE ROUTES [hangup]
run_case()
{
	local label=$1 after n0 n1 t0 t1 rate tunrate tid
	call_up "$label" "$2" "$3" "$4"
	in_ns laptop ip route get $LNS | grep -q "via $GW dev $(veth_name router)"
	log_test "$label: the LNS is still reached through the gateway" $?
	# A loop runs inside the laptop (UDP socket -> TUN -> UDP socket),
	# so the TUN's counter shows it; the link shows what reaches the
	# LNS.  A quiet call sends a Hello every 2 s.
	n0=$(in_ns router cat "$RX")
	t0=$(in_ns laptop cat "$TUNTX" 2>/dev/null || echo 0)
	sleep 3
	n1=$(in_ns router cat "$RX")
	t1=$(in_ns laptop cat "$TUNTX" 2>/dev/null || echo 0)
	rate=$(( (n1 - n0) / 3 ))
	tunrate=$(( (t1 - t0) / 3 ))
	[ "$rate" -lt 200 ] && [ "$tunrate" -lt 200 ]
	log_test "$label: packet rates are sane (link $rate/s, into the TUN $tunrate/s)" $?
	[ "$(dials)" = 1 ] && network_up
	log_test "$label: the call stays up with one dial (dials $(dials))" $?
	timeout 10 ip netns exec "$(ns laptop)" ping -c 2 -W 2 -i 0.3 -q $INTRANET >/dev/null
	log_test "$label: ping $INTRANET through the tunnel" $?
	if [ "${5:-}" = hangup ]; then
		tid=$(json_field "$(vpdnctl_in laptop laptop show clients --json)" \
		    clients 0 tunnel_id)
		vpdnctl_in laptop laptop disconnect tunnel "$tid" >/dev/null
		wait_for 10 sh -c "grep -q 'redialling in' '$TMPD/laptop.log'"
		after=$(routes_now)
		[ "$after" = "$before" ]
		log_test "$label: after the hang-up the routing table is as before" $?
		[ "$after" = "$before" ] || diff <(echo "$before") <(echo "$after") | sed 's/^/#   /'
		wait_for 15 network_up
		log_test "$label: the call is redialled" $?
		[ "$(in_ns laptop ip -4 route show table all $LNS/32 | grep -c .)" -le 1 ]
		log_test "$label: one host route to the LNS after the redial" $?
	fi
	vpdnd_sane laptop "$pc_pid"
	log_test "$label: the client exits 0 on SIGTERM, no sanitizer report" $?
	after=$(routes_now)
	[ "$after" = "$before" ]
	log_test "$label: after the client exits the routing table is as before" $?
	[ "$after" = "$before" ] || diff <(echo "$before") <(echo "$after") | sed 's/^/#   /'
	in_ns laptop ip route show default | grep -q "via $GW"
	log_test "$label: the original default route is back" $?
	call_end "$label"
}

# loop_drops: the client's loop_drops in `show clients --json` ("" if absent).
loop_drops()
{
	jval "$(show_json laptop laptop clients)" \
	    "d['clients'][0].get('loop_drops', '')"
}

# The data path's own guard: a policy rule (outside vpdnd's control) sends
# the L2TP datagrams into the TUN despite the host route; the client drops
# each one it reads there instead of wrapping it again, and counts it in
# `show clients --json` (loop_drops).
guard_case()
{
	local label=guard t0 t1 tunrate d0 d1 rc
	call_up "$label" 10.9.8.1 yes ""
	d0=$(loop_drops)
	[ "$d0" = 0 ]
	log_test "$label: show clients --json has loop_drops 0 before ($d0)" $?
	in_ns laptop ip route add $LNS/32 dev vpdn-corp table 100
	in_ns laptop ip rule add to $LNS lookup 100 pref 100
	t0=$(in_ns laptop cat "$TUNTX")
	sleep 3
	t1=$(in_ns laptop cat "$TUNTX" 2>/dev/null || echo "$t0")
	tunrate=$(( (t1 - t0) / 3 ))
	[ "$tunrate" -lt 200 ]
	log_test "$label: no loop with the L2TP datagrams routed into the TUN ($tunrate/s)" $?
	grep -q "dropped an L2TP datagram to the LNS that was routed into vpdn-corp" \
	    "$TMPD/laptop.log"
	log_test "$label: the client logs the dropped datagrams" $?
	wait_for 10 eval '[ "$(loop_drops)" -gt 0 ] 2>/dev/null'
	rc=$?
	d1=$(loop_drops)
	log_test "$label: show clients --json counts them in loop_drops ($d1)" $rc
	in_ns laptop ip rule del to $LNS lookup 100 pref 100
	in_ns laptop ip route flush table 100 2>/dev/null
	vpdnd_sane laptop "$pc_pid"
	log_test "$label: the client exits 0 on SIGTERM, no sanitizer report" $?
	[ "$(routes_now)" = "$before" ]
	log_test "$label: after the client exits the routing table is as before" $?
	call_end "$label"
}

run_case gateway 10.9.8.1 yes "" hangup
run_case ipcp-peer $LNS yes ""
run_case routes-default 10.9.8.1 yes "$LNS/32"
run_case routes-only 10.9.8.1 no "$LNS/32,$INTRANET/32"
run_case routes-range 10.9.8.1 no "10.200.8.0/24,$INTRANET/32"
guard_case
finish
