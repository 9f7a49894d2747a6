#!/bin/bash
# L2TP/IPsec (RFC 3193): the client role dials the LNS through a strongSwan
# IKEv2/ESP tunnel, with the configurations shipped in examples/ipsec/ (their
# documentation addresses replaced by the test's).
#
# This machine's kernel has no ESP, so charon runs with kernel-libipsec: ESP
# in user space through a TUN (ipsec0), tunnel mode, ESP in UDP 4500.  The
# LNS's L2TP address (10.77.0.1) and the client's (10.77.1.2) sit on lo and
# have no route between the namespaces but the CHILD_SA's, so L2TP gets
# through only inside IPsec.
#
# Cases: IKE_SA and CHILD_SA established with the PSK; the session reaches
# the PPP network phase; a ping passes through the tunnel; tshark on the
# outer veth sees ESP (UDP-encapsulated) and IKE, and never L2TP or port
# 1701; both daemons exit 0; a client with the wrong PSK gets no SA and no
# tunnel.
. "$(dirname "$0")/lib.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
CHARON=/usr/lib/ipsec/charon
[ -x "$CHARON" ] || skip_all "no strongSwan charon (strongswan-charon)"
command -v swanctl >/dev/null || skip_all "no swanctl (strongswan-swanctl)"
[ -e /usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so ] ||
    skip_all "no kernel-libipsec plugin (libcharon-extra-plugins)"
[ -c /dev/net/tun ] || skip_all "no /dev/net/tun"
setup_trap

EX="$NETNS_DIR/../../examples/ipsec"
PC=10.200.10.2 LNS=10.200.10.1
PSK=psk-$$-$RANDOM-l2tp-ipsec-test

create_ns_pair pc $PC lns $LNS || exit 1
ip -n "$(ns lns)" addr add 10.77.0.1/32 dev lo
ip -n "$(ns pc)" addr add 10.77.1.2/32 dev lo

# swan_conf SIDE SWANCTL_CONF: strongswan.conf and swanctl.conf of SIDE in
# $TMPD/SIDE/ from the examples: test addresses, PSK, a private vici socket.
swan_conf()
{
	local side=$1 d="$TMPD/$1"
	mkdir -p "$d"
	sed "s|unix:///var/run/charon.vici|unix://$d/vici|" \
	    "$EX/strongswan.conf" >"$d/strongswan.conf"
	cat >>"$d/strongswan.conf" <<EOT
charon {
	filelog {
		stderr {
			default = 1
			ike = 2
		}
	}
}
EOT
	sed -e "s/192\.0\.2\.1/$LNS/g" -e "s/198\.51\.100\.2/$PC/g" \
	    -e "s/change-me-to-a-long-random-pre-shared-key/${3:-$PSK}/" \
	    "$EX/$2" >"$d/swanctl.conf"
}

# start_charon NS SIDE: charon inside NS, in a private mount namespace with
# its own /run (pid file), logging to $TMPD/SIDE/charon.log.
start_charon()
{
	local n=$1 d="$TMPD/$2"
	start_bg "$n" "$d/charon.log" env STRONGSWAN_CONF="$d/strongswan.conf" \
	    unshare -m sh -c "mount -t tmpfs tmpfs /run && exec $CHARON"
	CHARON_PID=$BG_PID
	wait_for 10 test -S "$d/vici"
}

# swan NS SIDE ARGS...: swanctl against SIDE's charon.
swan()
{
	local n=$1 d="$TMPD/$2"
	shift 2
	in_ns "$n" env STRONGSWAN_CONF="$d/strongswan.conf" swanctl "$@" \
	    --uri "unix://$d/vici"
}

child_installed()
{
	swan "$1" "$2" --list-sas 2>/dev/null | grep -q "INSTALLED, TUNNEL-in-UDP"
}

echo "alice@corp.example pw-alice" >"$TMPD/users"
sed -e "s|/run/vpdn/vpdnd.sock|$TMPD/lns.sock|" -e "s|/etc/vpdn/users|$TMPD/users|" \
    "$EX/lns.conf" >"$TMPD/lns.conf"
sed -e "s|/run/vpdn/vpdnd.sock|$TMPD/pc.sock|" -e "s/^password = .*/password = pw-alice/" \
    "$EX/client.conf" >"$TMPD/pc.conf"
printf 'redial = no\n' >>"$TMPD/pc.conf"

case_begin
swan_conf lns lns.swanctl.conf
swan_conf pc client.swanctl.conf
start_charon lns lns
log_test "LNS charon (kernel-libipsec) starts" $?
LNS_CHARON=$CHARON_PID
start_charon pc pc
log_test "client charon starts" $?
PC_CHARON=$CHARON_PID
swan lns lns --load-all --file "$TMPD/lns/swanctl.conf" >"$TMPD/lns/load.log" 2>&1
log_test "LNS: swanctl --load-all of examples/ipsec/lns.swanctl.conf" $?
# Everything on the outer link, not only port 1701 (as start_capture does).
: >"$TMPD/outer.pcap"
chmod 0666 "$TMPD/outer.pcap"
start_bg lns "$TMPD/outer.log" tshark -n -q -i "$(veth_name pc)" -w "$TMPD/outer.pcap"
CAP_PID=$BG_PID
wait_for 10 grep -q "Capturing on" "$TMPD/outer.log"
# start_action = start: loading the client's configuration dials.
swan pc pc --load-all --file "$TMPD/pc/swanctl.conf" >"$TMPD/pc/load.log" 2>&1
log_test "client: swanctl --load-all of examples/ipsec/client.swanctl.conf" $?
wait_for 15 child_installed pc pc && child_installed lns lns
log_test "IKE_SA and CHILD_SA (tunnel mode, ESP in UDP) established with the PSK" $?
ip -n "$(ns pc)" -o link show ipsec0 >/dev/null 2>&1
log_test "kernel-libipsec's TUN ipsec0 carries the CHILD_SA" $?

start_vpdnd lns lns "$TMPD/lns.conf"
LNS_PID=$VPDND_PID
start_vpdnd pc pc "$TMPD/pc.conf"
PC_PID=$VPDND_PID
wait_for 20 vpdnd_any_network lns lns
log_test "the L2TP session through IPsec reaches the PPP network phase" $?
j=$(vpdnctl_in lns lns show tunnels --json)
[ "$(json_field "$j" tunnels 0 peer)" = "10.77.1.2:1701" ]
log_test "the LNS sees the client's inner address 10.77.1.2:1701" $?
run_cmd pc ping -c 3 -i 0.3 -W 2 -I vpdn-corp 10.9.0.1
log_test "ping through PPP in L2TP in IPsec" $?

vpdnd_sane pc "$PC_PID"
log_test "client exits 0 (StopCCN through IPsec)" $?
vpdnd_sane lns "$LNS_PID"
log_test "LNS exits 0" $?
sleep 0.5
stop_pid "$CAP_PID" INT 5
swan pc pc --list-sas >"$TMPD/pc/sas.txt" 2>&1
n_esp=$(tshark -n -r "$TMPD/outer.pcap" -Y "esp && udp.port == 4500" 2>/dev/null | wc -l)
[ "$n_esp" -ge 10 ]
log_test "the outer link carries ESP in UDP 4500 ($n_esp packets)" $?
tmatch "$TMPD/outer.pcap" "isakmp"
log_test "and IKEv2 (ISAKMP)" $?
! tmatch "$TMPD/outer.pcap" "l2tp || udp.port == 1701 || ppp || lcp || icmp"
log_test "and never L2TP, port 1701, PPP or the inner ping in the clear" $?
[ "$(tshark -n -r "$TMPD/outer.pcap" -Y "ip && !esp && !isakmp && !arp && !icmpv6" 2>/dev/null | wc -l)" = 0 ]
log_test "no other IPv4 traffic on the outer link" $?
stop_pid "$PC_CHARON" TERM 5
case_end lns pc lns/charon pc/charon

# --- a client with the wrong PSK: no SA, no L2TP ----------------------------
case_begin
swan_conf pc2 client.swanctl.conf wrong-psk-0123456789
start_charon pc pc2
PC_CHARON=$CHARON_PID
swan pc pc2 --load-all --file "$TMPD/pc2/swanctl.conf" >"$TMPD/pc2/load.log" 2>&1
sleep 3
! child_installed pc pc2
log_test "wrong PSK: no CHILD_SA" $?
grep -q "AUTHENTICATION_FAILED\|authentication of .* failed\|tried .* shared key" "$TMPD/lns/charon.log" "$TMPD/pc2/charon.log"
log_test "wrong PSK: IKE authentication fails" $?
start_vpdnd pc pc "$TMPD/pc.conf"
PC_PID=$VPDND_PID
start_vpdnd lns lns "$TMPD/lns.conf"
LNS_PID=$VPDND_PID
sleep 3
vpdnd_state_is lns lns tunnels 0 x
log_test "wrong PSK: no L2TP tunnel reaches the LNS" $?
vpdnd_sane pc "$PC_PID"
vpdnd_sane lns "$LNS_PID"
log_test "both exit 0" $?
stop_pid "$PC_CHARON" TERM 5
stop_pid "$LNS_CHARON" TERM 5
log_test "charon stops on SIGTERM" $?
case_end lns pc lns/charon pc2/charon

finish
