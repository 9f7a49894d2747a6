/*
 * dhcpv6_codec.h — DHCPv6 client/server messages (RFC 8415 §8) and the
 * options vpdn speaks (RFC 8415 §21, RFC 3646 §3), parsed into a fixed-size
 * struct and built back from it.
 *
 * Parsing is bounded: every option length is checked against what is left
 * of its parent (the message or the enclosing IA / IA Prefix), nothing is
 * read beyond the buffer, and at most DHCPV6_MAX_IA IAs per message and
 * DHCPV6_MAX_PREFIX prefixes (or addresses) per IA are kept; the rest are
 * counted in ->dropped and logged, rate-limited.  Options vpdn does not
 * know are skipped (RFC 8415 §16: a receiver ignores unknown options).
 * Relay messages (Relay-forward/Relay-reply, §9) are refused: vpdn's
 * server is on the subscriber's point-to-point link, never behind a relay.
 */
#ifndef VPDN_IPV6_DHCPV6_CODEC_H
#define VPDN_IPV6_DHCPV6_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* UDP ports (RFC 8415 §7.2). */
#define DHCPV6_CLIENT_PORT 546
#define DHCPV6_SERVER_PORT 547

/* Message types (RFC 8415 §7.3). */
enum dhcpv6_msg_type {
	DHCPV6_SOLICIT = 1,
	DHCPV6_ADVERTISE = 2,
	DHCPV6_REQUEST = 3,
	DHCPV6_CONFIRM = 4,
	DHCPV6_RENEW = 5,
	DHCPV6_REBIND = 6,
	DHCPV6_REPLY = 7,
	DHCPV6_RELEASE = 8,
	DHCPV6_DECLINE = 9,
	DHCPV6_RECONFIGURE = 10,
	DHCPV6_INFORMATION_REQUEST = 11,
	DHCPV6_RELAY_FORW = 12,
	DHCPV6_RELAY_REPL = 13,
};

/* Option codes (RFC 8415 §21, RFC 3646 §3). */
enum dhcpv6_opt {
	DHCPV6_OPT_CLIENTID = 1,
	DHCPV6_OPT_SERVERID = 2,
	DHCPV6_OPT_IA_NA = 3,
	DHCPV6_OPT_IA_TA = 4,
	DHCPV6_OPT_IAADDR = 5,
	DHCPV6_OPT_ORO = 6,
	DHCPV6_OPT_PREFERENCE = 7,
	DHCPV6_OPT_ELAPSED_TIME = 8,
	DHCPV6_OPT_STATUS_CODE = 13,
	DHCPV6_OPT_RAPID_COMMIT = 14,
	DHCPV6_OPT_RECONF_ACCEPT = 20,
	DHCPV6_OPT_DNS_SERVERS = 23,
	DHCPV6_OPT_IA_PD = 25,
	DHCPV6_OPT_IAPREFIX = 26,
};

/* Status codes (RFC 8415 §21.13). */
enum dhcpv6_status {
	DHCPV6_ST_SUCCESS = 0,
	DHCPV6_ST_UNSPEC_FAIL = 1,
	DHCPV6_ST_NO_ADDRS_AVAIL = 2,
	DHCPV6_ST_NO_BINDING = 3,
	DHCPV6_ST_NOT_ON_LINK = 4,
	DHCPV6_ST_USE_MULTICAST = 5,
	DHCPV6_ST_NO_PREFIX_AVAIL = 6,
};

/* DUID types (RFC 8415 §11.1; DUID-UUID: RFC 6355). */
enum dhcpv6_duid_type {
	DHCPV6_DUID_LLT = 1,
	DHCPV6_DUID_EN = 2,
	DHCPV6_DUID_LL = 3,
	DHCPV6_DUID_UUID = 4,
};

/* RFC 8415 §11.1: a DUID is a 2-octet type and at most 128 octets more. */
#define DHCPV6_DUID_MAX	  130
#define DHCPV6_MAX_IA	  4
#define DHCPV6_MAX_PREFIX 4
#define DHCPV6_MAX_ORO	  16
#define DHCPV6_MAX_DNS	  4
#define DHCPV6_HDR_LEN	  4
/* Lifetimes and T1/T2 of all ones mean "infinity" (RFC 8415 §7.7). */
#define DHCPV6_INFINITY	  0xffffffffu

struct dhcpv6_duid {
	uint16_t len; /* 0: absent */
	uint8_t b[DHCPV6_DUID_MAX];
};

/* An IA Prefix (§21.22) in an IA_PD, or an IA Address (§21.6) in an IA_NA
 * or IA_TA (then plen is 128). */
struct dhcpv6_lease6 {
	uint8_t addr[16];
	uint8_t plen;
	uint32_t preferred;
	uint32_t valid;
	bool has_status;
	uint16_t status;
};

/* An IA_NA (§21.4), IA_TA (§21.5) or IA_PD (§21.21). */
struct dhcpv6_ia {
	uint16_t type; /* DHCPV6_OPT_IA_NA / _IA_TA / _IA_PD */
	uint32_t iaid;
	uint32_t t1, t2; /* 0 for an IA_TA */
	bool has_status;
	uint16_t status;
	unsigned n;
	struct dhcpv6_lease6 lease[DHCPV6_MAX_PREFIX];
};

/* A delegated prefix and its lifetimes in seconds. */
struct dhcpv6_pd_lease {
	uint8_t prefix[16];
	uint8_t plen;
	uint32_t preferred;
	uint32_t valid;
};

/* Which of the singleton options a message carries. */
#define DHCPV6_HAVE_CLIENTID	  (1u << 0)
#define DHCPV6_HAVE_SERVERID	  (1u << 1)
#define DHCPV6_HAVE_ORO		  (1u << 2)
#define DHCPV6_HAVE_PREFERENCE	  (1u << 3)
#define DHCPV6_HAVE_ELAPSED	  (1u << 4)
#define DHCPV6_HAVE_STATUS	  (1u << 5)
#define DHCPV6_HAVE_RAPID_COMMIT  (1u << 6)
#define DHCPV6_HAVE_RECONF_ACCEPT (1u << 7)
#define DHCPV6_HAVE_DNS		  (1u << 8)

struct dhcpv6_msg {
	uint8_t type;
	uint32_t xid;	  /* 24 bits */
	uint32_t present; /* DHCPV6_HAVE_* */
	struct dhcpv6_duid client_id, server_id;
	unsigned nia;
	struct dhcpv6_ia ia[DHCPV6_MAX_IA];
	unsigned noro;
	uint16_t oro[DHCPV6_MAX_ORO];
	uint16_t elapsed; /* hundredths of a second (§21.9) */
	uint8_t preference;
	uint16_t status;
	unsigned ndns;
	uint8_t dns[DHCPV6_MAX_DNS][16];
	/* Parse only: IAs, leases, ORO codes and DNS servers beyond the
	 * limits above, which were skipped. */
	unsigned dropped;
};

enum dhcpv6_parse_result {
	DHCPV6_OK = 0,
	DHCPV6_ERR_SHORT = -1,	   /* shorter than the 4-octet header */
	DHCPV6_ERR_OPTION = -2,	   /* an option overruns its parent */
	DHCPV6_ERR_BAD_LEN = -3,   /* an option of the wrong length */
	DHCPV6_ERR_DUPLICATE = -4, /* a singleton option twice */
	DHCPV6_ERR_RELAY = -5,	   /* relay message: not spoken here */
	DHCPV6_ERR_DUID = -6,	   /* a DUID shorter than its type needs */
};

/* Parses buf[0..len) into *m.  Returns DHCPV6_OK or a negative
 * dhcpv6_parse_result; *m is undefined on error. */
int dhcpv6_parse(const uint8_t *buf, size_t len, struct dhcpv6_msg *m);

/* Encodes *m into out[0..cap): header, then Client ID, Server ID, the IAs
 * (each with its status and leases), ORO, Elapsed Time, Preference,
 * Status Code, Rapid Commit, Reconfigure Accept, DNS servers, each if
 * present.  Returns the length, or -1 if cap is too small or *m holds
 * more than the limits. */
int dhcpv6_build(const struct dhcpv6_msg *m, uint8_t *out, size_t cap);

/* The message type's name for logs ("SOLICIT", ...; "?" if unknown). */
const char *dhcpv6_type_name(uint8_t type);

bool dhcpv6_duid_eq(const struct dhcpv6_duid *a, const struct dhcpv6_duid *b);

/* Builds a DUID-LL (§11.4) from an Ethernet (hardware type 1) or other
 * link-layer address of up to 16 octets. */
void dhcpv6_duid_ll(struct dhcpv6_duid *d, uint16_t hwtype,
    const uint8_t *lladdr, size_t len);

/* Whether the ORO of *m asks for option code. */
bool dhcpv6_oro_has(const struct dhcpv6_msg *m, uint16_t code);

#endif
