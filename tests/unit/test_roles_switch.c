/*
 * test_roles_switch.c — tunnel switching (roles/switch.c) on the seam's
 * recorder: a scripted LAC (role_harness.h's peer, 192.0.2.10) places a
 * call with proxy LCP/authentication AVPs (RFC 2661 §4.4.5) into the
 * switch, which places it again towards its realm's scripted LNS
 * (role_harness_lac.h, 203.0.113.10).  Checked: the AVPs of the second
 * ICRQ and ICCN, byte for byte where they are opaque; data relayed both
 * ways with each side's IDs; a CDN on either side clearing the other with
 * the same cause (§4.4.2); a StopCCN of the LNS clearing the first LAC's
 * call; a realm with no [realm] refused with a CDN; `show sessions`
 * linking the two halves; the switch never sending LCP.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "l2tp/msg.h"
#include "ppp/ppp_proto.h"
#include "role_harness.h"
#include "role_harness_lac.h"
#include "roles/lac_priv.h"
#include "roles/roles_priv.h"
#include "roles/switch.h"
#include "script_peer.h"

#define SW_CONF(local) \
	"[global]\nhostname = switch.test\n\n" \
	"[lns]\nlocal-address = 10.9.0.1\npool = 10.9.0.10-10.9.0.13\n" \
	"auth = pap\nusers = %DIR%/users\ninterface = vpdn0\n\n" \
	"[lac]\nauth = pap\n\n" \
	"[switch]\nlocal-sessions = " local "\n\n" \
	"[realm corp.example]\nlns = 203.0.113.10\n\n"

/* The proxy AVPs a first LAC sends (RFC 2661 §4.4.5): LCP Configure-
 * Requests as received and sent, PAP as the user gave it. */
static const uint8_t init_rcvd[] = { 0x01, 0x04, 0x05, 0xd4, 0x05, 0x06, 0x11,
	0x22, 0x33, 0x44 };
static const uint8_t last_sent[] = { 0x01, 0x04, 0x05, 0x78, 0x03, 0x04, 0xc0,
	0x23, 0x05, 0x06, 0x55, 0x66, 0x77, 0x88 };
static const uint8_t last_rcvd[] = { 0x01, 0x04, 0x05, 0xd4, 0x05, 0x06, 0x11,
	0x22, 0x33, 0x44 };
static const uint8_t response[] = { 's', 'e', 'c', 'r', 'e', 't' };
static const uint8_t group[] = { 'v', 'r', 'f', '7' };

static void
put(struct l2tp_msg *m, enum l2tp_avp_type t, struct l2tp_bytes *b,
    const uint8_t *p, size_t len)
{
	memcpy(b->data, p, len);
	b->len = (uint16_t)len;
	l2tp_msg_set(m, t);
}

/* ICRQ with Calling/Called Number and Bearer Type, then ICCN with the
 * proxy AVPs: the first LAC's call for user; the peer's call, or NULL
 * when no ICRP came. */
static struct rh_call *
first_lac_call(struct role_harness *h, struct rh_peer *p, const char *user)
{
	struct rh_call *c = &p->call[0];
	struct l2tp_msg m;

	for (unsigned i = 0; i < RH_CALLS && c->open; i++)
		c = &p->call[i];
	memset(c, 0, sizeof(*c));
	c->open = true;
	c->sid = ++h->next_id;
	c->id = 1;
	l2tp_msg_init(&m, L2TP_MSG_ICRQ, p->lns_tid, 0);
	l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_SESSION_ID);
	m.assigned_session_id = c->sid;
	l2tp_msg_set(&m, L2TP_AVP_CALL_SERIAL_NUMBER);
	m.call_serial = 77;
	l2tp_msg_set(&m, L2TP_AVP_BEARER_TYPE);
	m.bearer_type = L2TP_BEARER_DIGITAL;
	l2tp_msg_set(&m, L2TP_AVP_CALLING_NUMBER);
	strcpy(m.calling_number, "02:00:00:00:01:01");
	l2tp_msg_set(&m, L2TP_AVP_CALLED_NUMBER);
	strcpy(m.called_number, "eth0.100");
	l2tp_msg_set(&m, L2TP_AVP_PHYSICAL_CHANNEL_ID);
	m.physical_channel = 4242;
	rh_send_ctl(h, p, &m);
	if (c->lns_sid == 0) {
		c->open = false;
		return NULL;
	}
	l2tp_msg_init(&m, L2TP_MSG_ICCN, p->lns_tid, c->lns_sid);
	l2tp_msg_set(&m, L2TP_AVP_TX_CONNECT_SPEED);
	m.tx_connect_speed = 20000000;
	l2tp_msg_set(&m, L2TP_AVP_RX_CONNECT_SPEED);
	m.rx_connect_speed = 1000000;
	l2tp_msg_set(&m, L2TP_AVP_FRAMING_TYPE);
	m.framing_type = L2TP_FRAMING_SYNC;
	put(&m, L2TP_AVP_INITIAL_RCVD_LCP_CONFREQ, &m.initial_rcvd_confreq,
	    init_rcvd, sizeof(init_rcvd));
	put(&m, L2TP_AVP_LAST_SENT_LCP_CONFREQ, &m.last_sent_confreq, last_sent,
	    sizeof(last_sent));
	put(&m, L2TP_AVP_LAST_RCVD_LCP_CONFREQ, &m.last_rcvd_confreq, last_rcvd,
	    sizeof(last_rcvd));
	l2tp_msg_set(&m, L2TP_AVP_PROXY_AUTHEN_TYPE);
	m.proxy_authen_type = L2TP_PROXY_AUTH_PAP;
	l2tp_msg_set(&m, L2TP_AVP_PROXY_AUTHEN_NAME);
	strcpy(m.proxy_authen_name, user);
	l2tp_msg_set(&m, L2TP_AVP_PROXY_AUTHEN_ID);
	m.proxy_authen_id = 3;
	put(&m, L2TP_AVP_PROXY_AUTHEN_RESPONSE, &m.proxy_authen_response,
	    response, sizeof(response));
	put(&m, L2TP_AVP_PRIVATE_GROUP_ID, &m.private_group_id, group,
	    sizeof(group));
	rh_send_ctl(h, p, &m);
	return c;
}

struct sw_test {
	struct role_harness *h;
	struct rh_lac *x;
	struct rh_peer *p;
	struct rh_call *c;
	struct rh_lns *l;
	struct rh_lns_call *lc;
};

static void
sw_setup(struct sw_test *t, const char *conf, const char *user)
{
	t->h = rh_new(conf, "users", "alice secret\n", NULL);
	t->x = rh_lac_attach(t->h);
	t->p = rh_peer(t->h, 0);
	assert_true(rh_tunnel_open(t->h, t->p));
	t->c = first_lac_call(t->h, t->p, user);
	assert_non_null(t->c);
	rh_lac_settle(t->x);
	t->l = rh_lns(t->x, 0);
	t->lc = rh_lns_call_n(t->l, 0);
}

static void
sw_teardown(struct sw_test *t)
{
	rh_lac_free(t->x);
}

/* Whether the switch ever sent an LCP frame (to anyone). */
static bool
sent_lcp(const struct role_harness *h)
{
	for (unsigned i = 0; i < RH_SENT && i < h->nsent; i++) {
		const struct rh_dgram *d = rh_sent(h, i);
		struct l2tp_hdr hd;
		const uint8_t *f;
		size_t len;
		uint16_t proto;

		if (l2tp_hdr_decode(d->pkt, d->len, &hd) != L2TP_HDR_OK ||
		    hd.is_control)
			continue;
		f = d->pkt + hd.payload_off;
		len = hd.payload_len;
		if (sp_ppp_open(&f, &len, &proto) && proto == PPP_PROTO_LCP)
			return true;
	}
	return false;
}

/* The last control message of type `type` the switch sent to `to`. */
static bool
find_sent(const struct role_harness *h, const struct l2tp_addr *to,
    enum l2tp_msg_type type, struct l2tp_msg *m)
{
	for (unsigned i = 0; i < RH_SENT && i < h->nsent; i++) {
		const struct rh_dgram *d = rh_sent(h, i);
		struct l2tp_hdr hd;
		struct l2tp_err err;

		if (!l2tp_addr_equal(&d->peer, to) ||
		    l2tp_hdr_decode(d->pkt, d->len, &hd) != L2TP_HDR_OK ||
		    !hd.is_control || hd.payload_len == 0)
			continue;
		if (l2tp_msg_decode(d->pkt, d->len, NULL, m, &err) == L2TP_OK &&
		    m->type == type)
			return true;
	}
	return false;
}

static void
assert_bytes(const struct l2tp_msg *m, enum l2tp_avp_type t,
    const struct l2tp_bytes *b, const uint8_t *want, size_t len)
{
	assert_true(l2tp_msg_has(m, t));
	assert_int_equal(b->len, len);
	assert_memory_equal(b->data, want, len);
}

static struct l2tp_session *
in_session(struct sw_test *t)
{
	struct l2tp_tunnel *tun = l2tp_host_find_tunnel(t->h->r->host,
	    t->p->lns_tid);

	assert_non_null(tun);
	return l2tp_tunnel_find_session(tun, t->c->lns_sid);
}

static void
test_forward_avps(void **state)
{
	struct sw_test t;
	struct l2tp_msg m;
	struct roles_session_view v;
	struct l2tp_session *in, *out;
	struct l2tp_session_info si, so;

	(void)state;
	sw_setup(&t, SW_CONF("no"), "alice@corp.example");
	assert_true(t.l->up);
	assert_non_null(t.lc);
	assert_true(t.lc->connected);
	/* §6.6: what the first LAC's ICRQ said of the call, said again */
	assert_true(find_sent(t.h, &t.l->addr, L2TP_MSG_ICRQ, &m));
	assert_true(l2tp_msg_has(&m, L2TP_AVP_CALLING_NUMBER));
	assert_string_equal(m.calling_number, "02:00:00:00:01:01");
	assert_true(l2tp_msg_has(&m, L2TP_AVP_CALLED_NUMBER));
	assert_string_equal(m.called_number, "eth0.100");
	assert_true(l2tp_msg_has(&m, L2TP_AVP_BEARER_TYPE));
	assert_int_equal(m.bearer_type, L2TP_BEARER_DIGITAL);
	assert_true(l2tp_msg_has(&m, L2TP_AVP_PHYSICAL_CHANNEL_ID));
	assert_int_equal(m.physical_channel, 4242);
	/* its own identifiers, not the first LAC's */
	assert_int_not_equal(m.call_serial, 77);
	/* §6.8/§4.4.5: the ICCN's connect speeds, framing and every proxy
	 * AVP, the opaque ones byte for byte */
	m = *t.lc->iccn;
	assert_int_equal(m.tx_connect_speed, 20000000);
	assert_true(l2tp_msg_has(&m, L2TP_AVP_RX_CONNECT_SPEED));
	assert_int_equal(m.rx_connect_speed, 1000000);
	assert_int_equal(m.framing_type, L2TP_FRAMING_SYNC);
	assert_bytes(&m, L2TP_AVP_INITIAL_RCVD_LCP_CONFREQ,
	    &m.initial_rcvd_confreq, init_rcvd, sizeof(init_rcvd));
	assert_bytes(&m, L2TP_AVP_LAST_SENT_LCP_CONFREQ, &m.last_sent_confreq,
	    last_sent, sizeof(last_sent));
	assert_bytes(&m, L2TP_AVP_LAST_RCVD_LCP_CONFREQ, &m.last_rcvd_confreq,
	    last_rcvd, sizeof(last_rcvd));
	assert_true(l2tp_msg_has(&m, L2TP_AVP_PROXY_AUTHEN_TYPE));
	assert_int_equal(m.proxy_authen_type, L2TP_PROXY_AUTH_PAP);
	assert_string_equal(m.proxy_authen_name, "alice@corp.example");
	assert_true(l2tp_msg_has(&m, L2TP_AVP_PROXY_AUTHEN_ID));
	assert_int_equal(m.proxy_authen_id, 3);
	assert_bytes(&m, L2TP_AVP_PROXY_AUTHEN_RESPONSE,
	    &m.proxy_authen_response, response, sizeof(response));
	assert_bytes(&m, L2TP_AVP_PRIVATE_GROUP_ID, &m.private_group_id, group,
	    sizeof(group));
	/* `show sessions`: each half names the other */
	in = in_session(&t);
	assert_non_null(in);
	out = LIST_FIRST(&t.h->r->lac->calls)->ls;
	assert_non_null(out);
	l2tp_session_get_info(in, &si);
	l2tp_session_get_info(out, &so);
	roles_describe_session(t.h->r, in, &v);
	assert_string_equal(v.ppp_phase, "switched");
	assert_string_equal(v.user, "alice@corp.example");
	assert_int_equal(v.switched_tunnel, so.tunnel_local_id);
	assert_int_equal(v.switched_session, so.local_id);
	roles_describe_session(t.h->r, out, &v);
	assert_string_equal(v.ppp_phase, "switched");
	assert_int_equal(v.switched_tunnel, si.tunnel_local_id);
	assert_int_equal(v.switched_session, si.local_id);
	assert_int_equal(roles_switch_stats(t.h->r)->active, 1);
	assert_int_equal(roles_switch_stats(t.h->r)->connected, 1);
	/* the switch runs no PPP of its own */
	assert_false(sent_lcp(t.h));
	sw_teardown(&t);
}

static void
test_relay_both_ways(void **state)
{
	struct sw_test t;
	uint8_t ip[64], f[80];
	size_t n;

	(void)state;
	sw_setup(&t, SW_CONF("no"), "alice@corp.example");
	n = rh_ip_packet(ip, sizeof(ip), 0x0a090064, 0x0a000001, 8);
	assert_true(n > 0);
	/* user → LNS: the frame as the first LAC sent it (FF 03 from
	 * sp_data_msg), in the LNS's session */
	f[0] = 0x00;
	f[1] = 0x21;
	memcpy(f + 2, ip, n);
	rh_ppp_send(t.h, t.p, t.c, f, n + 2);
	assert_int_equal(t.lc->data_rx, 1);
	assert_int_equal(t.lc->data_last_len, n + 4);
	assert_int_equal(t.lc->data_last[0], 0xff);
	assert_int_equal(t.lc->data_last[1], 0x03);
	assert_memory_equal(t.lc->data_last + 2, f, n + 2);
	/* LNS → user */
	ip[19] = 0x64; /* another packet: its own bytes */
	memcpy(f + 2, ip, n);
	rh_lns_data(t.x, t.l, t.lc, f, n + 2);
	assert_int_equal(t.c->ip_rx, 1);
	assert_int_equal(t.c->ip_last_len, n);
	assert_memory_equal(t.c->ip_last, ip, n);
	assert_false(sent_lcp(t.h));
	sw_teardown(&t);
}

/* RFC 2661 §4.4.2: the first LAC's CDN reaches the LNS with its cause. */
static void
test_cdn_from_lac(void **state)
{
	struct sw_test t;

	(void)state;
	sw_setup(&t, SW_CONF("no"), "alice@corp.example");
	rh_call_close(t.h, t.p, t.c, L2TP_CDN_ADMIN);
	rh_lac_settle(t.x);
	assert_true(t.lc->cdn_rcvd);
	assert_int_equal(t.lc->cdn_result, L2TP_CDN_ADMIN);
	assert_true(LIST_EMPTY(&t.h->r->lac->calls));
	assert_int_equal(roles_switch_stats(t.h->r)->active, 0);
	sw_teardown(&t);
}

static void
test_cdn_from_lns(void **state)
{
	struct sw_test t;

	(void)state;
	sw_setup(&t, SW_CONF("no"), "alice@corp.example");
	rh_lns_cdn(t.x, t.l, t.lc, L2TP_CDN_BUSY);
	assert_int_equal(t.p->cdn_result, L2TP_CDN_BUSY);
	assert_false(t.c->open);
	assert_null(in_session(&t));
	assert_int_equal(roles_switch_stats(t.h->r)->active, 0);
	sw_teardown(&t);
}

/* A StopCCN clears the switched calls in the tunnel: the first LAC's
 * get a CDN (lost carrier, §4.4.2 Result Code 1). */
static void
test_stopccn_from_lns(void **state)
{
	struct sw_test t;

	(void)state;
	sw_setup(&t, SW_CONF("no"), "alice@corp.example");
	rh_lns_stopccn(t.x, t.l, 1);
	assert_int_equal(t.p->cdn_result, L2TP_CDN_LOST_CARRIER);
	assert_false(t.c->open);
	assert_int_equal(roles_switch_stats(t.h->r)->active, 0);
	sw_teardown(&t);
}

/* A StopCCN from the first LAC clears the LNS's halves with a CDN. */
static void
test_stopccn_from_lac(void **state)
{
	struct sw_test t;
	struct l2tp_msg m;

	(void)state;
	sw_setup(&t, SW_CONF("no"), "alice@corp.example");
	l2tp_msg_init(&m, L2TP_MSG_STOPCCN, t.p->lns_tid, 0);
	l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_TUNNEL_ID);
	m.assigned_tunnel_id = t.p->tid;
	l2tp_msg_set(&m, L2TP_AVP_RESULT_CODE);
	m.result.result = 1;
	rh_send_ctl(t.h, t.p, &m);
	rh_lac_settle(t.x);
	assert_true(t.lc->cdn_rcvd);
	assert_int_equal(t.lc->cdn_result, L2TP_CDN_LOST_CARRIER);
	assert_int_equal(roles_switch_stats(t.h->r)->active, 0);
	sw_teardown(&t);
}

/* `vpdnctl disconnect user`: one call ended, both halves cleared with
 * Result Code 3 (RFC 2661 §4.4.2, administrative reasons). */
static void
test_disconnect_user(void **state)
{
	struct sw_test t;

	(void)state;
	sw_setup(&t, SW_CONF("no"), "alice@corp.example");
	assert_int_equal(roles_disconnect_user(t.h->r, "alice@corp.example",
			     t.h->now),
	    1);
	rh_lac_settle(t.x);
	assert_int_equal(t.p->cdn_result, L2TP_CDN_ADMIN);
	assert_true(t.lc->cdn_rcvd);
	assert_int_equal(t.lc->cdn_result, L2TP_CDN_ADMIN);
	assert_int_equal(roles_switch_stats(t.h->r)->active, 0);
	sw_teardown(&t);
}

/* Two switched calls for one LNS share one tunnel. */
static void
test_one_tunnel_per_lns(void **state)
{
	struct sw_test t;
	struct rh_call *c2;

	(void)state;
	sw_setup(&t, SW_CONF("no"), "alice@corp.example");
	c2 = first_lac_call(t.h, t.p, "bob@corp.example");
	assert_non_null(c2);
	rh_lac_settle(t.x);
	assert_non_null(rh_lns_call_n(t.l, 1));
	assert_true(rh_lns_call_n(t.l, 1)->connected);
	assert_int_equal(t.l->ntun, 1);
	assert_int_equal(roles_switch_stats(t.h->r)->active, 2);
	sw_teardown(&t);
}

/* No [realm] for the user and local-sessions = no: CDN Result Code 5
 * (§4.4.2, permanent lack of facilities); no call to any LNS. */
static void
test_unknown_realm_refused(void **state)
{
	struct sw_test t;

	(void)state;
	sw_setup(&t, SW_CONF("no"), "carol@other.example");
	assert_int_equal(t.p->cdn_result, L2TP_CDN_NO_RESOURCES_PERM);
	assert_false(t.c->open);
	assert_int_equal(t.l->icrq, 0);
	assert_int_equal(roles_switch_stats(t.h->r)->refused, 1);
	sw_teardown(&t);
}

/* ... and with local-sessions = yes the LNS terminates it: PPP runs
 * here (the LNS's LCP request comes). */
static void
test_unknown_realm_local(void **state)
{
	struct sw_test t;

	(void)state;
	sw_setup(&t, SW_CONF("yes"), "alice");
	assert_true(t.c->open);
	assert_int_equal(t.l->icrq, 0);
	assert_int_not_equal(rh_ppp_up_pap(t.h, t.p, t.c, "alice", "secret"),
	    0);
	sw_teardown(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forward_avps),
		cmocka_unit_test(test_relay_both_ways),
		cmocka_unit_test(test_cdn_from_lac),
		cmocka_unit_test(test_cdn_from_lns),
		cmocka_unit_test(test_stopccn_from_lns),
		cmocka_unit_test(test_stopccn_from_lac),
		cmocka_unit_test(test_disconnect_user),
		cmocka_unit_test(test_one_tunnel_per_lns),
		cmocka_unit_test(test_unknown_realm_refused),
		cmocka_unit_test(test_unknown_realm_local),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
