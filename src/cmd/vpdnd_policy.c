/*
 * vpdnd_policy.c — the LNS policy in `show pool` and metrics
 * (vpdnd_policy.h).
 */
#include <inttypes.h>
#include <stdio.h>

#include "cmd/vpdnd_policy.h"
#include "ctl/table.h"
#include "roles/lns_peer.h"
#include "roles/switch.h"

void
vpdnd_policy_pools_json(const struct roles *r, struct json *j)
{
	struct roles_pool_view v;

	for (unsigned i = 0; roles_pool_get(r, i, &v); i++) {
		json_obj_begin(j);
		json_kv_str(j, "name", v.name);
		json_kv_u64(j, "size", v.size);
		json_kv_u64(j, "used", v.used);
		json_kv_u64(j, "free", v.free);
		json_kv_u64(j, "exhausted", v.exhausted);
		json_kv_bool(j, "removed", v.retired);
		json_obj_end(j);
	}
}

void
vpdnd_policy_pools_table(const struct roles *r, struct strbuf *out)
{
	static const struct table_col cols[] = {
		{ "POOL", TABLE_LEFT },
		{ "SIZE", TABLE_RIGHT },
		{ "USED", TABLE_RIGHT },
		{ "FREE", TABLE_RIGHT },
		{ "EXHAUSTED", TABLE_RIGHT },
	};
	struct roles_pool_view v;
	struct table t;
	char name[300];

	table_init(&t, cols, sizeof(cols) / sizeof(cols[0]));
	for (unsigned i = 0; roles_pool_get(r, i, &v); i++) {
		snprintf(name, sizeof(name), "%s%s", v.name,
		    v.retired ? " (removed)" : "");
		table_row(&t);
		table_cell(&t, name);
		table_cell_u64(&t, v.size);
		table_cell_u64(&t, v.used);
		table_cell_u64(&t, v.free);
		table_cell_u64(&t, v.exhausted);
	}
	table_render(&t, out);
	table_free(&t);
	strbuf_putc(out, '\n');
}

static void
family(struct strbuf *out, const char *name, const char *type, const char *help)
{
	strbuf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
	    type);
}

/* A label value, escaped as the exposition format asks (\\, \", \n). */
static void
label(struct strbuf *out, const char *metric, const char *key,
    const char *value, uint64_t v)
{
	strbuf_printf(out, "%s{%s=\"", metric, key);
	for (const char *c = value; *c != '\0'; c++) {
		if (*c == '\\' || *c == '"')
			strbuf_putc(out, '\\');
		if (*c == '\n') {
			strbuf_printf(out, "\\n");
			continue;
		}
		strbuf_putc(out, *c);
	}
	strbuf_printf(out, "\"} %" PRIu64 "\n", v);
}

void
vpdnd_policy_metrics(struct roles *r, struct strbuf *out)
{
	const struct lns_policy_stats *st = roles_policy_stats(r);
	struct roles_pool_view v;
	struct roles_peer_view p;
	static const struct {
		const char *name, *type, *help;
		int field; /* 0 size, 1 used, 2 free, 3 exhausted */
	} pf[] = {
		{ "vpdn_pool_size", "gauge", "Addresses in the pool.", 0 },
		{ "vpdn_pool_used", "gauge", "Addresses of the pool held.", 1 },
		{ "vpdn_pool_free", "gauge", "Addresses the pool can give.",
		    2 },
		{ "vpdn_pool_exhausted_total", "counter",
		    "Sessions refused because the pool was exhausted.", 3 },
	};

	if (st == NULL)
		return;
	for (size_t k = 0; k < sizeof(pf) / sizeof(pf[0]); k++) {
		family(out, pf[k].name, pf[k].type, pf[k].help);
		for (unsigned i = 0; roles_pool_get(r, i, &v); i++) {
			uint64_t x = pf[k].field == 0 ? v.size :
			    pf[k].field == 1	      ? v.used :
			    pf[k].field == 2	      ? v.free :
							v.exhausted;

			label(out, pf[k].name, "pool", v.name, x);
		}
	}
	family(out, "vpdn_peer_tunnels", "gauge",
	    "Tunnels accepted for each [peer].");
	for (unsigned i = 0; roles_peer_get(r, i, &p); i++)
		label(out, "vpdn_peer_tunnels", "peer", p.name, p.tunnels);
	family(out, "vpdn_peer_sessions", "gauge",
	    "Sessions over the tunnels of each [peer].");
	for (unsigned i = 0; roles_peer_get(r, i, &p); i++)
		label(out, "vpdn_peer_sessions", "peer", p.name, p.sessions);
	family(out, "vpdn_policy_refused_total", "counter",
	    "Tunnels and sessions the LNS policy refused, by reason.");
	strbuf_printf(out,
	    "vpdn_policy_refused_total{reason=\"unknown-peer\"} %" PRIu64 "\n"
	    "vpdn_policy_refused_total{reason=\"peer-max-tunnels\"} %" PRIu64
	    "\n"
	    "vpdn_policy_refused_total{reason=\"peer-max-sessions\"} %" PRIu64
	    "\n"
	    "vpdn_policy_refused_total{reason=\"user-limit\"} %" PRIu64 "\n"
	    "vpdn_policy_refused_total{reason=\"duplicate-login\"} %" PRIu64
	    "\n",
	    st->unknown_peer_refused, st->peer_tunnels_refused,
	    st->peer_sessions_refused, st->user_limit_refused,
	    st->duplicate_refused);
	family(out, "vpdn_duplicate_login_replaced_total", "counter",
	    "Older sessions ended by duplicate-login = replace.");
	strbuf_printf(out, "vpdn_duplicate_login_replaced_total %" PRIu64 "\n",
	    st->duplicate_replaced);
}

void
vpdnd_switch_metrics(struct roles *r, struct strbuf *out)
{
	const struct roles_switch_stats *st = roles_switch_stats(r);

	if (st == NULL)
		return;
	family(out, "vpdn_switch_calls", "gauge",
	    "Switched calls now (both halves count as one).");
	strbuf_printf(out, "vpdn_switch_calls %u\n", st->active);
	family(out, "vpdn_switch_calls_total", "counter",
	    "Calls from other LACs, by what the switch did with them.");
	strbuf_printf(out,
	    "vpdn_switch_calls_total{result=\"switched\"} %" PRIu64 "\n"
	    "vpdn_switch_calls_total{result=\"connected\"} %" PRIu64 "\n"
	    "vpdn_switch_calls_total{result=\"no-lns\"} %" PRIu64 "\n"
	    "vpdn_switch_calls_total{result=\"refused\"} %" PRIu64 "\n",
	    st->switched, st->connected, st->no_lns, st->refused);
	family(out, "vpdn_switch_early_drops_total", "counter",
	    "Data messages of a switched call dropped before both halves "
	    "were up.");
	strbuf_printf(out, "vpdn_switch_early_drops_total %" PRIu64 "\n",
	    st->early_drop);
}
