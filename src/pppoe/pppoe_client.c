/*
 * pppoe_client.c — host-side PPPoE discovery and session.
 */
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "core/log.h"
#include "core/random.h"
#include "core/timeutil.h"
#include "pppoe/pppoe_client.h"

#define HOST_UNIQ_LEN 8
#define TAG_COPY_MAX  512 /* longest AC-Cookie / Relay-Session-Id kept */
#define AC_NAME_MAX   64

struct pppoe_client {
	struct pppoe_client_config cfg;
	char service[PPPOE_ETH_PAYLOAD_MAX + 1];
	char want_ac[AC_NAME_MAX + 1];
	const struct pppoe_client_ops *ops;
	void *ctx;
	enum pppoe_client_state state;
	uint8_t host_uniq[HOST_UNIQ_LEN];
	unsigned padi_sent, padr_sent;
	unsigned wait_ms;
	uint64_t deadline;
	/* From the chosen PADO. */
	uint8_t ac_mac[PPPOE_MAC_LEN];
	char ac_name[AC_NAME_MAX + 1];
	uint8_t cookie[TAG_COPY_MAX];
	uint16_t cookie_len;
	bool have_cookie;
	uint8_t relay[TAG_COPY_MAX];
	uint16_t relay_len;
	bool have_relay;
	uint16_t sid;
	struct pppoe_client_stats stats;
};

/* clang-format off */
static const uint8_t bcast[PPPOE_MAC_LEN] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff
};
/* clang-format on */

const char *
pppoe_client_state_str(enum pppoe_client_state st)
{
	switch (st) {
	/* clang-format off */
	case PPPOE_CLIENT_IDLE:		return "idle";
	case PPPOE_CLIENT_PADI_SENT:	return "padi-sent";
	case PPPOE_CLIENT_PADR_SENT:	return "padr-sent";
	case PPPOE_CLIENT_SESSION:	return "session";
		/* clang-format on */
	}
	return "unknown";
}

struct pppoe_client *
pppoe_client_new(const struct pppoe_client_config *cfg,
    const struct pppoe_client_ops *ops, void *ctx)
{
	struct pppoe_client *c;

	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->cfg = *cfg;
	if (c->cfg.timeout_ms == 0)
		c->cfg.timeout_ms = 1000;
	if (c->cfg.padi_tries == 0)
		c->cfg.padi_tries = 4;
	if (c->cfg.padr_tries == 0)
		c->cfg.padr_tries = 3;
	if (cfg->service_name != NULL)
		strlcpy(c->service, cfg->service_name, sizeof(c->service));
	if (cfg->ac_name != NULL)
		strlcpy(c->want_ac, cfg->ac_name, sizeof(c->want_ac));
	c->cfg.service_name = c->service;
	c->cfg.ac_name = c->want_ac;
	c->ops = ops;
	c->ctx = ctx;
	c->deadline = TIME_NEVER;
	return c;
}

void
pppoe_client_free(struct pppoe_client *c)
{
	free(c);
}

static void
disc_init(struct pppoe_client *c, struct pppoe_pkt *p, uint8_t code,
    const uint8_t *dst)
{
	memset(p, 0, sizeof(*p));
	memcpy(p->dst, dst, PPPOE_MAC_LEN);
	memcpy(p->src, c->cfg.mac, PPPOE_MAC_LEN);
	p->code = code;
}

static void
send_pkt(struct pppoe_client *c, const struct pppoe_pkt *p)
{
	uint8_t f[PPPOE_FRAME_MAX];
	int n = pppoe_build_disc(f, sizeof(f), p);

	if (n > 0)
		(void)c->ops->send_frame(c->ctx, f, (size_t)n);
}

static void
send_padi(struct pppoe_client *c, uint64_t now)
{
	struct pppoe_pkt p;

	/* §5.1: broadcast, exactly one Service-Name. */
	disc_init(c, &p, PPPOE_CODE_PADI, bcast);
	p.nservice = 1;
	p.service[0] = pppoe_tag_str_val(c->service);
	p.present = PPPOE_HAVE_HOST_UNIQ;
	p.host_uniq.p = c->host_uniq;
	p.host_uniq.len = HOST_UNIQ_LEN;
	send_pkt(c, &p);
	c->stats.padi_tx++;
	c->padi_sent++;
	c->deadline = now + c->wait_ms;
}

static void
send_padr(struct pppoe_client *c, uint64_t now)
{
	struct pppoe_pkt p;

	/* §5.3: unicast to the chosen AC, one Service-Name; App. A: the
	 * AC-Cookie and Relay-Session-Id returned unmodified. */
	disc_init(c, &p, PPPOE_CODE_PADR, c->ac_mac);
	p.nservice = 1;
	p.service[0] = pppoe_tag_str_val(c->service);
	p.present = PPPOE_HAVE_HOST_UNIQ;
	p.host_uniq.p = c->host_uniq;
	p.host_uniq.len = HOST_UNIQ_LEN;
	if (c->have_cookie) {
		p.present |= PPPOE_HAVE_AC_COOKIE;
		p.ac_cookie.p = c->cookie;
		p.ac_cookie.len = c->cookie_len;
	}
	if (c->have_relay) {
		p.present |= PPPOE_HAVE_RELAY_ID;
		p.relay_id.p = c->relay;
		p.relay_id.len = c->relay_len;
	}
	send_pkt(c, &p);
	c->stats.padr_tx++;
	c->padr_sent++;
	c->deadline = now + c->wait_ms;
}

static void
discovery_begin(struct pppoe_client *c, uint64_t now)
{
	/* A fresh Host-Uniq per round: late PADOs of an earlier round do
	 * not match (App. A: it associates a response with a request). */
	random_bytes(c->host_uniq, sizeof(c->host_uniq));
	c->state = PPPOE_CLIENT_PADI_SENT;
	c->wait_ms = c->cfg.timeout_ms;
	c->padr_sent = 0;
	c->have_cookie = c->have_relay = false;
	send_padi(c, now);
}

int
pppoe_client_start(struct pppoe_client *c, uint64_t now)
{
	if (c->state != PPPOE_CLIENT_IDLE)
		return -1;
	c->padi_sent = 0;
	c->sid = 0;
	discovery_begin(c, now);
	return 0;
}

static void
go_down(struct pppoe_client *c, const char *reason, uint64_t now)
{
	c->state = PPPOE_CLIENT_IDLE;
	c->deadline = TIME_NEVER;
	c->sid = 0;
	c->ops->down(c->ctx, reason, now);
}

void
pppoe_client_timeout(struct pppoe_client *c, uint64_t now)
{
	if (c->deadline == TIME_NEVER || now < c->deadline)
		return;
	switch (c->state) {
	case PPPOE_CLIENT_PADI_SENT:
		/* §8: resend the PADI and double the waiting period. */
		if (c->padi_sent >= c->cfg.padi_tries) {
			go_down(c, "no PADO: no access concentrator answered",
			    now);
			return;
		}
		c->wait_ms *= 2;
		send_padi(c, now);
		return;
	case PPPOE_CLIENT_PADR_SENT:
		if (c->padr_sent < c->cfg.padr_tries) {
			c->wait_ms *= 2;
			send_padr(c, now);
			return;
		}
		/* §8: "After a specified number of retries, the Host
		 * SHOULD then resend a PADI packet." */
		if (c->padi_sent >= c->cfg.padi_tries) {
			go_down(c,
			    "no PADS: the access concentrator did not "
			    "confirm the session",
			    now);
			return;
		}
		discovery_begin(c, now);
		return;
	case PPPOE_CLIENT_IDLE:
	case PPPOE_CLIENT_SESSION:
		break;
	}
	c->deadline = TIME_NEVER;
}

uint64_t
pppoe_client_next_deadline(const struct pppoe_client *c)
{
	return c->deadline;
}

static bool
tag_eq_str(const struct pppoe_tag_val *v, const char *s)
{
	size_t n = strlen(s);

	return v->len == n && (n == 0 || memcmp(v->p, s, n) == 0);
}

static bool
host_uniq_ok(const struct pppoe_client *c, const struct pppoe_pkt *p)
{
	return (p->present & PPPOE_HAVE_HOST_UNIQ) &&
	    p->host_uniq.len == HOST_UNIQ_LEN &&
	    memcmp(p->host_uniq.p, c->host_uniq, HOST_UNIQ_LEN) == 0;
}

static void
tag_text(char *dst, size_t cap, const char *prefix,
    const struct pppoe_tag_val *v)
{
	size_t n = strlcpy(dst, prefix, cap);

	if (n >= cap || v->len == 0)
		return;
	n += strlcpy(dst + n, ": ", cap - n);
	for (size_t i = 0; i < v->len && n + 1 < cap; i++) {
		uint8_t ch = v->p[i];

		dst[n++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	dst[n < cap ? n : cap - 1] = '\0';
}

static void
on_pado(struct pppoe_client *c, const struct pppoe_pkt *p, uint64_t now)
{
	bool svc_ok;
	size_t n;

	c->stats.pado_rx++;
	if (c->state != PPPOE_CLIENT_PADI_SENT || !host_uniq_ok(c, p) ||
	    (p->present & PPPOE_HAVE_ANY_ERR)) {
		c->stats.ignored++;
		return;
	}
	if (c->want_ac[0] != '\0' && !tag_eq_str(&p->ac_name, c->want_ac)) {
		c->stats.ignored++;
		return;
	}
	/* §5.2: the PADO carries a Service-Name identical to ours. */
	svc_ok = c->service[0] == '\0';
	for (unsigned i = 0; i < p->nservice && i < PPPOE_MAX_SERVICES; i++)
		svc_ok = svc_ok || tag_eq_str(&p->service[i], c->service);
	if (!svc_ok || p->ac_cookie.len > TAG_COPY_MAX ||
	    p->relay_id.len > TAG_COPY_MAX) {
		c->stats.ignored++;
		return;
	}
	memcpy(c->ac_mac, p->src, PPPOE_MAC_LEN);
	n = p->ac_name.len < AC_NAME_MAX ? p->ac_name.len : AC_NAME_MAX;
	if (n > 0)
		memcpy(c->ac_name, p->ac_name.p, n);
	c->ac_name[n] = '\0';
	c->have_cookie = (p->present & PPPOE_HAVE_AC_COOKIE) != 0;
	c->cookie_len = p->ac_cookie.len;
	if (c->cookie_len > 0)
		memcpy(c->cookie, p->ac_cookie.p, c->cookie_len);
	c->have_relay = (p->present & PPPOE_HAVE_RELAY_ID) != 0;
	c->relay_len = p->relay_id.len;
	if (c->relay_len > 0)
		memcpy(c->relay, p->relay_id.p, c->relay_len);
	c->state = PPPOE_CLIENT_PADR_SENT;
	c->wait_ms = c->cfg.timeout_ms;
	c->padr_sent = 0;
	send_padr(c, now);
}

static void
on_pads(struct pppoe_client *c, const struct pppoe_pkt *p, uint64_t now)
{
	char reason[128];

	c->stats.pads_rx++;
	if (c->state != PPPOE_CLIENT_PADR_SENT ||
	    memcmp(p->src, c->ac_mac, PPPOE_MAC_LEN) != 0 ||
	    !host_uniq_ok(c, p)) {
		c->stats.ignored++;
		return;
	}
	/* §5.4: a refusal has SESSION_ID 0 and an error TAG. */
	if (p->session_id == 0 || (p->present & PPPOE_HAVE_ANY_ERR)) {
		if (p->present & PPPOE_HAVE_SVC_ERR)
			tag_text(reason, sizeof(reason),
			    "PADS: Service-Name-Error", &p->svc_err);
		else if (p->present & PPPOE_HAVE_SYS_ERR)
			tag_text(reason, sizeof(reason),
			    "PADS: AC-System-Error", &p->sys_err);
		else
			tag_text(reason, sizeof(reason), "PADS: Generic-Error",
			    &p->gen_err);
		go_down(c, reason, now);
		return;
	}
	c->sid = p->session_id;
	c->state = PPPOE_CLIENT_SESSION;
	c->deadline = TIME_NEVER;
	c->ops->up(c->ctx, c->sid, c->ac_mac, now);
}

static bool
from_our_ac(const struct pppoe_client *c, const struct pppoe_pkt *p)
{
	return c->state == PPPOE_CLIENT_SESSION && p->session_id == c->sid &&
	    memcmp(p->src, c->ac_mac, PPPOE_MAC_LEN) == 0;
}

void
pppoe_client_input(struct pppoe_client *c, const uint8_t *frame, size_t len,
    uint64_t now)
{
	struct pppoe_pkt p;
	char reason[128];

	if (pppoe_parse(frame, len, &p) != PPPOE_OK) {
		c->stats.malformed++;
		return;
	}
	/* Everything an AC sends to a host is unicast (§5.2, §5.4, §6). */
	if (memcmp(p.dst, c->cfg.mac, PPPOE_MAC_LEN) != 0) {
		c->stats.ignored++;
		return;
	}
	if (p.ethertype == PPPOE_ETHERTYPE_SES) {
		if (!from_our_ac(c, &p)) {
			c->stats.ignored++;
			return;
		}
		c->stats.rx_frames++;
		c->ops->data(c->ctx, p.payload, p.payload_len, now);
		return;
	}
	switch ((enum pppoe_code)p.code) {
	case PPPOE_CODE_PADO:
		on_pado(c, &p, now);
		break;
	case PPPOE_CODE_PADS:
		on_pads(c, &p, now);
		break;
	case PPPOE_CODE_PADT:
		c->stats.padt_rx++;
		if (!from_our_ac(c, &p)) {
			c->stats.ignored++;
			break;
		}
		/* §5.5: no further PPP traffic, not even LCP Terminate. */
		tag_text(reason, sizeof(reason),
		    "PADT from access concentrator", &p.gen_err);
		go_down(c, reason, now);
		break;
	case PPPOE_CODE_PADI:
	case PPPOE_CODE_PADR:
	case PPPOE_CODE_SESSION:
		c->stats.ignored++;
		break;
	}
}

int
pppoe_client_send(struct pppoe_client *c, const uint8_t *ppp, size_t len)
{
	uint8_t f[PPPOE_FRAME_MAX];
	int n;

	if (c->state != PPPOE_CLIENT_SESSION)
		return -1;
	if (len >= 2 && ppp[0] == 0xff && ppp[1] == 0x03) {
		ppp += 2;
		len -= 2;
	}
	n = pppoe_build_session(f, sizeof(f), c->ac_mac, c->cfg.mac, c->sid,
	    ppp, len);
	if (n < 0 || c->ops->send_frame(c->ctx, f, (size_t)n) != 0)
		return -1;
	c->stats.tx_frames++;
	return 0;
}

void
pppoe_client_close(struct pppoe_client *c, const char *reason)
{
	struct pppoe_pkt p;

	if (c->state == PPPOE_CLIENT_SESSION) {
		/* §5.5 */
		disc_init(c, &p, PPPOE_CODE_PADT, c->ac_mac);
		p.session_id = c->sid;
		if (reason != NULL && reason[0] != '\0') {
			p.present = PPPOE_HAVE_GEN_ERR;
			p.gen_err = pppoe_tag_str_val(reason);
			if (p.gen_err.len > 255)
				p.gen_err.len = 255;
		}
		send_pkt(c, &p);
		c->stats.padt_tx++;
	}
	c->state = PPPOE_CLIENT_IDLE;
	c->deadline = TIME_NEVER;
	c->sid = 0;
}

enum pppoe_client_state
pppoe_client_state(const struct pppoe_client *c)
{
	return c->state;
}

uint16_t
pppoe_client_session_id(const struct pppoe_client *c)
{
	return c->sid;
}

const uint8_t *
pppoe_client_ac_mac(const struct pppoe_client *c)
{
	return c->ac_mac;
}

const char *
pppoe_client_ac_name(const struct pppoe_client *c)
{
	return c->ac_name;
}

const struct pppoe_client_stats *
pppoe_client_stats(const struct pppoe_client *c)
{
	return &c->stats;
}
