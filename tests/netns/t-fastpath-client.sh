#!/bin/bash
# The client's kernel fast path (`dataplane = kernel` in the client's
# vpdnd): its call's IPv4 data is encapsulated on its TUN's egress
# (vpdn_fp_cli_enc) and decapsulated on the L2TP-facing veth's ingress
# straight into the TUN (vpdn_fp_decap, FP_RX_CLI), against an LNS that
# is in the kernel path too.
#
#   client 10.203.1.2 ==veth== 10.203.1.1 lns 10.203.0.1 ==veth== 10.203.0.2 intranet
#          vpdn-cc (TUN)                    vpdn-fc (TUN)
#
# Cases: `show clients --json` and `show sessions --json` of the client say
# path kernel; vpdn_fp_decap on the client's veth ingress and
# vpdn_fp_cli_enc on its TUN's egress; pings both ways did not cross the
# client's vpdnd (its programs' counters for the session grow by what was
# sent, its TUN's counters and the L2TP session's own do not), and the
# counters show in `show clients`; 10 MB of TCP both ways with equal
# SHA-256; a disconnect from the LNS leaves no entry in the client's maps
# and the TUN's filter goes with the call; the client exits clean with no
# filter left; with `[global] fastpath-veth-gso = yes` on both ends the
# same 10 MB cross the veths as whole TCP aggregates (FP_RX_DECAP_GSO
# grows on the client and the LNS), arrive intact, are counted per
# segment, and still bypass the client's TUN; with `dataplane = user` the
# client says path user and its packets go through its TUN.
#
# Needs root with BPF (CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN) and bpftool;
# skips, saying so, only when the programs cannot load here.
. "$(dirname "$0")/lib.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
require_cmds bpftool tc
setup_trap

TOOLS="$NETNS_DIR/tools"
C_ADDR=10.203.1.2 L_ADDR=10.203.1.1
L_IN=10.203.0.1 HOST=10.203.0.2
POOL_LO=10.203.100.10 POOL_HI=10.203.100.20
C_IF=vpdn-cc L_IF=vpdn-fc
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
	ip -n "$(ns intranet)" route add 10.203.100.0/24 via $L_IN
}

# lns_conf NAME DATAPLANE [VETH_GSO]
lns_conf()
{
	vpdnd_global_conf "$1" $L_ADDR:1701 lns.test debug 1 2
	cat <<EOT
dataplane = $2
fastpath-veth-gso = ${3:-no}

[lns]
local-address = 10.203.100.1
pool = $POOL_LO-$POOL_HI
auth = pap
users = $TMPD/users
interface = $L_IF
mtu = 1400
EOT
}

# client_conf NAME DATAPLANE [VETH_GSO]
client_conf()
{
	ppp_client_conf "$1" $C_ADDR:1701 $L_ADDR alice alice-pw pap $C_IF 10.203.0.0/24 |
	    sed "/^log-level/a dataplane = $2\nfastpath-veth-gso = ${3:-no}"
}

sessions_json()
{
	vpdnctl_in "$1" "$2" show sessions --json 2>/dev/null || echo '{"sessions":[]}'
}
clients_json()
{
	vpdnctl_in client "$1" show clients --json 2>/dev/null || echo '{"clients":[]}'
}

C_VETH=$(veth_name lns) # the client's interface towards the LNS

# fp_stats: "RXPKTS TXPKTS" the client's programs counted.
fp_stats()
{
	python3 "$TOOLS/fp_packets.py" --stats "$(ns client)"
}

# fp_globals: the client programs' non-zero counters, for the log.
fp_globals()
{
	python3 "$TOOLS/fp_packets.py" --global "$(ns client)"
}

# fp_counter NETNS NAME: one program counter (enum fp_counter) there.
fp_counter()
{
	python3 "$TOOLS/fp_packets.py" --counter "$2" "$(ns "$1")"
}

# tun_pkts: "RX TX" packets of the client's TUN device.
tun_pkts()
{
	in_ns client cat /sys/class/net/$C_IF/statistics/rx_packets \
	    /sys/class/net/$C_IF/statistics/tx_packets | tr '\n' ' '
}

# own_pkts NAME: "RX TX" of the client session's L2TP counters without the
# fast path's: what went through the client's vpdnd itself.
own_pkts()
{
	local s f
	s=$(sessions_json client "$1")
	f=$(fp_stats)
	jval "$s" "'%d %d' % (d['sessions'][0]['rx_packets'] - ${f% *}, d['sessions'][0]['tx_packets'] - ${f#* })"
}

# start_pair LNS CLIENT: vpdnd LNS and CLIENT with their TMPD/NAME.conf;
# LNS_PID, CL_PID.
start_pair()
{
	start_vpdnd lns "$1" "$TMPD/$1.conf"
	LNS_PID=$VPDND_PID
	start_vpdnd client "$2" "$TMPD/$2.conf"
	CL_PID=$VPDND_PID
}

# xfer_both CASE PORT: 10 MB of TCP from the client to the intranet host
# (on PORT) and back (PORT + 1) to the client's address A, each compared by
# SHA-256 and reported under CASE.
xfer_both()
{
	xfer client intranet $HOST "$2" "$1-up"
	log_test "$1: 10 MB TCP client -> intranet, SHA-256 equal" $?
	xfer intranet client "$A" $(($2 + 1)) "$1-down"
	log_test "$1: 10 MB TCP intranet -> client, SHA-256 equal" $?
}

filter_on()
{
	in_ns client tc filter show dev "$1" "$2" 2>/dev/null | grep -q "$3"
}

topology || exit 1
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

# ---- kernel: the client's data in the fast path -----------------------------
case_begin
lns_conf lns-k kernel >"$TMPD/lns-k.conf"
client_conf cl-k kernel >"$TMPD/cl-k.conf"
start_pair lns-k cl-k
wait_for 15 vpdnd_all_network lns lns-k 1
log_test "kernel: the session reaches PPP phase network" $?
wait_for 5 vpdnd_all_network client cl-k 1
wait_for 5 filter_on $C_IF egress vpdn_fp_cli_enc
log_test "kernel: vpdn_fp_cli_enc on the client TUN's egress" $?
filter_on "$C_VETH" ingress vpdn_fp_decap
log_test "kernel: vpdn_fp_decap on the client's veth ingress" $?
A=$(json_field "$(clients_json cl-k)" clients 0 address)
[ "$(json_field "$(clients_json cl-k)" clients 0 path)" = kernel ]
log_test "kernel: show clients --json says path kernel" $?
[ "$(json_field "$(sessions_json client cl-k)" sessions 0 path)" = kernel ]
log_test "kernel: the client's show sessions --json says path kernel" $?

# Neighbours resolved on every hop first: until then the programs leave
# packets to the stack (and so to vpdnd), as they should.
run_cmd client python3 "$TOOLS/ping.py" -c 3 -i 0.2 -W 2 $HOST
run_cmd intranet python3 "$TOOLS/ping.py" -c 3 -i 0.2 -W 2 "$A"
sleep 0.5
read -r t_rx0 t_tx0 <<<"$(tun_pkts)"
read -r f_rx0 f_tx0 <<<"$(fp_stats)"
read -r o_rx0 o_tx0 <<<"$(own_pkts cl-k)"
c_rx0=$(json_field "$(clients_json cl-k)" clients 0 rx_frames)
t_start=$SECONDS
run_cmd client python3 "$TOOLS/ping.py" -c 20 -i 0.05 -W 2 $HOST
log_test "kernel: 20 pings from the client to the intranet host" $?
run_cmd intranet python3 "$TOOLS/ping.py" -c 20 -i 0.05 -W 2 "$A"
log_test "kernel: 20 pings from the intranet host to the client ($A)" $?
read -r t_rx1 t_tx1 <<<"$(tun_pkts)"
read -r f_rx1 f_tx1 <<<"$(fp_stats)"
read -r o_rx1 o_tx1 <<<"$(own_pkts cl-k)"
c_rx1=$(json_field "$(clients_json cl-k)" clients 0 rx_frames)
log "client fast path rx $f_rx0->$f_rx1 tx $f_tx0->$f_tx1; TUN rx $t_rx0->$t_rx1 tx $t_tx0->$t_tx1; vpdnd rx $o_rx0->$o_rx1 tx $o_tx0->$o_tx1; show clients rx_frames $c_rx0->$c_rx1"
[ $((f_rx1 - f_rx0)) -ge 40 ] && [ $((f_tx1 - f_tx0)) -ge 40 ]
log_test "kernel: the client's programs carried the 40 packets each way" $?
# LCP Echo (every 10 s, both ends ask) and Hello are vpdnd's own.
own_allow=$((2 * ((SECONDS - t_start) / 10 + 1)))
[ $((t_rx1 - t_rx0)) -le 1 ] && [ $((t_tx1 - t_tx0)) -le 1 ] &&
    [ $((o_rx1 - o_rx0)) -le $own_allow ] &&
    [ $((o_tx1 - o_tx0)) -le $own_allow ]
log_test "kernel: neither the client's TUN nor its vpdnd saw them" $?
[ $((c_rx1 - c_rx0)) -ge 40 ]
log_test "kernel: show clients counts what the kernel carried" $?

xfer_both kernel 5001
read -r t_rx2 t_tx2 <<<"$(tun_pkts)"
read -r f_rx2 f_tx2 <<<"$(fp_stats)"
log "client program counters: $(fp_globals)"
log "after TCP: client fast path rx $f_rx1->$f_rx2 tx $f_tx1->$f_tx2; TUN rx $t_rx1->$t_rx2 tx $t_tx1->$t_tx2"
[ $((f_rx2 - f_rx1)) -ge 7000 ] && [ $((f_tx2 - f_tx1)) -ge 7000 ] &&
    [ $((t_rx2 - t_rx1)) -le 10 ] && [ $((t_tx2 - t_tx1)) -le 10 ]
log_test "kernel: the TCP transfers went through the client's programs, not its TUN" $?

# The LNS ends the call: the client's entries go with it (its programs
# stay loaded on the veth), and the TUN's filter with the TUN.
SID=$(json_field "$(sessions_json lns lns-k)" sessions 0 local_id)
vpdnctl_in lns lns-k disconnect session "$SID" >/dev/null
log_test "kernel: the LNS disconnects the session" $?
wait_for 10 vpdnd_none_live client cl-k sessions
# fp_cli_tx is reached through vpdn_fp_cli_enc, gone with the TUN.
[ "$(python3 "$TOOLS/fp_packets.py" --entries "$(ns client)")" = 0 ] &&
    ! ip -n "$(ns client)" link show $C_IF >/dev/null 2>&1
log_test "kernel: no entry left in the client's session maps; TUN gone" $?
stop_pid "$CL_PID" TERM 10
vpdnd_sane cl-k "$CL_PID"
log_test "kernel: client exits 0 on SIGTERM, no sanitizer report" $?
! filter_on "$C_VETH" ingress vpdn_fp_
log_test "kernel: no filter of ours left on the client's veth" $?
stop_pid "$LNS_PID" TERM 10
case_end lns-k cl-k

# ---- veth-gso: TCP aggregates cross the veths whole -------------------------
# Both tunnel ends in the kernel path and declared for it: the client's
# TUN is not limited to one segment per packet, its aggregates are
# encapsulated whole onto the veth, and the LNS decapsulates them whole
# towards the intranet's veth; the other way the client decapsulates the
# LNS's aggregates whole into its TUN.
case_begin
lns_conf lns-g kernel yes >"$TMPD/lns-g.conf"
client_conf cl-g kernel yes >"$TMPD/cl-g.conf"
start_pair lns-g cl-g
wait_for 15 vpdnd_all_network client cl-g 1
log_test "veth-gso: the session reaches PPP phase network" $?
wait_for 5 filter_on $C_IF egress vpdn_fp_cli_enc
[ "$(json_field "$(clients_json cl-g)" clients 0 path)" = kernel ]
log_test "veth-gso: show clients --json says path kernel" $?
segs=$(ip -n "$(ns client)" -d link show $C_IF | grep -o 'gso_max_segs [0-9]*')
[ "${segs#* }" -gt 1 ]
log_test "veth-gso: the client's TUN keeps its aggregates" $?
A=$(json_field "$(clients_json cl-g)" clients 0 address)
run_cmd client python3 "$TOOLS/ping.py" -c 3 -i 0.2 -W 2 $HOST
run_cmd intranet python3 "$TOOLS/ping.py" -c 3 -i 0.2 -W 2 "$A"
sleep 0.5
read -r t_rx0 t_tx0 <<<"$(tun_pkts)"
read -r f_rx0 f_tx0 <<<"$(fp_stats)"
cg0=$(fp_counter client FP_RX_DECAP_GSO)
lg0=$(fp_counter lns FP_RX_DECAP_GSO)
xfer_both veth-gso 5003
read -r t_rx1 t_tx1 <<<"$(tun_pkts)"
read -r f_rx1 f_tx1 <<<"$(fp_stats)"
cg1=$(fp_counter client FP_RX_DECAP_GSO)
lg1=$(fp_counter lns FP_RX_DECAP_GSO)
log "veth-gso: aggregates decapsulated whole: client $cg0->$cg1, LNS $lg0->$lg1; client fast path rx $f_rx0->$f_rx1 tx $f_tx0->$f_tx1; TUN rx $t_rx0->$t_rx1 tx $t_tx0->$t_tx1"
log "client program counters: $(fp_globals)"
[ $((cg1 - cg0)) -ge 10 ] && [ $((lg1 - lg0)) -ge 10 ]
log_test "veth-gso: aggregates decapsulated whole on the client and the LNS" $?
# 10 MB in segments of at most 1400 - 40 octets is over 7,700 of them
# each way: counted per aggregate it would be a few hundred.
[ $((f_rx1 - f_rx0)) -ge 7000 ] && [ $((f_tx1 - f_tx0)) -ge 7000 ]
log_test "veth-gso: the client's counters count segments, not aggregates" $?
[ $((t_rx1 - t_rx0)) -le 10 ] && [ $((t_tx1 - t_tx0)) -le 10 ]
log_test "veth-gso: the TCP transfers did not cross the client's TUN queue" $?
stop_pid "$CL_PID" TERM 10
vpdnd_sane cl-g "$CL_PID"
log_test "veth-gso: client exits 0 on SIGTERM, no sanitizer report" $?
stop_pid "$LNS_PID" TERM 10
case_end lns-g cl-g

# ---- user: the client's data through its vpdnd ------------------------------
case_begin
lns_conf lns-u kernel >"$TMPD/lns-u.conf"
client_conf cl-u user >"$TMPD/cl-u.conf"
start_pair lns-u cl-u
wait_for 15 vpdnd_all_network client cl-u 1
log_test "user: the session reaches PPP phase network" $?
wait_for 5 vpdnd_state_is client cl-u clients 1 up
[ "$(json_field "$(clients_json cl-u)" clients 0 path)" = user ]
log_test "user: show clients --json says path user" $?
A=$(json_field "$(clients_json cl-u)" clients 0 address)
read -r t_rx0 t_tx0 <<<"$(tun_pkts)"
run_cmd intranet python3 "$TOOLS/ping.py" -c 5 -i 0.1 -W 2 "$A"
log_test "user: ping from the intranet host to the client" $?
read -r t_rx1 t_tx1 <<<"$(tun_pkts)"
[ $((t_tx1 - t_tx0)) -ge 5 ] && [ $((t_rx1 - t_rx0)) -ge 5 ]
log_test "user: the packets went through the client's TUN" $?
! filter_on "$C_VETH" ingress vpdn_fp_ && ! filter_on $C_IF egress vpdn_fp_
log_test "user: no filter of ours on the client" $?
stop_pid "$CL_PID" TERM 10
vpdnd_sane cl-u "$CL_PID"
log_test "user: client exits 0 on SIGTERM, no sanitizer report" $?
stop_pid "$LNS_PID" TERM 10
case_end lns-u cl-u

finish
