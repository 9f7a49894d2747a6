#!/bin/bash
# vpdnctl trace: the LNS writes a pcap of its L2TP socket that tshark reads
# as it is (synthesized IP + UDP headers around each datagram, port 1701).
#
# Cases: a trace of everything covers tunnel and call setup (SCCRQ SCCRP
# SCCCN ICRQ ICRP ICCN) in both directions with the real addresses and ports,
# and PPP LCP, PAP and IPCP inside data messages; the file is mode 0600 and
# an existing file, a relative path and a second trace are refused; a trace
# filtered by one of two tunnels between the same two peers holds that
# tunnel's messages both ways (its Tunnel ID in, the peer's out) and none of
# the other's; `trace stop` reports packets and bytes; the IPv6 trace too.
. "$(dirname "$0")/lib.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
command -v tshark >/dev/null || skip_all "no tshark"
setup_trap

PC4=10.200.6.2 LNS4=10.200.6.1
PC6=fd00:200:6::2 LNS6=fd00:200:6::1

create_ns_pair pc $PC4 lns $LNS4 || exit 1
connect_ns6 pc $PC6 lns $LNS6

corp_users "$TMPD/users" alice bob carol

lns_conf()
{
	vpdnd_global_conf "$1" "$2" lns.test debug 1 2
	cat <<EOT

[lns]
tunnel-secret = s3cret
local-address = 10.9.0.1
pool = 10.9.0.10-10.9.0.50
users = $TMPD/users
auth = pap
EOT
}

# tfields FILE FILTER FIELD...: tshark fields of the frames matching FILTER.
tfields()
{
	local f=$1 flt=$2
	shift 2
	local args=() x
	for x in "$@"; do
		args+=(-e "$x")
	done
	tshark -n -r "$f" -Y "$flt" -T fields "${args[@]}" 2>/dev/null
}

# tmatch_ck FILE FILTER: tmatch with IP and UDP checksum validation on (off
# by default in tshark, which would make a "Bad" check prove nothing).
tmatch_ck()
{
	local out
	out=$(tshark -n -r "$1" -o ip.check_checksum:TRUE \
	    -o udp.check_checksum:TRUE -Y "$2" -T fields -e frame.number \
	    2>"$TMPD/tshark.err") || return 2
	[ -n "$out" ]
}

# --- IPv4: a full trace, then one filtered by tunnel -------------------------
case_begin
lns_conf lns "$LNS4:1701" >"$TMPD/lns.conf"
corp_clients_conf pc "$PC4:1701" $LNS4 s3cret alice bob >"$TMPD/pc.conf"
start_vpdnd lns lns "$TMPD/lns.conf"
LNS_PID=$VPDND_PID
out=$(vpdnctl_in lns lns trace start "$TMPD/all.pcap")
log_test "trace start answers OK ($out)" $?
start_vpdnd pc pc "$TMPD/pc.conf"
PC_PID=$VPDND_PID
wait_for 15 vpdnd_all_network lns lns 2
log_test "two client sessions reach the PPP network phase" $?

[ "$(stat -c %a "$TMPD/all.pcap")" = 600 ]
log_test "the trace file is mode 0600" $?
out=$(vpdnctl_in lns lns trace start "$TMPD/other.pcap" 2>&1)
[ $? = 1 ] && echo "$out" | grep -q "running" && [ ! -e "$TMPD/other.pcap" ]
log_test "a second trace is refused while one runs" $?
out=$(vpdnctl_in lns lns trace stop)
echo "$out" | grep -Eq "stopped: [1-9][0-9]* packets"
log_test "trace stop reports the packets written ($out)" $?
out=$(vpdnctl_in lns lns trace stop 2>&1)
[ $? = 1 ]
log_test "trace stop without a trace is refused" $?

tshark -n -r "$TMPD/all.pcap" >/dev/null 2>"$TMPD/tshark-r.err"
log_test "tshark -r opens the trace" $?
has_msg "$TMPD/all.pcap" $PC4 1 3 10 12 && has_msg "$TMPD/all.pcap" $LNS4 2 11
log_test "the trace holds SCCRQ SCCCN ICRQ ICCN from the client, SCCRP ICRP from the LNS" $?
[ "$(tfields "$TMPD/all.pcap" "l2tp.avp.message_type == 1" ip.src ip.dst udp.srcport udp.dstport | sort -u)" = \
    "$(printf '%s\t%s\t1701\t1701' $PC4 $LNS4)" ]
log_test "SCCRQ carries the real addresses and ports" $?
tmatch "$TMPD/all.pcap" "l2tp.type == 0 && lcp && ip.src == $PC4" &&
    tmatch "$TMPD/all.pcap" "l2tp.type == 0 && lcp && ip.src == $LNS4"
log_test "PPP LCP inside data messages, both directions" $?
tmatch "$TMPD/all.pcap" "l2tp.type == 0 && pap" &&
    tmatch "$TMPD/all.pcap" "l2tp.type == 0 && ipcp && ip.src == $LNS4"
log_test "PAP and IPCP inside data messages" $?
! tmatch_ck "$TMPD/all.pcap" "_ws.malformed || udp.checksum.status == \"Bad\" || ip.checksum.status == \"Bad\"" &&
    tmatch_ck "$TMPD/all.pcap" "udp.checksum.status == \"Good\" && ip.checksum.status == \"Good\""
log_test "no malformed frame; IP and UDP checksums verify" $?

out=$(vpdnctl_in lns lns trace start "$TMPD/all.pcap" 2>&1)
[ $? = 1 ] && echo "$out" | grep -q "exists"
log_test "an existing file is refused, not overwritten ($out)" $?
ln -s "$TMPD/planted" "$TMPD/link.pcap"
out=$(vpdnctl_in lns lns trace start "$TMPD/link.pcap" 2>&1)
[ $? = 1 ] && [ ! -e "$TMPD/planted" ]
log_test "a symbolic link is not followed ($out)" $?
out=$(vpdnctl_in lns lns trace start rel.pcap 2>&1)
[ $? = 1 ] && echo "$out" | grep -q "absolute"
log_test "a relative path is refused" $?
vpdnctl_in lns lns trace start "$TMPD/x.pcap" tunnel 65000 >/dev/null 2>&1
[ $? = 1 ] && [ ! -e "$TMPD/x.pcap" ]
log_test "a trace of an unknown tunnel is refused" $?

# Filtered by tunnel A: the two tunnels share both addresses and ports.
j=$(vpdnctl_in lns lns show tunnels --json)
A=$(json_field "$j" tunnels 0 local_id) A_PEER=$(json_field "$j" tunnels 0 peer_id)
B=$(json_field "$j" tunnels 1 local_id) B_PEER=$(json_field "$j" tunnels 1 peer_id)
vpdnctl_in lns lns trace start "$TMPD/a.pcap" tunnel "$A" >/dev/null
log_test "trace start FILE tunnel $A answers OK" $?
sleep 3.5	# Hellos every second in all four directions
vpdnctl_in lns lns trace stop >/dev/null
in_ids=$(tfields "$TMPD/a.pcap" "l2tp && ip.src == $PC4" l2tp.tunnel | sort -u)
out_ids=$(tfields "$TMPD/a.pcap" "l2tp && ip.src == $LNS4" l2tp.tunnel | sort -u)
[ "$in_ids" = "$A" ] && [ "$out_ids" = "$A_PEER" ]
log_test "filtered trace: tunnel $A in, peer's $A_PEER out, nothing else (in: $(echo $in_ids) out: $(echo $out_ids))" $?
has_msg "$TMPD/a.pcap" $PC4 6 && has_msg "$TMPD/a.pcap" $LNS4 6
log_test "filtered trace holds tunnel $A's Hellos both ways" $?
! tmatch "$TMPD/a.pcap" "l2tp.tunnel == $B || l2tp.tunnel == $B_PEER"
log_test "filtered trace holds nothing of tunnel $B" $?

# The tunnel's last messages are traced after it is gone.
vpdnctl_in lns lns trace start "$TMPD/b.pcap" tunnel "$B" >/dev/null
vpdnctl_in lns lns disconnect tunnel "$B" >/dev/null
wait_for 10 vpdnd_state_is pc pc tunnels 1 established
sleep 1
vpdnctl_in lns lns trace stop >/dev/null
has_msg "$TMPD/b.pcap" $LNS4 4 && has_msg "$TMPD/b.pcap" $PC4 ZLB &&
    ! tmatch "$TMPD/b.pcap" "l2tp.tunnel == $A || l2tp.tunnel == $A_PEER"
log_test "filtered trace of a closed tunnel: StopCCN and its ack, nothing of $A" $?

vpdnd_sane pc "$PC_PID"
log_test "client exits 0" $?
vpdnd_sane lns "$LNS_PID"
log_test "LNS exits 0 with no sanitizer report" $?
case_end lns pc

# --- IPv6 ------------------------------------------------------------------
case_begin
lns_conf lns6 "[::]:1701" >"$TMPD/lns6.conf"
corp_clients_conf pc6 "[$PC6]:1701" "$LNS6" s3cret carol >"$TMPD/pc6.conf"
start_vpdnd lns lns6 "$TMPD/lns6.conf"
LNS_PID=$VPDND_PID
vpdnctl_in lns lns6 trace start "$TMPD/v6.pcap" >/dev/null
start_vpdnd pc pc6 "$TMPD/pc6.conf"
PC_PID=$VPDND_PID
wait_for 15 vpdnd_all_network lns lns6 1
log_test "IPv6: session reaches the network phase" $?
vpdnctl_in lns lns6 trace stop >/dev/null
[ "$(tfields "$TMPD/v6.pcap" "l2tp.avp.message_type == 2" ipv6.src ipv6.dst udp.srcport | sort -u)" = \
    "$(printf '%s\t%s\t1701' $LNS6 $PC6)" ]
log_test "IPv6: SCCRP from the address the SCCRQ reached, not the wildcard" $?
tmatch "$TMPD/v6.pcap" "ipv6 && l2tp.type == 0 && ipcp" &&
    ! tmatch_ck "$TMPD/v6.pcap" "_ws.malformed || udp.checksum.status == \"Bad\""
log_test "IPv6: IPCP inside data messages, no malformed frame or bad checksum" $?
vpdnd_sane pc6 "$PC_PID"
vpdnd_sane lns6 "$LNS_PID"
log_test "IPv6: both exit 0" $?
case_end lns6 pc6

finish
