/*
 * radius_attr_table.c — one row per RADIUS attribute vpdn sends or reads,
 * with the value lengths the defining RFC gives.
 */
#include <stdio.h>

#include "radius/radius_attr_table.h"

/* clang-format off */
#define STD(t, n, k, lo, hi)	{ 0, (t), (n), (k), (lo), (hi) }
#define MS(t, n, k, lo, hi)	\
	{ RADIUS_VENDOR_MICROSOFT, (t), (n), (k), (lo), (hi) }
#define MT(t, n, k, lo, hi)	\
	{ RADIUS_VENDOR_MIKROTIK, (t), (n), (k), (lo), (hi) }

const struct radius_attr_def radius_attr_defs[] = {
	/* RFC 2865 §5.1-§5.44 */
	STD(RADIUS_ATTR_USER_NAME, "User-Name", RADIUS_KIND_TEXT, 1, 253),
	STD(RADIUS_ATTR_USER_PASSWORD, "User-Password",
	    RADIUS_KIND_USER_PASSWORD, 16, 128),
	STD(RADIUS_ATTR_CHAP_PASSWORD, "CHAP-Password", RADIUS_KIND_STRING,
	    17, 17),
	STD(RADIUS_ATTR_NAS_IP_ADDRESS, "NAS-IP-Address", RADIUS_KIND_IPADDR,
	    4, 4),
	STD(RADIUS_ATTR_NAS_PORT, "NAS-Port", RADIUS_KIND_INTEGER, 4, 4),
	STD(RADIUS_ATTR_SERVICE_TYPE, "Service-Type", RADIUS_KIND_INTEGER,
	    4, 4),
	STD(RADIUS_ATTR_FRAMED_PROTOCOL, "Framed-Protocol",
	    RADIUS_KIND_INTEGER, 4, 4),
	STD(RADIUS_ATTR_FRAMED_IP_ADDRESS, "Framed-IP-Address",
	    RADIUS_KIND_IPADDR, 4, 4),
	STD(RADIUS_ATTR_FRAMED_IP_NETMASK, "Framed-IP-Netmask",
	    RADIUS_KIND_IPADDR, 4, 4),
	STD(RADIUS_ATTR_FILTER_ID, "Filter-Id", RADIUS_KIND_TEXT, 1, 253),
	STD(RADIUS_ATTR_FRAMED_MTU, "Framed-MTU", RADIUS_KIND_INTEGER, 4, 4),
	STD(RADIUS_ATTR_REPLY_MESSAGE, "Reply-Message", RADIUS_KIND_TEXT,
	    1, 253),
	STD(RADIUS_ATTR_FRAMED_ROUTE, "Framed-Route", RADIUS_KIND_TEXT,
	    1, 253),
	STD(RADIUS_ATTR_STATE, "State", RADIUS_KIND_STRING, 1, 253),
	STD(RADIUS_ATTR_CLASS, "Class", RADIUS_KIND_STRING, 1, 253),
	STD(RADIUS_ATTR_VENDOR_SPECIFIC, "Vendor-Specific", RADIUS_KIND_VSA,
	    5, 253),
	STD(RADIUS_ATTR_SESSION_TIMEOUT, "Session-Timeout",
	    RADIUS_KIND_INTEGER, 4, 4),
	STD(RADIUS_ATTR_IDLE_TIMEOUT, "Idle-Timeout", RADIUS_KIND_INTEGER,
	    4, 4),
	STD(RADIUS_ATTR_CALLED_STATION_ID, "Called-Station-Id",
	    RADIUS_KIND_TEXT, 1, 253),
	STD(RADIUS_ATTR_CALLING_STATION_ID, "Calling-Station-Id",
	    RADIUS_KIND_TEXT, 1, 253),
	STD(RADIUS_ATTR_NAS_IDENTIFIER, "NAS-Identifier", RADIUS_KIND_TEXT,
	    1, 253),
	/* RFC 2866 §5 */
	STD(RADIUS_ATTR_ACCT_STATUS_TYPE, "Acct-Status-Type",
	    RADIUS_KIND_INTEGER, 4, 4),
	STD(RADIUS_ATTR_ACCT_DELAY_TIME, "Acct-Delay-Time",
	    RADIUS_KIND_INTEGER, 4, 4),
	STD(RADIUS_ATTR_ACCT_INPUT_OCTETS, "Acct-Input-Octets",
	    RADIUS_KIND_INTEGER, 4, 4),
	STD(RADIUS_ATTR_ACCT_OUTPUT_OCTETS, "Acct-Output-Octets",
	    RADIUS_KIND_INTEGER, 4, 4),
	STD(RADIUS_ATTR_ACCT_SESSION_ID, "Acct-Session-Id", RADIUS_KIND_TEXT,
	    1, 253),
	STD(RADIUS_ATTR_ACCT_AUTHENTIC, "Acct-Authentic", RADIUS_KIND_INTEGER,
	    4, 4),
	STD(RADIUS_ATTR_ACCT_SESSION_TIME, "Acct-Session-Time",
	    RADIUS_KIND_INTEGER, 4, 4),
	STD(RADIUS_ATTR_ACCT_INPUT_PACKETS, "Acct-Input-Packets",
	    RADIUS_KIND_INTEGER, 4, 4),
	STD(RADIUS_ATTR_ACCT_OUTPUT_PACKETS, "Acct-Output-Packets",
	    RADIUS_KIND_INTEGER, 4, 4),
	STD(RADIUS_ATTR_ACCT_TERMINATE_CAUSE, "Acct-Terminate-Cause",
	    RADIUS_KIND_INTEGER, 4, 4),
	/* RFC 2869 §5 */
	STD(RADIUS_ATTR_ACCT_INPUT_GIGAWORDS, "Acct-Input-Gigawords",
	    RADIUS_KIND_INTEGER, 4, 4),
	STD(RADIUS_ATTR_ACCT_OUTPUT_GIGAWORDS, "Acct-Output-Gigawords",
	    RADIUS_KIND_INTEGER, 4, 4),
	STD(RADIUS_ATTR_EVENT_TIMESTAMP, "Event-Timestamp", RADIUS_KIND_TIME,
	    4, 4),
	STD(RADIUS_ATTR_CHAP_CHALLENGE, "CHAP-Challenge", RADIUS_KIND_STRING,
	    5, 253),
	STD(RADIUS_ATTR_NAS_PORT_TYPE, "NAS-Port-Type", RADIUS_KIND_INTEGER,
	    4, 4),
	/* RFC 2865 §5.42 */
	STD(RADIUS_ATTR_PORT_LIMIT, "Port-Limit", RADIUS_KIND_INTEGER, 4, 4),
	/* RFC 2868 §3 */
	STD(RADIUS_ATTR_TUNNEL_TYPE, "Tunnel-Type",
	    RADIUS_KIND_TAGGED_INTEGER, 4, 4),
	STD(RADIUS_ATTR_TUNNEL_MEDIUM_TYPE, "Tunnel-Medium-Type",
	    RADIUS_KIND_TAGGED_INTEGER, 4, 4),
	STD(RADIUS_ATTR_TUNNEL_CLIENT_ENDPOINT, "Tunnel-Client-Endpoint",
	    RADIUS_KIND_TAGGED_TEXT, 1, 253),
	STD(RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT, "Tunnel-Server-Endpoint",
	    RADIUS_KIND_TAGGED_TEXT, 1, 253),
	/* RFC 2867 §4.1: an implementation-defined tunnel session id */
	STD(RADIUS_ATTR_ACCT_TUNNEL_CONNECTION, "Acct-Tunnel-Connection",
	    RADIUS_KIND_STRING, 1, 253),
	STD(RADIUS_ATTR_TUNNEL_PASSWORD, "Tunnel-Password",
	    RADIUS_KIND_TUNNEL_PASSWORD, 19, 253),
	STD(RADIUS_ATTR_MESSAGE_AUTHENTICATOR, "Message-Authenticator",
	    RADIUS_KIND_STRING, 16, 16),
	STD(RADIUS_ATTR_TUNNEL_ASSIGNMENT_ID, "Tunnel-Assignment-ID",
	    RADIUS_KIND_TAGGED_TEXT, 1, 253),
	STD(RADIUS_ATTR_TUNNEL_PREFERENCE, "Tunnel-Preference",
	    RADIUS_KIND_TAGGED_INTEGER, 4, 4),
	STD(RADIUS_ATTR_ACCT_INTERIM_INTERVAL, "Acct-Interim-Interval",
	    RADIUS_KIND_INTEGER, 4, 4),
	STD(RADIUS_ATTR_FRAMED_POOL, "Framed-Pool", RADIUS_KIND_TEXT, 1, 253),
	STD(RADIUS_ATTR_TUNNEL_CLIENT_AUTH_ID, "Tunnel-Client-Auth-ID",
	    RADIUS_KIND_TAGGED_TEXT, 1, 253),
	STD(RADIUS_ATTR_TUNNEL_SERVER_AUTH_ID, "Tunnel-Server-Auth-ID",
	    RADIUS_KIND_TAGGED_TEXT, 1, 253),
	/* RFC 3162 §2.2, §2.3 (reserved, prefix length, 0..16 octets),
	 * §2.6; RFC 6911 §3.1, §3.2 */
	STD(RADIUS_ATTR_FRAMED_INTERFACE_ID, "Framed-Interface-Id",
	    RADIUS_KIND_STRING, 8, 8),
	STD(RADIUS_ATTR_FRAMED_IPV6_PREFIX, "Framed-IPv6-Prefix",
	    RADIUS_KIND_STRING, 2, 18),
	STD(RADIUS_ATTR_FRAMED_IPV6_POOL, "Framed-IPv6-Pool", RADIUS_KIND_TEXT,
	    1, 253),
	STD(RADIUS_ATTR_FRAMED_IPV6_ADDRESS, "Framed-IPv6-Address",
	    RADIUS_KIND_STRING, 16, 16),
	STD(RADIUS_ATTR_DNS_SERVER_IPV6_ADDRESS, "DNS-Server-IPv6-Address",
	    RADIUS_KIND_STRING, 16, 16),
	/* RFC 4818 §3 (as Framed-IPv6-Prefix); RFC 6911 §3.4 */
	STD(RADIUS_ATTR_DELEGATED_IPV6_PREFIX, "Delegated-IPv6-Prefix",
	    RADIUS_KIND_STRING, 2, 18),
	STD(RADIUS_ATTR_DELEGATED_IPV6_PREFIX_POOL,
	    "Delegated-IPv6-Prefix-Pool", RADIUS_KIND_TEXT, 1, 253),
	/* RFC 3576 §3.1 */
	STD(RADIUS_ATTR_ERROR_CAUSE, "Error-Cause", RADIUS_KIND_INTEGER, 4, 4),
	/* RFC 2548 §2 (lengths of the value after vendor type and length) */
	MS(RADIUS_MS_CHAP_ERROR, "MS-CHAP-Error", RADIUS_KIND_STRING, 2, 247),
	MS(RADIUS_MS_CHAP_CHALLENGE, "MS-CHAP-Challenge", RADIUS_KIND_STRING,
	    1, 247),
	MS(RADIUS_MS_CHAP2_RESPONSE, "MS-CHAP2-Response", RADIUS_KIND_STRING,
	    50, 50),
	MS(RADIUS_MS_CHAP2_SUCCESS, "MS-CHAP2-Success", RADIUS_KIND_STRING,
	    43, 43),
	MS(RADIUS_MS_PRIMARY_DNS_SERVER, "MS-Primary-DNS-Server",
	    RADIUS_KIND_IPADDR, 4, 4),
	MS(RADIUS_MS_SECONDARY_DNS_SERVER, "MS-Secondary-DNS-Server",
	    RADIUS_KIND_IPADDR, 4, 4),
	MT(RADIUS_MIKROTIK_RATE_LIMIT, "Mikrotik-Rate-Limit", RADIUS_KIND_TEXT,
	    1, 247),
};
/* clang-format on */
const size_t radius_attr_defs_count = sizeof(radius_attr_defs) /
    sizeof(radius_attr_defs[0]);

const char *
radius_attr_kind_str(enum radius_attr_kind k)
{
	switch (k) {
	/* clang-format off */
	case RADIUS_KIND_TEXT:			return "text";
	case RADIUS_KIND_STRING:		return "string";
	case RADIUS_KIND_INTEGER:		return "integer";
	case RADIUS_KIND_IPADDR:		return "ipaddr";
	case RADIUS_KIND_TIME:			return "time";
	case RADIUS_KIND_TAGGED_INTEGER:	return "tagged-integer";
	case RADIUS_KIND_TAGGED_TEXT:		return "tagged-text";
	case RADIUS_KIND_TUNNEL_PASSWORD:	return "tunnel-password";
	case RADIUS_KIND_USER_PASSWORD:		return "user-password";
	case RADIUS_KIND_VSA:			return "vsa";
		/* clang-format on */
	}
	return "unknown";
}

const struct radius_attr_def *
radius_attr_lookup(uint32_t vendor, uint8_t type)
{
	size_t i;

	for (i = 0; i < radius_attr_defs_count; i++)
		if (radius_attr_defs[i].vendor == vendor &&
		    radius_attr_defs[i].type == type)
			return &radius_attr_defs[i];
	return NULL;
}

const char *
radius_attr_name(uint32_t vendor, uint8_t type, char *buf, size_t bufsz)
{
	const struct radius_attr_def *d = radius_attr_lookup(vendor, type);

	if (d != NULL)
		return d->name;
	if (vendor == 0)
		snprintf(buf, bufsz, "Attribute-%u", type);
	else
		snprintf(buf, bufsz, "Vendor-%u-Attr-%u", vendor, type);
	return buf;
}
