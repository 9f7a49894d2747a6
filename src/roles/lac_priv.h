/*
 * lac_priv.h — what the LAC's files share (lac.c, lac_acct.c, lac_realm.c,
 * lac_tunnel.c): its state and one call's, and the few functions one file
 * calls in another.  Nothing outside src/roles/lac*.c includes it but the
 * memory budget test (tests/unit/test_session_size.c); the rest of the
 * daemon sees the LAC through roles_priv.h.
 *
 * Ownership: struct lac (roles->lac) holds the realms of the current and
 * of older configuration snapshots, the tunnels it opened towards LNSes
 * and the calls; a call points at its realm (counted), its tunnel and its
 * accounting record.
 */
#ifndef VPDN_ROLES_LAC_PRIV_H
#define VPDN_ROLES_LAC_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bsd/sys/queue.h>

#include "config/config.h"
#include "config/users.h"
#include "core/heap.h"
#include "l2tp/l2tp.h"
#include "ppp/auth.h"
#include "ppp/link.h"
#include "pppoe/pppoe_server.h"
#include "pppoe/pppoe_sock.h"
#include "radius/radius_auth.h"
#include "roles/aaa.h"
#include "roles/lac_radius.h"
#include "roles/roles_priv.h"

#define LAC_CONNECT_BPS		   100000000u /* Ethernet access, §4.4.5 */
#define LAC_MRU			   1400	      /* what the LNS's path carries */
#define LAC_QUEUE_MAX		   4	      /* frames held while dialling */
#define LAC_READ_BURST		   64
#define LAC_NAS_PORT_TYPE_ETHERNET RADIUS_NAS_PORT_TYPE_ETHERNET

enum lac_call_state {
	LAC_CALL_AUTH,	  /* LCP + authentication with the user */
	LAC_CALL_DIALING, /* tunnel/session to the LNS being set up */
	LAC_CALL_RELAY,	  /* L2TP session up: frames relayed */
	LAC_CALL_DONE,	  /* ended; waiting for lac_reap() */
};

/* A realm as the calls of one configuration snapshot see it. */
struct lac_realm {
	struct cfg_realm cfg;
	struct users_db *users; /* NULL: the LNS decides */
	struct auth_backend backend;
	unsigned next_lns; /* first LNS to try */
	unsigned refs;	   /* calls using it */
	bool retired;	   /* gone from the config */
	LIST_ENTRY(lac_realm) entry;
};

struct lac_tunnel;
struct lac_fp;	/* lac_fp.c */
struct sw_call; /* switch.c */

/* An LNS the LAC has dialled (lac_lns.c), by address: whether it is held
 * down after a failure, for `vpdnctl show lns` and the metrics.  Its
 * sessions and tunnels are counted from lac->tunnels when asked. */
struct lac_lns {
	struct l2tp_addr addr;
	char realms[CFG_MAX_STR]; /* who dialled it: "a.example,RADIUS" */
	uint64_t held_until;	  /* ms; 0: not held down */
	uint64_t failed_at;	  /* ms of the last failure; 0: none */
	uint64_t failures;
	char why[64]; /* the last failure */
	LIST_ENTRY(lac_lns) entry;
};

/* One call's accounting (aaa.h), allocated when the LAC accounts. */
struct lac_acct {
	const struct lac_call *call; /* whose */
	struct aaa_session s;
	struct aaa_counters ctr;
	struct aaa_access x;
	struct heap_node timer; /* Interim-Update */
	uint32_t interim_s;	/* 0: none */
	bool user_term;		/* user sent LCP Terminate */
};

/* A PPP frame from the user while the call dials, held until the L2TP
 * session is up: allocated at its own size (an IPCP request is a few
 * dozen octets), at most LAC_QUEUE_MAX, freed once relayed. */
struct lac_frame {
	struct lac_frame *next;
	size_t len;
	uint8_t b[];
};

struct lac_call {
	struct lac *lac;
	enum lac_call_state state;
	struct pppoe_session *ps; /* NULL once PADT went either way */
	uint16_t ps_id;
	uint8_t mac[PPPOE_MAC_LEN];
	struct session_link *sl; /* the front half; NULL once ended */
	struct l2tp_session *ls; /* NULL when none */
	struct lac_tunnel *lt;
	struct lac_realm *realm; /* NULL: routed by RADIUS only */
	struct lac_dest *dests;	 /* RADIUS's LNSes; NULL: the realm's */
	unsigned ndests;
	unsigned lns_idx, lns_tries;
	uint32_t tried; /* bit i: target i tried (or unusable) */
	/* the front half's backend, ctx = this call (realm users, RADIUS) */
	struct auth_backend backend;
	auth_done_fn *auth_done;
	void *auth_arg;
	uint64_t rhandle; /* RADIUS request pending */
	bool retry;	  /* on lac->retry: open on lns_idx */
	bool chosen;	  /* lns_idx is picked already (lac_call_select) */
	char user[AUTH_MAX_NAME];
	/* Dialling only, freed once the call is established (lac_session_up):
	 * an established call keeps the call, its PPPoE and L2TP sessions,
	 * nothing of the front half (test_session_size.c has the budget). */
	struct l2tp_msg *proxy;	 /* the ICCN's proxy AVPs */
	struct lac_frame *queue; /* frames from the user, oldest first */
	unsigned queued;
	struct lac_acct *acct; /* NULL: not accounted */
	struct lac_fp *fp;     /* NULL: never in the fast path */
	/* TR-101 line data of the PADR (or our own circuit id); NULL: none
	 * (lac_access_line.c) */
	struct access_line *al;
	/* A switched call's outgoing half (switch.h): no PPPoE, no PPP;
	 * its peer is another L2TP session.  NULL for PPPoE calls. */
	struct sw_call *sw;
	LIST_ENTRY(lac_call) entry;  /* lac->calls or lac->dead */
	LIST_ENTRY(lac_call) tentry; /* lt->calls or lac->retry */
};

struct lac_tunnel {
	struct lac *lac;
	struct l2tp_tunnel *t;
	struct role_owner owner; /* t's user pointer */
	struct l2tp_addr peer;
	uint8_t secret[CFG_MAX_STR];
	size_t secret_len;
	char assignment_id[254]; /* RFC 2868 §3.7 */
	char realm[CFG_MAX_STR]; /* who opened it (logs) */
	unsigned lns_idx;
	bool was_up, closing;
	unsigned ncalls;
	uint64_t idle_at; /* TIME_NEVER unless idle */
	LIST_HEAD(, lac_call) calls;
	LIST_ENTRY(lac_tunnel) entry;
};

struct lac {
	struct roles *roles;
	struct cfg_lac cfg;
	/* The front half's PPP settings for new calls, made when the first
	 * call after start or reload came; live links hold their own
	 * reference (ppp/link.h). */
	struct ppp_link_conf *link_conf;
	struct pppoe_sock sock;
	bool sock_open;
	void *watch_disc, *watch_ses;
	struct pppoe_server *srv;
	struct auth_backend radius; /* radius = yes */
	bool have_radius;
	bool acct;		       /* calls are accounted */
	struct heap acct_timers;       /* lac_acct.timer */
	struct lac_realm_list realms;  /* in force */
	struct lac_realm_list retired; /* held by calls */
	LIST_HEAD(, lac_tunnel) tunnels;
	LIST_HEAD(, lac_call) calls, dead, retry;
	LIST_HEAD(, lac_lns) lnses; /* lac_lns.c */
	unsigned nlns;
	uint8_t rxbuf[PPPOE_FRAME_MAX + 64];
	uint64_t refused_realm, refused_user, radius_routed;
};

/*
 * Where candidate i of a call goes: the RADIUS reply's tunnels when it
 * named any, else the realm's LNS list with the realm's secret.
 */
struct lac_target {
	const struct cfg_hostport *hp;
	const uint8_t *secret;
	size_t secret_len;
	const char *assignment_id; /* "" for realms */
	const char *label;	   /* logs */
	uint32_t preference;	   /* RFC 2868 §3.8; realms: see lac_lns.c */
	bool ipv6;		   /* Tunnel-Medium-Type IPv6 (§3.2) */
};

/* lac.c: ends a call once (PADT and/or CDN, detach from its tunnel); it is
 * freed later, from lac_reap(). */
void lac_call_end(struct lac_call *c, const char *reason, enum aaa_lac_end why,
    bool padt, bool cdn, uint16_t cdn_result);

/* lac.c: what the call holds now (the struct and what it allocated; its
 * PPPoE and L2TP sessions are not counted). */
size_t lac_call_footprint(const struct lac_call *c);

/* lac_acct.c: the call's RFC 2866 record (no-ops when not accounted). */
void lac_acct_new(struct lac_call *c, const struct radius_auth_reply *rep);
void lac_acct_start(struct lac_call *c, uint64_t now);
void lac_acct_schedule(struct lac *lac, struct lac_acct *a, uint64_t now);
void lac_acct_stop(struct lac_call *c, enum aaa_lac_end why, uint64_t now);
void lac_acct_free(struct lac *lac, struct lac_acct *a);

/* lac_fp.c: the call's data in the kernel fast path (roles_io.h fp_lac_*).
 * enter once established; leave before anything of the call goes (its
 * final counters join the accounting); check when the user path got data
 * for it (sequencing turned on, the tunnel's peer moved); free with the
 * call. */
void lac_fp_enter(struct lac_call *c);
void lac_fp_leave(struct lac_call *c);
void lac_fp_check(struct lac_call *c);
void lac_fp_free(struct lac_call *c);
/* The kernel's counters now (rx = user → LNS); zeros when not in. */
void lac_fp_counters(const struct lac_call *c, struct fastpath_counters *out);
/* The call's accounting counters with the kernel's added; c->acct set. */
void lac_fp_acct_counters(const struct lac_call *c, struct aaa_counters *out);
void lac_fp_describe(const struct lac_call *c, struct roles_session_view *v);
size_t lac_fp_footprint(const struct lac_call *c);

/* lac_realm.c: the realms of the configuration, and the calls'
 * authentication backend (lac_verify/lac_cancel, ctx = the call).  A
 * reload builds the new set whole (every users file loaded) before it
 * installs it, so a broken file leaves the set in force untouched. */
int lac_realms_build(const struct vpdn_config *cfg, struct lac_realm_list *list,
    char *err, size_t errlen);
void lac_realms_install(struct lac *lac, struct lac_realm_list *list);
void lac_realms_discard(struct lac_realm_list *list);
struct lac_realm *lac_realm_lookup(struct lac *lac, const char *name);
void lac_realm_release(struct lac_realm *lr);
uint64_t lac_verify(void *ctx, const struct auth_request *req,
    auth_done_fn *done, void *arg);
void lac_cancel(void *ctx, uint64_t handle);

/* lac_tunnel.c: where a call goes, and placing it in a tunnel. */
unsigned lac_call_ntargets(const struct lac_call *c);
void lac_call_target(const struct lac_call *c, unsigned i,
    struct lac_target *t);
int lac_call_dial(struct lac_call *c, uint64_t now);
void lac_tunnel_detach(struct lac_call *c, uint64_t now);
struct l2tp_msg *lac_proxy_msg(bool strip, const char *user,
    const struct ppp_proxy *f);

/* lac_lns.c: the LNSes dialled, their hold-down, and choosing one.
 * lac_call_select() picks the next target of c (lns-selection among those
 * not tried yet, skipping held-down LNSes unless all are), marks it tried
 * and resolves it into peer: its index, or -1 when none is left. */
int lac_call_select(struct lac_call *c, uint64_t now, struct l2tp_addr *peer);
/* The call's max-sessions-per-tunnel (0: no limit). */
unsigned lac_call_tunnel_limit(const struct lac_call *c);
/* Notes that label's calls use the LNS at a. */
void lac_lns_used(struct lac *lac, const struct l2tp_addr *a, const char *label,
    uint64_t now);
/* The LNS at a failed (why for logs and `show lns`): held down for
 * lns-holddown seconds from now. */
void lac_lns_failed(struct lac *lac, const struct l2tp_addr *a, const char *why,
    uint64_t now);
/* RFC 2661 §4.4.2: whether a CDN the LNS sent while the call was being
 * set up says the LNS is in trouble rather than the user refused. */
bool lac_cdn_is_lns_trouble(uint16_t result, uint16_t error);
void lac_lns_free_all(struct lac *lac);
/* lac_access_line.c: the call's access line from its PADR (pppoe
 * session_up), its share of the ICRQ/ICCN, and the circuit id format of
 * insert-circuit-id (%i interface, %v VLAN ID of "IF.VLAN" or 0, %m the
 * user's MAC; -1 if empty or over 63 octets). */
void lac_call_access_line(struct lac_call *c, const struct pppoe_session *s);
void lac_call_params_access_line(const struct lac_call *c,
    struct l2tp_call_params *cp);
int lac_circuit_id_format(const char *fmt, const char *ifname,
    const uint8_t mac[6], char *out, size_t cap);
/* Reload: the access-line keys of the new snapshot, for new calls. */
void lac_reconfigure_access_line(struct lac *lac,
    const struct vpdn_config *cfg);

/* lac.c: lac_role_ops' session events (the table is in lac_tunnel.c). */
void lac_session_up(struct roles *r, void *ctx, struct l2tp_session *s,
    const struct l2tp_msg *m, uint64_t now);
void lac_session_down(struct roles *r, void *ctx, struct l2tp_session *s,
    uint64_t now);
void lac_session_data(struct roles *r, void *ctx, struct l2tp_session *s,
    const uint8_t *frame, size_t len, uint64_t now);
void lac_describe_session(struct roles *r, void *ctx, struct l2tp_session *s,
    struct roles_session_view *v);
/* lac_tunnel.c: the user pointer of LAC tunnels whose lac_tunnel is gone. */
extern struct role_owner lac_gone_owner;

#endif
