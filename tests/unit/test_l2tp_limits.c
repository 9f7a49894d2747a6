/*
 * test_l2tp_limits.c — what bounds the work a hostile or dead peer can make
 * an LNS do: the per-source-address new-tunnel rate limit (HOST_SCCRQ_* in
 * src/l2tp/tunnel.h), max-tunnels, and the expiry of half-open tunnels
 * (SCCRQ answered, SCCCN never sent) after the RFC 2661 §5.8 retransmission
 * schedule.  SCCRQs are built here byte by byte from RFC 2661 §6.1, not
 * with vpdn's encoder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "l2tp_pair.h"

static size_t
put_avp(uint8_t *p, uint16_t type, const void *val, size_t vlen)
{
	put_be16(p, (uint16_t)(0x8000 | (6 + vlen))); /* M bit, length */
	put_be16(p + 2, 0);
	put_be16(p + 4, type);
	memcpy(p + 6, val, vlen);
	return 6 + vlen;
}

/* §6.1: SCCRQ with Message Type, Protocol Version, Framing Capabilities,
 * Host Name and Assigned Tunnel ID, to tunnel 0 with Ns 0, Nr 0. */
static size_t
sccrq(uint8_t *buf, uint16_t assigned)
{
	uint8_t v[4];
	size_t n = 12;

	put_be16(v, L2TP_MSG_SCCRQ);
	n += put_avp(buf + n, L2TP_AVP_MESSAGE_TYPE, v, 2);
	v[0] = 1;
	v[1] = 0;
	n += put_avp(buf + n, L2TP_AVP_PROTOCOL_VERSION, v, 2);
	v[0] = v[1] = v[2] = 0;
	v[3] = 3;
	n += put_avp(buf + n, L2TP_AVP_FRAMING_CAP, v, 4);
	n += put_avp(buf + n, L2TP_AVP_HOST_NAME, "flood", 5);
	put_be16(v, assigned);
	n += put_avp(buf + n, L2TP_AVP_ASSIGNED_TUNNEL_ID, v, 2);
	put_be16(buf, 0xc802); /* T, L, S, version 2 */
	put_be16(buf + 2, (uint16_t)n);
	memset(buf + 4, 0, 8); /* tunnel 0, session 0, Ns 0, Nr 0 */
	return n;
}

static void
inject_sccrq(struct world *w, const char *ip, uint16_t port, uint16_t assigned)
{
	struct l2tp_addr from;
	uint8_t buf[256];
	size_t len = sccrq(buf, assigned);

	w_addr(&from, ip, port);
	l2tp_host_input(w->n[1].h, buf, len, &w->n[1].addr, &from, w->now);
}

/* A flood from one address (many ports, all at once) creates at most
 * HOST_SCCRQ_BURST tunnels; the rest are dropped silently (no StopCCN to
 * reflect) and counted; HOST_SCCRQ_RATE more a second after that; another
 * address is not held back by the flood. */
static void
test_sccrq_rate_per_source(void **state)
{
	struct world *w = w_new();
	const struct l2tp_host_stats *st;
	unsigned i;

	(void)state;
	w_start(w);
	for (i = 0; i < 1000; i++)
		inject_sccrq(w, "192.0.2.66", (uint16_t)(10000 + i),
		    (uint16_t)(i + 1));
	st = w_stats(w, 1);
	assert_int_equal(l2tp_host_tunnel_count(w->n[1].h), HOST_SCCRQ_BURST);
	assert_int_equal(st->tunnels_created, HOST_SCCRQ_BURST);
	assert_int_equal(st->drops[L2TP_DROP_RATE_LIMIT],
	    1000 - HOST_SCCRQ_BURST);
	assert_int_equal(w->n[1].sent_type[L2TP_MSG_SCCRP], HOST_SCCRQ_BURST);
	assert_int_equal(w->n[1].sent_type[L2TP_MSG_STOPCCN], 0);
	assert_string_equal(l2tp_drop_str(L2TP_DROP_RATE_LIMIT), "rate-limit");

	/* another address gets its own bucket */
	inject_sccrq(w, "192.0.2.77", 1701, 1);
	assert_int_equal(l2tp_host_tunnel_count(w->n[1].h),
	    HOST_SCCRQ_BURST + 1);

	/* one second later: HOST_SCCRQ_RATE more from the flooder */
	w->now += 1000;
	for (i = 0; i < 1000; i++)
		inject_sccrq(w, "192.0.2.66", (uint16_t)(20000 + i),
		    (uint16_t)(2000 + i));
	assert_int_equal(l2tp_host_tunnel_count(w->n[1].h),
	    HOST_SCCRQ_BURST + 1 + HOST_SCCRQ_RATE);
	w_free(w);
}

/* The retransmission of an SCCRQ whose tunnel exists is no new tunnel: it
 * reaches its tunnel (and is acked) even when the bucket is empty. */
static void
test_sccrq_retransmit_not_limited(void **state)
{
	struct world *w = w_new();
	unsigned i;

	(void)state;
	w_start(w);
	for (i = 0; i < HOST_SCCRQ_BURST + 5; i++)
		inject_sccrq(w, "192.0.2.66", (uint16_t)(10000 + i),
		    (uint16_t)(i + 1));
	assert_int_equal(w_stats(w, 1)->drops[L2TP_DROP_RATE_LIMIT], 5);
	/* again, the first one */
	inject_sccrq(w, "192.0.2.66", 10000, 1);
	assert_int_equal(w_stats(w, 1)->drops[L2TP_DROP_RATE_LIMIT], 5);
	assert_int_equal(l2tp_host_tunnel_count(w->n[1].h), HOST_SCCRQ_BURST);
	w_free(w);
}

/* max-tunnels still bounds what many addresses can create together; over
 * it, a stateless StopCCN result 2 error 4 (no resources). */
static void
test_max_tunnels_many_sources(void **state)
{
	struct world *w = w_new();
	char ip[32];
	unsigned i;

	(void)state;
	w->n[1].cfg.max_tunnels = 10;
	w_start(w);
	for (i = 0; i < 30; i++) {
		snprintf(ip, sizeof(ip), "198.51.100.%u", i + 1);
		inject_sccrq(w, ip, 1701, (uint16_t)(i + 1));
	}
	assert_int_equal(l2tp_host_tunnel_count(w->n[1].h), 10);
	assert_int_equal(w_stats(w, 1)->drops[L2TP_DROP_TUNNEL_LIMIT], 20);
	assert_int_equal(w->n[1].sent_type[L2TP_MSG_STOPCCN], 20);
	assert_int_equal(w_stats(w, 1)->stopccn_sent[L2TP_STOPCCN_ERROR], 20);
	w_free(w);
}

/* Half-open tunnels (§7.2: SCCRP sent, wait-ctl-conn) whose SCCCN never
 * comes are gone once the SCCRP was retransmitted retransmit_max times
 * (§5.8), and their IDs are free again: a flood leaves nothing behind. */
static void
test_half_open_expires(void **state)
{
	struct world *w = w_new();
	uint64_t total = 0, rto = 1000;
	unsigned i;

	(void)state;
	w->n[1].cfg.retransmit_max = 3;
	w_start(w);
	for (i = 0; i < 50; i++)
		inject_sccrq(w, "192.0.2.66", (uint16_t)(10000 + i),
		    (uint16_t)(i + 1));
	assert_int_equal(l2tp_host_tunnel_count(w->n[1].h), 50);
	/* the schedule: 1 s, 2 s, 4 s between tries, then the give-up */
	for (i = 0; i < 3; i++) {
		total += rto;
		rto *= 2;
	}
	w_advance(w, total / 2);
	assert_int_equal(l2tp_host_tunnel_count(w->n[1].h), 50);
	/* give-up timeout, then the §5.7 closing hold */
	w_advance(w, total + 8000 * 4 + 60000);
	assert_int_equal(l2tp_host_tunnel_count(w->n[1].h), 0);
	assert_true(w->n[1].sent_type[L2TP_MSG_SCCRP] >= 50 * 3);
	assert_int_equal(w->n[1].tunnel_up, 0);
	assert_int_equal(w_stats(w, 1)->tunnels_established, 0);
	w_free(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sccrq_rate_per_source),
		cmocka_unit_test(test_sccrq_retransmit_not_limited),
		cmocka_unit_test(test_max_tunnels_many_sources),
		cmocka_unit_test(test_half_open_expires),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
