/*
 * test_session_size.c — the memory budget of one established LNS session
 * (one daemon holds 50,000 concurrent sessions at <= 2 KiB each), so
 * that per-session state cannot silently grow back.
 *
 * Counted: the PPP link as ppp_link_footprint() reports it once the link is
 * in the Network phase (the struct plus what it allocated and still holds:
 * the authenticated name; no IPv6CP when it is off, no proxy or LAC data,
 * and the CHAP exchange released once IPCP is up), the L2TP session
 * (struct l2tp_session; the call parameters only a LAC or an outgoing call
 * needs are not allocated for an LNS's incoming call) and the binding
 * (struct session_link), and the LNS role's own per-session object
 * (src/roles/lns.c, lns_session_footprint(): a session without a rate plan
 * and on the user path; both are allocated only for the sessions that have
 * them).  Not counted: the copy of the LAC's Calling Number an
 * incoming call keeps when one was sent (its length + 1, for RADIUS),
 * malloc's per-chunk overhead, the timer heap and ID pool slots.
 *
 * The same for one established LAC call (a PPPoE user relayed to its LNS;
 * `make bench` measures its RSS at 10,000 calls against 2 KiB): the call
 * (struct lac_call as lac_call_footprint() reports it), its PPPoE session
 * and its L2TP session (l2tp_session_footprint()).  What only dialling
 * needs — the user's frames held for the LNS, the ICCN's proxy AVPs, the
 * call parameters, the front half's PPP link — must be gone once the ICCN
 * is out.  Not counted: accounting records (RADIUS accounting only), the
 * shared tunnel, malloc overhead, ID pool slots.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config/users.h"
#include "l2tp/tunnel.h"
#include "ppp/auth.h"
#include "ppp/ipcp.h"
#include "ppp/lcp.h"
#include "ppp/link.h"
#include "roles/lac_priv.h"
#include "roles/roles_priv.h"
#include "roles/session_link.h"

#include "l2tp_pair.h"

/* The budget, in bytes: what the four objects above may take together. */
#define SESSION_BUDGET	    1536
#define LNS_SESS_BUDGET	    448 /* lns_session_footprint() */
#define LINK_BUDGET	    896 /* ppp_link_footprint(), established */
#define L2TP_SESSION_BUDGET 160
#define SESSION_LINK_BUDGET 128
/* One established LAC call: call + PPPoE session + L2TP session. */
#define LAC_CALL_BUDGET	    1024

#define QMAX 32

struct side {
	struct ppp_link *l;
	struct side *peer;
	uint8_t q[QMAX][1600];
	size_t qlen[QMAX];
	unsigned qn;
	bool up, down;
};

static int
s_send(void *ctx, const uint8_t *f, size_t len)
{
	struct side *s = ctx;

	assert_true(len <= sizeof(s->peer->q[0]));
	if (s->peer->qn < QMAX) {
		memcpy(s->peer->q[s->peer->qn], f, len);
		s->peer->qlen[s->peer->qn++] = len;
	}
	return 0;
}

static int
s_assign(void *ctx, const char *user, const struct auth_result *res,
    uint32_t *addr, uint64_t now)
{
	(void)now;
	(void)ctx;
	(void)user;
	(void)res;
	*addr = 0x0a010005;
	return 0;
}

static void
s_up(void *ctx, uint32_t local, uint32_t peer, const uint32_t dns[2],
    unsigned n, uint64_t now)
{
	struct side *s = ctx;

	(void)now;
	(void)local;
	(void)peer;
	(void)dns;
	(void)n;
	s->up = true;
}

static void
s_down(void *ctx, const char *reason, uint64_t now)
{
	struct side *s = ctx;

	(void)now;
	(void)reason;
	s->down = true;
}

static const struct ppp_link_ops ops = {
	.send = s_send,
	.assign_address = s_assign,
	.network_up = s_up,
	.down = s_down,
};

/* Delivers queued frames both ways until quiet. */
static void
pump(struct side *a, struct side *b, uint64_t now)
{
	for (int guard = 0; guard < 1000 && (a->qn > 0 || b->qn > 0); guard++) {
		struct side *s = a->qn > 0 ? a : b;
		uint8_t f[1600];
		size_t len = s->qlen[0];

		memcpy(f, s->q[0], len);
		memmove(s->q[0], s->q[1], (s->qn - 1) * sizeof(s->q[0]));
		memmove(&s->qlen[0], &s->qlen[1], (s->qn - 1) * sizeof(size_t));
		s->qn--;
		ppp_link_input(s->l, f, len, now);
	}
}

/* An LNS-like server link (CHAP-MD5, IPv4 only) brought to the Network
 * phase by a client; returns its footprint then. */
static size_t
established_footprint(unsigned rechallenge_ms, bool ipv6cp)
{
	static const char users[] = "alice secret *\n";
	static struct side srv, cli;
	struct ppp_link_config sc, cc;
	struct auth_backend be;
	struct users_db *db;
	char err[128];
	size_t n;

	db = users_parse("users", users, strlen(users), err, sizeof(err));
	assert_non_null(db);
	auth_users_backend(&be, db);
	memset(&sc, 0, sizeof(sc));
	sc.server = true;
	sc.auth[0] = PPP_AUTH_CHAP_MD5;
	sc.auth_count = 1;
	snprintf(sc.our_name, sizeof(sc.our_name), "lns");
	sc.local_addr = 0x0a000001;
	sc.rechallenge_ms = rechallenge_ms;
	sc.ipv6cp = ipv6cp;
	memset(&cc, 0, sizeof(cc));
	snprintf(cc.client.user, sizeof(cc.client.user), "alice");
	memcpy(cc.client.password, "secret", 6);
	cc.client.password_len = 6;
	cc.client.accept[0] = PPP_AUTH_CHAP_MD5;
	cc.client.accept_count = 1;
	cc.ipv6cp = ipv6cp;
	memset(&srv, 0, sizeof(srv));
	memset(&cli, 0, sizeof(cli));
	srv.peer = &cli;
	cli.peer = &srv;
	srv.l = ppp_link_new(&sc, &be, &ops, &srv, 1000);
	cli.l = ppp_link_new(&cc, NULL, &ops, &cli, 1000);
	assert_non_null(srv.l);
	assert_non_null(cli.l);
	ppp_link_start(srv.l, 1000);
	ppp_link_start(cli.l, 1000);
	pump(&srv, &cli, 1000);
	assert_true(srv.up);
	assert_true(cli.up);
	assert_int_equal(ppp_link_phase(srv.l), PPP_PHASE_NETWORK);
	assert_string_equal(ppp_link_user(srv.l), "alice");
	n = ppp_link_footprint(srv.l);
	ppp_link_free(srv.l);
	ppp_link_free(cli.l);
	users_free(db);
	return n;
}

static void
test_session_budget(void **state)
{
	size_t link = established_footprint(0, false);
	size_t lns = lns_session_footprint();
	size_t total = link + sizeof(struct l2tp_session) +
	    sizeof(struct session_link) + lns;

	(void)state;
	printf("# per session: ppp_link %zu + l2tp_session %zu + "
	       "session_link %zu + lns %zu = %zu bytes (budget %d)\n",
	    link, sizeof(struct l2tp_session), sizeof(struct session_link), lns,
	    total, SESSION_BUDGET);
	assert_true(link <= LINK_BUDGET);
	assert_true(sizeof(struct l2tp_session) <= L2TP_SESSION_BUDGET);
	assert_true(sizeof(struct session_link) <= SESSION_LINK_BUDGET);
	/* A rate plan's buckets and the fast path's record are not in it:
	 * most sessions have neither (they were, +424 bytes each). */
	assert_true(lns <= LNS_SESS_BUDGET);
	assert_true(total <= SESSION_BUDGET);
}

/* What is optional costs only where it is on: IPv6CP adds its automaton;
 * a CHAP re-challenge keeps the exchange (outside the footprint) running
 * and must still reach the Network phase. */
static void
test_optional_parts(void **state)
{
	size_t base = established_footprint(0, false);
	size_t v6 = established_footprint(0, true);
	size_t rechal = established_footprint(60000, false);

	(void)state;
	assert_true(v6 > base);
	assert_true(v6 - base <= 512);
	assert_int_equal(rechal, base);
}

/* The shared configuration is one copy for any number of identical links:
 * a thousand links cost a thousand footprints, not a thousand configs.  As
 * a role does it: one counted configuration, given to every link; the
 * links keep it after the creator dropped its reference. */
static void
test_config_shared(void **state)
{
	struct ppp_link_config sc;
	struct ppp_link_conf *conf;
	struct ppp_link *l[64];
	size_t f0, f;

	(void)state;
	memset(&sc, 0, sizeof(sc));
	sc.server = true;
	sc.auth[0] = PPP_AUTH_PAP;
	sc.auth_count = 1;
	conf = ppp_link_conf_new(&sc);
	assert_non_null(conf);
	l[0] = ppp_link_create(conf, NULL, &ops, NULL, NULL, 0);
	assert_non_null(l[0]);
	f0 = ppp_link_footprint(l[0]);
	assert_true(f0 < sizeof(struct ppp_link_config) + 1024);
	for (int i = 1; i < 64; i++) {
		l[i] = ppp_link_create(conf, NULL, &ops, NULL, NULL, 0);
		assert_non_null(l[i]);
		f = ppp_link_footprint(l[i]);
		assert_int_equal(f, f0);
	}
	ppp_link_conf_drop(conf);
	for (int i = 0; i < 64; i++)
		ppp_link_free(l[i]);
}

/* The automata keep their last Configure-Request in CP_MAX_REQ bytes (sized
 * for the budget): every option each protocol can put in one must fit,
 * each at its longest, or send_conf_req() would have to leave one out. */
static size_t
longest_request(const struct cp *cp)
{
	size_t n = 0;

	for (unsigned i = 0; i < cp->proto->noptions; i++)
		if (cp->proto->options[i].add != NULL)
			n += 2 + cp->proto->options[i].len_max;
	return n;
}

static void
test_requests_fit(void **state)
{
	static const struct cp_owner_ops no_ops;
	struct lcp_config lc;
	struct ipcp_config ic;
	struct cp_config cc;
	struct lcp lcp;
	struct ipcp ipcp;
	struct ipv6cp v6;

	(void)state;
	memset(&lc, 0, sizeof(lc));
	memset(&ic, 0, sizeof(ic));
	memset(&cc, 0, sizeof(cc));
	lcp_init(&lcp, &lc, &no_ops, NULL);
	ipcp_init(&ipcp, &ic, &no_ops, NULL);
	ipv6cp_init(&v6, &cc, &no_ops, NULL);
	assert_true(longest_request(&lcp.cp) > 0);
	assert_true(longest_request(&lcp.cp) <= CP_MAX_REQ);
	assert_true(longest_request(&ipcp.cp) > 0);
	assert_true(longest_request(&ipcp.cp) <= CP_MAX_REQ);
	assert_true(longest_request(&v6.cp) > 0);
	assert_true(longest_request(&v6.cp) <= CP_MAX_REQ);
}

/* The LAC role's session_up, as roles.c dispatches it. */
static void
lac_up(void *ctx, struct l2tp_session *s, const struct l2tp_msg *m,
    uint64_t now)
{
	w_session_up(ctx, s, m, now);
	lac_session_up(NULL, NULL, s, NULL, now);
}

static const struct l2tp_host_ops lac_ops = {
	.send = w_send,
	.tunnel_up = w_tunnel_up,
	.tunnel_down = w_tunnel_down,
	.session_request = w_session_request,
	.session_up = lac_up,
	.session_down = w_session_down,
	.session_data = w_session_data,
};

static void
test_lac_call_budget(void **state)
{
	static const uint8_t ipcp[] = { 0x80, 0x21, 1, 1, 0, 10, 3, 6, 0, 0, 0,
		0 };
	struct world *w = w_new();
	struct l2tp_call_params cp;
	struct l2tp_tunnel *t;
	struct lac_call *c;
	size_t call, ls, total;

	(void)state;
	w_start(w);
	/* node 0 is the LAC role */
	l2tp_host_free(w->n[0].h);
	w->n[0].h = l2tp_host_new(&w->n[0].cfg, &lac_ops, &w->n[0]);
	assert_non_null(w->n[0].h);
	t = w_establish(w);
	assert_non_null(t);
	/* a call dialling, as call_authenticated leaves it */
	c = calloc(1, sizeof(*c));
	assert_non_null(c);
	c->state = LAC_CALL_DIALING;
	strcpy(c->user, "alice@corp.example");
	c->proxy = lac_proxy_msg(false, c->user,
	    &(struct ppp_proxy){ .authen_type = PPP_PROXY_AUTHEN_PAP,
		.response = (const uint8_t *)"secret",
		.response_len = 6 });
	assert_non_null(c->proxy);
	/* the user's first IPCP request arrived meanwhile */
	c->queue = malloc(sizeof(*c->queue) + sizeof(ipcp));
	assert_non_null(c->queue);
	c->queue->next = NULL;
	c->queue->len = sizeof(ipcp);
	memcpy(c->queue->b, ipcp, sizeof(ipcp));
	c->queued = 1;
	assert_true(lac_call_footprint(c) > sizeof(*c));
	memset(&cp, 0, sizeof(cp));
	cp.tx_connect_speed = LAC_CONNECT_BPS;
	cp.framing_type = L2TP_FRAMING_SYNC;
	strcpy(cp.calling_number, "02:b0:00:00:27:10");
	cp.proxy = c->proxy;
	c->ls = l2tp_session_open(t, &cp, w->now);
	assert_non_null(c->ls);
	l2tp_session_set_user(c->ls, c);
	assert_true(l2tp_session_footprint(c->ls) > 4096);
	w_advance(w, 500);
	assert_int_equal(c->state, LAC_CALL_RELAY);
	assert_int_equal(w->n[1].data_rx, 1); /* the held request */
	call = lac_call_footprint(c);
	ls = l2tp_session_footprint(c->ls);
	total = call + sizeof(struct pppoe_session) + ls;
	printf("# per LAC call: lac_call %zu + pppoe_session %zu + "
	       "l2tp_session %zu = %zu bytes (budget %d)\n",
	    call, sizeof(struct pppoe_session), ls, total, LAC_CALL_BUDGET);
	assert_int_equal(call, sizeof(*c));
	assert_null(c->queue);
	assert_null(c->proxy);
	/* the Calling Number is still there, in a copy of its size */
	assert_string_equal(l2tp_session_calling_number(c->ls),
	    "02:b0:00:00:27:10");
	assert_int_equal(ls, sizeof(struct l2tp_session) + 18);
	assert_true(total <= LAC_CALL_BUDGET);
	l2tp_session_set_user(c->ls, NULL);
	free(c);
	w_free(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_session_budget),
		cmocka_unit_test(test_lac_call_budget),
		cmocka_unit_test(test_optional_parts),
		cmocka_unit_test(test_config_shared),
		cmocka_unit_test(test_requests_fit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
