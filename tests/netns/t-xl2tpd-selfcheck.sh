#!/bin/bash
# Proves the harness itself: xl2tpd LAC <-> xl2tpd LNS in two namespaces,
# with the pppd stand-in, captured with tshark.  If this fails, the vpdnd
# interop scenarios cannot be trusted either.
. "$(dirname "$0")/lib.sh"
require_cmds xl2tpd tshark
setup_trap

LAC_ADDR=10.200.1.1
LNS_ADDR=10.200.1.2

create_ns_pair lac $LAC_ADDR lns $LNS_ADDR || exit 1

# run_pair AUTH HIDDEN: one tunnel + call up and down; one log_test per check.
run_pair()
{
	local auth=$1 hidden=$2 tag="auth=$1 hidden=$2" cap rc
	local d="$TMPD/$auth-$hidden"
	mkdir -p "$d"
	render "$XL2TPD_TPL/secrets.in" "$d/secrets" SECRET=interop-secret
	render "$XL2TPD_TPL/lns.conf.in" "$d/lns.conf" LOCAL=$LNS_ADDR \
	    SECRETS="$d/secrets" HOSTNAME=xl2tpd-lns CHALLENGE=$auth \
	    HIDDEN=$hidden PPPOPT="$XL2TPD_TPL/ppp-options"
	render "$XL2TPD_TPL/lac.conf.in" "$d/lac.conf" LOCAL=$LAC_ADDR \
	    SECRETS="$d/secrets" LACNAME=peer PEER=$LNS_ADDR \
	    HOSTNAME=xl2tpd-lac CHALLENGE=$auth HIDDEN=$hidden \
	    PPPOPT="$XL2TPD_TPL/ppp-options"
	cap="$d/lns.pcap"
	start_capture lns "$(veth_name lac)" "$cap"
	log_test "capture starts ($tag)" $?

	start_xl2tpd lns "xlns-$auth-$hidden" "$d/lns.conf" "$d/secrets"
	local lns_pid=$XL2TPD_PID
	start_xl2tpd lac "xlac-$auth-$hidden" "$d/lac.conf" "$d/secrets"
	local lac_pid=$XL2TPD_PID
	xl2tpd_ctl "xlac-$auth-$hidden" "c peer"
	wait_for 10 grep -q "Call established" "$TMPD/xlac-$auth-$hidden.log"
	log_test "xl2tpd LAC call established ($tag)" $?
	wait_for 5 grep -q "Call established" "$TMPD/xlns-$auth-$hidden.log"
	log_test "xl2tpd LNS call established ($tag)" $?

	xl2tpd_ctl "xlac-$auth-$hidden" "d peer"
	wait_for 10 grep -q "Connection closed to" "$TMPD/xlns-$auth-$hidden.log"
	log_test "tunnel torn down from the LAC ($tag)" $?
	stop_pid $lac_pid
	stop_pid $lns_pid
	stop_capture

	has_msg "$cap" $LAC_ADDR 1 3 10 12 4
	log_test "LAC sent SCCRQ SCCCN ICRQ ICCN StopCCN ($tag)" $?
	has_msg "$cap" $LNS_ADDR 2 11 ZLB
	log_test "LNS sent SCCRP ICRP ZLB ($tag)" $?
	expert_clean "$cap" $LNS_ADDR
	log_test "LNS messages dissect cleanly ($tag)" $?
	if [ "$hidden" = yes ]; then
		n=$(tshark -n -r "$cap" -Y "l2tp.avp.hidden == 1" -T fields -e frame.number 2>/dev/null | wc -l)
		log "frames with hidden AVPs ($tag): $n"
	fi
}

run_pair no no
run_pair yes no
run_pair yes yes
finish
