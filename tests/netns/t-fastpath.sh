#!/bin/bash
# The LNS's kernel fast path (`dataplane = kernel`, dataplane/bpf/): a
# vpdnd client dials the LNS, which routes the session into an intranet.
#
#   client 10.202.1.2 ==veth== 10.202.1.1 lns 10.202.0.1 ==veth== 10.202.0.2 intranet
#          vpdn-c (TUN)                     vpdn-fl (TUN, /32 per session)
#
# Cases: the session is up and `show sessions --json` says path kernel;
# with `fastpath-ingress` naming the intranet side, vpdn_fp_encap sits on
# its ingress; ping both ways; the packets did not cross vpdnd (the
# programs' counters for the session grow by what was sent, the LNS TUN's
# counters and the L2TP session's own do not) nor the LNS's IP forwarding;
# a 1500-byte DF datagram towards the user gets ICMP Fragmentation Needed
# (PMTU 1400, the LNS's mtu), and one from the user too big for the
# intranet link gets it too; 10 MB of TCP both ways with equal SHA-256,
# from senders whose veth keeps checksum offload (CHECKSUM_PARTIAL);
# `vpdnctl disconnect session` in the middle of a flow leaves no entry in
# the programs' maps, and what comes for its address afterwards is handed
# to the stack, none of it wrapped; kill -9 of the LNS and a
# restart leave exactly one filter of ours on the L2TP-facing interface
# and a foreign filter there untouched; the same session with
# `dataplane = user` says path user and still carries the ping.
#
# Needs root with BPF (CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN) and bpftool;
# skips, saying so, only when the programs cannot load here.
. "$(dirname "$0")/lib.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
require_cmds bpftool tc
setup_trap

TOOLS="$NETNS_DIR/tools"
C_ADDR=10.202.1.2 L_ADDR=10.202.1.1
L_IN=10.202.0.1 HOST=10.202.0.2
POOL_LO=10.202.100.10 POOL_HI=10.202.100.20
C_IF=vpdn-c L_IF=vpdn-fl
# shellcheck disable=SC2034  # read by xfer() in lib.sh
XFER_BYTES=$((10 * 1024 * 1024))

topology()
{
	create_ns client || return 1
	create_ns lns || return 1
	create_ns intranet || return 1
	router_sysctls client; router_sysctls lns; router_sysctls intranet
	connect_ns client $C_ADDR lns $L_ADDR || return 1
	connect_ns lns $L_IN intranet $HOST || return 1
	ip -n "$(ns intranet)" route add 10.202.100.0/24 via $L_IN
}

# lns_conf NAME DATAPLANE [GLOBAL-LINE...]
lns_conf()
{
	vpdnd_global_conf "$1" $L_ADDR:1701 lns.test debug 1 2
	printf '%s\n' "${@:3}"
	cat <<EOT
dataplane = $2

[lns]
local-address = 10.202.100.1
pool = $POOL_LO-$POOL_HI
auth = pap
users = $TMPD/users
interface = $L_IF
mtu = 1400
EOT
}

client_conf()
{
	ppp_client_conf "$1" $C_ADDR:1701 $L_ADDR alice alice-pw pap $C_IF 10.202.0.0/24
}

ppp_up()
{
	vpdnd_all_network "$1" "$2" 1
}

sessions_json()
{
	vpdnctl_in lns "$1" show sessions --json 2>/dev/null || echo '{"sessions":[]}'
}

# L2TP_IF: the LNS's interface towards the client (the tunnel arrives there);
# IN_IF: towards the intranet (fastpath-ingress in the first kernel case).
L2TP_IF=$(veth_name client)
IN_IF=$(veth_name intranet)

# prog_ids: the ids of our programs on L2TP_IF's ingress and the TUN's
# egress.
prog_ids()
{
	{ in_ns lns tc -j filter show dev "$L2TP_IF" ingress 2>/dev/null
	  echo
	  in_ns lns tc -j filter show dev $L_IF egress 2>/dev/null; } | python3 -c '
import json, sys
for line in sys.stdin:
    if not line.strip():
        continue
    for f in json.loads(line):
        o = f.get("options", {})
        if o.get("bpf_name", "").startswith("vpdn_fp_"):
            print(o.get("prog", {}).get("id", ""))' 2>/dev/null
}

# our_filters: how many filters running our programs L2TP_IF's ingress has.
our_filters()
{
	in_ns lns tc -j filter show dev "$L2TP_IF" ingress 2>/dev/null | python3 -c '
import json, sys
print(sum(1 for f in json.load(sys.stdin)
          if f.get("options", {}).get("bpf_name", "").startswith("vpdn_fp_")))' 2>/dev/null
}

# map_of NAME: the id of our running program's map NAME (fp_rx, fp_tx,
# fp_stats); maps are not per namespace, so found through the program.
map_of()
{
	local ids
	ids=$(prog_ids)
	[ -n "$ids" ] || return 1
	python3 -c '
import json, subprocess, sys
def bt(*a):
    return json.loads(subprocess.run(["bpftool", "-j"] + list(a),
                      capture_output=True, text=True).stdout)
for p in sys.argv[2:]:
    for m in bt("prog", "show", "id", p).get("map_ids", []):
        if bt("map", "show", "id", str(m)).get("name") == sys.argv[1]:
            print(m); sys.exit(0)
sys.exit(1)' "$1" $ids
}

# fp_stats: "RXPKTS TXPKTS" the programs counted, over every session.
fp_stats()
{
	local id
	id=$(map_of fp_stats) || { echo "0 0"; return; }
	bpftool -j map dump id "$id" 2>/dev/null | python3 -c '
import json, sys
rx = tx = 0
for e in json.load(sys.stdin):
    for v in e["formatted"]["values"]:
        rx += v["value"]["rx_packets"]; tx += v["value"]["tx_packets"]
print(rx, tx)'
}

# map_entries NAME: how many entries our map NAME holds.
map_entries()
{
	local id
	id=$(map_of "$1") || { echo "?"; return; }
	bpftool -j map dump id "$id" 2>/dev/null | python3 -c '
import json, sys
print(len(json.load(sys.stdin)))'
}

# fp_global INDEX: the programs' counter INDEX (enum fp_counter in
# fastpath_maps.h), summed over CPUs.
fp_global()
{
	local id
	id=$(map_of fp_global) || { echo 0; return; }
	bpftool -j map dump id "$id" 2>/dev/null | python3 -c '
import json, sys
for e in json.load(sys.stdin):
    f = e.get("formatted", e)
    if f["key"] == int(sys.argv[1]):
        print(sum(v["value"] for v in f["values"])); break
else:
    print(0)' "$1"
}
FP_TX_ENCAP=12 FP_TX_PASS_NO_SESSION=14

# tun_pkts: "RX TX" packets of the LNS's TUN device.
tun_pkts()
{
	in_ns lns cat /sys/class/net/$L_IF/statistics/rx_packets \
	    /sys/class/net/$L_IF/statistics/tx_packets | tr '\n' ' '
}

# own_pkts NAME: "RX TX" of the session's L2TP counters without the fast
# path's: what went through vpdnd itself.
own_pkts()
{
	local s f
	s=$(sessions_json "$1")
	f=$(fp_stats)
	jval "$s" "'%d %d' % (d['sessions'][0]['rx_packets'] - ${f% *}, d['sessions'][0]['tx_packets'] - ${f#* })"
}

# forwarded: datagrams the LNS's own IP stack has forwarded (ForwDatagrams,
# /proc/net/snmp): the fast path's packets are not among them.
forwarded()
{
	in_ns lns awk '/^Ip: [0-9]/ { print $7 }' /proc/net/snmp
}

# pmtu_to ADDR: from the intranet, 1500-byte datagrams with DF towards
# ADDR until the kernel learnt a smaller path MTU (ICMP Fragmentation
# Needed, RFC 1191); prints it, fails if none came.
pmtu_to()
{
	in_ns intranet python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, 10, 2)     # IP_MTU_DISCOVER = IP_PMTUDISC_DO
s.connect((sys.argv[1], 9))
mtu = 1500
for _ in range(20):
    try:
        s.send(b"x" * 1472)
    except OSError:
        pass
    time.sleep(0.1)
    mtu = s.getsockopt(socket.IPPROTO_IP, 14)  # IP_MTU
    if mtu < 1500:
        break
print(mtu)
sys.exit(0 if mtu < 1500 else 1)' "$1"
}

# pmtu_up: from the client, 1400-byte datagrams with DF to the intranet
# host until its kernel learnt a smaller path MTU; prints it, fails if none.
pmtu_up()
{
	in_ns client python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, 10, 2)     # IP_MTU_DISCOVER = IP_PMTUDISC_DO
s.connect((sys.argv[1], 9))
mtu = 1400
for _ in range(20):
    try:
        s.send(b"x" * 1372)
    except OSError:
        pass
    time.sleep(0.1)
    mtu = s.getsockopt(socket.IPPROTO_IP, 14)  # IP_MTU
    if mtu < 1400:
        break
print(mtu)
sys.exit(0 if mtu < 1400 else 1)' "$1"
}

topology || exit 1
# The intranet host's veth keeps its TX checksum offload (the default): its
# TCP and UDP reach the LNS CHECKSUM_PARTIAL, which the programs finish
# before encapsulating (the client's vpdnd reads a UDP socket, where
# nothing else would).
echo "alice alice-pw" >"$TMPD/users"

# ---- can the programs load here? -------------------------------------------
lns_conf probe kernel >"$TMPD/probe.conf"
if ! start_vpdnd lns probe "$TMPD/probe.conf" >/dev/null 2>&1; then
	why=$(grep -o "dataplane = kernel: .*" "$TMPD/probe.log" | head -1)
	[ -n "$why" ] || { log "vpdnd did not start:"; tail -5 "$TMPD/probe.log"; }
	[ -n "$why" ] && skip_all "skip: the BPF programs cannot load here ($why)"
	log_test "vpdnd with dataplane = kernel starts" 1
	finish
fi
stop_pid "$VPDND_PID" TERM 10

# ---- kernel: the session's data in the fast path ----------------------------
case_begin
lns_conf lns-k kernel "fastpath-ingress = $IN_IF" >"$TMPD/lns-k.conf"
client_conf cl-k >"$TMPD/cl-k.conf"
start_vpdnd lns lns-k "$TMPD/lns-k.conf"
LNS_PID=$VPDND_PID
start_vpdnd client cl-k "$TMPD/cl-k.conf"
CL_PID=$VPDND_PID
wait_for 15 ppp_up lns lns-k
log_test "kernel: the session reaches PPP phase network" $?
wait_for 5 ppp_up client cl-k
A=$(json_field "$(sessions_json lns-k)" sessions 0 address)
[ "$(json_field "$(sessions_json lns-k)" sessions 0 path)" = kernel ]
log_test "kernel: show sessions --json says path kernel" $?
vpdnctl_in lns lns-k show sessions | head -1 | grep -q PATH
log_test "kernel: show sessions has a PATH column" $?
[ "$(our_filters)" = 1 ]
log_test "kernel: one filter of ours on $L2TP_IF's ingress" $?
in_ns lns tc filter show dev "$IN_IF" ingress | grep -q "vpdn_fp_encap"
log_test "kernel: vpdn_fp_encap on $IN_IF's ingress (fastpath-ingress)" $?

# Neighbours resolved on every hop first: until then the programs leave
# packets to the stack (and so to vpdnd), as they should.
run_cmd client python3 "$TOOLS/ping.py" -c 3 -i 0.2 -W 2 $HOST
run_cmd intranet python3 "$TOOLS/ping.py" -c 3 -i 0.2 -W 2 "$A"
sleep 0.5
read -r t_rx0 t_tx0 <<<"$(tun_pkts)"
read -r f_rx0 f_tx0 <<<"$(fp_stats)"
read -r o_rx0 o_tx0 <<<"$(own_pkts lns-k)"
fw0=$(forwarded)
t_start=$SECONDS
run_cmd client python3 "$TOOLS/ping.py" -c 20 -i 0.05 -W 2 $HOST
log_test "kernel: 20 pings from the client to the intranet host" $?
run_cmd intranet python3 "$TOOLS/ping.py" -c 20 -i 0.05 -W 2 "$A"
log_test "kernel: 20 pings from the intranet host to the client ($A)" $?
read -r t_rx1 t_tx1 <<<"$(tun_pkts)"
read -r f_rx1 f_tx1 <<<"$(fp_stats)"
read -r o_rx1 o_tx1 <<<"$(own_pkts lns-k)"
fw1=$(forwarded)
log "fast path rx $f_rx0->$f_rx1 tx $f_tx0->$f_tx1; TUN rx $t_rx0->$t_rx1 tx $t_tx0->$t_tx1; vpdnd rx $o_rx0->$o_rx1 tx $o_tx0->$o_tx1"
[ $((f_rx1 - f_rx0)) -ge 40 ] && [ $((f_tx1 - f_tx0)) -ge 40 ]
log_test "kernel: the programs carried the 40 packets each way" $?
# LCP Echo (every 10 s, both ends ask) and Hello are vpdnd's own: allow
# two each way per 10 s the pings took (a loaded machine stretches them),
# far below the 40 packets each way the check is about.
own_allow=$((2 * ((SECONDS - t_start) / 10 + 1)))
[ $((t_rx1 - t_rx0)) -le 1 ] && [ $((t_tx1 - t_tx0)) -le 1 ] &&
    [ $((o_rx1 - o_rx0)) -le $own_allow ] &&
    [ $((o_tx1 - o_tx0)) -le $own_allow ]
log_test "kernel: neither the LNS's TUN nor vpdnd saw them" $?
# Encapsulated on $IN_IF's ingress, decapsulated on $L2TP_IF's: the LNS's
# routing forwarded neither (through the TUN it would have; ARP aside).
log "LNS stack forwarded $fw0->$fw1"
[ $((fw1 - fw0)) -le 2 ]
log_test "kernel: the LNS's stack forwarded none of them" $?

m=$(pmtu_to "$A")
rc=$?
[ $rc = 0 ] && [ "$m" -le 1400 ]
log_test "kernel: 1500-byte DF towards the user gets PMTU $m (<= 1400)" $?
# Upstream too big for the intranet link: vpdn_fp_decap leaves it to the
# stack (its fib lookup says so), which answers the client with ICMP
# Fragmentation Needed through the session.
in_ns lns ip link set "$IN_IF" mtu 1300
m=$(pmtu_up $HOST)
rc=$?
in_ns lns ip link set "$IN_IF" mtu 1500
[ $rc = 0 ] && [ "$m" -le 1300 ]
log_test "kernel: 1400-byte DF from the user over a 1300 link gets PMTU $m (<= 1300)" $?
xfer client intranet $HOST 5001 k-up
log_test "kernel: 10 MB TCP client -> intranet, SHA-256 equal" $?
xfer intranet client "$A" 5002 k-down
log_test "kernel: 10 MB TCP intranet -> client, SHA-256 equal" $?

# A session ended in the middle of a flow: nothing of it stays in the maps.
in_ns intranet python3 "$TOOLS/ping.py" -c 100 -i 0.02 -W 1 "$A" >/dev/null 2>&1 &
fpid=$!
sleep 0.5
SID=$(json_field "$(sessions_json lns-k)" sessions 0 local_id)
vpdnctl_in lns lns-k disconnect session "$SID" >/dev/null
log_test "kernel: vpdnctl disconnect session mid-traffic answers OK" $?
wait $fpid
wait_for 10 vpdnd_none_live lns lns-k sessions
[ "$(map_entries fp_rx)" = 0 ] && [ "$(map_entries fp_tx)" = 0 ] &&
    [ "$(map_entries fp_stats)" = 0 ]
log_test "kernel: no entry left in fp_rx, fp_tx, fp_stats" $?
# What still comes for the ended session's address is no session's: the
# programs hand it to the stack (counted), and wrap none of it.
e0=$(fp_global $FP_TX_ENCAP) n0=$(fp_global $FP_TX_PASS_NO_SESSION)
in_ns intranet python3 "$TOOLS/ping.py" -c 5 -i 0.05 -W 1 "$A" >/dev/null 2>&1
e1=$(fp_global $FP_TX_ENCAP) n1=$(fp_global $FP_TX_PASS_NO_SESSION)
log "after the end: tx_encap $e0->$e1, tx_pass_no_session $n0->$n1"
[ "$e1" = "$e0" ] && [ $((n1 - n0)) -ge 5 ]
log_test "kernel: after the end, packets to its address go to the stack" $?
stop_pid "$CL_PID" TERM 10

# kill -9, a foreign filter beside ours, and a restart.
in_ns lns tc filter add dev "$L2TP_IF" ingress prio 7 protocol ip \
    u32 match ip dst 192.0.2.1/32 flowid 1:1
log_test "kill: a foreign filter added beside ours" $?
kill -KILL "$LNS_PID"
wait "$LNS_PID" 2>/dev/null
[ "$(our_filters)" = 1 ]
log_test "kill: the dead LNS's filter stays attached" $?
# This one drops to nobody: what the fast path does after start (attach,
# map updates, counters, detach) needs no more than vpdnd keeps (vpdnd(8)).
lns_conf lns-k2 kernel "user = nobody" "group = nogroup" >"$TMPD/lns-k2.conf"
chmod 0711 "$TMPD"
start_vpdnd lns lns-k2 "$TMPD/lns-k2.conf"
LNS_PID=$VPDND_PID
grep -q "removed a dead instance's filter" "$TMPD/lns-k2.log"
log_test "kill: the restarted LNS removed the dead one's filter" $?
grep -q "running as user nobody" "$TMPD/lns-k2.log"
log_test "kill: the restarted LNS runs as nobody" $?
start_vpdnd client cl-k2 "$TMPD/cl-k.conf"
CL_PID=$VPDND_PID
wait_for 15 ppp_up lns lns-k2
log_test "kill: a new session after the restart" $?
[ "$(our_filters)" = 1 ]
log_test "kill: exactly one filter of ours after the restart" $?
in_ns lns tc filter show dev "$L2TP_IF" ingress | grep -q "u32"
log_test "kill: the foreign filter is still there" $?
A=$(json_field "$(sessions_json lns-k2)" sessions 0 address)
run_cmd intranet python3 "$TOOLS/ping.py" -c 3 -i 0.2 -W 2 "$A"
log_test "kill: ping through the new session" $?
[ "$(json_field "$(sessions_json lns-k2)" sessions 0 path)" = kernel ] &&
    [ "$(json_field "$(sessions_json lns-k2)" sessions 0 tx_packets)" -ge 3 ]
log_test "kill: as nobody, the session is in the fast path and counted" $?
stop_pid "$CL_PID" TERM 10
vpdnd_sane lns-k2 "$LNS_PID"
log_test "kernel: LNS exits 0 on SIGTERM, no sanitizer report" $?
[ "$(our_filters)" = 0 ]
log_test "kernel: no filter of ours left after a clean exit" $?
in_ns lns tc filter del dev "$L2TP_IF" ingress prio 7
case_end lns-k lns-k2 cl-k cl-k2

# ---- user: the same session, every packet through vpdnd --------------------
case_begin
lns_conf lns-u user >"$TMPD/lns-u.conf"
client_conf cl-u >"$TMPD/cl-u.conf"
start_vpdnd lns lns-u "$TMPD/lns-u.conf"
LNS_PID=$VPDND_PID
start_vpdnd client cl-u "$TMPD/cl-u.conf"
CL_PID=$VPDND_PID
wait_for 15 ppp_up lns lns-u
log_test "user: the session reaches PPP phase network" $?
[ "$(json_field "$(sessions_json lns-u)" sessions 0 path)" = user ]
log_test "user: show sessions --json says path user" $?
A=$(json_field "$(sessions_json lns-u)" sessions 0 address)
read -r t_rx0 t_tx0 <<<"$(tun_pkts)"
run_cmd intranet python3 "$TOOLS/ping.py" -c 5 -i 0.1 -W 2 "$A"
log_test "user: ping from the intranet host to the client" $?
read -r t_rx1 t_tx1 <<<"$(tun_pkts)"
[ $((t_tx1 - t_tx0)) -ge 5 ] && [ $((t_rx1 - t_rx0)) -ge 5 ]
log_test "user: the packets went through the LNS's TUN" $?
[ "$(our_filters)" = 0 ]
log_test "user: no filter of ours attached" $?
stop_pid "$CL_PID" TERM 10
vpdnd_sane lns-u "$LNS_PID"
log_test "user: LNS exits 0 on SIGTERM, no sanitizer report" $?
case_end lns-u cl-u

finish
