#!/bin/bash
# Privilege and secrets: `user =` / `group =` in [global].
#
# Cases: the LNS and the client drop to nobody:nogroup after opening their
# sockets (and the LNS its TUN): /proc/PID/status shows that uid and gid,
# CapEff = CapPrm = CapBnd = CAP_NET_ADMIN|CAP_NET_RAW|CAP_NET_BIND_SERVICE
# (0x3400), no inheritable or ambient capability, NoNewPrivs 1; the client,
# already unprivileged, still dials, creates its TUN when IPCP comes up and a
# ping passes; a trace is created as the daemon's user.  The control socket
# refuses other users, both by its mode and (with the mode loosened) by
# SO_PEERCRED.  No secret (tunnel secret, PAP/CHAP passwords) shows up in any
# log at trace level nor in any vpdnctl output.
. "$(dirname "$0")/lib.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
command -v setpriv >/dev/null || skip_all "no setpriv"
getent passwd nobody >/dev/null && getent group nogroup >/dev/null ||
    skip_all "no user nobody / group nogroup"
setup_trap

NOBODY_UID=$(id -u nobody) NOGROUP_GID=$(getent group nogroup | cut -d: -f3)
PC4=10.200.7.2 LNS4=10.200.7.1
TSECRET=tsecret-5b8e1f0c77 PW1=papsecret-93ad2e71 PW2=chapsecret-0c4f8b2a
create_ns_pair pc $PC4 lns $LNS4 || exit 1

# The daemons as nobody create trace files here (TMPD searchable, not
# readable, by others; the control sockets stay 0600).
chmod 0711 "$TMPD"
mkdir "$TMPD/nobody" && chown nobody:nogroup "$TMPD/nobody"
printf 'alice@corp.example %s\nbob@corp.example %s\n' "$PW1" "$PW2" >"$TMPD/users"

cat >"$TMPD/lns.conf" <<EOT
$(vpdnd_global_conf lns $LNS4:1701 lns.test trace 1)
user = nobody
group = nogroup

[lns]
tunnel-secret = $TSECRET
hide-avps = yes
local-address = 10.9.0.1
pool = 10.9.0.10-10.9.0.50
users = $TMPD/users
auth = chap-md5, pap
EOT
cat >"$TMPD/pc.conf" <<EOT
$(vpdnd_global_conf pc $PC4:1701 pc.test trace 1)
user = nobody

[client alice]
lns = $LNS4
user = alice@corp.example
password = $PW1
tunnel-secret = $TSECRET
hide-avps = yes
auth = pap
redial = no

[client bob]
lns = $LNS4
user = bob@corp.example
password = $PW2
tunnel-secret = $TSECRET
auth = chap-md5
redial = no
EOT

# status_is PID FIELD VALUE: /proc/PID/status FIELD (whitespace squeezed).
status_is()
{
	local got
	got=$(awk -v f="$2:" '$1 == f { $1 = ""; sub(/^ /, ""); print }' \
	    "/proc/$1/status")
	[ "$got" = "$3" ] || { log "pid $1 $2: '$got', want '$3'"; return 1; }
}

# dropped PID: the credentials and capabilities of a dropped vpdnd.
dropped()
{
	local p=$1 u=$NOBODY_UID g=$2
	status_is "$p" Uid "$u $u $u $u" &&
	    status_is "$p" Gid "$g $g $g $g" &&
	    status_is "$p" Groups "$g" &&
	    status_is "$p" CapEff 0000000000003400 &&
	    status_is "$p" CapPrm 0000000000003400 &&
	    status_is "$p" CapBnd 0000000000003400 &&
	    status_is "$p" CapInh 0000000000000000 &&
	    status_is "$p" CapAmb 0000000000000000 &&
	    status_is "$p" NoNewPrivs 1
}

case_begin
start_vpdnd lns lns "$TMPD/lns.conf"
LNS_PID=$VPDND_PID
dropped "$LNS_PID" "$NOGROUP_GID"
log_test "LNS runs as nobody:nogroup with exactly NET_ADMIN, NET_RAW, NET_BIND_SERVICE, no_new_privs" $?
start_vpdnd pc pc "$TMPD/pc.conf"
PC_PID=$VPDND_PID
# group unset: the user's primary group.
dropped "$PC_PID" "$(id -g nobody)"
log_test "client runs as nobody with the same three capabilities" $?
grep -q "running as user nobody" "$TMPD/lns.log"
log_test "LNS logs the drop" $?

wait_for 20 vpdnd_all_network lns lns 2
log_test "after the drop both calls (PAP, CHAP-MD5) reach the network phase" $?
wait_for 10 sh -c "ip -n '$(ns pc)' -4 addr show dev vpdn-alice | grep -q 'inet 10.9.0.'"
log_test "the unprivileged client created its TUN and set its pool address" $?
run_cmd pc ping -c 2 -i 0.3 -W 2 -I vpdn-alice 10.9.0.1
log_test "ping through the tunnel of the unprivileged client" $?

vpdnctl_in lns lns trace start "$TMPD/nobody/t.pcap" >/dev/null &&
    sleep 1.5 && vpdnctl_in lns lns trace stop >/dev/null &&
    [ "$(stat -c %U:%a "$TMPD/nobody/t.pcap")" = nobody:600 ]
log_test "a trace file is created by the daemon's user, mode 0600" $?

# Another user is refused: by the socket's mode 0600 ...
out=$(in_ns lns setpriv --reuid=4242 --regid=4242 --clear-groups \
    "$VPDNCTL" -s "$TMPD/lns.sock" show tunnels 2>&1)
[ $? -ne 0 ] && ! echo "$out" | grep -q "^ID"
log_test "vpdnctl as another user is refused ($out)" $?
# ... and by SO_PEERCRED when the mode is loosened.
chmod 0755 "$TMPD"
chmod 0666 "$TMPD/lns.sock"
out=$(in_ns lns setpriv --reuid=4242 --regid=4242 --clear-groups \
    "$VPDNCTL" -s "$TMPD/lns.sock" show tunnels 2>&1)
rc=$?
chmod 0600 "$TMPD/lns.sock"
chmod 0711 "$TMPD"
[ $rc -ne 0 ] && echo "$out" | grep -q "permission denied" &&
    grep -q "ctl: refused uid 4242" "$TMPD/lns.log"
log_test "with the socket mode loosened, SO_PEERCRED still refuses ($out)" $?
out=$(in_ns lns setpriv --reuid="$NOBODY_UID" --regid="$NOGROUP_GID" \
    --clear-groups "$VPDNCTL" -s "$TMPD/lns.sock" show tunnels 2>&1)
[ $? -ne 0 ]
log_test "even the daemon's own user needs the socket's mode (root owns it)" $?

# Everything an operator can see.
for n in lns pc; do
	for w in tunnels sessions stats; do
		vpdnctl_in $n $n show $w
		vpdnctl_in $n $n show $w --json
	done
done >"$TMPD/vpdnctl.out" 2>&1
vpdnctl_in lns lns show pool >>"$TMPD/vpdnctl.out" 2>&1
vpdnctl_in lns lns show pool --json >>"$TMPD/vpdnctl.out" 2>&1
vpdnctl_in lns lns help >>"$TMPD/vpdnctl.out" 2>&1

vpdnd_sane pc "$PC_PID"
log_test "client exits 0 after the drop" $?
vpdnd_sane lns "$LNS_PID"
log_test "LNS exits 0 after the drop, no sanitizer report" $?
[ "$(wc -l <"$TMPD/lns.log")" -gt 50 ] && grep -q "alice@corp.example" "$TMPD/lns.log" &&
    grep -q "alice@corp.example" "$TMPD/vpdnctl.out"
log_test "the logs and vpdnctl output are there to search (trace level)" $?
found=$(grep -l -F -e "$TSECRET" -e "$PW1" -e "$PW2" "$TMPD"/*.log \
    "$TMPD/vpdnctl.out" 2>/dev/null)
[ -z "$found" ]
log_test "no secret in any log or vpdnctl output${found:+ (found in: $found)}" $?
case_end lns pc

# --- started with a bounding set already cut down (as by a systemd unit's
# CapabilityBoundingSet with CAP_SETUID/CAP_SETGID but no CAP_SETPCAP) -----
case_begin
sed -e "s|$TMPD/lns.sock|$TMPD/lns2.sock|" "$TMPD/lns.conf" >"$TMPD/lns2.conf"
start_bg lns "$TMPD/lns2.log" setpriv \
    --bounding-set -all,+net_admin,+net_raw,+net_bind_service,+setuid,+setgid \
    "$VPDND" -c "$TMPD/lns2.conf"
LNS_PID=$BG_PID
wait_for 10 grep -q "running as user nobody" "$TMPD/lns2.log"
log_test "reduced bounding set without CAP_SETPCAP: the drop still works" $?
g=$NOGROUP_GID
status_is "$LNS_PID" Uid "$NOBODY_UID $NOBODY_UID $NOBODY_UID $NOBODY_UID" &&
    status_is "$LNS_PID" Gid "$g $g $g $g" &&
    status_is "$LNS_PID" CapEff 0000000000003400 &&
    status_is "$LNS_PID" CapPrm 0000000000003400 &&
    status_is "$LNS_PID" CapBnd 00000000000034c0 &&
    status_is "$LNS_PID" NoNewPrivs 1 &&
    grep -q "no CAP_SETPCAP" "$TMPD/lns2.log"
log_test "and leaves exactly the three capabilities (bounding set as given, warned)" $?
vpdnd_sane lns2 "$LNS_PID"
log_test "and exits 0" $?
case_end lns2

finish
