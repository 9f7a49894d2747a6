/* roles_priv.h — state shared by the files of src/roles (roles.c, lns.c,
 * client.c, session_link.c and, through lac_priv.h, the LAC's); the rest of
 * the daemon sees the roles through roles.h (and the daemon fuzzer, which
 * inspects the state). */
#ifndef VPDN_ROLES_PRIV_H
#define VPDN_ROLES_PRIV_H

#include <bsd/sys/queue.h>

#include "config/users.h"
#include "core/heap.h"
#include "dataplane/addrmap.h"
#include "dataplane/ippool.h"
#include "dataplane/route.h"
#include "dataplane/tun.h"
#include "ppp/auth.h"
#include "ppp/link.h"
#include "radius/radius_client.h"
#include "radius/radius_dae.h"
#include "roles/aaa.h"
#include "roles/lns_peer.h"
#include "roles/lns_pools.h"
#include "roles/role_ops.h"
#include "roles/roles.h"
#include "roles/roles_util.h"

struct session_link;
struct client_pppoe;
struct sw;
struct client6_pd;
struct lac_realm;
LIST_HEAD(lac_realm_list, lac_realm);

enum client_state {
	CLIENT_IDLE,	    /* not dialled yet */
	CLIENT_DIALING,	    /* tunnel/session or PPPoE discovery */
	CLIENT_UP,	    /* session established (PADS for PPPoE) */
	CLIENT_HANGUP,	    /* session ended, tunnel being closed */
	CLIENT_WAIT_REDIAL, /* back-off before the next dial */
	CLIENT_STOPPED,	    /* redial = no, or shutting down */
};

struct client {
	struct roles *roles;
	/* Its tunnel's user pointer (role_ops.h); ctx is the client. */
	struct role_owner owner;
	TAILQ_ENTRY(client) entry; /* roles->clients */
	struct cfg_client cfg;	   /* copy: survives reloads */
	enum client_state state;
	struct l2tp_tunnel *tunnel;
	struct l2tp_session *session;
	/* pppoe-interface clients: socket, discovery and the PPPoE session
	 * (client.c); NULL for L2TP clients and between calls. */
	struct client_pppoe *pppoe;
	struct session_link *link; /* PPP on the session */
	struct tun tun;		   /* created when IPCP is up */
	void *tun_watch;
	struct route_ctx rt;
	uint64_t tun_drops;
	/* The LNS's L2TP address while the TUN exists (IPv4 host order, 0
	 * for PPPoE or an IPv6 LNS), and the host route to it that this
	 * call added and must remove (pin_ifindex 0: none of ours). */
	uint32_t lns_addr;
	uint16_t lns_port, local_port;
	uint32_t pin_gw;
	int pin_ifindex;
	uint64_t tun_loop_drops; /* own L2TP in the TUN */
	uint64_t redial_at;
	unsigned backoff_ms;
	unsigned dials;
	uint64_t up_since; /* IPCP up; 0 when not */
	uint32_t dns[2];   /* RFC 1877, host order; 0 none */
	/* IPv6CP (client_ipv6.c): up with these identifiers; the prefix
	 * the LNS's RA announced (SLAAC by the kernel). */
	bool v6_up, v6_configured, v6_have_prefix;
	uint8_t v6_local_id[8], v6_peer_id[8];
	uint8_t v6_prefix[16];
	uint8_t v6_prefix_len;
	/* DHCPv6 prefix delegation (client_dhcpv6.c); NULL when off. */
	struct client6_pd *pd;
	bool removed; /* gone from the config on reload */
	/* In the kernel fast path (client_fp.c): what was put into the maps
	 * and what earlier stints of the same PPP link (fp_link, compared
	 * only) carried, across LCP renegotiations. */
	bool fp_in;
	struct fastpath_session fp;
	struct fastpath_counters fp_done;
	const struct session_link *fp_link;
};

/* The LNS's shared state: users, pool, the one TUN and who owns which
 * address. */
/* One [peer]'s PPP link settings (lns.c, lns_conf_for); in a struct so
 * that the array's element is not a bare pointer. */
struct lns_peer_conf {
	struct ppp_link_conf *conf;
};
struct lns_al;

struct lns {
	/* The PPP settings of new sessions, made from the snapshot in force
	 * when the first one after start or reload came; live links hold
	 * their own reference (ppp/link.h). */
	struct ppp_link_conf *link_conf;
	/* The same per [peer] (index in cfg->peers; NULL until needed). */
	struct lns_peer_conf *peer_conf;
	unsigned npeer_conf;
	struct users_db *users;
	struct auth_backend backend;
	struct lns_pools pools; /* [0]: [lns] pool; then [pool NAME]s */
	struct lns_policy_stats policy;
	struct addrmap by_addr; /* peer address -> session_link */
	/* Every address a live session was given, from assignment to
	 * release, IPCP up or not: by_addr holds only the routed ones, and
	 * the pool knows only its own ranges, so this is what keeps a fixed
	 * address from going to a second session. */
	struct addrmap assigned;
	struct tun tun;
	void *tun_watch;
	struct route_ctx rt;
	uint64_t rx_spoofed, rx_bad_ip;
	uint64_t tun_not_ipv4, tun_no_session;
	uint64_t isolated;     /* isolate-sessions drops */
	uint64_t addr_refused; /* sessions refused: no address */
	/* RADIUS named a rate plan that does not exist, or sent rates
	 * that do not parse: the next source applied. */
	uint64_t rate_plan_refused;
	/* AAA (lns.c): RADIUS backend in use, session timers (Session-/
	 * Idle-Timeout, Interim-Update), accounted sessions, Framed-Routes. */
	bool radius;
	struct heap timers;
	unsigned acct_live;
	unsigned nframed;
	/* IPv6 for subscribers (lns_ipv6.c); NULL before lns_init. */
	struct lns6 *v6;
	/* Access lines of calls between ICRQ and ICCN (lns_access_line.h) */
	struct lns_al *al_pending;
};

struct roles {
	const struct vpdn_config *cfg;
	struct roles_io io;
	/* The `now` of the call into the roles being handled (roles_input,
	 * roles_run_timers, a watched descriptor, a RADIUS reply, the
	 * control calls): what is reached through a callback that carries
	 * no time of its own (PPP, authentication) reads it here. */
	uint64_t now;
	struct l2tp_host *host;
	/* Tunnels the host accepted from peers are the LNS's. */
	struct role_owner accepted;
	/* Every [client], each allocated on its own so that tunnels, PPP
	 * links, TUN watchers and PPPoE sockets may point at it across
	 * reloads: in configuration order, then the removed or changed ones
	 * still hanging up (client.c). */
	TAILQ_HEAD(client_list, client) clients;
	bool shutting_down;
	struct lns lns;
	/* Counters of the client TUN devices already closed. */
	struct roles_tun_stats tun_gone;
	/* PPP authentication failure back-off of every role's links. */
	struct authlimit *authlimit;
	/* AAA: RADIUS requests through io (an answer brings its own now:
	 * auth_result.now) and accounting (aaa.h). */
	struct radius_sender rsender;
	struct aaa *aaa;
	bool acct_off_sent;
	/* LAC calls with a Start and no Stop yet (lac_acct.c); the LNS's are
	 * lns.acct_live.  Accounting-Off waits for both to reach 0. */
	unsigned lac_acct_live;
	/* Every PPP link bound to a session, their timers, and the ended
	 * ones waiting to be freed (session_link.c). */
	LIST_HEAD(, session_link) links;
	struct heap link_timers;
	struct session_link *dead_links;
	/* [lac]: PPPoE access concentrator and its calls (lac.c). */
	struct lac *lac;
	/* [switch]: calls from other LACs placed again (switch.c). */
	struct sw *sw;
};

const char *client_state_str(enum client_state s);

/* [radius] is on and the io can send requests (the daemon always can with
 * [radius]; a seam without radius_send means none). */
static inline bool
roles_radius_enabled(const struct roles *r)
{
	return r->cfg->radius.enabled && r->io.ops->radius_send != NULL;
}

/* One operation of the seam (roles_io.h): RIO(r, tun_write, &t, p, n). */
#define RIO(r, op, ...) ((r)->io.ops->op((r)->io.ctx, __VA_ARGS__))

/* lns.c */
int lns_init(struct roles *r);
bool lns_owns(const struct session_link *sl);
/* The Acct-Terminate-Cause for a session we are about to end. */
void lns_set_cause(struct session_link *sl, enum aaa_cause cause);
void lns_run_timers(struct roles *r, uint64_t now);
uint64_t lns_next_deadline(const struct roles *r);
/* RFC 5176 Disconnect/CoA: sessions matching m (lns.c). */
unsigned lns_dae_disconnect(struct roles *r, const struct radius_dae_match *m,
    uint64_t now);
unsigned lns_dae_coa(struct roles *r, const struct radius_dae_match *m,
    const struct radius_dae_coa *c, uint64_t now, enum radius_dae_error *err);
int lns_set_rate_plan(struct roles *r, uint16_t session_id, const char *plan,
    uint64_t now, char *why, size_t whylen);
void lns_free(struct roles *r);
/* Reload in two steps, so that a broken users file changes nothing:
 * prepare loads the new file (NULL when the LNS does not run; -1 with
 * "FILE:LINE: message" in err), reconfigure puts it in force. */
int lns_reload_prepare(struct roles *r, const struct vpdn_config *cfg,
    struct users_db **users, char *err, size_t errlen);
void lns_reconfigure(struct roles *r, const struct vpdn_config *cfg,
    struct users_db *users);
void lns_link_config(const struct vpdn_config *cfg, struct ppp_link_config *lc);
/* The LNS's own object per session without a rate plan or the kernel
 * fast path, as allocated (test_session_size holds it to a budget). */
size_t lns_session_footprint(void);

/* client.c */
int clients_init(struct roles *r, uint64_t now);
void clients_free(struct roles *r);
void clients_reconfigure(struct roles *r, const struct vpdn_config *cfg,
    uint64_t now);
void clients_run_timers(struct roles *r, uint64_t now);
uint64_t clients_next_deadline(const struct roles *r);
void clients_shutdown(struct roles *r, uint64_t now);

/* lac.c, lac_tunnel.c (the LAC's own shared parts are in lac_priv.h):
 * the tunnels it opened carry lac_role_ops. */
int lac_init(struct roles *r, uint64_t now);
void lac_free(struct roles *r);
/* Reload in two steps like the LNS's: prepare builds the realms of cfg
 * (users files loaded; -1 with the reason in err), reconfigure installs
 * them and takes the rest of [lac]. */
int lac_reload_prepare(struct roles *r, const struct vpdn_config *cfg,
    struct lac_realm_list *realms, char *err, size_t errlen);
void lac_reconfigure(struct roles *r, const struct vpdn_config *cfg,
    struct lac_realm_list *realms, uint64_t now);
void lac_shutdown(struct roles *r);
void lac_run_timers(struct roles *r, uint64_t now);
uint64_t lac_next_deadline(const struct roles *r);
/* `vpdnctl disconnect user NAME` for the LAC's calls: CDN result 3 to the
 * LNS, PADT to the user, Admin-Reset in the Stop; returns how many. */
unsigned lac_disconnect_user(struct roles *r, const char *name);

/* Accounting-Off, once, and only after the last Stop of every role (a
 * daemon that is LAC and LNS sends one): RFC 2866 §5.1.  Here rather than
 * in roles.c because lns.c and lac_acct.c decide when their last Stop
 * went, and the roles call no further up than this header. */
static inline void
roles_accounting_off(struct roles *r)
{
	if (r->acct_off_sent || r->lns.acct_live > 0 || r->lac_acct_live > 0)
		return;
	r->acct_off_sent = true;
	aaa_accounting_off(r->aaa);
}

#endif
