#!/bin/bash
# The LNS's pool and per-user limits from a real FreeRADIUS (issue #16):
# Framed-Pool (RFC 2869 §5.18) in the Access-Accept selects a [pool NAME],
# a user without it gets the [lns] pool, and Port-Limit (RFC 2865 §5.42)
# refuses a user's session beyond it.
#
#   client 10.202.6.2 ==veth== 10.202.6.1 lns [freeradius on 127.0.0.1]
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-radius.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
command -v freeradius >/dev/null || skip_all "no freeradius"
setup_trap

C_ADDR=10.202.6.2 L_ADDR=10.202.6.1
RADDB="$TMPD/raddb"
SECRET=testing123
create_ns client || exit 1
create_ns lns || exit 1
connect_ns client $C_ADDR lns $L_ADDR || exit 1
ip -n "$(ns lns)" link set lo up

radius_raddb "$RADDB" "$SECRET" "$TMPD/detail" no <<EOT
golden	Cleartext-Password := "pw"
	Framed-Pool = "gold"

plain	Cleartext-Password := "pw"

limited	Cleartext-Password := "pw"
	Port-Limit = 1
EOT
start_freeradius lns "$RADDB" || skip_all "freeradius did not start"

vpdnd_global lns $L_ADDR lns.test >"$TMPD/lns.conf"
cat >>"$TMPD/lns.conf" <<EOT

[lns]
local-address = 10.9.70.1
pool = 10.9.70.10-10.9.70.20
auth = pap
radius = yes

[pool gold]
range = 10.9.71.0/29

[radius]
server = 127.0.0.1
secret = $SECRET
nas-identifier = lns-test
EOT

vpdnd_global client $C_ADDR client.test >"$TMPD/client.conf"
# [client NAME] as USER: two sections may be the same user.
for s in golden:golden plain:plain lim1:limited lim2:limited; do
	cat >>"$TMPD/client.conf" <<EOT

[client ${s%%:*}]
lns = $L_ADDR
user = ${s#*:}
password = pw
auth = pap
interface = vp-${s%%:*}
EOT
done

address()
{
	vpdnctl_in client client show clients --json 2>/dev/null | python3 -c '
import json, sys
for c in json.load(sys.stdin)["clients"]:
    if c["name"] == sys.argv[1] and c["state"] == "up":
        print(c["address"])' "$1"
}
# up_in NAME GLOB: [client NAME]'s address matches GLOB (a pattern).
# shellcheck disable=SC2254
up_in() { case "$(address "$1")" in $2) return 0 ;; esac; return 1; }
one_limited() { [ -n "$(address lim1)$(address lim2)" ]; }

case_begin
start_vpdnd lns lns "$TMPD/lns.conf"
LNS_PID=$VPDND_PID
start_vpdnd client client "$TMPD/client.conf"
C_PID=$VPDND_PID
wait_for 20 up_in golden '10.9.71.[0-7]'
log_test "Framed-Pool = gold: the address comes from [pool gold]" $?
wait_for 20 up_in plain '10.9.70.*'
log_test "no Framed-Pool: the [lns] pool" $?
wait_for 20 one_limited
log_test "Port-Limit = 1: one session of user limited is up" $?
wait_for 20 grep -q "user limited: 1 session online, Port-Limit 1: refused" "$TMPD/lns.log"
log_test "... the second is refused (logged)" $?
[ -z "$(address lim1)" ] || [ -z "$(address lim2)" ]
log_test "... and has no address" $?
vpdnd_sane client "$C_PID"
log_test "client exits cleanly" $?
vpdnd_sane lns "$LNS_PID"
log_test "LNS exits cleanly" $?
case_end lns client
finish
