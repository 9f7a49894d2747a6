# Central AAA for the multi-box scenario (t-cluster.sh, demo-cluster.sh):
# FreeRADIUS with its SQL modules, users in radcheck, accounting in radacct
# and addresses handed out by sqlippool from radippool.  Sourced after
# lib.sh and lib-radius.sh.
#
# The database is a private PostgreSQL cluster (Debian's postgresql and
# freeradius-postgresql, as operators run it) or, with CLUSTER_SQL=sqlite,
# SQLite (rlm_sql_sqlite) for a machine without them; both take the same
# schema from the package and the same queries below, and sql_q runs a
# query on whichever it is.

# cluster_sql_missing: what the chosen database lacks here, or nothing.
cluster_sql_missing()
{
	if [ "${CLUSTER_SQL:-postgresql}" = sqlite ]; then
		command -v sqlite3 >/dev/null || echo "sqlite3"
		return 0
	fi
	[ -e /usr/lib/freeradius/rlm_sql_postgresql.so ] ||
	    echo "FreeRADIUS's PostgreSQL driver (freeradius-postgresql)"
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 ||
	    echo "the PostgreSQL server (postgresql)"
}

# sql_q QUERY: runs QUERY, rows on stdout, columns separated by "|".
sql_q()
{
	# on stdin: a thousand users' INSERTs exceed one argument's size
	if [ "$SQL_KIND" = postgresql ]; then
		printf '%s\n' "$1" | runuser -u postgres -- psql -qAt \
		    -v ON_ERROR_STOP=1 -h "$PGSOCK" -p 5432 -d radius
	else
		printf '%s\n' "$1" | sqlite3 -cmd ".timeout 5000" "$SQL_DB"
	fi
}

# sql_addr COLUMN: the SQL expression for an address column as the bare
# address ("10.77.0.20"): PostgreSQL's inet prints its mask ("/32") when
# made text, SQLite keeps the text it was given.
sql_addr()
{
	if [ "$SQL_KIND" = postgresql ]; then
		echo "host($1)"
	else
		echo "$1"
	fi
}

# start_sql DIR: the database in DIR with FreeRADIUS's schema (main and
# ippool); SQL_KIND, SQL_DB (sqlite) or PGSOCK/PG_PID (postgresql) are set.
start_sql()
{
	local dir=$1 bin missing
	SQL_KIND=${CLUSTER_SQL:-postgresql}
	missing=$(cluster_sql_missing)
	if [ -n "$missing" ]; then
		log "SQL ($SQL_KIND) needs: $missing (scripts/install-deps.sh)"
		return 1
	fi
	local schema=/etc/freeradius/3.0/mods-config/sql
	if [ "$SQL_KIND" = postgresql ]; then
		bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
		PGSOCK=$dir/pgsock
		mkdir -p "$dir/pgdata" "$PGSOCK"
		chown postgres "$dir/pgdata" "$PGSOCK"
		chmod 0755 "$dir"
		runuser -u postgres -- "$bin/initdb" -A trust -U postgres \
		    -D "$dir/pgdata" >"$dir/initdb.log" 2>&1 || return 1
		# In the radius namespace, no TCP: only the socket in DIR.
		start_bg radius "$dir/postgres.log" runuser -u postgres -- \
		    "$bin/postgres" -D "$dir/pgdata" -k "$PGSOCK" \
		    -c listen_addresses= -c fsync=off
		PG_PID=$BG_PID
		wait_for 20 runuser -u postgres -- "$bin/pg_isready" -h "$PGSOCK" \
		    || return 1
		runuser -u postgres -- createdb -h "$PGSOCK" radius || return 1
		sql_q "$(cat $schema/main/postgresql/schema.sql \
		    $schema/ippool/postgresql/schema.sql)" >/dev/null || return 1
	else
		SQL_DB=$dir/radius.db
		sqlite3 "$SQL_DB" <$schema/main/sqlite/schema.sql || return 1
		sqlite3 "$SQL_DB" <$schema/ippool/sqlite/schema.sql || return 1
	fi
}

# sql_users N: user1@corp.example .. userN@corp.example, password pw-I,
# in radcheck.
sql_users()
{
	local i q=""
	for i in $(seq "$1"); do
		q="$q INSERT INTO radcheck (username, attribute, op, value)
		    VALUES ('user$i@corp.example', 'Cleartext-Password', ':=',
		    'pw-$i');"
	done
	sql_q "BEGIN; $q COMMIT;"
}

# sql_pool NAME PREFIX LO HI: PREFIX.LO .. PREFIX.HI in pool NAME, free.
sql_pool()
{
	local i q=""
	for i in $(seq "$3" "$4"); do
		q="$q INSERT INTO radippool (pool_name, framedipaddress,
		    nasipaddress, pool_key, expiry_time)
		    VALUES ('$1', '$2.$i', '', '', '2000-01-01 00:00:00');"
	done
	sql_q "BEGIN; $q COMMIT;"
}

# sql_pool_n NAME PREFIX16 COUNT: COUNT free addresses in pool NAME from
# PREFIX16.0.10 on, 246 a /24 (PREFIX16.0.10 .. PREFIX16.0.255, then
# PREFIX16.1.10 ...), for more than one /24 holds.
sql_pool_n()
{
	local i q=""
	for i in $(seq 0 $(($3 - 1))); do
		q="$q INSERT INTO radippool (pool_name, framedipaddress,
		    nasipaddress, pool_key, expiry_time)
		    VALUES ('$1', '$2.$((i / 246)).$((i % 246 + 10))', '', '',
		    '2000-01-01 00:00:00');"
	done
	sql_q "BEGIN; $q COMMIT;"
}

# file_users FILE N: FreeRADIUS users file of file1@corp.example ..
# fileN@corp.example (password pw-I), each with its own Framed-IP-Address
# from 10.78.0.0/16: the users-file side of bench/cluster.sh's setup-rate
# comparison (cluster_raddb with CLUSTER_FILE_USERS).
file_users()
{
	local i
	for i in $(seq "$2"); do
		printf 'file%s@corp.example Cleartext-Password := "pw-%s"\n\tFramed-IP-Address = 10.78.%s.%s\n\n' \
		    "$i" "$i" $((i / 250)) $((i % 250 + 1))
	done >"$1"
}

# The ippool queries.  FreeRADIUS's own (mods-config/sql/ippool/*) match a
# lease by Calling-Station-Id too, which an LNS's records do not carry (the
# LAC's do), and the SQLite allocate_find of Debian 12's 3.2.1 lacks an AND;
# a lease here is (NAS-IP-Address, NAS-Port, address), which an LNS keeps
# unique while the session lives.
cluster_ippool_queries()
{
	local now plus lock=""
	if [ "$SQL_KIND" = postgresql ]; then
		now="now()"
		plus="now() + '\${lease_duration} second'::interval"
		# FreeRADIUS's threads allocate at once: without the row lock
		# two transactions read the same free address and both take it
		# (seen with 1,000 users).  The lock holds until allocate_commit;
		# the others skip the locked row and take the next.
		lock=" FOR UPDATE SKIP LOCKED"
	else
		# SQLite: one request at a time (freeradius -s), one writer.
		now="datetime('now')"
		plus="datetime(strftime('%%s', 'now') + \${lease_duration}, 'unixepoch')"
	fi
	local key="nasipaddress = '%{NAS-IP-Address}' AND pool_key = '\${pool_key}'"
	cat <<EOT
	allocate_begin = "BEGIN"
	allocate_commit = "COMMIT"
	allocate_find = "SELECT framedipaddress FROM \${ippool_table} WHERE pool_name = '%{control:\${pool_name}}' AND expiry_time < $now ORDER BY expiry_time, framedipaddress LIMIT 1$lock"
	pool_check = "SELECT id FROM \${ippool_table} WHERE pool_name = '%{control:\${pool_name}}' LIMIT 1"
	allocate_update = "UPDATE \${ippool_table} SET nasipaddress = '%{NAS-IP-Address}', pool_key = '\${pool_key}', username = '%{User-Name}', expiry_time = $plus WHERE framedipaddress = '%I'"
	start_update = "UPDATE \${ippool_table} SET expiry_time = $plus WHERE $key AND framedipaddress = '%{\${attribute_name}}'"
	alive_update = "UPDATE \${ippool_table} SET expiry_time = $plus WHERE $key AND framedipaddress = '%{\${attribute_name}}'"
	stop_clear = "UPDATE \${ippool_table} SET expiry_time = $now, nasipaddress = '', pool_key = '' WHERE $key AND framedipaddress = '%{\${attribute_name}}'"
	on_clear = "UPDATE \${ippool_table} SET expiry_time = $now, nasipaddress = '', pool_key = '' WHERE nasipaddress = '%{NAS-IP-Address}'"
	off_clear = "UPDATE \${ippool_table} SET expiry_time = $now, nasipaddress = '', pool_key = '' WHERE nasipaddress = '%{NAS-IP-Address}'"
EOT
}

# cluster_raddb DIR SECRET ADDR NET: FreeRADIUS on ADDR (1812, 1813) for
# the clients in NET with SECRET, on the database start_sql made: users
# from radcheck, accounting into radacct (from LACs and LNSes), and for an
# LNS's requests (NAS-Port-Type Virtual) an address from pool "cluster"
# in the Access-Accept, given back by the Stop (or by the Accounting-On
# or -Off of that LNS).
# With CLUSTER_FILE_USERS=FILE, users named file<I>@... are FreeRADIUS's
# users file FILE instead (file_users): password and address from there,
# accounting to a detail file, no SQL query at all for them.
cluster_raddb()
{
	local dir=$1 secret=$2 addr=$3 net=$4 conn
	local files_mod="" authz="sql" sql_only="" acct_files=""
	if [ -n "${CLUSTER_FILE_USERS:-}" ]; then
		files_mod="files {
		filename = ${CLUSTER_FILE_USERS}
	}
	detail {
		filename = $dir/acct/detail
		escape_filenames = no
		permissions = 0600
		header = \"%t\"
		locking = no
	}"
		authz="if (&User-Name =~ /^file[0-9]+@/) {
			files
		}
		else {
			sql
		}"
		sql_only="!(&User-Name =~ /^file[0-9]+@/) && "
		acct_files="if (&User-Name =~ /^file[0-9]+@/) {
			detail
			ok
			return
		}"
	fi
	mkdir -p "$dir/log" "$dir/run" "$dir/acct"
	cp /etc/freeradius/3.0/dictionary "$dir/dictionary"
	if [ "$SQL_KIND" = postgresql ]; then
		conn="driver = \"rlm_sql_postgresql\"
		dialect = \"postgresql\"
		radius_db = \"dbname=radius host=$PGSOCK user=postgres\""
	else
		conn="driver = \"rlm_sql_sqlite\"
		dialect = \"sqlite\"
		sqlite {
			filename = \"$SQL_DB\"
			busy_timeout = 5000
		}
		radius_db = \"radius\""
	fi
	cat >"$dir/radiusd.conf" <<EOT
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = /var
sbindir = /usr/sbin
logdir = $dir/log
raddbdir = $dir
radacctdir = $dir/acct
name = freeradius
confdir = $dir
modconfdir = /etc/freeradius/3.0/mods-config
run_dir = $dir/run
db_dir = $dir
libdir = /usr/lib/freeradius
pidfile = $dir/run/freeradius.pid
max_request_time = 30
cleanup_delay = 0
max_requests = 16384
hostname_lookups = no
log {
	destination = stdout
	auth = yes
}
security {
	allow_core_dumps = no
	max_attributes = 200
	reject_delay = 0
	status_server = no
}
thread pool {
	start_servers = 4
	max_servers = 4
	min_spare_servers = 1
	max_spare_servers = 4
	max_requests_per_server = 0
}
client cluster {
	ipaddr = $net
	secret = $secret
}
modules {
	pap {
		normalise = yes
	}
	chap {
	}
	# %{tolower:...} of the SQL module's accounting reference
	expr {
	}
	# Accounting answered even when no query changed a row (noop gets
	# no Accounting-Response, RFC 2866 §2 says the NAS retries then).
	always ok {
		rcode = ok
	}
	$files_mod
	sql {
		$conn
		acct_table1 = "radacct"
		acct_table2 = "radacct"
		postauth_table = "radpostauth"
		authcheck_table = "radcheck"
		groupcheck_table = "radgroupcheck"
		authreply_table = "radreply"
		groupreply_table = "radgroupreply"
		usergroup_table = "radusergroup"
		read_groups = no
		delete_stale_sessions = yes
		pool {
			start = 1
			min = 1
			max = 4
			spare = 4
			uses = 0
			retry_delay = 1
			lifetime = 0
			idle_timeout = 0
		}
		client_table = "nas"
		group_attribute = "SQL-Group"
		\$INCLUDE \${modconfdir}/sql/main/\${dialect}/queries.conf
	}
	sqlippool {
		sql_module_instance = "sql"
		dialect = "$SQL_KIND"
		pool_name = "Pool-Name"
		ippool_table = "radippool"
		lease_duration = 3600
		attribute_name = Framed-IP-Address
		req_attribute_name = Framed-IP-Address
		pool_key = "%{NAS-Port}"
$(cluster_ippool_queries)
	}
}
server default {
	listen {
		type = auth
		ipaddr = $addr
		port = 1812
	}
	listen {
		type = acct
		ipaddr = $addr
		port = 1813
	}
	authorize {
		chap
		$authz
		pap
		if (${sql_only}&NAS-Port-Type == Virtual) {
			update control {
				&Pool-Name := "cluster"
			}
		}
	}
	authenticate {
		Auth-Type PAP {
			pap
		}
		Auth-Type CHAP {
			chap
		}
	}
	# radacct's acctuniqueid is unique: FreeRADIUS's acct_unique policy.
	preacct {
		update request {
			&Acct-Unique-Session-Id := "%{md5:%{User-Name},%{Acct-Session-Id},%{NAS-IP-Address},%{NAS-Identifier},%{NAS-Port}}"
		}
	}
	accounting {
		$acct_files
		sql
		# An LNS's records, and every daemon's Accounting-On/Off: the
		# leases of that NAS-IP-Address go back to the pool.
		if (&Acct-Status-Type == Accounting-On || \\
		    &Acct-Status-Type == Accounting-Off) {
			sqlippool
		}
		elsif (&NAS-Port-Type) {
			if (&NAS-Port-Type == Virtual) {
				sqlippool
			}
		}
		ok
	}
	# Debian 12's FreeRADIUS puts no Message-Authenticator in its replies
	# (see lib-radius.sh); one in the reply list is computed when the
	# reply is signed (RFC 2869 §5.14).
	post-auth {
		if (${sql_only}&NAS-Port-Type == Virtual) {
			sqlippool
		}
		update reply {
			&Message-Authenticator := 0x00000000000000000000000000000000
		}
		Post-Auth-Type REJECT {
			update reply {
				&Message-Authenticator := 0x00000000000000000000000000000000
			}
		}
	}
}
EOT
}

# ---- Prometheus (Debian prometheus) over the cluster ------------------------
# The operator's view: a real Prometheus in the radius namespace scrapes
# every LNS's and LAC's /metrics ([global] metrics) as job "vpdn" with the
# role labels contrib/prometheus/vpdn-rules.yml expects, evaluates those
# rules, and (on PostgreSQL) scrapes prometheus-postgres-exporter for the
# central address pool with contrib/prometheus/radippool-queries.yaml, as
# job "radius-sql".  Every second, so a test waits seconds, not minutes.

PROM_PORT=9090
PG_EXPORTER_PORT=9187

# cluster_prometheus_missing: what Prometheus over the cluster lacks here.
cluster_prometheus_missing()
{
	command -v prometheus >/dev/null || echo "prometheus"
	[ "$SQL_KIND" != postgresql ] ||
	    command -v prometheus-postgres-exporter >/dev/null ||
	    echo "prometheus-postgres-exporter"
	command -v curl >/dev/null || echo "curl"
}

# start_pg_exporter DIR: the SQL pool's exporter on 127.0.0.1 of the radius
# namespace (PostgreSQL only); PG_EXPORTER_PID set.
start_pg_exporter()
{
	local dir=$1 queries
	queries=$(cd "$NETNS_DIR/../../contrib/prometheus/postgres-exporter" && pwd)/radippool-queries.yaml
	# The exporter's own metrics of the server are not needed: the pool
	# query alone.
	start_bg radius "$dir/pg-exporter.log" env \
	    DATA_SOURCE_NAME="host=$PGSOCK port=5432 user=postgres dbname=radius sslmode=disable" \
	    prometheus-postgres-exporter \
	    --web.listen-address=127.0.0.1:$PG_EXPORTER_PORT \
	    --extend.query-path="$queries" \
	    --disable-default-metrics --disable-settings-metrics
	PG_EXPORTER_PID=$BG_PID
}

# start_prometheus DIR LNS... -- LAC...: Prometheus with its data in DIR;
# targets are "ADDRESS:PORT" of each daemon's metrics listener.
# PROM_PID set.
start_prometheus()
{
	local dir=$1 rules t role=lns lns="" lac=""
	shift
	for t in "$@"; do
		if [ "$t" = -- ]; then role=lac; continue; fi
		if [ $role = lns ]; then lns="$lns\"$t\", "; else lac="$lac\"$t\", "; fi
	done
	rules=$(cd "$NETNS_DIR/../../contrib/prometheus" && pwd)/vpdn-rules.yml
	mkdir -p "$dir/prom-data"
	cat >"$dir/prometheus.yml" <<EOT
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $rules
scrape_configs:
  - job_name: vpdn
    static_configs:
      - targets: [${lns%, }]
        labels: { role: lns }
      - targets: [${lac%, }]
        labels: { role: lac }
EOT
	if [ "$SQL_KIND" = postgresql ]; then
		cat >>"$dir/prometheus.yml" <<EOT
  - job_name: radius-sql
    static_configs:
      - targets: ["127.0.0.1:$PG_EXPORTER_PORT"]
EOT
	fi
	start_bg radius "$dir/prometheus.log" prometheus \
	    --config.file="$dir/prometheus.yml" \
	    --storage.tsdb.path="$dir/prom-data" \
	    --web.listen-address=127.0.0.1:$PROM_PORT
	PROM_PID=$BG_PID
	wait_for 20 in_ns radius curl -sf -o /dev/null \
	    "http://127.0.0.1:$PROM_PORT/-/ready"
}

# prom_query EXPR: the instant vector EXPR evaluates to, one line per
# series: "INSTANCE VALUE" (INSTANCE "-" where the series has none), sorted.
prom_query()
{
	in_ns radius curl -sf --max-time 5 -G \
	    "http://127.0.0.1:$PROM_PORT/api/v1/query" \
	    --data-urlencode "query=$1" | python3 -c '
import json, sys
d = json.load(sys.stdin)
if d.get("status") != "success":
    sys.exit(1)
rows = []
for r in d["data"]["result"]:
    v = r["value"][1]
    v = str(int(float(v))) if float(v).is_integer() else v
    rows.append("%s %s" % (r["metric"].get("instance", "-"), v))
print("\n".join(sorted(rows)))'
}
