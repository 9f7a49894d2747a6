#!/bin/bash
# Access-line information end to end (TR-101 §3.9.3, RFC 4679, RFC 5515):
# a subscriber whose PADI and PADR carry the Broadband Forum Vendor-Specific
# TAG an access node adds (tools/pppoe_tr101.py writes it from TR-101's
# layout) dials the LAC; FreeRADIUS on the LAC's side (one server for both
# daemons, dictionary.rfc4679 loaded with the package's dictionary) must see
# Agent-Circuit-Id and Agent-Remote-Id in the LAC's Access-Request and
# accounting and in the LNS's Access-Request and accounting; the LNS's `show
# sessions` has them; tshark decodes the ICRQ's RFC 5515 AVPs with no
# expert warning.
#
#   pc-a eth0 -- br0 lac [freeradius *:1812/1813] 10.212.1.1 ==== 10.212.1.2 lns
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-radius.sh"
. "$(dirname "$0")/lib-lac.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
command -v freeradius >/dev/null || skip_all "no freeradius"
command -v tshark >/dev/null || skip_all "tshark not installed"
setup_trap

LAC_MAC=02:00:00:00:0a:c7
LAC_ADDR=10.212.1.1 LNS_ADDR=10.212.1.2
POOL_LO=10.9.12.10 POOL_HI=10.9.12.50
RADDB="$TMPD/raddb"
SECRET=testing123
TSECRET=tr101-tunnel
CIRCUIT="an-7 eth 1/1/4:100"
REMOTE="subscriber-4711"
CAP="$TMPD/l2tp.pcap"
# FreeRADIUS's dictionary.rfc4679 types the two identifiers as octets: its
# log shows them in hex.
hex() { printf '0x%s' "$(printf '%s' "$1" | od -An -tx1 | tr -d ' \n')"; }
CIRCUIT_HEX=$(hex "$CIRCUIT") REMOTE_HEX=$(hex "$REMOTE")

topology()
{
	local n
	for n in lac lns pc-a; do
		create_ns $n || return 1
		router_sysctls $n
	done
	lac_pppoe_lan $LAC_MAC pc-a || return 1
	connect_ns lac $LAC_ADDR lns $LNS_ADDR
}

# FreeRADIUS as lib-radius.sh writes it, listening on every address of the
# LAC's namespace, with the LNS as a second client.
raddb()
{
	radius_raddb "$RADDB" "$SECRET" "$TMPD/detail" no <<EOT
alice@isp.example	Cleartext-Password := "alice-pw"
EOT
	sed -i 's/^\t\tipaddr = 127.0.0.1$/\t\tipaddr = */' "$RADDB/radiusd.conf"
	cat >>"$RADDB/radiusd.conf" <<EOT
client lns {
	ipaddr = $LNS_ADDR
	secret = $SECRET
}
EOT
}

lac_conf()
{
	vpdnd_global_conf lac 0.0.0.0:1701 lac.test debug 1 2
	cat <<EOT

[lac]
pppoe-interface = br0
ac-name = vpdn-lac
auth = pap
tunnel-idle-timeout = 0
radius = yes

[realm isp.example]
lns = $LNS_ADDR
tunnel-secret = $TSECRET

[radius]
server = 127.0.0.1
accounting-server = 127.0.0.1
secret = $SECRET
nas-identifier = lac-test
EOT
}

lns_conf()
{
	vpdnd_global_conf lns $LNS_ADDR:1701 lns.test debug 1 2
	cat <<EOT

[lns]
tunnel-secret = $TSECRET
local-address = 10.9.12.1
pool = $POOL_LO-$POOL_HI
auth = pap
radius = yes
accept-proxy-auth = yes
interface = vpdn-t

[radius]
server = $LAC_ADDR
accounting-server = $LAC_ADDR
secret = $SECRET
nas-identifier = lns-test
EOT
}

# seen FROM TYPE TEXT: a request of TYPE (Access-Request,
# Accounting-Request) FreeRADIUS received from FROM carried TEXT.
seen()
{
	awk -v from="$1" -v type="$2" -v text="$3" '
	    / Received / { inside = index($0, "Received " type) && index($0, "from " from ":") }
	    inside && index($0, text) { found = 1 }
	    END { exit !found }' "$TMPD/radius.log"
}

topology || exit 1
raddb
lac_conf >"$TMPD/lac.conf"
lns_conf >"$TMPD/lns.conf"
start_freeradius lac "$RADDB"
log_test "FreeRADIUS starts in the LAC's namespace" $?
start_capture lac "$(veth_name lns)" "$CAP" || log "capture did not start"
start_vpdnd lns lns "$TMPD/lns.conf"
log_test "LNS starts (radius = yes)" $?
LNS_PID=$VPDND_PID
start_vpdnd lac lac "$TMPD/lac.conf"
log_test "LAC starts (radius = yes)" $?
LAC_PID=$VPDND_PID

case_begin
start_bg pc-a "$TMPD/pc-a.log" python3 "$NETNS_DIR/tools/pppoe_tr101.py" \
    --interface eth0 --user alice@isp.example --password alice-pw \
    --circuit-id "$CIRCUIT" --remote-id "$REMOTE" \
    --up-kbps 1024 --down-kbps 16384 --hold 8
PC_PID=$BG_PID
wait_for 30 grep -q '^up ' "$TMPD/pc-a.log"
log_test "the subscriber reaches IPCP through the LAC and the LNS" $?
seen 127.0.0.1 Access-Request "ADSL-Agent-Circuit-Id = $CIRCUIT_HEX" &&
    seen 127.0.0.1 Access-Request "ADSL-Agent-Remote-Id = $REMOTE_HEX"
log_test "LAC's Access-Request: Agent-Circuit-Id and Agent-Remote-Id (RFC 4679)" $?
seen 127.0.0.1 Access-Request "Actual-Data-Rate-Downstream = 16384000"
log_test "LAC's Access-Request: the actual downstream rate in bps" $?
wait_for 10 seen 127.0.0.1 Accounting-Request "ADSL-Agent-Circuit-Id = $CIRCUIT_HEX"
log_test "LAC's accounting Start carries Agent-Circuit-Id" $?
seen $LNS_ADDR Access-Request "ADSL-Agent-Circuit-Id = $CIRCUIT_HEX" &&
    seen $LNS_ADDR Access-Request "ADSL-Agent-Remote-Id = $REMOTE_HEX"
log_test "LNS's Access-Request: Agent-Circuit-Id and Agent-Remote-Id (from RFC 5515 AVPs)" $?
wait_for 10 seen $LNS_ADDR Accounting-Request "ADSL-Agent-Remote-Id = $REMOTE_HEX"
log_test "LNS's accounting Start carries Agent-Remote-Id" $?
jtrue "$(show_json lns lns sessions)" \
    "d['sessions'][0]['access_line']['circuit_id'] == '$CIRCUIT' and d['sessions'][0]['access_line']['remote_id'] == '$REMOTE' and d['sessions'][0]['access_line']['actual_rate_up'] == 1024000"
log_test "LNS show sessions --json: the access line" $?
vpdnctl_in lns lns show sessions | grep -q "$CIRCUIT"
log_test "LNS show sessions: the CIRCUIT-ID column" $?
jtrue "$(show_json lac lac sessions)" \
    "d['sessions'][0]['access_line']['circuit_id'] == '$CIRCUIT'"
log_test "LAC show sessions --json: the access line" $?
wait "$PC_PID" 2>/dev/null
stop_capture
tmatch "$CAP" "l2tp.broadband.agent_circuit_id == \"$CIRCUIT\" && l2tp.broadband.agent_remote_id == \"$REMOTE\" && l2tp.broadband.actual_dr_down == 16384000"
log_test "tshark: the ICRQ carries the RFC 5515 AVPs (Vendor 3561)" $?
tmatch "$CAP" "l2tp.avp.connect_speed == 16384000 && l2tp.avp.rx_connect_speed == 1024000"
log_test "tshark: the ICCN's connect speeds are the actual rates" $?
expert_clean "$CAP" $LAC_ADDR
log_test "tshark: no expert warning in the LAC's L2TP" $?
case_end lac lns pc-a radius

vpdnd_sane lac "$LAC_PID"
log_test "LAC exits 0 on SIGTERM, no sanitizer report" $?
vpdnd_sane lns "$LNS_PID"
log_test "LNS exits 0 on SIGTERM, no sanitizer report" $?
finish
