/*
 * test_bpf_lac_fastpath.c — the LAC's kernel fast path program
 * (vpdn_lac_fp) run on crafted frames with BPF_PROG_TEST_RUN, and its
 * loader on veth links, in a network namespace of the test's own
 * (fastpath_env.h):
 *
 *   fpi0  the access interface: our MAC 02:00:00:00:09:01, the user
 *         02:00:00:00:09:02 on PPPoE session 0x0042;
 *   fpl0  faces the LNS 192.0.2.2 (resolved neighbour): the tunnel is
 *         192.0.2.1:1701 ↔ 192.0.2.2:1701, our IDs 0x1111/0x2222, the
 *         LNS's 0x3333/0x4444.
 *
 * Every frame the program does not carry must come back TC_ACT_UNSPEC
 * (the next filter, then the stack) byte for byte unchanged and bump the
 * counter that says why; a carried one must be exactly what the user path
 * sends (RFC 2661 §3.1 compact header + FF 03 + the PPP frame; RFC 2516 §4
 * session frame without FF 03).
 *
 * Needs root (CAP_BPF, CAP_NET_ADMIN, CAP_PERFMON, CAP_SYS_ADMIN for the
 * namespace), as `make test` runs; skipped otherwise.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>

#include "dataplane/fastpath.h"
#include "dataplane/lac_fastpath.h"
#include "fastpath_env.h"

#define PPPOE_SID 0x0042
#define MAX_PPP	  1492

static struct fp_env env;
static struct lac_fastpath *lfp;
static char why[256];

struct run {
	int retval;
	uint8_t out[4096];
	uint32_t out_len;
};

static int
run_gso(int ifindex, const uint8_t *in, size_t len, uint32_t gso_size,
    struct run *r)
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
	rc = bpf_prog_test_run_opts(lac_fastpath_prog_fd(lfp), &o);
	r->retval = (int)o.retval;
	r->out_len = o.data_size_out;
	return rc;
}

static int
run(int ifindex, const uint8_t *in, size_t len, struct run *r)
{
	return run_gso(ifindex, in, len, 0, r);
}

static uint64_t
counter(enum lfp_counter c)
{
	uint64_t v[LFP_COUNTER_MAX];

	assert_int_equal(lac_fastpath_global_counters(lfp, v, why, sizeof(why)),
	    0);
	return v[c];
}

static void
assert_pass_gso(int ifindex, const uint8_t *in, size_t len, uint32_t gso,
    enum lfp_counter c)
{
	struct run r;
	uint64_t before = counter(c);

	assert_int_equal(run_gso(ifindex, in, len, gso, &r), 0);
	assert_int_equal(r.retval, TC_ACT_UNSPEC);
	assert_int_equal(r.out_len, len);
	assert_memory_equal(r.out, in, len);
	assert_int_equal(counter(c), before + 1);
}

static void
assert_pass(int ifindex, const uint8_t *in, size_t len, enum lfp_counter c)
{
	assert_pass_gso(ifindex, in, len, 0, c);
}

static void
call_of(struct lac_fastpath_call *c)
{
	memset(c, 0, sizeof(*c));
	c->access_ifindex = env.ifi;
	c->pppoe_sid = PPPOE_SID;
	memcpy(c->user_mac, env_mac_host, 6);
	memcpy(c->our_mac, env_mac_i0, 6);
	c->our_tunnel_id = ENV_OUR_TID;
	c->our_session_id = ENV_OUR_SID;
	c->peer_tunnel_id = ENV_PEER_TID;
	c->peer_session_id = ENV_PEER_SID;
	c->peer_addr.s_addr = htonl(ENV_PEER);
	c->local_addr.s_addr = htonl(ENV_LOCAL);
	c->peer_port = ENV_PORT;
	c->local_port = ENV_PORT;
	c->max_ppp = MAX_PPP;
}

static int
setup(void **state)
{
	struct lac_fastpath_call c;

	(void)state;
	if (geteuid() != 0 || fp_env_setup(&env) != 0) {
		print_message("test_bpf_lac_fastpath: needs root and network "
			      "namespaces: skipped\n");
		return 0;
	}
	if (lac_fastpath_open(&lfp, 0, why, sizeof(why)) != 0) {
		print_message("%s\n", why);
		return -1;
	}
	assert_int_equal(lac_fastpath_allow_egress(lfp, env.ifl, why,
			     sizeof(why)),
	    0);
	call_of(&c);
	return lac_fastpath_call_add(lfp, &c, why, sizeof(why));
}

static int
teardown(void **state)
{
	(void)state;
	lac_fastpath_close(lfp);
	lfp = NULL;
	return 0;
}

#define NEED_LFP() \
	do { \
		if (lfp == NULL) \
			skip(); \
	} while (0)

/* ---- frames ---- */

struct pppoe_craft {
	const uint8_t *dst, *src;
	uint16_t ethertype;
	uint8_t ver_type, code;
	uint16_t sid;
	uint16_t proto;
	bool pfc;	 /* one-octet protocol (RFC 1661 §6.5) */
	size_t payload;	 /* information field */
	int len_delta;	 /* added to the LENGTH field */
	size_t trailing; /* bytes after the payload (padding) */
	bool vlan;	 /* an 802.1Q tag in front of the EtherType */
};

static void
pppoe_default(struct pppoe_craft *p)
{
	memset(p, 0, sizeof(*p));
	p->dst = env_mac_i0;
	p->src = env_mac_host;
	p->ethertype = 0x8864;
	p->ver_type = 0x11;
	p->sid = PPPOE_SID;
	p->proto = 0x0021;
	p->payload = 40;
}

/* The frame; *ppp_off: where the PPP protocol field starts. */
static size_t
pppoe_frame(uint8_t *b, const struct pppoe_craft *p, size_t *ppp_off)
{
	size_t off = 12, plen, i;

	memcpy(b, p->dst, 6);
	memcpy(b + 6, p->src, 6);
	if (p->vlan) {
		put16(b + off, 0x8100);
		put16(b + off + 2, 7);
		off += 4;
	}
	put16(b + off, p->ethertype);
	off += 2;
	b[off] = p->ver_type;
	b[off + 1] = p->code;
	put16(b + off + 2, p->sid);
	off += 6;
	*ppp_off = off;
	if (p->pfc) {
		b[off++] = (uint8_t)p->proto;
		plen = 1;
	} else {
		put16(b + off, p->proto);
		off += 2;
		plen = 2;
	}
	for (i = 0; i < p->payload; i++)
		b[off + i] = (uint8_t)(i * 3 + 5);
	off += p->payload;
	put16(b + *ppp_off - 2,
	    (uint16_t)((int)(plen + p->payload) + p->len_delta));
	memset(b + off, 0, p->trailing);
	return off + p->trailing;
}

/* What the user path would send to the LNS for a PPP frame. */
static size_t
expect_up(uint8_t *w, const uint8_t *ppp, size_t ppp_len)
{
	size_t out = 20 + 8 + 6 + 2 + ppp_len;

	memcpy(w, env_mac_peer, 6);
	memcpy(w + 6, env_mac_l0, 6);
	put16(w + 12, 0x0800);
	memset(w + 14, 0, 20);
	w[14] = 0x45;
	put16(w + 16, (uint16_t)out);
	put16(w + 20, 0x4000); /* DF */
	w[22] = 64;
	w[23] = 17;
	put32(w + 26, ENV_LOCAL);
	put32(w + 30, ENV_PEER);
	put16(w + 24, ip_csum(w + 14, 20));
	put16(w + 34, ENV_PORT);
	put16(w + 36, ENV_PORT);
	put16(w + 38, (uint16_t)(out - 20));
	put16(w + 40, 0);
	put16(w + 42, 0x0002);
	put16(w + 44, ENV_PEER_TID);
	put16(w + 46, ENV_PEER_SID);
	w[48] = 0xff;
	w[49] = 0x03;
	memcpy(w + 50, ppp, ppp_len);
	return 50 + ppp_len;
}

static void
up_ok(const struct pppoe_craft *p)
{
	uint8_t f[2048], want[2048];
	size_t len, ppp_off, ppp_len, wlen;
	struct fastpath_counters before, after;
	struct run r;
	uint64_t n = counter(LFP_UP_ENCAP);

	len = pppoe_frame(f, p, &ppp_off);
	ppp_len = len - ppp_off - p->trailing;
	wlen = expect_up(want, f + ppp_off, ppp_len);
	assert_int_equal(lac_fastpath_call_counters(lfp, ENV_OUR_TID,
			     ENV_OUR_SID, &before, why, sizeof(why)),
	    0);
	assert_int_equal(run(env.ifi, f, len, &r), 0);
	assert_int_equal(r.retval, TC_ACT_REDIRECT);
	assert_int_equal(r.out_len, wlen);
	assert_memory_equal(r.out, want, wlen);
	assert_int_equal(counter(LFP_UP_ENCAP), n + 1);
	assert_int_equal(lac_fastpath_call_counters(lfp, ENV_OUR_TID,
			     ENV_OUR_SID, &after, why, sizeof(why)),
	    0);
	/* As the user path's accounting counts: the PPP frame. */
	assert_int_equal(after.rx_packets, before.rx_packets + 1);
	assert_int_equal(after.rx_bytes, before.rx_bytes + ppp_len);
	assert_int_equal(after.tx_packets, before.tx_packets);
}

static void
test_up_ipv4(void **state)
{
	struct pppoe_craft p;

	(void)state;
	NEED_LFP();
	pppoe_default(&p);
	up_ok(&p);
	/* the largest carried: what fits the LNS-facing link's MTU (1500)
	 * after IPv4 + UDP + L2TP + FF 03 + protocol */
	p.payload = 1500 - 20 - 8 - 6 - 2 - 2;
	up_ok(&p);
}

static void
test_up_ipv6(void **state)
{
	struct pppoe_craft p;

	(void)state;
	NEED_LFP();
	pppoe_default(&p);
	p.proto = 0x0057;
	p.payload = 60;
	up_ok(&p);
}

/* A short frame padded to the Ethernet minimum: the padding is not
 * relayed (RFC 2516 §4: LENGTH says where the payload ends). */
static void
test_up_padded(void **state)
{
	struct pppoe_craft p;
	uint8_t f[128];
	size_t off;

	(void)state;
	NEED_LFP();
	pppoe_default(&p);
	p.payload = 20;
	p.trailing = 60 - (14 + 6 + 2 + 20);
	assert_int_equal(pppoe_frame(f, &p, &off), 60);
	up_ok(&p);
}

static void
test_up_pass(void **state)
{
	struct pppoe_craft p;
	uint8_t f[2048];
	size_t len, off;
	static const uint8_t other_mac[6] = { 2, 0, 0, 0, 7, 7 };

	(void)state;
	NEED_LFP();
	/* to someone else's MAC */
	pppoe_default(&p);
	p.dst = other_mac;
	len = pppoe_frame(f, &p, &off);
	assert_pass(env.ifi, f, len, LFP_UP_PASS_WRONG_MAC);
	/* from another MAC, or on another session, or interface */
	pppoe_default(&p);
	p.src = other_mac;
	len = pppoe_frame(f, &p, &off);
	assert_pass(env.ifi, f, len, LFP_UP_PASS_NO_SESSION);
	pppoe_default(&p);
	p.sid = PPPOE_SID + 1;
	len = pppoe_frame(f, &p, &off);
	assert_pass(env.ifi, f, len, LFP_UP_PASS_NO_SESSION);
	pppoe_default(&p);
	len = pppoe_frame(f, &p, &off);
	assert_pass(env.ifl, f, len, LFP_UP_PASS_NO_SESSION);
	/* RFC 2516 §4: CODE 0 in session frames, VER/TYPE 1 */
	pppoe_default(&p);
	p.code = 0xa7;
	len = pppoe_frame(f, &p, &off);
	assert_pass(env.ifi, f, len, LFP_UP_PASS_MALFORMED);
	pppoe_default(&p);
	p.ver_type = 0x21;
	len = pppoe_frame(f, &p, &off);
	assert_pass(env.ifi, f, len, LFP_UP_PASS_MALFORMED);
	/* LENGTH beyond the frame (truncated), or short of a long frame */
	pppoe_default(&p);
	p.len_delta = 1;
	len = pppoe_frame(f, &p, &off);
	assert_pass(env.ifi, f, len, LFP_UP_PASS_MALFORMED);
	pppoe_default(&p);
	p.len_delta = -1;
	len = pppoe_frame(f, &p, &off);
	assert_pass(env.ifi, f, len, LFP_UP_PASS_MALFORMED);
	pppoe_default(&p);
	len = pppoe_frame(f, &p, &off);
	assert_pass(env.ifi, f, 16, LFP_UP_PASS_MALFORMED);
	/* PPP control protocols: LCP (the daemon watches for the user's
	 * Terminate-Request), PAP, IPCP, IPv6CP; and a PFC protocol */
	static const uint16_t ctl[] = { 0xc021, 0xc023, 0x8021, 0x8057 };
	for (size_t i = 0; i < sizeof(ctl) / sizeof(ctl[0]); i++) {
		pppoe_default(&p);
		p.proto = ctl[i];
		len = pppoe_frame(f, &p, &off);
		assert_pass(env.ifi, f, len, LFP_UP_PASS_PPP);
	}
	pppoe_default(&p);
	p.pfc = true;
	len = pppoe_frame(f, &p, &off);
	assert_pass(env.ifi, f, len, LFP_UP_PASS_PPP);
	/* over the PPPoE MTU (RFC 2516 §7: 1492); over the link's MTU once
	 * encapsulated (the user path's socket fragments it) */
	pppoe_default(&p);
	p.payload = MAX_PPP + 1;
	len = pppoe_frame(f, &p, &off);
	assert_pass(env.ifi, f, len, LFP_UP_PASS_TOO_BIG);
	pppoe_default(&p);
	p.payload = 1500 - 20 - 8 - 6 - 2 - 2 + 1;
	len = pppoe_frame(f, &p, &off);
	assert_pass(env.ifi, f, len, LFP_UP_PASS_TOO_BIG);
	/* an aggregate */
	pppoe_default(&p);
	len = pppoe_frame(f, &p, &off);
	assert_pass_gso(env.ifi, f, len, 1000, LFP_UP_PASS_GSO);
	/* Discovery (PADT included) and VLAN-tagged frames: the LAC serves
	 * untagged PPPoE and does discovery in user space */
	pppoe_default(&p);
	p.ethertype = 0x8863;
	p.code = 0xa7;
	len = pppoe_frame(f, &p, &off);
	assert_pass(env.ifi, f, len, LFP_PASS_OTHER);
	pppoe_default(&p);
	p.vlan = true;
	len = pppoe_frame(f, &p, &off);
	assert_pass(env.ifi, f, len, LFP_PASS_OTHER);
}

/* The LNS unreachable through an allowed exit: the user path. */
static void
test_up_route(void **state)
{
	struct lac_fastpath_call c;
	struct pppoe_craft p;
	uint8_t f[256];
	size_t len, off;

	(void)state;
	NEED_LFP();
	call_of(&c);
	c.peer_addr.s_addr = htonl(0xc6336401); /* 198.51.100.1: no route */
	assert_int_equal(lac_fastpath_call_update(lfp, &c, why, sizeof(why)),
	    0);
	pppoe_default(&p);
	len = pppoe_frame(f, &p, &off);
	assert_pass(env.ifi, f, len, LFP_UP_PASS_ROUTE);
	call_of(&c);
	assert_int_equal(lac_fastpath_call_update(lfp, &c, why, sizeof(why)),
	    0);
}

/* ---- LNS → user ---- */

struct down_craft {
	struct l2tp_craft l;
	bool no_ff03;
};

static void
down_default(struct down_craft *d)
{
	l2tp_craft_default(&d->l);
	d->no_ff03 = false;
}

/* An L2TP data message from the LNS carrying a PPP frame; *ppp_off:
 * where the protocol field starts. */
static size_t
down_frame(uint8_t *b, const struct down_craft *d, size_t *ppp_off)
{
	struct l2tp_craft c = d->l;
	size_t inner_off, len;

	c.ppp = d->no_ff03 ? PPP_ACFC_ONLY : PPP_FULL;
	len = l2tp_frame(b, &c, &inner_off);
	*ppp_off = inner_off - 2; /* a two-octet protocol */
	return len;
}

static size_t
expect_down(uint8_t *w, const uint8_t *ppp, size_t ppp_len)
{
	memcpy(w, env_mac_host, 6);
	memcpy(w + 6, env_mac_i0, 6);
	put16(w + 12, 0x8864);
	w[14] = 0x11;
	w[15] = 0;
	put16(w + 16, PPPOE_SID);
	put16(w + 18, (uint16_t)ppp_len);
	memcpy(w + 20, ppp, ppp_len);
	return 20 + ppp_len;
}

static void
down_ok(const struct down_craft *d)
{
	uint8_t f[2048], want[2048];
	size_t len, ppp_off, wlen;
	struct fastpath_counters before, after;
	struct run r;
	uint64_t n = counter(LFP_DOWN_DECAP);

	len = down_frame(f, d, &ppp_off);
	wlen = expect_down(want, f + ppp_off, len - ppp_off);
	assert_int_equal(lac_fastpath_call_counters(lfp, ENV_OUR_TID,
			     ENV_OUR_SID, &before, why, sizeof(why)),
	    0);
	assert_int_equal(run(env.ifl, f, len, &r), 0);
	assert_int_equal(r.retval, TC_ACT_REDIRECT);
	assert_int_equal(r.out_len, wlen);
	assert_memory_equal(r.out, want, wlen);
	assert_int_equal(counter(LFP_DOWN_DECAP), n + 1);
	assert_int_equal(lac_fastpath_call_counters(lfp, ENV_OUR_TID,
			     ENV_OUR_SID, &after, why, sizeof(why)),
	    0);
	assert_int_equal(after.tx_packets, before.tx_packets + 1);
	assert_int_equal(after.tx_bytes, before.tx_bytes + (len - ppp_off));
	assert_int_equal(after.rx_packets, before.rx_packets);
}

/* RFC 2661 §3.1: the optional fields (L; O with and without padding)
 * are stripped; FF 03 with or without (the user path drops it). */
static void
test_down_variants(void **state)
{
	static const uint16_t fl[] = { 0, L2TP_F_L, L2TP_F_O,
		L2TP_F_L | L2TP_F_O };
	struct down_craft d;

	(void)state;
	NEED_LFP();
	for (size_t i = 0; i < sizeof(fl) / sizeof(fl[0]); i++)
		for (int ff = 0; ff < 2; ff++) {
			down_default(&d);
			d.l.flags = fl[i];
			d.l.pad = (fl[i] & L2TP_F_O) ? 5 : 0;
			d.no_ff03 = ff != 0;
			down_ok(&d);
			d.l.pad = 0;
			down_ok(&d);
		}
	down_default(&d);
	d.l.proto = 0x0057; /* IPv6 (the inner bytes are not looked at) */
	down_ok(&d);
	/* the largest carried: 1492 octets of information */
	down_default(&d);
	d.l.payload = MAX_PPP - 28;
	down_ok(&d);
}

static void
test_down_pass(void **state)
{
	struct down_craft d;
	uint8_t f[2048];
	size_t len, off;

	(void)state;
	NEED_LFP();
	down_default(&d);
	d.l.flags = L2TP_F_S;
	len = down_frame(f, &d, &off);
	assert_pass(env.ifl, f, len, LFP_DOWN_PASS_SEQ);
	down_default(&d);
	d.l.flags = L2TP_F_T | L2TP_F_L | L2TP_F_S;
	len = down_frame(f, &d, &off);
	assert_pass(env.ifl, f, len, LFP_DOWN_PASS_CONTROL);
	/* not from the tunnel's peer address or port, or to another of
	 * ours */
	down_default(&d);
	d.l.sport = 1702;
	len = down_frame(f, &d, &off);
	assert_pass(env.ifl, f, len, LFP_DOWN_PASS_WRONG_PEER);
	down_default(&d);
	d.l.osrc = ENV_PEER + 1;
	len = down_frame(f, &d, &off);
	assert_pass(env.ifl, f, len, LFP_DOWN_PASS_WRONG_PEER);
	down_default(&d);
	d.l.dport = 1703;
	len = down_frame(f, &d, &off);
	assert_pass(env.ifl, f, len, LFP_DOWN_PASS_WRONG_PEER);
	/* unknown session or tunnel: maybe the LNS role's, next filter */
	down_default(&d);
	d.l.sid = ENV_OUR_SID + 1;
	len = down_frame(f, &d, &off);
	assert_pass(env.ifl, f, len, LFP_DOWN_PASS_NO_SESSION);
	down_default(&d);
	d.l.tid = ENV_OUR_TID + 1;
	len = down_frame(f, &d, &off);
	assert_pass(env.ifl, f, len, LFP_DOWN_PASS_NO_SESSION);
	/* PPP control protocols and a one-octet protocol */
	static const uint16_t ctl[] = { 0xc021, 0xc223, 0x8021, 0x8057 };
	for (size_t i = 0; i < sizeof(ctl) / sizeof(ctl[0]); i++) {
		down_default(&d);
		d.l.proto = ctl[i];
		len = down_frame(f, &d, &off);
		assert_pass(env.ifl, f, len, LFP_DOWN_PASS_PPP);
	}
	down_default(&d);
	d.l.ppp = PPP_BOTH;
	{
		size_t io;
		struct l2tp_craft c = d.l;

		len = l2tp_frame(f, &c, &io);
	}
	assert_pass(env.ifl, f, len, LFP_DOWN_PASS_PPP);
	/* over the PPPoE MTU */
	down_default(&d);
	d.l.payload = MAX_PPP - 28 + 1;
	len = down_frame(f, &d, &off);
	assert_pass(env.ifl, f, len, LFP_DOWN_PASS_TOO_BIG);
	/* truncated: IP length beyond the frame; L lies */
	down_default(&d);
	len = down_frame(f, &d, &off);
	assert_pass(env.ifl, f, len - 1, LFP_DOWN_PASS_NOT_L2TP);
	down_default(&d);
	d.l.flags = L2TP_F_L;
	len = down_frame(f, &d, &off);
	put16(f + 44, (uint16_t)(f[44] << 8 | f[45]) + 1);
	assert_pass(env.ifl, f, len, LFP_DOWN_PASS_MALFORMED);
	/* an aggregate */
	down_default(&d);
	len = down_frame(f, &d, &off);
	assert_pass_gso(env.ifl, f, len, 1000, LFP_DOWN_PASS_GSO);
	/* neither PPPoE session nor IPv4: ARP */
	down_default(&d);
	len = down_frame(f, &d, &off);
	put16(f + 12, 0x0806);
	assert_pass(env.ifl, f, len, LFP_PASS_OTHER);
}

/* Once removed, nothing of the call is carried; the final counters are
 * what it carried. */
static void
test_remove(void **state)
{
	struct lac_fastpath_call c;
	struct fastpath_counters fin, cur;
	struct pppoe_craft p;
	struct down_craft d;
	uint8_t f[2048];
	size_t len, off;

	(void)state;
	NEED_LFP();
	call_of(&c);
	assert_int_equal(lac_fastpath_call_counters(lfp, ENV_OUR_TID,
			     ENV_OUR_SID, &cur, why, sizeof(why)),
	    0);
	assert_int_equal(lac_fastpath_call_remove(lfp, &c, &fin, why,
			     sizeof(why)),
	    0);
	assert_memory_equal(&fin, &cur, sizeof(fin));
	assert_true(fin.rx_packets > 0 && fin.tx_packets > 0);
	pppoe_default(&p);
	len = pppoe_frame(f, &p, &off);
	assert_pass(env.ifi, f, len, LFP_UP_PASS_NO_SESSION);
	down_default(&d);
	len = down_frame(f, &d, &off);
	assert_pass(env.ifl, f, len, LFP_DOWN_PASS_NO_SESSION);
	/* removing twice says so; adding again starts from zero */
	assert_int_equal(lac_fastpath_call_remove(lfp, &c, &fin, why,
			     sizeof(why)),
	    -1);
	assert_int_equal(lac_fastpath_call_add(lfp, &c, why, sizeof(why)), 0);
	assert_int_equal(lac_fastpath_call_add(lfp, &c, why, sizeof(why)), -1);
	assert_int_equal(lac_fastpath_call_counters(lfp, ENV_OUR_TID,
			     ENV_OUR_SID, &cur, why, sizeof(why)),
	    0);
	assert_int_equal(cur.rx_packets + cur.tx_packets, 0);
}

/* The LAC's filter and the LNS's share an ingress hook: each at its own
 * handle and priority, the LAC's first. */
static void
test_attach_with_lns(void **state)
{
	struct fastpath *fp = NULL;

	(void)state;
	NEED_LFP();
	if (fastpath_open(&fp, NULL, why, sizeof(why)) != 0)
		fail_msg("%s", why);
	assert_int_equal(fastpath_attach(fp, env.ifl, FASTPATH_DECAP, why,
			     sizeof(why)),
	    0);
	assert_int_equal(lac_fastpath_attach(lfp, env.ifl, why, sizeof(why)),
	    0);
	/* twice: a no-op */
	assert_int_equal(lac_fastpath_attach(lfp, env.ifl, why, sizeof(why)),
	    0);
	assert_int_equal(system("tc filter show dev fpl0 ingress | "
				"grep -q 'pref 30316 bpf.*vpdn_lac_fp' && "
				"tc filter show dev fpl0 ingress | "
				"grep -q 'pref 30320 bpf.*vpdn_fp_decap'"),
	    0);
	/* a live instance's filter is not stale */
	assert_int_equal(lac_fastpath_remove_stale(env.ifl, why, sizeof(why)),
	    0);
	fastpath_close(fp);
	assert_int_equal(system("tc filter show dev fpl0 ingress | "
				"grep -q vpdn_lac_fp"),
	    0);
}

/* kill -9 leaves the filter; the next run removes it, as the dead
 * process's only. */
static void
test_stale(void **state)
{
	pid_t pid;
	int st;

	(void)state;
	NEED_LFP();
	if ((pid = fork()) == 0) {
		struct lac_fastpath *l2;

		if (lac_fastpath_open(&l2, 0, why, sizeof(why)) != 0 ||
		    lac_fastpath_attach(l2, env.ifi, why, sizeof(why)) != 0)
			_exit(1);
		_exit(0); /* without closing: as killed */
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_int_equal(system("tc filter show dev fpi0 ingress | "
				"grep -q vpdn_lac_fp"),
	    0);
	assert_int_equal(lac_fastpath_remove_stale(env.ifi, why, sizeof(why)),
	    1);
	assert_int_not_equal(system("tc filter show dev fpi0 ingress | "
				    "grep -q vpdn_lac_fp"),
	    0);
	assert_int_equal(lac_fastpath_remove_stale(env.ifi, why, sizeof(why)),
	    0);
}

static void
test_counter_names(void **state)
{
	(void)state;
	for (int i = 0; i < LFP_COUNTER_MAX; i++)
		assert_string_not_equal(lac_fastpath_counter_name(
					    (enum lfp_counter)i),
		    "unknown");
	assert_string_equal(lac_fastpath_counter_name(LFP_COUNTER_MAX),
	    "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_up_ipv4),
		cmocka_unit_test(test_up_ipv6),
		cmocka_unit_test(test_up_padded),
		cmocka_unit_test(test_up_pass),
		cmocka_unit_test(test_up_route),
		cmocka_unit_test(test_down_variants),
		cmocka_unit_test(test_down_pass),
		cmocka_unit_test(test_remove),
		cmocka_unit_test(test_attach_with_lns),
		cmocka_unit_test(test_stale),
		cmocka_unit_test(test_counter_names),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
