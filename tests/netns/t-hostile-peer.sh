#!/bin/bash
# Bad input from the network must neither crash nor disturb the daemon:
# while a legitimate client keeps a tunnel and session up, a hostile peer
# sends truncated headers, bad lengths, short and overrunning AVPs, unknown
# mandatory AVPs, missing required AVPs, wrong AVP sizes, out-of-state
# messages and packets for unknown tunnels.  tools/l2tp_craft.py (written
# from RFC 2661, not from vpdn's codec) checks each answer: silence for what
# §3.1/§4.1 say to drop, StopCCN with the §4.4.2 result/error codes for the
# rest.  Then: the good tunnel is still established, its Hellos still flow,
# every drop was counted, and the daemon exits cleanly with no sanitizer
# report.
. "$(dirname "$0")/lib.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
setup_trap

PC=10.200.3.2 LNS=10.200.3.1
create_ns_pair pc $PC lns $LNS || exit 1

{
	vpdnd_global_conf lns $LNS:1701 lns.test debug 1 2
	echo
	pool_lns_section 10.9.0.1 10.9.0.10-10.9.0.50 "$TMPD/users"
} >"$TMPD/lns.conf"
echo "good@corp.example pw" >"$TMPD/users"
{
	vpdnd_global_conf pc $PC:1701 pc.test debug 1 2
	echo
	one_client_section good $LNS good@corp.example pw
} >"$TMPD/pc.conf"

case_begin
start_vpdnd lns lns "$TMPD/lns.conf"
LNS_PID=$VPDND_PID
start_vpdnd pc pc "$TMPD/pc.conf"
PC_PID=$VPDND_PID
wait_for 15 vpdnd_state_is lns lns sessions 1 established
log_test "legitimate session established" $?
GOOD=$(json_field "$(vpdnctl_in lns lns show tunnels --json)" tunnels 0 local_id)
rx0=$(json_field "$(vpdnctl_in lns lns show tunnels --json)" tunnels 0 rx_ctrl)

while read -r line; do
	case "$line" in
	"ok "*) log_test "${line#ok }" 0 ;;
	"FAIL "*) log_test "${line#FAIL }" 1 ;;
	*) log "$line" ;;
	esac
done < <(in_ns pc python3 "$NETNS_DIR/tools/l2tp_craft.py" $LNS 1701 2>&1)

# Peer-supplied text reaches the log (here a StopCCN's Result Code
# message, RFC 2661 §4.4.2): a newline in it must not forge a log line.
in_ns pc python3 - $LNS "$NETNS_DIR/tools" <<'PY'
import struct, sys, time
sys.path.insert(0, sys.argv[2])
from l2tp_craft import Peer, avp, ctrl, sccrq_avps, u16, msg_type
p = Peer(sys.argv[1], 1701)
p.send(ctrl(0, 0, 0, 0, sccrq_avps(assigned=3003,
                                   host=b"evil\n12:34:56.789 info  forged host")))
sccrp = [m for m in p.collect(2.0) if msg_type(m) == 2]
tid = struct.unpack("!H", sccrp[0][5][9])[0] if sccrp else 0
p.send(ctrl(tid, 0, 1, 1, avp(0, u16(4)) + avp(9, u16(3003)) +
            avp(1, u16(1) + u16(0) + b"bye\n12:34:56.789 error forged line")))
time.sleep(1)
PY
wait_for 5 grep -q 'bye\\x0a12:34:56.789 error forged line' "$TMPD/lns.log" &&
    ! grep -q '^12:34:56.789' "$TMPD/lns.log"
log_test "a newline in a peer's StopCCN message is escaped: one log line" $?
j=$(vpdnctl_in lns lns show tunnels --json)
printf '%s' "$j" | python3 -c '
import json, sys
t = [e for e in json.load(sys.stdin)["tunnels"] if e["local_id"] == int(sys.argv[1])]
sys.exit(0 if t and t[0]["state"] == "established" else 1)' "$GOOD"
log_test "the legitimate tunnel is still established" $?
sleep 2
rx1=$(json_field "$(vpdnctl_in lns lns show tunnels --json | python3 -c '
import json, sys
d = json.load(sys.stdin); d["tunnels"] = [e for e in d["tunnels"] if e["local_id"] == int(sys.argv[1])]
print(json.dumps(d))' "$GOOD")" tunnels 0 rx_ctrl)
[ "$rx1" -gt "$rx0" ]
log_test "its control channel still moves (Hello/ZLB: rx_ctrl $rx0 -> $rx1)" $?
vpdnd_state_is lns lns sessions 1 established
log_test "its session is still established" $?

vpdnctl_in lns lns show stats --json >"$TMPD/stats.json"
python3 - "$TMPD/stats.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["drops"]
need = ["unknown tunnel", "malformed", "bad header", "not SCCRQ"]
# Names come from l2tp_drop_str(); match loosely on words.
flat = {k.lower(): v for k, v in d.items()}
def total(words):
    return sum(v for k, v in flat.items() if all(w in k for w in words))
bad = [w for w in (["header"], ["unknown", "tunnel"], ["sccrq"]) if total(w) < 1]
sys.exit(1 if bad else 0)
PY
rc=$?
[ $rc -ne 0 ] && log "drops: $(cat "$TMPD/stats.json")"
log_test "drops counted by reason in show stats" $rc

vpdnd_sane pc "$PC_PID"
log_test "client exits 0" $?
vpdnd_sane lns "$LNS_PID"
log_test "LNS exits 0 after the abuse, no sanitizer report" $?
case_end lns pc
finish
