/*
 * radius_auth.c — the RADIUS auth_backend (see radius_auth.h).
 *
 * verify() turns a struct auth_request into an Access-Request and hands it
 * to the client; the client's callback turns the verified reply into a
 * struct auth_result and calls done once.  Each outstanding check is a
 * small heap object owned by the client request (its arg); cancel() takes
 * it back through radius_client_cancel() and frees it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "core/log.h"
#include "radius/radius_auth.h"
#include "radius/radius_client.h"
#include "radius/radius_dslf.h"

#define RA_FAIL_MSG "authentication failed"
#define RA_DOWN_MSG "authentication service unavailable"

struct ra_ctx {
	struct radius_sender rs;
	struct radius_nas_info nas;
	const struct radius_auth_reply *current; /* during done */
};

struct ra_req {
	struct ra_ctx *ctx;
	enum ppp_auth_method method;
	auth_done_fn *done;
	void *arg;
};

static struct radius_tunnel *
tunnel_for(struct radius_auth_reply *o, uint8_t tag)
{
	unsigned i;

	for (i = 0; i < o->ntunnels; i++)
		if (o->tunnels[i].tag == tag)
			return &o->tunnels[i];
	if (o->ntunnels == RADIUS_AUTH_MAX_TUNNELS)
		return NULL;
	memset(&o->tunnels[o->ntunnels], 0, sizeof(o->tunnels[0]));
	o->tunnels[o->ntunnels].tag = tag;
	return &o->tunnels[o->ntunnels++];
}

/* RFC 2868 §3: tagged attributes of one tag describe one tunnel. */
static void
decode_tunnel_attr(struct radius_auth_reply *o, uint8_t type, const uint8_t *v,
    size_t l, const uint8_t *req_auth, const char *secret)
{
	struct radius_tunnel *t;
	uint8_t tag;
	uint32_t u;
	char s[254], *dst = NULL;

	switch (type) {
	case RADIUS_ATTR_TUNNEL_TYPE:
	case RADIUS_ATTR_TUNNEL_MEDIUM_TYPE:
	case RADIUS_ATTR_TUNNEL_PREFERENCE:
		if (radius_tagged_u32(v, l, &tag, &u) != RADIUS_OK ||
		    (t = tunnel_for(o, tag)) == NULL)
			return;
		if (type == RADIUS_ATTR_TUNNEL_TYPE)
			t->type = u;
		else if (type == RADIUS_ATTR_TUNNEL_MEDIUM_TYPE)
			t->medium = u;
		else
			t->preference = u;
		return;
	case RADIUS_ATTR_TUNNEL_PASSWORD:
		if (l < 1 ||
		    (t = tunnel_for(o, v[0] <= 0x1f ? v[0] : 0)) == NULL)
			return;
		t->has_password = radius_tunnel_password_decrypt(v, l, req_auth,
				      secret, &tag, t->password,
				      sizeof(t->password),
				      &t->password_len) == RADIUS_OK;
		return;
	default:
		break;
	}
	if (radius_tagged_string(v, l, &tag, s, sizeof(s)) != RADIUS_OK ||
	    (t = tunnel_for(o, tag)) == NULL)
		return;
	switch (type) {
	case RADIUS_ATTR_TUNNEL_CLIENT_ENDPOINT:
		dst = t->client_endpoint;
		break;
	case RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT:
		dst = t->server_endpoint;
		break;
	case RADIUS_ATTR_TUNNEL_ASSIGNMENT_ID:
		dst = t->assignment_id;
		break;
	case RADIUS_ATTR_TUNNEL_CLIENT_AUTH_ID:
		dst = t->client_auth_id;
		break;
	case RADIUS_ATTR_TUNNEL_SERVER_AUTH_ID:
		dst = t->server_auth_id;
		break;
	default:
		return;
	}
	memcpy(dst, s, strlen(s) + 1);
}

/* RFC 3162 §2.2/§2.3/§2.6 and RFC 6911 §3.1/§3.2; malformed values are
 * ignored, the first good one of each counts. */
static void
decode_ipv6_attr(struct radius_auth_reply *o, uint8_t type, const uint8_t *v,
    size_t l)
{
	switch (type) {
	case RADIUS_ATTR_FRAMED_IPV6_PREFIX:
		/* Reserved, Prefix-Length (0..128), then only as many
		 * octets as the length needs. */
		if (o->has_ipv6_prefix || l < 2 || v[1] > 128 || l - 2 > 16 ||
		    (size_t)(v[1] + 7) / 8 > l - 2)
			break;
		memset(o->ipv6_prefix, 0, 16);
		memcpy(o->ipv6_prefix, v + 2, l - 2);
		for (unsigned b = v[1]; b < 128; b++)
			o->ipv6_prefix[b / 8] &= (uint8_t) ~(0x80u >> (b % 8));
		o->ipv6_prefix_len = v[1];
		o->has_ipv6_prefix = true;
		break;
	case RADIUS_ATTR_FRAMED_INTERFACE_ID:
		if (!o->has_interface_id && l == 8) {
			memcpy(o->interface_id, v, 8);
			o->has_interface_id = true;
		}
		break;
	case RADIUS_ATTR_FRAMED_IPV6_POOL:
		if (o->ipv6_pool[0] == '\0' && l > 0 &&
		    l < sizeof(o->ipv6_pool) && memchr(v, '\0', l) == NULL) {
			memcpy(o->ipv6_pool, v, l);
			o->ipv6_pool[l] = '\0';
		}
		break;
	case RADIUS_ATTR_FRAMED_IPV6_ADDRESS:
		if (!o->has_ipv6_address && l == 16) {
			memcpy(o->ipv6_address, v, 16);
			o->has_ipv6_address = true;
		}
		break;
	case RADIUS_ATTR_DNS_SERVER_IPV6_ADDRESS:
		if (o->dns6_count < 2 && l == 16)
			memcpy(o->dns6[o->dns6_count++], v, 16);
		break;
	case RADIUS_ATTR_DELEGATED_IPV6_PREFIX:
		/* RFC 4818 §3: the layout of Framed-IPv6-Prefix. */
		if (o->has_deleg_prefix || l < 2 || v[1] > 128 || l - 2 > 16 ||
		    (size_t)(v[1] + 7) / 8 > l - 2)
			break;
		memset(o->deleg_prefix, 0, 16);
		memcpy(o->deleg_prefix, v + 2, l - 2);
		for (unsigned b = v[1]; b < 128; b++)
			o->deleg_prefix[b / 8] &= (uint8_t) ~(0x80u >> (b % 8));
		o->deleg_prefix_len = v[1];
		o->has_deleg_prefix = true;
		break;
	case RADIUS_ATTR_DELEGATED_IPV6_PREFIX_POOL:
		if (o->deleg_pool[0] == '\0' && l > 0 &&
		    l < sizeof(o->deleg_pool) && memchr(v, '\0', l) == NULL) {
			memcpy(o->deleg_pool, v, l);
			o->deleg_pool[l] = '\0';
		}
		break;
	default:
		break;
	}
}

void
radius_auth_get_rate_limit(const struct radius_packet *p, char *out,
    size_t outsz)
{
	const uint8_t *v;
	size_t l;

	out[0] = '\0';
	if (radius_get_vs_raw(p, RADIUS_VENDOR_MIKROTIK,
		RADIUS_MIKROTIK_RATE_LIMIT, &v, &l) != RADIUS_OK ||
	    l == 0 || l >= outsz || memchr(v, '\0', l) != NULL)
		return;
	memcpy(out, v, l);
	out[l] = '\0';
}

void
radius_auth_decode_reply(const struct radius_packet *p, const uint8_t *req_auth,
    const char *secret, struct radius_auth_reply *o)
{
	struct radius_iter it = { 0 };
	const uint8_t *v;
	size_t l;
	uint8_t type;
	char s[254];

	memset(o, 0, sizeof(*o));
	o->code = radius_code(p);
	if (radius_get_ipv4(p, RADIUS_ATTR_FRAMED_IP_ADDRESS,
		&o->framed_address) != RADIUS_OK ||
	    o->framed_address == 0xffffffff || o->framed_address == 0xfffffffe)
		/* RFC 2865 §5.8: 0xFFFFFFFE "NAS should select", 0xFFFFFFFF
		 * "user may select": both mean our pool. */
		o->framed_address = 0;
	(void)radius_get_ipv4(p, RADIUS_ATTR_FRAMED_IP_NETMASK,
	    &o->framed_netmask);
	(void)radius_get_string(p, RADIUS_ATTR_FRAMED_POOL, o->framed_pool,
	    sizeof(o->framed_pool));
	(void)radius_get_u32(p, RADIUS_ATTR_SESSION_TIMEOUT,
	    &o->session_timeout);
	(void)radius_get_u32(p, RADIUS_ATTR_PORT_LIMIT, &o->port_limit);
	(void)radius_get_u32(p, RADIUS_ATTR_IDLE_TIMEOUT, &o->idle_timeout);
	(void)radius_get_u32(p, RADIUS_ATTR_FRAMED_MTU, &o->framed_mtu);
	(void)radius_get_u32(p, RADIUS_ATTR_ACCT_INTERIM_INTERVAL,
	    &o->interim_interval);
	(void)radius_get_vs_ipv4(p, RADIUS_VENDOR_MICROSOFT,
	    RADIUS_MS_PRIMARY_DNS_SERVER, &o->dns[0]);
	(void)radius_get_vs_ipv4(p, RADIUS_VENDOR_MICROSOFT,
	    RADIUS_MS_SECONDARY_DNS_SERVER, &o->dns[1]);
	(void)radius_get_string(p, RADIUS_ATTR_REPLY_MESSAGE, o->reply_message,
	    sizeof(o->reply_message));
	(void)radius_get_string(p, RADIUS_ATTR_FILTER_ID, o->filter_id,
	    sizeof(o->filter_id));
	radius_auth_get_rate_limit(p, o->rate_limit, sizeof(o->rate_limit));
	while (radius_next_attr(p, &it, &type, &v, &l)) {
		switch (type) {
		case RADIUS_ATTR_FRAMED_ROUTE:
			if (o->nroutes < RADIUS_AUTH_MAX_ROUTES && l > 0 &&
			    l < sizeof(s) && memchr(v, '\0', l) == NULL) {
				memcpy(o->framed_routes[o->nroutes], v, l);
				o->framed_routes[o->nroutes++][l] = '\0';
			}
			break;
		case RADIUS_ATTR_CLASS:
			/* RFC 2865 §5.25: sent unmodified in accounting. */
			if (o->nclass < RADIUS_AUTH_MAX_CLASS) {
				memcpy(o->class_[o->nclass].v, v, l);
				o->class_[o->nclass++].len = l;
			}
			break;
		case RADIUS_ATTR_FRAMED_IPV6_PREFIX:
		case RADIUS_ATTR_FRAMED_INTERFACE_ID:
		case RADIUS_ATTR_FRAMED_IPV6_POOL:
		case RADIUS_ATTR_FRAMED_IPV6_ADDRESS:
		case RADIUS_ATTR_DNS_SERVER_IPV6_ADDRESS:
		case RADIUS_ATTR_DELEGATED_IPV6_PREFIX:
		case RADIUS_ATTR_DELEGATED_IPV6_PREFIX_POOL:
			decode_ipv6_attr(o, type, v, l);
			break;
		case RADIUS_ATTR_TUNNEL_TYPE:
		case RADIUS_ATTR_TUNNEL_MEDIUM_TYPE:
		case RADIUS_ATTR_TUNNEL_CLIENT_ENDPOINT:
		case RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT:
		case RADIUS_ATTR_TUNNEL_PASSWORD:
		case RADIUS_ATTR_TUNNEL_ASSIGNMENT_ID:
		case RADIUS_ATTR_TUNNEL_PREFERENCE:
		case RADIUS_ATTR_TUNNEL_CLIENT_AUTH_ID:
		case RADIUS_ATTR_TUNNEL_SERVER_AUTH_ID:
			decode_tunnel_attr(o, type, v, l, req_auth, secret);
			break;
		default:
			break;
		}
	}
}

/* RFC 2759 §6 / RFC 2548 §2.1.5: "E=691 R=0 C=... V=3 M=<text>": the peer
 * gets our own Failure packet, so only the M= text is kept. */
static void
mschap_error_message(const struct radius_packet *p, char *out, size_t outsz)
{
	const uint8_t *v;
	size_t l;
	char s[254];
	const char *m;

	if (radius_get_vs_raw(p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP_ERROR,
		&v, &l) != RADIUS_OK ||
	    l < 2 || l - 1 >= sizeof(s) || memchr(v + 1, '\0', l - 1) != NULL)
		return;
	memcpy(s, v + 1, l - 1);
	s[l - 1] = '\0';
	m = strstr(s, "M=");
	strlcpy(out, m != NULL ? m + 2 : s, outsz);
}

static void
on_reply(void *arg, const struct radius_reply *r)
{
	struct ra_req *q = arg;
	struct ra_ctx *ctx = q->ctx;
	struct radius_auth_reply reply;
	struct auth_result res;
	const uint8_t *v;
	size_t l;

	memset(&res, 0, sizeof(res));
	memset(&reply, 0, sizeof(reply));
	res.now = r->now;
	if (r->status != RADIUS_STATUS_REPLY) {
		snprintf(res.message, sizeof(res.message), "%s", RA_DOWN_MSG);
		res.unavailable = true;
		goto out;
	}
	radius_auth_decode_reply(r->pkt, r->req_auth, r->secret, &reply);
	snprintf(res.message, sizeof(res.message), "%s",
	    reply.reply_message[0] != '\0' ? reply.reply_message : RA_FAIL_MSG);
	switch (radius_code(r->pkt)) {
	case RADIUS_CODE_ACCESS_ACCEPT:
		res.ok = true;
		res.framed_address = reply.framed_address;
		if (q->method != PPP_AUTH_MSCHAPV2)
			break;
		/* RFC 2548 §2.3.3: Ident + the 42-octet "S=..." string; a
		 * server that does not prove the password fails (RFC 2759
		 * §5: the peer would refuse us anyway). */
		if (radius_get_vs_raw(r->pkt, RADIUS_VENDOR_MICROSOFT,
			RADIUS_MS_CHAP2_SUCCESS, &v, &l) != RADIUS_OK ||
		    l != 43 || v[1] != 'S' || v[2] != '=') {
			log_warnx("radius: Access-Accept for MS-CHAPv2 "
				  "without a valid MS-CHAP2-Success");
			res.ok = false;
			res.framed_address = 0;
			break;
		}
		memcpy(res.authenticator_response, v + 1, 42);
		res.authenticator_response[42] = '\0';
		break;
	case RADIUS_CODE_ACCESS_REJECT:
		if (q->method == PPP_AUTH_MSCHAPV2)
			mschap_error_message(r->pkt, res.message,
			    sizeof(res.message));
		break;
	default:
		/* Access-Challenge: PPP has no way to ask the user. */
		log_info("radius: %s treated as a reject",
		    radius_code_str(radius_code(r->pkt)));
		break;
	}
	if (res.ok)
		res.message[0] = '\0';
out:
	ctx->current = r->status == RADIUS_STATUS_REPLY ? &reply : NULL;
	q->done(q->arg, &res);
	ctx->current = NULL;
	explicit_bzero(&reply, sizeof(reply));
	free(q);
}

static bool
build(const struct ra_ctx *ctx, const struct auth_request *req,
    struct radius_packet *p)
{
	const struct radius_nas_info *nas = &ctx->nas;
	uint8_t buf[64];
	bool ok = true;

	radius_packet_init(p, RADIUS_CODE_ACCESS_REQUEST, 0, NULL);
	ok = ok &&
	    radius_put_string(p, RADIUS_ATTR_USER_NAME, req->user) == RADIUS_OK;
	ok = ok &&
	    radius_put_u32(p, RADIUS_ATTR_SERVICE_TYPE,
		RADIUS_SERVICE_FRAMED) == RADIUS_OK;
	ok = ok &&
	    radius_put_u32(p, RADIUS_ATTR_FRAMED_PROTOCOL,
		RADIUS_FRAMED_PROTOCOL_PPP) == RADIUS_OK;
	if (nas->nas_identifier[0] != '\0')
		ok = ok &&
		    radius_put_string(p, RADIUS_ATTR_NAS_IDENTIFIER,
			nas->nas_identifier) == RADIUS_OK;
	if (nas->nas_ip != 0)
		ok = ok &&
		    radius_put_ipv4(p, RADIUS_ATTR_NAS_IP_ADDRESS,
			nas->nas_ip) == RADIUS_OK;
	/* RFC 2865 §5.5: the port the user is on, as our accounting
	 * records number it. */
	if (req->has_nas_port)
		ok = ok &&
		    radius_put_u32(p, RADIUS_ATTR_NAS_PORT, req->nas_port) ==
			RADIUS_OK;
	if (nas->nas_port_type != 0)
		ok = ok &&
		    radius_put_u32(p, RADIUS_ATTR_NAS_PORT_TYPE,
			nas->nas_port_type) == RADIUS_OK;
	/* RFC 2865 §5.31: who called (the user's MAC at a LAC, the L2TP
	 * Calling Number or the peer's address at an LNS); never empty
	 * (§5: a string attribute has at least one octet). */
	if (req->calling_station[0] != '\0')
		ok = ok &&
		    radius_put_string(p, RADIUS_ATTR_CALLING_STATION_ID,
			req->calling_station) == RADIUS_OK;
	/* RFC 4679 §4: the DSL Forum attributes MAY be in Access-Request. */
	ok = ok && radius_put_access_line(p, req->access_line) == RADIUS_OK;
	switch (req->method) {
	case PPP_AUTH_PAP:
		/* User-Password is hidden per server by the client. */
		ok = ok && req->password_len > 0 &&
		    req->password_len <= RADIUS_MAX_PASSWORD;
		break;
	case PPP_AUTH_CHAP_MD5:
		/* RFC 2865 §5.3: CHAP Ident + 16-octet response; §5.40 the
		 * challenge (always sent, whatever its length). */
		if (req->response_len != 16 || req->challenge_len == 0 ||
		    req->challenge_len > RADIUS_MAX_ATTR_VALUE)
			return false;
		buf[0] = req->id;
		memcpy(buf + 1, req->response, 16);
		ok = ok &&
		    radius_put_raw(p, RADIUS_ATTR_CHAP_PASSWORD, buf, 17) ==
			RADIUS_OK;
		ok = ok &&
		    radius_put_raw(p, RADIUS_ATTR_CHAP_CHALLENGE,
			req->challenge, req->challenge_len) == RADIUS_OK;
		break;
	case PPP_AUTH_MSCHAPV2:
		/* RFC 2548 §2.3.2: Ident, Flags (0), Peer-Challenge 16,
		 * Reserved 8, Response 24 — auth_request holds the PPP
		 * order (peer challenge, reserved, NT-Response, flags). */
		if (req->response_len != 49 || req->challenge_len != 16)
			return false;
		buf[0] = req->id;
		buf[1] = 0;
		memcpy(buf + 2, req->response, 48);
		ok = ok &&
		    radius_put_vs_raw(p, RADIUS_VENDOR_MICROSOFT,
			RADIUS_MS_CHAP_CHALLENGE, req->challenge,
			16) == RADIUS_OK;
		ok = ok &&
		    radius_put_vs_raw(p, RADIUS_VENDOR_MICROSOFT,
			RADIUS_MS_CHAP2_RESPONSE, buf, 50) == RADIUS_OK;
		break;
	case PPP_AUTH_NONE:
		return false;
	}
	return ok;
}

static uint64_t
ra_verify(void *vctx, const struct auth_request *req, auth_done_fn *done,
    void *arg)
{
	struct ra_ctx *ctx = vctx;
	struct radius_packet *p;
	struct ra_req *q;
	struct auth_result res;
	uint64_t h = 0;

	p = malloc(sizeof(*p));
	q = calloc(1, sizeof(*q));
	if (p != NULL && q != NULL && build(ctx, req, p)) {
		q->ctx = ctx;
		q->method = req->method;
		q->done = done;
		q->arg = arg;
		h = ctx->rs.send(ctx->rs.ctx, p,
		    req->method == PPP_AUTH_PAP ? req->password : NULL,
		    req->method == PPP_AUTH_PAP ? req->password_len : 0,
		    on_reply, q);
	}
	free(p);
	if (h != 0)
		return h;
	free(q);
	memset(&res, 0, sizeof(res));
	snprintf(res.message, sizeof(res.message), "%s", RA_DOWN_MSG);
	res.unavailable = true;
	log_warnx("radius: cannot send an Access-Request for %s",
	    ppp_auth_method_str(req->method));
	done(arg, &res);
	return 0;
}

static void
ra_cancel(void *vctx, uint64_t handle)
{
	struct ra_ctx *ctx = vctx;

	free(ctx->rs.cancel(ctx->rs.ctx, handle));
}

void
radius_auth_backend(struct auth_backend *b, const struct radius_sender *rs,
    const struct radius_nas_info *nas)
{
	struct ra_ctx *ctx;

	if ((ctx = calloc(1, sizeof(*ctx))) == NULL)
		fatal("radius: calloc");
	ctx->rs = *rs;
	if (nas != NULL)
		ctx->nas = *nas;
	b->verify = ra_verify;
	b->cancel = ra_cancel;
	b->ctx = ctx;
}

void
radius_auth_backend_free(struct auth_backend *b)
{
	free(b->ctx);
	b->ctx = NULL;
}

const struct radius_auth_reply *
radius_auth_current_reply(const struct auth_backend *b)
{
	const struct ra_ctx *ctx = b->ctx;

	return ctx != NULL ? ctx->current : NULL;
}
