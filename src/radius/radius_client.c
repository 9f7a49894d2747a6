/*
 * radius_client.c — asynchronous RADIUS client over libev (see
 * radius_client.h for objects, lifetimes and the retransmission rules).
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bsd/string.h>
#include <bsd/sys/queue.h>
#include <ev.h>

#include "core/log.h"
#include "core/random.h"
#include "core/secstats.h"
#include "core/timeutil.h"
#include "radius/radius_client.h"

#define NIDS	   256
#define RECV_BATCH 64

struct rc_req;
TAILQ_HEAD(rc_queue, rc_req);

struct rc_server {
	struct radius_client *rc;
	enum radius_server_kind kind;
	struct sockaddr_storage addr;
	socklen_t addrlen;
	char secret[RADIUS_MAX_SECRET];
	int fd;
	ev_io io;
	struct rc_req *inflight[NIDS]; /* by Identifier */
	unsigned busy;
	unsigned next_id;
	struct rc_queue waiting; /* for an Identifier */
};

struct rc_req {
	struct radius_client *rc;
	uint32_t idx; /* in rc->slots */
	enum radius_server_kind kind;
	bool acct;
	radius_reply_fn *cb;
	void *arg;
	unsigned server; /* index in rc->srv[kind] */
	int id;		 /* -1: none held */
	bool queued;
	TAILQ_ENTRY(rc_req) qent;
	unsigned tries_here;
	unsigned total_tries;
	uint64_t created_ms;
	ev_timer timer;
	uint8_t password[RADIUS_MAX_PASSWORD];
	size_t pwlen;
	struct radius_packet tmpl;
	struct radius_packet wire; /* what was last sent */
};

struct rc_slot {
	struct rc_req *req;
	uint32_t gen;
};

struct radius_client {
	struct ev_loop *loop;
	struct radius_client_config cfg;
	struct rc_server *srv[2][RADIUS_MAX_SERVERS];
	unsigned nsrv[2];
	struct rc_slot *slots;
	uint32_t nslots;
	uint32_t *freelist;
	uint32_t nfree;
	unsigned pending;
	struct radius_client_stats stats;
};

static void start_on_server(struct radius_client *, struct rc_req *);

void
radius_client_config_default(struct radius_client_config *cfg)
{
	cfg->timeout_ms = 3000;
	cfg->tries = 3;
	cfg->acct_max_tries = 100;
	cfg->acct_max_ms = 3600 * 1000;
	cfg->require_msgauth = true;
}

const char *
radius_server_kind_str(enum radius_server_kind k)
{
	switch (k) {
	/* clang-format off */
	case RADIUS_SERVER_AUTH:	return "auth";
	case RADIUS_SERVER_ACCT:	return "acct";
		/* clang-format on */
	}
	return "unknown";
}

const char *
radius_status_str(enum radius_status s)
{
	switch (s) {
	/* clang-format off */
	case RADIUS_STATUS_REPLY:	return "reply";
	case RADIUS_STATUS_TIMEOUT:	return "timeout";
		/* clang-format on */
	}
	return "unknown";
}

static uint64_t
now_ms(const struct radius_client *rc)
{
	return (uint64_t)(ev_now(rc->loop) * 1000.0);
}

/* ---- request slots and handles ---- */

static uint64_t
handle_of(const struct radius_client *rc, const struct rc_req *r)
{
	return (uint64_t)rc->slots[r->idx].gen << 32 | (r->idx + 1);
}

static struct rc_req *
req_of(const struct radius_client *rc, uint64_t h)
{
	uint32_t idx = (uint32_t)h, gen = (uint32_t)(h >> 32);

	if (idx == 0 || idx > rc->nslots)
		return NULL;
	idx--;
	if (rc->slots[idx].gen != gen)
		return NULL;
	return rc->slots[idx].req;
}

static struct rc_req *
req_alloc(struct radius_client *rc)
{
	struct rc_req *r;
	uint32_t idx, n, i;

	if (rc->nfree == 0) {
		n = rc->nslots == 0 ? 16 : rc->nslots * 2;
		struct rc_slot *s = reallocarray(rc->slots, n, sizeof(*s));
		if (s == NULL)
			return NULL;
		rc->slots = s;
		uint32_t *f = reallocarray(rc->freelist, n, sizeof(*f));
		if (f == NULL)
			return NULL;
		rc->freelist = f;
		for (i = n; i > rc->nslots; i--) {
			rc->slots[i - 1].req = NULL;
			rc->slots[i - 1].gen = 1;
			rc->freelist[rc->nfree++] = i - 1;
		}
		rc->nslots = n;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	idx = rc->freelist[--rc->nfree];
	rc->slots[idx].req = r;
	r->rc = rc;
	r->idx = idx;
	r->id = -1;
	rc->pending++;
	return r;
}

static void
req_free(struct radius_client *rc, struct rc_req *r)
{
	rc->slots[r->idx].req = NULL;
	rc->slots[r->idx].gen++; /* stale handles die here */
	rc->freelist[rc->nfree++] = r->idx;
	rc->pending--;
	explicit_bzero(r->password, sizeof(r->password));
	free(r);
}

/* ---- Identifiers ---- */

static struct rc_server *
server_of(const struct radius_client *rc, const struct rc_req *r)
{
	return rc->srv[r->kind][r->server];
}

static void
release_id(struct radius_client *rc, struct rc_req *r)
{
	struct rc_server *s = server_of(rc, r);
	struct rc_req *w;

	if (r->queued) {
		TAILQ_REMOVE(&s->waiting, r, qent);
		r->queued = false;
		return;
	}
	if (r->id < 0)
		return;
	s->inflight[r->id] = NULL;
	s->busy--;
	r->id = -1;
	/* An Identifier is free: the oldest waiting request takes it. */
	if ((w = TAILQ_FIRST(&s->waiting)) != NULL) {
		TAILQ_REMOVE(&s->waiting, w, qent);
		w->queued = false;
		start_on_server(rc, w);
	}
}

static int
take_id(struct rc_server *s, struct rc_req *r)
{
	unsigned i, id;

	if (s->busy == NIDS)
		return -1;
	/* Rotate, so a just-freed Identifier is reused as late as possible
	 * and a late reply to it meets a different authenticator. */
	for (i = 0; i < NIDS; i++) {
		id = (s->next_id + i) % NIDS;
		if (s->inflight[id] == NULL)
			break;
	}
	s->inflight[id] = r;
	s->busy++;
	s->next_id = (id + 1) % NIDS;
	return (int)id;
}

/* ---- sending ---- */

/* The datagram for this server: its Identifier, a fresh authenticator,
 * the password hidden with its secret, Message-Authenticator. */
static bool
build(struct radius_client *rc, struct rc_req *r, struct rc_server *s)
{
	struct radius_packet *w = &r->wire;
	bool ok = true;
	uint64_t delay;

	memcpy(w->data, r->tmpl.data, radius_len(&r->tmpl));
	radius_set_id(w, (uint8_t)r->id);
	if (!r->acct) {
		/* RFC 2865 §3: unpredictable and unique over the secret's
		 * lifetime: new for each server, not for retransmissions. */
		radius_set_random_authenticator(w);
		if (r->pwlen > 0)
			ok = radius_put_user_password(w, r->password, r->pwlen,
				 s->secret) == RADIUS_OK;
		ok = ok && radius_put_message_authenticator(w) == RADIUS_OK;
		if (ok)
			radius_sign_access_request(w, s->secret);
	} else {
		/* RFC 2866 §5.2: how long we have been trying. */
		delay = (now_ms(rc) - r->created_ms) / 1000;
		ok = radius_put_u32(w, RADIUS_ATTR_ACCT_DELAY_TIME,
			 delay > UINT32_MAX ? UINT32_MAX : (uint32_t)delay) ==
		    RADIUS_OK;
		if (ok)
			radius_sign_accounting_request(w, s->secret);
	}
	return ok;
}

static void
transmit(struct radius_client *rc, struct rc_req *r)
{
	struct rc_server *s = server_of(rc, r);

	r->tries_here++;
	r->total_tries++;
	rc->stats.sent++;
	if (sendto(s->fd, r->wire.data, radius_len(&r->wire), 0,
		(const struct sockaddr *)&s->addr, s->addrlen) < 0)
		LOG_RL(LOG_LEVEL_WARN, "radius: %s server %u: sendto: %s",
		    radius_server_kind_str(s->kind), r->server,
		    strerror(errno));
	ev_timer_set(&r->timer, rc->cfg.timeout_ms / 1000.0, 0.);
	ev_timer_start(rc->loop, &r->timer);
}

static void
start_on_server(struct radius_client *rc, struct rc_req *r)
{
	struct rc_server *s = server_of(rc, r);

	r->tries_here = 0;
	if ((r->id = take_id(s, r)) < 0) {
		r->queued = true;
		TAILQ_INSERT_TAIL(&s->waiting, r, qent);
		rc->stats.queued++;
		return;
	}
	/* Sizes were checked in radius_client_send. */
	(void)build(rc, r, s);
	transmit(rc, r);
}

/* Unlinks r, calls its callback, frees it. */
static void
finish(struct radius_client *rc, struct rc_req *r, enum radius_status st,
    const struct radius_packet *pkt)
{
	struct rc_server *s = server_of(rc, r);
	struct radius_reply rep;
	uint8_t req_auth[RADIUS_AUTH_LEN];

	ev_timer_stop(rc->loop, &r->timer);
	memcpy(req_auth, radius_authenticator(&r->wire), sizeof(req_auth));
	release_id(rc, r);
	rep.status = st;
	rep.pkt = pkt;
	rep.req_auth = req_auth;
	rep.secret = s->secret;
	rep.now = time_now_ms();
	if (st == RADIUS_STATUS_REPLY)
		rc->stats.replies++;
	else
		rc->stats.timeouts++;
	r->cb(r->arg, &rep);
	req_free(rc, r);
}

static void
on_timer(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct rc_req *r = t->data;
	struct radius_client *rc = r->rc;
	uint64_t age = now_ms(rc) - r->created_ms;

	(void)loop;
	(void)revents;
	if (r->acct &&
	    (r->total_tries >= rc->cfg.acct_max_tries ||
		age >= rc->cfg.acct_max_ms)) {
		log_warnx("radius: Accounting-Request unanswered after %u "
			  "tries in %llu s: giving up",
		    r->total_tries, (unsigned long long)(age / 1000));
		finish(rc, r, RADIUS_STATUS_TIMEOUT, NULL);
		return;
	}
	if (r->tries_here < rc->cfg.tries) {
		/* RFC 2865 §3: a retransmission keeps the Identifier and
		 * the bytes. */
		rc->stats.retransmits++;
		transmit(rc, r);
		return;
	}
	release_id(rc, r);
	if (r->server + 1 < rc->nsrv[r->kind])
		r->server++;
	else if (r->acct)
		r->server = 0;
	else {
		log_info("radius: Access-Request: no answer from %u server(s)",
		    rc->nsrv[r->kind]);
		finish(rc, r, RADIUS_STATUS_TIMEOUT, NULL);
		return;
	}
	rc->stats.failovers++;
	log_debug("radius: %s: trying server %u",
	    radius_server_kind_str(r->kind), r->server);
	start_on_server(rc, r);
}

/* ---- receiving ---- */

static bool
same_addr(const struct sockaddr_storage *a, socklen_t alen,
    const struct sockaddr_storage *b)
{
	const struct sockaddr_in *a4, *b4;
	const struct sockaddr_in6 *a6, *b6;

	(void)alen;
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET) {
		a4 = (const struct sockaddr_in *)a;
		b4 = (const struct sockaddr_in *)b;
		return a4->sin_port == b4->sin_port &&
		    a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	}
	if (a->ss_family == AF_INET6) {
		a6 = (const struct sockaddr_in6 *)a;
		b6 = (const struct sockaddr_in6 *)b;
		return a6->sin6_port == b6->sin6_port &&
		    memcmp(&a6->sin6_addr, &b6->sin6_addr, 16) == 0;
	}
	return false;
}

static bool
code_answers(uint8_t code, bool acct)
{
	if (acct)
		return code == RADIUS_CODE_ACCOUNTING_RESPONSE;
	return code == RADIUS_CODE_ACCESS_ACCEPT ||
	    code == RADIUS_CODE_ACCESS_REJECT ||
	    code == RADIUS_CODE_ACCESS_CHALLENGE;
}

static void
input(struct radius_client *rc, struct rc_server *s, const uint8_t *buf,
    size_t len)
{
	struct radius_packet pkt;
	struct rc_req *r;
	enum radius_err e;
	const uint8_t *ra;

	if ((e = radius_packet_parse(&pkt, buf, len)) != RADIUS_OK) {
		rc->stats.drop_malformed++;
		LOG_RL(LOG_LEVEL_DEBUG, "radius: drop: %s", radius_err_str(e));
		return;
	}
	if ((r = s->inflight[radius_id(&pkt)]) == NULL) {
		rc->stats.drop_unknown_id++;
		LOG_RL(LOG_LEVEL_DEBUG, "radius: drop %s id %u: not in flight",
		    radius_code_str(radius_code(&pkt)), radius_id(&pkt));
		return;
	}
	if (!code_answers(radius_code(&pkt), r->acct)) {
		rc->stats.drop_code++;
		LOG_RL(LOG_LEVEL_WARN, "radius: drop %s id %u: not an answer",
		    radius_code_str(radius_code(&pkt)), radius_id(&pkt));
		return;
	}
	/* RFC 2865 §3: "If the Response Authenticator ... does not match,
	 * the RADIUS client ... silently discards the packet". */
	ra = radius_authenticator(&r->wire);
	if (!radius_check_response_auth(&pkt, ra, s->secret)) {
		rc->stats.drop_auth++;
		LOG_RL(LOG_LEVEL_WARN,
		    "radius: drop %s id %u: bad Response "
		    "Authenticator (shared secret?)",
		    radius_code_str(radius_code(&pkt)), radius_id(&pkt));
		return;
	}
	/* RFC 2869 §5.14: a present Message-Authenticator must match;
	 * an absent one is refused when we sent one. */
	e = radius_check_message_authenticator(&pkt, ra, s->secret);
	if (e == RADIUS_ERR_MSGAUTH ||
	    (e == RADIUS_ERR_NOTFOUND && !r->acct && rc->cfg.require_msgauth)) {
		rc->stats.drop_msgauth++;
		secstat_inc(SECSTAT_RADIUS_DROP_MSGAUTH);
		LOG_RL(LOG_LEVEL_WARN,
		    "radius: drop %s id %u: %s "
		    "Message-Authenticator",
		    radius_code_str(radius_code(&pkt)), radius_id(&pkt),
		    e == RADIUS_ERR_MSGAUTH ? "bad" : "missing");
		return;
	}
	finish(rc, r, RADIUS_STATUS_REPLY, &pkt);
}

static void
on_read(struct ev_loop *loop, ev_io *w, int revents)
{
	struct rc_server *s = w->data;
	struct radius_client *rc = s->rc;
	uint8_t buf[RADIUS_MAX_LEN];
	struct sockaddr_storage from;
	socklen_t fromlen;
	ssize_t n;
	int i;

	(void)loop;
	(void)revents;
	for (i = 0; i < RECV_BATCH; i++) {
		fromlen = sizeof(from);
		n = recvfrom(s->fd, buf, sizeof(buf), 0,
		    (struct sockaddr *)&from, &fromlen);
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				/* ICMP unreachable and the like: the
				 * retransmission timer handles it. */
				LOG_RL(LOG_LEVEL_DEBUG, "radius: recvfrom: %s",
				    strerror(errno));
			if (errno == EINTR)
				continue;
			return;
		}
		if (!same_addr(&from, fromlen, &s->addr)) {
			rc->stats.drop_source++;
			LOG_RL(LOG_LEVEL_WARN,
			    "radius: drop datagram from an "
			    "address that is not the server");
			continue;
		}
		input(rc, s, buf, (size_t)n);
	}
}

/* ---- public ---- */

struct radius_client *
radius_client_new(struct ev_loop *loop, const struct radius_client_config *cfg)
{
	struct radius_client *rc;

	if ((rc = calloc(1, sizeof(*rc))) == NULL)
		return NULL;
	rc->loop = loop;
	if (cfg != NULL)
		rc->cfg = *cfg;
	else
		radius_client_config_default(&rc->cfg);
	if (rc->cfg.tries == 0)
		rc->cfg.tries = 1;
	return rc;
}

int
radius_client_add_server(struct radius_client *rc, enum radius_server_kind kind,
    const struct sockaddr *sa, socklen_t salen, const char *secret)
{
	struct rc_server *s;

	if ((sa->sa_family != AF_INET && sa->sa_family != AF_INET6) ||
	    salen > sizeof(s->addr) || secret == NULL || secret[0] == '\0' ||
	    strlen(secret) >= sizeof(s->secret)) {
		errno = EINVAL;
		return -1;
	}
	if (rc->nsrv[kind] == RADIUS_MAX_SERVERS) {
		errno = ENOSPC;
		return -1;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return -1;
	s->rc = rc;
	s->kind = kind;
	memcpy(&s->addr, sa, salen);
	s->addrlen = salen;
	strlcpy(s->secret, secret, sizeof(s->secret));
	s->next_id = random_u16() % NIDS;
	TAILQ_INIT(&s->waiting);
	s->fd = socket(sa->sa_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (s->fd < 0) {
		free(s);
		return -1;
	}
	ev_io_init(&s->io, on_read, s->fd, EV_READ);
	s->io.data = s;
	ev_io_start(rc->loop, &s->io);
	rc->srv[kind][rc->nsrv[kind]++] = s;
	return 0;
}

void
radius_client_free(struct radius_client *rc)
{
	uint32_t i;
	unsigned k, j;

	if (rc == NULL)
		return;
	for (i = 0; i < rc->nslots; i++) {
		struct rc_req *r = rc->slots[i].req;
		if (r == NULL)
			continue;
		ev_timer_stop(rc->loop, &r->timer);
		explicit_bzero(r->password, sizeof(r->password));
		free(r);
	}
	for (k = 0; k < 2; k++)
		for (j = 0; j < rc->nsrv[k]; j++) {
			struct rc_server *s = rc->srv[k][j];
			ev_io_stop(rc->loop, &s->io);
			close(s->fd);
			explicit_bzero(s->secret, sizeof(s->secret));
			free(s);
		}
	free(rc->slots);
	free(rc->freelist);
	free(rc);
}

uint64_t
radius_client_send(struct radius_client *rc, const struct radius_packet *tmpl,
    const uint8_t *password, size_t pwlen, radius_reply_fn *cb, void *arg)
{
	struct rc_req *r;
	enum radius_server_kind kind;
	size_t room;

	switch (radius_code(tmpl)) {
	case RADIUS_CODE_ACCESS_REQUEST:
		kind = RADIUS_SERVER_AUTH;
		/* User-Password (padded) + Message-Authenticator. */
		room = (pwlen > 0 ? 2 + ((pwlen + 15) & ~(size_t)15) : 0) + 18;
		break;
	case RADIUS_CODE_ACCOUNTING_REQUEST:
		kind = RADIUS_SERVER_ACCT;
		room = 6; /* Acct-Delay-Time */
		pwlen = 0;
		break;
	default:
		return 0;
	}
	if (rc->nsrv[kind] == 0 || pwlen > RADIUS_MAX_PASSWORD ||
	    radius_len(tmpl) + room > RADIUS_MAX_LEN)
		return 0;
	if ((r = req_alloc(rc)) == NULL)
		return 0;
	r->kind = kind;
	r->acct = kind == RADIUS_SERVER_ACCT;
	r->cb = cb;
	r->arg = arg;
	r->created_ms = now_ms(rc);
	memcpy(r->tmpl.data, tmpl->data, radius_len(tmpl));
	/* The client owns these attributes (see radius_client.h). */
	radius_del_attr(&r->tmpl, RADIUS_ATTR_USER_PASSWORD);
	radius_del_attr(&r->tmpl, RADIUS_ATTR_MESSAGE_AUTHENTICATOR);
	radius_del_attr(&r->tmpl, RADIUS_ATTR_ACCT_DELAY_TIME);
	if (pwlen > 0)
		memcpy(r->password, password, pwlen);
	r->pwlen = pwlen;
	ev_init(&r->timer, on_timer);
	r->timer.data = r;
	rc->stats.requests++;
	start_on_server(rc, r);
	return handle_of(rc, r);
}

void *
radius_client_cancel(struct radius_client *rc, uint64_t handle)
{
	struct rc_req *r = req_of(rc, handle);
	void *arg;

	if (r == NULL)
		return NULL;
	arg = r->arg;
	ev_timer_stop(rc->loop, &r->timer);
	release_id(rc, r);
	rc->stats.cancelled++;
	req_free(rc, r);
	return arg;
}

static uint64_t
sender_send(void *ctx, const struct radius_packet *tmpl,
    const uint8_t *password, size_t pwlen, radius_reply_fn *cb, void *arg)
{
	return radius_client_send(ctx, tmpl, password, pwlen, cb, arg);
}

static void *
sender_cancel(void *ctx, uint64_t handle)
{
	return radius_client_cancel(ctx, handle);
}

void
radius_client_sender(struct radius_client *rc, struct radius_sender *out)
{
	out->send = sender_send;
	out->cancel = sender_cancel;
	out->ctx = rc;
}

const struct radius_client_stats *
radius_client_stats(const struct radius_client *rc)
{
	return &rc->stats;
}

unsigned
radius_client_pending(const struct radius_client *rc)
{
	return rc->pending;
}
