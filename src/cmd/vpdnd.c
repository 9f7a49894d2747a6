/*
 * vpdnd — the vpdn daemon: LNS, LAC and client roles by configuration.
 *
 * main() parses arguments, loads the configuration (-C checks it and exits),
 * opens the L2TP socket and the control socket, and runs the libev loop.
 * Everything protocol-shaped lives below (roles/, l2tp/); this file only
 * connects file descriptors, timers and signals to it:
 *   UDP readable     -> roles_input() for each datagram
 *   deadline timer   -> roles_run_timers(), re-armed at roles_next_deadline()
 *   SIGHUP           -> reload (a broken file is refused, the old one kept)
 *   SIGTERM/SIGINT   -> StopCCN to every peer, exit 0 once all are closed
 *                       (or after SHUTDOWN_GRACE_MS)
 *   every datagram   -> the packet trace, while `vpdnctl trace start` runs
 *
 * With `user =` in [global] the daemon gives up root once everything that
 * needs it is open (see vpdnd_drop_privileges()).
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <inttypes.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <bsd/string.h>
#include <ev.h>

#include "config/config.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/version.h"
#include "ctl/ctl_server.h"
#include "ctl/metrics.h"
#include "ctl/json.h"
#include "ctl/table.h"
#include "dataplane/pcap.h"
#include "dataplane/udp.h"
#include "radius/radius_client.h"
#include "roles/roles.h"
#include "cmd/vpdnd_fastpath.h"
#include "cmd/vpdnd_io.h"
#include "cmd/vpdnd_policy.h"
#include "cmd/vpdnd_radius.h"

#define SHUTDOWN_GRACE_MS 5000

struct vpdnd {
	struct ev_loop *loop;
	struct vpdn_config *cfg;
	struct roles *roles;
	struct udp_sock udp;
	struct ctl_server *ctl;
	struct metrics_server *metrics; /* NULL: no metrics = */
	struct vpdnd_io io;		/* the roles' seam */
	struct vpdnd_dae *dae;		/* NULL: no dae-listen */
	struct ctl_ctx ctl_ctx;
	ev_io udp_watcher;
	ev_timer deadline;
	ev_timer grace;
	ev_signal sig_hup, sig_term, sig_int;
	bool stopping;
	/* Inside a watched descriptor's callback: data messages built in
	 * place are queued and leave together when it returns. */
	bool batching;
	/* `vpdnctl trace start FILE [tunnel ID]`; NULL when not tracing. */
	struct pcap_trace *trace;
	char trace_path[CFG_MAX_STR];
	uint16_t trace_tunnel;	     /* 0: every tunnel */
	struct l2tp_addr trace_peer; /* of trace_tunnel */
	uint16_t trace_peer_id;
};

static void vpdnd_rearm(struct vpdnd *d);

static void
vpdnd_trace_end(struct vpdnd *d, const char *why)
{
	log_info("trace %s %s: %llu packets, %llu bytes", d->trace_path, why,
	    (unsigned long long)pcap_trace_packets(d->trace),
	    (unsigned long long)pcap_trace_bytes(d->trace));
	pcap_trace_close(d->trace);
	d->trace = NULL;
}

/*
 * Whether a datagram belongs to the traced tunnel.  Incoming L2TP headers
 * carry our Tunnel ID; outgoing ones carry the peer's (RFC 2661 §3.1), and
 * two tunnels may run between the same two addresses and ports, so an
 * outgoing datagram matches on peer address+port and the peer's Tunnel ID.
 * The tunnel's peer is remembered so its last StopCCN is still traced after
 * the tunnel is freed.
 */
static bool
vpdnd_trace_match(struct vpdnd *d, bool in, const struct l2tp_addr *peer,
    const uint8_t *pkt, size_t len)
{
	struct l2tp_tunnel *t;
	struct l2tp_tunnel_info ti;
	int tid;

	if (d->trace_tunnel == 0)
		return true;
	if ((t = l2tp_host_find_tunnel(roles_host(d->roles),
		 d->trace_tunnel)) != NULL) {
		l2tp_tunnel_get_info(t, &ti);
		d->trace_peer = ti.peer;
		d->trace_peer_id = ti.peer_id;
	}
	if ((tid = pcap_l2tp_tunnel_id(pkt, len)) < 0 ||
	    !l2tp_addr_equal(peer, &d->trace_peer))
		return false;
	return in ? tid == d->trace_tunnel :
		    d->trace_peer_id != 0 && tid == d->trace_peer_id;
}

static void
vpdnd_trace_pkt(struct vpdnd *d, bool in, const struct l2tp_addr *local,
    const struct l2tp_addr *peer, const uint8_t *pkt, size_t len)
{
	struct timespec ts;
	uint64_t us;
	int rc;

	if (d->trace == NULL || !vpdnd_trace_match(d, in, peer, pkt, len))
		return;
	/* Replies sent without a chosen source leave from the bound
	 * address (the wildcard on a wildcard socket). */
	if (local == NULL || local->ss.ss_family == AF_UNSPEC)
		local = &d->udp.bound;
	clock_gettime(CLOCK_REALTIME, &ts);
	us = (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
	rc = in ? pcap_trace_write(d->trace, peer, local, pkt, len, us) :
		  pcap_trace_write(d->trace, local, peer, pkt, len, us);
	if (rc == 1)
		vpdnd_trace_end(d, "reached its size limit; stopped");
	else if (rc < 0) {
		log_warn("trace %s", d->trace_path);
		vpdnd_trace_end(d, "stopped after a write error");
	}
}

static void
vpdnd_udp_send(void *ctx, const struct l2tp_addr *local,
    const struct l2tp_addr *peer, const uint8_t *pkt, size_t len)
{
	struct vpdnd *d = ctx;

	vpdnd_trace_pkt(d, false, local, peer, pkt, len);
	/* What was queued goes first: nothing overtakes it. */
	udp_flush(&d->udp);
	(void)udp_send(&d->udp, local, peer, pkt, len);
}

/* Data messages from a TUN read batch: one sendmmsg per batch. */
static void
vpdnd_udp_send_data(void *ctx, const struct l2tp_addr *local,
    const struct l2tp_addr *peer, const uint8_t *pkt, size_t len)
{
	struct vpdnd *d = ctx;

	vpdnd_trace_pkt(d, false, local, peer, pkt, len);
	if (d->batching)
		udp_queue(&d->udp, local, peer, pkt, len);
	else
		(void)udp_send(&d->udp, local, peer, pkt, len);
}

static void
vpdnd_datagram(void *ctx, const uint8_t *pkt, size_t len,
    const struct l2tp_addr *local, const struct l2tp_addr *peer)
{
	struct vpdnd *d = ctx;

	vpdnd_trace_pkt(d, true, local, peer, pkt, len);
	roles_input(d->roles, pkt, len, local, peer, time_now_ms());
}

/* `vpdnctl trace start FILE [tunnel ID]` / `trace stop` (path NULL). */
static int
vpdnd_ctl_trace(void *arg, const char *path, uint16_t tunnel_id,
    struct ctl_reply *r)
{
	struct vpdnd *d = arg;
	struct l2tp_tunnel *t;
	struct l2tp_tunnel_info ti;

	if (path == NULL) {
		if (d->trace == NULL)
			return ctl_reply_err(r, "no trace running");
		strbuf_printf(&r->body,
		    "trace %s stopped: %llu packets, "
		    "%llu bytes\n",
		    d->trace_path,
		    (unsigned long long)pcap_trace_packets(d->trace),
		    (unsigned long long)pcap_trace_bytes(d->trace));
		vpdnd_trace_end(d, "stopped");
		return 0;
	}
	if (d->trace != NULL)
		return ctl_reply_err(r,
		    "a trace to %s is running; "
		    "trace stop first",
		    d->trace_path);
	if (strlen(path) >= sizeof(d->trace_path))
		return ctl_reply_err(r, "trace file name too long");
	memset(&d->trace_peer, 0, sizeof(d->trace_peer));
	d->trace_peer_id = 0;
	if (tunnel_id != 0) {
		if ((t = l2tp_host_find_tunnel(roles_host(d->roles),
			 tunnel_id)) == NULL)
			return ctl_reply_err(r, "no tunnel %u", tunnel_id);
		l2tp_tunnel_get_info(t, &ti);
		d->trace_peer = ti.peer;
		d->trace_peer_id = ti.peer_id;
	}
	if ((d->trace = pcap_trace_open(path, PCAP_DEFAULT_MAX_BYTES)) == NULL)
		return ctl_reply_err(r, "cannot create %s: %s", path,
		    strerror(errno));
	strlcpy(d->trace_path, path, sizeof(d->trace_path));
	d->trace_tunnel = tunnel_id;
	if (tunnel_id != 0)
		log_info("trace %s started (tunnel %u)", path, tunnel_id);
	else
		log_info("trace %s started", path);
	strbuf_printf(&r->body, "tracing to %s", path);
	if (tunnel_id != 0)
		strbuf_printf(&r->body, " (tunnel %u)", tunnel_id);
	strbuf_printf(&r->body, ", at most %u MB\n",
	    (unsigned)(PCAP_DEFAULT_MAX_BYTES >> 20));
	return 0;
}

/* vpdnd_io's hook after each watched descriptor: the batched data
 * messages leave, and deadlines may have moved. */
static void
vpdnd_after_io(void *arg)
{
	struct vpdnd *d = arg;

	d->batching = false;
	udp_flush(&d->udp);
	vpdnd_rearm(d);
}

/* vpdnd_io's hook before each watched descriptor: data messages queue
 * until it returns (vpdnd_udp_send_data). */
static void
vpdnd_before_io(void *arg)
{
	struct vpdnd *d = arg;

	d->batching = true;
}

static void
vpdnd_check_stopped(struct vpdnd *d)
{
	if (d->stopping && roles_idle(d->roles)) {
		log_info("all tunnels closed; exiting");
		ev_break(d->loop, EVBREAK_ALL);
	}
}

static void
vpdnd_on_udp(struct ev_loop *loop, ev_io *w, int revents)
{
	struct vpdnd *d = w->data;

	(void)loop;
	(void)revents;
	/* Bounded batches per wakeup keep timers and the control socket
	 * responsive under a flood. */
	for (int i = 0; i < 8; i++)
		if (udp_recv_batch(&d->udp, vpdnd_datagram, d) < UDP_BATCH)
			break;
	vpdnd_rearm(d);
	vpdnd_check_stopped(d);
}

static void
vpdnd_on_deadline(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct vpdnd *d = w->data;

	(void)loop;
	(void)revents;
	roles_run_timers(d->roles, time_now_ms());
	vpdnd_rearm(d);
	vpdnd_check_stopped(d);
}

/* One libev timer stands for the roles' earliest deadline (the l2tp host
 * keeps its tunnels in a heap), re-armed after every event. */
static void
vpdnd_rearm(struct vpdnd *d)
{
	uint64_t next = roles_next_deadline(d->roles), now = time_now_ms();

	ev_timer_stop(d->loop, &d->deadline);
	if (next == TIME_NEVER)
		return;
	ev_timer_set(&d->deadline,
	    next > now ? (double)(next - now) / 1000.0 : 0.0, 0.0);
	ev_timer_start(d->loop, &d->deadline);
}

/* Loads path; on error logs FILE:LINE and returns NULL. */
static struct vpdn_config *
vpdnd_load(const char *path)
{
	char err[512];
	struct vpdn_config *cfg = config_load(path, err, sizeof(err));

	if (cfg == NULL)
		log_error("%s", err);
	return cfg;
}

/* SIGHUP and `vpdnctl reload`: a broken file (the configuration or a users
 * file it names) is refused and the running configuration kept, all of it;
 * otherwise each role diffs old against new.  SIGHUP has nobody to answer,
 * so the refusal is logged either way. */
static int
vpdnd_reload(struct vpdnd *d, char *msg, size_t msglen)
{
	char err[512];
	struct vpdn_config *ncfg;

	ncfg = config_load(d->cfg->path, err, sizeof(err));
	if (ncfg == NULL) {
		log_error("reload refused, keeping the running configuration: "
			  "%s",
		    err);
		snprintf(msg, msglen, "%s", err);
		return -1;
	}
	if (roles_reconfigure(d->roles, ncfg, time_now_ms(), err, sizeof(err)) <
	    0) {
		log_error("reload refused, keeping the running configuration: "
			  "%s",
		    err);
		snprintf(msg, msglen, "%s", err);
		config_free(ncfg);
		return -1;
	}
	if (strcmp(ncfg->global.control_socket,
		d->cfg->global.control_socket) != 0 ||
	    memcmp(&ncfg->global.listen, &d->cfg->global.listen,
		sizeof(ncfg->global.listen)) != 0)
		log_warnx("reload: listen and control-socket changes take "
			  "effect at the next restart");
	/* Sessions stay in the path they are in: the programs were loaded
	 * (or not) at start, with the privileges only start has. */
	if (ncfg->global.dataplane != d->cfg->global.dataplane ||
	    ncfg->global.fastpath_veth_gso != d->cfg->global.fastpath_veth_gso)
		log_warnx("reload: dataplane and fastpath-veth-gso changes "
			  "take effect at the next restart");
	log_set_level(ncfg->global.log_level);
	config_free(d->cfg);
	d->cfg = ncfg;
	log_info("configuration reloaded from %s", d->cfg->path);
	vpdnd_rearm(d);
	snprintf(msg, msglen, "reloaded %s", d->cfg->path);
	return 0;
}

static int
vpdnd_ctl_reload(void *arg, struct ctl_reply *r)
{
	char msg[512];

	if (vpdnd_reload(arg, msg, sizeof(msg)) < 0)
		return ctl_reply_err(r, "reload refused: %s", msg);
	strbuf_printf(&r->body, "%s\n", msg);
	return 0;
}

static void
vpdnd_ctl_describe(void *arg, struct l2tp_session *s,
    struct ctl_session_extra *out)
{
	struct vpdnd *d = arg;
	struct roles_session_view v;

	roles_describe_session(d->roles, s, &v);
	strlcpy(out->user, v.user, sizeof(out->user));
	strlcpy(out->ppp_phase, v.ppp_phase, sizeof(out->ppp_phase));
	strlcpy(out->address, v.address, sizeof(out->address));
	strlcpy(out->interface, v.interface, sizeof(out->interface));
	strlcpy(out->path, v.path, sizeof(out->path));
	out->fp_rx_packets = v.fp_rx_packets;
	out->fp_tx_packets = v.fp_tx_packets;
	out->fp_rx_bytes = v.fp_rx_bytes;
	out->fp_tx_bytes = v.fp_tx_bytes;
	strlcpy(out->ipv6_prefix, v.ipv6_prefix, sizeof(out->ipv6_prefix));
	if (v.rate_plan != NULL)
		strlcpy(out->rate_plan, v.rate_plan, sizeof(out->rate_plan));
	out->rate_down_bps = v.rate_down_bps;
	out->rate_up_bps = v.rate_up_bps;
	out->police_up_drop_packets = v.police_up_drop_packets;
	out->police_up_drop_bytes = v.police_up_drop_bytes;
	out->police_down_drop_packets = v.police_down_drop_packets;
	out->police_down_drop_bytes = v.police_down_drop_bytes;
	if (v.access_line != NULL)
		out->access_line = *v.access_line;
	out->switched_tunnel = v.switched_tunnel;
	out->switched_session = v.switched_session;
	strlcpy(out->delegated_prefix, v.delegated_prefix,
	    sizeof(out->delegated_prefix));
}

static int
vpdnd_ctl_set_rate_plan(void *arg, uint16_t session_id, const char *plan,
    uint64_t now, char *why, size_t whylen)
{
	struct vpdnd *d = arg;

	return roles_set_session_rate_plan(d->roles, session_id, plan, now, why,
	    whylen);
}

static bool
vpdnd_ctl_pool_stats(void *arg, struct ctl_pool_stats *out)
{
	struct vpdnd *d = arg;
	uint32_t first, last, used;
	const char *pool;
	unsigned i;

	/* Every range of every pool ([lns] pool and the [pool]s). */
	memset(out, 0, sizeof(*out));
	for (i = 0; roles_pool_range(d->roles, i, &pool, &first, &last, &used);
	     i++) {
		out->size += (uint64_t)last - first + 1;
		out->used += used;
	}
	out->refused = roles_pool_refused(d->roles);
	return i > 0;
}

static bool
vpdnd_ctl_pppoe_stats(void *arg, struct ctl_pppoe_stats *out)
{
	struct vpdnd *d = arg;

	return roles_pppoe_stats(d->roles, &out->st, &out->sessions);
}

static int
vpdnd_ctl_disconnect_user(void *arg, const char *name, uint64_t now,
    struct ctl_reply *r)
{
	struct vpdnd *d = arg;
	unsigned n = roles_disconnect_user(d->roles, name, now);

	if (n == 0)
		return ctl_reply_err(r, "no session of user %s", name);
	strbuf_printf(&r->body, "disconnected %u session%s of %s\n", n,
	    n == 1 ? "" : "s", name);
	vpdnd_rearm(d);
	return 0;
}

static void
ip4_str(uint32_t a, char *buf, size_t len)
{
	struct in_addr in = { .s_addr = htonl(a) };

	inet_ntop(AF_INET, &in, buf, (socklen_t)len);
}

struct pool_render {
	struct json *json;
	struct table *table;
};

static void
vpdnd_render_lease(const struct roles_lease *l, void *arg)
{
	struct pool_render *pr = arg;
	char a[INET_ADDRSTRLEN];

	ip4_str(l->addr, a, sizeof(a));
	if (pr->json != NULL) {
		json_obj_begin(pr->json);
		json_kv_str(pr->json, "address", a);
		json_kv_str(pr->json, "user", l->user);
		json_kv_u64(pr->json, "tunnel", l->tunnel_id);
		json_kv_u64(pr->json, "session", l->session_id);
		json_obj_end(pr->json);
	} else {
		table_row(pr->table);
		table_cell(pr->table, a);
		table_cell(pr->table, l->user);
		table_cell_u64(pr->table, l->tunnel_id);
		table_cell_u64(pr->table, l->session_id);
	}
}

static void
vpdnd_ctl_policy_metrics(void *arg, struct strbuf *out)
{
	struct vpdnd *d = arg;

	if (d->cfg->lns.enabled)
		vpdnd_policy_metrics(d->roles, out);
	vpdnd_switch_metrics(d->roles, out);
}

/* `vpdnctl show pool`: {"pools":[{"range","pool","size","used"}],
 * "by_pool":[{"name","size","used","free","exhausted","removed"}],"refused":N,
 * "leases":[...]} */
static int
vpdnd_ctl_show_pool(void *arg, bool json, struct ctl_reply *r)
{
	static const struct table_col range_cols[] = {
		{ "RANGE", TABLE_LEFT },
		{ "POOL", TABLE_LEFT },
		{ "SIZE", TABLE_RIGHT },
		{ "USED", TABLE_RIGHT },
		{ "FREE", TABLE_RIGHT },
	};
	static const struct table_col lease_cols[] = {
		{ "ADDRESS", TABLE_LEFT },
		{ "USER", TABLE_LEFT },
		{ "TUNNEL", TABLE_RIGHT },
		{ "SESSION", TABLE_RIGHT },
	};
	struct vpdnd *d = arg;
	uint32_t first, last, used;
	unsigned plen;
	const char *pool = "";
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], range[64];
	struct pool_render pr = { NULL, NULL };
	struct json j;
	struct table t;

	if (!d->cfg->lns.enabled)
		return ctl_reply_err(r,
		    "no address pool: this daemon is "
		    "not an LNS");
	if (json) {
		json_init(&j, &r->body);
		json_obj_begin(&j);
		json_key(&j, "pools");
		json_arr_begin(&j);
	} else {
		table_init(&t, range_cols, 5);
	}
	for (unsigned i = 0;
	     roles_pool_range(d->roles, i, &pool, &first, &last, &used); i++) {
		ip4_str(first, a, sizeof(a));
		ip4_str(last, b, sizeof(b));
		snprintf(range, sizeof(range), "%s-%s", a, b);
		if (json) {
			json_obj_begin(&j);
			json_kv_str(&j, "range", range);
			json_kv_str(&j, "pool", pool);
			json_kv_u64(&j, "size", last - first + 1);
			json_kv_u64(&j, "used", used);
			json_obj_end(&j);
		} else {
			table_row(&t);
			table_cell(&t, range);
			table_cell(&t, pool);
			table_cell_u64(&t, last - first + 1);
			table_cell_u64(&t, used);
			table_cell_u64(&t, last - first + 1 - used);
		}
	}
	if (roles_ipv6_pool(d->roles, range, sizeof(range), &first, &used)) {
		/* The ipv6-pool: its /64s (INTERFACE.md). */
		if (json) {
			json_arr_end(&j);
			json_key(&j, "ipv6_pools");
			json_arr_begin(&j);
			json_obj_begin(&j);
			json_kv_str(&j, "prefix", range);
			json_kv_u64(&j, "size", first);
			json_kv_u64(&j, "used", used);
			json_obj_end(&j);
		} else {
			table_row(&t);
			table_cell(&t, range);
			table_cell(&t, "default");
			table_cell_u64(&t, first);
			table_cell_u64(&t, used);
			table_cell_u64(&t, first - used);
		}
	}
	if (roles_pd_pool(d->roles, range, sizeof(range), &plen, &first,
		&used)) {
		char name[32];

		snprintf(name, sizeof(name), "delegated/%u", plen);
		/* The delegated-prefix-pool (INTERFACE.md). */
		if (json) {
			json_arr_end(&j);
			json_key(&j, "delegated_pools");
			json_arr_begin(&j);
			json_obj_begin(&j);
			json_kv_str(&j, "prefix", range);
			json_kv_u64(&j, "length", plen);
			json_kv_u64(&j, "size", first);
			json_kv_u64(&j, "used", used);
			json_obj_end(&j);
		} else {
			table_row(&t);
			table_cell(&t, range);
			table_cell(&t, name);
			table_cell_u64(&t, first);
			table_cell_u64(&t, used);
			table_cell_u64(&t, first - used);
		}
	}
	if (json) {
		json_arr_end(&j);
		/* "pools" lists ranges (its keys stay); the pools: */
		json_key(&j, "by_pool");
		json_arr_begin(&j);
		vpdnd_policy_pools_json(d->roles, &j);
		json_arr_end(&j);
		json_kv_u64(&j, "refused", roles_pool_refused(d->roles));
		json_key(&j, "leases");
		json_arr_begin(&j);
		pr.json = &j;
		roles_foreach_lease(d->roles, vpdnd_render_lease, &pr);
		json_arr_end(&j);
		json_obj_end(&j);
		strbuf_putc(&r->body, '\n');
		return 0;
	}
	vpdnd_policy_pools_table(d->roles, &r->body);
	table_render(&t, &r->body);
	table_free(&t);
	strbuf_printf(&r->body, "sessions refused, no address: %" PRIu64 "\n\n",
	    roles_pool_refused(d->roles));
	table_init(&t, lease_cols, 4);
	pr.table = &t;
	roles_foreach_lease(d->roles, vpdnd_render_lease, &pr);
	table_render(&t, &r->body);
	table_free(&t);
	return 0;
}

static void
vpdnd_render_client(const struct roles_client_view *v, void *arg)
{
	struct pool_render *pr = arg;
	char dns[40];

	if (pr->json != NULL) {
		struct json *j = pr->json;

		json_obj_begin(j);
		json_kv_str(j, "name", v->name);
		json_kv_str(j, "transport", v->transport);
		json_kv_str(j, "server", v->server);
		json_kv_str(j, "state", v->state);
		json_kv_str(j, "ppp_phase", v->ppp_phase);
		json_kv_str(j, "interface", v->interface);
		json_kv_str(j, "address", v->address);
		json_kv_str(j, "peer_address", v->peer_address);
		json_kv_str(j, "ipv6_link_local", v->ipv6_link_local);
		json_kv_str(j, "ipv6_prefix", v->ipv6_prefix);
		json_kv_str(j, "delegated_prefix", v->delegated_prefix);
		json_key(j, "dns");
		json_arr_begin(j);
		for (int i = 0; i < 2; i++)
			if (v->dns[i][0] != '\0')
				json_str(j, v->dns[i]);
		json_arr_end(j);
		json_kv_u64(j, "tunnel_id", v->tunnel_id);
		json_kv_u64(j, "session_id", v->session_id);
		json_kv_u64(j, "dials", v->dials);
		json_kv_u64(j, "redial_in_s", v->redial_in_s);
		json_kv_u64(j, "uptime_s", v->uptime_s);
		json_kv_u64(j, "rx_frames", v->rx_frames);
		json_kv_u64(j, "tx_frames", v->tx_frames);
		json_kv_u64(j, "rx_bytes", v->rx_bytes);
		json_kv_u64(j, "tx_bytes", v->tx_bytes);
		json_kv_u64(j, "loop_drops", v->loop_drops);
		json_kv_str(j, "path", v->path != NULL ? v->path : "user");
		json_obj_end(j);
		return;
	}
	snprintf(dns, sizeof(dns), "%s%s%s", v->dns[0],
	    v->dns[1][0] != '\0' ? "," : "", v->dns[1]);
	table_row(pr->table);
	table_cell(pr->table, v->name);
	table_cell(pr->table, v->transport);
	table_cell(pr->table, v->server);
	table_cell(pr->table, v->state);
	table_cell(pr->table, v->ppp_phase);
	table_cell(pr->table, v->address);
	table_cell(pr->table, v->peer_address);
	table_cell(pr->table, dns);
	table_cell(pr->table, v->interface);
	table_cell_u64(pr->table, v->dials);
	table_cell_u64(pr->table, v->uptime_s);
	table_cell_u64(pr->table, v->rx_frames);
	table_cell_u64(pr->table, v->tx_frames);
	table_cell(pr->table,
	    v->delegated_prefix[0] != '\0' ? v->delegated_prefix : "-");
}

/* `vpdnctl show clients`: {"clients":[...]} (INTERFACE.md). */
static int
vpdnd_ctl_show_clients(void *arg, bool json, uint64_t now, struct ctl_reply *r)
{
	static const struct table_col cols[] = {
		{ "NAME", TABLE_LEFT },
		{ "TRANSPORT", TABLE_LEFT },
		{ "SERVER", TABLE_LEFT },
		{ "STATE", TABLE_LEFT },
		{ "PPP", TABLE_LEFT },
		{ "ADDRESS", TABLE_LEFT },
		{ "PEER", TABLE_LEFT },
		{ "DNS", TABLE_LEFT },
		{ "INTERFACE", TABLE_LEFT },
		{ "DIALS", TABLE_RIGHT },
		{ "UPTIME", TABLE_RIGHT },
		{ "RX-FRAMES", TABLE_RIGHT },
		{ "TX-FRAMES", TABLE_RIGHT },
		{ "DELEGATED", TABLE_LEFT },
	};
	struct vpdnd *d = arg;
	struct pool_render pr = { NULL, NULL };
	struct json j;
	struct table t;
	bool ok;

	if (json) {
		json_init(&j, &r->body);
		pr.json = &j;
		json_obj_begin(&j);
		json_key(&j, "clients");
		json_arr_begin(&j);
		roles_foreach_client(d->roles, now, vpdnd_render_client, &pr);
		json_arr_end(&j);
		json_obj_end(&j);
		strbuf_putc(&r->body, '\n');
		return json_finish(&j) ? 0 :
					 ctl_reply_err(r, "cannot render JSON");
	}
	table_init(&t, cols, sizeof(cols) / sizeof(cols[0]));
	pr.table = &t;
	roles_foreach_client(d->roles, now, vpdnd_render_client, &pr);
	ok = table_render(&t, &r->body);
	table_free(&t);
	return ok ? 0 : ctl_reply_err(r, "cannot render table");
}

struct lns_adapt {
	ctl_lns_fn *fn;
	void *arg;
};

static void
vpdnd_lns_one(const struct roles_lns_view *v, void *arg)
{
	const struct lns_adapt *a = arg;
	struct ctl_lns_view c = {
		.address = v->address,
		.realms = v->realms,
		.held = v->held,
		.held_for_s = v->held_for_s,
		.held_until = v->held_until,
		.sessions = v->sessions,
		.tunnels = v->tunnels,
		.failures = v->failures,
		.last_failure = v->last_failure,
	};

	a->fn(&c, a->arg);
}

/* `vpdnctl show lns` and the metrics' per-LNS series. */
static bool
vpdnd_ctl_foreach_lns(void *arg, ctl_lns_fn *fn, void *fnarg)
{
	struct vpdnd *d = arg;
	struct lns_adapt a = { fn, fnarg };

	return roles_foreach_lns(d->roles, time_now_ms(), vpdnd_lns_one, &a);
}

static void
vpdnd_ctl_tun_stats(void *arg, struct ctl_tun_stats *out)
{
	struct vpdnd *d = arg;
	struct roles_tun_stats st;

	roles_tun_stats(d->roles, &st);
	out->kernel_tx_dropped = st.kernel_tx_dropped;
	out->kernel_rx_dropped = st.kernel_rx_dropped;
	out->write_full = st.write_full;
	out->write_errors = st.write_errors;
	out->isolated = st.isolated;
	out->ipv6 = st.ipv6;
	out->ipv6_rx_packets = st.ipv6_rx_packets;
	out->ipv6_tx_packets = st.ipv6_tx_packets;
	out->ipv6_spoofed = st.ipv6_spoofed;
	out->ipv6_bad = st.ipv6_bad;
	out->ipv6_to_lns = st.ipv6_to_lns;
	out->ipv6_no_session = st.ipv6_no_session;
	out->ipv6_rs = st.ipv6_rs;
	out->ipv6_rs_invalid = st.ipv6_rs_invalid;
	out->ipv6_ra = st.ipv6_ra;
	out->ipv6_no_prefix = st.ipv6_no_prefix;
	out->ipv6_pool_size = st.ipv6_pool_size;
	out->ipv6_pool_used = st.ipv6_pool_used;
	out->dhcpv6_rx = st.dhcpv6_rx;
	out->dhcpv6_tx = st.dhcpv6_tx;
	out->dhcpv6_dropped = st.dhcpv6_dropped;
	out->dhcpv6_bad = st.dhcpv6_bad;
	out->pd_no_prefix = st.pd_no_prefix;
	out->pd_pool_size = st.pd_pool_size;
	out->pd_pool_used = st.pd_pool_used;
}

static void
vpdnd_on_grace(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct vpdnd *d = w->data;
	unsigned tunnels = roles_unfinished_tunnels(d->roles);
	unsigned acct = roles_acct_pending(d->roles);

	(void)revents;
	/* Say what was still outstanding, only that. */
	if (tunnels > 0)
		log_warnx("shutdown: %u tunnel(s) still exchanging with their "
			  "peers after %d ms; exiting",
		    tunnels, SHUTDOWN_GRACE_MS);
	if (acct > 0)
		log_warnx("shutdown: %u accounting request(s) unanswered after "
			  "%d ms; exiting",
		    acct, SHUTDOWN_GRACE_MS);
	ev_break(loop, EVBREAK_ALL);
}

static void
vpdnd_on_signal(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct vpdnd *d = w->data;
	char msg[512];

	(void)revents;
	if (w->signum == SIGHUP) {
		log_info("SIGHUP: reloading %s", d->cfg->path);
		(void)vpdnd_reload(d, msg, sizeof(msg));
		return;
	}
	if (d->stopping)
		return;
	log_info("%s: closing every tunnel",
	    w->signum == SIGTERM ? "SIGTERM" : "SIGINT");
	d->stopping = true;
	roles_shutdown(d->roles, time_now_ms());
	ev_timer_init(&d->grace, vpdnd_on_grace, SHUTDOWN_GRACE_MS / 1000.0,
	    0.0);
	ev_timer_start(loop, &d->grace);
	vpdnd_rearm(d);
	vpdnd_check_stopped(d);
}

/*
 * The user and group of `user =` / `group =`; 0 with uid and gid set, -1 with
 * the reason in err.  An empty user means "stay root" (*uid = 0).
 */
static int
vpdnd_resolve_user(const struct cfg_global *g, uid_t *uid, gid_t *gid,
    char *err, size_t errlen)
{
	struct passwd *pw;
	struct group *gr;

	*uid = 0;
	*gid = 0;
	if (g->user[0] == '\0') {
		if (g->group[0] != '\0') {
			snprintf(err, errlen,
			    "group = %s needs user =", g->group);
			return -1;
		}
		return 0;
	}
	if ((pw = getpwnam(g->user)) == NULL) {
		snprintf(err, errlen, "user = %s: no such user", g->user);
		return -1;
	}
	if (pw->pw_uid == 0) {
		snprintf(err, errlen, "user = %s: that is root", g->user);
		return -1;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	if (g->group[0] != '\0') {
		if ((gr = getgrnam(g->group)) == NULL) {
			snprintf(err, errlen, "group = %s: no such group",
			    g->group);
			return -1;
		}
		*gid = gr->gr_gid;
	}
	return 0;
}

/*
 * Gives up root once the UDP socket, the control socket, the metrics
 * listener and the LNS's TUN device are open.  What still needs privilege
 * later: TUN devices and their addresses and routes for client calls whose
 * IPCP comes up (CAP_NET_ADMIN: TUNSETIFF, rtnetlink), PPPoE's AF_PACKET
 * sockets (CAP_NET_RAW) and a reload that moves the L2TP port below 1024
 * (CAP_NET_BIND_SERVICE); the kernel fast path's filters, attached when
 * the first session of an interface enters it and detached at exit
 * (CAP_NET_ADMIN: rtnetlink).  Its maps are updated and read through the
 * descriptors loading opened, which the kernel does not check capabilities
 * for (since Linux 6.5 only map and program creation are checked), so
 * CAP_BPF and CAP_PERFMON, needed to load, go with the rest.  Those three
 * stay permitted and effective; every
 * other capability leaves the bounding set, and no_new_privs keeps an exec'd
 * program from getting any back.
 */
static void
vpdnd_drop_privileges(uid_t uid, gid_t gid, const char *user)
{
	/* clang-format off */
	static const cap_value_t keep[] = {
		CAP_NET_ADMIN, CAP_NET_RAW, CAP_NET_BIND_SERVICE,
	};
	/* clang-format on */
	cap_t caps;
	cap_value_t c;
	cap_flag_value_t setpcap = CAP_CLEAR;

	if (getuid() != 0 && geteuid() != 0)
		fatalx("user = %s: vpdnd is not running as root", user);
	if ((caps = cap_get_proc()) == NULL ||
	    cap_get_flag(caps, CAP_SETPCAP, CAP_EFFECTIVE, &setpcap) < 0)
		fatal("cap_get_proc");
	cap_free(caps);
	/* Shrink the bounding set while CAP_SETPCAP is still effective.
	 * Without it (a systemd CapabilityBoundingSet that left it out) the
	 * set stays as the unit made it: no_new_privs below already keeps an
	 * exec'd program from gaining what is in it. */
	for (c = 0; setpcap == CAP_SET && c <= CAP_LAST_CAP; c++) {
		if (c == keep[0] || c == keep[1] || c == keep[2] ||
		    cap_get_bound(c) != 1)
			continue;
		if (cap_drop_bound(c) < 0)
			fatal("cap_drop_bound(%d)", (int)c);
	}
	if (setpcap != CAP_SET)
		log_warnx("no CAP_SETPCAP: the capability bounding set is "
			  "left as it is");
	/* Keep the permitted set across setuid(); effective is cleared and
	 * set again from it below. */
	if (prctl(PR_SET_KEEPCAPS, 1L, 0L, 0L, 0L) < 0)
		fatal("prctl(PR_SET_KEEPCAPS)");
	if (setgroups(1, &gid) < 0 || setresgid(gid, gid, gid) < 0 ||
	    setresuid(uid, uid, uid) < 0)
		fatal("cannot switch to user %s", user);
	if ((caps = cap_init()) == NULL ||
	    cap_set_flag(caps, CAP_PERMITTED, 3, keep, CAP_SET) < 0 ||
	    cap_set_flag(caps, CAP_EFFECTIVE, 3, keep, CAP_SET) < 0 ||
	    cap_set_proc(caps) < 0)
		fatal("cannot keep CAP_NET_ADMIN, CAP_NET_RAW and "
		      "CAP_NET_BIND_SERVICE");
	cap_free(caps);
	if (prctl(PR_SET_KEEPCAPS, 0L, 0L, 0L, 0L) < 0 ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0L, 0L, 0L) < 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) < 0)
		fatal("prctl");
	/* Make sure there is no way back. */
	if (setuid(0) == 0 || seteuid(0) == 0)
		fatalx("could regain root after dropping privileges");
	log_info("running as user %s (uid %u, gid %u) with CAP_NET_ADMIN, "
		 "CAP_NET_RAW, CAP_NET_BIND_SERVICE",
	    user, (unsigned)uid, (unsigned)gid);
}

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: vpdnd -c FILE [-C] [--syslog] [-d]\n"
	    "       vpdnd --version\n"
	    "  -c FILE    configuration file\n"
	    "  -C         check the configuration and exit (0 valid, 1 not)\n"
	    "  -d         log at debug level (overrides log-level)\n"
	    "  --syslog   log to syslog instead of stderr\n");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "syslog", no_argument, NULL, 'S' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vpdnd d;
	const char *path = NULL;
	bool check = false, to_syslog = false, debug = false;
	uid_t run_uid;
	gid_t run_gid;
	int ch;

	memset(&d, 0, sizeof(d));
	while ((ch = getopt_long(argc, argv, "c:Cdh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'C':
			check = true;
			break;
		case 'd':
			debug = true;
			break;
		case 'S':
			to_syslog = true;
			break;
		case 'V':
			printf("vpdnd %s\n", VPDN_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (path == NULL || optind != argc) {
		usage(stderr);
		return 2;
	}
	if (check) {
		char err[512];
		struct vpdn_config *cfg = config_load(path, err, sizeof(err));

		if (cfg == NULL) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		if (vpdnd_resolve_user(&cfg->global, &run_uid, &run_gid, err,
			sizeof(err)) < 0) {
			fprintf(stderr, "%s: %s\n", path, err);
			config_free(cfg);
			return 1;
		}
		config_free(cfg);
		return 0;
	}

	log_init("vpdnd", LOG_LEVEL_INFO, to_syslog);
	d.cfg = vpdnd_load(path);
	if (d.cfg == NULL)
		return 1;
	log_set_level(debug ? LOG_LEVEL_DEBUG : d.cfg->global.log_level);
	signal(SIGPIPE, SIG_IGN);
	{
		char err[512];

		if (vpdnd_resolve_user(&d.cfg->global, &run_uid, &run_gid, err,
			sizeof(err)) < 0)
			fatalx("%s: %s", path, err);
	}

	if (udp_open(&d.udp, (struct sockaddr *)&d.cfg->global.listen.ss,
		d.cfg->global.listen.len) < 0)
		fatalx("cannot listen on the L2TP address");
	struct roles_io io;
	uint64_t now = time_now_ms();
	/* The loop and the RADIUS client exist before the roles: they watch
	 * TUN devices and send Accounting-On. */
	d.loop = ev_default_loop(EVFLAG_AUTO);
	d.io.loop = d.loop;
	d.io.send = vpdnd_udp_send;
	d.io.send_data = vpdnd_udp_send_data;
	d.io.before = vpdnd_before_io;
	d.io.after = vpdnd_after_io;
	d.io.arg = &d;
	if (d.cfg->radius.enabled &&
	    (d.io.radius = radius_client_from_config(d.loop, &d.cfg->radius)) ==
		NULL)
		fatalx("cannot set up roles");
	/* Before the roles: the LNS's sessions enter it from IPCP up, and
	 * loading needs privileges that go below. */
	if (vpdnd_fastpath_open(&d.cfg->global, &d.io.fp) < 0)
		fatalx("cannot start the kernel fast path");
	vpdnd_io_roles_io(&d.io, d.udp.family, &io);
	d.roles = roles_new(d.cfg, &io, now);
	if (d.roles == NULL)
		fatalx("cannot set up roles");
	if (d.cfg->radius.enabled && d.cfg->radius.dae_listen.len != 0 &&
	    (d.dae = vpdnd_dae_new(d.loop, &d.cfg->radius, d.roles,
		 vpdnd_after_io, &d)) == NULL)
		fatalx("cannot set up roles");

	d.ctl_ctx.host = roles_host(d.roles);
	d.ctl_ctx.hooks.arg = &d;
	d.ctl_ctx.hooks.describe_session = vpdnd_ctl_describe;
	d.ctl_ctx.hooks.disconnect_user = vpdnd_ctl_disconnect_user;
	d.ctl_ctx.hooks.set_rate_plan = vpdnd_ctl_set_rate_plan;
	d.ctl_ctx.hooks.reload = vpdnd_ctl_reload;
	d.ctl_ctx.hooks.show_pool = vpdnd_ctl_show_pool;
	d.ctl_ctx.hooks.show_clients = vpdnd_ctl_show_clients;
	d.ctl_ctx.hooks.trace = vpdnd_ctl_trace;
	d.ctl_ctx.hooks.tun_stats = vpdnd_ctl_tun_stats;
	d.ctl_ctx.hooks.pppoe_stats = vpdnd_ctl_pppoe_stats;
	d.ctl_ctx.hooks.foreach_lns = vpdnd_ctl_foreach_lns;
	d.ctl_ctx.hooks.policy_metrics = vpdnd_ctl_policy_metrics;
	d.ctl_ctx.hooks.pool_stats = vpdnd_ctl_pool_stats;
	d.ctl = ctl_server_new(d.loop, d.cfg->global.control_socket,
	    &d.ctl_ctx);
	if (d.ctl == NULL)
		fatalx("cannot open the control socket %s",
		    d.cfg->global.control_socket);
	if (d.cfg->global.metrics.len != 0 &&
	    (d.metrics = metrics_server_new(d.loop, &d.cfg->global.metrics,
		 &d.ctl_ctx)) == NULL)
		fatalx("cannot serve metrics");

	ev_io_init(&d.udp_watcher, vpdnd_on_udp, d.udp.fd, EV_READ);
	d.udp_watcher.data = &d;
	ev_io_start(d.loop, &d.udp_watcher);
	ev_init(&d.deadline, vpdnd_on_deadline);
	d.deadline.data = &d;
	d.grace.data = &d;
	ev_signal_init(&d.sig_hup, vpdnd_on_signal, SIGHUP);
	ev_signal_init(&d.sig_term, vpdnd_on_signal, SIGTERM);
	ev_signal_init(&d.sig_int, vpdnd_on_signal, SIGINT);
	d.sig_hup.data = d.sig_term.data = d.sig_int.data = &d;
	ev_signal_start(d.loop, &d.sig_hup);
	ev_signal_start(d.loop, &d.sig_term);
	ev_signal_start(d.loop, &d.sig_int);
	if (run_uid != 0)
		vpdnd_drop_privileges(run_uid, run_gid, d.cfg->global.user);

	{
		char buf[INET6_ADDRSTRLEN + 8];

		log_info("vpdnd %s listening on %s%s%s", VPDN_VERSION,
		    l2tp_addr_str(&d.udp.bound, buf, sizeof(buf)),
		    d.cfg->lns.enabled ? ", LNS" : "",
		    d.cfg->client_count > 0 ? ", client" : "");
	}
	vpdnd_rearm(&d);
	ev_run(d.loop, 0);

	if (d.trace != NULL)
		vpdnd_trace_end(&d, "stopped at exit");
	metrics_server_free(d.metrics);
	ctl_server_free(d.ctl);
	vpdnd_dae_free(d.dae);
	/* The roles took their sessions out of the maps as they ended. */
	roles_free(d.roles);
	vpdnd_fastpath_close(d.io.fp);
	radius_client_free(d.io.radius);
	udp_close(&d.udp);
	config_free(d.cfg);
	ev_loop_destroy(d.loop);
	return 0;
}
