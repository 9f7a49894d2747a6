# Shared helpers for the network-namespace integration tests.  Sourced (not
# run) by every tests/netns/t-*.sh; shaped like the Linux kernel's
# tools/testing/selftests/net/l2tp.sh so the scenarios read alike.
#
# Every name this creates carries the test's PID, so two runs (or a run and
# a leftover of a crashed one) never collide, and cleanup removes exactly
# what this run made: the namespaces in NS_LIST, the processes in PID_LIST
# (by PID, never by name), and TMPD.
#
# A scenario does:
#	. "$(dirname "$0")/lib.sh"
#	setup_trap
#	create_ns lac; create_ns lns
#	connect_ns lac 10.200.1.1 lns 10.200.1.2
#	...
#	log_test "tunnel comes up" $rc
#	finish			# prints "N passed, N failed", exits 0/1
#
# Scenarios with PCs dialling a LAC over PPPoE also source lib-lac.sh, and
# those that need a FreeRADIUS server lib-radius.sh.

set -u

NETNS_DIR=$(cd "$(dirname "${BASH_SOURCE:-$0}")" && pwd)
# run.sh passes its own tag so it can look for leftovers of exactly its runs.
NS_PREFIX="${VPDN_NETNS_TAG:-vnt}$$-"
NS_LIST=""
PID_LIST=""
N_PASSED=0
N_FAILED=0
FINISHED=0
TEST_NAME=$(basename "$0" .sh)
TMPD=$(mktemp -d "/tmp/vpdn-$TEST_NAME.XXXXXX")
# VPDN_TEST_DATAPLANE=kernel|user|auto: every vpdnd start_vpdnd starts gets
# that `dataplane` (dp_conf), and the run is reported apart: its checks as
# "t-NAME [kernel]", its totals as suite netns-kernel (tests/summary.sh).
VPDN_TEST_DATAPLANE=${VPDN_TEST_DATAPLANE:-}
NETNS_SUITE=netns
if [ -n "$VPDN_TEST_DATAPLANE" ]; then
	TEST_NAME="$TEST_NAME [$VPDN_TEST_DATAPLANE]"
	NETNS_SUITE="netns-$VPDN_TEST_DATAPLANE"
fi
VERBOSE=${VERBOSE:-0}
# Keep the work directory (logs, captures) of a failed run for a post mortem.
KEEP_TMP=${KEEP_TMP:-0}

# Full name of the namespace that a scenario calls $1.
ns()
{
	echo "$NS_PREFIX$1"
}

log()
{
	echo "# $*"
}

create_ns()
{
	local n
	n=$(ns "$1")
	ip netns add "$n" || return 1
	NS_LIST="$NS_LIST $n"
	ip -n "$n" link set lo up
}

# connect_ns A ADDR_A B ADDR_B [PREFIXLEN]: a veth pair between namespaces A
# and B; the end in A is called "veth-B" and the end in B "veth-A"
# (truncated to the 15 characters an interface name may have).
connect_ns()
{
	local a=$1 addr_a=$2 b=$3 addr_b=$4 plen=${5:-24}
	local if_a if_b
	if_a=$(veth_name "$b")
	if_b=$(veth_name "$a")
	ip -n "$(ns "$a")" link add "$if_a" type veth peer name "$if_b" \
	    netns "$(ns "$b")" || return 1
	ip -n "$(ns "$a")" addr add "$addr_a/$plen" dev "$if_a"
	ip -n "$(ns "$b")" addr add "$addr_b/$plen" dev "$if_b"
	ip -n "$(ns "$a")" link set "$if_a" up
	ip -n "$(ns "$b")" link set "$if_b" up
}

# create_ns_pair A ADDR_A B ADDR_B: namespaces A and B, connected by
# connect_ns.
create_ns_pair()
{
	create_ns "$1" || return 1
	create_ns "$3" || return 1
	connect_ns "$@"
}

# connect_ns6 A ADDR_A B ADDR_B: IPv6 addresses (/64, no duplicate address
# detection, so they are usable at once) on the veth pair connect_ns made
# between A and B.
connect_ns6()
{
	ip -n "$(ns "$1")" addr add "$2/64" dev "$(veth_name "$3")" nodad &&
	    ip -n "$(ns "$3")" addr add "$4/64" dev "$(veth_name "$1")" nodad
}

# router_sysctls NS: forwarding on, reverse-path filter off (so a forged
# source is stopped by vpdnd's anti-spoofing or not at all, never by the
# kernel).
router_sysctls()
{
	local k
	for k in all default; do
		in_ns "$1" sysctl -qw net.ipv4.conf.$k.rp_filter=0
	done
	in_ns "$1" sysctl -qw net.ipv4.ip_forward=1
}

# Name of the interface that, inside some namespace, leads to namespace $1.
veth_name()
{
	echo "veth-$1" | cut -c1-15
}

# run_cmd NS CMD...: runs CMD inside namespace NS; its output is shown only
# with VERBOSE=1 or on failure.
run_cmd()
{
	local n=$1 out rc
	shift
	out=$(ip netns exec "$(ns "$n")" "$@" 2>&1)
	rc=$?
	if [ "$VERBOSE" = 1 ] || [ $rc -ne 0 ]; then
		log "[$n] $* -> rc $rc"
		[ -n "$out" ] && echo "$out" | sed 's/^/#   /'
	fi
	return $rc
}

# in_ns NS CMD...: runs CMD inside NS, output passed through (for $(...)).
in_ns()
{
	local n=$1
	shift
	ip netns exec "$(ns "$n")" "$@"
}

# log_test NAME RC: one TAP-like line per check, counted for the summary.
log_test()
{
	local name=$1 rc=$2
	if [ "$rc" -eq 0 ]; then
		N_PASSED=$((N_PASSED + 1))
		echo "ok - $TEST_NAME: $name"
	else
		N_FAILED=$((N_FAILED + 1))
		echo "FAIL - $TEST_NAME: $name"
	fi
	return 0
}

# wait_for SECONDS CMD...: polls CMD every 0.2 s until it succeeds (0) or
# SECONDS pass (1).
wait_for()
{
	local limit=$1 end
	shift
	end=$(($(date +%s%N) / 1000000 + limit * 1000))
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ $(($(date +%s%N) / 1000000)) -ge $end ] && return 1
		sleep 0.2
	done
}

# start_bg NS LOGFILE CMD...: starts CMD inside NS in the background, output
# to LOGFILE; its PID goes to PID_LIST (for cleanup) and to $BG_PID.
# `ip netns exec` execs CMD, so the PID is CMD's own.
start_bg()
{
	local n=$1 logf=$2
	shift 2
	ip netns exec "$(ns "$n")" "$@" >"$logf" 2>&1 </dev/null &
	BG_PID=$!
	PID_LIST="$PID_LIST $BG_PID"
}

# alive PID: PID runs (an exited, not yet reaped child is a zombie, which
# kill -0 still finds).
alive()
{
	kill -0 "$1" 2>/dev/null &&
	    [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

# stop_pid PID [SIGNAL] [SECONDS]: signals PID (TERM by default), waits for
# it to exit, KILLs it after SECONDS (5).  Returns the exit status.
stop_pid()
{
	local pid=$1 sig=${2:-TERM} limit=${3:-5} i=0 rc
	case " $PID_LIST " in
	*" $pid "*) ;;
	*) return 0 ;;	# not ours, or already reaped
	esac
	kill -s "$sig" "$pid" 2>/dev/null
	while alive "$pid"; do
		i=$((i + 1))
		if [ $i -ge $((limit * 10)) ]; then
			kill -KILL "$pid" 2>/dev/null
			break
		fi
		sleep 0.1
	done
	wait "$pid" 2>/dev/null
	rc=$?
	# Reaped: forget it, so cleanup never signals a recycled PID.
	PID_LIST=$(echo " $PID_LIST " | sed "s/ $pid / /; s/^ *//; s/ *$//")
	return $rc
}

# start_capture NS IFACE FILE: tshark on IFACE in NS, L2TP only; returns once
# tshark is capturing.  CAP_PID is its PID.
start_capture()
{
	local n=$1 ifc=$2 file=$3
	: >"$file"
	chmod 0666 "$file" 2>/dev/null
	start_bg "$n" "$file.log" tshark -n -q -i "$ifc" -f "udp port 1701" \
	    -w "$file"
	CAP_PID=$BG_PID
	wait_for 10 grep -q "Capturing on" "$file.log"
}

# stop_capture: flushes and closes the capture started last.
stop_capture()
{
	# Give the last frames time to be written before tshark is told to stop.
	sleep 0.5
	stop_pid "$CAP_PID" INT 5
}

# Kills every process still inside namespace $1 (children that outlived their
# parent, e.g. a pppd stand-in); only namespaces this run created reach here.
kill_ns_pids()
{
	local n=$1 p
	for p in $(ip netns pids "$n" 2>/dev/null); do
		kill -TERM "$p" 2>/dev/null
	done
	sleep 0.2
	for p in $(ip netns pids "$n" 2>/dev/null); do
		kill -KILL "$p" 2>/dev/null
	done
}

cleanup()
{
	local p n
	trap - EXIT INT TERM
	# A scenario that died early (set -u, a failed setup step) still has
	# to show up as a failure in the totals.
	if [ "$FINISHED" = 0 ]; then
		N_FAILED=$((N_FAILED + 1))
		echo "FAIL - $TEST_NAME: aborted before the end"
		echo "$NETNS_SUITE $N_PASSED $N_FAILED" >>"${VPDN_RESULTS:-/tmp/vpdn-results}"
	fi
	for p in $PID_LIST; do
		stop_pid "$p" TERM 3
	done
	for n in $NS_LIST; do
		kill_ns_pids "$n"
		ip netns del "$n" 2>/dev/null
	done
	if [ "$N_FAILED" -gt 0 ] || [ "$KEEP_TMP" = 1 ]; then
		log "work directory kept: $TMPD"
	else
		rm -rf "$TMPD"
	fi
}

setup_trap()
{
	trap 'cleanup' EXIT
	trap 'echo "FAIL - $TEST_NAME: interrupted"; exit 1' INT TERM
}

# require_cmds CMD...: skip_all unless every CMD is installed.
require_cmds()
{
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null || skip_all "$c not installed"
	done
}

# skip_all REASON: the scenario cannot run here (missing tool); counts as
# neither passed nor failed, which run.sh reports.
skip_all()
{
	echo "SKIP - $TEST_NAME: $*"
	FINISHED=1
	echo "$NETNS_SUITE 0 0" >>"${VPDN_RESULTS:-/tmp/vpdn-results}"
	exit 0
}

# finish: summary line, results file, exit status.
finish()
{
	FINISHED=1
	echo "$TEST_NAME: $N_PASSED passed, $N_FAILED failed"
	echo "$NETNS_SUITE $N_PASSED $N_FAILED" >>"${VPDN_RESULTS:-/tmp/vpdn-results}"
	[ "$N_FAILED" -eq 0 ]
	exit $?
}

# ---- xl2tpd ---------------------------------------------------------------

# Directory with xl2tpd.conf templates.
XL2TPD_TPL="$NETNS_DIR/xl2tpd"

# render TEMPLATE OUT VAR=VALUE...: copies TEMPLATE to OUT replacing every
# @VAR@ with VALUE; lines containing a @VAR@ whose VALUE is empty are dropped
# (so optional settings vanish).
render()
{
	local tpl=$1 out=$2 kv k v script=""
	shift 2
	for kv in "$@"; do
		k=${kv%%=*}
		v=${kv#*=}
		if [ -z "$v" ]; then
			script="$script/@$k@/d;"
		else
			v=$(printf '%s' "$v" | sed 's/[\/&|]/\\&/g')
			script="${script}s|@$k@|$v|g;"
		fi
	done
	sed "$script" "$tpl" >"$out"
}

# start_xl2tpd NS NAME CONF SECRETS: runs xl2tpd in the foreground inside NS,
# in a private mount namespace where /usr/sbin/pppd (the path xl2tpd has
# compiled in) is the sleeping stand-in: this machine has no /dev/ppp, and a
# real pppd would exit at once and take the session down with it.  The host's
# pppd is never touched.  Files go to $TMPD/NAME.*; XL2TPD_PID is set.
start_xl2tpd()
{
	local n=$1 name=$2 conf=$3 secrets=$4
	local ctl="$TMPD/$name.ctl" pidf="$TMPD/$name.pid"
	start_bg "$n" "$TMPD/$name.log" unshare -m sh -c \
	    "mount --bind '$NETNS_DIR/fake-pppd.sh' /usr/sbin/pppd &&
	     exec xl2tpd -D -c '$conf' -s '$secrets' -p '$pidf' -C '$ctl'"
	XL2TPD_PID=$BG_PID
	wait_for 5 test -p "$ctl"
}

# xl2tpd_ctl NAME CMD: writes one command ("c LAC", "d LAC", ...) to the
# control FIFO of the xl2tpd started as NAME.
xl2tpd_ctl()
{
	local ctl="$TMPD/$1.ctl"
	[ -p "$ctl" ] || return 1
	# A FIFO without a reader would block the test; xl2tpd keeps it open.
	timeout 5 sh -c "echo '$2' > '$ctl'"
}

# The checks the vpdnd-against-xl2tpd scenarios share (one log_test each,
# named after TAG); vpdnd VNAME runs in namespace NS, xl2tpd was started as
# XNAME.

# xl2tpd_interop_up NS TAG VNAME XNAME: vpdnd has 1 established tunnel with
# 1 established session in it, and xl2tpd logs the call established.
xl2tpd_interop_up()
{
	local n=$1 tag=$2 vname=$3 xname=$4 rc
	wait_for 10 vpdnd_state_is "$n" "$vname" tunnels 1 established
	rc=$?
	log_test "$tag: vpdnd shows 1 established tunnel" $rc
	# No tunnel, no session: do not wait for it as well.
	[ $rc -eq 0 ] && wait_for 10 vpdnd_state_is "$n" "$vname" sessions 1 established
	log_test "$tag: vpdnd shows 1 established session" $?
	wait_for 5 grep -q "Call established" "$TMPD/$xname.log"
	log_test "$tag: xl2tpd reports the call established" $?
}

# xl2tpd_interop_refused NS TAG VNAME XNAME: with a bad secret, once the
# exchange (and any retransmissions) had time to play out: xl2tpd got no
# call and vpdnd keeps no tunnel.
xl2tpd_interop_refused()
{
	local n=$1 tag=$2 vname=$3 xname=$4
	sleep 3
	! grep -q "Call established" "$TMPD/$xname.log"
	log_test "$tag: xl2tpd gets no call" $?
	wait_for 10 vpdnd_none_live "$n" "$vname" tunnels
	log_test "$tag: vpdnd keeps no tunnel" $?
}

# xl2tpd_interop_ctl_down NS TAG VNAME XNAME TID PEER: `vpdnctl disconnect
# tunnel TID` succeeds, xl2tpd logs the connection to PEER (its name for
# vpdnd) closed, and vpdnd shows no live tunnel.
xl2tpd_interop_ctl_down()
{
	local n=$1 tag=$2 vname=$3 xname=$4 tid=$5 peer=$6
	vpdnctl_in "$n" "$vname" disconnect tunnel "${tid:-0}" >/dev/null
	log_test "$tag: vpdnctl disconnect tunnel $tid succeeds" $?
	wait_for 10 grep -q "Connection closed to $peer" "$TMPD/$xname.log"
	log_test "$tag: xl2tpd sees the tunnel closed by vpdnd" $?
	wait_for 10 vpdnd_none_live "$n" "$vname" tunnels
	log_test "$tag: vpdnd shows 0 tunnels" $?
}

# xl2tpd_interop_term_down TAG VNAME VPID XNAME PEER: vpdnd (PID VPID)
# exits cleanly on SIGTERM and xl2tpd logs the connection to PEER closed
# by the StopCCN vpdnd sent on the way out.
xl2tpd_interop_term_down()
{
	local tag=$1 vname=$2 vpid=$3 xname=$4 peer=$5
	vpdnd_sane "$vname" "$vpid"
	log_test "$tag: vpdnd exits 0 on SIGTERM, no sanitizer report" $?
	wait_for 5 grep -q "Connection closed to $peer" "$TMPD/$xname.log"
	log_test "$tag: xl2tpd sees StopCCN from the exiting vpdnd" $?
}

# ---- vpdnd ----------------------------------------------------------------

# dp_conf CONF: with VPDN_TEST_DATAPLANE set, gives CONF's [global] that
# `dataplane` unless CONF chose its own (a scenario about the data paths
# keeps its cases), and a kernel one with an [lns] `fastpath-ingress = all`
# too (encapsulation where the intranet's packets enter, as t-fastpath.sh
# does; the TUN's egress still takes what comes from elsewhere).  In place:
# a reload re-reads the same file.
dp_conf()
{
	local conf=$1 add
	[ -n "$VPDN_TEST_DATAPLANE" ] || return 0
	grep -q '^[[:space:]]*dataplane[[:space:]]*=' "$conf" && return 0
	add="dataplane = $VPDN_TEST_DATAPLANE"
	if [ "$VPDN_TEST_DATAPLANE" = kernel ] && grep -q '^\[lns\]' "$conf" &&
	    ! grep -q '^[[:space:]]*fastpath-ingress[[:space:]]*=' "$conf"; then
		add="$add\nfastpath-ingress = all"
	fi
	if grep -q '^\[global\]' "$conf"; then
		sed -i "0,/^\[global\]/s//[global]\n$add/" "$conf"
	else
		sed -i "1i [global]\n$add\n" "$conf"
	fi
}

# start_vpdnd NS NAME CONF: vpdnd in the foreground inside NS, logging to
# $TMPD/NAME.log; waits until its control socket answers.  VPDND_PID is set.
# In the kernel-mode run (VPDN_TEST_DATAPLANE=kernel) a vpdnd that cannot
# load the programs here skips the scenario, saying why, as t-fastpath.sh
# does.
start_vpdnd()
{
	local n=$1 name=$2 conf=$3
	local i why
	dp_conf "$conf"
	if ! "$VPDND" -C -c "$conf" >"$TMPD/$name.check" 2>&1; then
		log "vpdnd -C rejects $conf:"
		sed 's/^/#   /' "$TMPD/$name.check"
	fi
	start_bg "$n" "$TMPD/$name.log" "$VPDND" -c "$conf"
	VPDND_PID=$BG_PID
	for i in $(seq 50); do
		vpdnctl_in "$n" "$name" show tunnels --json >/dev/null 2>&1 &&
		    return 0
		if ! alive "$VPDND_PID"; then
			why=$(grep -o "dataplane = kernel: .*" "$TMPD/$name.log" | head -1)
			[ -n "$why" ] && [ "$VPDN_TEST_DATAPLANE" = kernel ] &&
			    skip_all "the BPF programs cannot load here ($why)"
			log "vpdnd $name exited at startup:"
			tail -20 "$TMPD/$name.log" | sed 's/^/#   /'
			return 1
		fi
		sleep 0.2
	done
	return 1
}

# dp_kernel: this is the kernel-mode run.
dp_kernel()
{
	[ "$VPDN_TEST_DATAPLANE" = kernel ]
}

# The roles whose sessions the kernel path carries (vpdn.conf(5),
# dataplane).
KPATH_ROLES="lns lac"

# kpath_not_kernel NS NAME: prints "ROLE USER PATH" for each session of vpdnd
# NAME that the kernel path should carry and does not: an LNS session in
# PPP phase network with an IPv4 address (an IPv6-only one stays on the user
# path), an established LAC call.  Columns of `show sessions` are found by
# their header's position (cells may be empty, so not by counting fields).
# Having no such session at all is a finding too.  Fails if vpdnctl does.
kpath_not_kernel()
{
	local out
	out=$(vpdnctl_in "$1" "$2" show sessions 2>/dev/null) || return 1
	printf '%s\n' "$out" | awk -v roles=" $KPATH_ROLES " '
	function cell(name,   s) {
		s = substr($0, pos[name]); sub(/[[:space:]].*/, "", s); return s
	}
	NR == 1 {
		for (i = 1; i <= NF; i++) pos[$i] = index($0, " " $i " ") + 1
		pos["TUNNEL"] = 1; next
	}
	{
		role = cell("ROLE")
		if (!index(roles, " " role " ")) next
		if (role == "lns" && (cell("PPP") != "network" ||
		    cell("ADDRESS") !~ /^[0-9]+\./)) next
		if (role == "lac" && cell("STATE") != "established") next
		n++
		if (cell("PATH") != "kernel") print role, cell("USER"), cell("PATH")
	}
	END { if (!n) print "(no session the kernel path carries)" }'
}

# kpath_check NS NAME TAG [MIN]: in the kernel-mode run, after the scenario
# carried data through vpdnd NAME (in NS): every session of NAME the kernel
# path carries says PATH kernel, and the programs attached in NS counted at
# least MIN (1) packets (tools/fp_packets.py), which vpdnd did not handle.
# A packet whose next hop's neighbour is not resolved yet is left to the
# stack (and so to vpdnd), so MIN counts the first exchange out; MIN 0
# skips the second check, for data that ends on the LNS host itself (the
# programs forward, local delivery is the stack's through the TUN).  Two
# checks named after TAG; nothing in the other runs.
kpath_check()
{
	local n=$1 name=$2 tag=$3 min=${4:-1} bad pk rc
	dp_kernel || return 0
	bad=$(kpath_not_kernel "$n" "$name")
	rc=$?
	[ -n "$bad" ] && log "not in the kernel path: $(printf '%s' "$bad" | paste -sd';')"
	[ $rc -eq 0 ] && [ -z "$bad" ]
	log_test "$tag: $name's sessions say PATH kernel" $?
	[ "$min" = 0 ] && return 0
	pk=$(python3 "$NETNS_DIR/tools/fp_packets.py" "$(ns "$n")" 2>&1)
	log "fast path of $n: $pk packets, $(python3 "$NETNS_DIR/tools/fp_packets.py" --entries "$(ns "$n")" 2>&1) map entries"
	[ "$pk" -ge "$min" ] 2>/dev/null
	rc=$?
	[ $rc -eq 0 ] || log "the programs' counters in $n:" \
	    "$(python3 "$NETNS_DIR/tools/fp_packets.py" --global "$(ns "$n")" 2>&1)"
	log_test "$tag: the fast path in $n carried >= $min packets" $rc
}

# kpath_no_entries NS TAG: in the kernel-mode run, once vpdnd in NS has no
# session left: the programs attached in NS hold no session in their maps
# (a session leaves them before its state is freed; a stale entry would
# still wrap packets for an address given back to the pool).  One check
# named after TAG; nothing in the other runs.
kpath_no_entries()
{
	local e
	dp_kernel || return 0
	e=$(python3 "$NETNS_DIR/tools/fp_packets.py" --entries "$(ns "$1")" 2>&1)
	[ "$e" = 0 ]
	log_test "$2: no session left in the fast path's maps in $1 ($e)" $?
}

# vpdnctl_in NS NAME ARGS...: vpdnctl against the vpdnd started as NAME.
vpdnctl_in()
{
	local n=$1 name=$2
	shift 2
	in_ns "$n" "$VPDNCTL" -s "$TMPD/$name.sock" "$@"
}

# json_count JSON KEY: number of elements in the top-level list KEY.
json_count()
{
	printf '%s' "$1" | python3 -c '
import json, sys
print(len(json.load(sys.stdin)[sys.argv[1]]))' "$2"
}

# json_all JSON KEY FIELD VALUE: true if KEY is a non-empty list whose every
# element has FIELD == VALUE (compared as strings).
json_all()
{
	printf '%s' "$1" | python3 -c '
import json, sys
l = json.load(sys.stdin)[sys.argv[1]]
sys.exit(0 if l and all(str(e.get(sys.argv[2])) == sys.argv[3] for e in l) else 1)' "$2" "$3" "$4"
}

# json_field JSON KEY INDEX FIELD: prints element INDEX's FIELD.
json_field()
{
	printf '%s' "$1" | python3 -c '
import json, sys
print(json.load(sys.stdin)[sys.argv[1]][int(sys.argv[2])][sys.argv[3]])' "$2" "$3" "$4"
}

# vpdnd_none_live NS NAME WHAT: `show WHAT --json` lists nothing but
# tunnels in "closing" (RFC 2661 §5.7: after StopCCN the tunnel ID is held for
# a full retransmission cycle) or sessions in "closed".  For wait_for.
vpdnd_none_live()
{
	local j
	j=$(vpdnctl_in "$1" "$2" show "$3" --json 2>/dev/null) || return 1
	printf '%s' "$j" | python3 -c '
import json, sys
l = json.load(sys.stdin)[sys.argv[1]]
sys.exit(0 if all(e.get("state") in ("closing", "closed") for e in l) else 1)' "$3"
}

# vpdnd_all_network NS NAME N: vpdnd NAME has exactly N (> 0) sessions, all
# in PPP phase network.  For wait_for.
vpdnd_all_network()
{
	local j
	j=$(vpdnctl_in "$1" "$2" show sessions --json 2>/dev/null) || return 1
	[ "$(json_count "$j" sessions)" = "$3" ] &&
	    json_all "$j" sessions ppp_phase network
}

# vpdnd_any_network NS NAME: some session of vpdnd NAME is in PPP phase
# network.  For wait_for.
vpdnd_any_network()
{
	vpdnctl_in "$1" "$2" show sessions --json 2>/dev/null |
	    grep -q '"ppp_phase":"network"'
}

# vpdnd_state_is NS NAME WHAT N STATE: `show WHAT --json` lists exactly N
# entries and (if N > 0) all are in STATE.  For wait_for.
vpdnd_state_is()
{
	local n=$1 name=$2 what=$3 cnt=$4 state=$5 j
	j=$(vpdnctl_in "$n" "$name" show "$what" --json 2>/dev/null) || return 1
	[ "$(json_count "$j" "$what" 2>/dev/null)" = "$cnt" ] || return 1
	[ "$cnt" = 0 ] || json_all "$j" "$what" state "$state"
}

# ---- capture checks ---------------------------------------------------------

# L2TP control message type names as tshark prints them (l2tp.avp.message_type).
#   1 SCCRQ 2 SCCRP 3 SCCCN 4 StopCCN 6 HELLO 10 ICRQ 11 ICRP 12 ICCN 14 CDN
# A ZLB is a control packet (l2tp.type == 1) with no AVPs.

# msg_types FILE SRC: the message type numbers that SRC sent, one a line in
# capture order, "ZLB" for a zero-length body acknowledgement.
msg_types()
{
	tshark -n -r "$1" -Y "l2tp && ip.src == $2" -T fields \
	    -e l2tp.type -e l2tp.length -e l2tp.avp.message_type 2>/dev/null |
	awk -F'\t' '$1 == 1 || $1 ~ /^0x0*c/ || $1 == "Control Message" {
		if ($3 == "") print "ZLB"; else print $3 }'
}

# has_msg FILE SRC TYPE...: SRC sent every TYPE (numbers or ZLB).
has_msg()
{
	local f=$1 src=$2 t got
	shift 2
	got=$(msg_types "$f" "$src")
	for t in "$@"; do
		echo "$got" | grep -qx "$t" || { log "no message type $t from $src"; return 1; }
	done
}

# expert_clean FILE SRC: every L2TP packet from SRC (an IPv4 or IPv6
# address) dissects with no expert info of severity warning or error, and
# none is malformed.
expert_clean()
{
	local f=$1 src=$2 flt rc fld=ip.src
	case $src in *:*) fld=ipv6.src ;; esac
	flt="l2tp && $fld == $src && (_ws.expert.severity >= 6291456 || _ws.malformed)"
	tmatch "$f" "$flt"
	rc=$?
	[ $rc -eq 2 ] && return 1
	if [ $rc -eq 0 ]; then
		log "expert warnings/errors in frames from $src:"
		tshark -n -r "$f" -Y "$flt" -T fields -e frame.number \
		    -e _ws.expert.message 2>/dev/null | sed 's/^/#   /'
		return 1
	fi
	# The packets must be there at all, or the check proves nothing.
	tmatch "$f" "l2tp && $fld == $src"
}

# vpdnd_sent_checks TAG FILE SRC SECRET CHALLENGE HIDE CHAL_MSG RESP_MSG DIR:
# the checks (one log_test each, named after TAG) on the control messages a
# vpdnd at SRC sent in capture FILE: they dissect with no expert warning;
# with a tunnel SECRET, CHAL_MSG carries a Challenge and, if the peer sent
# one (CHALLENGE = yes), RESP_MSG the Challenge Response (RFC 2661 §5.1.1;
# checked on the decoded capture, so hidden AVPs count too); with HIDE =
# yes, some AVPs are hidden and all of them are RFC 2661 §4.3 conformant (a
# Random Vector before them, never a type that MUST NOT be hidden, and they
# decrypt with SECRET); the decoded AVPs go to DIR/avps.txt.
vpdnd_sent_checks()
{
	local tag=$1 f=$2 src=$3 sec=$4 chal=$5 hide=$6 cmsg=$7 rmsg=$8 d=$9

	expert_clean "$f" "$src"
	log_test "$tag: vpdnd's messages dissect with no expert warning" $?
	if [ -n "$sec" ]; then
		msg_has_avp "$f" "$src" "$sec" "$cmsg" 11
		log_test "$tag: vpdnd's $cmsg carries a Challenge" $?
		if [ "$chal" = yes ]; then
			msg_has_avp "$f" "$src" "$sec" "$rmsg" 13
			log_test "$tag: vpdnd's $rmsg carries a Challenge Response" $?
		fi
	fi
	if [ "$hide" = yes ]; then
		avps "$f" "$src" "$sec" | grep '[0-9]h' >/dev/null
		log_test "$tag: vpdnd sent hidden AVPs" $?
		avps "$f" "$src" "$sec" >"$d/avps.txt"
		log_test "$tag: vpdnd's hidden AVPs are RFC 2661 §4.3 conformant" $?
	fi
}

# vpdnd_global NAME LISTEN HOSTNAME: the [global] section of a test vpdnd
# (control socket in TMPD, debug logging, short timers so failures show fast).
vpdnd_global()
{
	cat <<EOT
[global]
listen = $2:1701
hostname = $3
control-socket = $TMPD/$1.sock
log-level = debug
hello-interval = 60
retransmit-max = 2
EOT
}

# vpdnd_sane NAME PID: after vpdnd NAME (PID) was stopped with SIGTERM: it
# exited 0 and its log has no sanitizer report.
vpdnd_sane()
{
	local name=$1 pid=$2 rc
	stop_pid "$pid" TERM 10
	rc=$?
	if [ $rc -ne 0 ]; then
		log "vpdnd $name exited $rc"
		tail -20 "$TMPD/$name.log" | sed 's/^/#   /'
		return 1
	fi
	if grep -q -E "ERROR: (Address|Leak)Sanitizer|runtime error:" "$TMPD/$name.log"; then
		grep -A10 -E "ERROR: (Address|Leak)Sanitizer|runtime error:" "$TMPD/$name.log" | sed 's/^/#   /'
		return 1
	fi
}

# have_vpdnd: the binaries under test exist (run.sh sets VPDND/VPDNCTL).
have_vpdnd()
{
	[ -n "${VPDND:-}" ] && [ -x "$VPDND" ] && [ -n "${VPDNCTL:-}" ] && [ -x "$VPDNCTL" ]
}

# tmatch FILE FILTER: 0 if some frame of FILE matches the display FILTER,
# 1 if none does, 2 if tshark failed (a bad filter must not pass a negative
# check).
tmatch()
{
	local out
	out=$(tshark -n -r "$1" -Y "$2" -T fields -e frame.number 2>"$TMPD/tshark.err") || {
		log "tshark -Y '$2' failed: $(grep -v 'Running as user' "$TMPD/tshark.err")"
		return 2
	}
	[ -n "$out" ]
}

# case_begin / case_end NAME...: if a check failed in between, show the last
# lines of the named daemons' logs ($TMPD/NAME.log) for the post mortem.
case_begin()
{
	CASE_FAILED=$N_FAILED
}

case_end()
{
	local name
	[ "$N_FAILED" -gt "${CASE_FAILED:-0}" ] || return 0
	for name in "$@"; do
		[ -f "$TMPD/$name.log" ] || continue
		log "---- last lines of $name.log"
		tail -25 "$TMPD/$name.log" | sed 's/^/#   /'
	done
}

# avps FILE SRC [SECRET]: the control messages SRC sent, one a line:
# "FRAME TYPE AVP AVP...", hidden AVPs un-hidden with SECRET and marked "h"
# (l2tp-avps.py; fails if a hidden AVP breaks RFC 2661 §4.3).
avps()
{
	python3 "$NETNS_DIR/l2tp-avps.py" "$@"
}

# msg_has_avp FILE SRC SECRET MSG ATTR: some MSG (SCCRP, ICCN...) from SRC
# carries AVP type ATTR, hidden or not.
msg_has_avp()
{
	avps "$1" "$2" ${3:+"$3"} 2>/dev/null |
	    awk -v m="$4" -v a="$5" '$2 == m {
		for (i = 3; i <= NF; i++) { t = $i; sub(/h$/, "", t); if (t == a) f = 1 } }
		END { exit !f }'
}

# ---- configurations of test vpdnds ------------------------------------------

# vpdnd_global_conf NAME LISTEN HOSTNAME LOGLEVEL [HELLO [RETRANSMIT]]: the
# [global] section of a test vpdnd listening on LISTEN (address:port), with
# its control socket in TMPD; hello-interval and retransmit-max only when
# given (short ones make failures show fast).
vpdnd_global_conf()
{
	cat <<EOT
[global]
listen = $2
hostname = $3
control-socket = $TMPD/$1.sock
log-level = $4
EOT
	[ -n "${5:-}" ] && echo "hello-interval = $5"
	[ -n "${6:-}" ] && echo "retransmit-max = $6"
	return 0
}

# pool_lns_section LOCAL POOL USERS: an [lns] section with its end LOCAL,
# addresses from POOL (LO-HI) and the users of file USERS.
pool_lns_section()
{
	cat <<EOT
[lns]
local-address = $1
pool = $2
users = $3
EOT
}

# one_client_section NAME LNS USER PASSWORD: a [client NAME] section that
# dials LNS as USER once (no redial).
one_client_section()
{
	cat <<EOT
[client $1]
lns = $2
user = $3
password = $4
redial = no
EOT
}

# corp_users FILE NAME...: appends "NAME@corp.example pw-NAME" for each NAME
# to the users file FILE.
corp_users()
{
	local f=$1 u
	shift
	for u in "$@"; do
		echo "$u@corp.example pw-$u" >>"$f"
	done
}

# corp_clients_conf NAME LISTEN LNS SECRET CLIENT...: a vpdnd configuration
# with one [client CLIENT] per name dialling LNS as CLIENT@corp.example
# (password pw-CLIENT, the users corp_users writes), Hello every second.
corp_clients_conf()
{
	local name=$1 listen=$2 lns=$3 secret=$4 c
	shift 4
	vpdnd_global_conf "$name" "$listen" pc.test debug 1 2
	for c in "$@"; do
		cat <<EOT

[client $c]
lns = $lns
user = $c@corp.example
password = pw-$c
tunnel-secret = $secret
redial = no
EOT
	done
}

# ppp_client_conf NAME LISTEN LNS USER PASSWORD AUTH TUN ROUTES: a vpdnd
# (hostname client.test, Hello every second) whose one [client corp] dials
# LNS as USER with AUTH, its call on TUN with ROUTES through it.
ppp_client_conf()
{
	vpdnd_global_conf "$1" "$2" client.test debug 1 2
	cat <<EOT

[client corp]
lns = $3
user = $4
password = $5
auth = $6
interface = $7
routes = $8
default-route = no
redial = no
EOT
}

# ---- Python expressions over `vpdnctl show` JSON, addresses ------------------

# jtrue JSON EXPR: the Python expression EXPR over d (the parsed JSON) holds.
jtrue()
{
	printf '%s' "$1" | python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if eval(sys.argv[1]) else 1)' "$2" 2>/dev/null
}

# jval JSON EXPR: prints EXPR over d.
jval()
{
	printf '%s' "$1" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(eval(sys.argv[1]))' "$2" 2>/dev/null
}

# show_json NS NAME WHAT: `show WHAT --json` of vpdnd NAME ("{}" if it fails).
show_json()
{
	vpdnctl_in "$1" "$2" show "$3" --json 2>/dev/null || echo '{}'
}

# live_expr WHAT: Python expression for the entries of d[WHAT] that are not
# closing (RFC 2661 §5.7 hold) or closed.
live_expr()
{
	printf '[e for e in d["%s"] if e.get("state") not in ("closing", "closed")]' "$1"
}

# live_count NS NAME WHAT: how many of vpdnd NAME's WHAT are live.
live_count()
{
	jval "$(show_json "$1" "$2" "$3")" "len($(live_expr "$3"))"
}

# in_range ADDR LO HI: LO <= ADDR <= HI (IPv4).
in_range()
{
	python3 -c '
import ipaddress as i, sys
a, lo, hi = (i.ip_address(x) for x in sys.argv[1:])
sys.exit(0 if lo <= a <= hi else 1)' "$1" "$2" "$3" 2>/dev/null
}

# xfer FROM TO TO_ADDR PORT TAG: XFER_BYTES (set by the scenario) over TCP
# from namespace FROM to a listener at TO_ADDR:PORT in namespace TO
# (tools/tcp_xfer.py); both ends' "BYTES SHA256" agree.  An IPv6 TO_ADDR
# gets a listener on :: (t-ipv6.sh).
xfer()
{
	local from=$1 to=$2 addr=$3 port=$4 tag=$5 s r rpid
	rm -f "$TMPD/$tag.ready"
	local bind=0.0.0.0
	case "$addr" in *:*) bind=:: ;; esac
	in_ns "$to" python3 "$NETNS_DIR/tools/tcp_xfer.py" recv "$bind" "$port" \
	    --ready "$TMPD/$tag.ready" --timeout 30 >"$TMPD/$tag.recv" 2>&1 &
	rpid=$!
	wait_for 5 test -s "$TMPD/$tag.ready" || { kill $rpid; wait $rpid; return 1; }
	# A sender that cannot even connect must not leave the receiver
	# waiting out its timeout.
	in_ns "$from" python3 "$NETNS_DIR/tools/tcp_xfer.py" send "$addr" "$port" \
	    $XFER_BYTES --timeout 30 >"$TMPD/$tag.send" 2>&1 || kill $rpid 2>/dev/null
	wait $rpid
	s=$(cat "$TMPD/$tag.send") r=$(cat "$TMPD/$tag.recv")
	if [ "$s" != "$r" ] || [ "${s%% *}" != "$XFER_BYTES" ]; then
		log "sent: $s"
		log "received: $r"
		return 1
	fi
}
