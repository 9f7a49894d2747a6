#!/bin/bash
# max-sessions-per-mac (RFC 2516 discovery against a vpdnd LAC): one host
# MAC runs discovery five times and keeps every session; the LAC's default
# limit of 4 gives it four, then no PADO for its PADI (§5.2) and, for a PADR
# with the cookie of an earlier PADO, a PADS with AC-System-Error and
# SESSION_ID 0 (§5.4).  Both refusals are counted in `show stats` and the
# metrics; a second host is still served.
#
#   pc-a eth0, pc-b eth0 ==veth== br0 (lac, PPPoE)
#
# The hosts are tools/pppoe_hosts.py (discovery only, no PPP).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-lac.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
require_cmds python3 curl
setup_trap

LAC_MAC=02:00:00:00:0a:c0

topology()
{
	local n
	for n in lac pc-a pc-b; do
		create_ns $n || return 1
	done
	lac_pppoe_lan $LAC_MAC pc-a pc-b || return 1
	ip -n "$(ns lac)" link set lo up
}

lac_conf()
{
	vpdnd_global_conf lac 127.0.0.1:1701 lac.test debug
	echo "metrics = 127.0.0.1:9711"
	echo
	pppoe_lac_section
	cat <<EOT

[realm corp.example]
lns = 192.0.2.1
tunnel-secret = s
EOT
}

# stat EXPR: EXPR over the LAC's `show stats --json` holds.
stat()
{
	jtrue "$(show_json lac lac stats)" "$1"
}

topology || exit 1
lac_conf >"$TMPD/lac.conf"
start_vpdnd lac lac "$TMPD/lac.conf"
log_test "LAC starts (PPPoE on br0, default max-sessions-per-mac)" $?
LAC_PID=$VPDND_PID

case_begin
in_ns pc-a python3 "$NETNS_DIR/tools/pppoe_hosts.py" --interface eth0 \
    --count 6 >"$TMPD/pc-a.out" 2>&1
sed 's/^/#   pc-a: /' "$TMPD/pc-a.out"
[ "$(grep -c '^PADS sid=[1-9]' "$TMPD/pc-a.out")" = 4 ]
log_test "one MAC gets 4 sessions, no more" $?
grep -q '^no-PADO' "$TMPD/pc-a.out"
log_test "its PADI at the limit gets no PADO (RFC 2516 §5.2)" $?
grep -q '^PADS sid=0 sys-err=' "$TMPD/pc-a.out"
log_test "its PADR at the limit gets PADS AC-System-Error, SESSION_ID 0 (§5.4)" $?
stat "d['pppoe']['sessions'] == 4 and d['pppoe']['refused_mac_limit'] >= 2"
log_test "show stats: 4 sessions, the refusals counted" $?
in_ns lac curl -s http://127.0.0.1:9711/metrics >"$TMPD/metrics.txt"
grep -Eq '^vpdn_pppoe_refused_mac_limit_total [1-9]' "$TMPD/metrics.txt"
log_test "metrics: vpdn_pppoe_refused_mac_limit_total" $?

in_ns pc-b python3 "$NETNS_DIR/tools/pppoe_hosts.py" --interface eth0 \
    --count 1 >"$TMPD/pc-b.out" 2>&1
grep -q '^PADS sid=[1-9]' "$TMPD/pc-b.out"
log_test "another MAC is served" $?
stat "d['pppoe']['sessions'] == 5"
log_test "show stats: 5 sessions" $?
case_end lac

vpdnd_sane lac "$LAC_PID"
log_test "LAC stops cleanly (no sanitizer report)" $?
finish
