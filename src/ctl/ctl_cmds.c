/*
 * ctl_cmds.c — the control commands: one table row per command, each
 * rendering either a table for people or one JSON document (INTERFACE.md,
 * "JSON of show tunnels/sessions").  Keys may be added, never renamed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bsd/string.h>

#include "core/log.h"
#include "core/secstats.h"
#include "ctl/ctl_cmds.h"
#include "ctl/json.h"
#include "ctl/table.h"
#include "l2tp/l2tp.h"

#define USAGE_PREFIX "usage: "

void
ctl_reply_init(struct ctl_reply *r)
{
	strbuf_init(&r->body);
	r->error[0] = '\0';
}

void
ctl_reply_free(struct ctl_reply *r)
{
	strbuf_free(&r->body);
}

int
ctl_reply_err(struct ctl_reply *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
	if (r->error[0] == '\0')
		strlcpy(r->error, "failed", sizeof(r->error));
	return -1;
}

struct ctl_cmd {
	const char *verb;
	const char *object; /* NULL: one-word command */
	int (*fn)(const struct ctl_ctx *c, const struct ctl_cmd *cmd, int argc,
	    char **argv, uint64_t now, struct ctl_reply *r);
	const char *usage;
};

static int
usage_err(const struct ctl_cmd *cmd, struct ctl_reply *r)
{
	return ctl_reply_err(r, USAGE_PREFIX "%s", cmd->usage);
}

/* Accepts an empty argument list or exactly "--json". */
static int
parse_json_flag(const struct ctl_cmd *cmd, int argc, char **argv, bool *json,
    struct ctl_reply *r)
{
	*json = false;
	if (argc == 0)
		return 0;
	if (argc == 1 && strcmp(argv[0], "--json") == 0) {
		*json = true;
		return 0;
	}
	return usage_err(cmd, r);
}

/* A tunnel or session ID: decimal 1..65535 (0 is never assigned, §3.1). */
static int
parse_id(const char *s, uint16_t *id)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v == 0 || v > UINT16_MAX)
		return -1;
	*id = (uint16_t)v;
	return 0;
}

static uint64_t
uptime_s(uint64_t now, uint64_t created_ms)
{
	return now > created_ms ? (now - created_ms) / 1000 : 0;
}

static int
body_done(struct ctl_reply *r)
{
	if (r->body.err)
		return ctl_reply_err(r, "reply too large or out of memory");
	return 0;
}

/* ---- show tunnels ---- */

struct tunnel_walk {
	struct json *j;
	struct table *t;
	uint64_t now;
};

static void
show_tunnel_one(struct l2tp_tunnel *tun, void *arg)
{
	struct tunnel_walk *w = arg;
	struct l2tp_tunnel_info ti;
	char peer[80];

	l2tp_tunnel_get_info(tun, &ti);
	l2tp_addr_str(&ti.peer, peer, sizeof(peer));
	if (w->j != NULL) {
		struct json *j = w->j;

		json_obj_begin(j);
		json_kv_u64(j, "local_id", ti.local_id);
		json_kv_u64(j, "peer_id", ti.peer_id);
		json_kv_str(j, "peer", peer);
		json_kv_str(j, "peer_hostname", ti.peer_hostname);
		/* The [peer] section that accepted it ("" none). */
		json_kv_str(j, "matched_peer", ti.peer_entry);
		json_kv_str(j, "role", l2tp_role_str(ti.role));
		json_kv_str(j, "state", l2tp_tunnel_state_str(ti.state));
		json_kv_u64(j, "sessions", ti.sessions);
		json_kv_u64(j, "tx_ctrl", ti.tx_ctrl);
		json_kv_u64(j, "rx_ctrl", ti.rx_ctrl);
		json_kv_u64(j, "retransmits", ti.retransmits);
		json_kv_u64(j, "uptime_s", uptime_s(w->now, ti.created_ms));
		json_obj_end(j);
	} else {
		struct table *t = w->t;

		table_row(t);
		table_cell_u64(t, ti.local_id);
		table_cell_u64(t, ti.peer_id);
		table_cell(t, peer);
		table_cell(t, ti.peer_hostname);
		table_cell(t, ti.peer_entry[0] ? ti.peer_entry : "-");
		table_cell(t, l2tp_role_str(ti.role));
		table_cell(t, l2tp_tunnel_state_str(ti.state));
		table_cell_u64(t, ti.sessions);
		table_cell_u64(t, ti.tx_ctrl);
		table_cell_u64(t, ti.rx_ctrl);
		table_cell_u64(t, ti.retransmits);
		table_cell_u64(t, uptime_s(w->now, ti.created_ms));
	}
}

/*
 * `show tunnels` and `show sessions`: walk every tunnel with `each`, which
 * appends rows to whichever output the walk points at (*wj for --json, *wt
 * for the table); renders {"KEY":[...]} or the table into the reply.
 */
static int
render_walk(const struct ctl_ctx *c, bool json, const char *key,
    const struct table_col *cols, unsigned ncols,
    void (*each)(struct l2tp_tunnel *, void *), void *w, struct json **wj,
    struct table **wt, struct ctl_reply *r)
{
	struct json j;
	struct table t;
	bool ok;

	if (json) {
		json_init(&j, &r->body);
		*wj = &j;
		json_obj_begin(&j);
		json_key(&j, key);
		json_arr_begin(&j);
		if (c->host != NULL)
			l2tp_host_foreach_tunnel(c->host, each, w);
		json_arr_end(&j);
		json_obj_end(&j);
		strbuf_putc(&r->body, '\n');
		*wj = NULL;
		if (!json_finish(&j))
			return ctl_reply_err(r, "cannot render JSON");
		return body_done(r);
	}
	table_init(&t, cols, ncols);
	*wt = &t;
	if (c->host != NULL)
		l2tp_host_foreach_tunnel(c->host, each, w);
	*wt = NULL;
	ok = table_render(&t, &r->body);
	table_free(&t);
	if (!ok)
		return ctl_reply_err(r, "cannot render table");
	return body_done(r);
}

static const struct table_col tunnel_cols[] = {
	{ "ID", TABLE_RIGHT },
	{ "PEER-ID", TABLE_RIGHT },
	{ "PEER", TABLE_LEFT },
	{ "HOSTNAME", TABLE_LEFT },
	{ "MATCHED-PEER", TABLE_LEFT },
	{ "ROLE", TABLE_LEFT },
	{ "STATE", TABLE_LEFT },
	{ "SESS", TABLE_RIGHT },
	{ "TX-CTRL", TABLE_RIGHT },
	{ "RX-CTRL", TABLE_RIGHT },
	{ "RETX", TABLE_RIGHT },
	{ "UPTIME", TABLE_RIGHT },
};

static int
cmd_show_tunnels(const struct ctl_ctx *c, const struct ctl_cmd *cmd, int argc,
    char **argv, uint64_t now, struct ctl_reply *r)
{
	struct tunnel_walk w = { .now = now };
	bool json;

	if (parse_json_flag(cmd, argc, argv, &json, r) < 0)
		return -1;
	return render_walk(c, json, "tunnels", tunnel_cols,
	    sizeof(tunnel_cols) / sizeof(tunnel_cols[0]), show_tunnel_one, &w,
	    &w.j, &w.t, r);
}

/* ---- show sessions ---- */

struct session_walk {
	const struct ctl_ctx *c;
	struct json *j;
	struct table *t;
	uint64_t now;
	enum l2tp_role role; /* of the tunnel being walked */
	unsigned count;
};

static void
session_extra(const struct ctl_ctx *c, struct l2tp_session *s,
    struct ctl_session_extra *x)
{
	memset(x, 0, sizeof(*x));
	strlcpy(x->ppp_phase, "dead", sizeof(x->ppp_phase));
	if (c->hooks.describe_session != NULL) {
		c->hooks.describe_session(c->hooks.arg, s, x);
		/* A careless hook must not make us read past a field. */
		x->user[sizeof(x->user) - 1] = '\0';
		x->ppp_phase[sizeof(x->ppp_phase) - 1] = '\0';
		x->address[sizeof(x->address) - 1] = '\0';
		x->interface[sizeof(x->interface) - 1] = '\0';
		x->ipv6_prefix[sizeof(x->ipv6_prefix) - 1] = '\0';
		x->delegated_prefix[sizeof(x->delegated_prefix) - 1] = '\0';
		x->path[sizeof(x->path) - 1] = '\0';
	}
	if (x->path[0] == '\0')
		strlcpy(x->path, "user", sizeof(x->path));
}

/* "access_line": { "circuit_id": "...", "actual_rate_up": bps, ...,
 * "access_loop_encapsulation": "010102" } — the keys of
 * access_line_fields, those present only. */
static void
json_access_line(struct json *j, const struct access_line *al)
{
	json_key(j, "access_line");
	json_obj_begin(j);
	for (size_t i = 0; i < ACCESS_LINE_NFIELDS; i++) {
		const struct access_line_desc *d = &access_line_fields[i];
		char hex[7];

		if (!access_line_has(al, d->field))
			continue;
		switch (d->kind) {
		case ACCESS_LINE_TEXT:
			json_kv_str(j, d->key, access_line_text(al, d->field));
			break;
		case ACCESS_LINE_RATE:
		case ACCESS_LINE_DELAY:
			json_kv_u64(j, d->key, al->num[d->field]);
			break;
		case ACCESS_LINE_ENCAPS:
			snprintf(hex, sizeof(hex), "%02x%02x%02x",
			    al->encaps[0], al->encaps[1], al->encaps[2]);
			json_kv_str(j, d->key, hex);
			break;
		default:
			break;
		}
	}
	json_obj_end(j);
}

static void
show_session_one(struct l2tp_session *s, void *arg)
{
	struct session_walk *w = arg;
	struct l2tp_session_info si;
	struct ctl_session_extra x;

	l2tp_session_get_info(s, &si);
	session_extra(w->c, s, &x);
	/* What the kernel fast path carried counts as the session's own. */
	si.rx_packets += x.fp_rx_packets;
	si.tx_packets += x.fp_tx_packets;
	si.rx_bytes += x.fp_rx_bytes;
	si.tx_bytes += x.fp_tx_bytes;
	w->count++;
	if (w->j != NULL) {
		struct json *j = w->j;

		json_obj_begin(j);
		json_kv_u64(j, "tunnel_local_id", si.tunnel_local_id);
		json_kv_u64(j, "local_id", si.local_id);
		json_kv_u64(j, "peer_id", si.peer_id);
		json_kv_str(j, "user", x.user);
		json_kv_str(j, "role", l2tp_role_str(w->role));
		json_kv_str(j, "state", l2tp_session_state_str(si.state));
		json_kv_str(j, "ppp_phase", x.ppp_phase);
		json_kv_str(j, "address", x.address);
		json_kv_str(j, "interface", x.interface);
		json_kv_str(j, "path", x.path);
		json_kv_str(j, "ipv6_prefix", x.ipv6_prefix);
		json_kv_str(j, "delegated_prefix", x.delegated_prefix);
		json_kv_u64(j, "rx_packets", si.rx_packets);
		json_kv_u64(j, "tx_packets", si.tx_packets);
		json_kv_u64(j, "rx_bytes", si.rx_bytes);
		json_kv_u64(j, "tx_bytes", si.tx_bytes);
		json_kv_u64(j, "uptime_s", uptime_s(w->now, si.created_ms));
		json_kv_str(j, "rate_plan", x.rate_plan);
		json_kv_u64(j, "rate_down_bps", x.rate_down_bps);
		json_kv_u64(j, "rate_up_bps", x.rate_up_bps);
		json_kv_u64(j, "policer_dropped_up_packets",
		    x.police_up_drop_packets);
		json_kv_u64(j, "policer_dropped_up_bytes",
		    x.police_up_drop_bytes);
		json_kv_u64(j, "policer_dropped_down_packets",
		    x.police_down_drop_packets);
		json_kv_u64(j, "policer_dropped_down_bytes",
		    x.police_down_drop_bytes);
		if (x.access_line.present != 0)
			json_access_line(j, &x.access_line);
		/* a switched call's other half (roles/switch.h) */
		json_key(j, "switched_to");
		if (x.switched_session != 0) {
			json_obj_begin(j);
			json_kv_u64(j, "tunnel_local_id", x.switched_tunnel);
			json_kv_u64(j, "local_id", x.switched_session);
			json_obj_end(j);
		} else {
			json_null(j);
		}
		json_obj_end(j);
	} else {
		struct table *t = w->t;
		const char *cid;

		table_row(t);
		table_cell_u64(t, si.tunnel_local_id);
		table_cell_u64(t, si.local_id);
		table_cell_u64(t, si.peer_id);
		table_cell(t, x.user);
		table_cell(t, l2tp_role_str(w->role));
		table_cell(t, l2tp_session_state_str(si.state));
		table_cell(t, x.ppp_phase);
		table_cell(t, x.address);
		table_cell(t, x.interface);
		table_cell(t, x.path);
		table_cell_u64(t, si.rx_packets);
		table_cell_u64(t, si.tx_packets);
		table_cell_u64(t, si.rx_bytes);
		table_cell_u64(t, si.tx_bytes);
		table_cell_u64(t, uptime_s(w->now, si.created_ms));
		table_cell(t, x.rate_plan[0] != '\0' ? x.rate_plan : "-");
		table_cell_u64(t,
		    x.police_up_drop_bytes + x.police_down_drop_bytes);
		cid = access_line_text(&x.access_line, ACCESS_LINE_CIRCUIT_ID);
		/* "-" for none, as every other cell: an empty cell would
		 * shift the columns scripts count (INTERFACE.md). */
		table_cell(t, cid[0] != '\0' ? cid : "-");
		table_cell(t,
		    x.delegated_prefix[0] != '\0' ? x.delegated_prefix : "-");
		table_cell(t, x.ipv6_prefix[0] != '\0' ? x.ipv6_prefix : "-");
		if (x.switched_session != 0) {
			char b[16];

			snprintf(b, sizeof(b), "%u/%u", x.switched_tunnel,
			    x.switched_session);
			table_cell(t, b);
		} else {
			table_cell(t, "-");
		}
	}
}

static void
show_sessions_tunnel(struct l2tp_tunnel *tun, void *arg)
{
	struct session_walk *w = arg;
	struct l2tp_tunnel_info ti;

	l2tp_tunnel_get_info(tun, &ti);
	w->role = ti.role;
	l2tp_tunnel_foreach_session(tun, show_session_one, w);
}

static const struct table_col session_cols[] = {
	{ "TUNNEL", TABLE_RIGHT },
	{ "ID", TABLE_RIGHT },
	{ "PEER-ID", TABLE_RIGHT },
	{ "USER", TABLE_LEFT },
	{ "ROLE", TABLE_LEFT },
	{ "STATE", TABLE_LEFT },
	{ "PPP", TABLE_LEFT },
	{ "ADDRESS", TABLE_LEFT },
	{ "INTERFACE", TABLE_LEFT },
	{ "PATH", TABLE_LEFT },
	{ "RX-PKTS", TABLE_RIGHT },
	{ "TX-PKTS", TABLE_RIGHT },
	{ "RX-BYTES", TABLE_RIGHT },
	{ "TX-BYTES", TABLE_RIGHT },
	{ "UPTIME", TABLE_RIGHT },
	{ "RATE-PLAN", TABLE_LEFT },
	{ "DROPPED", TABLE_RIGHT },
	{ "CIRCUIT-ID", TABLE_LEFT },
	{ "DELEGATED", TABLE_LEFT },
	{ "IPV6-PREFIX", TABLE_LEFT },
	{ "SWITCHED-TO", TABLE_LEFT },
};

static int
cmd_show_sessions(const struct ctl_ctx *c, const struct ctl_cmd *cmd, int argc,
    char **argv, uint64_t now, struct ctl_reply *r)
{
	struct session_walk w = { .c = c, .now = now };
	bool json;

	if (parse_json_flag(cmd, argc, argv, &json, r) < 0)
		return -1;
	return render_walk(c, json, "sessions", session_cols,
	    sizeof(session_cols) / sizeof(session_cols[0]),
	    show_sessions_tunnel, &w, &w.j, &w.t, r);
}

/* ---- show stats ---- */

struct count_walk {
	unsigned sessions;
};

static void
count_session(struct l2tp_session *s, void *arg)
{
	struct count_walk *w = arg;

	(void)s;
	w->sessions++;
}

static void
count_tunnel(struct l2tp_tunnel *t, void *arg)
{
	l2tp_tunnel_foreach_session(t, count_session, arg);
}

static void
stats_json_results(struct json *j, const char *key,
    const char *(*name)(uint16_t), const uint64_t *sent, const uint64_t *rcvd,
    unsigned n)
{
	unsigned i;

	json_key(j, key);
	json_arr_begin(j);
	for (i = 1; i < n; i++) {
		json_obj_begin(j);
		json_kv_u64(j, "result", i);
		json_kv_str(j, "name", name((uint16_t)i));
		json_kv_u64(j, "sent", sent[i]);
		json_kv_u64(j, "rcvd", rcvd[i]);
		json_obj_end(j);
	}
	json_arr_end(j);
}

static void
stats_table_results(struct strbuf *out, const char *title,
    const char *(*name)(uint16_t), const uint64_t *sent, const uint64_t *rcvd,
    unsigned n, bool *ok)
{
	static const struct table_col cols[] = {
		{ NULL, TABLE_RIGHT },
		{ "NAME", TABLE_LEFT },
		{ "SENT", TABLE_RIGHT },
		{ "RCVD", TABLE_RIGHT },
	};
	struct table_col c[4];
	struct table t;
	unsigned i;

	memcpy(c, cols, sizeof(c));
	c[0].title = title;
	table_init(&t, c, 4);
	for (i = 1; i < n; i++) {
		table_row(&t);
		table_cell_u64(&t, i);
		table_cell(&t, name((uint16_t)i));
		table_cell_u64(&t, sent[i]);
		table_cell_u64(&t, rcvd[i]);
	}
	strbuf_putc(out, '\n');
	if (!table_render(&t, out))
		*ok = false;
	table_free(&t);
}

/*
 * The flat counter groups of `show stats` (L2TP drops, TUN, security
 * events, the PPPoE access concentrator and its drops): each is a list of
 * named values, shown as one JSON object and one two-column table, so a
 * group is collected once and rendered by the same two functions.
 */
struct counter_row {
	const char *name;
	uint64_t v;
};

/* The largest group: PPPoE's counters or its drops, L2TP's drops. */
#define COUNTER_ROWS_MAX 32
_Static_assert(L2TP_DROP__COUNT <= COUNTER_ROWS_MAX, "L2TP drops");
_Static_assert(SECSTAT__COUNT <= COUNTER_ROWS_MAX, "security events");
_Static_assert(PPPOE_SRV_DROP_MAX <= COUNTER_ROWS_MAX, "PPPoE drops");

static void
counters_json(struct json *j, const char *key, const struct counter_row *rows,
    unsigned n)
{
	json_key(j, key);
	json_obj_begin(j);
	for (unsigned i = 0; i < n; i++)
		json_kv_u64(j, rows[i].name, rows[i].v);
	json_obj_end(j);
}

/* Appends the rows to `t`, a two-column table begun by the caller (the
 * PPPoE table holds two groups). */
static void
counters_rows(struct table *t, const char *prefix,
    const struct counter_row *rows, unsigned n)
{
	char name[64];

	for (unsigned i = 0; i < n; i++) {
		table_row(t);
		if (prefix != NULL) {
			(void)snprintf(name, sizeof(name), "%s%s", prefix,
			    rows[i].name);
			table_cell(t, name);
		} else {
			table_cell(t, rows[i].name);
		}
		table_cell_u64(t, rows[i].v);
	}
}

static void
counters_table(struct strbuf *out, const char *name_title,
    const char *value_title, const struct counter_row *rows, unsigned n,
    bool *ok)
{
	const struct table_col cols[] = {
		{ name_title, TABLE_LEFT },
		{ value_title, TABLE_RIGHT },
	};
	struct table t;

	table_init(&t, cols, 2);
	counters_rows(&t, NULL, rows, n);
	strbuf_putc(out, '\n');
	if (!table_render(&t, out))
		*ok = false;
	table_free(&t);
}

static unsigned
l2tp_drop_rows(const struct l2tp_host_stats *st, struct counter_row *rows)
{
	unsigned n = 0;

	for (unsigned i = 0; i < L2TP_DROP__COUNT; i++)
		rows[n++] = (struct counter_row){
			l2tp_drop_str((enum l2tp_drop)i), st->drops[i]
		};
	return n;
}

/* The TUN counters, in `show stats` order, by their JSON/table names. */
static unsigned
tun_rows(const struct ctl_tun_stats *ts, struct counter_row *rows)
{
	unsigned n = 0;

	rows[n++] = (struct counter_row){ "kernel-tx-dropped",
		ts->kernel_tx_dropped };
	rows[n++] = (struct counter_row){ "kernel-rx-dropped",
		ts->kernel_rx_dropped };
	rows[n++] = (struct counter_row){ "write-full", ts->write_full };
	rows[n++] = (struct counter_row){ "write-errors", ts->write_errors };
	rows[n++] = (struct counter_row){ "isolated", ts->isolated };
	return n;
}

/* IPv6 for LNS subscribers (lns_ipv6.h), by their JSON/table names. */
static unsigned
ipv6_rows(const struct ctl_tun_stats *ts, struct counter_row *rows)
{
	unsigned n = 0;

	rows[n++] = (struct counter_row){ "rx-packets", ts->ipv6_rx_packets };
	rows[n++] = (struct counter_row){ "tx-packets", ts->ipv6_tx_packets };
	rows[n++] = (struct counter_row){ "spoofed", ts->ipv6_spoofed };
	rows[n++] = (struct counter_row){ "malformed", ts->ipv6_bad };
	rows[n++] = (struct counter_row){ "to-lns", ts->ipv6_to_lns };
	rows[n++] = (struct counter_row){ "no-session", ts->ipv6_no_session };
	rows[n++] = (struct counter_row){ "rs", ts->ipv6_rs };
	rows[n++] = (struct counter_row){ "rs-invalid", ts->ipv6_rs_invalid };
	rows[n++] = (struct counter_row){ "ra", ts->ipv6_ra };
	rows[n++] = (struct counter_row){ "no-prefix", ts->ipv6_no_prefix };
	rows[n++] = (struct counter_row){ "pool-size", ts->ipv6_pool_size };
	rows[n++] = (struct counter_row){ "pool-used", ts->ipv6_pool_used };
	rows[n++] = (struct counter_row){ "dhcpv6-rx", ts->dhcpv6_rx };
	rows[n++] = (struct counter_row){ "dhcpv6-tx", ts->dhcpv6_tx };
	rows[n++] = (struct counter_row){ "dhcpv6-dropped",
		ts->dhcpv6_dropped };
	rows[n++] = (struct counter_row){ "dhcpv6-invalid", ts->dhcpv6_bad };
	rows[n++] = (struct counter_row){ "pd-no-prefix", ts->pd_no_prefix };
	rows[n++] = (struct counter_row){ "pd-pool-size", ts->pd_pool_size };
	rows[n++] = (struct counter_row){ "pd-pool-used", ts->pd_pool_used };
	return n;
}

static unsigned
security_rows(struct counter_row *rows)
{
	unsigned n = 0;

	for (unsigned i = 0; i < SECSTAT__COUNT; i++)
		rows[n++] = (struct counter_row){ secstat_str((enum secstat)i),
			secstat_get((enum secstat)i) };
	return n;
}

void
ctl_get_tun_stats(const struct ctl_ctx *c, struct ctl_tun_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (c->hooks.tun_stats != NULL)
		c->hooks.tun_stats(c->hooks.arg, out);
}

/* The PPPoE access concentrator's counters, one name each (JSON keys and
 * table rows alike). */
static unsigned
pppoe_rows(const struct ctl_pppoe_stats *p, struct counter_row *rows)
{
	const struct pppoe_server_stats *st = &p->st;
	unsigned n = 0;

	rows[n++] = (struct counter_row){ "sessions", p->sessions };
	rows[n++] = (struct counter_row){ "padi_rx", st->padi_rx };
	rows[n++] = (struct counter_row){ "pado_tx", st->pado_tx };
	rows[n++] = (struct counter_row){ "padr_rx", st->padr_rx };
	rows[n++] = (struct counter_row){ "pads_tx", st->pads_tx };
	rows[n++] = (struct counter_row){ "pads_refused", st->pads_refused };
	rows[n++] = (struct counter_row){ "padt_rx", st->padt_rx };
	rows[n++] = (struct counter_row){ "padt_tx", st->padt_tx };
	rows[n++] = (struct counter_row){ "refused_mac_limit",
		st->refused_mac_limit };
	rows[n++] = (struct counter_row){ "access_line_malformed",
		st->access_line_malformed };
	return n;
}

/* Its drops, by pppoe_srv_drop_name(). */
static unsigned
pppoe_drop_rows(const struct ctl_pppoe_stats *p, struct counter_row *rows)
{
	unsigned n = 0;

	for (unsigned i = 0; i < PPPOE_SRV_DROP_MAX; i++)
		rows[n++] = (struct counter_row){ pppoe_srv_drop_name(
						      (enum pppoe_srv_drop)i),
			p->st.drops[i] };
	return n;
}

static void
stats_json_pppoe(struct json *j, const struct ctl_pppoe_stats *p)
{
	struct counter_row rows[COUNTER_ROWS_MAX];
	unsigned n = pppoe_rows(p, rows);

	json_key(j, "pppoe");
	json_obj_begin(j);
	for (unsigned i = 0; i < n; i++)
		json_kv_u64(j, rows[i].name, rows[i].v);
	n = pppoe_drop_rows(p, rows);
	counters_json(j, "drops", rows, n);
	json_obj_end(j);
}

/* One table: the counters, then "drop NAME" rows. */
static void
stats_table_pppoe(struct strbuf *out, const struct ctl_pppoe_stats *p, bool *ok)
{
	static const struct table_col cols[] = {
		{ "PPPOE", TABLE_LEFT },
		{ "COUNT", TABLE_RIGHT },
	};
	struct counter_row rows[COUNTER_ROWS_MAX];
	struct table t;

	table_init(&t, cols, 2);
	counters_rows(&t, NULL, rows, pppoe_rows(p, rows));
	counters_rows(&t, "drop ", rows, pppoe_drop_rows(p, rows));
	strbuf_putc(out, '\n');
	if (!table_render(&t, out))
		*ok = false;
	table_free(&t);
}

static int
cmd_show_stats(const struct ctl_ctx *c, const struct ctl_cmd *cmd, int argc,
    char **argv, uint64_t now, struct ctl_reply *r)
{
	static const struct l2tp_host_stats zero;
	static const struct table_col cols[] = {
		{ "COUNTER", TABLE_LEFT },
		{ "TUNNELS", TABLE_RIGHT },
		{ "SESSIONS", TABLE_RIGHT },
	};
	struct counter_row drops[COUNTER_ROWS_MAX], tun[COUNTER_ROWS_MAX];
	struct counter_row sec[COUNTER_ROWS_MAX];
	struct counter_row v6[COUNTER_ROWS_MAX];
	unsigned ndrops, ntun, nsec, nv6;
	struct ctl_tun_stats ts;
	const struct l2tp_host_stats *st = &zero;
	struct count_walk cw = { 0 };
	struct ctl_pppoe_stats pp;
	unsigned tunnels = 0;
	struct json j;
	struct table t;
	bool json, ok = true, have_pppoe;

	(void)now;
	if (parse_json_flag(cmd, argc, argv, &json, r) < 0)
		return -1;
	memset(&pp, 0, sizeof(pp));
	have_pppoe = c->hooks.pppoe_stats != NULL &&
	    c->hooks.pppoe_stats(c->hooks.arg, &pp);
	if (c->host != NULL) {
		st = l2tp_host_stats(c->host);
		tunnels = l2tp_host_tunnel_count(c->host);
		l2tp_host_foreach_tunnel(c->host, count_tunnel, &cw);
	}
	ctl_get_tun_stats(c, &ts);
	ndrops = l2tp_drop_rows(st, drops);
	ntun = tun_rows(&ts, tun);
	nv6 = ts.ipv6 ? ipv6_rows(&ts, v6) : 0;
	nsec = security_rows(sec);
	if (json) {
		json_init(&j, &r->body);
		json_obj_begin(&j);
		json_key(&j, "tunnels");
		json_obj_begin(&j);
		json_kv_u64(&j, "active", tunnels);
		json_kv_u64(&j, "created", st->tunnels_created);
		json_kv_u64(&j, "established", st->tunnels_established);
		json_kv_u64(&j, "closed", st->tunnels_closed);
		json_obj_end(&j);
		json_key(&j, "sessions");
		json_obj_begin(&j);
		json_kv_u64(&j, "active", cw.sessions);
		json_kv_u64(&j, "created", st->sessions_created);
		json_kv_u64(&j, "established", st->sessions_established);
		json_kv_u64(&j, "closed", st->sessions_closed);
		json_obj_end(&j);
		counters_json(&j, "drops", drops, ndrops);
		stats_json_results(&j, "stopccn", l2tp_stopccn_result_token,
		    st->stopccn_sent, st->stopccn_rcvd, L2TP_STOPCCN_NCODES);
		stats_json_results(&j, "cdn", l2tp_cdn_result_token,
		    st->cdn_sent, st->cdn_rcvd, L2TP_CDN_NCODES);
		counters_json(&j, "tun", tun, ntun);
		if (nv6 > 0)
			counters_json(&j, "ipv6", v6, nv6);
		if (have_pppoe)
			stats_json_pppoe(&j, &pp);
		counters_json(&j, "security", sec, nsec);
		json_obj_end(&j);
		strbuf_putc(&r->body, '\n');
		if (!json_finish(&j))
			return ctl_reply_err(r, "cannot render JSON");
		return body_done(r);
	}

	table_init(&t, cols, 3);
	table_row(&t);
	table_cell(&t, "active");
	table_cell_u64(&t, tunnels);
	table_cell_u64(&t, cw.sessions);
	table_row(&t);
	table_cell(&t, "created");
	table_cell_u64(&t, st->tunnels_created);
	table_cell_u64(&t, st->sessions_created);
	table_row(&t);
	table_cell(&t, "established");
	table_cell_u64(&t, st->tunnels_established);
	table_cell_u64(&t, st->sessions_established);
	table_row(&t);
	table_cell(&t, "closed");
	table_cell_u64(&t, st->tunnels_closed);
	table_cell_u64(&t, st->sessions_closed);
	ok = table_render(&t, &r->body);
	table_free(&t);

	counters_table(&r->body, "DROP-REASON", "PACKETS", drops, ndrops, &ok);
	stats_table_results(&r->body, "STOPCCN", l2tp_stopccn_result_token,
	    st->stopccn_sent, st->stopccn_rcvd, L2TP_STOPCCN_NCODES, &ok);
	stats_table_results(&r->body, "CDN", l2tp_cdn_result_token,
	    st->cdn_sent, st->cdn_rcvd, L2TP_CDN_NCODES, &ok);
	counters_table(&r->body, "TUN", "PACKETS", tun, ntun, &ok);
	if (nv6 > 0)
		counters_table(&r->body, "IPV6", "COUNT", v6, nv6, &ok);
	counters_table(&r->body, "SECURITY-EVENT", "COUNT", sec, nsec, &ok);
	if (have_pppoe)
		stats_table_pppoe(&r->body, &pp, &ok);
	if (!ok)
		return ctl_reply_err(r, "cannot render table");
	return body_done(r);
}

/* ---- disconnect ---- */

static int
cmd_disconnect_tunnel(const struct ctl_ctx *c, const struct ctl_cmd *cmd,
    int argc, char **argv, uint64_t now, struct ctl_reply *r)
{
	struct l2tp_tunnel_info ti;
	struct l2tp_tunnel *t;
	uint16_t id;

	if (argc != 1 || parse_id(argv[0], &id) < 0)
		return usage_err(cmd, r);
	if (c->host == NULL || (t = l2tp_host_find_tunnel(c->host, id)) == NULL)
		return ctl_reply_err(r, "no tunnel %u", id);
	l2tp_tunnel_get_info(t, &ti);
	if (ti.state == L2TP_TUNNEL_CLOSING)
		return ctl_reply_err(r, "tunnel %u is already closing", id);
	/* RFC 2661 §4.4.2: StopCCN Result Code 1, "General request to clear
	 * control connection" — an operator's request, not an error. */
	log_info("ctl: disconnecting tunnel %u", id);
	l2tp_tunnel_close(t, L2TP_STOPCCN_GENERAL, L2TP_ERR_NONE,
	    "administrative disconnect", now);
	strbuf_printf(&r->body, "tunnel %u: StopCCN sent\n", id);
	return body_done(r);
}

struct session_find {
	uint16_t id;
	struct l2tp_session *found;
	unsigned matches;
};

static void
find_session_in_tunnel(struct l2tp_tunnel *t, void *arg)
{
	struct session_find *f = arg;
	struct l2tp_session *s;

	if ((s = l2tp_tunnel_find_session(t, f->id)) != NULL) {
		f->found = s;
		f->matches++;
	}
}

static int
cmd_disconnect_session(const struct ctl_ctx *c, const struct ctl_cmd *cmd,
    int argc, char **argv, uint64_t now, struct ctl_reply *r)
{
	struct session_find f = { 0 };
	struct l2tp_session_info si;

	if (argc != 1 || parse_id(argv[0], &f.id) < 0)
		return usage_err(cmd, r);
	/* Session IDs are drawn from one host-wide pool, so a local ID names
	 * one session; should it ever not, refuse rather than guess. */
	if (c->host != NULL)
		l2tp_host_foreach_tunnel(c->host, find_session_in_tunnel, &f);
	if (f.matches == 0)
		return ctl_reply_err(r, "no session %u", f.id);
	if (f.matches > 1)
		return ctl_reply_err(r, "session ID %u is ambiguous", f.id);
	l2tp_session_get_info(f.found, &si);
	if (si.state == L2TP_SESSION_CLOSED)
		return ctl_reply_err(r, "session %u is already closed", f.id);
	/* RFC 2661 §4.4.2: CDN Result Code 3, "Call disconnected for
	 * administrative reasons". */
	log_info("ctl: disconnecting session %u", f.id);
	l2tp_session_close(f.found, L2TP_CDN_ADMIN, L2TP_ERR_NONE,
	    "administrative disconnect", now);
	strbuf_printf(&r->body, "session %u: CDN sent\n", f.id);
	return body_done(r);
}

static int
cmd_disconnect_user(const struct ctl_ctx *c, const struct ctl_cmd *cmd,
    int argc, char **argv, uint64_t now, struct ctl_reply *r)
{
	if (argc != 1)
		return usage_err(cmd, r);
	if (c->hooks.disconnect_user == NULL)
		return ctl_reply_err(r,
		    "not available: this daemon has no PPP users");
	if (c->hooks.disconnect_user(c->hooks.arg, argv[0], now, r) < 0)
		return -1;
	return body_done(r);
}

/* ---- set session ---- */

/* `set session ID rate-plan NAME [--json]`: the plan of a live LNS session,
 * in force at once on whichever data path carries it ("none" lifts it). */
static int
cmd_set_session(const struct ctl_ctx *c, const struct ctl_cmd *cmd, int argc,
    char **argv, uint64_t now, struct ctl_reply *r)
{
	uint16_t id;
	bool json = false;
	char why[256];

	if (argc == 4 && strcmp(argv[3], "--json") == 0) {
		json = true;
		argc--;
	}
	if (argc != 3 || parse_id(argv[0], &id) < 0 ||
	    strcmp(argv[1], "rate-plan") != 0 || argv[2][0] == '\0')
		return usage_err(cmd, r);
	if (c->hooks.set_rate_plan == NULL)
		return ctl_reply_err(r, "not available: not an LNS");
	why[0] = '\0';
	if (c->hooks.set_rate_plan(c->hooks.arg, id, argv[2], now, why,
		sizeof(why)) < 0)
		return ctl_reply_err(r, "session %u: %s", id, why);
	log_info("ctl: session %u: rate plan %s", id, argv[2]);
	if (json) {
		struct json j;

		json_init(&j, &r->body);
		json_obj_begin(&j);
		json_kv_u64(&j, "session", id);
		json_kv_str(&j, "rate_plan", argv[2]);
		json_obj_end(&j);
		if (!json_finish(&j))
			return ctl_reply_err(r, "cannot render JSON");
		strbuf_puts(&r->body, "\n");
	} else {
		strbuf_printf(&r->body, "session %u: rate plan %s\n", id,
		    argv[2]);
	}
	return body_done(r);
}

/* ---- daemon hooks ---- */

static int
cmd_show_pool(const struct ctl_ctx *c, const struct ctl_cmd *cmd, int argc,
    char **argv, uint64_t now, struct ctl_reply *r)
{
	bool json;

	(void)now;
	if (parse_json_flag(cmd, argc, argv, &json, r) < 0)
		return -1;
	if (c->hooks.show_pool == NULL)
		return ctl_reply_err(r,
		    "not available: no address pool (not an LNS)");
	if (c->hooks.show_pool(c->hooks.arg, json, r) < 0)
		return -1;
	return body_done(r);
}

static int
cmd_show_clients(const struct ctl_ctx *c, const struct ctl_cmd *cmd, int argc,
    char **argv, uint64_t now, struct ctl_reply *r)
{
	bool json;

	if (parse_json_flag(cmd, argc, argv, &json, r) < 0)
		return -1;
	if (c->hooks.show_clients == NULL)
		return ctl_reply_err(r,
		    "not available: the daemon did not register clients");
	if (c->hooks.show_clients(c->hooks.arg, json, now, r) < 0)
		return -1;
	return body_done(r);
}

/* `show lns`: the LAC's LNSes and their hold-down (INTERFACE.md). */
struct lns_render {
	struct json *json;
	struct table *table;
};

static void
render_lns_one(const struct ctl_lns_view *v, void *arg)
{
	struct lns_render *lr = arg;
	char until[32] = "";

	if (lr->json != NULL) {
		struct json *j = lr->json;

		json_obj_begin(j);
		json_kv_str(j, "address", v->address);
		json_kv_str(j, "realms", v->realms);
		json_kv_str(j, "state", v->held ? "held-down" : "up");
		json_kv_u64(j, "held_for_s", v->held_for_s);
		json_kv_u64(j, "held_until",
		    v->held && v->held_until > 0 ? (uint64_t)v->held_until : 0);
		json_kv_u64(j, "sessions", v->sessions);
		json_kv_u64(j, "tunnels", v->tunnels);
		json_kv_u64(j, "failures", v->failures);
		json_kv_str(j, "last_failure", v->last_failure);
		json_obj_end(j);
		return;
	}
	if (v->held) {
		time_t t = (time_t)v->held_until;
		struct tm tm;

		if (gmtime_r(&t, &tm) != NULL)
			strftime(until, sizeof(until), "%Y-%m-%dT%H:%M:%SZ",
			    &tm);
	}
	table_row(lr->table);
	table_cell(lr->table, v->address);
	table_cell(lr->table, v->realms);
	table_cell(lr->table, v->held ? "held-down" : "up");
	table_cell(lr->table, until);
	table_cell_u64(lr->table, v->sessions);
	table_cell_u64(lr->table, v->tunnels);
	table_cell_u64(lr->table, v->failures);
	table_cell(lr->table, v->last_failure);
}

static int
cmd_show_lns(const struct ctl_ctx *c, const struct ctl_cmd *cmd, int argc,
    char **argv, uint64_t now, struct ctl_reply *r)
{
	static const struct table_col cols[] = {
		{ "ADDRESS", TABLE_LEFT },
		{ "REALMS", TABLE_LEFT },
		{ "STATE", TABLE_LEFT },
		{ "HELD-UNTIL", TABLE_LEFT },
		{ "SESSIONS", TABLE_RIGHT },
		{ "TUNNELS", TABLE_RIGHT },
		{ "FAILURES", TABLE_RIGHT },
		{ "LAST-FAILURE", TABLE_LEFT },
	};
	struct lns_render lr = { NULL, NULL };
	struct json j;
	struct table t;
	bool json, ok;

	(void)now;
	if (parse_json_flag(cmd, argc, argv, &json, r) < 0)
		return -1;
	if (c->hooks.foreach_lns == NULL)
		return ctl_reply_err(r, "not available: no LAC");
	if (json) {
		json_init(&j, &r->body);
		lr.json = &j;
		json_obj_begin(&j);
		json_key(&j, "lns");
		json_arr_begin(&j);
		ok = c->hooks.foreach_lns(c->hooks.arg, render_lns_one, &lr);
		json_arr_end(&j);
		json_obj_end(&j);
		strbuf_putc(&r->body, '\n');
		if (!ok) {
			strbuf_reset(&r->body);
			return ctl_reply_err(r, "not available: no [lac]");
		}
		if (!json_finish(&j))
			return ctl_reply_err(r, "cannot render JSON");
		return body_done(r);
	}
	table_init(&t, cols, sizeof(cols) / sizeof(cols[0]));
	lr.table = &t;
	ok = c->hooks.foreach_lns(c->hooks.arg, render_lns_one, &lr);
	if (!ok) {
		table_free(&t);
		return ctl_reply_err(r, "not available: no [lac]");
	}
	ok = table_render(&t, &r->body);
	table_free(&t);
	if (!ok)
		return ctl_reply_err(r, "cannot render table");
	return body_done(r);
}

static int
cmd_reload(const struct ctl_ctx *c, const struct ctl_cmd *cmd, int argc,
    char **argv, uint64_t now, struct ctl_reply *r)
{
	(void)argv;
	(void)now;
	if (argc != 0)
		return usage_err(cmd, r);
	if (c->hooks.reload == NULL)
		return ctl_reply_err(r,
		    "not available: the daemon did not register reload");
	log_info("ctl: reload requested");
	if (c->hooks.reload(c->hooks.arg, r) < 0)
		return -1;
	return body_done(r);
}

static int
cmd_log_level(const struct ctl_ctx *c, const struct ctl_cmd *cmd, int argc,
    char **argv, uint64_t now, struct ctl_reply *r)
{
	enum log_level lvl;

	(void)c;
	(void)now;
	if (argc != 1 || log_level_parse(argv[0], &lvl) < 0)
		return usage_err(cmd, r);
	log_set_level(lvl);
	log_info("ctl: log level set to %s", log_level_str(lvl));
	strbuf_printf(&r->body, "log level %s\n", log_level_str(lvl));
	return body_done(r);
}

/* `trace start FILE [tunnel ID]`, `trace stop`: the daemon owns the file. */
static int
cmd_trace_start(const struct ctl_ctx *c, const struct ctl_cmd *cmd, int argc,
    char **argv, uint64_t now, struct ctl_reply *r)
{
	uint16_t id = 0;

	(void)now;
	if ((argc != 1 && argc != 3) ||
	    (argc == 3 &&
		(strcmp(argv[1], "tunnel") != 0 || parse_id(argv[2], &id) < 0)))
		return usage_err(cmd, r);
	/* The daemon's working directory is not the caller's. */
	if (argv[0][0] != '/')
		return ctl_reply_err(r, "trace file must be an absolute path");
	if (c->hooks.trace == NULL)
		return ctl_reply_err(r,
		    "not available: the daemon did not register trace");
	if (c->hooks.trace(c->hooks.arg, argv[0], id, r) < 0)
		return -1;
	return body_done(r);
}

static int
cmd_trace_stop(const struct ctl_ctx *c, const struct ctl_cmd *cmd, int argc,
    char **argv, uint64_t now, struct ctl_reply *r)
{
	(void)argv;
	(void)now;
	if (argc != 0)
		return usage_err(cmd, r);
	if (c->hooks.trace == NULL)
		return ctl_reply_err(r,
		    "not available: the daemon did not register trace");
	if (c->hooks.trace(c->hooks.arg, NULL, 0, r) < 0)
		return -1;
	return body_done(r);
}

static int cmd_help(const struct ctl_ctx *, const struct ctl_cmd *, int,
    char **, uint64_t, struct ctl_reply *);

static const struct ctl_cmd ctl_cmds[] = {
	{ "show", "tunnels", cmd_show_tunnels, "show tunnels [--json]" },
	{ "show", "sessions", cmd_show_sessions, "show sessions [--json]" },
	{ "show", "stats", cmd_show_stats, "show stats [--json]" },
	{ "show", "pool", cmd_show_pool, "show pool [--json]" },
	{ "show", "clients", cmd_show_clients, "show clients [--json]" },
	{ "show", "lns", cmd_show_lns, "show lns [--json]" },
	{ "disconnect", "tunnel", cmd_disconnect_tunnel,
	    "disconnect tunnel ID" },
	{ "disconnect", "session", cmd_disconnect_session,
	    "disconnect session ID" },
	{ "disconnect", "user", cmd_disconnect_user, "disconnect user NAME" },
	{ "set", "session", cmd_set_session,
	    "set session ID rate-plan NAME|none [--json]" },
	{ "reload", NULL, cmd_reload, "reload" },
	{ "log-level", NULL, cmd_log_level,
	    "log-level error|warn|info|debug|trace" },
	{ "trace", "start", cmd_trace_start, "trace start FILE [tunnel ID]" },
	{ "trace", "stop", cmd_trace_stop, "trace stop" },
	{ "help", NULL, cmd_help, "help" },
};
#define NCMDS (sizeof(ctl_cmds) / sizeof(ctl_cmds[0]))

static int
cmd_help(const struct ctl_ctx *c, const struct ctl_cmd *cmd, int argc,
    char **argv, uint64_t now, struct ctl_reply *r)
{
	size_t i;

	(void)c;
	(void)argv;
	(void)now;
	if (argc != 0)
		return usage_err(cmd, r);
	strbuf_puts(&r->body, "commands:\n");
	for (i = 0; i < NCMDS; i++)
		strbuf_printf(&r->body, "  %s\n", ctl_cmds[i].usage);
	return body_done(r);
}

int
ctl_cmd_exec(const struct ctl_ctx *c, const char *line, uint64_t now,
    struct ctl_reply *r)
{
	char buf[CTL_MAX_REQUEST + 1], *argv[CTL_MAX_WORDS], *p, *save;
	int argc = 0, n;
	size_t i, len;

	len = strlen(line);
	if (len > CTL_MAX_REQUEST)
		return ctl_reply_err(r, "request too long");
	memcpy(buf, line, len + 1);
	for (p = strtok_r(buf, " \t\r\n", &save); p != NULL;
	     p = strtok_r(NULL, " \t\r\n", &save)) {
		if (argc == CTL_MAX_WORDS)
			return ctl_reply_err(r, USAGE_PREFIX "too many words");
		argv[argc++] = p;
	}
	if (argc == 0)
		return ctl_reply_err(r, USAGE_PREFIX "empty command; try help");
	for (i = 0; i < NCMDS; i++) {
		const struct ctl_cmd *cmd = &ctl_cmds[i];

		if (strcmp(argv[0], cmd->verb) != 0)
			continue;
		if (cmd->object == NULL)
			n = 1;
		else if (argc >= 2 && strcmp(argv[1], cmd->object) == 0)
			n = 2;
		else
			continue;
		return cmd->fn(c, cmd, argc - n, argv + n, now, r);
	}
	return ctl_reply_err(r,
	    USAGE_PREFIX "unknown command \"%s%s%s\"; "
			 "try help",
	    argv[0], argc > 1 ? " " : "", argc > 1 ? argv[1] : "");
}
