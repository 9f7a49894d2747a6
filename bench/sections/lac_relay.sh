# Sourced by bench/run.sh (its functions and variables): section (f).
# shellcheck shell=bash
# ---- (f) LAC relay ------------------------------------------------------------
# One PPPoE call (a vpdnd client in the pc namespace) through the vpdnd LAC;
# then pppoe_blast sends its IPv4 data as PPPoE session frames for SECS and
# what the LAC relayed is counted where it arrives, on the LNS's veth.  The
# LAC's kernel fast path (dataplane = kernel) against its user path, and
# against plain kernel routing of the same inner packets (pppoe_blast
# sending them as IPv4 frames to the client namespace, which routes them
# to the LNS), same run, same sender, same counting point.  While a rate
# is counted, a filter on the LNS's veth drops what is counted (L2TP data
# messages, the baseline's packets): the work after the counting point
# runs in the sender's softirq on veth and must be the same for every
# path, and the LNS need not keep up.  SIZE is the inner IP packet, as in
# (a).
cc -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -o "$T/pppoe_blast" \
    bench/fastpath/pppoe_blast.c || exit 1
ip -n ${P}pc link set lo up
cat >"$T/pc.conf" <<EOT
[global]
listen = 127.0.0.1:1701
hostname = pc.bench
control-socket = $T/pc.sock
log-level = info

[client dial]
pppoe-interface = veth-lac
user = bench@bench
password = bench
auth = chap-md5
interface = vb-pc
routes = 10.77.0.0/24
default-route = no
redial = no
EOT
rx_lns() { in_ns lns cat /sys/class/net/veth-client/statistics/rx_packets; }
# lns_drop on|off: the LNS veth's ingress drops L2TP data messages (UDP to
# 1701, T bit clear: RFC 2661 §3.1) and the baseline's packets to the
# intranet sink, or no longer does.
lns_drop()
{
	if [ "$1" = on ]; then
		in_ns lns nft -f - <<EOT
table netdev vbdrop {
	chain in {
		type filter hook ingress device "veth-client" priority 0;
		udp dport 1701 @th,64,1 0 drop
		ip daddr 10.77.0.2 drop
	}
}
EOT
	else
		in_ns lns nft delete table netdev vbdrop
	fi
}
# relay_count ARGS...: pppoe_blast ARGS (SECS last) from the pc namespace;
# sets COUNT_PPS, what arrived on the LNS's veth a second, and COUNT_TX
# (what the sender sent).
relay_count()
{
	local a b t0 t1
	lns_drop on
	a=$(rx_lns) t0=$(now)
	in_ns pc "$T/pppoe_blast" "$@" >"$T/relay.out"
	sleep 0.2
	b=$(rx_lns) t1=$(now)
	lns_drop off
	COUNT_PPS=$(awk -v n="$((b - a))" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a - 0.2) }')
	COUNT_TX=$(val "$T/relay.out" tx.pps)
}
# relay_raw SIZE: the baseline, sets RAWRELAY_PPS: the same inner packets
# as IPv4 frames to the client namespace's veth, routed to the LNS.
relay_raw()
{
	local mac
	mac=$(in_ns client cat /sys/class/net/veth-pc/address)
	in_ns pc "$T/pppoe_blast" veth-lac "$mac" "$(in_ns pc cat /sys/class/net/veth-lac/address)" \
	    ip 10.78.0.2 10.77.0.2 9000 $(($1 - 28)) 0.5 >/dev/null
	relay_count veth-lac "$mac" "$(in_ns pc cat /sys/class/net/veth-lac/address)" \
	    ip 10.78.0.2 10.77.0.2 9000 $(($1 - 28)) "$SECS"
	RAWRELAY_PPS=$COUNT_PPS
}
# lac_relay DATAPLANE SIZE: sets RELAY_PPS ("" if the call did not come up)
# and RELAY_PATH (the call's path in the LAC's show sessions).
lac_relay()
{
	local lac pc sid acmac pcmac addr
	RELAY_PPS="" RELAY_PATH="" RELAY_TX=""
	lac_conf 1000 "$1" >"$T/lac.conf"
	start_lns
	spawn client "$T/lac-relay.log" "${LAC_BIN:-$VPDND}" -c "$T/lac.conf"
	lac=$SPAWNED
	for _ in $(seq 50); do
		[ -S "$T/lac.sock" ] && break
		sleep 0.1
	done
	spawn pc "$T/pc.log" "$VPDND" -c "$T/pc.conf"
	pc=$SPAWNED
	for _ in $(seq 150); do
		addr=$(ip -n ${P}pc -4 -o addr show dev vb-pc 2>/dev/null |
		    awk '{ split($4, x, "/"); print x[1]; exit }')
		[ -n "$addr" ] && break
		sleep 0.1
	done
	sid=$(sed -n 's/.*PPPoE session \([0-9]*\) with .* (\([0-9a-f:]*\)) on .*/\1/p' "$T/pc.log" | head -1)
	acmac=$(sed -n 's/.*PPPoE session \([0-9]*\) with .* (\([0-9a-f:]*\)) on .*/\2/p' "$T/pc.log" | head -1)
	pcmac=$(in_ns pc cat /sys/class/net/veth-lac/address)
	if [ -n "$addr" ] && [ -n "$sid" ] && [ -n "$acmac" ]; then
		# neighbours resolved and the path warm before counting
		in_ns pc "$T/pppoe_blast" veth-lac "$acmac" "$pcmac" "$sid" \
		    "$addr" 10.77.0.2 9000 $(($2 - 28)) 0.5 >/dev/null
		sleep 0.3
		RELAY_PATH=$(in_ns client "$BIN/vpdnctl" -s "$T/lac.sock" \
		    show sessions --json 2>/dev/null | python3 -c '
import json, sys
s = json.load(sys.stdin)["sessions"]
print(s[0].get("path", "?") if s else "none")' 2>/dev/null)
		relay_count veth-lac "$acmac" "$pcmac" "$sid" "$addr" \
		    10.77.0.2 9000 $(($2 - 28)) "$SECS"
		RELAY_PPS=$COUNT_PPS RELAY_TX=$COUNT_TX
	else
		echo "bench: LAC relay ($1): the call did not come up" >&2
		tail -3 "$T/pc.log" >&2
	fi
	stop_wait "$pc" KILL
	stop_wait "$lac" KILL
	fp_detach client veth-pc veth-lns
	rm -f "$T/lac.sock" "$T/pc.sock"
	stop_lns
}
for size in 1400 64; do
	kr=() ur=() rr=() br=()
	for _ in $(seq "$REPS"); do
		relay_raw $size
		rr+=("${RAWRELAY_PPS:-0}")
		if [ "$KERNEL" = yes ]; then
			if [ -n "${BENCH_VPDND_B:-}" ]; then
				LAC_BIN=$BENCH_VPDND_B lac_relay kernel $size
				br+=("${RELAY_PPS:-0}")
			fi
			lac_relay kernel $size
			kr+=("${RELAY_PPS:-0}")
			KRPATH=$RELAY_PATH KRTX=$RELAY_TX
		fi
		if [ "${ONLY_KERNEL:-no}" != yes ]; then
			lac_relay user $size
			ur+=("${RELAY_PPS:-0}")
			URTX=$RELAY_TX
		fi
		echo "lac_relay,$size,${rr[-1]},${kr[*]: -1},${ur[*]: -1},${br[*]: -1}" >>"$OUT/lac_relay.csv"
	done
	RR=$(median "${rr[@]}") UR=$(median "${ur[@]}")
	if [ "$KERNEL" = yes ]; then
		KR=$(median "${kr[@]}")
		row "LAC relay ${size} B pps (kernel path vs raw routing)" "$KR" "$RR" "$(ratio "$KR" "$RR")" "" "PPPoE -> L2TP on the LAC's PPPoE veth ingress vs the same IPv4 packets routed, counted at the LNS's veth; call path ${KRPATH:-?}; median of $REPS"
		[ "${ONLY_KERNEL:-no}" = yes ] ||
		    row "LAC relay ${size} B pps (kernel vs user path)" "$KR" "$UR" "$(ratio "$KR" "$UR")" "" "sender ${KRTX:-?}/${URTX:-?} pps; median of $REPS"
		if [ -n "${BENCH_VPDND_B:-}" ]; then
			BR=$(median "${br[@]}")
			row "(B) LAC relay ${size} B pps (kernel path vs raw routing)" "$BR" "$RR" "$(ratio "$BR" "$RR")" "" "BENCH_VPDND_B; (B) / this build: $(ratio "$BR" "$KR"); median of $REPS"
		fi
	else
		row "LAC relay ${size} B pps (user path vs raw routing)" "$UR" "$RR" "$(ratio "$UR" "$RR")" "" "kernel path not loadable: ${KERNEL_WHY:-?}"
	fi
done

