/*
 * lac_common.h — what the LAC role's unit tests share (test_roles_lac.c,
 * test_roles_lac_ops.c): the configuration of two realms on the two
 * scripted LNSes of role_harness_lac.h and a host dialling in with PAP.
 * Include after <cmocka.h>.
 */
#ifndef VPDN_TESTS_UNIT_LAC_COMMON_H
#define VPDN_TESTS_UNIT_LAC_COMMON_H

#include "role_harness_lac.h"

/* Two realms on two LNSes (203.0.113.10 and .11, role_harness_lac.h). */
#define LAC_GLOBAL \
	"[global]\nhostname = lac.test\n\n" \
	"[lac]\npppoe-interface = eth0\nauth = pap\n"
#define REALM_A	   "[realm a.example]\nlns = 203.0.113.10\n\n"
#define REALM_B	   "[realm b.example]\nlns = 203.0.113.11\n\n"
#define TWO_REALMS LAC_GLOBAL "\n" REALM_A REALM_B

static inline struct rh_lac *
lac_new(const char *conf)
{
	return rh_lac_attach(rh_new(conf, NULL));
}

/* A host through discovery and PAP; the LAC then dials its LNS. */
static inline struct rh_host *
dial_pap(struct rh_lac *x, unsigned i, const char *user, const char *pass)
{
	struct rh_host *u = rh_host(x, i);

	assert_true(rh_host_discover(x, u));
	assert_true(rh_host_up_pap(x, u, user, pass));
	return u;
}

#endif
