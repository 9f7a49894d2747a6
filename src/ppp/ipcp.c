/*
 * ipcp.c — IPCP (RFC 1332, 1877) option rows over the generic automaton.
 */
#include <string.h>

#include "core/buf.h"
#include "ppp/ipcp.h"
#include "ppp/ppp_proto.h"

static struct ipcp *
to_ipcp(struct cp *cp)
{
	return cp->arg;
}

static uint32_t
be32(const uint8_t *d)
{
	return (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
	    (uint32_t)d[2] << 8 | d[3];
}

static void
put_addr(struct wbuf *w, uint8_t type, uint32_t a)
{
	wr_u8(w, type);
	wr_u8(w, 6);
	wr_be32(w, a);
}

/* ---- IP-Address (RFC 1332 §3.3) ---- */

static void
addr_add(struct cp *cp, struct wbuf *w)
{
	struct ipcp *ip = to_ipcp(cp);

	put_addr(w, IPCP_OPT_ADDRESS,
	    ip->cfg.server ? ip->cfg.local_addr : ip->our_addr);
}

static int
addr_ack(struct cp *cp, const uint8_t *d, size_t len)
{
	struct ipcp *ip = to_ipcp(cp);

	(void)len;
	if (!ip->cfg.server)
		ip->our_addr = be32(d);
	return 0;
}

static void
addr_nak(struct cp *cp, const uint8_t *d, size_t len)
{
	struct ipcp *ip = to_ipcp(cp);

	(void)len;
	/* The server keeps its own address; the client takes the one it
	 * is given. */
	if (!ip->cfg.server && be32(d) != 0)
		ip->our_addr = be32(d);
}

static enum cp_verdict
addr_req(struct cp *cp, const uint8_t *d, size_t len, struct wbuf *nak)
{
	struct ipcp *ip = to_ipcp(cp);
	uint32_t v = be32(d);

	(void)len;
	if (ip->cfg.server) {
		if (v == ip->peer_addr && v != 0) {
			ip->peer_addr_ok = true;
			return CP_ACK;
		}
		put_addr(nak, IPCP_OPT_ADDRESS, ip->peer_addr);
		return CP_NAK;
	}
	/* Client: the server tells us its address; 0 means it has none to
	 * tell, which we cannot use as a peer address: Reject. */
	if (v == 0)
		return CP_REJ;
	ip->peer_addr = v;
	ip->peer_addr_ok = true;
	return CP_ACK;
}

/* ---- DNS (RFC 1877 §1.1, §1.3) ---- */

static void
dns_add(struct cp *cp, struct wbuf *w, unsigned i)
{
	struct ipcp *ip = to_ipcp(cp);

	if (!ip->cfg.server)
		put_addr(w,
		    i == 0 ? IPCP_OPT_PRIMARY_DNS : IPCP_OPT_SECONDARY_DNS,
		    ip->dns[i]);
}

/* clang-format off */
static void dns1_add(struct cp *cp, struct wbuf *w) { dns_add(cp, w, 0); }
static void dns2_add(struct cp *cp, struct wbuf *w) { dns_add(cp, w, 1); }
/* clang-format on */

static void
dns_nak(struct cp *cp, const uint8_t *d, unsigned i)
{
	struct ipcp *ip = to_ipcp(cp);

	if (!ip->cfg.server)
		ip->dns[i] = be32(d);
}

static void
dns1_nak(struct cp *cp, const uint8_t *d, size_t len)
{
	(void)len;
	dns_nak(cp, d, 0);
}

static void
dns2_nak(struct cp *cp, const uint8_t *d, size_t len)
{
	(void)len;
	dns_nak(cp, d, 1);
}

static int
dns1_ack(struct cp *cp, const uint8_t *d, size_t len)
{
	dns1_nak(cp, d, len);
	return 0;
}

static int
dns2_ack(struct cp *cp, const uint8_t *d, size_t len)
{
	dns2_nak(cp, d, len);
	return 0;
}

static enum cp_verdict
dns_req(struct cp *cp, const uint8_t *d, struct wbuf *nak, unsigned i)
{
	struct ipcp *ip = to_ipcp(cp);

	/* A client gives no DNS; a server without a configured one rejects
	 * (RFC 1877 §1.1: the peer then stops asking). */
	if (!ip->cfg.server || i >= ip->cfg.dns_count)
		return CP_REJ;
	if (be32(d) == ip->cfg.dns[i])
		return CP_ACK;
	put_addr(nak, i == 0 ? IPCP_OPT_PRIMARY_DNS : IPCP_OPT_SECONDARY_DNS,
	    ip->cfg.dns[i]);
	return CP_NAK;
}

static enum cp_verdict
dns1_req(struct cp *cp, const uint8_t *d, size_t len, struct wbuf *nak)
{
	(void)len;
	return dns_req(cp, d, nak, 0);
}

static enum cp_verdict
dns2_req(struct cp *cp, const uint8_t *d, size_t len, struct wbuf *nak)
{
	(void)len;
	return dns_req(cp, d, nak, 1);
}

static const struct cp_option ipcp_options[] = {
	{ IPCP_OPT_ADDRESS, "ip-address", 4, 4, addr_add, addr_ack, addr_nak,
	    NULL, addr_req },
	{ IPCP_OPT_PRIMARY_DNS, "primary-dns", 4, 4, dns1_add, dns1_ack,
	    dns1_nak, NULL, dns1_req },
	{ IPCP_OPT_SECONDARY_DNS, "secondary-dns", 4, 4, dns2_add, dns2_ack,
	    dns2_nak, NULL, dns2_req },
};

static void
ipcp_send(struct cp *cp, const uint8_t *pkt, size_t len)
{
	struct ipcp *ip = to_ipcp(cp);

	ip->ops->send(ip->ctx, PPP_PROTO_IPCP, pkt, len);
}

static void
ipcp_reset(struct cp *cp)
{
	struct ipcp *ip = to_ipcp(cp);

	if (!ip->cfg.server) {
		ip->our_addr = 0;
		ip->dns[0] = ip->dns[1] = 0;
	}
}

static void
ipcp_req_begin(struct cp *cp)
{
	struct ipcp *ip = to_ipcp(cp);

	ip->peer_addr_ok = false;
	if (!ip->cfg.server)
		ip->peer_addr = 0;
}

/* Server: a request without IP-Address still gets one (Nak by adding the
 * option, as RFC 1661 §5.3 allows for options the peer did not include). */
static void
ipcp_req_missing(struct cp *cp, const uint8_t *seen, struct wbuf *nak)
{
	struct ipcp *ip = to_ipcp(cp);

	if (ip->cfg.server &&
	    !(seen[IPCP_OPT_ADDRESS / 8] & (1u << (IPCP_OPT_ADDRESS % 8))))
		put_addr(nak, IPCP_OPT_ADDRESS, ip->peer_addr);
}

static void
ipcp_layer(struct cp *cp, enum cp_action what)
{
	struct ipcp *ip = to_ipcp(cp);

	if (ip->ops->layer != NULL)
		ip->ops->layer(ip->ctx, PPP_PROTO_IPCP, what);
}

/* clang-format off */
static void ipcp_tlu(struct cp *cp) { ipcp_layer(cp, CP_TLU); }
static void ipcp_tld(struct cp *cp) { ipcp_layer(cp, CP_TLD); }
static void ipcp_tls(struct cp *cp) { ipcp_layer(cp, CP_TLS); }
static void ipcp_tlf(struct cp *cp) { ipcp_layer(cp, CP_TLF); }
/* clang-format on */

static const struct cp_proto ipcp_proto = {
	.name = "IPCP",
	.proto = PPP_PROTO_IPCP,
	.options = ipcp_options,
	.noptions = sizeof(ipcp_options) / sizeof(ipcp_options[0]),
	.send = ipcp_send,
	.tlu = ipcp_tlu,
	.tld = ipcp_tld,
	.tls = ipcp_tls,
	.tlf = ipcp_tlf,
	.reset = ipcp_reset,
	.req_begin = ipcp_req_begin,
	.req_missing = ipcp_req_missing,
};

void
ipcp_init(struct ipcp *ip, const struct ipcp_config *cfg,
    const struct cp_owner_ops *ops, void *ctx)
{
	memset(ip, 0, sizeof(*ip));
	ip->cfg = *cfg;
	if (ip->cfg.dns_count > 2)
		ip->cfg.dns_count = 2;
	ip->ops = ops;
	ip->ctx = ctx;
	cp_init(&ip->cp, &ipcp_proto, ip, &cfg->cp);
	if (ip->cfg.server)
		ip->our_addr = ip->cfg.local_addr;
}

void
ipcp_set_peer_addr(struct ipcp *ip, uint32_t addr)
{
	ip->peer_addr = addr;
}
