/*
 * lns_common.h — what the LNS role's unit tests share (test_roles_lns.c,
 * test_roles_lns_acct.c, test_roles_lns_reload.c): the addresses their
 * configurations use, the pool's use count and a call brought up with
 * PAP by a scripted LAC of role_harness.h.  Include after <cmocka.h>.
 */
#ifndef VPDN_TESTS_UNIT_LNS_COMMON_H
#define VPDN_TESTS_UNIT_LNS_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "role_harness.h"

#define POOL_FIRST 0x0a09000au /* 10.9.0.10 */
#define OUTSIDE	   0xc0000263u /* 192.0.2.99, beyond the TUN */

/* The addresses of the first pool in use; its first address in *first
 * when first is not NULL. */
static inline uint32_t
pool_used_from(struct role_harness *h, uint32_t *first)
{
	uint32_t f, last, used;
	const char *pool;

	assert_true(roles_pool_range(h->r, 0, &pool, first != NULL ? first : &f,
	    &last, &used));
	return used;
}

static inline uint32_t
pool_used(struct role_harness *h)
{
	return pool_used_from(h, NULL);
}

/* A call on p brought up as user: the call, its address in *a (0 when
 * IPCP did not come up). */
static inline struct rh_call *
call_up(struct role_harness *h, struct rh_peer *p, const char *user,
    const char *pass, uint32_t *a)
{
	struct rh_call *c = rh_call_open(h, p);

	assert_non_null(c);
	*a = rh_ppp_up_pap(h, p, c, user, pass);
	return c;
}

#endif
