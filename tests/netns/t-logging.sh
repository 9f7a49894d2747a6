#!/bin/bash
# Logging as operators use it: the level changes at run
# time with `vpdnctl log-level`, an unknown level is refused, every line of
# an event names the tunnel/session and the peer, and a flood of bad packets
# is rate-limited (a bounded number of lines, then "similar messages
# suppressed").
. "$(dirname "$0")/lib.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
setup_trap

PC=10.200.5.2 LNS=10.200.5.1
create_ns_pair pc $PC lns $LNS || exit 1

{
	vpdnd_global_conf lns $LNS:1701 lns.test info 60 2
	echo
	pool_lns_section 10.9.5.1 10.9.5.10-10.9.5.20 "$TMPD/users"
} >"$TMPD/lns.conf"
echo "dave@corp.example pw" >"$TMPD/users"
{
	vpdnd_global pc $PC pc.test
	echo
	one_client_section corp $LNS dave@corp.example pw
} >"$TMPD/pc.conf"

case_begin
start_vpdnd lns lns "$TMPD/lns.conf"
LNS_PID=$VPDND_PID
start_vpdnd pc pc "$TMPD/pc.conf"
PC_PID=$VPDND_PID
wait_for 15 vpdnd_any_network lns lns
log_test "session up" $?
! grep -q " debug " "$TMPD/lns.log"
log_test "log-level = info: no debug lines" $?
grep -E "tunnel [0-9]+/[0-9]+ peer $PC:1701: .*established" "$TMPD/lns.log" >/dev/null &&
    grep -E "session [0-9]+/[0-9]+ \(tunnel [0-9]+\)" "$TMPD/lns.log" >/dev/null
log_test "event lines carry tunnel/session IDs and the peer" $?

vpdnctl_in lns lns log-level debug >/dev/null
log_test "vpdnctl log-level debug answers OK" $?
SID=$(json_field "$(vpdnctl_in lns lns show sessions --json)" sessions 0 local_id)
vpdnctl_in lns lns disconnect session "$SID" >/dev/null
wait_for 10 grep -q " debug " "$TMPD/lns.log"
log_test "debug lines appear after the change, without a restart" $?

out=$(vpdnctl_in lns lns log-level chatty 2>&1)
rc=$?
[ $rc -ne 0 ] && echo "$out" | grep -qi "level"
log_test "an unknown level is refused (exit $rc)" $?

vpdnctl_in lns lns log-level warn >/dev/null
before=$(wc -l <"$TMPD/lns.log")
# 500 datagrams for an unknown tunnel: each is a per-packet drop.
in_ns pc python3 - $LNS <<'PY'
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(500):
    s.sendto(struct.pack("!HHHHHH", 0xc802, 12, 0xbeef, 0, 0, 0), (sys.argv[1], 1701))
PY
sleep 1
vpdnctl_in lns lns log-level debug >/dev/null
in_ns pc python3 - $LNS <<'PY'
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(500):
    s.sendto(struct.pack("!HHHHHH", 0xc802, 12, 0xbeef, 0, 0, 0), (sys.argv[1], 1701))
PY
sleep 1
after=$(wc -l <"$TMPD/lns.log")
drops=$(json_field "$(vpdnctl_in lns lns show stats --json | python3 -c '
import json, sys
d = json.load(sys.stdin)["drops"]
print(json.dumps({"x": [{"n": sum(v for k, v in d.items() if "unknown" in k and "tunnel" in k)}]}))')" x 0 n)
[ "$drops" -ge 1000 ] && [ $((after - before)) -lt 100 ]
log_test "1000 bad packets: all counted ($drops), at most a few dozen log lines ($((after - before)))" $?

vpdnd_sane pc "$PC_PID"
log_test "client exits 0" $?
vpdnd_sane lns "$LNS_PID"
log_test "LNS exits 0" $?
case_end lns pc
finish
