#!/bin/bash
# Dead and hostile peers, against an LNS that carries one
# legitimate client session with Hellos every second:
#   - an SCCRQ flood (thousands a second from 200 ports of one address,
#     tools/hostile.py flood): the per-address rate limit and max-tunnels
#     bound what it creates, RSS stays bounded, the good tunnel's Hellos
#     keep arriving during the flood (its rx_ctrl climbs every second), and
#     every half-open tunnel expires after the retransmission schedule;
#   - a peer that opens sessions without end gets CDN result 4 (no
#     resources) from max-sessions on;
#   - a peer that never acks fills its window and is torn down after
#     retransmit-max tries;
#   - spoofed data (wrong source address, unknown tunnel, unknown session)
#     is dropped and counted in show stats.
. "$(dirname "$0")/lib.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
setup_trap

PC=10.200.7.2 EVIL=10.200.7.3 LNS=10.200.7.1
FLOOD_S=${FLOOD_S:-10} FLOOD_RATE=${FLOOD_RATE:-3000}
MAX_SESSIONS=8
create_ns_pair pc $PC lns $LNS || exit 1
ip -n "$(ns pc)" addr add $EVIL/24 dev "$(veth_name lns)"

{
	vpdnd_global_conf lns $LNS:1701 lns.test debug 1 2
	echo "max-tunnels = 1000"
	echo "max-sessions = $MAX_SESSIONS"
	echo
	pool_lns_section 10.9.0.1 10.9.0.10-10.9.0.50 "$TMPD/users"
} >"$TMPD/lns.conf"
echo "good@corp.example pw" >"$TMPD/users"
{
	vpdnd_global_conf pc $PC:1701 pc.test debug 1 2
	echo
	one_client_section good $LNS good@corp.example pw
} >"$TMPD/pc.conf"

HOSTILE="$NETNS_DIR/tools/hostile.py"

# good_field FIELD: FIELD of the LNS's tunnel to the good client ($GOOD).
good_field()
{
	vpdnctl_in lns lns show tunnels --json | python3 -c '
import json, sys
t = [e for e in json.load(sys.stdin)["tunnels"] if e["local_id"] == int(sys.argv[1])]
print(t[0][sys.argv[2]] if t else "gone")' "$GOOD" "$1"
}

# drops NAME: the LNS's drop counter NAME (show stats --json).
drops()
{
	vpdnctl_in lns lns show stats --json | python3 -c '
import json, sys
print(json.load(sys.stdin)["drops"].get(sys.argv[1], 0))' "$1"
}

tunnel_count()
{
	json_count "$(vpdnctl_in lns lns show tunnels --json)" tunnels
}

rss_kb()
{
	awk '/^VmRSS/ { print $2 }' "/proc/$1/status"
}

case_begin
start_vpdnd lns lns "$TMPD/lns.conf"
LNS_PID=$VPDND_PID
start_vpdnd pc pc "$TMPD/pc.conf"
PC_PID=$VPDND_PID
wait_for 20 vpdnd_state_is lns lns sessions 1 established
log_test "legitimate session established" $?
GOOD=$(json_field "$(vpdnctl_in lns lns show tunnels --json)" tunnels 0 local_id)
GOOD_SID=$(json_field "$(vpdnctl_in lns lns show sessions --json)" sessions 0 local_id)
case_end lns pc

# ---- SCCRQ flood -----------------------------------------------------------
case_begin
sleep 1
rss0=$(rss_kb "$LNS_PID")
in_ns pc python3 "$HOSTILE" flood $LNS $EVIL "$FLOOD_S" "$FLOOD_RATE" 200 \
    >"$TMPD/flood.out" 2>&1 &
FLOOD_PID=$!
samples="" worst=0 peak=0
for i in $(seq "$FLOOD_S"); do
	sleep 1
	samples="$samples $(good_field rx_ctrl)"
	n=$(tunnel_count)
	[ "$n" -gt "$peak" ] && peak=$n
done
wait $FLOOD_PID
log "flood: $(cat "$TMPD/flood.out"); good tunnel rx_ctrl each second:$samples"
sent=$(awk '{print $2}' "$TMPD/flood.out")
[ "${sent:-0}" -ge $((FLOOD_S * FLOOD_RATE * 8 / 10)) ]
log_test "the flood ran (${sent:-0} SCCRQs in ${FLOOD_S} s)" $?
python3 - $samples <<'PY'
import sys
v = [int(x) for x in sys.argv[1:] if x != "gone"]
# Hellos every second each way: over any 3 s the count must move.
ok = len(v) == len(sys.argv) - 1 and all(v[i + 3] > v[i] for i in range(len(v) - 3))
sys.exit(0 if ok else 1)
PY
log_test "the good tunnel's Hellos kept arriving during the flood" $?
[ "$(good_field state)" = established ] && vpdnd_state_is lns lns sessions 1 established
log_test "the good tunnel and session are still established" $?
rss1=$(rss_kb "$LNS_PID")
limited=$(drops rate-limit)
# 64 at once and 20 a second (HOST_SCCRQ_* in src/l2tp/tunnel.h), plus the
# good tunnel, plus one second of slack for sampling.
bound=$((1 + 64 + 20 * (FLOOD_S + 1)))
log "LNS RSS ${rss0} kB -> ${rss1} kB; peak tunnels $peak (bound $bound); rate-limit drops $limited"
[ "$peak" -le "$bound" ]
log_test "tunnels created by the flood stay within the per-address rate" $?
[ "$limited" -ge $((sent - bound)) ]
log_test "SCCRQs over the rate were dropped and counted (rate-limit $limited)" $?
[ $((rss1 - rss0)) -lt 65536 ]
log_test "RSS grew by less than 64 MiB ($(( (rss1 - rss0) / 1024 )) MiB, ASan build)" $?
# retransmit-max 2: SCCRP at 0, 1 s, 3 s, give-up, then the §5.7 hold.
start=$(date +%s)
for i in $(seq 120); do
	[ "$(tunnel_count)" = 1 ] && break
	sleep 0.5
done
took=$(($(date +%s) - start))
[ "$(tunnel_count)" = 1 ]
log_test "every half-open tunnel expired ($took s after the flood)" $?
FLOOD_SENT=$sent FLOOD_PEAK=$peak FLOOD_RSS="$rss0 $rss1" FLOOD_EXPIRE=$took
case_end lns

# ---- sessions without end ----------------------------------------------------
case_begin
in_ns pc python3 "$HOSTILE" sessions $LNS $EVIL 20 >"$TMPD/sessions.out" 2>&1
n_icrp=$(grep -c '^icrp' "$TMPD/sessions.out")
n_cdn4=$(grep -c '^cdn 4 ' "$TMPD/sessions.out")
log "ICRQ answers: $(sort "$TMPD/sessions.out" | uniq -c | tr '\n' ' ')"
# max-sessions counts the whole LNS: the good client holds one.
[ "$n_icrp" -eq $((MAX_SESSIONS - 1)) ] && [ "$n_cdn4" -eq $((20 - MAX_SESSIONS + 1)) ]
log_test "sessions without end stop at max-sessions: $n_icrp ICRP, $n_cdn4 CDN result 4" $?
vpdnd_state_is lns lns sessions 1 established >/dev/null ||
    [ "$(json_count "$(vpdnctl_in lns lns show sessions --json)" sessions)" -le $MAX_SESSIONS ]
log_test "the LNS holds no more than max-sessions" $?
case_end lns

# ---- a peer that never acks -------------------------------------------------
case_begin
in_ns pc python3 "$HOSTILE" noack $LNS $EVIL 8 >"$TMPD/noack.out" 2>&1 &
NOACK_PID=$!
wait_for 10 grep -q '^tunnel' "$TMPD/noack.out"
NOACK_TID=$(awk '/^tunnel/ {print $2}' "$TMPD/noack.out")
noack_state()
{
	vpdnctl_in lns lns show tunnels --json | python3 -c '
import json, sys
t = [e for e in json.load(sys.stdin)["tunnels"] if e["local_id"] == int(sys.argv[2]) and e["peer"].startswith(sys.argv[1] + ":")]
print(" ".join("%s/%s" % (e["state"], e["retransmits"]) for e in t) or "gone")' "$EVIL" "$NOACK_TID"
}
sleep 1
log "never-acking peer: LNS tunnel $NOACK_TID $(noack_state) (state/retransmits)"
start=$(date +%s)
for i in $(seq 80); do
	case "$(noack_state)" in gone|closing*) break ;; esac
	sleep 0.5
done
took=$(($(date +%s) - start))
st=$(noack_state)
case "$st" in gone|closing*) rc=0 ;; *) rc=1 ;; esac
log_test "a peer that never acks is torn down at retransmit-max ($st after $took s)" $rc
grep -q "tunnel $NOACK_TID/778 .*peer not responding after 2 retransmissions" "$TMPD/lns.log"
log_test "the LNS log says why" $?
NOACK_TOOK=$took
kill "$NOACK_PID" 2>/dev/null
wait "$NOACK_PID" 2>/dev/null
case_end lns

# ---- spoofed data --------------------------------------------------------------
case_begin
wp0=$(drops wrong-peer) ut0=$(drops unknown-tunnel) us0=$(drops unknown-session)
in_ns pc python3 "$HOSTILE" spoof $LNS $EVIL "$GOOD" "$GOOD_SID" 100 >/dev/null
in_ns pc python3 "$HOSTILE" spoof $LNS $PC 54321 "$GOOD_SID" 100 >/dev/null
in_ns pc python3 "$HOSTILE" spoof $LNS $PC "$GOOD" 54321 100 >/dev/null
sleep 1
wp=$(($(drops wrong-peer) - wp0)) ut=$(($(drops unknown-tunnel) - ut0))
us=$(($(drops unknown-session) - us0))
log "spoofed data drops: wrong-peer +$wp unknown-tunnel +$ut unknown-session +$us"
[ "$wp" -eq 100 ]
log_test "data for the good tunnel from another address: dropped, counted" $?
[ "$ut" -eq 100 ]
log_test "data for an unknown tunnel: dropped, counted" $?
[ "$us" -eq 100 ]
log_test "data for an unknown session of the good tunnel: dropped, counted" $?
vpdnd_state_is lns lns sessions 1 established
log_test "the good session survived it all" $?
case_end lns

echo "FLOOD sent=${FLOOD_SENT:-} peak_tunnels=${FLOOD_PEAK:-} rss_kb='${FLOOD_RSS:-}' expire_s=${FLOOD_EXPIRE:-} noack_s=${NOACK_TOOK:-}" >"$TMPD/summary"
cat "$TMPD/summary"
vpdnd_sane pc "$PC_PID"
log_test "client exits 0" $?
vpdnd_sane lns "$LNS_PID"
log_test "LNS exits 0, no sanitizer report" $?
case_end lns pc
finish
