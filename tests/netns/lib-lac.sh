# PCs that dial a vpdnd LAC with PPPoE, for the LAC scenarios
# (t-lac-chain.sh, t-lac-radius.sh, t-lac-scale.sh, t-lac-xl2tpd.sh).
# Sourced after lib.sh:
#
#	. "$(dirname "$0")/lib.sh"
#	. "$(dirname "$0")/lib-lac.sh"
#	create_ns lac; create_ns pc-a
#	lac_pppoe_lan 02:00:00:00:0a:c0 pc-a
#	pppoe_pc_conf pc-a alice@corp.example pw ppp-x 10.9.0.0/24 no >"$TMPD/pc-a.conf"

# lac_bridge MAC: the bridge br0 in namespace "lac" (the LAC's PPPoE
# interface) with address MAC, up.
lac_bridge()
{
	ip -n "$(ns lac)" link add br0 type bridge || return 1
	ip -n "$(ns lac)" link set br0 address "$1" up
}

# eth_link PC: a veth from namespace PC ("eth0", no address) to a port of
# the LAC's bridge br0.
eth_link()
{
	local pc=$1 port
	port=$(echo "p-$pc" | cut -c1-15)
	ip -n "$(ns lac)" link add "$port" type veth peer name eth0 \
	    netns "$(ns "$pc")" || return 1
	ip -n "$(ns lac)" link set "$port" master br0 up || return 1
	ip -n "$(ns "$pc")" link set eth0 up
}

# lac_pppoe_lan MAC PC...: the LAC's bridge (lac_bridge MAC) with each
# namespace PC on a port of it (eth_link).
lac_pppoe_lan()
{
	local mac=$1 pc
	shift
	lac_bridge "$mac" || return 1
	for pc in "$@"; do
		eth_link "$pc" || return 1
	done
}

# pc_addr NS TUN: the IPv4 address IPCP gave the PC's TUN (empty if none).
# A PPPoE call of the client role is no L2TP session, so the PC's
# `show sessions` does not list it; its TUN is what shows it up.
pc_addr()
{
	ip -n "$(ns "$1")" -4 -o addr show dev "$2" 2>/dev/null |
	    awk '{ split($4, a, "/"); print a[1]; exit }'
}

# pc_up NS TUN: the PC's call is in the network phase (TUN addressed).
pc_up()
{
	[ -n "$(pc_addr "$1" "$2")" ]
}

# start_pppoe_capture NS IFACE FILE: tshark on IFACE in NS, PPPoE discovery
# (PADI..PADT) and session frames; stop it with stop_capture.
start_pppoe_capture()
{
	local n=$1 ifc=$2 file=$3
	: >"$file"
	chmod 0666 "$file" 2>/dev/null
	start_bg "$n" "$file.log" tshark -n -q -i "$ifc" -f "ether proto 0x8863 or ether proto 0x8864" -w "$file"
	CAP_PID=$BG_PID
	wait_for 10 grep -q "Capturing on" "$file.log"
}

# lac_refused FILE MAC: in the PPPoE capture FILE, the LAC (MAC) answered
# with CHAP Failure (code 4) and the session ended with PADT.  Who sends the
# PADT is a race: the PC's client hangs up (PADT) as soon as it reads the
# Failure, which may reach the LAC before the LAC's own PADT leaves; either
# way the session is gone.
lac_refused()
{
	tmatch "$1" "chap.code == 4 && eth.src == $2" &&
	    tmatch "$1" "pppoe.code == 0xa7"
}

# pppoe_pc_conf NAME USER PASSWORD TUN ROUTES REDIAL: a PC's vpdnd that
# dials over its eth0 with PPPoE as USER, its call on TUN.
pppoe_pc_conf()
{
	vpdnd_global_conf "$1" 127.0.0.1:1701 "$1.test" debug
	cat <<EOT

[client dial]
pppoe-interface = eth0
user = $2
password = $3
auth = chap-md5, pap
interface = $4
routes = $5
default-route = no
redial = $6
EOT
}

# pppoe_lac_section [SERVICE]: the [lac] section of a LAC that answers PPPoE
# on br0 (offering SERVICE if given), checks CHAP-MD5 itself and drops a
# tunnel as soon as its last session ends.  Other [lac] settings may follow.
# shellcheck disable=SC2120
pppoe_lac_section()
{
	echo "[lac]"
	echo "pppoe-interface = br0"
	echo "ac-name = vpdn-lac"
	[ -n "${1:-}" ] && echo "service-name = $1"
	echo "auth = chap-md5"
	echo "tunnel-idle-timeout = 0"
}

# proxy_lns_section SECRET LOCAL POOL USERS TUN: the [lns] section of an LNS
# behind a LAC: tunnel SECRET, addresses from POOL (LO-HI), its end LOCAL,
# accepting the LAC's proxy authentication (CHAP-MD5 or PAP) of the users in
# the file USERS, its calls on TUN.
proxy_lns_section()
{
	cat <<EOT
[lns]
tunnel-secret = $1
local-address = $2
pool = $3
auth = chap-md5, pap
users = $4
accept-proxy-auth = yes
interface = $5
EOT
}
