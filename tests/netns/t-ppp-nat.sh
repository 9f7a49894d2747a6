#!/bin/bash
# PPP clients behind NAT: two homes whose clients have the SAME private
# address 192.168.1.2 dial one LNS.
#
#   h1 192.168.1.2 -- nat1 203.0.113.11 --+
#   h2 192.168.1.2 -- nat2 203.0.113.12 --+-- br-wan 203.0.113.1 lns 10.201.0.1 -- intranet 10.201.0.2
#   h3 192.168.1.2 --+                    |
#   h4 192.168.1.2 --+- nat 203.0.113.20 -+
#
# First h1 and h2 behind two NATs (different public addresses), then h3 and
# h4 behind one NAT (one public address, masquerade gives different source
# ports).  In both cases: two sessions up with different pool addresses,
# both clients ping the intranet at the same time and move 2 MB each, and the
# LNS shows two tunnels from the NATs' public address and port pairs
# (INTERFACE.md: a tunnel is identified by peer address, peer port and our
# tunnel ID; the LNS answers to the source address and port the peer used).
. "$(dirname "$0")/lib.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
command -v nft >/dev/null || skip_all "no nft"
setup_trap

TOOLS="$NETNS_DIR/tools"
LNS_WAN=203.0.113.1 L_IN=10.201.0.1 HOST=10.201.0.2
PRIV=192.168.1.2 GW=192.168.1.1

# ---- helpers ----------------------------------------------------------------

new_ns()
{
	create_ns "$1" || return 1
	router_sysctls "$1"
}

# wan NS ADDR: a veth from NS (called "wan" there) into the LNS's bridge.
wan()
{
	local n=$1 addr=$2 peer
	peer=$(veth_name "$n")
	ip -n "$(ns "$n")" link add wan type veth peer name "$peer" \
	    netns "$(ns lns)" || return 1
	ip -n "$(ns lns)" link set "$peer" master br-wan up
	ip -n "$(ns "$n")" addr add "$addr/24" dev wan
	ip -n "$(ns "$n")" link set wan up
}

# home HOME NAT IFACE: HOME at $PRIV behind NAT, whose end is called IFACE.
home()
{
	local h=$1 nat=$2 ifc=$3
	new_ns "$h" || return 1
	ip -n "$(ns "$h")" link add lan type veth peer name "$ifc" \
	    netns "$(ns "$nat")" || return 1
	ip -n "$(ns "$h")" addr add $PRIV/24 dev lan
	ip -n "$(ns "$h")" link set lan up
	ip -n "$(ns "$h")" route add default via $GW
	ip -n "$(ns "$nat")" addr add $GW/24 dev "$ifc"
	ip -n "$(ns "$nat")" link set "$ifc" up
}

topology()
{
	new_ns lns || return 1
	new_ns intranet || return 1
	ip -n "$(ns lns)" link add br-wan type bridge || return 1
	ip -n "$(ns lns)" addr add $LNS_WAN/24 dev br-wan
	ip -n "$(ns lns)" link set br-wan up
	connect_ns lns $L_IN intranet $HOST || return 1
	ip -n "$(ns intranet)" route add 10.201.100.0/24 via $L_IN

	# Two homes behind two NATs.
	for i in 1 2; do
		new_ns nat$i || return 1
		wan nat$i 203.0.113.1$i || return 1
		home h$i nat$i lan || return 1
		in_ns nat$i nft -f - <<EOT || return 1
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "wan" masquerade
	}
}
EOT
	done

	# Two homes behind one NAT: the same private address on both LAN
	# ports.  Conntrack tells the two flows apart by a zone per LAN port
	# (original direction only, so replies from the WAN find them), and
	# the de-NATed replies are routed back to their port by the
	# connection's mark.
	new_ns nat || return 1
	wan nat 203.0.113.20 || return 1
	home h3 nat lan3 || return 1
	home h4 nat lan4 || return 1
	in_ns nat nft -f - <<EOT || return 1
table ip nat {
	chain by_port {
		type filter hook prerouting priority raw;
		iifname "lan3" ct original zone set 3
		iifname "lan4" ct original zone set 4
	}
	chain route_back {
		type filter hook prerouting priority mangle;
		iifname "lan3" ct mark set 3
		iifname "lan4" ct mark set 4
		meta mark set ct mark
	}
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "wan" masquerade
	}
}
EOT
	for i in 3 4; do
		ip -n "$(ns nat)" rule add fwmark $i table 10$i
		ip -n "$(ns nat)" route add 192.168.1.0/24 dev lan$i table 10$i
	done
}

lns_conf()
{
	vpdnd_global_conf lns $LNS_WAN:1701 lns.test debug 2 2
	cat <<EOT

[lns]
local-address = 10.201.100.1
pool = 10.201.100.10-10.201.100.20
auth = chap-md5
users = $TMPD/users
interface = vpdn-lns
EOT
}

# client_conf NAME USER
client_conf()
{
	vpdnd_global_conf "$1" $PRIV:1701 "$1.test" debug 2 2
	cat <<EOT

[client corp]
lns = $LNS_WAN
user = $2
password = pw-$2
auth = chap-md5
interface = vpdn-c
routes = 10.201.0.0/24
redial = no
EOT
}

session_addr()
{
	json_field "$(vpdnctl_in "$1" "$2" show sessions --json)" sessions 0 address
}

# peers: the LNS's live tunnels' peers, sorted, one a line.
peers()
{
	vpdnctl_in lns lns show tunnels --json | python3 -c '
import json, sys
for t in sorted(t["peer"] for t in json.load(sys.stdin)["tunnels"]
                if t["state"] != "closing"):
    print(t)'
}

# pair A B TAG: clients in homes A and B up at once, distinct addresses,
# simultaneous pings and transfers.  Prints the LNS's peers to $TMPD/TAG.peers.
pair()
{
	local a=$1 b=$2 tag=$3 aa ab pa pb ra rb
	client_conf $a user-$a >"$TMPD/$a.conf"
	client_conf $b user-$b >"$TMPD/$b.conf"
	start_vpdnd $a $a "$TMPD/$a.conf"; eval "PID_$a=\$VPDND_PID"
	start_vpdnd $b $b "$TMPD/$b.conf"; eval "PID_$b=\$VPDND_PID"
	wait_for 15 vpdnd_all_network lns lns 2
	up=$?
	log_test "$tag: two sessions in PPP phase network on the LNS" $up
	wait_for 5 vpdnd_all_network $a $a 1 && wait_for 5 vpdnd_all_network $b $b 1
	log_test "$tag: both clients in phase network" $?
	aa=$(session_addr $a $a 2>/dev/null) ab=$(session_addr $b $b 2>/dev/null)
	[ -n "$aa" ] && [ -n "$ab" ] && [ "$aa" != "$ab" ]
	log_test "$tag: different pool addresses ($aa, $ab) for the same private $PRIV" $?
	peers >"$TMPD/$tag.peers" 2>/dev/null
	# Without sessions every traffic check would only wait out its timeout.
	if [ $up != 0 ]; then
		log "$tag: no sessions, traffic checks not run"
		return
	fi

	in_ns $a python3 "$TOOLS/ping.py" -c 5 -i 0.2 -W 2 $HOST >"$TMPD/$a.ping" 2>&1 &
	pa=$!
	in_ns $b python3 "$TOOLS/ping.py" -c 5 -i 0.2 -W 2 $HOST >"$TMPD/$b.ping" 2>&1 &
	pb=$!
	wait $pa; ra=$?
	wait $pb; rb=$?
	[ $ra = 0 ] || sed 's/^/# '$a': /' "$TMPD/$a.ping"
	[ $rb = 0 ] || sed 's/^/# '$b': /' "$TMPD/$b.ping"
	[ $ra = 0 ] && [ $rb = 0 ]
	log_test "$tag: both clients ping the intranet at the same time" $?

	xfer2 $a $b
	log_test "$tag: 2 MB TCP from each client at the same time, SHA-256 equal" $?
	# Each tunnel's data to and from its NAT's address and port.
	kpath_check lns lns "$tag" 1000
}

# xfer2 A B: A and B each send 2 MB to their own listener on the intranet.
xfer2()
{
	local a=$1 b=$2 h p ok=0 pids="" spids=""
	for h in $a $b; do
		p=$((6000 + ${h#h}))
		rm -f "$TMPD/$h.ready"
		in_ns intranet python3 "$TOOLS/tcp_xfer.py" recv 0.0.0.0 $p \
		    --ready "$TMPD/$h.ready" --timeout 30 >"$TMPD/$h.recv" 2>&1 &
		pids="$pids $!"
		wait_for 5 test -s "$TMPD/$h.ready" || ok=1
	done
	for h in $a $b; do
		p=$((6000 + ${h#h}))
		(in_ns $h python3 "$TOOLS/tcp_xfer.py" send $HOST $p 2097152 \
		    --timeout 30 >"$TMPD/$h.send" 2>&1) &
		spids="$spids $!"
	done
	for p in $spids; do
		wait $p || ok=1
	done
	# Receivers whose sender failed would wait out their timeout.
	[ $ok = 0 ] || kill $pids 2>/dev/null
	for p in $pids; do
		wait $p || ok=1
	done
	for h in $a $b; do
		if [ "$(cat "$TMPD/$h.send")" != "$(cat "$TMPD/$h.recv")" ]; then
			log "$h sent $(cat "$TMPD/$h.send"), received $(cat "$TMPD/$h.recv")"
			ok=1
		fi
	done
	return $ok
}

# unpair A B: both clients stop; the LNS is left with nothing live.
unpair()
{
	eval "vpdnd_sane $1 \$PID_$1" && eval "vpdnd_sane $2 \$PID_$2"
	log_test "$3: both clients exit cleanly" $?
	wait_for 10 vpdnd_none_live lns lns sessions &&
	    wait_for 10 vpdnd_none_live lns lns tunnels
	log_test "$3: the LNS drops both tunnels" $?
}

# ---- main -------------------------------------------------------------------

topology || exit 1
for h in h1 h2 h3 h4; do
	echo "user-$h pw-user-$h"
done >"$TMPD/users"
lns_conf >"$TMPD/lns.conf"
start_vpdnd lns lns "$TMPD/lns.conf" || exit 1
LNS_PID=$VPDND_PID

case_begin
pair h1 h2 "two NATs"
p=$(cat "$TMPD/two NATs.peers")
[ "$(echo "$p" | grep -c .)" = 2 ] &&
    echo "$p" | grep -q '^203\.0\.113\.11:' && echo "$p" | grep -q '^203\.0\.113\.12:'
rc=$?
log_test "two NATs: the LNS has two tunnels, from 203.0.113.11 and 203.0.113.12" $rc
[ $rc = 0 ] || log "LNS peers: $(echo $p)"
unpair h1 h2 "two NATs"
case_end lns h1 h2

case_begin
pair h3 h4 "one NAT"
p=$(cat "$TMPD/one NAT.peers")
[ "$(echo "$p" | grep -c '^203\.0\.113\.20:')" = 2 ] &&
    [ "$(echo "$p" | sort -u | grep -c .)" = 2 ]
rc=$?
log_test "one NAT: the LNS has two tunnels from 203.0.113.20, different ports" $rc
[ $rc = 0 ] || log "LNS peers: $(echo $p)"
unpair h3 h4 "one NAT"
case_end lns h3 h4

vpdnd_sane lns "$LNS_PID"
log_test "LNS exits 0 on SIGTERM, no sanitizer report" $?

finish
