/*
 * l2tp.h — the public face of the L2TP control plane, as roles see it.
 *
 * An l2tp_host owns every tunnel of the daemon (one per peer control
 * connection, whatever the role) and each tunnel owns its sessions.  The host
 * is sans-I/O: the daemon's UDP shell feeds it datagrams with
 * l2tp_host_input(), runs l2tp_host_run_timers() when
 * l2tp_host_next_deadline() is reached, and receives everything to transmit
 * and every event through struct l2tp_host_ops.
 *
 * Lifetimes: a tunnel or session pointer handed to a role stays valid until
 * the matching *_down callback returns; the host frees it afterwards (never
 * inside a call the role made).  Roles keep their own state in ->user.
 */
#ifndef VPDN_L2TP_L2TP_H
#define VPDN_L2TP_L2TP_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "core/access_line.h"
#include "l2tp/msg.h"

struct l2tp_host;
struct l2tp_tunnel;
struct l2tp_session;

/* A UDP endpoint.  For local addresses, ifindex is the interface the
 * datagram arrived on (IP_PKTINFO), 0 when unknown. */
struct l2tp_addr {
	struct sockaddr_storage ss;
	socklen_t len;
	int ifindex;
};

bool l2tp_addr_equal(const struct l2tp_addr *a, const struct l2tp_addr *b);
/* "192.0.2.1:1701" / "[2001:db8::1]:1701" into buf; returns buf. */
const char *l2tp_addr_str(const struct l2tp_addr *a, char *buf, size_t len);

enum l2tp_role {
	L2TP_ROLE_LAC,	  /* we place calls to an LNS (includes client) */
	L2TP_ROLE_LNS,	  /* we accept tunnels */
	L2TP_ROLE_CLIENT, /* voluntary tunnelling: LAC on a host */
};
const char *l2tp_role_str(enum l2tp_role r);

/* RFC 2661 §7.2 control connection states, plus CLOSING (StopCCN sent or
 * received, waiting out the retransmission time before the ID is reused). */
enum l2tp_tunnel_state {
	L2TP_TUNNEL_IDLE,
	L2TP_TUNNEL_WAIT_CTL_REPLY,
	L2TP_TUNNEL_WAIT_CTL_CONN,
	L2TP_TUNNEL_ESTABLISHED,
	L2TP_TUNNEL_CLOSING,
};
const char *l2tp_tunnel_state_str(enum l2tp_tunnel_state s);

/* RFC 2661 §7.4/§7.5 session states for both sides of both call types. */
enum l2tp_session_state {
	L2TP_SESSION_IDLE,
	L2TP_SESSION_WAIT_TUNNEL,    /* LAC: call arrived, tunnel not up yet */
	L2TP_SESSION_WAIT_REPLY,     /* ICRQ/OCRQ sent, waiting ICRP/OCRP */
	L2TP_SESSION_WAIT_CONNECT,   /* ICRP/OCRP sent, waiting ICCN/OCCN */
	L2TP_SESSION_WAIT_CS_ANSWER, /* LAC outgoing: OCRP sent, dialling */
	L2TP_SESSION_ESTABLISHED,
	L2TP_SESSION_CLOSED, /* CDN sent or received */
};
const char *l2tp_session_state_str(enum l2tp_session_state s);

struct l2tp_host_config {
	char hostname[L2TP_MAX_NAME];
	char vendor_name[L2TP_MAX_NAME];
	uint16_t receive_window;    /* our RWS AVP */
	unsigned hello_interval_ms; /* 0 disables Hello */
	unsigned retransmit_max;
	unsigned rto_initial_ms, rto_max_ms, ack_delay_ms;
	unsigned max_tunnels;
	unsigned max_sessions; /* in the whole host */
	bool accept_tunnels;   /* LNS role: answer SCCRQ */
	/* Secret for tunnels we accept (LNS); tunnels we open carry their own. */
	uint8_t lns_secret[256];
	size_t lns_secret_len;
	bool lns_hide_avps;
	/* How long a tunnel waits in CLOSING after StopCCN (§5.7: a full
	 * retransmission cycle; 0 = derived from rto and retransmit_max). */
	unsigned closing_ms;
	/* Give up on a call setup that makes no progress (CDN result 10);
	 * L2TP_SETUP_DERIVED (the default): l2tp_call_setup_ms(); 0: never. */
	unsigned session_setup_ms;
};

struct xport_config;

#define L2TP_SETUP_DERIVED   UINT_MAX
/* What a call setup may take beyond the transport's own give-up time:
 * the peer's processing and our delayed acks. */
#define L2TP_SETUP_MARGIN_MS 5000

void l2tp_host_config_defaults(struct l2tp_host_config *c);
/* The transport settings a tunnel of this host runs with. */
void l2tp_host_xport_config(const struct l2tp_host_config *c,
    struct xport_config *xc);
/* How long the transport may retransmit one control message before it
 * gives up on the peer (RFC 2661 §5.8): the first timeout plus one doubled,
 * capped back-off per retransmission.  Also §5.7's "full retransmission
 * cycle". */
uint64_t l2tp_xport_give_up_ms(const struct l2tp_host_config *c);
/* The call-setup timeout in ms (0: none).  Derived: a request and its reply
 * may each need the transport's full give-up time before they arrive
 * (e.g. a LAC's ICRQ, then the LNS's ICRP; an LNS's ICRP, then the ICCN),
 * plus L2TP_SETUP_MARGIN_MS.  Anything shorter abandons calls whose
 * messages are still being retransmitted on a live tunnel. */
uint64_t l2tp_call_setup_ms(const struct l2tp_host_config *c);

/*
 * LNS role: what a tunnel a peer asks for runs with, decided when its SCCRQ
 * arrives — the Host Name AVP comes in the SCCRQ, and the secret is needed
 * at once for the SCCRP's Challenge Response and to check the SCCCN's
 * (RFC 2661 §4.2, §5.1.1).  The host fills the inputs and presets the
 * outputs to its own lns_* settings; the owner may change them.
 */
struct l2tp_accept {
	const char *host_name; /* "" when the SCCRQ carries none */
	const struct l2tp_addr *peer;
	const uint8_t *secret; /* copied before the call returns */
	size_t secret_len;
	bool hide_avps;
	unsigned hello_interval_ms; /* 0 disables Hello */
	/* Who the peer is to the owner ("" none): kept with the tunnel,
	 * l2tp_tunnel_info.peer_entry. */
	char label[L2TP_MAX_NAME];
	/* Refuse: a StopCCN result code (§4.4.2), with this error code
	 * and message; 0 accepts. */
	uint16_t refuse_result, refuse_error;
	char reason[128];
};

struct l2tp_host_ops {
	/* Transmit a datagram from `local` (the address the tunnel was reached
	 * on, or unspecified) to `peer`. */
	void (*send)(void *ctx, const struct l2tp_addr *local,
	    const struct l2tp_addr *peer, const uint8_t *pkt, size_t len);
	/* Every event below carries `now`: the clock the host was called
	 * with (l2tp_host_input, _run_timers, _shutdown, or the tunnel or
	 * session call that led to it), so its owner needs no clock. */
	void (*tunnel_up)(void *ctx, struct l2tp_tunnel *t, uint64_t now);
	/* The tunnel is gone (its sessions went down first); freed after. */
	void (*tunnel_down)(void *ctx, struct l2tp_tunnel *t, uint64_t now);
	/* A peer asks for a call (ICRQ on the LNS, OCRQ on the LAC).  Return 0
	 * to accept, or a CDN result code to refuse it. */
	int (*session_request)(void *ctx, struct l2tp_session *s,
	    const struct l2tp_msg *req, uint64_t now);
	/* The call is connected (ICCN/OCCN received or sent); `connect` is the
	 * ICCN/OCCN (proxy LCP/auth AVPs for the LNS).  */
	void (*session_up)(void *ctx, struct l2tp_session *s,
	    const struct l2tp_msg *connect, uint64_t now);
	/* The session is gone (CDN either way, tunnel down); freed after. */
	void (*session_down)(void *ctx, struct l2tp_session *s, uint64_t now);
	/* A data message's payload (a PPP frame without address/control). */
	void (*session_data)(void *ctx, struct l2tp_session *s,
	    const uint8_t *frame, size_t len, uint64_t now);
	/* Optional (NULL: send): a data message built in place by
	 * l2tp_session_send_data_inplace(), whose buffer the caller keeps
	 * unchanged until it returns to its event loop — so it may be queued
	 * and sent with others in one system call, provided everything
	 * queued leaves before the next `send`, which keeps the order. */
	void (*send_data)(void *ctx, const struct l2tp_addr *local,
	    const struct l2tp_addr *peer, const uint8_t *pkt, size_t len);
	/* Optional (NULL: the host's lns_* settings for every peer): an
	 * SCCRQ from a new peer, before its tunnel exists; see struct
	 * l2tp_accept. */
	void (*tunnel_accept)(void *ctx, struct l2tp_accept *a, uint64_t now);
};

/* Every discard reason the host counts (`vpdnctl show stats`). */
enum l2tp_drop {
	L2TP_DROP_HDR,		   /* undecodable header */
	L2TP_DROP_UNKNOWN_TUNNEL,  /* no tunnel with that ID */
	L2TP_DROP_WRONG_PEER,	   /* tunnel ID from another address */
	L2TP_DROP_UNKNOWN_SESSION, /* data for no such session */
	L2TP_DROP_MALFORMED,	   /* control message decode DROP */
	L2TP_DROP_NOT_SCCRQ,	   /* tunnel ID 0 but not a valid SCCRQ */
	L2TP_DROP_TUNNEL_LIMIT,	   /* max-tunnels reached */
	L2TP_DROP_OUT_OF_WINDOW,
	L2TP_DROP_DATA_NOT_UP, /* data before the session is up */
	L2TP_DROP_RATE_LIMIT,  /* SCCRQ over its source's rate */
	L2TP_DROP__COUNT,
};
const char *l2tp_drop_str(enum l2tp_drop d);

struct l2tp_host_stats {
	uint64_t drops[L2TP_DROP__COUNT];
	uint64_t tunnels_created, tunnels_established, tunnels_closed;
	uint64_t sessions_created, sessions_established, sessions_closed;
	/* StopCCN / CDN result codes seen (sent or received), index = code. */
	uint64_t stopccn_sent[L2TP_STOPCCN_NCODES];
	uint64_t stopccn_rcvd[L2TP_STOPCCN_NCODES];
	uint64_t cdn_sent[L2TP_CDN_NCODES], cdn_rcvd[L2TP_CDN_NCODES];
};

struct l2tp_host *l2tp_host_new(const struct l2tp_host_config *cfg,
    const struct l2tp_host_ops *ops, void *ctx);
/* Frees every tunnel without telling peers (use l2tp_host_shutdown first). */
void l2tp_host_free(struct l2tp_host *h);
/* Graceful stop: StopCCN (result 6) to every tunnel not already closing;
 * l2tp_host_unfinished_count() says when they are done. */
void l2tp_host_shutdown(struct l2tp_host *h, uint64_t now);
unsigned l2tp_host_tunnel_count(const struct l2tp_host *h);
/* Tunnels with something left to exchange with their peer: not closing, or
 * closing with a message unacknowledged either way.  A tunnel that only
 * holds its ID for the peer's retransmissions (RFC 2661 §5.7) is finished:
 * a stopping daemon need not wait for it. */
unsigned l2tp_host_unfinished_count(const struct l2tp_host *h);
const struct l2tp_host_stats *l2tp_host_stats(const struct l2tp_host *h);
/* Updates the parts of the configuration that apply to new tunnels. */
void l2tp_host_reconfigure(struct l2tp_host *h,
    const struct l2tp_host_config *cfg);

/* One datagram received on the L2TP socket. */
void l2tp_host_input(struct l2tp_host *h, const uint8_t *pkt, size_t len,
    const struct l2tp_addr *local, const struct l2tp_addr *peer, uint64_t now);
void l2tp_host_run_timers(struct l2tp_host *h, uint64_t now);
uint64_t l2tp_host_next_deadline(const struct l2tp_host *h);

/* ---- tunnels ---- */

struct l2tp_tunnel_params {
	enum l2tp_role role; /* LAC or CLIENT */
	struct l2tp_addr peer;
	struct l2tp_addr local; /* ss_family 0 = any */
	const uint8_t *secret;	/* copied */
	size_t secret_len;
	bool hide_avps;
	/* RFC 2661 §4.4.3: send a Tie Breaker AVP so that only one tunnel
	 * survives if the peer opens one to us at the same time. */
	bool tie_breaker;
};

/* Opens a control connection: sends SCCRQ.  NULL when max-tunnels reached
 * or out of memory.  tunnel_up/tunnel_down follow. */
struct l2tp_tunnel *l2tp_tunnel_open(struct l2tp_host *h,
    const struct l2tp_tunnel_params *p, uint64_t now);
/* Sends StopCCN with result/error (and optional text), goes CLOSING. */
void l2tp_tunnel_close(struct l2tp_tunnel *t, uint16_t result, uint16_t error,
    const char *text, uint64_t now);
struct l2tp_tunnel *l2tp_host_find_tunnel(struct l2tp_host *h,
    uint16_t local_id);
/* Calls fn for every tunnel; fn must not close tunnels. */
void l2tp_host_foreach_tunnel(struct l2tp_host *h,
    void (*fn)(struct l2tp_tunnel *t, void *arg), void *arg);

struct l2tp_tunnel_info {
	enum l2tp_role role;
	enum l2tp_tunnel_state state;
	uint16_t local_id, peer_id;
	struct l2tp_addr peer, local;
	char peer_hostname[L2TP_MAX_NAME];
	char peer_entry[L2TP_MAX_NAME]; /* l2tp_accept.label */
	unsigned sessions;
	uint64_t tx_ctrl, rx_ctrl, retransmits;
	uint64_t created_ms; /* monotonic */
};
void l2tp_tunnel_get_info(const struct l2tp_tunnel *t,
    struct l2tp_tunnel_info *info);
void *l2tp_tunnel_user(const struct l2tp_tunnel *t);
void l2tp_tunnel_set_user(struct l2tp_tunnel *t, void *user);
bool l2tp_tunnel_is_up(const struct l2tp_tunnel *t);
/* The role the tunnel was opened with, without copying the whole info
 * (tests and tools; the roles dispatch by the owner in ->user instead). */
enum l2tp_role l2tp_tunnel_role(const struct l2tp_tunnel *t);

/* ---- sessions ---- */

struct l2tp_call_params {
	uint32_t call_serial; /* 0: assigned by the host */
	uint32_t bearer_type, framing_type;
	uint32_t tx_connect_speed, rx_connect_speed;
	char calling_number[L2TP_MAX_NAME];
	char called_number[L2TP_MAX_NAME];
	/* Proxy LCP / proxy authentication (RFC 2661 §4.4.5), sent in ICCN
	 * when the fields are present (len > 0 / type != 0). */
	struct l2tp_msg *proxy; /* optional: proxy AVPs copied from here */
	/* Optional (tunnel switching): an ICRQ received from another LAC
	 * whose AVPs the ICRQ sent repeats, all but the identifiers this
	 * session assigns itself (Assigned Session ID, Call Serial Number);
	 * the fields above override its values.  Read when the ICRQ goes
	 * out (at once, or when the tunnel comes up): it must live until
	 * session_up or session_down. */
	const struct l2tp_msg *forward;
	bool sequencing_required;
	/* RFC 5515 access-line AVPs for the ICRQ (present 0: none). */
	struct access_line access_line;
};

/* LAC side of an incoming call (§7.4.1): ICRQ now if the tunnel is up,
 * else when it comes up.  NULL at max-sessions or out of memory. */
struct l2tp_session *l2tp_session_open(struct l2tp_tunnel *t,
    const struct l2tp_call_params *p, uint64_t now);
/* LNS side of an outgoing call (§7.5.2): what the LAC is asked to dial. */
struct l2tp_outgoing_params {
	uint32_t call_serial;		   /* 0: assigned by the host */
	uint32_t min_bps, max_bps;	   /* §4.4.5; max 0: no upper limit */
	uint32_t bearer_type;		   /* 0: whatever the LAC announced */
	uint32_t framing_type;		   /* 0: sync or async, the LAC picks */
	char called_number[L2TP_MAX_NAME]; /* required (§6.9) */
	char sub_address[L2TP_MAX_NAME];   /* optional, "" = none */
};

/* LNS side of an outgoing call (§7.5.2): OCRQ now if the tunnel is up,
 * else when it comes up; OCRP → wait-connect, OCCN → session_up.  NULL
 * when the parameters are invalid (no called number, min > max BPS), the
 * LAC did not announce Bearer Capabilities or cannot carry bearer_type
 * (§6.9), at max-sessions or out of memory. */
struct l2tp_session *l2tp_session_open_outgoing(struct l2tp_tunnel *t,
    const struct l2tp_outgoing_params *p, uint64_t now);
/* Sends CDN with result/error and drops the session; session_down follows. */
void l2tp_session_close(struct l2tp_session *s, uint16_t result, uint16_t error,
    const char *text, uint64_t now);
/* LAC answer to an accepted OCRQ once the outgoing call is connected. */
void l2tp_session_outgoing_connected(struct l2tp_session *s, uint64_t now);
/* Largest PPP frame a data message carries (larger ones are refused). */
#define L2TP_DATA_MAX_FRAME 4096
/* Bytes l2tp_session_send_data_inplace() needs in front of a frame: the
 * data header with Ns/Nr (l2tp/data_hdr.h, DATA_HDR_MAX). */
#define L2TP_DATA_HEADROOM  10
/* Sends a PPP frame as a data message (compact header, §3.1), copying it
 * into the host's transmit buffer; 0, or -1 when the session or its tunnel
 * is not established or the frame is too long. */
int l2tp_session_send_data(struct l2tp_session *s, const uint8_t *frame,
    size_t len);
/* The same without a copy: the header is written into the `headroom`
 * bytes before `frame` (at least L2TP_DATA_HEADROOM, else it copies), and
 * the datagram leaves through ops->send_data, so `frame`'s buffer must stay
 * unchanged until the caller returns to its event loop. */
int l2tp_session_send_data_inplace(struct l2tp_session *s, uint8_t *frame,
    size_t len, size_t headroom);
/* In place too, but through ops->send at once, for a buffer the caller
 * reuses before it returns to its event loop (a receive buffer). */
int l2tp_session_send_data_now(struct l2tp_session *s, uint8_t *frame,
    size_t len, size_t headroom);
struct l2tp_session *l2tp_tunnel_find_session(struct l2tp_tunnel *t,
    uint16_t local_id);
void l2tp_tunnel_foreach_session(struct l2tp_tunnel *t,
    void (*fn)(struct l2tp_session *s, void *arg), void *arg);
struct l2tp_tunnel *l2tp_session_tunnel(const struct l2tp_session *s);

struct l2tp_session_info {
	enum l2tp_session_state state;
	uint16_t tunnel_local_id;
	uint16_t local_id, peer_id;
	uint32_t call_serial;
	bool outgoing; /* OCRQ-initiated */
	/* From the ICCN/OCCN once established (§4.4.5), else 0. */
	uint32_t tx_connect_speed, rx_connect_speed;
	uint32_t framing_type;
	bool sequencing; /* §5.4: data carries Ns/Nr */
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
	uint64_t created_ms;
	/* The CDN the peer sent (§4.4.2 Result/Error Code, 15 for 15 or
	 * more); result 0: none came. */
	uint16_t cdn_result, cdn_error;
};
void l2tp_session_get_info(const struct l2tp_session *s,
    struct l2tp_session_info *info);
/* §4.4.5 Calling Number of an incoming call (the ICRQ's, received or
 * sent), "" when there was none. */
const char *l2tp_session_calling_number(const struct l2tp_session *s);
/* Bytes the session holds: the struct and what it allocated (call
 * parameters, proxy AVPs, Calling Number copy, frames held before ICCN). */
size_t l2tp_session_footprint(const struct l2tp_session *s);
void *l2tp_session_user(const struct l2tp_session *s);
void l2tp_session_set_user(struct l2tp_session *s, void *user);

#endif
