/*
 * link.h — one PPP link: the RFC 1661 §3 phase machine (Dead → Establish →
 * Authenticate → Network → Terminate) and the protocol demultiplexer over
 * LCP, the authentication exchanges (auth.h), IPCP and IPv6CP.
 *
 * Sans-I/O: every entry takes now (ms); frames leave through ops->send;
 * the owner asks ppp_link_next_deadline() and calls ppp_link_timeout().
 * Lifetime: ops->down is called once, when the link is dead; the owner must
 * not free the link inside any callback, only later (e.g. from the loop).
 * We always send full headers (FF 03 + 2-octet protocol); received frames
 * may omit FF 03 (ACFC) and compress the protocol field (PFC).
 */
#ifndef VPDN_PPP_LINK_H
#define VPDN_PPP_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppp/auth.h"

struct ppp_proxy;

struct ppp_link_config {
	/* authenticator + address giver (LNS/LAC) */
	bool server;
	/* server: offered, in order */
	enum ppp_auth_method auth[3];
	unsigned auth_count;
	/* client: our credentials + acceptable methods */
	struct auth_client_config client;
	char our_name[AUTH_MAX_NAME]; /* CHAP name */
	/* server: our IPCP address (host order) */
	uint32_t local_addr;
	/* server: RFC 1877 */
	uint32_t dns[2];
	unsigned dns_count;
	/* ours, default 1400 (L2TP/UDP overhead) */
	uint16_t mru;
	/* default 10000, 3 */
	unsigned echo_interval_ms, echo_failures;
	unsigned restart_ms, max_configure, max_terminate, max_failure;
	/* From start (or an LCP renegotiation) to IPCP Opened, at most this
	 * long, else the link is closed ("negotiation timeout"): a peer that
	 * never lets LCP, authentication or IPCP converge (Naking every
	 * request restarts the counter, RFC 1661 §4.1 RCN) cannot hold the
	 * link.  A LAC's front half: until hand-over.  Default 30000. */
	unsigned negotiate_timeout_ms;
	bool ipv6cp;
	/* No IPCP on this link (an IPv6-only peer, with ipv6cp): IPCP is
	 * neither opened nor accepted; the peer's IPCP packets get an LCP
	 * Protocol-Reject (RFC 1661 §5.7), as for any protocol not run. */
	bool no_ipcp;
	/* carrier is PPPoE: RFC 2516 §7 LCP rules */
	bool pppoe;
	/* server, CHAP-MD5: RFC 1994 §2.3 re-auth; 0 off */
	unsigned rechallenge_ms;
	/* server with proxy LCP (RFC 2661 §4.4.5): when the LAC's LCP is
	 * not acceptable, end the link instead of renegotiating
	 * (lcp-renegotiation = never). */
	bool proxy_lcp_only;
};

/*
 * LAC front half (RFC 2661 §4.4.5), given to ppp_link_create() with a server
 * configuration: LCP and authentication only (no IPv6CP, no CHAP
 * re-challenge; a user who agrees to no authentication is refused: the LAC
 * learns the realm from the name).  Once the backend accepted the peer
 * (Success sent), authenticated(arg, user, facts) reports what an ICCN
 * carries as proxy AVPs — the Initial Received, Last Sent and Last Received
 * LCP CONFREQ options and the Proxy Authen Type/Name/Challenge/ID/Response
 * (PAP: the password); facts lives only during the call — and the link
 * stops: no NCP, no timers, input ignored, phase stays "authenticate"; PPP
 * from then on belongs to the LNS and the owner relays frames.
 * ppp_link_close() then ends the link at once without LCP Terminate.
 * Separate from ppp_link_ops so that a session_link, which owns the ops, can
 * carry a LAC link unchanged, and from the configuration, which links share.
 */
struct ppp_link_lac_hooks {
	void (*authenticated)(void *arg, const char *user,
	    const struct ppp_proxy *facts);
	void *arg;
};

struct auth_result;

/* Every event but send carries `now`: the clock of the call into the link
 * that led to it (ppp_link_input, _timeout, ...), or of the backend's
 * answer (auth_result.now) for what follows authentication. */
struct ppp_link_ops {
	/* FF 03 + protocol(2) + info */
	int (*send)(void *ctx, const uint8_t *frame, size_t len);
	/* Optional (NULL: send, from a copy): the same frame built in place
	 * by ppp_link_send_ip_inplace(), with `headroom` writable bytes
	 * before it, in a buffer its caller keeps unchanged until it
	 * returns to its event loop. */
	int (*send_inplace)(void *ctx, uint8_t *frame, size_t len,
	    size_t headroom);
	/* server: the peer authenticated as user; choose its IPv4 address
	 * (pool or res->framed_address); return 0 and *addr (host order), or
	 * -1 when none is left (IPCP then fails; link terminates). */
	int (*assign_address)(void *ctx, const char *user,
	    const struct auth_result *res, uint32_t *addr, uint64_t now);
	void (*network_up)(void *ctx, uint32_t local, uint32_t peer,
	    const uint32_t dns[2], unsigned dns_count, uint64_t now);
	/* IPv4 datagram from the peer */
	void (*ip_input)(void *ctx, const uint8_t *p, size_t len, uint64_t now);
	void (*ipv6_input)(void *ctx, const uint8_t *pkt, size_t len,
	    uint64_t now);
	/* link dead: owner closes the carrier, frees the link later */
	void (*down)(void *ctx, const char *reason, uint64_t now);
	/* Optional (may be NULL): the network phase is over while the link
	 * lives on — LCP renegotiates (RFC 1661 §4.3, Opened + RCR: This-Layer-
	 * Down takes the NCPs down).  Release what assign_address and
	 * network_up set up (address, routes, accounting); both run again if
	 * the link reaches the network phase again.  Called only after
	 * assign_address succeeded (server) or network_up (client); never for
	 * the link's end, which is ops->down. */
	void (*network_down)(void *ctx, const char *reason, uint64_t now);
	/* Optional (may be NULL): IPv6CP opened with these interface
	 * identifiers. */
	void (*network6_up)(void *ctx, const uint8_t local_id[8],
	    const uint8_t peer_id[8], uint64_t now);
	/* Optional (may be NULL): IPv6CP left Opened (its own Terminate,
	 * a renegotiation with other identifiers, or LCP going down while
	 * the link lives on, or just before the link ends); release what
	 * network6_up set up.  Called at most once per network6_up. */
	void (*network6_down)(void *ctx, const char *reason, uint64_t now);
	/* Optional (may be NULL): an NCP (PPP_PROTO_IPCP or
	 * PPP_PROTO_IPV6CP) finished without opening in the network phase
	 * (the peer's Protocol-Reject, or Configure-Request retries ran
	 * out, RFC 1661 §4.1 TLF) while the link lives on with the other
	 * one.  A server that gave an IPv4 address for an IPCP that failed
	 * may take it back; should IPCP open later all the same,
	 * network_up follows as usual. */
	void (*ncp_failed)(void *ctx, uint16_t proto, uint64_t now);
	/* Optional (may be NULL), server: say where the peer is (auth_request
	 * calling_station, nas_port: RADIUS Calling-Station-Id and NAS-Port)
	 * in each request about to go to the backend, proxy ones included. */
	void (*auth_describe)(void *ctx, struct auth_request *req);
};

struct ppp_link;

/*
 * A configuration as links use it: a copy with the defaults filled in,
 * read-only from then on and counted.  Whoever creates links makes one per
 * distinct configuration (the LNS one for its sessions, the LAC one for its
 * calls, each remade when a reload may have changed it) and passes it to
 * every link it creates; each link holds a reference until ppp_link_free(),
 * so the creator may drop its own at any time (config.h: lifetimes across
 * reload).  Sharing matters at 50,000 sessions, where a ~900-byte copy per
 * link (names, client credentials) would dominate a session's memory.
 */
struct ppp_link_conf;
/* One reference; NULL: no memory. */
struct ppp_link_conf *ppp_link_conf_new(const struct ppp_link_config *cfg);
/* Another reference; returns conf. */
struct ppp_link_conf *ppp_link_conf_hold(struct ppp_link_conf *conf);
/* NULL ok; the last reference frees (wipes) it. */
void ppp_link_conf_drop(struct ppp_link_conf *conf);

/* lac: NULL, or a LAC's front half (struct ppp_link_lac_hooks, copied;
 * conf's server must be set).  NULL when out of memory or given a LAC front
 * half without server. */
struct ppp_link *ppp_link_create(struct ppp_link_conf *conf,
    const struct auth_backend *backend, const struct ppp_link_ops *ops,
    void *ctx, const struct ppp_link_lac_hooks *lac, uint64_t now);
/* A link with a configuration of its own (one-off links: tests, fuzzing),
 * no LAC hooks. */
struct ppp_link *ppp_link_new(const struct ppp_link_config *cfg,
    const struct auth_backend *backend, const struct ppp_link_ops *ops,
    void *ctx, uint64_t now);
void ppp_link_free(struct ppp_link *l);
/* Carrier up: LCP Up + Open. */
void ppp_link_start(struct ppp_link *l, uint64_t now);
/* With or without FF 03; PFC-compressed protocol accepted. */
void ppp_link_input(struct ppp_link *l, const uint8_t *frame, size_t len,
    uint64_t now);
int ppp_link_send_ip(struct ppp_link *l, const uint8_t *pkt, size_t len);
/* Bytes ppp_link_send_ip_inplace() writes in front of a packet. */
#define PPP_LINK_HEADROOM 4
/* The same without a copy: FF 03 + protocol go into the `headroom` bytes
 * before pkt (at least PPP_LINK_HEADROOM, else it copies) and the frame
 * leaves through ops->send_inplace; see there for the buffer's lifetime. */
int ppp_link_send_ip_inplace(struct ppp_link *l, uint8_t *pkt, size_t len,
    size_t headroom);
int ppp_link_send_ipv6(struct ppp_link *l, const uint8_t *pkt, size_t len);
/* LCP Close: Terminate-Request. */
void ppp_link_close(struct ppp_link *l, const char *reason, uint64_t now);
void ppp_link_timeout(struct ppp_link *l, uint64_t now);
/* TIME_NEVER (core/timeutil.h) if none. */
uint64_t ppp_link_next_deadline(const struct ppp_link *l);

enum ppp_phase {
	PPP_PHASE_DEAD,
	PPP_PHASE_ESTABLISH,
	PPP_PHASE_AUTHENTICATE,
	PPP_PHASE_NETWORK,
	PPP_PHASE_TERMINATE
};
enum ppp_phase ppp_link_phase(const struct ppp_link *l);
/* Whether the link runs IPv6CP (configured, not a LAC's front half). */
bool ppp_link_has_ipv6cp(const struct ppp_link *l);
/* "dead", "establish", "authenticate", "network", "terminate" */
const char *ppp_phase_str(enum ppp_phase p);
/* The session's identity: the canonical name of the first successful
 * authentication (the backend's, e.g. the users-file entry), "" before.
 * It never changes: a re-authentication as anyone else ends the link. */
const char *ppp_link_user(const struct ppp_link *l);
/* RFC 1661 §6.5/§6.6: whether the peer agreed to receive the one-octet
 * Protocol (PFC) and frames without Address and Control (ACFC). */
void ppp_link_peer_compression(const struct ppp_link *l, bool *acfc, bool *pfc);
/* Server: the RFC 1877 DNS servers offered to this peer instead of the
 * configured ones (RADIUS MS-Primary/Secondary-DNS-Server); call before
 * IPCP opens, e.g. from assign_address. */
void ppp_link_set_dns(struct ppp_link *l, const uint32_t dns[2],
    unsigned count);
/* Server: the IPv6CP interface identifier the peer must take (RADIUS
 * Framed-Interface-Id); call before IPv6CP opens, e.g. from
 * assign_address.  No effect without IPv6CP. */
void ppp_link_set_ipv6_peer_id(struct ppp_link *l, const uint8_t id[8]);
/* LAC mode: authenticated and handed over. */
bool ppp_link_lac_relaying(const struct ppp_link *l);

/* Heap bytes this link holds now: the struct and its on-demand parts (IPv6CP,
 * name, reason, proxy/LAC data), not the struct ppp_link_conf it shares with
 * its creator's other links, nor an authentication exchange still running
 * (50,000 sessions at <= 2 KiB each; tests/unit/test_session_size.c). */
size_t ppp_link_footprint(const struct ppp_link *l);

struct ppp_link_stats {
	uint64_t rx_frames, tx_frames, rx_bytes, tx_bytes, rx_discards;
};
const struct ppp_link_stats *ppp_link_stats(const struct ppp_link *l);

/*
 * RFC 2661 §4.4.5 proxy LCP/auth from an ICCN (LNS with accept-proxy-auth):
 * when given before start, the link takes LCP as Opened with the options of
 * the last sent/received CONFREQs (if they are acceptable to us; otherwise
 * renegotiates LCP from scratch) and verifies the proxy authentication
 * through the backend instead of challenging (PAP: name + response as
 * password; CHAP: id, challenge, response); on failure or absence it
 * authenticates itself.  The data is copied.
 */
struct ppp_proxy {
	const uint8_t *initial_rcvd, *last_sent, *last_rcvd;
	size_t initial_rcvd_len, last_sent_len, last_rcvd_len;
	uint16_t authen_type;
	const char *authen_name;
	const uint8_t *challenge;
	size_t challenge_len;
	uint16_t authen_id;
	const uint8_t *response;
	size_t response_len;
};
void ppp_link_set_proxy(struct ppp_link *l, const struct ppp_proxy *p);

/* RFC 2661 §4.4.5 Proxy Authen Type values. */
#define PPP_PROXY_AUTHEN_CHAP 2
#define PPP_PROXY_AUTHEN_PAP  3
#define PPP_PROXY_AUTHEN_NONE 4

#endif
