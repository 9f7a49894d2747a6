#!/bin/bash
# The LAC's kernel fast path (`dataplane = kernel`, dataplane/bpf/
# lac_fastpath.bpf.c): a PC dials the LAC with PPPoE, the LAC carries the
# call over L2TP to an LNS (user path), which routes it into an intranet.
#
#   pc eth0 -- br0 (lac, PPPoE) 10.203.1.1 ==== 10.203.1.2 lns 10.203.0.1 ==== 10.203.0.2 intranet
#
# Cases: the call is up and the LAC's `show sessions --json` says path
# kernel; one LAC filter on br0's ingress and on the LNS-facing veth's;
# ping both ways; the users' packets did not cross the LAC's vpdnd (the
# program's counters for the call grow by what was sent, the L2TP session's
# own counters do not); 10 MB of TCP both ways with equal SHA-256; the PC
# hangs up in the middle of a flow and nothing of the call stays in the
# maps; the LAC's filters go with it at exit; the same call with IPv4
# forwarding off on the LAC (which needs none) still carried by the
# program towards the LNS.
#
# Needs root with BPF (CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN) and bpftool;
# skips, saying so, only when the programs cannot load here.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-lac.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
require_cmds bpftool tc
setup_trap

TOOLS="$NETNS_DIR/tools"
LAC_MAC=02:00:00:00:0a:c3
LAC_UP=10.203.1.1 LNS=10.203.1.2 L_IN=10.203.0.1 HOST=10.203.0.2
POOL_LO=10.203.100.10 POOL_HI=10.203.100.20
# shellcheck disable=SC2034  # read by xfer() in lib.sh
XFER_BYTES=$((10 * 1024 * 1024))

topology()
{
	local n
	for n in lac lns intranet pc; do
		create_ns $n || return 1
		router_sysctls $n
	done
	lac_pppoe_lan $LAC_MAC pc || return 1
	connect_ns lac $LAC_UP lns $LNS || return 1
	connect_ns lns $L_IN intranet $HOST || return 1
	ip -n "$(ns intranet)" route add 10.203.100.0/24 via $L_IN
}

# lac_conf NAME DATAPLANE
lac_conf()
{
	vpdnd_global_conf "$1" 0.0.0.0:1701 lac.test debug 1 2
	echo "dataplane = $2"
	echo
	pppoe_lac_section
	cat <<EOT

[realm corp.example]
lns = $LNS
tunnel-secret = secret
EOT
}

lns_conf()
{
	vpdnd_global_conf lns $LNS:1701 lns.test debug 1 2
	echo
	proxy_lns_section secret 10.203.100.1 "$POOL_LO-$POOL_HI" "$TMPD/lns.users" vpdn-l
}

# LAC_UP_IF: the LAC's interface towards the LNS.
LAC_UP_IF=$(veth_name lns)

# lac_prog_ids: the ids of the LAC programs on br0's and LAC_UP_IF's
# ingress (one program, so one id, unless something is wrong).
lac_prog_ids()
{
	{ in_ns lac tc -j filter show dev br0 ingress 2>/dev/null
	  echo
	  in_ns lac tc -j filter show dev "$LAC_UP_IF" ingress 2>/dev/null; } | python3 -c '
import json, sys
ids = set()
for line in sys.stdin:
    if not line.strip():
        continue
    for f in json.loads(line):
        o = f.get("options", {})
        if o.get("prog", {}).get("name", "") == "vpdn_lac_fp":
            ids.add(o.get("prog", {}).get("id", ""))
print(" ".join(str(i) for i in ids))' 2>/dev/null
}

# lac_filters DEV: how many LAC filters DEV's ingress has.
lac_filters()
{
	in_ns lac tc -j filter show dev "$1" ingress 2>/dev/null | python3 -c '
import json, sys
print(sum(1 for f in json.load(sys.stdin)
          if f.get("options", {}).get("prog", {}).get("name", "") == "vpdn_lac_fp"))' 2>/dev/null
}

# lac_map NAME: the id of the running LAC program's map NAME.
lac_map()
{
	local ids
	ids=$(lac_prog_ids)
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

# lfp_stats: "UP DOWN" packets the program relayed, over every call.
lfp_stats()
{
	local id
	id=$(lac_map lfp_stats) || { echo "0 0"; return; }
	bpftool -j map dump id "$id" 2>/dev/null | python3 -c '
import json, sys
up = down = 0
for e in json.load(sys.stdin):
    for v in e["formatted"]["values"]:
        up += v["value"]["up_packets"]; down += v["value"]["down_packets"]
print(up, down)'
}

# map_entries NAME: how many entries the LAC's map NAME holds.
map_entries()
{
	local id
	id=$(lac_map "$1") || { echo "?"; return; }
	bpftool -j map dump id "$id" 2>/dev/null | python3 -c '
import json, sys
print(len(json.load(sys.stdin)))'
}

lac_json()
{
	vpdnctl_in lac "$1" show sessions --json 2>/dev/null || echo '{"sessions":[]}'
}

# own_pkts NAME: "RX TX" of the LAC's L2TP session without the fast
# path's (rx: from the LNS): what went through the LAC's vpdnd itself.
own_pkts()
{
	local s f
	s=$(lac_json "$1")
	f=$(lfp_stats)
	jval "$s" "'%d %d' % (d['sessions'][0]['rx_packets'] - ${f#* }, d['sessions'][0]['tx_packets'] - ${f% *})"
}

topology || exit 1
echo "alice@corp.example alice-pw" >"$TMPD/lns.users"
lns_conf >"$TMPD/lns.conf"

# ---- can the programs load here? -------------------------------------------
lac_conf probe kernel >"$TMPD/probe.conf"
if ! start_vpdnd lac probe "$TMPD/probe.conf" >/dev/null 2>&1; then
	why=$(grep -o "dataplane = kernel: .*" "$TMPD/probe.log" | head -1)
	[ -n "$why" ] || { log "vpdnd did not start:"; tail -5 "$TMPD/probe.log"; }
	[ -n "$why" ] && skip_all "skip: the BPF programs cannot load here ($why)"
	log_test "LAC with dataplane = kernel starts" 1
	finish
fi
stop_pid "$VPDND_PID" TERM 10

start_vpdnd lns lns "$TMPD/lns.conf"
log_test "LNS starts (user path)" $?
LNS_PID=$VPDND_PID

# ---- kernel: the call's data in the LAC's fast path --------------------------
case_begin
lac_conf lac-k kernel >"$TMPD/lac-k.conf"
start_vpdnd lac lac-k "$TMPD/lac-k.conf"
log_test "LAC starts with dataplane = kernel" $?
LAC_PID=$VPDND_PID
pppoe_pc_conf pc-k alice@corp.example alice-pw ppp-x 10.203.0.0/24 no >"$TMPD/pc-k.conf"
start_vpdnd pc pc-k "$TMPD/pc-k.conf"
PC_PID=$VPDND_PID
wait_for 30 pc_up pc ppp-x
log_test "kernel: the PC's call reaches PPP phase network" $?
A=$(pc_addr pc ppp-x)
# The LAC offers MRU 1400 (what its LNS's path carries); the PC's client
# sets its TUN to 1492 whatever the peer's MRU, and its larger frames never
# leave it (the same on the user path), so the PC is held to 1400 here.
ip -n "$(ns pc)" link set ppp-x mtu 1400
wait_for 5 test "$(json_field "$(lac_json lac-k)" sessions 0 path 2>/dev/null)" = kernel
log_test "kernel: the LAC's show sessions --json says path kernel" $?
[ "$(lac_filters br0)" = 1 ] && [ "$(lac_filters "$LAC_UP_IF")" = 1 ]
log_test "kernel: one LAC filter on br0 and on $LAC_UP_IF" $?

# Neighbours resolved on every hop first.
run_cmd pc python3 "$TOOLS/ping.py" -c 3 -i 0.2 -W 2 $HOST
run_cmd intranet python3 "$TOOLS/ping.py" -c 3 -i 0.2 -W 2 "$A"
sleep 0.5
read -r f_up0 f_dn0 <<<"$(lfp_stats)"
read -r o_rx0 o_tx0 <<<"$(own_pkts lac-k)"
t0=$(date +%s)
run_cmd pc python3 "$TOOLS/ping.py" -c 20 -i 0.05 -W 2 $HOST
log_test "kernel: 20 pings from the PC to the intranet host" $?
run_cmd intranet python3 "$TOOLS/ping.py" -c 20 -i 0.05 -W 2 "$A"
log_test "kernel: 20 pings from the intranet host to the PC ($A)" $?
read -r f_up1 f_dn1 <<<"$(lfp_stats)"
read -r o_rx1 o_tx1 <<<"$(own_pkts lac-k)"
# LCP Echo is relayed by vpdnd: each end asks every 10 s and the other
# answers, two frames each way per 10 s begun.
echo_max=$((2 * (($(date +%s) - t0) / 10 + 1)))
log "LAC fast path up $f_up0->$f_up1 down $f_dn0->$f_dn1; LAC vpdnd rx $o_rx0->$o_rx1 tx $o_tx0->$o_tx1"
[ $((f_up1 - f_up0)) -ge 40 ] && [ $((f_dn1 - f_dn0)) -ge 40 ]
log_test "kernel: the LAC's program relayed the 40 packets each way" $?
[ $((o_rx1 - o_rx0)) -le $echo_max ] && [ $((o_tx1 - o_tx0)) -le $echo_max ]
log_test "kernel: the LAC's vpdnd did not relay them (LCP Echo aside: <= $echo_max)" $?

xfer pc intranet $HOST 5001 k-up
log_test "kernel: 10 MB TCP PC -> intranet, SHA-256 equal" $?
xfer intranet pc "$A" 5002 k-down
log_test "kernel: 10 MB TCP intranet -> PC, SHA-256 equal" $?

# The PC hangs up (PADT) in the middle of a flow: nothing of the call
# stays in the maps.
in_ns intranet python3 "$TOOLS/ping.py" -c 100 -i 0.02 -W 1 "$A" >/dev/null 2>&1 &
fpid=$!
sleep 0.5
vpdnd_sane pc-k "$PC_PID"
log_test "kernel: the PC hangs up mid-traffic (exit 0 on SIGTERM)" $?
wait $fpid
wait_for 10 vpdnd_none_live lac lac-k sessions
log_test "kernel: the LAC has no session left" $?
[ "$(map_entries lfp_up)" = 0 ] && [ "$(map_entries lfp_down)" = 0 ] &&
    [ "$(map_entries lfp_stats)" = 0 ]
log_test "kernel: no entry left in lfp_up, lfp_down, lfp_stats" $?
vpdnd_sane lac-k "$LAC_PID"
log_test "kernel: the LAC exits 0 on SIGTERM, no sanitizer report" $?
[ "$(lac_filters br0)" = 0 ] && [ "$(lac_filters "$LAC_UP_IF")" = 0 ]
log_test "kernel: the LAC's filters are gone with it" $?
case_end lac-k pc-k lns

# ---- kernel, IPv4 forwarding off on the LAC -------------------------------------
# A LAC sends its own L2TP datagrams and forwards nothing, so it may run
# with forwarding off; the kernel's route lookup for BPF (bpf_fib_lookup)
# refuses then, and the program must still carry the frames towards the
# LNS (the old code left them all to vpdnd).
case_begin
in_ns lac sysctl -qw net.ipv4.conf.all.forwarding=0
in_ns lac sysctl -qw net.ipv4.conf.br0.forwarding=0
[ "$(in_ns lac sysctl -n net.ipv4.conf.br0.forwarding)" = 0 ] &&
    [ "$(in_ns lac sysctl -n "net.ipv4.conf.$LAC_UP_IF.forwarding")" = 0 ]
log_test "nofwd: IPv4 forwarding off on the LAC (all, br0, $LAC_UP_IF)" $?
lac_conf lac-n kernel >"$TMPD/lac-n.conf"
start_vpdnd lac lac-n "$TMPD/lac-n.conf"
LAC_PID=$VPDND_PID
pppoe_pc_conf pc-n alice@corp.example alice-pw ppp-x 10.203.0.0/24 no >"$TMPD/pc-n.conf"
start_vpdnd pc pc-n "$TMPD/pc-n.conf"
PC_PID=$VPDND_PID
wait_for 30 pc_up pc ppp-x
log_test "nofwd: the PC's call reaches PPP phase network" $?
A=$(pc_addr pc ppp-x)
ip -n "$(ns pc)" link set ppp-x mtu 1400
wait_for 5 test "$(json_field "$(lac_json lac-n)" sessions 0 path 2>/dev/null)" = kernel
log_test "nofwd: the LAC's show sessions --json says path kernel" $?
run_cmd pc python3 "$TOOLS/ping.py" -c 3 -i 0.2 -W 2 $HOST
sleep 0.5
read -r f_up0 f_dn0 <<<"$(lfp_stats)"
read -r o_rx0 o_tx0 <<<"$(own_pkts lac-n)"
t0=$(date +%s)
run_cmd pc python3 "$TOOLS/ping.py" -c 20 -i 0.05 -W 2 $HOST
log_test "nofwd: 20 pings from the PC to the intranet host" $?
read -r f_up1 f_dn1 <<<"$(lfp_stats)"
read -r o_rx1 o_tx1 <<<"$(own_pkts lac-n)"
echo_max=$((2 * (($(date +%s) - t0) / 10 + 1)))
log "nofwd: LAC fast path up $f_up0->$f_up1 down $f_dn0->$f_dn1; LAC vpdnd rx $o_rx0->$o_rx1 tx $o_tx0->$o_tx1"
[ $((f_up1 - f_up0)) -ge 20 ] && [ $((f_dn1 - f_dn0)) -ge 20 ]
log_test "nofwd: the LAC's program relayed the 20 pings and replies" $?
[ $((o_tx1 - o_tx0)) -le $echo_max ]
log_test "nofwd: the LAC's vpdnd relayed none of the pings (LCP Echo aside: <= $echo_max)" $?
xfer pc intranet $HOST 5003 n-up
log_test "nofwd: 10 MB TCP PC -> intranet, SHA-256 equal" $?
vpdnd_sane pc-n "$PC_PID"
log_test "nofwd: the PC hangs up (exit 0 on SIGTERM)" $?
wait_for 10 vpdnd_none_live lac lac-n sessions
vpdnd_sane lac-n "$LAC_PID"
log_test "nofwd: the LAC exits 0 on SIGTERM, no sanitizer report" $?
! grep -q "IPv4 forwarding is off" "$TMPD/lac-n.log"
log_test "nofwd: the LAC does not warn that frames stay on the user path" $?
case_end lac-n pc-n lns
in_ns lac sysctl -qw net.ipv4.conf.all.forwarding=1

# ---- user: the same call on the user path ------------------------------------
case_begin
lac_conf lac-u user >"$TMPD/lac-u.conf"
start_vpdnd lac lac-u "$TMPD/lac-u.conf"
LAC_PID=$VPDND_PID
pppoe_pc_conf pc-u alice@corp.example alice-pw ppp-x 10.203.0.0/24 no >"$TMPD/pc-u.conf"
start_vpdnd pc pc-u "$TMPD/pc-u.conf"
PC_PID=$VPDND_PID
wait_for 30 pc_up pc ppp-x
log_test "user: the PC's call reaches PPP phase network" $?
[ "$(json_field "$(lac_json lac-u)" sessions 0 path)" = user ] &&
    [ "$(lac_filters br0)" = 0 ]
log_test "user: path user, no LAC filter" $?
run_cmd pc python3 "$TOOLS/ping.py" -c 3 -i 0.2 -W 2 $HOST
log_test "user: ping from the PC to the intranet host" $?
vpdnd_sane pc-u "$PC_PID"
log_test "user: the PC hangs up" $?
vpdnd_sane lac-u "$LAC_PID"
log_test "user: the LAC exits 0 on SIGTERM" $?
case_end lac-u pc-u lns

vpdnd_sane lns "$LNS_PID"
log_test "LNS exits 0 on SIGTERM, no sanitizer report" $?
finish
