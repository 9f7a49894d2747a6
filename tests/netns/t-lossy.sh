#!/bin/bash
# Lossy, reordering network: 200 client sessions (4 client
# vpdnds x 50 [client] sections, each its own tunnel and session, over PPP
# to the network phase) set up through a link that
#   - drops 20% of the L2TP control packets (T bit set, ZLB acks included)
#     on the receiving side of both ends (nftables numgen random), and
#   - delays every control packet by a random 0..80 ms in a router
#     namespace (tools/reorder.py behind a TUN device: these kernels have
#     neither netem nor NFQUEUE), which reorders bursts.
# Data messages (PPP) cross unimpaired: the subject is the L2TP control
# channel's retransmission and reordering (RFC 2661 §5.8, Appendix A).
# Checks: every session reaches PPP phase network, no tunnel is torn down,
# and for every tunnel the messages one end sent for the first time
# (tx_ctrl) equal the messages the other end's transport delivered to its
# state machine (rx_ctrl): none lost, none delivered twice.
#
# retransmit-max is 10 here (INTERFACE default 5): with 20% loss each way a
# try fails (message or its ack lost) with p = 0.36; 0.36^6 x ~1400
# messages gives ~3 tunnels lost to bad luck at 5 tries, ~0.02 at 10.
. "$(dirname "$0")/lib.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
command -v nft >/dev/null || skip_all "no nft"
[ -c /dev/net/tun ] || skip_all "no /dev/net/tun"
setup_trap

NCLIENTS=${NCLIENTS:-4} PER_CLIENT=${PER_CLIENT:-50}
LOSS=${LOSS:-20} MAXDELAY=${MAXDELAY:-80}
TOTAL=$((NCLIENTS * PER_CLIENT))
LNS=10.202.2.2 RT_C=10.202.1.1 RT_L=10.202.2.1

create_ns cl || exit 1
create_ns rt || exit 1
create_ns lns || exit 1
connect_ns cl 10.202.1.11 rt $RT_C || exit 1
connect_ns rt $RT_L lns $LNS || exit 1
for i in $(seq 2 "$NCLIENTS"); do
	ip -n "$(ns cl)" addr add "10.202.1.$((10 + i))/24" dev "$(veth_name rt)"
done
ip -n "$(ns cl)" route add default via $RT_C
ip -n "$(ns lns)" route add 10.202.1.0/24 via $RT_L
for k in all default; do
	in_ns rt sysctl -qw net.ipv4.conf.$k.rp_filter=0
done
in_ns rt sysctl -qw net.ipv4.ip_forward=1

# ---- impairment -------------------------------------------------------------
# Receiving side of both ends: drop LOSS% of the L2TP control packets
# (first octet & 0x80: the T bit, RFC 2661 §3.1).
for n in cl lns; do
	in_ns $n nft -f - <<EOT || exit 1
table inet lossy {
	counter lost {}
	counter seen {}
	chain input {
		type filter hook input priority 0;
		udp dport 1701 @th,64,1 1 counter name seen
		udp dport 1701 @th,64,1 1 numgen random mod 100 < $LOSS counter name lost drop
	}
}
EOT
done
# Router: mark control packets arriving from either side and route them
# through the reorder TUN; what the TUN gives back comes in on "reord" and
# is forwarded normally.
start_bg rt "$TMPD/reorder.log" python3 "$NETNS_DIR/tools/reorder.py" reord \
    "$MAXDELAY" "$TMPD/reorder.stats"
REORDER_PID=$BG_PID
wait_for 5 grep -q ready "$TMPD/reorder.log" || exit 1
ip -n "$(ns rt)" link set reord up
in_ns rt nft -f - <<EOT || exit 1
table inet reorder {
	chain pre {
		type filter hook prerouting priority -150;
		iifname != "reord" udp dport 1701 @th,64,1 1 meta mark set 0x17
	}
}
EOT
ip -n "$(ns rt)" rule add fwmark 0x17 lookup 117
ip -n "$(ns rt)" route add default dev reord table 117
in_ns rt sysctl -qw net.ipv4.conf.reord.rp_filter=0

# ---- daemons ------------------------------------------------------------------
# common_global ADDR HOSTNAME NAME: slow Hello, many retransmissions (the
# link loses and reorders on purpose).
common_global()
{
	vpdnd_global_conf "$3" "$1:1701" "$2" info 30 10
}

common_global $LNS lns.test lns >"$TMPD/lns.conf"
cat >>"$TMPD/lns.conf" <<EOT

[lns]
local-address = 10.9.0.1
pool = 10.9.0.10-10.9.3.250
users = $TMPD/users
EOT
: >"$TMPD/users"
for c in $(seq "$NCLIENTS"); do
	common_global "10.202.1.$((10 + c))" "c$c.test" "c$c" >"$TMPD/c$c.conf"
	for s in $(seq "$PER_CLIENT"); do
		echo "u$c-$s@t pw$s" >>"$TMPD/users"
		cat >>"$TMPD/c$c.conf" <<EOT

[client s$s]
lns = $LNS
user = u$c-$s@t
password = pw$s
interface = v$c-$s
default-route = no
redial = no
EOT
	done
done

# network_count NAME NS: sessions of vpdnd NAME in PPP phase network.
network_count()
{
	vpdnctl_in "$2" "$1" show sessions --json 2>/dev/null | python3 -c '
import json, sys
print(sum(1 for e in json.load(sys.stdin)["sessions"] if e.get("ppp_phase") == "network"))'
}

all_up()
{
	local c n
	[ "$(network_count lns lns)" = "$TOTAL" ] || return 1
	for c in $(seq "$NCLIENTS"); do
		n=$(network_count "c$c" cl)
		[ "$n" = "$PER_CLIENT" ] || return 1
	done
}

case_begin
start_vpdnd lns lns "$TMPD/lns.conf" || exit 1
LNS_PID=$VPDND_PID
CPIDS=""
t0=$(date +%s)
for c in $(seq "$NCLIENTS"); do
	start_vpdnd cl "c$c" "$TMPD/c$c.conf" || exit 1
	CPIDS="$CPIDS $VPDND_PID"
done
wait_for 100 all_up
rc=$?
took=$(($(date +%s) - t0))
log "LNS sessions in network phase: $(network_count lns lns)/$TOTAL after $took s"
log_test "all $TOTAL sessions reach PPP phase network through ${LOSS}% control loss and reordering ($took s)" $rc

vpdnctl_in lns lns show stats --json >"$TMPD/lns.stats"
python3 - "$TMPD/lns.stats" "$TOTAL" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
t, n = d["tunnels"], int(sys.argv[2])
ok = t["created"] == n and t["closed"] == 0 and t["active"] == n
print("# LNS tunnels", t, "sessions", d["sessions"])
sys.exit(0 if ok else 1)
PY
log_test "no tunnel torn down or re-created on the LNS" $?
! grep -q "tearing down\|-> closing" "$TMPD"/c*.log "$TMPD/lns.log"
log_test "no tunnel torn down on either side (logs)" $?

# ---- per-tunnel control message accounting -------------------------------------
# Compare each tunnel's ends: sent (first transmissions) on one side ==
# delivered on the other.  Messages still in flight make a transient
# difference, so retry for a while before calling it a loss.
compare()
{
	local c
	vpdnctl_in lns lns show tunnels --json >"$TMPD/t.lns"
	for c in $(seq "$NCLIENTS"); do
		vpdnctl_in cl "c$c" show tunnels --json >"$TMPD/t.c$c"
	done
	python3 - "$TMPD" "$NCLIENTS" <<'PY'
import json, sys
d, n = sys.argv[1], int(sys.argv[2])
lns = {e["local_id"]: e for e in json.load(open(d + "/t.lns"))["tunnels"]}
bad, pairs, msgs, rexmit = [], 0, 0, 0
for c in range(1, n + 1):
    for e in json.load(open("%s/t.c%d" % (d, c)))["tunnels"]:
        l = lns.get(e["peer_id"])
        if l is None:
            bad.append("c%d tunnel %d: no LNS tunnel %d" % (c, e["local_id"], e["peer_id"]))
            continue
        pairs += 1
        msgs += e["tx_ctrl"] + l["tx_ctrl"]
        rexmit += e["retransmits"] + l["retransmits"]
        if e["tx_ctrl"] != l["rx_ctrl"] or l["tx_ctrl"] != e["rx_ctrl"]:
            bad.append("c%d tunnel %d: client sent %d LNS delivered %d; LNS sent %d client delivered %d"
                       % (c, e["local_id"], e["tx_ctrl"], l["rx_ctrl"], l["tx_ctrl"], e["rx_ctrl"]))
with open(d + "/compare.out", "w") as f:
    f.write("pairs %d messages %d retransmits %d\n" % (pairs, msgs, rexmit))
    f.write("\n".join(bad[:10]) + "\n")
sys.exit(0 if pairs == len(lns) and not bad else 1)
PY
}
wait_for 30 compare
rc=$?
log "$(head -1 "$TMPD/compare.out")"
[ $rc -ne 0 ] && sed 's/^/#   /' "$TMPD/compare.out"
log_test "every control message sent was delivered exactly once to the peer's state machine" $rc
case_end lns c1

# ---- what the impairment did ------------------------------------------------------
stop_pid "$REORDER_PID" TERM 5
lost=0 seen=0
for n in cl lns; do
	l=$(in_ns $n nft list counter inet lossy lost | awk '/packets/ {print $2}')
	s=$(in_ns $n nft list counter inet lossy seen | awk '/packets/ {print $2}')
	lost=$((lost + l)) seen=$((seen + s))
done
log "impairment: $lost of $seen control packets dropped; reorder helper: $(cat "$TMPD/reorder.stats" 2>/dev/null)"
[ "$seen" -gt 0 ] && [ $((lost * 100 / seen)) -ge $((LOSS - 5)) ]
log_test "the link really lost ~${LOSS}% of control packets ($lost/$seen)" $?
grep -q "reordered [1-9]" "$TMPD/reorder.stats" 2>/dev/null
log_test "and really reordered some" $?
echo "LOSSY sessions=$TOTAL setup_s=$took dropped=$lost/$seen reorder='$(cat "$TMPD/reorder.stats" 2>/dev/null)' $(head -1 "$TMPD/compare.out")" >"$TMPD/summary"
cat "$TMPD/summary"

case_begin
rc=0
for p in $CPIDS; do
	stop_pid "$p" TERM 20 || rc=1
done
log_test "clients exit 0" $rc
! grep -q -E "ERROR: (Address|Leak)Sanitizer|runtime error:" "$TMPD"/c*.log
log_test "no sanitizer report from the clients" $?
vpdnd_sane lns "$LNS_PID"
log_test "LNS exits 0, no sanitizer report" $?
case_end lns
finish
