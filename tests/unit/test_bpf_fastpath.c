/*
 * test_bpf_fastpath.c — the kernel fast path's TC programs run on crafted
 * packets with BPF_PROG_TEST_RUN, and its loader on veth links, all in a
 * network namespace of the test's own (fastpath_env.h).
 *
 * Every packet the programs do not carry must come back TC_ACT_OK and
 * byte for byte unchanged (the user path then sees it as without the fast
 * path), and bump the counter that says why.  A carried packet must be
 * exactly the inner packet as a router forwards it (RFC 1812 §5.3.1: TTL
 * decremented, checksum updated), or exactly the L2TP data message the user
 * path would send (RFC 2661 §3.1 compact header, the negotiated PPP header).
 *
 * Needs root (CAP_BPF, CAP_NET_ADMIN, CAP_PERFMON, CAP_SYS_ADMIN for the
 * namespace), as `make test` runs; skipped otherwise.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <sys/ioctl.h>
#include <net/ethernet.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>

#include "dataplane/fastpath.h"
#include "dataplane/tun.h"
#include "fastpath_env.h"

static struct fp_env env;
static struct fastpath *fp;
static char why[256];

struct run {
	int retval;
	uint8_t out[4096];
	uint32_t out_len;
};

/* One BPF_PROG_TEST_RUN of `hook`'s program on a frame received on
 * ifindex; gso_size makes it look like an aggregate. */
static int
run_gso(enum fastpath_hook hook, int ifindex, const uint8_t *in, size_t len,
    uint32_t gso_size, struct run *r)
{
	struct __sk_buff ctx;
	LIBBPF_OPTS(bpf_test_run_opts, o);
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	ctx.ifindex = (uint32_t)ifindex;
	ctx.gso_size = gso_size;
	o.data_in = in;
	o.data_size_in = (uint32_t)len;
	o.data_out = r->out;
	o.data_size_out = sizeof(r->out);
	o.ctx_in = &ctx;
	o.ctx_size_in = sizeof(ctx);
	rc = bpf_prog_test_run_opts(fastpath_prog_fd(fp, hook), &o);
	r->retval = (int)o.retval;
	r->out_len = o.data_size_out;
	return rc;
}

static int
run(enum fastpath_hook hook, int ifindex, const uint8_t *in, size_t len,
    struct run *r)
{
	return run_gso(hook, ifindex, in, len, 0, r);
}

static uint64_t
counter(enum fp_counter c)
{
	uint64_t v[FP_COUNTER_MAX];

	assert_int_equal(fastpath_global_counters(fp, v, why, sizeof(why)), 0);
	return v[c];
}

/* The frame must pass untouched, counted under `c`. */
static void
assert_pass(enum fastpath_hook hook, int ifindex, const uint8_t *in, size_t len,
    enum fp_counter c)
{
	struct run r;
	uint64_t before = counter(c);

	assert_int_equal(run(hook, ifindex, in, len, &r), 0);
	/* vpdn_fp_encap, ahead of vpdn_fp_decap on an ingress, hands on to
	 * the next filter; the others to the stack. */
	assert_int_equal(r.retval,
	    hook == FASTPATH_ENCAP ? TC_ACT_UNSPEC : TC_ACT_OK);
	assert_int_equal(r.out_len, len);
	assert_memory_equal(r.out, in, len);
	assert_int_equal(counter(c), before + 1);
}

/* Loads the programs (with `o`, NULL the defaults), allows both links as
 * exits, enters the session. */
static int
open_fp_opts(const struct fastpath_opts *o)
{
	struct fastpath_session s;

	if (fastpath_open(&fp, o, why, sizeof(why)) != 0) {
		print_message("%s\n", why);
		return -1;
	}
	assert_int_equal(fastpath_allow_egress(fp, env.ifl, why, sizeof(why)),
	    0);
	assert_int_equal(fastpath_allow_egress(fp, env.ifi, why, sizeof(why)),
	    0);
	fp_env_session(&s);
	return fastpath_session_add(fp, &s, why, sizeof(why));
}

static int
open_fp(void)
{
	return open_fp_opts(NULL);
}

static int
setup(void **state)
{
	(void)state;
	if (geteuid() != 0 || fp_env_setup(&env) != 0) {
		print_message("test_bpf_fastpath: needs root and network "
			      "namespaces: skipped\n");
		return 0;
	}
	return open_fp();
}

static int
teardown(void **state)
{
	(void)state;
	fastpath_close(fp);
	fp = NULL;
	return 0;
}

#define NEED_FP() \
	do { \
		if (fp == NULL) \
			skip(); \
	} while (0)

/* The inner packet as forwarded out of fpi0 to 10.9.0.2. */
static size_t
expect_decap(uint8_t *want, const uint8_t *frame, size_t inner_off,
    size_t frame_len)
{
	size_t ilen = frame_len - inner_off;

	eth_hdr(want, env_mac_host, env_mac_i0);
	memcpy(want + 14, frame + inner_off, ilen);
	want[14 + 8]--;
	put16(want + 14 + 10, 0);
	put16(want + 14 + 10, ip_csum(want + 14, 20));
	return 14 + ilen;
}

static void
decap_ok(const struct l2tp_craft *c)
{
	uint8_t frame[2048], want[2048];
	size_t len, inner_off, wlen;
	struct fastpath_counters before, after;
	struct run r;
	uint64_t n = counter(FP_RX_DECAP);

	len = l2tp_frame(frame, c, &inner_off);
	wlen = expect_decap(want, frame, inner_off, len);
	assert_int_equal(fastpath_session_counters(fp, ENV_OUR_TID, ENV_OUR_SID,
			     &before, why, sizeof(why)),
	    0);
	assert_int_equal(run(FASTPATH_DECAP, env.ifl, frame, len, &r), 0);
	assert_int_equal(r.retval, TC_ACT_REDIRECT);
	assert_int_equal(r.out_len, wlen);
	assert_memory_equal(r.out, want, wlen);
	assert_int_equal(counter(FP_RX_DECAP), n + 1);
	assert_int_equal(fastpath_session_counters(fp, ENV_OUR_TID, ENV_OUR_SID,
			     &after, why, sizeof(why)),
	    0);
	assert_int_equal(after.rx_packets, before.rx_packets + 1);
	assert_int_equal(after.rx_bytes, before.rx_bytes + (len - inner_off));
	assert_int_equal(after.tx_packets, before.tx_packets);
}

/* RFC 2661 §3.1: every optional field the fast path strips (L, O with and
 * without padding), times every PPP header form (RFC 1662 §3.2, RFC 1661
 * §6.5) the session accepts. */
static void
test_decap_header_variants(void **state)
{
	static const uint16_t flags[] = { 0, L2TP_F_L, L2TP_F_O, L2TP_F_O,
		L2TP_F_L | L2TP_F_O, L2TP_F_L | L2TP_F_O };
	static const uint16_t pads[] = { 0, 0, 0, 3, 0, 17 };
	struct l2tp_craft c;
	size_t i;
	int f;

	(void)state;
	NEED_FP();
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		for (f = PPP_FULL; f <= PPP_BOTH; f++) {
			l2tp_craft_default(&c);
			c.flags = flags[i];
			c.pad = pads[i];
			c.ppp = (enum ppp_form)f;
			decap_ok(&c);
		}
	/* A large packet and the largest offset padding carried. */
	l2tp_craft_default(&c);
	c.payload = 1400;
	decap_ok(&c);
	c.flags = L2TP_F_O;
	c.pad = FP_MAX_OFFSET_PAD;
	c.payload = 100;
	decap_ok(&c);
}

static void
pass_craft(const struct l2tp_craft *c, enum fp_counter why_c)
{
	uint8_t frame[2048];
	size_t len, inner_off;

	len = l2tp_frame(frame, c, &inner_off);
	assert_pass(FASTPATH_DECAP, env.ifl, frame, len, why_c);
}

static void
test_decap_passes(void **state)
{
	struct l2tp_craft c;

	(void)state;
	NEED_FP();
	/* §3.1: T=1 is a control message (with L and S, as they must). */
	l2tp_craft_default(&c);
	c.flags = L2TP_F_T | L2TP_F_L | L2TP_F_S;
	pass_craft(&c, FP_RX_PASS_CONTROL);
	/* §5.4: sequenced data needs the user path's state. */
	l2tp_craft_default(&c);
	c.flags = L2TP_F_S;
	pass_craft(&c, FP_RX_PASS_SEQ);
	/* Unknown tunnel or session. */
	l2tp_craft_default(&c);
	c.sid = 0x2223;
	pass_craft(&c, FP_RX_PASS_NO_SESSION);
	l2tp_craft_default(&c);
	c.tid = 0x1112;
	pass_craft(&c, FP_RX_PASS_NO_SESSION);
	/* The session's IDs from elsewhere than the tunnel's peer. */
	l2tp_craft_default(&c);
	c.osrc = ENV_PEER + 1;
	pass_craft(&c, FP_RX_PASS_WRONG_PEER);
	l2tp_craft_default(&c);
	c.sport = 1702;
	pass_craft(&c, FP_RX_PASS_WRONG_PEER);
	l2tp_craft_default(&c);
	c.dport = 1702;
	pass_craft(&c, FP_RX_PASS_WRONG_PEER);
	/* Anti-spoofing: only the session's address. */
	l2tp_craft_default(&c);
	c.isrc = ENV_SESSION + 1;
	pass_craft(&c, FP_RX_PASS_WRONG_SRC);
	/* PPP protocols other than IPv4: LCP, IPCP, IPv6 in both forms. */
	l2tp_craft_default(&c);
	c.proto = 0xc021;
	pass_craft(&c, FP_RX_PASS_PPP);
	c.proto = 0x8021;
	pass_craft(&c, FP_RX_PASS_PPP);
	c.proto = 0x0057;
	pass_craft(&c, FP_RX_PASS_PPP);
	c.ppp = PPP_BOTH;
	pass_craft(&c, FP_RX_PASS_PPP);
	/* TTL 1 expires here: the stack sends Time Exceeded. */
	l2tp_craft_default(&c);
	c.ttl = 1;
	pass_craft(&c, FP_RX_PASS_INNER);
	/* Too much offset padding for the fast path. */
	l2tp_craft_default(&c);
	c.flags = L2TP_F_O;
	c.pad = FP_MAX_OFFSET_PAD + 1;
	pass_craft(&c, FP_RX_PASS_MALFORMED);
	/* No route: 203.0.113.9 is nowhere. */
	l2tp_craft_default(&c);
	c.idst = 0xcb007109;
	pass_craft(&c, FP_RX_PASS_ROUTE);
	/* To an address of this host: local delivery is the stack's. */
	l2tp_craft_default(&c);
	c.idst = 0x0a090001;
	pass_craft(&c, FP_RX_PASS_ROUTE);
}

/* PPP forms the session did not negotiate go to user space. */
static void
test_decap_ppp_forms_not_allowed(void **state)
{
	struct fastpath_session s;
	struct l2tp_craft c;

	(void)state;
	NEED_FP();
	fp_env_session(&s);
	s.rx_acfc = s.rx_pfc = false;
	assert_int_equal(fastpath_session_update(fp, &s, why, sizeof(why)), 0);
	l2tp_craft_default(&c);
	c.ppp = PPP_PFC_ONLY;
	pass_craft(&c, FP_RX_PASS_PPP);
	c.ppp = PPP_ACFC_ONLY;
	pass_craft(&c, FP_RX_PASS_PPP);
	c.ppp = PPP_BOTH;
	pass_craft(&c, FP_RX_PASS_PPP);
	c.ppp = PPP_FULL;
	decap_ok(&c);
	fp_env_session(&s);
	assert_int_equal(fastpath_session_update(fp, &s, why, sizeof(why)), 0);
}

static void
test_decap_malformed_outer(void **state)
{
	uint8_t frame[2048];
	size_t len, inner_off;
	struct l2tp_craft c;

	(void)state;
	NEED_FP();
	l2tp_craft_default(&c);
	len = l2tp_frame(frame, &c, &inner_off);
	/* Ethernet padding after the IP packet. */
	frame[len] = 0;
	assert_pass(FASTPATH_DECAP, env.ifl, frame, len + 1,
	    FP_RX_PASS_NOT_L2TP);
	/* A fragment (MF), L2TP version 3's number, a non-UDP protocol. */
	ip_hdr(frame + 14, (uint16_t)(len - 14), 64, 17, ENV_PEER, ENV_LOCAL,
	    0x2000);
	assert_pass(FASTPATH_DECAP, env.ifl, frame, len, FP_RX_PASS_NOT_L2TP);
	len = l2tp_frame(frame, &c, &inner_off);
	frame[43] = 3;
	assert_pass(FASTPATH_DECAP, env.ifl, frame, len, FP_RX_PASS_NOT_L2TP);
	len = l2tp_frame(frame, &c, &inner_off);
	ip_hdr(frame + 14, (uint16_t)(len - 14), 64, 6, ENV_PEER, ENV_LOCAL, 0);
	assert_pass(FASTPATH_DECAP, env.ifl, frame, len, FP_RX_PASS_NOT_L2TP);
	/* UDP length disagreeing with IP's. */
	len = l2tp_frame(frame, &c, &inner_off);
	put16(frame + 38, (uint16_t)(len - 34 - 1));
	assert_pass(FASTPATH_DECAP, env.ifl, frame, len, FP_RX_PASS_NOT_L2TP);
	/* §3.1 Length field not the message's length. */
	c.flags = L2TP_F_L;
	len = l2tp_frame(frame, &c, &inner_off);
	put16(frame + 44, (uint16_t)(len - 42 - 1));
	assert_pass(FASTPATH_DECAP, env.ifl, frame, len, FP_RX_PASS_MALFORMED);
	/* Inner header checksum wrong; inner total length short. */
	c.flags = 0;
	len = l2tp_frame(frame, &c, &inner_off);
	frame[inner_off + 10] ^= 1;
	assert_pass(FASTPATH_DECAP, env.ifl, frame, len, FP_RX_PASS_INNER);
	len = l2tp_frame(frame, &c, &inner_off);
	put16(frame + inner_off + 2, (uint16_t)(len - inner_off - 1));
	put16(frame + inner_off + 10, 0);
	put16(frame + inner_off + 10, ip_csum(frame + inner_off, 20));
	assert_pass(FASTPATH_DECAP, env.ifl, frame, len, FP_RX_PASS_INNER);
	/* Not IPv4 at all (an ARP EtherType). */
	len = l2tp_frame(frame, &c, &inner_off);
	put16(frame + 12, 0x0806);
	assert_pass(FASTPATH_DECAP, env.ifl, frame, len, FP_RX_PASS_NOT_L2TP);
}

/* Truncated at every byte, with the outer lengths left as sent (the frame
 * shorter than IP says) and rewritten to the cut (so each parser in turn
 * meets the end of the packet): always passed on untouched. */
static void
test_decap_truncated_every_byte(void **state)
{
	static const uint16_t flags[] = { 0, L2TP_F_L, L2TP_F_O,
		L2TP_F_L | L2TP_F_O };
	uint8_t frame[2048], cut[2048];
	struct l2tp_craft c;
	struct run r;
	size_t len, inner_off, n, i;
	int mode, rc;
	uint64_t decap = 0;

	(void)state;
	NEED_FP();
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		l2tp_craft_default(&c);
		c.flags = flags[i];
		c.pad = 2;
		c.payload = 8;
		len = l2tp_frame(frame, &c, &inner_off);
		for (n = 15; n < len; n++)
			for (mode = 0; mode < 2; mode++) {
				memcpy(cut, frame, n);
				if (mode == 1 && n >= 34) {
					ip_hdr(cut + 14, (uint16_t)(n - 14), 64,
					    17, ENV_PEER, ENV_LOCAL, 0);
					if (n >= 40)
						put16(cut + 38,
						    (uint16_t)(n - 34));
					if ((c.flags & L2TP_F_L) && n >= 46)
						put16(cut + 44,
						    (uint16_t)(n - 42));
				}
				decap = counter(FP_RX_DECAP);
				rc = run(FASTPATH_DECAP, env.ifl, cut, n, &r);
				/* The kernel's test runner refuses an IPv4
				 * frame shorter than an IPv4 header. */
				if (n < 14 + 20) {
					assert_int_equal(rc, -EINVAL);
					continue;
				}
				assert_int_equal(rc, 0);
				assert_int_equal(r.out_len, n);
				assert_memory_equal(r.out, cut, n);
				assert_int_equal(counter(FP_RX_DECAP), decap);
			}
	}
}

/* The frame, an aggregate of gso_size, goes to the stack untouched,
 * counted as FP_RX_PASS_GSO. */
static void
assert_pass_gso(const uint8_t *frame, size_t len, uint32_t gso_size)
{
	struct run r;
	uint64_t n = counter(FP_RX_PASS_GSO);

	assert_int_equal(run_gso(FASTPATH_DECAP, env.ifl, frame, len, gso_size,
			     &r),
	    0);
	assert_int_equal(r.retval, TC_ACT_OK);
	assert_int_equal(r.out_len, len);
	assert_memory_equal(r.out, frame, len);
	assert_int_equal(counter(FP_RX_PASS_GSO), n + 1);
}

static void
test_decap_gso_passes(void **state)
{
	uint8_t frame[2048];
	size_t len, inner_off;
	struct l2tp_craft c;

	(void)state;
	NEED_FP();
	l2tp_craft_default(&c);
	len = l2tp_frame(frame, &c, &inner_off);
	assert_pass_gso(frame, len, 100);
}

/* The crafted frame's inner packet made TCP (header without options, the
 * rest of its payload as TCP payload), with IPv4 fragment field `frag`. */
static void
inner_to_tcp(uint8_t *frame, size_t inner_off, const struct l2tp_craft *c,
    uint16_t frag)
{
	uint8_t *ip = frame + inner_off;

	ip_hdr(ip, (uint16_t)(ip[2] << 8 | ip[3]), c->ttl, 6, c->isrc, c->idst,
	    frag);
	memset(ip + 20, 0, 20);
	ip[20 + 12] = 5 << 4;
}

/* [global] fastpath-veth-gso: an aggregate that arrived through a veth
 * (FP_EGRESS_GSO_WHOLE) and leaves through one is decapsulated whole when
 * it is TCP/IPv4 with payload, unfragmented; anything else aggregated goes
 * to the stack as before.  BPF_PROG_TEST_RUN gives a packet gso_size but
 * no GSO type, so bpf_skb_adjust_room refuses the one that passes every
 * check (FP_PASS_HELPER, the frame untouched): the counter tells how far
 * each got. */
static void
test_decap_gso_tcp_checks(void **state)
{
	const struct fastpath_opts o = { .veth_gso = true };
	uint8_t frame[2048];
	size_t len, inner_off;
	struct l2tp_craft c;
	struct run r;
	uint64_t gso, helper;

	(void)state;
	NEED_FP();
	fastpath_close(fp);
	fp = NULL;
	assert_int_equal(open_fp_opts(&o), 0);

	/* TCP with 20 octets of payload in segments of 10: carried. */
	l2tp_craft_default(&c);
	len = l2tp_frame(frame, &c, &inner_off);
	inner_to_tcp(frame, inner_off, &c, 0);
	gso = counter(FP_RX_PASS_GSO);
	helper = counter(FP_PASS_HELPER);
	assert_int_equal(run_gso(FASTPATH_DECAP, env.ifl, frame, len, 10, &r),
	    0);
	assert_int_equal(r.retval, TC_ACT_OK);
	assert_memory_equal(r.out, frame, len);
	assert_int_equal(counter(FP_PASS_HELPER), helper + 1);
	assert_int_equal(counter(FP_RX_PASS_GSO), gso);
	/* Not an aggregate: decapsulated as ever. */
	assert_int_equal(run(FASTPATH_DECAP, env.ifl, frame, len, &r), 0);
	assert_int_equal(r.retval, TC_ACT_REDIRECT);

	/* Arrived on an interface that is not an allowed exit (so not one
	 * declared for aggregates): the stack's. */
	assert_int_equal(fastpath_disallow_egress(fp, env.ifl, why,
			     sizeof(why)),
	    0);
	assert_int_equal(run_gso(FASTPATH_DECAP, env.ifl, frame, len, 10, &r),
	    0);
	assert_int_equal(counter(FP_RX_PASS_GSO), gso + 1);
	assert_int_equal(fastpath_allow_egress(fp, env.ifl, why, sizeof(why)),
	    0);

	/* A fragment, a TCP header without payload, UDP, IPv6: the stack's. */
	inner_to_tcp(frame, inner_off, &c, 0x2000);
	assert_pass_gso(frame, len, 10);
	c.payload = 12;
	len = l2tp_frame(frame, &c, &inner_off);
	inner_to_tcp(frame, inner_off, &c, 0);
	assert_pass_gso(frame, len, 10);
	l2tp_craft_default(&c);
	len = l2tp_frame(frame, &c, &inner_off);
	assert_pass_gso(frame, len, 10);
	c.proto = 0x0057;
	len = l2tp_frame(frame, &c, &inner_off);
	assert_pass_gso(frame, len, 10);
	assert_int_equal(counter(FP_PASS_HELPER), helper + 1);

	fastpath_close(fp);
	fp = NULL;
	assert_int_equal(open_fp(), 0);
}

/* ---- encapsulation ---- */

/* An IPv4 packet from the intranet host to the session, as received on
 * fpi0. */
static size_t
intranet_frame(uint8_t *buf, uint32_t dst, uint8_t ttl, size_t payload)
{
	eth_hdr(buf, env_mac_i0, env_mac_host);
	return 14 + inner_pkt(buf + 14, ENV_HOST, dst, ttl, payload);
}

/* The data message the user path would send for it (RFC 2661 §3.1: T=0,
 * no L/S/O/P, the peer's IDs), out of fpl0 to the LAC. */
static size_t
expect_encap(uint8_t *want, const uint8_t *frame, size_t len,
    enum ppp_form form)
{
	size_t ilen = len - 14, off = 14 + 20 + 8, total;

	eth_hdr(want, env_mac_peer, env_mac_l0);
	put16(want + off, 0x0002);
	put16(want + off + 2, ENV_PEER_TID);
	put16(want + off + 4, ENV_PEER_SID);
	off += 6;
	off += ppp_hdr(want + off, form, 0x0021);
	memcpy(want + off, frame + 14, ilen);
	want[off + 8]--;
	put16(want + off + 10, 0);
	put16(want + off + 10, ip_csum(want + off, 20));
	total = off + ilen;
	/* DF, ID 0, TTL 64, UDP checksum 0 (RFC 768 over IPv4). */
	memset(want + 14, 0, 20);
	want[14] = 0x45;
	put16(want + 16, (uint16_t)(total - 14));
	put16(want + 20, 0x4000);
	want[22] = 64;
	want[23] = 17;
	put32(want + 26, ENV_LOCAL);
	put32(want + 30, ENV_PEER);
	put16(want + 24, ip_csum(want + 14, 20));
	put16(want + 34, ENV_PORT);
	put16(want + 36, ENV_PORT);
	put16(want + 38, (uint16_t)(total - 34));
	put16(want + 40, 0);
	return total;
}

static void
encap_ok_mtu(enum ppp_form form, size_t payload, uint16_t mtu)
{
	struct fastpath_session s;
	uint8_t frame[2048], want[2048];
	struct fastpath_counters before, after;
	struct run r;
	size_t len, wlen;
	uint64_t n = counter(FP_TX_ENCAP);

	fp_env_session(&s);
	s.tx_acfc = form == PPP_ACFC_ONLY || form == PPP_BOTH;
	s.tx_pfc = form == PPP_PFC_ONLY || form == PPP_BOTH;
	s.mtu = mtu;
	assert_int_equal(fastpath_session_update(fp, &s, why, sizeof(why)), 0);
	len = intranet_frame(frame, ENV_SESSION, 64, payload);
	wlen = expect_encap(want, frame, len, form);
	assert_int_equal(fastpath_session_counters(fp, ENV_OUR_TID, ENV_OUR_SID,
			     &before, why, sizeof(why)),
	    0);
	assert_int_equal(run(FASTPATH_ENCAP, env.ifi, frame, len, &r), 0);
	assert_int_equal(r.retval, TC_ACT_REDIRECT);
	assert_int_equal(r.out_len, wlen);
	assert_memory_equal(r.out, want, wlen);
	assert_int_equal(counter(FP_TX_ENCAP), n + 1);
	assert_int_equal(fastpath_session_counters(fp, ENV_OUR_TID, ENV_OUR_SID,
			     &after, why, sizeof(why)),
	    0);
	assert_int_equal(after.tx_packets, before.tx_packets + 1);
	assert_int_equal(after.tx_bytes, before.tx_bytes + (len - 14));
	assert_int_equal(after.rx_packets, before.rx_packets);
}

static void
encap_ok(enum ppp_form form, size_t payload)
{
	encap_ok_mtu(form, payload, 0);
}

static void
test_encap_ppp_forms(void **state)
{
	struct fastpath_session s;
	int f;

	(void)state;
	NEED_FP();
	for (f = PPP_FULL; f <= PPP_BOTH; f++) {
		encap_ok((enum ppp_form)f, 32);
		encap_ok((enum ppp_form)f, 1000);
	}
	/* The largest packet that fits fpl0's 1500 bytes once wrapped. */
	encap_ok(PPP_FULL, 1500 - 38 - 28);
	fp_env_session(&s);
	assert_int_equal(fastpath_session_update(fp, &s, why, sizeof(why)), 0);
}

static void
test_encap_passes(void **state)
{
	struct fastpath_session s;
	uint8_t frame[2048];
	size_t len;

	(void)state;
	NEED_FP();
	/* Not to a session: the stack routes it (the user path's TUN). */
	len = intranet_frame(frame, ENV_SESSION + 1, 64, 32);
	assert_pass(FASTPATH_ENCAP, env.ifi, frame, len, FP_TX_PASS_NO_SESSION);
	/* TTL 1 expires at the LNS (RFC 1812 §5.3.1). */
	len = intranet_frame(frame, ENV_SESSION, 1, 32);
	assert_pass(FASTPATH_ENCAP, env.ifi, frame, len, FP_TX_PASS_INNER);
	/* One byte too big for fpl0 once wrapped: the user path answers
	 * (ICMP Fragmentation Needed, RFC 1191). */
	len = intranet_frame(frame, ENV_SESSION, 64, 1500 - 38 - 28 + 1);
	assert_pass(FASTPATH_ENCAP, env.ifi, frame, len, FP_TX_PASS_TOO_BIG);
	/* Over the session's MTU (its TUN route's, e.g. RADIUS Framed-MTU),
	 * where the user path's route sends ICMP Fragmentation Needed; at
	 * the MTU it is carried. */
	fp_env_session(&s);
	s.mtu = 1400;
	assert_int_equal(fastpath_session_update(fp, &s, why, sizeof(why)), 0);
	len = intranet_frame(frame, ENV_SESSION, 64, 1400 - 28 + 1);
	assert_pass(FASTPATH_ENCAP, env.ifi, frame, len, FP_TX_PASS_TOO_BIG);
	encap_ok_mtu(PPP_FULL, 1400 - 28, 1400);
	fp_env_session(&s);
	assert_int_equal(fastpath_session_update(fp, &s, why, sizeof(why)), 0);
	/* Bad header checksum. */
	len = intranet_frame(frame, ENV_SESSION, 64, 32);
	frame[14 + 10] ^= 0x40;
	assert_pass(FASTPATH_ENCAP, env.ifi, frame, len, FP_TX_PASS_INNER);
	/* Trailing bytes after the IP packet. */
	len = intranet_frame(frame, ENV_SESSION, 64, 32);
	assert_pass(FASTPATH_ENCAP, env.ifi, frame, len + 3, FP_TX_PASS_INNER);
	/* Not IPv4. */
	put16(frame + 12, 0x86dd);
	assert_pass(FASTPATH_ENCAP, env.ifi, frame, len, FP_TX_PASS_NOT_IP);
	/* The peer unreachable (no route to 198.51.100.1). */
	fp_env_session(&s);
	s.peer_addr.s_addr = htonl(0xc6336401);
	assert_int_equal(fastpath_session_update(fp, &s, why, sizeof(why)), 0);
	len = intranet_frame(frame, ENV_SESSION, 64, 32);
	assert_pass(FASTPATH_ENCAP, env.ifi, frame, len, FP_TX_PASS_ROUTE);
	fp_env_session(&s);
	assert_int_equal(fastpath_session_update(fp, &s, why, sizeof(why)), 0);
	/* The way out is not an interface the fast path may use. */
	assert_int_equal(fastpath_disallow_egress(fp, env.ifl, why,
			     sizeof(why)),
	    0);
	assert_pass(FASTPATH_ENCAP, env.ifi, frame, len, FP_TX_PASS_ROUTE);
	assert_int_equal(fastpath_allow_egress(fp, env.ifl, why, sizeof(why)),
	    0);
	/* Truncated at every byte (from a whole IPv4 header, the least the
	 * kernel's test runner takes): never carried, never changed. */
	for (len = 14 + 20; len < 14 + 28 + 32; len++)
		assert_pass(FASTPATH_ENCAP, env.ifi, frame, len,
		    FP_TX_PASS_INNER);
	/* A TCP aggregate whose way out is a veth (fpl0): the peer behind
	 * it would get it whole, so the stack segments it on the TUN path. */
	{
		struct run r;
		uint64_t before = counter(FP_TX_PASS_GSO);

		len = intranet_frame(frame, ENV_SESSION, 64, 1200);
		frame[14 + 9] = 6;
		frame[14 + 20 + 12] = 5 << 4;
		put16(frame + 14 + 10, 0);
		put16(frame + 14 + 10, ip_csum(frame + 14, 20));
		assert_int_equal(run_gso(FASTPATH_ENCAP, env.ifi, frame, len,
				     500, &r),
		    0);
		assert_int_equal(r.retval, TC_ACT_UNSPEC);
		assert_int_equal(r.out_len, len);
		assert_memory_equal(r.out, frame, len);
		assert_int_equal(counter(FP_TX_PASS_GSO), before + 1);
	}
}

/* ---- sessions ---- */

/* ---- the rate plan's policer (bpf/policer.h) ---- */

/* The session's policer set to rate (bit/s) and burst (bytes) both ways;
 * 0 removes it. */
static void
police(uint64_t rate, uint64_t burst)
{
	struct fastpath_session s;

	fp_env_session(&s);
	s.police_down_bps = s.police_up_bps = rate;
	s.police_down_burst = s.police_up_burst = burst;
	assert_int_equal(fastpath_session_update(fp, &s, why, sizeof(why)), 0);
}

/* 1 B/s (no refill while the test runs) with a 1000-byte bucket: an
 * upstream packet of 128 inner bytes passes 7 times, then is dropped
 * (TC_ACT_SHOT) and counted per session; downstream has its own bucket;
 * a packet over the burst is left to the user path untouched; a plan
 * change keeps the drop counters; no plan, no policing. */
static void
test_police(void **state)
{
	struct l2tp_craft c;
	uint8_t frame[2048];
	size_t len, inner_off;
	struct fastpath_counters k0, k;
	struct run r;
	unsigned pass = 0, drop = 0;

	(void)state;
	NEED_FP();
	assert_int_equal(fastpath_session_counters(fp, ENV_OUR_TID, ENV_OUR_SID,
			     &k0, why, sizeof(why)),
	    0);
	police(8, 1000);
	l2tp_craft_default(&c);
	c.payload = 128 - 28;
	len = l2tp_frame(frame, &c, &inner_off);
	assert_int_equal(len - inner_off, 128);
	for (int i = 0; i < 10; i++) {
		assert_int_equal(run(FASTPATH_DECAP, env.ifl, frame, len, &r),
		    0);
		if (r.retval == TC_ACT_REDIRECT)
			pass++;
		else if (r.retval == TC_ACT_SHOT)
			drop++;
	}
	assert_int_equal(pass, 7);
	assert_int_equal(drop, 3);
	assert_int_equal(fastpath_session_counters(fp, ENV_OUR_TID, ENV_OUR_SID,
			     &k, why, sizeof(why)),
	    0);
	assert_int_equal(k.police_up_drop_packets, 3);
	assert_int_equal(k.police_up_drop_bytes, 3 * 128);
	assert_int_equal(k.police_down_drop_packets, 0);
	assert_int_equal(k.rx_packets, k0.rx_packets + 7);

	/* Downstream: the same from its own full bucket. */
	len = intranet_frame(frame, ENV_SESSION, 64, 128 - 28);
	pass = drop = 0;
	for (int i = 0; i < 10; i++) {
		assert_int_equal(run(FASTPATH_ENCAP, env.ifi, frame, len, &r),
		    0);
		if (r.retval == TC_ACT_REDIRECT)
			pass++;
		else if (r.retval == TC_ACT_SHOT)
			drop++;
	}
	assert_int_equal(pass, 7);
	assert_int_equal(drop, 3);

	/* A plan change: new rates, same drop counters; a packet over the
	 * new burst goes to the user path as it came. */
	police(8, 100);
	assert_pass(FASTPATH_ENCAP, env.ifi, frame, len, FP_TX_PASS_TOO_BIG);
	len = l2tp_frame(frame, &c, &inner_off);
	assert_pass(FASTPATH_DECAP, env.ifl, frame, len, FP_RX_PASS_INNER);
	assert_int_equal(fastpath_session_counters(fp, ENV_OUR_TID, ENV_OUR_SID,
			     &k, why, sizeof(why)),
	    0);
	assert_int_equal(k.police_up_drop_packets, 3);
	assert_int_equal(k.police_down_drop_packets, 3);
	assert_int_equal(k.police_down_drop_bytes, 3 * 128);

	/* No plan: carried again. */
	police(0, 0);
	decap_ok(&c);
	encap_ok(PPP_FULL, 100);
}

static void
test_session_life_cycle(void **state)
{
	struct fastpath_session s, t;
	struct fastpath_counters fin;
	struct l2tp_craft c;
	uint8_t frame[2048];
	size_t len, inner_off;

	(void)state;
	NEED_FP();
	fp_env_session(&s);
	/* Already there: refused, and the entry in place is intact. */
	assert_int_equal(fastpath_session_add(fp, &s, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "already"));
	/* Another session with the same address: refused, rolled back. */
	t = s;
	t.our_session_id = 0x2223;
	assert_int_equal(fastpath_session_add(fp, &t, why, sizeof(why)), -1);
	assert_int_equal(fastpath_session_counters(fp, ENV_OUR_TID, 0x2223,
			     &fin, why, sizeof(why)),
	    -1);
	l2tp_craft_default(&c);
	c.sid = 0x2223;
	pass_craft(&c, FP_RX_PASS_NO_SESSION);
	/* A peer's new port (e.g. after NAT rebinding) replaces the old. */
	s.peer_port = 4500;
	assert_int_equal(fastpath_session_update(fp, &s, why, sizeof(why)), 0);
	l2tp_craft_default(&c);
	pass_craft(&c, FP_RX_PASS_WRONG_PEER);
	c.sport = 4500;
	decap_ok(&c);
	/* Removal hands back the final counters; afterwards nothing of the
	 * session is carried. */
	assert_int_equal(fastpath_session_remove(fp, &s, &fin, why,
			     sizeof(why)),
	    0);
	assert_true(fin.rx_packets > 0);
	len = l2tp_frame(frame, &c, &inner_off);
	assert_pass(FASTPATH_DECAP, env.ifl, frame, len, FP_RX_PASS_NO_SESSION);
	len = intranet_frame(frame, ENV_SESSION, 64, 32);
	assert_pass(FASTPATH_ENCAP, env.ifi, frame, len, FP_TX_PASS_NO_SESSION);
	assert_int_equal(fastpath_session_remove(fp, &s, &fin, why,
			     sizeof(why)),
	    -1);
	/* Back, counting from zero. */
	fp_env_session(&s);
	assert_int_equal(fastpath_session_add(fp, &s, why, sizeof(why)), 0);
	assert_int_equal(fastpath_session_counters(fp, ENV_OUR_TID, ENV_OUR_SID,
			     &fin, why, sizeof(why)),
	    0);
	assert_int_equal(fin.rx_packets + fin.tx_packets, 0);
	/* Incomplete addresses are refused before touching a map. */
	s.our_session_id = 0x2224;
	s.inner_addr.s_addr = 0;
	assert_int_equal(fastpath_session_add(fp, &s, why, sizeof(why)), -1);
}

/* ---- the loader on real links ---- */

static uint32_t
filter_prog(int ifindex, enum bpf_tc_attach_point ap, uint32_t handle,
    uint32_t prio)
{
	LIBBPF_OPTS(bpf_tc_hook, h, .ifindex = ifindex, .attach_point = ap);
	LIBBPF_OPTS(bpf_tc_opts, o, .handle = handle, .priority = prio);

	return bpf_tc_query(&h, &o) == 0 ? o.prog_id : 0;
}

static uint32_t
our_filter(int ifindex, enum bpf_tc_attach_point ap)
{
	return filter_prog(ifindex, ap, FASTPATH_TC_HANDLE, FASTPATH_TC_PRIO);
}

/* vpdn_fp_encap's place: ahead of vpdn_fp_decap's on an ingress. */
static uint32_t
our_encap_filter(int ifindex)
{
	return filter_prog(ifindex, BPF_TC_INGRESS, FASTPATH_TC_HANDLE,
	    FASTPATH_TC_PRIO_ENCAP);
}

/* "Someone else's" BPF filter, as `tc filter add ... bpf da` would
 * attach: a program returning TC_ACT_OK, named foreign. */
static int
foreign_filter(int ifindex, enum bpf_tc_attach_point ap, uint32_t handle,
    uint32_t prio)
{
	static const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_tc_hook, h, .ifindex = ifindex, .attach_point = ap);
	LIBBPF_OPTS(bpf_tc_opts, o, .handle = handle, .priority = prio);
	int fd, rc;

	fd = bpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, "foreign", "GPL", insns, 2,
	    NULL);
	assert_true(fd >= 0);
	rc = bpf_tc_hook_create(&h);
	assert_true(rc == 0 || rc == -EEXIST);
	o.prog_fd = fd;
	rc = bpf_tc_attach(&h, &o);
	(void)close(fd); /* the filter holds the program */
	return rc;
}

static void
detach_filter(int ifindex, enum bpf_tc_attach_point ap, uint32_t handle,
    uint32_t prio)
{
	LIBBPF_OPTS(bpf_tc_hook, h, .ifindex = ifindex, .attach_point = ap);
	LIBBPF_OPTS(bpf_tc_opts, o, .handle = handle, .priority = prio);

	assert_int_equal(bpf_tc_detach(&h, &o), 0);
}

/* A child that attaches to fpl0 and then dies without detaching
 * (kill -9), or stays until its pipe closes. */
static pid_t
child_attach(int ifindex, bool stay, int *pipe_wr)
{
	int ready[2], hold[2];
	pid_t pid;
	char b;

	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(hold), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct fastpath *cfp;

		(void)close(ready[0]);
		(void)close(hold[1]);
		if (fastpath_open(&cfp, NULL, why, sizeof(why)) != 0 ||
		    fastpath_attach(cfp, ifindex, FASTPATH_DECAP, why,
			sizeof(why)) != 0) {
			fprintf(stderr, "child attach: %s\n", why);
			_exit(1);
		}
		if (write(ready[1], "x", 1) != 1)
			_exit(2);
		if (stay && read(hold[0], &b, 1) < 0)
			_exit(3);
		_exit(0); /* no detach: what kill -9 leaves */
	}
	(void)close(ready[1]);
	(void)close(hold[0]);
	assert_int_equal(read(ready[0], &b, 1), 1);
	(void)close(ready[0]);
	*pipe_wr = hold[1];
	return pid;
}

static void
test_loader_attach_detach(void **state)
{
	uint32_t id;

	(void)state;
	NEED_FP();
	assert_int_equal(fastpath_attach(fp, env.ifl, FASTPATH_DECAP, why,
			     sizeof(why)),
	    0);
	assert_int_equal(fastpath_attach(fp, env.ifi, FASTPATH_ENCAP, why,
			     sizeof(why)),
	    0);
	assert_int_equal(fastpath_attach(fp, env.ifl, FASTPATH_ENCAP_L3, why,
			     sizeof(why)),
	    0);
	id = our_filter(env.ifl, BPF_TC_INGRESS);
	assert_true(id != 0);
	assert_true(our_encap_filter(env.ifi) != 0);
	assert_int_equal(fastpath_tc_prio(FASTPATH_ENCAP),
	    FASTPATH_TC_PRIO_ENCAP);
	assert_true(our_filter(env.ifl, BPF_TC_EGRESS) != 0);
	/* A second attach at the same place: ours and alive, refused. */
	assert_int_equal(fastpath_attach(fp, env.ifl, FASTPATH_DECAP, why,
			     sizeof(why)),
	    -1);
	assert_non_null(strstr(why, "running process"));
	assert_int_equal(our_filter(env.ifl, BPF_TC_INGRESS), id);
	/* fastpath_remove_stale() leaves a live instance's filter alone. */
	assert_int_equal(fastpath_remove_stale(env.ifl, FASTPATH_DECAP, why,
			     sizeof(why)),
	    0);
	assert_int_equal(our_filter(env.ifl, BPF_TC_INGRESS), id);
	assert_int_equal(fastpath_detach(fp, env.ifl, FASTPATH_DECAP, why,
			     sizeof(why)),
	    0);
	assert_int_equal(our_filter(env.ifl, BPF_TC_INGRESS), 0);
	assert_int_equal(fastpath_detach(fp, env.ifl, FASTPATH_DECAP, why,
			     sizeof(why)),
	    -1);
	/* Closing detaches the rest, and only ours. */
	assert_int_equal(foreign_filter(env.ifi, BPF_TC_INGRESS, 9, 9), 0);
	fastpath_close(fp);
	fp = NULL;
	assert_int_equal(our_encap_filter(env.ifi), 0);
	assert_int_equal(our_filter(env.ifl, BPF_TC_EGRESS), 0);
	assert_true(filter_prog(env.ifi, BPF_TC_INGRESS, 9, 9) != 0);
	detach_filter(env.ifi, BPF_TC_INGRESS, 9, 9);
	assert_int_equal(open_fp(), 0);
}

static void
test_loader_stale_after_crash(void **state)
{
	uint32_t stale, foreign, mine;
	int hold, status;
	pid_t pid;

	(void)state;
	NEED_FP();
	/* A foreign filter beside ours on the same hook. */
	assert_int_equal(foreign_filter(env.ifl, BPF_TC_INGRESS, 5, 5), 0);
	foreign = filter_prog(env.ifl, BPF_TC_INGRESS, 5, 5);
	assert_true(foreign != 0);

	/* A live other instance: its filter is not ours to remove. */
	pid = child_attach(env.ifl, true, &hold);
	stale = our_filter(env.ifl, BPF_TC_INGRESS);
	assert_true(stale != 0);
	assert_int_equal(fastpath_attach(fp, env.ifl, FASTPATH_DECAP, why,
			     sizeof(why)),
	    -1);
	assert_non_null(strstr(why, "running process"));
	assert_int_equal(our_filter(env.ifl, BPF_TC_INGRESS), stale);

	/* It dies without detaching (as after kill -9): the filter stays
	 * attached, and the next attach replaces exactly it. */
	(void)close(hold);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(our_filter(env.ifl, BPF_TC_INGRESS), stale);
	assert_int_equal(fastpath_attach(fp, env.ifl, FASTPATH_DECAP, why,
			     sizeof(why)),
	    0);
	mine = our_filter(env.ifl, BPF_TC_INGRESS);
	assert_true(mine != 0 && mine != stale);
	assert_int_equal(filter_prog(env.ifl, BPF_TC_INGRESS, 5, 5), foreign);
	assert_int_equal(fastpath_detach(fp, env.ifl, FASTPATH_DECAP, why,
			     sizeof(why)),
	    0);

	/* The same after a crash, cleaned by fastpath_remove_stale() alone
	 * (a run that will not use the fast path). */
	pid = child_attach(env.ifl, false, &hold);
	(void)close(hold);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(our_filter(env.ifl, BPF_TC_INGRESS) != 0);
	assert_int_equal(fastpath_remove_stale(env.ifl, FASTPATH_DECAP, why,
			     sizeof(why)),
	    1);
	assert_int_equal(our_filter(env.ifl, BPF_TC_INGRESS), 0);
	assert_int_equal(fastpath_remove_stale(env.ifl, FASTPATH_DECAP, why,
			     sizeof(why)),
	    0);
	assert_int_equal(filter_prog(env.ifl, BPF_TC_INGRESS, 5, 5), foreign);

	/* A foreign filter at our very handle and priority: attach refuses
	 * and says why; the filter stays. */
	assert_int_equal(foreign_filter(env.ifl, BPF_TC_INGRESS,
			     FASTPATH_TC_HANDLE, FASTPATH_TC_PRIO),
	    0);
	foreign = our_filter(env.ifl, BPF_TC_INGRESS);
	assert_int_equal(fastpath_attach(fp, env.ifl, FASTPATH_DECAP, why,
			     sizeof(why)),
	    -1);
	assert_non_null(strstr(why, "foreign"));
	assert_int_equal(fastpath_remove_stale(env.ifl, FASTPATH_DECAP, why,
			     sizeof(why)),
	    0);
	assert_int_equal(our_filter(env.ifl, BPF_TC_INGRESS), foreign);
	/* The foreign filters go (the first one, returning TC_ACT_OK, would
	 * end classification before ours in the tests that follow). */
	detach_filter(env.ifl, BPF_TC_INGRESS, FASTPATH_TC_HANDLE,
	    FASTPATH_TC_PRIO);
	detach_filter(env.ifl, BPF_TC_INGRESS, 5, 5);
}

/* ---- real links: frames sent into one veth end, caught at another ---- */

static int
pkt_sock(int ifindex)
{
	struct sockaddr_ll sll;
	struct timeval tv = { .tv_sec = 0, .tv_usec = 200000 };
	int fd;

	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	assert_true(fd >= 0);
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = ifindex;
	assert_int_equal(bind(fd, (struct sockaddr *)&sll, sizeof(sll)), 0);
	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
			     sizeof(tv)),
	    0);
	return fd;
}

static void
pkt_send(int fd, int ifindex, const uint8_t *frame, size_t len)
{
	struct sockaddr_ll sll;

	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = ifindex;
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, frame, 6);
	assert_int_equal(sendto(fd, frame, len, 0, (struct sockaddr *)&sll,
			     sizeof(sll)),
	    (ssize_t)len);
}

/* True once a frame equal to `want` arrives (within about a second);
 * other traffic on the link is skipped. */
static bool
pkt_expect(int fd, const uint8_t *want, size_t wlen)
{
	uint8_t buf[4096];
	struct sockaddr_ll from;
	socklen_t fl;
	ssize_t n;
	int timeouts = 0, frames = 0;

	while (timeouts < 5 && frames < 100) {
		fl = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
		    &fl);
		if (n < 0) {
			timeouts++;
			continue;
		}
		frames++;
		if (from.sll_pkttype != PACKET_OUTGOING && (size_t)n == wlen &&
		    memcmp(buf, want, wlen) == 0)
			return true;
	}
	return false;
}

/* fpl1 → fpl0 (decap) → fpi0 → fpi1, and back the other way (encap):
 * the redirects deliver the exact frames BPF_PROG_TEST_RUN showed. */
static void
test_live_veth(void **state)
{
	int l1 = (int)if_nametoindex("fpl1"), i1 = (int)if_nametoindex("fpi1");
	uint8_t frame[2048], want[2048];
	struct fastpath_counters before, after;
	struct l2tp_craft c;
	size_t len, inner_off, wlen;
	int sl, si;

	(void)state;
	NEED_FP();
	assert_int_equal(fastpath_attach(fp, env.ifl, FASTPATH_DECAP, why,
			     sizeof(why)),
	    0);
	assert_int_equal(fastpath_attach(fp, env.ifi, FASTPATH_ENCAP, why,
			     sizeof(why)),
	    0);
	sl = pkt_sock(l1);
	si = pkt_sock(i1);
	assert_int_equal(fastpath_session_counters(fp, ENV_OUR_TID, ENV_OUR_SID,
			     &before, why, sizeof(why)),
	    0);

	l2tp_craft_default(&c);
	c.flags = L2TP_F_L | L2TP_F_O;
	c.pad = 1;
	c.ppp = PPP_BOTH;
	c.payload = 1000;
	len = l2tp_frame(frame, &c, &inner_off);
	wlen = expect_decap(want, frame, inner_off, len);
	pkt_send(sl, l1, frame, len);
	assert_true(pkt_expect(si, want, wlen));

	len = intranet_frame(frame, ENV_SESSION, 64, 1000);
	wlen = expect_encap(want, frame, len, PPP_FULL);
	pkt_send(si, i1, frame, len);
	assert_true(pkt_expect(sl, want, wlen));

	assert_int_equal(fastpath_session_counters(fp, ENV_OUR_TID, ENV_OUR_SID,
			     &after, why, sizeof(why)),
	    0);
	assert_int_equal(after.rx_packets, before.rx_packets + 1);
	assert_int_equal(after.tx_packets, before.tx_packets + 1);
	(void)close(sl);
	(void)close(si);
	assert_int_equal(fastpath_detach(fp, env.ifl, FASTPATH_DECAP, why,
			     sizeof(why)),
	    0);
	assert_int_equal(fastpath_detach(fp, env.ifi, FASTPATH_ENCAP, why,
			     sizeof(why)),
	    0);
}

/* One interface facing both sides: vpdn_fp_encap runs first on fpl0's
 * ingress and hands an L2TP datagram, no packet to a session, on down the
 * chain (TC_ACT_UNSPEC), where vpdn_fp_decap still strips it. */
static void
test_live_shared_ingress(void **state)
{
	int l1 = (int)if_nametoindex("fpl1"), i1 = (int)if_nametoindex("fpi1");
	uint8_t frame[2048], want[2048];
	struct l2tp_craft c;
	size_t len, inner_off, wlen;
	uint64_t passed;
	int sl, si;

	(void)state;
	NEED_FP();
	assert_int_equal(fastpath_attach(fp, env.ifl, FASTPATH_DECAP, why,
			     sizeof(why)),
	    0);
	assert_int_equal(fastpath_attach(fp, env.ifl, FASTPATH_ENCAP, why,
			     sizeof(why)),
	    0);
	sl = pkt_sock(l1);
	si = pkt_sock(i1);
	passed = counter(FP_TX_PASS_NO_SESSION);
	l2tp_craft_default(&c);
	c.payload = 300;
	len = l2tp_frame(frame, &c, &inner_off);
	wlen = expect_decap(want, frame, inner_off, len);
	pkt_send(sl, l1, frame, len);
	assert_true(pkt_expect(si, want, wlen));
	assert_true(counter(FP_TX_PASS_NO_SESSION) > passed);
	(void)close(sl);
	(void)close(si);
	assert_int_equal(fastpath_detach(fp, env.ifl, FASTPATH_ENCAP, why,
			     sizeof(why)),
	    0);
	assert_int_equal(fastpath_detach(fp, env.ifl, FASTPATH_DECAP, why,
			     sizeof(why)),
	    0);
}

/* The L3 variant on a TUN's egress: the stack routes the intranet packet
 * to the session's TUN (decrementing TTL itself), the program wraps it,
 * gives it an Ethernet header and sends it out of fpl0. */
static void
test_live_tun_egress(void **state)
{
	int l1 = (int)if_nametoindex("fpl1"), i1 = (int)if_nametoindex("fpi1");
	uint8_t frame[2048], want[2048];
	struct tun t;
	size_t len, wlen;
	int sl, si;

	(void)state;
	NEED_FP();
	assert_int_equal(tun_open(&t, "fptun0"), 0);
	assert_int_equal(tun_set_up(&t), 0);
	assert_int_equal(system("ip route add 10.100.0.5/32 dev fptun0"), 0);
	assert_int_equal(fastpath_attach(fp, t.ifindex, FASTPATH_ENCAP_L3, why,
			     sizeof(why)),
	    0);
	/* Detaching a program from fpl0 does not take fpl0 away as an exit
	 * the daemon allowed (it once did). */
	assert_int_equal(fastpath_attach(fp, env.ifl, FASTPATH_DECAP, why,
			     sizeof(why)),
	    0);
	assert_int_equal(fastpath_detach(fp, env.ifl, FASTPATH_DECAP, why,
			     sizeof(why)),
	    0);
	sl = pkt_sock(l1);
	si = pkt_sock(i1);
	len = intranet_frame(frame, ENV_SESSION, 64, 600);
	wlen = expect_encap(want, frame, len, PPP_FULL);
	pkt_send(si, i1, frame, len);
	assert_true(pkt_expect(sl, want, wlen));
	(void)close(sl);
	(void)close(si);
	assert_int_equal(fastpath_detach(fp, t.ifindex, FASTPATH_ENCAP_L3, why,
			     sizeof(why)),
	    0);
	tun_close(&t);
}

/* A TAP device without offloads: what the kernel sends to it is
 * segmented in software first, and read(2) returns each segment. */
static int
tap_open(const char *name, int *ifindex)
{
	struct ifreq ifr;
	int fd;

	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	assert_true(fd >= 0);
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	(void)snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	assert_int_equal(ioctl(fd, TUNSETIFF, &ifr), 0);
	*ifindex = (int)if_nametoindex(name);
	return fd;
}

/* The TCP or UDP checksum over the pseudo-header (RFC 793 §3.1, RFC
 * 768) of the IPv4 packet at ip (20-octet header): 0 when right. */
static uint16_t
l4_csum(const uint8_t *ip, size_t ip_len)
{
	uint8_t buf[4096];
	size_t tl = ip_len - 20;

	memcpy(buf, ip + 12, 8);
	buf[8] = 0;
	buf[9] = ip[9];
	put16(buf + 10, (uint16_t)tl);
	memcpy(buf + 12, ip + 20, tl);
	if (tl & 1)
		buf[12 + tl++] = 0;
	return ip_csum(buf, 12 + tl);
}

/* An ACK with no option: data offset 5, ACK. */
static void
tcp_flags_ack(uint8_t *tcp)
{
	put32(tcp + 8, 1);
	tcp[12] = 5 << 4;
	tcp[13] = 0x10;
	put16(tcp + 14, 65535);
}

/* TCP GSO: a 64 KB-style aggregate arrives on the intranet side (injected
 * with a virtio-net header, as a virtual NIC hands it over), is wrapped
 * once, and the kernel's UDP-tunnel segmentation cuts it into packets that
 * each carry the whole compact L2TP + PPP header (right only because it
 * has no L or S field), correct outer lengths and checksums, and TCP
 * segments that continue each other — each one no longer than an inner
 * segment was, since the program lowers gso_size by the overhead. */
static void
test_live_tcp_gso(void **state)
{
	enum { PAYLOAD = 8000, MSS = 1000, OVER = 38 };
	int i1 = (int)if_nametoindex("fpi1"), itap, tfd, si, one = 1;
	uint8_t frame[sizeof(struct virtio_net_hdr) + 14 + 40 + PAYLOAD];
	uint8_t seg[4096], *f = frame + sizeof(struct virtio_net_hdr), *ip,
			   *tcp;
	struct virtio_net_hdr *vh = (struct virtio_net_hdr *)frame;
	struct fastpath_session s;
	struct fastpath_counters before, after;
	struct sockaddr_ll sll;
	size_t total = 0, n_segs = 0, i;
	uint32_t seq = 0x10000000;
	ssize_t n;
	int tries;

	(void)state;
	NEED_FP();
	tfd = tap_open("fptap0", &itap);
	assert_int_equal(
	    system(
		"ip addr add 198.51.100.1/24 dev fptap0 && "
		"ip link set fptap0 up && ip neigh replace 198.51.100.2 lladdr "
		"02:00:00:00:05:02 nud permanent dev fptap0"),
	    0);
	assert_int_equal(fastpath_allow_egress(fp, itap, why, sizeof(why)), 0);
	fp_env_session(&s);
	s.peer_addr.s_addr = htonl(0xc6336402); /* 198.51.100.2 */
	s.local_addr.s_addr = htonl(0xc6336401);
	assert_int_equal(fastpath_session_update(fp, &s, why, sizeof(why)), 0);
	assert_int_equal(fastpath_attach(fp, env.ifi, FASTPATH_ENCAP, why,
			     sizeof(why)),
	    0);

	/* Host 10.9.0.2:5000 → session 10.100.0.5:6000, ACK|PSH, PAYLOAD
	 * bytes in one aggregate of MSS-byte segments. */
	memset(frame, 0, sizeof(frame));
	eth_hdr(f, env_mac_i0, env_mac_host);
	ip = f + 14;
	ip_hdr(ip, 40 + PAYLOAD, 64, 6, ENV_HOST, ENV_SESSION, 0x4000);
	tcp = ip + 20;
	put16(tcp, 5000);
	put16(tcp + 2, 6000);
	put32(tcp + 4, seq);
	put32(tcp + 8, 1);
	tcp[12] = 5 << 4;
	tcp[13] = 0x18;
	put16(tcp + 14, 65535);
	for (i = 0; i < PAYLOAD; i++)
		tcp[20 + i] = (uint8_t)(i * 13 + 5);
	/* CHECKSUM_PARTIAL: the field holds the pseudo-header sum. */
	{
		uint8_t ph[12];

		memcpy(ph, ip + 12, 8);
		ph[8] = 0;
		ph[9] = 6;
		put16(ph + 10, 20 + PAYLOAD);
		put16(tcp + 16, (uint16_t)~ip_csum(ph, 12));
	}
	vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh->gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	vh->hdr_len = 14 + 40;
	vh->gso_size = MSS;
	vh->csum_start = 14 + 20;
	vh->csum_offset = 16;

	assert_int_equal(fastpath_session_counters(fp, ENV_OUR_TID, ENV_OUR_SID,
			     &before, why, sizeof(why)),
	    0);
	si = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	assert_true(si >= 0);
	assert_int_equal(setsockopt(si, SOL_PACKET, PACKET_VNET_HDR, &one,
			     sizeof(one)),
	    0);
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = i1;
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, env_mac_i0, 6);
	assert_int_equal(sendto(si, frame, sizeof(frame), 0,
			     (struct sockaddr *)&sll, sizeof(sll)),
	    (ssize_t)sizeof(frame));

	for (tries = 0; tries < 100 && total < PAYLOAD;) {
		const uint8_t *o, *in;
		size_t ilen;

		n = read(tfd, seg, sizeof(seg));
		if (n < 0) {
			tries++;
			(void)usleep(10000);
			continue;
		}
		if (n < 14 || seg[12] != 0x08 || seg[13] != 0x00 ||
		    seg[14 + 9] != 17)
			continue; /* ARP, or anything else on the TAP */
		n_segs++;
		o = seg + 14;
		assert_true((size_t)n - 14 <= 1500);
		assert_int_equal(14 + (o[2] << 8 | o[3]), n);
		assert_int_equal(ip_csum(o, 20), 0);
		assert_int_equal(o[20 + 4] << 8 | o[20 + 5], n - 14 - 20);
		assert_int_equal(o[20 + 6] << 8 | o[20 + 7], 0);
		assert_int_equal(o[28] << 8 | o[29], 0x0002);
		assert_int_equal(o[30] << 8 | o[31], ENV_PEER_TID);
		assert_int_equal(o[32] << 8 | o[33], ENV_PEER_SID);
		assert_memory_equal(o + 34, "\xff\x03\x00\x21", 4);
		in = o + OVER;
		ilen = (size_t)n - 14 - OVER;
		assert_int_equal(in[2] << 8 | in[3], ilen);
		assert_int_equal(ip_csum(in, 20), 0);
		assert_int_equal(in[8], 63);
		assert_true(ilen - 40 <= MSS - OVER);
		assert_int_equal((uint32_t)(in[24] << 24 | in[25] << 16 |
				     in[26] << 8 | in[27]),
		    seq + (uint32_t)total);
		assert_int_equal(l4_csum(in, ilen), 0);
		for (i = 0; i < ilen - 40; i++)
			assert_int_equal(in[40 + i],
			    (uint8_t)((total + i) * 13 + 5));
		total += ilen - 40;
	}
	assert_int_equal(total, PAYLOAD);
	assert_true(n_segs >= PAYLOAD / (MSS - OVER));
	/* The session counts the packets that left, not the one aggregate,
	 * and their inner bytes (IP and TCP header in each), as the user
	 * path would have counted them. */
	assert_int_equal(fastpath_session_counters(fp, ENV_OUR_TID, ENV_OUR_SID,
			     &after, why, sizeof(why)),
	    0);
	assert_int_equal(after.tx_packets - before.tx_packets, n_segs);
	assert_int_equal(after.tx_bytes - before.tx_bytes, total + 40 * n_segs);
	(void)close(si);
	assert_int_equal(fastpath_detach(fp, env.ifi, FASTPATH_ENCAP, why,
			     sizeof(why)),
	    0);
	fp_env_session(&s);
	assert_int_equal(fastpath_session_update(fp, &s, why, sizeof(why)), 0);
	(void)close(tfd);
}

/* A CHECKSUM_PARTIAL segment (as a same-host or veth sender hands it
 * over: only the pseudo-header sum in the field), TCP and UDP, not GSO:
 * it leaves encapsulated through a veth, which finishes nothing, with its
 * inner checksum complete, as a peer reading a UDP socket needs it. */
static void
test_live_partial_checksum(void **state)
{
	enum { PAYLOAD = 700, OVER = 38 };
	int i1 = (int)if_nametoindex("fpi1"), l1 = (int)if_nametoindex("fpl1");
	uint8_t frame[sizeof(struct virtio_net_hdr) + 14 + 40 + PAYLOAD];
	uint8_t buf[4096], *f = frame + sizeof(struct virtio_net_hdr), *ip, *l4;
	struct virtio_net_hdr *vh = (struct virtio_net_hdr *)frame;
	struct sockaddr_ll sll, from;
	socklen_t fl;
	int si, sl, one = 1, proto, frames;
	size_t l4len, flen, i;
	uint64_t done;
	ssize_t n;
	bool seen;

	(void)state;
	NEED_FP();
	assert_int_equal(fastpath_attach(fp, env.ifi, FASTPATH_ENCAP, why,
			     sizeof(why)),
	    0);
	si = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	assert_true(si >= 0);
	assert_int_equal(setsockopt(si, SOL_PACKET, PACKET_VNET_HDR, &one,
			     sizeof(one)),
	    0);
	sl = pkt_sock(l1);
	for (proto = 6; proto <= 17; proto += 11) {
		uint8_t ph[12];

		l4len = (proto == 6 ? 20 : 8) + PAYLOAD;
		flen = sizeof(*vh) + 14 + 20 + l4len;
		memset(frame, 0, sizeof(frame));
		eth_hdr(f, env_mac_i0, env_mac_host);
		ip = f + 14;
		ip_hdr(ip, 20 + l4len, 64, (uint8_t)proto, ENV_HOST,
		    ENV_SESSION, 0x4000);
		l4 = ip + 20;
		put16(l4, 5000);
		put16(l4 + 2, 6000);
		if (proto == 6) {
			put32(l4 + 4, 0x1000);
			tcp_flags_ack(l4);
		} else {
			put16(l4 + 4, (uint16_t)l4len);
		}
		for (i = 0; i < PAYLOAD; i++)
			l4[l4len - PAYLOAD + i] = (uint8_t)(i * 7 + 3);
		/* The field holds the folded pseudo-header sum. */
		memcpy(ph, ip + 12, 8);
		ph[8] = 0;
		ph[9] = (uint8_t)proto;
		put16(ph + 10, (uint16_t)l4len);
		put16(l4 + (proto == 6 ? 16 : 6), (uint16_t)~ip_csum(ph, 12));
		vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		vh->gso_type = VIRTIO_NET_HDR_GSO_NONE;
		vh->csum_start = 14 + 20;
		vh->csum_offset = proto == 6 ? 16 : 6;
		memset(&sll, 0, sizeof(sll));
		sll.sll_family = AF_PACKET;
		sll.sll_ifindex = i1;
		sll.sll_halen = 6;
		memcpy(sll.sll_addr, env_mac_i0, 6);
		done = counter(FP_TX_CSUM_DONE);
		assert_int_equal(sendto(si, frame, flen, 0,
				     (struct sockaddr *)&sll, sizeof(sll)),
		    (ssize_t)flen);
		seen = false;
		for (frames = 0; !seen && frames < 20; frames++) {
			const uint8_t *in;

			fl = sizeof(from);
			n = recvfrom(sl, buf, sizeof(buf), 0,
			    (struct sockaddr *)&from, &fl);
			if (n < 0)
				break;
			if (from.sll_pkttype == PACKET_OUTGOING ||
			    (size_t)n != 14 + OVER + 20 + l4len ||
			    buf[14 + 9] != 17)
				continue;
			in = buf + 14 + OVER;
			assert_int_equal(in[9], proto);
			assert_int_equal(ip_csum(in, 20), 0);
			assert_int_equal(l4_csum(in, 20 + l4len), 0);
			for (i = 0; i < PAYLOAD; i++)
				assert_int_equal(in[20 + l4len - PAYLOAD + i],
				    (uint8_t)(i * 7 + 3));
			seen = true;
		}
		assert_true(seen);
		assert_int_equal(counter(FP_TX_CSUM_DONE), done + 1);
	}
	(void)close(si);
	(void)close(sl);
	assert_int_equal(fastpath_detach(fp, env.ifi, FASTPATH_ENCAP, why,
			     sizeof(why)),
	    0);
}

/* ---- IPv6 (PPP 0x0057, RFC 5072) ---- */

static void
addr6(uint8_t a[16], const uint8_t pfx[16], uint8_t b7, uint8_t last)
{
	memcpy(a, pfx, 16);
	a[7] |= b7;
	a[15] = last;
}

static void
session6(struct fastpath_session *s, bool deleg, uint16_t mtu6)
{
	fp_env_session6(s, deleg, mtu6);
	assert_int_equal(fastpath_session_update(fp, s, why, sizeof(why)), 0);
}

static void
decap6_ok(enum ppp_form f, const uint8_t src[16], const uint8_t dst[16])
{
	uint8_t frame[2048], want[2048];
	size_t len, ioff, ilen;
	struct fastpath_counters before, after;
	struct run r;
	uint64_t n = counter(FP_RX_DECAP6);

	len = frame6(frame, f, ENV_OUR_SID, src, dst, 64, 100, &ioff);
	ilen = len - ioff;
	/* Forwarded out of fpi0: hop limit one less (RFC 8200 §3). */
	eth_hdr(want, env_mac_host, env_mac_i0);
	put16(want + 12, 0x86dd);
	memcpy(want + 14, frame + ioff, ilen);
	want[14 + 7]--;
	assert_int_equal(fastpath_session_counters(fp, ENV_OUR_TID, ENV_OUR_SID,
			     &before, why, sizeof(why)),
	    0);
	assert_int_equal(run(FASTPATH_DECAP, env.ifl, frame, len, &r), 0);
	assert_int_equal(r.retval, TC_ACT_REDIRECT);
	assert_int_equal(r.out_len, 14 + ilen);
	assert_memory_equal(r.out, want, 14 + ilen);
	assert_int_equal(counter(FP_RX_DECAP6), n + 1);
	assert_int_equal(fastpath_session_counters(fp, ENV_OUR_TID, ENV_OUR_SID,
			     &after, why, sizeof(why)),
	    0);
	assert_int_equal(after.rx_packets, before.rx_packets + 1);
	assert_int_equal(after.rx_bytes, before.rx_bytes + ilen);
}

static void
pass6(const uint8_t src[16], const uint8_t dst[16], uint8_t hop, uint16_t sid,
    enum fp_counter c)
{
	uint8_t frame[2048];
	size_t len, ioff;

	len = frame6(frame, PPP_FULL, sid, src, dst, hop, 100, &ioff);
	assert_pass(FASTPATH_DECAP, env.ifl, frame, len, c);
}

static void
test_ipv6_decap(void **state)
{
	struct fastpath_session s;
	uint8_t src[16], dst[16], frame[2048];
	size_t len, ioff, cut;
	int f;

	(void)state;
	NEED_FP();
	assert_int_equal(fp_env_ipv6(), 0);
	session6(&s, true, 1500);
	addr6(src, s6_prefix, 0, 0x42);
	memcpy(dst, s6_host, 16);
	/* From its /64, in every PPP header form. */
	for (f = PPP_FULL; f <= PPP_BOTH; f++)
		decap6_ok((enum ppp_form)f, src, dst);
	/* From its delegated prefix (a /64 inside the /56). */
	addr6(src, s6_deleg, 0x7, 0x01);
	decap6_ok(PPP_FULL, src, dst);
	/* Anti-spoofing: the next /64, outside the /56: to the user path,
	 * which drops and counts them (lns6_stats.rx_spoofed). */
	addr6(src, s6_prefix, 0x01, 0x42);
	src[7] = 0x06;
	pass6(src, dst, 64, ENV_OUR_SID, FP_RX_PASS_WRONG_SRC6);
	addr6(src, s6_deleg, 0, 1);
	src[6] = 0x01; /* 2001:db8:200:100::1, outside the /56 */
	pass6(src, dst, 64, ENV_OUR_SID, FP_RX_PASS_WRONG_SRC6);
	/* The LNS's own: link-local (RS, ND) and multicast (DHCPv6's
	 * ff02::1:2, a global-scope group) destinations. */
	addr6(src, s6_prefix, 0, 0x42);
	memset(dst, 0, 16);
	dst[0] = 0xfe;
	dst[1] = 0x80;
	dst[15] = 1;
	pass6(src, dst, 255, ENV_OUR_SID, FP_RX_PASS_LINK6);
	memset(dst, 0, 16);
	dst[0] = 0xff;
	dst[1] = 0x02;
	dst[13] = 1;
	dst[15] = 2;
	pass6(src, dst, 1, ENV_OUR_SID, FP_RX_PASS_LINK6);
	dst[1] = 0x0e;
	pass6(src, dst, 64, ENV_OUR_SID, FP_RX_PASS_LINK6);
	/* Hop limit 1 expires here: Time Exceeded from the stack. */
	memcpy(dst, s6_host, 16);
	pass6(src, dst, 1, ENV_OUR_SID, FP_RX_PASS_INNER6);
	/* An unknown session. */
	pass6(src, dst, 64, ENV_OUR_SID + 1, FP_RX_PASS_NO_SESSION);
	/* No route (2001:db8:ffff::1). */
	memset(dst, 0, 16);
	dst[0] = 0x20;
	dst[1] = 0x01;
	dst[2] = 0x0d;
	dst[3] = 0xb8;
	dst[4] = dst[5] = 0xff;
	dst[15] = 1;
	pass6(src, dst, 64, ENV_OUR_SID, FP_RX_PASS_ROUTE);
	/* Truncated inside the IPv6 header and payload (the outer lengths
	 * kept consistent), and a payload length that lies. */
	memcpy(dst, s6_host, 16);
	for (cut = 1; cut < 48 + 100; cut += 7) {
		len = frame6(frame, PPP_FULL, ENV_OUR_SID, src, dst, 64, 100,
		    &ioff);
		len -= cut;
		put16(frame + 38, (uint16_t)(len - 34));
		put16(frame + 14 + 2, (uint16_t)(len - 14));
		put16(frame + 14 + 10, 0);
		put16(frame + 14 + 10, ip_csum(frame + 14, 20));
		assert_pass(FASTPATH_DECAP, env.ifl, frame, len,
		    FP_RX_PASS_INNER6);
	}
	len = frame6(frame, PPP_FULL, ENV_OUR_SID, src, dst, 64, 100, &ioff);
	frame[ioff] = 0x40; /* version 4 under protocol 0x0057 */
	assert_pass(FASTPATH_DECAP, env.ifl, frame, len, FP_RX_PASS_INNER6);
	/* Without IPv6 in the fast path: the user path's, as before. */
	fp_env_session(&s);
	assert_int_equal(fastpath_session_update(fp, &s, why, sizeof(why)), 0);
	pass6(src, dst, 64, ENV_OUR_SID, FP_RX_PASS_PPP);
	/* The delegated prefix gone (DHCPv6 release): its sources with it. */
	session6(&s, false, 1500);
	addr6(src, s6_deleg, 0x7, 0x01);
	pass6(src, dst, 64, ENV_OUR_SID, FP_RX_PASS_WRONG_SRC6);
	fp_env_session(&s);
	assert_int_equal(fastpath_session_update(fp, &s, why, sizeof(why)), 0);
}

/* An IPv6 packet from the intranet host to dst, as fpi0 receives it. */
static size_t
intranet6(uint8_t *buf, const uint8_t dst[16], uint8_t hop, size_t payload)
{
	eth_hdr(buf, env_mac_i0, env_mac_host);
	put16(buf + 12, 0x86dd);
	return 14 + inner6(buf + 14, s6_host, dst, hop, payload);
}

static void
encap6_ok(enum ppp_form form, const uint8_t dst[16], size_t payload)
{
	uint8_t frame[2048], want[2048];
	struct fastpath_counters before, after;
	struct run r;
	size_t len, ilen, off = 14 + 20 + 8, total;
	uint64_t n = counter(FP_TX_ENCAP6);

	len = intranet6(frame, dst, 64, payload);
	ilen = len - 14;
	eth_hdr(want, env_mac_peer, env_mac_l0);
	put16(want + off, 0x0002);
	put16(want + off + 2, ENV_PEER_TID);
	put16(want + off + 4, ENV_PEER_SID);
	off += 6;
	off += ppp_hdr(want + off, form, 0x0057);
	memcpy(want + off, frame + 14, ilen);
	want[off + 7]--;
	total = off + ilen;
	memset(want + 14, 0, 20);
	want[14] = 0x45;
	put16(want + 16, (uint16_t)(total - 14));
	put16(want + 20, 0x4000);
	want[22] = 64;
	want[23] = 17;
	put32(want + 26, ENV_LOCAL);
	put32(want + 30, ENV_PEER);
	put16(want + 24, ip_csum(want + 14, 20));
	put16(want + 34, ENV_PORT);
	put16(want + 36, ENV_PORT);
	put16(want + 38, (uint16_t)(total - 34));
	put16(want + 40, 0);
	assert_int_equal(fastpath_session_counters(fp, ENV_OUR_TID, ENV_OUR_SID,
			     &before, why, sizeof(why)),
	    0);
	assert_int_equal(run(FASTPATH_ENCAP, env.ifi, frame, len, &r), 0);
	assert_int_equal(r.retval, TC_ACT_REDIRECT);
	assert_int_equal(r.out_len, total);
	assert_memory_equal(r.out, want, total);
	assert_int_equal(counter(FP_TX_ENCAP6), n + 1);
	assert_int_equal(fastpath_session_counters(fp, ENV_OUR_TID, ENV_OUR_SID,
			     &after, why, sizeof(why)),
	    0);
	assert_int_equal(after.tx_packets, before.tx_packets + 1);
	assert_int_equal(after.tx_bytes, before.tx_bytes + ilen);
}

static void
test_ipv6_encap(void **state)
{
	struct fastpath_session s;
	uint8_t dst[16], frame[2048];
	size_t len;
	int f;

	(void)state;
	NEED_FP();
	assert_int_equal(fp_env_ipv6(), 0);
	for (f = PPP_FULL; f <= PPP_BOTH; f++) {
		fp_env_session(&s);
		s.tx_acfc = f == PPP_ACFC_ONLY || f == PPP_BOTH;
		s.tx_pfc = f == PPP_PFC_ONLY || f == PPP_BOTH;
		s.ipv6 = true;
		memcpy(s.prefix6, s6_prefix, 16);
		s.mtu6 = 1400;
		assert_int_equal(fastpath_session_update(fp, &s, why,
				     sizeof(why)),
		    0);
		addr6(dst, s6_prefix, 0, 0x42);
		encap6_ok((enum ppp_form)f, dst, 100);
	}
	session6(&s, true, 1400);
	/* By its /64 and by its delegated prefix. */
	addr6(dst, s6_prefix, 0, 0x42);
	encap6_ok(PPP_FULL, dst, 100);
	addr6(dst, s6_deleg, 0x9, 0x01);
	encap6_ok(PPP_FULL, dst, 100);
	/* At the session's MTU (the TUN's) carried; one more octet goes to
	 * the stack, whose route into the TUN sends Packet Too Big (RFC
	 * 4443 §3.2). */
	addr6(dst, s6_prefix, 0, 0x42);
	encap6_ok(PPP_FULL, dst, 1400 - 48);
	len = intranet6(frame, dst, 64, 1400 - 48 + 1);
	assert_pass(FASTPATH_ENCAP, env.ifi, frame, len, FP_TX_PASS_TOO_BIG);
	/* Too big for fpl0 once wrapped (no session MTU). */
	session6(&s, true, 0);
	len = intranet6(frame, dst, 64, 1500 - 38 - 48 + 1);
	assert_pass(FASTPATH_ENCAP, env.ifi, frame, len, FP_TX_PASS_TOO_BIG);
	session6(&s, true, 1400);
	/* Hop limit 1 expires at the LNS. */
	len = intranet6(frame, dst, 1, 100);
	assert_pass(FASTPATH_ENCAP, env.ifi, frame, len, FP_TX_PASS_INNER);
	/* Outside its prefixes: the stack's (the user path finds none). */
	addr6(dst, s6_prefix, 0, 0x42);
	dst[7] = 0x06;
	len = intranet6(frame, dst, 64, 100);
	assert_pass(FASTPATH_ENCAP, env.ifi, frame, len,
	    FP_TX_PASS_NO_SESSION6);
	/* Truncated after the IPv6 header at every octet (the kernel's
	 * test runner takes no less than a whole header), trailing octets,
	 * and an IPv4 packet under the IPv6 EtherType. */
	addr6(dst, s6_prefix, 0, 0x42);
	for (len = 14 + 40; len < 14 + 48 + 100; len++) {
		(void)intranet6(frame, dst, 64, 100);
		assert_pass(FASTPATH_ENCAP, env.ifi, frame, len,
		    FP_TX_PASS_INNER);
	}
	len = intranet6(frame, dst, 64, 100);
	assert_pass(FASTPATH_ENCAP, env.ifi, frame, len + 2, FP_TX_PASS_INNER);
	frame[14] = 0x45;
	assert_pass(FASTPATH_ENCAP, env.ifi, frame, len, FP_TX_PASS_NOT_IP);
	/* The delegated prefix withdrawn: no longer carried; the /64 is. */
	session6(&s, false, 1400);
	addr6(dst, s6_deleg, 0x9, 0x01);
	len = intranet6(frame, dst, 64, 100);
	assert_pass(FASTPATH_ENCAP, env.ifi, frame, len,
	    FP_TX_PASS_NO_SESSION6);
	addr6(dst, s6_prefix, 0, 0x42);
	encap6_ok(PPP_FULL, dst, 100);
	/* IPv6 out of the fast path (IPv6CP down): nothing carried. */
	fp_env_session(&s);
	assert_int_equal(fastpath_session_update(fp, &s, why, sizeof(why)), 0);
	len = intranet6(frame, dst, 64, 100);
	assert_pass(FASTPATH_ENCAP, env.ifi, frame, len,
	    FP_TX_PASS_NO_SESSION6);
}

/* The rate plan polices IPv6 too, from the same buckets as IPv4 (decap6,
 * encap6; bpf/policer.h): as test_police, 1 B/s with a 1000-byte bucket
 * each way, an IPv6 packet of 128 octets passes 7 times, then is dropped
 * and counted per session; no plan, no policing. */
static void
test_ipv6_police(void **state)
{
	struct fastpath_session s;
	struct fastpath_counters k0, k;
	uint8_t src[16], dst[16], frame[2048];
	size_t len, ioff;
	struct run r;
	unsigned pass = 0, drop = 0;

	(void)state;
	NEED_FP();
	assert_int_equal(fp_env_ipv6(), 0);
	fp_env_session6(&s, true, 1500);
	s.police_down_bps = s.police_up_bps = 8;
	s.police_down_burst = s.police_up_burst = 1000;
	assert_int_equal(fastpath_session_update(fp, &s, why, sizeof(why)), 0);
	assert_int_equal(fastpath_session_counters(fp, ENV_OUR_TID, ENV_OUR_SID,
			     &k0, why, sizeof(why)),
	    0);

	/* Upstream: decap6. */
	addr6(src, s6_prefix, 0, 0x42);
	memcpy(dst, s6_host, 16);
	len = frame6(frame, PPP_FULL, ENV_OUR_SID, src, dst, 64, 128 - 48,
	    &ioff);
	assert_int_equal(len - ioff, 128);
	for (int i = 0; i < 10; i++) {
		assert_int_equal(run(FASTPATH_DECAP, env.ifl, frame, len, &r),
		    0);
		if (r.retval == TC_ACT_REDIRECT)
			pass++;
		else if (r.retval == TC_ACT_SHOT)
			drop++;
	}
	assert_int_equal(pass, 7);
	assert_int_equal(drop, 3);
	assert_int_equal(fastpath_session_counters(fp, ENV_OUR_TID, ENV_OUR_SID,
			     &k, why, sizeof(why)),
	    0);
	assert_int_equal(k.police_up_drop_packets,
	    k0.police_up_drop_packets + 3);
	assert_int_equal(k.police_up_drop_bytes,
	    k0.police_up_drop_bytes + 3 * 128);
	assert_int_equal(k.police_down_drop_packets,
	    k0.police_down_drop_packets);
	assert_int_equal(k.rx_packets, k0.rx_packets + 7);

	/* Downstream: encap6, from its own full bucket. */
	addr6(dst, s6_prefix, 0, 0x42);
	len = intranet6(frame, dst, 64, 128 - 48);
	assert_int_equal(len - 14, 128);
	pass = drop = 0;
	for (int i = 0; i < 10; i++) {
		assert_int_equal(run(FASTPATH_ENCAP, env.ifi, frame, len, &r),
		    0);
		if (r.retval == TC_ACT_REDIRECT)
			pass++;
		else if (r.retval == TC_ACT_SHOT)
			drop++;
	}
	assert_int_equal(pass, 7);
	assert_int_equal(drop, 3);
	assert_int_equal(fastpath_session_counters(fp, ENV_OUR_TID, ENV_OUR_SID,
			     &k, why, sizeof(why)),
	    0);
	assert_int_equal(k.police_down_drop_packets,
	    k0.police_down_drop_packets + 3);
	assert_int_equal(k.police_down_drop_bytes,
	    k0.police_down_drop_bytes + 3 * 128);
	assert_int_equal(k.tx_packets, k0.tx_packets + 7);

	/* No plan: carried again. */
	session6(&s, true, 1500);
	encap6_ok(PPP_FULL, dst, 100);
	addr6(src, s6_prefix, 0, 0x42);
	memcpy(dst, s6_host, 16);
	decap6_ok(PPP_FULL, src, dst);
	fp_env_session(&s);
	assert_int_equal(fastpath_session_update(fp, &s, why, sizeof(why)), 0);
}

/* Removing a session takes its IPv6 entries with it, delegated prefix
 * included, and adding one with IPv6 puts them in. */
static void
test_ipv6_session_remove(void **state)
{
	struct fastpath_session s;
	uint8_t dst[16], frame[2048];
	size_t len;

	(void)state;
	NEED_FP();
	assert_int_equal(fp_env_ipv6(), 0);
	session6(&s, true, 1400);
	assert_int_equal(fastpath_session_remove(fp, &s, NULL, why,
			     sizeof(why)),
	    0);
	addr6(dst, s6_deleg, 0x9, 0x01);
	len = intranet6(frame, dst, 64, 100);
	assert_pass(FASTPATH_ENCAP, env.ifi, frame, len,
	    FP_TX_PASS_NO_SESSION6);
	addr6(dst, s6_prefix, 0, 0x42);
	len = intranet6(frame, dst, 64, 100);
	assert_pass(FASTPATH_ENCAP, env.ifi, frame, len,
	    FP_TX_PASS_NO_SESSION6);
	assert_int_equal(fastpath_session_add(fp, &s, why, sizeof(why)), 0);
	encap6_ok(PPP_FULL, dst, 100);
	addr6(dst, s6_deleg, 0x9, 0x01);
	encap6_ok(PPP_FULL, dst, 100);
	fp_env_session(&s);
	assert_int_equal(fastpath_session_update(fp, &s, why, sizeof(why)), 0);
}

/* ---- a client session (FP_RX_CLI, fp_cli_tx) ---- */

/* The client's session beside the LNS's: our IDs differ in the session
 * ID; its address is the one IPCP gave it. */
#define CLI_SID	 (ENV_OUR_SID + 1)
#define CLI_ADDR 0x0a640006u /* 10.100.0.6 */
#define CLI_DST	 0x0a4d0707u /* 10.77.7.7: anywhere it talks to */

static void
client_session(struct fastpath_session *s, int tun_ifindex)
{
	fp_env_session(s);
	s->our_session_id = CLI_SID;
	s->inner_addr.s_addr = htonl(CLI_ADDR);
	s->client_ifindex = tun_ifindex;
}

static void
client_craft(struct l2tp_craft *c)
{
	l2tp_craft_default(c);
	c->sid = CLI_SID;
	c->isrc = CLI_DST;
	c->idst = CLI_ADDR;
}

/* Received data of a client session: delivered into its TUN as the inner
 * packet exactly as it came (for this host: no routing, so no TTL change,
 * TTL 1 included), from any source, in every PPP header form; anything
 * not for its own address, not IPv4, or failing the LNS path's header
 * checks goes to the stack untouched, counted. */
static void
test_client_decap(void **state)
{
	struct fastpath_session s;
	struct fastpath_counters before, after;
	struct l2tp_craft c;
	uint8_t frame[2048];
	size_t len, inner_off;
	struct run r;
	uint64_t n;
	int f;

	(void)state;
	NEED_FP();
	/* The redirect's target is not checked by the test run: any
	 * interface stands for the TUN here (test_live_client_tun has a
	 * real one). */
	client_session(&s, env.ifi);
	assert_int_equal(fastpath_session_add(fp, &s, why, sizeof(why)), 0);
	for (f = PPP_FULL; f <= PPP_BOTH; f++) {
		client_craft(&c);
		c.ppp = (enum ppp_form)f;
		c.ttl = (uint8_t)(f == PPP_FULL ? 1 : 64);
		len = l2tp_frame(frame, &c, &inner_off);
		n = counter(FP_RX_DECAP_CLIENT);
		assert_int_equal(fastpath_session_counters(fp, ENV_OUR_TID,
				     CLI_SID, &before, why, sizeof(why)),
		    0);
		assert_int_equal(run(FASTPATH_DECAP, env.ifl, frame, len, &r),
		    0);
		assert_int_equal(r.retval, TC_ACT_REDIRECT);
		assert_int_equal(r.out_len, 14 + len - inner_off);
		assert_memory_equal(r.out, frame, 14);
		assert_memory_equal(r.out + 14, frame + inner_off,
		    len - inner_off);
		assert_int_equal(counter(FP_RX_DECAP_CLIENT), n + 1);
		assert_int_equal(fastpath_session_counters(fp, ENV_OUR_TID,
				     CLI_SID, &after, why, sizeof(why)),
		    0);
		assert_int_equal(after.rx_packets, before.rx_packets + 1);
		assert_int_equal(after.rx_bytes,
		    before.rx_bytes + (len - inner_off));
	}
	/* Not to its own address: the stack's to route or refuse. */
	client_craft(&c);
	c.idst = CLI_ADDR + 1;
	pass_craft(&c, FP_RX_PASS_WRONG_DST);
	/* IPv6 (RFC 5072) of a client stays on the user path. */
	client_craft(&c);
	c.proto = 0x0057;
	pass_craft(&c, FP_RX_PASS_PPP);
	/* The LNS path's checks hold: peer, sequencing, inner header. */
	client_craft(&c);
	c.osrc = ENV_PEER + 1;
	pass_craft(&c, FP_RX_PASS_WRONG_PEER);
	client_craft(&c);
	c.flags = L2TP_F_S;
	pass_craft(&c, FP_RX_PASS_SEQ);
	client_craft(&c);
	len = l2tp_frame(frame, &c, &inner_off);
	frame[inner_off + 10] ^= 0x40;
	assert_pass(FASTPATH_DECAP, env.ifl, frame, len, FP_RX_PASS_INNER);
	/* Out of the maps with what it carried; then no session. */
	assert_int_equal(fastpath_session_remove(fp, &s, &after, why,
			     sizeof(why)),
	    0);
	assert_int_equal(after.rx_packets, PPP_BOTH - PPP_FULL + 1);
	client_craft(&c);
	pass_craft(&c, FP_RX_PASS_NO_SESSION);
}

/* A client's TUN on a live link: what the stack routes into the TUN,
 * whatever its destination, leaves fpl0 as the session's L2TP data (the
 * same frame the LNS's TUN program sends), and the LNS's data for the
 * session arrives on the TUN as its inner packet; the TUN's filter is the
 * client program, which takes nothing from a TUN without a session. */
static void
test_live_client_tun(void **state)
{
	int l1 = (int)if_nametoindex("fpl1"), i1 = (int)if_nametoindex("fpi1");
	struct fastpath_session s;
	struct fastpath_counters fin;
	struct l2tp_craft c;
	uint8_t frame[2048], want[2048];
	struct tun t;
	size_t len, wlen, inner_off;
	int sl, si, st;

	(void)state;
	NEED_FP();
	assert_int_equal(tun_open(&t, "fptun1"), 0);
	assert_int_equal(tun_set_up(&t), 0);
	assert_int_equal(system("ip route add 10.77.7.7/32 dev fptun1"), 0);
	client_session(&s, t.ifindex);
	assert_int_equal(fastpath_session_add(fp, &s, why, sizeof(why)), 0);
	assert_int_equal(fastpath_attach(fp, t.ifindex, FASTPATH_CLI_ENC, why,
			     sizeof(why)),
	    0);
	assert_int_equal(fastpath_attach(fp, env.ifl, FASTPATH_DECAP, why,
			     sizeof(why)),
	    0);
	sl = pkt_sock(l1);
	si = pkt_sock(i1);
	st = pkt_sock(t.ifindex);
	/* Upstream: forwarded into the TUN by the stack (TTL 63 then). */
	len = intranet_frame(frame, CLI_DST, 64, 600);
	wlen = expect_encap(want, frame, len, PPP_FULL);
	pkt_send(si, i1, frame, len);
	assert_true(pkt_expect(sl, want, wlen));
	/* Downstream: into the TUN, no link header, unchanged. */
	client_craft(&c);
	c.payload = 700;
	len = l2tp_frame(frame, &c, &inner_off);
	pkt_send(sl, l1, frame, len);
	assert_true(pkt_expect(st, frame + inner_off, len - inner_off));
	assert_int_equal(fastpath_session_remove(fp, &s, &fin, why,
			     sizeof(why)),
	    0);
	/* The stack may answer the delivered packet (this namespace does
	 * not own 10.100.0.6), and its answer to 10.77.7.7 is the TUN's too. */
	assert_true(fin.tx_packets >= 1);
	assert_int_equal(fin.rx_packets, 1);
	/* Without its session the TUN's traffic is the stack's again. */
	len = intranet_frame(frame, CLI_DST, 64, 600);
	pkt_send(si, i1, frame, len);
	assert_false(pkt_expect(sl, want, wlen));
	(void)close(sl);
	(void)close(si);
	(void)close(st);
	assert_int_equal(fastpath_detach(fp, t.ifindex, FASTPATH_CLI_ENC, why,
			     sizeof(why)),
	    0);
	assert_int_equal(fastpath_detach(fp, env.ifl, FASTPATH_DECAP, why,
			     sizeof(why)),
	    0);
	tun_close(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decap_header_variants),
		cmocka_unit_test(test_decap_passes),
		cmocka_unit_test(test_decap_ppp_forms_not_allowed),
		cmocka_unit_test(test_decap_malformed_outer),
		cmocka_unit_test(test_decap_truncated_every_byte),
		cmocka_unit_test(test_decap_gso_passes),
		cmocka_unit_test(test_decap_gso_tcp_checks),
		cmocka_unit_test(test_encap_ppp_forms),
		cmocka_unit_test(test_encap_passes),
		cmocka_unit_test(test_police),
		cmocka_unit_test(test_session_life_cycle),
		cmocka_unit_test(test_loader_attach_detach),
		cmocka_unit_test(test_loader_stale_after_crash),
		cmocka_unit_test(test_live_veth),
		cmocka_unit_test(test_live_shared_ingress),
		cmocka_unit_test(test_live_tun_egress),
		cmocka_unit_test(test_live_tcp_gso),
		cmocka_unit_test(test_live_partial_checksum),
		cmocka_unit_test(test_ipv6_decap),
		cmocka_unit_test(test_ipv6_encap),
		cmocka_unit_test(test_ipv6_police),
		cmocka_unit_test(test_ipv6_session_remove),
		cmocka_unit_test(test_client_decap),
		cmocka_unit_test(test_live_client_tun),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
