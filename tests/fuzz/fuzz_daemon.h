/*
 * fuzz_daemon.h — the input language of fuzz_daemon.c, shared with the seed
 * generator (gen_corpus.c).
 *
 * Byte 0 chooses the configuration the daemon starts with (DAEMON_VARIANTS).
 * Then operations follow, each an op byte (taken modulo DOP_COUNT) and its
 * argument bytes; bytes missing at the end read as 0.  "t" below is a byte
 * whose bit 0 chooses the scripted LAC peer (tunnel 0 or 1) and bit 1 the
 * call slot on it (0 or 1); with bit 2 set it chooses instead PPPoE client
 * bit 0 of the daemon's own LAC, which tunnels realm lns.fuzz to the
 * daemon's own LNS.
 */
#ifndef VPDN_TESTS_FUZZ_DAEMON_H
#define VPDN_TESTS_FUZZ_DAEMON_H

enum daemon_op {
	/* t: SCCRQ/SCCCN if the peer has no tunnel, then ICRQ/ICCN; for a
	 * PPPoE client PADI/PADR. */
	DOP_CALL,
	/* t: our LCP Configure-Request, then Configure-Ack of the LNS's
	 * latest one (on an opened link: a renegotiation). */
	DOP_LCP,
	/* t, u: authenticate as user u % 4 (bit 2: wrong password) with PAP,
	 * or with CHAP-MD5 once the LNS has sent a Challenge. */
	DOP_AUTH,
	/* t: IPCP Configure-Request (the address the LNS offered, if any),
	 * again after a Nak, and Configure-Ack of the LNS's request. */
	DOP_IPCP,
	/* t, k, m, then m pairs (pos, byte): PPP template k % DAEMON_TEMPLATES
	 * with bytes overwritten, on the call. */
	DOP_PPP,
	/* t, n, n bytes: a raw datagram from peer t. */
	DOP_RAW,
	/* a: an IPv4 packet from the TUN side to address a (DAEMON_ADDRS). */
	DOP_TUN,
	/* t: an IPv4 packet from the call, from the address it was given. */
	DOP_IP,
	/* v: reload with configuration v % DAEMON_VARIANTS. */
	DOP_RELOAD,
	/* d: advance the clock by d * d * 10 ms, running timers; bit 0 of d
	 * also acknowledges what the peers were sent (ZLB). */
	DOP_TIME,
	/* t, w: end something: w % 4 = CDN from the peer (PADT from a
	 * PPPoE client), StopCCN from the peer (PADT), `vpdnctl disconnect
	 * user` (user w / 4 % 4), LCP Terminate-Request. */
	DOP_END,
	DOP_COUNT
};

#define DAEMON_VARIANTS	 4
#define DAEMON_TEMPLATES 10
#define DAEMON_ADDRS	 8

#endif
