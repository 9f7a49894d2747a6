/*
 * test_roles_lac_ops.c — the LAC role on the seam's recorder
 * (tests/support/role_harness_lac.h), what an operator configures around
 * the calls: the PPPoE server's limits (RFC 2516 §5.2/§5.4, the AC-Cookie
 * of §9), RADIUS deciding who dials and where (RFC 2868 tunnel
 * attributes), RFC 2866 accounting of the calls with `[lac] radius = yes`,
 * and reloads (realms removed, a users file that does not load).  The calls
 * themselves are tested in test_roles_lac.c.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "l2tp/msg.h"
#include "lac_common.h"
#include "pppoe/pppoe_server.h"
#include "radius/radius_attr_table.h"
#include "radius/radius_codec.h"
#include "role_harness_lac.h"
#include "roles/aaa.h"
#include "roles/lac_priv.h"

static const char two_realms[] = TWO_REALMS;

/* ---- PPPoE limits ---- */

/* max-sessions-per-mac = 2: a third PADI from the MAC gets no PADO
 * (RFC 2516 §5.2), a PADR with an earlier cookie a PADS with
 * AC-System-Error and no session (§5.4); another MAC is served. */
static void
test_max_sessions_per_mac(void **state)
{
	struct rh_lac *x = lac_new("[global]\nhostname = lac.test\n\n"
				   "[lac]\npppoe-interface = eth0\nauth = pap\n"
				   "max-sessions-per-mac = 2\n\n" REALM_A);
	struct rh_host *u[3];
	const struct pppoe_server_stats *st;

	(void)state;
	for (unsigned i = 0; i < 3; i++) {
		u[i] = rh_host(x, i);
		memcpy(u[i]->mac, rh_host(x, 0)->mac, PPPOE_MAC_LEN);
	}
	assert_true(rh_host_discover(x, u[0]));
	rh_lac_advance(x, 2000); /* the per-MAC PADI bucket refills */
	assert_true(rh_host_discover(x, u[1]));
	rh_lac_advance(x, 2000);
	assert_false(rh_host_discover(x, u[2]));
	assert_false(u[2]->pado);
	memcpy(u[2]->cookie, u[1]->cookie, u[1]->cookie_len);
	u[2]->cookie_len = u[1]->cookie_len;
	memcpy(u[2]->ac_mac, u[1]->ac_mac, PPPOE_MAC_LEN);
	rh_lac_advance(x, 2000);
	assert_false(rh_host_padr(x, u[2]));
	assert_true(u[2]->pads_error);
	st = pppoe_server_stats(x->h->r->lac->srv);
	assert_int_equal(st->refused_mac_limit, 2);
	assert_int_equal(pppoe_server_session_count(x->h->r->lac->srv), 2);
	assert_true(rh_host_discover(x, rh_host(x, 3)));
	rh_lac_free(x);
}

/* RFC 2516 §9 (AC-Cookie): a PADR with another MAC's cookie, or none,
 * gets no PADS and no session. */
static void
test_padr_cookie_checked(void **state)
{
	struct rh_lac *x = lac_new(two_realms);
	struct rh_host *u0 = rh_host(x, 0), *u = rh_host(x, 1);
	const struct pppoe_server_stats *st;

	(void)state;
	assert_true(rh_host_discover(x, u0));
	memcpy(u->cookie, u0->cookie, u0->cookie_len);
	u->cookie_len = u0->cookie_len;
	memcpy(u->ac_mac, u0->ac_mac, PPPOE_MAC_LEN);
	assert_false(rh_host_padr(x, u));
	assert_false(u->pads_error); /* dropped, not answered */
	u->cookie_len = 0;
	rh_lac_advance(x, 2000);
	assert_false(rh_host_padr(x, u));
	st = pppoe_server_stats(x->h->r->lac->srv);
	assert_int_equal(st->drops[PPPOE_SRV_DROP_BAD_COOKIE], 1);
	assert_int_equal(st->drops[PPPOE_SRV_DROP_NO_COOKIE], 1);
	assert_int_equal(pppoe_server_session_count(x->h->r->lac->srv), 1);
	rh_lac_free(x);
}

/* ---- RADIUS routing ---- */

static const char radius_conf[] =
    "[global]\nhostname = lac.test\n\n"
    "[lac]\npppoe-interface = eth0\nauth = pap\nradius = yes\n\n"
    "[radius]\nserver = 127.0.0.1\nsecret = radsecret\n\n" REALM_A;

/* LCP and the PAP request; the answer waits for RADIUS. */
static struct rh_host *
pap_pending(struct rh_lac *x, unsigned i, const char *user)
{
	struct rh_host *u = rh_host(x, i);

	assert_true(rh_host_discover(x, u));
	assert_false(rh_host_up_pap(x, u, user, "pw"));
	assert_false(u->pap_nak);
	assert_non_null(
	    fake_radius_find(&x->h->io, RADIUS_CODE_ACCESS_REQUEST));
	return u;
}

static void
radius_reply(struct rh_lac *x, uint8_t code, const char *endpoint)
{
	struct fake_radius_req *q = fake_radius_find(&x->h->io,
	    RADIUS_CODE_ACCESS_REQUEST);
	struct radius_packet rep;

	assert_non_null(q);
	radius_packet_init(&rep, code, 0, NULL);
	if (endpoint != NULL) {
		/* RFC 2868 §3.1-§3.3: one L2TP-over-IPv4 tunnel, tag 1 */
		radius_put_tagged_u32(&rep, RADIUS_ATTR_TUNNEL_TYPE, 1,
		    RADIUS_TUNNEL_TYPE_L2TP);
		radius_put_tagged_u32(&rep, RADIUS_ATTR_TUNNEL_MEDIUM_TYPE, 1,
		    RADIUS_TUNNEL_MEDIUM_IPV4);
		radius_put_tagged_string(&rep,
		    RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT, 1, endpoint);
	}
	fake_radius_answer(&x->h->io, q, &rep, "radsecret", x->h->now);
	rh_lac_settle(x);
}

/* RFC 2868 tunnel attributes in the Access-Accept choose the LNS, for a
 * realm the LAC does not know (RFC 2809 §3). */
static void
test_radius_names_lns(void **state)
{
	struct rh_lac *x = lac_new(radius_conf);
	struct rh_lns *l = rh_lns(x, 2);
	struct rh_host *u;

	(void)state;
	u = pap_pending(x, 0, "dave@isp.example");
	radius_reply(x, RADIUS_CODE_ACCESS_ACCEPT, "203.0.113.12");
	assert_true(u->pap_ack);
	assert_int_equal(l->sccrq, 1);
	assert_true(rh_lns_call_n(l, 0)->connected);
	assert_string_equal(rh_lns_call_n(l, 0)->iccn->proxy_authen_name,
	    "dave@isp.example");
	assert_int_equal(x->h->r->lac->radius_routed, 1);
	assert_int_equal(rh_lns(x, 0)->rx, 0);
	rh_lac_free(x);
}

/* An Accept without tunnel attributes places a user of a known realm with
 * the realm's LNS; of an unknown realm, it is refused.  A Reject, and no
 * answer at all, refuse. */
static void
test_radius_accept_reject_timeout(void **state)
{
	struct rh_lac *x = lac_new(radius_conf);
	struct rh_host *u;

	(void)state;
	u = pap_pending(x, 0, "erin@a.example");
	radius_reply(x, RADIUS_CODE_ACCESS_ACCEPT, NULL);
	assert_true(u->pap_ack);
	assert_true(rh_lns_call_n(rh_lns(x, 0), 0)->connected);

	u = pap_pending(x, 1, "erin@nowhere.example");
	radius_reply(x, RADIUS_CODE_ACCESS_ACCEPT, NULL);
	assert_true(u->pap_nak);
	assert_int_equal(x->h->r->lac->refused_realm, 1);

	u = pap_pending(x, 2, "frank@a.example");
	radius_reply(x, RADIUS_CODE_ACCESS_REJECT, NULL);
	assert_true(u->pap_nak);

	u = pap_pending(x, 3, "gina@a.example");
	fake_radius_timeout(&x->h->io,
	    fake_radius_find(&x->h->io, RADIUS_CODE_ACCESS_REQUEST), x->h->now);
	rh_lac_settle(x);
	assert_true(u->pap_nak);
	assert_int_equal(rh_lns(x, 0)->icrq, 1);
	rh_lac_free(x);
}

/* The user hangs up while RADIUS is asked: the request is cancelled. */
static void
test_radius_cancelled_on_padt(void **state)
{
	struct rh_lac *x = lac_new(radius_conf);

	(void)state;
	rh_host_padt(x, pap_pending(x, 0, "hal@a.example"));
	rh_lac_advance(x, 1000);
	assert_null(fake_radius_find(&x->h->io, RADIUS_CODE_ACCESS_REQUEST));
	assert_int_equal(rh_lns(x, 0)->rx, 0);
	rh_lac_free(x);
}

/* ---- accounting ---- */

static const char acct_conf[] =
    "[global]\nhostname = lac.test\n\n"
    "[lac]\npppoe-interface = eth0\nauth = pap\nradius = yes\n\n"
    "[radius]\nserver = 127.0.0.1\naccounting-server = 127.0.0.1\n"
    "secret = radsecret\n\n"
    "[realm a.example]\nlns = 203.0.113.10\nusers = %DIR%/users\n";
static const char acct_users[] = "u1@a.example pw\nu2@a.example pw\n"
				 "u3@a.example pw\n";

/* The accounting requests sent, in order: their Acct-Status-Type and
 * (for Stop) Acct-Terminate-Cause. */
static unsigned
acct_log(struct rh_lac *x, uint32_t *status, uint32_t *cause, unsigned max)
{
	uint64_t last = 0;
	unsigned n = 0;

	for (;;) {
		const struct fake_radius_req *next = NULL;

		for (unsigned i = 0; i < FAKE_RADIUS; i++) {
			const struct fake_radius_req *q = &x->h->io.radius[i];

			if (q->handle > last &&
			    q->code == RADIUS_CODE_ACCOUNTING_REQUEST &&
			    (next == NULL || q->handle < next->handle))
				next = q;
		}
		if (next == NULL || n == max)
			return n;
		last = next->handle;
		status[n] = cause[n] = 0;
		(void)radius_get_u32(next->pkt, RADIUS_ATTR_ACCT_STATUS_TYPE,
		    &status[n]);
		(void)radius_get_u32(next->pkt,
		    RADIUS_ATTR_ACCT_TERMINATE_CAUSE, &cause[n]);
		n++;
	}
}

/* Start once the LNS accepted the call (not while it dials); Stop with
 * User-Request on PADT (RFC 2866 §5.10). */
static void
test_acct_start_and_padt_stop(void **state)
{
	struct rh_lac *x = rh_lac_attach(
	    rh_new(acct_conf, "users", acct_users, NULL));
	struct rh_lns *a = rh_lns(x, 0);
	struct rh_host *u;
	uint32_t st[16], ca[16];
	unsigned n;

	(void)state;
	a->silent = true;
	u = dial_pap(x, 0, "u1@a.example", "pw");
	assert_int_equal(x->h->io.acct_starts, 0);
	a->silent = false;
	rh_lac_advance(x, 3000);
	assert_true(rh_lns_call_n(a, 0)->connected);
	assert_int_equal(x->h->io.acct_starts, 1);
	rh_host_padt(x, u);
	assert_int_equal(x->h->io.acct_stops, 1);
	assert_null(x->h->io.acct_error);
	n = acct_log(x, st, ca, 16);
	assert_int_equal(n, 3); /* On, Start, Stop */
	assert_int_equal(st[0], RADIUS_ACCT_STATUS_ON);
	assert_int_equal(st[1], RADIUS_ACCT_STATUS_START);
	assert_int_equal(st[2], RADIUS_ACCT_STATUS_STOP);
	assert_int_equal(ca[2], AAA_CAUSE_USER_REQUEST);
	rh_lac_free(x);
}

/* Stop causes: CDN from the LNS (NAS-Request), `disconnect user`
 * (Admin-Reset); Accounting-Off only after the last Stop at shutdown. */
static void
test_acct_stop_causes_and_off(void **state)
{
	struct rh_lac *x = rh_lac_attach(
	    rh_new(acct_conf, "users", acct_users, NULL));
	struct rh_lns *a = rh_lns(x, 0);
	uint32_t st[16], ca[16];
	unsigned n;

	(void)state;
	dial_pap(x, 0, "u1@a.example", "pw");
	dial_pap(x, 1, "u2@a.example", "pw");
	dial_pap(x, 2, "u3@a.example", "pw");
	assert_int_equal(x->h->io.acct_starts, 3);
	rh_lns_cdn(x, a, rh_lns_call_n(a, 0), L2TP_CDN_ADMIN);
	assert_true(rh_host(x, 0)->padt);
	assert_int_equal(roles_disconnect_user(x->h->r, "u2@a.example",
			     x->h->now),
	    1);
	rh_lac_settle(x);
	assert_true(rh_host(x, 1)->padt);
	assert_true(rh_lns_call_n(a, 1)->cdn_rcvd);
	assert_int_equal(rh_lns_call_n(a, 1)->cdn_result, L2TP_CDN_ADMIN);
	roles_shutdown(x->h->r, x->h->now);
	rh_lac_advance(x, 10000);
	assert_int_equal(x->h->io.acct_stops, 3);
	assert_null(x->h->io.acct_error);
	n = acct_log(x, st, ca, 16);
	assert_int_equal(n, 8); /* On, 3 Start, 3 Stop, Off */
	assert_int_equal(st[4], RADIUS_ACCT_STATUS_STOP);
	assert_int_equal(ca[4], AAA_CAUSE_NAS_REQUEST);
	assert_int_equal(st[5], RADIUS_ACCT_STATUS_STOP);
	assert_int_equal(ca[5], AAA_CAUSE_ADMIN_RESET);
	assert_int_equal(st[6], RADIUS_ACCT_STATUS_STOP);
	assert_int_equal(ca[6], AAA_CAUSE_NAS_REQUEST);
	assert_int_equal(st[7], RADIUS_ACCT_STATUS_OFF);
	rh_lac_free(x);
}

/* The LNS stops the tunnel: Stop with Lost-Service; with
 * interim-interval, Interim-Updates every interval while the call is up
 * (RFC 2869 §5.16). */
static void
test_acct_interim_and_tunnel_lost(void **state)
{
	struct rh_lac *x = rh_lac_attach(rh_new(
	    "[global]\nhostname = lac.test\n\n"
	    "[lac]\npppoe-interface = eth0\nauth = pap\nradius = yes\n\n"
	    "[radius]\nserver = 127.0.0.1\naccounting-server = 127.0.0.1\n"
	    "secret = radsecret\ninterim-interval = 60\n\n"
	    "[realm a.example]\nlns = 203.0.113.10\nusers = %DIR%/users\n",
	    "users", acct_users, NULL));
	uint32_t st[16], ca[16];
	unsigned n;

	(void)state;
	dial_pap(x, 0, "u1@a.example", "pw");
	rh_lac_advance(x, 59000);
	assert_int_equal(acct_log(x, st, ca, 16), 2); /* On, Start */
	rh_lac_advance(x, 2000);
	n = acct_log(x, st, ca, 16);
	assert_int_equal(n, 3);
	assert_int_equal(st[2], RADIUS_ACCT_STATUS_INTERIM);
	rh_lns_stopccn(x, rh_lns(x, 0), L2TP_STOPCCN_SHUTDOWN);
	rh_lac_advance(x, 1000);
	assert_true(rh_host(x, 0)->padt);
	n = acct_log(x, st, ca, 16);
	assert_int_equal(n, 4);
	assert_int_equal(st[3], RADIUS_ACCT_STATUS_STOP);
	assert_int_equal(ca[3], AAA_CAUSE_LOST_SERVICE);
	/* no Interim-Update for a stopped record */
	rh_lac_advance(x, 120000);
	assert_int_equal(acct_log(x, st, ca, 16), 4);
	assert_null(x->h->io.acct_error);
	rh_lac_free(x);
}

/* A user who hangs up while the call dials was never started: no Start,
 * no Stop. */
static void
test_acct_none_before_connect(void **state)
{
	struct rh_lac *x = rh_lac_attach(
	    rh_new(acct_conf, "users", acct_users, NULL));
	struct rh_lns *a = rh_lns(x, 0);

	(void)state;
	a->silent = true;
	rh_host_padt(x, dial_pap(x, 0, "u1@a.example", "pw"));
	a->silent = false;
	rh_lac_advance(x, 60000);
	assert_int_equal(x->h->io.acct_starts, 0);
	assert_int_equal(x->h->io.acct_stops, 0);
	assert_null(x->h->io.acct_error);
	rh_lac_free(x);
}

/* The user's LCP Terminate-Request, relayed, then the LNS's CDN: the
 * Stop says User-Request (the user asked), not the LNS's doing. */
static void
test_acct_user_terminate(void **state)
{
	static const uint8_t term[] = { 0xc0, 0x21, 5, 7, 0, 4 };
	struct rh_lac *x = rh_lac_attach(
	    rh_new(acct_conf, "users", acct_users, NULL));
	struct rh_lns *a = rh_lns(x, 0);
	uint32_t st[16], ca[16];

	(void)state;
	rh_host_ppp(x, dial_pap(x, 0, "u1@a.example", "pw"), term,
	    sizeof(term));
	assert_int_equal(rh_lns_call_n(a, 0)->data_rx, 1);
	rh_lns_cdn(x, a, rh_lns_call_n(a, 0), L2TP_CDN_LOST_CARRIER);
	assert_int_equal(acct_log(x, st, ca, 16), 3);
	assert_int_equal(st[2], RADIUS_ACCT_STATUS_STOP);
	assert_int_equal(ca[2], AAA_CAUSE_USER_REQUEST);
	rh_lac_free(x);
}

/* An LNS session and a LAC call in one daemon, both accounted: at
 * shutdown one Accounting-Off, after the last Stop of either role
 * (RFC 2866 §5.1 Acct-Status-Type 8), whichever ends last. */
static void
acct_off_after_both_roles(bool lac_first)
{
	struct rh_lac *x = rh_lac_attach(rh_new(
	    "[global]\nhostname = both.test\n\n"
	    "[lns]\nlocal-address = 10.9.0.1\npool = 10.9.0.10-10.9.0.13\n"
	    "auth = pap\nusers = %DIR%/lnsusers\ninterface = vpdn0\n\n"
	    "[lac]\npppoe-interface = eth0\nauth = pap\nradius = yes\n\n"
	    "[radius]\nserver = 127.0.0.1\naccounting-server = 127.0.0.1\n"
	    "secret = radsecret\n\n"
	    "[realm a.example]\nlns = 203.0.113.10\nusers = %DIR%/users\n",
	    "users", acct_users, "lnsusers", "alice secret\n", NULL));
	struct role_harness *h = x->h;
	struct rh_peer *p = rh_peer(h, 0);
	struct rh_call *c;
	uint32_t st[16], ca[16];
	unsigned n, stops = 0;

	if (lac_first)
		dial_pap(x, 0, "u1@a.example", "pw");
	assert_true(rh_tunnel_open(h, p));
	assert_non_null(c = rh_call_open(h, p));
	assert_int_not_equal(rh_ppp_up_pap(h, p, c, "alice", "secret"), 0);
	if (!lac_first)
		dial_pap(x, 0, "u1@a.example", "pw");
	assert_int_equal(h->io.acct_starts, 2);
	roles_shutdown(h->r, h->now);
	rh_lac_advance(x, 120000);
	assert_int_equal(h->io.acct_stops, 2);
	assert_null(h->io.acct_error);
	n = acct_log(x, st, ca, 16);
	assert_int_equal(n, 6); /* On, 2 Start, 2 Stop, Off */
	for (unsigned i = 0; i < n - 1; i++) {
		assert_int_not_equal(st[i], RADIUS_ACCT_STATUS_OFF);
		stops += st[i] == RADIUS_ACCT_STATUS_STOP;
	}
	assert_int_equal(stops, 2);
	assert_int_equal(st[n - 1], RADIUS_ACCT_STATUS_OFF);
	rh_lac_free(x);
}

static void
test_acct_off_after_both_roles(void **state)
{
	(void)state;
	acct_off_after_both_roles(false);
	acct_off_after_both_roles(true);
}

/* ---- reload ---- */

/* A reload that removes a realm: its live call stays (it holds the realm
 * it started with), new users of it are refused at authentication. */
static void
test_reload_removes_realm(void **state)
{
	struct rh_lac *x = lac_new(two_realms);
	struct rh_lns *b = rh_lns(x, 1);
	struct rh_host *u;
	char err[256];

	(void)state;
	u = dial_pap(x, 0, "bob@b.example", "pw");
	assert_int_equal(rh_lac_reload(x, LAC_GLOBAL "\n" REALM_A, err,
			     sizeof(err)),
	    0);
	rh_lac_advance(x, 5000);
	assert_false(u->padt);
	assert_true(rh_lns_call_n(b, 0)->open);
	assert_false(rh_lns_call_n(b, 0)->cdn_rcvd);
	assert_non_null(x->h->r->lac->retired.lh_first);

	u = rh_host(x, 1);
	assert_true(rh_host_discover(x, u));
	assert_false(rh_host_up_pap(x, u, "carol@b.example", "pw"));
	assert_true(u->pap_nak);
	assert_int_equal(b->icrq, 1);
	/* the old call ends: its retired realm goes with it */
	rh_host_padt(x, rh_host(x, 0));
	rh_lac_advance(x, 100);
	assert_null(x->h->r->lac->retired.lh_first);
	rh_lac_free(x);
}

/* A users file that does not load refuses the whole reload: the realms
 * in force stay, with their users. */
static void
test_reload_broken_users_refused(void **state)
{
	static const char conf[] =
	    "[global]\nhostname = lac.test\n\n"
	    "[lac]\npppoe-interface = eth0\nauth = pap\n\n"
	    "[realm a.example]\nlns = 203.0.113.10\nusers = %DIR%/users\n";
	struct rh_lac *x = rh_lac_attach(
	    rh_new(conf, "users", "u1@a.example pw\n", NULL));
	struct rh_host *u;
	char err[256];

	(void)state;
	rh_lac_write(x, "users", "u1@a.example pw 999.1.1.1\n");
	assert_int_equal(rh_lac_reload(x, conf, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "users"));
	u = dial_pap(x, 0, "u1@a.example", "pw");
	assert_true(rh_lns_call_n(rh_lns(x, 0), 0)->connected);
	u = rh_host(x, 1);
	assert_true(rh_host_discover(x, u));
	assert_false(rh_host_up_pap(x, u, "u1@a.example", "wrong"));
	rh_lac_free(x);
}

/* A reload applies max-sessions-per-mac and discovery-rate to the PPPoE
 * server in place: a MAC at the new limit gets no PADO, the sessions it
 * holds stay. */
static void
test_reload_pppoe_limits(void **state)
{
	struct rh_lac *x = lac_new(two_realms);
	struct rh_host *u0 = rh_host(x, 0), *u1 = rh_host(x, 1);
	char err[256];

	(void)state;
	memcpy(u1->mac, u0->mac, PPPOE_MAC_LEN);
	dial_pap(x, 0, "alice@a.example", "pw");
	assert_int_equal(
	    rh_lac_reload(x,
		"[global]\nhostname = lac.test\n\n"
		"[lac]\npppoe-interface = eth0\nauth = pap\n"
		"max-sessions-per-mac = 1\ndiscovery-rate = 50\n\n" REALM_A
		    REALM_B,
		err, sizeof(err)),
	    0);
	assert_int_equal(x->h->r->lac->cfg.max_sessions_per_mac, 1);
	assert_int_equal(x->h->r->lac->cfg.discovery_rate, 50);
	rh_lac_advance(x, 2000);
	assert_false(rh_host_discover(x, u1));
	assert_false(u1->pado);
	assert_int_equal(
	    pppoe_server_stats(x->h->r->lac->srv)->refused_mac_limit, 1);
	assert_false(u0->padt);
	assert_true(rh_host_discover(x, rh_host(x, 2)));
	rh_lac_free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_max_sessions_per_mac),
		cmocka_unit_test(test_padr_cookie_checked),
		cmocka_unit_test(test_radius_names_lns),
		cmocka_unit_test(test_radius_accept_reject_timeout),
		cmocka_unit_test(test_radius_cancelled_on_padt),
		cmocka_unit_test(test_acct_start_and_padt_stop),
		cmocka_unit_test(test_acct_stop_causes_and_off),
		cmocka_unit_test(test_acct_interim_and_tunnel_lost),
		cmocka_unit_test(test_acct_none_before_connect),
		cmocka_unit_test(test_acct_user_terminate),
		cmocka_unit_test(test_acct_off_after_both_roles),
		cmocka_unit_test(test_reload_removes_realm),
		cmocka_unit_test(test_reload_broken_users_refused),
		cmocka_unit_test(test_reload_pppoe_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
