#!/bin/bash
# Several boxes on central AAA: 2 LACs and 3 LNSes share FreeRADIUS and its
# SQL database (lib-cluster.sh): users in radcheck, accounting of every
# daemon in radacct, addresses from sqlippool in the LNS's Access-Accept.
#
#   pcs eth1..ethN --- lan (bridge) --- lac1, lac2 (PPPoE)
#   lac1 lac2 lns1 lns2 lns3 radius --- core (bridge) 10.231.0.0/24
#
# N users (one vpdnd in "pcs", one [client] with redial per veth) dial
# PPPoE; each takes whichever LAC answers first.  The realm lists the three
# LNSes in order (the LAC moves to the next when one fails and keeps the
# one that last worked).  Steps, each checked against SQL and every
# daemon's `vpdnctl show sessions --json`:
#  1. every user up; no address twice (SQL leases vs the LNSes' sessions);
#     a Start in radacct for every LNS and LAC session.
#  2. kill -9 the LNS carrying users: the LACs' Hellos time out, they send
#     PADT, the users redial and land on the other LNSes; the time until
#     every user is back is printed ("failover: N users back in S s").
#  3. the dead LNS restarts: its Accounting-On closes its open radacct rows
#     and gives its leases back (sqlippool on_clear); every session then
#     has a Start and a Stop or is live.
#  4. a Disconnect-Request (radclient) to the LNS holding a user ends that
#     session; the user redials.
#  5. a LAC restarts (SIGTERM: PADT to its users, Stop records): its users
#     redial, the same checks.
# Throughout, a real Prometheus (lib-cluster.sh: start_prometheus) scrapes
# every daemon's /metrics and the SQL pool's exporter with the shipped
# rules loaded; its HTTP API must give each LNS's session count as
# `vpdnctl` does, the pool's leases as SQL does, and the dead LNS as down
# (VpdnLnsDown pending) until it is back.
#
# CLUSTER_GEN=bench (bench/cluster.sh, 1,000 users): the users are
# vpdn-bench pppoe (VPDN_BENCH) on one veth instead, one MAC and one user
# name each, dialling again after a loss with vpdnd's client back-off; the
# LACs balance calls over the LNSes (lns-selection = balanced).  Before
# step 1 the same N hosts dial as users of FreeRADIUS's users file and hang
# up: the setup rate of both ("# setup rate:"), with the LACs' discovery-rate
# out of the way; the failover then runs at the default discovery-rate and
# the bench's per-user record gives its distribution.  CLUSTER_KEEP=DIR
# keeps the bench's output and per-user records there.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-radius.sh"
. "$(dirname "$0")/lib-cluster.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
require_cmds freeradius radclient python3
setup_trap

N=${CLUSTER_USERS:-12}
GEN=${CLUSTER_GEN:-vpdnd}
if [ "$GEN" = bench ]; then
	[ -x "${VPDN_BENCH:-}" ] || skip_all "no vpdn-bench (VPDN_BENCH=${VPDN_BENCH:-unset})"
	export CLUSTER_FILE_USERS=$TMPD/users
fi
# Seconds to wait for FreeRADIUS and SQL to catch up with a burst of
# records (accounting Starts, an Accounting-On closing a dead LNS's rows):
# 10, and more with many users.
AAA_WAIT=$((10 + N / 50))
# Interim-Update interval: 30 s shows them in a short run; bench mode runs
# the examples' 300 s (1,000 users' interims every 30 s from each LAC and
# LNS keep a one-request-at-a-time FreeRADIUS on SQLite busy).
INTERIM=30
[ "$GEN" = bench ] && INTERIM=300
# [lac] discovery-rate in bench mode: unlimited for the setup rates, the
# default (200) from the failover on.
DISC_RATE=1000000
SECRET=cluster-radius
TSECRET=cluster-tunnel
NET=10.231.0
RADIUS_ADDR=$NET.100
LNSES="lns1 lns2 lns3"
LACS="lac1 lac2"
# FAILOVER_BOUND: seconds within which every user must be back.
FAILOVER_BOUND=${CLUSTER_FAILOVER_BOUND:-45}
# Hello every second and 2 retransmissions (RFC 2661 §5.8 backoff: 1 + 2 +
# 4 s): a LAC gives a silent LNS up within about 8 s.
RETX=${CLUSTER_RETRANSMIT_MAX:-2}
# Every LNS's and LAC's Prometheus endpoint, on its core address.
METRICS_PORT=9701

addr_of()
{
	case $1 in
	lns1) echo $NET.11 ;; lns2) echo $NET.12 ;; lns3) echo $NET.13 ;;
	lac1) echo $NET.21 ;; lac2) echo $NET.22 ;; radius) echo $RADIUS_ADDR ;;
	esac
}

# core_link NAME: NAME's "core0" on the core bridge, with its address.
core_link()
{
	local port
	port=$(echo "c-$1" | cut -c1-15)
	ip -n "$(ns core)" link add "$port" type veth peer name core0 \
	    netns "$(ns "$1")" || return 1
	ip -n "$(ns core)" link set "$port" master br0 up || return 1
	ip -n "$(ns "$1")" addr add "$(addr_of "$1")/24" dev core0 || return 1
	ip -n "$(ns "$1")" link set core0 up
}

# lan_link NS IFNAME PORT: IFNAME in NS on a port PORT of the lan bridge.
lan_link()
{
	ip -n "$(ns lan)" link add "$3" type veth peer name "$2" \
	    netns "$(ns "$1")" || return 1
	ip -n "$(ns lan)" link set "$3" master br0 up || return 1
	ip -n "$(ns "$1")" link set "$2" up
}

topology()
{
	local n i
	for n in core lan pcs radius $LACS $LNSES; do
		create_ns $n || return 1
	done
	for n in core lan; do
		ip -n "$(ns $n)" link add br0 type bridge || return 1
		ip -n "$(ns $n)" link set br0 up || return 1
	done
	for n in radius $LACS $LNSES; do
		core_link $n || return 1
	done
	for n in $LACS; do
		lan_link $n lan0 "l-$n" || return 1
	done
	if [ "$GEN" = bench ]; then
		lan_link pcs eth0 p0 || return 1
		return 0
	fi
	for i in $(seq "$N"); do
		lan_link pcs eth$i p$i || return 1
	done
}

lns_conf()
{
	local n=$1 i=${1#lns}
	vpdnd_global_conf "$n" "$(addr_of "$n"):1701" "$n.test" info 1 "$RETX"
	echo "metrics = $(addr_of "$n"):$METRICS_PORT"
	cat <<EOT

[lns]
tunnel-secret = $TSECRET
local-address = 10.9.$i.1
pool = 10.9.$i.10-10.9.$i.20
auth = chap-md5, pap
radius = yes
accept-proxy-auth = yes
interface = vpdn-$n

[radius]
server = $RADIUS_ADDR
accounting-server = $RADIUS_ADDR:1813
secret = $SECRET
nas-identifier = $n
nas-ip-address = $(addr_of "$n")
interim-interval = $INTERIM
dae-listen = $(addr_of "$n"):3799
EOT
}

lac_conf()
{
	local n=$1
	vpdnd_global_conf "$n" "$(addr_of "$n"):1701" "$n.test" info 1 "$RETX"
	echo "metrics = $(addr_of "$n"):$METRICS_PORT"
	cat <<EOT

[lac]
pppoe-interface = lan0
ac-name = $n
auth = chap-md5
tunnel-idle-timeout = 0
radius = yes
$([ "$GEN" = bench ] && printf 'lns-selection = balanced\ndiscovery-rate = %s\n' "$DISC_RATE")

[realm corp.example]
lns = $(addr_of lns1), $(addr_of lns2), $(addr_of lns3)
tunnel-secret = $TSECRET

[radius]
server = $RADIUS_ADDR
accounting-server = $RADIUS_ADDR:1813
secret = $SECRET
nas-identifier = $n
nas-ip-address = $(addr_of "$n")
interim-interval = $INTERIM
EOT
}

pcs_conf()
{
	local i
	vpdnd_global_conf pcs 127.0.0.1:1701 pcs.test info
	for i in $(seq "$N"); do
		cat <<EOT

[client u$i]
pppoe-interface = eth$i
user = user$i@corp.example
password = pw-$i
auth = chap-md5
interface = ppp$i
default-route = no
redial = yes
EOT
	done
}

declare -A PID
start_daemon()
{
	start_vpdnd "$1" "$1" "$TMPD/$1.conf" || return 1
	PID[$1]=$VPDND_PID
}

# lns_users NAME: established sessions of LNS NAME in PPP phase network,
# "user address" a line (nothing for a dead LNS).
lns_users()
{
	alive "${PID[$1]:-0}" || return 0
	jval "$(show_json "$1" "$1" sessions)" \
	    "'\n'.join(s['user'] + ' ' + s['address'] for s in d['sessions'] if s['ppp_phase'] == 'network')"
}

# all_users: every live LNS's users, one "user address" a line.
all_users()
{
	local n
	for n in $LNSES; do
		lns_users $n
	done | sed '/^$/d'
}

# users_up: every one of the N users has a session on some LNS.
users_up()
{
	[ "$(all_users | awk '{print $1}' | sort -u | wc -l)" -eq "$N" ]
}

# bench_users LABEL USER [ARG...]: vpdn-bench pppoe, N hosts on eth0 of
# pcs named after the template USER (password pw-I), stdout in
# $TMPD/LABEL.out; BENCH_PID.
bench_users()
{
	local label=$1 user=$2
	shift 2
	start_bg pcs "$TMPD/$label.out" "$VPDN_BENCH" pppoe --interface eth0 \
	    --sessions "$N" --window "$N" --user "$user" --password 'pw-%u' \
	    --timeout 300 "$@"
	BENCH_PID=$BG_PID
}

# bench_val LABEL KEY: the value of KEY in the bench's output LABEL.
bench_val()
{
	sed -n "s/^$2=//p" "$TMPD/$1.out" | tail -1
}

# bench_status KEY: KEY of the running bench's --status line.
bench_status()
{
	tr ' ' '\n' <"$TMPD/bench.status" 2>/dev/null | sed -n "s/^$1=//p"
}

# bench_all_back: the bench has every host up and none in an outage.
bench_all_back()
{
	[ "$(bench_status up)" = "$N" ] && [ "$(bench_status pending)" = 0 ]
}

# no_sessions: no LNS and no LAC carries a session.
no_sessions()
{
	local n
	for n in $LNSES $LACS; do
		[ "$( [ "${n#lns}" != "$n" ] && lns_live $n || lac_live $n)" -eq 0 ] ||
		    return 1
	done
}

# pcs_up: all N PCs have an address on their TUN.
pcs_up()
{
	local i c=0
	if [ "$GEN" = bench ]; then
		[ "$(bench_status up)" = "$N" ]
		return
	fi
	for i in $(seq "$N"); do
		ip -n "$(ns pcs)" -4 -o addr show dev ppp$i 2>/dev/null |
		    grep -q inet && c=$((c + 1))
	done
	[ "$c" -eq "$N" ]
}

# per_lns: "lns1=A lns2=B lns3=C" sessions in phase network.
per_lns()
{
	local n out=""
	for n in $LNSES; do
		out="$out $n=$(lns_users $n | sed '/^$/d' | wc -l)"
	done
	echo "${out# }"
}

# pool_used: leases held in SQL.
pool_used()
{
	sql_q "SELECT count(*) FROM radippool WHERE pool_key <> ''"
}

# no_address_twice: no address held by two live sessions of the LNSes,
# none held by one SQL lease for two NAS ports, and every LNS session's
# address is that LNS's lease in SQL.
no_address_twice()
{
	local s l
	s=$(all_users)
	l=$(sql_q "SELECT $(sql_addr framedipaddress) || ' ' || nasipaddress FROM radippool WHERE pool_key <> ''")
	python3 - "$s" "$l" "$(for n in $LNSES; do echo "$n $(addr_of $n)"; done)" \
	    "$(for n in $LNSES; do lns_users $n | sed "s/^/$n /"; done)" <<'EOF'
import sys
sess = [l.split() for l in sys.argv[1].splitlines() if len(l.split()) == 2]
lease = dict(l.split() for l in sys.argv[2].splitlines() if len(l.split()) == 2)
nas = dict(l.split() for l in sys.argv[3].splitlines() if l.strip())
owned = [l.split() for l in sys.argv[4].splitlines() if len(l.split()) == 3]
addrs = [a for _, a in sess]
if len(addrs) != len(set(addrs)):
    print("address twice among sessions:", sorted(addrs)); sys.exit(1)
for lns, user, a in owned:
    if lease.get(a) != nas[lns]:
        print(f"{lns}: {user} holds {a}, SQL lease {lease.get(a)}"); sys.exit(1)
EOF
}

# watch_twice SECONDS: no_address_twice every 0.5 s for SECONDS; fails at
# the first violation.
watch_twice()
{
	local end=$(($(date +%s) + $1))
	while [ "$(date +%s)" -lt "$end" ]; do
		no_address_twice || return 1
		sleep 0.5
	done
}

# acct_balanced: every radacct row has a Stop or belongs to a session that
# is live now (its Acct-Session-Id is known to the LNS or LAC that opened
# it: open rows are exactly the live sessions).
open_rows()
{
	sql_q "SELECT count(*) FROM radacct WHERE acctstoptime IS NULL AND nasipaddress = '$1'"
}
lns_live() { lns_users "$1" | sed '/^$/d' | wc -l; }
lac_live()
{
	alive "${PID[$1]:-0}" || { echo 0; return; }
	jval "$(show_json "$1" "$1" sessions)" \
	    "len([s for s in d['sessions'] if s['state'] == 'established'])"
}
acct_balanced()
{
	local n
	for n in $LNSES; do
		[ "$(open_rows "$(addr_of $n)")" -eq "$(lns_live $n)" ] || return 1
	done
	for n in $LACS; do
		[ "$(open_rows "$(addr_of $n)")" -eq "$(lac_live $n)" ] || return 1
	done
}
acct_report()
{
	local n
	for n in $LNSES $LACS; do
		echo -n "$n open=$(open_rows "$(addr_of $n)") live=$( [ "${n#lns}" != "$n" ] && lns_live $n || lac_live $n) "
	done
	echo
}

# prom_view: what the operator's Prometheus shows: sessions per LNS (the
# shipped recording rule) and the SQL pool's leases (the exporter).
prom_view()
{
	local s p
	s=$(prom_lns_sessions | sed "s/:$METRICS_PORT / /; s/ /=/" | tr '\n' ' ')
	s=${s% }
	p=$(prom_query 'radippool_addresses{pool_name="cluster", state="used"}' | awk '{print $2}')
	echo "sessions by LNS address ${s:-none}, pool ${p:-?} leased"
}

step()
{
	log "== $*: sessions $(per_lns), SQL pool $(pool_used) of $POOL_SIZE leased${PROM_PID:+; Prometheus: $(prom_view)}"
}

# wait_back T0 LIMIT [USER...]: waits until every user is up again; BACK_S
# is the seconds from T0 (ms resolution) to the last one, BACK_DIST the
# distribution over USERs (those that had to redial): when each was seen
# up again, polled twice a second.
wait_back()
{
	local t0=$1 limit=$2 now u rc=1
	shift 2
	declare -A seen=()
	local pending=" $* "
	BACK_DIST=""
	while :; do
		now=$(date +%s.%N)
		for u in $(all_users | awk '{print $1}'); do
			case $pending in *" $u "*)
				seen[$u]=$now
				pending=${pending/ $u / }
			esac
		done
		if users_up; then
			# those that came up since the poll above: now
			now=$(date +%s.%N)
			for u in $pending; do
				seen[$u]=$now
			done
			rc=0
			break
		fi
		python3 -c "import sys; sys.exit(0 if $now - $t0 > $limit else 1)" && break
		sleep 0.5
	done
	BACK_S=$(python3 -c "import time; print('%.1f' % (time.time() - $t0))")
	if [ $# -gt 0 ]; then
		BACK_DIST=$(python3 -c '
import sys
t0 = float(sys.argv[1]); v = sorted(float(x) - t0 for x in sys.argv[2:])
if v:
    q = lambda p: v[min(len(v) - 1, int(p * len(v)))]
    print("min %.1f s, median %.1f s, p90 %.1f s, max %.1f s over %d users" %
          (v[0], q(0.5), q(0.9), v[-1], len(v)))' "$t0" "${seen[@]}")
	fi
	return $rc
}

# prom_lns_sessions: "ADDRESS:PORT COUNT" per LNS Prometheus scraped, from
# the shipped recording rule, sorted.
prom_lns_sessions()
{
	prom_query 'instance:vpdn_sessions_established:sum{role="lns"}'
}

# ctl_lns_sessions: the same from every live LNS's vpdnctl.
ctl_lns_sessions()
{
	local n
	for n in $LNSES; do
		alive "${PID[$n]:-0}" &&
		    echo "$(addr_of $n):$METRICS_PORT $(lns_live $n)"
	done | sort
}

# prom_agrees: Prometheus gives every live LNS the sessions its vpdnctl
# shows, and the SQL pool's leases as SQL counts them; the last answers
# in PROM_SAW for the log.
prom_agrees()
{
	local p c pool
	p=$(prom_lns_sessions | grep -v ' 0$' | tr '\n' ' ')
	c=$(ctl_lns_sessions | grep -v ' 0$' | tr '\n' ' ')
	pool=$(prom_query 'radippool_addresses{pool_name="cluster", state="used"}' | awk '{print $2}')
	PROM_SAW="Prometheus: ${p:-none}; vpdnctl: ${c:-none}; pool leases: Prometheus ${pool:-none}, SQL $(pool_used)"
	[ "$p" = "$c" ] && [ "$pool" = "$(pool_used)" ]
}

# prom_lns_down NAME: Prometheus has NAME down and VpdnLnsDown pending or
# firing for it.
prom_lns_down()
{
	local inst
	inst="$(addr_of "$1"):$METRICS_PORT"
	prom_query "up{role=\"lns\"}" | grep -qx "$inst 0" &&
	    prom_query 'ALERTS{alertname="VpdnLnsDown"}' | grep -q "^$inst 1"
}

# prom_all_up: Prometheus scrapes all five daemons.
prom_all_up()
{
	[ "$(prom_query 'count(up{job="vpdn"} == 1)' | awk '{print $2}')" = 5 ]
}

# most_loaded_lns: the LNS with the most sessions.
most_loaded_lns()
{
	local n best="" bc=-1 c
	for n in $LNSES; do
		c=$(lns_live $n)
		[ "$c" -gt "$bc" ] && { best=$n; bc=$c; }
	done
	echo "$best"
}

topology || exit 1
start_sql "$TMPD" || { log "database setup failed"; exit 1; }
log "SQL database: $SQL_KIND"
# bench: SQLite's write-ahead log, so that the pool's and the accounting's
# writers do not wait for a reader's lock (kept in the file, PostgreSQL
# needs nothing).
[ "$GEN" = bench ] && [ "$SQL_KIND" = sqlite ] &&
    sql_q "PRAGMA journal_mode=WAL;" >/dev/null
# Until the dead LNS's Accounting-On (or lease expiry) its leases stay held
# while its users take new ones: the pool holds the users twice over.
POOL_SIZE=$((2 * N + 10))
sql_users "$N" || exit 1
if [ "$POOL_SIZE" -le 246 ]; then
	sql_pool cluster 10.77.0 10 $((10 + POOL_SIZE - 1)) || exit 1
else
	sql_pool_n cluster 10.77 "$POOL_SIZE" || exit 1
fi
[ "$GEN" = bench ] && file_users "$CLUSTER_FILE_USERS" "$N"

cluster_raddb "$TMPD/raddb" "$SECRET" "$RADIUS_ADDR" "$NET.0/24"
for n in $LNSES; do lns_conf $n >"$TMPD/$n.conf"; done
for n in $LACS; do lac_conf $n >"$TMPD/$n.conf"; done
pcs_conf >"$TMPD/pcs.conf"

case_begin
if [ "$GEN" = bench ]; then
	# Without -X's debug output of every request.  On SQLite, one
	# request at a time all the same (-s): SQLite has one writer, and
	# sqlippool's transactions from several threads fail with "database
	# is locked" rather than wait.  PostgreSQL: the thread pool.
	rargs="-f -l stdout"
	[ "$SQL_KIND" = sqlite ] && rargs="$rargs -s"
	# shellcheck disable=SC2086
	start_bg radius "$TMPD/radius.log" freeradius $rargs -d "$TMPD/raddb"
	RADIUS_PID=$BG_PID
	wait_for 10 grep -q "Ready to process requests" "$TMPD/radius.log"
else
	start_freeradius radius "$TMPD/raddb"
fi
log_test "FreeRADIUS on SQL ($SQL_KIND) with sqlippool starts" $?
ok=0
for n in $LNSES $LACS; do
	start_daemon $n || ok=1
done
log_test "3 LNSes and 2 LACs start" $ok
missing=$(cluster_prometheus_missing | tr '\n' ' ')
[ -z "$missing" ] || log "Prometheus needs: $missing(scripts/install-deps.sh)"
targets=""
for n in $LNSES -- $LACS; do
	[ "$n" = -- ] && { targets="$targets --"; continue; }
	targets="$targets $(addr_of $n):$METRICS_PORT"
done
[ -z "$missing" ] &&
    { [ "$SQL_KIND" != postgresql ] || start_pg_exporter "$TMPD"; } &&
    # shellcheck disable=SC2086
    start_prometheus "$TMPD" $targets && wait_for 15 prom_all_up
log_test "Prometheus scrapes the 3 LNSes and 2 LACs with the shipped rules" $?
wait_for 10 test "$(sql_q "SELECT count(*) FROM radacct")" -ge 0
if [ "$GEN" = bench ]; then
	# ---- 0. the users file's setup rate, then the same users in SQL
	bench_users files 'file%u@corp.example' --hold 1 --hangup
	wait "$BENCH_PID"
	log_test "$N users of the users file dial and hang up ($(bench_val files setup.up) up, $(bench_val files setup.failed) failed)" $?
	wait_for 60 no_sessions
	log_test "every LNS and LAC is empty again" $?
	t0=$(python3 -c 'import time; print(time.time())')
	bench_users sql 'user%u@corp.example' --redial --hangup --hold 100000 \
	    --status "$TMPD/bench.status" --records "$TMPD/bench.records"
	log_test "$N PPPoE users dial (vpdn-bench pppoe)" 0
else
	t0=$(python3 -c 'import time; print(time.time())')
	start_daemon pcs
	log_test "$N PPPoE users dial" $?
fi

# 120 s, or 5 users a second (a LAC's default discovery-rate of 200
# PADI/PADR a second, shared with the retries) for many
wait_back "$t0" $((N / 5 > 120 ? N / 5 : 120))
log_test "all $N users reach the network phase on some LNS (${BACK_S} s)" $?
wait_for 10 pcs_up
log_test "all $N PCs have their address" $?
if [ "$GEN" = bench ]; then
	wait_for 30 grep -q '^hold=ready' "$TMPD/sql.out"
	rf=$(bench_val files setup.rate)
	rs=$(bench_val sql setup.rate)
	echo "# setup rate: $N users, users file $rf sessions/s ($(bench_val files setup.seconds) s, $(bench_val files setup.failed) failed), SQL $rs sessions/s ($(bench_val sql setup.seconds) s, $(bench_val sql setup.failed) failed), SQL/users file $(awk -v a="$rs" -v b="$rf" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')"
	# A first attempt may fail when RADIUS falls behind (its requests
	# time out): the host redials, and every one is up (checked above).
	sed -n 's/^setup.failure=/# first attempts failed through SQL: /p' "$TMPD/sql.out"
fi
step "all up"
no_address_twice
log_test "no address twice; every LNS session holds its SQL lease" $?
sessions_by_lac=$(for n in $LACS; do echo -n "$n=$(lac_live $n) "; done)
log "sessions per LAC: $sessions_by_lac"
wait_for "$AAA_WAIT" acct_balanced
rc=$?
[ $rc -ne 0 ] && log "radacct vs live: $(acct_report)"
log_test "radacct: one open row per live session of every LNS and LAC" $rc
[ "$(sql_q "SELECT count(DISTINCT acctsessionid) FROM radacct")" -eq \
    "$(sql_q "SELECT count(*) FROM radacct")" ]
log_test "Acct-Session-Ids are unique across the five daemons" $?
[ "$(sql_q "SELECT count(DISTINCT framedipaddress) FROM radacct WHERE acctstoptime IS NULL AND nasporttype = 'Virtual'")" -eq "$N" ]
log_test "LNS Start records carry the $N addresses sqlippool handed out" $?
wait_for 10 prom_agrees
rc=$?
log "$PROM_SAW"
log_test "Prometheus: sessions per LNS as vpdnctl shows them, SQL pool leases as SQL" $rc
case_end freeradius lns1 lns2 lns3 lac1 lac2 pcs prometheus

# ---- 2. kill -9 the LNS that carries users
case_begin
victim=$(most_loaded_lns)
moved=$(lns_live "$victim")
moved_users=$(lns_users "$victim" | awk '{print $1}')
if [ "$GEN" = bench ]; then
	# the failover at the LACs' default discovery-rate
	DISC_RATE=200
	ok=0
	for n in $LACS; do
		lac_conf $n >"$TMPD/$n.conf"
		kill -HUP "${PID[$n]}"
		wait_for 10 grep -q "discovery-rate now 200" "$TMPD/$n.log" || ok=1
	done
	log_test "the LACs are back at the default discovery-rate (reload)" $ok
fi
log "killing $victim (pid ${PID[$victim]}, $moved users) with SIGKILL"
t0=$(python3 -c 'import time; print(time.time())')
# the bench's window of outages starts now
[ "$GEN" = bench ] && kill -USR1 "$BENCH_PID"
kill -KILL "${PID[$victim]}"
stop_pid "${PID[$victim]}" KILL 1
watch_twice 3 &
watch=$!
# shellcheck disable=SC2086
wait_back "$t0" "$FAILOVER_BOUND" $moved_users
rc=$?
wait $watch
wrc=$?
echo "# failover: $moved users of $victim back in $BACK_S s ($BACK_DIST)"
log_test "every user is back within ${FAILOVER_BOUND} s of kill -9 ($BACK_S s)" $rc
if [ "$GEN" = bench ]; then
	wait_for 30 bench_all_back
	log_test "vpdn-bench: every host that lost its session has IPCP open again" $?
	kill -USR1 "$BENCH_PID"
	wait_for 10 grep -q '^window=2' "$TMPD/sql.out"
	w() { bench_val sql "window1.$1"; }
	echo "# failover (vpdn-bench): $(w down) users lost their session, $(w back) back, all back $(w all_back_s) s after kill -9; losses (PADT) from $(w first_down_s) to $(w last_down_s) s; from kill -9 to IPCP open: min $(w since_min), median $(w since_median), p90 $(w since_p90), p99 $(w since_p99), max $(w since_max) s; own outage (loss to IPCP open): min $(w outage_min), median $(w outage_median), p90 $(w outage_p90), p99 $(w outage_p99), max $(w outage_max) s"
	[ "$(w down)" -ge "$moved" ] && [ "$(w pending)" = 0 ]
	log_test "vpdn-bench saw the $moved users of $victim go and come back" $?
fi
log_test "no address handed out twice while they redial" $wrc
step "after kill -9 of $victim"
no_address_twice
log_test "no address twice after the failover" $?
[ "$(lns_live "$victim")" -eq 0 ]
log_test "nobody is on the dead LNS" $?
wait_for 10 prom_lns_down "$victim"
log_test "Prometheus has $victim down, VpdnLnsDown pending" $?
wait_for 10 prom_agrees
rc=$?
log "$PROM_SAW"
log_test "Prometheus: the survivors' sessions and the pool after the failover" $rc
case_end lns1 lns2 lns3 lac1 lac2 pcs prometheus

# ---- 3. the dead LNS restarts: Accounting-On
case_begin
stale=$(open_rows "$(addr_of "$victim")")
log "$victim left $stale radacct rows open"
start_daemon "$victim"
log_test "$victim restarts" $?
wait_for 15 prom_all_up
log_test "Prometheus scrapes $victim again" $?
wait_for "$AAA_WAIT" test "$(open_rows "$(addr_of "$victim")")" -eq 0
log_test "its Accounting-On closed its $stale open rows in radacct" $?
[ "$(sql_q "SELECT count(*) FROM radippool WHERE nasipaddress = '$(addr_of "$victim")'")" -eq 0 ]
log_test "and gave its leases back to the SQL pool" $?
wait_for "$AAA_WAIT" acct_balanced
rc=$?
[ $rc -ne 0 ] && log "radacct vs live: $(acct_report)"
log_test "every radacct row has its Stop or a live session" $rc
step "$victim restarted"
case_end "$victim" freeradius

# ---- 4. Disconnect-Request to the LNS holding a user
case_begin
holder="" user="" addr=""
for n in $LNSES; do
	l=$(lns_users $n | head -1)
	[ -n "$l" ] && { holder=$n; user=${l% *}; addr=${l#* }; break; }
done
sid=$(sql_q "SELECT acctsessionid FROM radacct WHERE acctstoptime IS NULL AND username = '$user' AND nasipaddress = '$(addr_of $holder)'")
printf 'Acct-Session-Id = "%s"\nUser-Name = "%s"\nNAS-IP-Address = %s\nEvent-Timestamp = %s\n' \
    "$sid" "$user" "$(addr_of $holder)" "$(date +%s)" |
    in_ns radius radclient -x -r 1 -t 3 "$(addr_of $holder):3799" disconnect "$SECRET" \
    >"$TMPD/dae.log" 2>&1
grep -q "Disconnect-ACK" "$TMPD/dae.log"
log_test "Disconnect-Request for $user ($sid) to $holder is ACKed" $?
wait_for "$AAA_WAIT" test "$(sql_q "SELECT count(*) FROM radacct WHERE acctsessionid = '$sid' AND acctstoptime IS NOT NULL AND acctterminatecause = 'Admin-Reset'")" -eq 1
log_test "its Stop says Admin-Reset" $?
wait_for 30 users_up
log_test "$user redials" $?
case_end "$holder" radius

# ---- 5. a LAC restarts
case_begin
lac=lac1
[ "$(lac_live lac1)" -lt "$(lac_live lac2)" ] && lac=lac2
moved=$(lac_live $lac)
t0=$(python3 -c 'import time; print(time.time())')
# the bench's window of outages for the LAC restart
[ "$GEN" = bench ] && kill -USR1 "$BENCH_PID"
vpdnd_sane "$lac" "${PID[$lac]}"
log_test "$lac ($moved users) stops cleanly (Accounting-Off, PADT)" $?
start_daemon "$lac"
log_test "$lac starts again" $?
wait_back "$t0" "$FAILOVER_BOUND"
rc=$?
echo "# LAC restart: $moved users of $lac back in $BACK_S s"
log_test "every user is back after the LAC restart ($BACK_S s)" $rc
no_address_twice
log_test "no address twice" $?
wait_for "$AAA_WAIT" acct_balanced
rc=$?
[ $rc -ne 0 ] && log "radacct vs live: $(acct_report)"
log_test "every radacct row has its Stop or a live session" $rc
step "after the restart of $lac"
case_end lac1 lac2 pcs

# ---- the end: everyone hangs up, the books close
case_begin
if [ "$GEN" = bench ]; then
	kill -TERM "$BENCH_PID"
	wait "$BENCH_PID"
	# its exit status says whether a first attempt failed (above); that
	# it reported its last window says it ended on SIGTERM, PADT sent
	grep -q '^redial.up_now=' "$TMPD/sql.out"
	log_test "the users hang up (PADT)" $?
	w() { bench_val sql "window3.$1"; }
	echo "# LAC restart (vpdn-bench): $(w down) users lost their session, all back $(w all_back_s) s; from the restart: median $(w since_median), p90 $(w since_p90), max $(w since_max) s"
	if [ -n "${CLUSTER_KEEP:-}" ]; then
		mkdir -p "$CLUSTER_KEEP"
		cp "$TMPD/files.out" "$TMPD/sql.out" "$TMPD/bench.records" \
		    "$CLUSTER_KEEP/" 2>/dev/null
	fi
else
	vpdnd_sane pcs "${PID[pcs]}"
	log_test "the users hang up" $?
fi
for n in $LACS $LNSES; do
	wait_for 20 test "$(lac_live $n 2>/dev/null)" = 0 2>/dev/null
done
ok=0
for n in $LNSES $LACS; do
	vpdnd_sane $n "${PID[$n]}" || ok=1
done
log_test "every LNS and LAC exits 0 on SIGTERM, no sanitizer report" $ok
# what FreeRADIUS has queued (the last Stops, the Accounting-Offs) may
# still be on its way to SQL when a daemon has given up waiting for it
wait_for "$AAA_WAIT" test "$(sql_q "SELECT count(*) FROM radacct WHERE acctstoptime IS NULL")" -eq 0
log_test "every radacct row has a Stop" $?
wait_for "$AAA_WAIT" test "$(pool_used)" -eq 0
log_test "the SQL pool is empty again" $?
step "all stopped"
case_end freeradius
finish
