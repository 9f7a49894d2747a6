/*
 * test_dhcpv6_server.c — the per-session DHCPv6 server (RFC 8415 §16,
 * §18.3) in conversation with scripted client messages: Solicit/Advertise/
 * Request/Reply, Rapid Commit, Renew, Rebind, Release, Decline,
 * Information-Request, Confirm, every §16 drop rule, the lease provider's
 * refusal, and the lease handed back on destroy.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ipv6/dhcpv6_server.h"

struct pool {
	unsigned allocs, renews, releases, binds, unbinds;
	bool empty, renew_fails;
	uint32_t next_preferred;
	bool out; /* the one prefix is handed out */
};

static int
p_alloc(void *ctx, struct dhcpv6_pd_lease *l, uint64_t now)
{
	struct pool *p = ctx;

	(void)now;
	if (p->empty || p->out)
		return -1;
	memset(l, 0, sizeof(*l));
	l->prefix[0] = 0x20;
	l->prefix[1] = 0x01;
	l->prefix[2] = 0x0d;
	l->prefix[3] = 0xb8;
	l->prefix[4] = 0x02;
	l->prefix[6] = 0x42;
	l->plen = 56;
	l->preferred = 3600;
	l->valid = 7200;
	p->allocs++;
	p->out = true;
	return 0;
}

static int
p_renew(void *ctx, struct dhcpv6_pd_lease *l, uint64_t now)
{
	struct pool *p = ctx;

	(void)now;
	p->renews++;
	if (p->renew_fails)
		return -1;
	if (p->next_preferred != 0)
		l->preferred = p->next_preferred;
	return 0;
}

static void
p_release(void *ctx, const struct dhcpv6_pd_lease *l)
{
	struct pool *p = ctx;

	assert_int_equal(l->plen, 56);
	assert_true(p->out);
	p->out = false;
	p->releases++;
}

static void
p_bound(void *ctx, const struct dhcpv6_pd_lease *l, bool bound)
{
	struct pool *p = ctx;

	(void)l;
	if (bound)
		p->binds++;
	else
		p->unbinds++;
}

static const struct dhcpv6_lease_ops pool_ops = { p_alloc, p_renew, p_release,
	p_bound };

struct fx {
	struct pool pool;
	struct dhcpv6_server srv;
	struct dhcpv6_duid client, other_client;
	uint8_t out[1500];
	struct dhcpv6_msg rep;
};

static const uint8_t srv_mac[6] = { 0x02, 0x76, 0x70, 0x64, 0x6e, 0x01 };
static const uint8_t cl_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t cl2_mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };

static int
setup(void **state)
{
	static struct fx f;
	struct dhcpv6_server_config cfg;

	memset(&f, 0, sizeof(f));
	memset(&cfg, 0, sizeof(cfg));
	dhcpv6_duid_ll(&cfg.duid, 1, srv_mac, 6);
	cfg.ndns = 1;
	cfg.dns[0][0] = 0x20;
	cfg.dns[0][1] = 0x01;
	cfg.dns[0][15] = 0x53;
	cfg.rapid_commit = true;
	cfg.send_preference = true;
	cfg.preference = 255;
	dhcpv6_server_init(&f.srv, &cfg, &pool_ops, &f.pool);
	dhcpv6_duid_ll(&f.client, 1, cl_mac, 6);
	dhcpv6_duid_ll(&f.other_client, 1, cl2_mac, 6);
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	dhcpv6_server_destroy(&f->srv);
	/* Whatever was handed out went back. */
	assert_false(f->pool.out);
	assert_int_equal(f->pool.binds, f->pool.unbinds);
	return 0;
}

/* A client message: type, xid 0x000abc, our client's DUID, and flags. */
#define M_CID	    1u
#define M_SID	    2u /* our server's DUID */
#define M_OTHER_SID 4u /* someone else's */
#define M_RC	    8u
#define M_IAPD	    16u
#define M_IANA	    32u
#define M_PFX	    64u	 /* the IA_PD carries the pool's prefix */
#define M_FOREIGN   128u /* the IA_PD carries 2001:db8:ffff::/56 */
#define M_CL2	    256u /* the other client's DUID */

static void
mk(struct fx *f, struct dhcpv6_msg *m, uint8_t type, unsigned flags)
{
	struct dhcpv6_ia *ia;

	memset(m, 0, sizeof(*m));
	m->type = type;
	m->xid = 0xabc;
	if (flags & M_CID) {
		m->present |= DHCPV6_HAVE_CLIENTID;
		m->client_id = (flags & M_CL2) ? f->other_client : f->client;
	}
	if (flags & (M_SID | M_OTHER_SID)) {
		m->present |= DHCPV6_HAVE_SERVERID;
		m->server_id = f->srv.cfg.duid;
		if (flags & M_OTHER_SID)
			m->server_id.b[m->server_id.len - 1] ^= 0xff;
	}
	if (flags & M_RC)
		m->present |= DHCPV6_HAVE_RAPID_COMMIT;
	if (flags & M_IANA) {
		ia = &m->ia[m->nia++];
		ia->type = DHCPV6_OPT_IA_NA;
		ia->iaid = 9;
	}
	if (flags & M_IAPD) {
		ia = &m->ia[m->nia++];
		ia->type = DHCPV6_OPT_IA_PD;
		ia->iaid = 1;
		if (flags & M_PFX) {
			uint8_t *a = ia->lease[ia->n].addr;

			a[0] = 0x20;
			a[1] = 0x01;
			a[2] = 0x0d;
			a[3] = 0xb8;
			a[4] = 0x02;
			a[6] = 0x42;
			ia->lease[ia->n++].plen = 56;
		}
		if (flags & M_FOREIGN) {
			uint8_t *a = ia->lease[ia->n].addr;

			a[0] = 0x20;
			a[1] = 0x01;
			a[2] = 0x0d;
			a[3] = 0xb8;
			a[4] = 0xff;
			a[5] = 0xff;
			ia->lease[ia->n].preferred = 100;
			ia->lease[ia->n].valid = 200;
			ia->lease[ia->n++].plen = 56;
		}
	}
}

/* Sends *m; returns the reply length, the reply parsed into f->rep. */
static size_t
xchg(struct fx *f, const struct dhcpv6_msg *m)
{
	uint8_t in[1500];
	int n = dhcpv6_build(m, in, sizeof(in));
	size_t r;

	assert_true(n > 0);
	r = dhcpv6_server_input(&f->srv, in, (size_t)n, 1000, f->out,
	    sizeof(f->out));
	if (r > 0) {
		assert_int_equal(dhcpv6_parse(f->out, r, &f->rep), DHCPV6_OK);
		/* §18.3: every answer carries our Server ID, the client's
		 * Client ID and the request's transaction-id. */
		assert_int_equal(f->rep.xid, m->xid);
		assert_true(f->rep.present & DHCPV6_HAVE_SERVERID);
		assert_true(
		    dhcpv6_duid_eq(&f->rep.server_id, &f->srv.cfg.duid));
		if (m->present & DHCPV6_HAVE_CLIENTID)
			assert_true(
			    dhcpv6_duid_eq(&f->rep.client_id, &m->client_id));
	}
	return r;
}

static size_t
send_msg(struct fx *f, uint8_t type, unsigned flags)
{
	struct dhcpv6_msg m;

	mk(f, &m, type, flags);
	return xchg(f, &m);
}

static const struct dhcpv6_ia *
rep_ia(const struct fx *f, uint16_t type)
{
	unsigned i;

	for (i = 0; i < f->rep.nia; i++)
		if (f->rep.ia[i].type == type)
			return &f->rep.ia[i];
	return NULL;
}

static void
assert_leased(const struct fx *f, uint32_t preferred)
{
	const struct dhcpv6_ia *ia = rep_ia(f, DHCPV6_OPT_IA_PD);

	assert_non_null(ia);
	assert_int_equal(ia->iaid, 1);
	assert_false(ia->has_status);
	assert_int_equal(ia->n, 1);
	assert_int_equal(ia->lease[0].plen, 56);
	assert_int_equal(ia->lease[0].addr[6], 0x42);
	assert_int_equal(ia->lease[0].preferred, preferred);
	assert_int_equal(ia->lease[0].valid, 7200);
	/* §21.21: T1 and T2 at 0.5 and 0.8 of the preferred lifetime. */
	assert_int_equal(ia->t1, preferred / 2);
	assert_int_equal(ia->t2, preferred * 4 / 5);
}

static void
assert_ia_status(const struct fx *f, uint16_t type, uint16_t st)
{
	const struct dhcpv6_ia *ia = rep_ia(f, type);

	assert_non_null(ia);
	assert_true(ia->has_status);
	assert_int_equal(ia->status, st);
	assert_int_equal(ia->n, 0);
}

/* §18.3.1, §18.3.2: the four-message exchange. */
static void
test_solicit_request(void **state)
{
	struct fx *f = *state;

	assert_true(send_msg(f, DHCPV6_SOLICIT, M_CID | M_IAPD | M_IANA) > 0);
	assert_int_equal(f->rep.type, DHCPV6_ADVERTISE);
	assert_int_equal(f->rep.preference, 255);
	assert_false(f->rep.present & DHCPV6_HAVE_STATUS);
	assert_true(f->rep.present & DHCPV6_HAVE_DNS);
	assert_int_equal(f->rep.dns[0][15], 0x53);
	assert_leased(f, 3600);
	/* Addresses come by SLAAC: IA_NA answered NoAddrsAvail. */
	assert_ia_status(f, DHCPV6_OPT_IA_NA, DHCPV6_ST_NO_ADDRS_AVAIL);
	assert_int_equal(f->pool.allocs, 1);
	assert_int_equal(f->pool.binds, 0); /* offered, not routed */
	assert_null(dhcpv6_server_bound(&f->srv));

	assert_true(
	    send_msg(f, DHCPV6_REQUEST, M_CID | M_SID | M_IAPD | M_PFX) > 0);
	assert_int_equal(f->rep.type, DHCPV6_REPLY);
	assert_leased(f, 3600);
	assert_int_equal(f->pool.allocs, 1);
	assert_int_equal(f->pool.binds, 1);
	assert_non_null(dhcpv6_server_bound(&f->srv));
	assert_int_equal(dhcpv6_server_bound(&f->srv)->plen, 56);

	/* A retransmitted Request gets the same binding again. */
	assert_true(
	    send_msg(f, DHCPV6_REQUEST, M_CID | M_SID | M_IAPD | M_PFX) > 0);
	assert_leased(f, 3600);
	assert_int_equal(f->pool.allocs, 1);
	assert_int_equal(f->pool.binds, 1);
	assert_int_equal(f->srv.stats.tx_advertise, 1);
	assert_int_equal(f->srv.stats.tx_reply, 2);
}

/* §18.3.1, §21.14: Rapid Commit: one Reply, bound at once. */
static void
test_rapid_commit(void **state)
{
	struct fx *f = *state;

	assert_true(send_msg(f, DHCPV6_SOLICIT, M_CID | M_IAPD | M_RC) > 0);
	assert_int_equal(f->rep.type, DHCPV6_REPLY);
	assert_true(f->rep.present & DHCPV6_HAVE_RAPID_COMMIT);
	assert_false(f->rep.present & DHCPV6_HAVE_PREFERENCE);
	assert_leased(f, 3600);
	assert_int_equal(f->pool.binds, 1);

	/* Not configured for it: an Advertise, no commitment. */
	dhcpv6_server_destroy(&f->srv);
	f->srv.cfg.rapid_commit = false;
	assert_true(send_msg(f, DHCPV6_SOLICIT, M_CID | M_IAPD | M_RC) > 0);
	assert_int_equal(f->rep.type, DHCPV6_ADVERTISE);
	assert_false(f->rep.present & DHCPV6_HAVE_RAPID_COMMIT);
	assert_int_equal(f->pool.binds, 1);
}

/* §18.3.4 Renew, §18.3.5 Rebind: lifetimes extended. */
static void
test_renew_rebind(void **state)
{
	struct fx *f = *state;

	assert_true(send_msg(f, DHCPV6_SOLICIT, M_CID | M_IAPD | M_RC) > 0);
	f->pool.next_preferred = 4000;
	assert_true(
	    send_msg(f, DHCPV6_RENEW, M_CID | M_SID | M_IAPD | M_PFX) > 0);
	assert_int_equal(f->rep.type, DHCPV6_REPLY);
	assert_leased(f, 4000);
	assert_int_equal(f->pool.renews, 1);
	f->pool.next_preferred = 5000;
	assert_true(send_msg(f, DHCPV6_REBIND, M_CID | M_IAPD | M_PFX) > 0);
	assert_leased(f, 5000);
	assert_int_equal(f->pool.renews, 2);

	/* A prefix the client holds that is not this link's: lifetimes 0
	 * beside ours. */
	assert_true(send_msg(f, DHCPV6_RENEW,
			M_CID | M_SID | M_IAPD | M_PFX | M_FOREIGN) > 0);
	assert_int_equal(rep_ia(f, DHCPV6_OPT_IA_PD)->n, 2);
	assert_int_equal(rep_ia(f, DHCPV6_OPT_IA_PD)->lease[1].addr[4], 0xff);
	assert_int_equal(rep_ia(f, DHCPV6_OPT_IA_PD)->lease[1].valid, 0);
	assert_int_equal(rep_ia(f, DHCPV6_OPT_IA_PD)->lease[1].preferred, 0);
}

/* §18.3.4: Renew without a binding: NoBinding; §18.3.5: Rebind of
 * prefixes this link never delegated: lifetimes 0. */
static void
test_renew_rebind_unknown(void **state)
{
	struct fx *f = *state;
	const struct dhcpv6_ia *ia;

	assert_true(send_msg(f, DHCPV6_RENEW,
			M_CID | M_SID | M_IAPD | M_FOREIGN | M_IANA) > 0);
	assert_ia_status(f, DHCPV6_OPT_IA_PD, DHCPV6_ST_NO_BINDING);
	assert_ia_status(f, DHCPV6_OPT_IA_NA, DHCPV6_ST_NO_BINDING);
	assert_true(send_msg(f, DHCPV6_REBIND, M_CID | M_IAPD | M_FOREIGN) > 0);
	ia = rep_ia(f, DHCPV6_OPT_IA_PD);
	assert_non_null(ia);
	assert_int_equal(ia->n, 1);
	assert_int_equal(ia->lease[0].valid, 0);
	assert_true(send_msg(f, DHCPV6_REBIND, M_CID | M_IAPD) > 0);
	assert_ia_status(f, DHCPV6_OPT_IA_PD, DHCPV6_ST_NO_BINDING);
	assert_int_equal(f->pool.allocs, 0);

	/* Bound to one client: another client's Renew of the same IAID is
	 * not its binding. */
	assert_true(send_msg(f, DHCPV6_SOLICIT, M_CID | M_IAPD | M_RC) > 0);
	assert_true(send_msg(f, DHCPV6_RENEW,
			M_CID | M_CL2 | M_SID | M_IAPD | M_PFX) > 0);
	assert_ia_status(f, DHCPV6_OPT_IA_PD, DHCPV6_ST_NO_BINDING);
	assert_int_equal(f->pool.renews, 0);
}

/* The provider withdraws the prefix on Renew: lifetimes 0, released. */
static void
test_renew_withdrawn(void **state)
{
	struct fx *f = *state;
	const struct dhcpv6_ia *ia;

	assert_true(send_msg(f, DHCPV6_SOLICIT, M_CID | M_IAPD | M_RC) > 0);
	f->pool.renew_fails = true;
	assert_true(
	    send_msg(f, DHCPV6_RENEW, M_CID | M_SID | M_IAPD | M_PFX) > 0);
	ia = rep_ia(f, DHCPV6_OPT_IA_PD);
	assert_int_equal(ia->n, 1);
	assert_int_equal(ia->lease[0].valid, 0);
	assert_int_equal(ia->lease[0].preferred, 0);
	assert_int_equal(f->pool.releases, 1);
	assert_int_equal(f->pool.unbinds, 1);
	assert_null(dhcpv6_server_bound(&f->srv));
}

/* §18.3.7: Release: Success, prefix returned; unknown IA: NoBinding. */
static void
test_release(void **state)
{
	struct fx *f = *state;

	assert_true(send_msg(f, DHCPV6_SOLICIT, M_CID | M_IAPD | M_RC) > 0);
	assert_true(
	    send_msg(f, DHCPV6_RELEASE, M_CID | M_SID | M_IAPD | M_PFX) > 0);
	assert_int_equal(f->rep.type, DHCPV6_REPLY);
	assert_true(f->rep.present & DHCPV6_HAVE_STATUS);
	assert_int_equal(f->rep.status, DHCPV6_ST_SUCCESS);
	assert_int_equal(f->rep.nia, 0);
	assert_int_equal(f->pool.releases, 1);
	assert_int_equal(f->pool.unbinds, 1);
	assert_null(dhcpv6_server_bound(&f->srv));
	/* Released again: nothing bound any more. */
	assert_true(
	    send_msg(f, DHCPV6_RELEASE, M_CID | M_SID | M_IAPD | M_PFX) > 0);
	assert_int_equal(f->rep.status, DHCPV6_ST_SUCCESS);
	assert_ia_status(f, DHCPV6_OPT_IA_PD, DHCPV6_ST_NO_BINDING);
	/* And a new Solicit gets a prefix again. */
	assert_true(send_msg(f, DHCPV6_SOLICIT, M_CID | M_IAPD | M_RC) > 0);
	assert_leased(f, 3600);
	assert_int_equal(f->pool.allocs, 2);
}

/* §18.3.8: Decline applies to addresses; the delegation stays. */
static void
test_decline(void **state)
{
	struct fx *f = *state;

	assert_true(send_msg(f, DHCPV6_SOLICIT, M_CID | M_IAPD | M_RC) > 0);
	assert_true(send_msg(f, DHCPV6_DECLINE,
			M_CID | M_SID | M_IAPD | M_PFX | M_IANA) > 0);
	assert_int_equal(f->rep.status, DHCPV6_ST_SUCCESS);
	assert_ia_status(f, DHCPV6_OPT_IA_NA, DHCPV6_ST_NO_BINDING);
	assert_non_null(dhcpv6_server_bound(&f->srv));
	assert_int_equal(f->pool.releases, 0);
}

/* §18.3.6: stateless: DNS servers, no IA. */
static void
test_information_request(void **state)
{
	struct fx *f = *state;

	assert_true(send_msg(f, DHCPV6_INFORMATION_REQUEST, M_CID) > 0);
	assert_int_equal(f->rep.type, DHCPV6_REPLY);
	assert_int_equal(f->rep.ndns, 1);
	assert_int_equal(f->rep.nia, 0);
	/* Client ID is optional here (§16.12); Server ID may be ours. */
	assert_true(send_msg(f, DHCPV6_INFORMATION_REQUEST, 0) > 0);
	assert_false(f->rep.present & DHCPV6_HAVE_CLIENTID);
	assert_true(send_msg(f, DHCPV6_INFORMATION_REQUEST, M_CID | M_SID) > 0);
	assert_int_equal(f->pool.allocs, 0);
}

/* §16: every rule that drops a message. */
static void
test_drop_rules(void **state)
{
	struct fx *f = *state;
	static const struct {
		uint8_t type;
		unsigned flags;
		enum dhcpv6_server_drop why;
	} drops[] = {
		/* §16.2 Solicit */
		{ DHCPV6_SOLICIT, M_IAPD, DHCPV6_DROP_NO_CLIENTID },
		{ DHCPV6_SOLICIT, M_CID | M_SID | M_IAPD,
		    DHCPV6_DROP_HAS_SERVERID },
		/* §16.4 Request */
		{ DHCPV6_REQUEST, M_CID | M_IAPD, DHCPV6_DROP_NO_SERVERID },
		{ DHCPV6_REQUEST, M_CID | M_OTHER_SID | M_IAPD,
		    DHCPV6_DROP_WRONG_SERVERID },
		{ DHCPV6_REQUEST, M_SID | M_IAPD, DHCPV6_DROP_NO_CLIENTID },
		/* §16.5 Confirm */
		{ DHCPV6_CONFIRM, M_IANA, DHCPV6_DROP_NO_CLIENTID },
		{ DHCPV6_CONFIRM, M_CID | M_SID | M_IANA,
		    DHCPV6_DROP_HAS_SERVERID },
		/* §18.3.3: no addresses of ours to confirm */
		{ DHCPV6_CONFIRM, M_CID | M_IANA, DHCPV6_DROP_CONFIRM },
		/* §16.6 Renew */
		{ DHCPV6_RENEW, M_CID | M_IAPD, DHCPV6_DROP_NO_SERVERID },
		{ DHCPV6_RENEW, M_CID | M_OTHER_SID | M_IAPD,
		    DHCPV6_DROP_WRONG_SERVERID },
		{ DHCPV6_RENEW, M_SID | M_IAPD, DHCPV6_DROP_NO_CLIENTID },
		/* §16.7 Rebind */
		{ DHCPV6_REBIND, M_IAPD, DHCPV6_DROP_NO_CLIENTID },
		{ DHCPV6_REBIND, M_CID | M_SID | M_IAPD,
		    DHCPV6_DROP_HAS_SERVERID },
		/* §16.8 Decline */
		{ DHCPV6_DECLINE, M_CID | M_IANA, DHCPV6_DROP_NO_SERVERID },
		{ DHCPV6_DECLINE, M_CID | M_OTHER_SID | M_IANA,
		    DHCPV6_DROP_WRONG_SERVERID },
		{ DHCPV6_DECLINE, M_SID | M_IANA, DHCPV6_DROP_NO_CLIENTID },
		/* §16.9 Release */
		{ DHCPV6_RELEASE, M_CID | M_IAPD, DHCPV6_DROP_NO_SERVERID },
		{ DHCPV6_RELEASE, M_CID | M_OTHER_SID | M_IAPD,
		    DHCPV6_DROP_WRONG_SERVERID },
		{ DHCPV6_RELEASE, M_SID | M_IAPD, DHCPV6_DROP_NO_CLIENTID },
		/* §16.12 Information-Request */
		{ DHCPV6_INFORMATION_REQUEST, M_CID | M_OTHER_SID,
		    DHCPV6_DROP_WRONG_SERVERID },
		{ DHCPV6_INFORMATION_REQUEST, M_CID | M_IAPD,
		    DHCPV6_DROP_IA_IN_INFOREQ },
		{ DHCPV6_INFORMATION_REQUEST, M_CID | M_IANA,
		    DHCPV6_DROP_IA_IN_INFOREQ },
		/* §16.3, §16.10, §16.11: messages for clients */
		{ DHCPV6_ADVERTISE, M_CID | M_SID, DHCPV6_DROP_NOT_SERVER_MSG },
		{ DHCPV6_REPLY, M_CID | M_SID, DHCPV6_DROP_NOT_SERVER_MSG },
		{ DHCPV6_RECONFIGURE, M_CID | M_SID,
		    DHCPV6_DROP_NOT_SERVER_MSG },
		{ 99, M_CID, DHCPV6_DROP_NOT_SERVER_MSG },
	};
	static const uint8_t relay[] = { DHCPV6_RELAY_FORW, 0, 0, 0, 0 };
	static const uint8_t trunc[] = { DHCPV6_SOLICIT, 0, 0, 0, 0, 1, 0, 9,
		0 };
	uint64_t before;
	size_t i;

	for (i = 0; i < sizeof(drops) / sizeof(drops[0]); i++) {
		before = f->srv.stats.drop[drops[i].why];
		assert_int_equal(send_msg(f, drops[i].type, drops[i].flags), 0);
		assert_int_equal(f->srv.stats.drop[drops[i].why], before + 1);
	}
	assert_int_equal(dhcpv6_server_input(&f->srv, relay, sizeof(relay), 0,
			     f->out, sizeof(f->out)),
	    0);
	assert_int_equal(dhcpv6_server_input(&f->srv, trunc, sizeof(trunc), 0,
			     f->out, sizeof(f->out)),
	    0);
	assert_int_equal(f->srv.stats.drop[DHCPV6_DROP_MALFORMED], 2);
	assert_int_equal(f->pool.allocs, 0);
	assert_int_equal(f->srv.stats.tx_reply + f->srv.stats.tx_advertise, 0);
}

/* §18.3.2, §18.3.9: no prefix to give: NoPrefixAvail in the IA_PD;
 * one prefix per session: a second IA_PD gets none. */
static void
test_no_prefix(void **state)
{
	struct fx *f = *state;
	struct dhcpv6_msg m;

	f->pool.empty = true;
	assert_true(send_msg(f, DHCPV6_SOLICIT, M_CID | M_IAPD) > 0);
	assert_int_equal(f->rep.type, DHCPV6_ADVERTISE);
	assert_ia_status(f, DHCPV6_OPT_IA_PD, DHCPV6_ST_NO_PREFIX_AVAIL);
	/* §18.3.9: and NoAddrsAvail at the top, as nothing is offered. */
	assert_true(f->rep.present & DHCPV6_HAVE_STATUS);
	assert_int_equal(f->rep.status, DHCPV6_ST_NO_ADDRS_AVAIL);
	assert_true(send_msg(f, DHCPV6_REQUEST, M_CID | M_SID | M_IAPD) > 0);
	assert_ia_status(f, DHCPV6_OPT_IA_PD, DHCPV6_ST_NO_PREFIX_AVAIL);
	f->pool.empty = false;

	mk(f, &m, DHCPV6_REQUEST, M_CID | M_SID | M_IAPD);
	m.ia[1] = m.ia[0];
	m.ia[1].iaid = 2;
	m.nia = 2;
	assert_true(xchg(f, &m) > 0);
	assert_int_equal(f->rep.nia, 2);
	assert_int_equal(f->rep.ia[0].n, 1);
	assert_true(f->rep.ia[1].has_status);
	assert_int_equal(f->rep.ia[1].status, DHCPV6_ST_NO_PREFIX_AVAIL);

	/* Bound: another client on the link gets nothing. */
	assert_true(send_msg(f, DHCPV6_SOLICIT, M_CID | M_CL2 | M_IAPD) > 0);
	assert_ia_status(f, DHCPV6_OPT_IA_PD, DHCPV6_ST_NO_PREFIX_AVAIL);
	assert_int_equal(f->pool.allocs, 1);
}

/* An offer not taken up goes to whoever asks next on the link (a CPE that
 * restarted with a new DUID); a bound one does not. */
static void
test_offer_taken_over(void **state)
{
	struct fx *f = *state;

	assert_true(send_msg(f, DHCPV6_SOLICIT, M_CID | M_IAPD) > 0);
	assert_true(
	    send_msg(f, DHCPV6_REQUEST, M_CID | M_CL2 | M_SID | M_IAPD) > 0);
	assert_leased(f, 3600);
	assert_int_equal(f->pool.allocs, 1);
	assert_true(dhcpv6_duid_eq(&f->srv.client, &f->other_client));
}

/* The session ends with the prefix bound: destroy hands it back. */
static void
test_destroy_returns_lease(void **state)
{
	struct fx *f = *state;

	assert_true(send_msg(f, DHCPV6_SOLICIT, M_CID | M_IAPD | M_RC) > 0);
	assert_true(f->pool.out);
	dhcpv6_server_destroy(&f->srv);
	assert_false(f->pool.out);
	assert_int_equal(f->pool.unbinds, 1);
	/* An offered (not bound) prefix too. */
	assert_true(send_msg(f, DHCPV6_SOLICIT, M_CID | M_IAPD) > 0);
	assert_true(f->pool.out);
	dhcpv6_server_destroy(&f->srv);
	assert_false(f->pool.out);
	assert_int_equal(f->pool.releases, 2);
	assert_int_equal(f->pool.unbinds, 1);
}

/* A reply that does not fit the caller's buffer is not sent. */
static void
test_small_buffer(void **state)
{
	struct fx *f = *state;
	struct dhcpv6_msg m;
	uint8_t in[256], out[40];
	int n;

	mk(f, &m, DHCPV6_SOLICIT, M_CID | M_IAPD);
	n = dhcpv6_build(&m, in, sizeof(in));
	assert_int_equal(dhcpv6_server_input(&f->srv, in, (size_t)n, 0, out,
			     sizeof(out)),
	    0);
	assert_int_equal(f->srv.stats.drop[DHCPV6_DROP_NO_SPACE], 1);
}

/* A real client against this server: ISC dhclient 4.4.3 (Debian 12,
 * `dhclient -6 -P`, then `-r`) on a veth in a netns, answered by this
 * engine behind a UDP socket; dhclient bound 2001:db8:200:4200::/56 and
 * released it, and tshark decoded all six messages without an expert
 * warning.  The client's three messages go in; our answers must be, byte
 * for byte, the ones dhclient accepted. */
static const char *const dhclient_conv[][2] = {
	{ /* Solicit: Client ID (DUID-LLT), ORO, Elapsed, IA_PD 1 */
	    "01fd022d0001000e0001000132a4687102000000000100060008001700180027"
	    "001f0008000200000019000c0000000100000e1000001518",
	    /* Advertise: Client ID, Server ID (DUID-LL), IA_PD (T1 1800,
	     * T2 2880, IA Prefix 3600/7200 /56), DNS */
	    "02fd022d0001000e0001000132a468710200000000010002000a000300010276"
	    "70646e0100190029000000010000070800000b40001a001900000e1000001c20"
	    "3820010db80200420000000000000000000017001020010db800000000000000"
	    "0000000053" },
	{ /* Request: + Server ID, IA_PD with the offered prefix */
	    "03415c230001000e0001000132a468710200000000010002000a000300010276"
	    "70646e0100060008001700180027001f000800020000001900290000000100000e"
	    "1000001518001a001900001c2000001d4c3820010db802004200000000000000"
	    "0000",
	    "07415c230001000e0001000132a468710200000000010002000a000300010276"
	    "70646e0100190029000000010000070800000b40001a001900000e1000001c20"
	    "3820010db80200420000000000000000000017001020010db800000000000000"
	    "0000000053" },
	{ /* Release */
	    "083e21830001000e0001000132a468710200000000010002000a000300010276"
	    "70646e0100060008001700180027001f00080002000000190029000000010000"
	    "000000000000001a001900000000000000003820010db8020042000000000000"
	    "000000",
	    /* Reply: Status Success, DNS */
	    "073e21830001000e0001000132a468710200000000010002000a000300010276"
	    "70646e01000d000200000017001020010db8000000000000000000000053" },
};

static size_t
unhex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned v;

	for (; h[0] != '\0' && h[1] != '\0' && n < cap; h += 2) {
		assert_int_equal(sscanf(h, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
	}
	return n;
}

static void
test_dhclient_conversation(void **state)
{
	struct fx *f = *state;
	struct dhcpv6_server_config cfg = f->srv.cfg;
	uint8_t in[512], want[512];
	size_t i, n, wn, r;

	dhcpv6_server_destroy(&f->srv);
	memset(cfg.dns, 0, sizeof(cfg.dns));
	cfg.dns[0][0] = 0x20;
	cfg.dns[0][1] = 0x01;
	cfg.dns[0][2] = 0x0d;
	cfg.dns[0][3] = 0xb8;
	cfg.dns[0][15] = 0x53;
	cfg.rapid_commit = false;
	cfg.send_preference = false;
	dhcpv6_server_init(&f->srv, &cfg, &pool_ops, &f->pool);
	for (i = 0; i < sizeof(dhclient_conv) / sizeof(dhclient_conv[0]); i++) {
		n = unhex(dhclient_conv[i][0], in, sizeof(in));
		wn = unhex(dhclient_conv[i][1], want, sizeof(want));
		r = dhcpv6_server_input(&f->srv, in, n, 0, f->out,
		    sizeof(f->out));
		assert_int_equal(r, wn);
		assert_memory_equal(f->out, want, wn);
		if (i == 1)
			assert_non_null(dhcpv6_server_bound(&f->srv));
	}
	assert_null(dhcpv6_server_bound(&f->srv));
	assert_int_equal(f->pool.releases, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_solicit_request, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rapid_commit, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_renew_rebind, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_renew_rebind_unknown,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_renew_withdrawn, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_release, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_information_request, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_drop_rules, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_no_prefix, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_offer_taken_over, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_destroy_returns_lease,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_small_buffer, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dhclient_conversation,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
