/*
 * cp.h — the one generic RFC 1661 option-negotiation automaton.
 *
 * LCP, IPCP and IPv6CP are each a struct cp_proto (name, protocol number,
 * option table, callbacks) over this automaton.  The §4.1 state transition
 * table is data (cp_table[state][event] = { next state, action flags }); the
 * restart timer, the Restart counter (Max-Configure / Max-Terminate), the
 * failure counter (Max-Failure), Configure-Request identifiers and the
 * Ack/Nak/Reject bookkeeping live here once.
 *
 * Sans-I/O: every entry takes now (ms); packets leave through proto->send;
 * the owner asks cp_next_deadline() and calls cp_timeout().
 */
#ifndef VPDN_PPP_CP_H
#define VPDN_PPP_CP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* RFC 1661 §4.2 states, numbered as in the §4.1 table. */
enum cp_state {
	CP_INITIAL = 0,
	CP_STARTING,
	CP_CLOSED,
	CP_STOPPED,
	CP_CLOSING,
	CP_STOPPING,
	CP_REQSENT,
	CP_ACKRCVD,
	CP_ACKSENT,
	CP_OPENED,
	CP_NSTATES
};
const char *cp_state_str(enum cp_state s);

/* RFC 1661 §4.3 events, in the order of the §4.1 table's rows. */
enum cp_event {
	CP_EV_UP = 0,
	CP_EV_DOWN,
	CP_EV_OPEN,
	CP_EV_CLOSE,
	CP_EV_TO_PLUS,
	CP_EV_TO_MINUS,
	CP_EV_RCR_PLUS,
	CP_EV_RCR_MINUS,
	CP_EV_RCA,
	CP_EV_RCN,
	CP_EV_RTR,
	CP_EV_RTA,
	CP_EV_RUC,
	CP_EV_RXJ_PLUS,
	CP_EV_RXJ_MINUS,
	CP_EV_RXR,
	CP_NEVENTS
};
const char *cp_event_str(enum cp_event e);

/* RFC 1661 §4.4 actions, as flags of one table cell. */
enum cp_action {
	CP_TLU = 1 << 0,
	CP_TLD = 1 << 1,
	CP_TLS = 1 << 2,
	CP_TLF = 1 << 3,
	CP_IRC = 1 << 4,
	CP_ZRC = 1 << 5,
	CP_SCR = 1 << 6,
	CP_SCA = 1 << 7,
	CP_SCN = 1 << 8,
	CP_STR = 1 << 9,
	CP_STA = 1 << 10,
	CP_SCJ = 1 << 11,
	CP_SER = 1 << 12,
};

/* '-' in the table: an illegal event for the state, logged and ignored. */
#define CP_ILLEGAL 0xff

struct cp_transition {
	uint8_t next;	  /* enum cp_state or CP_ILLEGAL */
	uint16_t actions; /* enum cp_action flags */
};
extern const struct cp_transition cp_table[CP_NSTATES][CP_NEVENTS];

struct cp;

/* What a req handler answers for one option of the peer's Configure-Request. */
enum cp_verdict {
	CP_ACK = 0,
	CP_NAK, /* handler wrote the suggested option (type, len, value) */
	CP_REJ,
};

/*
 * One negotiable option, accel-ppp style.  data/len are the option's value
 * (after type and length); len is already within [len_min, len_max].
 *  add: append our option (type, length, value) to a Configure-Request;
 *       write nothing to leave it out.
 *  ack: the peer acked our request (data is what we sent); -1 only when
 *       the value is unacceptable to us (proxy LCP's Last Sent CONFREQ).
 *  nak: the peer suggests data (also for an option we did not send).
 *  rej: the peer rejected our option; it is not sent again (cp does that).
 *  req: the peer requests data; CP_NAK writes the whole suggested option.
 */
struct cp_option {
	uint8_t type;
	const char *name;
	uint8_t len_min, len_max; /* value length, excluding type+length */
	void (*add)(struct cp *cp, struct wbuf *w);
	int (*ack)(struct cp *cp, const uint8_t *data, size_t len);
	void (*nak)(struct cp *cp, const uint8_t *data, size_t len);
	void (*rej)(struct cp *cp);
	enum cp_verdict (*req)(struct cp *cp, const uint8_t *data, size_t len,
	    struct wbuf *nak);
};

/* Result of cp_proto.ext_code for codes beyond 1-7. */
enum cp_ext {
	CP_EXT_UNKNOWN = 0, /* RUC: Code-Reject */
	CP_EXT_HANDLED,	    /* protocol consumed it (e.g. Protocol-Reject) */
	CP_EXT_RXR,	    /* Echo-Request/Reply, Discard-Request */
};

/* The owner of a protocol (lcp.c, ipcp.c, the link): where packets go and
 * who hears of This-Layer-Up/Down/Started/Finished. */
struct cp_owner_ops {
	void (*send)(void *ctx, uint16_t proto, const uint8_t *pkt, size_t len);
	/* what: CP_TLU, CP_TLD, CP_TLS or CP_TLF. */
	void (*layer)(void *ctx, uint16_t proto, enum cp_action what);
	/* LCP only: a Protocol-Reject for proto arrived (RFC 1661 §5.7). */
	void (*proto_rej)(void *ctx, uint16_t proto);
	/* LCP only: give up the link (looped back, echo timeout, no auth). */
	void (*fail)(void *ctx, const char *reason);
};

struct cp_proto {
	const char *name;
	uint16_t proto;
	const struct cp_option *options;
	unsigned noptions;
	/* Transmit one packet (code, id, length, data) for proto. */
	void (*send)(struct cp *cp, const uint8_t *pkt, size_t len);
	/* RFC 1661 §4.4 layer actions; may be NULL. */
	void (*tlu)(struct cp *cp);
	void (*tld)(struct cp *cp);
	void (*tls)(struct cp *cp);
	void (*tlf)(struct cp *cp);
	/* Before a new negotiation (IRC with SCR): reset option values. */
	void (*reset)(struct cp *cp);
	/* Before judging a peer's Configure-Request: forget its last values. */
	void (*req_begin)(struct cp *cp);
	/* After the peer's options were judged without any Reject: append
	 * Nak entries for options we need but the peer did not include. */
	void (
	    *req_missing)(struct cp *cp, const uint8_t *seen, struct wbuf *nak);
	/* Codes 8..: classify (LCP only); NULL = every such code is RUC. */
	enum cp_ext (*ext_code)(struct cp *cp, uint8_t code, uint8_t id,
	    const uint8_t *data, size_t len, uint64_t now);
	/* SER: answer the Echo-Request that caused RXR in Opened. */
	void (*ser)(struct cp *cp, uint8_t id, const uint8_t *data, size_t len);
	/* RXJ for code (Code-Reject): true when the code is needed (RXJ-). */
	bool (*code_rej_fatal)(struct cp *cp, uint8_t code);
};

#define CP_MAX_OPTIONS 16
#define CP_MAX_PKT \
	1500 /* our Configure-* packets; larger input truncated in replies */
/*
 * Options of our own last Configure-Request, or of a LAC's proxied Last Sent
 * CONFREQ (RFC 2661 §4.4.5) taken as ours.  Kept per automaton, so sized by
 * what can actually be there, not by the AVP's limit: our option tables add
 * at most 15 (LCP: MRU, auth protocol, magic), 18 (IPCP: address, two DNS)
 * and 10 (IPv6CP) bytes, and cp_proxy_open() only takes options those tables
 * can ack (same bound) — a longer proxied list is refused there and LCP is
 * renegotiated, which §4.4.5 allows.  test_ppp_cp checks every table fits.
 * Issue 7's 2 KiB per session holds two or three of these.
 */
#define CP_MAX_REQ 64

/* Per-option flags (npppd's psm-opt idea). */
#define CP_OPT_REJECTED 0x01 /* peer rejected our option: never send again */
#define CP_OPT_SENT	0x02 /* in our last Configure-Request */
#define CP_OPT_PEER	0x04 /* peer's acked request carried it */

struct cp_config {
	unsigned restart_ms;	/* 3000 */
	unsigned max_configure; /* 10 */
	unsigned max_terminate; /* 2 */
	unsigned max_failure;	/* 5 */
};

struct cp {
	const struct cp_proto *proto;
	void *arg; /* owner (lcp/ipcp/link) */
	struct cp_config cfg;
	enum cp_state state;
	unsigned restart_count;
	unsigned failure_count; /* Naks sent without an Ack */
	uint64_t deadline;	/* restart timer; TIME_NEVER */
	uint8_t next_id;
	uint8_t req_id;	  /* id of our last Configure-Request */
	bool req_pending; /* req_id awaits an answer */
	uint8_t rx_id;	  /* of the packet being processed */
	uint8_t opt_flags[CP_MAX_OPTIONS];
	uint8_t last_req[CP_MAX_REQ]; /* our last request's options */
	size_t last_req_len;
	/* The reply to the peer's Configure-Request being processed (SCA/SCN):
	 * built and sent within one cp_input() call, so it lives in one
	 * buffer shared by every automaton (the daemon is single-threaded). */
	uint8_t *reply;
	size_t reply_len;
	/* The packet being processed, for STA/SCJ/SER. */
	const uint8_t *rx_pkt;
	size_t rx_len;
	uint64_t now;
	struct {
		uint64_t rx_discards;
	} stats;
};

void cp_init(struct cp *cp, const struct cp_proto *proto, void *arg,
    const struct cp_config *cfg);
/* Feeds one event through the table (tests, and the link for Up/Down/Open/Close). */
void cp_event(struct cp *cp, enum cp_event ev, uint64_t now);
void cp_up(struct cp *cp, uint64_t now);
void cp_down(struct cp *cp, uint64_t now);
void cp_open(struct cp *cp, uint64_t now);
void cp_close(struct cp *cp, uint64_t now);
/* A packet (code, id, length, data) for this protocol. */
void cp_input(struct cp *cp, const uint8_t *pkt, size_t len, uint64_t now);
void cp_timeout(struct cp *cp, uint64_t now);
uint64_t cp_next_deadline(const struct cp *cp);
/* RXJ+/RXJ- from a Protocol-Reject of this protocol (LCP calls it on NCPs). */
void cp_rxj(struct cp *cp, bool fatal, uint64_t now);
/* Sends code/id/data (Echo, Discard, Protocol-Reject...). */
void cp_send_packet(struct cp *cp, uint8_t code, uint8_t id,
    const uint8_t *data, size_t len);
uint8_t cp_new_id(struct cp *cp);
/*
 * RFC 2661 §4.4.5 proxy LCP: jump to Opened with our options sent (as if
 * acked) and the peer's request rcvd (as if acked by us).  Returns -1, with
 * the automaton untouched, when the peer's options are not all acceptable
 * (some would be Nak'd/Rejected) or either list is malformed.
 */
int cp_proxy_open(struct cp *cp, const uint8_t *sent, size_t sent_len,
    const uint8_t *rcvd, size_t rcvd_len, uint64_t now);

static inline bool
cp_opt_rejected(const struct cp *cp, unsigned i)
{
	return (cp->opt_flags[i] & CP_OPT_REJECTED) != 0;
}

static inline bool
cp_is_opened(const struct cp *cp)
{
	return cp->state == CP_OPENED;
}

/* Parses a list of options (type, length >= 2, value), bounds-checked:
 * returns false if any length is < 2 or runs past the end. */
bool cp_options_valid(const uint8_t *p, size_t len);

#endif
