#!/bin/bash
# make bench: every figure next to a baseline measured in the same
# run, in four network namespaces:
#
#   client 10.77.1.2 ==veth== 10.77.1.1 lns 10.77.0.1 ==veth== 10.77.0.2 intranet
#   vpdn-bench (LAC + PPP    vpdnd LNS (TUN vb-lns,        vpdn-bench sink
#   clients, UDP sender)     pool 10.78.0.0/16)
#   vpdnd LAC 10.77.1.102
#     veth-pc (PPPoE)
#       ||
#   pc veth-lac: vpdn-bench pppoe (PPPoE hosts, one MAC each)
#
# Figures: (a) forwarding pps client -> LNS -> intranet (upstream) at 1400
# and 64 bytes, against raw UDP routed by the kernel and a plain TUN->TUN
# forwarder in the LNS namespace; intranet -> LNS -> client (downstream)
# against the same packets routed by the kernel; both directions again with
# the LNS's kernel fast path (dataplane = kernel), and CPU seconds per
# million packets for both paths; (b) setup of 10,000 sessions over 1 and 100 tunnels against
# the codec-only replay; (c) LNS RSS per established session at 10,000 and
# 50,000; (d) reconnect storm; (e) PPPoE sessions set up through a vpdnd
# LAC to the LNS, and the LAC's RSS per established call; (f) the LAC's relay
# pps, PPPoE -> L2TP, kernel fast path vs user path; plus setup time per session from 1,000 to 50,000.  Output: a table on stdout, bench/out/*.csv, and docs/benchmarks.md
# with a plot (gnuplot, if installed).
set -u
cd "$(dirname "$0")/.." || exit 1
BIN=${BENCH_BIN:-build/bench}
OUT=${BENCH_OUT:-bench/out}
DOC=${BENCH_DOC:-docs/benchmarks.md}
SECS=${BENCH_SECS:-4}		# seconds per forwarding measurement
BIG=${BENCH_BIG:-50000}		# the large session count (0 = skip)
P=vb$$-
T=$(mktemp -d /tmp/vpdn-bench.XXXXXX)
PIDS=""

[ "$(id -u)" = 0 ] || { echo "bench: needs root (namespaces, TUN)"; exit 1; }
for b in vpdnd vpdn-bench; do
	[ -x "$BIN/$b" ] || { echo "bench: $BIN/$b missing"; exit 1; }
done
VPDND=$(realpath "$BIN/vpdnd")
VB=$(realpath "$BIN/vpdn-bench")
mkdir -p "$OUT"
rm -f "$OUT"/*.csv "$OUT"/*.dat

cleanup()
{
	local p n
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	sleep 0.2
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
	for n in pc client lns intranet; do ip netns del "$P$n" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

in_ns() { local n=$1; shift; ip netns exec "$P$n" "$@"; }
# spawn NS OUTFILE CMD...: CMD in the background inside NS; SPAWNED is its
# own pid (ip netns exec may fork, so $! would be ip's).
spawn()
{
	local n=$1 out=$2; shift 2
	rm -f "$T/spawn.pid"
	ip netns exec "$P$n" sh -c 'echo $$ >"$0"; exec "$@"' "$T/spawn.pid" \
	    "$@" >"$out" 2>&1 &
	disown $!
	for _ in $(seq 100); do
		[ -s "$T/spawn.pid" ] && break
		sleep 0.02
	done
	SPAWNED=$(cat "$T/spawn.pid")
	PIDS="$PIDS $SPAWNED"
}
# stop_wait PID SIG: signal PID and wait (up to 5 s) for it to exit.
stop_wait()
{
	kill "-$2" "$1" 2>/dev/null
	for _ in $(seq 100); do
		kill -0 "$1" 2>/dev/null || { forget "$1"; return 0; }
		sleep 0.05
	done
	kill -9 "$1" 2>/dev/null
	forget "$1"
}
# forget PID: it is gone, so cleanup must not signal whatever reuses it.
forget()
{
	local p keep=""
	for p in $PIDS; do [ "$p" = "$1" ] || keep="$keep $p"; done
	PIDS=$keep
}

# ---- topology ----------------------------------------------------------------
for n in pc client lns intranet; do
	ip netns add "$P$n" || exit 1
	ip -n "$P$n" link set lo up
	for k in all default; do
		in_ns $n sysctl -qw net.ipv4.conf.$k.rp_filter=0
	done
	in_ns $n sysctl -qw net.ipv4.ip_forward=1
done
ip -n ${P}client link add veth-lns type veth peer name veth-client netns ${P}lns
ip -n ${P}lns link add veth-intra type veth peer name veth-lns netns ${P}intranet
ip -n ${P}client link add veth-pc type veth peer name veth-lac netns ${P}pc
ip -n ${P}client addr add 10.77.1.2/24 dev veth-lns
# the emulated LACs' own addresses: 10.77.1.2 .. 10.77.1.(1 + MAX_LACS)
MAX_LACS=100
for i in $(seq 3 $((1 + MAX_LACS))); do
	ip -n ${P}client addr add 10.77.1.$i/24 dev veth-lns
done
# the vpdnd LAC's L2TP side (PPPoE on veth-pc)
ip -n ${P}client addr add 10.77.1.102/24 dev veth-lns
ip -n ${P}lns addr add 10.77.1.1/24 dev veth-client
ip -n ${P}lns addr add 10.77.0.1/24 dev veth-intra
ip -n ${P}intranet addr add 10.77.0.2/24 dev veth-lns
for l in "client veth-lns" "lns veth-client" "lns veth-intra" "intranet veth-lns" \
    "client veth-pc" "pc veth-lac"; do
	set -- $l
	ip -n "$P$1" link set "$2" up
done
ip -n ${P}client route add 10.77.0.0/24 via 10.77.1.1
ip -n ${P}intranet route add 10.78.0.0/16 via 10.77.0.1
# the downstream baseline: intranet -> client routed plainly
ip -n ${P}intranet route add 10.77.1.0/24 via 10.77.0.1

# bench@bench: the PPPoE users, routed by the LAC's [realm bench]
cat >"$T/users" <<EOT
bench bench *
bench@bench bench *
EOT
# lns_conf DATAPLANE [VETH_GSO]: the LNS's configuration with that [global]
# dataplane and fastpath-veth-gso (default no).
lns_conf()
{
	cat <<EOT
[global]
dataplane = $1
fastpath-veth-gso = ${2:-no}
$([ "$1" = user ] || echo "fastpath-ingress = veth-intra")
listen = 10.77.1.1:1701
hostname = lns.bench
control-socket = $T/lns.sock
log-level = warn
hello-interval = 60
receive-window = 1024
max-tunnels = 2000
max-sessions = 120000

[lns]
local-address = 10.77.0.1
pool = 10.78.0.2-10.78.255.254
auth = chap-md5
users = $T/users
# for the LAC's calls (the l2tp mode sends no proxy AVPs): LCP and CHAP as
# the LAC did them, checked here, no second round with the user
accept-proxy-auth = yes
interface = vb-lns
mtu = 1400
EOT
}
lns_conf user >"$T/lns.conf"

# The LAC: PPPoE on veth-pc, users bench@bench authenticated here (realm
# users file) and sent to the LNS over one tunnel from 10.77.1.102.
# lac_conf DISCOVERY_RATE [DATAPLANE]: its configuration, with that [lac]
# discovery-rate (PADI and PADR answered a second from all hosts; default
# 200) and [global] dataplane (default user).
cat >"$T/lac.users" <<EOT
bench@bench bench
EOT
lac_conf()
{
	cat <<EOT
[global]
listen = 10.77.1.102:1701
hostname = lac.bench
control-socket = $T/lac.sock
log-level = warn
hello-interval = 60
receive-window = 1024
dataplane = ${2:-user}

[lac]
pppoe-interface = veth-pc
ac-name = bench-lac
auth = chap-md5
tunnel-idle-timeout = 0
discovery-rate = $1

[realm bench]
lns = 10.77.1.1
users = $T/lac.users
EOT
}

LNS_PID=""
start_lns()
{
	stop_lns
	spawn lns "$T/lns.log" "${LNS_BIN:-$VPDND}" -c "$T/lns.conf"
	LNS_PID=$SPAWNED
	for _ in $(seq 50); do
		ip -n ${P}lns link show vb-lns >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "bench: vpdnd did not start:"; tail "$T/lns.log"; exit 1
}
stop_lns()
{
	[ -n "$LNS_PID" ] || return 0
	# SIGKILL: a graceful stop waits 5 s for StopCCN acks from a load
	# generator that has already exited; the TUN goes with the fd.
	stop_wait "$LNS_PID" KILL
	LNS_PID=""
	fp_detach lns veth-client veth-intra
}
# fp_detach NS DEV...: removes the TC filters a kernel-path daemon killed
# with -9 leaves attached (they outlive it by design), so that the next
# measurement without a daemon (the raw baselines, TUN->TUN) does not run
# its packets through the dead daemon's programs; a vpdnd that starts
# removes them itself (fastpath_remove_stale).
fp_detach()
{
	local n=$1 d
	shift
	for d in "$@"; do
		in_ns "$n" tc qdisc del dev "$d" clsact 2>/dev/null
	done
	return 0
}
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
# val FILE KEY: the value of key=value in FILE.
val() { sed -n "s/^$2=//p" "$1" | head -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf (a / b < 0.1 ? "%.4f" : "%.2f"), a / b; else print "n/a" }'; }

SINK_PID=""
sink_start()
{
	spawn intranet "$T/sink.out" "$VB" sink --bind 10.77.0.2:9000
	SINK_PID=$SPAWNED
	for _ in $(seq 50); do
		grep -q ready "$T/sink.out" 2>/dev/null && return 0
		sleep 0.05
	done
}
# sink_stop: prints the sink's pps.
sink_stop()
{
	sleep 0.3
	stop_wait "$SINK_PID" TERM
	val "$T/sink.out" sink.pps
}

ROWS=""
row() { ROWS="$ROWS$1|$2|$3|$4|$5|$6"$'\n'; printf '%-44s %14s %14s %7s  %-6s %s\n' "$1" "$2" "$3" "$4" "$5" "$6"; }
printf '%-44s %14s %14s %7s  %-6s %s\n' figure value baseline ratio target note

# ---- (a) forwarding -----------------------------------------------------------
# The machine is shared and noisy: each figure is the median of REPS
# rounds, and one round measures every path back to back, so a slow
# spell hits the baseline and the subject alike.
REPS=${BENCH_REPS:-3}
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# The intranet's sender hands the LNS packets with complete UDP checksums,
# as traffic routed in from a network arrives: with veth's default TX
# checksum offload they would be CHECKSUM_PARTIAL, which the kernel path
# finishes at an extra cost that only senders on the LNS's own host incur
# (the TCP flow below measures that case).  Set for every path, baselines
# included.
in_ns intranet python3 -c '
import ctypes, fcntl, socket, struct, sys
ev = ctypes.create_string_buffer(struct.pack("II", 0x17, 0))  # ETHTOOL_STXCSUM
ifr = struct.pack("16sP", sys.argv[1].encode(), ctypes.addressof(ev)) + bytes(16)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
fcntl.ioctl(s.fileno(), 0x8946, ifr)                           # SIOCETHTOOL' veth-lns || exit 1

# CPU accounting, per process (utime + stime): the machine is shared, so
# /proc/stat less an idle baseline drowns in other work.  On veth a sent
# packet's receive side (netif_rx, TC ingress, routing, the next veth) runs
# as softirq in the sender's context and is charged to the sender's system
# time: so a direction's figure is the sender's CPU plus the LNS process's,
# which for the kernel path puts the TC programs' work in the sender's
# share.  The receiver (sink or vpdn-bench's socket) is left out, the same
# on every path; work deferred to ksoftirqd is not in it.
HZ=$(getconf CLK_TCK)
pticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
now() { date +%s.%N; }
# ticks_of_times FILE: a dash `times` report's children line, in ticks.
ticks_of_times()
{
	tail -1 "$1" | awk -v hz="$HZ" '{ s = 0
	    for (i = 1; i <= 2; i++) { split($i, a, "m"); sub("s", "", a[2]); s += a[1] * 60 + a[2] }
	    printf "%.0f", s * hz }'
}
# cpu_per_m TICKS PACKETS: CPU seconds per million packets.
cpu_per_m()
{
	awk -v d="$1" -v n="$2" -v hz="$HZ" 'BEGIN {
	    if (n > 0) printf "%.2f", d / hz / (n / 1e6); else print "n/a" }'
}
# the machine's load: busy ticks/s of all CPUs over 2 s before the first round
sticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
s0=$(sticks) t0=$(now)
sleep 2
BUSY_TPS=$(awk -v a="$s0" -v b="$(sticks)" -v t0="$t0" -v t1="$(now)" 'BEGIN { printf "%.0f", (b - a) / (t1 - t0) }')
# rx_client: packets the client namespace's veth has received from the LNS.
rx_client() { in_ns client cat /sys/class/net/veth-lns/statistics/rx_packets; }

# The kernel path: can the programs load here?  If not, its rows say why.
KERNEL=yes KERNEL_WHY=""
lns_conf kernel >"$T/lns.conf"
spawn lns "$T/probe.log" "$VPDND" -c "$T/lns.conf"
probe=$SPAWNED
for _ in $(seq 50); do
	ip -n ${P}lns link show vb-lns >/dev/null 2>&1 && break
	kill -0 "$probe" 2>/dev/null || break
	sleep 0.1
done
if ! kill -0 "$probe" 2>/dev/null; then
	KERNEL=no
	KERNEL_WHY=$(grep -o "dataplane = kernel: .*" "$T/probe.log" | head -1)
	forget "$probe"
else
	stop_wait "$probe" KILL
	fp_detach lns veth-client veth-intra
fi
lns_conf user >"$T/lns.conf"

# BENCH_PERF=DIR: every forwarding measurement of (a) also recorded with
# `perf record -a -g -e cpu-clock` into DIR/LABEL.N.data, to see where
# its CPU goes.  perf_on LABEL / perf_off around a measurement.
PERF_PID="" PERF_N=0
perf_on()
{
	[ -n "${BENCH_PERF:-}" ] || return 0
	PERF_N=$((PERF_N + 1))
	mkdir -p "$BENCH_PERF"
	perf record -a -g -e cpu-clock -o "$BENCH_PERF/$1.$PERF_N.data" \
	    >/dev/null 2>&1 &
	PERF_PID=$!
	sleep 0.5
}
perf_off()
{
	[ -n "$PERF_PID" ] || return 0
	kill -INT "$PERF_PID" 2>/dev/null
	wait "$PERF_PID" 2>/dev/null
	PERF_PID=""
}

# down_blast DST SIZE: intranet -> DST:9000 for SECS; sets DOWN_PPS (what
# reached the client's veth a second), DOWN_PKTS, DOWN_SECS and
# DOWN_TX_TICKS (the sender's CPU).
down_blast()
{
	local a b t0 t1
	a=$(rx_client) t0=$(now)
	in_ns intranet sh -c '"$@" >"$0"; times' "$T/down.out" "$VB" udp \
	    --bind 10.77.0.2 --dst "$1:9000" --traffic "$SECS" --size "$2" \
	    >"$T/down.times"
	DOWN_TX_TICKS=$(ticks_of_times "$T/down.times")
	sleep 0.2
	b=$(rx_client) t1=$(now)
	DOWN_PKTS=$((b - a))
	DOWN_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a - 0.2 }')
	DOWN_PPS=$(awk -v n="$DOWN_PKTS" -v t="$DOWN_SECS" 'BEGIN { printf "%.0f", n / t }')
}

# lns_fwd DATAPLANE SIZE: a fresh LNS with that dataplane, 100 sessions set
# up by vpdn-bench's LAC side; while they are held, downstream to the
# first session's address, then upstream over all 100.  Sets UP_PPS,
# DN_PPS, PATH_SEEN (the first session's, from show sessions), and CPU
# seconds per million packets: LCPU_UP/LCPU_DN (the LNS process),
# CPU_UP/CPU_DN (sender + LNS, see above).
lns_fwd()
{
	local size=$2 b c addr p0 p1 p2 c1 pk
	lns_conf "$1" >"$T/lns.conf"
	start_lns
	sink_start
	# through sh, whose `times` reports vpdn-bench's CPU after it ends
	in_ns client sh -c '"$@" >"$0" 2>&1; times' "$T/fwd.out" "$VB" l2tp \
	    --lns 10.77.1.1 --bind 10.77.1.2 --tunnels 1 \
	    --sessions 100 --hold $((SECS + 1)) --traffic "$SECS" --size "$size" \
	    --dst 10.77.0.2:9000 --label "fwd$size-$1" >"$T/fwd.times" &
	b=$!
	PIDS="$PIDS $b"
	for _ in $(seq 300); do
		grep -q '^hold=ready' "$T/fwd.out" 2>/dev/null && break
		kill -0 $b 2>/dev/null || break
		sleep 0.05
	done
	c=$(cat "/proc/$b/task/$b/children" 2>/dev/null | awk '{ print $1 }')
	# the first session's address and path (a session just up may not
	# show its path yet: asked again for a second)
	for _ in $(seq 20); do
		in_ns lns "$BIN/vpdnctl" -s "$T/lns.sock" show sessions --json >"$T/sess.json" 2>/dev/null
		addr=$(grep -o '"address": *"[0-9.]*"' "$T/sess.json" | head -1 | grep -o '[0-9.]*"$' | tr -d '"')
		PATH_SEEN=$(grep -o '"path": *"[a-z]*"' "$T/sess.json" | head -1 | sed 's/.*"\([a-z]*\)"$/\1/')
		[ -n "$addr" ] && [ -n "$PATH_SEEN" ] && break
		sleep 0.05
	done
	p0=$(pticks "$LNS_PID")
	perf_on "down-$1-$size"
	down_blast "${addr:-10.78.0.2}" "$size"
	perf_off
	p1=$(pticks "$LNS_PID") c1=$(pticks "${c:-0}")
	perf_on "up-$1-$size"
	wait $b
	perf_off
	forget $b
	p2=$(pticks "$LNS_PID")
	UP_PPS=$(sink_stop)
	pk=$(val "$T/sink.out" sink.packets)
	DN_PPS=$DOWN_PPS
	LCPU_DN=$(cpu_per_m $((p1 - p0)) "$DOWN_PKTS")
	CPU_DN=$(cpu_per_m $((p1 - p0 + DOWN_TX_TICKS)) "$DOWN_PKTS")
	LCPU_UP=$(cpu_per_m $((p2 - p1)) "${pk:-0}")
	CPU_UP=$(cpu_per_m $((p2 - p1 + $(ticks_of_times "$T/fwd.times") - c1)) "${pk:-0}")
	stop_lns
	lns_conf user >"$T/lns.conf"
}

declare -A RAW TUN LNS RAWD LNSD KUP KDN LCU LCD SCU SCD KLCU KLCD KSCU KSCD KPATH RCU RCD
# BENCH_ONLY=tcp: only the one-TCP-flow rows (a'), for working on them.
# BENCH_ONLY=kernel: only the raw UDP baselines and the kernel path of (a),
# then the LAC relay (f) and its baseline: the fast path's rows, for
# working on its programs.  BENCH_VPDND_B=PATH: the kernel path measured
# once more in every round with that vpdnd (another build of the
# programs), rows marked "(B)": two builds against the same baselines.
SIZES="1400 64"
[ "${BENCH_ONLY:-}" = tcp ] && SIZES=""
# BENCH_ONLY=ipv6: only the IPv6 rows (bench/sections/ipv6.sh).
[ "${BENCH_ONLY:-}" = ipv6 ] && SIZES=""
ONLY_KERNEL=no
[ "${BENCH_ONLY:-}" = kernel ] && ONLY_KERNEL=yes
[ "$ONLY_KERNEL" = yes ] && [ "$KERNEL" != yes ] && { echo "bench: kernel path: programs did not load: $KERNEL_WHY"; exit 1; }
declare -A KBUP KBDN
for size in $SIZES; do
	raws=() tuns=() lnss=() rawd=() lnsd=() kup=() kdn=() kbup=() kbdn=()
	lcu=() lcd=() scu=() scd=() klcu=() klcd=() kscu=() kscd=() rcu=() rcd=()
	for _ in $(seq "$REPS"); do
		# raw UDP, routed by the kernel of the LNS namespace
		sink_start
		perf_on "up-raw-$size"
		in_ns client sh -c '"$@" >"$0"; times' "$T/udp.out" "$VB" udp \
		    --bind 10.77.1.2 --dst 10.77.0.2:9000 --traffic "$SECS" \
		    --size $size >"$T/udp.times"
		perf_off
		raws+=("$(sink_stop)")
		rcu+=("$(cpu_per_m "$(ticks_of_times "$T/udp.times")" "$(val "$T/sink.out" sink.packets)")")

		# downstream raw UDP: intranet -> client, routed likewise; a
		# socket receives them (no ICMP port unreachable), counted on
		# the client's veth like the LNS's downstream.
		spawn client "$T/csink.out" "$VB" sink --bind 10.77.1.2:9000
		csink=$SPAWNED
		for _ in $(seq 50); do grep -q ready "$T/csink.out" && break; sleep 0.05; done
		perf_on "down-raw-$size"
		down_blast 10.77.1.2 $size
		perf_off
		stop_wait "$csink" TERM
		rawd+=("$DOWN_PPS")
		rcd+=("$(cpu_per_m "$DOWN_TX_TICKS" "$DOWN_PKTS")")

		if [ -n "${BENCH_VPDND_B:-}" ]; then
			LNS_BIN=$BENCH_VPDND_B lns_fwd kernel $size
			kbup+=("$UP_PPS") kbdn+=("$DN_PPS")
		fi
		if [ "$ONLY_KERNEL" = yes ]; then
			lns_fwd kernel $size
			kup+=("$UP_PPS") kdn+=("$DN_PPS")
			klcu+=("$LCPU_UP") klcd+=("$LCPU_DN") kscu+=("$CPU_UP") kscd+=("$CPU_DN")
			KPATH[$size]=$PATH_SEEN
			echo "kfwd,$size,${raws[-1]},${rawd[-1]},$UP_PPS,$DN_PPS,${kbup[*]: -1},${kbdn[*]: -1}" >>"$OUT/forwarding.csv"
			continue
		fi

		# plain TUN -> TUN in the LNS namespace: what arrives from the
		# client goes into vb-a (policy route), the forwarder writes it
		# to vb-b, the kernel routes it on to the intranet.
		spawn lns "$T/tunfwd.out" "$VB" tunfwd --tun-a vb-a --tun-b vb-b
		FWD=$SPAWNED
		for _ in $(seq 50); do grep -q ready "$T/tunfwd.out" && break; sleep 0.05; done
		ip -n ${P}lns route add default dev vb-a table 100
		ip -n ${P}lns rule add iif veth-client lookup 100
		sink_start
		in_ns client "$VB" udp --bind 10.77.1.2 --dst 10.77.0.2:9000 \
		    --traffic "$SECS" --size $size >"$T/udp.out"
		tuns+=("$(sink_stop)")
		ip -n ${P}lns rule del iif veth-client lookup 100
		stop_wait "$FWD" TERM

		# through vpdnd's user path: 100 PPP sessions, upstream
		# round-robin over them, downstream to one of them
		lns_fwd user $size
		lnss+=("$UP_PPS") lnsd+=("$DN_PPS")
		lcu+=("$LCPU_UP") lcd+=("$LCPU_DN") scu+=("$CPU_UP") scd+=("$CPU_DN")
		kcsv=",,,,,,"
		if [ "$KERNEL" = yes ]; then
			lns_fwd kernel $size
			kup+=("$UP_PPS") kdn+=("$DN_PPS")
			klcu+=("$LCPU_UP") klcd+=("$LCPU_DN") kscu+=("$CPU_UP") kscd+=("$CPU_DN")
			KPATH[$size]=$PATH_SEEN
			kcsv=",$UP_PPS,$DN_PPS,$LCPU_UP,$LCPU_DN,$CPU_UP,$CPU_DN"
		fi
		echo "fwd,$size,${lnss[-1]},${raws[-1]},${tuns[-1]},$(val "$T/fwd.out" traffic.tx_pps),${rawd[-1]},${lnsd[-1]},${lcu[-1]},${lcd[-1]},${scu[-1]},${scd[-1]}$kcsv" >>"$OUT/forwarding.csv"
	done
	RAW[$size]=$(median "${raws[@]}")
	TUN[$size]=$(median "${tuns[@]}")
	LNS[$size]=$(median "${lnss[@]}")
	RAWD[$size]=$(median "${rawd[@]}")
	LNSD[$size]=$(median "${lnsd[@]}")
	LCU[$size]=$(median "${lcu[@]}") LCD[$size]=$(median "${lcd[@]}")
	SCU[$size]=$(median "${scu[@]}") SCD[$size]=$(median "${scd[@]}")
	RCU[$size]=$(median "${rcu[@]}") RCD[$size]=$(median "${rcd[@]}")
	gb() { awk -v p="$1" -v s="$2" 'BEGIN { printf "%.2f", p * s * 8 / 1e9 }'; }
	# the rows of the user path (not measured with BENCH_ONLY=kernel)
	urow() { [ "$ONLY_KERNEL" = yes ] || row "$@"; }
	r=$(ratio "${LNS[$size]}" "${TUN[$size]}")
	met=$(awk -v r="$r" 'BEGIN { print (r >= 0.8) ? "met" : "NOT met" }')
	urow "forward ${size} B pps (LNS vs TUN->TUN)" "${LNS[$size]}" "${TUN[$size]}" "$r" "$met" ">= 0.80; $(gb "${LNS[$size]}" $size) Gbit/s"
	urow "forward ${size} B pps (LNS vs raw UDP)" "${LNS[$size]}" "${RAW[$size]}" "$(ratio "${LNS[$size]}" "${RAW[$size]}")" "" "kernel routing; median of $REPS"
	urow "downstream ${size} B pps (LNS user path vs raw UDP)" "${LNSD[$size]}" "${RAWD[$size]}" "$(ratio "${LNSD[$size]}" "${RAWD[$size]}")" "" "intranet -> 1 session; $(gb "${LNSD[$size]}" $size) Gbit/s; median of $REPS"
	if [ "$KERNEL" = yes ]; then
		KUP[$size]=$(median "${kup[@]}") KDN[$size]=$(median "${kdn[@]}")
		KLCU[$size]=$(median "${klcu[@]}") KLCD[$size]=$(median "${klcd[@]}")
		KSCU[$size]=$(median "${kscu[@]}") KSCD[$size]=$(median "${kscd[@]}")
		r=$(ratio "${KUP[$size]}" "${RAW[$size]}")
		met=$(awk -v r="$r" 'BEGIN { print (r >= 0.90) ? "met" : "NOT met" }')
		row "kernel path upstream ${size} B pps (vs raw UDP)" "${KUP[$size]}" "${RAW[$size]}" "$r" "$met" ">= 0.90; decapsulated on the L2TP veth's ingress, counted at the intranet sink; $(gb "${KUP[$size]}" $size) Gbit/s; session path ${KPATH[$size]:-?}; median of $REPS"
		urow "kernel path upstream ${size} B pps (vs user path)" "${KUP[$size]}" "${LNS[$size]}" "$(ratio "${KUP[$size]}" "${LNS[$size]}")" "" "dataplane = kernel vs user"
		r=$(ratio "${KDN[$size]}" "${RAWD[$size]}")
		met=$(awk -v r="$r" 'BEGIN { print (r >= 0.85) ? "met" : "NOT met" }')
		row "kernel path downstream ${size} B pps (vs raw UDP)" "${KDN[$size]}" "${RAWD[$size]}" "$r" "$met" ">= 0.85; encapsulated on the intranet veth's ingress (fastpath-ingress), counted on the client's veth; $(gb "${KDN[$size]}" $size) Gbit/s; median of $REPS"
		urow "kernel path downstream ${size} B pps (vs user path)" "${KDN[$size]}" "${LNSD[$size]}" "$(ratio "${KDN[$size]}" "${LNSD[$size]}")" "" "dataplane = kernel vs user"
		urow "CPU s/Mpkt upstream ${size} B (kernel vs user path)" "${KSCU[$size]}" "${SCU[$size]}" "$(ratio "${KSCU[$size]}" "${SCU[$size]}")" "" "sender + LNS process; LNS alone: kernel ${KLCU[$size]}, user ${LCU[$size]}; raw UDP routed: ${RCU[$size]}"
		urow "CPU s/Mpkt downstream ${size} B (kernel vs user path)" "${KSCD[$size]}" "${SCD[$size]}" "$(ratio "${KSCD[$size]}" "${SCD[$size]}")" "" "sender + LNS process; LNS alone: kernel ${KLCD[$size]}, user ${LCD[$size]}; raw UDP routed: ${RCD[$size]}"
		if [ "$ONLY_KERNEL" = yes ]; then
			row "CPU s/Mpkt upstream ${size} B (kernel path vs raw UDP routed)" "${KSCU[$size]}" "${RCU[$size]}" "$(ratio "${KSCU[$size]}" "${RCU[$size]}")" "" "sender + LNS process; LNS alone ${KLCU[$size]}"
			row "CPU s/Mpkt downstream ${size} B (kernel path vs raw UDP routed)" "${KSCD[$size]}" "${RCD[$size]}" "$(ratio "${KSCD[$size]}" "${RCD[$size]}")" "" "sender + LNS process; LNS alone ${KLCD[$size]}"
		fi
		if [ -n "${BENCH_VPDND_B:-}" ]; then
			KBUP[$size]=$(median "${kbup[@]}") KBDN[$size]=$(median "${kbdn[@]}")
			row "(B) kernel path upstream ${size} B pps (vs raw UDP)" "${KBUP[$size]}" "${RAW[$size]}" "$(ratio "${KBUP[$size]}" "${RAW[$size]}")" "" "BENCH_VPDND_B; (B) / this build: $(ratio "${KBUP[$size]}" "${KUP[$size]}"); median of $REPS"
			row "(B) kernel path downstream ${size} B pps (vs raw UDP)" "${KBDN[$size]}" "${RAWD[$size]}" "$(ratio "${KBDN[$size]}" "${RAWD[$size]}")" "" "BENCH_VPDND_B; (B) / this build: $(ratio "${KBDN[$size]}" "${KDN[$size]}"); median of $REPS"
		fi
	else
		row "kernel path ${size} B" "n/a" "" "" "NOT met" "programs did not load: ${KERNEL_WHY:-see vpdnd log}"
		row "CPU s/Mpkt ${size} B user path (up / down)" "${SCU[$size]}" "${SCD[$size]}" "" "" "sender + LNS process; LNS alone ${LCU[$size]} / ${LCD[$size]}; raw UDP routed ${RCU[$size]} / ${RCD[$size]}"
	fi
done
row "machine busy before the first round (ticks/s)" "$BUSY_TPS" "$((HZ * $(nproc)))" "$(ratio "$BUSY_TPS" "$((HZ * $(nproc)))")" "" "all CPUs, /proc/stat over 2 s: other work sharing the machine"
if [ "$ONLY_KERNEL" = yes ]; then
	. bench/sections/lac_relay.sh
	exit 0
fi

. bench/sections/ipv6.sh

# ---- (a') one TCP flow ------------------------------------------------------------
# One iperf3 TCP stream each way between a vpdnd client in the client
# namespace (one PPP session, its own TUN; routes 10.77.5.0/24 into it) and
# 10.77.5.2 in the intranet, with both tunnel ends (the LNS and the client)
# in the kernel path, and both in the user path: Gbit/s received, median of
# REPS.  The kernel path runs twice.  With `fastpath-veth-gso = yes` on
# both ends (the configuration for two vpdnd on veths, the target row) the
# 64 KB aggregates a veth hands on whole cross the tunnel whole.  With the
# default (no) the fast path does not pass an aggregate on to a veth
# (FP_EGRESS_NO_GSO: a user-space peer would read it unsegmented): the
# intranet's veth then hands the LNS one segment per packet (gso_max_segs
# 1), as a wire would, and the client's vpdnd limits its own TUN the same
# way.  The intranet's veth gets its checksum offload (and with it TSO)
# back, as any TCP sender on a veth has it: the kernel path finishes its
# partial checksums.
ip -n ${P}intranet addr add 10.77.5.2/32 dev veth-lns
ip -n ${P}lns route add 10.77.5.2/32 via 10.77.0.2
in_ns intranet python3 -c '
import ctypes, fcntl, socket, struct, sys
ev = ctypes.create_string_buffer(struct.pack("II", 0x17, 1))  # ETHTOOL_STXCSUM on
ifr = struct.pack("16sP", sys.argv[1].encode(), ctypes.addressof(ev)) + bytes(16)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
fcntl.ioctl(s.fileno(), 0x8946, ifr)' veth-lns
# BENCH_TCP_CC=ALG: the flows' TCP congestion control (iperf3 -C), else the
# machine's default.  It is named in the rows because it decides much of
# what a flow of one-segment skbs reaches: bbr paces internally (a timer
# per segment when there is no fq qdisc) and its bandwidth model shrinks on
# the spurious retransmissions that reordering between the two CPUs'
# backlogs causes, where cubic rides them out (tcp-retransmits.txt counts
# them per run).
TCP_CC=${BENCH_TCP_CC:-$(cat /proc/sys/net/ipv4/tcp_congestion_control 2>/dev/null || echo '?')}
TCP_CC_ARG=()
[ -n "${BENCH_TCP_CC:-}" ] && TCP_CC_ARG=(-C "$BENCH_TCP_CC")
# client_conf DATAPLANE [VETH_GSO]
client_conf()
{
	cat <<EOT
[global]
dataplane = $1
fastpath-veth-gso = ${2:-no}
listen = 10.77.1.2:1701
hostname = client.bench
control-socket = $T/client.sock
log-level = warn

[client corp]
lns = 10.77.1.1
user = bench
password = bench
auth = chap-md5
interface = vb-cl
routes = 10.77.5.0/24
default-route = no
redial = no
EOT
}
# iperf_gbps FILE: the Gbit/s an iperf3 -J report says the receiver got.
iperf_gbps()
{
	python3 -c '
import json, sys
try:
    d = json.load(open(sys.argv[1]))
    print("%.2f" % (d["end"]["sum_received"]["bits_per_second"] / 1e9))
except Exception:
    print("n/a")' "$1"
}
# iperf_retrans FILE: the sender's retransmitted segments in an iperf3 -J
# report (on these loss-free veths they are spurious: reordering).
iperf_retrans()
{
	python3 -c '
import json, sys
try:
    print(json.load(open(sys.argv[1]))["end"]["sum_sent"]["retransmits"])
except Exception:
    print("n/a")' "$1"
}
# tcp_flow DATAPLANE [VETH_GSO]: both ends with that dataplane and
# fastpath-veth-gso; sets TCP_UP and TCP_DN (Gbit/s), TCP_UP_RTX and
# TCP_DN_RTX (retransmitted segments), TCP_PATH (the LNS's session path,
# the client's).
tcp_flow()
{
	local cl srv
	TCP_UP=n/a TCP_DN=n/a TCP_UP_RTX=n/a TCP_DN_RTX=n/a TCP_PATH=?
	lns_conf "$1" "${2:-no}" >"$T/lns.conf"
	start_lns
	[ "$1" = user ] || [ "${2:-no}" = yes ] ||
	    ip -n ${P}intranet link set veth-lns gso_max_segs 1
	client_conf "$1" "${2:-no}" >"$T/client.conf"
	spawn client "$T/client.log" "$VPDND" -c "$T/client.conf"
	cl=$SPAWNED
	for _ in $(seq 100); do
		ip -n ${P}client -4 addr show vb-cl 2>/dev/null | grep -q inet && break
		sleep 0.1
	done
	in_ns lns "$BIN/vpdnctl" -s "$T/lns.sock" show sessions --json >"$T/sess.json" 2>/dev/null
	TCP_PATH=$(grep -o '"path": *"[a-z]*"' "$T/sess.json" | head -1 | sed 's/.*"\([a-z]*\)"$/\1/')
	in_ns client "$BIN/vpdnctl" -s "$T/client.sock" show clients --json >"$T/cl.json" 2>/dev/null
	TCP_PATH="LNS $TCP_PATH, client $(grep -o '"path": *"[a-z]*"' "$T/cl.json" | head -1 | sed 's/.*"\([a-z]*\)"$/\1/')"
	spawn intranet "$T/iperf-s.log" iperf3 -s -B 10.77.5.2 -p 5201
	srv=$SPAWNED
	# the server listening, and the session's route to it in place
	for _ in $(seq 50); do
		in_ns intranet ss -Hltn 'sport = :5201' 2>/dev/null | grep -q . &&
		    ip -n ${P}client route get 10.77.5.2 2>/dev/null | grep -q vb-cl && break
		sleep 0.1
	done
	# bounded: a lost connection must not hold up the rest of the run
	in_ns client timeout $((SECS + 20)) iperf3 -c 10.77.5.2 -p 5201 \
	    "${TCP_CC_ARG[@]}" --connect-timeout 5000 -t "$SECS" -J >"$T/iperf-up.json" 2>/dev/null &&
	    TCP_UP=$(iperf_gbps "$T/iperf-up.json")
	TCP_UP_RTX=$(iperf_retrans "$T/iperf-up.json")
	in_ns client timeout $((SECS + 20)) iperf3 -c 10.77.5.2 -p 5201 \
	    "${TCP_CC_ARG[@]}" --connect-timeout 5000 -t "$SECS" -R -J >"$T/iperf-dn.json" 2>/dev/null &&
	    TCP_DN=$(iperf_gbps "$T/iperf-dn.json")
	TCP_DN_RTX=$(iperf_retrans "$T/iperf-dn.json")
	stop_wait "$srv" TERM
	stop_wait "$cl" TERM
	stop_lns
	ip -n ${P}intranet link set veth-lns gso_max_segs 65535
	lns_conf user >"$T/lns.conf"
}
if command -v iperf3 >/dev/null; then
	tku=() tkd=() tgu=() tgd=() tuu=() tud=()
	for _ in $(seq "$REPS"); do
		tcp_flow user
		tuu+=("$TCP_UP") tud+=("$TCP_DN")
		rtx="user $TCP_UP_RTX/$TCP_DN_RTX"
		if [ "$KERNEL" = yes ]; then
			tcp_flow kernel yes
			tgu+=("$TCP_UP") tgd+=("$TCP_DN")
			TKPATH=$TCP_PATH
			rtx="kernel+veth-gso $TCP_UP_RTX/$TCP_DN_RTX, $rtx"
			tcp_flow kernel no
			tku+=("$TCP_UP") tkd+=("$TCP_DN")
			rtx="kernel $TCP_UP_RTX/$TCP_DN_RTX, $rtx"
		fi
		echo "tcp,${tuu[-1]},${tud[-1]},${tgu[-1]:-},${tgd[-1]:-},${tku[-1]:-},${tkd[-1]:-}" >>"$OUT/tcp.csv"
		# retransmitted segments up/down per run, beside the rates
		echo "$TCP_CC: $rtx" >>"$OUT/tcp-retransmits.txt"
	done
	TUU=$(median "${tuu[@]}") TUD=$(median "${tud[@]}")
	if [ "$KERNEL" = yes ]; then
		for d in up down; do
			if [ $d = up ]; then
				g=$(median "${tgu[@]}") k=$(median "${tku[@]}") u=$TUU
			else
				g=$(median "${tgd[@]}") k=$(median "${tkd[@]}") u=$TUD
			fi
			met=$(awk -v g="$g" 'BEGIN { print (g + 0 >= 5) ? "met" : "NOT met" }')
			row "one TCP flow ${d}stream Gbit/s (kernel path, fastpath-veth-gso, vs user path)" "$g" "$u" "$(ratio "$g" "$u")" "$met" ">= 5 Gbit/s; iperf3, one stream, both tunnel ends in the kernel path (${TKPATH:-?}) with fastpath-veth-gso = yes vs both in the user path; congestion control $TCP_CC; median of $REPS"
			row "one TCP flow ${d}stream Gbit/s (kernel path, default fastpath-veth-gso = no, vs user path)" "$k" "$u" "$(ratio "$k" "$u")" "" "aggregates cut into packets before the tunnel (intranet veth gso_max_segs 1, the client's TUN likewise); median of $REPS"
		done
	else
		row "one TCP flow Gbit/s user path (up / down)" "$TUU" "$TUD" "" "" "kernel path: programs did not load"
	fi
else
	row "one TCP flow Gbit/s" "n/a" "" "" "NOT met" "iperf3 missing (scripts/install-deps.sh)"
fi

[ "${BENCH_ONLY:-}" = tcp ] && exit 0

# ---- (b) setup, (c) memory, (d) storm -------------------------------------------
# setup_run LABEL TUNNELS SESSIONS [extra vpdn-bench args]: fresh LNS, sets
# RATE, USPS, UP, FAILED, RSS_DELTA_KIB (LNS RSS with every session held
# minus RSS before).
setup_run()
{
	local label=$1 tunnels=$2 sessions=$3; shift 3
	local rss0 rss1
	# one LAC per tunnel up to MAX_LACS, as on a real access network: the
	# LNS's per-address new-tunnel rate limit (64 at once, 20/s) is for
	# one LAC, and a single address opening 500 tunnels would be a flood.
	LACS=$((tunnels < MAX_LACS ? tunnels : MAX_LACS))
	start_lns
	sleep 0.2
	rss0=$(rss_kib "$LNS_PID")
	in_ns client "$VB" l2tp --lns 10.77.1.1 --bind 10.77.1.2 \
	    --lacs "$LACS" --tunnels "$tunnels" --sessions "$sessions" --hold 2 \
	    --timeout 120 --csv "$OUT/setup.csv" --label "$label" \
	    --series "$OUT/$label.dat" "$@" >"$T/$label.out" 2>&1 &
	local b=$!
	PIDS="$PIDS $b"
	for _ in $(seq 1200); do
		grep -q '^hold=ready' "$T/$label.out" && break
		kill -0 $b 2>/dev/null || break
		sleep 0.1
	done
	sleep 0.5
	rss1=$(rss_kib "$LNS_PID")
	wait $b
	forget $b
	cp "$T/$label.out" "$OUT/$label.out"
	RATE=$(val "$T/$label.out" setup.rate)
	USPS=$(val "$T/$label.out" setup.us_per_session)
	UP=$(val "$T/$label.out" setup.up)
	FAILED=$(val "$T/$label.out" setup.failed)
	RSS_DELTA_KIB=$((rss1 - rss0))
	stop_lns
}

# pppoe_run LABEL SESSIONS WINDOW DISCOVERY_RATE: fresh LNS and LAC,
# vpdn-bench pppoe in the pc namespace; sets RATE, UP, FAILED, CAUSES
# (failure lines, "; " joined), LAC_DROPS (frames the LAC's PPPoE sockets
# dropped, queue full), LAC_RSS_DELTA_KIB (the LAC's RSS with every call
# held minus before the first).
pppoe_run()
{
	local label=$1 sessions=$2 window=$3 lac rss0 rss1
	lac_conf "$4" >"$T/lac.conf"
	start_lns
	spawn client "$T/lac.log" "$VPDND" -c "$T/lac.conf"
	lac=$SPAWNED
	for _ in $(seq 50); do
		[ -S "$T/lac.sock" ] && break
		sleep 0.1
	done
	sleep 0.2
	rss0=$(rss_kib "$lac")
	in_ns pc "$VB" pppoe --interface veth-lac --sessions "$sessions" \
	    --window "$window" --timeout 120 --user bench@bench \
	    --password bench --hold 2 --csv "$OUT/setup.csv" --label "$label" \
	    --series "$OUT/$label.dat" >"$T/$label.out" 2>&1 &
	local b=$!
	PIDS="$PIDS $b"
	for _ in $(seq 1500); do
		grep -q '^hold=ready' "$T/$label.out" && break
		kill -0 $b 2>/dev/null || break
		sleep 0.1
	done
	sleep 0.5
	rss1=$(rss_kib "$lac")
	wait $b
	forget $b
	LAC_RSS_DELTA_KIB=$((rss1 - rss0))
	cp "$T/$label.out" "$OUT/$label.out"
	LAC_DROPS=$(in_ns client ss -0 -a -m -p 2>/dev/null |
	    grep -A1 "pid=$lac," | sed -n 's/.*,d\([0-9]*\)).*/\1/p' |
	    awk '{ s += $1 } END { print s + 0 }')
	stop_wait "$lac" KILL
	rm -f "$T/lac.sock"
	stop_lns
	RATE=$(val "$T/$label.out" setup.rate)
	UP=$(val "$T/$label.out" setup.up)
	FAILED=$(val "$T/$label.out" setup.failed)
	CAUSES=$(sed -n 's/^setup.failure=//p' "$T/$label.out" | paste -sd ';' | sed 's/;/; /g')
}

codec_rate() { "$VB" codec --tunnels "$1" --sessions "$2" | sed -n 's/^codec.rate=//p'; }

setup_run s1k 10 1000
US_1K=$USPS
setup_run s10k-1t 1 10000
RATE_1T=$RATE
C1=$(codec_rate 1 10000)
met=$(awk -v r="$RATE" 'BEGIN { print (r >= 2000) ? "met" : "NOT met" }')
row "setup 10k sessions, 1 tunnel (sess/s)" "$RATE" "$C1" "$(ratio "$RATE" "$C1")" "$met" ">= 2000/s; up $UP failed $FAILED; baseline = codec"
setup_run s10k-100t 100 10000 --storm
C100=$(codec_rate 100 10000)
US_10K=$USPS
met=$(awk -v r="$RATE" 'BEGIN { print (r >= 2000) ? "met" : "NOT met" }')
row "setup 10k sessions, 100 tunnels/100 LACs (sess/s)" "$RATE" "$C100" "$(ratio "$RATE" "$C100")" "$met" ">= 2000/s; up $UP failed $FAILED; baseline = codec"
PER10=$(awk -v d="$RSS_DELTA_KIB" -v n="$UP" 'BEGIN { if (n > 0) printf "%.0f", d * 1024 / n; else print "n/a" }')
met=$(awk -v b="$PER10" 'BEGIN { print (b != "n/a" && b <= 2048) ? "met" : "NOT met" }')
row "memory per session at 10k (bytes)" "$PER10" "2048" "$(ratio "$PER10" 2048)" "$met" "LNS RSS delta $RSS_DELTA_KIB KiB / $UP"
SR=$(val "$OUT/s10k-100t.out" storm.rate)
SUP=$(val "$OUT/s10k-100t.out" storm.up)
SSEC=$(val "$OUT/s10k-100t.out" storm.seconds)
row "reconnect storm 10k, 100 tunnels/100 LACs (sess/s)" "$SR" "$RATE" "$(ratio "$SR" "$RATE")" "" "all dropped (StopCCN) + redialled: $SUP up in $SSEC s; baseline = first setup"

# ---- (e) PPPoE through the LAC ---------------------------------------------------
# N PPPoE hosts through the vpdnd LAC to the LNS, the LAC putting every call
# in one tunnel: the baseline is the direct L2TP setup over one tunnel
# (s10k-1t).  The first run raises [lac] discovery-rate out of the way to
# measure the path; the second keeps the default (200 PADI+PADR a second,
# two per user), to show what an operator gets without tuning.
PPPOE_N=${BENCH_PPPOE:-10000}
# pppoe_note: up/failed, causes, LAC drops, the LNS target informatively.
pppoe_note()
{
	local n="up $UP failed $FAILED"
	[ -n "$CAUSES" ] && n="$n ($CAUSES)"
	[ "${LAC_DROPS:-0}" -gt 0 ] && n="$n; LAC PPPoE socket drops $LAC_DROPS"
	printf '%s; %s' "$n" "$1"
}
pppoe_run pppoe "$PPPOE_N" 256 1000000
met=$(awk -v r="$RATE" 'BEGIN { print (r >= 2000) ? "met" : "NOT met" }')
row "setup $PPPOE_N PPPoE sessions via LAC (sess/s)" "$RATE" "$RATE_1T" "$(ratio "$RATE" "$RATE_1T")" "$met" "$(pppoe_note "discovery-rate = 1000000; >= 2000/s; baseline = s10k-1t")"
LACPER=$(awk -v d="$LAC_RSS_DELTA_KIB" -v n="$UP" 'BEGIN { if (n > 0) printf "%.0f", d * 1024 / n; else print "n/a" }')
met=$(awk -v m="$LACPER" 'BEGIN { print (m + 0 > 0 && m <= 2048) ? "met" : "NOT met" }')
row "LAC memory per PPPoE call at $PPPOE_N (bytes)" "$LACPER" "2048" "$(ratio "$LACPER" 2048)" "$met" "LAC RSS delta $LAC_RSS_DELTA_KIB KiB / $UP"
pppoe_run pppoe-default 1000 256 200
row "setup 1000 PPPoE sessions via LAC, default discovery-rate (sess/s)" "$RATE" "$RATE_1T" "$(ratio "$RATE" "$RATE_1T")" "" "$(pppoe_note "discovery-rate = 200 (2 per user); baseline = s10k-1t")"

if [ "$BIG" -gt 0 ]; then
	setup_run s50k "$((BIG / 100))" "$BIG"
	PER50=$(awk -v d="$RSS_DELTA_KIB" -v n="$UP" 'BEGIN { if (n > 0) printf "%.0f", d * 1024 / n; else print "n/a" }')
	met=$(awk -v b="$PER50" -v u="$UP" -v n="$BIG" 'BEGIN { print (b != "n/a" && b <= 2048 && u >= 50000) ? "met" : "NOT met" }')
	row "sessions held in one daemon" "$UP" "$BIG" "$(ratio "$UP" "$BIG")" "$met" "$((BIG / 100)) tunnels from $LACS LACs; failed $FAILED; rate $RATE/s"
	row "memory per session at $BIG (bytes)" "$PER50" "2048" "$(ratio "$PER50" 2048)" "$met" "LNS RSS delta $RSS_DELTA_KIB KiB / $UP"
	flat=$(awk -v a="$USPS" -v b="$US_1K" 'BEGIN { print (a <= 2 * b) ? "met" : "NOT met" }')
	row "setup us/session at $BIG vs 1k" "$USPS" "$US_1K" "$(ratio "$USPS" "$US_1K")" "$flat" "flat = ratio <= 2"
else
	flat=$(awk -v a="$US_10K" -v b="$US_1K" 'BEGIN { print (a <= 2 * b) ? "met" : "NOT met" }')
	row "setup us/session at 10k vs 1k" "$US_10K" "$US_1K" "$(ratio "$US_10K" "$US_1K")" "$flat" "flat = ratio <= 2 (50k skipped)"
fi

# ---- (f) LAC relay: bench/sections/lac_relay.sh ----------------------------------
. bench/sections/lac_relay.sh

# ---- report -------------------------------------------------------------------
printf '%s' "$ROWS" >"$OUT/table.psv"
PLOT=""
if command -v gnuplot >/dev/null 2>&1; then
	# next to the report (BENCH_DOC elsewhere leaves docs/ alone)
	mkdir -p "$(dirname "$DOC")"
	gnuplot <<EOT && PLOT="benchmarks.png"
set terminal png size 900,500
set output "$(dirname "$DOC")/benchmarks.png"
set title "PPP sessions established over time (vpdn-bench against vpdnd)"
set xlabel "seconds"
set ylabel "sessions up"
set key left top
plot for [f in "s1k s10k-1t s10k-100t s50k pppoe"] "$OUT/".f.".dat" using 1:2 with lines title f
EOT
	# forwarding: the three paths side by side, per packet size
	awk -F, '{ print $2, $4, $5, $3 }' "$OUT/forwarding.csv" |
	    sort -k1,1nr | awk '{ k = $1; r[k] += $2; t[k] += $3; l[k] += $4; n[k]++ }
	    END { for (k in n) printf "%s %.0f %.0f %.0f\n", k, r[k] / n[k], t[k] / n[k], l[k] / n[k] }' |
	    sort -k1,1nr >"$OUT/forwarding.dat"
	gnuplot <<EOT && PLOT="$PLOT benchmarks-forwarding.png"
set terminal png size 1000,400
set output "$(dirname "$DOC")/benchmarks-forwarding.png"
set title "Forwarding client -> LNS -> intranet, packets/s (mean of the rounds; the table gives medians)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set ylabel "packets/s"
set yrange [0:*]
set key outside right top vertical
plot "$OUT/forwarding.dat" using 2:xtic(sprintf("%d bytes", \$1)) title "raw UDP (kernel)", \
    "" using 3 title "TUN->TUN (user-space limit)", "" using 4 title "vpdnd LNS"
EOT
fi
bench/report.sh "$OUT/table.psv" "$PLOT" >"$DOC"
echo "bench: wrote $DOC"
