/*
 * route.c — rtnetlink requests (libmnl) for addresses, routes and links.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include "dataplane/route.h"

/* Requests are a few dozen bytes; an error ack echoes at most the request
 * plus the extended-ack attributes.  (MNL_SOCKET_BUFFER_SIZE is not a
 * constant expression.) */
#define ROUTE_BUF 8192

int
route_open(struct route_ctx *r)
{
	struct timeval tv = { .tv_sec = 2 };
	int one = 1, e;

	memset(r, 0, sizeof(*r));
	r->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (r->nl == NULL)
		goto fail;
	if (mnl_socket_bind(r->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	r->portid = mnl_socket_get_portid(r->nl);
	/* The kernel's own words for a refusal ("Nexthop has invalid
	 * gateway"), when it has them; older kernels ignore this. */
	(void)mnl_socket_setsockopt(r->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	/* An ack never takes long; a lost one must not hang the daemon. */
	(void)setsockopt(mnl_socket_get_fd(r->nl), SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv));
	r->seq = (uint32_t)time(NULL);
	return 0;
fail:
	e = errno;
	snprintf(r->err, sizeof(r->err), "rtnetlink socket: %s", strerror(e));
	if (r->nl != NULL)
		mnl_socket_close(r->nl);
	r->nl = NULL;
	errno = e;
	return -1;
}

void
route_close(struct route_ctx *r)
{
	if (r->nl != NULL)
		mnl_socket_close(r->nl);
	r->nl = NULL;
}

const char *
route_error(const struct route_ctx *r)
{
	return r->err;
}

static int
route_fail(struct route_ctx *r, const char *what, int e, const char *kmsg)
{
	if (kmsg != NULL && kmsg[0] != '\0')
		snprintf(r->err, sizeof(r->err), "%s: %s (%s)", what,
		    strerror(e), kmsg);
	else
		snprintf(r->err, sizeof(r->err), "%s: %s", what, strerror(e));
	errno = e;
	return -1;
}

/* Whether attr is a whole attribute inside nlh's payload.  libmnl's
 * mnl_attr_for_each() casts the attribute to a plain char *, dropping the
 * const these parsers keep on a received message; the loops below spell
 * the same walk out with const pointers instead. */
static bool
route_attr_ok(const struct nlmsghdr *nlh, const struct nlattr *attr)
{
	const char *tail = mnl_nlmsg_get_payload_tail(nlh);

	return mnl_attr_ok(attr, (int)(tail - (const char *)attr));
}

/* Finds NLMSGERR_ATTR_MSG in an error ack that carries ext-ack TLVs. */
static const char *
route_ext_msg(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	size_t off;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	off = sizeof(*err);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	for (attr = mnl_nlmsg_get_payload_offset(nlh, MNL_ALIGN(off));
	     route_attr_ok(nlh, attr); attr = mnl_attr_next(attr)) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			return mnl_attr_get_str(attr);
	}
	return NULL;
}

/* Sends one request and waits for its ack (NLM_F_ACK); answers other than
 * the ack (a GET's reply) go to reply_cb first. */
static int
route_talk_cb(struct route_ctx *r, struct nlmsghdr *req, const char *what,
    void (*reply_cb)(const struct nlmsghdr *nlh, void *arg), void *arg)
{
	uint8_t buf[ROUTE_BUF] __attribute__((aligned(NLMSG_ALIGNTO)));
	ssize_t n;

	if (r->nl == NULL)
		return route_fail(r, what, EBADF, NULL);
	req->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	req->nlmsg_seq = ++r->seq;
	if (mnl_socket_sendto(r->nl, req, req->nlmsg_len) < 0)
		return route_fail(r, what, errno, NULL);
	for (;;) {
		const struct nlmsghdr *nlh;
		int len;

		n = mnl_socket_recvfrom(r->nl, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return route_fail(r, what,
			    errno == EAGAIN ? ETIMEDOUT : errno,
			    "no answer from the kernel");
		len = (int)n;
		for (nlh = (const struct nlmsghdr *)(const void *)buf;
		     mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			const struct nlmsgerr *err;

			/* Not ours: a late answer to an earlier request
			 * that timed out. */
			if (nlh->nlmsg_seq != req->nlmsg_seq ||
			    nlh->nlmsg_pid != r->portid)
				continue;
			if (nlh->nlmsg_type != NLMSG_ERROR) {
				if (reply_cb != NULL)
					reply_cb(nlh, arg);
				continue;
			}
			if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err)))
				return route_fail(r, what, EPROTO, NULL);
			err = mnl_nlmsg_get_payload(nlh);
			if (err->error == 0) {
				r->err[0] = '\0';
				return 0;
			}
			return route_fail(r, what, -err->error,
			    route_ext_msg(nlh));
		}
	}
}

static int
route_talk(struct route_ctx *r, struct nlmsghdr *req, const char *what)
{
	return route_talk_cb(r, req, what, NULL, NULL);
}

static void
fmt_ip(uint32_t a, char *s, size_t len)
{
	struct in_addr in = { .s_addr = htonl(a) };

	if (inet_ntop(AF_INET, &in, s, (socklen_t)len) == NULL)
		snprintf(s, len, "?");
}

/* Room for one address or route request with its attributes. */
#define ROUTE_REQ_BUF 256

/* The request header of an RTM_{NEW,DEL}ADDR for either family: what the
 * IPv4 and IPv6 address requests share.  buf is zeroed here. */
static struct nlmsghdr *
addr_request(uint8_t *buf, uint16_t type, uint16_t flags, uint8_t family,
    int ifindex, unsigned plen, struct ifaddrmsg **ifa_out)
{
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;

	memset(buf, 0, ROUTE_REQ_BUF);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = family;
	ifa->ifa_prefixlen = (uint8_t)plen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (uint32_t)ifindex;
	*ifa_out = ifa;
	return nlh;
}

/* The request header of an RTM_{NEW,DEL}ROUTE in the main table for either
 * family, with the destination prefix and the output device: what the IPv4
 * and IPv6 route requests share.  A new route is a static unicast one with
 * the given scope; a delete matches any scope and protocol, like `ip route
 * del` (RT_SCOPE_NOWHERE is the wildcard). */
static struct nlmsghdr *
route_request(uint8_t *buf, uint16_t type, uint16_t flags, uint8_t family,
    int ifindex, const void *dst, unsigned plen, uint8_t new_scope)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	memset(buf, 0, ROUTE_REQ_BUF);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = family;
	rtm->rtm_dst_len = (uint8_t)plen;
	rtm->rtm_table = RT_TABLE_MAIN;
	if (type == RTM_NEWROUTE) {
		rtm->rtm_protocol = RTPROT_STATIC;
		rtm->rtm_type = RTN_UNICAST;
		rtm->rtm_scope = new_scope;
	} else {
		rtm->rtm_scope = RT_SCOPE_NOWHERE;
	}
	if (plen > 0)
		mnl_attr_put(nlh, RTA_DST, family == AF_INET ? 4 : 16, dst);
	mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)ifindex);
	return nlh;
}

static int
route_addr(struct route_ctx *r, uint16_t type, uint16_t flags, int ifindex,
    uint32_t local, uint32_t peer, unsigned plen)
{
	uint8_t buf[ROUTE_REQ_BUF] __attribute__((aligned(NLMSG_ALIGNTO)));
	char what[96], ls[INET_ADDRSTRLEN], ps[INET_ADDRSTRLEN];
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;

	fmt_ip(local, ls, sizeof(ls));
	fmt_ip(peer, ps, sizeof(ps));
	snprintf(what, sizeof(what), "%s %s%s%s/%u dev %d",
	    type == RTM_NEWADDR ? "RTM_NEWADDR" : "RTM_DELADDR", ls,
	    peer ? " peer " : "", peer ? ps : "", plen, ifindex);
	if (plen > 32 || ifindex <= 0 || local == 0)
		return route_fail(r, what, EINVAL, NULL);
	nlh = addr_request(buf, type, flags, AF_INET, ifindex, plen, &ifa);
	/* IFA_LOCAL is our address; IFA_ADDRESS the far end on a
	 * point-to-point link (as `ip addr add L peer P`), else ours. */
	mnl_attr_put_u32(nlh, IFA_LOCAL, htonl(local));
	mnl_attr_put_u32(nlh, IFA_ADDRESS, htonl(peer ? peer : local));
	return route_talk(r, nlh, what);
}

int
route_addr_add(struct route_ctx *r, int ifindex, uint32_t local, uint32_t peer,
    unsigned plen)
{
	return route_addr(r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, ifindex,
	    local, peer, plen);
}

int
route_addr_del(struct route_ctx *r, int ifindex, uint32_t local, uint32_t peer,
    unsigned plen)
{
	return route_addr(r, RTM_DELADDR, 0, ifindex, local, peer, plen);
}

static int
route_route(struct route_ctx *r, uint16_t type, uint16_t flags, int ifindex,
    uint32_t dst, unsigned plen, uint32_t gw, unsigned mtu, uint32_t prefsrc)
{
	uint8_t buf[ROUTE_REQ_BUF] __attribute__((aligned(NLMSG_ALIGNTO)));
	char what[96], ds[INET_ADDRSTRLEN], gs[INET_ADDRSTRLEN];
	struct nlmsghdr *nlh;
	uint32_t dst_be;

	fmt_ip(dst, ds, sizeof(ds));
	fmt_ip(gw, gs, sizeof(gs));
	snprintf(what, sizeof(what), "%s %s/%u%s%s dev %d",
	    type == RTM_NEWROUTE ? "RTM_NEWROUTE" : "RTM_DELROUTE", ds, plen,
	    gw ? " via " : "", gw ? gs : "", ifindex);
	if (plen > 32 || ifindex <= 0)
		return route_fail(r, what, EINVAL, NULL);
	/* A device route reaches hosts on the link; a gateway route goes
	 * beyond it (as `ip route` decides). */
	dst_be = htonl(dst);
	nlh = route_request(buf, type, flags, AF_INET, ifindex, &dst_be, plen,
	    gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
	if (gw != 0)
		mnl_attr_put_u32(nlh, RTA_GATEWAY, htonl(gw));
	if (prefsrc != 0)
		mnl_attr_put_u32(nlh, RTA_PREFSRC, htonl(prefsrc));
	if (mtu != 0) {
		/* `ip route add ... mtu N`: RTA_METRICS nesting RTAX_MTU. */
		struct nlattr *metrics = mnl_attr_nest_start(nlh, RTA_METRICS);

		mnl_attr_put_u32(nlh, RTAX_MTU, mtu);
		mnl_attr_nest_end(nlh, metrics);
	}
	return route_talk(r, nlh, what);
}

int
route_add(struct route_ctx *r, int ifindex, uint32_t dst, unsigned plen,
    uint32_t gw)
{
	return route_route(r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, ifindex,
	    dst, plen, gw, 0, 0);
}

int
route_add_mtu(struct route_ctx *r, int ifindex, uint32_t dst, unsigned plen,
    uint32_t gw, unsigned mtu)
{
	return route_route(r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, ifindex,
	    dst, plen, gw, mtu, 0);
}

int
route_del(struct route_ctx *r, int ifindex, uint32_t dst, unsigned plen,
    uint32_t gw)
{
	return route_route(r, RTM_DELROUTE, 0, ifindex, dst, plen, gw, 0, 0);
}

/* AF_INET6 twins of route_route() and route_addr() (route.h: route6_*). */
static int
route6_route(struct route_ctx *r, uint16_t type, uint16_t flags, int ifindex,
    const uint8_t dst[16], unsigned plen)
{
	uint8_t buf[ROUTE_REQ_BUF] __attribute__((aligned(NLMSG_ALIGNTO)));
	char what[96], ds[INET6_ADDRSTRLEN];
	struct nlmsghdr *nlh;

	if (inet_ntop(AF_INET6, dst, ds, sizeof(ds)) == NULL)
		snprintf(ds, sizeof(ds), "?");
	snprintf(what, sizeof(what), "%s %s/%u dev %d",
	    type == RTM_NEWROUTE ? "RTM_NEWROUTE" : "RTM_DELROUTE", ds, plen,
	    ifindex);
	if (plen > 128 || ifindex <= 0)
		return route_fail(r, what, EINVAL, NULL);
	/* IPv6 routes are universe scope, device routes too. */
	nlh = route_request(buf, type, flags, AF_INET6, ifindex, dst, plen,
	    RT_SCOPE_UNIVERSE);
	return route_talk(r, nlh, what);
}

int
route6_add(struct route_ctx *r, int ifindex, const uint8_t dst[16],
    unsigned plen)
{
	return route6_route(r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, ifindex,
	    dst, plen);
}

int
route6_del(struct route_ctx *r, int ifindex, const uint8_t dst[16],
    unsigned plen)
{
	return route6_route(r, RTM_DELROUTE, 0, ifindex, dst, plen);
}

static int
route6_addr(struct route_ctx *r, uint16_t type, uint16_t flags, int ifindex,
    const uint8_t addr[16], unsigned plen)
{
	uint8_t buf[ROUTE_REQ_BUF] __attribute__((aligned(NLMSG_ALIGNTO)));
	char what[96], as[INET6_ADDRSTRLEN];
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;

	if (inet_ntop(AF_INET6, addr, as, sizeof(as)) == NULL)
		snprintf(as, sizeof(as), "?");
	snprintf(what, sizeof(what), "%s %s/%u dev %d",
	    type == RTM_NEWADDR ? "RTM_NEWADDR" : "RTM_DELADDR", as, plen,
	    ifindex);
	if (plen > 128 || ifindex <= 0)
		return route_fail(r, what, EINVAL, NULL);
	nlh = addr_request(buf, type, flags, AF_INET6, ifindex, plen, &ifa);
	if (addr[0] == 0xfe && (addr[1] & 0xc0) == 0x80)
		ifa->ifa_scope = RT_SCOPE_LINK;
	/* IFA_F_NODAD: the identifier was negotiated unique on this
	 * point-to-point link (RFC 5072 §4.1), no DAD needed. */
	ifa->ifa_flags = IFA_F_NODAD;
	mnl_attr_put(nlh, IFA_LOCAL, 16, addr);
	mnl_attr_put(nlh, IFA_ADDRESS, 16, addr);
	return route_talk(r, nlh, what);
}

int
route6_addr_add(struct route_ctx *r, int ifindex, const uint8_t addr[16],
    unsigned plen)
{
	return route6_addr(r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE,
	    ifindex, addr, plen);
}

int
route6_addr_del(struct route_ctx *r, int ifindex, const uint8_t addr[16],
    unsigned plen)
{
	return route6_addr(r, RTM_DELADDR, 0, ifindex, addr, plen);
}

int
route_add_host(struct route_ctx *r, int ifindex, uint32_t dst, uint32_t gw,
    uint32_t prefsrc)
{
	return route_route(r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, ifindex,
	    dst, 32, gw, 0, prefsrc);
}

struct route_get_reply {
	struct route_lookup *out;
	bool fibmatch, seen;
};

/* One RTM_NEWROUTE answer to RTM_GETROUTE.  The plain lookup is resolved
 * (one device and gateway even for a multipath route); the fibmatch one is
 * read only for the entry's prefix. */
static void
route_get_parse(const struct nlmsghdr *nlh, void *arg)
{
	struct route_get_reply *g = arg;
	const struct rtmsg *rtm;
	const struct nlattr *attr;

	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*rtm)))
		return;
	rtm = mnl_nlmsg_get_payload(nlh);
	if (rtm->rtm_family != AF_INET)
		return;
	g->seen = true;
	if (g->fibmatch) {
		g->out->plen = rtm->rtm_dst_len;
		g->out->dst = 0;
	} else {
		g->out->type = rtm->rtm_type;
		g->out->table = rtm->rtm_table;
	}
	for (attr = mnl_nlmsg_get_payload_offset(nlh, sizeof(*rtm));
	     route_attr_ok(nlh, attr); attr = mnl_attr_next(attr)) {
		unsigned type = mnl_attr_get_type(attr);

		if (g->fibmatch) {
			if (type == RTA_DST &&
			    mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
				g->out->dst = ntohl(mnl_attr_get_u32(attr));
			continue;
		}
		if (mnl_attr_validate(attr, MNL_TYPE_U32) != 0)
			continue;
		switch (type) {
		case RTA_GATEWAY:
			g->out->gw = ntohl(mnl_attr_get_u32(attr));
			break;
		case RTA_OIF:
			g->out->ifindex = (int)mnl_attr_get_u32(attr);
			break;
		case RTA_PREFSRC:
			g->out->prefsrc = ntohl(mnl_attr_get_u32(attr));
			break;
		case RTA_TABLE:
			g->out->table = mnl_attr_get_u32(attr);
			break;
		default:
			break;
		}
	}
}

static int
route_get_one(struct route_ctx *r, uint32_t addr, bool fibmatch,
    struct route_lookup *out)
{
	uint8_t buf[256] __attribute__((aligned(NLMSG_ALIGNTO)));
	char what[64], as[INET_ADDRSTRLEN];
	struct route_get_reply g = { .out = out, .fibmatch = fibmatch };
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	fmt_ip(addr, as, sizeof(as));
	snprintf(what, sizeof(what), "RTM_GETROUTE %s%s",
	    fibmatch ? "fibmatch " : "", as);
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETROUTE;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 32;
	if (fibmatch)
		rtm->rtm_flags = RTM_F_FIB_MATCH;
	mnl_attr_put_u32(nlh, RTA_DST, htonl(addr));
	if (route_talk_cb(r, nlh, what, route_get_parse, &g) < 0)
		return -1;
	if (!g.seen)
		return route_fail(r, what, ENOENT, "no route in the answer");
	return 0;
}

int
route_get(struct route_ctx *r, uint32_t addr, struct route_lookup *out)
{
	struct route_lookup fm;

	memset(out, 0, sizeof(*out));
	if (route_get_one(r, addr, false, out) < 0)
		return -1;
	/* Which entry matched, for telling an existing host route from a
	 * wider one; older kernels answer without it. */
	memset(&fm, 0, sizeof(fm));
	if (route_get_one(r, addr, true, &fm) == 0) {
		out->dst = fm.dst;
		out->plen = fm.plen;
	}
	r->err[0] = '\0';
	return 0;
}

int
route_link_set(struct route_ctx *r, int ifindex, bool up, unsigned mtu)
{
	uint8_t buf[256] __attribute__((aligned(NLMSG_ALIGNTO)));
	char what[64];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	snprintf(what, sizeof(what), "RTM_NEWLINK dev %d %s mtu %u", ifindex,
	    up ? "up" : "down", mtu);
	if (ifindex <= 0)
		return route_fail(r, what, EINVAL, NULL);
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_change = IFF_UP; /* touch only the UP flag */
	ifi->ifi_flags = up ? IFF_UP : 0;
	if (mtu != 0)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	return route_talk(r, nlh, what);
}
