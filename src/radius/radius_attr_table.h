/*
 * radius_attr_table.h — the RADIUS attributes vpdn uses: numbers, names and
 * value types, one table row each (radius_attr_table.c), so logging and
 * validation read the RFCs' tables instead of scattered constants.
 */
#ifndef VPDN_RADIUS_RADIUS_ATTR_TABLE_H
#define VPDN_RADIUS_RADIUS_ATTR_TABLE_H

#include <stddef.h>
#include <stdint.h>

/* RFC 2865 §5, RFC 2866 §5, RFC 2867 §4, RFC 2868 §3, RFC 2869 §5,
 * RFC 3576 §3. */
/* clang-format off */
enum radius_attr {
	RADIUS_ATTR_USER_NAME			= 1,
	RADIUS_ATTR_USER_PASSWORD		= 2,
	RADIUS_ATTR_CHAP_PASSWORD		= 3,
	RADIUS_ATTR_NAS_IP_ADDRESS		= 4,
	RADIUS_ATTR_NAS_PORT			= 5,
	RADIUS_ATTR_SERVICE_TYPE		= 6,
	RADIUS_ATTR_FRAMED_PROTOCOL		= 7,
	RADIUS_ATTR_FRAMED_IP_ADDRESS		= 8,
	RADIUS_ATTR_FRAMED_IP_NETMASK		= 9,
	RADIUS_ATTR_FILTER_ID			= 11,
	RADIUS_ATTR_FRAMED_MTU			= 12,
	RADIUS_ATTR_REPLY_MESSAGE		= 18,
	RADIUS_ATTR_FRAMED_ROUTE		= 22,
	RADIUS_ATTR_STATE			= 24,
	RADIUS_ATTR_CLASS			= 25,
	RADIUS_ATTR_VENDOR_SPECIFIC		= 26,
	RADIUS_ATTR_SESSION_TIMEOUT		= 27,
	RADIUS_ATTR_IDLE_TIMEOUT		= 28,
	RADIUS_ATTR_CALLED_STATION_ID		= 30,
	RADIUS_ATTR_CALLING_STATION_ID		= 31,
	RADIUS_ATTR_NAS_IDENTIFIER		= 32,
	RADIUS_ATTR_ACCT_STATUS_TYPE		= 40,
	RADIUS_ATTR_ACCT_DELAY_TIME		= 41,
	RADIUS_ATTR_ACCT_INPUT_OCTETS		= 42,
	RADIUS_ATTR_ACCT_OUTPUT_OCTETS		= 43,
	RADIUS_ATTR_ACCT_SESSION_ID		= 44,
	RADIUS_ATTR_ACCT_AUTHENTIC		= 45,
	RADIUS_ATTR_ACCT_SESSION_TIME		= 46,
	RADIUS_ATTR_ACCT_INPUT_PACKETS		= 47,
	RADIUS_ATTR_ACCT_OUTPUT_PACKETS		= 48,
	RADIUS_ATTR_ACCT_TERMINATE_CAUSE	= 49,
	RADIUS_ATTR_ACCT_INPUT_GIGAWORDS	= 52,
	RADIUS_ATTR_ACCT_OUTPUT_GIGAWORDS	= 53,
	RADIUS_ATTR_EVENT_TIMESTAMP		= 55,
	RADIUS_ATTR_CHAP_CHALLENGE		= 60,
	RADIUS_ATTR_NAS_PORT_TYPE		= 61,
	RADIUS_ATTR_PORT_LIMIT			= 62,
	RADIUS_ATTR_TUNNEL_TYPE			= 64,
	RADIUS_ATTR_TUNNEL_MEDIUM_TYPE		= 65,
	RADIUS_ATTR_TUNNEL_CLIENT_ENDPOINT	= 66,
	RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT	= 67,
	RADIUS_ATTR_ACCT_TUNNEL_CONNECTION	= 68,	/* RFC 2867 §4.1 */
	RADIUS_ATTR_TUNNEL_PASSWORD		= 69,
	RADIUS_ATTR_MESSAGE_AUTHENTICATOR	= 80,
	RADIUS_ATTR_TUNNEL_ASSIGNMENT_ID	= 82,
	RADIUS_ATTR_TUNNEL_PREFERENCE		= 83,
	RADIUS_ATTR_ACCT_INTERIM_INTERVAL	= 85,
	RADIUS_ATTR_FRAMED_POOL			= 88,
	RADIUS_ATTR_TUNNEL_CLIENT_AUTH_ID	= 90,
	RADIUS_ATTR_TUNNEL_SERVER_AUTH_ID	= 91,
	RADIUS_ATTR_FRAMED_INTERFACE_ID		= 96,	/* RFC 3162 §2.2 */
	RADIUS_ATTR_FRAMED_IPV6_PREFIX		= 97,	/* RFC 3162 §2.3 */
	RADIUS_ATTR_FRAMED_IPV6_POOL		= 100,	/* RFC 3162 §2.6 */
	RADIUS_ATTR_ERROR_CAUSE			= 101,
	RADIUS_ATTR_DELEGATED_IPV6_PREFIX	= 123,	/* RFC 4818 §3 */
	RADIUS_ATTR_FRAMED_IPV6_ADDRESS		= 168,	/* RFC 6911 §3.1 */
	RADIUS_ATTR_DNS_SERVER_IPV6_ADDRESS	= 169,	/* RFC 6911 §3.2 */
	RADIUS_ATTR_DELEGATED_IPV6_PREFIX_POOL	= 171,	/* RFC 6911 §3.4 */
};

/* RFC 2548 §2: Microsoft's vendor id and the vendor types we use. */
#define RADIUS_VENDOR_MICROSOFT		311
enum radius_ms_attr {
	RADIUS_MS_CHAP_ERROR		= 2,
	RADIUS_MS_CHAP_CHALLENGE	= 11,
	RADIUS_MS_CHAP2_RESPONSE	= 25,
	RADIUS_MS_CHAP2_SUCCESS		= 26,
	RADIUS_MS_PRIMARY_DNS_SERVER	= 28,
	RADIUS_MS_SECONDARY_DNS_SERVER	= 29,
};

/* MikroTik's vendor id (its published RADIUS dictionary) and its
 * Mikrotik-Rate-Limit string, the rate format most access servers and
 * billing systems send ("rx[/tx] ..." from the NAS's view). */
#define RADIUS_VENDOR_MIKROTIK		14988
#define RADIUS_MIKROTIK_RATE_LIMIT	8

/* A few values (RFC 2865 §5.6/5.7/5.41, RFC 2866 §5.1/5.10, RFC 2868). */
#define RADIUS_SERVICE_FRAMED		2
#define RADIUS_FRAMED_PROTOCOL_PPP	1
#define RADIUS_NAS_PORT_TYPE_VIRTUAL	5
#define RADIUS_NAS_PORT_TYPE_ETHERNET	15
#define RADIUS_ACCT_STATUS_START	1
#define RADIUS_ACCT_STATUS_STOP		2
#define RADIUS_ACCT_STATUS_INTERIM	3
#define RADIUS_ACCT_STATUS_ON		7
#define RADIUS_ACCT_STATUS_OFF		8
#define RADIUS_TUNNEL_TYPE_L2TP		3
#define RADIUS_TUNNEL_MEDIUM_IPV4	1
#define RADIUS_TUNNEL_MEDIUM_IPV6	2
/* clang-format on */

enum radius_attr_kind {
	RADIUS_KIND_TEXT,	     /* UTF-8, RFC 2865 §5 "text" */
	RADIUS_KIND_STRING,	     /* octets */
	RADIUS_KIND_INTEGER,	     /* 4 octets */
	RADIUS_KIND_IPADDR,	     /* 4 octets */
	RADIUS_KIND_TIME,	     /* 4 octets, seconds since 1970 */
	RADIUS_KIND_TAGGED_INTEGER,  /* RFC 2868 §3: tag + 3 octets */
	RADIUS_KIND_TAGGED_TEXT,     /* RFC 2868 §3: optional tag + text */
	RADIUS_KIND_TUNNEL_PASSWORD, /* RFC 2868 §3.5 */
	RADIUS_KIND_USER_PASSWORD,   /* RFC 2865 §5.2 */
	RADIUS_KIND_VSA,	     /* RFC 2865 §5.26 */
};
const char *radius_attr_kind_str(enum radius_attr_kind k);

struct radius_attr_def {
	uint32_t vendor; /* 0: standard attribute */
	uint8_t type;
	const char *name;
	enum radius_attr_kind kind;
	uint8_t min_len; /* value octets */
	uint8_t max_len;
};

extern const struct radius_attr_def radius_attr_defs[];
extern const size_t radius_attr_defs_count;

/* NULL when not in the table. */
const struct radius_attr_def *radius_attr_lookup(uint32_t vendor, uint8_t type);
/* The RFC name, or "Attribute-N" / "Vendor-V-Attr-N" in buf. */
const char *radius_attr_name(uint32_t vendor, uint8_t type, char *buf,
    size_t bufsz);

#endif
