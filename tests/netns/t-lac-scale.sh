#!/bin/bash
# 50 users dial in through one LAC to one LNS: every
# session must ride in ONE tunnel (INTERFACE.md: one tunnel per (LNS, realm
# secret); a new user of a realm whose tunnel is up gets a session in it).
#
#   pcs eth1..eth50 ==veth== p1..p50 -- br0 (lac, PPPoE) 10.220.1.1 ==== 10.220.1.2 lns
#
# One vpdnd in namespace "pcs" runs 50 [client] sections, one per veth, so
# each user has its own MAC (the LAC's per-MAC PADI/PADR rate limit is not
# what this test is about).  Checks: 50 sessions in PPP phase network on the
# LNS, 1 tunnel carrying 50 sessions on both LAC and LNS, 50 distinct pool
# addresses that match what the PCs were given; then all hang up at once and
# the tunnel goes away on both ends.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-lac.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
setup_trap

N=${LAC_SCALE_USERS:-50}
LAC_ADDR=10.220.1.1 LNS_ADDR=10.220.1.2
POOL_LO=10.9.5.10 POOL_HI=10.9.5.250

# net_count NS NAME: how many sessions are in phase network (for the log).
net_count()
{
	jval "$(show_json "$1" "$2" sessions)" \
	    "len([s for s in d['sessions'] if s['ppp_phase'] == 'network'])"
}

# pool_used_is N: the LNS's pools hold N leases in all.
pool_used_is()
{
	jtrue "$(show_json lns lns pool)" "sum(p['used'] for p in d['pools']) == $1"
}

# pc_addrs: the addresses of the PCs' TUNs ppp1..pppN, sorted, one line.
# A PPPoE call of the client role is no L2TP session (not in the PCs'
# `show sessions`); its TUN address is what shows it up.
pc_addrs()
{
	local i
	for i in $(seq "$N"); do
		ip -n "$(ns pcs)" -4 -o addr show dev ppp$i 2>/dev/null |
		    awk '{ split($4, a, "/"); print a[1]; exit }'
	done | sort | tr '\n' ' ' | sed 's/ $//'
}

# pcs_up N: N of the PCs' TUNs have an address.
pcs_up()
{
	local a
	a=$(pc_addrs)
	[ "$(echo $a | wc -w)" = "$1" ]
}

topology()
{
	local n i
	for n in pcs lac lns; do
		create_ns $n || return 1
	done
	lac_bridge 02:00:00:00:0a:c1 || return 1
	for i in $(seq "$N"); do
		ip -n "$(ns lac)" link add p$i type veth peer name eth$i \
		    netns "$(ns pcs)" || return 1
		ip -n "$(ns lac)" link set p$i master br0 up || return 1
		ip -n "$(ns pcs)" link set eth$i up || return 1
	done
	connect_ns lac $LAC_ADDR lns $LNS_ADDR
}

topology || exit 1
: >"$TMPD/lns.users"
vpdnd_global_conf pcs 127.0.0.1:1701 pcs.test info >"$TMPD/pcs.conf"
for i in $(seq "$N"); do
	echo "user$i@corp.example  pw-$i" >>"$TMPD/lns.users"
	cat >>"$TMPD/pcs.conf" <<EOT

[client u$i]
pppoe-interface = eth$i
user = user$i@corp.example
password = pw-$i
auth = chap-md5, pap
interface = ppp$i
default-route = no
redial = no
EOT
done
{
	vpdnd_global_conf lns $LNS_ADDR:1701 lns.test info 5
	echo
	proxy_lns_section scale-secret 10.9.5.1 $POOL_LO-$POOL_HI \
	    "$TMPD/lns.users" vpdn-lns
} >"$TMPD/lns.conf"
{
	vpdnd_global_conf lac $LAC_ADDR:1701 lac.test info 5
	echo
	pppoe_lac_section
	cat <<EOT

[realm corp.example]
lns = $LNS_ADDR
tunnel-secret = scale-secret
EOT
} >"$TMPD/lac.conf"

case_begin
start_vpdnd lns lns "$TMPD/lns.conf"
log_test "LNS starts" $?
LNS_PID=$VPDND_PID
start_vpdnd lac lac "$TMPD/lac.conf"
log_test "LAC starts" $?
LAC_PID=$VPDND_PID
t0=$(date +%s)
start_vpdnd pcs pcs "$TMPD/pcs.conf"
log_test "one vpdnd with $N PPPoE [client] sections starts" $?
PCS_PID=$VPDND_PID

wait_for 90 vpdnd_all_network lns lns "$N"
rc=$?
[ $rc -ne 0 ] && log "LNS sessions in phase network: $(net_count lns lns) of $N"
log_test "$N sessions reach PPP phase network on the LNS ($(($(date +%s) - t0)) s)" $rc
wait_for 10 pcs_up "$N"
rc=$?
[ $rc -ne 0 ] && log "PC TUNs with an address: $(echo $(pc_addrs) | wc -w) of $N"
log_test "all $N PCs reach PPP phase network" $rc

j=$(show_json lns lns tunnels)
jtrue "$j" "len(d['tunnels']) == 1 and d['tunnels'][0]['sessions'] == $N and d['tunnels'][0]['state'] == 'established'"
rc=$?
[ $rc -ne 0 ] && log "LNS tunnels: $j"
log_test "LNS: ONE tunnel carrying $N sessions" $rc
j=$(show_json lac lac tunnels)
jtrue "$j" "len(d['tunnels']) == 1 and d['tunnels'][0]['sessions'] == $N and d['tunnels'][0]['role'] == 'lac'"
rc=$?
[ $rc -ne 0 ] && log "LAC tunnels: $j"
log_test "LAC: ONE tunnel (role lac) carrying $N sessions" $rc
j=$(show_json lac lac sessions)
jtrue "$j" "len(d['sessions']) == $N and all(s['role'] == 'lac' and s['state'] == 'established' for s in d['sessions']) and len(set(s['tunnel_local_id'] for s in d['sessions'])) == 1 and len(set(s['user'] for s in d['sessions'])) == $N"
log_test "LAC: $N established sessions of $N distinct users, all in one tunnel" $?

lns_addrs=$(jval "$(show_json lns lns sessions)" "' '.join(sorted(s['address'] for s in d['sessions']))")
pc_addrs=$(pc_addrs)
python3 -c '
import ipaddress as i, sys
a = sys.argv[1].split()
lo, hi = i.ip_address(sys.argv[2]), i.ip_address(sys.argv[3])
sys.exit(0 if len(a) == int(sys.argv[4]) == len(set(a)) and
    all(lo <= i.ip_address(x) <= hi for x in a) else 1)' "$lns_addrs" $POOL_LO $POOL_HI "$N"
log_test "LNS: $N distinct addresses, all from the pool" $?
[ -n "$lns_addrs" ] && [ "$lns_addrs" = "$pc_addrs" ]
log_test "the PCs hold exactly the addresses the LNS handed out" $?
pool_used_is "$N"
log_test "LNS pool shows $N leases" $?

# Everyone hangs up at once: SIGTERM sends PADT for all 50 sessions.
vpdnd_sane pcs "$PCS_PID"
log_test "all PCs hang up (exit 0 on SIGTERM, no sanitizer report)" $?
wait_for 20 vpdnd_none_live lac lac sessions
log_test "LAC: no session left" $?
wait_for 10 vpdnd_none_live lac lac tunnels
log_test "LAC: the tunnel is torn down after the last session" $?
wait_for 10 vpdnd_none_live lns lns tunnels && vpdnd_none_live lns lns sessions &&
    wait_for 5 pool_used_is 0
log_test "LNS: no tunnel, no session, every address back in the pool" $?
vpdnd_sane lac "$LAC_PID"
log_test "LAC exits 0 on SIGTERM, no sanitizer report" $?
vpdnd_sane lns "$LNS_PID"
log_test "LNS exits 0 on SIGTERM, no sanitizer report" $?
case_end lac lns pcs
finish
