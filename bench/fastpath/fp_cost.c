/*
 * fp_cost.c — what one run of each fast-path program costs, apart from the
 * rest of the kernel: BPF_PROG_TEST_RUN, one run per call (`repeat` would
 * run a program again on the packet it has already changed), on the
 * packets the programs carry (an L2TP data message to decapsulate, an
 * IPv4 packet with a complete UDP checksum to encapsulate), in the private
 * namespace of tests/unit/fastpath_env.h.  Prints the mean ns per run, the
 * least of ROUNDS means: the kernel times each run itself and other work
 * on the machine only ever adds, so the figure moves far less than a
 * packet rate does.  What it leaves out (the redirect, the next device, a
 * reallocation for headroom a test packet has; CHECKSUM_UNNECESSARY, which
 * a test packet never is) `make bench` measures.  For comparing two builds
 * of the programs.  Needs root.
 *
 *   make bench-build
 *   cc -O2 -D_GNU_SOURCE -Isrc -Itests/unit -o fp_cost \
 *       bench/fastpath/fp_cost.c build/bench/libvpdn.a \
 *       -lev -lnettle -lbsd -lmnl -lcap -lbpf
 *   ./fp_cost [PAYLOAD...]  (inner UDP payload octets; default 36 1372,
 *                            inner IP packets of 64 and 1400 octets)
 */
#include <bpf/bpf.h>
#include <linux/pkt_cls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataplane/fastpath.h"
#include "fastpath_env.h"

#define ROUNDS 60
#define RUNS   1000

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The least over ROUNDS of the mean ns per run of prog on the frame;
 * -1 if it did not carry it.  One run per call: `repeat` would run the
 * program again on the packet it has already changed. */
static long
cost(int prog, int ifindex, const uint8_t *frame, size_t len)
{
	static uint8_t out[4096];
	uint32_t ns[ROUNDS];
	struct __sk_buff ctx;
	uint64_t sum;
	int i, k;

	for (i = 0; i < ROUNDS; i++) {
		for (sum = 0, k = 0; k < RUNS; k++) {
			LIBBPF_OPTS(bpf_test_run_opts, o);

			memset(&ctx, 0, sizeof(ctx));
			ctx.ifindex = (uint32_t)ifindex;
			o.data_in = frame;
			o.data_size_in = (uint32_t)len;
			o.data_out = out;
			o.data_size_out = sizeof(out);
			o.ctx_in = &ctx;
			o.ctx_size_in = sizeof(ctx);
			if (bpf_prog_test_run_opts(prog, &o) != 0 ||
			    o.retval != TC_ACT_REDIRECT)
				return -1;
			sum += o.duration;
		}
		ns[i] = (uint32_t)(sum / RUNS);
	}
	qsort(ns, ROUNDS, sizeof(ns[0]), cmp_u32);
	return (long)ns[0];
}

int
main(int argc, char **argv)
{
	static const size_t def[] = { 36, 1372 };
	struct fp_env env;
	struct fastpath *fp;
	struct fastpath_session s;
	struct l2tp_craft c;
	uint8_t frame[2048];
	char why[256];
	size_t len, off, payload;
	int i, n = argc > 1 ? argc - 1 : 2;

	if (fp_env_setup(&env) != 0 ||
	    fastpath_open(&fp, NULL, why, sizeof(why)) != 0 ||
	    fastpath_allow_egress(fp, env.ifl, why, sizeof(why)) != 0 ||
	    fastpath_allow_egress(fp, env.ifi, why, sizeof(why)) != 0) {
		fprintf(stderr, "fp_cost: %s\n", why);
		return 1;
	}
	fp_env_session(&s);
	if (fastpath_session_add(fp, &s, why, sizeof(why)) != 0) {
		fprintf(stderr, "fp_cost: %s\n", why);
		return 1;
	}
	for (i = 0; i < n; i++) {
		payload = argc > 1 ? (size_t)atoi(argv[i + 1]) : def[i];
		l2tp_craft_default(&c);
		c.payload = payload;
		len = l2tp_frame(frame, &c, &off);
		printf("decap.%zu.ns=%ld\n", 28 + payload,
		    cost(fastpath_prog_fd(fp, FASTPATH_DECAP), env.ifl, frame,
			len));
		eth_hdr(frame, env_mac_i0, env_mac_host);
		len = 14 + inner_pkt(frame + 14, ENV_HOST, ENV_SESSION, 64,
				   payload);
		/* A complete UDP checksum (any non-zero value will do: the
		 * program does not verify it), as routed traffic has. */
		put16(frame + 14 + 26, 0x1234);
		printf("encap.%zu.ns=%ld\n", 28 + payload,
		    cost(fastpath_prog_fd(fp, FASTPATH_ENCAP), env.ifi, frame,
			len));
	}
	fastpath_close(fp);
	return 0;
}
