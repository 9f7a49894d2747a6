/*
 * role_harness.h — the roles (roles/roles.h) in a unit test: one process,
 * no socket, a fake clock.  The roles run on tests/support/fake_io.h (the
 * recorder behind their seam); scripted L2TP peers talk to them through
 * roles_input and learn what they answer from the datagrams the roles
 * send, and a small PPP peer per call brings a session to IPCP up.
 *
 *   struct role_harness *h = rh_new(
 *       "[global]\nhostname = lns.test\n\n"
 *       "[lns]\nlocal-address = 10.9.0.1\npool = 10.9.0.10-10.9.0.13\n"
 *       "auth = pap\nusers = %DIR%/users\ninterface = vpdn0\n",
 *       "users", "alice secret\n", NULL);
 *   struct rh_peer *p = rh_peer(h, 0);
 *   rh_tunnel_open(h, p);                    SCCRQ, SCCCN
 *   struct rh_call *c = rh_call_open(h, p);  ICRQ, ICCN
 *   uint32_t a = rh_ppp_up_pap(h, p, c, "alice", "secret");  LCP, PAP, IPCP
 *   ... assert on h->io (routes, TUN), h->sent[], h->r (roles_priv.h) ...
 *   rh_call_close(h, p, c, 3);               CDN
 *   rh_free(h);
 *
 * "%DIR%" in the configuration and the files' text is replaced by the
 * harness's temporary directory; the files are written there before the
 * configuration is loaded.  Time moves only when the test says so
 * (rh_advance), running every deadline on the way.  With `dataplane`
 * other than user, the fake offers the kernel fast path's operations.  Every datagram the
 * roles send is kept (the last RH_SENT of them) for assertions.
 *
 * The peers answer nothing by themselves: a test that lets time pass
 * acknowledges the roles' control messages (rh_ack: CDN, Hello) and
 * answers LCP echoes (rh_ppp_echo_reply), or the roles end the tunnel
 * (RFC 2661 §5.8) or the call (40 s without echo replies) as they
 * should.  With [radius], PAP is answered by the test (rh_ppp_lcp_pap,
 * fake_radius_find, rh_radius_reply, then rh_ppp_ipcp) and so is
 * accounting (rh_acct_find, rh_acct_answer_all).
 */
#ifndef VPDN_TESTS_SUPPORT_ROLE_HARNESS_H
#define VPDN_TESTS_SUPPORT_ROLE_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "fake_io.h"
#include "l2tp/l2tp.h"
#include "roles/roles.h"

#define RH_PEERS	4
#define RH_CALLS	4
#define RH_SENT		64
#define RH_DGRAM	1600
#define RH_FILES	8	/* files a harness may write */
#define RH_START_MS	1000000 /* the clock at rh_new */
#define RH_L2TP_IFINDEX 3	/* where the roles' datagrams arrive */

/* A datagram the roles sent. */
struct rh_dgram {
	struct l2tp_addr peer;
	uint8_t pkt[RH_DGRAM];
	size_t len;
};

/* What a scripted peer knows about one of its calls, and its PPP side. */
struct rh_call {
	bool open;	       /* ICRQ sent, no CDN either way */
	uint16_t sid, lns_sid; /* ours, the LNS's */
	uint8_t id;	       /* our next PPP identifier */
	uint8_t lcp_req[64];   /* the roles' latest Configure-Request */
	size_t lcp_req_len;
	uint8_t ipcp_req[64];
	size_t ipcp_req_len;
	uint32_t offered;	   /* address of the roles' IPCP Nak */
	bool pap_ack;		   /* PAP Authenticate-Ack seen */
	bool ipcp_acked;	   /* our IPCP request Ack'd */
	uint64_t ip_rx;		   /* PPP IP frames the roles sent us */
	uint8_t ip_last[RH_DGRAM]; /* the last one, without proto */
	size_t ip_last_len;
	unsigned lcp_term_req; /* LCP Terminate-Requests seen */
	unsigned echo_rx;      /* LCP Echo-Requests seen */
	uint8_t echo_id;       /* of the last one */
	bool echo_pending;     /* not answered yet */
	/* IPv6CP (RFC 5072) and IPv6 from the roles. */
	uint8_t v6cp_req[64]; /* the roles' latest IPv6CP Configure-Request */
	size_t v6cp_req_len;
	bool v6cp_acked;  /* our IPv6CP request Ack'd */
	uint64_t ipv6_rx; /* PPP IPv6 frames the roles sent us */
	uint8_t ipv6_last[RH_DGRAM];
	size_t ipv6_last_len;
	unsigned proto_rej; /* LCP Protocol-Rejects seen */
	uint16_t proto_rej_last;
};

/* A scripted LAC: one tunnel and its calls. */
struct rh_peer {
	bool open; /* SCCRQ sent, no StopCCN either way */
	uint16_t tid, lns_tid;
	uint16_t ns, nr;
	struct l2tp_addr addr; /* 192.0.2.10 + index, port 1701 */
	uint8_t last_type;     /* of the last control message seen */
	bool seq_required;     /* ICCNs carry Sequencing Required */
	/* Set before rh_tunnel_open: the Host Name AVP ("" = "lac.test"),
	 * and a tunnel secret (RFC 2661 §5.1.1: the SCCRQ then carries a
	 * Challenge, the SCCCN the response to the LNS's). */
	char host_name[64];
	const char *secret;
	bool secret_ok; /* the SCCRP's Challenge Response was right */
	uint8_t lns_challenge[64]; /* the SCCRP's Challenge */
	size_t lns_challenge_len;
	uint16_t stop_result, stop_error; /* of the last StopCCN seen */
	uint16_t cdn_result;		  /* of the last CDN seen */
	/* Set by the test: ICRQs carry these RFC 5515 AVPs (NULL: none). */
	const struct access_line *icrq_al;
	struct rh_call call[RH_CALLS];
};

struct role_harness {
	struct fake_io io;
	struct roles *r;
	struct vpdn_config *cfg;
	uint64_t now;
	struct l2tp_addr local; /* the roles' L2TP address */
	struct rh_peer peer[RH_PEERS];
	uint16_t next_id;
	struct rh_dgram sent[RH_SENT]; /* ring */
	unsigned nsent;		       /* ever */
	char dir[64];
	char cfg_path[96];
	char files[RH_FILES][32];
	unsigned nfiles;
};

/* The roles on cfg_text, with the files given as (name, text) pairs up to
 * a NULL name written to the temporary directory first; RADIUS operations
 * are on when the configuration has [radius].  Aborts (with the reason)
 * when anything fails: a test has nothing to do without its roles. */
struct role_harness *rh_new(const char *cfg_text, ...);
/* roles_free, then the files and the fake's records. */
void rh_free(struct role_harness *h);

/* Moves the clock by ms, running the roles' timers at every deadline on
 * the way. */
void rh_advance(struct role_harness *h, uint64_t ms);
/* The i-th last datagram sent (0: the last), NULL if there is none. */
const struct rh_dgram *rh_sent(const struct role_harness *h, unsigned i);

/* Peer i (addresses 192.0.2.10 + i). */
struct rh_peer *rh_peer(struct role_harness *h, unsigned i);
/* A control message from p, with p's Ns/Nr (RFC 2661 §5.8). */
void rh_send_ctl(struct role_harness *h, struct rh_peer *p, struct l2tp_msg *m);
/* SCCRQ, then SCCCN on the SCCRP; false if no SCCRP came. */
bool rh_tunnel_open(struct role_harness *h, struct rh_peer *p);
/* ICRQ, then ICCN on the ICRP; NULL if no ICRP came. */
struct rh_call *rh_call_open(struct role_harness *h, struct rh_peer *p);
/* A PPP frame (protocol field first) in a data message on c. */
void rh_ppp_send(struct role_harness *h, struct rh_peer *p, struct rh_call *c,
    const uint8_t *frame, size_t len);
/* LCP both ways, PAP as user/pass, IPCP asking for an address: the
 * address the roles gave, 0 if IPCP did not come up. */
uint32_t rh_ppp_up_pap(struct role_harness *h, struct rh_peer *p,
    struct rh_call *c, const char *user, const char *pass);
/* IPv6CP with interface identifier id (RFC 5072 §4.1), the roles'
 * request Ack'd: whether ours was Ack'd too. */
bool rh_ppp_ipv6cp(struct role_harness *h, struct rh_peer *p, struct rh_call *c,
    const uint8_t id[8]);
/* An IPv6 packet sent by c's user as a PPP IPv6 frame. */
void rh_ipv6_send(struct role_harness *h, struct rh_peer *p, struct rh_call *c,
    const uint8_t *pkt, size_t len);
/* LCP Protocol-Reject of proto from c's user (RFC 1661 §5.7). */
void rh_ppp_proto_rej(struct role_harness *h, struct rh_peer *p,
    struct rh_call *c, uint16_t proto);
/* CDN with that result code (RFC 2661 §6.11). */
void rh_call_close(struct role_harness *h, struct rh_peer *p, struct rh_call *c,
    uint16_t result);

/* ---- the steps of rh_ppp_up_pap, for authentication answered later
 * (RADIUS) ---- */

/* LCP both ways and a PAP Authenticate-Request; the answer is not waited
 * for (c->pap_ack tells).  False if the roles sent no LCP request. */
bool rh_ppp_lcp_pap(struct role_harness *h, struct rh_peer *p,
    struct rh_call *c, const char *user, const char *pass);
/* IPCP asking for an address, once PAP was Ack'd: the address the roles
 * gave, 0 if IPCP did not come up. */
uint32_t rh_ppp_ipcp(struct role_harness *h, struct rh_peer *p,
    struct rh_call *c);
/* RFC 1661 §5.8: Echo-Reply to c's last Echo-Request with the peer's
 * magic number; false when none is pending. */
bool rh_ppp_echo_reply(struct role_harness *h, struct rh_peer *p,
    struct rh_call *c);
/* An IPv4 UDP packet src -> dst with payload bytes of data after the
 * headers, sent by c's user as a PPP IP frame: its length (IP header on). */
size_t rh_ip_send(struct role_harness *h, struct rh_peer *p, struct rh_call *c,
    uint32_t src, uint32_t dst, size_t payload);
/* The same packet written to buf (cap bytes), for fake_tun_push: its
 * length, 0 if it does not fit. */
size_t rh_ip_packet(uint8_t *buf, size_t cap, uint32_t src, uint32_t dst,
    size_t payload);
/* A ZLB from p acknowledging what the roles sent it (RFC 2661 §5.8). */
void rh_ack(struct role_harness *h, struct rh_peer *p);

/* ---- reload ---- */

/* Writes the (name, text) files up to a NULL name (replacing any of the
 * same name), loads cfg_text as a new snapshot and calls
 * roles_reconfigure at h->now.  On success the new snapshot replaces
 * h->cfg; otherwise it is freed, -1 comes back with the reason in err
 * and h->cfg stays. */
int rh_reload(struct role_harness *h, char *err, size_t errlen,
    const char *cfg_text, ...);

/* ---- RADIUS (configurations with [radius]) ---- */

/* The oldest open Accounting-Request whose Acct-Status-Type is status
 * (RADIUS_ACCT_STATUS_*), NULL if none. */
struct fake_radius_req *rh_acct_find(struct role_harness *h, uint32_t status);
/* Answers every open Accounting-Request (Accounting-Response, RFC 2866
 * §4.2): how many. */
unsigned rh_acct_answer_all(struct role_harness *h);
/* Answers req with reply at h->now, decrypting with the [radius] secret
 * (an ended call is freed at the next roles_input or rh_advance). */
void rh_radius_reply(struct role_harness *h, struct fake_radius_req *req,
    const struct radius_packet *reply);
/* An attribute of a recorded request, 0 when absent. */
uint32_t rh_radius_u32(const struct fake_radius_req *req, uint8_t type);

#endif
