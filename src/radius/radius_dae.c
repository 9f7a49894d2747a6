/*
 * radius_dae.c — RFC 5176 Disconnect/CoA listener (see radius_dae.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bsd/string.h>

#include "core/log.h"
#include "core/secstats.h"
#include "radius/radius_dae.h"

/* One remembered request and the answer it got. */
struct dae_seen {
	struct sockaddr_storage from;
	int64_t expires; /* wall clock, s; 0 = free slot */
	uint8_t id;
	uint8_t auth[RADIUS_AUTH_LEN];
	uint8_t reply_len;
	uint8_t reply[64];
};

struct radius_dae {
	int fd;
	char secret[256];
	struct sockaddr_storage clients[RADIUS_DAE_MAX_CLIENTS];
	unsigned nclients;
	struct radius_dae_ops ops;
	void *arg;
	struct radius_dae_stats stats;
	unsigned window;
	bool require_ts;
	int64_t (*now)(void);
	struct dae_seen *seen; /* RADIUS_DAE_REPLAY_MAX */
};

const char *
radius_dae_error_str(enum radius_dae_error e)
{
	switch (e) {
	/* clang-format off */
	case RADIUS_DAE_OK:			return "ok";
	case RADIUS_DAE_UNSUPPORTED_ATTRIBUTE:	return "Unsupported-Attribute";
	case RADIUS_DAE_MISSING_ATTRIBUTE:	return "Missing-Attribute";
	case RADIUS_DAE_NAS_ID_MISMATCH:	return "NAS-Identification-Mismatch";
	case RADIUS_DAE_INVALID_REQUEST:	return "Invalid-Request";
	case RADIUS_DAE_UNSUPPORTED_SERVICE:	return "Unsupported-Service";
	case RADIUS_DAE_INVALID_ATTRIBUTE_VALUE: return "Invalid-Attribute-Value";
	case RADIUS_DAE_SESSION_NOT_FOUND:	return "Session-Context-Not-Found";
	case RADIUS_DAE_RESOURCES_UNAVAILABLE:	return "Resources-Unavailable";
		/* clang-format on */
	}
	return "?";
}

static bool
same_host(const struct sockaddr_storage *a, const struct sockaddr *b)
{
	if (a->ss_family != b->sa_family)
		return false;
	if (b->sa_family == AF_INET)
		return ((const struct sockaddr_in *)(const void *)a)
			   ->sin_addr.s_addr ==
		    ((const struct sockaddr_in *)(const void *)b)
			->sin_addr.s_addr;
	if (b->sa_family == AF_INET6)
		return memcmp(&((const struct sockaddr_in6 *)(const void *)a)
				   ->sin6_addr,
			   &((const struct sockaddr_in6 *)(const void *)b)
				->sin6_addr,
			   sizeof(struct in6_addr)) == 0;
	return false;
}

/* RFC 5176 §3: identification attributes, the one change CoA supports,
 * and what may come along with them. */
static enum radius_dae_error
parse_request(const struct radius_packet *p, struct radius_dae_match *m,
    struct radius_dae_coa *c)
{
	struct radius_iter it = { 0 };
	const uint8_t *v;
	size_t l;
	uint8_t type;
	bool any = false;

	memset(m, 0, sizeof(*m));
	memset(c, 0, sizeof(*c));
	while (radius_next_attr(p, &it, &type, &v, &l)) {
		switch (type) {
		case RADIUS_ATTR_ACCT_SESSION_ID:
		case RADIUS_ATTR_USER_NAME:
			if (l == 0 || l >= sizeof(m->user) ||
			    memchr(v, '\0', l) != NULL)
				return RADIUS_DAE_INVALID_ATTRIBUTE_VALUE;
			memcpy(type == RADIUS_ATTR_USER_NAME ? m->user :
							       m->session_id,
			    v, l);
			(type == RADIUS_ATTR_USER_NAME ?
				m->user :
				m->session_id)[l] = '\0';
			any = true;
			break;
		case RADIUS_ATTR_FRAMED_IP_ADDRESS:
			if (radius_get_ipv4(p, type, &m->framed_ip) !=
				RADIUS_OK ||
			    m->framed_ip == 0)
				return RADIUS_DAE_INVALID_ATTRIBUTE_VALUE;
			any = true;
			break;
		case RADIUS_ATTR_SESSION_TIMEOUT:
			if (radius_get_u32(p, type, &c->session_timeout) !=
			    RADIUS_OK)
				return RADIUS_DAE_INVALID_ATTRIBUTE_VALUE;
			c->has_timeout = true;
			break;
		case RADIUS_ATTR_FILTER_ID:
			/* RFC 2865 §5.11: text, here a [rate-plan] name. */
			if (l == 0 || l >= sizeof(c->filter_id) ||
			    memchr(v, '\0', l) != NULL)
				return RADIUS_DAE_INVALID_ATTRIBUTE_VALUE;
			memcpy(c->filter_id, v, l);
			c->filter_id[l] = '\0';
			break;
		case RADIUS_ATTR_NAS_IP_ADDRESS:
		case RADIUS_ATTR_NAS_IDENTIFIER:
		case RADIUS_ATTR_NAS_PORT:
		case RADIUS_ATTR_MESSAGE_AUTHENTICATOR:
		case RADIUS_ATTR_EVENT_TIMESTAMP:
		case RADIUS_ATTR_CLASS:
		case RADIUS_ATTR_STATE:
		case RADIUS_ATTR_CALLING_STATION_ID:
		case RADIUS_ATTR_CALLED_STATION_ID:
		case RADIUS_ATTR_ACCT_TERMINATE_CAUSE:
		case RADIUS_ATTR_VENDOR_SPECIFIC:
			break;
		default:
			/* RFC 5176 §3.5: 401, an attribute we cannot act on
			 * (a CoA we would only partly apply is refused). */
			return RADIUS_DAE_UNSUPPORTED_ATTRIBUTE;
		}
	}
	if (radius_get_vs_raw(p, RADIUS_VENDOR_MIKROTIK,
		RADIUS_MIKROTIK_RATE_LIMIT, &v, &l) == RADIUS_OK) {
		if (l == 0 || l >= sizeof(c->rate_limit) ||
		    memchr(v, '\0', l) != NULL)
			return RADIUS_DAE_INVALID_ATTRIBUTE_VALUE;
		memcpy(c->rate_limit, v, l);
		c->rate_limit[l] = '\0';
	}
	/* RFC 5176 §3: at least one session identification attribute. */
	return any ? RADIUS_DAE_OK : RADIUS_DAE_MISSING_ATTRIBUTE;
}

static int64_t
wall_now(void)
{
	return (int64_t)time(NULL);
}

/* The live entry for this request, or NULL.  The source port is not part
 * of the key: a copy replayed from another port is the same request. */
static struct dae_seen *
seen_find(struct radius_dae *d, const struct sockaddr *from, uint8_t id,
    const uint8_t *auth, int64_t now)
{
	for (unsigned i = 0; i < RADIUS_DAE_REPLAY_MAX; i++) {
		struct dae_seen *e = &d->seen[i];

		if (e->expires >= now && e->id == id &&
		    memcmp(e->auth, auth, RADIUS_AUTH_LEN) == 0 &&
		    same_host(&e->from, from))
			return e;
	}
	return NULL;
}

/* A free or expired slot, or NULL when every entry is still live. */
static struct dae_seen *
seen_slot(struct radius_dae *d, int64_t now)
{
	for (unsigned i = 0; i < RADIUS_DAE_REPLAY_MAX; i++)
		if (d->seen[i].expires < now)
			return &d->seen[i];
	return NULL;
}

/* RFC 5176 §6.3: "If the Event-Timestamp Attribute is not current, then
 * the message MUST be silently discarded", and a NAS "SHOULD be
 * configurable to silently discard messages lacking" one.  Returns false
 * to discard; *expires: until when a copy could still pass this check. */
static bool
timestamp_ok(const struct radius_dae *d, const struct radius_packet *p,
    int64_t now, int64_t *expires)
{
	uint32_t ts;
	enum radius_err e = radius_get_u32(p, RADIUS_ATTR_EVENT_TIMESTAMP, &ts);

	if (e == RADIUS_ERR_NOTFOUND && !d->require_ts) {
		*expires = now + d->window;
		return true;
	}
	if (e != RADIUS_OK)
		return false;
	if ((int64_t)ts < now - d->window || (int64_t)ts > now + d->window)
		return false;
	*expires = (int64_t)ts + d->window;
	return true;
}

size_t
radius_dae_handle(struct radius_dae *d, const uint8_t *req, size_t len,
    const struct sockaddr *from, struct radius_packet *out)
{
	struct radius_packet *p = out; /* parsed in place, then rebuilt */
	struct radius_dae_match m;
	enum radius_dae_error err, cerr = RADIUS_DAE_OK;
	struct radius_dae_coa coa;
	uint8_t req_auth[RADIUS_AUTH_LEN], code, id;
	bool change, disconnect;
	unsigned n = 0;
	char buf[INET6_ADDRSTRLEN];
	struct dae_seen *seen;
	int64_t now, expires = 0;

	d->stats.requests++;
	/* RFC 5176 §5.2 (and RFC 2865 §3): only known clients. */
	bool known = false;
	for (unsigned i = 0; i < d->nclients && !known; i++)
		known = same_host(&d->clients[i], from);
	if (!known) {
		d->stats.drop_client++;
		LOG_RL(LOG_LEVEL_WARN,
		    "radius dae: request from unknown "
		    "client %s dropped",
		    from->sa_family == AF_INET ?
			inet_ntop(AF_INET,
			    &((const struct sockaddr_in *)(const void *)from)
				 ->sin_addr,
			    buf, sizeof(buf)) :
			"?");
		return 0;
	}
	if (radius_packet_parse(p, req, len) != RADIUS_OK) {
		d->stats.drop_malformed++;
		return 0;
	}
	code = radius_code(p);
	if (code != RADIUS_CODE_DISCONNECT_REQUEST &&
	    code != RADIUS_CODE_COA_REQUEST) {
		d->stats.drop_code++;
		return 0;
	}
	/* RFC 5176 §3.5: the Request Authenticator is computed as for
	 * Accounting-Request; a Message-Authenticator, if present, must be
	 * right too.  Otherwise silently discard. */
	if (!radius_check_accounting_request_auth(p, d->secret) ||
	    radius_check_message_authenticator(p, NULL, d->secret) ==
		RADIUS_ERR_MSGAUTH) {
		d->stats.drop_auth++;
		LOG_RL(LOG_LEVEL_WARN,
		    "radius dae: %s with a wrong "
		    "authenticator dropped",
		    radius_code_str(code));
		return 0;
	}
	/* Only authenticated requests reach the replay memory, so without
	 * the secret nobody can fill it. */
	now = d->now();
	seen = seen_find(d, from, radius_id(p), radius_authenticator(p), now);
	if (seen != NULL) {
		d->stats.replays++;
		secstat_inc(SECSTAT_DAE_REPLAY);
		LOG_RL(LOG_LEVEL_WARN,
		    "radius dae: %s id %u seen before: "
		    "answered again, not acted on",
		    radius_code_str(code), radius_id(p));
		memcpy(out->data, seen->reply, seen->reply_len);
		return seen->reply_len;
	}
	if (!timestamp_ok(d, p, now, &expires)) {
		d->stats.drop_timestamp++;
		secstat_inc(SECSTAT_DAE_DROP_TIMESTAMP);
		LOG_RL(LOG_LEVEL_WARN,
		    "radius dae: %s id %u dropped: "
		    "Event-Timestamp %s",
		    radius_code_str(code), radius_id(p),
		    radius_has_attr(p, RADIUS_ATTR_EVENT_TIMESTAMP) ?
			"outside the window (replay or clock skew?)" :
			"missing");
		return 0;
	}
	seen = seen_slot(d, now);
	disconnect = code == RADIUS_CODE_DISCONNECT_REQUEST;
	err = parse_request(p, &m, &coa);
	change = coa.has_timeout || coa.filter_id[0] != '\0' ||
	    coa.rate_limit[0] != '\0';
	if (err == RADIUS_DAE_OK && seen == NULL) {
		/* RFC 5176 §3.5: 506, lack of NAS resources. */
		d->stats.replay_full++;
		err = RADIUS_DAE_RESOURCES_UNAVAILABLE;
		LOG_RL(LOG_LEVEL_WARN,
		    "radius dae: %u requests remembered "
		    "in the window; refusing more",
		    RADIUS_DAE_REPLAY_MAX);
	}
	/* RFC 5176 §3: a Disconnect-Request carries no change of
	 * authorization; a CoA-Request carries at least one we support. */
	if (err == RADIUS_DAE_OK && disconnect && change)
		err = RADIUS_DAE_UNSUPPORTED_ATTRIBUTE;
	if (err == RADIUS_DAE_OK && !disconnect && !change)
		err = RADIUS_DAE_MISSING_ATTRIBUTE;
	if (err == RADIUS_DAE_OK) {
		n = disconnect ? d->ops.disconnect(d->arg, &m) :
				 d->ops.coa(d->arg, &m, &coa, &cerr);
		if (cerr != RADIUS_DAE_OK)
			err = cerr;
		else if (n == 0)
			err = RADIUS_DAE_SESSION_NOT_FOUND;
	}
	log_info("radius dae: %s for%s%s%s%s%s: %u session(s), %s",
	    radius_code_str(code), m.session_id[0] ? " session " : "",
	    m.session_id, m.user[0] ? " user " : "", m.user,
	    m.framed_ip ? " (address)" : "", n, radius_dae_error_str(err));
	memcpy(req_auth, radius_authenticator(p), sizeof(req_auth));
	id = radius_id(p);
	if (err == RADIUS_DAE_OK) {
		radius_packet_init(out,
		    disconnect ? RADIUS_CODE_DISCONNECT_ACK :
				 RADIUS_CODE_COA_ACK,
		    id, NULL);
		d->stats.acks++;
	} else {
		radius_packet_init(out,
		    disconnect ? RADIUS_CODE_DISCONNECT_NAK :
				 RADIUS_CODE_COA_NAK,
		    id, NULL);
		(void)radius_put_u32(out, RADIUS_ATTR_ERROR_CAUSE, err);
		d->stats.naks++;
	}
	/* RFC 5176 §3.5: Response Authenticator as in RFC 2865 §3. */
	radius_sign_response(out, req_auth, d->secret);
	if (seen != NULL && radius_len(out) <= sizeof(seen->reply)) {
		memcpy(&seen->from, from,
		    from->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
						  sizeof(struct sockaddr_in));
		seen->id = id;
		memcpy(seen->auth, req_auth, sizeof(seen->auth));
		seen->expires = expires;
		seen->reply_len = (uint8_t)radius_len(out);
		memcpy(seen->reply, out->data, seen->reply_len);
	}
	return radius_len(out);
}

struct radius_dae *
radius_dae_new(const struct sockaddr *listen, socklen_t listen_len,
    const char *secret, const struct sockaddr_storage *clients,
    unsigned nclients, const struct radius_dae_ops *ops, void *arg)
{
	struct radius_dae *d;
	int one = 1;

	if (nclients > RADIUS_DAE_MAX_CLIENTS) {
		errno = EINVAL;
		return NULL;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	if ((d->seen = calloc(RADIUS_DAE_REPLAY_MAX, sizeof(*d->seen))) ==
	    NULL) {
		free(d);
		return NULL;
	}
	d->window = RADIUS_DAE_WINDOW;
	d->require_ts = true;
	d->now = wall_now;
	strlcpy(d->secret, secret, sizeof(d->secret));
	memcpy(d->clients, clients, nclients * sizeof(clients[0]));
	d->nclients = nclients;
	d->ops = *ops;
	d->arg = arg;
	d->fd = -1;
	if (listen == NULL)
		return d; /* radius_dae_handle() only (tests) */
	d->fd = socket(listen->sa_family,
	    SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (d->fd < 0 ||
	    setsockopt(d->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) <
		0 ||
	    bind(d->fd, listen, listen_len) < 0) {
		int e = errno;

		radius_dae_free(d);
		errno = e;
		return NULL;
	}
	return d;
}

void
radius_dae_free(struct radius_dae *d)
{
	if (d == NULL)
		return;
	if (d->fd >= 0)
		close(d->fd);
	explicit_bzero(d->secret, sizeof(d->secret));
	free(d->seen);
	free(d);
}

void
radius_dae_set_replay(struct radius_dae *d, unsigned window_s,
    bool require_timestamp)
{
	d->window = window_s > 0 ? window_s : 1;
	d->require_ts = require_timestamp;
}

void
radius_dae_set_clock(struct radius_dae *d, int64_t (*now)(void))
{
	d->now = now != NULL ? now : wall_now;
}

int
radius_dae_fd(const struct radius_dae *d)
{
	return d->fd;
}

void
radius_dae_readable(void *arg)
{
	struct radius_dae *d = arg;
	static struct radius_packet out;
	uint8_t buf[RADIUS_MAX_LEN + 1];
	struct sockaddr_storage from = { 0 };
	socklen_t flen;
	ssize_t n;
	size_t rlen;

	for (int i = 0; i < 64; i++) {
		flen = sizeof(from);
		n = recvfrom(d->fd, buf, sizeof(buf), 0,
		    (struct sockaddr *)&from, &flen);
		if (n < 0)
			return;
		rlen = radius_dae_handle(d, buf, (size_t)n,
		    (struct sockaddr *)&from, &out);
		if (rlen > 0 &&
		    sendto(d->fd, out.data, rlen, 0, (struct sockaddr *)&from,
			flen) < 0)
			log_warnx("radius dae: sendto: %s", strerror(errno));
	}
}

const struct radius_dae_stats *
radius_dae_stats(const struct radius_dae *d)
{
	return &d->stats;
}
