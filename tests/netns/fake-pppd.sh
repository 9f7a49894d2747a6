#!/bin/sh
# Stand-in for /usr/sbin/pppd under xl2tpd in the netns tests.  This machine
# has no /dev/ppp, so a real pppd would exit at once and xl2tpd would tear
# the call down with it.  The tests check L2TP control behaviour only, so the
# stand-in ignores its arguments and the pty xl2tpd hands it and just stays
# alive until xl2tpd ends the call with SIGTERM (which sleep dies of, so no
# orphan is left).  lib.sh bind-mounts it over /usr/sbin/pppd inside a
# private mount namespace; the host's pppd is never touched.
exec sleep 2147483647
