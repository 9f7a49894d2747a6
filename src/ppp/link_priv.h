/*
 * link_priv.h — what the three files of one PPP link share, and nothing
 * outside src/ppp/link*.c includes:
 *   link.c        the RFC 1661 §3 phase machine and protocol demultiplexer
 *                 (struct ppp_link, its life cycle and the public API)
 *   link_lac.c    a LAC's front half (RFC 2661 §4.4.5): LCP and
 *                 authentication only, capturing what the proxy AVPs carry,
 *                 then handing the call over (struct link_lac)
 *   link_proxy.c  an LNS's acceptance of the proxy LCP and proxy
 *                 authentication an ICCN carries (struct link_proxy)
 *
 * Ownership: struct ppp_link owns its optional parts (px, lac, v6, the
 * auth exchanges); each is freed by the file that allocates it, and only
 * from ppp_link_free() or once its phase has used it.
 */
#ifndef VPDN_PPP_LINK_PRIV_H
#define VPDN_PPP_LINK_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppp/auth.h"
#include "ppp/cp.h"
#include "ppp/ipcp.h"
#include "ppp/lcp.h"
#include "ppp/link.h"

/* A configuration as links use it (ppp_link_conf_new): normalised, then
 * never written; freed, wiped, with its last reference. */
struct ppp_link_conf {
	struct ppp_link_config cfg;
	unsigned refs;
};

/* Proxy LCP/auth from an ICCN (RFC 2661 §4.4.5): allocated by
 * ppp_link_set_proxy(), freed once authentication has used it. */
struct link_proxy {
	struct auth_request req;
	struct auth_result res;
	uint64_t handle;
	bool auth; /* req usable */
	bool pending, in_verify, done, ok;
	size_t sent_len, rcvd_len;
	uint8_t opts[]; /* sent, then rcvd */
};

/* LAC mode: the LCP CONFREQ options seen, the proof the backend saw;
 * allocated only for a LAC's front-half link. */
struct link_lac {
	uint8_t init[CP_MAX_PKT], sent[CP_MAX_PKT], rcvd[CP_MAX_PKT];
	size_t init_len, sent_len, rcvd_len;
	bool have_init;
	struct auth_request req;
	struct auth_backend backend;	 /* wraps backend, keeps req */
	struct ppp_link_lac_hooks hooks; /* the owner's, copied */
};

/*
 * Kept small (50,000 sessions at <= 2 KiB each, tests/unit/
 * test_session_size.c): what only some
 * links need (IPv6CP, proxy data, LAC buffers, the authenticated name) is
 * allocated on demand; the send buffer is one daemon-wide static buffer.
 */
struct ppp_link {
	struct ppp_link_conf *conf; /* held: shared, read-only */
	struct auth_backend backend;
	const struct ppp_link_ops *ops;
	void *ctx;
	struct lcp lcp;
	struct ipcp ipcp;
	struct ipv6cp *v6; /* cfg->ipv6cp only */
	struct auth_server *as;
	struct auth_client *ac;
	char *user; /* authenticated name; NULL before */
	/* deferred teardown (see link.c) */
	const char *fail_reason;
	char *reason; /* why the link went down; copied */
	struct link_proxy *px;
	struct link_lac *lac;	/* LAC front half only */
	struct link_held *held; /* NCP packets early; see link.c */
	struct ppp_link_stats stats;
	uint64_t now;
	uint64_t negotiate_deadline; /* TIME_NEVER once an NCP is up */
	enum ppp_phase phase;
	bool have_backend;
	bool authed;
	bool fail_skip_terminate; /* the peer is dead */
	bool dead;		  /* ops->down called */
	bool relay;		  /* LAC: reported; link inert */
	bool net_up;		  /* ops->network_up called */
	bool assigned;		  /* ops->assign_address succeeded */
	/* RFC 1661 §3.5: each NCP on its own; the link ends only when
	 * every one configured has finished without opening. */
	bool v6_up;			   /* ops->network6_up called */
	bool ipcp_failed;		   /* IPCP This-Layer-Finished */
	bool v6_failed;			   /* IPv6CP This-Layer-Finished */
	uint8_t up6_local[8], up6_peer[8]; /* network6_up with these */
	uint32_t up_local, up_peer;	   /* with these */
};

/* link.c: the phase machine's steps the other two files take. */
const char *link_user_name(const struct ppp_link *l);
const char *link_why(const struct ppp_link *l);
/* Deferred teardown, acted on by link_settle(): with skip_terminate the
 * link goes down without a Terminate-Request (the peer is dead). */
void link_request_fail(struct ppp_link *l, const char *reason,
    bool skip_terminate);
void link_auth_done(void *ctx, bool ok, const char *user,
    const struct auth_result *res);
void link_auth_describe(void *ctx, struct auth_request *req);
void link_start_auth_server(struct ppp_link *l, enum ppp_auth_method m);
void link_settle(struct ppp_link *l);

/* link_lac.c */
int link_lac_init(struct ppp_link *l, const struct ppp_link_lac_hooks *hooks);
void link_lac_free(struct ppp_link *l);
void link_lac_keep_sent(struct ppp_link *l, const uint8_t *pkt, size_t len);
void link_lac_keep_rcvd(struct ppp_link *l, const uint8_t *pkt, size_t len);
void link_lac_report(struct ppp_link *l);
void link_lac_close(struct ppp_link *l);

/* link_proxy.c */
void link_proxy_release(struct ppp_link *l);
void link_proxy_cancel(struct ppp_link *l);
bool link_proxy_lcp_open(struct ppp_link *l, uint64_t now);
bool link_proxy_auth(struct ppp_link *l, enum ppp_auth_method m);

#endif
