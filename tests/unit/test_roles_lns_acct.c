/*
 * test_roles_lns_acct.c — the LNS with [radius] on the seam's recorder
 * (tests/support/role_harness.h, fake_io.h): PAP checked by an
 * Access-Request the test answers (RFC 2865), the Access-Accept's
 * Session-Timeout, Idle-Timeout and Acct-Interim-Interval on the fake
 * clock, and the accounting records (RFC 2866): Accounting-On at start,
 * Start once IPCP is up, Interim-Update at the interval, Stop with the
 * Acct-Terminate-Cause of the session's end and the octets and packets
 * it carried, Accounting-Off only after the last Stop; an operator's or
 * a Disconnect-/CoA-Request's end (RFC 5176); a RADIUS server that never
 * answers ending the call cleanly.  With IPv6 on (lns_acct_start.h):
 * Start once IPCP and IPv6CP have each opened or failed, at most
 * LNS_ACCT_START_WAIT_MS after the first opened, carrying the /64 (RFC
 * 3162 §2.3); an IPv6-only session's without Framed-IP-Address and with
 * its IPv4 address back in the pool; a prefix delegated after the Start
 * reported at once by an Interim-Update (RFC 4818 §3).
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lns_common.h"
#include "radius/radius_attr_table.h"
#include "radius/radius_codec.h"
#include "role_harness.h"
#include "ppp/ppp_proto.h"
#include "roles/aaa.h"
#include "roles/lns_acct_start.h"
#include "roles/lns_ipv6.h"
#include "roles/roles_priv.h"
#include "roles/session_link.h"

static const char radius_conf[] =
    "[global]\nhostname = lns.test\n\n"
    "[lns]\nlocal-address = 10.9.0.1\npool = 10.9.0.10-10.9.0.13\n"
    "auth = pap\nradius = yes\ninterface = vpdn0\n\n"
    "[radius]\nserver = 127.0.0.1\nsecret = s3cret\n"
    "nas-identifier = lns.test\n";

static const char radius6_conf[] =
    "[global]\nhostname = lns.test\n\n"
    "[lns]\nlocal-address = 10.9.0.1\npool = 10.9.0.10-10.9.0.13\n"
    "auth = pap\nradius = yes\ninterface = vpdn0\n"
    "ipv6-pool = 2001:db8:100::/62\n\n"
    "[radius]\nserver = 127.0.0.1\nsecret = s3cret\n"
    "nas-identifier = lns.test\n";

static const uint8_t peer_id[8] = { 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44,
	0x55 };

/* The roles on conf, with their Accounting-On answered. */
static struct role_harness *
lns_radius_conf(const char *conf)
{
	struct role_harness *h = rh_new(conf, NULL);

	/* RFC 2866 §5.1: Accounting-On when accounting starts. */
	assert_non_null(rh_acct_find(h, RADIUS_ACCT_STATUS_ON));
	assert_int_equal(rh_acct_answer_all(h), 1);
	return h;
}

static struct role_harness *
lns_radius(void)
{
	return lns_radius_conf(radius_conf);
}

/* An Access-Accept with u32 attributes as (type, value) pairs up to 0. */
static void
accept_with(struct radius_packet *rep, ...)
{
	va_list ap;
	int type;

	radius_packet_init(rep, RADIUS_CODE_ACCESS_ACCEPT, 0, NULL);
	va_start(ap, rep);
	while ((type = va_arg(ap, int)) != 0)
		assert_int_equal(radius_put_u32(rep, (uint8_t)type,
				     va_arg(ap, uint32_t)),
		    RADIUS_OK);
	va_end(ap);
}

/* A call brought up as user, the Access-Request answered with rep: the
 * call, its address in *a. */
static struct rh_call *
radius_up(struct role_harness *h, struct rh_peer *p, const char *user,
    const struct radius_packet *rep, uint32_t *a)
{
	struct rh_call *c = rh_call_open(h, p);
	struct fake_radius_req *q;

	assert_non_null(c);
	assert_true(rh_ppp_lcp_pap(h, p, c, user, "pw"));
	assert_false(c->pap_ack); /* the server has not answered */
	q = fake_radius_find(&h->io, RADIUS_CODE_ACCESS_REQUEST);
	assert_non_null(q);
	assert_int_equal(q->pwlen, 2);
	assert_memory_equal(q->password, "pw", 2);
	rh_radius_reply(h, q, rep);
	assert_true(c->pap_ack);
	*a = rh_ppp_ipcp(h, p, c);
	return c;
}

static uint32_t
stop_cause(struct fake_radius_req *q)
{
	assert_non_null(q);
	return rh_radius_u32(q, RADIUS_ATTR_ACCT_TERMINATE_CAUSE);
}

/* Start at IPCP up, Interim-Update at the Access-Accept's interval (not
 * before), Stop on the LAC's CDN with Lost-Carrier and the octets and
 * packets actually carried each way. */
static void
test_acct_start_interim_stop(void **state)
{
	struct role_harness *h = lns_radius();
	struct rh_peer *p = rh_peer(h, 0);
	struct radius_packet rep;
	struct fake_radius_req *q;
	struct rh_call *c;
	uint8_t ip[128];
	uint32_t a;
	size_t n, in = 0;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	accept_with(&rep, RADIUS_ATTR_ACCT_INTERIM_INTERVAL, 10, 0);
	c = radius_up(h, p, "alice", &rep, &a);
	assert_int_equal(a, POOL_FIRST);
	/* RFC 2866 §4.1: Start once the service is delivered. */
	q = rh_acct_find(h, RADIUS_ACCT_STATUS_START);
	assert_non_null(q);
	assert_int_equal(rh_radius_u32(q, RADIUS_ATTR_FRAMED_IP_ADDRESS), a);
	assert_int_equal(h->io.acct_starts, 1);
	assert_int_equal(rh_acct_answer_all(h), 1);

	in += rh_ip_send(h, p, c, a, OUTSIDE, 100);
	in += rh_ip_send(h, p, c, a, OUTSIDE, 100);
	/* A spoofed packet is no traffic of the user's. */
	(void)rh_ip_send(h, p, c, a + 1, OUTSIDE, 100);
	n = rh_ip_packet(ip, sizeof(ip), OUTSIDE, a, 44);
	assert_true(fake_tun_push(&h->io, ip, n));
	assert_true(fake_io_readable(&h->io, FAKE_FD_TUN, h->now));
	assert_int_equal(c->ip_rx, 1);

	rh_advance(h, 9999);
	assert_null(rh_acct_find(h, RADIUS_ACCT_STATUS_INTERIM));
	rh_advance(h, 1);
	q = rh_acct_find(h, RADIUS_ACCT_STATUS_INTERIM);
	assert_non_null(q);
	assert_int_equal(rh_radius_u32(q, RADIUS_ATTR_ACCT_INPUT_OCTETS), in);
	assert_int_equal(rh_radius_u32(q, RADIUS_ATTR_ACCT_SESSION_TIME), 10);
	assert_int_equal(rh_acct_answer_all(h), 1);

	rh_advance(h, 2000);
	(void)rh_ppp_echo_reply(h, p, c);
	rh_call_close(h, p, c, 3);
	q = rh_acct_find(h, RADIUS_ACCT_STATUS_STOP);
	/* RFC 2866 §5.10: the LAC's CDN is the carrier going. */
	assert_int_equal(stop_cause(q), AAA_CAUSE_LOST_CARRIER);
	assert_int_equal(rh_radius_u32(q, RADIUS_ATTR_ACCT_INPUT_OCTETS), in);
	assert_int_equal(rh_radius_u32(q, RADIUS_ATTR_ACCT_INPUT_PACKETS), 2);
	assert_int_equal(rh_radius_u32(q, RADIUS_ATTR_ACCT_OUTPUT_OCTETS), n);
	assert_int_equal(rh_radius_u32(q, RADIUS_ATTR_ACCT_OUTPUT_PACKETS), 1);
	assert_int_equal(rh_radius_u32(q, RADIUS_ATTR_ACCT_SESSION_TIME), 12);
	assert_int_equal(h->io.acct_stops, 1);
	assert_null(h->io.acct_error);
	assert_int_equal(pool_used(h), 0);
	rh_free(h);
}

/* RFC 2865 §5.27: Session-Timeout ends the session at that time, not
 * before; the Stop says Session-Timeout. */
static void
test_acct_session_timeout(void **state)
{
	struct role_harness *h = lns_radius();
	struct rh_peer *p = rh_peer(h, 0);
	struct radius_packet rep;
	struct rh_call *c;
	uint32_t a;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	accept_with(&rep, RADIUS_ATTR_SESSION_TIMEOUT, 20, 0);
	c = radius_up(h, p, "alice", &rep, &a);
	assert_int_not_equal(a, 0);
	(void)rh_acct_answer_all(h);
	rh_advance(h, 10000);
	(void)rh_ppp_echo_reply(h, p, c);
	rh_advance(h, 9999);
	assert_int_equal(c->lcp_term_req, 0);
	assert_null(rh_acct_find(h, RADIUS_ACCT_STATUS_STOP));
	rh_advance(h, 1);
	/* RFC 1661 §3.7: Terminate-Request; the Stop when the link ends. */
	assert_int_equal(c->lcp_term_req, 1);
	rh_advance(h, 10000);
	assert_false(c->open);
	assert_int_equal(stop_cause(rh_acct_find(h, RADIUS_ACCT_STATUS_STOP)),
	    AAA_CAUSE_SESSION_TIMEOUT);
	assert_int_equal(pool_used(h), 0);
	assert_null(h->io.acct_error);
	rh_free(h);
}

/* RFC 2865 §5.28: Idle-Timeout counts from the user's last packet. */
static void
test_acct_idle_timeout(void **state)
{
	struct role_harness *h = lns_radius();
	struct rh_peer *p = rh_peer(h, 0);
	struct radius_packet rep;
	struct rh_call *c;
	uint32_t a;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	accept_with(&rep, RADIUS_ATTR_IDLE_TIMEOUT, 15, 0);
	c = radius_up(h, p, "alice", &rep, &a);
	(void)rh_acct_answer_all(h);
	rh_advance(h, 10000);
	(void)rh_ppp_echo_reply(h, p, c);
	(void)rh_ip_send(h, p, c, a, OUTSIDE, 4);
	rh_advance(h, 10000);
	(void)rh_ppp_echo_reply(h, p, c);
	rh_advance(h, 4999);
	assert_int_equal(c->lcp_term_req, 0);
	rh_advance(h, 1);
	assert_int_equal(c->lcp_term_req, 1);
	rh_advance(h, 10000);
	assert_false(c->open);
	assert_int_equal(stop_cause(rh_acct_find(h, RADIUS_ACCT_STATUS_STOP)),
	    AAA_CAUSE_IDLE_TIMEOUT);
	rh_free(h);
}

/* Shutdown with a live session: its Stop (NAS-Request) before the
 * Accounting-Off (RFC 2866 §5.1), and idle only once the StopCCN is
 * acknowledged and both records answered. */
static void
test_acct_shutdown_order(void **state)
{
	struct role_harness *h = lns_radius();
	struct rh_peer *p = rh_peer(h, 0);
	struct fake_radius_req *stop, *off;
	struct radius_packet rep;
	uint32_t a;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	accept_with(&rep, 0);
	(void)radius_up(h, p, "alice", &rep, &a);
	assert_int_equal(rh_acct_answer_all(h), 1);

	roles_shutdown(h->r, h->now);
	assert_int_equal(p->last_type, L2TP_MSG_STOPCCN);
	stop = rh_acct_find(h, RADIUS_ACCT_STATUS_STOP);
	off = rh_acct_find(h, RADIUS_ACCT_STATUS_OFF);
	assert_non_null(stop);
	assert_non_null(off);
	assert_true(stop->handle < off->handle);
	assert_int_equal(stop_cause(stop), AAA_CAUSE_NAS_REQUEST);
	assert_int_equal(roles_acct_pending(h->r), 2);
	assert_false(roles_idle(h->r));
	rh_ack(h, p);
	assert_int_equal(roles_unfinished_tunnels(h->r), 0);
	assert_false(roles_idle(h->r));
	/* Answers are waited for: the deadline comes back soon. */
	assert_true(roles_next_deadline(h->r) <= h->now + 100);
	rh_radius_reply(h, stop, &rep);
	assert_false(roles_idle(h->r));
	assert_int_equal(rh_acct_answer_all(h), 1);
	assert_true(roles_idle(h->r));
	assert_null(h->io.acct_error);
	rh_free(h);
}

/* Shutdown with no session: Accounting-Off at once; one given up by the
 * client still lets the daemon stop. */
static void
test_acct_shutdown_idle(void **state)
{
	struct role_harness *h = lns_radius();
	struct fake_radius_req *off;

	(void)state;
	roles_shutdown(h->r, h->now);
	off = rh_acct_find(h, RADIUS_ACCT_STATUS_OFF);
	assert_non_null(off);
	assert_false(roles_idle(h->r));
	fake_radius_timeout(&h->io, off, h->now);
	assert_true(roles_idle(h->r));
	rh_free(h);
}

/* RFC 2865 §5.4: nas-ip-address is in the Access-Request, Accounting-On
 * and every session record, beside NAS-Identifier, so that a RADIUS
 * server shared by several daemons tells them apart (and closes the open
 * sessions of the one whose Accounting-On it receives); the address of
 * the Access-Accept (RFC 2865 §5.8, as sqlippool hands them out) is the
 * one the user gets and the one accounting reports; the Acct-Session-Id
 * starts with the digest of this NAS. */
static const char nas_ip_conf[] =
    "[global]\nhostname = lns.test\n\n"
    "[lns]\nlocal-address = 10.9.0.1\npool = 10.9.0.10-10.9.0.13\n"
    "auth = pap\nradius = yes\ninterface = vpdn0\n\n"
    "[radius]\nserver = 127.0.0.1\nsecret = s3cret\n"
    "nas-identifier = lns-2\nnas-ip-address = 192.0.2.12\n";

static void
test_acct_nas_ip_address(void **state)
{
	struct role_harness *h = rh_new(nas_ip_conf, NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct radius_packet rep;
	struct fake_radius_req *q;
	char id[AAA_SESSION_ID_LEN + 1];
	struct rh_call *c;
	uint32_t a;

	(void)state;
	q = rh_acct_find(h, RADIUS_ACCT_STATUS_ON);
	assert_non_null(q);
	assert_int_equal(rh_radius_u32(q, RADIUS_ATTR_NAS_IP_ADDRESS),
	    0xc000020c);
	assert_int_equal(rh_acct_answer_all(h), 1);
	assert_true(rh_tunnel_open(h, p));
	accept_with(&rep, RADIUS_ATTR_FRAMED_IP_ADDRESS, 0x0a090063u, 0);
	c = rh_call_open(h, p);
	assert_non_null(c);
	assert_true(rh_ppp_lcp_pap(h, p, c, "alice", "pw"));
	q = fake_radius_find(&h->io, RADIUS_CODE_ACCESS_REQUEST);
	assert_non_null(q);
	assert_int_equal(rh_radius_u32(q, RADIUS_ATTR_NAS_IP_ADDRESS),
	    0xc000020c);
	rh_radius_reply(h, q, &rep);
	a = rh_ppp_ipcp(h, p, c);
	assert_int_equal(a, 0x0a090063u);
	q = rh_acct_find(h, RADIUS_ACCT_STATUS_START);
	assert_non_null(q);
	assert_int_equal(rh_radius_u32(q, RADIUS_ATTR_NAS_IP_ADDRESS),
	    0xc000020c);
	assert_int_equal(rh_radius_u32(q, RADIUS_ATTR_FRAMED_IP_ADDRESS), a);
	assert_int_equal(radius_get_string(q->pkt, RADIUS_ATTR_ACCT_SESSION_ID,
			     id, sizeof(id)),
	    RADIUS_OK);
	assert_int_equal(strlen(id), AAA_SESSION_ID_LEN);
	assert_int_equal(strspn(id, "0123456789ABCDEF"), AAA_SESSION_ID_LEN);
	rh_free(h);
}

/* A RADIUS server that never answers: the call ends (PAP refused,
 * Terminate, CDN) with no address, no route and no accounting. */
static void
test_acct_auth_timeout(void **state)
{
	struct role_harness *h = lns_radius();
	struct rh_peer *p = rh_peer(h, 0);
	struct fake_radius_req *q;
	struct rh_call *c;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	c = rh_call_open(h, p);
	assert_non_null(c);
	assert_true(rh_ppp_lcp_pap(h, p, c, "alice", "pw"));
	q = fake_radius_find(&h->io, RADIUS_CODE_ACCESS_REQUEST);
	assert_non_null(q);
	rh_advance(h, 3000);
	fake_radius_timeout(&h->io, q, h->now);
	assert_false(c->pap_ack);
	assert_int_equal(c->offered, 0);
	/* The refusal is acted on when it comes, not at the link's next
	 * timer (RFC 1661 §3.7: Terminate-Request, Max-Terminate 2 x 3 s). */
	assert_int_equal(c->lcp_term_req, 1);
	rh_advance(h, 5999);
	assert_true(c->open);
	rh_advance(h, 1);
	assert_false(c->open);
	assert_int_equal(fake_radius_open(&h->io), 0);
	assert_int_equal(h->io.acct_starts, 0);
	assert_int_equal(h->io.nroutes, 0);
	assert_int_equal(pool_used(h), 0);
	rh_free(h);
}

struct leases {
	unsigned n;
	uint32_t addr[4];
};

static void
lease_fn(const struct roles_lease *l, void *arg)
{
	struct leases *ls = arg;

	if (ls->n < 4)
		ls->addr[ls->n] = l->addr;
	ls->n++;
}

/* vpdnctl disconnect and RFC 5176: Admin-Reset in the Stop for an
 * operator's or a Disconnect-Request's end; a CoA-Request's
 * Session-Timeout counted from its arrival. */
static void
test_acct_admin_and_dae(void **state)
{
	struct role_harness *h = lns_radius();
	struct rh_peer *p = rh_peer(h, 0);
	struct radius_dae_match m;
	struct radius_dae_coa coa;
	enum radius_dae_error err;
	struct radius_packet rep;
	struct rh_call *cb;
	struct leases ls = { 0 };
	uint32_t a, b, c;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	accept_with(&rep, 0);
	(void)radius_up(h, p, "alice", &rep, &a);
	cb = radius_up(h, p, "bob", &rep, &b);
	(void)radius_up(h, p, "carol", &rep, &c);
	assert_int_equal(rh_acct_answer_all(h), 3);
	roles_foreach_lease(h->r, lease_fn, &ls);
	assert_int_equal(ls.n, 3);

	assert_int_equal(roles_disconnect_user(h->r, "nobody", h->now), 0);
	assert_int_equal(roles_disconnect_user(h->r, "alice", h->now), 1);
	assert_int_equal(stop_cause(rh_acct_find(h, RADIUS_ACCT_STATUS_STOP)),
	    AAA_CAUSE_ADMIN_RESET);
	assert_int_equal(rh_acct_answer_all(h), 1);

	memset(&m, 0, sizeof(m));
	m.framed_ip = c;
	assert_int_equal(roles_dae_disconnect(h->r, &m, h->now), 1);
	rh_advance(h, 10000);
	assert_int_equal(stop_cause(rh_acct_find(h, RADIUS_ACCT_STATUS_STOP)),
	    AAA_CAUSE_ADMIN_RESET);
	assert_int_equal(rh_acct_answer_all(h), 1);
	(void)rh_ppp_echo_reply(h, p, cb);
	rh_ack(h, p);

	memset(&m, 0, sizeof(m));
	strcpy(m.user, "nobody");
	memset(&coa, 0, sizeof(coa));
	coa.has_timeout = true;
	coa.session_timeout = 5;
	assert_int_equal(roles_dae_coa(h->r, &m, &coa, h->now, &err), 0);
	assert_int_equal(err, RADIUS_DAE_OK);
	strcpy(m.user, "bob");
	assert_int_equal(roles_dae_coa(h->r, &m, &coa, h->now, &err), 1);
	rh_advance(h, 4999);
	assert_int_equal(cb->lcp_term_req, 0);
	rh_advance(h, 1);
	assert_int_equal(cb->lcp_term_req, 1);
	rh_advance(h, 10000);
	assert_int_equal(stop_cause(rh_acct_find(h, RADIUS_ACCT_STATUS_STOP)),
	    AAA_CAUSE_SESSION_TIMEOUT);
	assert_int_equal(pool_used(h), 0);
	assert_null(h->io.acct_error);
	assert_int_equal(h->io.acct_starts, h->io.acct_stops);
	rh_free(h);
}

/* RFC 2865 §5.22: Framed-Routes go into the TUN device through the
 * session, are accepted as its source addresses and leave with it; one
 * that does not parse is ignored.  RFC 2865 §5.25: Class is echoed in
 * the accounting records. */
static void
test_acct_framed_routes(void **state)
{
	struct role_harness *h = lns_radius();
	struct rh_peer *p = rh_peer(h, 0);
	struct radius_packet rep;
	struct fake_radius_req *q;
	const uint8_t *v;
	struct rh_call *c;
	uint8_t ip[64];
	uint32_t a;
	size_t n, vl;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	accept_with(&rep, RADIUS_ATTR_FRAMED_MTU, 1300, 0);
	assert_int_equal(radius_put_string(&rep, RADIUS_ATTR_FRAMED_ROUTE,
			     "10.20.0.0/24 0.0.0.0 1"),
	    RADIUS_OK);
	assert_int_equal(radius_put_string(&rep, RADIUS_ATTR_FRAMED_ROUTE,
			     "10.30.0.1"),
	    RADIUS_OK);
	assert_int_equal(radius_put_string(&rep, RADIUS_ATTR_FRAMED_ROUTE,
			     "10.40.0.0/33"),
	    RADIUS_OK);
	assert_int_equal(radius_put_string(&rep, RADIUS_ATTR_FRAMED_POOL,
			     "gold"),
	    RADIUS_OK);
	assert_int_equal(radius_put_raw(&rep, RADIUS_ATTR_CLASS, "tier-1", 6),
	    RADIUS_OK);
	c = radius_up(h, p, "alice", &rep, &a);
	assert_int_equal(a, POOL_FIRST);
	assert_int_equal(h->io.nroutes, 3);
	assert_non_null(
	    fake_route_find(&h->io, FAKE_TUN_IFINDEX, 0x0a140000, 24));
	assert_non_null(
	    fake_route_find(&h->io, FAKE_TUN_IFINDEX, 0x0a1e0001, 32));
	q = rh_acct_find(h, RADIUS_ACCT_STATUS_START);
	assert_int_equal(radius_get_raw(q->pkt, RADIUS_ATTR_CLASS, &v, &vl),
	    RADIUS_OK);
	assert_int_equal(vl, 6);
	assert_memory_equal(v, "tier-1", 6);
	(void)rh_acct_answer_all(h);

	/* Downstream to the routed network, upstream from it. */
	n = rh_ip_packet(ip, sizeof(ip), OUTSIDE, 0x0a140005, 4);
	assert_true(fake_tun_push(&h->io, ip, n));
	assert_true(fake_io_readable(&h->io, FAKE_FD_TUN, h->now));
	assert_int_equal(c->ip_rx, 1);
	(void)rh_ip_send(h, p, c, 0x0a140007, OUTSIDE, 4);
	(void)rh_ip_send(h, p, c, 0x0a1e0001, OUTSIDE, 4);
	assert_int_equal(h->io.tun_written, 2);
	(void)rh_ip_send(h, p, c, 0x0a150007, OUTSIDE, 4);
	assert_int_equal(h->io.tun_written, 2);
	assert_int_equal(h->r->lns.rx_spoofed, 1);

	rh_call_close(h, p, c, 3);
	assert_int_equal(h->io.nroutes, 0);
	q = rh_acct_find(h, RADIUS_ACCT_STATUS_STOP);
	assert_non_null(q);
	assert_true(radius_has_attr(q->pkt, RADIUS_ATTR_CLASS));
	/* Nothing routes there any more. */
	assert_true(fake_tun_push(&h->io, ip, n));
	assert_true(fake_io_readable(&h->io, FAKE_FD_TUN, h->now));
	assert_int_equal(h->r->lns.tun_no_session, 1);
	rh_free(h);
}

/* RFC 1661 §3.4: LCP renegotiated takes IPCP down: the address and the
 * accounting record end there (User-Request); authenticating again as
 * the same user starts a new record with a new Acct-Session-Id. */
static void
test_acct_lcp_renegotiation(void **state)
{
	static const uint8_t lcp_req[] = { 0xc0, 0x21, 1, 99, 0, 10, 5, 6, 0x50,
		0x45, 0x45, 0x52 };
	struct role_harness *h = lns_radius();
	struct rh_peer *p = rh_peer(h, 0);
	struct radius_packet rep;
	struct fake_radius_req *q;
	struct rh_call *c;
	char id1[64], id2[64];
	uint32_t a;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	accept_with(&rep, 0);
	c = radius_up(h, p, "alice", &rep, &a);
	q = rh_acct_find(h, RADIUS_ACCT_STATUS_START);
	assert_int_equal(radius_get_string(q->pkt, RADIUS_ATTR_ACCT_SESSION_ID,
			     id1, sizeof(id1)),
	    RADIUS_OK);
	(void)rh_acct_answer_all(h);

	rh_ppp_send(h, p, c, lcp_req, sizeof(lcp_req));
	assert_true(c->open);
	assert_int_equal(h->io.nroutes, 0);
	assert_int_equal(pool_used(h), 0);
	assert_int_equal(stop_cause(rh_acct_find(h, RADIUS_ACCT_STATUS_STOP)),
	    AAA_CAUSE_USER_REQUEST);
	(void)rh_acct_answer_all(h);

	c->pap_ack = c->ipcp_acked = false;
	c->offered = 0;
	c->ipcp_req_len = 0;
	assert_true(rh_ppp_lcp_pap(h, p, c, "alice", "pw"));
	q = fake_radius_find(&h->io, RADIUS_CODE_ACCESS_REQUEST);
	assert_non_null(q);
	rh_radius_reply(h, q, &rep);
	a = rh_ppp_ipcp(h, p, c);
	assert_int_not_equal(a, 0);
	assert_non_null(fake_route_find(&h->io, FAKE_TUN_IFINDEX, a, 32));
	assert_int_equal(pool_used(h), 1);
	q = rh_acct_find(h, RADIUS_ACCT_STATUS_START);
	assert_non_null(q);
	assert_int_equal(radius_get_string(q->pkt, RADIUS_ATTR_ACCT_SESSION_ID,
			     id2, sizeof(id2)),
	    RADIUS_OK);
	assert_string_not_equal(id1, id2);
	assert_int_equal(h->io.acct_starts, 2);
	assert_null(h->io.acct_error);
	rh_free(h);
}

/* A call authenticated (Access-Accept without attributes) up to its NCPs,
 * none of which has run yet. */
static struct rh_call *
radius_authed(struct role_harness *h, struct rh_peer *p, const char *user)
{
	struct rh_call *c = rh_call_open(h, p);
	struct radius_packet rep;
	struct fake_radius_req *q;

	assert_non_null(c);
	assert_true(rh_ppp_lcp_pap(h, p, c, user, "pw"));
	q = fake_radius_find(&h->io, RADIUS_CODE_ACCESS_REQUEST);
	assert_non_null(q);
	accept_with(&rep, 0);
	rh_radius_reply(h, q, &rep);
	assert_true(c->pap_ack);
	return c;
}

/* Framed-IPv6-Prefix of a record: 0 prefix-length/reserved octet, the
 * length, the prefix (RFC 3162 §2.3); false when absent. */
static bool
framed6(const struct fake_radius_req *q, uint8_t type, char *out, size_t len)
{
	const uint8_t *v;
	size_t n;
	uint8_t a[16] = { 0 };
	char t[64];

	if (radius_get_raw(q->pkt, type, &v, &n) != RADIUS_OK || n < 2 ||
	    n - 2 > 16)
		return false;
	memcpy(a, v + 2, n - 2);
	assert_non_null(inet_ntop(AF_INET6, a, t, sizeof(t)));
	snprintf(out, len, "%s/%u", t, v[1]);
	return true;
}

/* Dual stack: Start waits for IPv6CP, then carries the IPv4 address and
 * the /64 together. */
static void
test_acct_start_waits_for_ipv6cp(void **state)
{
	struct role_harness *h = lns_radius_conf(radius6_conf);
	struct rh_peer *p = rh_peer(h, 0);
	struct fake_radius_req *q;
	struct rh_call *c;
	char pfx[64];
	uint32_t a;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	c = radius_authed(h, p, "alice");
	a = rh_ppp_ipcp(h, p, c);
	assert_int_equal(a, POOL_FIRST);
	rh_advance(h, 100);
	assert_null(rh_acct_find(h, RADIUS_ACCT_STATUS_START));
	assert_true(rh_ppp_ipv6cp(h, p, c, peer_id));
	q = rh_acct_find(h, RADIUS_ACCT_STATUS_START);
	assert_non_null(q);
	assert_int_equal(rh_radius_u32(q, RADIUS_ATTR_FRAMED_IP_ADDRESS), a);
	assert_true(
	    framed6(q, RADIUS_ATTR_FRAMED_IPV6_PREFIX, pfx, sizeof(pfx)));
	assert_string_equal(pfx, "2001:db8:100::/64");
	assert_int_equal(h->io.acct_starts, 1);
	(void)rh_acct_answer_all(h);
	rh_call_close(h, p, c, 3);
	assert_non_null(rh_acct_find(h, RADIUS_ACCT_STATUS_STOP));
	rh_free(h);
}

/* A peer that leaves IPv6CP unanswered holds Start back no longer than
 * LNS_ACCT_START_WAIT_MS after IPCP opened; Session-Time counts from it. */
static void
test_acct_start_ipv6cp_silent(void **state)
{
	struct role_harness *h = lns_radius_conf(radius6_conf);
	struct rh_peer *p = rh_peer(h, 0);
	struct fake_radius_req *q;
	struct rh_call *c;
	char pfx[64];
	uint32_t a;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	c = radius_authed(h, p, "alice");
	a = rh_ppp_ipcp(h, p, c);
	assert_int_not_equal(a, 0);
	rh_advance(h, LNS_ACCT_START_WAIT_MS - 1);
	assert_null(rh_acct_find(h, RADIUS_ACCT_STATUS_START));
	rh_advance(h, 1);
	q = rh_acct_find(h, RADIUS_ACCT_STATUS_START);
	assert_non_null(q);
	assert_int_equal(rh_radius_u32(q, RADIUS_ATTR_FRAMED_IP_ADDRESS), a);
	assert_false(
	    framed6(q, RADIUS_ATTR_FRAMED_IPV6_PREFIX, pfx, sizeof(pfx)));
	(void)rh_acct_answer_all(h);
	rh_call_close(h, p, c, 3);
	q = rh_acct_find(h, RADIUS_ACCT_STATUS_STOP);
	assert_non_null(q);
	assert_int_equal(rh_radius_u32(q, RADIUS_ATTR_ACCT_SESSION_TIME), 0);
	rh_free(h);
}

/* A session that ends while Start still waits for IPv6CP had its service:
 * Start goes before its Stop. */
static void
test_acct_start_before_stop(void **state)
{
	struct role_harness *h = lns_radius_conf(radius6_conf);
	struct rh_peer *p = rh_peer(h, 0);
	struct fake_radius_req *start, *stop;
	struct rh_call *c;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	c = radius_authed(h, p, "alice");
	assert_int_not_equal(rh_ppp_ipcp(h, p, c), 0);
	rh_advance(h, 1000);
	assert_null(rh_acct_find(h, RADIUS_ACCT_STATUS_START));
	rh_call_close(h, p, c, 3);
	start = rh_acct_find(h, RADIUS_ACCT_STATUS_START);
	stop = rh_acct_find(h, RADIUS_ACCT_STATUS_STOP);
	assert_non_null(start);
	assert_non_null(stop);
	assert_true(start->handle < stop->handle);
	assert_int_equal(h->io.acct_starts, 1);
	rh_free(h);
}

/* A session that ends before any NCP opened had no service: neither
 * Start nor Stop. */
static void
test_acct_no_start_without_ncp(void **state)
{
	struct role_harness *h = lns_radius_conf(radius6_conf);
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *c;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	c = radius_authed(h, p, "alice");
	rh_advance(h, 1000);
	rh_call_close(h, p, c, 3);
	assert_null(rh_acct_find(h, RADIUS_ACCT_STATUS_START));
	assert_null(rh_acct_find(h, RADIUS_ACCT_STATUS_STOP));
	rh_free(h);
}

/* A peer that rejects IPv6CP (RFC 1661 §5.7) has nothing more to come:
 * Start at once. */
static void
test_acct_start_ipv6cp_rejected(void **state)
{
	struct role_harness *h = lns_radius_conf(radius6_conf);
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *c;
	uint32_t a;

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	c = radius_authed(h, p, "alice");
	a = rh_ppp_ipcp(h, p, c);
	assert_int_not_equal(a, 0);
	assert_null(rh_acct_find(h, RADIUS_ACCT_STATUS_START));
	rh_ppp_proto_rej(h, p, c, PPP_PROTO_IPV6CP);
	assert_non_null(rh_acct_find(h, RADIUS_ACCT_STATUS_START));
	assert_int_equal(c->lcp_term_req, 0);
	rh_call_close(h, p, c, 3);
	rh_free(h);
}

/* IPv6 only: the peer rejects IPCP.  The address set aside at
 * authentication goes back to the pool, and Start (at IPv6CP up) carries
 * the /64 and no Framed-IP-Address; so does Stop. */
static void
test_acct_ipv6_only(void **state)
{
	struct role_harness *h = lns_radius_conf(radius6_conf);
	struct rh_peer *p = rh_peer(h, 0);
	struct fake_radius_req *q;
	struct rh_call *c;
	char pfx[64];

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	c = radius_authed(h, p, "alice");
	assert_int_equal(pool_used(h), 1);
	rh_ppp_proto_rej(h, p, c, PPP_PROTO_IPCP);
	assert_int_equal(pool_used(h), 0);
	assert_null(rh_acct_find(h, RADIUS_ACCT_STATUS_START));
	assert_true(rh_ppp_ipv6cp(h, p, c, peer_id));
	q = rh_acct_find(h, RADIUS_ACCT_STATUS_START);
	assert_non_null(q);
	assert_false(radius_has_attr(q->pkt, RADIUS_ATTR_FRAMED_IP_ADDRESS));
	assert_true(
	    framed6(q, RADIUS_ATTR_FRAMED_IPV6_PREFIX, pfx, sizeof(pfx)));
	assert_string_equal(pfx, "2001:db8:100::/64");
	(void)rh_acct_answer_all(h);
	/* The pool counts only a dual-stack session's address. */
	{
		struct rh_call *c2 = radius_authed(h, p, "bob");

		assert_int_not_equal(rh_ppp_ipcp(h, p, c2), 0);
		assert_int_equal(pool_used(h), 1);
		rh_call_close(h, p, c2, 3);
		(void)rh_acct_answer_all(h); /* bob's Start and Stop */
	}
	rh_call_close(h, p, c, 3);
	q = rh_acct_find(h, RADIUS_ACCT_STATUS_STOP);
	assert_non_null(q);
	assert_false(radius_has_attr(q->pkt, RADIUS_ATTR_FRAMED_IP_ADDRESS));
	rh_free(h);
}

/* A prefix delegated after the Start goes out at once in an
 * Interim-Update (no Acct-Interim-Interval here), only once. */
static void
test_acct_delegated_interim(void **state)
{
	static const uint8_t deleg[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x02, 0x00,
		0x01 };
	struct role_harness *h = lns_radius_conf(radius6_conf);
	struct rh_peer *p = rh_peer(h, 0);
	struct fake_radius_req *q;
	struct session_link *sl;
	struct rh_call *c;
	char pfx[64];

	(void)state;
	assert_true(rh_tunnel_open(h, p));
	c = radius_authed(h, p, "alice");
	assert_int_not_equal(rh_ppp_ipcp(h, p, c), 0);
	assert_true(rh_ppp_ipv6cp(h, p, c, peer_id));
	q = rh_acct_find(h, RADIUS_ACCT_STATUS_START);
	assert_non_null(q);
	assert_false(
	    framed6(q, RADIUS_ATTR_DELEGATED_IPV6_PREFIX, pfx, sizeof(pfx)));
	(void)rh_acct_answer_all(h);
	/* What lns_dhcpv6.c does when its Reply binds a prefix. */
	sl = LIST_FIRST(&h->r->links);
	assert_non_null(sl);
	lns6_set_delegated(lns_session_v6(sl), deleg, 56);
	q = rh_acct_find(h, RADIUS_ACCT_STATUS_INTERIM);
	assert_non_null(q);
	assert_true(
	    framed6(q, RADIUS_ATTR_DELEGATED_IPV6_PREFIX, pfx, sizeof(pfx)));
	assert_string_equal(pfx, "2001:db8:200:100::/56");
	assert_true(
	    framed6(q, RADIUS_ATTR_FRAMED_IPV6_PREFIX, pfx, sizeof(pfx)));
	(void)rh_acct_answer_all(h);
	/* The same prefix again (a Renew): nothing new to report. */
	lns6_set_delegated(lns_session_v6(sl), deleg, 56);
	assert_null(rh_acct_find(h, RADIUS_ACCT_STATUS_INTERIM));
	rh_call_close(h, p, c, 3);
	q = rh_acct_find(h, RADIUS_ACCT_STATUS_STOP);
	assert_true(
	    framed6(q, RADIUS_ATTR_DELEGATED_IPV6_PREFIX, pfx, sizeof(pfx)));
	rh_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_acct_start_interim_stop),
		cmocka_unit_test(test_acct_session_timeout),
		cmocka_unit_test(test_acct_idle_timeout),
		cmocka_unit_test(test_acct_shutdown_order),
		cmocka_unit_test(test_acct_shutdown_idle),
		cmocka_unit_test(test_acct_nas_ip_address),
		cmocka_unit_test(test_acct_auth_timeout),
		cmocka_unit_test(test_acct_admin_and_dae),
		cmocka_unit_test(test_acct_framed_routes),
		cmocka_unit_test(test_acct_lcp_renegotiation),
		cmocka_unit_test(test_acct_start_waits_for_ipv6cp),
		cmocka_unit_test(test_acct_start_ipv6cp_silent),
		cmocka_unit_test(test_acct_start_before_stop),
		cmocka_unit_test(test_acct_no_start_without_ncp),
		cmocka_unit_test(test_acct_start_ipv6cp_rejected),
		cmocka_unit_test(test_acct_ipv6_only),
		cmocka_unit_test(test_acct_delegated_interim),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
