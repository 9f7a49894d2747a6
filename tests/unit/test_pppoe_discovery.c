/*
 * test_pppoe_discovery.c — pppoe_server and pppoe_client wired back to back
 * on a fake clock through recorded frames, plus hand-made frames for the
 * cases a well-behaved client never produces (RFC 2516 §5, §8, §9).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#if defined(__SANITIZE_ADDRESS__)
/* from <sanitizer/allocator_interface.h>, which gcc does not ship */
size_t __sanitizer_get_current_allocated_bytes(void);
#define HEAP_BYTES() __sanitizer_get_current_allocated_bytes()
#else
#include <malloc.h>
#define HEAP_BYTES() mallinfo2().uordblks
#endif

#include "core/timeutil.h"
#include "pppoe/pppoe_client.h"
#include "pppoe/pppoe_server.h"

static const uint8_t ac_mac[6] = { 0x02, 0, 0, 0, 0, 0xaa };
static const uint8_t host_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t other_mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

#define QMAX 512
struct frame {
	uint8_t b[PPPOE_FRAME_MAX];
	size_t len;
	uint64_t at;
};
struct queue {
	struct frame f[QMAX];
	unsigned n, head;
};

static struct queue srv_q, cli_q; /* frames sent by server / client */
static uint64_t now;
static int up_ret;
static unsigned srv_up, srv_down, srv_data, cli_up, cli_down, cli_data;
static struct pppoe_session *last_sess;
static uint16_t cli_sid;
static char srv_down_reason[256], cli_down_reason[256];
static uint8_t last_data[PPPOE_FRAME_MAX];
static size_t last_data_len;

static void
q_push(struct queue *q, const uint8_t *f, size_t len)
{
	assert_true(q->n < QMAX);
	assert_true(len <= PPPOE_FRAME_MAX);
	memcpy(q->f[q->n].b, f, len);
	q->f[q->n].len = len;
	q->f[q->n].at = now;
	q->n++;
}

static int
srv_send(void *ctx, const uint8_t *f, size_t len)
{
	(void)ctx;
	q_push(&srv_q, f, len);
	return 0;
}

static int
srv_session_up(void *ctx, struct pppoe_session *s, uint64_t t_now)
{
	(void)ctx;
	(void)t_now;
	srv_up++;
	last_sess = s;
	return up_ret;
}

static void
srv_session_down(void *ctx, struct pppoe_session *s, const char *reason,
    uint64_t t_now)
{
	(void)ctx;
	(void)t_now;
	(void)s;
	srv_down++;
	snprintf(srv_down_reason, sizeof(srv_down_reason), "%s", reason);
}

static void
srv_session_data(void *ctx, struct pppoe_session *s, const uint8_t *p,
    size_t len, uint64_t t_now)
{
	(void)ctx;
	(void)t_now;
	(void)s;
	srv_data++;
	memcpy(last_data, p, len);
	last_data_len = len;
}

static int
cli_send(void *ctx, const uint8_t *f, size_t len)
{
	(void)ctx;
	q_push(&cli_q, f, len);
	return 0;
}

static void
cli_on_up(void *ctx, uint16_t sid, const uint8_t mac[6], uint64_t t_now)
{
	(void)ctx;
	(void)t_now;
	cli_up++;
	cli_sid = sid;
	assert_memory_equal(mac, ac_mac, 6);
}

static void
cli_on_down(void *ctx, const char *reason, uint64_t t_now)
{
	(void)ctx;
	(void)t_now;
	cli_down++;
	snprintf(cli_down_reason, sizeof(cli_down_reason), "%s", reason);
}

static void
cli_on_data(void *ctx, const uint8_t *p, size_t len, uint64_t t_now)
{
	(void)ctx;
	(void)t_now;
	cli_data++;
	memcpy(last_data, p, len);
	last_data_len = len;
}

static const struct pppoe_server_ops sops = {
	srv_send,
	srv_session_up,
	srv_session_down,
	srv_session_data,
};
static const struct pppoe_client_ops cops = {
	cli_send,
	cli_on_up,
	cli_on_down,
	cli_on_data,
};

static int
reset(void **state)
{
	(void)state;
	memset(&srv_q, 0, sizeof(srv_q));
	memset(&cli_q, 0, sizeof(cli_q));
	now = 1000000;
	up_ret = 0;
	srv_up = srv_down = srv_data = cli_up = cli_down = cli_data = 0;
	last_sess = NULL;
	cli_sid = 0;
	srv_down_reason[0] = cli_down_reason[0] = '\0';
	return 0;
}

static struct pppoe_server *
mk_server(const struct pppoe_server_config *over)
{
	struct pppoe_server_config cfg;
	struct pppoe_server *s;

	if (over != NULL)
		cfg = *over;
	else
		memset(&cfg, 0, sizeof(cfg));
	memcpy(cfg.mac, ac_mac, 6);
	if (cfg.ac_name == NULL)
		cfg.ac_name = "lac-test";
	s = pppoe_server_new(&cfg, &sops, NULL, now);
	assert_non_null(s);
	return s;
}

static struct pppoe_client *
mk_client(const char *service, const char *ac)
{
	struct pppoe_client_config cfg;
	struct pppoe_client *c;

	memset(&cfg, 0, sizeof(cfg));
	memcpy(cfg.mac, host_mac, 6);
	cfg.service_name = service;
	cfg.ac_name = ac;
	c = pppoe_client_new(&cfg, &cops, NULL);
	assert_non_null(c);
	return c;
}

/* Delivers queued frames both ways until both queues are drained. */
static void
pump(struct pppoe_server *s, struct pppoe_client *c)
{
	bool moved;

	do {
		moved = false;
		while (cli_q.head < cli_q.n) {
			struct frame *f = &cli_q.f[cli_q.head++];

			if (s != NULL)
				pppoe_server_input(s, f->b, f->len, now);
			moved = true;
		}
		while (srv_q.head < srv_q.n) {
			struct frame *f = &srv_q.f[srv_q.head++];

			if (c != NULL)
				pppoe_client_input(c, f->b, f->len, now);
			moved = true;
		}
	} while (moved);
}

static const struct frame *
last_srv(void)
{
	assert_true(srv_q.n > 0);
	return &srv_q.f[srv_q.n - 1];
}

static void
parse_ok(const struct frame *f, struct pppoe_pkt *p)
{
	assert_int_equal(pppoe_parse(f->b, f->len, p), PPPOE_OK);
}

/* Sends a hand-made discovery packet to the server. */
static void
inject(struct pppoe_server *s, const struct pppoe_pkt *p)
{
	uint8_t b[PPPOE_FRAME_MAX];
	int n = pppoe_build_disc(b, sizeof(b), p);

	assert_true(n > 0);
	pppoe_server_input(s, b, (size_t)n, now);
}

static void
mk_pkt(struct pppoe_pkt *p, uint8_t code, const uint8_t src[6],
    const uint8_t dst[6])
{
	memset(p, 0, sizeof(*p));
	memcpy(p->src, src, 6);
	memcpy(p->dst, dst, 6);
	p->code = code;
	p->nservice = 1;
	p->service[0] = pppoe_tag_str_val("");
}

/* PADI from mac; returns the PADO's cookie (16 octets) in cookie. */
static bool
get_cookie(struct pppoe_server *s, const uint8_t mac[6], uint8_t *cookie)
{
	struct pppoe_pkt p, o;
	unsigned before = srv_q.n;

	mk_pkt(&p, PPPOE_CODE_PADI, mac, bcast);
	inject(s, &p);
	if (srv_q.n == before)
		return false;
	parse_ok(last_srv(), &o);
	assert_int_equal(o.code, PPPOE_CODE_PADO);
	assert_int_equal(o.ac_cookie.len, PPPOE_COOKIE_LEN);
	memcpy(cookie, o.ac_cookie.p, PPPOE_COOKIE_LEN);
	return true;
}

static void
send_padr(struct pppoe_server *s, const uint8_t mac[6], const uint8_t *cookie)
{
	struct pppoe_pkt p;

	mk_pkt(&p, PPPOE_CODE_PADR, mac, ac_mac);
	if (cookie != NULL) {
		p.present = PPPOE_HAVE_AC_COOKIE;
		p.ac_cookie.p = cookie;
		p.ac_cookie.len = PPPOE_COOKIE_LEN;
	}
	inject(s, &p);
}

static void
test_full_discovery_and_data(void **state)
{
	static const uint8_t lcp[] = { 0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 4 };
	struct pppoe_server *s = mk_server(NULL);
	struct pppoe_client *c = mk_client("isp", NULL);
	struct pppoe_pkt p;

	(void)state;
	assert_int_equal(pppoe_client_start(c, now), 0);
	assert_int_equal(pppoe_client_state(c), PPPOE_CLIENT_PADI_SENT);
	pump(s, c);
	/* PADI, PADR from the client; PADO, PADS from the server. */
	assert_int_equal(cli_q.n, 2);
	assert_int_equal(srv_q.n, 2);
	parse_ok(&cli_q.f[0], &p);
	assert_int_equal(p.code, PPPOE_CODE_PADI);
	assert_memory_equal(p.dst, bcast, 6);
	parse_ok(&srv_q.f[0], &p);
	assert_int_equal(p.code, PPPOE_CODE_PADO);
	assert_memory_equal(p.dst, host_mac, 6);
	assert_true(p.present & PPPOE_HAVE_AC_NAME);
	assert_int_equal(p.ac_name.len, 8);
	assert_memory_equal(p.ac_name.p, "lac-test", 8);
	assert_int_equal(p.service[0].len, 3); /* §5.2: identical */
	parse_ok(&cli_q.f[1], &p);
	assert_int_equal(p.code, PPPOE_CODE_PADR);
	assert_memory_equal(p.dst, ac_mac, 6);
	assert_int_equal(p.ac_cookie.len, PPPOE_COOKIE_LEN);
	parse_ok(&srv_q.f[1], &p);
	assert_int_equal(p.code, PPPOE_CODE_PADS);

	assert_int_equal(pppoe_client_state(c), PPPOE_CLIENT_SESSION);
	assert_int_equal(cli_up, 1);
	assert_int_equal(srv_up, 1);
	assert_int_equal(pppoe_server_session_count(s), 1);
	assert_non_null(last_sess);
	assert_int_equal(last_sess->id, cli_sid);
	assert_int_equal(pppoe_client_session_id(c), cli_sid);
	assert_memory_equal(last_sess->peer, host_mac, 6);
	assert_string_equal(last_sess->service, "isp");
	assert_string_equal(pppoe_client_ac_name(c), "lac-test");
	assert_ptr_equal(pppoe_server_session(s, cli_sid), last_sess);
	assert_int_equal(pppoe_client_next_deadline(c), TIME_NEVER);

	/* Session stage: FF 03 is stripped (§6: the frame begins with the
	 * protocol), the peer sees exactly the PPP frame. */
	assert_int_equal(pppoe_client_send(c, lcp, sizeof(lcp)), 0);
	parse_ok(&cli_q.f[2], &p);
	assert_int_equal(p.ethertype, PPPOE_ETHERTYPE_SES);
	assert_int_equal(p.session_id, cli_sid);
	pump(s, c);
	assert_int_equal(srv_data, 1);
	assert_int_equal(last_data_len, sizeof(lcp) - 2);
	assert_memory_equal(last_data, lcp + 2, sizeof(lcp) - 2);
	assert_int_equal(pppoe_server_send(last_sess, lcp + 2, sizeof(lcp) - 2),
	    0);
	pump(s, c);
	assert_int_equal(cli_data, 1);
	assert_memory_equal(last_data, lcp + 2, sizeof(lcp) - 2);
	assert_int_equal(last_sess->stats.rx_frames, 1);
	assert_int_equal(last_sess->stats.tx_frames, 1);
	/* Too big for Ethernet (§7: PPP MTU 1492). */
	{
		uint8_t big[1496];

		memset(big, 0x21, sizeof(big));
		assert_int_equal(pppoe_client_send(c, big, 1495), -1);
		assert_int_equal(pppoe_server_send(last_sess, big, 1494), 0);
	}
	pppoe_client_free(c);
	pppoe_server_free(s); /* PADT to the remaining session */
	parse_ok(last_srv(), &p);
	assert_int_equal(p.code, PPPOE_CODE_PADT);
	assert_int_equal(p.session_id, cli_sid);
}

/* App. A: Host-Uniq and Relay-Session-Id come back unmodified in PADO and
 * PADS. */
static void
test_host_uniq_relay_echoed(void **state)
{
	struct pppoe_server *s = mk_server(NULL);
	struct pppoe_pkt p, o;
	uint8_t cookie[PPPOE_COOKIE_LEN];
	static const uint8_t hu[] = { 0, 1, 2, 0xff, 0, 7 };
	static const uint8_t relay[12] = "relay-agent1";

	(void)state;
	mk_pkt(&p, PPPOE_CODE_PADI, host_mac, bcast);
	p.present = PPPOE_HAVE_HOST_UNIQ | PPPOE_HAVE_RELAY_ID;
	p.host_uniq.p = hu;
	p.host_uniq.len = sizeof(hu);
	p.relay_id.p = relay;
	p.relay_id.len = sizeof(relay);
	inject(s, &p);
	parse_ok(last_srv(), &o);
	assert_int_equal(o.code, PPPOE_CODE_PADO);
	assert_int_equal(o.host_uniq.len, sizeof(hu));
	assert_memory_equal(o.host_uniq.p, hu, sizeof(hu));
	assert_int_equal(o.relay_id.len, sizeof(relay));
	assert_memory_equal(o.relay_id.p, relay, sizeof(relay));
	memcpy(cookie, o.ac_cookie.p, sizeof(cookie));

	p.code = PPPOE_CODE_PADR;
	memcpy(p.dst, ac_mac, 6);
	p.present |= PPPOE_HAVE_AC_COOKIE;
	p.ac_cookie.p = cookie;
	p.ac_cookie.len = sizeof(cookie);
	inject(s, &p);
	parse_ok(last_srv(), &o);
	assert_int_equal(o.code, PPPOE_CODE_PADS);
	assert_int_not_equal(o.session_id, 0);
	assert_int_equal(o.host_uniq.len, sizeof(hu));
	assert_memory_equal(o.host_uniq.p, hu, sizeof(hu));
	assert_int_equal(o.relay_id.len, sizeof(relay));
	assert_memory_equal(o.relay_id.p, relay, sizeof(relay));
	assert_int_equal(pppoe_server_session_count(s), 1);
	pppoe_server_free(s);
}

/* The access node's TR-101 TAG (vendor-id 3561) in PADI/PADR: stripped
 * from PADO/PADS by default, echoed with keep_access_line_tags; another
 * vendor's TAG is never echoed; the PADR's TAGs are lent to session_up
 * only. */
static void
test_access_line_tags_keep_strip(void **state)
{
	static const uint8_t bbf[] = { 0x00, 0x00, 0x0d, 0xe9, 0x01, 0x01,
		'c' };
	static const uint8_t other[] = { 0x00, 0x00, 0x00, 0x09, 0x01, 0x01,
		'c' };
	struct pppoe_server_config cfg;
	uint8_t cookie[PPPOE_COOKIE_LEN];
	struct pppoe_pkt p, o;

	(void)state;
	for (int keep = 0; keep < 2; keep++)
		for (int vendor = 0; vendor < 2; vendor++) {
			struct pppoe_server *s;
			bool echoed = keep && vendor == 0;

			memset(&cfg, 0, sizeof(cfg));
			cfg.keep_access_line_tags = keep;
			s = mk_server(&cfg);
			mk_pkt(&p, PPPOE_CODE_PADI, host_mac, bcast);
			p.present = PPPOE_HAVE_VENDOR;
			p.vendor.p = vendor == 0 ? bbf : other;
			p.vendor.len = sizeof(bbf);
			inject(s, &p);
			parse_ok(last_srv(), &o);
			assert_int_equal(o.code, PPPOE_CODE_PADO);
			assert_int_equal((o.present & PPPOE_HAVE_VENDOR) != 0,
			    echoed);
			memcpy(cookie, o.ac_cookie.p, sizeof(cookie));
			p.code = PPPOE_CODE_PADR;
			memcpy(p.dst, ac_mac, 6);
			p.present |= PPPOE_HAVE_AC_COOKIE;
			p.ac_cookie.p = cookie;
			p.ac_cookie.len = sizeof(cookie);
			inject(s, &p);
			parse_ok(last_srv(), &o);
			assert_int_equal(o.code, PPPOE_CODE_PADS);
			assert_int_equal((o.present & PPPOE_HAVE_VENDOR) != 0,
			    echoed);
			if (echoed)
				assert_memory_equal(o.vendor.p, bbf,
				    sizeof(bbf));
			assert_non_null(last_sess);
			assert_null(last_sess->padr_tags);
			pppoe_server_free(s);
		}
}

/* §3: "The Discovery stage remains stateless until a PPP session is
 * established": a PADI flood creates no session and allocates nothing. */
static void
test_no_state_before_padr(void **state)
{
	struct pppoe_server *s = mk_server(NULL);
	const struct pppoe_server_stats *st = pppoe_server_stats(s);
	size_t heap;
	struct pppoe_pkt p;

	(void)state;
	heap = HEAP_BYTES();
	for (unsigned i = 0; i < 5000; i++) {
		uint8_t mac[6] = { 0x02, 0x10, 0, (uint8_t)(i >> 16),
			(uint8_t)(i >> 8), (uint8_t)i };

		mk_pkt(&p, PPPOE_CODE_PADI, mac, bcast);
		inject(s, &p);
		srv_q.n = srv_q.head = 0; /* discard PADOs */
	}
	assert_int_equal(HEAP_BYTES(), heap);
	assert_int_equal(pppoe_server_session_count(s), 0);
	assert_int_equal(srv_up, 0);
	assert_int_equal(st->padi_rx, 5000);
	/* The global bucket (burst 400) bounds the HMACs computed. */
	assert_int_equal(st->pado_tx, 400);
	assert_int_equal(st->drops[PPPOE_SRV_DROP_RATE_LIMITED], 4600);
	pppoe_server_free(s);
}

static void
test_cookie_checks(void **state)
{
	struct pppoe_server_config cfg = { .cookie_slot_ms = 10000 };
	struct pppoe_server *s;
	const struct pppoe_server_stats *st;
	uint8_t cookie[PPPOE_COOKIE_LEN], bad[PPPOE_COOKIE_LEN];
	struct pppoe_pkt o;

	(void)state;
	now = 10000 * 100; /* start of a slot */
	s = mk_server(&cfg);
	st = pppoe_server_stats(s);
	assert_true(get_cookie(s, host_mac, cookie));

	/* §9: regenerated from the PADR's SOURCE_ADDR — another MAC's PADR
	 * with this cookie gets nothing. */
	send_padr(s, other_mac, cookie);
	assert_int_equal(st->drops[PPPOE_SRV_DROP_BAD_COOKIE], 1);
	/* No cookie at all. */
	send_padr(s, host_mac, NULL);
	assert_int_equal(st->drops[PPPOE_SRV_DROP_NO_COOKIE], 1);
	/* A single flipped bit. */
	memcpy(bad, cookie, sizeof(bad));
	bad[7] ^= 0x10;
	send_padr(s, host_mac, bad);
	assert_int_equal(st->drops[PPPOE_SRV_DROP_BAD_COOKIE], 2);
	/* Too old: past the lifetime (60 s, whole 10 s slots). */
	now += 70000;
	send_padr(s, host_mac, cookie);
	assert_int_equal(st->drops[PPPOE_SRV_DROP_BAD_COOKIE], 3);
	assert_int_equal(pppoe_server_session_count(s), 0);
	assert_int_equal(st->pads_tx + st->pads_refused, 0);

	/* Minted at the end of a slot, still good in the next one. */
	now += 9999;
	assert_true(get_cookie(s, host_mac, cookie));
	now += 10000;
	send_padr(s, host_mac, cookie);
	assert_int_equal(pppoe_server_session_count(s), 1);
	parse_ok(last_srv(), &o);
	assert_int_equal(o.code, PPPOE_CODE_PADS);
	assert_int_not_equal(o.session_id, 0);
	pppoe_server_free(s);
}

/*
 * A PADR the discovery rate limit dropped is retransmitted by the host
 * with exponential back-off (RFC 2516 §8: PADR handled like PADI), so the
 * cookie from its PADO must outlive that schedule: still good 60 s after
 * it was minted, refused (and counted) once the lifetime is over.
 */
static void
test_cookie_lifetime(void **state)
{
	struct pppoe_server *s;
	const struct pppoe_server_stats *st;
	uint8_t c1[PPPOE_COOKIE_LEN], c2[PPPOE_COOKIE_LEN];
	struct pppoe_pkt o;
	uint64_t t;

	(void)state;
	now = 10000 * 100 + 9999; /* the end of a 10 s slot */
	s = mk_server(NULL);	  /* the defaults */
	st = pppoe_server_stats(s);
	t = now;
	assert_true(get_cookie(s, host_mac, c1));
	assert_true(get_cookie(s, other_mac, c2));
	now = t + 60000;
	send_padr(s, host_mac, c1);
	parse_ok(last_srv(), &o);
	assert_int_equal(o.code, PPPOE_CODE_PADS);
	assert_int_not_equal(o.session_id, 0);
	assert_int_equal(pppoe_server_session_count(s), 1);
	assert_int_equal(st->drops[PPPOE_SRV_DROP_BAD_COOKIE], 0);
	/* past the lifetime plus the slot it was rounded up to */
	now = t + 60000 + 10000 + 1;
	send_padr(s, other_mac, c2);
	assert_int_equal(pppoe_server_session_count(s), 1);
	assert_int_equal(st->drops[PPPOE_SRV_DROP_BAD_COOKIE], 1);
	pppoe_server_free(s);
}

/* Key rotation: a cookie of the previous key epoch is still honoured in
 * its lifetime; keys are random per server. */
static void
test_cookie_key_rotation(void **state)
{
	struct pppoe_server_config cfg = { .cookie_slot_ms = 1000,
		.cookie_lifetime_ms = 1000,
		.key_slots = 4 };
	struct pppoe_server *s, *s2;
	uint8_t c1[PPPOE_COOKIE_LEN], c2[PPPOE_COOKIE_LEN];

	(void)state;
	now = 1000 * 4 * 50 + 3 * 1000; /* last slot of an epoch */
	s = mk_server(&cfg);
	s2 = mk_server(&cfg);
	assert_true(get_cookie(s, host_mac, c1));
	assert_true(get_cookie(s2, host_mac, c2));
	assert_memory_not_equal(c1, c2, sizeof(c1));
	now += 1000; /* first slot of the next epoch */
	assert_true(get_cookie(s, other_mac, c2)); /* new key minted */
	send_padr(s, host_mac, c1);
	assert_int_equal(pppoe_server_session_count(s), 1);
	pppoe_server_free(s);
	pppoe_server_free(s2);
}

static void
test_padt_both_ways(void **state)
{
	struct pppoe_server *s = mk_server(NULL);
	struct pppoe_client *c = mk_client("", NULL);
	const struct pppoe_server_stats *st = pppoe_server_stats(s);
	struct pppoe_pkt p;
	uint16_t sid;

	(void)state;
	/* Host → AC */
	assert_int_equal(pppoe_client_start(c, now), 0);
	pump(s, c);
	assert_int_equal(pppoe_server_session_count(s), 1);
	pppoe_client_close(c, "user hung up");
	assert_int_equal(pppoe_client_state(c), PPPOE_CLIENT_IDLE);
	pump(s, c);
	assert_int_equal(srv_down, 1);
	assert_string_equal(srv_down_reason, "peer sent PADT: user hung up");
	assert_int_equal(pppoe_server_session_count(s), 0);
	assert_int_equal(cli_down, 0); /* our own close: no callback */
	/* §5.5: nothing more on that session */
	assert_int_equal(pppoe_client_send(c, (const uint8_t *)"\xc0\x21", 2),
	    -1);

	/* AC → host */
	assert_int_equal(pppoe_client_start(c, now), 0);
	pump(s, c);
	sid = pppoe_client_session_id(c);
	assert_int_not_equal(sid, 0);
	/* A PADT for that ID from a stranger is not the peer's (§4). */
	mk_pkt(&p, PPPOE_CODE_PADT, other_mac, ac_mac);
	p.nservice = 0;
	p.session_id = sid;
	inject(s, &p);
	assert_int_equal(st->drops[PPPOE_SRV_DROP_UNKNOWN_SESSION], 1);
	assert_int_equal(pppoe_server_session_count(s), 1);
	assert_int_equal(pppoe_server_close_session(s, sid, "idle timeout"), 0);
	assert_int_equal(pppoe_server_close_session(s, sid, "again"), -1);
	pump(s, c);
	assert_int_equal(cli_down, 1);
	assert_string_equal(cli_down_reason,
	    "PADT from access concentrator: idle timeout");
	assert_int_equal(pppoe_client_state(c), PPPOE_CLIENT_IDLE);
	assert_int_equal(pppoe_server_session_count(s), 0);
	/* Data for the dead session is dropped and counted. */
	{
		uint8_t f[64];
		int n = pppoe_build_session(f, sizeof(f), ac_mac, host_mac, sid,
		    (const uint8_t *)"\xc0\x21\x05\x01\x00\x04", 6);

		pppoe_server_input(s, f, (size_t)n, now);
		assert_int_equal(st->drops[PPPOE_SRV_DROP_UNKNOWN_SESSION], 2);
	}
	pppoe_client_free(c);
	pppoe_server_free(s);
}

static void
test_session_ids_unique_and_limit(void **state)
{
	struct pppoe_server_config cfg = { .max_sessions = 300,
		.padi_global_burst = 10000 };
	struct pppoe_server *s;
	static uint8_t seen[65536 / 8];
	uint8_t cookie[PPPOE_COOKIE_LEN];
	struct pppoe_pkt o;

	(void)state;
	s = mk_server(&cfg);
	memset(seen, 0, sizeof(seen));
	for (unsigned i = 0; i < 301; i++) {
		uint8_t mac[6] = { 0x02, 0x20, 0, 0, (uint8_t)(i >> 8),
			(uint8_t)i };

		srv_q.n = srv_q.head = 0;
		assert_true(get_cookie(s, mac, cookie));
		send_padr(s, mac, cookie);
		parse_ok(last_srv(), &o);
		assert_int_equal(o.code, PPPOE_CODE_PADS);
		if (i == 300) {
			/* Over the limit: a refusal, SESSION_ID 0 (§5.4). */
			assert_int_equal(o.session_id, 0);
			assert_true(o.present & PPPOE_HAVE_SYS_ERR);
			break;
		}
		assert_int_not_equal(o.session_id, 0);
		/* §4: 0xffff is reserved. */
		assert_int_not_equal(o.session_id, PPPOE_SID_RESERVED);
		assert_false(
		    seen[o.session_id / 8] & (1 << (o.session_id % 8)));
		seen[o.session_id / 8] |= (uint8_t)(1 << (o.session_id % 8));
		assert_memory_equal(pppoe_server_session(s, o.session_id)->peer,
		    mac, 6);
	}
	assert_int_equal(pppoe_server_session_count(s), 300);
	assert_int_equal(pppoe_server_stats(s)->pads_refused, 1);
	srv_q.n = srv_q.head = 0;
	pppoe_server_free(s);
	assert_int_equal(srv_q.n, 300); /* a PADT for each session */
}

/*
 * max_sessions_per_mac: a MAC holding its share gets no PADO (RFC 2516
 * §5.2: an AC that cannot serve a PADI MUST NOT answer it) and a PADR with
 * a cookie it got earlier is refused with a PADS carrying AC-System-Error
 * and SESSION_ID 0 (§5.4); other MACs are served, and the MAC is again
 * once one of its sessions ends.  Every refusal is counted.
 */
static void
test_sessions_per_mac(void **state)
{
	struct pppoe_server_config cfg = { .max_sessions = 16,
		.max_sessions_per_mac = 2,
		.padi_per_mac_burst = 100,
		.padi_global_burst = 1000 };
	struct pppoe_server *s;
	const struct pppoe_server_stats *st;
	uint8_t cookie[PPPOE_COOKIE_LEN], spare[PPPOE_COOKIE_LEN];
	struct pppoe_pkt o;
	uint16_t first = 0;

	(void)state;
	s = mk_server(&cfg);
	st = pppoe_server_stats(s);
	assert_true(get_cookie(s, host_mac, spare));
	for (int i = 0; i < 2; i++) {
		assert_true(get_cookie(s, host_mac, cookie));
		send_padr(s, host_mac, cookie);
		parse_ok(last_srv(), &o);
		assert_int_equal(o.code, PPPOE_CODE_PADS);
		assert_int_not_equal(o.session_id, 0);
		if (i == 0)
			first = o.session_id;
	}
	assert_int_equal(pppoe_server_mac_sessions(s, host_mac), 2);
	/* a third: no PADO */
	assert_false(get_cookie(s, host_mac, cookie));
	assert_int_equal(st->refused_mac_limit, 1);
	/* a PADR with the cookie of an earlier PADO: PADS with an error */
	send_padr(s, host_mac, spare);
	parse_ok(last_srv(), &o);
	assert_int_equal(o.code, PPPOE_CODE_PADS);
	assert_int_equal(o.session_id, 0);
	assert_true(o.present & PPPOE_HAVE_SYS_ERR);
	assert_int_equal(st->refused_mac_limit, 2);
	assert_int_equal(pppoe_server_session_count(s), 2);
	/* another host is served */
	assert_true(get_cookie(s, other_mac, cookie));
	send_padr(s, other_mac, cookie);
	assert_int_equal(pppoe_server_session_count(s), 3);
	/* one session of the first host ends: it may have another */
	assert_int_equal(pppoe_server_close_session(s, first, "test"), 0);
	assert_int_equal(pppoe_server_mac_sessions(s, host_mac), 1);
	assert_true(get_cookie(s, host_mac, cookie));
	send_padr(s, host_mac, cookie);
	assert_int_equal(pppoe_server_mac_sessions(s, host_mac), 2);
	/* 0 lifts the limit (reload) */
	pppoe_server_set_mac_limit(s, 0);
	assert_true(get_cookie(s, host_mac, cookie));
	assert_int_equal(st->refused_mac_limit, 2);
	pppoe_server_free(s);
}

/* Many sessions per MAC and many MACs: the count follows PADT both ways. */
static void
test_sessions_per_mac_padt(void **state)
{
	struct pppoe_server_config cfg = { .max_sessions = 64,
		.max_sessions_per_mac = 3,
		.padi_per_mac_burst = 100,
		.padi_global_burst = 1000 };
	struct pppoe_server *s;
	uint8_t cookie[PPPOE_COOKIE_LEN];
	struct pppoe_pkt o, p;

	(void)state;
	s = mk_server(&cfg);
	for (unsigned i = 0; i < 20; i++) {
		uint8_t mac[6] = { 0x02, 0x30, 0, 0, 0, (uint8_t)(i % 5) };

		if (!get_cookie(s, mac, cookie))
			continue;
		send_padr(s, mac, cookie);
		parse_ok(last_srv(), &o);
		if (o.session_id == 0)
			continue;
		if (i % 2 == 0) {
			/* the host hangs up: PADT from it */
			mk_pkt(&p, PPPOE_CODE_PADT, mac, ac_mac);
			p.nservice = 0;
			p.session_id = o.session_id;
			inject(s, &p);
		}
	}
	for (unsigned m = 0; m < 5; m++) {
		uint8_t mac[6] = { 0x02, 0x30, 0, 0, 0, (uint8_t)m };

		assert_true(pppoe_server_mac_sessions(s, mac) <= 3);
	}
	assert_true(pppoe_server_session_count(s) <= 15);
	pppoe_server_free(s);
}

static void
test_padi_rate_limit(void **state)
{
	struct pppoe_server *s = mk_server(NULL);
	const struct pppoe_server_stats *st = pppoe_server_stats(s);
	uint8_t cookie[PPPOE_COOKIE_LEN];
	unsigned ok = 0;

	(void)state;
	/* Default: burst 5, 2 per second, per MAC. */
	for (int i = 0; i < 20; i++)
		ok += get_cookie(s, host_mac, cookie);
	assert_int_equal(ok, 5);
	assert_int_equal(st->drops[PPPOE_SRV_DROP_RATE_LIMITED], 15);
	/* Another MAC is not starved by the first one's flood. */
	assert_true(get_cookie(s, other_mac, cookie));
	now += 1000;
	ok = 0;
	for (int i = 0; i < 20; i++)
		ok += get_cookie(s, host_mac, cookie);
	assert_int_equal(ok, 2);
	pppoe_server_free(s);
}

/* The global bucket ([lac] discovery-rate): many hosts, one PADI each, are
 * answered up to the burst, then at the configured rate. */
static void
test_padi_global_rate(void **state)
{
	struct pppoe_server_config cfg = { .padi_global_rate = 10,
		.padi_global_burst = 20 };
	struct pppoe_server *s = mk_server(&cfg);
	uint8_t cookie[PPPOE_COOKIE_LEN], mac[6] = { 2, 0, 0, 0, 0, 0 };
	unsigned ok = 0;

	(void)state;
	for (int i = 0; i < 50; i++) {
		mac[5] = (uint8_t)i;
		ok += get_cookie(s, mac, cookie);
	}
	assert_int_equal(ok, 20);
	assert_int_equal(
	    pppoe_server_stats(s)->drops[PPPOE_SRV_DROP_RATE_LIMITED], 30);
	now += 1000; /* 10 more tokens */
	ok = 0;
	for (int i = 50; i < 100; i++) {
		mac[5] = (uint8_t)i;
		ok += get_cookie(s, mac, cookie);
	}
	assert_int_equal(ok, 10);
	/* A reload raises the rate: 40 a second from now on. */
	pppoe_server_set_rate(s, 40, 80);
	now += 1000;
	ok = 0;
	for (int i = 100; i < 200; i++) {
		mac[5] = (uint8_t)i;
		ok += get_cookie(s, mac, cookie);
	}
	assert_int_equal(ok, 40);
	pppoe_server_free(s);
}

static uint64_t
padi_time(unsigned k)
{
	unsigned seen = 0;

	for (unsigned i = 0; i < cli_q.n; i++) {
		struct pppoe_pkt p;

		parse_ok(&cli_q.f[i], &p);
		if (p.code == PPPOE_CODE_PADI && seen++ == k)
			return cli_q.f[i].at;
	}
	return 0;
}

/* Steps the fake clock from deadline to deadline. */
static void
run_until(struct pppoe_client *c, uint64_t end)
{
	while (pppoe_client_next_deadline(c) <= end) {
		now = pppoe_client_next_deadline(c);
		pppoe_client_timeout(c, now);
	}
	now = end;
}

/* §8: PADI resent after 1 s, doubling, then give up. */
static void
test_client_padi_retransmission(void **state)
{
	struct pppoe_client *c = mk_client("isp", NULL);
	uint64_t t0 = now;

	(void)state;
	assert_int_equal(pppoe_client_start(c, now), 0);
	assert_int_equal(pppoe_client_start(c, now), -1);
	assert_int_equal(pppoe_client_next_deadline(c), t0 + 1000);
	pppoe_client_timeout(c, t0 + 999); /* early: nothing */
	assert_int_equal(cli_q.n, 1);
	run_until(c, t0 + 60000);
	assert_int_equal(cli_q.n, 4);
	assert_int_equal(padi_time(0), t0);
	assert_int_equal(padi_time(1), t0 + 1000);
	assert_int_equal(padi_time(2), t0 + 3000);
	assert_int_equal(padi_time(3), t0 + 7000);
	assert_int_equal(cli_down, 1);
	assert_non_null(strstr(cli_down_reason, "no PADO"));
	assert_int_equal(pppoe_client_state(c), PPPOE_CLIENT_IDLE);
	assert_int_equal(pppoe_client_next_deadline(c), TIME_NEVER);
	pppoe_client_free(c);
}

/* §8: PADR resent likewise; after its retries, back to PADI. */
static void
test_client_padr_retransmission(void **state)
{
	struct pppoe_server *s = mk_server(NULL);
	struct pppoe_client *c = mk_client("isp", NULL);
	struct pppoe_pkt p;
	uint64_t t0 = now;
	uint8_t hu0[8];

	(void)state;
	assert_int_equal(pppoe_client_start(c, now), 0);
	pppoe_server_input(s, cli_q.f[0].b, cli_q.f[0].len, now);
	parse_ok(&cli_q.f[0], &p);
	memcpy(hu0, p.host_uniq.p, 8);
	/* Deliver the PADO, lose every PADR. */
	pppoe_client_input(c, srv_q.f[0].b, srv_q.f[0].len, now);
	assert_int_equal(pppoe_client_state(c), PPPOE_CLIENT_PADR_SENT);
	run_until(c, t0 + 7000);
	assert_int_equal(cli_q.n, 1 + 3 + 1); /* PADI, 3 PADR, PADI */
	for (unsigned i = 1; i <= 3; i++) {
		parse_ok(&cli_q.f[i], &p);
		assert_int_equal(p.code, PPPOE_CODE_PADR);
	}
	assert_int_equal(cli_q.f[1].at, t0);
	assert_int_equal(cli_q.f[2].at, t0 + 1000);
	assert_int_equal(cli_q.f[3].at, t0 + 3000);
	parse_ok(&cli_q.f[4], &p);
	assert_int_equal(p.code, PPPOE_CODE_PADI);
	assert_int_equal(cli_q.f[4].at, t0 + 7000);
	/* A new round has a new Host-Uniq: the old PADO is now stale. */
	assert_memory_not_equal(p.host_uniq.p, hu0, 8);
	pppoe_client_input(c, srv_q.f[0].b, srv_q.f[0].len, now);
	assert_int_equal(pppoe_client_state(c), PPPOE_CLIENT_PADI_SENT);
	assert_int_equal(pppoe_client_stats(c)->ignored, 1);
	pppoe_client_free(c);
	pppoe_server_free(s);
}

/* §5.2 / §5.4 / §9 Service-Name handling, and the client's filters. */
static void
test_service_names(void **state)
{
	struct pppoe_server_config cfg = { .services = { "isp", "gold" },
		.nservices = 2 };
	struct pppoe_server *s = mk_server(&cfg);
	const struct pppoe_server_stats *st = pppoe_server_stats(s);
	struct pppoe_client *c;
	uint8_t cookie[PPPOE_COOKIE_LEN];
	struct pppoe_pkt p, o;

	(void)state;
	/* Not offered: no PADO at all (§5.2 MUST NOT). */
	mk_pkt(&p, PPPOE_CODE_PADI, host_mac, bcast);
	p.service[0] = pppoe_tag_str_val("silver");
	inject(s, &p);
	assert_int_equal(srv_q.n, 0);
	assert_int_equal(st->drops[PPPOE_SRV_DROP_NO_SERVICE], 1);
	/* Any service: the empty name echoed first, then ours. */
	assert_true(get_cookie(s, host_mac, cookie));
	parse_ok(last_srv(), &o);
	assert_int_equal(o.nservice, 3);
	assert_int_equal(o.service[0].len, 0);
	assert_memory_equal(o.service[1].p, "isp", 3);
	assert_memory_equal(o.service[2].p, "gold", 4);
	/* PADR for a service we do not offer: PADS with Service-Name-Error
	 * and SESSION_ID 0 (§5.4 MUST). */
	mk_pkt(&p, PPPOE_CODE_PADR, host_mac, ac_mac);
	p.service[0] = pppoe_tag_str_val("silver");
	p.present = PPPOE_HAVE_AC_COOKIE;
	p.ac_cookie.p = cookie;
	p.ac_cookie.len = sizeof(cookie);
	inject(s, &p);
	parse_ok(last_srv(), &o);
	assert_int_equal(o.code, PPPOE_CODE_PADS);
	assert_int_equal(o.session_id, 0);
	assert_true(o.present & PPPOE_HAVE_SVC_ERR);
	assert_int_equal(pppoe_server_session_count(s), 0);

	/* A client asking for "gold" gets it. */
	c = mk_client("gold", NULL);
	now += 10000;
	assert_int_equal(pppoe_client_start(c, now), 0);
	pump(s, c);
	assert_int_equal(pppoe_client_state(c), PPPOE_CLIENT_SESSION);
	assert_string_equal(last_sess->service, "gold");
	pppoe_client_free(c);

	/* A client wanting another AC-Name ignores our PADO. */
	c = mk_client("", "other-lac");
	assert_int_equal(pppoe_client_start(c, now), 0);
	pump(s, c);
	assert_int_equal(pppoe_client_state(c), PPPOE_CLIENT_PADI_SENT);
	assert_int_equal(pppoe_client_stats(c)->ignored, 1);
	pppoe_client_free(c);
	pppoe_server_free(s);
}

/* A refused PADS reaches the client's owner with its reason. */
static void
test_client_sees_refusal(void **state)
{
	struct pppoe_server_config cfg = { .max_sessions = 1 };
	struct pppoe_server *s = mk_server(&cfg);
	struct pppoe_client *c = mk_client("", NULL);
	uint8_t cookie[PPPOE_COOKIE_LEN];

	(void)state;
	assert_true(get_cookie(s, other_mac, cookie));
	send_padr(s, other_mac, cookie);
	assert_int_equal(pppoe_server_session_count(s), 1);
	srv_q.n = srv_q.head = 0;
	assert_int_equal(pppoe_client_start(c, now), 0);
	pump(s, c);
	assert_int_equal(cli_down, 1);
	assert_string_equal(cli_down_reason,
	    "PADS: AC-System-Error: too many sessions");
	pppoe_client_free(c);
	pppoe_server_free(s);
}

/* The owner may refuse a session in session_up: PADT follows the PADS. */
static void
test_owner_refuses_session(void **state)
{
	struct pppoe_server *s = mk_server(NULL);
	struct pppoe_client *c = mk_client("", NULL);
	struct pppoe_pkt p;

	(void)state;
	up_ret = -1;
	assert_int_equal(pppoe_client_start(c, now), 0);
	pump(s, c);
	assert_int_equal(pppoe_server_session_count(s), 0);
	parse_ok(last_srv(), &p);
	assert_int_equal(p.code, PPPOE_CODE_PADT);
	assert_int_equal(cli_up, 1);
	assert_int_equal(cli_down, 1);
	pppoe_client_free(c);
	pppoe_server_free(s);
}

/* Malformed, misdirected and unexpected frames: dropped and counted. */
static void
test_server_drops(void **state)
{
	struct pppoe_server *s = mk_server(NULL);
	const struct pppoe_server_stats *st = pppoe_server_stats(s);
	uint8_t junk[30] = { 0 };
	struct pppoe_pkt p;

	(void)state;
	pppoe_server_input(s, junk, sizeof(junk), now);
	assert_int_equal(st->drops[PPPOE_SRV_DROP_MALFORMED], 1);
	assert_int_equal(st->malformed[PPPOE_ERR_ETHERTYPE], 1);
	/* a PADR to another AC's MAC */
	mk_pkt(&p, PPPOE_CODE_PADR, host_mac, other_mac);
	inject(s, &p);
	assert_int_equal(st->drops[PPPOE_SRV_DROP_NOT_FOR_US], 1);
	/* a PADO sent to a server */
	mk_pkt(&p, PPPOE_CODE_PADO, host_mac, ac_mac);
	p.present = PPPOE_HAVE_AC_NAME;
	inject(s, &p);
	assert_int_equal(st->drops[PPPOE_SRV_DROP_UNEXPECTED], 1);
	assert_int_equal(srv_q.n, 0);
	assert_string_equal(pppoe_srv_drop_str(PPPOE_SRV_DROP_BAD_COOKIE),
	    "bad AC-Cookie");
	pppoe_server_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_full_discovery_and_data, reset),
		cmocka_unit_test_setup(test_host_uniq_relay_echoed, reset),
		cmocka_unit_test_setup(test_access_line_tags_keep_strip, reset),
		cmocka_unit_test_setup(test_no_state_before_padr, reset),
		cmocka_unit_test_setup(test_cookie_checks, reset),
		cmocka_unit_test_setup(test_cookie_lifetime, reset),
		cmocka_unit_test_setup(test_sessions_per_mac, reset),
		cmocka_unit_test_setup(test_sessions_per_mac_padt, reset),
		cmocka_unit_test_setup(test_cookie_key_rotation, reset),
		cmocka_unit_test_setup(test_padt_both_ways, reset),
		cmocka_unit_test_setup(test_session_ids_unique_and_limit,
		    reset),
		cmocka_unit_test_setup(test_padi_rate_limit, reset),
		cmocka_unit_test_setup(test_padi_global_rate, reset),
		cmocka_unit_test_setup(test_client_padi_retransmission, reset),
		cmocka_unit_test_setup(test_client_padr_retransmission, reset),
		cmocka_unit_test_setup(test_service_names, reset),
		cmocka_unit_test_setup(test_client_sees_refusal, reset),
		cmocka_unit_test_setup(test_owner_refuses_session, reset),
		cmocka_unit_test_setup(test_server_drops, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
