#!/bin/bash
# Rate plans ([rate-plan NAME], vpdn.conf(5)) end to end, on both data
# paths of the LNS (dataplane = user and kernel):
#
#   client 10.202.1.2 ==veth== 10.202.1.1 lns 10.202.0.1 ==veth== 10.202.0.2 intranet
#          vpdn-c (TUN)                     vpdn-rp (TUN)  FreeRADIUS (127.0.0.1)
#
# alice authenticates through FreeRADIUS, whose Access-Accept carries
# Filter-Id = "ten" (10 Mbit/s each way): `show sessions` names the plan;
# a TCP flow (iperf3, the first 2 s of slow start left out, then 8 s)
# measures 10 Mbit/s ± 15% downstream and upstream, and the policer's
# drops are counted.  A CoA-Request from radclient with Filter-Id = "two"
# is ACKed and the next downstream flow measures 2 Mbit/s ± 15%; a CoA
# naming no plan gets CoA-NAK Invalid-Attribute-Value (RFC 5176 §3.5) and
# changes nothing; Mikrotik-Rate-Limit in a CoA sets rates directly;
# `vpdnctl set session ID rate-plan ten --json` answers in JSON; a
# Disconnect-Request still ends the session.
#
# The plans keep the default burst (250 ms of the rate): TCP reaches the
# rate through a policer when the bucket covers a round trip plus a
# retransmission timeout (with 100 ms, these flows measured half the rate:
# every tail loss left them silent for Linux's 200 ms minimum RTO).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-radius.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
command -v freeradius >/dev/null || skip_all "no freeradius"
command -v radclient >/dev/null || skip_all "no radclient"
command -v iperf3 >/dev/null || skip_all "no iperf3 (scripts/install-deps.sh)"
setup_trap

C_ADDR=10.202.1.2 L_ADDR=10.202.1.1
L_IN=10.202.0.1 HOST=10.202.0.2
POOL_LO=10.202.100.10 POOL_HI=10.202.100.20
C_IF=vpdn-c L_IF=vpdn-rp
RADDB="$TMPD/raddb"
SECRET=testing123
# Seconds measured, after the first OMIT of slow start (and of the full
# bucket a flow starts with) are left out.
SECS=8 OMIT=2

topology()
{
	create_ns client || return 1
	create_ns lns || return 1
	create_ns intranet || return 1
	router_sysctls client; router_sysctls lns; router_sysctls intranet
	connect_ns client $C_ADDR lns $L_ADDR || return 1
	connect_ns lns $L_IN intranet $HOST || return 1
	ip -n "$(ns lns)" link set lo up
	ip -n "$(ns intranet)" route add 10.202.100.0/24 via $L_IN
}

# tx_csum_off NS IFACE: IFACE computes its checksums in software, as in
# t-fastpath.sh (the fast path encapsulates a partial checksum as it is).
tx_csum_off()
{
	in_ns "$1" python3 -c '
import ctypes, fcntl, socket, struct, sys
ev = ctypes.create_string_buffer(struct.pack("II", 0x17, 0))  # ETHTOOL_STXCSUM
ifr = struct.pack("16sP", sys.argv[1].encode(), ctypes.addressof(ev)) + bytes(16)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
fcntl.ioctl(s.fileno(), 0x8946, ifr)                           # SIOCETHTOOL' "$2"
}

# lns_conf NAME DATAPLANE
lns_conf()
{
	vpdnd_global_conf "$1" $L_ADDR:1701 lns.test info 1 2
	cat <<EOT
dataplane = $2

[lns]
local-address = 10.202.100.1
pool = $POOL_LO-$POOL_HI
auth = pap
radius = yes
interface = $L_IF
mtu = 1400

[rate-plan ten]
down = 10M
up = 10M

[rate-plan two]
down = 2M
up = 2M

[radius]
server = 127.0.0.1
secret = $SECRET
nas-identifier = lns-test
dae-listen = 127.0.0.1
EOT
}

client_conf()
{
	ppp_client_conf "$1" $C_ADDR:1701 $L_ADDR alice alice-pw pap $C_IF 10.202.0.0/24
}

sessions_json()
{
	vpdnctl_in lns "$1" show sessions --json 2>/dev/null || echo '{"sessions":[]}'
}

# field NAME FIELD: FIELD of the LNS NAME's one session.
field()
{
	json_field "$(sessions_json "$1")" sessions 0 "$2"
}

# mbps DIR PORT: a TCP flow between the client and the intranet host
# (DIR down: to the client; up: from it) for OMIT + SECS seconds; prints
# what the receiver got in Mbit/s over the SECS.
mbps()
{
	local rev="" pid
	[ "$1" = down ] && rev=-R
	start_bg intranet "$TMPD/iperf-s-$2.log" iperf3 -s -1 -B $HOST -p "$2"
	pid=$BG_PID
	# Not by connecting: that would be the one-off server's one client.
	wait_for 5 grep -q "Server listening" "$TMPD/iperf-s-$2.log"
	in_ns client iperf3 -c $HOST -p "$2" $rev -t $SECS -O $OMIT -J \
	    >"$TMPD/iperf-$2.json" 2>&1
	stop_pid "$pid" TERM 5 >/dev/null
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print("%.2f" % (d["end"]["sum_received"]["bits_per_second"] / 1e6))' \
	    "$TMPD/iperf-$2.json" 2>/dev/null || echo 0
}

# within GOT WANT: GOT is WANT ± 15%.
within()
{
	python3 -c '
import sys
got, want = float(sys.argv[1]), float(sys.argv[2])
sys.exit(0 if abs(got - want) <= 0.15 * want else 1)' "$1" "$2"
}

# coa ATTRS OUT: a CoA-Request for alice with ATTRS (radclient syntax),
# the answer in $TMPD/OUT.
coa()
{
	echo "User-Name = \"alice\", $1, Event-Timestamp = $(date +%s)" |
	    in_ns lns radclient -x 127.0.0.1:3799 coa $SECRET >"$TMPD/$2" 2>&1
}

topology || exit 1
tx_csum_off intranet "$(veth_name lns)" || exit 1
radius_raddb "$RADDB" "$SECRET" "$TMPD/detail" no <<EOT
alice	Cleartext-Password := "alice-pw"
	Filter-Id = "ten"
EOT
start_freeradius lns "$RADDB"
log_test "FreeRADIUS is up" $?

# run_path DATAPLANE: the whole sequence on one data path.
run_path()
{
	local dp=$1 lname=lns-$1 cname=cl-$1 a r sid out
	case_begin
	lns_conf $lname "$dp" >"$TMPD/$lname.conf"
	client_conf $cname >"$TMPD/$cname.conf"
	if ! start_vpdnd lns $lname "$TMPD/$lname.conf"; then
		if [ "$dp" = kernel ] &&
		    grep -q "dataplane = kernel: " "$TMPD/$lname.log"; then
			log "skip kernel: $(grep -o 'dataplane = kernel: .*' "$TMPD/$lname.log" | head -1)"
			return 0
		fi
		log_test "$dp: vpdnd starts" 1
		return 1
	fi
	LNS_PID=$VPDND_PID
	start_vpdnd client $cname "$TMPD/$cname.conf"
	CL_PID=$VPDND_PID
	wait_for 15 vpdnd_all_network lns $lname 1
	log_test "$dp: alice's session reaches PPP phase network" $?
	wait_for 5 vpdnd_all_network client $cname 1
	a=$(field $lname address)
	# Neighbours resolved on every hop before measuring.
	run_cmd client python3 "$NETNS_DIR/tools/ping.py" -c 3 -i 0.2 -W 2 $HOST
	run_cmd intranet python3 "$NETNS_DIR/tools/ping.py" -c 3 -i 0.2 -W 2 "$a"
	[ "$(field $lname rate_plan)" = ten ] &&
	    [ "$(field $lname rate_down_bps)" = 10000000 ] &&
	    [ "$(field $lname path)" = "$dp" ]
	log_test "$dp: Filter-Id from FreeRADIUS gives plan ten (path $dp)" $?
	vpdnctl_in lns $lname show sessions | head -1 | grep -q "RATE-PLAN *DROPPED"
	log_test "$dp: show sessions has RATE-PLAN and DROPPED columns" $?

	r=$(mbps down 5201)
	within "$r" 10
	log_test "$dp: plan ten: TCP down measures $r Mbit/s (10 ± 15%)" $?
	r=$(mbps up 5202)
	within "$r" 10
	log_test "$dp: plan ten: TCP up measures $r Mbit/s (10 ± 15%)" $?
	[ "$(field $lname policer_dropped_down_bytes)" -gt 0 ] &&
	    [ "$(field $lname policer_dropped_up_bytes)" -gt 0 ]
	log_test "$dp: the policer's drops are counted both ways" $?

	coa 'Filter-Id = "two"' coa-$dp.out
	grep -q "Received CoA-ACK" "$TMPD/coa-$dp.out" &&
	    [ "$(field $lname rate_plan)" = two ]
	log_test "$dp: CoA-Request Filter-Id two: CoA-ACK, plan two" $?
	r=$(mbps down 5203)
	within "$r" 2
	log_test "$dp: plan two: TCP down measures $r Mbit/s (2 ± 15%)" $?

	coa 'Filter-Id = "platinum"' coa2-$dp.out
	grep -q "Received CoA-NAK" "$TMPD/coa2-$dp.out" &&
	    grep -q "Invalid-Attribute-Value" "$TMPD/coa2-$dp.out" &&
	    [ "$(field $lname rate_plan)" = two ]
	log_test "$dp: CoA naming no plan: CoA-NAK Invalid-Attribute-Value, plan unchanged" $?
	coa 'Mikrotik-Rate-Limit = "4M/8M"' coa3-$dp.out
	grep -q "Received CoA-ACK" "$TMPD/coa3-$dp.out" &&
	    [ "$(field $lname rate_plan)" = 8M/4M ] &&
	    [ "$(field $lname rate_up_bps)" = 4000000 ]
	log_test "$dp: CoA Mikrotik-Rate-Limit 4M/8M: down 8M, up 4M" $?

	sid=$(field $lname local_id)
	out=$(vpdnctl_in lns $lname set session "$sid" rate-plan ten --json)
	jtrue "$out" "d['session'] == $sid and d['rate_plan'] == 'ten'" &&
	    [ "$(field $lname rate_plan)" = ten ]
	log_test "$dp: vpdnctl set session $sid rate-plan ten --json" $?
	! vpdnctl_in lns $lname set session "$sid" rate-plan gold >/dev/null 2>&1
	log_test "$dp: vpdnctl set session refuses an unknown plan" $?

	echo "User-Name = \"alice\", Event-Timestamp = $(date +%s)" |
	    in_ns lns radclient -x 127.0.0.1:3799 disconnect $SECRET >"$TMPD/dm-$dp.out" 2>&1
	grep -q "Received Disconnect-ACK" "$TMPD/dm-$dp.out" &&
	    wait_for 10 vpdnd_none_live lns $lname sessions
	log_test "$dp: Disconnect-Request still ends the session" $?
	stop_pid "$CL_PID" TERM 10
	vpdnd_sane $lname "$LNS_PID"
	log_test "$dp: LNS exits 0 on SIGTERM, no sanitizer report" $?
	case_end $lname $cname
}

run_path user
run_path kernel
stop_pid "$RADIUS_PID" TERM 5
finish
