/*
 * test_roles_lac.c — the LAC role on the seam's recorder
 * (tests/support/role_harness_lac.h): PPPoE hosts dial in (RFC 2516),
 * authenticate with PAP or CHAP (RFC 1334, RFC 1994) as user@realm, and
 * the LAC places their calls with scripted LNSes (RFC 2661 §5.1, §7.4.1)
 * carrying the proxy LCP/authentication AVPs (§4.4.5): realm selection,
 * tunnel sharing and idle teardown, failover, the proxy AVPs and relaying,
 * on a fake clock.  The PPPoE limits, RADIUS routing, accounting and
 * reloads are in test_roles_lac_ops.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "l2tp/msg.h"
#include "lac_common.h"
#include "ppp/auth.h"
#include "ppp/link.h"
#include "ppp/ppp_proto.h"
#include "pppoe/pppoe_server.h"
#include "role_harness_lac.h"
#include "roles/lac_priv.h"

static const char two_realms[] = TWO_REALMS;

static unsigned
ntunnels(struct rh_lac *x)
{
	const struct lac_tunnel *lt;
	unsigned n = 0;

	LIST_FOREACH(lt, &x->h->r->lac->tunnels, entry)
	n++;
	return n;
}

/* ---- realms ---- */

/* user@realm goes to its realm's LNS; one name in two realms goes to two
 * LNSes, each with its own tunnel. */
static void
test_realm_selects_lns(void **state)
{
	struct rh_lac *x = lac_new(two_realms);
	struct rh_lns *a = rh_lns(x, 0), *b = rh_lns(x, 1);
	struct rh_lns_call *ca, *cb;

	(void)state;
	dial_pap(x, 0, "alice@a.example", "pw-a");
	assert_int_equal(a->sccrq, 1);
	assert_int_equal(b->sccrq, 0);
	assert_non_null(ca = rh_lns_call_n(a, 0));
	assert_true(ca->connected);
	assert_string_equal(ca->iccn->proxy_authen_name, "alice@a.example");

	dial_pap(x, 1, "alice@b.example", "pw-b");
	assert_int_equal(a->sccrq, 1);
	assert_int_equal(a->icrq, 1);
	assert_int_equal(b->sccrq, 1);
	assert_non_null(cb = rh_lns_call_n(b, 0));
	assert_true(cb->connected);
	assert_string_equal(cb->iccn->proxy_authen_name, "alice@b.example");
	assert_int_equal(ntunnels(x), 2);
	rh_lac_free(x);
}

/* An unknown realm: PAP Authenticate-Nak, PADT, and no LNS hears of it. */
static void
test_unknown_realm_refused(void **state)
{
	struct rh_lac *x = lac_new(two_realms);
	struct rh_host *u = rh_host(x, 0);

	(void)state;
	assert_true(rh_host_discover(x, u));
	assert_false(rh_host_up_pap(x, u, "carol@nowhere.example", "pw"));
	assert_true(u->pap_nak);
	/* RFC 1661 §3.7: Terminate-Request; unanswered, the session goes */
	assert_true(u->term_req);
	rh_lac_advance(x, 30000);
	assert_true(u->padt);
	assert_int_equal(x->h->r->lac->refused_realm, 1);
	for (unsigned i = 0; i < RH_LNSES; i++)
		assert_int_equal(rh_lns(x, i)->rx, 0);
	assert_int_equal(x->h->nsent, 0);
	assert_int_equal(ntunnels(x), 0);
	rh_lac_free(x);
}

/* ---- tunnels ---- */

/* A second user of the realm rides the established tunnel; users that
 * come while it is being set up wait for it and all go in it. */
static void
test_tunnel_shared(void **state)
{
	struct rh_lac *x = lac_new(two_realms);
	struct rh_lns *a = rh_lns(x, 0);

	(void)state;
	/* the first SCCRQ goes unanswered: the tunnel is still opening
	 * while two users authenticate */
	a->silent = true;
	dial_pap(x, 0, "u1@a.example", "pw");
	dial_pap(x, 1, "u2@a.example", "pw");
	assert_int_equal(ntunnels(x), 1);
	assert_int_equal(a->icrq, 0);
	/* the retransmitted SCCRQ is answered: both calls go in */
	a->silent = false;
	rh_lac_advance(x, 3000);
	assert_true(a->up);
	assert_int_equal(a->sccrq, 1);
	assert_int_equal(a->icrq, 2);
	assert_int_equal(a->iccn, 2);
	assert_true(rh_lns_call_n(a, 0)->connected);
	assert_true(rh_lns_call_n(a, 1)->connected);
	/* and a third, once it is up: the same tunnel */
	dial_pap(x, 2, "u3@a.example", "pw");
	assert_int_equal(a->sccrq, 1);
	assert_int_equal(a->icrq, 3);
	assert_int_equal(ntunnels(x), 1);
	rh_lac_free(x);
}

static const char idle_conf[] = "[global]\nhostname = lac.test\n\n"
				"[lac]\npppoe-interface = eth0\nauth = pap\n"
				"tunnel-idle-timeout = 30\n\n" REALM_A;

/* The last call of a tunnel ends: StopCCN (result 1) at
 * tunnel-idle-timeout, not before; a call ending while another remains
 * leaves the tunnel alone. */
static void
test_idle_tunnel_closed_at_timeout(void **state)
{
	struct rh_lac *x = lac_new(idle_conf);
	struct rh_lns *a = rh_lns(x, 0);
	struct rh_host *u1, *u2;

	(void)state;
	u1 = dial_pap(x, 0, "u1@a.example", "pw");
	u2 = dial_pap(x, 1, "u2@a.example", "pw");
	rh_host_padt(x, u1);
	assert_true(rh_lns_call_n(a, 0)->cdn_rcvd);
	rh_lac_advance(x, 60000);
	assert_int_equal(a->stopccn, 0);
	rh_host_padt(x, u2);
	assert_true(rh_lns_call_n(a, 1)->cdn_rcvd);
	/* RFC 2661 §5.4.1 result 1 for a CDN the user caused */
	assert_int_equal(rh_lns_call_n(a, 1)->cdn_result,
	    L2TP_CDN_LOST_CARRIER);
	rh_lac_advance(x, 29900);
	assert_int_equal(a->stopccn, 0);
	rh_lac_advance(x, 200);
	assert_int_equal(a->stopccn, 1);
	assert_int_equal(a->stop_result, L2TP_STOPCCN_GENERAL);
	rh_lac_free(x);
}

/* A new call within the idle time keeps the tunnel (and uses it). */
static void
test_idle_tunnel_reused_before_timeout(void **state)
{
	struct rh_lac *x = lac_new(idle_conf);
	struct rh_lns *a = rh_lns(x, 0);

	(void)state;
	rh_host_padt(x, dial_pap(x, 0, "u1@a.example", "pw"));
	rh_lac_advance(x, 20000);
	dial_pap(x, 1, "u2@a.example", "pw");
	rh_lac_advance(x, 20000);
	assert_int_equal(a->stopccn, 0);
	assert_int_equal(a->sccrq, 1);
	assert_int_equal(a->icrq, 2);
	rh_lac_free(x);
}

/* tunnel-idle-timeout = 0 (the default): closed as the last call goes. */
static void
test_idle_tunnel_zero_timeout(void **state)
{
	struct rh_lac *x = lac_new(two_realms);
	struct rh_lns *a = rh_lns(x, 0);

	(void)state;
	rh_host_padt(x, dial_pap(x, 0, "u1@a.example", "pw"));
	rh_lac_advance(x, 1);
	assert_int_equal(a->stopccn, 1);
	rh_lac_free(x);
}

/* After an idle tunnel's StopCCN the next user gets a new tunnel (the
 * closing one is never reused). */
static void
test_idle_closed_tunnel_not_reused(void **state)
{
	struct rh_lac *x = lac_new(two_realms);
	struct rh_lns *a = rh_lns(x, 0);

	(void)state;
	rh_host_padt(x, dial_pap(x, 0, "u1@a.example", "pw"));
	rh_lac_advance(x, 1);
	assert_int_equal(a->stopccn, 1);
	dial_pap(x, 1, "u2@a.example", "pw");
	assert_int_equal(a->sccrq, 2);
	assert_true(rh_lns_call_n(a, 1)->connected);
	rh_lac_free(x);
}

/* The user hangs up while its call dials: the tunnel, once up, carries
 * no call for it (or clears the one it began) and goes idle. */
static void
test_padt_while_dialling(void **state)
{
	struct rh_lac *x = lac_new(two_realms);
	struct rh_lns *a = rh_lns(x, 0);
	struct rh_lns_call *c;

	(void)state;
	a->silent = true;
	rh_host_padt(x, dial_pap(x, 0, "u1@a.example", "pw"));
	a->silent = false;
	rh_lac_advance(x, 5000);
	c = rh_lns_call_n(a, 0);
	assert_true(c == NULL || !c->open);
	assert_int_equal(a->iccn, 0);
	rh_lac_advance(x, 60000);
	assert_int_equal(ntunnels(x), 0);
	rh_lac_free(x);
}

/* The LNS stops the tunnel (StopCCN): every call in it ends with PADT to
 * its user; the next user dials a new tunnel. */
static void
test_lns_stopccn_ends_calls(void **state)
{
	struct rh_lac *x = lac_new(two_realms);
	struct rh_lns *a = rh_lns(x, 0);
	struct rh_host *u1, *u2;

	(void)state;
	u1 = dial_pap(x, 0, "u1@a.example", "pw");
	u2 = dial_pap(x, 1, "u2@a.example", "pw");
	rh_lns_stopccn(x, a, L2TP_STOPCCN_SHUTDOWN);
	rh_lac_advance(x, 1000);
	assert_true(u1->padt);
	assert_true(u2->padt);
	dial_pap(x, 2, "u3@a.example", "pw");
	assert_int_equal(a->sccrq, 2);
	assert_true(rh_lns_call_n(a, 2)->connected);
	rh_lac_free(x);
}

/* ---- failover ---- */

static const char failover_conf[] = LAC_GLOBAL
    "\n"
    "[realm f.example]\nlns = 203.0.113.10, 203.0.113.11\n\n";

/* The first LNS never answers: once its SCCRQ retransmissions time out
 * the call goes to the next LNS; the realm then starts with the one that
 * worked (the dead one is not tried again for the next user). */
static void
test_failover_no_sccrp(void **state)
{
	struct rh_lac *x = lac_new(failover_conf);
	struct rh_lns *dead = rh_lns(x, 0), *good = rh_lns(x, 1);
	struct rh_host *u;
	unsigned sent_to_dead;

	(void)state;
	dead->silent = true;
	u = dial_pap(x, 0, "u1@f.example", "pw");
	assert_int_equal(good->rx, 0);
	rh_lac_advance(x, 5000);
	assert_int_equal(good->rx, 0); /* still retransmitting */
	rh_lac_advance(x, 120000);
	assert_int_equal(good->sccrq, 1);
	assert_true(rh_lns_call_n(good, 0)->connected);
	assert_false(u->padt);
	assert_int_equal(x->h->r->lac->realms.lh_first->next_lns, 1);

	sent_to_dead = x->h->nsent;
	dial_pap(x, 1, "u2@f.example", "pw");
	assert_int_equal(good->icrq, 2);
	for (unsigned i = 0; i < x->h->nsent - sent_to_dead; i++)
		assert_false(
		    l2tp_addr_equal(&rh_sent(x->h, i)->peer, &dead->addr));
	rh_lac_free(x);
}

/* Two calls waiting on a dead LNS both move to the next one, in one
 * tunnel. */
static void
test_failover_moves_waiting_calls(void **state)
{
	struct rh_lac *x = lac_new(failover_conf);
	struct rh_lns *good = rh_lns(x, 1);

	(void)state;
	rh_lns(x, 0)->silent = true;
	dial_pap(x, 0, "u1@f.example", "pw");
	dial_pap(x, 1, "u2@f.example", "pw");
	rh_lac_advance(x, 120000);
	assert_int_equal(good->sccrq, 1);
	assert_int_equal(good->iccn, 2);
	assert_int_equal(ntunnels(x), 1);
	rh_lac_free(x);
}

/* Every LNS of the realm silent: the user gets PADT in the end. */
static void
test_failover_all_dead(void **state)
{
	struct rh_lac *x = lac_new(failover_conf);
	struct rh_host *u;

	(void)state;
	rh_lns(x, 0)->silent = true;
	rh_lns(x, 1)->silent = true;
	u = dial_pap(x, 0, "u1@f.example", "pw");
	rh_lac_advance(x, 300000);
	assert_true(u->padt);
	assert_int_equal(ntunnels(x), 0);
	rh_lac_free(x);
}

/* An LNS whose tunnel is up refuses the call (CDN): the call ends (PADT
 * to the user), no other LNS is tried — the LNS answered, and its no is
 * the home network's (RFC 2661 §7.4.1). */
static void
test_lns_refuses_call(void **state)
{
	struct rh_lac *x = lac_new(failover_conf);
	struct rh_lns *a = rh_lns(x, 0), *b = rh_lns(x, 1);
	struct rh_host *u;

	(void)state;
	a->refuse = L2TP_CDN_NO_RESOURCES;
	u = dial_pap(x, 0, "u1@f.example", "pw");
	rh_lac_advance(x, 1000);
	assert_int_equal(a->icrq, 1);
	assert_true(u->padt);
	assert_int_equal(b->rx, 0);
	rh_lac_free(x);
}

/* ---- proxy AVPs ---- */

/* RFC 2661 §4.4.5: the ICCN carries what the user negotiated with the
 * LAC — PAP: type 3, the name, the password as the response; the last
 * Configure-Requests each way, from the first option. */
static void
test_iccn_proxy_pap(void **state)
{
	struct rh_lac *x = lac_new(two_realms);
	struct rh_host *u;
	const struct l2tp_msg *m;

	(void)state;
	u = dial_pap(x, 0, "alice@a.example", "sesame");
	m = rh_lns_call_n(rh_lns(x, 0), 0)->iccn;
	assert_non_null(m);
	assert_true(l2tp_msg_has(m, L2TP_AVP_PROXY_AUTHEN_TYPE));
	assert_int_equal(m->proxy_authen_type, PPP_PROXY_AUTHEN_PAP);
	assert_string_equal(m->proxy_authen_name, "alice@a.example");
	assert_int_equal(m->proxy_authen_response.len, 6);
	assert_memory_equal(m->proxy_authen_response.data, "sesame", 6);
	assert_true(l2tp_msg_has(m, L2TP_AVP_LAST_SENT_LCP_CONFREQ));
	assert_int_equal(m->last_sent_confreq.len, u->lcp_req_len - 4);
	assert_memory_equal(m->last_sent_confreq.data, u->lcp_req + 4,
	    u->lcp_req_len - 4);
	assert_true(l2tp_msg_has(m, L2TP_AVP_LAST_RCVD_LCP_CONFREQ));
	assert_int_equal(m->last_rcvd_confreq.len, u->our_req_len);
	assert_memory_equal(m->last_rcvd_confreq.data, u->our_req,
	    u->our_req_len);
	assert_int_equal(m->initial_rcvd_confreq.len, u->our_req_len);
	/* §4.4.5 Calling Number: the user's MAC */
	assert_true(l2tp_msg_has(m, L2TP_AVP_TX_CONNECT_SPEED));
	rh_lac_free(x);
}

/* CHAP-MD5: type 2, the challenge the LAC sent, the user's identifier and
 * response; strip-realm sends the bare name. */
static void
test_iccn_proxy_chap_strip(void **state)
{
	struct rh_lac *x = lac_new(
	    "[global]\nhostname = lac.test\n\n"
	    "[lac]\npppoe-interface = eth0\nauth = chap-md5\n\n"
	    "[realm a.example]\nlns = 203.0.113.10\nstrip-realm = yes\n");
	struct rh_host *u = rh_host(x, 0);
	const struct l2tp_msg *m;
	uint8_t md5[16];

	(void)state;
	assert_true(rh_host_discover(x, u));
	assert_true(rh_host_up_chap(x, u, "bob@a.example", "s3cret"));
	m = rh_lns_call_n(rh_lns(x, 0), 0)->iccn;
	assert_non_null(m);
	assert_int_equal(m->proxy_authen_type, PPP_PROXY_AUTHEN_CHAP);
	assert_string_equal(m->proxy_authen_name, "bob");
	assert_int_equal(m->proxy_authen_id, u->chap_id);
	assert_int_equal(m->proxy_authen_challenge.len, u->chap_chal_len);
	assert_memory_equal(m->proxy_authen_challenge.data, u->chap_chal,
	    u->chap_chal_len);
	chap_md5_response(u->chap_id, (const uint8_t *)"s3cret", 6,
	    u->chap_chal, u->chap_chal_len, md5);
	assert_int_equal(m->proxy_authen_response.len, 16);
	assert_memory_equal(m->proxy_authen_response.data, md5, 16);
	assert_int_equal(m->last_sent_confreq.len, u->lcp_req_len - 4);
	assert_memory_equal(m->last_sent_confreq.data, u->lcp_req + 4,
	    u->lcp_req_len - 4);
	rh_lac_free(x);
}

/* ---- relaying ---- */

/* Frames from the user reach the LNS as L2TP data (with FF 03) and the
 * LNS's reach the user, counted on the PPPoE session. */
static void
test_relay_both_ways(void **state)
{
	static const uint8_t up[] = { 0x80, 0x21, 1, 9, 0, 10, 3, 6, 0, 0, 0,
		0 };
	static const uint8_t down[] = { 0x80, 0x21, 3, 9, 0, 10, 3, 6, 10, 9, 0,
		10 };
	struct rh_lac *x = lac_new(two_realms);
	struct rh_lns *a = rh_lns(x, 0);
	struct rh_lns_call *c;
	struct rh_host *u;
	const struct pppoe_session *ps;
	uint64_t rx0, tx0;

	(void)state;
	u = dial_pap(x, 0, "alice@a.example", "pw");
	c = rh_lns_call_n(a, 0);
	ps = pppoe_server_session(x->h->r->lac->srv, u->sid);
	assert_non_null(ps);
	rx0 = ps->stats.rx_frames;
	tx0 = ps->stats.tx_frames;

	rh_host_ppp(x, u, up, sizeof(up));
	assert_int_equal(c->data_rx, 1);
	assert_int_equal(c->data_last_len, 2 + sizeof(up));
	assert_int_equal(c->data_last[0], PPP_ALLSTATIONS);
	assert_int_equal(c->data_last[1], PPP_UI);
	assert_memory_equal(c->data_last + 2, up, sizeof(up));

	rh_lns_data(x, a, c, down, sizeof(down));
	assert_int_equal(u->last_len, sizeof(down));
	assert_memory_equal(u->last, down, sizeof(down));
	rh_lns_data(x, a, c, down, sizeof(down));
	assert_int_equal(ps->stats.rx_frames, rx0 + 1);
	assert_int_equal(ps->stats.tx_frames, tx0 + 2);
	rh_lac_free(x);
}

/* Frames the user sends while the call dials are held and follow the
 * ICCN (RFC 2661 §7.4.1). */
static void
test_relay_queued_while_dialling(void **state)
{
	static const uint8_t ipcp[] = { 0x80, 0x21, 1, 1, 0, 10, 3, 6, 0, 0, 0,
		0 };
	struct rh_lac *x = lac_new(two_realms);
	struct rh_lns *a = rh_lns(x, 0);
	struct rh_host *u;

	(void)state;
	a->silent = true;
	u = dial_pap(x, 0, "alice@a.example", "pw");
	rh_host_ppp(x, u, ipcp, sizeof(ipcp));
	a->silent = false;
	rh_lac_advance(x, 3000);
	assert_true(rh_lns_call_n(a, 0)->connected);
	assert_int_equal(rh_lns_call_n(a, 0)->data_rx, 1);
	assert_memory_equal(rh_lns_call_n(a, 0)->data_last + 2, ipcp,
	    sizeof(ipcp));
	rh_lac_free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_realm_selects_lns),
		cmocka_unit_test(test_unknown_realm_refused),
		cmocka_unit_test(test_tunnel_shared),
		cmocka_unit_test(test_idle_tunnel_closed_at_timeout),
		cmocka_unit_test(test_idle_tunnel_reused_before_timeout),
		cmocka_unit_test(test_idle_tunnel_zero_timeout),
		cmocka_unit_test(test_idle_closed_tunnel_not_reused),
		cmocka_unit_test(test_padt_while_dialling),
		cmocka_unit_test(test_lns_stopccn_ends_calls),
		cmocka_unit_test(test_failover_no_sccrp),
		cmocka_unit_test(test_failover_moves_waiting_calls),
		cmocka_unit_test(test_failover_all_dead),
		cmocka_unit_test(test_lns_refuses_call),
		cmocka_unit_test(test_iccn_proxy_pap),
		cmocka_unit_test(test_iccn_proxy_chap_strip),
		cmocka_unit_test(test_relay_both_ways),
		cmocka_unit_test(test_relay_queued_while_dialling),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
