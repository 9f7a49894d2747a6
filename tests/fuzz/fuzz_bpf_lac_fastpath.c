/*
 * fuzz_bpf_lac_fastpath.c — arbitrary frames through the LAC's kernel fast
 * path program (vpdn_lac_fp) with BPF_PROG_TEST_RUN, in the network
 * namespace of tests/unit/fastpath_env.h with one call: PPPoE session 0x42
 * of 02:00:00:00:09:02 on fpi0 (our MAC 02:00:00:00:09:01), L2TP IDs as in
 * fastpath_env.h, the LNS 192.0.2.2 behind fpl0.
 *
 * Input: byte 0 bit 0 picks the interface the frame arrives on (clear:
 * fpi0, the access side; set: fpl0, the LNS side); bits 5-6 make it a GSO
 * packet; the rest is the Ethernet frame.
 *
 * Invariants: a frame not carried comes back TC_ACT_UNSPEC and byte for
 * byte unchanged; a carried PPPoE frame becomes an L2TP data message whose
 * outer lengths agree (IPv4 total = frame - 14, UDP = IPv4 - 20), compact
 * header to the LNS's IDs, FF 03 in front of the PPP protocol; a carried
 * L2TP message becomes a PPPoE session frame to the user whose LENGTH is
 * the frame's; nothing is ever dropped.
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
#include "dataplane/lac_fastpath.h"
#include "fuzz.h"

static struct lac_fastpath *lfp;
static struct fp_env env;

static bool
init_once(void)
{
	static int state; /* 0 untried, 1 ready, -1 unavailable */
	struct lac_fastpath_call c;
	char why[256];

	if (state != 0)
		return state > 0;
	state = -1;
	if (fp_env_setup(&env) != 0 ||
	    lac_fastpath_open(&lfp, 0, why, sizeof(why)) != 0 ||
	    lac_fastpath_allow_egress(lfp, env.ifl, why, sizeof(why)) != 0) {
		fprintf(stderr,
		    "fuzz_bpf_lac_fastpath: needs root, network "
		    "namespaces and BPF: inputs are not run\n");
		return false;
	}
	memset(&c, 0, sizeof(c));
	c.access_ifindex = env.ifi;
	c.pppoe_sid = 0x42;
	memcpy(c.user_mac, env_mac_host, 6);
	memcpy(c.our_mac, env_mac_i0, 6);
	c.our_tunnel_id = ENV_OUR_TID;
	c.our_session_id = ENV_OUR_SID;
	c.peer_tunnel_id = ENV_PEER_TID;
	c.peer_session_id = ENV_PEER_SID;
	c.peer_addr.s_addr = htonl(ENV_PEER);
	c.local_addr.s_addr = htonl(ENV_LOCAL);
	c.peer_port = ENV_PORT;
	c.local_port = ENV_PORT;
	c.max_ppp = 1492;
	FUZZ_CHECK(lac_fastpath_call_add(lfp, &c, why, sizeof(why)) == 0);
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
	struct __sk_buff ctx;
	LIBBPF_OPTS(bpf_test_run_opts, o);
	const uint8_t *frame;
	bool up;
	size_t len;
	int rc;

	if (size < 1 + 14 || size > 1 + 4096 || !init_once())
		return 0;
	up = (data[0] & 1) == 0;
	frame = data + 1;
	len = size - 1;
	memset(&ctx, 0, sizeof(ctx));
	ctx.ifindex = (uint32_t)(up ? env.ifi : env.ifl);
	ctx.gso_size = (uint32_t)((data[0] >> 5) & 3) * 500;
	o.data_in = frame;
	o.data_size_in = (uint32_t)len;
	o.data_out = out;
	o.data_size_out = sizeof(out);
	o.ctx_in = &ctx;
	o.ctx_size_in = sizeof(ctx);
	rc = bpf_prog_test_run_opts(lac_fastpath_prog_fd(lfp), &o);
	/* The test runner's own refusals are not the program's. */
	if (rc == -EINVAL)
		return 0;
	FUZZ_CHECK(rc == 0);
	FUZZ_CHECK(
	    (int)o.retval == TC_ACT_UNSPEC || (int)o.retval == TC_ACT_REDIRECT);
	if ((int)o.retval == TC_ACT_UNSPEC) {
		FUZZ_CHECK(o.data_size_out == len);
		FUZZ_CHECK(memcmp(out, frame, len) == 0);
		return 0;
	}
	if (be16(frame + 12) == 0x8864) {
		/* Ethernet padding (up to the 60-byte minimum) is trimmed. */
		FUZZ_CHECK(o.data_size_out <= len + 30);
		FUZZ_CHECK(o.data_size_out == 50u + be16(frame + 18));
		FUZZ_CHECK(memcmp(out, env_mac_peer, 6) == 0);
		FUZZ_CHECK(be16(out + 12) == 0x0800);
		FUZZ_CHECK(14u + be16(out + 16) == o.data_size_out);
		FUZZ_CHECK(be16(out + 38) == be16(out + 16) - 20);
		FUZZ_CHECK(be16(out + 42) == 0x0002);
		FUZZ_CHECK(out[48] == 0xff && out[49] == 0x03);
		FUZZ_CHECK(
		    memcmp(out + 50, frame + 20, o.data_size_out - 50) == 0);
	} else {
		/* Outer IPv4 + UDP + compact L2TP out, PPPoE in: at least 28. */
		FUZZ_CHECK(o.data_size_out + 28 <= len);
		FUZZ_CHECK(memcmp(out, env_mac_host, 6) == 0);
		FUZZ_CHECK(memcmp(out + 6, env_mac_i0, 6) == 0);
		FUZZ_CHECK(be16(out + 12) == 0x8864);
		FUZZ_CHECK(out[14] == 0x11 && out[15] == 0);
		FUZZ_CHECK(20u + be16(out + 18) == o.data_size_out);
		FUZZ_CHECK(
		    memcmp(out + 20, frame + len - (o.data_size_out - 20),
			o.data_size_out - 20) == 0);
	}
	return 0;
}
