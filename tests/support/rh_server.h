/*
 * rh_server.h — scripted servers for the client role (roles/client.c) in a
 * role harness (role_harness.h): an LNS the client dials over L2TP, and a
 * PPPoE access concentrator it discovers.  Both run the server side of PPP
 * towards the client: LCP (Ack whatever the client asks, ask for the
 * configured authentication), PAP or CHAP-MD5 checked against one user,
 * and IPCP giving an address and up to two DNS servers (RFC 1332, 1877).
 *
 * A server hooks into the harness's fake (fake_io.send or
 * fake_io.pppoe_sent, keeping the harness's own recording) and queues what
 * the client sends; it answers only when pumped, never from inside a call
 * into the roles.  rh_lns_run / rh_ac_run move the clock as rh_advance
 * does and pump after every timer run, so retransmissions, LCP echoes and
 * redials are answered on the way.
 *
 *   struct role_harness *h = rh_new("[client c]\nlns = 203.0.113.1\n...");
 *   struct rh_lns *l = rh_lns_new(h, "203.0.113.1", 1701);
 *   rh_lns_run(l, 100);                dial: SCCRQ ... IPCP up
 *   ... assert on l->ppp.up, h->io (TUN, routes), roles_foreach_client ...
 *   rh_lns_hangup(l, 3);               CDN
 *   rh_lns_free(l); rh_free(h);
 */
#ifndef VPDN_TESTS_SUPPORT_RH_SERVER_H
#define VPDN_TESTS_SUPPORT_RH_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "role_harness.h"

#define RH_SRV_QUEUE 32 /* datagrams or frames waiting for a pump */
#define RH_SRV_DIALS 32 /* dial times kept */

enum rh_auth {
	RH_AUTH_NONE,
	RH_AUTH_PAP,	  /* RFC 1334 */
	RH_AUTH_CHAP_MD5, /* RFC 1994 */
};

/* The server side of one PPP link: what it asks and what it saw. */
struct rh_ppp_server {
	/* Set by the test (rh_lns_new/rh_ac_new fill in defaults). */
	enum rh_auth auth;	 /* PAP */
	char user[32], pass[32]; /* "alice", "secret" */
	uint32_t local;		 /* ours: 10.99.0.1 */
	uint32_t give;		 /* the client's: 10.99.0.2 */
	uint32_t dns[2];	 /* 0: Configure-Reject the option */
	/* Read by the test. */
	bool lcp_open; /* both Configure-Requests Ack'd */
	bool auth_ok, auth_failed;
	bool up;	 /* IPCP open both ways */
	bool terminated; /* the client sent Terminate-Request */
	/* LCP Protocol-Rejects from the client of IPCP and IPv6CP. */
	unsigned ipcp_rejected, ipv6cp_rejected;
	unsigned echo_replies;
	uint64_t ip_rx; /* IP packets the client sent */
	uint8_t ip_last[RH_DGRAM];
	size_t ip_last_len;
	/* Internal. */
	uint8_t id;
	bool lcp_sent, lcp_acked, lcp_ack_sent;
	bool ipcp_sent, ipcp_acked, ipcp_ack_sent;
	/* IPv6CP (RFC 5072), answered only when the test sets ipv6 (else
	 * Protocol-Reject): the client's identifier Ack'd, ours
	 * 02:00:00:00:00:00:00:01; v6_up when both are; the client's IPv6
	 * packets counted and handed to ipv6_in when set. */
	bool ipv6;
	bool v6_sent, v6_acked, v6_ack_sent, v6_up;
	uint8_t v6_peer_id[8];
	uint64_t ipv6_rx;
	void (*ipv6_in)(void *arg, const uint8_t *pkt, size_t len);
	void *ipv6_arg;
	uint8_t chap_id, challenge[16];
	void (*out)(void *arg, const uint8_t *frame, size_t len);
	void *out_arg;
};

/* A queued datagram or frame the client sent. */
struct rh_srv_msg {
	uint8_t pkt[RH_DGRAM];
	size_t len;
};

enum rh_lns_mode {
	RH_LNS_ANSWER, /* SCCRP, ICRP, PPP up */
	RH_LNS_SILENT, /* nothing at all (a dead address) */
	RH_LNS_REFUSE, /* StopCCN on every SCCRQ */
};

/* A scripted LNS at one address: one tunnel and one call at a time. */
struct rh_lns {
	struct role_harness *h;
	struct l2tp_addr addr;
	enum rh_lns_mode mode;
	/* Read by the test. */
	unsigned dials;			/* new SCCRQs (not resent ones) */
	uint64_t dial_at[RH_SRV_DIALS]; /* h->now at each */
	bool tunnel_up, call_up;
	unsigned stopccn_rx, cdn_rx;
	uint16_t tid, sid; /* ours */
	uint16_t client_tid, client_sid;
	struct rh_ppp_server ppp;
	/* Internal. */
	uint16_t ns, nr, next_id;
	struct rh_srv_msg q[RH_SRV_QUEUE];
	unsigned qhead, qcount;
	void (*chain)(void *arg, const struct l2tp_addr *local,
	    const struct l2tp_addr *peer, const uint8_t *pkt, size_t len);
	void *chain_arg;
};

/* An LNS at host:port (an IPv4 literal), answering; aborts on failure. */
struct rh_lns *rh_lns_new(struct role_harness *h, const char *host,
    uint16_t port);
/* Unhooks it from the harness and frees it. */
void rh_lns_free(struct rh_lns *l);
/* Answers what the client sent until nothing is left. */
void rh_lns_pump(struct rh_lns *l);
/* rh_advance, pumping after every timer run. */
void rh_lns_run(struct rh_lns *l, uint64_t ms);
/* CDN (RFC 2661 §6.11) on the call with that result code; pumps. */
void rh_lns_hangup(struct rh_lns *l, uint16_t result);
/* StopCCN (RFC 2661 §6.4) on the tunnel; pumps. */
void rh_lns_stop(struct rh_lns *l, uint16_t result);
/* An IP packet to the client over the call's data channel. */
void rh_lns_send_ip(struct rh_lns *l, const uint8_t *ip, size_t len);
/* An IPv6 packet to the client on the call (PPP protocol 0x0057). */
void rh_lns_send_ipv6(struct rh_lns *l, const uint8_t *ip, size_t len);

/* A scripted PPPoE access concentrator (RFC 2516) on the fake's Ethernet
 * segment: one session at a time. */
struct rh_ac {
	struct role_harness *h;
	uint8_t mac[6]; /* 02:00:00:00:00:ac */
	bool silent;	/* ignores PADI and PADR */
	/* Read by the test. */
	unsigned padi_rx, padr_rx, padt_rx;
	uint64_t padi_at[RH_SRV_DIALS]; /* h->now at each */
	bool session_up;
	uint16_t session_id; /* of the last PADS */
	uint8_t client_mac[6];
	struct rh_ppp_server ppp;
	/* Internal. */
	uint16_t next_sid;
	struct rh_srv_msg q[RH_SRV_QUEUE];
	unsigned qhead, qcount;
	void (*chain)(void *arg, const uint8_t *frame, size_t len);
	void *chain_arg;
};

struct rh_ac *rh_ac_new(struct role_harness *h);
void rh_ac_free(struct rh_ac *a);
void rh_ac_pump(struct rh_ac *a);
void rh_ac_run(struct rh_ac *a, uint64_t ms);
/* PADT (RFC 2516 §5.5) ending the session; pumps. */
void rh_ac_padt(struct rh_ac *a);

#endif
