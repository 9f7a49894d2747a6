#!/bin/bash
# Reload while calls wait to authenticate, and reload with a broken users
# file.
#
#   client 10.207.1.2 ==veth== 10.207.1.1 lns (vpdnd, [lns] auth = pap or chap-md5)
#
# A crafted client (tools/ppp_craft.py) opens a call, lets LCP open and then
# holds the link in the Authenticate phase.  Meanwhile the users file gets a
# new password for alice and the LNS reloads (`vpdnctl reload`, then
# SIGHUP); only then does the client send PAP or CHAP with the new password.
# The LNS must stay up, with no sanitizer report, and check the proof
# against the file in force when it arrives.  Then a users file with a
# broken line: `vpdnctl reload` fails with FILE:LINE and a non-zero exit,
# SIGHUP logs the same refusal, and the old file stays in force (the old
# password still authenticates, the one in the broken file does not).
# Last, addresses of sessions that live across reloads moving the pool.
. "$(dirname "$0")/lib.sh"
have_vpdnd || skip_all "no vpdnd/vpdnctl (VPDND=${VPDND:-unset})"
setup_trap

TOOLS="$NETNS_DIR/tools"
C_ADDR=10.207.1.2 L_ADDR=10.207.1.1

# lns_conf NAME AUTH USERS IFACE [POOL]
lns_conf()
{
	vpdnd_global_conf "$1" $L_ADDR:1701 lns.test debug 1 2
	cat <<EOT

[lns]
local-address = 10.207.100.1
pool = ${5:-10.207.100.10-10.207.100.20}
auth = $2
users = $3
interface = $4
EOT
}

# users_file FILE PASSWORD: alice with PASSWORD, written in one rename so
# the LNS never reads half a file.
users_file()
{
	printf 'alice %s *\nbob bob-pw *\n' "$2" >"$1.new" && mv "$1.new" "$1"
}

# craft_start TAG METHOD PASSWORD [USER [hold]]: a crafted client (alice
# unless USER) in the background that holds its link between LCP-open and
# authentication until $TMPD/TAG.go exists; waits until it is there.  With
# hold, a call that passed stays up until craft_end.  CRAFT_PID is set.
craft_start()
{
	local tag=$1
	rm -f "$TMPD/$tag.ready" "$TMPD/$tag.go"
	rm -f "$TMPD/$tag.release"
	start_bg client "$TMPD/$tag.out" python3 "$TOOLS/ppp_craft.py" \
	    $L_ADDR 1701 "$2" "${4:-alice}" "$3" --ready "$TMPD/$tag.ready" \
	    --go "$TMPD/$tag.go" ${5:+--hold "$TMPD/$tag.release"}
	CRAFT_PID=$BG_PID
	wait_for 10 test -e "$TMPD/$tag.ready"
}

# craft_auth TAG: a client started with craft_start ... --hold authenticates
# and keeps its call (with its address) until craft_end TAG.
craft_auth()
{
	touch "$TMPD/$1.go"
	wait_for 10 grep -q "^auth" "$TMPD/$1.out" &&
	    grep -q "^auth ok" "$TMPD/$1.out"
}

craft_end()
{
	touch "$TMPD/$1.release"
	wait "$CRAFT_PID"
}

# craft_finish TAG: lets the client authenticate; its last output line goes
# to CRAFT_OUT, its exit status is returned.  (Not in a command
# substitution: only this shell can wait for the client.)
craft_finish()
{
	local rc
	touch "$TMPD/$1.go"
	wait "$CRAFT_PID"
	rc=$?
	CRAFT_OUT=$(tail -1 "$TMPD/$1.out")
	return $rc
}

# log_count NAME TEXT: how many lines of vpdnd NAME's log contain TEXT.
log_count()
{
	grep -c -F -- "$2" "$TMPD/$1.log"
}

# log_grew NAME TEXT BEFORE: more than BEFORE lines contain TEXT.  For
# wait_for.
log_grew()
{
	[ "$(log_count "$1" "$2")" -gt "$3" ]
}

# reload_by WAY NS NAME PID: `vpdnctl reload` (WAY ctl) or SIGHUP (WAY hup),
# and that it was done.
reload_by()
{
	local way=$1 n=$2 name=$3 pid=$4 before out
	before=$(log_count "$name" "configuration reloaded from")
	if [ "$way" = ctl ]; then
		out=$(vpdnctl_in "$n" "$name" reload 2>&1) || {
			log "vpdnctl reload: $out"
			return 1
		}
		echo "$out" | grep -q reloaded || return 1
	else
		kill -HUP "$pid" || return 1
	fi
	wait_for 5 log_grew "$name" "configuration reloaded from" "$before"
}

# broken_users: a users file with a broken line is refused; the old one
# stays in force.  On lns-pap, after its two reloads (alice has pw-3).
broken_users()
{
	local out rc r before refused
	case_begin
	printf 'alice broken-pw *\nbob\n' >"$USERS"
	out=$(vpdnctl_in lns $LNS reload 2>&1)
	rc=$?
	[ $rc -ne 0 ]
	log_test "broken: vpdnctl reload exits non-zero (exit $rc)" $?
	echo "$out" | grep -q "$USERS:2: "
	r=$?
	[ $r -ne 0 ] && log "vpdnctl said: $out"
	log_test "broken: vpdnctl reload reports $USERS:2: and the reason" $r
	! echo "$out" | grep -q "^reloaded"
	log_test "broken: vpdnctl does not say reloaded" $?
	craft_start broken-old pap pw-3 && craft_finish broken-old
	rc=$?
	[ $rc -ne 0 ] && log "client: $CRAFT_OUT"
	log_test "broken: the old password still passes (old users file in force)" $rc
	craft_start broken-new pap broken-pw && craft_finish broken-new
	echo "$CRAFT_OUT" | grep -q "auth failed"
	log_test "broken: the password of the refused file does not" $?
	refused="reload refused, keeping the running configuration: $USERS:2: "
	before=$(log_count $LNS "$refused")
	kill -HUP "$LNS_PID"
	wait_for 5 log_grew $LNS "$refused" "$before"
	log_test "broken: SIGHUP logs the refusal with $USERS:2:" $?
	craft_start broken-hup pap pw-3 && craft_finish broken-hup
	rc=$?
	[ $rc -ne 0 ] && log "client: $CRAFT_OUT"
	log_test "broken: after SIGHUP the old password still passes" $rc
	case_end $LNS
}

# pool_used NAME: addresses the pool of vpdnd NAME holds in its ranges.
pool_used()
{
	vpdnctl_in lns "$1" show pool --json 2>/dev/null | python3 -c '
import json, sys
print(sum(p["used"] for p in json.load(sys.stdin)["pools"]))' 2>/dev/null
}

# pool_is NAME N: the pool holds N addresses.  For wait_for.
pool_is()
{
	[ "$(pool_used "$1")" = "$2" ]
}

# pool_reload NAME POOL: the same LNS with the pool POOL, reloaded.
pool_reload()
{
	lns_conf "$1" pap "$TMPD/users-pool" vpdn-pool "$2" >"$TMPD/$1.conf" &&
	    vpdnctl_in lns "$1" reload >/dev/null
}

# pool_across_reload: a session keeps its address across reloads that move
# the pool: the address goes back to the pool when it ends even though the
# ranges no longer contain it, and a fixed address that a reload brings
# into the ranges is not handed to a second user.
pool_across_reload()
{
	local name=lns-pool pid
	case_begin
	printf 'bob bob-pw *\nfixed fixed-pw 10.207.100.77\n' >"$TMPD/users-pool"
	lns_conf $name pap "$TMPD/users-pool" vpdn-pool >"$TMPD/$name.conf"
	start_vpdnd lns $name "$TMPD/$name.conf"
	pid=$VPDND_PID
	craft_start pool-bob pap bob-pw bob hold && craft_auth pool-bob
	log_test "pool: bob is up with an address from the pool" $?
	[ "$(pool_used $name)" = 1 ]
	log_test "pool: the pool holds bob's address" $?
	pool_reload $name 10.207.101.10-10.207.101.20 &&
	    [ "$(pool_used $name)" = 0 ]
	log_test "pool: a reload moves the pool away from bob's address" $?
	craft_end pool-bob
	wait_for 10 grep -q "user bob: session ended" "$TMPD/$name.log"
	log_test "pool: bob's call ends" $?
	pool_reload $name 10.207.100.10-10.207.100.20 &&
	    [ "$(pool_used $name)" = 0 ]
	log_test "pool: bob's address went back although it was outside the ranges" $?

	craft_start pool-fixed pap fixed-pw fixed hold && craft_auth pool-fixed
	log_test "pool: fixed is up with 10.207.100.77, outside the pool" $?
	pool_reload $name 10.207.100.77-10.207.100.77 &&
	    [ "$(pool_used $name)" = 1 ]
	log_test "pool: a reload that brings 10.207.100.77 into the pool holds it" $?
	craft_start pool-bob2 pap bob-pw bob && craft_finish pool-bob2
	wait_for 5 grep -q "user bob: address pool exhausted" "$TMPD/$name.log"
	log_test "pool: bob is not given fixed's address" $?
	craft_end pool-fixed
	wait_for 10 pool_is $name 0
	log_test "pool: fixed's address goes back to the pool when it ends" $?
	case_end $name
	vpdnd_sane $name "$pid"
	log_test "$name exits 0 on SIGTERM, no sanitizer report" $?
}

# ---- main -------------------------------------------------------------------

create_ns_pair client $C_ADDR lns $L_ADDR || exit 1

for method in pap chap-md5; do
	case_begin
	LNS=lns-$method
	USERS=$TMPD/users-$method
	craft=${method%-md5}
	k=1
	users_file "$USERS" "pw-$k"
	lns_conf $LNS $method "$USERS" "vpdn-$craft" >"$TMPD/$LNS.conf"
	start_vpdnd lns $LNS "$TMPD/$LNS.conf"
	LNS_PID=$VPDND_PID
	for way in ctl hup; do
		tag=$method-$way
		craft_start "$tag" "$craft" "pw-$((k + 1))"
		log_test "$tag: the crafted client holds a link after LCP-open" $?
		k=$((k + 1))
		users_file "$USERS" "pw-$k"
		reload_by $way lns $LNS "$LNS_PID"
		log_test "$tag: the LNS reloads a new users file meanwhile" $?
		craft_finish "$tag"
		rc=$?
		[ $rc -ne 0 ] && log "client: $CRAFT_OUT"
		log_test "$tag: $craft after the reload passes with the new password" $rc
		alive "$LNS_PID"
		log_test "$tag: the LNS is still running" $?
	done
	case_end $LNS
	[ $method = pap ] && broken_users
	vpdnd_sane $LNS "$LNS_PID"
	log_test "$LNS exits 0 on SIGTERM, no sanitizer report" $?
done
pool_across_reload

finish
