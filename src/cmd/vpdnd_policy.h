/*
 * vpdnd_policy.h — how the daemon shows the LNS policy: the pools of
 * `vpdnctl show pool` and the policy's Prometheus families (pools, peers,
 * refusals), from the roles' views (roles/roles.h).
 */
#ifndef VPDN_CMD_VPDND_POLICY_H
#define VPDN_CMD_VPDND_POLICY_H

#include "ctl/json.h"
#include "ctl/strbuf.h"
#include "roles/roles.h"

/* {"name","size","used","free","exhausted","removed"} per pool, into the
 * JSON array being written. */
void vpdnd_policy_pools_json(const struct roles *r, struct json *j);
/* The same as a table (POOL SIZE USED FREE EXHAUSTED) appended to out. */
void vpdnd_policy_pools_table(const struct roles *r, struct strbuf *out);
/* The metrics families. */
void vpdnd_policy_metrics(struct roles *r, struct strbuf *out);
/* With [switch]: the switched calls (roles/switch.h). */
void vpdnd_switch_metrics(struct roles *r, struct strbuf *out);

#endif
