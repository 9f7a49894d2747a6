#!/bin/bash
# Prometheus metrics (`metrics = ADDR:PORT`): an LNS with the shipped users
# file (examples/users) and a vpdnd client that dials it as
# alice@corp.example; ping through the session, then scrape with curl.
#
# Cases: 200 with the 0.0.4 text format, the gauges and counters equal what
# `vpdnctl show tunnels|sessions|stats --json` says, octets grow with traffic
# and stay put (monotonic) after the session is torn down, 404 on another
# path, 405 on POST, 400 on an oversized head, at most 8 clients at once with
# idle ones dropped after the timeout, SIGTERM exits 0 without a sanitizer
# report.
. "$(dirname "$0")/lib.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
command -v curl >/dev/null || skip_all "no curl"
setup_trap

TOOLS="$NETNS_DIR/tools"
REPO=$(cd "$NETNS_DIR/../.." && pwd)
C_ADDR=10.202.1.2 L_ADDR=10.202.1.1
URL=http://127.0.0.1:9701

create_ns_pair client $C_ADDR lns $L_ADDR || exit 1

cat >"$TMPD/lns.conf" <<EOT
$(vpdnd_global_conf lns $L_ADDR:1701 lns.test debug)
metrics = 127.0.0.1:9701

[lns]
local-address = 10.9.0.1
pool = 10.9.0.10-10.9.0.250
users = $REPO/examples/users
interface = vpdn-m
EOT
cat >"$TMPD/pc.conf" <<EOT
$(vpdnd_global_conf pc $C_ADDR:1701 pc.test debug)

[client corp]
lns = $L_ADDR
user = alice@corp.example
password = alice-password
interface = vpdn-c
routes = 10.9.0.0/24
redial = no
EOT

# scrape [CURL ARGS]: the exposition, from inside the LNS namespace.
scrape()
{
	in_ns lns curl -s -f --max-time 5 "$@" "$URL/metrics"
}

# metric TEXT SERIES: the value of SERIES ('name' or 'name{labels}').
metric()
{
	printf '%s\n' "$1" | awk -v k="$2" '$1 == k { print $2; f = 1 } END { exit !f }'
}

# jsum JSON KEY FIELD: the sum of FIELD over the list KEY.
jsum()
{
	printf '%s' "$1" | python3 -c '
import json, sys
print(sum(e[sys.argv[2]] for e in json.load(sys.stdin)[sys.argv[1]]))' "$2" "$3"
}

# matches_ctl: one scrape agrees with vpdnctl on every shared figure (traffic
# may move counters between the two reads, so this is polled).
matches_ctl()
{
	local m t s st
	t=$(vpdnctl_in lns lns show tunnels --json) || return 1
	s=$(vpdnctl_in lns lns show sessions --json) || return 1
	st=$(vpdnctl_in lns lns show stats --json) || return 1
	m=$(scrape) || return 1
	[ "$(metric "$m" 'vpdn_tunnels{state="established"}')" = \
	    "$(printf '%s' "$t" | grep -o '"state":"established"' | wc -l)" ] &&
	[ "$(metric "$m" 'vpdn_sessions{state="established"}')" = \
	    "$(printf '%s' "$s" | grep -o '"state":"established"' | wc -l)" ] &&
	[ "$(metric "$m" vpdn_control_retransmits_total)" = \
	    "$(jsum "$t" tunnels retransmits)" ] &&
	[ "$(metric "$m" vpdn_rx_bytes_total)" = "$(jsum "$s" sessions rx_bytes)" ] &&
	[ "$(metric "$m" vpdn_tx_bytes_total)" = "$(jsum "$s" sessions tx_bytes)" ] &&
	[ "$(metric "$m" vpdn_tunnels_created_total)" = \
	    "$(printf '%s' "$st" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tunnels"]["created"])')" ] &&
	[ "$(metric "$m" vpdn_sessions_established_total)" = \
	    "$(printf '%s' "$st" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sessions"]["established"])')" ] &&
	[ "$(metric "$m" 'vpdn_drops_total{reason="unknown-tunnel"}')" = \
	    "$(printf '%s' "$st" | python3 -c 'import json,sys; print(json.load(sys.stdin)["drops"]["unknown-tunnel"])')" ]
}

ppp_up()
{
	vpdnd_all_network "$1" "$2" 1
}

case_begin
start_vpdnd lns lns "$TMPD/lns.conf"
LNS_PID=$VPDND_PID
grep -q "metrics: listening on http://127.0.0.1:9701/metrics" "$TMPD/lns.log"
log_test "LNS logs its metrics listener" $?

hdr=$(in_ns lns curl -s -D - -o /dev/null --max-time 5 "$URL/metrics")
printf '%s' "$hdr" | head -1 | grep -q '^HTTP/1.0 200' &&
    printf '%s' "$hdr" | grep -qi '^Content-Type: text/plain; version=0.0.4'
log_test "GET /metrics: 200, text/plain; version=0.0.4" $?
m=$(scrape)
[ "$(metric "$m" 'vpdn_tunnels{state="established"}')" = 0 ] &&
    [ "$(metric "$m" vpdn_rx_bytes_total)" = 0 ] &&
    printf '%s\n' "$m" | grep -q '^# TYPE vpdn_drops_total counter$'
log_test "idle LNS: zero gauges and counters, TYPE lines" $?

start_vpdnd client pc "$TMPD/pc.conf"
PC_PID=$VPDND_PID
wait_for 20 ppp_up lns lns
log_test "alice@corp.example (examples/users) reaches PPP network phase" $?
wait_for 10 ppp_up client pc
run_cmd client python3 "$TOOLS/ping.py" -c 5 -i 0.1 -W 2 10.9.0.1
log_test "ping through the session to the LNS" $?

wait_for 10 matches_ctl
log_test "metrics equal vpdnctl show tunnels/sessions/stats --json" $?

# The shipped rules (contrib/prometheus/) read only series this LNS exports,
# with the label values they match on; and the check itself fails on a
# selector nothing exports.
RULES=$(dirname "$0")/../../contrib/prometheus/vpdn-rules.yml
scrape >"$TMPD/scrape.txt"
python3 "$(dirname "$0")/../contrib/rules_metrics.py" "$RULES" "$TMPD/scrape.txt"
log_test "every vpdn_* selector of vpdn-rules.yml matches a series of /metrics" $?
printf 'groups:\n- name: g\n  rules:\n  - record: x\n    expr: vpdn_sessions{state="gone"}\n' \
    >"$TMPD/bad-rules.yml"
! python3 "$(dirname "$0")/../contrib/rules_metrics.py" "$TMPD/bad-rules.yml" \
    "$TMPD/scrape.txt" >/dev/null
log_test "the rules check fails on a selector /metrics lacks" $?
m=$(scrape)
rx1=$(metric "$m" vpdn_rx_bytes_total) tx1=$(metric "$m" vpdn_tx_bytes_total)
[ "$(metric "$m" 'vpdn_tunnels{state="established"}')" = 1 ] &&
    [ "$(metric "$m" 'vpdn_sessions{state="established"}')" = 1 ] &&
    [ "${rx1:-0}" -gt 0 ] && [ "${tx1:-0}" -gt 0 ]
log_test "one tunnel and one session established, octets both ways > 0" $?
[ "$(metric "$m" 'vpdn_pool_addresses{state="size"}')" = 241 ] &&
    [ "$(metric "$m" 'vpdn_pool_addresses{state="used"}')" = 1 ] &&
    [ "$(metric "$m" vpdn_pool_refused_total)" = 0 ]
log_test "the LNS's pool: 241 addresses, 1 in use, none refused" $?

code() { in_ns lns curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@"; }
[ "$(code "$URL/")" = 404 ] && [ "$(code "$URL/metrics/x")" = 404 ]
log_test "other paths: 404" $?
[ "$(code -X POST "$URL/metrics")" = 405 ]
log_test "POST /metrics: 405" $?
r=$(in_ns lns python3 -c '
import socket
s = socket.create_connection(("127.0.0.1", 9701), timeout=5)
s.sendall(b"GET /metrics HTTP/1.0\r\nX: " + b"a" * 5000)
print(s.recv(64).split(b"\r\n")[0].decode())' 2>&1)
[ "$r" = "HTTP/1.0 400 Bad Request" ]
log_test "oversized request head: 400 ($r)" $?

# Eight idle connections fill every slot: a ninth is closed unanswered;
# after the 5 s timeout the slots are free again.
r=$(in_ns lns python3 -c '
import socket, time, urllib.request
idle = [socket.create_connection(("127.0.0.1", 9701)) for _ in range(8)]
time.sleep(0.3)
s = socket.create_connection(("127.0.0.1", 9701), timeout=3)
s.sendall(b"GET /metrics HTTP/1.0\r\n\r\n")
try:
    busy = s.recv(100)
except OSError:
    busy = b""
time.sleep(5.5)
ok = urllib.request.urlopen("http://127.0.0.1:9701/metrics", timeout=5).status
print(len(busy), ok)' 2>&1)
[ "$r" = "0 200" ]
log_test "at most 8 clients; idle ones dropped after the timeout ($r)" $?

# Tear the session down: the octets of the gone session stay counted.
SESS=$(json_field "$(vpdnctl_in lns lns show sessions --json)" sessions 0 local_id)
vpdnctl_in lns lns disconnect session "$SESS" >/dev/null
wait_for 10 vpdnd_none_live lns lns sessions
m=$(scrape)
rx2=$(metric "$m" vpdn_rx_bytes_total) tx2=$(metric "$m" vpdn_tx_bytes_total)
[ "${rx2:-0}" -ge "$rx1" ] && [ "${tx2:-0}" -ge "$tx1" ] &&
    [ "$(metric "$m" 'vpdn_cdn_total{direction="sent",result="3"}')" = 1 ]
log_test "after disconnect: octets monotonic ($rx1 -> $rx2), CDN result 3 counted" $?

vpdnd_sane pc "$PC_PID"
log_test "client exits 0 on SIGTERM" $?
vpdnd_sane lns "$LNS_PID"
log_test "LNS exits 0 on SIGTERM, no sanitizer report" $?
case_end lns pc
finish
