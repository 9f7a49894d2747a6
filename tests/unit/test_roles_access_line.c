/*
 * test_roles_access_line.c — the access line through both roles on the
 * seam's recorder: the TR-101 TAG of a host's PADR (role_harness_lac.h)
 * becomes the LAC's RFC 4679 attributes (Access-Request, accounting), the
 * ICRQ's RFC 5515 AVPs and the ICCN's connect speeds; an ICRQ's RFC 5515
 * AVPs (role_harness.h) become the LNS's RFC 4679 attributes and its
 * `show sessions` view.  insert-circuit-id makes the LAC's own.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "lac_common.h"
#include "pppoe/pppoe_tr101.h"
#include "radius/radius_attr_table.h"
#include "radius/radius_codec.h"
#include "role_harness.h"
#include "roles/roles.h"

/* The value of the access node's Vendor-Specific TAG (TR-101 §3.9.3). */
/* clang-format off */
static const uint8_t tr101[] = {
	0x00, 0x00, 0x0d, 0xe9,			/* vendor-id 3561 */
	0x01, 0x0b, 'd', 's', 'l', 'a', 'm', '1', ' ', '1', '/', '2', '3',
						/* Agent-Circuit-Id */
	0x02, 0x06, 'c', 'u', 's', 't', '4', '2',	/* Agent-Remote-Id */
	0x81, 0x04, 0x00, 0x00, 0x03, 0xe8,	/* actual up: 1000 kbps */
	0x82, 0x04, 0x00, 0x00, 0x3e, 0x80,	/* actual down: 16000 kbps */
};
/* clang-format on */

/* The RFC 4679 string attribute vtype of req, "" when absent. */
static const char *
dslf_str(const struct radius_packet *p, uint8_t vtype)
{
	static char s[64];
	const uint8_t *v;
	size_t len;

	if (radius_get_vs_raw(p, 3561, vtype, &v, &len) != RADIUS_OK ||
	    len >= sizeof(s))
		return "";
	memcpy(s, v, len);
	s[len] = '\0';
	return s;
}

static uint32_t
dslf_u32(const struct radius_packet *p, uint8_t vtype)
{
	const uint8_t *v;
	size_t len;

	if (radius_get_vs_raw(p, 3561, vtype, &v, &len) != RADIUS_OK ||
	    len != 4)
		return 0;
	return get_be32(v);
}

static const char lac_conf[] =
    "[global]\nhostname = lac.test\n\n"
    "[lac]\npppoe-interface = eth0\nauth = pap\nradius = yes\n\n"
    "[radius]\nserver = 127.0.0.1\naccounting-server = 127.0.0.1\n"
    "secret = radsecret\n\n" REALM_A;

static void
test_lac_tag_to_radius_and_icrq(void **state)
{
	struct rh_lac *x = lac_new(lac_conf);
	struct rh_host *u = rh_host(x, 0);
	struct fake_radius_req *q;
	struct radius_packet rep;
	struct rh_lns_call *call;

	(void)state;
	u->vendor = tr101;
	u->vendor_len = sizeof(tr101);
	assert_true(rh_host_discover(x, u));
	assert_false(rh_host_up_pap(x, u, "alice@a.example", "pw"));
	/* RFC 4679 §4: in the Access-Request */
	q = fake_radius_find(&x->h->io, RADIUS_CODE_ACCESS_REQUEST);
	assert_non_null(q);
	assert_string_equal(dslf_str(q->pkt, 1), "dslam1 1/23");
	assert_string_equal(dslf_str(q->pkt, 2), "cust42");
	assert_int_equal(dslf_u32(q->pkt, 129), 1000000);
	assert_int_equal(dslf_u32(q->pkt, 130), 16000000);
	radius_packet_init(&rep, RADIUS_CODE_ACCESS_ACCEPT, 0, NULL);
	fake_radius_answer(&x->h->io, q, &rep, "radsecret", x->h->now);
	rh_lac_settle(x);
	/* RFC 5515 §3: in the ICRQ; RFC 2661 §4.4.5 speeds in the ICCN */
	call = rh_lns_call_n(rh_lns(x, 0), 0);
	assert_non_null(call);
	assert_true(call->connected);
	assert_string_equal(access_line_text(&call->icrq_al,
				ACCESS_LINE_CIRCUIT_ID),
	    "dslam1 1/23");
	assert_string_equal(access_line_text(&call->icrq_al,
				ACCESS_LINE_REMOTE_ID),
	    "cust42");
	assert_int_equal(call->icrq_al.num[ACCESS_LINE_ACT_RATE_DOWN],
	    16000000);
	assert_int_equal(call->iccn->tx_connect_speed, 16000000);
	assert_int_equal(call->iccn->rx_connect_speed, 1000000);
	/* and in the accounting Start */
	q = rh_acct_find(x->h, RADIUS_ACCT_STATUS_START);
	assert_non_null(q);
	assert_string_equal(dslf_str(q->pkt, 1), "dslam1 1/23");
	assert_string_equal(dslf_str(q->pkt, 2), "cust42");
	rh_lac_free(x);
}

/* insert-circuit-id: the access network sent none, the LAC makes one. */
static void
test_lac_inserts_circuit_id(void **state)
{
	struct rh_lac *x = rh_lac_attach(rh_new(
	    "[global]\nhostname = lac.test\n\n"
	    "[lac]\npppoe-interface = eth0\nauth = pap\n"
	    "insert-circuit-id = yes\ncircuit-id-format = lac1 %i:%v\n\n"
	    "[realm a.example]\nlns = 203.0.113.10\nusers = %DIR%/users\n",
	    "users", "alice@a.example pw\n", NULL));
	struct rh_lns_call *call;

	(void)state;
	(void)dial_pap(x, 0, "alice@a.example", "pw");
	call = rh_lns_call_n(rh_lns(x, 0), 0);
	assert_non_null(call);
	assert_string_equal(access_line_text(&call->icrq_al,
				ACCESS_LINE_CIRCUIT_ID),
	    "lac1 eth0:0");
	assert_false(access_line_has(&call->icrq_al, ACCESS_LINE_REMOTE_ID));
	rh_lac_free(x);
}

static const char lns_conf[] =
    "[global]\nhostname = lns.test\n\n"
    "[lns]\nlocal-address = 10.9.0.1\npool = 10.9.0.10-10.9.0.13\n"
    "auth = pap\nradius = yes\ninterface = vpdn0\n\n"
    "[radius]\nserver = 127.0.0.1\naccounting-server = 127.0.0.1\n"
    "secret = s3cret\nnas-identifier = lns.test\n";

struct walk {
	struct roles *r;
	struct roles_session_view v;
	unsigned n;
};

static void
walk_session(struct l2tp_session *s, void *arg)
{
	struct walk *w = arg;

	roles_describe_session(w->r, s, &w->v);
	w->n++;
}

static void
walk_tunnel(struct l2tp_tunnel *t, void *arg)
{
	l2tp_tunnel_foreach_session(t, walk_session, arg);
}

static void
test_lns_icrq_to_radius_and_show(void **state)
{
	struct role_harness *h = rh_new(lns_conf, NULL);
	struct rh_peer *p = rh_peer(h, 0);
	struct access_line al;
	struct fake_radius_req *q;
	struct radius_packet rep;
	struct rh_call *c;
	struct walk w = { .r = h->r };

	(void)state;
	assert_int_equal(rh_acct_answer_all(h), 1); /* Accounting-On */
	{
		uint8_t tags[4 + sizeof(tr101)];

		tags[0] = 0x01, tags[1] = 0x05, tags[2] = 0;
		tags[3] = sizeof(tr101);
		memcpy(tags + 4, tr101, sizeof(tr101));
		assert_int_equal(pppoe_tr101_parse(tags, sizeof(tags), &al,
				     NULL),
		    PPPOE_TR101_OK);
	}
	p->icrq_al = &al;
	assert_true(rh_tunnel_open(h, p));
	c = rh_call_open(h, p);
	assert_non_null(c);
	assert_true(rh_ppp_lcp_pap(h, p, c, "alice", "pw"));
	q = fake_radius_find(&h->io, RADIUS_CODE_ACCESS_REQUEST);
	assert_non_null(q);
	/* RFC 4679 §4 in the LNS's Access-Request, from RFC 5515 AVPs */
	assert_string_equal(dslf_str(q->pkt, 1), "dslam1 1/23");
	assert_string_equal(dslf_str(q->pkt, 2), "cust42");
	assert_int_equal(dslf_u32(q->pkt, 129), 1000000);
	radius_packet_init(&rep, RADIUS_CODE_ACCESS_ACCEPT, 0, NULL);
	rh_radius_reply(h, q, &rep);
	assert_true(c->pap_ack);
	(void)rh_ppp_ipcp(h, p, c);
	q = rh_acct_find(h, RADIUS_ACCT_STATUS_START);
	assert_non_null(q);
	assert_string_equal(dslf_str(q->pkt, 1), "dslam1 1/23");
	/* show sessions */
	l2tp_host_foreach_tunnel(roles_host(h->r), walk_tunnel, &w);
	assert_int_equal(w.n, 1);
	assert_non_null(w.v.access_line);
	assert_string_equal(access_line_text(w.v.access_line,
				ACCESS_LINE_CIRCUIT_ID),
	    "dslam1 1/23");
	rh_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lac_tag_to_radius_and_icrq),
		cmocka_unit_test(test_lac_inserts_circuit_id),
		cmocka_unit_test(test_lns_icrq_to_radius_and_show),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
