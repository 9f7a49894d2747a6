# shellcheck shell=bash
# bench/sections/ipv6.sh — sourced by bench/run.sh (its helpers, namespaces
# and LNS configuration in scope): IPv6 beside IPv4.
#
#   client fd77:1::2 ==veth== fd77:1::1 lns fd77::1 ==veth== fd77::2 intranet
#   vpdn-bench --ipv6        vpdnd LNS: /64s from fd78::/48,   vpdn-bench sink6
#                            delegated /56s from fd79::/40
#
# (a6) forwarding of IPv6/UDP, 1400 and 64 bytes (the IPv6 packet), both
# ways, through the LNS's user path and its kernel path, against the same
# packets routed by the LNS namespace's kernel; (b6) the setup rate of
# dual-stack sessions (LCP, CHAP, IPCP + IPv6CP, the LNS's RA, a delegated
# prefix by DHCPv6) against IPv4-only sessions to the same LNS.
# BENCH_ONLY=ipv6: only these rows (run.sh skips the IPv4 forwarding rounds
# and stops after this section).
[ "${BENCH_ONLY:-}" = tcp ] && return 0

V6_N=${BENCH_V6_SESSIONS:-2000}	# sessions per setup round
V6_SIZES=${BENCH_V6_SIZES:-1400 64}	# forwarding packet sizes ("" = none)

# ---- IPv6 addressing (nodad: usable at once) ----
ip -n ${P}client addr add fd77:1::2/64 dev veth-lns nodad
ip -n ${P}lns addr add fd77:1::1/64 dev veth-client nodad
ip -n ${P}lns addr add fd77::1/64 dev veth-intra nodad
ip -n ${P}intranet addr add fd77::2/64 dev veth-lns nodad
in_ns lns sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n ${P}client route add fd77::/64 via fd77:1::1
ip -n ${P}intranet route add fd77:1::/64 via fd77::1
ip -n ${P}intranet route add fd78::/48 via fd77::1
ip -n ${P}intranet route add fd79::/40 via fd77::1

# fp_clear: the kernel path's TC filters off the LNS namespace's veths.
# stop_lns kills vpdnd (-9), which leaves them attached with their maps;
# only a later dataplane = kernel LNS replaces them.  A user-path LNS
# started after one would have its traffic taken by the dead one's
# programs, whose maps still hold the same /64s (the pool hands them out
# in the same order) with the old tunnel and session ids.
fp_clear()
{
	local d
	for d in veth-client veth-intra; do
		tc -n "${P}lns" qdisc del dev "$d" clsact 2>/dev/null
	done
}
fp_clear

# lns6_conf DATAPLANE: the LNS of run.sh ([lns] is its last section) with
# IPv6: a /64 per session by RA, a /56 per session by DHCPv6, Rapid
# Commit answered when asked.
lns6_conf()
{
	lns_conf "$1"
	cat <<EOT
ipv6 = yes
ipv6-pool = fd78::/48
delegated-prefix-pool = fd79::/40
delegated-prefix-length = 56
dhcpv6-rapid-commit = yes
EOT
}

# sink6_start NS BIND OUT: vpdn-bench sink6 there; SINK6_PID.
sink6_start()
{
	spawn "$1" "$3" "$VB" sink6 --bind6 "$2"
	SINK6_PID=$SPAWNED
	for _ in $(seq 50); do
		grep -q ready "$3" 2>/dev/null && return 0
		sleep 0.05
	done
}
# sink6_stop OUT: the sink's pps.
sink6_stop()
{
	sleep 0.3
	stop_wait "$SINK6_PID" TERM
	val "$1" sink.pps
}
# down6_blast DST SIZE: intranet -> [DST]:9000 for SECS; DOWN_PPS is what
# reached the client's veth a second, DOWN_SECS the time counted.
down6_blast()
{
	local a b t0 t1
	a=$(rx_client) t0=$(now)
	in_ns intranet "$VB" udp6 --bind6 fd77::2 --dst6 "[$1]:9000" \
	    --traffic "$SECS" --size "$2" >"$T/down6.out"
	sleep 0.2
	b=$(rx_client) t1=$(now)
	DOWN_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a - 0.2 }')
	DOWN_PPS=$(awk -v n="$((b - a))" -v t="$DOWN_SECS" 'BEGIN { printf "%.0f", n / t }')
}

# lns6_fwd DATAPLANE SIZE: a fresh LNS, 100 sessions with IPv6 up (RA
# /64); while they are held, downstream to the first one's address, then
# upstream over all 100 from their addresses.  Sets UP6_PPS, DN6_PPS,
# DLV6_PPS (what vpdn-bench's sessions got of the downstream, a second)
# and PATH6 (the first session's path in show sessions).
lns6_fwd()
{
	local b addr rx
	lns6_conf "$1" >"$T/lns.conf"
	start_lns
	sink6_start intranet "[fd77::2]:9000" "$T/sink6.out"
	in_ns client "$VB" l2tp --lns 10.77.1.1 --bind 10.77.1.2 --tunnels 1 \
	    --sessions 100 --ipv6 --hold $((SECS + 2)) --traffic "$SECS" \
	    --size "$2" --dst6 "[fd77::2]:9000" --label "fwd6-$2-$1" \
	    >"$T/fwd6.out" 2>&1 &
	b=$!
	PIDS="$PIDS $b"
	for _ in $(seq 300); do
		grep -q '^hold=ready' "$T/fwd6.out" 2>/dev/null && break
		kill -0 $b 2>/dev/null || break
		sleep 0.05
	done
	addr=$(val "$T/fwd6.out" ipv6.first)
	PATH6=""
	for _ in $(seq 20); do
		PATH6=$(in_ns lns "$BIN/vpdnctl" -s "$T/lns.sock" show sessions --json 2>/dev/null |
		    grep -o '"path": *"[a-z]*"' | head -1 | sed 's/.*"\([a-z]*\)"$/\1/')
		[ -n "$PATH6" ] && break
		sleep 0.05
	done
	DN6_PPS=0 DLV6_PPS=0
	if [ -n "$addr" ]; then
		down6_blast "$addr" "$2"
		DN6_PPS=$DOWN_PPS
	else
		echo "bench: IPv6 ($1, $2 B): no session got an IPv6 address" >&2
		grep -v '^setup\.\(sessions\|seconds\|us_per\)' "$T/fwd6.out" | head -5 >&2
	fi
	wait $b
	forget $b
	cp "$T/fwd6.out" "$OUT/fwd6-$2-$1.out"
	UP6_PPS=$(sink6_stop "$T/sink6.out")
	rx=$(val "$T/fwd6.out" ipv6.rx)
	[ -n "$addr" ] && DLV6_PPS=$(awk -v n="${rx:-0}" -v t="$DOWN_SECS" 'BEGIN { printf "%.0f", n / t }')
	stop_lns
	fp_clear
	lns_conf user >"$T/lns.conf"
}

# ---- (a6) forwarding ----
for size in $V6_SIZES; do
	r6u=() r6d=() u6u=() u6d=() u6l=() k6u=() k6d=()
	for _ in $(seq "$REPS"); do
		# raw IPv6 upstream: client -> intranet, routed by the LNS
		# namespace's kernel
		sink6_start intranet "[fd77::2]:9000" "$T/sink6.out"
		in_ns client "$VB" udp6 --bind6 fd77:1::2 --dst6 "[fd77::2]:9000" \
		    --traffic "$SECS" --size "$size" >"$T/udp6.out"
		r6u+=("$(sink6_stop "$T/sink6.out")")
		# raw IPv6 downstream: intranet -> client, a socket there
		sink6_start client "[fd77:1::2]:9000" "$T/csink6.out"
		down6_blast fd77:1::2 "$size"
		stop_wait "$SINK6_PID" TERM
		r6d+=("$DOWN_PPS")

		lns6_fwd user "$size"
		u6u+=("$UP6_PPS") u6d+=("$DN6_PPS") u6l+=("$DLV6_PPS")
		kcsv=",,"
		if [ "$KERNEL" = yes ]; then
			lns6_fwd kernel "$size"
			k6u+=("$UP6_PPS") k6d+=("$DN6_PPS")
			K6PATH=$PATH6
			kcsv=",$UP6_PPS,$DN6_PPS"
		fi
		echo "fwd6,$size,${r6u[-1]},${r6d[-1]},${u6u[-1]},${u6d[-1]},${u6l[-1]}$kcsv" >>"$OUT/ipv6.csv"
	done
	R6U=$(median "${r6u[@]}") R6D=$(median "${r6d[@]}")
	U6U=$(median "${u6u[@]}") U6D=$(median "${u6d[@]}") U6L=$(median "${u6l[@]}")
	gb6() { awk -v p="$1" -v s="$2" 'BEGIN { printf "%.2f", p * s * 8 / 1e9 }'; }
	row "IPv6 upstream ${size} B pps (LNS user path vs raw IPv6)" "$U6U" "$R6U" "$(ratio "$U6U" "$R6U")" "" "100 sessions' SLAAC addresses -> intranet; $(gb6 "$U6U" "$size") Gbit/s; median of $REPS"
	row "IPv6 downstream ${size} B pps (LNS user path vs raw IPv6)" "$U6D" "$R6D" "$(ratio "$U6D" "$R6D")" "" "intranet -> 1 session's /64; vpdn-bench's session received $U6L/s; median of $REPS"
	if [ "$KERNEL" = yes ]; then
		K6U=$(median "${k6u[@]}") K6D=$(median "${k6d[@]}")
		row "IPv6 kernel path upstream ${size} B pps (vs raw IPv6)" "$K6U" "$R6U" "$(ratio "$K6U" "$R6U")" "" "$(gb6 "$K6U" "$size") Gbit/s; vs user path $(ratio "$K6U" "$U6U"); session path ${K6PATH:-?}"
		row "IPv6 kernel path downstream ${size} B pps (vs raw IPv6)" "$K6D" "$R6D" "$(ratio "$K6D" "$R6D")" "" "$(gb6 "$K6D" "$size") Gbit/s; vs user path $(ratio "$K6D" "$U6D")"
	else
		row "IPv6 kernel path ${size} B" "n/a" "" "" "" "programs did not load: ${KERNEL_WHY:-see vpdnd log}"
	fi
done

# ---- (b6) dual-stack setup ----
# setup6_run LABEL [vpdn-bench args]: fresh LNS (IPv6 on), V6_N sessions
# over 10 tunnels from 10 LACs, 256 in setup at a time; sets RATE6, UP6,
# FAILED6.
setup6_run()
{
	local label=$1; shift
	lns6_conf user >"$T/lns.conf"
	start_lns
	sleep 0.2
	in_ns client "$VB" l2tp --lns 10.77.1.1 --bind 10.77.1.2 --lacs 10 \
	    --tunnels 10 --sessions "$V6_N" --timeout 60 \
	    --csv "$OUT/setup6.csv" --label "$label" "$@" >"$T/$label.out" 2>&1
	cp "$T/$label.out" "$OUT/$label.out"
	RATE6=$(val "$T/$label.out" setup.rate)
	UP6=$(val "$T/$label.out" setup.up)
	FAILED6=$(val "$T/$label.out" setup.failed)
	stop_lns
	lns_conf user >"$T/lns.conf"
}
s4=() s6r=() s6s=() n6r="" n6s=""
for _ in $(seq "$REPS"); do
	setup6_run v4only
	s4+=("${RATE6:-0}")
	setup6_run dual-rapid --pd rapid
	s6r+=("${RATE6:-0}") n6r="up $UP6 failed $FAILED6"
	setup6_run dual-solicit --pd solicit
	s6s+=("${RATE6:-0}") n6s="up $UP6 failed $FAILED6"
	echo "setup6,$V6_N,${s4[-1]},${s6r[-1]},${s6s[-1]}" >>"$OUT/ipv6.csv"
done
S4=$(median "${s4[@]}") S6R=$(median "${s6r[@]}") S6S=$(median "${s6s[@]}")
row "setup $V6_N dual-stack sessions, DHCPv6 Rapid Commit (sess/s)" "$S6R" "$S4" "$(ratio "$S6R" "$S4")" "" "IPCP + IPv6CP + RA + PD (Solicit/Reply); baseline = IPv4-only to the same LNS; last round $n6r; median of $REPS"
row "setup $V6_N dual-stack sessions, DHCPv6 Solicit/Request (sess/s)" "$S6S" "$S4" "$(ratio "$S6S" "$S4")" "" "4 messages, paced by the 1 s Advertise collection of RFC 8415 §18.2.1 (256 in setup at a time); last round $n6s; median of $REPS"

[ "${BENCH_ONLY:-}" = ipv6 ] && exit 0
