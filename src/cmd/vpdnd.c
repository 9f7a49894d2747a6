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
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <bsd/string.h>
#include <ev.h>

#include "config/config.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "ctl/ctl_server.h"
#include "ctl/metrics.h"
#include "ctl/json.h"
#include "ctl/table.h"
#include "dataplane/udp.h"
#include "roles/roles.h"

#define VPDN_VERSION		"0.1.0"
#define SHUTDOWN_GRACE_MS	5000

struct vpdnd {
	struct ev_loop		*loop;
	struct vpdn_config	*cfg;
	struct roles		*roles;
	struct udp_sock		 udp;
	struct ctl_server	*ctl;
	struct metrics_server	*metrics;	/* NULL: no metrics = */
	struct ctl_ctx		 ctl_ctx;
	ev_io			 udp_watcher;
	ev_timer		 deadline;
	ev_timer		 grace;
	ev_signal		 sig_hup, sig_term, sig_int;
	bool			 stopping;
};

static void vpdnd_rearm(struct vpdnd *d);

static void
vpdnd_udp_send(void *ctx, const struct l2tp_addr *local,
    const struct l2tp_addr *peer, const uint8_t *pkt, size_t len)
{
	struct vpdnd *d = ctx;

	(void)udp_send(&d->udp, local, peer, pkt, len);
}

static void
vpdnd_datagram(void *ctx, const uint8_t *pkt, size_t len,
    const struct l2tp_addr *local, const struct l2tp_addr *peer)
{
	struct vpdnd *d = ctx;

	roles_input(d->roles, pkt, len, local, peer, time_now_ms());
}

/* A file descriptor the roles watch (TUN devices): one ev_io each. */
struct vpdnd_watch {
	ev_io		  io;
	struct vpdnd	 *d;
	void		(*readable)(void *arg);
	void		 *arg;
};

static void
vpdnd_on_watch(struct ev_loop *loop, ev_io *w, int revents)
{
	struct vpdnd_watch *vw = (struct vpdnd_watch *)w;

	(void)loop;
	(void)revents;
	vw->readable(vw->arg);
	vpdnd_rearm(vw->d);
}

static void *
vpdnd_watch(void *ctx, int fd, void (*readable)(void *arg), void *arg)
{
	struct vpdnd *d = ctx;
	struct vpdnd_watch *vw = calloc(1, sizeof(*vw));

	if (vw == NULL)
		return NULL;
	vw->d = d;
	vw->readable = readable;
	vw->arg = arg;
	ev_io_init(&vw->io, vpdnd_on_watch, fd, EV_READ);
	ev_io_start(d->loop, &vw->io);
	return vw;
}

static void
vpdnd_unwatch(void *ctx, void *handle)
{
	struct vpdnd *d = ctx;
	struct vpdnd_watch *vw = handle;

	if (vw == NULL)
		return;
	ev_io_stop(d->loop, &vw->io);
	free(vw);
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

/* SIGHUP and `vpdnctl reload`: a broken file is refused and the running
 * configuration kept; otherwise each role diffs old against new. */
static int
vpdnd_reload(struct vpdnd *d, char *msg, size_t msglen)
{
	char err[512];
	struct vpdn_config *ncfg;

	ncfg = config_load(d->cfg->path, err, sizeof(err));
	if (ncfg == NULL) {
		log_error("reload refused, keeping the running configuration: "
		    "%s", err);
		snprintf(msg, msglen, "%s", err);
		return -1;
	}
	if (strcmp(ncfg->global.control_socket,
	    d->cfg->global.control_socket) != 0 ||
	    memcmp(&ncfg->global.listen, &d->cfg->global.listen,
	    sizeof(ncfg->global.listen)) != 0)
		log_warnx("reload: listen and control-socket changes take "
		    "effect at the next restart");
	log_set_level(ncfg->global.log_level);
	roles_reconfigure(d->roles, ncfg, time_now_ms());
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
	struct json	*json;
	struct table	*table;
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

/* `vpdnctl show pool`: {"pools":[{"range","size","used"}],"leases":[...]} */
static int
vpdnd_ctl_show_pool(void *arg, bool json, struct ctl_reply *r)
{
	static const struct table_col range_cols[] = {
		{ "RANGE", TABLE_LEFT }, { "SIZE", TABLE_RIGHT },
		{ "USED", TABLE_RIGHT }, { "FREE", TABLE_RIGHT },
	};
	static const struct table_col lease_cols[] = {
		{ "ADDRESS", TABLE_LEFT }, { "USER", TABLE_LEFT },
		{ "TUNNEL", TABLE_RIGHT }, { "SESSION", TABLE_RIGHT },
	};
	struct vpdnd *d = arg;
	uint32_t first, last, used;
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], range[40];
	struct pool_render pr = { NULL, NULL };
	struct json j;
	struct table t;

	if (!d->cfg->lns.enabled)
		return ctl_reply_err(r, "no address pool: this daemon is "
		    "not an LNS");
	if (json) {
		json_init(&j, &r->body);
		json_obj_begin(&j);
		json_key(&j, "pools");
		json_arr_begin(&j);
	} else {
		table_init(&t, range_cols, 4);
	}
	for (unsigned i = 0; roles_pool_range(d->roles, i, &first, &last,
	    &used); i++) {
		ip4_str(first, a, sizeof(a));
		ip4_str(last, b, sizeof(b));
		snprintf(range, sizeof(range), "%s-%s", a, b);
		if (json) {
			json_obj_begin(&j);
			json_kv_str(&j, "range", range);
			json_kv_u64(&j, "size", last - first + 1);
			json_kv_u64(&j, "used", used);
			json_obj_end(&j);
		} else {
			table_row(&t);
			table_cell(&t, range);
			table_cell_u64(&t, last - first + 1);
			table_cell_u64(&t, used);
			table_cell_u64(&t, last - first + 1 - used);
		}
	}
	if (json) {
		json_arr_end(&j);
		json_key(&j, "leases");
		json_arr_begin(&j);
		pr.json = &j;
		roles_foreach_lease(d->roles, vpdnd_render_lease, &pr);
		json_arr_end(&j);
		json_obj_end(&j);
		strbuf_putc(&r->body, '\n');
		return 0;
	}
	table_render(&t, &r->body);
	table_free(&t);
	strbuf_putc(&r->body, '\n');
	table_init(&t, lease_cols, 4);
	pr.table = &t;
	roles_foreach_lease(d->roles, vpdnd_render_lease, &pr);
	table_render(&t, &r->body);
	table_free(&t);
	return 0;
}

static void
vpdnd_on_grace(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)revents;
	(void)w;
	log_warnx("shutdown: peers did not acknowledge in %d ms; exiting",
	    SHUTDOWN_GRACE_MS);
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
	ev_timer_init(&d->grace, vpdnd_on_grace,
	    SHUTDOWN_GRACE_MS / 1000.0, 0.0);
	ev_timer_start(loop, &d->grace);
	vpdnd_rearm(d);
	vpdnd_check_stopped(d);
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: vpdnd -c FILE [-C] [--syslog] [-d]\n"
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
		config_free(cfg);
		return 0;
	}

	log_init("vpdnd", LOG_LEVEL_INFO, to_syslog);
	d.cfg = vpdnd_load(path);
	if (d.cfg == NULL)
		return 1;
	log_set_level(debug ? LOG_LEVEL_DEBUG : d.cfg->global.log_level);
	signal(SIGPIPE, SIG_IGN);

	if (udp_open(&d.udp, (struct sockaddr *)&d.cfg->global.listen.ss,
	    d.cfg->global.listen.len) < 0)
		fatalx("cannot listen on the L2TP address");
	struct roles_io io = {
		.send = vpdnd_udp_send,
		.watch = vpdnd_watch,
		.unwatch = vpdnd_unwatch,
		.family = d.udp.family,
	};
	uint64_t now = time_now_ms();
	/* The loop exists before the roles: they watch TUN devices. */
	d.loop = ev_default_loop(EVFLAG_AUTO);
	d.roles = roles_new(d.cfg, &io, &d, now);
	if (d.roles == NULL)
		fatalx("cannot set up roles");

	d.ctl_ctx.host = roles_host(d.roles);
	d.ctl_ctx.hooks.arg = &d;
	d.ctl_ctx.hooks.describe_session = vpdnd_ctl_describe;
	d.ctl_ctx.hooks.disconnect_user = vpdnd_ctl_disconnect_user;
	d.ctl_ctx.hooks.reload = vpdnd_ctl_reload;
	d.ctl_ctx.hooks.show_pool = vpdnd_ctl_show_pool;
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

	{
		char buf[INET6_ADDRSTRLEN + 8];

		log_info("vpdnd %s listening on %s%s%s", VPDN_VERSION,
		    l2tp_addr_str(&d.udp.bound, buf, sizeof(buf)),
		    d.cfg->lns.enabled ? ", LNS" : "",
		    d.cfg->client_count > 0 ? ", client" : "");
	}
	vpdnd_rearm(&d);
	ev_run(d.loop, 0);

	metrics_server_free(d.metrics);
	ctl_server_free(d.ctl);
	roles_free(d.roles);
	udp_close(&d.udp);
	config_free(d.cfg);
	ev_loop_destroy(d.loop);
	return 0;
}
