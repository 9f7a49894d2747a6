/*
 * test_dhcpv6_codec.c — DHCPv6 messages (RFC 8415 §8, §21; RFC 3646 §3)
 * as hand-assembled byte arrays: every option vpdn speaks, the four DUID
 * types (§11), the bounds of nested options, the per-message limits, and
 * the Solicit / Information-Request of a real client (ISC dhclient 4.4.3,
 * Debian 12, `dhclient -6 -P` and `-S` on a veth in a netns).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ipv6/dhcpv6_codec.h"

/* clang-format off */

/* ISC dhclient -6 -P: Solicit for a delegated prefix. */
static const uint8_t dhclient_solicit[] = {
	0x01,                   /* msg-type SOLICIT */
	0x88, 0x3c, 0xf9,       /* transaction-id */
	0x00, 0x01, 0x00, 0x0e, /* Client Identifier, 14 */
	0x00, 0x01,             /*   DUID-LLT */
	0x00, 0x01,             /*   hardware type Ethernet */
	0x32, 0xa4, 0x65, 0x8f, /*   time */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, /* link-layer address */
	0x00, 0x06, 0x00, 0x08, /* Option Request, 8 */
	0x00, 0x17, 0x00, 0x18, /*   DNS servers, domain list */
	0x00, 0x27, 0x00, 0x1f, /*   FQDN, SNTP */
	0x00, 0x08, 0x00, 0x02, /* Elapsed Time, 2 */
	0x00, 0x00,             /*   0 */
	0x00, 0x19, 0x00, 0x0c, /* IA_PD, 12 */
	0x00, 0x00, 0x00, 0x01, /*   IAID 1 */
	0x00, 0x00, 0x0e, 0x10, /*   T1 3600 */
	0x00, 0x00, 0x15, 0x18, /*   T2 5400 */
};

/* ISC dhclient -6 -S: stateless Information-Request. */
static const uint8_t dhclient_inforeq[] = {
	0x0b,                   /* INFORMATION-REQUEST */
	0x7b, 0x23, 0xc6,       /* transaction-id */
	0x00, 0x01, 0x00, 0x0a, /* Client Identifier, 10 */
	0x00, 0x03, 0x00, 0x01, /*   DUID-LL, Ethernet */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x06, 0x00, 0x08, /* ORO */
	0x00, 0x17, 0x00, 0x18, 0x00, 0x27, 0x00, 0x1f,
	0x00, 0x08, 0x00, 0x02, 0x00, 0x00, /* Elapsed Time 0 */
};

/* An Advertise in exactly dhcpv6_build()'s option order, so that it must
 * rebuild byte for byte. */
static const uint8_t advertise[] = {
	0x02, 0x12, 0x34, 0x56, /* ADVERTISE, xid 0x123456 */
	0x00, 0x01, 0x00, 0x0a, /* Client Identifier: DUID-LL */
	0x00, 0x03, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x02, 0x00, 0x0e, /* Server Identifier: DUID-EN */
	0x00, 0x02,             /*   DUID-EN */
	0x00, 0x00, 0x00, 0x09, /*   enterprise 9 */
	0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, /* identifier */
	0x00, 0x19, 0x00, 0x29, /* IA_PD, 41 */
	0x00, 0x00, 0x00, 0x01, /*   IAID 1 */
	0x00, 0x00, 0x07, 0x08, /*   T1 1800 */
	0x00, 0x00, 0x0b, 0x40, /*   T2 2880 */
	0x00, 0x1a, 0x00, 0x19, /*   IA Prefix, 25 */
	0x00, 0x00, 0x0e, 0x10, /*     preferred 3600 */
	0x00, 0x00, 0x1c, 0x20, /*     valid 7200 */
	0x38,                   /*     /56 */
	0x20, 0x01, 0x0d, 0xb8, 0x02, 0x00, 0x01, 0x00, /* 2001:db8:200:100:: */
	0, 0, 0, 0, 0, 0, 0, 0,
	0x00, 0x07, 0x00, 0x01, /* Preference, 1 */
	0xff,                   /*   255 */
	0x00, 0x14, 0x00, 0x00, /* Reconfigure Accept */
	0x00, 0x17, 0x00, 0x20, /* DNS Recursive Name Server, 32 */
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x53,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x54,
};

/* A Reply with statuses at every level, an IA_NA and an unknown option. */
static const uint8_t reply[] = {
	0x07, 0x00, 0x00, 0x01, /* REPLY */
	0x00, 0x02, 0x00, 0x12, /* Server Identifier: DUID-UUID (RFC 6355) */
	0x00, 0x04,
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10,
	0x00, 0x03, 0x00, 0x12, /* IA_NA, 18 */
	0x00, 0x00, 0x00, 0x07, 0, 0, 0, 0, 0, 0, 0, 0, /* IAID 7, T1, T2 */
	0x00, 0x0d, 0x00, 0x02, /*   Status Code, 2 */
	0x00, 0x02,             /*     NoAddrsAvail, no message */
	0x00, 0x27, 0x00, 0x03, /* FQDN (unknown here): skipped */
	0x00, 0x01, 0x61,
	0x00, 0x0d, 0x00, 0x04, /* Status Code, 4 */
	0x00, 0x00, 0x6f, 0x6b, /*   Success, "ok" */
	0x00, 0x0e, 0x00, 0x00, /* Rapid Commit */
	0x00, 0x19, 0x00, 0x35, /* IA_PD, 53 */
	0x00, 0x00, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 0, 0,
	0x00, 0x1a, 0x00, 0x1f, /*   IA Prefix, 31 */
	0, 0, 0, 0, 0, 0, 0, 0, /*     lifetimes 0 */
	0x40,                   /*     /64 */
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x00, 0x0d, 0x00, 0x02, 0x00, 0x06, /* Status NoPrefixAvail */
	0x00, 0x0d, 0x00, 0x02, /*   Status Code of the IA_PD */
	0x00, 0x03,             /*     NoBinding */
};

/* clang-format on */

static void
test_real_solicit(void **state)
{
	struct dhcpv6_msg m;

	(void)state;
	assert_int_equal(dhcpv6_parse(dhclient_solicit,
			     sizeof(dhclient_solicit), &m),
	    DHCPV6_OK);
	assert_int_equal(m.type, DHCPV6_SOLICIT);
	assert_int_equal(m.xid, 0x883cf9);
	assert_true(m.present & DHCPV6_HAVE_CLIENTID);
	assert_false(m.present & DHCPV6_HAVE_SERVERID);
	assert_int_equal(m.client_id.len, 14);
	assert_int_equal(m.client_id.b[1], DHCPV6_DUID_LLT);
	assert_true(dhcpv6_oro_has(&m, DHCPV6_OPT_DNS_SERVERS));
	assert_int_equal(m.noro, 4);
	assert_true(m.present & DHCPV6_HAVE_ELAPSED);
	assert_int_equal(m.nia, 1);
	assert_int_equal(m.ia[0].type, DHCPV6_OPT_IA_PD);
	assert_int_equal(m.ia[0].iaid, 1);
	assert_int_equal(m.ia[0].t1, 3600);
	assert_int_equal(m.ia[0].t2, 5400);
	assert_int_equal(m.ia[0].n, 0);
}

static void
test_real_inforeq(void **state)
{
	struct dhcpv6_msg m;

	(void)state;
	assert_int_equal(dhcpv6_parse(dhclient_inforeq,
			     sizeof(dhclient_inforeq), &m),
	    DHCPV6_OK);
	assert_int_equal(m.type, DHCPV6_INFORMATION_REQUEST);
	assert_int_equal(m.client_id.len, 10);
	assert_int_equal(m.client_id.b[1], DHCPV6_DUID_LL);
	assert_int_equal(m.nia, 0);
	assert_true(dhcpv6_oro_has(&m, DHCPV6_OPT_DNS_SERVERS));
	assert_false(dhcpv6_oro_has(&m, DHCPV6_OPT_IA_PD));
}

static void
test_advertise_roundtrip(void **state)
{
	struct dhcpv6_msg m;
	uint8_t out[512];
	static const uint8_t pfx[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x02, 0x00,
		0x01, 0x00 };

	(void)state;
	assert_int_equal(dhcpv6_parse(advertise, sizeof(advertise), &m),
	    DHCPV6_OK);
	assert_int_equal(m.type, DHCPV6_ADVERTISE);
	assert_int_equal(m.xid, 0x123456);
	assert_int_equal(m.server_id.len, 14);
	assert_int_equal(m.server_id.b[1], DHCPV6_DUID_EN);
	assert_int_equal(m.nia, 1);
	assert_int_equal(m.ia[0].t1, 1800);
	assert_int_equal(m.ia[0].t2, 2880);
	assert_int_equal(m.ia[0].n, 1);
	assert_int_equal(m.ia[0].lease[0].plen, 56);
	assert_int_equal(m.ia[0].lease[0].preferred, 3600);
	assert_int_equal(m.ia[0].lease[0].valid, 7200);
	assert_memory_equal(m.ia[0].lease[0].addr, pfx, 16);
	assert_int_equal(m.preference, 255);
	assert_true(m.present & DHCPV6_HAVE_RECONF_ACCEPT);
	assert_int_equal(m.ndns, 2);
	assert_int_equal(m.dns[1][15], 0x54);
	assert_int_equal(dhcpv6_build(&m, out, sizeof(out)),
	    (int)sizeof(advertise));
	assert_memory_equal(out, advertise, sizeof(advertise));
	/* Too small a buffer: refused, never overrun. */
	assert_int_equal(dhcpv6_build(&m, out, sizeof(advertise) - 1), -1);
}

static void
test_reply_statuses(void **state)
{
	struct dhcpv6_msg m;

	(void)state;
	assert_int_equal(dhcpv6_parse(reply, sizeof(reply), &m), DHCPV6_OK);
	assert_int_equal(m.server_id.b[1], DHCPV6_DUID_UUID);
	assert_true(m.present & DHCPV6_HAVE_RAPID_COMMIT);
	assert_true(m.present & DHCPV6_HAVE_STATUS);
	assert_int_equal(m.status, DHCPV6_ST_SUCCESS);
	assert_int_equal(m.nia, 2);
	assert_int_equal(m.ia[0].type, DHCPV6_OPT_IA_NA);
	assert_true(m.ia[0].has_status);
	assert_int_equal(m.ia[0].status, DHCPV6_ST_NO_ADDRS_AVAIL);
	assert_int_equal(m.ia[1].type, DHCPV6_OPT_IA_PD);
	assert_int_equal(m.ia[1].status, DHCPV6_ST_NO_BINDING);
	assert_int_equal(m.ia[1].n, 1);
	assert_true(m.ia[1].lease[0].has_status);
	assert_int_equal(m.ia[1].lease[0].status, DHCPV6_ST_NO_PREFIX_AVAIL);
}

static int
parse_hex(const uint8_t *p, size_t n)
{
	struct dhcpv6_msg m;

	return dhcpv6_parse(p, n, &m);
}

/* §11: the DUID types and their minimum contents. */
static void
test_duids(void **state)
{
	/* clang-format off */
	static const uint8_t llt_short[] = { 0x01, 0, 0, 0,
		0x00, 0x01, 0x00, 0x08,
		0x00, 0x01, 0x00, 0x01, 0, 0, 0, 1 }; /* no link address */
	static const uint8_t uuid_bad[] = { 0x01, 0, 0, 0,
		0x00, 0x01, 0x00, 0x05, 0x00, 0x04, 1, 2, 3 };
	static const uint8_t tiny[] = { 0x01, 0, 0, 0,
		0x00, 0x01, 0x00, 0x02, 0x00, 0x03 };
	static const uint8_t opaque[] = { 0x01, 0, 0, 0,
		0x00, 0x01, 0x00, 0x03, 0x12, 0x34, 0x56 }; /* type 0x1234 */
	/* clang-format on */
	uint8_t big[4 + 4 + 131];

	(void)state;
	assert_int_equal(parse_hex(llt_short, sizeof(llt_short)),
	    DHCPV6_ERR_DUID);
	assert_int_equal(parse_hex(uuid_bad, sizeof(uuid_bad)),
	    DHCPV6_ERR_DUID);
	assert_int_equal(parse_hex(tiny, sizeof(tiny)), DHCPV6_ERR_DUID);
	assert_int_equal(parse_hex(opaque, sizeof(opaque)), DHCPV6_OK);
	/* §11.1: at most 128 octets after the type. */
	memset(big, 0, sizeof(big));
	big[0] = DHCPV6_SOLICIT;
	big[5] = DHCPV6_OPT_CLIENTID;
	big[7] = 131;
	big[9] = DHCPV6_DUID_EN;
	assert_int_equal(parse_hex(big, sizeof(big)), DHCPV6_ERR_DUID);
	big[7] = 130;
	assert_int_equal(parse_hex(big, sizeof(big) - 1), DHCPV6_OK);
}

/* Every length checked: at the top and inside the parent. */
static void
test_bounds(void **state)
{
	/* clang-format off */
	static const uint8_t overrun[] = { 0x01, 0, 0, 0,
		0x00, 0x08, 0x00, 0x03, 0x00, 0x00 }; /* 3 said, 2 there */
	static const uint8_t half_hdr[] = { 0x01, 0, 0, 0, 0x00, 0x08, 0x00 };
	/* An IA Prefix claiming 25 octets inside an IA_PD of 12 + 4: the
	 * message has the bytes, the parent does not. */
	static const uint8_t nested[] = { 0x01, 0, 0, 0,
		0x00, 0x19, 0x00, 0x10,
		0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
		0x00, 0x1a, 0x00, 0x19,
		0, 0, 0, 0, 0, 0, 0, 0, 0x38,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t elapsed3[] = { 0x01, 0, 0, 0,
		0x00, 0x08, 0x00, 0x03, 0, 0, 0 };
	static const uint8_t pref2[] = { 0x02, 0, 0, 0,
		0x00, 0x07, 0x00, 0x02, 0, 0 };
	static const uint8_t rc1[] = { 0x01, 0, 0, 0,
		0x00, 0x0e, 0x00, 0x01, 0 };
	static const uint8_t oro_odd[] = { 0x01, 0, 0, 0,
		0x00, 0x06, 0x00, 0x03, 0, 0x17, 0 };
	static const uint8_t dns17[] = { 0x07, 0, 0, 0,
		0x00, 0x17, 0x00, 0x11,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t iapd11[] = { 0x01, 0, 0, 0,
		0x00, 0x19, 0x00, 0x0b, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t iaprefix24[] = { 0x01, 0, 0, 0,
		0x00, 0x19, 0x00, 0x28,
		0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
		0x00, 0x1a, 0x00, 0x18,
		0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t plen129[] = { 0x01, 0, 0, 0,
		0x00, 0x19, 0x00, 0x29,
		0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
		0x00, 0x1a, 0x00, 0x19,
		0, 0, 0, 0, 0, 0, 0, 0, 129,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t status1[] = { 0x07, 0, 0, 0,
		0x00, 0x0d, 0x00, 0x01, 0 };
	static const uint8_t iaaddr23[] = { 0x01, 0, 0, 0,
		0x00, 0x03, 0x00, 0x27,
		0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
		0x00, 0x05, 0x00, 0x17,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t dup_cid[] = { 0x01, 0, 0, 0,
		0x00, 0x01, 0x00, 0x05, 0x00, 0x03, 0x00, 0x01, 0xaa,
		0x00, 0x01, 0x00, 0x05, 0x00, 0x03, 0x00, 0x01, 0xbb };
	static const uint8_t relay[] = { 0x0c, 0, 0, 0 };
	static const uint8_t empty_ok[] = { 0x0b, 0, 0, 1 };
	/* clang-format on */

	(void)state;
	assert_int_equal(parse_hex(overrun, 3), DHCPV6_ERR_SHORT);
	assert_int_equal(parse_hex(overrun, sizeof(overrun)),
	    DHCPV6_ERR_OPTION);
	assert_int_equal(parse_hex(half_hdr, sizeof(half_hdr)),
	    DHCPV6_ERR_OPTION);
	assert_int_equal(parse_hex(nested, sizeof(nested)), DHCPV6_ERR_OPTION);
	assert_int_equal(parse_hex(elapsed3, sizeof(elapsed3)),
	    DHCPV6_ERR_BAD_LEN);
	assert_int_equal(parse_hex(pref2, sizeof(pref2)), DHCPV6_ERR_BAD_LEN);
	assert_int_equal(parse_hex(rc1, sizeof(rc1)), DHCPV6_ERR_BAD_LEN);
	assert_int_equal(parse_hex(oro_odd, sizeof(oro_odd)),
	    DHCPV6_ERR_BAD_LEN);
	assert_int_equal(parse_hex(dns17, sizeof(dns17)), DHCPV6_ERR_BAD_LEN);
	assert_int_equal(parse_hex(iapd11, sizeof(iapd11)), DHCPV6_ERR_BAD_LEN);
	assert_int_equal(parse_hex(iaprefix24, sizeof(iaprefix24)),
	    DHCPV6_ERR_BAD_LEN);
	assert_int_equal(parse_hex(plen129, sizeof(plen129)),
	    DHCPV6_ERR_BAD_LEN);
	assert_int_equal(parse_hex(status1, sizeof(status1)),
	    DHCPV6_ERR_BAD_LEN);
	assert_int_equal(parse_hex(iaaddr23, sizeof(iaaddr23)),
	    DHCPV6_ERR_BAD_LEN);
	assert_int_equal(parse_hex(dup_cid, sizeof(dup_cid)),
	    DHCPV6_ERR_DUPLICATE);
	assert_int_equal(parse_hex(relay, sizeof(relay)), DHCPV6_ERR_RELAY);
	assert_int_equal(parse_hex(empty_ok, sizeof(empty_ok)), DHCPV6_OK);
}

/* The fixed maxima: IAs and prefixes beyond them are counted and
 * skipped, the message still parses. */
static void
test_limits(void **state)
{
	uint8_t b[1024];
	struct dhcpv6_msg m;
	size_t n = 4;
	unsigned i;

	(void)state;
	memset(b, 0, sizeof(b));
	b[0] = DHCPV6_SOLICIT;
	for (i = 0; i < DHCPV6_MAX_IA + 1; i++) { /* 5 empty IA_PDs */
		b[n + 1] = DHCPV6_OPT_IA_PD;
		b[n + 3] = 12;
		b[n + 7] = (uint8_t)i;
		n += 16;
	}
	assert_int_equal(dhcpv6_parse(b, n, &m), DHCPV6_OK);
	assert_int_equal(m.nia, DHCPV6_MAX_IA);
	assert_int_equal(m.dropped, 1);
	assert_int_equal(m.ia[3].iaid, 3);

	/* One IA_PD holding 5 IA Prefixes. */
	memset(b, 0, sizeof(b));
	b[0] = DHCPV6_REQUEST;
	b[5] = DHCPV6_OPT_IA_PD;
	b[7] = 12 + 5 * 29;
	n = 4 + 4 + 12;
	for (i = 0; i < DHCPV6_MAX_PREFIX + 1; i++) {
		b[n + 1] = DHCPV6_OPT_IAPREFIX;
		b[n + 3] = 25;
		b[n + 4 + 8] = (uint8_t)(48 + i);
		n += 29;
	}
	assert_int_equal(dhcpv6_parse(b, n, &m), DHCPV6_OK);
	assert_int_equal(m.nia, 1);
	assert_int_equal(m.ia[0].n, DHCPV6_MAX_PREFIX);
	assert_int_equal(m.ia[0].lease[3].plen, 51);
	assert_int_equal(m.dropped, 1);
}

/* Every message type of §7.3 parses with the common header; names. */
static void
test_types(void **state)
{
	uint8_t b[4] = { 0, 0xab, 0xcd, 0xef };
	struct dhcpv6_msg m;
	uint8_t t;

	(void)state;
	for (t = DHCPV6_SOLICIT; t <= DHCPV6_INFORMATION_REQUEST; t++) {
		b[0] = t;
		assert_int_equal(dhcpv6_parse(b, 4, &m), DHCPV6_OK);
		assert_int_equal(m.type, t);
		assert_int_equal(m.xid, 0xabcdef);
		assert_string_not_equal(dhcpv6_type_name(t), "?");
	}
	assert_string_equal(dhcpv6_type_name(200), "?");
}

static void
test_duid_ll(void **state)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	static const uint8_t want[] = { 0, 3, 0, 1, 2, 0, 0, 0, 0, 1 };
	struct dhcpv6_duid d, e;

	(void)state;
	dhcpv6_duid_ll(&d, 1, mac, sizeof(mac));
	assert_int_equal(d.len, sizeof(want));
	assert_memory_equal(d.b, want, sizeof(want));
	e = d;
	assert_true(dhcpv6_duid_eq(&d, &e));
	e.b[9] ^= 1;
	assert_false(dhcpv6_duid_eq(&d, &e));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_solicit),
		cmocka_unit_test(test_real_inforeq),
		cmocka_unit_test(test_advertise_roundtrip),
		cmocka_unit_test(test_reply_statuses),
		cmocka_unit_test(test_duids),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_duid_ll),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
