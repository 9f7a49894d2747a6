#!/bin/bash
# Interop: xl2tpd as LAC (namespace "lac") against vpdnd as LNS (namespace
# "lns") over one veth link.  Each case starts both daemons and a tshark
# capture on the LNS side afresh, brings a tunnel and one session up (or
# fails to, for a wrong secret), tears it down from one side, and then checks
# the capture: every L2TP message vpdnd sent dissects without expert
# warnings, and the expected message types are there.
#
# xl2tpd 1.3.x facts this relies on (found by experiment, see the selfcheck):
#  - "challenge = yes" makes it send a Challenge AVP (RFC 2661 §5.1.1) and
#    check the peer's Challenge Response; it answers a peer's Challenge
#    whenever its secrets file has a secret, even with "challenge = no".
#  - "hidden bit = yes" makes it send Random Vector AVPs but it never sets
#    the H bit itself; it does accept (unhide) hidden AVPs that it receives.
. "$(dirname "$0")/lib.sh"
require_cmds xl2tpd tshark
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
setup_trap

LAC_ADDR=10.200.1.1
LNS_ADDR=10.200.1.2

create_ns_pair lac $LAC_ADDR lns $LNS_ADDR || exit 1

# vpdnd_lns_conf NAME SECRET HIDE: vpdnd LNS configuration on stdout.
vpdnd_lns_conf()
{
	local name=$1 secret=$2 hide=$3
	vpdnd_global "$name" $LNS_ADDR vpdnd-lns
	cat <<EOT
[lns]
hide-avps = $hide
local-address = 10.9.0.1
pool = 10.9.0.10-10.9.0.50
auth = chap-md5, pap
users = $TMPD/users
interface = vpdn0
mtu = 1400
EOT
	[ -n "$secret" ] && echo "tunnel-secret = $secret"
}

echo "alice@corp.example  wonderland  *" >"$TMPD/users"

# lac_case TAG VPDND_SECRET XL2TPD_SECRET CHALLENGE HIDE TEARDOWN EXPECT
#   CHALLENGE: xl2tpd's "challenge" (yes/no); HIDE: vpdnd hide-avps and
#   xl2tpd hidden bit; TEARDOWN: lac (xl2tpd disconnect-lac), ctl (vpdnctl
#   disconnect tunnel), term (SIGTERM to vpdnd); EXPECT: up, refused-by-lac
#   (xl2tpd finds the bad secret) or refused-by-lns (vpdnd must find it).
lac_case_inner()
{
	local tag=$1 vsec=$2 xsec=$3 chal=$4 hide=$5 down=$6 expect=$7
	local d="$TMPD/$tag" cap vname="vpdnd-$tag" xname="xlac-$tag"
	local vpid xpid j tid

	mkdir -p "$d"
	case_begin
	vpdnd_lns_conf "$vname" "$vsec" "$hide" >"$d/vpdnd.conf"
	render "$XL2TPD_TPL/secrets.in" "$d/secrets" SECRET="${xsec:-unused}"
	render "$XL2TPD_TPL/lac.conf.in" "$d/lac.conf" LOCAL=$LAC_ADDR \
	    SECRETS="$d/secrets" LACNAME=peer PEER=$LNS_ADDR \
	    HOSTNAME=xl2tpd-lac CHALLENGE=$chal HIDDEN=$hide \
	    PPPOPT="$XL2TPD_TPL/ppp-options"
	cap="$d/lns.pcap"
	start_capture lns "$(veth_name lac)" "$cap" ||
	    log "capture did not start ($tag)"

	start_vpdnd lns "$vname" "$d/vpdnd.conf"
	log_test "$tag: vpdnd starts and answers on its control socket" $?
	vpid=$VPDND_PID
	start_xl2tpd lac "$xname" "$d/lac.conf" "$d/secrets"
	xpid=$XL2TPD_PID
	xl2tpd_ctl "$xname" "c peer"

	if [ "$expect" != up ]; then
		# The tunnel must not come up.
		xl2tpd_interop_refused lns "$tag" "$vname" "$xname"
		stop_pid "$xpid"
		vpdnd_sane "$vname" "$vpid"
		log_test "$tag: vpdnd exits 0 on SIGTERM, no sanitizer report" $?
		stop_capture
		has_msg "$cap" $LNS_ADDR 2
		log_test "$tag: vpdnd sent SCCRP" $?
		# Whoever found the bad secret sends StopCCN (RFC 2661 §5.1.1:
		# the tunnel MUST be torn down).
		if [ "$expect" = refused-by-lns ]; then
			has_msg "$cap" $LNS_ADDR 4
			log_test "$tag: vpdnd refused the Challenge Response with StopCCN" $?
			# RFC 2661 §4.4.2: StopCCN Result Code 4, "Requester is
			# not authorized to establish a control channel".
			tmatch "$cap" "ip.src == $LNS_ADDR && l2tp.avp.message_type == 4 && l2tp.result_code == 4"
			log_test "$tag: ... with Result Code 4 (not authorized)" $?
		else
			has_msg "$cap" $LNS_ADDR 4 || has_msg "$cap" $LAC_ADDR 4
			log_test "$tag: StopCCN ends the unauthenticated tunnel" $?
		fi
		! has_msg "$cap" $LNS_ADDR 11 2>/dev/null >/dev/null
		log_test "$tag: vpdnd answered no ICRQ" $?
		expert_clean "$cap" $LNS_ADDR
		log_test "$tag: vpdnd's messages dissect cleanly" $?
		return
	fi

	xl2tpd_interop_up lns "$tag" "$vname" "$xname"
	j=$(vpdnctl_in lns "$vname" show tunnels --json 2>/dev/null)
	[ "$(json_field "$j" tunnels 0 role 2>/dev/null)" = lns ] &&
	    [ "$(json_field "$j" tunnels 0 peer_hostname 2>/dev/null)" = xl2tpd-lac ] &&
	    [ "$(json_field "$j" tunnels 0 sessions 2>/dev/null)" = 1 ]
	log_test "$tag: show tunnels: role lns, peer_hostname, 1 session" $?
	tid=$(json_field "$j" tunnels 0 local_id 2>/dev/null)
	log "$tag: $(vpdnctl_in lns "$vname" show sessions --json 2>&1)"
	vpdnctl_in lns "$vname" show sessions >/dev/null 2>&1 &&
	    vpdnctl_in lns "$vname" show tunnels >/dev/null 2>&1
	log_test "$tag: human-readable show tunnels/sessions succeed" $?

	case $down in
	lac)
		xl2tpd_ctl "$xname" "d peer"
		wait_for 10 vpdnd_none_live lns "$vname" tunnels
		log_test "$tag: xl2tpd disconnect-lac -> vpdnd shows no live tunnel" $?
		vpdnd_none_live lns "$vname" sessions
		log_test "$tag: ... and 0 sessions" $?
		# The closing tunnel is held for one retransmission cycle
		# (RFC 2661 §5.7; 1+2+4 s with retransmit-max 2), then freed.
		wait_for 12 vpdnd_state_is lns "$vname" tunnels 0 any
		log_test "$tag: closing tunnel freed after the §5.7 hold" $?
		stop_pid "$xpid"
		vpdnd_sane "$vname" "$vpid"
		log_test "$tag: vpdnd exits 0 on SIGTERM, no sanitizer report" $?
		;;
	ctl)
		xl2tpd_interop_ctl_down lns "$tag" "$vname" "$xname" "$tid" $LNS_ADDR
		stop_pid "$xpid"
		vpdnd_sane "$vname" "$vpid"
		log_test "$tag: vpdnd exits 0 on SIGTERM, no sanitizer report" $?
		;;
	term)
		xl2tpd_interop_term_down "$tag" "$vname" "$vpid" "$xname" $LNS_ADDR
		stop_pid "$xpid"
		;;
	esac
	stop_capture

	has_msg "$cap" $LNS_ADDR 2 11 ZLB
	log_test "$tag: vpdnd sent SCCRP, ICRP, ZLB" $?
	if [ "$down" != lac ]; then
		has_msg "$cap" $LNS_ADDR 4
		log_test "$tag: vpdnd sent StopCCN" $?
	fi
	# As LNS, vpdnd's SCCRP carries its Challenge, and the Challenge
	# Response when the LAC sent a Challenge.
	vpdnd_sent_checks "$tag" "$cap" $LNS_ADDR "$vsec" "$chal" "$hide" \
	    SCCRP SCCRP "$d"
}

lac_case()
{
	local tag=$1
	lac_case_inner "$@"
	case_end "vpdnd-$tag" "xlac-$tag"
}

#        tag        vpdnd-secret xl2tpd-secret chal hide down  expect
lac_case noauth     ""           ""            no   no   lac   up
lac_case auth       s3cret-x     s3cret-x      yes  no   ctl   up
lac_case hidden     s3cret-x     s3cret-x      yes  yes  term  up
# xl2tpd challenges and checks vpdnd's response: xl2tpd refuses.
lac_case badsec-x   s3cret-x     wrong-y       yes  no   lac   refused-by-lac
# only vpdnd challenges: vpdnd must refuse xl2tpd's response in SCCCN.
lac_case badsec-v   s3cret-x     wrong-y       no   no   lac   refused-by-lns
finish
