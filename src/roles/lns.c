/*
 * lns.c — the LNS role: PPP server per incoming call, one TUN for all.
 *
 * The l2tp_host answers SCCRQs itself (accept_tunnels).  For each call that
 * connects (ICCN), a PPP server link (LCP, authentication against the users
 * file, IPCP with an address from the pool or the user's fixed address) runs
 * over the session (session_link.c).  Once IPCP is up, the user's /32 route
 * points into the one TUN device `interface`, and:
 *   TUN -> session: by destination address (addrmap, O(1));
 *   session -> TUN: only if the source is the address that session was given
 *                   (anti-spoofing; drops counted and rate-limit logged).
 * The address goes back to the pool on every way a session ends
 * (sl_role_ops.ended runs exactly once per binding).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "config/users.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "roles/roles_priv.h"
#include "roles/session_link.h"

#define LNS_TUN_BATCH	64
#define LNS_TUN_BUF	2048

static const char *
ip4_str(uint32_t a, char *buf, size_t len)
{
	struct in_addr in = { .s_addr = htonl(a) };

	return inet_ntop(AF_INET, &in, buf, (socklen_t)len);
}

enum ppp_auth_method
roles_auth_method(enum cfg_auth a)
{
	switch (a) {
	case CFG_AUTH_PAP:		return PPP_AUTH_PAP;
	case CFG_AUTH_CHAP_MD5:		return PPP_AUTH_CHAP_MD5;
	case CFG_AUTH_MSCHAPV2:		return PPP_AUTH_MSCHAPV2;
	}
	return PPP_AUTH_NONE;
}

/* ---- binding callbacks ---- */

static int
lns_assign_address(struct session_link *sl, const char *user,
    const struct auth_result *res, uint32_t *addr)
{
	struct lns *l = &sl->roles->lns;
	char buf[INET_ADDRSTRLEN];
	uint32_t a;

	if (res != NULL && res->framed_address != 0) {
		a = res->framed_address;
		/* A fixed address may lie outside the pool; it must still be
		 * free, or two users would share it. */
		if (addrmap_get(&l->by_addr, a) != NULL ||
		    (ippool_contains(&l->pool, a) &&
		    ippool_reserve(&l->pool, a) < 0)) {
			log_warnx("lns: user %s: fixed address %s is in use",
			    user, ip4_str(a, buf, sizeof(buf)));
			return -1;
		}
	} else {
		a = ippool_alloc(&l->pool);
		if (a == 0) {
			log_warnx("lns: user %s: address pool exhausted "
			    "(%u in use)", user, ippool_used(&l->pool));
			return -1;
		}
	}
	sl->peer_addr = a;
	*addr = a;
	return 0;
}

static void
lns_network_up(struct session_link *sl, uint32_t local, uint32_t peer,
    const uint32_t dns[2], unsigned dns_count)
{
	struct lns *l = &sl->roles->lns;
	char pbuf[INET_ADDRSTRLEN];

	(void)local;
	(void)dns;
	(void)dns_count;
	if (addrmap_insert(&l->by_addr, peer, sl) < 0) {
		log_warnx("lns: %s already routed to another session",
		    ip4_str(peer, pbuf, sizeof(pbuf)));
		sl_close(sl, "address conflict", time_now_ms());
		return;
	}
	sl->routed = true;
	if (route_add(&l->rt, l->tun.ifindex, peer, 32, 0) < 0)
		log_warnx("lns: route %s/32 dev %s: %s",
		    ip4_str(peer, pbuf, sizeof(pbuf)), l->tun.name,
		    route_error(&l->rt));
	log_info("lns: user %s is up with address %s",
	    ppp_link_user(sl->link), ip4_str(peer, pbuf, sizeof(pbuf)));
}

static void
lns_ip_input(struct session_link *sl, const uint8_t *pkt, size_t len)
{
	struct lns *l = &sl->roles->lns;
	uint32_t src;

	if (len < 20 || (pkt[0] >> 4) != 4) {
		l->rx_bad_ip++;
		return;
	}
	src = (uint32_t)pkt[12] << 24 | (uint32_t)pkt[13] << 16 |
	    (uint32_t)pkt[14] << 8 | pkt[15];
	if (src != sl->peer_addr || !sl->routed) {
		char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

		sl->spoofed++;
		l->rx_spoofed++;
		LOG_RL(LOG_LEVEL_WARN, "lns: user %s sent a packet from %s, "
		    "not its address %s: dropped", ppp_link_user(sl->link),
		    ip4_str(src, a, sizeof(a)),
		    ip4_str(sl->peer_addr, b, sizeof(b)));
		return;
	}
	(void)tun_write(&l->tun, pkt, len);
}

static void
lns_ended(struct session_link *sl, const char *reason)
{
	struct lns *l = &sl->roles->lns;
	char buf[INET_ADDRSTRLEN];

	if (sl->peer_addr != 0) {
		if (sl->routed) {
			addrmap_remove(&l->by_addr, sl->peer_addr);
			if (route_del(&l->rt, l->tun.ifindex, sl->peer_addr, 32,
			    0) < 0)
				log_debug("lns: route del: %s",
				    route_error(&l->rt));
			sl->routed = false;
		}
		if (ippool_contains(&l->pool, sl->peer_addr))
			(void)ippool_release(&l->pool, sl->peer_addr);
	}
	log_info("lns: user %s: session ended (%s)%s%s",
	    *ppp_link_user(sl->link) ? ppp_link_user(sl->link) : "(none)",
	    reason, sl->peer_addr ? ", released " : "",
	    sl->peer_addr ? ip4_str(sl->peer_addr, buf, sizeof(buf)) : "");
	sl->peer_addr = 0;
}

static const struct sl_role_ops lns_sl_ops = {
	.assign_address = lns_assign_address,
	.network_up = lns_network_up,
	.ip_input = lns_ip_input,
	.ended = lns_ended,
};

/* ---- TUN -> sessions ---- */

static void
lns_tun_readable(void *arg)
{
	struct roles *r = arg;
	struct lns *l = &r->lns;
	static uint8_t bufs[LNS_TUN_BATCH][LNS_TUN_BUF];
	struct tun_pkt pkts[LNS_TUN_BATCH];
	int n;

	for (int i = 0; i < LNS_TUN_BATCH; i++) {
		pkts[i].buf = bufs[i];
		pkts[i].cap = sizeof(bufs[i]);
	}
	n = tun_read_batch(&l->tun, pkts, LNS_TUN_BATCH);
	for (int i = 0; i < n; i++) {
		const uint8_t *p = pkts[i].buf;
		struct session_link *sl;
		uint32_t dst;

		if (pkts[i].len < 20 || (p[0] >> 4) != 4) {
			l->tun_not_ipv4++;
			continue;
		}
		dst = (uint32_t)p[16] << 24 | (uint32_t)p[17] << 16 |
		    (uint32_t)p[18] << 8 | p[19];
		sl = addrmap_get(&l->by_addr, dst);
		if (sl == NULL) {
			l->tun_no_session++;
			continue;
		}
		(void)sl_send_ip(sl, p, pkts[i].len);
	}
	sl_reap(r);
}

/* ---- L2TP session events ---- */

int
lns_session_request(struct roles *r, struct l2tp_session *s,
    const struct l2tp_msg *req)
{
	struct l2tp_session_info si;

	(void)r;
	l2tp_session_get_info(s, &si);
	/* RFC 2661 §7.4.2: the LNS answers ICRQ with ICRP when it can take
	 * the call; this LNS places no outgoing calls, so OCRQ is refused. */
	if (req->type == L2TP_MSG_ICRQ)
		return 0;
	log_info("session %u (tunnel %u): refusing %s: this LNS places no "
	    "outgoing calls", si.local_id, si.tunnel_local_id,
	    l2tp_msg_type_str(req->type));
	return L2TP_CDN_NO_RESOURCES;
}

void
lns_link_config(const struct vpdn_config *cfg, struct ppp_link_config *lc)
{
	memset(lc, 0, sizeof(*lc));
	lc->server = true;
	for (unsigned i = 0; i < cfg->lns.auth.count && i < 3; i++)
		lc->auth[lc->auth_count++] =
		    roles_auth_method(cfg->lns.auth.methods[i]);
	strlcpy(lc->our_name, cfg->global.hostname, sizeof(lc->our_name));
	lc->local_addr = cfg->lns.local_address;
	for (unsigned i = 0; i < cfg->lns.dns_count && i < 2; i++)
		lc->dns[lc->dns_count++] = cfg->lns.dns[i];
	lc->mru = (uint16_t)cfg->lns.mtu;
	lc->echo_interval_ms = 10000;
	lc->echo_failures = 3;
}

void
lns_session_up(struct roles *r, struct l2tp_session *s,
    const struct l2tp_msg *iccn)
{
	struct lns *l = &r->lns;
	struct l2tp_session_info si;
	struct ppp_link_config lc;
	struct session_link *sl;
	uint64_t now = time_now_ms();

	l2tp_session_get_info(s, &si);
	lns_link_config(r->cfg, &lc);
	sl = sl_new(r, &sl_l2tp_carrier, s, &lc, &l->backend, &lns_sl_ops,
	    NULL, now);
	if (sl == NULL) {
		log_warnx("session %u (tunnel %u): no memory for PPP",
		    si.local_id, si.tunnel_local_id);
		l2tp_session_close(s, L2TP_CDN_NO_RESOURCES, 0,
		    "out of memory", now);
		return;
	}
	l2tp_session_set_user(s, sl);
	/* RFC 2661 §4.4.5: trust the LAC's proxy LCP and authentication
	 * only when configured to; otherwise renegotiate everything. */
	if (r->cfg->lns.accept_proxy_auth && iccn != NULL)
		sl_set_proxy(sl, iccn);
	log_info("session %u/%u (tunnel %u): call connected, starting PPP",
	    si.local_id, si.peer_id, si.tunnel_local_id);
	sl_start(sl, now);
}

/* ---- lifetime ---- */

static int
lns_load_users(struct lns *l, const struct vpdn_config *cfg)
{
	char err[512];
	struct users_db *db;

	if (cfg->lns.users[0] == '\0') {
		db = users_parse("(no users file)", "", 0, err, sizeof(err));
	} else {
		db = users_load(cfg->lns.users, err, sizeof(err));
	}
	if (db == NULL) {
		log_error("lns: %s", err);
		return -1;
	}
	users_free(l->users);
	l->users = db;
	auth_users_backend(&l->backend, l->users);
	return 0;
}

int
lns_init(struct roles *r)
{
	struct lns *l = &r->lns;
	const struct vpdn_config *cfg = r->cfg;
	char buf[INET_ADDRSTRLEN];

	addrmap_init(&l->by_addr);
	l->tun.fd = -1;
	if (!cfg->lns.enabled)
		return 0;
	if (lns_load_users(l, cfg) < 0)
		return -1;
	if (ippool_init(&l->pool, cfg->lns.pool, cfg->lns.pool_count) < 0) {
		log_error("lns: cannot set up the address pool");
		return -1;
	}
	if (route_open(&l->rt) < 0) {
		log_error("lns: rtnetlink: %s", route_error(&l->rt));
		return -1;
	}
	if (tun_open(&l->tun, cfg->lns.interface) < 0) {
		log_error("lns: cannot create TUN device %s",
		    cfg->lns.interface);
		return -1;
	}
	if (route_link_set(&l->rt, l->tun.ifindex, true, cfg->lns.mtu) < 0 ||
	    route_addr_add(&l->rt, l->tun.ifindex, cfg->lns.local_address, 0,
	    32) < 0) {
		log_error("lns: setting up %s: %s", l->tun.name,
		    route_error(&l->rt));
		return -1;
	}
	l->tun_watch = r->io.watch(r->io_ctx, l->tun.fd, lns_tun_readable, r);
	log_info("lns: %s up with %s, pool of %u addresses", l->tun.name,
	    ip4_str(cfg->lns.local_address, buf, sizeof(buf)),
	    ippool_size(&l->pool));
	return 0;
}

void
lns_reconfigure(struct roles *r, const struct vpdn_config *cfg)
{
	struct lns *l = &r->lns;

	if (!cfg->lns.enabled || l->tun.fd < 0)
		return;
	if (lns_load_users(l, cfg) < 0)
		log_warnx("lns: reload: keeping the previous users file");
	if (ippool_reconfigure(&l->pool, cfg->lns.pool, cfg->lns.pool_count) < 0)
		log_warnx("lns: reload: keeping the previous pool");
	if (strcmp(cfg->lns.interface, l->tun.name) != 0)
		log_warnx("lns: reload: interface changes take effect at "
		    "the next restart");
}

void
lns_free(struct roles *r)
{
	struct lns *l = &r->lns;

	if (l->tun_watch != NULL)
		r->io.unwatch(r->io_ctx, l->tun_watch);
	l->tun_watch = NULL;
	if (l->tun.fd >= 0)
		tun_close(&l->tun);
	if (l->rt.nl != NULL)
		route_close(&l->rt);
	if (r->cfg->lns.enabled)
		ippool_free(&l->pool);
	addrmap_free(&l->by_addr);
	users_free(l->users);
	l->users = NULL;
}
