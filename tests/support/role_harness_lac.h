/*
 * role_harness_lac.h — the LAC's two sides for a role_harness.h test:
 * scripted PPPoE hosts (the users, RFC 2516 discovery then PPP over
 * session frames) and scripted LNSes (the other end of the LAC's tunnels,
 * RFC 2661 §5.1/§7.4: SCCRP on SCCRQ, ICRP on ICRQ, ZLB acks, the ICCN
 * kept for its proxy AVPs).
 *
 *   struct role_harness *h = rh_new(lac_conf, NULL);
 *   struct rh_lac *x = rh_lac_attach(h);
 *   struct rh_host *u = rh_host(x, 0);
 *   rh_host_discover(x, u);                  PADI/PADO, PADR/PADS
 *   rh_host_up_pap(x, u, "alice@a", "pw");   LCP, PAP; the LAC dials
 *   struct rh_lns *l = rh_lns(x, 0);         203.0.113.10, port 1701
 *   ... l->call[0].iccn, l->sccrq, u->padt, ...
 *   rh_lac_free(x);                          also frees h
 *
 * The harness hooks the fake's L2TP and PPPoE outputs (datagrams still go
 * to role_harness's record, so rh_sent() keeps working): what the LAC sends
 * to a scripted LNS is queued and answered by rh_lac_settle(), never from
 * inside the roles' own send; what it sends to a host is learnt at once
 * (its Configure-Request, PAP/CHAP outcome, PADT) and only acted upon by
 * the next rh_host_* call.  Every rh_host_* call and rh_lac_advance()
 * settle the LNSes before returning.
 */
#ifndef VPDN_TESTS_SUPPORT_ROLE_HARNESS_LAC_H
#define VPDN_TESTS_SUPPORT_ROLE_HARNESS_LAC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "l2tp/msg.h"
#include "pppoe/pppoe_codec.h"
#include "role_harness.h"

#define RH_LNSES       4
#define RH_LNS_CALLS   128
#define RH_LNS_TUNNELS 16
#define RH_LNS_INBOX   32
#define RH_HOSTS       128

/* One call as a scripted LNS sees it. */
struct rh_lns_call {
	bool open;		     /* ICRQ seen, no CDN either way */
	unsigned tun;		     /* its tunnel: the LNS's tun[] */
	bool connected;		     /* ICCN seen */
	uint16_t sid, lac_sid;	     /* ours, the LAC's */
	struct l2tp_msg *iccn;	     /* the ICCN as decoded (heap) */
	struct access_line icrq_al;  /* the ICRQ's RFC 5515 AVPs */
	bool cdn_rcvd;		     /* the LAC sent CDN */
	uint16_t cdn_result;	     /* its Result Code */
	uint64_t data_rx;	     /* data messages from the LAC */
	uint8_t data_last[RH_DGRAM]; /* the last one's payload */
	size_t data_last_len;
};

/* One tunnel of a scripted LNS (RFC 2661 allows several between two
 * peers): its ids and sequence numbers. */
struct rh_lns_tun {
	uint16_t tid, lac_tid, ns, nr;
	bool up, stopped;
};

/* A scripted LNS at 203.0.113.10 + index, port 1701: a new tunnel for
 * every new SCCRQ. */
struct rh_lns {
	struct l2tp_addr addr;
	/* Set by the test. */
	bool silent;	 /* a dead LNS: nothing is answered */
	uint16_t refuse; /* nonzero: ICRQ gets a CDN with it */
	/* Learnt. */
	bool up;	      /* SCCCN seen (the latest tunnel) */
	bool stopped;	      /* StopCCN either way (the latest tunnel) */
	uint16_t stop_result; /* of the LAC's StopCCN */
	struct rh_lns_tun tun[RH_LNS_TUNNELS];
	unsigned ntun;	    /* tunnels ever (SCCRQs answered) */
	unsigned silent_rx; /* control datagrams ignored while silent */
	unsigned rx;	    /* control datagrams, ZLBs included */
	unsigned sccrq, icrq, iccn, cdn, stopccn; /* new ones */
	struct rh_lns_call call[RH_LNS_CALLS];
	/* Queued until rh_lac_settle(). */
	uint8_t in[RH_LNS_INBOX][RH_DGRAM];
	size_t inlen[RH_LNS_INBOX];
	unsigned nin;
};

/* A PPPoE host: one discovery, one session, its PPP side. */
struct rh_host {
	uint8_t mac[PPPOE_MAC_LEN]; /* 02:00:00:00:01:index */
	/* Set by the test: a Vendor-Specific TAG value for PADI and PADR
	 * (the access node's TR-101 line data); none when 0. */
	const uint8_t *vendor;
	size_t vendor_len;
	uint16_t uniq; /* Host-Uniq, tells hosts of
						 * one MAC apart */
	uint8_t ac_mac[PPPOE_MAC_LEN];
	bool pado;	    /* a PADO came */
	uint8_t cookie[64]; /* its AC-Cookie */
	size_t cookie_len;
	uint16_t sid;	     /* the PADS's; 0: none */
	bool pads_error;     /* a PADS refused us */
	bool padt;	     /* the LAC sent PADT */
	uint8_t id;	     /* our next PPP identifier */
	uint8_t our_req[64]; /* our LCP options */
	size_t our_req_len;
	uint8_t lcp_req[64]; /* the LAC's Configure-Request */
	size_t lcp_req_len;  /* (whole LCP packet) */
	bool lcp_acked;	     /* ours was Ack'd */
	bool pap_ack, pap_nak;
	uint8_t chap_id;
	uint8_t chap_chal[64];
	size_t chap_chal_len;
	bool chap_success, chap_failure;
	bool term_req;		/* LCP Terminate-Request seen */
	uint64_t rx;		/* session frames from the LAC */
	uint8_t last[RH_DGRAM]; /* the last one's PPP frame */
	size_t last_len;
};

struct rh_lac {
	struct role_harness *h;
	struct rh_lns lns[RH_LNSES];
	struct rh_host host[RH_HOSTS];
	uint16_t next_id;
	void (*send)(void *, const struct l2tp_addr *, const struct l2tp_addr *,
	    const uint8_t *, size_t);
	void *send_arg;
};

/* Hooks h's outputs; rh_lac_free() frees x and h. */
struct rh_lac *rh_lac_attach(struct role_harness *h);
void rh_lac_free(struct rh_lac *x);

/* Answers everything queued for the LNSes until nothing is left. */
void rh_lac_settle(struct rh_lac *x);
/* rh_advance, settling at every deadline on the way (retransmissions,
 * retries and their answers happen in their order). */
void rh_lac_advance(struct rh_lac *x, uint64_t ms);
/* A new configuration text ("%DIR%" as in rh_new; its own file in the
 * harness's directory) through roles_reconfigure: its result, with
 * roles_reconfigure's message in err.  On success the old snapshot is
 * freed and h->cfg is the new one. */
int rh_lac_reload(struct rh_lac *x, const char *cfg_text, char *err,
    size_t errlen);
/* Rewrites a file given to rh_new ("%DIR%" substituted). */
void rh_lac_write(struct rh_lac *x, const char *name, const char *text);

/* LNS i (203.0.113.10 + i) and host i. */
struct rh_lns *rh_lns(struct rh_lac *x, unsigned i);
struct rh_host *rh_host(struct rh_lac *x, unsigned i);
/* The n-th call the LNS ever saw (ICRQ), from 0; NULL if none. */
struct rh_lns_call *rh_lns_call_n(struct rh_lns *l, unsigned n);
/* CDN from the LNS with that result (RFC 2661 §6.12). */
void rh_lns_cdn(struct rh_lac *x, struct rh_lns *l, struct rh_lns_call *c,
    uint16_t result);
/* StopCCN from the LNS with that result (RFC 2661 §6.4) on its latest
 * tunnel; a new SCCRQ is a new tunnel. */
void rh_lns_stopccn(struct rh_lac *x, struct rh_lns *l, uint16_t result);
/* A PPP frame (protocol field first) from the LNS on call c. */
void rh_lns_data(struct rh_lac *x, struct rh_lns *l, struct rh_lns_call *c,
    const uint8_t *ppp, size_t len);

/* PADI → PADO, PADR → PADS (RFC 2516 §5.1-§5.4): true with u->sid set. */
bool rh_host_discover(struct rh_lac *x, struct rh_host *u);
/* The PADR of discovery alone, with u's cookie (one another host of the
 * same MAC got, say): true if a PADS gave a session. */
bool rh_host_padr(struct rh_lac *x, struct rh_host *u);
/* A PPP frame (protocol field first) in a session frame. */
void rh_host_ppp(struct rh_lac *x, struct rh_host *u, const uint8_t *ppp,
    size_t len);
/* LCP both ways (our request carries a magic number), then PAP; true if
 * the LAC sent Authenticate-Ack. */
bool rh_host_up_pap(struct rh_lac *x, struct rh_host *u, const char *user,
    const char *pass);
/* LCP both ways, then CHAP-MD5 (RFC 1994); true on Success. */
bool rh_host_up_chap(struct rh_lac *x, struct rh_host *u, const char *user,
    const char *secret);
/* PADT from the host (RFC 2516 §5.5). */
void rh_host_padt(struct rh_lac *x, struct rh_host *u);

#endif
