#!/bin/bash
# PPP authentication back-off: with auth-failure-limit = 3, three wrong
# passwords for one user from one client lock the user (and the client's
# address) out for auth-lockout seconds.  During the lockout the right
# password is refused like a wrong one, without a second log line for the
# lockout; it is counted in show stats; once the lockout is over the right
# password works again.
. "$(dirname "$0")/lib.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
setup_trap

PC=10.200.7.2 LNS=10.200.7.1
LOCKOUT=8
create_ns_pair pc $PC lns $LNS || exit 1

{
	vpdnd_global_conf lns $LNS:1701 lns.test debug 60 2
	echo "auth-failure-limit = 3"
	echo "auth-lockout = $LOCKOUT"
	echo
	pool_lns_section 10.9.7.1 10.9.7.10-10.9.7.20 "$TMPD/users"
} >"$TMPD/lns.conf"
echo "dave rightpw" >"$TMPD/users"

# failures: "authentication of dave failed" lines in the LNS log.
failures() { grep -c 'authentication of "dave" failed' "$TMPD/lns.log"; }
more_failures() { [ "$(failures)" -gt "$1" ]; }

# dial NAME PASSWORD: a client vpdnd for dave; CL_PID set.
dial()
{
	{
		vpdnd_global "$1" $PC pc.test
		echo
		one_client_section corp $LNS dave "$2"
	} >"$TMPD/$1.conf"
	start_vpdnd pc "$1" "$TMPD/$1.conf"
	CL_PID=$VPDND_PID
}

# wrong NAME: one dial with a wrong password, refused.
wrong()
{
	local n
	n=$(failures)
	dial "$1" wrongpw
	wait_for 10 more_failures "$n"
	local rc=$?
	stop_pid "$CL_PID"
	wait_for 10 vpdnd_state_is lns lns sessions 0 established
	return $rc
}

case_begin
start_vpdnd lns lns "$TMPD/lns.conf"
LNS_PID=$VPDND_PID
for i in 1 2 3; do
	wrong "bad$i"
	log_test "wrong password $i refused" $?
done
[ "$(grep -c 'auth: user "dave" locked out' "$TMPD/lns.log")" = 1 ] &&
    grep -q "auth: peer $PC locked out" "$TMPD/lns.log"
log_test "the third failure locks out user and peer, logged once each" $?
t0=$(date +%s)

n=$(failures)
dial locked rightpw
wait_for 10 more_failures "$n" && ! vpdnd_any_network lns lns
log_test "during the lockout the right password is refused" $?
grep -q 'locked out; refused' "$TMPD/lns.log" &&
    grep 'auth: .*"dave" failed' "$TMPD/lns.log" | tail -1 | grep -q ': authentication failed$'
log_test "the refusal reads like a wrong password's" $?
stop_pid "$CL_PID"
wait_for 10 vpdnd_state_is lns lns sessions 0 established
[ "$(grep -c 'auth: user "dave" locked out' "$TMPD/lns.log")" = 1 ]
log_test "no second lockout line for attempts during the lockout" $?
j=$(vpdnctl_in lns lns show stats --json)
jtrue "$j" 'd["security"]["auth-lockout"] == 2 and d["security"]["auth-locked-attempt"] >= 1'
log_test "show stats counts the lockouts and the refused attempt" $?

s=$((LOCKOUT + 1 - ($(date +%s) - t0)))
[ "$s" -gt 0 ] && sleep "$s"
dial good rightpw
wait_for 15 vpdnd_any_network lns lns
log_test "after the lockout the right password works" $?
stop_pid "$CL_PID"
vpdnd_sane lns "$LNS_PID"
log_test "LNS exits 0, no sanitizer report" $?
case_end lns
finish
