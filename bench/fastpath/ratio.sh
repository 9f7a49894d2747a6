#!/bin/bash
# ratio.sh [BUILD_DIR] — the kernel fast path's forwarding rate against the
# kernel's plain routing of the same inner packets, in three namespaces:
#
#   client 10.77.1.2 ==veth== 10.77.1.1 lns 10.77.0.1 ==veth== 10.77.0.2 intra
#
# upstream:   client sends L2TP data (session 1/1, inner 10.78.0.5 ->
#             10.77.0.2:9000) that vpdn_fp_decap on the lns's c-side veth
#             strips and forwards; baseline: the inner packets themselves,
#             routed by the lns namespace.
# downstream: intra sends to 10.78.0.5:9000; vpdn_fp_encap on the lns's
#             i-side veth wraps them to the client's 10.77.1.2:1702;
#             baseline: the same packets to 10.77.1.2:1702 routed plainly.
# Rates are packets arriving on the far end's veth per second.  The TC
# programs alone, driven by fp_drive (no daemon); `make bench` measures the
# fast path as vpdnd drives it (dataplane = kernel).  Needs root.
set -u
cd "$(dirname "$0")/../.." || exit 1
O=${1:-build/release}
SECS=${SECS:-3}
REPS=${REPS:-3}
P=fpr$$-
T=$(mktemp -d /tmp/fp-ratio.XXXXXX)
PIDS=""
cleanup()
{
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	sleep 0.2
	for n in client lns intra; do ip netns del "$P$n" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
make --no-print-directory VARIANT=release O="$O" "$O/libvpdn.a" >/dev/null || exit 1
for t in fp_drive fp_blast; do
	cc -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -Isrc -o "$T/$t" "bench/fastpath/$t.c" "$O/libvpdn.a" -lbpf || exit 1
done

for n in client lns intra; do ip netns add "$P$n"; ip -n "$P$n" link set lo up; done
ip link add fc0 netns "${P}client" type veth peer name fl1 netns "${P}lns"
ip link add fl0 netns "${P}lns" type veth peer name fi0 netns "${P}intra"
ip -n "${P}client" addr add 10.77.1.2/24 dev fc0
ip -n "${P}lns" addr add 10.77.1.1/24 dev fl1
ip -n "${P}lns" addr add 10.77.0.1/24 dev fl0
ip -n "${P}intra" addr add 10.77.0.2/24 dev fi0
for l in "client fc0" "lns fl1" "lns fl0" "intra fi0"; do set -- $l; ip -n "$P$1" link set "$2" up; done
ip -n "${P}client" route add default via 10.77.1.1
ip -n "${P}intra" route add default via 10.77.0.1
ip netns exec "${P}lns" sysctl -qw net.ipv4.ip_forward=1
# The session's address is reached through the client (as through its TUN).
ip -n "${P}lns" route add 10.78.0.5/32 via 10.77.1.2
ip netns exec "${P}lns" ping -c1 -W1 10.77.0.2 >/dev/null
ip netns exec "${P}lns" ping -c1 -W1 10.77.1.2 >/dev/null

# Packets arriving at the far end are counted on its veth (rx_packets):
# no receiving socket, whose own limit would be measured instead.
rxp() { ip netns exec "$P$1" cat "/sys/class/net/$2/statistics/rx_packets"; }
# blast FROM_NS TO_NS TO_IF ARGS...: pps that reached TO_IF
blast()
{
	local from=$1 to=$2 dev=$3 a b t0 t1
	shift 3
	a=$(rxp "$to" "$dev"); t0=$(date +%s.%N)
	ip netns exec "$P$from" "$T/fp_blast" "$@" >/dev/null
	sleep 0.2
	b=$(rxp "$to" "$dev"); t1=$(date +%s.%N)
	awk -v a="$a" -v b="$b" -v s="$SECS" 'BEGIN { printf "%.0f", (b - a) / s }'
}
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

drive_start()
{
	ip netns exec "${P}lns" "$T/fp_drive" --egress fl0 --egress fl1 \
	    --decap fl1 --encap fl0 --our 1/1 --peer-ids 2/2 \
	    --peer 10.77.1.2:1702 --local 10.77.1.1:1701 --inner 10.78.0.5 \
	    >"$T/drive.out" 2>&1 &
	DRIVE=$!
	PIDS="$PIDS $DRIVE"
	for _ in $(seq 50); do grep -q ready "$T/drive.out" 2>/dev/null && return; sleep 0.05; done
	echo "fp_drive did not start:"; cat "$T/drive.out"; exit 1
}
drive_stop() { kill -TERM "$DRIVE"; wait "$DRIVE" 2>/dev/null; }

printf '%-34s %12s %12s %6s\n' figure fastpath routing ratio
for size in 64 1400; do
	up=() upb=() down=() downb=()
	for _ in $(seq "$REPS"); do
		upb+=("$(blast client intra fi0 plain 10.77.0.2 9000 "$size" "$SECS")")
		downb+=("$(blast intra client fc0 plain 10.77.1.2 1702 "$size" "$SECS")")
		drive_start
		up+=("$(blast client intra fi0 l2tp 10.77.1.1 1702 1 1 10.78.0.5 10.77.0.2 9000 "$size" "$SECS")")
		down+=("$(blast intra client fc0 plain 10.78.0.5 9000 "$size" "$SECS")")
		drive_stop
		cp "$T/drive.out" "$T/drive.last"
	done
	u=$(median "${up[@]}") ub=$(median "${upb[@]}")
	d=$(median "${down[@]}") db=$(median "${downb[@]}")
	printf '%-34s %12s %12s %6s\n' "upstream (decap) $size B pps" "$u" "$ub" "$(ratio "$u" "$ub")"
	printf '%-34s %12s %12s %6s\n' "downstream (encap) $size B pps" "$d" "$db" "$(ratio "$d" "$db")"
done
echo "fast path counters of the last run:"
sed 's/^/  /' "$T/drive.last"
