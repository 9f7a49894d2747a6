/*
 * msg.h — the L2TP wire codec: header, typed control messages, verdicts.
 *
 * Decoding happens once, at the edge: l2tp_hdr_decode() reads the RFC 2661
 * §3.1 header of any datagram; l2tp_msg_decode() turns a whole control
 * message into a struct l2tp_msg (typed fields + a presence bitmap) after
 * checking every AVP against avp_table.c and the message's required/allowed
 * AVPs against msg_spec.c (§6).  l2tp_msg_encode() is the inverse.  Neither
 * does I/O, reads the clock or allocates.
 */
#ifndef VPDN_L2TP_MSG_H
#define VPDN_L2TP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/access_line.h"
#include "l2tp/l2tp_proto.h"

/* ---- header (RFC 2661 §3.1) ---- */

struct l2tp_hdr {
	bool is_control; /* T */
	bool has_length; /* L */
	bool has_seq;	 /* S */
	bool has_offset; /* O */
	bool priority;	 /* P */
	uint16_t length; /* total length when has_length */
	uint16_t tunnel_id;
	uint16_t session_id;
	uint16_t ns, nr;      /* when has_seq */
	uint16_t offset_size; /* when has_offset */
	uint16_t payload_off; /* first byte after header (+ offset pad) */
	uint16_t payload_len; /* bytes of payload (to length or datagram end) */
};

enum l2tp_hdr_status {
	L2TP_HDR_OK = 0,
	L2TP_HDR_TRUNCATED, /* datagram shorter than the header it announces */
	L2TP_HDR_BAD_VERSION, /* Ver != 2 (Ver 1 is L2F: drop, §3.1) */
	L2TP_HDR_BAD_LENGTH,  /* Length field > datagram or < header */
	L2TP_HDR_BAD_CONTROL, /* control without L or S, or with O (§3.1) */
};

enum l2tp_hdr_status l2tp_hdr_decode(const uint8_t *pkt, size_t len,
    struct l2tp_hdr *h);
const char *l2tp_hdr_status_str(enum l2tp_hdr_status st);

/* ---- typed control message ---- */

#define L2TP_MAX_NAME  256 /* host/vendor/calling number etc. (+NUL) */
#define L2TP_MAX_BYTES 256 /* challenge, proxy LCP, group id... */

struct l2tp_bytes {
	uint16_t len;
	uint8_t data[L2TP_MAX_BYTES];
};

struct l2tp_result {
	uint16_t result;
	uint16_t error; /* valid when has_error */
	bool has_error;
	char message[L2TP_MAX_NAME]; /* optional text, "" if none */
};

struct l2tp_q931 {
	uint16_t cause;
	uint8_t msg;
	char advisory[L2TP_MAX_NAME];
};

struct l2tp_call_errors { /* RFC 2661 §4.4.6, WEN */
	uint32_t crc_errors, framing_errors, hw_overruns, buffer_overruns,
	    timeout_errors, alignment_errors;
};

struct l2tp_accm { /* RFC 2661 §4.4.6, SLI */
	uint32_t send, recv;
};

/* Presence bit of an AVP type in struct l2tp_msg.present. */
#define L2TP_AVP_BIT(t) ((uint64_t)1 << (t))

struct l2tp_msg {
	struct l2tp_hdr hdr;
	enum l2tp_msg_type type; /* L2TP_MSG_ZLB when no AVPs */
	uint64_t present;	 /* L2TP_AVP_BIT(type) for each AVP seen */
	uint64_t hidden;	 /* same, for those that arrived hidden */

	struct l2tp_result result;
	uint8_t proto_ver, proto_rev;
	uint32_t framing_cap, bearer_cap;
	uint8_t tie_breaker[8];
	uint16_t firmware_rev;
	char host_name[L2TP_MAX_NAME];
	char vendor_name[L2TP_MAX_NAME];
	uint16_t assigned_tunnel_id;
	uint16_t receive_window;
	struct l2tp_bytes challenge;
	struct l2tp_q931 q931;
	uint8_t challenge_response[16];
	uint16_t assigned_session_id;
	uint32_t call_serial;
	uint32_t min_bps, max_bps;
	uint32_t bearer_type, framing_type;
	char called_number[L2TP_MAX_NAME];
	char calling_number[L2TP_MAX_NAME];
	char sub_address[L2TP_MAX_NAME];
	uint32_t tx_connect_speed, rx_connect_speed;
	uint32_t physical_channel;
	struct l2tp_bytes initial_rcvd_confreq;
	struct l2tp_bytes last_sent_confreq;
	struct l2tp_bytes last_rcvd_confreq;
	uint16_t proxy_authen_type;
	char proxy_authen_name[L2TP_MAX_NAME];
	struct l2tp_bytes proxy_authen_challenge;
	uint16_t proxy_authen_id;
	struct l2tp_bytes proxy_authen_response;
	struct l2tp_call_errors call_errors;
	struct l2tp_accm accm;
	struct l2tp_bytes private_group_id;
	/* Sequencing Required has no value: its presence bit says it all. */
	/* RFC 5515 access-line AVPs (Vendor ID 3561, l2tp/avp_bbf.c); their
	 * presence is access_line.present, not present above. */
	struct access_line access_line;
};

static inline bool
l2tp_msg_has(const struct l2tp_msg *m, enum l2tp_avp_type t)
{
	return (m->present & L2TP_AVP_BIT(t)) != 0;
}

static inline void
l2tp_msg_set(struct l2tp_msg *m, enum l2tp_avp_type t)
{
	m->present |= L2TP_AVP_BIT(t);
}

/* ---- decode verdicts ---- */

enum l2tp_verdict {
	L2TP_OK = 0,
	L2TP_DROP,	     /* silently discard (logged + counted by caller) */
	L2TP_REJECT_TUNNEL,  /* tear the tunnel down: StopCCN result/error */
	L2TP_REJECT_SESSION, /* clear the session: CDN result/error */
};

struct l2tp_err {
	enum l2tp_verdict verdict;
	uint16_t result;    /* StopCCN or CDN result code */
	uint16_t error;	    /* general error code */
	uint16_t avp_type;  /* the offending AVP, if any */
	const char *reason; /* static string for logs/counters */
};

/* The shared secret of a tunnel: hides/unhides AVPs (§4.3) and drives the
 * Challenge/Response tunnel authentication (§5.1.1).  len 0 = no secret. */
struct l2tp_secret {
	const uint8_t *data;
	size_t len;
};

/*
 * Decodes the control message in pkt[0..len).  On L2TP_OK, *m is filled.
 * Otherwise *err says what the RFC wants done:
 *  - DROP: malformed framing (bad header, AVP length < 6 or overrunning the
 *    message, first AVP not Message Type, hidden AVP without secret or
 *    Random Vector, unknown message type without M...);
 *  - REJECT_TUNNEL / REJECT_SESSION: §4.2 unknown M-bit AVP (error 8),
 *    missing required AVP or wrong fixed AVP size (result 2, error 2/3),
 *    unknown message type with M bit set (§3.2).  The scope follows the
 *    message: session messages (ICRQ..CDN, WEN, SLI, non-zero session ID)
 *    reject the session, others the tunnel.  *m holds what was decoded so
 *    far (header, type, assigned IDs) so the caller can address its answer.
 */
enum l2tp_verdict l2tp_msg_decode(const uint8_t *pkt, size_t len,
    const struct l2tp_secret *secret, struct l2tp_msg *m, struct l2tp_err *err)
    __attribute__((warn_unused_result));

/*
 * Encodes *m as a control message into out[0..cap): header with T, L, S
 * set (Ns/Nr written as m->hdr.ns/nr; the transport rewrites them), the
 * Message Type AVP first, then every AVP whose bit is in m->present, in
 * type order.  With a secret and hide set, AVPs that §4.4 allows to hide
 * go hidden behind one fresh Random Vector (§4.3).  Returns the length, or
 * 0 if cap is too small.
 */
size_t l2tp_msg_encode(const struct l2tp_msg *m,
    const struct l2tp_secret *secret, bool hide, uint8_t *out, size_t cap)
    __attribute__((warn_unused_result));

/* Initialises *m as an empty message of a type addressed to (tunnel, session). */
void l2tp_msg_init(struct l2tp_msg *m, enum l2tp_msg_type type,
    uint16_t tunnel_id, uint16_t session_id);

/* Names: "SCCRQ", "Assigned Tunnel ID", "no control connection", ... */
const char *l2tp_msg_type_str(enum l2tp_msg_type t);
const char *l2tp_avp_type_str(uint16_t t);
const char *l2tp_verdict_str(enum l2tp_verdict v);
/* RFC 2661 §4.4.2 Result Codes: the RFC's words ("general request to clear
 * control connection") and the short token of `vpdnctl show stats`
 * ("general-request"), from one table. */
const char *l2tp_stopccn_result_str(uint16_t r);
const char *l2tp_stopccn_result_token(uint16_t r);
const char *l2tp_cdn_result_str(uint16_t r);
const char *l2tp_cdn_result_token(uint16_t r);
const char *l2tp_error_code_str(uint16_t e);

/* True for ICRQ, ICRP, ICCN, OCRQ, OCRP, OCCN, CDN, WEN, SLI. */
bool l2tp_msg_is_session_msg(enum l2tp_msg_type t);

#endif
