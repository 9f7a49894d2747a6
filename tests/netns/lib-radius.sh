# FreeRADIUS for the netns scenarios that authenticate or account through
# RADIUS (t-radius.sh, t-lac-radius.sh).  Sourced after lib.sh:
#
#	. "$(dirname "$0")/lib.sh"
#	. "$(dirname "$0")/lib-radius.sh"
#	radius_raddb "$RADDB" "$SECRET" "$DETAIL" no <<EOT
#	alice	Cleartext-Password := "wonderland"
#	EOT
#	start_freeradius lns "$RADDB"

# radius_raddb DIR SECRET DETAIL MSCHAP: writes to DIR a FreeRADIUS 3
# configuration with just what a test needs, the users file (the "files"
# module's authorize) read from stdin.  It listens on 127.0.0.1 (auth 1812,
# acct 1813) for the one client 127.0.0.1 with SECRET, checks PAP, CHAP and,
# if MSCHAP is "yes", MS-CHAP, and the detail module writes accounting to
# DETAIL.  The dictionaries come from the package (/usr/share/freeradius).
radius_raddb()
{
	local dir=$1 secret=$2 detail=$3 mschap=$4
	local mod_mschap="" authz_mschap="" auth_mschap=""
	if [ "$mschap" = yes ]; then
		mod_mschap=$'\tmschap {\n\t}\n'
		authz_mschap=$'\t\tmschap\n'
		auth_mschap=$'\t\tAuth-Type MS-CHAP {\n\t\t\tmschap\n\t\t}\n'
	fi
	mkdir -p "$dir/mods-config/files" "$dir/log" "$dir/run"
	cp /etc/freeradius/3.0/dictionary "$dir/dictionary"
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
modconfdir = $dir/mods-config
run_dir = $dir/run
db_dir = $dir
libdir = /usr/lib/freeradius
pidfile = $dir/run/freeradius.pid
max_request_time = 30
cleanup_delay = 0
max_requests = 1024
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
	start_servers = 1
	max_servers = 4
	min_spare_servers = 1
	max_spare_servers = 4
	max_requests_per_server = 0
}
client local {
	ipaddr = 127.0.0.1
	secret = $secret
}
modules {
	pap {
		normalise = yes
	}
	chap {
	}
${mod_mschap}	files {
		filename = \${modconfdir}/files/authorize
	}
	detail {
		filename = $detail
		permissions = 0600
		header = "%t"
	}
}
server default {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = 1812
	}
	listen {
		type = acct
		ipaddr = 127.0.0.1
		port = 1813
	}
	authorize {
		chap
${authz_mschap}		files
		pap
	}
	authenticate {
		Auth-Type PAP {
			pap
		}
		Auth-Type CHAP {
			chap
		}
${auth_mschap}	}
	preacct {
	}
	accounting {
		detail
	}
	# Debian 12's FreeRADIUS (3.2.1+dfsg-4+deb12u1) predates the
	# Blast-RADIUS fix and puts no Message-Authenticator in its replies;
	# one in the reply list is computed when the reply is signed (RFC
	# 2869 §5.14), which vpdnd requires by default.  The user
	# "no-msgauth" gets replies without one, as from an old server.
	post-auth {
		if (&User-Name != "no-msgauth") {
			update reply {
				&Message-Authenticator := 0x00000000000000000000000000000000
			}
		}
		Post-Auth-Type REJECT {
			update reply {
				&Message-Authenticator := 0x00000000000000000000000000000000
			}
		}
	}
}
EOT
	cat >"$dir/mods-config/files/authorize"
}

# start_freeradius NS DIR: `freeradius -X` in the foreground inside NS with
# the configuration radius_raddb wrote to DIR, logging to $TMPD/radius.log
# (a restart starts that log afresh); returns once it serves requests.
# RADIUS_PID is set.
start_freeradius()
{
	start_bg "$1" "$TMPD/radius.log" freeradius -X -f -d "$2"
	RADIUS_PID=$BG_PID
	wait_for 10 grep -q "Ready to process requests" "$TMPD/radius.log"
}
