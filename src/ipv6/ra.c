/*
 * ra.c — Router Advertisements, Router Solicitations, ICMPv6 checksum and
 * the advertisement schedule (see ra.h).
 */
#include <string.h>

#include "core/buf.h"
#include "ipv6/ra.h"

/* RFC 4861 §4.6 option types; RFC 8106 §5.1 RDNSS. */
#define ND_OPT_SLLA   1
#define ND_OPT_PREFIX 3
#define ND_OPT_MTU    5
#define ND_OPT_RDNSS  25

const uint8_t ipv6_all_nodes[16] = { 0xff, 0x02, [15] = 1 };
const uint8_t ipv6_all_routers[16] = { 0xff, 0x02, [15] = 2 };

void
ipv6_link_local(uint8_t out[16], const uint8_t id[8])
{
	memset(out, 0, 8);
	out[0] = 0xfe;
	out[1] = 0x80;
	memcpy(out + 8, id, 8);
}

bool
ipv6_is_link_local(const uint8_t a[16])
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

static bool
is_unspecified(const uint8_t a[16])
{
	static const uint8_t zero[16];

	return memcmp(a, zero, 16) == 0;
}

uint16_t
icmp6_checksum(const uint8_t src[16], const uint8_t dst[16],
    const uint8_t *icmp, size_t len)
{
	uint32_t sum = 0;

	/* RFC 8200 §8.1 pseudo-header: addresses, upper-layer length (32
	 * bits), three zero octets and the next header. */
	for (unsigned i = 0; i < 16; i += 2)
		sum += (uint32_t)(src[i] << 8 | src[i + 1]) +
		    (uint32_t)(dst[i] << 8 | dst[i + 1]);
	sum += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff);
	sum += IPPROTO_ICMPV6_N;
	for (size_t i = 0; i < len; i += 2) {
		/* The checksum field (octets 2-3) counts as zero. */
		if (i == 2)
			continue;
		sum += (uint32_t)icmp[i] << 8;
		if (i + 1 < len)
			sum += icmp[i + 1];
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

size_t
ra_build(const struct ra_params *p, uint8_t *out, size_t cap)
{
	struct wbuf w;
	size_t plen;
	uint16_t ck;
	uint8_t *icmp;

	wbuf_init(&w, out, cap);
	/* IPv6 header; payload length filled in below. */
	wr_be32(&w, 0x60000000u);
	wr_be16(&w, 0);
	wr_u8(&w, IPPROTO_ICMPV6_N);
	wr_u8(&w, 255); /* §4.2: Hop Limit 255 */
	wr_bytes(&w, p->src, 16);
	wr_bytes(&w, p->dst, 16);
	/* §4.2 Router Advertisement. */
	wr_u8(&w, ICMP6_RA);
	wr_u8(&w, 0);
	wr_be16(&w, 0);
	wr_u8(&w, p->cur_hop_limit);
	wr_u8(&w, (uint8_t)((p->managed ? 0x80 : 0) | (p->other ? 0x40 : 0)));
	wr_be16(&w, p->router_lifetime);
	wr_be32(&w, 0); /* Reachable Time: unspecified */
	wr_be32(&w, 0); /* Retrans Timer: unspecified */
	if (p->has_prefix) {
		/* §4.6.2: L (on-link) and A (autonomous, SLAAC). */
		wr_u8(&w, ND_OPT_PREFIX);
		wr_u8(&w, 4);
		wr_u8(&w, p->prefix_len);
		wr_u8(&w, 0xc0);
		wr_be32(&w, p->valid_lifetime);
		wr_be32(&w, p->preferred_lifetime);
		wr_be32(&w, 0);
		wr_bytes(&w, p->prefix, 16);
	}
	if (p->mtu != 0) {
		/* §4.6.4 */
		wr_u8(&w, ND_OPT_MTU);
		wr_u8(&w, 1);
		wr_be16(&w, 0);
		wr_be32(&w, p->mtu);
	}
	if (p->dns_count > 0) {
		unsigned n = p->dns_count > RA_MAX_DNS ? RA_MAX_DNS :
							 p->dns_count;

		/* RFC 8106 §5.1: Length = 1 + 2 * addresses. */
		wr_u8(&w, ND_OPT_RDNSS);
		wr_u8(&w, (uint8_t)(1 + 2 * n));
		wr_be16(&w, 0);
		wr_be32(&w, p->dns_lifetime);
		for (unsigned i = 0; i < n; i++)
			wr_bytes(&w, p->dns[i], 16);
	}
	if (w.err)
		return 0;
	plen = w.len - IPV6_HDR_LEN;
	put_be16(out + 4, (uint16_t)plen);
	icmp = out + IPV6_HDR_LEN;
	ck = icmp6_checksum(p->src, p->dst, icmp, plen);
	put_be16(icmp + 2, ck);
	return w.len;
}

bool
ra_is_icmp6(const uint8_t *pkt, size_t len, uint8_t type)
{
	return len >= IPV6_HDR_LEN + 4 && (pkt[0] >> 4) == 6 &&
	    pkt[6] == IPPROTO_ICMPV6_N && pkt[IPV6_HDR_LEN] == type;
}

/*
 * The checks every ND message shares (§6.1.1, §6.1.2): the ICMPv6 message
 * is the whole payload, hop limit 255, checksum, code 0, at least `min`
 * octets, and options each of non-zero length that fit.  The options start
 * at `opts` octets into the message.
 */
static int
nd_validate(const uint8_t *pkt, size_t len, uint8_t type, size_t min)
{
	size_t plen, off;
	const uint8_t *icmp;

	if (!ra_is_icmp6(pkt, len, type))
		return -1;
	plen = get_be16(pkt + 4);
	if (plen + IPV6_HDR_LEN > len || plen < min)
		return -1;
	icmp = pkt + IPV6_HDR_LEN;
	if (pkt[7] != 255 || icmp[1] != 0 ||
	    icmp6_checksum(pkt + 8, pkt + 24, icmp, plen) != get_be16(icmp + 2))
		return -1;
	for (off = min; off < plen;) {
		if (plen - off < 2 || icmp[off + 1] == 0 ||
		    (size_t)icmp[off + 1] * 8 > plen - off)
			return -1;
		off += (size_t)icmp[off + 1] * 8;
	}
	return 0;
}

/* The first option of `type` in an ND message already validated. */
static const uint8_t *
nd_option(const uint8_t *pkt, size_t first, uint8_t type)
{
	const uint8_t *icmp = pkt + IPV6_HDR_LEN;
	size_t plen = get_be16(pkt + 4);

	for (size_t off = first; off < plen; off += (size_t)icmp[off + 1] * 8)
		if (icmp[off] == type)
			return icmp + off;
	return NULL;
}

int
ra_rs_validate(const uint8_t *pkt, size_t len)
{
	if (nd_validate(pkt, len, ICMP6_RS, 8) < 0)
		return -1;
	/* §6.1.1: from the unspecified address, no Source Link-Layer
	 * Address option. */
	if (is_unspecified(pkt + 8) && nd_option(pkt, 8, ND_OPT_SLLA) != NULL)
		return -1;
	return 0;
}

static uint32_t
be32_at(const uint8_t *q)
{
	return (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
	    (uint32_t)q[2] << 8 | q[3];
}

int
ra_parse(const uint8_t *pkt, size_t len, struct ra_info *out)
{
	const uint8_t *icmp = pkt + IPV6_HDR_LEN, *o;
	size_t plen;

	if (nd_validate(pkt, len, ICMP6_RA, 16) < 0)
		return -1;
	/* §6.1.2: only from a link-local source. */
	if (!ipv6_is_link_local(pkt + 8))
		return -1;
	memset(out, 0, sizeof(*out));
	memcpy(out->src, pkt + 8, 16);
	out->cur_hop_limit = icmp[4];
	out->managed = (icmp[5] & 0x80) != 0;
	out->other = (icmp[5] & 0x40) != 0;
	out->router_lifetime = get_be16(icmp + 6);
	plen = get_be16(pkt + 4);
	for (size_t off = 16; off < plen; off += (size_t)icmp[off + 1] * 8) {
		o = icmp + off;
		if (o[0] == ND_OPT_PREFIX && o[1] == 4 && !out->has_prefix &&
		    o[2] <= 128) {
			out->has_prefix = true;
			out->prefix_len = o[2];
			out->on_link = (o[3] & 0x80) != 0;
			out->autonomous = (o[3] & 0x40) != 0;
			out->valid_lifetime = be32_at(o + 4);
			out->preferred_lifetime = be32_at(o + 8);
			memcpy(out->prefix, o + 16, 16);
		} else if (o[0] == ND_OPT_MTU && o[1] == 1) {
			out->mtu = be32_at(o + 4);
		} else if (o[0] == ND_OPT_RDNSS && o[1] >= 3 && o[1] % 2 == 1 &&
		    out->dns_count == 0) {
			/* RFC 8106 §5.1: minimum length 3, odd. */
			unsigned n = (unsigned)(o[1] - 1) / 2;

			out->dns_lifetime = be32_at(o + 4);
			for (unsigned i = 0; i < n && i < RA_MAX_DNS; i++)
				memcpy(out->dns[out->dns_count++],
				    o + 8 + (size_t)16 * i, 16);
		}
	}
	return 0;
}

/* A uniformly chosen value in [lo, hi]. */
static uint64_t
pick(uint32_t lo, uint32_t hi, uint32_t rnd)
{
	if (hi <= lo)
		return lo;
	return lo + (uint64_t)rnd % ((uint64_t)hi - lo + 1);
}

void
ra_sched_start(struct ra_sched *s, uint32_t min_ms, uint32_t max_ms,
    uint64_t now)
{
	memset(s, 0, sizeof(*s));
	/* §6.2.1: MinRtrAdvInterval at least 3 s, at most 0.75 * Max. */
	if (max_ms < 4000)
		max_ms = 4000;
	if (min_ms < 3000)
		min_ms = 3000;
	if (min_ms > max_ms / 4 * 3)
		min_ms = max_ms / 4 * 3;
	s->min_ms = min_ms;
	s->max_ms = max_ms;
	s->next = now;
}

void
ra_sched_sent(struct ra_sched *s, uint64_t now, uint32_t rnd)
{
	uint64_t ivl = pick(s->min_ms, s->max_ms, rnd);

	s->sent++;
	s->last_sent = now;
	/* §6.2.4: the first few no more than MAX_INITIAL_RTR_ADVERT_INTERVAL
	 * apart, so that a lost one is soon made up for. */
	if (s->sent < RA_MAX_INITIAL_RTR_ADVERTISEMENTS + 1 &&
	    ivl > RA_MAX_INITIAL_RTR_ADVERT_INTERVAL_MS)
		ivl = RA_MAX_INITIAL_RTR_ADVERT_INTERVAL_MS;
	s->next = now + ivl;
}

void
ra_sched_solicited(struct ra_sched *s, uint64_t now, uint32_t rnd)
{
	/* §6.2.6: a random delay in [0, MAX_RA_DELAY_TIME]; no earlier than
	 * MIN_DELAY_BETWEEN_RAS after the last multicast one; and if the
	 * next one is due sooner anyway, that one answers. */
	uint64_t at = now + pick(0, RA_MAX_RA_DELAY_TIME_MS, rnd);

	if (s->sent > 0 && at < s->last_sent + RA_MIN_DELAY_BETWEEN_RAS_MS)
		at = s->last_sent + RA_MIN_DELAY_BETWEEN_RAS_MS;
	if (at < s->next)
		s->next = at;
}
