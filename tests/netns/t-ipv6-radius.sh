#!/bin/bash
# IPv6 attributes from RADIUS (RFC 3162, RFC 6911): FreeRADIUS returns
# Framed-IPv6-Prefix for one user, and that user's session uses it (the
# RA carries it, the client's SLAAC address lies in it, show sessions names
# it) instead of a /64 of ipv6-pool, which another user gets; the
# accounting Start (sent once IPv6CP is up too) and Stop records carry
# Framed-IPv6-Prefix, Stop counts the IPv6 octets and packets.  The same user's Delegated-IPv6-Prefix (RFC 4818) is
# what DHCPv6 delegates to its client (`request-prefix = yes`); an
# Interim-Update reports it as soon as it is bound, and the Stop record
# carries it too.  An IPv6-only session's Start has the /64 and no
# Framed-IP-Address.  The L2TP capture between the clients and the LNS
# holds IPv6CP, the RAs, DHCPv6 and the ICMPv6 echoes, and what either end
# sent dissects with no expert warning.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-radius.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
command -v freeradius >/dev/null || skip_all "no freeradius"
require_cmds ping tshark
setup_trap

C_ADDR=10.215.1.2 L_ADDR=10.215.1.1
TARGET6=2001:db8:ffff::1
RADDB="$TMPD/raddb"
DETAIL="$TMPD/detail"
SECRET=testing123

create_ns client || exit 1
create_ns lns || exit 1
connect_ns client $C_ADDR lns $L_ADDR || exit 1
ip -n "$(ns lns)" link set lo up
ip -n "$(ns client)" link set lo up
in_ns lns ip -6 addr add $TARGET6/128 dev lo || exit 1

radius_raddb "$RADDB" "$SECRET" "$DETAIL" no <<EOT
fixed6	Cleartext-Password := "pw6"
	Framed-IPv6-Prefix = 2001:db8:77:1::/64,
	Delegated-IPv6-Prefix = 2001:db8:77:100::/56

pooled	Cleartext-Password := "pwp"

only6	Cleartext-Password := "pwo"
EOT
start_freeradius lns "$RADDB" || exit 1
CAP="$TMPD/l2tp.pcap"
start_capture lns "$(veth_name client)" "$CAP" || log "capture did not start"

vpdnd_global_conf lns $L_ADDR:1701 lns.test debug 1 2 >"$TMPD/lns.conf"
cat >>"$TMPD/lns.conf" <<EOT

[lns]
local-address = 10.215.100.1
pool = 10.215.100.10-10.215.100.20
auth = pap
radius = yes
interface = vpdn-lns
ipv6-pool = 2001:db8:100::/48

[radius]
server = 127.0.0.1
secret = $SECRET
nas-identifier = lns-test
EOT
start_vpdnd lns lns "$TMPD/lns.conf" || exit 1

# client NAME USER PASSWORD PORT [KEY=VALUE]: a client vpdnd (L2TP on PORT)
# with IPv6 on vpdn-NAME (and one more key).
client()
{
	vpdnd_global_conf "$1" $C_ADDR:$4 "$1.test" debug 1 2 >"$TMPD/$1.conf"
	cat >>"$TMPD/$1.conf" <<EOT

[client $1]
lns = $L_ADDR
user = $2
password = $3
auth = pap
interface = vpdn-$1
ipv6 = yes
redial = no
${5:-}
EOT
	start_vpdnd client "$1" "$TMPD/$1.conf"
}

slaac_in()
{
	in_ns client ip -6 -o addr show dev "vpdn-$1" scope global 2>/dev/null |
	    awk -v p="$2" '{ sub("/.*", "", $4); if (index($4, p) == 1) { print $4; exit } }'
}
has_slaac_in() { [ -n "$(slaac_in "$1" "$2")" ]; }

record()
{
	awk -v st="$1" -v u="\"$2\"" '
	/^[A-Z][a-z][a-z] / { if (rec != "" && s && m) last = rec; rec = ""; s = 0; m = 0 }
	{ rec = rec $0 "\n" }
	$1 == "Acct-Status-Type" && $3 == st { s = 1 }
	$1 == "User-Name" && $3 == u { m = 1 }
	END { if (rec != "" && s && m) last = rec; printf "%s", last }' "$DETAIL" 2>/dev/null
}
has_record() { [ -n "$(record "$1" "$2")" ]; }
attr()
{
	printf '%s' "$1" | awk -v a="$2" '$1 == a { v = $3; gsub(/"/, "", v); print v; exit }'
}

case_begin
client f6 fixed6 pw6 1701 "request-prefix = yes"
F6_PID=$VPDND_PID
wait_for 20 has_slaac_in f6 2001:db8:77:1:
log_test "Framed-IPv6-Prefix: the RA carries 2001:db8:77:1::/64, SLAAC uses it" $?
vpdnctl_in lns lns show sessions --json | python3 -c '
import json, sys
s = {x["user"]: x for x in json.load(sys.stdin)["sessions"]}
assert s["fixed6"]["ipv6_prefix"] == "2001:db8:77:1::/64", s
'
log_test "show sessions: the session holds the RADIUS prefix" $?
f6_pd()
{
	vpdnctl_in client f6 show clients --json | python3 -c '
import json, sys
sys.exit(json.load(sys.stdin)["clients"][0]["delegated_prefix"] != "2001:db8:77:100::/56")'
}
wait_for 20 f6_pd
log_test "Delegated-IPv6-Prefix: DHCPv6 delegates 2001:db8:77:100::/56" $?
vpdnctl_in lns lns show sessions --json | python3 -c '
import json, sys
s = {x["user"]: x for x in json.load(sys.stdin)["sessions"]}
assert s["fixed6"]["delegated_prefix"] == "2001:db8:77:100::/56", s
'
log_test "show sessions: the session's delegated prefix is RADIUS's" $?
# Start waits for IPv6CP (at most a few seconds), so it carries the /64
# next to the IPv4 address; the prefix delegated after it comes at once
# in an Interim-Update (no interim-interval is configured).
wait_for 10 has_record Start fixed6
start=$(record Start fixed6)
[ "$(attr "$start" Framed-IPv6-Prefix)" = "2001:db8:77:1::/64" ] &&
    [ -n "$(attr "$start" Framed-IP-Address)" ]
log_test "acct: Start carries Framed-IPv6-Prefix 2001:db8:77:1::/64 and Framed-IP-Address" $?
wait_for 10 has_record Interim-Update fixed6
[ "$(attr "$(record Interim-Update fixed6)" Delegated-IPv6-Prefix)" = "2001:db8:77:100::/56" ]
log_test "acct: an Interim-Update reports Delegated-IPv6-Prefix 2001:db8:77:100::/56 once bound" $?

client pl pooled pwp 1702
PL_PID=$VPDND_PID
wait_for 20 has_slaac_in pl 2001:db8:100:
log_test "a user without Framed-IPv6-Prefix gets a /64 of ipv6-pool" $?

# An IPv6-only session (the client's ipv4 = no): its Start carries the
# /64 and no Framed-IP-Address.
client o6 only6 pwo 1703 "ipv4 = no"
O6_PID=$VPDND_PID
wait_for 20 has_slaac_in o6 2001:db8:100:
log_test "an IPv6-only session gets a /64 of ipv6-pool" $?
wait_for 10 has_record Start only6
start=$(record Start only6)
case "$(attr "$start" Framed-IPv6-Prefix)" in 2001:db8:100:*/64) true ;; *) false ;; esac &&
    [ -z "$(attr "$start" Framed-IP-Address)" ]
log_test "acct: the IPv6-only Start carries Framed-IPv6-Prefix and no Framed-IP-Address" $?

in_ns client ping -6 -c 5 -i 0.2 -s 1000 -I "$(slaac_in f6 2001:db8:77:1:)" \
    $TARGET6 >/dev/null
log_test "ping6 from the RADIUS prefix" $?
stop_pid "$F6_PID"
wait_for 10 has_record Stop fixed6
log_test "acct: Stop record for fixed6" $?
stop=$(record Stop fixed6)
[ "$(attr "$stop" Framed-IPv6-Prefix)" = "2001:db8:77:1::/64" ]
log_test "acct: Stop carries Framed-IPv6-Prefix 2001:db8:77:1::/64" $?
[ "$(attr "$stop" Delegated-IPv6-Prefix)" = "2001:db8:77:100::/56" ]
log_test "acct: Stop carries Delegated-IPv6-Prefix 2001:db8:77:100::/56" $?
# 5 echo requests of 1048 octets (40 + 8 + 1000) at least, IPv6 counted.
in=$(attr "$stop" Acct-Input-Octets)
[ -n "$in" ] && [ "$in" -ge 5240 ]
log_test "acct: the IPv6 octets are counted (Acct-Input-Octets $in)" $?
stop_pid "$PL_PID"
stop_pid "$O6_PID"
stop_capture
tmatch "$CAP" "l2tp && ipv6cp" &&
    tmatch "$CAP" "l2tp && ip.src == $L_ADDR && icmpv6.type == 134" &&
    tmatch "$CAP" "l2tp && icmpv6.type == 128" &&
    tmatch "$CAP" "l2tp && icmpv6.type == 129"
log_test "capture: IPv6CP, the RAs and the ICMPv6 echoes travel inside L2TP" $?
tmatch "$CAP" "l2tp && dhcpv6.msgtype == 1" &&
    tmatch "$CAP" "l2tp && dhcpv6.msgtype == 7 && dhcpv6.iaprefix.pref_addr"
log_test "capture: DHCPv6 (Solicit, Reply with the IA Prefix) travels inside L2TP" $?
expert_clean "$CAP" $L_ADDR
log_test "capture: what the LNS sent dissects with no expert warning" $?
expert_clean "$CAP" $C_ADDR
log_test "capture: what the clients sent dissect with no expert warning" $?
case_end lns f6 pl o6
finish
