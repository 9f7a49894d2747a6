#!/bin/bash
# The client role's dialling behaviour: the LNS given by
# DNS name, redial with back-off after the LNS went away, and a reload of the
# client's own configuration that keeps its established call, also while
# other [client] sections come and go.
. "$(dirname "$0")/lib.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
setup_trap

PC=10.200.4.2 LNS=10.200.4.1
create_ns pc || exit 1
create_ns lns || exit 1
connect_ns pc $PC lns $LNS || exit 1
# `ip netns exec` bind-mounts /etc/netns/NAME/hosts over /etc/hosts: the
# client resolves the LNS's name without any DNS server.
HOSTS_DIR="/etc/netns/$(ns pc)"
mkdir -p "$HOSTS_DIR"
printf '127.0.0.1 localhost\n%s lns.corp.test\n' $LNS >"$HOSTS_DIR/hosts"
trap 'rm -rf "$HOSTS_DIR"; cleanup' EXIT

printf '%s\n' "carol@corp.example pw-carol" "spare@corp.example pw-spare" \
    "third@corp.example pw-third" >"$TMPD/users"
vpdnd_global lns $LNS lns.test | sed 's/^hello-interval = .*/hello-interval = 1/' >"$TMPD/lns.conf"
cat >>"$TMPD/lns.conf" <<EOT

[lns]
local-address = 10.9.4.1
pool = 10.9.4.10-10.9.4.20
users = $TMPD/users
EOT
# client_conf ROUTES [NAME...]: [client corp] and one more section per NAME.
client_conf()
{
	vpdnd_global pc $PC pc.test | sed 's/^hello-interval = .*/hello-interval = 1/'
	cat <<EOT

[client corp]
lns = lns.corp.test
user = carol@corp.example
password = pw-carol
redial = yes
routes = $1
EOT
	shift
	for n in "$@"; do
		cat <<EOT

[client $n]
lns = lns.corp.test
user = $n@corp.example
password = pw-$n
redial = yes
EOT
	done
}
client_conf 10.9.4.0/24 >"$TMPD/pc.conf"

network_up()
{
	vpdnctl_in "$1" "$2" show sessions --json 2>/dev/null |
	    grep -q '"ppp_phase":"network"'
}

case_begin
start_vpdnd lns lns "$TMPD/lns.conf"
LNS_PID=$VPDND_PID
start_vpdnd pc pc "$TMPD/pc.conf"
PC_PID=$VPDND_PID
wait_for 15 network_up pc pc
log_test "client dials the LNS by DNS name (lns.corp.test)" $?
grep -q "dialling lns.corp.test ($LNS:1701)" "$TMPD/pc.log"
log_test "client log shows the name and the address it resolved to" $?

SID=$(json_field "$(vpdnctl_in pc pc show sessions --json)" sessions 0 local_id)
# `show clients`: the section's own view of its call (INTERFACE.md).
vpdnctl_in pc pc show clients --json | python3 -c '
import json, sys
c = json.load(sys.stdin)["clients"]
assert len(c) == 1, c
c = c[0]
want = {"name": "corp", "transport": "l2tp", "server": "lns.corp.test:1701",
        "state": "up", "ppp_phase": "network", "interface": "vpdn-corp",
        "peer_address": "10.9.4.1", "dns": [], "dials": 1,
        "session_id": int(sys.argv[1])}
bad = {k: (c.get(k), v) for k, v in want.items() if c.get(k) != v}
assert not bad, bad
a = c["address"].split(".")
assert a[:3] == ["10", "9", "4"] and 10 <= int(a[3]) <= 20, c["address"]
assert c["tunnel_id"] > 0 and c["rx_frames"] > 0 and c["tx_frames"] > 0, c
' "$SID"
log_test "show clients --json: the call up, its IDs, addresses and counters" $?
vpdnctl_in pc pc show clients | awk 'NR == 1 && $1 == "NAME" { h = 1 }
    NR == 2 && $1 == "corp" && $2 == "l2tp" && $4 == "up" { r = 1 }
    END { exit !(h && r && NR == 2) }'
log_test "show clients: a table with one row per [client]" $?
kill -HUP "$PC_PID"
sleep 1
[ "$(json_field "$(vpdnctl_in pc pc show sessions --json)" sessions 0 local_id)" = "$SID" ]
log_test "reload with an unchanged [client] keeps the call" $?
client_conf 10.9.0.0/16 >"$TMPD/pc.conf"
kill -HUP "$PC_PID"
wait_for 15 network_up pc pc
new=$(json_field "$(vpdnctl_in pc pc show sessions --json)" sessions 0 local_id)
[ -n "$new" ] && [ "$new" != "$SID" ]
log_test "reload with a changed [client] hangs up and redials it" $?
in_ns pc ip route show dev vpdn-corp | grep -q "10.9.0.0/16"
log_test "the redialled call carries the new routes" $?

# Clients up: "NAME:TUNNEL_ID ..." of those whose call is up, in order.
clients_up()
{
	vpdnctl_in pc pc show clients --json | python3 -c '
import json, sys
print(" ".join("%s:%d" % (c["name"], c["tunnel_id"])
               for c in json.load(sys.stdin)["clients"] if c["state"] == "up"))'
}
clients_are() { [ "$(clients_up | sed 's/:[0-9]*//g')" = "$1" ]; }
KEPT=$(clients_up)
client_conf 10.9.0.0/16 spare >"$TMPD/pc.conf"
kill -HUP "$PC_PID"
wait_for 15 clients_are "corp spare"
log_test "reload adding a [client] dials it" $?
[ "$(clients_up | cut -d' ' -f1)" = "$KEPT" ]
log_test "the other client's call stays up (same tunnel ID)" $?
client_conf 10.9.0.0/16 third >"$TMPD/pc.conf"
kill -HUP "$PC_PID"
wait_for 15 clients_are "corp third"
log_test "reload removing one [client] and adding another" $?
[ "$(clients_up | cut -d' ' -f1)" = "$KEPT" ] &&
    grep -q "client spare changed or removed: hanging up" "$TMPD/pc.log"
log_test "the kept call stays up (same tunnel ID), the removed one hangs up" $?
client_conf 10.9.0.0/16 >"$TMPD/pc.conf"
kill -HUP "$PC_PID"
wait_for 15 clients_are "corp"
[ "$(clients_up)" = "$KEPT" ]
log_test "back to one [client]: its call is still the same" $?

kill -KILL "$LNS_PID"
t0=$(date +%s)
wait_for 20 sh -c "grep -q 'redialling in' '$TMPD/pc.log'"
log_test "client notices the dead LNS and schedules a redial" $?
vpdnctl_in pc pc show clients --json | python3 -c '
import json, sys
c = json.load(sys.stdin)["clients"][0]
assert c["state"] in ("dialing", "wait-redial", "hangup"), c
assert c["ppp_phase"] == "dead" and c["address"] == "" and c["uptime_s"] == 0, c
assert c["interface"] == "", c
'
log_test "show clients: the dropped call shows no address and no device" $?
start_vpdnd lns lns2 "$TMPD/lns.conf"
LNS_PID=$VPDND_PID
wait_for 30 network_up lns lns2
log_test "client redials the restarted LNS by itself ($(($(date +%s) - t0)) s)" $?
vpdnd_sane pc "$PC_PID"
log_test "client exits 0 on SIGTERM, no sanitizer report" $?
vpdnd_sane lns2 "$LNS_PID"
log_test "LNS exits 0 on SIGTERM" $?
case_end lns lns2 pc
finish
