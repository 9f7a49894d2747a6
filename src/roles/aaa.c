/*
 * aaa.c — RADIUS accounting (see aaa.h).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "core/log.h"
#include "radius/radius_auth.h"
#include "radius/radius_client.h"
#include "radius/radius_dslf.h"
#include "roles/aaa.h"

struct aaa {
	struct radius_sender rs;
	bool enabled;
	int64_t (*wall_time)(void *ctx);
	void *wall_ctx;
	struct aaa_nas nas;
	uint32_t nas_tag; /* digest of nas, leads every Acct-Session-Id */
	uint32_t boot;	  /* wall clock at start */
	uint32_t next_id;
	unsigned pending;
};

const char *
aaa_cause_str(enum aaa_cause c)
{
	switch (c) {
	/* clang-format off */
	case AAA_CAUSE_NONE:		return "none";
	case AAA_CAUSE_USER_REQUEST:	return "User-Request";
	case AAA_CAUSE_LOST_CARRIER:	return "Lost-Carrier";
	case AAA_CAUSE_LOST_SERVICE:	return "Lost-Service";
	case AAA_CAUSE_IDLE_TIMEOUT:	return "Idle-Timeout";
	case AAA_CAUSE_SESSION_TIMEOUT:	return "Session-Timeout";
	case AAA_CAUSE_ADMIN_RESET:	return "Admin-Reset";
	case AAA_CAUSE_NAS_ERROR:	return "NAS-Error";
	case AAA_CAUSE_NAS_REQUEST:	return "NAS-Request";
		/* clang-format on */
	}
	return "?";
}

/* RFC 2866 §5.10: User-Request "user requested termination of service,
 * for example with LCP Terminate"; Lost-Carrier "DCD was dropped on the
 * port" — a silent peer (LCP echo, L2TP Hello) or its CDN/StopCCN. */
enum aaa_cause
aaa_cause_from_reason(const char *reason)
{
	static const struct {
		const char *reason;
		enum aaa_cause cause;
	} map[] = {
		{ "peer terminated", AAA_CAUSE_USER_REQUEST },
		{ "echo timeout", AAA_CAUSE_LOST_CARRIER },
		{ "carrier closed", AAA_CAUSE_LOST_CARRIER },
		{ "LCP finished", AAA_CAUSE_LOST_CARRIER },
		{ "shutdown", AAA_CAUSE_NAS_REQUEST },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (reason != NULL && strcmp(reason, map[i].reason) == 0)
			return map[i].cause;
	return AAA_CAUSE_NAS_ERROR;
}

const char *
aaa_lac_end_str(enum aaa_lac_end e)
{
	switch (e) {
	/* clang-format off */
	case AAA_LAC_END_PADT:			return "PADT from the user";
	case AAA_LAC_END_USER_TERMINATE:	return "user's LCP Terminate";
	case AAA_LAC_END_LINK_LOST:		return "link to the user lost";
	case AAA_LAC_END_LNS_CDN:		return "CDN from the LNS";
	case AAA_LAC_END_TUNNEL_LOST:		return "tunnel to the LNS lost";
	case AAA_LAC_END_SHUTDOWN:		return "shutdown";
	case AAA_LAC_END_ADMIN:			return "administrative disconnect";
	case AAA_LAC_END_ERROR:			return "error";
		/* clang-format on */
	}
	return "?";
}

/*
 * RFC 2866 §5.10 for a LAC, whose service is the tunnel to the user's home
 * network:
 *   PADT, LCP Terminate-Request from the user -> User-Request ("user
 *	requested termination of service, for example with LCP Terminate");
 *   LCP echo failure, PPPoE carrier gone -> Lost-Carrier ("DCD was
 *	dropped on the port": the access line went silent);
 *   CDN from the LNS -> NAS-Request ("NAS terminated session for a
 *	non-error reason": the provider's side of the call, here the LNS,
 *	ended it in an orderly way; the LAC is not told why);
 *   StopCCN from the LNS, the tunnel timing out -> Lost-Service ("service
 *	can no longer be provided; for example, user's connection to a host
 *	was interrupted");
 *   this daemon stopping -> NAS-Request, as the LNS reports it;
 *   an operator's disconnect -> Admin-Reset ("reset of the port or
 *	session"), as the LNS reports `vpdnctl disconnect user`;
 *   anything else -> NAS-Error.
 */
enum aaa_cause
aaa_lac_cause(enum aaa_lac_end e)
{
	switch (e) {
	/* clang-format off */
	case AAA_LAC_END_PADT:			return AAA_CAUSE_USER_REQUEST;
	case AAA_LAC_END_USER_TERMINATE:	return AAA_CAUSE_USER_REQUEST;
	case AAA_LAC_END_LINK_LOST:		return AAA_CAUSE_LOST_CARRIER;
	case AAA_LAC_END_LNS_CDN:		return AAA_CAUSE_NAS_REQUEST;
	case AAA_LAC_END_TUNNEL_LOST:		return AAA_CAUSE_LOST_SERVICE;
	case AAA_LAC_END_SHUTDOWN:		return AAA_CAUSE_NAS_REQUEST;
	case AAA_LAC_END_ADMIN:			return AAA_CAUSE_ADMIN_RESET;
	case AAA_LAC_END_ERROR:			return AAA_CAUSE_NAS_ERROR;
		/* clang-format on */
	}
	return AAA_CAUSE_NAS_ERROR;
}

void
aaa_access_connection(const struct aaa_access *x, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%u/%u %u/%u", x->tunnel_id, x->session_id,
	    x->peer_tunnel_id, x->peer_session_id);
}

/* RFC 2868 §3.3/§3.4: dotted decimal for IPv4, RFC 2373 text for IPv6;
 * an IPv4-mapped address (an IPv6 socket talking to an IPv4 LNS) is the
 * IPv4 address it maps. */
static bool
aaa_endpoint(const struct aaa_access *x, const uint8_t a[16], char *buf,
    size_t bufsz)
{
	return inet_ntop(x->family == AF_INET6 ? AF_INET6 : AF_INET, a, buf,
		   (socklen_t)bufsz) != NULL;
}

/* The LAC's attributes of a session record (x != NULL). */
static bool
aaa_put_access(struct radius_packet *p, const struct aaa_access *x)
{
	char a[INET6_ADDRSTRLEN];
	bool ok = true;

	if (x->family == 0)
		return true;
	/* RFC 2867 §4.1 and RFC 2868 §3: the tunnel the call went through.
	 * Tag 0: one tunnel per record, nothing to group. */
	ok = ok &&
	    radius_put_tagged_u32(p, RADIUS_ATTR_TUNNEL_TYPE, 0,
		RADIUS_TUNNEL_TYPE_L2TP) == RADIUS_OK;
	ok = ok &&
	    radius_put_tagged_u32(p, RADIUS_ATTR_TUNNEL_MEDIUM_TYPE, 0,
		x->family == AF_INET6 ? RADIUS_TUNNEL_MEDIUM_IPV6 :
					RADIUS_TUNNEL_MEDIUM_IPV4) == RADIUS_OK;
	/* RFC 2868 §3.3: the initiator's end (the LAC) is the client. */
	ok = ok && aaa_endpoint(x, x->client, a, sizeof(a)) &&
	    radius_put_tagged_string(p, RADIUS_ATTR_TUNNEL_CLIENT_ENDPOINT, 0,
		a) == RADIUS_OK;
	ok = ok && aaa_endpoint(x, x->server, a, sizeof(a)) &&
	    radius_put_tagged_string(p, RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT, 0,
		a) == RADIUS_OK;
	aaa_access_connection(x, a, sizeof(a));
	ok = ok &&
	    radius_put_string(p, RADIUS_ATTR_ACCT_TUNNEL_CONNECTION, a) ==
		RADIUS_OK;
	return ok;
}

void
aaa_mac_str(const uint8_t mac[6], char out[AAA_MAC_STR_LEN])
{
	snprintf(out, AAA_MAC_STR_LEN, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0],
	    mac[1], mac[2], mac[3], mac[4], mac[5]);
}

void
aaa_describe_pppoe(struct auth_request *req, const uint8_t mac[6],
    uint16_t session_id)
{
	aaa_mac_str(mac, req->calling_station);
	req->nas_port = session_id;
	req->has_nas_port = true;
}

/* The peer's address without the port; an IPv4-mapped IPv6 address (an
 * IPv6 socket) as IPv4; "" when unknown. */
static void
peer_ip(const struct l2tp_addr *a, char *buf, size_t len)
{
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)&a->ss;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&a->ss;

	buf[0] = '\0';
	if (a->ss.ss_family == AF_INET) {
		(void)inet_ntop(AF_INET, &s4->sin_addr, buf, (socklen_t)len);
	} else if (a->ss.ss_family == AF_INET6) {
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
			(void)inet_ntop(AF_INET, s6->sin6_addr.s6_addr + 12,
			    buf, (socklen_t)len);
		else
			(void)inet_ntop(AF_INET6, &s6->sin6_addr, buf,
			    (socklen_t)len);
	}
}

void
aaa_describe_l2tp(struct auth_request *req, const char *calling_number,
    const struct l2tp_addr *peer, uint16_t tunnel_id, uint16_t session_id)
{
	req->nas_port = (uint32_t)tunnel_id << 16 | session_id;
	req->has_nas_port = true;
	req->calling_station[0] = '\0';
	if (calling_number != NULL && calling_number[0] != '\0') {
		/* a cut number would match the wrong policy */
		if (strlcpy(req->calling_station, calling_number,
			sizeof(req->calling_station)) >=
		    sizeof(req->calling_station))
			req->calling_station[0] = '\0';
		return;
	}
	if (peer != NULL)
		peer_ip(peer, req->calling_station,
		    sizeof(req->calling_station));
}

bool
aaa_build(struct radius_packet *p, const struct aaa_nas *nas, unsigned status,
    const struct aaa_session *s, const struct aaa_counters *c,
    uint32_t elapsed_s, enum aaa_cause cause, uint32_t event_time)
{
	return aaa_build_access(p, nas, status, s, c, elapsed_s, cause,
	    event_time, NULL);
}

bool
aaa_build_access(struct radius_packet *p, const struct aaa_nas *nas,
    unsigned status, const struct aaa_session *s, const struct aaa_counters *c,
    uint32_t elapsed_s, enum aaa_cause cause, uint32_t event_time,
    const struct aaa_access *x)
{
	bool ok = true;

	radius_packet_init(p, RADIUS_CODE_ACCOUNTING_REQUEST, 0, NULL);
	ok = ok &&
	    radius_put_u32(p, RADIUS_ATTR_ACCT_STATUS_TYPE, status) ==
		RADIUS_OK;
	/* RFC 2865 §4.1 (and RFC 2866 §4.1): NAS-IP-Address or
	 * NAS-Identifier identifies us. */
	if (nas->identifier[0] != '\0')
		ok = ok &&
		    radius_put_string(p, RADIUS_ATTR_NAS_IDENTIFIER,
			nas->identifier) == RADIUS_OK;
	if (nas->ip != 0)
		ok = ok &&
		    radius_put_ipv4(p, RADIUS_ATTR_NAS_IP_ADDRESS, nas->ip) ==
			RADIUS_OK;
	if (event_time != 0)
		ok = ok &&
		    radius_put_u32(p, RADIUS_ATTR_EVENT_TIMESTAMP,
			event_time) == RADIUS_OK;
	if (s == NULL)
		return ok;
	/* RFC 2866 §5.5: Acct-Session-Id in every record of the session. */
	ok = ok &&
	    radius_put_string(p, RADIUS_ATTR_ACCT_SESSION_ID, s->id) ==
		RADIUS_OK;
	if (aaa_session_user(s)[0] != '\0')
		ok = ok &&
		    radius_put_string(p, RADIUS_ATTR_USER_NAME, s->user) ==
			RADIUS_OK;
	ok = ok &&
	    radius_put_u32(p, RADIUS_ATTR_ACCT_AUTHENTIC, 1) ==
		RADIUS_OK; /* RFC 2866 §5.6: RADIUS */
	ok = ok &&
	    radius_put_u32(p, RADIUS_ATTR_SERVICE_TYPE,
		RADIUS_SERVICE_FRAMED) == RADIUS_OK;
	ok = ok &&
	    radius_put_u32(p, RADIUS_ATTR_FRAMED_PROTOCOL,
		RADIUS_FRAMED_PROTOCOL_PPP) == RADIUS_OK;
	ok = ok &&
	    radius_put_u32(p, RADIUS_ATTR_NAS_PORT, s->nas_port) == RADIUS_OK;
	/* RFC 4679 §4: the DSL Forum attributes MAY be in Accounting-Request;
	 * the LAC sends what the access node reported, the LNS what the LAC
	 * passed on (RFC 5515). */
	ok = ok && radius_put_access_line(p, s->access_line) == RADIUS_OK;
	/* RFC 2865 §5.41: the LNS's users come over a tunnel (Virtual); a
	 * LAC says what the user's line is (Ethernet for PPPoE). */
	ok = ok &&
	    radius_put_u32(p, RADIUS_ATTR_NAS_PORT_TYPE,
		x != NULL ? x->nas_port_type : RADIUS_NAS_PORT_TYPE_VIRTUAL) ==
		RADIUS_OK;
	if (x != NULL) {
		char mac[AAA_MAC_STR_LEN];

		/* RFC 2865 §5.31: who called; for PPPoE, the user's MAC (the
		 * form also sent as the ICRQ's Calling Number). */
		aaa_mac_str(x->mac, mac);
		ok = ok &&
		    radius_put_string(p, RADIUS_ATTR_CALLING_STATION_ID, mac) ==
			RADIUS_OK;
	}
	if (s->framed_ip != 0)
		ok = ok &&
		    radius_put_ipv4(p, RADIUS_ATTR_FRAMED_IP_ADDRESS,
			s->framed_ip) == RADIUS_OK;
	if (s->has_ipv6_prefix) {
		/* RFC 3162 §2.3: Reserved, Prefix-Length, the prefix's
		 * octets (only as many as the length needs). */
		uint8_t v[10] = { 0, 64 };

		memcpy(v + 2, s->ipv6_prefix, 8);
		ok = ok &&
		    radius_put_raw(p, RADIUS_ATTR_FRAMED_IPV6_PREFIX, v,
			sizeof(v)) == RADIUS_OK;
	}
	if (s->has_deleg_prefix) {
		/* RFC 4818 §3: the layout of Framed-IPv6-Prefix. */
		uint8_t v[18] = { 0, s->deleg_prefix_len };
		size_t n = 2 + (s->deleg_prefix_len + 7u) / 8;

		memcpy(v + 2, s->deleg_prefix, n - 2);
		ok = ok &&
		    radius_put_raw(p, RADIUS_ATTR_DELEGATED_IPV6_PREFIX, v,
			n) == RADIUS_OK;
	}
	/* RFC 2865 §5.25: Class as the server sent it. */
	for (unsigned i = 0; i < s->nclass; i++)
		ok = ok &&
		    radius_put_raw(p, RADIUS_ATTR_CLASS, s->class_[i].v,
			s->class_[i].len) == RADIUS_OK;
	if (x != NULL)
		ok = ok && aaa_put_access(p, x);
	if (status == RADIUS_ACCT_STATUS_START || c == NULL)
		return ok;
	/* RFC 2866 §5.3-5.8 and RFC 2869 §5.1-5.2: the low 32 bits in
	 * Acct-*-Octets, the number of 2^32 wraps in Acct-*-Gigawords.
	 * Input is what the user sent to us. */
	ok = ok &&
	    radius_put_u32(p, RADIUS_ATTR_ACCT_INPUT_OCTETS,
		(uint32_t)c->in_octets) == RADIUS_OK;
	ok = ok &&
	    radius_put_u32(p, RADIUS_ATTR_ACCT_INPUT_GIGAWORDS,
		(uint32_t)(c->in_octets >> 32)) == RADIUS_OK;
	ok = ok &&
	    radius_put_u32(p, RADIUS_ATTR_ACCT_OUTPUT_OCTETS,
		(uint32_t)c->out_octets) == RADIUS_OK;
	ok = ok &&
	    radius_put_u32(p, RADIUS_ATTR_ACCT_OUTPUT_GIGAWORDS,
		(uint32_t)(c->out_octets >> 32)) == RADIUS_OK;
	ok = ok &&
	    radius_put_u32(p, RADIUS_ATTR_ACCT_INPUT_PACKETS,
		(uint32_t)c->in_packets) == RADIUS_OK;
	ok = ok &&
	    radius_put_u32(p, RADIUS_ATTR_ACCT_OUTPUT_PACKETS,
		(uint32_t)c->out_packets) == RADIUS_OK;
	ok = ok &&
	    radius_put_u32(p, RADIUS_ATTR_ACCT_SESSION_TIME, elapsed_s) ==
		RADIUS_OK;
	/* RFC 2866 §5.10: only in Stop records. */
	if (status == RADIUS_ACCT_STATUS_STOP && cause != AAA_CAUSE_NONE)
		ok = ok &&
		    radius_put_u32(p, RADIUS_ATTR_ACCT_TERMINATE_CAUSE,
			cause) == RADIUS_OK;
	return ok;
}

/* RFC 2866 Event-Timestamp and the boot time Acct-Session-Ids start
 * from: seconds since the epoch, from whoever made us (0 without). */
static uint32_t
aaa_wall(const struct aaa *a)
{
	return a->wall_time != NULL ? (uint32_t)a->wall_time(a->wall_ctx) : 0;
}

/* FNV-1a (32 bit) over the NAS's identity: which daemon made an id. */
static uint32_t
aaa_nas_tag(const struct aaa_nas *nas)
{
	uint32_t h = 2166136261u;

	for (const char *c = nas->identifier; *c != '\0'; c++)
		h = (h ^ (uint8_t)*c) * 16777619u;
	for (int shift = 24; shift >= 0; shift -= 8)
		h = (h ^ ((nas->ip >> shift) & 0xffu)) * 16777619u;
	return h;
}

struct aaa *
aaa_new(const struct radius_sender *rs, const struct aaa_nas *nas,
    int64_t (*wall_time)(void *ctx), void *wall_ctx)
{
	struct aaa *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return NULL;
	if (rs != NULL) {
		a->rs = *rs;
		a->enabled = true;
	}
	if (nas != NULL)
		a->nas = *nas;
	a->wall_time = wall_time;
	a->wall_ctx = wall_ctx;
	a->nas_tag = aaa_nas_tag(&a->nas);
	a->boot = aaa_wall(a);
	return a;
}

void
aaa_free(struct aaa *a)
{
	free(a);
}

bool
aaa_enabled(const struct aaa *a)
{
	return a != NULL && a->enabled;
}

unsigned
aaa_pending(const struct aaa *a)
{
	return a != NULL ? a->pending : 0;
}

static void
aaa_on_reply(void *arg, const struct radius_reply *r)
{
	struct aaa *a = arg;

	a->pending--;
	if (r->status != RADIUS_STATUS_REPLY)
		log_warnx("radius: accounting request given up: no server "
			  "answered");
}

static void
aaa_send(struct aaa *a, unsigned status, const struct aaa_session *s,
    const struct aaa_counters *c, uint32_t elapsed, enum aaa_cause cause,
    const struct aaa_access *x)
{
	struct radius_packet *p;

	if (!aaa_enabled(a))
		return;
	if ((p = malloc(sizeof(*p))) == NULL) {
		log_warnx("radius: no memory for an accounting request");
		return;
	}
	if (!aaa_build_access(p, &a->nas, status, s, c, elapsed, cause,
		aaa_wall(a), x) ||
	    a->rs.send(a->rs.ctx, p, NULL, 0, aaa_on_reply, a) == 0)
		log_warnx("radius: cannot send an accounting request%s%s",
		    s != NULL ? " for session " : "", s != NULL ? s->id : "");
	else
		a->pending++;
	free(p);
}

void
aaa_accounting_on(struct aaa *a)
{
	aaa_send(a, RADIUS_ACCT_STATUS_ON, NULL, NULL, 0, AAA_CAUSE_NONE, NULL);
}

void
aaa_accounting_off(struct aaa *a)
{
	aaa_send(a, RADIUS_ACCT_STATUS_OFF, NULL, NULL, 0, AAA_CAUSE_NONE,
	    NULL);
}

void
aaa_session_init(struct aaa *a, struct aaa_session *s, const char *user,
    uint32_t framed_ip, uint32_t nas_port,
    const struct radius_auth_reply *reply)
{
	memset(s, 0, sizeof(*s));
	/* RFC 2866 §5.5: unique; the NAS digest keeps the ids of daemons
	 * sharing a RADIUS database apart, the start time and instance the
	 * ids of a restarted daemon from its previous run's (aaa.h). */
	snprintf(s->id, sizeof(s->id), "%08X%08X%03X%08X", a->nas_tag, a->boot,
	    (unsigned)(a->nas.instance & AAA_INSTANCE_MASK), ++a->next_id);
	s->user = strdup(user != NULL ? user : "");
	if (s->user == NULL)
		log_warnx("acct: %s: no memory for the user name; records go "
			  "without User-Name",
		    s->id);
	s->framed_ip = framed_ip;
	s->nas_port = nas_port;
	if (reply == NULL || reply->nclass == 0)
		return;
	s->class_ = calloc(AAA_MAX_CLASS, sizeof(*s->class_));
	if (s->class_ == NULL) {
		log_warnx("acct: %s: no memory to keep Class; not echoed",
		    s->id);
		return;
	}
	for (unsigned i = 0; i < reply->nclass && i < AAA_MAX_CLASS; i++) {
		memcpy(s->class_[i].v, reply->class_[i].v,
		    reply->class_[i].len);
		s->class_[i].len = reply->class_[i].len;
		s->nclass++;
	}
}

void
aaa_session_release(struct aaa_session *s)
{
	free(s->user);
	s->user = NULL;
	free(s->class_);
	s->class_ = NULL;
	s->nclass = 0;
}

void
aaa_session_start(struct aaa *a, struct aaa_session *s, uint64_t now)
{
	aaa_access_start(a, s, NULL, now);
}

void
aaa_access_start(struct aaa *a, struct aaa_session *s,
    const struct aaa_access *x, uint64_t now)
{
	s->start_ms = now;
	s->started = true;
	aaa_send(a, RADIUS_ACCT_STATUS_START, s, NULL, 0, AAA_CAUSE_NONE, x);
}

static uint32_t
aaa_elapsed(const struct aaa_session *s, uint64_t now)
{
	return now > s->start_ms ? (uint32_t)((now - s->start_ms) / 1000) : 0;
}

void
aaa_session_interim(struct aaa *a, const struct aaa_session *s,
    const struct aaa_counters *c, uint64_t now)
{
	aaa_access_interim(a, s, c, NULL, now);
}

void
aaa_access_interim(struct aaa *a, const struct aaa_session *s,
    const struct aaa_counters *c, const struct aaa_access *x, uint64_t now)
{
	if (s->started)
		aaa_send(a, RADIUS_ACCT_STATUS_INTERIM, s, c,
		    aaa_elapsed(s, now), AAA_CAUSE_NONE, x);
}

void
aaa_session_stop(struct aaa *a, struct aaa_session *s,
    const struct aaa_counters *c, enum aaa_cause cause, uint64_t now)
{
	aaa_access_stop(a, s, c, cause, NULL, now);
}

void
aaa_access_stop(struct aaa *a, struct aaa_session *s,
    const struct aaa_counters *c, enum aaa_cause cause,
    const struct aaa_access *x, uint64_t now)
{
	if (!s->started)
		return;
	s->started = false;
	log_info("radius: session %s of %s: Stop (%s)", s->id,
	    aaa_session_user(s), aaa_cause_str(cause));
	aaa_send(a, RADIUS_ACCT_STATUS_STOP, s, c, aaa_elapsed(s, now), cause,
	    x);
}
