/*
 * test_ppp_ipcp.c — IPCP (RFC 1332, RFC 1877) server and client option
 * handling as tables of request → reply, a client/server pair converging,
 * and IPv6CP Interface-Identifier rules (RFC 5072 §4.1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "ppp/ipcp.h"
#include "ppp/ppp_proto.h"

struct sink {
	uint8_t last[1600];
	size_t last_len;
	unsigned tlu;
	struct cp *to; /* deliver to this automaton, if set */
	uint8_t queue[8][256];
	size_t qlen[8];
	unsigned qn;
};

static void
k_send(void *ctx, uint16_t proto, const uint8_t *p, size_t len)
{
	struct sink *k = ctx;

	(void)proto;
	memcpy(k->last, p, len);
	k->last_len = len;
	if (k->to != NULL && k->qn < 8 && len <= 256) {
		memcpy(k->queue[k->qn], p, len);
		k->qlen[k->qn++] = len;
	}
}

static void
k_layer(void *ctx, uint16_t proto, enum cp_action what)
{
	struct sink *k = ctx;

	(void)proto;
	if (what == CP_TLU)
		k->tlu++;
}

static const struct cp_owner_ops kops = { k_send, k_layer, NULL, NULL };

static void
server(struct ipcp *ip, struct sink *k, unsigned dns_count)
{
	struct ipcp_config c;

	memset(k, 0, sizeof(*k));
	memset(&c, 0, sizeof(c));
	c.server = true;
	c.local_addr = 0x0a000001;
	c.dns[0] = 0x08080808;
	c.dns[1] = 0x01010101;
	c.dns_count = dns_count;
	ipcp_init(ip, &c, &kops, k);
	ipcp_set_peer_addr(ip, 0x0a010005);
	cp_up(&ip->cp, 0);
	cp_open(&ip->cp, 0);
}

static void
request(struct cp *cp, const uint8_t *opts, size_t n)
{
	uint8_t p[64];

	p[0] = PPP_CONF_REQ;
	p[1] = 0x21;
	put_be16(p + 2, (uint16_t)(n + 4));
	memcpy(p + 4, opts, n);
	cp_input(cp, p, n + 4, 1);
}

struct ip_case {
	const char *what;
	unsigned dns_count;
	uint8_t req[24];
	size_t req_len;
	uint8_t code;
	uint8_t reply[24]; /* options of the reply */
	size_t reply_len;
};

static const struct ip_case server_cases[] = {
	{ "0.0.0.0 → Nak with the assigned address", 2, { 3, 6, 0, 0, 0, 0 }, 6,
	    PPP_CONF_NAK, { 3, 6, 10, 1, 0, 5 }, 6 },
	{ "another address → Nak", 2, { 3, 6, 192, 168, 1, 1 }, 6, PPP_CONF_NAK,
	    { 3, 6, 10, 1, 0, 5 }, 6 },
	{ "the assigned address → Ack", 2, { 3, 6, 10, 1, 0, 5 }, 6,
	    PPP_CONF_ACK, { 3, 6, 10, 1, 0, 5 }, 6 },
	{ "no address option → Nak adding it", 2, { 129, 6, 8, 8, 8, 8 }, 6,
	    PPP_CONF_NAK, { 3, 6, 10, 1, 0, 5 }, 6 },
	{ "DNS zeros → Nak with ours", 2,
	    { 3, 6, 10, 1, 0, 5, 129, 6, 0, 0, 0, 0, 131, 6, 0, 0, 0, 0 }, 18,
	    PPP_CONF_NAK, { 129, 6, 8, 8, 8, 8, 131, 6, 1, 1, 1, 1 }, 12 },
	{ "right DNS → Ack", 2,
	    { 3, 6, 10, 1, 0, 5, 129, 6, 8, 8, 8, 8, 131, 6, 1, 1, 1, 1 }, 18,
	    PPP_CONF_ACK,
	    { 3, 6, 10, 1, 0, 5, 129, 6, 8, 8, 8, 8, 131, 6, 1, 1, 1, 1 }, 18 },
	{ "secondary DNS without one configured → Reject", 1,
	    { 3, 6, 10, 1, 0, 5, 129, 6, 8, 8, 8, 8, 131, 6, 0, 0, 0, 0 }, 18,
	    PPP_CONF_REJ, { 131, 6, 0, 0, 0, 0 }, 6 },
	{ "NBNS and VJ → Reject", 2,
	    { 3, 6, 10, 1, 0, 5, 130, 6, 0, 0, 0, 0, 2, 6, 0, 0x2d, 15, 1 }, 18,
	    PPP_CONF_REJ, { 130, 6, 0, 0, 0, 0, 2, 6, 0, 0x2d, 15, 1 }, 12 },
	{ "IP-Addresses (deprecated) → Reject", 2,
	    { 1, 10, 1, 2, 3, 4, 5, 6, 7, 8 }, 10, PPP_CONF_REJ,
	    { 1, 10, 1, 2, 3, 4, 5, 6, 7, 8 }, 10 },
	{ "address of bad length → Reject", 2, { 3, 5, 10, 1, 0 }, 5,
	    PPP_CONF_REJ, { 3, 5, 10, 1, 0 }, 5 },
};

static void
test_server_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(server_cases) / sizeof(server_cases[0]);
	     i++) {
		const struct ip_case *c = &server_cases[i];
		struct ipcp ip;
		struct sink k;

		server(&ip, &k, c->dns_count);
		request(&ip.cp, c->req, c->req_len);
		if (k.last[0] != c->code || k.last_len != 4 + c->reply_len ||
		    memcmp(k.last + 4, c->reply, c->reply_len) != 0)
			fail_msg("%s: got code %u len %zu", c->what, k.last[0],
			    k.last_len);
	}
}

/* The server's own request carries our address only. */
static void
test_server_request(void **state)
{
	struct ipcp ip;
	struct sink k;

	(void)state;
	server(&ip, &k, 2);
	assert_int_equal(k.last[0], PPP_CONF_REQ);
	assert_int_equal(k.last_len, 10);
	assert_memory_equal(k.last + 4, "\x03\x06\x0a\x00\x00\x01", 6);
}

/* A client and a server converge: the client learns its address and
 * both DNS servers from Naks, acks the server's address. */
static void
test_pair(void **state)
{
	struct ipcp s, c;
	struct sink ks, kc;
	struct ipcp_config cc;

	(void)state;
	memset(&kc, 0, sizeof(kc));
	server(&s, &ks, 2);
	ks.qn = 0;
	ks.to = &c.cp;
	kc.to = &s.cp;
	/* re-send the server's first request through the queue */
	memcpy(ks.queue[0], ks.last, ks.last_len);
	ks.qlen[0] = ks.last_len;
	ks.qn = 1;
	memset(&cc, 0, sizeof(cc));
	ipcp_init(&c, &cc, &kops, &kc);
	cp_up(&c.cp, 0);
	cp_open(&c.cp, 0);
	assert_memory_equal(kc.last + 4,
	    "\x03\x06\0\0\0\0\x81\x06\0\0\0\0"
	    "\x83\x06\0\0\0\0",
	    18);
	for (unsigned n = 0; n < 50 && (ks.qn > 0 || kc.qn > 0); n++) {
		struct sink *k = ks.qn > 0 ? &ks : &kc;
		uint8_t p[256];
		size_t len = k->qlen[0];

		memcpy(p, k->queue[0], len);
		memmove(k->queue, k->queue + 1, sizeof(k->queue[0]) * 7);
		memmove(k->qlen, k->qlen + 1, sizeof(k->qlen[0]) * 7);
		k->qn--;
		cp_input(k->to, p, len, 1);
	}
	assert_int_equal(s.cp.state, CP_OPENED);
	assert_int_equal(c.cp.state, CP_OPENED);
	assert_int_equal(c.our_addr, 0x0a010005);
	assert_int_equal(c.peer_addr, 0x0a000001);
	assert_int_equal(c.dns[0], 0x08080808);
	assert_int_equal(c.dns[1], 0x01010101);
	assert_int_equal(ks.tlu, 1);
	assert_int_equal(kc.tlu, 1);
}

/* Client: a server Reject of DNS stops the client asking (RFC 1877). */
static void
test_client_dns_rejected(void **state)
{
	struct ipcp c;
	struct sink k;
	struct ipcp_config cc;
	uint8_t rej[10] = { PPP_CONF_REJ, 0, 0, 10, 131, 6, 0, 0, 0, 0 };

	(void)state;
	memset(&k, 0, sizeof(k));
	memset(&cc, 0, sizeof(cc));
	ipcp_init(&c, &cc, &kops, &k);
	cp_up(&c.cp, 0);
	cp_open(&c.cp, 0);
	rej[1] = c.cp.req_id;
	cp_input(&c.cp, rej, sizeof(rej), 1);
	assert_int_equal(k.last[0], PPP_CONF_REQ);
	assert_int_equal(k.last_len, 16);
	/* and a server asking us for DNS gets a Reject */
	request(&c.cp, (const uint8_t *)"\x03\x06\x0a\0\0\x01\x81\x06\0\0\0\0",
	    12);
	assert_int_equal(k.last[0], PPP_CONF_REJ);
	assert_memory_equal(k.last + 4, "\x81\x06\0\0\0\0", 6);
}

/* RFC 5072 §4.1: zero or our own identifier → Nak with a fresh non-zero
 * one; another → Ack. */
static void
test_ipv6cp_ifid(void **state)
{
	struct ipv6cp v;
	struct sink k;
	uint8_t opt[10] = { 1, 10 };

	(void)state;
	memset(&k, 0, sizeof(k));
	ipv6cp_init(&v, NULL, &kops, &k);
	cp_up(&v.cp, 0);
	cp_open(&v.cp, 0);
	assert_memory_not_equal(v.our_id, "\0\0\0\0\0\0\0\0", 8);
	assert_int_equal(k.last_len, 14);
	assert_memory_equal(k.last + 6, v.our_id, 8);
	request(&v.cp, opt, 10); /* zero */
	assert_int_equal(k.last[0], PPP_CONF_NAK);
	assert_memory_not_equal(k.last + 6, "\0\0\0\0\0\0\0\0", 8);
	assert_memory_not_equal(k.last + 6, v.our_id, 8);
	memcpy(opt + 2, v.our_id, 8);
	request(&v.cp, opt, 10); /* collision */
	assert_int_equal(k.last[0], PPP_CONF_NAK);
	assert_memory_not_equal(k.last + 6, v.our_id, 8);
	memcpy(opt + 2, "\x02\x11\x22\xff\xfe\x33\x44\x55", 8);
	request(&v.cp, opt, 10);
	assert_int_equal(k.last[0], PPP_CONF_ACK);
	assert_memory_equal(v.peer_id, opt + 2, 8);
	/* compression is rejected */
	request(&v.cp, (const uint8_t *)"\x02\x04\x00\x4f", 4);
	assert_int_equal(k.last[0], PPP_CONF_REJ);
}

/* RFC 3162 §2.2 through RFC 5072 §4.1: a required identifier is Nak'd to
 * the peer until it takes it; ours stays different. */
static void
test_ipv6cp_required_peer_id(void **state)
{
	static const uint8_t want[8] = { 0, 0, 0, 0, 0, 0, 0, 9 };
	struct ipv6cp v;
	struct sink k;
	uint8_t opt[10] = { 1, 10, 2, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44,
		0x55 };

	(void)state;
	memset(&k, 0, sizeof(k));
	ipv6cp_init(&v, NULL, &kops, &k);
	memcpy(v.our_id, want, 8);
	ipv6cp_set_peer_id(&v, want);
	assert_memory_not_equal(v.our_id, want, 8);
	cp_up(&v.cp, 0);
	cp_open(&v.cp, 0);
	request(&v.cp, opt, 10);
	assert_int_equal(k.last[0], PPP_CONF_NAK);
	assert_memory_equal(k.last + 6, want, 8);
	memcpy(opt + 2, want, 8);
	request(&v.cp, opt, 10);
	assert_int_equal(k.last[0], PPP_CONF_ACK);
	assert_memory_equal(v.peer_id, want, 8);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_server_table),
		cmocka_unit_test(test_server_request),
		cmocka_unit_test(test_pair),
		cmocka_unit_test(test_client_dns_rejected),
		cmocka_unit_test(test_ipv6cp_ifid),
		cmocka_unit_test(test_ipv6cp_required_peer_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
