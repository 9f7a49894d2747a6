/*
 * lns_acct_start.c — when an LNS session's accounting Start goes out (see
 * lns_acct_start.h).
 */
#include <string.h>

#include "core/timeutil.h"
#include "roles/lns_acct_start.h"

void
lns_acct_gate_init(struct lns_acct_gate *g, bool v6_offered)
{
	memset(g, 0, sizeof(*g));
	/* An NCP the LNS does not run has nothing to wait for. */
	g->v6_done = !v6_offered;
}

void
lns_acct_gate_ncp(struct lns_acct_gate *g, bool ipv6, bool opened, uint64_t now)
{
	if (ipv6)
		g->v6_done = true;
	else
		g->v4_done = true;
	if (opened && !g->any_up) {
		g->any_up = true;
		g->due_by = now + LNS_ACCT_START_WAIT_MS;
	}
}

bool
lns_acct_gate_due(const struct lns_acct_gate *g, uint64_t now)
{
	if (!g->any_up)
		return false;
	return (g->v4_done && g->v6_done) || now >= g->due_by;
}

uint64_t
lns_acct_gate_deadline(const struct lns_acct_gate *g)
{
	return g->any_up ? g->due_by : TIME_NEVER;
}
