#!/bin/bash
# The LNS's operator policy (issue #16 items 1-3) with three vpdnd client
# roles as LACs: two [peer]s with their own tunnel secrets and pools (one
# matched by Host Name, one by source address), a wrong secret for one
# refused while the other keeps working, an unknown peer refused with
# unknown-peers = refuse (StopCCN result 4), a peer's pool running out,
# duplicate-login refuse then replace, max-sessions-per-user, and a reload
# shrinking a pool while a session keeps its address.
. "$(dirname "$0")/lib.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
setup_trap

LNS_A=10.200.61.1 PCA=10.200.61.2
LNS_B=10.200.62.1 PCB=10.200.62.2
LNS_C=10.200.63.1 PCC=10.200.63.2
create_ns lns || exit 1
for n in pca pcb pcc; do create_ns $n || exit 1; done
connect_ns pca $PCA lns $LNS_A || exit 1
connect_ns pcb $PCB lns $LNS_B || exit 1
connect_ns pcc $PCC lns $LNS_C || exit 1

printf '%s\n' "alice pw" "bob pw" "carol pw" "dave pw" "eve pw" >"$TMPD/users"
# lns_conf DUP POOL_A: the LNS with duplicate-login DUP and [pool a] POOL_A.
lns_conf()
{
	vpdnd_global lns 0.0.0.0 lns.test
	cat <<EOT
metrics = 127.0.0.1:9761

[lns]
local-address = 10.9.60.1
pool = 10.9.60.10-10.9.60.20
users = $TMPD/users
auth = pap
unknown-peers = refuse
duplicate-login = $1
max-sessions-per-user = 1

[pool a]
range = $2

[pool b]
range = 10.9.62.0/30

[peer carrier-a]
hostname = pca.test
tunnel-secret = secret-a
pool = a

[peer carrier-b]
source = $PCB/32
tunnel-secret = secret-b
pool = b
EOT
}
lns_conf refuse 10.9.61.10-10.9.61.12 >"$TMPD/lns.conf"

# client_conf NS ADDR HOSTNAME SECRET LNS USER...: one [client] per USER.
client_conf()
{
	local n=$1 addr=$2 host=$3 secret=$4 lns=$5 u
	shift 5
	vpdnd_global "$n" "$addr" "$host" | sed 's/^hello-interval = .*/hello-interval = 2/'
	for u in "$@"; do
		cat <<EOT

[client $u]
lns = $lns
user = $u
password = pw
auth = pap
tunnel-secret = $secret
interface = vp-$u
redial = yes
EOT
	done
}

# address NS USER: the address [client USER] of vpdnd NS was given ("" none).
address()
{
	vpdnctl_in "$1" "$1" show clients --json 2>/dev/null | python3 -c '
import json, sys
for c in json.load(sys.stdin)["clients"]:
    if c["name"] == sys.argv[1] and c["state"] == "up":
        print(c["address"])' "$2"
}
# up_in NS USER GLOB: USER's address matches GLOB (a pattern on purpose).
# shellcheck disable=SC2254
up_in() { case "$(address "$1" "$2")" in $3) return 0 ;; esac; return 1; }

case_begin
start_vpdnd lns lns "$TMPD/lns.conf"
LNS_PID=$VPDND_PID
client_conf pca $PCA pca.test secret-a $LNS_A alice carol >"$TMPD/pca.conf"
start_vpdnd pca pca "$TMPD/pca.conf"
PCA_PID=$VPDND_PID
client_conf pcb $PCB pcb-anything.test secret-b $LNS_B bob >"$TMPD/pcb.conf"
start_vpdnd pcb pcb "$TMPD/pcb.conf"
PCB_PID=$VPDND_PID

wait_for 20 up_in pca alice '10.9.61.1[0-2]'
log_test "carrier-a (by Host Name, secret-a): alice gets an address of pool a" $?
wait_for 20 up_in pca carol '10.9.61.1[0-2]'
log_test "carrier-a: carol too" $?
wait_for 20 up_in pcb bob '10.9.62.[0-3]'
log_test "carrier-b (by source, secret-b): bob gets an address of pool b" $?
vpdnctl_in lns lns show tunnels --json | python3 -c '
import json, sys
t = json.load(sys.stdin)["tunnels"]
peers = sorted(x["matched_peer"] for x in t if x["state"] == "established")
assert peers == ["carrier-a", "carrier-a", "carrier-b"], peers
'
log_test "show tunnels --json names each tunnel's matched peer" $?
vpdnctl_in lns lns show tunnels | grep -q "carrier-b"
log_test "show tunnels names the peer in its table" $?
vpdnctl_in lns lns show pool --json | python3 -c '
import json, sys
p = {x["name"]: x for x in json.load(sys.stdin)["by_pool"]}
assert p["a"]["size"] == 3 and p["a"]["used"] == 2 and p["a"]["free"] == 1, p
assert p["b"]["size"] == 4 and p["b"]["used"] == 1, p
assert p["default"]["used"] == 0, p
'
log_test "show pool --json: size, used and free of every pool" $?

# A wrong secret for carrier-a: its new tunnel is refused, carrier-b's
# session carries on.
client_conf pca $PCA pca.test wrong-secret $LNS_A dave >"$TMPD/pca.conf"
kill -HUP "$PCA_PID"
wait_for 15 grep -q "wrong challenge response" "$TMPD/lns.log"
log_test "a wrong secret for carrier-a is refused" $?
sleep 2
[ -z "$(address pca dave)" ] && up_in pcb bob '10.9.62.[0-3]'
log_test "... while carrier-b keeps working" $?

# An LAC that matches no [peer]: StopCCN result code 4.
client_conf pcc $PCC pcc.test secret-a $LNS_C eve >"$TMPD/pcc.conf"
start_vpdnd pcc pcc "$TMPD/pcc.conf"
PCC_PID=$VPDND_PID
wait_for 15 grep -q "matches no \[peer\] and unknown-peers = refuse" "$TMPD/lns.log"
log_test "unknown-peers = refuse: an unknown LAC is refused (logged)" $?
wait_for 10 grep -q "StopCCN result 4" "$TMPD/pcc.log"
log_test "... with StopCCN result code 4" $?
stop_pid "$PCC_PID" TERM 10

# Pool a has three addresses: the fourth of carrier-a's users is refused,
# carrier-b is not affected.
client_conf pca $PCA pca.test secret-a $LNS_A alice carol dave eve >"$TMPD/pca.conf"
kill -HUP "$PCA_PID"
wait_for 20 up_in pca dave '10.9.61.1[0-2]'
log_test "carrier-a: dave gets the last address of pool a" $?
wait_for 20 grep -q "peer carrier-a's pools exhausted" "$TMPD/lns.log"
log_test "pool a exhausted: eve refused with a log line" $?
[ -z "$(address pca eve)" ] && up_in pcb bob '10.9.62.[0-3]'
log_test "... and no address for eve, bob unaffected" $?

# duplicate-login = refuse: bob from carrier-a while bob is up on carrier-b.
client_conf pca $PCA pca.test secret-a $LNS_A alice carol bob >"$TMPD/pca.conf"
kill -HUP "$PCA_PID"
wait_for 20 grep -q "user bob: already online (1 session): refused" "$TMPD/lns.log"
log_test "duplicate-login = refuse: a second bob is refused" $?
up_in pcb bob '10.9.62.[0-3]'
log_test "... the first bob stays up" $?

# duplicate-login = replace: the redialling second bob ends the first.
lns_conf replace 10.9.61.10-10.9.61.12 >"$TMPD/lns.conf"
vpdnctl_in lns lns reload >/dev/null
wait_for 30 up_in pca bob '10.9.61.1[0-2]'
log_test "duplicate-login = replace: the new bob (carrier-a) is up" $?
wait_for 20 grep -q "logged in again; ending the older session" "$TMPD/lns.log"
log_test "... the older bob (carrier-b) was ended" $?

# Reload shrinking pool a to one address: who holds another keeps it.
before=$(address pca alice)
lns_conf replace 10.9.61.12 >"$TMPD/lns.conf"
vpdnctl_in lns lns reload >/dev/null
log_test "reload shrinking pool a is accepted" $?
grep -q "pool a: [0-9]* session(s) keep addresses outside its ranges" "$TMPD/lns.log"
log_test "... and logs the sessions keeping addresses outside it" $?
[ -n "$before" ] && [ "$(address pca alice)" = "$before" ]
log_test "... alice keeps her address" $?
vpdnctl_in lns lns show pool --json | python3 -c '
import json, sys
p = {x["name"]: x for x in json.load(sys.stdin)["by_pool"]}
assert p["a"]["size"] == 1, p
'
log_test "show pool: pool a has one address now" $?
# An overlapping pool is refused and the configuration stays.
lns_conf replace 10.9.62.2-10.9.62.9 >"$TMPD/lns.conf"
out=$(vpdnctl_in lns lns reload 2>&1)
rc=$?
[ $rc -ne 0 ] && echo "$out" | grep -q "lns.conf:[0-9]*: \[pool b\] overlaps \[pool a\]"
log_test "reload with overlapping pools refused with FILE:LINE" $?

in_ns lns python3 -c '
import sys, urllib.request
m = urllib.request.urlopen("http://127.0.0.1:9761/metrics").read().decode()
want = ["vpdn_pool_size{pool=\"a\"} 1", "vpdn_pool_size{pool=\"b\"} 4",
        "vpdn_peer_tunnels{peer=\"carrier-a\"}",
        "vpdn_policy_refused_total{reason=\"unknown-peer\"} 1"]
bad = [w for w in want if w not in m]
assert not bad, bad
# The refused and the replaced bob redial: at least once each.
for name in ["vpdn_policy_refused_total{reason=\"duplicate-login\"} ",
             "vpdn_duplicate_login_replaced_total "]:
    n = [l for l in m.splitlines() if l.startswith(name)]
    assert n and int(n[0].split()[-1]) >= 1, (name, n)
'
log_test "metrics: pools, peers and refusals" $?

vpdnd_sane pca "$PCA_PID"
log_test "client pca exits cleanly" $?
vpdnd_sane pcb "$PCB_PID"
log_test "client pcb exits cleanly" $?
vpdnd_sane lns "$LNS_PID"
log_test "LNS exits cleanly" $?
case_end lns pca pcb pcc
finish
