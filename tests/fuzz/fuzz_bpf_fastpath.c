/*
 * fuzz_bpf_fastpath.c — arbitrary frames through the kernel fast path's TC
 * programs with BPF_PROG_TEST_RUN, in the network namespace and with the
 * session of tests/unit/fastpath_env.h (so fib lookups succeed and deep
 * paths are reached).
 *
 * Input: byte 0 picks the program (bit 0: decapsulate on fpl0, or
 * encapsulate on fpi0 — on its ingress, or with bit 7 as the TUN egress's
 * program, which reads the IPv4 header at the frame's start) and the
 * session's PPP forms (bits 1-4: rx ACFC, rx PFC, tx ACFC, tx PFC); bits
 * 5-6 make it a GSO packet; the rest is the Ethernet frame.  With bit 7,
 * bit 1 (meaningless for sending) picks the client TUN's program instead,
 * whose session is a client's on fpi0; that client session (10.100.0.6,
 * session ID ENV_OUR_SID + 1) also takes L2TP data on fpl0, delivered with
 * the frame's own link header in front.  TCP and UDP
 * frames to the session also go through the checksum-state probe, which
 * must leave a packet it passes unchanged.  The session carries IPv6 too
 * (its /64 and a delegated prefix, fastpath_env.h), with IPv6 routed on
 * fpi0, so PPP 0x0057 and IPv6 frames reach the IPv6 paths.
 *
 * Invariants: the kernel's verifier already bounds every access, so what is
 * checked is the contract with the stack: a packet not carried comes back
 * TC_ACT_OK and byte for byte unchanged; a carried one has consistent
 * lengths (the inner packet exactly fills the decapsulated frame; the
 * encapsulated frame is the original plus 35 to 38 octets of headers, with
 * outer IPv4 and UDP lengths that agree); nothing is ever dropped.
 *
 * Needs root (namespaces, BPF); without it every input is a no-op.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>

#include "../unit/fastpath_env.h"
#include "dataplane/fastpath.h"
#include "fuzz.h"

static struct fastpath *fp;
static struct fp_env env;

static bool
init_once(void)
{
	static int state; /* 0 untried, 1 ready, -1 unavailable */
	struct fastpath_session s;
	char why[256];

	if (state != 0)
		return state > 0;
	state = -1;
	if (fp_env_setup(&env) != 0 || fp_env_ipv6() != 0 ||
	    fastpath_open(&fp, NULL, why, sizeof(why)) != 0 ||
	    fastpath_allow_egress(fp, env.ifl, why, sizeof(why)) != 0 ||
	    fastpath_allow_egress(fp, env.ifi, why, sizeof(why)) != 0) {
		fprintf(stderr,
		    "fuzz_bpf_fastpath: needs root, network "
		    "namespaces and BPF: inputs are not run\n");
		return false;
	}
	fp_env_session6(&s, true, 1500);
	FUZZ_CHECK(fastpath_session_add(fp, &s, why, sizeof(why)) == 0);
	fp_env_session(&s);
	s.our_session_id = ENV_OUR_SID + 1;
	s.inner_addr.s_addr = htonl(0x0a640006u);
	s.client_ifindex = env.ifi;
	FUZZ_CHECK(fastpath_session_add(fp, &s, why, sizeof(why)) == 0);
	state = 1;
	return true;
}

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[8192];
	struct fastpath_session s;
	struct __sk_buff ctx;
	LIBBPF_OPTS(bpf_test_run_opts, o);
	enum fastpath_hook hook;
	const uint8_t *frame;
	size_t len;
	char why[256];
	int rc;

	if (size < 1 + 14 || size > 1 + 4096 || !init_once())
		return 0;
	hook = !(data[0] & 1)		      ? FASTPATH_DECAP :
	    (data[0] & 0x80) && (data[0] & 2) ? FASTPATH_CLI_ENC :
	    (data[0] & 0x80)		      ? FASTPATH_ENCAP_L3 :
						FASTPATH_ENCAP;
	fp_env_session6(&s, true, 1500);
	s.rx_acfc = (data[0] & 2) != 0;
	s.rx_pfc = (data[0] & 4) != 0;
	s.tx_acfc = (data[0] & 8) != 0;
	s.tx_pfc = (data[0] & 16) != 0;
	FUZZ_CHECK(fastpath_session_update(fp, &s, why, sizeof(why)) == 0);
	frame = data + 1;
	len = size - 1;

	memset(&ctx, 0, sizeof(ctx));
	ctx.ifindex = (uint32_t)(hook == FASTPATH_DECAP ? env.ifl : env.ifi);
	ctx.gso_size = (uint32_t)((data[0] >> 5) & 3) * 500;
	o.data_in = frame;
	o.data_size_in = (uint32_t)len;
	o.data_out = out;
	o.data_size_out = sizeof(out);
	o.ctx_in = &ctx;
	o.ctx_size_in = sizeof(ctx);
	rc = bpf_prog_test_run_opts(fastpath_prog_fd(fp, hook), &o);
	/* The test runner's own refusals (e.g. an IPv4 EtherType on a
	 * frame shorter than an IPv4 header) are not the programs'. */
	if (rc == -EINVAL)
		return 0;
	FUZZ_CHECK(rc == 0);
	/* Passing: TC_ACT_OK to the stack, or (vpdn_fp_encap, first on an
	 * ingress) TC_ACT_UNSPEC to the next filter; untouched either way. */
	FUZZ_CHECK(o.retval == TC_ACT_OK || o.retval == TC_ACT_REDIRECT ||
	    (hook != FASTPATH_DECAP && (int)o.retval == TC_ACT_UNSPEC));
	if (o.retval != TC_ACT_REDIRECT) {
		FUZZ_CHECK(o.data_size_out == len);
		FUZZ_CHECK(memcmp(out, frame, len) == 0);
		return 0;
	}
	FUZZ_CHECK(o.data_size_out >= 14 + 20);
	if (hook == FASTPATH_DECAP && be16(out + 12) == 0x86dd) {
		/* An IPv6 packet exactly as long as its payload length. */
		FUZZ_CHECK(o.data_size_out + 35 <= len);
		FUZZ_CHECK(memcmp(out, env_mac_host, 6) == 0);
		FUZZ_CHECK(14u + 40u + be16(out + 18) == o.data_size_out);
		FUZZ_CHECK((out[14] >> 4) == 6);
		return 0;
	}
	FUZZ_CHECK(be16(out + 12) == 0x0800);
	if (hook == FASTPATH_ENCAP_L3 || hook == FASTPATH_CLI_ENC) {
		/* The L3 form pushes a link header in front of its outer
		 * headers; which bytes it read as IPv4 is the frame's own
		 * business here, the lengths are not. */
		FUZZ_CHECK(o.data_size_out >= len + 14 + 35 &&
		    o.data_size_out <= len + 14 + 38);
		FUZZ_CHECK(memcmp(out, env_mac_peer, 6) == 0);
	} else if (hook == FASTPATH_DECAP) {
		/* Outer IPv4 + UDP + L2TP + PPP is at least 20 + 8 + 6 + 1. */
		FUZZ_CHECK(o.data_size_out + 35 <= len);
		/* Forwarded (the fib's MACs), or delivered into the
		 * client's TUN (the frame's own link header). */
		FUZZ_CHECK(memcmp(out, env_mac_host, 6) == 0 ||
		    memcmp(out, frame, 14) == 0);
		FUZZ_CHECK(14u + be16(out + 16) == o.data_size_out);
	} else {
		FUZZ_CHECK(
		    o.data_size_out >= len + 35 && o.data_size_out <= len + 38);
		FUZZ_CHECK(memcmp(out, env_mac_peer, 6) == 0);
		FUZZ_CHECK(14u + be16(out + 16) == o.data_size_out);
		FUZZ_CHECK(be16(out + 38) == be16(out + 16) - 20);
		FUZZ_CHECK(be16(out + 42) == 0x0002);
	}
	return 0;
}
