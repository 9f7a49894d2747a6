#!/bin/bash
# Interop, roles reversed: vpdnd in its client role (namespace "lac", a
# [client] section dialling out: SCCRQ/SCCRP/SCCCN then ICRQ/ICRP/ICCN for
# one session) against xl2tpd as LNS (namespace "lns", "[lns default]"; its
# pppd is the sleeping stand-in).  Captured on the vpdnd side; every L2TP
# message vpdnd sent must dissect without expert warnings.
#
# xl2tpd 1.3.x as LNS, found by experiment: when its pppd exits it sends CDN
# for the call (that is how the xl2tpd side tears a session down here); on
# SIGTERM it exits without sending StopCCN, so that is not a usable teardown.
. "$(dirname "$0")/lib.sh"
require_cmds xl2tpd tshark
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
setup_trap

CLI_ADDR=10.200.2.1
LNS_ADDR=10.200.2.2

create_ns_pair lac $CLI_ADDR lns $LNS_ADDR || exit 1

# vpdnd_client_conf NAME SECRET HIDE: vpdnd configuration with one client.
vpdnd_client_conf()
{
	local name=$1 secret=$2 hide=$3
	vpdnd_global "$name" $CLI_ADDR vpdnd-client
	cat <<EOT
[client corp]
lns = $LNS_ADDR
user = alice
password = wonderland
auth = chap-md5, pap
interface = vpdn-corp
routes = 10.201.0.0/24
default-route = no
redial = no
EOT
	if [ -n "$secret" ]; then
		echo "tunnel-secret = $secret"
		echo "hide-avps = $hide"
	fi
}

# client_case TAG VPDND_SECRET XL2TPD_SECRET CHALLENGE HIDE TEARDOWN EXPECT
#   CHALLENGE: xl2tpd's "challenge"; HIDE: vpdnd hide-avps and xl2tpd hidden
#   bit; TEARDOWN: cdn (xl2tpd's pppd ends -> CDN; the client must then drop
#   its tunnel, INTERFACE.md), ctl (vpdnctl disconnect tunnel), term
#   (SIGTERM to vpdnd); EXPECT: up or refused (vpdnd must find the bad
#   Challenge Response in xl2tpd's SCCRP and send StopCCN, RFC 2661 §5.1.1).
client_case_inner()
{
	local tag=$1 vsec=$2 xsec=$3 chal=$4 hide=$5 down=$6 expect=$7
	local d="$TMPD/$tag" cap vname="vpdnd-$tag" xname="xlns-$tag"
	local vpid xpid j tid pp

	mkdir -p "$d"
	case_begin
	vpdnd_client_conf "$vname" "$vsec" "$hide" >"$d/vpdnd.conf"
	render "$XL2TPD_TPL/secrets.in" "$d/secrets" SECRET="${xsec:-unused}"
	render "$XL2TPD_TPL/lns.conf.in" "$d/lns.conf" LOCAL=$LNS_ADDR \
	    SECRETS="$d/secrets" HOSTNAME=xl2tpd-lns CHALLENGE=$chal \
	    HIDDEN=$hide PPPOPT="$XL2TPD_TPL/ppp-options"
	cap="$d/client.pcap"
	start_capture lac "$(veth_name lns)" "$cap" ||
	    log "capture did not start ($tag)"

	start_xl2tpd lns "$xname" "$d/lns.conf" "$d/secrets"
	xpid=$XL2TPD_PID
	start_vpdnd lac "$vname" "$d/vpdnd.conf"
	log_test "$tag: vpdnd starts and answers on its control socket" $?
	vpid=$VPDND_PID

	if [ "$expect" = refused ]; then
		xl2tpd_interop_refused lac "$tag" "$vname" "$xname"
		vpdnd_sane "$vname" "$vpid"
		log_test "$tag: vpdnd exits 0 on SIGTERM, no sanitizer report" $?
		stop_pid "$xpid"
		stop_capture
		has_msg "$cap" $CLI_ADDR 1 4
		log_test "$tag: vpdnd sent SCCRQ, then StopCCN for the bad response" $?
		# RFC 2661 §4.4.2: StopCCN Result Code 4, "Requester is not
		# authorized to establish a control channel".
		tmatch "$cap" "ip.src == $CLI_ADDR && l2tp.avp.message_type == 4 && l2tp.result_code == 4"
		log_test "$tag: ... with Result Code 4 (not authorized)" $?
		! has_msg "$cap" $CLI_ADDR 3 >/dev/null 2>&1 &&
		    ! has_msg "$cap" $CLI_ADDR 10 >/dev/null 2>&1
		log_test "$tag: vpdnd sent no SCCCN and no ICRQ" $?
		expert_clean "$cap" $CLI_ADDR
		log_test "$tag: vpdnd's messages dissect cleanly" $?
		return
	fi

	xl2tpd_interop_up lac "$tag" "$vname" "$xname"
	j=$(vpdnctl_in lac "$vname" show tunnels --json 2>/dev/null)
	[ "$(json_field "$j" tunnels 0 role 2>/dev/null)" = client ] &&
	    [ "$(json_field "$j" tunnels 0 peer_hostname 2>/dev/null)" = xl2tpd-lns ] &&
	    [ "$(json_field "$j" tunnels 0 peer 2>/dev/null)" = "$LNS_ADDR:1701" ]
	log_test "$tag: show tunnels: role client, peer, peer_hostname" $?
	tid=$(json_field "$j" tunnels 0 local_id 2>/dev/null)
	log "$tag: $(vpdnctl_in lac "$vname" show sessions --json 2>&1)"
	j=$(vpdnctl_in lac "$vname" show sessions --json 2>/dev/null)
	[ "$(json_field "$j" sessions 0 role 2>/dev/null)" = client ] &&
	    [ "$(json_field "$j" sessions 0 tunnel_local_id 2>/dev/null)" = "$tid" ]
	log_test "$tag: show sessions: role client, in tunnel $tid" $?

	case $down in
	cdn)
		pp=$(sed -n 's/.*Call established with .*PID: \([0-9]*\),.*/\1/p' \
		    "$TMPD/$xname.log" | head -1)
		# The stand-in runs inside our namespace: kill it by its PID.
		if [ -n "$pp" ] && ip netns pids "$(ns lns)" | grep -qx "$pp"; then
			kill "$pp"
		fi
		wait_for 10 vpdnd_none_live lac "$vname" sessions
		log_test "$tag: CDN from xl2tpd -> vpdnd shows 0 sessions" $?
		wait_for 10 vpdnd_none_live lac "$vname" tunnels
		log_test "$tag: ... and the client drops its tunnel" $?
		wait_for 12 vpdnd_state_is lac "$vname" tunnels 0 any
		log_test "$tag: closing tunnel freed after the §5.7 hold" $?
		vpdnd_sane "$vname" "$vpid"
		log_test "$tag: vpdnd exits 0 on SIGTERM, no sanitizer report" $?
		;;
	ctl)
		xl2tpd_interop_ctl_down lac "$tag" "$vname" "$xname" "$tid" $CLI_ADDR
		vpdnd_sane "$vname" "$vpid"
		log_test "$tag: vpdnd exits 0 on SIGTERM, no sanitizer report" $?
		;;
	term)
		xl2tpd_interop_term_down "$tag" "$vname" "$vpid" "$xname" $CLI_ADDR
		;;
	esac
	stop_pid "$xpid"
	stop_capture

	has_msg "$cap" $CLI_ADDR 1 3 10 12 4
	log_test "$tag: vpdnd sent SCCRQ, SCCCN, ICRQ, ICCN, StopCCN" $?
	if [ "$down" = cdn ]; then
		has_msg "$cap" $LNS_ADDR 14
		log_test "$tag: xl2tpd sent CDN" $?
	fi
	# As client, vpdnd sends its Challenge in SCCRQ and the Challenge
	# Response to the LNS's Challenge in SCCCN.
	vpdnd_sent_checks "$tag" "$cap" $CLI_ADDR "$vsec" "$chal" "$hide" \
	    SCCRQ SCCCN "$d"
}

client_case()
{
	local tag=$1
	client_case_inner "$@"
	case_end "vpdnd-$tag" "xlns-$tag"
}

#           tag      vpdnd-secret xl2tpd-secret chal hide down expect
client_case noauth   ""           ""            no   no   cdn  up
client_case auth     s3cret-x     s3cret-x      yes  no   ctl  up
client_case hidden   s3cret-x     s3cret-x      yes  yes  term up
client_case badsec   s3cret-x     wrong-y       yes  no   term refused
finish
