#!/bin/bash
# LCP renegotiation on a live LNS session, then authentication again
# (RFC 1661 §4.3: a Configure-Request in Opened takes LCP back through
# Establish and Authenticate, and the NCPs down).  tools/ppp_peer.py is the
# PPP peer.  Cases: the same user twice gets its second address through the
# path of a new session while the first goes back to the pool (pool used
# stays 1, accounting Stop for the first record, a new Acct-Session-Id for
# the second); another user after the renegotiation ends the session with
# a log line saying why; afterwards no address is leased, a packet to the
# first address goes nowhere, and the daemon exits with no sanitizer report.
. "$(dirname "$0")/lib.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
setup_trap

TOOLS="$NETNS_DIR/tools"
PC=10.203.3.2 LNS=10.203.3.1
create_ns_pair pc $PC lns $LNS || exit 1

{
	vpdnd_global_conf lns $LNS:1701 lns.test debug 1 2
	cat <<EOT

[lns]
local-address = 10.9.3.1
pool = 10.9.3.10-10.9.3.20
auth = pap
users = $TMPD/users
interface = vpdn-rn
EOT
} >"$TMPD/lns.conf"
printf 'alice alice-pw\nbob bob-pw\n' >"$TMPD/users"

pool_used()
{
	vpdnctl_in lns lns show pool --json 2>/dev/null | python3 -c '
import json, sys
print(sum(p["used"] for p in json.load(sys.stdin)["pools"]))' 2>/dev/null
}

# ups FILE N: the peer printed N "up" lines.
ups()
{
	[ "$(grep -c '^up ' "$1")" = "$2" ]
}

# pool_empty: no address leased.
pool_empty()
{
	[ "$(pool_used)" = 0 ]
}

stops()
{
	grep -c "Stop (" "$TMPD/lns.log"
}

case_begin
start_vpdnd lns lns "$TMPD/lns.conf"
LNS_PID=$VPDND_PID

# --- the same user twice ------------------------------------------------------
in_ns pc python3 "$TOOLS/ppp_peer.py" reneg $LNS $PC alice:alice-pw \
    alice:alice-pw --hold 6 >"$TMPD/same.out" 2>&1 &
PEER=$!
wait_for 20 ups "$TMPD/same.out" 2
log_test "same user: the session comes up again after LCP renegotiation" $?
A1=$(sed -n '1s/^up alice //p' "$TMPD/same.out")
A2=$(sed -n '2s/^up alice //p' "$TMPD/same.out")
log "first address $A1, second address $A2"
[ "$(pool_used)" = 1 ]
log_test "same user: one lease in the pool (the first address was released)" $?
[ "$(json_field "$(vpdnctl_in lns lns show sessions --json)" sessions 0 address)" = "$A2" ]
log_test "same user: show sessions has the second address" $?
# The kernel-mode run: the session left the fast path with its first
# address and is back in it with the second.
kpath_check lns lns "same user" 0
grep -q "radius: session .* of alice: Stop (User-Request)" "$TMPD/lns.log"
log_test "same user: accounting Stop (User-Request) for the first network phase" $?
wait $PEER
wait_for 20 pool_empty
log_test "same user: after the peer is gone the pool is empty" $?
ids=$(sed -n 's/.*radius: session \([0-9A-F]*\) of alice: Stop.*/\1/p' "$TMPD/lns.log" | sort -u | wc -l)
[ "$(stops)" = 2 ] && [ "$ids" = 2 ]
log_test "same user: two Stops with two Acct-Session-Ids" $?
case_end lns

# --- another user after the renegotiation -------------------------------------
case_begin
in_ns pc python3 "$TOOLS/ppp_peer.py" reneg $LNS $PC alice:alice-pw \
    bob:bob-pw >"$TMPD/other.out" 2>&1
sed 's/^/#   /' "$TMPD/other.out"
B1=$(sed -n '1s/^up alice //p' "$TMPD/other.out")
[ -n "$B1" ] && ! grep -q '^up bob' "$TMPD/other.out"
log_test "other user: bob gets no address on alice's session" $?
grep -q '"alice" re-authenticated as "bob"; ending the session' "$TMPD/lns.log"
log_test "other user: the LNS log says why the session ended" $?
wait_for 10 vpdnd_none_live lns lns sessions
log_test "other user: the session is gone (CDN)" $?
[ "$(pool_used)" = 0 ]
log_test "other user: no address leased" $?
[ "$(stops)" = 3 ] && ! grep -q "of bob: Stop" "$TMPD/lns.log"
log_test "other user: alice's record stopped once, none for bob" $?
# A packet to the first address must find no session (it was released).
in_ns lns python3 "$TOOLS/ping.py" -c 2 -i 0.2 -W 1 "$B1" >/dev/null 2>&1
in_ns lns python3 "$TOOLS/ping.py" -c 2 -i 0.2 -W 1 "${A1:-10.9.3.10}" >/dev/null 2>&1
alive "$LNS_PID"
log_test "packets to the released addresses: the LNS is still alive" $?
kpath_no_entries lns "released addresses"
case_end lns

vpdnd_sane lns "$LNS_PID"
log_test "LNS exits 0 on SIGTERM, no sanitizer report" $?

finish
