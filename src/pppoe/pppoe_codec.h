/*
 * pppoe_codec.h — PPPoE (RFC 2516) frames: the Ethernet header, the 6-octet
 * PPPoE header and the discovery TAGs (§5, Appendix A).
 *
 * Pure: no sockets, no time, no allocation.  pppoe_parse() checks a whole
 * received Ethernet frame (as read from an AF_PACKET SOCK_RAW socket: no FCS)
 * and fills a typed struct whose tag values point into the frame; every
 * length is checked against the Ethernet payload, so a malformed or oversize
 * frame yields an error code, never an out-of-bounds read.  The builders are
 * the inverse and never write past `cap`.
 */
#ifndef VPDN_PPPOE_CODEC_H
#define VPDN_PPPOE_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define PPPOE_ETHERTYPE_DISC  0x8863 /* RFC 2516 §4: Discovery Stage */
#define PPPOE_ETHERTYPE_SES   0x8864 /* RFC 2516 §4: PPP Session Stage */
#define PPPOE_MAC_LEN	      6
#define PPPOE_ETH_HDR_LEN     14
#define PPPOE_HDR_LEN	      6
#define PPPOE_ETH_PAYLOAD_MAX 1500 /* Ethernet II payload */
#define PPPOE_FRAME_MAX	      (PPPOE_ETH_HDR_LEN + PPPOE_ETH_PAYLOAD_MAX)
/* RFC 2516 §7: 1500 - 6 (PPPoE header) - 2 (PPP protocol) */
#define PPPOE_PPP_MRU	      1492
/* RFC 2516 §5.1: a whole PADI, PPPoE header included, leaves room for a
 * relay agent's Relay-Session-Id TAG. */
#define PPPOE_PADI_MAX	      1484
#define PPPOE_SID_RESERVED    0xffff /* RFC 2516 §4: MUST NOT be used */
/* Service-Name TAGs kept from one packet (a PADO may carry several). */
#define PPPOE_MAX_SERVICES    8

enum pppoe_code {
	PPPOE_CODE_SESSION = 0x00, /* §6 */
	PPPOE_CODE_PADO = 0x07,	   /* §5.2 */
	PPPOE_CODE_PADI = 0x09,	   /* §5.1 */
	PPPOE_CODE_PADR = 0x19,	   /* §5.3 */
	PPPOE_CODE_PADS = 0x65,	   /* §5.4 */
	PPPOE_CODE_PADT = 0xa7,	   /* §5.5 */
};
const char *pppoe_code_str(enum pppoe_code c);

/* RFC 2516 Appendix A */
enum pppoe_tag_type {
	PPPOE_TAG_END_OF_LIST = 0x0000,
	PPPOE_TAG_SERVICE_NAME = 0x0101,
	PPPOE_TAG_AC_NAME = 0x0102,
	PPPOE_TAG_HOST_UNIQ = 0x0103,
	PPPOE_TAG_AC_COOKIE = 0x0104,
	PPPOE_TAG_VENDOR_SPECIFIC = 0x0105,
	PPPOE_TAG_RELAY_SESSION_ID = 0x0110,
	PPPOE_TAG_SERVICE_NAME_ERROR = 0x0201,
	PPPOE_TAG_AC_SYSTEM_ERROR = 0x0202,
	PPPOE_TAG_GENERIC_ERROR = 0x0203,
};
const char *pppoe_tag_str(enum pppoe_tag_type t);

/* Presence bits of struct pppoe_pkt (Service-Names: nservice > 0). */
#define PPPOE_HAVE_AC_NAME   (1u << 0)
#define PPPOE_HAVE_HOST_UNIQ (1u << 1)
#define PPPOE_HAVE_AC_COOKIE (1u << 2)
#define PPPOE_HAVE_VENDOR    (1u << 3)
#define PPPOE_HAVE_RELAY_ID  (1u << 4)
#define PPPOE_HAVE_SVC_ERR   (1u << 5)
#define PPPOE_HAVE_SYS_ERR   (1u << 6)
#define PPPOE_HAVE_GEN_ERR   (1u << 7)
#define PPPOE_HAVE_ANY_ERR \
	(PPPOE_HAVE_SVC_ERR | PPPOE_HAVE_SYS_ERR | PPPOE_HAVE_GEN_ERR)

struct pppoe_tag_val {
	const uint8_t *p; /* may be NULL when len == 0 */
	uint16_t len;
};

struct pppoe_pkt {
	uint8_t dst[PPPOE_MAC_LEN];
	uint8_t src[PPPOE_MAC_LEN];
	uint16_t ethertype;
	uint8_t code; /* enum pppoe_code */
	uint16_t session_id;
	/* Discovery TAGs; a repeated single TAG keeps its first value. */
	uint32_t present;  /* PPPOE_HAVE_* */
	unsigned nservice; /* Service-Name TAGs seen */
	struct pppoe_tag_val service[PPPOE_MAX_SERVICES];
	struct pppoe_tag_val ac_name, host_uniq, ac_cookie, vendor, relay_id,
	    svc_err, sys_err, gen_err;
	/* The PPPoE payload (LENGTH octets; Ethernet padding excluded):
	 * for session frames, the PPP frame starting at the protocol. */
	const uint8_t *payload;
	uint16_t payload_len;
};

enum pppoe_err {
	PPPOE_OK,
	PPPOE_ERR_SHORT,      /* shorter than Ethernet + PPPoE headers */
	PPPOE_ERR_OVERSIZE,   /* beyond 1500 octets, or a PADI > 1484 */
	PPPOE_ERR_ETHERTYPE,  /* neither 0x8863 nor 0x8864 */
	PPPOE_ERR_SRC_MAC,    /* multicast/broadcast source (§4) */
	PPPOE_ERR_VER_TYPE,   /* VER or TYPE != 1 (§4) */
	PPPOE_ERR_CODE,	      /* code unknown for this ethertype */
	PPPOE_ERR_LENGTH,     /* LENGTH beyond the frame */
	PPPOE_ERR_SESSION_ID, /* wrong SESSION_ID for the code (§5, §6) */
	PPPOE_ERR_TAG_TRUNC,  /* TAG header or value beyond the payload */
	PPPOE_ERR_TAG_EOL,    /* End-Of-List with non-zero length (App. A) */
	PPPOE_ERR_SERVICE,    /* not exactly one Service-Name (§5.1/5.3/5.4) */
	PPPOE_ERR_MISSING,    /* a required TAG is absent (§5.2, §5.4) */
	PPPOE_ERR_MAX
};
const char *pppoe_err_str(enum pppoe_err e);

/* Parses and validates one Ethernet frame (either ethertype). */
enum pppoe_err pppoe_parse(const uint8_t *frame, size_t len,
    struct pppoe_pkt *out);

/* Builds a discovery frame from pkt (dst, src, code, session_id, present,
 * the Service-Names and the TAGs present); the ethertype is 0x8863.
 * Returns the frame length, or -1 if it would exceed cap, 1500 octets of
 * payload or (for a PADI) 1484 octets. */
int pppoe_build_disc(uint8_t *buf, size_t cap, const struct pppoe_pkt *pkt);

/* Builds a session frame (§6) carrying ppp (protocol field first).
 * Returns the frame length, or -1 if it does not fit cap or 1500 octets. */
int pppoe_build_session(uint8_t *buf, size_t cap,
    const uint8_t dst[PPPOE_MAC_LEN], const uint8_t src[PPPOE_MAC_LEN],
    uint16_t session_id, const uint8_t *ppp, size_t len);

/* A tag value from a C string (not NUL-terminated on the wire, App. A). */
struct pppoe_tag_val pppoe_tag_str_val(const char *s);

static inline bool
pppoe_mac_is_unicast(const uint8_t mac[PPPOE_MAC_LEN])
{
	static const uint8_t zero[PPPOE_MAC_LEN];

	/* I/G bit clear and not the all-zero address. */
	return (mac[0] & 1) == 0 && memcmp(mac, zero, PPPOE_MAC_LEN) != 0;
}

#endif
