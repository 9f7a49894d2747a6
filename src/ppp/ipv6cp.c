/*
 * ipv6cp.c — IPv6CP Interface-Identifier negotiation (RFC 5072 §4.1).
 */
#include <string.h>

#include "core/buf.h"
#include "core/random.h"
#include "ppp/ipcp.h"
#include "ppp/ppp_proto.h"

static const uint8_t zero_id[8];

static struct ipv6cp *
to_v6(struct cp *cp)
{
	return cp->arg;
}

/* RFC 5072 §4.1: a random non-zero identifier, different from other. */
static void
random_id(uint8_t id[8], const uint8_t other[8])
{
	do
		random_bytes(id, 8);
	while (memcmp(id, zero_id, 8) == 0 || memcmp(id, other, 8) == 0);
}

static void
ifid_add(struct cp *cp, struct wbuf *w)
{
	struct ipv6cp *v6 = to_v6(cp);

	wr_u8(w, IPV6CP_OPT_INTERFACE_ID);
	wr_u8(w, 10);
	wr_bytes(w, v6->our_id, 8);
}

static int
ifid_ack(struct cp *cp, const uint8_t *d, size_t len)
{
	(void)len;
	memcpy(to_v6(cp)->our_id, d, 8);
	return memcmp(d, zero_id, 8) != 0 ? 0 : -1;
}

static void
ifid_nak(struct cp *cp, const uint8_t *d, size_t len)
{
	struct ipv6cp *v6 = to_v6(cp);

	(void)len;
	/* §4.1: use the suggested identifier unless it is zero or the
	 * peer's own; then pick another one ourselves. */
	if (memcmp(d, zero_id, 8) != 0 && memcmp(d, v6->peer_id, 8) != 0)
		memcpy(v6->our_id, d, 8);
	else
		random_id(v6->our_id, v6->peer_id);
}

static enum cp_verdict
ifid_req(struct cp *cp, const uint8_t *d, size_t len, struct wbuf *nak)
{
	struct ipv6cp *v6 = to_v6(cp);
	uint8_t s[8];

	(void)len;
	if (memcmp(v6->want_peer, zero_id, 8) != 0) {
		/* §4.1: an identifier the peer proposes may be unacceptable
		 * to us; Nak with the one it is to take. */
		if (memcmp(d, v6->want_peer, 8) == 0) {
			memcpy(v6->peer_id, d, 8);
			return CP_ACK;
		}
		wr_u8(nak, IPV6CP_OPT_INTERFACE_ID);
		wr_u8(nak, 10);
		wr_bytes(nak, v6->want_peer, 8);
		return CP_NAK;
	}
	if (memcmp(d, zero_id, 8) != 0 && memcmp(d, v6->our_id, 8) != 0) {
		memcpy(v6->peer_id, d, 8);
		return CP_ACK;
	}
	/* §4.1: zero, or equal to ours: Nak with a new, different one. */
	random_id(s, v6->our_id);
	wr_u8(nak, IPV6CP_OPT_INTERFACE_ID);
	wr_u8(nak, 10);
	wr_bytes(nak, s, 8);
	return CP_NAK;
}

void
ipv6cp_set_peer_id(struct ipv6cp *v6, const uint8_t id[8])
{
	memcpy(v6->want_peer, id, 8);
	/* Ours must differ from it (§4.1: unique on the link). */
	if (memcmp(v6->our_id, id, 8) == 0)
		random_id(v6->our_id, id);
}

static const struct cp_option ipv6cp_options[] = {
	{ IPV6CP_OPT_INTERFACE_ID, "interface-id", 8, 8, ifid_add, ifid_ack,
	    ifid_nak, NULL, ifid_req },
};

static void
v6_send(struct cp *cp, const uint8_t *pkt, size_t len)
{
	struct ipv6cp *v6 = to_v6(cp);

	v6->ops->send(v6->ctx, PPP_PROTO_IPV6CP, pkt, len);
}

static void
v6_reset(struct cp *cp)
{
	struct ipv6cp *v6 = to_v6(cp);

	random_id(v6->our_id, v6->want_peer);
}

static void
v6_req_begin(struct cp *cp)
{
	memset(to_v6(cp)->peer_id, 0, 8);
}

static void
v6_layer(struct cp *cp, enum cp_action what)
{
	struct ipv6cp *v6 = to_v6(cp);

	if (v6->ops->layer != NULL)
		v6->ops->layer(v6->ctx, PPP_PROTO_IPV6CP, what);
}

/* clang-format off */
static void v6_tlu(struct cp *cp) { v6_layer(cp, CP_TLU); }
static void v6_tld(struct cp *cp) { v6_layer(cp, CP_TLD); }
static void v6_tls(struct cp *cp) { v6_layer(cp, CP_TLS); }
static void v6_tlf(struct cp *cp) { v6_layer(cp, CP_TLF); }
/* clang-format on */

static const struct cp_proto ipv6cp_proto = {
	.name = "IPV6CP",
	.proto = PPP_PROTO_IPV6CP,
	.options = ipv6cp_options,
	.noptions = 1,
	.send = v6_send,
	.tlu = v6_tlu,
	.tld = v6_tld,
	.tls = v6_tls,
	.tlf = v6_tlf,
	.reset = v6_reset,
	.req_begin = v6_req_begin,
};

void
ipv6cp_init(struct ipv6cp *v6, const struct cp_config *cfg,
    const struct cp_owner_ops *ops, void *ctx)
{
	memset(v6, 0, sizeof(*v6));
	v6->ops = ops;
	v6->ctx = ctx;
	cp_init(&v6->cp, &ipv6cp_proto, v6, cfg);
	random_id(v6->our_id, zero_id);
}
